#!/usr/bin/env bash
# make ci (= .ci/run): every CI step in order, each timed. A step that fails
# stops the run. The cost of each step on the 2-vCPU VM: docs/soak.md and
# docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
total=$(date +%s)
step() {
  local start=$(date +%s)
  echo "ci: --- make $1"
  make --no-print-directory "$1"
  echo "ci: --- make $1 took $(($(date +%s) - start)) s"
}
step test     # the whole suite (release build)
step soak-ci  # 60 s soak with kills
echo "ci: all steps passed in $(($(date +%s) - total)) s"
