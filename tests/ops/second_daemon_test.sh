#!/usr/bin/env bash
# A second swteed on the same runtime directory refuses to start, names the
# first one, and leaves its sockets alone: clients of the first still work
# after the second has come and gone. Also the clear-failure checks of the
# command line: --version, an unknown flag named, a missing/empty --ta-dir.
set -euo pipefail
bin=$1 ta=$2 client=$3
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
rt=$work/rt

"$bin/swteed" --runtime-dir "$rt" 2>"$work/first.log" &
pids+=($!)
for _ in $(seq 1 200); do [ -S "$rt/tee0" ] && [ -S "$rt/swteed.ctl" ] && break; sleep 0.05; done
[ -S "$rt/tee0" ] || { cat "$work/first.log"; fail "first swteed did not start"; }
ino_before=$(stat -c %i "$rt/tee0")

if "$bin/swteed" --runtime-dir "$rt" 2>"$work/second.log"; then fail "second swteed started"; fi
grep -q "another swteed (pid ${pids[0]}) is already serving $rt" "$work/second.log" ||
  { cat "$work/second.log"; fail "second swteed did not say why"; }
[ -S "$rt/tee0" ] && [ -S "$rt/teepriv0" ] || fail "second swteed removed the first one's sockets"
[ "$(stat -c %i "$rt/tee0")" = "$ino_before" ] || fail "second swteed replaced tee0"

# The same through `swtee daemon`.
if "$bin/swtee" daemon --runtime-dir "$rt" --ta-dir "$ta" --state "$work/state" 2>"$work/daemon.log"; then
  fail "swtee daemon started on a served runtime dir"
fi
grep -q "already serving" "$work/daemon.log" || { cat "$work/daemon.log"; fail "swtee daemon did not say why"; }

# The first daemon still serves: a client opens a context and reads the version.
SWTEE_RUNTIME_DIR=$rt "$client" >/dev/null || fail "the first swteed no longer serves its clients"
kill "${pids[0]}"; wait "${pids[0]}" || true; pids=()
[ ! -e "$rt/tee0" ] || fail "tee0 left behind by a clean shutdown"

# A stale lock file (its holder gone) does not block a new daemon.
"$bin/swteed" --runtime-dir "$rt" 2>"$work/third.log" &
pids+=($!)
for _ in $(seq 1 200); do [ -S "$rt/tee0" ] && break; sleep 0.05; done
[ -S "$rt/tee0" ] || { cat "$work/third.log"; fail "swteed did not start after a clean stop"; }
kill "${pids[0]}"; wait "${pids[0]}" || true; pids=()

# Socket groups are configurable (OP-TEE's udev rules: tee0 teeclnt,
# teepriv0 tee, mode 0660): by flag and by swteed.toml. Root may pick any
# group; anyone else only a group of their own, so this runs for both.
if [ "$(id -u)" = 0 ]; then g1=nogroup g2=daemon; else g1=$(id -gn) g2=$(id -gn); fi
"$bin/swteed" --runtime-dir "$rt" --tee-group "$g1" --teepriv-group "$g2" 2>"$work/groups.log" &
pids+=($!)
for _ in $(seq 1 200); do [ -S "$rt/swteed.ctl" ] && break; sleep 0.05; done  # after the access is set
[ "$(stat -c '%G %a' "$rt/tee0")" = "$g1 660" ] || { stat "$rt/tee0"; cat "$work/groups.log"; fail "tee0 group/mode"; }
[ "$(stat -c '%G %a' "$rt/teepriv0")" = "$g2 660" ] || { stat "$rt/teepriv0"; fail "teepriv0 group/mode"; }
kill "${pids[0]}"; wait "${pids[0]}" || true; pids=()
printf '[devices.tee0]\ngroup = "%s"\n' "$g2" >"$work/groups.toml"
"$bin/swteed" --runtime-dir "$rt" --config "$work/groups.toml" 2>"$work/groups.log" &
pids+=($!)
for _ in $(seq 1 200); do [ -S "$rt/swteed.ctl" ] && break; sleep 0.05; done  # after the access is set
[ "$(stat -c '%G %a' "$rt/tee0")" = "$g2 660" ] || { stat "$rt/tee0"; cat "$work/groups.log"; fail "tee0 group from the config"; }
kill "${pids[0]}"; wait "${pids[0]}" || true; pids=()

# --version on every binary; unknown flags named.
for b in swtee swteed swtee-supplicant swtee-os swtee-ta-host; do
  "$bin/$b" --version | grep -q "^$b [0-9]" || fail "$b --version"
done
for b in swtee swteed swtee-supplicant swtee-ta-host; do
  if "$bin/$b" --no-such-flag >"$work/flag.log" 2>&1; then fail "$b accepted --no-such-flag"; fi
  grep -q -- "--no-such-flag" "$work/flag.log" || { cat "$work/flag.log"; fail "$b did not name the flag"; }
done
# swtee-os (never run by hand) checks its required options first.
if "$bin/swtee-os" --channels 1 --threads 1 --no-such-flag >"$work/flag.log" 2>&1; then fail "swtee-os accepted it"; fi
grep -q -- "--no-such-flag" "$work/flag.log" || { cat "$work/flag.log"; fail "swtee-os did not name the flag"; }
# A missing or empty --ta-dir is an error naming it, before anything starts.
if "$bin/swtee" run --ta-dir "$work/nonexistent" -- true 2>"$work/tadir.log"; then fail "missing --ta-dir accepted"; fi
grep -q "TA directory $work/nonexistent: No such file or directory" "$work/tadir.log" ||
  { cat "$work/tadir.log"; fail "missing --ta-dir not named"; }
if "$bin/swtee" run --ta-dir "" -- true 2>"$work/tadir.log"; then fail "empty --ta-dir accepted"; fi
grep -q 'a TA directory needs a path' "$work/tadir.log" || { cat "$work/tadir.log"; fail "empty --ta-dir"; }
if "$bin/swtee-supplicant" --runtime-dir "$rt" --ta-dir "$work/nonexistent" 2>"$work/tadir.log"; then
  fail "supplicant accepted a missing --ta-dir"
fi
grep -q "TA directory $work/nonexistent" "$work/tadir.log" || { cat "$work/tadir.log"; fail "supplicant --ta-dir"; }
echo "second daemon and clear failures: OK"
