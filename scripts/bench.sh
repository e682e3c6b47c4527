#!/usr/bin/env bash
# make bench: runs swtee-bench inside a private swtee stack and leaves the
# figures in <build>/bench/results.json.
set -euo pipefail
build=${1:-build}
mkdir -p "$build/bench"
echo "machine: $(nproc) vCPU, $(uname -r)"
exec "$build/bin/swtee" run --ta-dir "$build/ta" -- "$build/bin/swtee-bench" --out "$build/bench/results.json"
