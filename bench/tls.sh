#!/usr/bin/env bash
# HTTP/2 against HTTP/1.1 through the TLS front (nginx terminating TLS in front of the
# release emulator, tests/tls_front.sh), in one run: sequential calls on one client
# (libpinata against a raw libcurl loop over the same connection reuse), 8-worker
# pinJSONToIPFS, and a 1 GiB pinFileToIPFS (libpinata, raw libcurl, and the curl CLI).
#
#   bench/tls.sh [--quick] [--no-build]
#
# Prints the table (markdown) and writes it with the raw runs to bench/results/tls.md
# and bench/results/tls-runs.jsonl. Each value is the median of interleaved runs.
# Placement: emulator and nginx on CPU 0, the client on CPU 1. BENCH_TMPDIR (default
# /tmp) holds the 1 GiB file. libpinata runs with each protocol forced
# (pinata_client_set_http_version) and with its own choice ("auto").
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
QUICK=0
BUILD=1
for a in "$@"; do
    case $a in
    --quick) QUICK=1 ;;
    --no-build) BUILD=0 ;;
    *) echo "bench/tls.sh: unknown option $a" >&2; exit 2 ;;
    esac
done
if [ $QUICK = 1 ]; then CALLS=500; JSON=400; RUNS=3; UPLOAD_MIB=256; else CALLS=2000; JSON=1000; RUNS=5; UPLOAD_MIB=1024; fi
THREADS=8

REL=$ROOT/target/release
if [ $BUILD = 1 ]; then
    (cd "$ROOT" && cargo build --quiet --release -p pinata-emulator)
    make -C "$ROOT" --no-print-directory -s release >/dev/null # libpinata and its SONAME link
fi
mkdir -p "$BENCH/bin" "$BENCH/results"
CC=${CC:-gcc}
$CC -O2 -std=c99 -Wall -Wextra -Werror -I"$ROOT/include" "$BENCH/c/pinata_bench.c" \
    -o "$BENCH/bin/pinata_bench" -L"$REL" -Wl,-rpath,"$REL" -lpinata -lpthread
$CC -O2 -std=c99 -Wall -Wextra -Werror "$BENCH/c/curl_bench.c" -o "$BENCH/bin/curl_bench" -lcurl -lpthread
PB=$BENCH/bin/pinata_bench
CB=$BENCH/bin/curl_bench
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -n 1)

# shellcheck source=tls_servers.sh
. "$BENCH/tls_servers.sh"
tmp=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/pinata-tls-bench.XXXXXX")
trap 'stop_tls_front; stop_emulator; rm -rf "$tmp"' EXIT
start_bench_tls_servers "$REL/pinata-emulator"
CLIENT=(taskset -c 1)
URL=$PINATA_TEST_URL
CA=$PINATA_TEST_CA
JWT=$PINATA_TEST_JWT
export BENCH_CA=$CA

file=$tmp/upload.bin
head -c $((UPLOAD_MIB * 1024 * 1024)) /dev/urandom >"$file"

runs=$BENCH/results/tls-runs.jsonl
: >"$runs"
reset() { curl -sf --cacert "$CA" -X POST "$URL/__emulator/reset" -o /dev/null; }
# record ROW PROTO METRIC VALUE
record() { printf '{"row":"%s","proto":"%s","metric":"%s","value":%s}\n' "$1" "$2" "$3" "$4" >>"$runs"; }
secs() { python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["secs"])'; }

curl_cli_upload() { # PROTO-FLAG
    "${CLIENT[@]}" curl -sS -f "$1" --cacert "$CA" -H "Authorization: Bearer $JWT" -H "Expect:" \
        -F "file=@$file" -o /dev/null -w '%{time_total}\n' "$URL/pinning/pinFileToIPFS"
}

for run in $(seq 1 "$RUNS"); do
    echo "run $run/$RUNS" >&2
    for proto in 2 1.1 auto; do
        if [ $proto = auto ]; then unset BENCH_HTTP_VERSION; else export BENCH_HTTP_VERSION=$proto; fi
        reset
        s=$("${CLIENT[@]}" "$PB" auth "$URL" "$JWT" "$CALLS" | secs)
        record "libpinata calls/s" $proto calls_per_s "$(python3 -c "print($CALLS/$s)")"
        if [ $proto != auto ]; then
            s=$("${CLIENT[@]}" "$CB" auth "$URL" "$JWT" "$CALLS" "libpinata/$VERSION" | secs)
            record "raw libcurl calls/s" $proto calls_per_s "$(python3 -c "print($CALLS/$s)")"
        fi
        reset
        s=$("${CLIENT[@]}" "$PB" json "$URL" "$JWT" "$JSON" "$THREADS" | secs)
        record "libpinata 8-worker pinJSONToIPFS/s" $proto pins_per_s "$(python3 -c "print($JSON/$s)")"
        if [ $proto != auto ]; then
            reset
            s=$("${CLIENT[@]}" "$CB" json "$URL" "$JWT" "$JSON" "$THREADS" | secs)
            record "raw libcurl 8-worker pinJSONToIPFS/s" $proto pins_per_s "$(python3 -c "print($JSON/$s)")"
        fi
        reset
        s=$("${CLIENT[@]}" "$PB" upload "$URL" "$JWT" "$file" off | secs)
        record "libpinata ${UPLOAD_MIB} MiB upload MB/s" $proto mb_per_s "$(python3 -c "print($UPLOAD_MIB*1.048576/$s)")"
        if [ $proto != auto ]; then
            reset
            s=$("${CLIENT[@]}" "$CB" upload "$URL" "$JWT" "$file" | secs)
            record "raw libcurl ${UPLOAD_MIB} MiB upload MB/s" $proto mb_per_s "$(python3 -c "print($UPLOAD_MIB*1.048576/$s)")"
            reset
            flag=--http2
            [ $proto = 1.1 ] && flag=--http1.1
            s=$(curl_cli_upload $flag)
            record "curl CLI ${UPLOAD_MIB} MiB upload MB/s" $proto mb_per_s "$(python3 -c "print($UPLOAD_MIB*1.048576/$s)")"
        fi
    done
done

python3 - "$runs" "$BENCH/results/tls.md" "bench/tls.sh${*:+ $*}" "$RUNS" <<'PY'
import json, statistics, sys
runs, out, cmd, n = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
rows = {}
order = []
for line in open(runs):
    r = json.loads(line)
    if r["row"] not in rows:
        order.append(r["row"])
        rows[r["row"]] = {}
    rows[r["row"]].setdefault(r["proto"], []).append(r["value"])
def fmt(v):
    return f"{v:,.0f}" if v >= 100 else f"{v:,.1f}"
lines = [f"Command: `{cmd}` (median of {n} interleaved runs; TLS 1.3 through nginx "
         "to the release emulator; servers on CPU 0, client on CPU 1).", "",
         "| row | HTTP/2 | HTTP/1.1 | auto (library's choice) | HTTP/1.1 ÷ HTTP/2 |",
         "|---|---:|---:|---:|---:|"]
for row in order:
    v = {p: statistics.median(x) for p, x in rows[row].items()}
    ratio = f"{v['1.1'] / v['2']:.2f}x" if "1.1" in v and "2" in v else ""
    lines.append(f"| {row} | {fmt(v['2']) if '2' in v else ''} | {fmt(v['1.1']) if '1.1' in v else ''} | "
                 f"{fmt(v['auto']) if 'auto' in v else ''} | {ratio} |")
text = "\n".join(lines) + "\n"
open(out, "w").write(text)
print(text)
PY
