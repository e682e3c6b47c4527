#!/usr/bin/env bash
# make bench shows progress on a terminal and nothing extra into a file:
# the runner's step lines and swtee-bench's progress line, with a short
# run (--iterations) so the test takes seconds. No figure is checked.
set -euo pipefail
src=$1 build=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v script >/dev/null || fail "script(1) missing (bsdutils)"
script -qec "$build/bin/swtee run --ta-dir $build/ta -- $build/bin/swtee-bench --iterations 300 --cold-iterations 50 --out $work/r.json" \
  /dev/null >"$work/tty.out" </dev/null
grep -q "null invoke: [0-9]*/1300" "$work/tty.out" || { cat -A "$work/tty.out"; fail "no progress on a terminal"; }
grep -q "open session, cold (spare ready): [0-9]*/60" "$work/tty.out" || { cat -A "$work/tty.out"; fail "no cold-open progress"; }
grep -q "open session, cold (back to back): [0-9]*/60" "$work/tty.out" || { cat -A "$work/tty.out"; fail "no back-to-back cold-open progress"; }
grep -q $'\r\x1b\\[K' "$work/tty.out" || { cat -A "$work/tty.out"; fail "the progress line is not erased"; }
grep -q "null_invoke" "$work/tty.out" || fail "figures missing under a terminal"

# The runner's first step, as scripts/bench.sh runs it, into a file.
"$build/bin/swtee" run --ta-dir "$build/ta" -- "$build/bin/swtee-bench" --iterations 300 --cold-iterations 50 --out "$work/r.json" \
  >"$work/file.out"
if grep -q $'\r' "$work/file.out" || grep -q "null invoke:" "$work/file.out"; then
  cat -A "$work/file.out"
  fail "progress written to a file"
fi
grep -q "null_invoke" "$work/file.out" || fail "figures missing in a file"
# Each scaling row carries the machine's CPU time and context switches per
# call over its window (/proc/stat); none may be missing or read as zero.
[ "$(grep -Ec "(threads|processes) .*cpu/call +[0-9]+\.[0-9] us +switches/call +[0-9]+\.[0-9]{2}" "$work/file.out")" = 6 ] ||
  { cat "$work/file.out"; fail "scaling rows without the machine's counters"; }
if grep -Eq "cpu/call +0\.0 us|switches/call +0\.00" "$work/file.out"; then
  cat "$work/file.out"
  fail "the machine's counters read as zero"
fi

# The runner's step lines: on a terminal only (a stub build tree whose
# benchmarks only print, so this needs no second run).
mkdir -p "$work/stub/bin" "$work/stub/ta"
printf '#!/bin/sh\nwhile [ "$1" != -- ]; do shift; done\nshift\nexec "$@"\n' >"$work/stub/bin/swtee"
printf '#!/bin/sh\necho figure\n' >"$work/stub/bin/swtee-bench"
cp "$work/stub/bin/swtee-bench" "$work/stub/bin/swtee-bench-crypto"
chmod +x "$work/stub/bin/"*
script -qec "$src/scripts/bench.sh $work/stub" /dev/null >"$work/steps-tty.out" </dev/null
grep -q "\[1/2\] call path" "$work/steps-tty.out" || { cat -A "$work/steps-tty.out"; fail "no step lines on a terminal"; }
grep -q "\[2/2\] crypto" "$work/steps-tty.out" || { cat -A "$work/steps-tty.out"; fail "no second step line"; }
"$src/scripts/bench.sh" "$work/stub" >"$work/steps.out"
if grep -q "\[1/2\]" "$work/steps.out"; then fail "step lines written to a file"; fi
[ "$(grep -c figure "$work/steps.out")" = 2 ] || fail "stub benchmarks did not run"
echo "bench progress: OK"
