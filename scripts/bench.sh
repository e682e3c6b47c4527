#!/usr/bin/env bash
# make bench: runs swtee-bench inside a private swtee stack and leaves the
# figures in <build>/bench/results.json (each area's in results-AREA.json).
#   scripts/bench.sh [BUILD [PART...]]   PART: call-path crypto storage pkcs11 remote
# (default: every part whose benchmark is built).
set -euo pipefail
build=${1:-build}
parts=("${@:2}")
wanted() { [ ${#parts[@]} -eq 0 ] || [[ " ${parts[*]} " == *" $1 "* ]]; }
mkdir -p "$build/bench"
echo "machine: $(nproc) vCPU, $(uname -r)"
# On a terminal: which step of the run this is (each benchmark also shows a
# progress line while it measures); nothing extra into a pipe or a file.
areas=()
for area in crypto storage pkcs11; do
  if [ -x "$build/bin/swtee-bench-$area" ] && wanted "$area"; then areas+=("$area"); fi
done
call_path=0 remote=0
if wanted call-path; then call_path=1; fi
if [ -x "$build/bin/swtee-bench-remote" ] && wanted remote; then remote=1; fi
steps=$((call_path + ${#areas[@]} + remote)) step=0
announce() { step=$((step + 1)); if [ -t 1 ]; then echo "[$step/$steps] $1"; fi; }
if [ "$call_path" = 1 ]; then
  announce "call path (swtee-bench)"
  "$build/bin/swtee" run --ta-dir "$build/ta" -- "$build/bin/swtee-bench" --out "$build/bench/results.json"
fi
# Area benchmarks (bench/<area>/), each in a fresh stack.
for area in "${areas[@]}"; do
  exe="$build/bin/swtee-bench-$area"
  echo
  announce "$area (swtee-bench-$area)"
  if [ "$area" = storage ]; then
    # Durable storage: a real state directory (no --fast-storage), fresh each run.
    state="$build/bench/storage-state"
    rm -rf "$state"
    "$build/bin/swtee" run --state "$state" --ta-dir "$build/ta" -- "$exe" --dir "$state" \
      --out "$build/bench/results-$area.json"
    rm -rf "$state"
    continue
  fi
  "$build/bin/swtee" run --ta-dir "$build/ta" -- "$exe" --out "$build/bench/results-$area.json"
done

# Guests (docs/remote.md, "Bench"): a host stack that accepts this uid over a
# Unix socket and a key over loopback TCP, a guest stack per transport inside
# it, and swtee-bench-remote calling through all three. `capture` names a
# stack's runtime directory for the bench before the next stack hides it.
if [ "$remote" = 1 ]; then
  echo
  announce "guests (swtee-bench-remote)"
  dir=$(mktemp -d /tmp/swtee-bench-remote-XXXXXX)
  trap 'rm -rf "$dir"' EXIT
  chmod 700 "$dir"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' \
    2>/dev/null || true)
  (umask 077 && head -c 32 /dev/urandom | base64 > "$dir/guest.key")
  listen="\"unix:$dir/guests.sock\""
  if [ -n "$port" ]; then listen="$listen, \"tcp:127.0.0.1:$port\""; fi
  cat > "$dir/host.toml" <<TOML
[guests]
listen = [$listen]

[[guests.guest]]
id = 1
name = "bench-unix"
unix_uid = $(id -u)

[[guests.guest]]
id = 2
name = "bench-tcp"
key_file = "$dir/guest.key"
TOML
  cat > "$dir/guest-tcp.toml" <<TOML
[drivers.remote]
address = "tcp:127.0.0.1:$port"
key_file = "$dir/guest.key"
TOML
  swtee=$(realpath "$build/bin/swtee")
  # shellcheck disable=SC2016  # expanded by the shells it runs in
  capture='export "$0=$SWTEE_RUNTIME_DIR"; exec "$@"'
  # The last shell adds the TCP guest when there is one.
  # shellcheck disable=SC2016
  bench=(sh -c 'exe=$0; if [ -n "${BENCH_TCP:-}" ]; then set -- --stack guest-tcp="$BENCH_TCP" "$@"; fi
    exec "$exe" --stack local="$BENCH_LOCAL" --stack guest-unix="$BENCH_UNIX" "$@"'
    "$(realpath "$build/bin/swtee-bench-remote")")
  unset BENCH_LOCAL BENCH_UNIX BENCH_TCP
  tcp=()
  if [ -n "$port" ]; then
    tcp=("$swtee" run --config "$dir/guest-tcp.toml" --ta-dir "$build/ta" -- sh -c "$capture" BENCH_TCP)
  else
    echo "(no free loopback TCP port found: the unix guest only)"
  fi
  "$swtee" run --config "$dir/host.toml" --ta-dir "$build/ta" -- sh -c "$capture" BENCH_LOCAL \
    "$swtee" run --remote "unix:$dir/guests.sock" -- sh -c "$capture" BENCH_UNIX \
    "${tcp[@]}" "${bench[@]}" --out "$build/bench/results-remote.json"
fi
