#!/usr/bin/env bash
# xtest 4502: GnuTLS p11tool against libswtee-pkcs11.so (in `swtee run`).
# Usage: gnutls_test.sh <libswtee-pkcs11.so>
set -euo pipefail
mod=$1
label=swtee-4502
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/token_setup.sh"
export GNUTLS_PIN=123456
p11() { p11tool --provider "$mod" "$@"; }
url="pkcs11:token=$label"

step "list tokens"
p11 --list-tokens > "$work/tokens"
grep -q "$label" "$work/tokens" || { cat "$work/tokens"; fail "token not listed"; }

step "generate keys"
p11 --login --generate-privkey ecdsa --curve secp256r1 --label gnutls-ec "$url" > "$work/ec.pub"
grep -q "BEGIN PUBLIC KEY" "$work/ec.pub" || fail "no EC public key printed"
p11 --login --generate-privkey rsa --bits 2048 --label gnutls-rsa "$url" > "$work/rsa.pub"
grep -q "BEGIN PUBLIC KEY" "$work/rsa.pub" || fail "no RSA public key printed"

step "list all objects"
p11 --login --list-all "$url" > "$work/all"
for want in gnutls-ec gnutls-rsa; do
  grep -q "$want" "$work/all" || { cat "$work/all"; fail "$want not listed"; }
done
p11 --login --list-all-privkeys "$url" > "$work/priv"
[ "$(grep -c 'Type: Private key' "$work/priv")" -eq 2 ] || { cat "$work/priv"; fail "private keys not listed"; }

step "sign with the token keys"
for k in gnutls-ec gnutls-rsa; do
  p11 --login --test-sign "$url;object=$k;type=private" > "$work/sign" 2>&1 || { cat "$work/sign"; fail "test-sign $k"; }
  grep -q "Verifying against public key in the token... ok" "$work/sign" || { cat "$work/sign"; fail "test-sign $k did not verify"; }
done
echo PASS
