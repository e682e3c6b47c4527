#!/usr/bin/env bash
# The call trace and the log scheme on a real stack:
#   - `swtee run --trace` prints one line per completed call (open, invoke,
#     close) with client pid, TA, session, cmd, param types, time, result
#     and origin; without --trace there is none;
#   - per-component levels from `swtee run --log` reach each process; a bad
#     spec is refused naming the bad item.
set -euo pipefail
bin=$1 ta=$2 hello=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
uuid=8aaaf200-2450-11e4-abe2-0002a5d5c51b

"$bin/swtee" run --trace --ta-dir "$ta" -- "$hello" >"$work/out" 2>"$work/err" || { cat "$work/err"; fail "run --trace"; }
grep -q "TA incremented value to 43" "$work/out" || fail "hello_world did not run"
num='[0-9]+'
grep -Eq "^swtee-trace: pid $num open ta $uuid session $num cmd 0x0 params \(NONE,NONE,NONE,NONE\) [0-9.]+us = 0x00000000 \(SUCCESS\) origin TRUSTED_APP$" "$work/err" ||
  { cat "$work/err"; fail "no open line"; }
grep -Eq "^swtee-trace: pid $num invoke ta $uuid session $num cmd 0x0 params \(VALUE_INOUT,NONE,NONE,NONE\) [0-9.]+us = 0x00000000 \(SUCCESS\) origin TRUSTED_APP$" "$work/err" ||
  { cat "$work/err"; fail "no invoke line"; }
grep -Eq "^swtee-trace: pid $num close ta $uuid session $num cmd 0x0 params \(\) [0-9.]+us = ok$" "$work/err" ||
  { cat "$work/err"; fail "no close line"; }
[ "$(grep -c '^swtee-trace:' "$work/err")" = 3 ] || { cat "$work/err"; fail "not exactly one line per call"; }

"$bin/swtee" run --ta-dir "$ta" -- "$hello" >/dev/null 2>"$work/err2"
if grep -q 'swtee-trace' "$work/err2"; then fail "trace lines without --trace"; fi

# Per-component levels: swteed at info, everything else at the default (warn).
"$bin/swtee" run --log warn,swteed=info --ta-dir "$ta" -- "$hello" >/dev/null 2>"$work/log1"
grep -Eq '^swteed\[[0-9]+\] I: serving ' "$work/log1" || { cat "$work/log1"; fail "swteed=info not applied"; }
if grep -Eq '^swtee-(os|supplicant)\[[0-9]+\] I: ' "$work/log1"; then cat "$work/log1"; fail "info lines from other components"; fi
# The same spec through SWTEE_LOG.
SWTEE_LOG=warn,swteed=info "$bin/swtee" run --ta-dir "$ta" -- "$hello" >/dev/null 2>"$work/log2"
grep -Eq '^swteed\[[0-9]+\] I: serving ' "$work/log2" || { cat "$work/log2"; fail "SWTEE_LOG not applied"; }
# A bad spec is named.
if "$bin/swtee" run --log info,os=loud --ta-dir "$ta" -- "$hello" 2>"$work/log3"; then fail "bad --log accepted"; fi
grep -q "'os=loud': expected a level" "$work/log3" || { cat "$work/log3"; fail "bad --log not named"; }
echo "trace and logs: OK"
