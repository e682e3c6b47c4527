#!/usr/bin/env bash
# xtest 4504: OpenSSH with libswtee-pkcs11.so: ssh-keygen -D prints the
# token's public keys; ssh-add -s loads them into an agent, which signs.
# Usage: openssh_test.sh <libswtee-pkcs11.so>
set -euo pipefail
mod=$1
label=swtee-4504
work=$(mktemp -d)
agent_pid=""
cleanup() { [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
. "$(dirname "$0")/token_setup.sh"

pkcs11-tool --module "$mod" -l --pin 123456 --keypairgen --key-type rsa:2048 --id 21 --label ssh-rsa > /dev/null
pkcs11-tool --module "$mod" -l --pin 123456 --keypairgen --key-type EC:prime256v1 --id 22 --label ssh-ec > /dev/null

step "ssh-keygen -D"
ssh-keygen -D "$mod" > "$work/keys.pub"
grep -q "^ssh-rsa " "$work/keys.pub" || { cat "$work/keys.pub"; fail "no RSA key"; }
grep -q "^ecdsa-sha2-nistp256 " "$work/keys.pub" || { cat "$work/keys.pub"; fail "no ECDSA key"; }

step "ssh-add -s and an agent signature"
eval "$(ssh-agent -s -P "$mod" -a "$work/agent.sock")" > /dev/null
agent_pid=$SSH_AGENT_PID
printf '#!/bin/sh\necho 123456\n' > "$work/askpass"
chmod +x "$work/askpass"
SSH_ASKPASS="$work/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=none ssh-add -s "$mod" < /dev/null
ssh-add -L > "$work/agent.pub"
[ "$(wc -l < "$work/agent.pub")" -eq 2 ] || { cat "$work/agent.pub"; fail "agent does not hold both keys"; }
echo "message for the agent" > "$work/msg"
n=0
while read -r line; do
  n=$((n + 1))
  echo "$line" > "$work/k$n.pub"
  ssh-keygen -Y sign -f "$work/k$n.pub" -n test "$work/msg" > /dev/null 2>&1 || fail "agent sign with key $n"
  echo "tester $line" > "$work/allowed"
  ssh-keygen -Y verify -f "$work/allowed" -I tester -n test -s "$work/msg.sig" < "$work/msg" \
    | grep -q "Good" || fail "signature $n does not verify"
  rm -f "$work/msg.sig"
done < "$work/agent.pub"
echo PASS
