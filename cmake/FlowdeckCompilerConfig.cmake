# The one INTERFACE target every Flowdeck target links: language level, warnings, Qt defines
# and sanitizers live here so no target can drift from the others.
add_library(flowdeck_config INTERFACE)
target_compile_features(flowdeck_config INTERFACE cxx_std_20)
target_compile_options(flowdeck_config INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
    $<$<BOOL:${FLOWDECK_WERROR}>:-Werror>)
target_compile_definitions(flowdeck_config INTERFACE
    QT_NO_KEYWORDS
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_USE_QSTRINGBUILDER
    QT_DISABLE_DEPRECATED_BEFORE=0x060400
    FLOWDECK_VERSION="${PROJECT_VERSION}")
target_include_directories(flowdeck_config INTERFACE ${PROJECT_SOURCE_DIR})

# LLVM's linker when the machine has it (scripts/setup installs it): a Debug test executable
# links in about 3 s instead of 15 s with GNU ld, and the suite has some ninety of them.
include(CheckLinkerFlag)
check_linker_flag(CXX -fuse-ld=lld FLOWDECK_HAVE_LLD)
if(FLOWDECK_HAVE_LLD)
    target_link_options(flowdeck_config INTERFACE -fuse-ld=lld)
endif()
if(FLOWDECK_SANITIZE)
    list(JOIN FLOWDECK_SANITIZE "," _fd_san)
    target_compile_options(flowdeck_config INTERFACE -fsanitize=${_fd_san} -fno-omit-frame-pointer)
    target_link_options(flowdeck_config INTERFACE -fsanitize=${_fd_san})
    if(FLOWDECK_SANITIZE_SKIP)
        # After -fsanitize, or it would turn them back on.
        list(JOIN FLOWDECK_SANITIZE_SKIP "," _fd_skip)
        target_compile_options(flowdeck_config INTERFACE -fno-sanitize=${_fd_skip})
        target_link_options(flowdeck_config INTERFACE -fno-sanitize=${_fd_skip})
    endif()
endif()
if(FLOWDECK_FUZZ)
    # Coverage feedback for libFuzzer in every Flowdeck object (the fuzzers link its runtime);
    # any sanitizer report ends the run, so it counts as a crash.
    target_compile_options(flowdeck_config INTERFACE -fsanitize=fuzzer-no-link
                           -fno-sanitize-recover=all)
    target_link_options(flowdeck_config INTERFACE -fno-sanitize-recover=all)
endif()
