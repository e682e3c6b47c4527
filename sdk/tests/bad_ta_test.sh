#!/usr/bin/env bash
# Builds sdk/tests/bad_ta (a TA calling a function the runtime lacks) with
# find_package(swtee) pointed at this build tree. The build must fail; ctest
# passes only if the linker's message names the missing symbol.
set -uo pipefail
src=$1 build=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake -S "$src/sdk/tests/bad_ta" -B "$work/b" -G Ninja -DCMAKE_C_COMPILER=clang \
  -Dswtee_DIR="$build" -DSWTEE_TA_OUTPUT_DIR="$work/ta" >"$work/configure.log" 2>&1 ||
  { cat "$work/configure.log"; echo "configure failed"; exit 1; }
if cmake --build "$work/b" 2>&1; then
  echo "the bad TA linked: undefined TA symbols are not caught at link time"
  exit 1
fi
exit 0
