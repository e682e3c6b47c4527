#!/usr/bin/env bash
# xtest 4501: OpenSC pkcs11-tool against libswtee-pkcs11.so, inside a
# private swtee stack (run by `swtee run`, which sets SWTEE_RUNTIME_DIR).
# Usage: opensc_test.sh <libswtee-pkcs11.so>
set -euo pipefail
mod=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
p11() { pkcs11-tool --module "$mod" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

step "init token and user PIN"
p11 --init-token --label swtee-4501 --so-pin 87654321
p11 --init-pin --login --login-type so --so-pin 87654321 --new-pin 123456
p11 --list-token-slots | grep -q "swtee-4501" || fail "token label not listed"

step "key pairs: RSA-2048 and EC P-256"
p11 -l --pin 123456 --keypairgen --key-type rsa:2048 --id 01 --label rsa-key
p11 -l --pin 123456 --keypairgen --key-type EC:prime256v1 --id 02 --label ec-key

step "list objects"
p11 -l --pin 123456 --list-objects > "$work/objects"
grep -q "rsa-key" "$work/objects" || fail "rsa key not listed"
grep -q "ec-key" "$work/objects" || fail "ec key not listed"

step "sign and verify, with the token and with openssl"
head -c 1000 /dev/urandom > "$work/data"
p11 -l --pin 123456 --sign --id 01 -m SHA256-RSA-PKCS -i "$work/data" -o "$work/rsa.sig"
p11 -l --pin 123456 --verify --id 01 -m SHA256-RSA-PKCS -i "$work/data" --signature-file "$work/rsa.sig"
p11 --read-object --type pubkey --id 01 -o "$work/rsa.pub.der"
openssl dgst -sha256 -verify "$work/rsa.pub.der" -keyform DER -signature "$work/rsa.sig" "$work/data" \
  | grep -q "Verified OK" || fail "openssl rejects the RSA signature"
p11 -l --pin 123456 --sign --id 02 -m ECDSA-SHA256 --signature-format openssl -i "$work/data" \
  -o "$work/ec.sig"
p11 --read-object --type pubkey --id 02 -o "$work/ec.pub.der"
openssl dgst -sha256 -verify "$work/ec.pub.der" -keyform DER -signature "$work/ec.sig" "$work/data" \
  | grep -q "Verified OK" || fail "openssl rejects the ECDSA signature"
# A tampered message must not verify.
printf 'x' >> "$work/data"
p11 -l --pin 123456 --verify --id 01 -m SHA256-RSA-PKCS -i "$work/data" \
  --signature-file "$work/rsa.sig" > "$work/v" 2>&1 || true
grep -q "Invalid signature" "$work/v" || { cat "$work/v"; fail "tampered data verified"; }

step "sensitive keys cannot be read"
p11 -l --pin 123456 --read-object --type privkey --id 01 -o "$work/priv" > "$work/r" 2>&1 || true
[ ! -s "$work/priv" ] || fail "private key bytes written"
p11 -l --pin 123456 --keygen --key-type AES:32 --id 03 --label aes-key
if p11 -l --pin 123456 --read-object --type secrkey --id 03 -o "$work/secret" > "$work/r" 2>&1; then
  fail "sensitive secret key was read out"
fi
grep -q "CKR_ATTRIBUTE_SENSITIVE" "$work/r" || { cat "$work/r"; fail "refusal is not CKR_ATTRIBUTE_SENSITIVE"; }
[ ! -s "$work/secret" ] || fail "secret key bytes written"

step "pkcs11-tool --test"
p11 -l --pin 123456 --test > "$work/test.log" 2>&1 || { cat "$work/test.log"; fail "pkcs11-tool --test"; }
grep -q "No errors" "$work/test.log" || { cat "$work/test.log"; fail "pkcs11-tool --test reported errors"; }
echo "PASS"
