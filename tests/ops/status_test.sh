#!/usr/bin/env bash
# swtee status on a live stack (run inside `swtee run`): counters of calls,
# errors and panics, a call in flight with its client pid and age, the TAs
# loaded with their instances, pids and sessions, and the OS's RPC and
# storage counters, in text and in JSON.
# Args: swtee debug_client [storage_probe (its TA in a --ta-dir)]
set -euo pipefail
swtee=$1 client=$2 probe=${3:-}
uuid=d1e6a5a0-0c3b-4f7e-9a51-3c2b1a000003
shared=d1e6a5a0-0c3b-4f7e-9a51-3c2b1a000004
fail() { echo "FAIL: $*"; exit 1; }
json() { "$swtee" status --json --runtime-dir "$SWTEE_RUNTIME_DIR"; }
field() {  # <python expression over s, the parsed status>
  json | python3 -c "import json,sys; s=json.load(sys.stdin); print($1)"
}

"$client" $uuid 0 3 | grep -q "value 6" || fail "sum"
if "$client" 11111111-2222-3333-4444-555555555555 0 0 >/dev/null; then fail "an unknown TA opened"; fi
out=$("$client" $uuid 2 0 || true)
grep -q "result 0xffff3024" <<<"$out" || fail "panic not TARGET_DEAD: $out"
[ "$(field "[d for d in s['devices'] if d['name']=='tee0'][0]['panics']")" = 1 ] || { json; fail "panics"; }
# open+invoke+close, a failed open, open+invoke(panic)+close: 7 calls, 2 errors.
[ "$(field "[d for d in s['devices'] if d['name']=='tee0'][0]['calls']")" = 7 ] || { json; fail "calls"; }
[ "$(field "[d for d in s['devices'] if d['name']=='tee0'][0]['errors']")" = 2 ] || { json; fail "errors"; }
[ "$(field "s['devices'][0]['driver']")" = optee ] || { json; fail "driver"; }

# A call in flight: the TA waits until its client goes (the core then
# cancels the call).
"$client" $uuid 3 600000 >/dev/null 2>&1 &
waiter=$!
for _ in $(seq 1 400); do [ "$(field "s['inflight_total']")" = 1 ] && break; sleep 0.05; done
[ "$(field "s['inflight_total']")" = 1 ] || { json; kill $waiter; fail "no call in flight"; }
[ "$(field "s['inflight'][0]['pid']")" = $waiter ] || { json; kill $waiter; fail "in-flight pid"; }
[ "$(field "s['inflight'][0]['op']+' '+str(s['inflight'][0]['cmd'])")" = "invoke 3" ] || { json; kill $waiter; fail "op"; }
[ "$(field "s['inflight'][0]['age_us'] > 0")" = True ] || { json; kill $waiter; fail "age"; }
"$swtee" status --runtime-dir "$SWTEE_RUNTIME_DIR" | grep -Eq "^  tee0 +pid $waiter +invoke +session [0-9]+ +cmd 0x3 +[0-9]+\.[0-9]{3} ms$" ||
  { "$swtee" status --runtime-dir "$SWTEE_RUNTIME_DIR"; kill $waiter; fail "text in-flight line"; }
kill $waiter; wait $waiter || true
for _ in $(seq 1 400); do [ "$(field "s['inflight_total']")" = 0 ] && break; sleep 0.05; done
[ "$(field "s['inflight_total']")" = 0 ] || { json; fail "the dead client's call stayed in flight"; }

