# cmake -DSOURCE_DIR=<root> -P LayeringCheck.cmake
# Fails when a file includes what its layer must not (ARCHITECTURE.md "Rules"). The link graph
# alone lets a header-only include through, so the rules are checked on the text.
if(NOT SOURCE_DIR)
    message(FATAL_ERROR "SOURCE_DIR is not set")
endif()

set(_violations "")
macro(check_folder folder regex why)
    file(GLOB_RECURSE _files "${SOURCE_DIR}/${folder}/*.h" "${SOURCE_DIR}/${folder}/*.cpp")
    foreach(_file IN LISTS _files)
        file(STRINGS "${_file}" _lines REGEX "${regex}")
        foreach(_line IN LISTS _lines)
            file(RELATIVE_PATH _rel "${SOURCE_DIR}" "${_file}")
            list(APPEND _violations "${_rel}: ${_line}  (${why})")
        endforeach()
    endforeach()
endmacro()

# engine/ never touches a display.
check_folder(engine "#include *<(QtGui|QtWidgets|QWidget|QPainter|QPixmap|QImage|QApplication|QGuiApplication|QColor|QFont|QIcon)"
             "engine/ must not use QtGui or QtWidgets")
# The documents, validation, store and access are Qt-free. The API's handlers call the engine
# (a QObject) and may use QtCore, but the request/answer types the window's client shares
# with them stay Qt-free.
foreach(_layer model validate store access)
    check_folder(engine/${_layer} "#include *<Q" "engine/${_layer} must not use Qt")
endforeach()
foreach(_file ApiTypes.h ApiTypes.cpp)
    if(NOT EXISTS "${SOURCE_DIR}/engine/api/${_file}")
        continue()
    endif()
    file(STRINGS "${SOURCE_DIR}/engine/api/${_file}" _lines REGEX "#include *<Q")
    foreach(_line IN LISTS _lines)
        list(APPEND _violations "engine/api/${_file}: ${_line}  (the API types must not use Qt)")
    endforeach()
endforeach()
# The window sees the engine only through ConsoleClient.
check_folder(ui "#include *\"engine/(store|runtime|tasks|access|http)/"
             "ui/ must reach the engine only through ConsoleClient")
file(GLOB_RECURSE _ui_files "${SOURCE_DIR}/ui/*.h" "${SOURCE_DIR}/ui/*.cpp")
foreach(_file IN LISTS _ui_files)
    if(_file MATCHES "/ui/client/LocalClient\\.(h|cpp)$")
        continue()
    endif()
    file(STRINGS "${_file}" _lines REGEX "#include *\"engine/api/(EngineApi|WorkflowCatalog|[A-Za-z]+Api)\\.h\"")
    foreach(_line IN LISTS _lines)
        file(RELATIVE_PATH _rel "${SOURCE_DIR}" "${_file}")
        list(APPEND _violations "${_rel}: ${_line}  (only LocalClient may call EngineApi)")
    endforeach()
endforeach()

if(_violations)
    list(JOIN _violations "\n  " _text)
    message(FATAL_ERROR "layering violations:\n  ${_text}")
endif()
message(STATUS "layering: ok")
