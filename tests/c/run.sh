#!/usr/bin/env bash
# Builds every C test program (tests/c/test_*.c) against the built libpinata and runs
# each against a fresh emulator: once linked dynamically under valgrind, once built with
# AddressSanitizer + UBSan. Usage: tests/c/run.sh [valgrind|asan|all] (default all).
# Environment: PINATA_LIB_DIR (default target/debug), PINATA_EMULATOR_BIN (default
# <libdir>/pinata-emulator, else target/debug/pinata-emulator).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
libdir=${PINATA_LIB_DIR:-$root/target/debug}
mode=${1:-all}
bin=$root/tests/c/bin
mkdir -p "$bin"
cc=${CC:-gcc}
cflags=(-std=c99 -Wall -Wextra -Werror -pedantic -g -I"$root/include" -I"$root/tests/c")
ldflags=(-L"$libdir" -Wl,-rpath,"$libdir" -lpinata -lpthread)

# shellcheck source=../emulator.sh
. "$root/tests/emulator.sh"
emulator_scratch

reset_emulator() {
    curl -sf -X POST "$PINATA_TEST_URL/__emulator/reset" -o /dev/null
}

emulator=${PINATA_EMULATOR_BIN:-$libdir/pinata-emulator}
[ -x "$emulator" ] || emulator=$root/target/debug/pinata-emulator
start_emulator "$emulator"
failed=0
cd "$work"
for src in "$root"/tests/c/test_*.c; do
    name=$(basename "$src" .c)
    if [ "$mode" = all ] || [ "$mode" = valgrind ]; then
        "$cc" "${cflags[@]}" "$src" -o "$bin/$name" "${ldflags[@]}"
        reset_emulator
        echo "== $name (valgrind)"
        if ! valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
            --errors-for-leak-kinds=definite,indirect \
            --suppressions="$root/tests/c/valgrind.supp" "$bin/$name"; then
            echo "FAILED: $name under valgrind" >&2
            failed=1
        fi
    fi
    if [ "$mode" = all ] || [ "$mode" = asan ]; then
        "$cc" "${cflags[@]}" -fsanitize=address,undefined -fno-omit-frame-pointer "$src" \
            -o "$bin/$name.asan" "${ldflags[@]}"
        syms=$(nm "$bin/$name.asan")
        case "$syms" in *__asan_init*) ;; *) echo "ASan missing in $name" >&2; exit 1 ;; esac
        reset_emulator
        echo "== $name (asan+ubsan)"
        if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 "$bin/$name.asan"; then
            echo "FAILED: $name under ASan" >&2
            failed=1
        fi
    fi
done
exit $failed
