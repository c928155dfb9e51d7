# Precompiled headers. A Debug translation unit here spends about half its time parsing the same
# headers (nlohmann/json, QtCore, the standard library) before it reaches its own code; parsing
# them once per library, and once for all the tests, takes a fifth off a clean build.
#
# flowdeck_precompile(<target> [QT] [WIDGETS]): the library precompiles the common headers, plus
# QtCore's with QT and the widgets' with WIDGETS (only what the target can already include).
# flowdeck_precompile_test(<target> [GUI]): a test reuses the header its donor built, the widget
# tests the one with the widgets' (GCC only: clang refuses a header built with other macro
# definitions, and the tests' differ).
option(FLOWDECK_PCH "Precompile the common headers" ON)

set(_fd_pch_std <nlohmann/json.hpp> <algorithm> <functional> <map> <memory> <optional> <set>
                <string> <string_view> <vector>)
set(_fd_pch_qt <QtCore/QByteArray> <QtCore/QDateTime> <QtCore/QObject> <QtCore/QString>
               <QtCore/QTimer>)
set(_fd_pch_widgets <QtGui/QPainter> <QtWidgets/QHBoxLayout> <QtWidgets/QHeaderView>
                    <QtWidgets/QLabel> <QtWidgets/QLineEdit> <QtWidgets/QPushButton>
                    <QtWidgets/QVBoxLayout> <QtWidgets/QWidget>)

function(flowdeck_precompile target)
    if(NOT FLOWDECK_PCH)
        return()
    endif()
    cmake_parse_arguments(P "QT;WIDGETS" "" "" ${ARGN})
    set(headers ${_fd_pch_std})
    if(P_QT OR P_WIDGETS)
        list(APPEND headers ${_fd_pch_qt})
    endif()
    if(P_WIDGETS)
        list(APPEND headers ${_fd_pch_widgets})
    endif()
    target_precompile_headers(${target} PRIVATE ${headers})
endfunction()

if(FLOWDECK_PCH AND FLOWDECK_BUILD_TESTS AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # Two donors, executables both (a test is one, and GCC will not use a -fPIC header in a
    # -fPIE unit), each with only the defines its tests share: a test's own extra ones (its
    # other Qt modules, QT_TESTCASE_BUILDDIR) leave the header valid as long as the headers in
    # it never look at them, which is why QtTest is not among them.
    set(_fd_donor_source "${CMAKE_CURRENT_BINARY_DIR}/flowdeck_test_pch.cpp")
    file(WRITE "${_fd_donor_source}" "int main() { return 0; }\n")
    add_executable(flowdeck_test_pch "${_fd_donor_source}")
    target_link_libraries(flowdeck_test_pch PRIVATE flowdeck_config Qt6::Core
                          nlohmann_json::nlohmann_json)
    target_precompile_headers(flowdeck_test_pch PRIVATE ${_fd_pch_std} ${_fd_pch_qt})
    add_executable(flowdeck_gui_test_pch "${_fd_donor_source}")
    target_link_libraries(flowdeck_gui_test_pch PRIVATE flowdeck_config Qt6::Widgets
                          nlohmann_json::nlohmann_json)
    target_precompile_headers(flowdeck_gui_test_pch PRIVATE ${_fd_pch_std} ${_fd_pch_qt}
                              ${_fd_pch_widgets})
endif()

# flowdeck_precompile_test(<target> [GUI])
function(flowdeck_precompile_test target)
    cmake_parse_arguments(P "GUI" "" "" ${ARGN})
    set(donor flowdeck_test_pch)
    if(P_GUI)
        set(donor flowdeck_gui_test_pch)
    endif()
    if(TARGET ${donor})
        target_precompile_headers(${target} REUSE_FROM ${donor})
    endif()
endfunction()
