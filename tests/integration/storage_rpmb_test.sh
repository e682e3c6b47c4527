#!/bin/bash
# RPMB test (6000s): TEE_STORAGE_PRIVATE_RPMB is a real store of its own on
# the emulated RPMB device (OPTEE_RPC_CMD_RPMB frames to the supplicant's
# rpmb.emu): an object written there survives a restart of the whole
# stack, is not in the REE FS tree and not visible as TEE_STORAGE_PRIVATE,
# and the same id in both stores names two objects. A changed byte of the
# device image is never read back as data.
# Usage: storage_rpmb_test.sh SWTEE STORAGE_PROBE TA_DIR
set -uo pipefail
swtee=$1 probe=$2 tadir=$3
. "$(dirname "$0")/storage_test_lib.sh"
run() { "$swtee" run --state "$state" --ta-dir "$tadir" -- "$probe" "$@" 2>>"$work/err"; }
rpmb() { STORAGE_PROBE_RPMB=1 run "$@"; }

expect "RPMB object created" ok "$(rpmb put key 7 900 >/dev/null && echo ok)"
expect "read back after a restart" ok "$(rpmb get key 7 900)"
expect "not in TEE_STORAGE_PRIVATE" missing "$(run get key 7 900)"
run put key 8 300 >/dev/null
expect "same id in the REE store is another object" ok "$(run get key 8 300)"
expect "the RPMB one is unchanged" ok "$(rpmb get key 7 900)"
rpmb put key 9 1200 >/dev/null
expect "overwritten on RPMB" ok "$(rpmb get key 9 1200)"
checks=$((checks + 1))
if grep -rqa "key" "$state/sst.v2" 2>/dev/null; then echo "FAIL: object id visible in the REE tree"; fails=$((fails + 1)); fi
expect "device image exists" yes "$([ -s "$state/rpmb.emu" ] && echo yes || echo no)"
# Damage the device image's data blocks: what comes back is never other data.
cp "$state/rpmb.emu" "$work/rpmb.orig"
size=$(stat -c %s "$state/rpmb.emu")
for off in $(seq 38000 997 $((size - 1))); do
  printf '\x5a' | dd of="$state/rpmb.emu" bs=1 seek="$off" conv=notrunc status=none
done
got=$(rpmb get key 9 1200)
checks=$((checks + 1))
case "$got" in ok|corrupt|missing) echo "ok: damaged device image reads $got (never other data)" ;;
  *) echo "FAIL: damaged device image: $got"; fails=$((fails + 1)) ;; esac
cp "$work/rpmb.orig" "$state/rpmb.emu"
expect "restored image reads back" ok "$(rpmb get key 9 1200)"
echo "rpmb checks: $checks, failed: $fails"
[ "$fails" -eq 0 ]
