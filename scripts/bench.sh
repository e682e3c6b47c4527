#!/usr/bin/env bash
# make bench: runs swtee-bench inside a private swtee stack and leaves the
# figures in <build>/bench/results.json.
set -euo pipefail
build=${1:-build}
mkdir -p "$build/bench"
echo "machine: $(nproc) vCPU, $(uname -r)"
# On a terminal: which step of the run this is (each benchmark also shows a
# progress line while it measures); nothing extra into a pipe or a file.
areas=()
for area in crypto storage pkcs11; do
  if [ -x "$build/bin/swtee-bench-$area" ]; then areas+=("$area"); fi
done
steps=$((1 + ${#areas[@]})) step=0
announce() { step=$((step + 1)); if [ -t 1 ]; then echo "[$step/$steps] $1"; fi; }
announce "call path (swtee-bench)"
"$build/bin/swtee" run --ta-dir "$build/ta" -- "$build/bin/swtee-bench" --out "$build/bench/results.json"
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
