#!/usr/bin/env bash
# Long commands show progress on a terminal and nothing when their output
# is not one, each once under a pseudo-terminal (script(1)) and once into a
# file: `swtee storage wipe --ta` over the objects the storage probe
# creates, and `swtee sign --out-dir` of every TA of the build.
set -euo pipefail
swtee=$1 probe=$2 tadir=$3 build=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
uuid=5b1e6a0c-51f7-4c4e-9a44-0d3f6c1d7a01
state=$work/state
command -v script >/dev/null || fail "script(1) missing (bsdutils)"

"$swtee" run --state "$state" --fast-storage --ta-dir "$tadir" -- "$probe" setup >/dev/null
script -qec "$swtee storage wipe --state $state --ta $uuid" /dev/null >"$work/tty.out" </dev/null
grep -q "wiping objects of TA $uuid: [0-9]*/[0-9]* (100%)" "$work/tty.out" || { cat -A "$work/tty.out"; fail "no progress on a terminal"; }
grep -q $'\r' "$work/tty.out" || fail "progress is not rewritten in place"
grep -q "wiped [1-9][0-9]* objects of TA $uuid" "$work/tty.out" || { cat -A "$work/tty.out"; fail "wipe did not finish"; }

"$swtee" run --state "$state" --fast-storage --ta-dir "$tadir" -- "$probe" setup >/dev/null
"$swtee" storage wipe --state "$state" --ta $uuid >"$work/file.out"
if grep -q "wiping" "$work/file.out"; then fail "progress written to a file"; fi
grep -q "wiped [1-9][0-9]* objects" "$work/file.out" || fail "wipe into a file"

# Signing many TAs: the build's own TA objects, with its development key.
mapfile -t tas < <(find "$tadir" -name '*.so' | sort)
[ ${#tas[@]} -ge 5 ] || fail "only ${#tas[@]} TA objects under $tadir"
n=${#tas[@]}
script -qec "$swtee sign --key $build/keys/ta_dev_key.pem --out-dir $work/signed-tty ${tas[*]}" /dev/null \
  >"$work/sign-tty.out" </dev/null
grep -q "signing TAs: $n/$n (100%)" "$work/sign-tty.out" || { cat -A "$work/sign-tty.out"; fail "no signing progress on a terminal"; }
[ "$(ls "$work/signed-tty" | wc -l)" = $n ] || fail "signed images under a terminal"
"$swtee" sign --key "$build/keys/ta_dev_key.pem" --out-dir "$work/signed" "${tas[@]}" >"$work/sign.out"
[ ! -s "$work/sign.out" ] || { cat -A "$work/sign.out"; fail "progress written to a file"; }
[ "$(ls "$work/signed" | wc -l)" = $n ] || fail "signed images"
# Two inputs of one TA are refused, naming it.
if "$swtee" sign --key "$build/keys/ta_dev_key.pem" --out-dir "$work/dup" "${tas[0]}" "${tas[0]}" 2>"$work/dup.err"; then
  fail "a duplicate UUID was signed"
fi
grep -q "another input already declares UUID" "$work/dup.err" || fail "duplicate: $(cat "$work/dup.err")"
echo "progress: OK"
