#!/usr/bin/env bash
# The integration suite through a guest (docs/remote.md): a host stack
# (`swtee run --config host.toml`, its swteed accepting this uid as guest 1
# on a Unix socket) runs a guest stack (`swtee run --remote unix:...`:
# swteed with the remote driver, no supplicant), which runs swtee-xtest.
# Usage: guest_suite.sh SWTEE XTEST GTEST_FILTER [host `swtee run` options...]
set -euo pipefail
swtee=$1 xtest=$2 filter=$3
shift 3
dir=$(mktemp -d /tmp/swtee-guest-suite-XXXXXX)
trap 'rm -rf "$dir"' EXIT
chmod 700 "$dir"
cat > "$dir/host.toml" <<TOML
[guests]
listen = ["unix:$dir/guests.sock"]

[[guests.guest]]
id = 1
name = "suite"
unix_uid = $(id -u)
TOML
exec "$swtee" run --config "$dir/host.toml" "$@" -- \
  "$swtee" run --remote "unix:$dir/guests.sock" -- \
  "$xtest" --gtest_filter="$filter" --gtest_brief=1
