#!/usr/bin/env bash
# TA persistent time survives a restart of the whole stack: X1450 sets A's
# time in one `swtee run --state DIR`, X1451 reads it back in a second one
# over the same state. A rolled-back store answers NEEDS_RESET (X1452) until
# the TA sets the time again. A third stack over a fresh state must see it unset
# (X1451 fails there), so the check can fail.
set -uo pipefail
swtee=$1 xtest=$2 tadir=$3
state=$(mktemp -d)
fresh=$(mktemp -d)
trap 'rm -rf "$state" "$fresh" "${old:-}"' EXIT
fail=0
run() { # state filter
  "$swtee" run --state "$1" --ta-dir "$tadir" -- "$xtest" --gtest_filter="*.$2*" --gtest_brief=1
}
if run "$state" X1450; then echo "ok set"; else echo "FAIL: setting the time"; fail=1; fi
sleep 1
if run "$state" X1451; then echo "ok survives restart"; else echo "FAIL: time lost across a restart"; fail=1; fi
# Roll the object tree back to an older copy while the rollback anchor
# (rpmb.emu) stays ahead: the stored time is then untrustworthy.
old=$(mktemp -d)
cp -a "$state/sst.v2" "$old/"
if run "$state" X1450 >/dev/null 2>&1; then :; else echo "FAIL: setting the time again"; fail=1; fi
rm -rf "$state/sst.v2" && cp -a "$old/sst.v2" "$state/"
if SWTEE_XTEST_PT_ROLLED_BACK=1 run "$state" X1452; then echo "ok rollback needs reset"; else
  echo "FAIL: a rolled-back time was trusted"; fail=1; fi
# GP: after TIME_NEEDS_RESET, TEE_SetTAPersistentTime re-establishes the
# time (the rolled-back store is reset), and it holds across a restart.
if run "$state" X1450; then echo "ok set after rollback"; else echo "FAIL: cannot set the time after a rollback"; fail=1; fi
if run "$state" X1451; then echo "ok time back after rollback + set"; else
  echo "FAIL: time not readable after rollback + set"; fail=1; fi
# The copy from before the reset stays stale: replaying it again is caught.
rm -rf "$state/sst.v2" && cp -a "$old/sst.v2" "$state/" && rm -rf "$old"
if SWTEE_XTEST_PT_ROLLED_BACK=1 run "$state" X1452; then echo "ok replay after reset needs reset"; else
  echo "FAIL: a replayed time was trusted after a reset"; fail=1; fi
if run "$fresh" X1451 >/dev/null 2>&1; then
  echo "FAIL: a fresh state already has the time"; fail=1
else
  echo "ok fresh state has no time"
fi
exit $fail
