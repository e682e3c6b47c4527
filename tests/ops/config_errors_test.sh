#!/usr/bin/env bash
# swteed refuses a bad configuration file with the file, the line and what
# was expected, and starts with a good one, command-line flags overriding it.
set -euo pipefail
bin=$1
work=$(mktemp -d)
pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

expect_refused() {  # <name> <toml text> <expected message regex>
  printf '%s\n' "$2" >"$work/$1.toml"
  if "$bin/swteed" --config "$work/$1.toml" --runtime-dir "$work/rt-$1" 2>"$work/$1.log"; then
    fail "$1: swteed accepted it"
  fi
  grep -Eq -- "$3" "$work/$1.log" || { cat "$work/$1.log"; fail "$1: message does not match /$3/"; }
  [ ! -e "$work/rt-$1/tee0" ] || fail "$1: sockets created despite the error"
}
expect_refused unknown_key $'[drivers.optee]\nthreads = 2\nthredas = 3' \
  "$work/unknown_key.toml:3:[0-9]+: unknown key drivers.optee.thredas \\(expected one of: .*drivers.optee.threads"
expect_refused bad_type $'[drivers.optee]\nthreads = "two"' \
  "$work/bad_type.toml:2:[0-9]+: drivers.optee.threads: expected an integer 1..64"
expect_refused out_of_range $'\n\n[limits]\nmax_inflight_per_context = 0' \
  "$work/out_of_range.toml:4:[0-9]+: limits.max_inflight_per_context: expected an integer 1..4096"
expect_refused bad_mode $'[devices.tee0]\nmode = "0666"' \
  "$work/bad_mode.toml:2:[0-9]+: devices.tee0.mode: expected an octal mode string within \"0660\""
expect_refused bad_log $'[log]\nlevel = "verbose"' "$work/bad_log.toml:2:[0-9]+: log.level: expected a log spec"
expect_refused unknown_table $'[driver.optee]\nthreads = 2' "$work/unknown_table.toml:1:[0-9]+: unknown key driver"
expect_refused syntax $'[paths]\nruntime_dir = "/run/x' "$work/syntax.toml:2:[0-9]+: "
if "$bin/swteed" --config "$work/none.toml" 2>"$work/none.log"; then fail "missing config accepted"; fi
grep -q "$work/none.toml: cannot open" "$work/none.log" || { cat "$work/none.log"; fail "missing file not named"; }

# A good file: its runtime_dir is used unless --runtime-dir overrides it.
cat >"$work/good.toml" <<TOML
[paths]
runtime_dir = "$work/from-file"
[drivers.optee]
threads = 2
[log]
level = "info"
TOML
"$bin/swteed" --config "$work/good.toml" 2>"$work/good.log" &
pid=$!
for _ in $(seq 1 200); do [ -S "$work/from-file/tee0" ] && break; sleep 0.05; done
[ -S "$work/from-file/tee0" ] || { cat "$work/good.log"; fail "runtime_dir from the file not used"; }
grep -q "serving $work/from-file/tee0" "$work/good.log" || { cat "$work/good.log"; fail "log.level = info not applied"; }
kill "$pid"; wait "$pid" || true; pid=
"$bin/swteed" --config "$work/good.toml" --runtime-dir "$work/from-flag" 2>"$work/good2.log" &
pid=$!
for _ in $(seq 1 200); do [ -S "$work/from-flag/tee0" ] && break; sleep 0.05; done
[ -S "$work/from-flag/tee0" ] || { cat "$work/good2.log"; fail "--runtime-dir did not override the file"; }
echo "config errors: OK"
