#!/usr/bin/env bash
# ctest xtest_guests: a host stack accepting this uid as guest 1 on a Unix
# socket, running swtee-xtest's Guest.* and TwoGuests.* cases
# (tests/integration/guests.cc; TwoGuests starts its own host stack).
# Usage: guest_tests.sh SWTEE XTEST TA_DIR
set -euo pipefail
swtee=$1 xtest=$2 ta=$3
dir=$(mktemp -d /tmp/swtee-guest-tests-XXXXXX)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/host.toml" <<TOML
[guests]
listen = ["unix:$dir/guests.sock"]

[[guests.guest]]
id = 1
unix_uid = $(id -u)
TOML
SWTEE_XTEST_GUEST_ADDR="unix:$dir/guests.sock" \
  "$swtee" run --config "$dir/host.toml" --ta-dir "$ta" -- "$xtest" --gtest_filter='Guest.*:TwoGuests.*' --gtest_brief=1
