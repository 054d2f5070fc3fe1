#!/usr/bin/env bash
# librasapi.so exports exactly the names in exported_symbols.txt (with their version): the RAS
# API, the OpenRAS extensions, the prefixed Win32 shim and the C++ API. A new export is a
# decision: add it to client/librasapi.map and to the list in the same change.
set -euo pipefail
lib="$1"
expected="$2"
actual=$(nm -D --defined-only "$lib" | awk '{print $3}' | sort)
if ! diff <(echo "$actual") "$expected"; then
  echo "librasapi.so's exports differ from $expected (< library, > list)" >&2
  exit 1
fi
# No unprefixed Win32 shim names, which would collide with another Win32 layer.
for name in Sleep GetTickCount HeapAlloc GetLastError CreateEventA WaitForSingleObject; do
  if grep -qx "$name@@.*\|$name" <<<"$actual"; then
    echo "exports the bare Win32 name $name" >&2
    exit 1
  fi
done
echo "exports: $(wc -l <<<"$actual") names, as listed"
