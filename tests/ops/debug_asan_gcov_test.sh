#!/usr/bin/env bash
# The sanitizer and coverage recipes of docs/debugging.md:
#   - a TA built with ASan/UBSan, run with --debug-ta and the ASan runtime
#     preloaded into the TA host, reports the planted stack overflow with a
#     symbolized stack (function, file, line of the TA source);
#   - a TA built with --coverage, run with --debug-ta, leaves .gcda data that
#     llvm-cov gcov turns into per-line counts of the TA source.
set -euo pipefail
bin=$1 ta=$2 client=$3 covobj=$4 src=$5 build=$6
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; for f in "$work"/*.log; do echo "== $f"; cat "$f"; done; exit 1; }
asan_uuid=d1e6a5a0-0c3b-4f7e-9a51-3c2b1a000001
cov_uuid=d1e6a5a0-0c3b-4f7e-9a51-3c2b1a000002
rt=$(clang -print-file-name=libclang_rt.asan-x86_64.so)
[ -f "$rt" ] || fail "no ASan runtime at $rt"
export ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0
export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-$(command -v llvm-symbolizer || true)}

# Sanitized TA, correct input: works.
"$bin/swtee" run --debug-ta $asan_uuid --ta-host-preload "$rt" --ta-dir "$ta" -- \
  "$client" $asan_uuid 0 10 >"$work/asan_ok.log" 2>&1 || fail "sanitized TA failed on good input"
grep -q "result 0x00000000 origin 4 value 55" "$work/asan_ok.log" || fail "sanitized TA: wrong result"

# The planted overflow: ASan reports it, symbolized, and the TA dies.
if "$bin/swtee" run --debug-ta $asan_uuid --ta-host-preload "$rt" --ta-dir "$ta" -- \
  "$client" $asan_uuid 1 12 >"$work/asan_bug.log" 2>&1; then
  fail "the planted overflow went unnoticed"
fi
grep -q "ERROR: AddressSanitizer: stack-buffer-overflow" "$work/asan_bug.log" || fail "no ASan report"
grep -Eq "#[0-9]+ 0x[0-9a-f]+ in planted_overflow .*debug_ta.c:[0-9]+" "$work/asan_bug.log" ||
  fail "the ASan stack is not symbolized down to the TA source"
grep -q "result 0xffff3024" "$work/asan_bug.log" || fail "the client did not see TEE_ERROR_TARGET_DEAD"

# Coverage: run the TA, then read per-line counts of its source.
find "$covobj" -name '*.gcda' -delete
"$bin/swtee" run --debug-ta $cov_uuid --ta-dir "$ta" -- "$client" $cov_uuid 0 4 >"$work/cov.log" 2>&1 ||
  fail "coverage TA failed"
grep -q "value 10" "$work/cov.log" || fail "coverage TA: wrong result"
gcda=$(find "$covobj" -name 'debug_ta.c.gcda' | head -n1)
[ -n "$gcda" ] || fail "no .gcda written by the TA process"
# From the build directory, where the compiler ran (source paths in the
# notes file may be relative to it); the .gcov lands in a scratch dir.
mkdir "$work/gcov"
(cd "$build" && llvm-cov gcov -o "${gcda%.gcda}.o" "$src/debug_ta.c" -t >"$work/gcov/debug_ta.c.gcov" 2>"$work/gcov.log") ||
  fail "llvm-cov gcov"
cov=$work/gcov/debug_ta.c.gcov
[ -f "$cov" ] || fail "no debug_ta.c.gcov"
# The loop of sum_to ran 4 times (5 condition checks); planted_overflow never.
grep -Eq '^ +[45]:.*for \(uint32_t i = 1; i <= n; i\+\+\)' "$cov" || { cat "$cov"; fail "no counts for sum_to"; }
grep -Eq '^ +#####:.*p\[index\] = 1;' "$cov" || { cat "$cov"; fail "planted_overflow not reported as unexecuted"; }
echo "sanitizer and coverage recipes: OK"
