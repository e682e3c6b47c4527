#!/bin/bash
# Fail-closed test (6000s): a state dir whose HUK is missing or replaced, or
# whose rollback anchor (rpmb.emu) is deleted or truncated, is refused with
# a clear error, never silently served as empty; the explicit `swtee storage`
# commands (wipe, rekey, reset-anchor) are the way out. A format-1 state
# dir with objects is refused the same way.
# Usage: storage_failclosed_test.sh SWTEE STORAGE_PROBE TA_DIR
set -uo pipefail
swtee=$1 probe=$2 tadir=$3
. "$(dirname "$0")/storage_test_lib.sh"
run() { "$swtee" run --state "$state" --ta-dir "$tadir" -- "$probe" "$@" 2>"$work/err"; }
refused() { expect_refused "$1" run get obj 1 4000; }

for i in 1 2 3 4; do run put obj "$i" 4000 || { echo "put failed"; exit 1; }; done
run put obj 1 4000
expect "objects read back" ok "$(run get obj 1 4000)"
expect "huk.check recorded" 65 "$(wc -c <"$state/huk.check")"

# 1. The HUK is missing, then replaced: refused, the key is never regenerated.
cp -a "$state/huk" "$work/huk.orig"
rm "$state/huk"
refused "missing HUK"
expect "missing HUK not regenerated" absent "$( [ -e "$state/huk" ] && echo present || echo absent)"
head -c 32 /dev/urandom >"$state/huk" && chmod 600 "$state/huk"
refused "replaced HUK"
cp -a "$work/huk.orig" "$state/huk"
expect "original HUK restored" ok "$(run get obj 1 4000)"

# 2. The rollback anchor is deleted, then truncated: the store is refused
#    (CORRUPT_OBJECT for the TA), until the operator resets the anchor.
cp -a "$state/rpmb.emu" "$work/rpmb.orig"
rm "$state/rpmb.emu"
expect "deleted anchor refuses the store" corrupt "$(run get obj 1 4000)"
head -c 1000 /dev/zero >"$state/rpmb.emu"
expect "truncated anchor refuses the store" corrupt "$(run get obj 1 4000)"
"$swtee" storage reset-anchor --state "$state" >"$work/out" 2>&1 || { echo "reset-anchor failed: $(cat "$work/out")"; fails=$((fails + 1)); }
expect "after reset-anchor" ok "$(run get obj 1 4000)"

# 3. The explicit way out of a lost key: wipe (keeps the key) or rekey.
rm "$state/huk"
refused "missing HUK again"
"$swtee" storage rekey --state "$state" >"$work/out" 2>&1 || { echo "rekey failed: $(cat "$work/out")"; fails=$((fails + 1)); }
expect "after rekey the objects are gone" missing "$(run get obj 1 4000)"
run put obj 5 4000
expect "the store works after rekey" ok "$(run get obj 5 4000)"
head -c 32 /dev/urandom >"$state/huk" && chmod 600 "$state/huk"
refused "changed HUK after rekey"
"$swtee" storage wipe --state "$state" >"$work/out" 2>&1 || { echo "wipe failed: $(cat "$work/out")"; fails=$((fails + 1)); }
expect "after wipe the objects are gone" missing "$(run get obj 5 4000)"

# 4. A format-1 state dir with objects: refused with what to do; wipe upgrades it.
old=$work/old && mkdir -m 700 "$old" && mkdir -p "$old/sst.v1/00" && echo 1 >"$old/VERSION"
state=$old
refused "format-1 state dir"
"$swtee" storage wipe --state "$old" >"$work/out" 2>&1 || { echo "wipe of format 1 failed: $(cat "$work/out")"; fails=$((fails + 1)); }
expect "format-1 dir upgraded" 2 "$(cat "$old/VERSION")"
run put obj 6 4000
expect "upgraded dir works" ok "$(run get obj 6 4000)"

echo "fail-closed checks: $checks, failed: $fails"
[ "$fails" -eq 0 ]
