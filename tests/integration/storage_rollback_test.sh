#!/bin/bash
# Rollback test (6000s): save a copy of the state directory, update an
# object, then restore the old copy of everything except the emulated RPMB
# partition. The store must refuse the older state (CORRUPT_OBJECT), and
# restoring the RPMB file too (whole-state restore) is, as documented, not
# detectable.
# Usage: storage_rollback_test.sh SWTEE STORAGE_PROBE TA_DIR
set -euo pipefail
swtee=$1 probe=$2 tadir=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/swtee-rollback-XXXXXX")
trap 'rm -rf "$work"' EXIT
state=$work/state old=$work/old
mkdir -m 700 "$state"
run() { "$swtee" run --state "$state" --ta-dir "$tadir" -- "$probe" "$@"; }

run put obj 1 4000
cp -a "$state" "$old"                     # an older, valid copy
run put obj 2 4000
run get obj 2 4000 >/dev/null

# Roll back everything but the RPMB partition.
find "$state" -mindepth 1 -maxdepth 1 ! -name 'rpmb.emu' -exec rm -rf {} +
(cd "$old" && find . -mindepth 1 -maxdepth 1 ! -name 'rpmb.emu' -exec cp -a {} "$state"/ \;)
out=$(run get obj 1 4000 || true)
echo "rollback of all but rpmb.emu: $out"
[ "$out" = corrupt ] || { echo "FAIL: rollback not detected"; exit 1; }

# The documented limit: with rpmb.emu rolled back too, the old state is accepted.
rm -rf "$state" && cp -a "$old" "$state"
out=$(run get obj 1 4000 || true)
echo "whole-state restore (rpmb.emu included): $out (accepted, as documented)"
[ "$out" = ok ] || { echo "FAIL: whole-state restore should read the old object"; exit 1; }
echo "PASS"
