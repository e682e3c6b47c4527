# Sourced by the 45xx client scripts: initialises the token of the private
# stack with a label, SO PIN 87654321 and user PIN 123456.
# Needs $mod (the module) and $label.
pkcs11-tool --module "$mod" --init-token --label "$label" --so-pin 87654321 > /dev/null
pkcs11-tool --module "$mod" --init-pin --login --login-type so --so-pin 87654321 --new-pin 123456 > /dev/null
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }
