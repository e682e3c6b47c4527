# Shared by the script-driven 6000s storage tests: a private work dir with
# a state dir (removed on exit) and a counted `expect WHAT EXPECTED ACTUAL`.
# Source it after setting swtee, probe and tadir; it defines work, state,
# fails and checks.
work=$(mktemp -d "${TMPDIR:-/tmp}/swtee-storage-XXXXXX")
trap 'rm -rf "$work"' EXIT
state=$work/state
mkdir -m 700 "$state"
fails=0 checks=0
# expect_refused WHAT CMD...: CMD starts a stack that must refuse to start
# and say, on $work/err, which `swtee storage` command is the way out.
expect_refused() {
  local what=$1
  shift
  checks=$((checks + 1))
  if "$@" >/dev/null; then
    echo "FAIL: $what: the stack started"; fails=$((fails + 1))
  elif ! grep -q "swtee storage" "$work/err"; then
    echo "FAIL: $what: no hint in: $(cat "$work/err")"; fails=$((fails + 1))
  else
    echo "ok: $what refused: $(grep -m1 "state dir" "$work/err")"
  fi
}
expect() {
  checks=$((checks + 1))
  if [ "$2" = "$3" ]; then echo "ok: $1"; else echo "FAIL: $1: expected '$2', got '$3'"; fails=$((fails + 1)); fi
}
