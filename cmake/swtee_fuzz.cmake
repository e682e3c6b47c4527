# The fuzz build's registry of libFuzzer targets, discovered rather than
# listed: every executable of the tree that links with -fsanitize=fuzzer is
# a fuzz target, however its CMakeLists adds it. Included last by the top
# CMakeLists when SWTEE_BUILD_FUZZ is on. It gives
#   - the `fuzzers` target, which builds them all and nothing else
#     (`make fuzz`);
#   - <build>/fuzz_targets.txt, one "name path" line per target, which
#     scripts/fuzz-smoke.sh and scripts/fuzz-run.sh read.
# A target's committed corpus is tests/fuzz/corpus/<name>/ (docs/fuzzing.md).

function(_swtee_collect_fuzz_targets dir out)
  set(found "")
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(t ${targets})
    get_target_property(type ${t} TYPE)
    if(NOT type STREQUAL "EXECUTABLE")
      continue()
    endif()
    get_target_property(lopts ${t} LINK_OPTIONS)
    if(lopts MATCHES "-fsanitize=([a-z,]*,)?fuzzer(,|;|$)")
      list(APPEND found ${t})
    endif()
  endforeach()
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(d ${subdirs})
    _swtee_collect_fuzz_targets(${d} sub)
    list(APPEND found ${sub})
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

_swtee_collect_fuzz_targets(${PROJECT_SOURCE_DIR} SWTEE_FUZZ_TARGETS)
list(SORT SWTEE_FUZZ_TARGETS)
add_custom_target(fuzzers)
set(_lines "")
foreach(t ${SWTEE_FUZZ_TARGETS})
  add_dependencies(fuzzers ${t})
  string(APPEND _lines "${t} $<TARGET_FILE:${t}>\n")
endforeach()
file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/fuzz_targets.txt CONTENT "${_lines}")
