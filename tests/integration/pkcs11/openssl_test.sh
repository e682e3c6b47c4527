#!/usr/bin/env bash
# xtest 4503: OpenSSL through libp11's engine (libengine-pkcs11-openssl)
# with token keys: a CSR, a self-signed certificate and a TLS handshake on
# loopback between s_server (token key) and s_client.
# Usage: openssl_test.sh <libswtee-pkcs11.so>
set -euo pipefail
mod=$1
label=swtee-4503
work=$(mktemp -d)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
. "$(dirname "$0")/token_setup.sh"

engine_dir=$(openssl version -e | sed -n 's/^ENGINESDIR: "\(.*\)"$/\1/p')
[ -f "$engine_dir/pkcs11.so" ] || fail "libp11 engine not found in $engine_dir"
cat > "$work/openssl.cnf" <<CNF
openssl_conf = init
[init]
engines = engines
[engines]
pkcs11 = pkcs11
[pkcs11]
engine_id = pkcs11
dynamic_path = $engine_dir/pkcs11.so
MODULE_PATH = $mod
init = 0
[req]
distinguished_name = dn
[dn]
CNF
export OPENSSL_CONF=$work/openssl.cnf

pkcs11-tool --module "$mod" -l --pin 123456 --keypairgen --key-type rsa:2048 --id 11 --label tls-rsa > /dev/null
pkcs11-tool --module "$mod" -l --pin 123456 --keypairgen --key-type EC:prime256v1 --id 12 --label tls-ec > /dev/null

for k in tls-rsa tls-ec; do
  key="pkcs11:token=$label;object=$k;type=private;pin-value=123456"
  step "$k: CSR"
  openssl req -new -engine pkcs11 -keyform engine -key "$key" -subj "/CN=$k" -out "$work/$k.csr"
  openssl req -in "$work/$k.csr" -noout -verify 2>&1 | grep -qi "verify OK" || fail "$k: CSR signature"

  step "$k: self-signed certificate"
  openssl req -new -x509 -days 1 -engine pkcs11 -keyform engine -key "$key" -subj "/CN=127.0.0.1" \
    -out "$work/$k.crt"
  openssl verify -CAfile "$work/$k.crt" "$work/$k.crt" | grep -q ": OK" || fail "$k: certificate signature"

  step "$k: TLS handshake, server key on the token"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  openssl s_server -engine pkcs11 -keyform engine -key "$key" -cert "$work/$k.crt" \
    -accept "127.0.0.1:$port" -naccept 1 -quiet > "$work/server.log" 2>&1 &
  server_pid=$!
  ok=""
  for _ in $(seq 1 100); do
    if echo Q | openssl s_client -connect "127.0.0.1:$port" -CAfile "$work/$k.crt" -verify_return_error \
         -brief > "$work/client.log" 2>&1; then
      ok=1
      break
    fi
    grep -q "Connection refused" "$work/client.log" || break
    sleep 0.1
  done
  wait "$server_pid" || true
  server_pid=""
  [ -n "$ok" ] || { cat "$work/client.log" "$work/server.log"; fail "$k: handshake"; }
  grep -q "Verification: OK" "$work/client.log" || { cat "$work/client.log"; fail "$k: server not verified"; }
done
echo PASS
