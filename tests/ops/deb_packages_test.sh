#!/usr/bin/env bash
# CPack builds the three Debian packages (swtee, libteec2, swtee-dev) with
# the right contents and control fields, and apt can install them together
# on this Debian 12 machine (checked with `apt-get install --simulate`, so
# the test never changes the system).
set -euo pipefail
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

(cd "$work" && cpack --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log"; fail "cpack"; }
deb() { ls "$work"/out/"$1"_*.deb 2>/dev/null | head -n1; }
run=$(deb swtee) lib=$(deb libteec2) dev=$(deb swtee-dev)
[ -n "$run" ] && [ -n "$lib" ] && [ -n "$dev" ] || { ls -l "$work/out"; fail "a package is missing"; }

has() {  # <deb> <path regex>
  dpkg-deb -c "$1" | awk '{print $6}' | grep -Eq "^\./$2\$" || fail "$(basename "$1") lacks $2"
}
has "$run" usr/bin/swtee
has "$run" usr/sbin/swteed
has "$run" usr/sbin/swtee-supplicant
has "$run" usr/libexec/swtee/swtee-os
has "$run" usr/libexec/swtee/swtee-ta-host
has "$run" usr/lib/swtee/ta/
has "$run" usr/lib/systemd/system/swteed.service
has "$run" usr/lib/systemd/system/swtee-tee0.socket
has "$run" etc/swtee/swteed.toml
has "$lib" 'usr/lib/libteec\.so\.2(\.0\.0)?'
has "$dev" usr/include/tee_client_api.h
has "$dev" usr/include/swtee-ta/tee_internal_api.h
has "$dev" usr/lib/cmake/swtee/swteeConfig.cmake
has "$dev" usr/lib/pkgconfig/teec.pc
has "$dev" usr/share/swtee/sdk/user_ta_header.c
for d in "$run" "$lib" "$dev"; do
  if dpkg-deb -c "$d" | grep -q '\.pem$'; then fail "$(basename "$d") ships a key"; fi
done
if dpkg-deb -c "$lib" | grep -q 'include/'; then fail "libteec2 ships headers"; fi

dpkg-deb -f "$dev" Depends | grep -q 'libteec2 (= ' || fail "swtee-dev does not depend on libteec2"
dpkg-deb -f "$run" Depends | grep -q 'libc6' || fail "swtee has no shlibs dependencies"
dpkg-deb -e "$run" "$work/ctl"
grep -q 'groupadd --system teeclnt' "$work/ctl/postinst" || fail "postinst does not create teeclnt"
grep -q '^/etc/swtee/swteed.toml$' "$work/ctl/conffiles" || fail "swteed.toml is not a conffile"
grep -q "ExecStart=/usr/sbin/swteed " <(dpkg-deb --fsys-tarfile "$run" | tar -xO ./usr/lib/systemd/system/swteed.service) ||
  fail "the packaged unit does not start /usr/sbin/swteed"

# apt resolves and would install all three (simulation: nothing changes).
apt-get install --simulate --no-install-recommends "$run" "$lib" "$dev" >"$work/apt.log" 2>&1 ||
  { cat "$work/apt.log"; fail "apt-get cannot install the packages"; }
grep -q '^Inst swtee-dev' "$work/apt.log" || { cat "$work/apt.log"; fail "apt would not install swtee-dev"; }
echo "debian packages: OK"
