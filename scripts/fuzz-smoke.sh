#!/usr/bin/env bash
# make fuzz-smoke: runs every fuzz target the fuzz build made (the list is
# <build>/fuzz_targets.txt, written by cmake/swtee_fuzz.cmake: discovered,
# not listed here) for SECONDS each on its committed corpus
# (tests/fuzz/corpus/<target>/). New inputs go to a scratch directory, never
# into the repository. Any crash, leak, sanitizer report or timeout fails.
#   scripts/fuzz-smoke.sh [BUILD] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-fuzz}
secs=${2:-${SWTEE_FUZZ_SMOKE_SECONDS:-10}}
# A fixed seed: the CI smoke is a regression check (the corpus plus the same
# mutation sequence each run), not a lottery that reddens an unrelated commit.
# Discovery is the long runs' job (scripts/fuzz-run.sh); set SWTEE_FUZZ_SEED=0
# for a random seed.
seed=${SWTEE_FUZZ_SEED:-1}
list="$build/fuzz_targets.txt"
if [ ! -s "$list" ]; then
  echo "fuzz-smoke: no fuzz targets listed in $list (build the fuzz preset first)" >&2
  exit 1
fi
# One target per CPU at a time (SWTEE_FUZZ_SMOKE_JOBS; default nproc): each
# is a single process, so on the 2-vCPU CI machine two run side by side and
# each still gets a whole CPU for its SECONDS.
jobs=${SWTEE_FUZZ_SMOKE_JOBS:-$(nproc)}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/swtee-fuzz-smoke.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# run_one NAME EXE: fuzzes one target; its exit status is the verdict and its
# output stays in $scratch/NAME.log.
run_one() {
  local name=$1 exe=$2 corpus="tests/fuzz/corpus/$1"
  local dirs=("$scratch/$name")
  mkdir -p "$scratch/$name" "$scratch/artifacts-$name"
  if [ -d "$corpus" ]; then
    dirs+=("$corpus")
  else
    echo "fuzz-smoke: $name has no committed corpus ($corpus); starting empty" >&2
  fi
  "$exe" -seed="$seed" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$scratch/artifacts-$name/" "${dirs[@]}" </dev/null >"$scratch/$name.log" 2>&1
}

names=()
while read -r name exe; do
  names+=("$name")
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  (run_one "$name" "$exe" && touch "$scratch/$name.ok") &
done <"$list"
wait

# The verdicts, in the list's order.
failed=()
for name in "${names[@]}"; do
  log="$scratch/$name.log"
  if [ -e "$scratch/$name.ok" ]; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    echo "fuzz-smoke: $name ok (${execs:-?} execs in ${secs}s)"
  else
    echo "fuzz-smoke: $name FAILED; its log:" >&2
    tail -n 60 "$log" >&2
    for a in "$scratch/artifacts-$name"/*; do
      [ -e "$a" ] && echo "fuzz-smoke: reproducer (base64) $(basename "$a"): $(base64 -w0 "$a" | head -c 4096)" >&2
    done
    failed+=("$name")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz-smoke: ${#failed[@]} of ${#names[@]} targets failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz-smoke: all ${#names[@]} targets ran ${secs}s each without a finding"
