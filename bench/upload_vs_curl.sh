#!/usr/bin/env bash
# One 1 GiB pinFileToIPFS with libpinata (bench/c/pinata_bench.c, verification off)
# against the raw libcurl loop (bench/c/curl_bench.c), interleaved in the same run, to
# bench/server (CPU 0) from CPU 1, against the release build. Prints one line per run
# and the median ratio (libpinata's time over libcurl's, inverted: higher is better).
#
#   bench/upload_vs_curl.sh [RUNS]     (default 5)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
RUNS=${1:-5}
make -C "$ROOT" --no-print-directory -s release >/dev/null
cargo build -q --release --manifest-path "$BENCH/server/Cargo.toml"
tmp=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/pinata-upload-vs-curl.XXXXXX")
srv=
trap '[ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$tmp"' EXIT
gcc -O2 -std=c99 -I"$ROOT/include" "$BENCH/c/pinata_bench.c" -o "$tmp/pb" \
    -L"$ROOT/target/release" -Wl,-rpath,"$ROOT/target/release" -lpinata -lpthread
gcc -O2 -std=c99 "$BENCH/c/curl_bench.c" -o "$tmp/cb" -lcurl -lpthread
mkdir "$tmp/files"
head -c $((1024 * 1024 * 1024)) /dev/urandom >"$tmp/files/up.bin"
taskset -c 0 "$BENCH/server/target/release/pinata-bench-server" --files-dir "$tmp/files" \
    >"$tmp/srv.json" 2>/dev/null &
srv=$!
for _ in $(seq 1 200); do [ -s "$tmp/srv.json" ] && break; sleep 0.05; done
field() { python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$tmp/srv.json" "$1"; }
url=$(field url) jwt=$(field jwt)
secs() { python3 -c 'import json,sys;print(json.loads(sys.stdin.read().strip().splitlines()[-1])["secs"])'; }
: >"$tmp/ratios"
for i in $(seq 1 "$RUNS"); do
    p=$(taskset -c 1 "$tmp/pb" upload "$url" "$jwt" "$tmp/files/up.bin" off | secs)
    c=$(taskset -c 1 "$tmp/cb" upload "$url" "$jwt" "$tmp/files/up.bin" | secs)
    echo "run $i: libpinata $p s, raw libcurl $c s"
    python3 -c "print($c / $p)" >>"$tmp/ratios"
done
echo "median libpinata / raw libcurl throughput: $(sort -n "$tmp/ratios" | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]}')x"
