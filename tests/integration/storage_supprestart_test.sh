#!/bin/bash
# Supplicant restart in place (6000s, issue 12 item 4). Under `swtee run`
# with a durable state dir:
#  1. the probe churns trusted storage (rewrites, renames, replaces, creates
#     and deletes) on one thread while it kill -9s the supplicant three
#     times: every call cut by a death fails cleanly (STORAGE_NOT_AVAILABLE
#     or COMMUNICATION, never OUT_OF_MEMORY), calls succeed again after each
#     restart, and every object ends whole (old or new content) under
#     exactly one name; `swtee run` exits 0 (the stack recovered);
#  2. a fresh stack reads the same objects back whole (nothing the running
#     stack cached hid a broken disk state);
#  3. calls the supplicant is serving are cut, deterministically: the probe
#     stops the supplicant, starts an atomic replace and a new session (both
#     need it), kill -9s it; both fail STORAGE_NOT_AVAILABLE or
#     COMMUNICATION, the restarted supplicant serves both again and the
#     object is old or new, whole (three rounds; a fresh stack reads the
#     final content);
#  4. a crash loop (the supplicant killed six times, each time it is back)
#     ends the stack: `swtee run` exits non-zero although the command
#     succeeded (docs/architecture.md, "Supervision"), and no restart came
#     sooner than its back-off (100, 200, 400, 800 ms).
# Usage: storage_supprestart_test.sh SWTEE STORAGE_PROBE TA_DIR
set -uo pipefail
swtee=$1 probe=$2 tadir=$3
state=$(mktemp -d "${TMPDIR:-/tmp}/swtee-supprestart-XXXXXX")
trap 'rm -rf "$state" "$state.toml"' EXIT
chmod 700 "$state"
fail=0

"$swtee" run --state "$state" --ta-dir "$tadir" -- "$probe" setup || { echo "setup failed"; exit 1; }

out=$("$swtee" run --state "$state" --ta-dir "$tadir" -- "$probe" supp-restart 3 2>&1)
rc=$?
echo "$out" | grep -E '^(supp-restart|verify)'
if [ $rc -ne 0 ]; then
  echo "FAIL: churn across supplicant restarts (exit $rc)"
  echo "$out" | tail -20
  fail=1
fi

if ! out=$("$swtee" run --state "$state" --ta-dir "$tadir" -- "$probe" verify 2>&1); then
  echo "FAIL: a fresh stack finds broken objects: $out"
  fail=1
fi

# The new session must need the supplicant (LOAD_TA): with the default
# revalidation interval a TA verified less than 1 s ago opens without it
# (docs/architecture.md, "Cold starts"), so this stack asks the store at
# every load (drivers.optee.ta_image_trust_ms = 0).
conf="$state.toml"
printf '[drivers.optee]\nta_image_trust_ms = 0\n' > "$conf"
out=$("$swtee" run --config "$conf" --state "$state" --ta-dir "$tadir" -- "$probe" supp-cut 3 2>&1)
rc=$?
echo "$out" | grep -E '^supp-cut'
if [ $rc -ne 0 ]; then
  echo "FAIL: calls cut by the supplicant's death (exit $rc)"
  echo "$out" | tail -20
  fail=1
elif ! out=$("$swtee" run --state "$state" --ta-dir "$tadir" -- "$probe" get cut 999 2500 2>&1); then
  echo "FAIL: a fresh stack does not read the final content of the cut object: $out"
  fail=1
fi

out=$("$swtee" run --state "$state" --ta-dir "$tadir" -- "$probe" supp-kill-loop 6 2>&1)
rc=$?
echo "$out" | grep -E '^supp-kill-loop'
if echo "$out" | grep -q "before their back-off"; then
  echo "FAIL: the supplicant was restarted sooner than its back-off"
  fail=1
fi
if [ $rc -eq 0 ]; then
  echo "FAIL: swtee run exited 0 after a supplicant crash loop"
  echo "$out" | tail -10
  fail=1
elif ! echo "$out" | grep -q "keeps dying\|not restarting it again"; then
  echo "FAIL: swtee run exited $rc after the crash loop without saying why"
  echo "$out" | tail -10
  fail=1
else
  echo "crash loop: swtee run exited $rc"
fi
[ $fail -eq 0 ] && echo "supplicant restart: ok"
exit $fail
