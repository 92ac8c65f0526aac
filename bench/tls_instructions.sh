#!/usr/bin/env bash
# Client instructions per call over HTTPS through the TLS front (nginx in front of the
# release emulator, tests/tls_front.sh): libpinata's pinata_test_auth loop against the
# raw libcurl loop (bench/c/curl_bench.c, the same header list) on one reused handle,
# for HTTP/2 and HTTP/1.1, counted by callgrind. Instruction counts do not depend on
# the machine's load, unlike calls/s. Each figure is (Ir(N2) - Ir(N1)) / (N2 - N1), so
# start-up, the TLS handshake and the first call's set-up cancel out.
#
#   bench/tls_instructions.sh [--no-build] [N1 N2]     (default 50 250)
#
# PINATA_EMULATOR_BIN overrides the emulator (default the release one). Prints a markdown table. Keeps the callgrind files of the N2 runs in
# bench/results/callgrind/ for callgrind_annotate.
#
# PINATA_BENCH_LIBDIR=DIR counts the libpinata.so of DIR instead of target/release, e.g.
# target/bundled/release for the bundled flavour (built with `make bundled-release`
# unless --no-build); its callgrind files are named libpinata-bundled-*. The raw libcurl
# row stays the system's libcurl, the same yardstick for both flavours.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
BUILD=1
if [ "${1:-}" = --no-build ]; then BUILD=0; shift; fi
N1=${1:-50}
N2=${2:-250}
REL=$ROOT/target/release
LIBDIR=${PINATA_BENCH_LIBDIR:-$REL}
case $LIBDIR in /*) ;; *) LIBDIR=$ROOT/$LIBDIR ;; esac
LABEL=libpinata
case $LIBDIR in */bundled/*) LABEL=libpinata-bundled ;; esac
if [ $BUILD = 1 ]; then
    (cd "$ROOT" && cargo build --quiet --release -p pinata-emulator)
    if [ "$LIBDIR" = "$REL" ]; then
        make -C "$ROOT" --no-print-directory -s release >/dev/null
    elif [ "$LIBDIR" = "$ROOT/target/bundled/release" ]; then
        make -C "$ROOT" --no-print-directory -s bundled-release >/dev/null
    fi
fi
mkdir -p "$BENCH/bin" "$BENCH/results/callgrind"
CC=${CC:-gcc}
$CC -O2 -g -std=c99 -Wall -Wextra -Werror -I"$ROOT/include" "$BENCH/c/pinata_bench.c" \
    -o "$BENCH/bin/$LABEL-bench" -L"$LIBDIR" -Wl,-rpath,"$LIBDIR" -lpinata -lpthread
$CC -O2 -g -std=c99 -Wall -Wextra -Werror "$BENCH/c/curl_bench.c" -o "$BENCH/bin/curl_bench" -lcurl -lpthread
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -n 1)

unset http_proxy https_proxy all_proxy no_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY NO_PROXY
# shellcheck source=../tests/emulator.sh
. "$ROOT/tests/emulator.sh"
# shellcheck source=../tests/tls_front.sh
. "$ROOT/tests/tls_front.sh"
tmp=$(mktemp -d)
trap 'stop_tls_front; stop_emulator; rm -rf "$tmp"' EXIT
# The server's speed does not change the client's instruction counts: any emulator will do.
start_emulator "${PINATA_EMULATOR_BIN:-$REL/pinata-emulator}"
# nginx keeps idle connections to the emulator, as a production front would.
export TLS_FRONT_UPSTREAM_KEEPALIVE=32
start_tls_front
export BENCH_CA=$PINATA_TEST_CA

# ir OUTFILE: the total instruction count callgrind wrote.
ir() { sed -n 's/^summary: \([0-9]*\).*/\1/p' "$1"; }
# count NAME N CMD...: instructions of one run of CMD (its last argument before the
# user agent is N), kept as bench/results/callgrind/NAME.N.out.
count() {
    local name=$1 n=$2 out
    shift 2
    out=$tmp/$name.$n.out
    valgrind -q --tool=callgrind --callgrind-out-file="$out" "$@" >/dev/null
    cp "$out" "$BENCH/results/callgrind/$name.$n.out"
    ir "$out"
}

echo "| client, HTTP version | instructions per call | ratio to raw libcurl |"
echo "|---|---:|---:|"
for v in 2 1.1; do
    export BENCH_HTTP_VERSION=$v
    p1=$(count "$LABEL-h$v" "$N1" "$BENCH/bin/$LABEL-bench" auth "$PINATA_TEST_URL" "$PINATA_TEST_JWT" "$N1")
    p2=$(count "$LABEL-h$v" "$N2" "$BENCH/bin/$LABEL-bench" auth "$PINATA_TEST_URL" "$PINATA_TEST_JWT" "$N2")
    c1=$(count "curl-h$v" "$N1" "$BENCH/bin/curl_bench" auth "$PINATA_TEST_URL" "$PINATA_TEST_JWT" "$N1" "libpinata/$VERSION")
    c2=$(count "curl-h$v" "$N2" "$BENCH/bin/curl_bench" auth "$PINATA_TEST_URL" "$PINATA_TEST_JWT" "$N2" "libpinata/$VERSION")
    python3 - "$LABEL" "$v" "$p1" "$p2" "$c1" "$c2" "$N1" "$N2" <<'PY'
import sys
label, v, p1, p2, c1, c2, n1, n2 = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
p = (p2 - p1) / (n2 - n1)
c = (c2 - c1) / (n2 - n1)
print(f"| {label}, HTTP/{v} | {p:,.0f} | {p / c:.2f}x |")
print(f"| raw libcurl, HTTP/{v} | {c:,.0f} | 1.00x |")
PY
done
