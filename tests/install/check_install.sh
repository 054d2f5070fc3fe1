#!/usr/bin/env bash
# Proves the packaging: install into a scratch prefix, then build programs that know OpenRAS
# only through find_package(OpenRAS) and through pkg-config, and run them.
set -euo pipefail
build=$1
src=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/openras-install-XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(dirname "$(find "$prefix" -name librasapi.so.0 | head -1)")
test -L "$libdir/librasapi.so"
# Outputs are captured before grep -q reads them: with pipefail, a writer that gets SIGPIPE
# after grep -q has already matched and left fails the pipeline (a flake seen in CI).
dynamic=$(readelf -d "$libdir/librasapi.so.0")
grep -q 'SONAME.*librasapi.so.0' <<<"$dynamic"
for f in sbin/rasmand bin/rasdial include/ras.h include/raserror.h include/openras/openras.hpp \
         include/openras/win32/windows.h lib/systemd/system/rasmand.socket \
         lib/systemd/system/rasmand.service share/man/man1/rasdial.1 share/man/man8/rasmand.8 \
         share/man/man5/rasphone.pbk.5 share/bash-completion/completions/rasdial; do
  test -e "$prefix/$f" || { echo "missing $f" >&2; exit 1; }
done
grep -q "^ExecStart=/.*/sbin/rasmand " "$prefix/lib/systemd/system/rasmand.service"

# A sanitizer build of the library needs its programs built the same way.
san=""
if grep -q 'libasan' <<<"$dynamic"; then san="-fsanitize=address,undefined"; fi

# find_package(OpenRAS)
cmake -S "$src/example" -B "$work/example" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_FLAGS="$san" -DCMAKE_EXE_LINKER_FLAGS="$san" >/dev/null
cmake --build "$work/example" >/dev/null
out=$(LD_LIBRARY_PATH="$libdir" "$work/example/example")
grep -q "^676: The phone line is busy.$" <<<"$out"
grep -q "^enum=621$" <<<"$out"

# pkg-config
export PKG_CONFIG_PATH="$libdir/pkgconfig"
g++ -std=c++20 $san "$src/pkgconfig_example.cpp" $(pkg-config --cflags --libs openras) -o "$work/pc"
pc_out=$(LD_LIBRARY_PATH="$libdir" "$work/pc")
grep -q "^ras 691: The user name or password" <<<"$pc_out"

# bash completion lists the entries of a phonebook
pbk="$work/x.pbk"
printf '[Office VPN]\r\nType=2\r\n[Home]\r\nType=1\r\n' > "$pbk"
entries=$(OPENRAS_USER_PHONEBOOK="$pbk" OPENRAS_SYSTEM_PHONEBOOK=/nonexistent bash -c \
  "source '$prefix/share/bash-completion/completions/rasdial'; _rasdial_entries")
[ "$entries" = "$(printf 'Office VPN\nHome')" ]
echo "install, find_package, pkg-config and completion: ok"
