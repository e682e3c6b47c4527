#!/bin/bash
# Crash test (6000s): TRIALS times, run the churn client (writes, in-place
# rewrites, renames, creates and deletes) and kill -9 swtee-os or the
# supplicant at a random moment; then, in a fresh stack, every object must
# be whole: its old or its new content under exactly one name.
# Usage: storage_crash_test.sh SWTEE STORAGE_PROBE TA_DIR [TRIALS]
set -uo pipefail
swtee=$1 probe=$2 tadir=$3 trials=${4:-200}
state=$(mktemp -d "${TMPDIR:-/tmp}/swtee-crash-XXXXXX")
trap 'rm -rf "$state"' EXIT
chmod 700 "$state"

child_pids() { ps -o pid= --ppid "$1" 2>/dev/null; }
comm_of() { cat "/proc/$1/comm" 2>/dev/null; }
# The pid named $2 among the descendants of $1 (two levels).
find_proc() {
  local p c
  for p in $(child_pids "$1"); do
    [ "$(comm_of "$p")" = "$2" ] && { echo "$p"; return; }
    for c in $(child_pids "$p"); do
      [ "$(comm_of "$c")" = "$2" ] && { echo "$c"; return; }
    done
  done
}

"$swtee" run --state "$state" --ta-dir "$tadir" -- "$probe" setup || { echo "setup failed"; exit 1; }
killed_os=0 killed_supp=0 missed=0 ok=0 bad=0 steps=0
for ((t = 1; t <= trials; t++)); do
  "$swtee" run --state "$state" --ta-dir "$tadir" -- "$probe" churn >/dev/null 2>&1 &
  runner=$!
  sleep "0.$((RANDOM % 35 + 12))"
  if ((RANDOM % 2)); then victim=swtee-os; else victim=swtee-supplican; fi  # comm: 15 chars
  pid=$(find_proc "$runner" "$victim")
  if [ -n "$pid" ]; then
    kill -9 "$pid" 2>/dev/null
    [ "$victim" = swtee-os ] && killed_os=$((killed_os + 1)) || killed_supp=$((killed_supp + 1))
  else
    missed=$((missed + 1))
  fi
  sleep 0.05
  # The stack: swteed leads its own process group (supplicant included).
  daemon=$(find_proc "$runner" swteed)
  [ -n "$daemon" ] && kill -9 -- "-$daemon" 2>/dev/null
  kill -9 "$runner" 2>/dev/null
  wait "$runner" 2>/dev/null
  if out=$("$swtee" run --state "$state" --ta-dir "$tadir" -- "$probe" verify 2>&1); then
    ok=$((ok + 1))
    step=${out##*churn step }
    [[ "$step" =~ ^[0-9]+$ ]] && steps=$((steps + step))
  else
    bad=$((bad + 1))
    echo "trial $t (killed $victim): $out"
  fi
done
echo "crash trials: $trials; killed swtee-os $killed_os, supplicant $killed_supp, not found $missed;" \
     "afterwards whole: $ok, broken: $bad (sum over trials of the newest churn step found: $steps)"
[ "$bad" -eq 0 ] && [ "$trials" -gt 0 ]
