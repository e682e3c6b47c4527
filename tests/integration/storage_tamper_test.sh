#!/bin/bash
# Tamper test (6000s): flips bytes of stored object files (each byte of a
# small object's file, a sample of a 40 KB one's) under a running stack and
# expects CORRUPT_OBJECT for every flip; also swaps two objects' files.
# Usage: storage_tamper_test.sh SWTEE STORAGE_PROBE TA_DIR
set -euo pipefail
swtee=$1 probe=$2 tadir=$3
state=$(mktemp -d "${TMPDIR:-/tmp}/swtee-tamper-XXXXXX")
trap 'rm -rf "$state"' EXIT
chmod 700 "$state"
"$swtee" run --state "$state" --fast-storage --storage-verify-always --ta-dir "$tadir" -- "$probe" tamper "$state"
