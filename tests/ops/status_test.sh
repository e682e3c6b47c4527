#!/usr/bin/env bash
# swtee status on a live stack (run inside `swtee run`): counters of calls,
# errors and panics, and a call in flight with its client pid and age, in
# text and in JSON.
set -euo pipefail
swtee=$1 client=$2
uuid=d1e6a5a0-0c3b-4f7e-9a51-3c2b1a000003
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
echo "status: OK"
