#!/usr/bin/env bash
# Install-and-use (issue #13): `cmake --install` into a fresh prefix, then
# use only what is installed there, as a developer on another machine would:
#   - the GNUInstallDirs layout, the TA SDK in its own include folder, no
#     development key and no build-tree path anywhere in the prefix;
#   - pkg-config finds teec under the prefix (not /usr/local);
#   - an OP-TEE-style host + TA pair (examples/hello_world) builds with
#     find_package(swtee), signed with a key of its own, and runs on the
#     installed stack; a host built with pkg-config alone runs too.
set -euo pipefail
src=$1 build=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
p=$work/prefix
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$build" --prefix "$p" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "cmake --install"; }

for f in bin/swtee sbin/swteed sbin/swtee-supplicant libexec/swtee/swtee-os libexec/swtee/swtee-ta-host \
         lib/libteec.so.2 lib/libteec.so include/tee_client_api.h include/swtee/uapi/tee.h \
         include/swtee-ta/tee_internal_api.h include/swtee-ta/user_ta_header.h include/swtee-ta/util.h \
         share/swtee/sdk/user_ta_header.c lib/cmake/swtee/swteeConfig.cmake lib/cmake/swtee/swtee-sdk.cmake \
         lib/pkgconfig/teec.pc lib/systemd/system/swteed.service lib/systemd/system/swtee-tee0.socket \
         etc/swtee/swteed.toml; do
  [ -e "$p/$f" ] || fail "$f not installed"
done
[ -d "$p/lib/swtee/ta" ] || fail "default TA directory lib/swtee/ta missing"
[ ! -e "$p/include/tee_internal_api.h" ] || fail "TA SDK headers installed flat in include/"
if find "$p" -name '*.pem' | grep -q .; then fail "a key was installed: $(find "$p" -name '*.pem')"; fi
if grep -rlI -- "$build" "$p" | grep -q .; then fail "build-tree path in: $(grep -rlI -- "$build" "$p")"; fi
grep -q "ExecStart=$p/sbin/swteed" "$p/lib/systemd/system/swteed.service" || fail "swteed.service names another swteed"

"$p/bin/swtee" --version | grep -q '^swtee [0-9]' || fail "swtee --version"
for b in sbin/swteed sbin/swtee-supplicant libexec/swtee/swtee-os libexec/swtee/swtee-ta-host; do
  "$p/$b" --version | grep -q "^$(basename "$b") [0-9]" || fail "$b --version"
done

# pkg-config: the prefix, whatever it is.
export PKG_CONFIG_PATH=$p/lib/pkgconfig
# teec.pc is relative to its own location (${pcfiledir}), so the paths it
# gives resolve into the prefix, whatever the prefix is.
inc=$(pkg-config --cflags teec | xargs) libs=$(pkg-config --libs teec | xargs)
[[ $inc == -I* ]] && [ "$(realpath "${inc#-I}")" = "$(realpath "$p/include")" ] || fail "pkg-config --cflags teec: $inc"
libdir=${libs%% *}
[[ $libdir == -L* ]] && [ "$(realpath "${libdir#-L}")" = "$(realpath "$p/lib")" ] && [[ $libs == *" -lteec" ]] ||
  fail "pkg-config --libs teec: $libs"

# An OP-TEE-style pair, built against the installed SDK only: the example's
# own CMakeLists.txt, unchanged, under a three-line project.
ex=$work/hello
mkdir -p "$ex"
cp -r "$src/examples/hello_world" "$ex/"
cat >"$ex/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.25)
project(hello_installed C)
find_package(swtee CONFIG REQUIRED)
add_subdirectory(hello_world)
CM
cmake -S "$ex" -B "$ex/b" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_PREFIX_PATH="$p" \
  -DSWTEE_TA_OUTPUT_DIR="$ex/ta-out" >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; fail "configure"; }
cmake --build "$ex/b" >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "build"; }
host=$ex/b/hello_world/optee_example_hello_world
[ -f "$ex/ta-out/8aaaf200-2450-11e4-abe2-0002a5d5c51b.ta" ] || fail "TA image not produced"
pub=$ex/b/keys/ta_dev_key.pub.pem
[ -f "$pub" ] || fail "the project's development key was not generated"

out=$("$p/bin/swtee" run --ta-dir "$ex/ta-out" --ta-pubkey "$pub" -- "$host")
grep -q "TA incremented value to 43" <<<"$out" || { echo "$out"; fail "hello_world via find_package"; }

# Without the project's key the installed stack trusts nothing it did not
# sign: the same TA is refused (TEEC_ERROR_SECURITY = 0xffff000f).
if out=$("$p/bin/swtee" run --ta-dir "$ex/ta-out" -- "$host" 2>&1); then
  echo "$out"; fail "an installed stack ran a TA signed with a key it was not given"
fi

# A host built with nothing but pkg-config.
# shellcheck disable=SC2046
clang -o "$work/pc_host" "$ex/hello_world/host/main.c" -I"$ex/hello_world/ta/include" $(pkg-config --cflags --libs teec)
out=$(LD_LIBRARY_PATH=$p/lib "$p/bin/swtee" run --ta-dir "$ex/ta-out" --ta-pubkey "$pub" -- "$work/pc_host")
grep -q "TA incremented value to 43" <<<"$out" || { echo "$out"; fail "hello_world via pkg-config"; }
echo "install prefix test: OK"
