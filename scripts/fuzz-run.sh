#!/usr/bin/env bash
# A long fuzzing run of one target, and the minimized corpus it leaves
# (docs/fuzzing.md): fuzzes RUNS executions starting from the committed
# corpus (and any extra seed directories), then merges what it found into a
# fresh minimized corpus in <build>/fuzz-work/<target>/min. Commit that
# directory as tests/fuzz/corpus/<target>/ when it grew. Single job, nice'd.
#   scripts/fuzz-run.sh BUILD TARGET RUNS [SEED_DIR...]
set -euo pipefail
cd "$(dirname "$0")/.."
build=$1 name=$2 runs=$3
shift 3
exe=$(awk -v n="$name" '$1 == n { print $2 }' "$build/fuzz_targets.txt")
[ -n "$exe" ] || { echo "fuzz-run: no target $name in $build/fuzz_targets.txt" >&2; exit 1; }
work="$build/fuzz-work/$name"
mkdir -p "$work/grow" "$work/artifacts"
seeds=()
[ -d "tests/fuzz/corpus/$name" ] && seeds+=("tests/fuzz/corpus/$name")
seeds+=("$@")
start=$(date +%s)
nice -n 15 "$exe" -runs="$runs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$work/grow" "${seeds[@]}" </dev/null >"$work/run.log" 2>&1 || {
  echo "fuzz-run: $name stopped with a finding; see $work/run.log and $work/artifacts/" >&2
  exit 1
}
end=$(date +%s)
rm -rf "$work/min" && mkdir -p "$work/min"
nice -n 15 "$exe" -merge=1 "$work/min" "$work/grow" "${seeds[@]}" >"$work/merge.log" 2>&1
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/run.log" | tail -1)
echo "fuzz-run: $name $execs execs in $((end - start)) s; minimized corpus: $(ls "$work/min" | wc -l) files, $(du -sk "$work/min" | cut -f1) KiB"
