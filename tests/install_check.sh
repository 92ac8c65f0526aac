#!/usr/bin/env bash
# `make install` into a temporary prefix, then build the C quickstart with
# `pkg-config --cflags --libs pinata`, once linked dynamically and once statically
# (`--static`), check the SONAME and the links, and run both against the emulator.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
make -C "$root" --no-print-directory install PREFIX="$prefix" PROFILE=debug >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"

soname=$(readelf -d "$prefix/lib/libpinata.so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[ -L "$prefix/lib/$soname" ] || { echo "no $soname symlink in the prefix" >&2; exit 1; }
echo "install: SONAME $soname, links $(cd "$prefix/lib" && ls libpinata.so* | tr "\n" " ")"

src="$root/examples/c/quickstart.c"
# shellcheck disable=SC2046
gcc -std=c99 -Wall -Wextra -Werror -pedantic "$src" -o "$prefix/quickstart-dynamic" \
    $(pkg-config --cflags --libs pinata) -Wl,-rpath,"$prefix/lib"
# shellcheck disable=SC2046
gcc -std=c99 -Wall -Wextra -Werror -pedantic "$src" -o "$prefix/quickstart-static" \
    $(pkg-config --cflags pinata) -Wl,-Bstatic $(pkg-config --libs-only-L pinata) -lpinata \
    -Wl,-Bdynamic $(pkg-config --static --libs-only-l pinata | sed 's/-lpinata//')
if ldd "$prefix/quickstart-static" | grep -q libpinata; then
    echo "the static build still needs libpinata.so" >&2
    exit 1
fi
ldd "$prefix/quickstart-dynamic" | grep -q "$soname" || { echo "dynamic build does not load $soname" >&2; exit 1; }
for kind in dynamic static; do
    echo "== quickstart ($kind, built with pkg-config)"
    "$root/examples/run-demo.sh" "$prefix/quickstart-$kind" >"$prefix/out-$kind.txt"
    tail -n 1 "$prefix/out-$kind.txt"
done
echo "install check: 2 passed, 0 failed"
