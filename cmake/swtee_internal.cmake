# Helpers used inside the swtee tree only.

# swtee_test_compile_options(TARGET): test drivers (GoogleTest bodies, not
# the code under test, which lives in the libraries and keeps the build's
# optimisation) compile without optimisation: a third of the CPU time, and
# test sources are most of the build.
function(swtee_test_compile_options target)
  target_compile_options(${target} PRIVATE -O0)
endfunction()

# swtee_unit_test_target(TARGET): TARGET is the executable of tests labelled
# `unit`; the `unit_tests` target builds every such executable and nothing
# else, so a tree made for something else (the fuzz build, `make asan-unit`)
# can run the unit tests without building the whole stack.
function(swtee_unit_test_target target)
  set_property(GLOBAL APPEND PROPERTY SWTEE_UNIT_TEST_TARGETS ${target})
endfunction()

# swtee_unit_test(NAME SOURCES... LIBS ...) : a GoogleTest binary registered with ctest.
function(swtee_unit_test name)
  if(NOT SWTEE_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
  swtee_test_compile_options(${name})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
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
