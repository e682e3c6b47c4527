#!/usr/bin/env bash
# make ci (= .ci/run): every CI step in order, each timed. A step that fails
# stops the run. docs/ci.md has the cost of each step on the 2-vCPU VM.
set -euo pipefail
cd "$(dirname "$0")/.."
total=$(date +%s)
step() {
  local start=$(date +%s)
  echo "ci: --- make $*"
  make --no-print-directory "$@"
  echo "ci: --- make $1 took $(($(date +%s) - start)) s"
}
step test        # the whole suite (release build)
step fuzz-smoke  # every fuzz target, FUZZ_SECONDS each, on its corpus
# The unit tests under ASan + UBSan, in the fuzz tree (its sanitized objects
# are built by now). The Wycheproof files stay out: their time is in the
# uninstrumented libcrypto, and they run in `make test` (docs/ci.md).
step asan-unit ASAN_UNIT_EXCLUDE='^Wycheproof'
step soak-ci     # 60 s soak with kills
echo "ci: all steps passed in $(($(date +%s) - total)) s"
