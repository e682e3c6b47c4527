#!/usr/bin/env bash
# The gdb recipe of docs/debugging.md, as written there: run the stack with
# --debug-ta, attach gdb to the TA process it names, stop in the TA's
# command entry point and in its own code, read a parameter, let it go on.
set -euo pipefail
bin=$1 ta=$2 probe=$3
command -v gdb >/dev/null || { echo "FAIL: gdb missing (packaging/debian-packages.txt)"; exit 1; }
work=$(mktemp -d)
run_pid=
cleanup() { touch "$work/go"; [ -z "$run_pid" ] || wait "$run_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; for f in "$work"/*.log "$work"/*.out; do echo "== $f"; cat "$f"; done; exit 1; }
uuid=8aaaf200-2450-11e4-abe2-0002a5d5c51b

"$bin/swtee" run --debug-ta $uuid --ta-dir "$ta" -- "$probe" --wait-for "$work/go" >"$work/probe.out" 2>"$work/run.log" &
run_pid=$!
for _ in $(seq 1 200); do grep -q '^pid ' "$work/probe.out" 2>/dev/null && break; sleep 0.05; done
grep -q '^pid ' "$work/probe.out" || fail "the TA process was not found"
grep -q "DEBUG MODE for TA $uuid" "$work/run.log" || fail "swtee run did not warn about debug mode"
# The recipe attaches to the pid the TA prints; the probe lists every
# process with the TA's name, which may include others of the same TA
# (spares, or a process still on its way out), so it must be among them.
pid=$(sed -n "s/.*swtee-ta\[\([0-9]*\)\] W: DEBUG TA $uuid in pid \1: loaded from .*\/debug-ta\/$uuid.so, SANDBOX RELAXED .*attach with: gdb -p \1\$/\1/p" \
  "$work/run.log" | head -n 1)
[ -n "$pid" ] || fail "the TA process did not print its gdb line"
grep -qx "pid $pid" "$work/probe.out" || fail "the TA the probe found is not the one that printed its gdb line"

grep -q "/debug-ta/$uuid.so" /proc/"$pid"/maps || fail "the TA is not mapped from a real file"

# The recipe: breakpoints, then let the client call.
cat >"$work/cmds.gdb" <<'GDB'
set pagination off
set confirm off
break TA_InvokeCommandEntryPoint
break adjust_value
shell touch "$SWTEE_GO"
continue
continue
print params[0].value.a
bt 3
detach
GDB
SWTEE_GO=$work/go timeout 60 gdb -p "$pid" -batch -x "$work/cmds.gdb" >"$work/gdb.log" 2>&1 || fail "gdb failed"
grep -q "Breakpoint 1, .*TA_InvokeCommandEntryPoint" "$work/gdb.log" || fail "no stop in TA_InvokeCommandEntryPoint"
grep -Eq "Breakpoint 2(\.[0-9]+)?, adjust_value .* at .*hello_world_ta.c:[0-9]+" "$work/gdb.log" || fail "no stop in the TA's own code"
grep -q '^\$1 = 42$' "$work/gdb.log" || fail "could not read the TA's parameter"
wait "$run_pid"; run_pid=
grep -q "invoke 0x00000000 value 43" "$work/probe.out" || fail "the call did not complete after detach"
echo "gdb recipe: OK"
