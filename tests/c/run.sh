#!/usr/bin/env bash
# Builds every C test program (tests/c/test_*.c) against the built libpinata and runs
# each against a fresh emulator: once linked dynamically under valgrind, once built with
# AddressSanitizer + UBSan. Usage: tests/c/run.sh [valgrind|asan|all] (default all).
#
# PINATA_LIB_DIR: the library under test (default target/debug). PINATA_EMULATOR_BIN:
# the emulator (default <libdir>/pinata-emulator, else target/debug/pinata-emulator).
# PINATA_TEST_FRONT=tls runs the network suites (core, pinning, faults, concurrency, batch, call,
# v3_signed_client) over HTTPS through nginx (tests/tls_front.sh) instead, with
# PINATA_TEST_HTTP_VERSION=2 or 1.1 forcing the client's HTTP version (unset: the
# library's choice), plus the HTTPS failure and proxy cases (tests/c/https_*.c).
# PINATA_TEST_ONLY=NAME runs only tests/c/NAME.c.
set -euo pipefail
# Proxies are configured by the tests themselves, never inherited.
unset http_proxy https_proxy all_proxy no_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY NO_PROXY
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
# shellcheck source=../tls_front.sh
. "$root/tests/tls_front.sh"
emulator_scratch
trap 'stop_tls_front; stop_emulator; rm -rf "$work"' EXIT
emulator=${PINATA_EMULATOR_BIN:-$libdir/pinata-emulator}
[ -x "$emulator" ] || emulator=$root/target/debug/pinata-emulator
sources=("$root"/tests/c/test_*.c)
tag=
if [ "${PINATA_TEST_FRONT:-}" = tls ]; then
    sources=("$root"/tests/c/test_{core,pinning,faults,concurrency,v3_signed_client,batch,call}.c "$root"/tests/c/https_*.c)
    tag=", https${PINATA_TEST_HTTP_VERSION:+ http/$PINATA_TEST_HTTP_VERSION}"
fi
if [ -n "${PINATA_TEST_ONLY:-}" ]; then
    sources=("$root/tests/c/$PINATA_TEST_ONLY.c")
fi

reset_emulator() {
    curl -sf ${PINATA_TEST_CA:+--cacert "$PINATA_TEST_CA"} -X POST "$PINATA_TEST_URL/__emulator/reset" -o /dev/null
}

start_emulator "$emulator"
if [ "${PINATA_TEST_FRONT:-}" = tls ]; then
    start_tls_front
    start_tls_cases
    echo "== through nginx at $PINATA_TEST_URL"
fi
failed=0
cd "$work"
for src in "${sources[@]}"; do
    name=$(basename "$src" .c)
    if [ "$mode" = all ] || [ "$mode" = valgrind ]; then
        "$cc" "${cflags[@]}" "$src" -o "$bin/$name" "${ldflags[@]}"
        reset_emulator
        echo "== $name (valgrind$tag)"
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
        echo "== $name (asan+ubsan$tag)"
        if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 "$bin/$name.asan"; then
            echo "FAILED: $name under ASan" >&2
            failed=1
        fi
    fi
done
if [ "${PINATA_TEST_FRONT:-}" = tls ]; then
    # nginx's log proves which HTTP version libpinata negotiated: the forced one, or
    # when the library chose, HTTP/1.1 for uploads and HTTP/2 for the other calls
    # (which may also reuse an HTTP/1.1 connection an upload left open: "+" means
    # "among others").
    case ${PINATA_TEST_HTTP_VERSION:-} in
    1.1) checks=("all HTTP/1.1") ;;
    2) checks=("all HTTP/2.0") ;;
    *) checks=("uploads HTTP/1.1" "calls +HTTP/2.0") ;;
    esac
    for check in "${checks[@]}"; do
        which=${check% *} want=${check#* }
        [ "$which" = all ] && which=
        got=$(tls_front_protocols $which | tr '\n' ' ')
        echo "== libpinata's ${which:-requests} used: ${got:-nothing }(wanted $want)"
        case $want in
        +*) [[ " $got" == *" ${want#+} "* ]] && continue ;;
        *) [ "$got" = "$want " ] && continue ;;
        esac
        echo "FAILED: libpinata's ${which:-requests} used ${got:-nothing}, wanted $want; e.g.:" >&2
        grep ' libpinata/' "$TLS_FRONT_LOG" | grep -v "^${want#+} " | head -n 5 >&2
        failed=1
    done
fi
exit $failed
