# Helpers used inside the swtee tree only.

# swtee_test_compile_options(TARGET): test drivers (GoogleTest bodies, not
# the code under test, which lives in the libraries and keeps the build's
# optimisation) compile without optimisation: a third of the CPU time, and
# test sources are most of the build. A test executable also reuses the
# precompiled header of swtee_test_pch (below).
function(swtee_test_compile_options target)
  target_compile_options(${target} PRIVATE -O0)
  get_target_property(_type ${target} TYPE)
  if(SWTEE_TEST_PCH AND _type STREQUAL "EXECUTABLE")
    target_precompile_headers(${target} REUSE_FROM swtee_test_pch)
    # The header is C++; a C source of the driver compiles on its own.
    get_target_property(_sources ${target} SOURCES)
    list(FILTER _sources INCLUDE REGEX "\\.c$")
    if(_sources)
      set_source_files_properties(${_sources} TARGET_DIRECTORY ${target}
                                  PROPERTIES SKIP_PRECOMPILE_HEADERS ON SKIP_UNITY_BUILD_INCLUSION ON)
    endif()
  endif()
endfunction()

# The test drivers' precompiled header: GoogleTest, fmt and the standard
# headers most drivers include, parsed once per build tree instead of once
# per test source (half of a driver's compile time; docs/ci.md). Its owner
# is an executable built with the drivers' flags, since clang only reuses a
# header built with the same optimisation level and PIE setting. Off, every
# driver parses its own includes (and a missing #include shows).
# ccache caches a compile that uses a precompiled header only with
# sloppiness pch_defines,time_macros; without them it would compile every
# driver every time, so a ccache build without them defaults to off.
set(_swtee_test_pch_default ON)
if(CMAKE_CXX_COMPILER_LAUNCHER MATCHES "ccache")
  execute_process(COMMAND ccache --get-config sloppiness OUTPUT_VARIABLE _sloppiness ERROR_QUIET)
  if(NOT (_sloppiness MATCHES "pch_defines" AND _sloppiness MATCHES "time_macros"))
    set(_swtee_test_pch_default OFF)
    if(NOT DEFINED SWTEE_TEST_PCH)
      message(STATUS "SWTEE_TEST_PCH off: ccache lacks sloppiness pch_defines,time_macros")
    endif()
  endif()
endif()
option(SWTEE_TEST_PCH "Precompile GoogleTest and common headers for the test drivers" ${_swtee_test_pch_default})
if(SWTEE_BUILD_TESTS AND SWTEE_TEST_PCH)
  file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/swtee_test_pch.cc CONTENT "int main() { return 0; }\n")
  add_executable(swtee_test_pch EXCLUDE_FROM_ALL ${CMAKE_BINARY_DIR}/swtee_test_pch.cc)
  target_link_libraries(swtee_test_pch PRIVATE GTest::gtest fmt::fmt)
  target_compile_options(swtee_test_pch PRIVATE -O0)
  target_precompile_headers(swtee_test_pch PRIVATE
    <gtest/gtest.h> <fmt/core.h>
    <algorithm> <array> <atomic> <chrono> <cstdint> <cstring> <filesystem> <fstream> <functional>
    <map> <memory> <mutex> <optional> <span> <string> <string_view> <thread> <unordered_map>
    <variant> <vector>)
endif()

# The product libraries' precompiled header: the standard and fmt headers
# that most of their sources include, parsed once per build tree. Header
# parsing was about 70 % of a library source's compile time (a sample of
# ten sources, -ftime-trace; docs/ci.md). Its owner is a static library
# built with the libraries' own flags (-fPIC, fmt's definitions): clang
# reuses a header only under the same flags. Every static library of the
# tree reuses it (swtee_library_pch_all, at the end of the configure) but
# the few whose flags differ (test helpers built -O0, the list below). Off, each source parses its own includes (and
# a missing #include shows); the same ccache rule as the tests' applies.
option(SWTEE_LIB_PCH "Precompile the standard and fmt headers for the product libraries"
       ${_swtee_test_pch_default})
if(SWTEE_LIB_PCH)
  file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/swtee_lib_pch.cc CONTENT "namespace swtee_lib_pch {}\n")
  add_library(swtee_lib_pch STATIC EXCLUDE_FROM_ALL ${CMAKE_BINARY_DIR}/swtee_lib_pch.cc)
  target_link_libraries(swtee_lib_pch PRIVATE fmt::fmt)
  target_precompile_headers(swtee_lib_pch PRIVATE
    <fmt/format.h>
    <algorithm> <array> <atomic> <chrono> <cstdint> <cstring> <functional> <map> <memory> <mutex>
    <optional> <span> <string> <string_view> <unordered_map> <utility> <variant> <vector>)
endif()

