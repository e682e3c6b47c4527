#!/usr/bin/env bash
# An OP-TEE-style host + TA pair outside the tree, built with nothing but
# find_package(swtee CONFIG) pointed at this build tree, then run on a
# private stack: the SDK promise of issue #2, end to end.
set -euo pipefail
src=$1 build=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake -S "$src/sdk/tests/external" -B "$work/b" -G Ninja -DCMAKE_C_COMPILER=clang \
  -Dswtee_DIR="$build" -DSWTEE_TA_OUTPUT_DIR="$work/ta" >"$work/configure.log" 2>&1 ||
  { cat "$work/configure.log"; exit 1; }
cmake --build "$work/b" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
ta=$(find "$work" -name '2d6b3c1e-7f40-4a8e-9c55-0b1e2f3a4d5c.ta' | head -n1)
[ -n "$ta" ] || { echo "the external TA image was not produced"; exit 1; }
out=$("$build/bin/swtee" run --ta-dir "$(dirname "$ta")" -- "$work/b/external_host")
echo "$out"
grep -q '^result 0x0 value 42$' <<<"$out"
