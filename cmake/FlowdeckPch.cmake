# Precompiled headers. A Debug translation unit here spends about half its time parsing the same
# headers (nlohmann/json, QtCore, the standard library) before it reaches its own code; parsing
# them once per kind of target takes a fifth off a clean build.
#
# flowdeck_precompile(<target> [QT] [WIDGETS]): the library uses the common headers, plus
# QtCore's with QT and the widgets' with WIDGETS (only what the target can already include).
# With GCC every library of a kind reuses one header built by a donor library of that kind
# (plain, QtCore, widgets): twenty libraries each building their own took about 400 s of a
# clean CI build's compile time for three headers' worth of work. Clang refuses a header built
# with other macro definitions (QT_NETWORK_LIB and the like differ between libraries), so
# there each library builds its own.
# flowdeck_precompile_test(<target> [GUI]): a test reuses the header its donor built, the widget
# tests the one with the widgets' (GCC only, for the same reason).
option(FLOWDECK_PCH "Precompile the common headers" ON)

set(_fd_pch_std <nlohmann/json.hpp> <algorithm> <functional> <map> <memory> <optional> <set>
                <string> <string_view> <vector>)
set(_fd_pch_qt <QtCore/QByteArray> <QtCore/QDateTime> <QtCore/QObject> <QtCore/QString>
               <QtCore/QTimer>)
set(_fd_pch_widgets <QtGui/QPainter> <QtWidgets/QHBoxLayout> <QtWidgets/QHeaderView>
                    <QtWidgets/QLabel> <QtWidgets/QLineEdit> <QtWidgets/QPushButton>
                    <QtWidgets/QVBoxLayout> <QtWidgets/QWidget>)

set(_fd_pch_share OFF)
if(FLOWDECK_PCH AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    set(_fd_pch_share ON)
    # The donors: static libraries like the ones that borrow from them (GCC will not use a
    # header built with -fPIC in a unit without it, nor the reverse; linking Qt brings -fPIC),
    # each with only the defines every borrower has. A borrower's extra ones (its other Qt
    # modules) leave the header valid as long as the headers in it never look at them.
    set(_fd_lib_donor_source "${CMAKE_CURRENT_BINARY_DIR}/flowdeck_lib_pch.cpp")
    # CONFIGURE writes only when the text differs: a rewrite at every configure would rebuild
    # the donors.
    file(CONFIGURE OUTPUT "${_fd_lib_donor_source}"
         CONTENT "namespace flowdeck { int pchDonor() { return 0; } }\n")
    add_library(flowdeck_pch_plain STATIC "${_fd_lib_donor_source}")
    target_link_libraries(flowdeck_pch_plain PRIVATE flowdeck_config nlohmann_json::nlohmann_json)
    target_precompile_headers(flowdeck_pch_plain PRIVATE ${_fd_pch_std})
    add_library(flowdeck_pch_qt STATIC "${_fd_lib_donor_source}")
    target_link_libraries(flowdeck_pch_qt PRIVATE flowdeck_config Qt6::Core
                          nlohmann_json::nlohmann_json)
    target_precompile_headers(flowdeck_pch_qt PRIVATE ${_fd_pch_std} ${_fd_pch_qt})
    add_library(flowdeck_pch_widgets STATIC "${_fd_lib_donor_source}")
    target_link_libraries(flowdeck_pch_widgets PRIVATE flowdeck_config Qt6::Widgets
                          nlohmann_json::nlohmann_json)
    target_precompile_headers(flowdeck_pch_widgets PRIVATE ${_fd_pch_std} ${_fd_pch_qt}
                              ${_fd_pch_widgets})
endif()

function(flowdeck_precompile target)
    if(NOT FLOWDECK_PCH)
        return()
    endif()
    cmake_parse_arguments(P "QT;WIDGETS" "" "" ${ARGN})
    get_target_property(type ${target} TYPE)
    if(_fd_pch_share AND type STREQUAL "STATIC_LIBRARY")
        set(donor flowdeck_pch_plain)
        if(P_WIDGETS)
            set(donor flowdeck_pch_widgets)
        elseif(P_QT)
            set(donor flowdeck_pch_qt)
        endif()
        target_precompile_headers(${target} REUSE_FROM ${donor})
        return()
    endif()
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
    file(CONFIGURE OUTPUT "${_fd_donor_source}" CONTENT "int main() { return 0; }\n")
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
