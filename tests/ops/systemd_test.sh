#!/usr/bin/env bash
# The system service: the installed units pass `systemd-analyze verify`, and
# swteed started the way systemd starts it (sockets passed with LISTEN_FDS by
# systemd-socket-activate, a notify socket in NOTIFY_SOCKET) serves the
# passed sockets, reports READY=1 through sd_notify, and on exit leaves the
# sockets (owned by the service manager) in place. Journal-style log lines
# (<N> priority prefixes) when stderr is the journal stream.
set -euo pipefail
build=$1 client=$2 here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v systemd-socket-activate >/dev/null || fail "systemd-socket-activate missing (packaging/debian-packages.txt: systemd)"

p=$work/prefix
cmake --install "$build" --prefix "$p" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "install"; }
units=$p/lib/systemd/system
# verify resolves User=/Group= only when the unit starts; it checks syntax,
# dependencies and that ExecStart= binaries exist.
SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no \
  "$units/swteed.service" "$units/swtee-supplicant.service" "$units/swtee-tee0.socket" "$units/swtee-teepriv0.socket" \
  >"$work/verify.log" 2>&1 || { cat "$work/verify.log"; fail "systemd-analyze verify"; }
if grep -v "swtee-supp\|group" "$work/verify.log" | grep -q .; then cat "$work/verify.log"; fail "systemd-analyze verify warned"; fi
grep -q '^SocketGroup=teeclnt$' "$units/swtee-tee0.socket" || fail "tee0 is not group teeclnt"
grep -q '^SocketGroup=tee$' "$units/swtee-teepriv0.socket" || fail "teepriv0 is not group tee"
grep -q '^User=swtee-supp$' "$units/swtee-supplicant.service" || fail "supplicant does not run as its own user"
# No capabilities for either service (ops_no_capabilities runs the stack so).
for u in swteed.service swtee-supplicant.service; do
  grep -q '^CapabilityBoundingSet=$' "$units/$u" || fail "$u keeps capabilities"
done

# Socket activation with the installed swteed (systemd-socket-activate
# passes on only the environment it is told to, as systemd does).
rt=$work/rt
mkdir -p "$rt"
python3 "$here/notify_listen.py" "$work/notify" 20 -- \
  systemd-socket-activate --seqpacket -l "$rt/tee0" -l "$rt/teepriv0" --fdname=tee0:teepriv0 \
  -E NOTIFY_SOCKET="$work/notify" \
  "$p/sbin/swteed" --runtime-dir "$rt" >"$work/notify.log" 2>"$work/swteed.log" &
listener=$!
pids+=($listener)
for _ in $(seq 1 200); do [ -S "$rt/tee0" ] && break; sleep 0.05; done
[ -S "$rt/tee0" ] || { cat "$work/notify.log" "$work/swteed.log"; fail "systemd-socket-activate did not listen"; }
# The first client starts swteed (as systemd does) and is served.
SWTEE_RUNTIME_DIR=$rt "$client" >"$work/client.log" 2>&1 || { cat "$work/client.log" "$work/swteed.log"; fail "client not served"; }
wait "$listener" || { cat "$work/notify.log" "$work/swteed.log"; fail "no READY=1 from swteed"; }
pids=()
grep -q '^notify READY=1$' "$work/notify.log" || fail "READY=1 missing"
grep -q "^notify STATUS=serving $rt" "$work/notify.log" || { cat "$work/notify.log"; fail "STATUS= missing"; }
swteed_pid=$(pgrep -f "^$p/sbin/swteed --runtime-dir $rt" || true)
[ -n "$swteed_pid" ] || fail "swteed not running after activation"
kill "$swteed_pid"
for _ in $(seq 1 100); do kill -0 "$swteed_pid" 2>/dev/null || break; sleep 0.05; done
[ -S "$rt/tee0" ] || fail "swteed removed a socket the service manager owns"

# Journal-friendly lines: stderr is the stream $JOURNAL_STREAM names.
jlog=$work/journal.log
: >"$jlog"
exec 9>>"$jlog"
js="$(stat -c %d "$jlog"):$(stat -c %i "$jlog")"
JOURNAL_STREAM=$js SWTEE_LOG=info "$p/sbin/swteed" --runtime-dir "$work/rt2" 2>&9 &
jpid=$!
pids+=($jpid)
for _ in $(seq 1 200); do grep -q "serving" "$jlog" && break; sleep 0.05; done
kill "$jpid"; wait "$jpid" || true; pids=()
exec 9>&-
grep -q '^<6>swteed: serving ' "$jlog" || { cat "$jlog"; fail "no <6> priority prefix under the journal"; }
echo "systemd: OK"
