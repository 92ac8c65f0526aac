#!/usr/bin/env bash
# Builds every C test program (tests/c/test_*.c) against the built libpinata and runs
# each against a fresh emulator: once linked dynamically under valgrind, once built with
# AddressSanitizer + UBSan. Usage: tests/c/run.sh [valgrind|asan|all] (default all).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
libdir=${PINATA_LIB_DIR:-$root/target/debug}
mode=${1:-all}
bin=$root/tests/c/bin
mkdir -p "$bin"
cc=${CC:-gcc}
cflags=(-std=c99 -Wall -Wextra -Werror -pedantic -g -I"$root/include" -I"$root/tests/c")
ldflags=(-L"$libdir" -Wl,-rpath,"$libdir" -lpinata -lpthread)

work=$(mktemp -d)
emu_pid=""
cleanup() {
    [ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

start_emulator() {
    "$libdir/pinata-emulator" --listen 127.0.0.1:0 --quiet >"$work/emu.out" &
    emu_pid=$!
    for _ in $(seq 1 200); do
        [ -s "$work/emu.out" ] && break
        sleep 0.05
    done
    local line
    line=$(head -n 1 "$work/emu.out")
    [ -n "$line" ] || { echo "emulator did not start" >&2; exit 1; }
    PINATA_TEST_URL=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["url"])' "$line")
    PINATA_TEST_JWT=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["jwt"])' "$line")
    PINATA_TEST_API_KEY=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["api_key"])' "$line")
    PINATA_TEST_API_SECRET=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["api_secret"])' "$line")
    export PINATA_TEST_URL PINATA_TEST_JWT PINATA_TEST_API_KEY PINATA_TEST_API_SECRET
}

reset_emulator() {
    curl -sf -X POST "$PINATA_TEST_URL/__emulator/reset" -o /dev/null
}

start_emulator
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
