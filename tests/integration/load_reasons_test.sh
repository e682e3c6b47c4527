#!/usr/bin/env bash
# A TA that fails to load says why on `swtee run`'s stderr at the default log
# level (SWTEE_LOG unset): an undefined symbol, a bad signature, not found
# with the directories searched. The clients (CompatLoad.* in compat.cc)
# only see error codes; the reasons must be in the log.
set -uo pipefail
swtee=$1 xtest=$2 badsig=$3 unresolved=$4
unset SWTEE_LOG
err=$(mktemp)
trap 'rm -f "$err"' EXIT
"$swtee" run --ta-dir "$badsig" --ta-dir "$unresolved" -- "$xtest" --gtest_filter='CompatLoad.*' \
  --gtest_brief=1 2>"$err"
rc=$?
status=0
expect() {
  if ! grep -qF -- "$1" "$err"; then
    echo "missing from stderr: $1"
    status=1
  fi
}
expect "undefined symbol: TEE_NoSuchFunction"
expect "bad signature"
expect "not found; searched: $badsig, $unresolved"
if [ "$rc" -ne 0 ] || [ "$status" -ne 0 ]; then
  echo "--- stderr of swtee run (exit $rc) ---"
  cat "$err"
  exit 1
fi
echo "every load failure explained itself"
