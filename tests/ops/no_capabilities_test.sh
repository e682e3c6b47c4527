#!/usr/bin/env bash
# The stack as the shipped units run it: root with an empty capability
# bounding set (CapabilityBoundingSet=, packaging/systemd). setpriv does what
# systemd does for that setting, so every process of the stack (swteed,
# swtee-os, the zygote, the TA processes, the supplicant) starts with no
# capability, and the stack must still do all its work: open sessions, keep
# and read back persistent objects through the supplicant, start TAs from
# spares. The test checks each process's capability sets from
# /proc/PID/status while the stack runs, so a stack that kept a capability
# (setpriv left out, a process that gains one) fails it.
# Args: build_dir. Needs root (77, a counted skip, otherwise): only root can
# empty its own bounding set and show that root's files and sockets still
# serve without one.
set -euo pipefail
build=$1
fail() { echo "FAIL: $*"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root to drop its bounding set"; exit 77; }
command -v setpriv >/dev/null || fail "setpriv missing (util-linux)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -m 700 "$work/state"

# Run inside the stack: every descendant of `swtee run` (this shell's parent)
# but this shell's own line holds no capability in any set.
cat >"$work/inside.sh" <<'EOF'
set -euo pipefail
build=$1
fail() { echo "FAIL: $*"; exit 1; }
"$build/bin/optee_example_secure_storage" >/dev/null || fail "secure storage example"
"$build/bin/optee_example_hello_world" >/dev/null || fail "hello world example"
"$build/bin/optee_example_aes" >/dev/null || fail "aes example"
descendants() {  # pids below $1, depth first
  local c
  for c in $(ps -o pid= --ppid "$1"); do echo "$c"; descendants "$c"; done
}
seen=0 names=""
for pid in $(descendants "$PPID"); do
  # One read: a process may end meanwhile (a ps of this loop, a TA process
  # being killed after its last close), and then it is skipped whole.
  st=$(cat "/proc/$pid/status" 2>/dev/null) || continue
  name=$(awk '/^Name:/ {print $2}' <<<"$st")
  [ -n "$name" ] || continue
  case "$name" in ps|awk|bash|sh|grep|cat) continue ;; esac
  for set in CapInh CapPrm CapEff CapBnd CapAmb; do
    v=$(awk -v k="$set:" '$1 == k {print $2}' <<<"$st")
    [ "$v" = 0000000000000000 ] || fail "$name ($pid) holds $set '$v'"
  done
  seen=$((seen + 1)) names="$names $name"
done
# swteed, swtee-os, the zygote, the supplicant and at least one TA process
# (the spares the examples' opens left).
for want in swteed swtee-os swtee-supplican; do
  grep -qw -- "$want" <<<"$names" || fail "no $want among the stack's processes:$names"
done
[ "$seen" -ge 5 ] || fail "only $seen processes checked:$names"
echo "checked $seen processes:$names"
EOF

setpriv --bounding-set=-all --inh-caps=-all --ambient-caps=-all -- \
  "$build/bin/swtee" run --state "$work/state" --ta-dir "$build/ta" -- bash "$work/inside.sh" "$build" \
  >"$work/out.log" 2>&1 || { cat "$work/out.log"; fail "the stack without capabilities"; }
grep "^checked" "$work/out.log"
echo "no capabilities: OK"
