#!/usr/bin/env bash
# Checks the public header: it matches a fresh generation, compiles cleanly as C99, C11
# and C++17 with -Wall -Wextra -Werror -pedantic, and the shared object exports no
# symbol without the pinata_ prefix.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
libdir=${PINATA_LIB_DIR:-$root/target/debug}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! diff -u "$root/include/pinata.h" "$root/target/pinata.h"; then
    echo "include/pinata.h is stale: run 'make header' and commit it" >&2
    exit 1
fi
echo "header: committed copy matches a fresh generation"

printf '#include "pinata.h"\nint main(void) { return pinata_version() == 0; }\n' >"$work/h.c"
cp "$work/h.c" "$work/h.cpp"
gcc -std=c99 -Wall -Wextra -Werror -pedantic -I"$root/include" -c "$work/h.c" -o "$work/c99.o"
gcc -std=c11 -Wall -Wextra -Werror -pedantic -I"$root/include" -c "$work/h.c" -o "$work/c11.o"
g++ -std=c++17 -Wall -Wextra -Werror -pedantic -I"$root/include" -c "$work/h.cpp" -o "$work/cpp17.o"
echo "header: compiles as C99, C11 and C++17 with -Werror -pedantic"

bad=$(nm -D --defined-only "$libdir/libpinata.so" | awk '{print $3}' | grep -v '^pinata_' || true)
if [ -n "$bad" ]; then
    echo "libpinata.so exports symbols without the pinata_ prefix:" >&2
    echo "$bad" >&2
    exit 1
fi
count=$(nm -D --defined-only "$libdir/libpinata.so" | awk '{print $3}' | grep -c '^pinata_')
echo "symbols: $count exported, all with the pinata_ prefix"
