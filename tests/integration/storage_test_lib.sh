# Shared by the script-driven 6000s storage tests: a private work dir with
# a state dir (removed on exit) and a counted `expect WHAT EXPECTED ACTUAL`.
# Source it after setting swtee, probe and tadir; it defines work, state,
# fails and checks.
work=$(mktemp -d "${TMPDIR:-/tmp}/swtee-storage-XXXXXX")
trap 'rm -rf "$work"' EXIT
state=$work/state
mkdir -m 700 "$state"
fails=0 checks=0
expect() {
  checks=$((checks + 1))
  if [ "$2" = "$3" ]; then echo "ok: $1"; else echo "FAIL: $1: expected '$2', got '$3'"; fails=$((fails + 1)); fi
}
