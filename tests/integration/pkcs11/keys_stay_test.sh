#!/usr/bin/env bash
# xtest 4540: keys never leave. A durable state dir; one client imports key
# material of known value; a second client uses it and searches the state
# dir, the stack's runtime dir (daemon, supplicant) and its own memory.
# Usage: keys_stay_test.sh <swtee> <swtee-pkcs11-xtest> <module> <ta dir>
set -euo pipefail
swtee=$1 xtest=$2 mod=$3 tadir=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -m 700 "$work/state"
"$swtee" run --state "$work/state" --ta-dir "$tadir" -- \
  "$xtest" --import-known-keys "$mod" "$work/control" "$work/pub"
"$swtee" run --state "$work/state" --ta-dir "$tadir" -- \
  sh -c 'exec "$0" --keys-stay "$1" "$2" "$3" "$4" "$SWTEE_RUNTIME_DIR"' \
  "$xtest" "$mod" "$work/control" "$work/pub" "$work/state"
echo PASS