# Static libraries whose compile flags differ from the owner's (hidden
# visibility, their own definitions) and so cannot reuse its header.
set(SWTEE_LIB_PCH_EXCLUDE teec_impl swtee_lib_pch)
function(_swtee_library_pch_dir dir)
  get_property(_targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(_t IN LISTS _targets)
    get_target_property(_type ${_t} TYPE)
    get_target_property(_own ${_t} PRECOMPILE_HEADERS)
    get_target_property(_reuse ${_t} PRECOMPILE_HEADERS_REUSE_FROM)
    get_target_property(_opts ${_t} COMPILE_OPTIONS)
    if(_type STREQUAL "STATIC_LIBRARY" AND NOT _own AND NOT _reuse AND NOT "-O0" IN_LIST _opts
       AND NOT _t IN_LIST SWTEE_LIB_PCH_EXCLUDE)
      target_precompile_headers(${_t} REUSE_FROM swtee_lib_pch)
      # The header is C++; C sources compile on their own.
      get_target_property(_sources ${_t} SOURCES)
      list(FILTER _sources INCLUDE REGEX "\\.c$")
      if(_sources)
        set_source_files_properties(${_sources} TARGET_DIRECTORY ${_t} PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
      endif()
    endif()
  endforeach()
  get_property(_subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(_d IN LISTS _subdirs)
    _swtee_library_pch_dir(${_d})
  endforeach()
endfunction()
function(swtee_library_pch_all)
  if(SWTEE_LIB_PCH)
    _swtee_library_pch_dir(${CMAKE_SOURCE_DIR})
  endif()
endfunction()
cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}" CALL swtee_library_pch_all)

# swtee_unit_test_target(TARGET): TARGET is the executable of tests labelled
# `unit`; the `unit_tests` target builds every such executable and nothing
# else, so a tree made for something else (the fuzz build, `make asan-unit`)
# can run the unit tests without building the whole stack.
function(swtee_unit_test_target target)
  set_property(GLOBAL APPEND PROPERTY SWTEE_UNIT_TEST_TARGETS ${target})
endfunction()

# Unit test executables compile their sources in unity batches of 8 (one
# translation unit per batch): with the precompiled header, the rest of a
# driver's compile time is its own includes and GoogleTest's templates,
# which a batch then compiles once. Names at namespace scope of the sources
# of one test executable must therefore be distinct (shared constants live
# in the test helper headers); turn this off to check a source on its own.
option(SWTEE_TEST_UNITY "Compile each unit test executable in unity batches" ON)

# swtee_unit_test(NAME SOURCES... LIBS ...) : a GoogleTest binary registered with ctest.
function(swtee_unit_test name)
  if(NOT SWTEE_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
  swtee_test_compile_options(${name})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  if(SWTEE_TEST_UNITY)
    set_target_properties(${name} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 30 PROPERTIES LABELS unit)
  swtee_unit_test_target(${name})
endfunction()

# The `unit_tests` target, made at the end of the top-level configure once
# every unit test executable is registered.
function(_swtee_unit_tests_target)
  get_property(targets GLOBAL PROPERTY SWTEE_UNIT_TEST_TARGETS)
  add_custom_target(unit_tests)
  if(targets)
    add_dependencies(unit_tests ${targets})
  endif()
endfunction()
if(SWTEE_BUILD_TESTS)
  cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}" CALL _swtee_unit_tests_target)
endif()

# swtee_layer(TARGET FOLDER) : TARGET's public include directory holds only
# src/FOLDER, reachable as "FOLDER/x.h". A target can include a layer's
# headers only by linking a library of that layer, so an include that crosses
# the layering the wrong way fails to compile ("file not found"). The rules
# and the graph are in docs/architecture.md ("Layers"); tests/layering proves
# the build enforces them.
function(swtee_layer target folder)
  string(REPLACE "/" "_" _stage_name "${folder}")
  set(_stage ${CMAKE_BINARY_DIR}/layers/${_stage_name})
  if(NOT EXISTS ${_stage}/${folder})
    get_filename_component(_parent ${_stage}/${folder} DIRECTORY)
    file(MAKE_DIRECTORY ${_parent})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${folder} ${_stage}/${folder} SYMBOLIC)
  endif()
  get_target_property(_type ${target} TYPE)
  if(_type STREQUAL "INTERFACE_LIBRARY")
    target_include_directories(${target} INTERFACE ${_stage})
  else()
    target_include_directories(${target} PUBLIC ${_stage})
  endif()
endfunction()

# swtee_fail_on_tsan_reports(): in a TSan build, every test this directory
# adds fails when its output holds a TSan report. Call it once in each
# directory whose tests run a stack: there the report may come from a
# process that is not the test's own (swteed, swtee-os, the supplicant),
# whose exit code no test sees once the stack is being torn down. The
# test's own processes fail on their own (TSAN_OPTIONS of the tsan test
# preset: halt_on_error=1, exit code 66). Applies at the end of the
# directory, to every test it added.
function(swtee_fail_on_tsan_reports)
  if(SWTEE_SANITIZE STREQUAL "thread")
    cmake_language(DEFER CALL _swtee_fail_on_tsan_reports)
  endif()
endfunction()
function(_swtee_fail_on_tsan_reports)
  get_property(_tests DIRECTORY PROPERTY TESTS)
  foreach(_t IN LISTS _tests)
    set_property(TEST ${_t} APPEND PROPERTY FAIL_REGULAR_EXPRESSION "WARNING: ThreadSanitizer")
  endforeach()
endfunction()
