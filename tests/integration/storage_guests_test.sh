#!/bin/bash
# Storage tools and guests (6000s): a guest's trusted storage lives in the
# host's state dir (guests/N/, its own keys and RPMB device, all derived from
# the one HUK), so the fail-closed start check and every `swtee storage`
# command must cover it: ls lists it, reset-anchor re-anchors it, wipe and
# rekey remove it (a rekey would leave it unreadable for good).
# Usage: storage_guests_test.sh SWTEE STORAGE_PROBE TA_DIR
set -uo pipefail
swtee=$1 probe=$2 tadir=$3
. "$(dirname "$0")/storage_test_lib.sh"
cat >"$work/host.toml" <<TOML
[guests]
listen = ["unix:$work/guests.sock"]

[[guests.guest]]
id = 7
name = "storage"
unix_uid = $(id -u)
TOML
# The probe as a client of guest 7: a host stack (swtee run --config) runs a
# guest stack (swtee run --remote) that runs the probe.
guest() {
  "$swtee" run --config "$work/host.toml" --state "$state" --ta-dir "$tadir" -- \
    "$swtee" run --remote "unix:$work/guests.sock" -- "$probe" "$@" 2>"$work/err"
}
tool() { "$swtee" storage "$@" --state "$state" >"$work/out" 2>&1 || echo "tool failed: $(cat "$work/out")"; }

# Several commits, so the guest's directory is further ahead of a lost
# anchor than one crash can leave it (os/storage/README.md, "Rollback anchor").
for i in 3 2 1; do
  guest put gobj "$i" 4000 >/dev/null || { echo "put through the guest failed: $(cat "$work/err")"; exit 1; }
done
expect "the guest's object reads back" ok "$(guest get gobj 1 4000)"
expect "the guest's tree is in the state dir" yes "$( [ -d "$state/guests/7/sst.v2" ] && echo yes || echo no)"
expect "the host has no object of its own" no "$( [ -n "$(ls -A "$state/sst.v2" 2>/dev/null)" ] && echo yes || echo no)"

# ls lists the guest's tree.
tool ls
expect "ls names guest 7" 1 "$(grep -c '^guest 7 ' "$work/out")"

# A deleted guest anchor refuses the guest's store; reset-anchor, which
# must reach the guest's own device under the guest's keys, restores it.
rm "$state/guests/7/rpmb.emu"
expect "deleted guest anchor refuses the store" corrupt "$(guest get gobj 1 4000)"
tool reset-anchor
expect "reset-anchor covered the guest" 1 "$(grep -c '^guest 7: ' "$work/out")"
expect "after reset-anchor" ok "$(guest get gobj 1 4000)"

# Only a guest holds objects: a missing HUK still refuses the stack (the
# key is never silently regenerated under a guest's objects).
cp -a "$state/huk" "$work/huk.orig"
rm "$state/huk"
expect_refused "missing HUK with a guest's objects" guest get gobj 1 4000
expect "missing HUK not regenerated" absent "$( [ -e "$state/huk" ] && echo present || echo absent)"

# rekey removes the guest's tree with the host's.
tool rekey
expect "rekey removed the guests' trees" absent "$( [ -e "$state/guests" ] && echo present || echo absent)"
expect "after rekey the guest's object is gone" missing "$(guest get gobj 1 4000)"
guest put gobj 2 4000 >/dev/null
expect "the guest's store works after rekey" ok "$(guest get gobj 2 4000)"

# wipe (the key kept) removes it too.
tool wipe
expect "wipe removed the guests' trees" absent "$( [ -e "$state/guests" ] && echo present || echo absent)"
expect "after wipe the guest's object is gone" missing "$(guest get gobj 2 4000)"

echo "guest storage checks: $checks, failed: $fails"
[ "$fails" -eq 0 ]
