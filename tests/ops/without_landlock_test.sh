#!/usr/bin/env bash
# The TA sandbox fails closed on a kernel without Landlock (docs/sandbox.md):
# there, a TA's ELF constructors could read any file the stack's user can,
# so TA processes are refused unless drivers.optee.ta_without_landlock is
# "allow". `without_landlock` hides Landlock from the whole stack (its three
# system calls fail with ENOSYS, as on a kernel built without it).
# Args: bin_dir ta_dir without_landlock
set -euo pipefail
bin=$1 tas=$2 hide=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
need() { grep -q -- "$2" "$1" || { cat "$1"; fail "$3"; }; }  # need LOG TEXT WHAT
client=$bin/optee_example_hello_world

# The default: refused, with the reason in the log and a failed open.
if "$hide" "$bin/swtee" run --ta-dir "$tas" -- "$client" >"$work/refuse.log" 2>&1; then
  cat "$work/refuse.log"; fail "a TA ran without Landlock by default"
fi
need "$work/refuse.log" "this kernel has no Landlock: every TA is refused" "the zygote did not say why"
need "$work/refuse.log" "TA load failed: this kernel has no Landlock" "the TA process did not say why"
# GENERIC, as for a TA process that cannot be started; not BAD_FORMAT: the
# TA itself is fine.
need "$work/refuse.log" "TEEC_Opensession failed with code 0xffff0000 " "the client's open did not fail with GENERIC"

# Allowed by the configuration: the TA runs, and the zygote warns.
printf '[drivers.optee]\nta_without_landlock = "allow"\n' >"$work/allow.toml"
"$hide" "$bin/swtee" run --config "$work/allow.toml" --ta-dir "$tas" -- "$client" >"$work/allow.log" 2>&1 ||
  { cat "$work/allow.log"; fail "ta_without_landlock = \"allow\" did not run the TA"; }
need "$work/allow.log" "TA incremented value to 43" "no answer"
need "$work/allow.log" "this kernel has no Landlock: a TA's ELF constructors" "no warning when allowed"

# With Landlock, the default runs TAs and says nothing of it.
"$bin/swtee" run --ta-dir "$tas" -- "$client" >"$work/normal.log" 2>&1 ||
  { cat "$work/normal.log"; fail "the stack with Landlock"; }
if grep -q "no Landlock" "$work/normal.log"; then cat "$work/normal.log"; fail "a Landlock kernel was reported as without"; fi
echo "without Landlock: OK"