# Sessions on two TAs: two on the instance-per-session TA (two processes),
# three on the shared single instance (one process).
"$client" hold $uuid 2 $shared 3 >"$SWTEE_RUNTIME_DIR/hold.out" &
holder=$!
for _ in $(seq 1 400); do grep -q ready "$SWTEE_RUNTIME_DIR/hold.out" && break; sleep 0.05; done
grep -q ready "$SWTEE_RUNTIME_DIR/hold.out" || { kill $holder; fail "holder: $(cat "$SWTEE_RUNTIME_DIR/hold.out")"; }
ta() { echo "[t for t in s['tas'] if t['uuid']=='$1'][0]"; }
[ "$(field "len($(ta $uuid)['instances'])")" = 2 ] || { json; kill $holder; fail "instances of $uuid"; }
[ "$(field "[i['sessions'] for i in $(ta $uuid)['instances']]")" = "[1, 1]" ] || { json; kill $holder; fail "sessions of $uuid"; }
[ "$(field "$(ta $uuid)['panics']")" = 1 ] || { json; kill $holder; fail "panics of $uuid"; }
[ "$(field "len($(ta $shared)['instances'])")" = 1 ] || { json; kill $holder; fail "instances of $shared"; }
[ "$(field "$(ta $shared)['instances'][0]['sessions']")" = 3 ] || { json; kill $holder; fail "sessions of $shared"; }
[ "$(field "$(ta $shared)['sessions']")" = 3 ] || { json; kill $holder; fail "session total of $shared"; }
[ "$(field "s['os']['ta_instances']")" = 3 ] || { json; kill $holder; fail "instances"; }
# The pids are the TA processes, named after their TA.
for pid in $(field "' '.join(str(i['pid']) for t in s['tas'] for i in t['instances'])"); do
  tr '\0' ' ' </proc/$pid/cmdline | grep -q "^swtee-ta d1e6a5a0-0c3b-4f7e-9a51-3c2b1a00000[34] " ||
    { json; kill $holder; fail "pid $pid is not a TA process"; }
done
[ "$(field "s['counters']['panics']")" = 1 ] || { json; kill $holder; fail "counters.panics"; }
[ "$(field "s['counters']['rpcs'] > 0")" = True ] || { json; kill $holder; fail "counters.rpcs"; }
text=$("$swtee" status --runtime-dir "$SWTEE_RUNTIME_DIR")
shared_pid=$(field "$(ta $shared)['instances'][0]['pid']")
grep -Eq "^TAs loaded: 2 \(3 instances\)$" <<<"$text" || { echo "$text"; kill $holder; fail "text: TAs loaded"; }
grep -Eq "^  $shared  instances 1  sessions 3  panics 0$" <<<"$text" || { echo "$text"; kill $holder; fail "text: TA line"; }
grep -Eq "^    pid $shared_pid +sessions 3$" <<<"$text" || { echo "$text"; kill $holder; fail "text: instance line"; }
grep -Eq "^counters: calls [0-9]+, errors [0-9]+, panics 1, RPCs [1-9][0-9]*, storage read [0-9]+ B, written [0-9]+ B$" <<<"$text" ||
  { echo "$text"; kill $holder; fail "text: counters"; }
# swtee-os's pools split per uid: swtee run's 4 secure threads leave 3 PTA
# waits; 25 % per uid. Nothing was refused.
[ "$(field "[(p['global'], p['per_uid'], p['used'], p['refused_share'], p['refused_full']) for p in (s['os_pools']['ta_instances'], s['os_pools']['pta_waits'])]")" = "[(64, 16, 3, 0, 0), (3, 1, 0, 0, 0)]" ] ||
  { json; kill $holder; fail "os_pools"; }
grep -Eq "^OS pool ta_instances +used 3 of 64 \(16 per uid\); refused: share used up 0, pool full 0$" <<<"$text" ||
  { echo "$text"; kill $holder; fail "text: OS pool line"; }
kill $holder; wait $holder || true
for _ in $(seq 1 400); do [ "$(field "len(s['tas'][0]['instances']) if s['tas'] else 0")" = 0 ] && break; sleep 0.05; done

# Storage bytes: one object written through the storage TA.
if [ -n "$probe" ]; then
  w0=$(field "s['counters']['storage_written_bytes']")
  "$probe" put 1 7 8192 >/dev/null || fail "storage put"
  w1=$(field "s['counters']['storage_written_bytes']")
  [ $((w1 - w0)) -ge 8192 ] || { json; fail "storage bytes written: $w0 -> $w1"; }
fi

# Who may ask: the control socket is for swteed's user (and root).
[ "$(stat -c %a "$SWTEE_RUNTIME_DIR/swteed.ctl")" = 600 ] || fail "control socket mode"
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
  out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$swtee" status --runtime-dir "$SWTEE_RUNTIME_DIR" 2>&1 || true)
  grep -q "not reachable" <<<"$out" || fail "another user read the status: $out"
fi
echo "status: OK"
