#!/usr/bin/env bash
# Verified download against plain curl, in the same run (issue 15's numbers; a section of
# bench/run.sh).
#
#   bench/download.sh [SIZE_MIB[,SIZE_MIB...] [RUNS]]   defaults: 1024 MiB, 3 interleaved runs
#
# For each size, a random file is uploaded to the release emulator (CIDv1, kubo
# --cid-version=1), whose gateway writes its CAR; the bench server (bench/server, one
# thread, files served from mmap with no work of its own) then serves both the CAR and
# the plain bytes at /ipfs/{cid}. Each run times `curl -o FILE` of the plain bytes and
# libpinata's verified CAR download to a file (bench/c/download_bench.c: every block
# hashed and walked, written under a temporary name, renamed), and records libpinata's
# peak RSS. The server is pinned to CPU 0, the clients to CPU 1. Writes
# bench/results/download.jsonl (one record per timed run) and bench/results/download.md
# (the table BENCHMARKS.md shows), with the load average at the start and the end.
# Both files are replaced only when every size succeeds. BENCH_TMPDIR (default /tmp) holds
# about 3 × the largest size while it runs.
# BENCH_NO_BUILD=1 (bench/run.sh --no-build): use the library already built in target/release.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZES=${1:-1024}
RUNS=${2:-3}
LIB=$ROOT/target/release
RESULTS=$ROOT/bench/results
mkdir -p "$RESULTS"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
export PINATA_HEADER_OUT=$ROOT/target/pinata.h

if [ -z "${BENCH_NO_BUILD:-}" ]; then
  cargo build --quiet --release -p pinata -p pinata-emulator --manifest-path "$ROOT/Cargo.toml"
fi
cargo build --quiet --release --manifest-path "$ROOT/bench/server/Cargo.toml"
ln -sf libpinata.so "$LIB/libpinata.so.0.1"
work=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/pinata-download-bench.XXXXXX")
pids=()
cleanup() {
    for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
OUT=$work/download.jsonl # moved into bench/results at the end
: >"$OUT"
gcc -std=c99 -O2 -Wall -Wextra -Werror -I"$ROOT/include" "$ROOT/bench/c/download_bench.c" \
    -o "$work/download_bench" -L"$LIB" -Wl,-rpath,"$LIB" -lpinata

start() { # VAR OUTFILE CMD...: starts a server (CPU 0) that prints one JSON line with
    # "url"; sets VAR to the URL and appends the server's pid to pids.
    local var=$1 out=$2
    shift 2
    taskset -c 0 "$@" >"$out" 2>>"$work/servers.log" &
    pids+=($!)
    for _ in $(seq 1 200); do grep -q '}' "$out" 2>/dev/null && break; sleep 0.05; done
    printf -v "$var" '%s' "$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$out")"
}

measure() { # SIZE_MIB: uploads a file of that size, then RUNS interleaved runs of each row
    local size=$1 jwt cid bytes t line secs kib
    mkdir "$work/files" "$work/emu"
    head -c $((size * 1024 * 1024)) /dev/urandom > "$work/input.bin"
    start emu_url "$work/emu.json" "$LIB/pinata-emulator" --listen 127.0.0.1:0 --quiet --data-dir "$work/emu"
    jwt=$(sed -n 's/.*"jwt":"\([^"]*\)".*/\1/p' "$work/emu.json")
    cid=$(curl -sf -H "Authorization: Bearer $jwt" -F 'pinataOptions={"cidVersion":1}' \
        -F "file=@$work/input.bin" "$emu_url/pinning/pinFileToIPFS" | sed -n 's/.*"IpfsHash":"\([^"]*\)".*/\1/p')
    [ -n "$cid" ] || { echo "the upload to the emulator failed" >&2; exit 1; }
    curl -sf "$emu_url/ipfs/$cid?format=car" -o "$work/files/$cid.car"
    kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true; pids=()
    rm -rf "$work/emu"
    ln -s "$work/input.bin" "$work/files/$cid.plain"
    start srv_url "$work/srv.json" "$ROOT/bench/server/target/release/pinata-bench-server" \
        --listen 127.0.0.1:0 --files-dir "$work/files"
    bytes=$(stat -c %s "$work/input.bin")
    echo "file: $size MiB, $cid; CAR $(stat -c %s "$work/files/$cid.car") bytes; server $srv_url (CPU 0)"

    # Warm the page cache for both files, then interleave the runs.
    cat "$work/input.bin" "$work/files/$cid.car" > /dev/null
    for i in $(seq 1 "$RUNS"); do
        # Each timed command starts with no dirty pages, so neither pays for writing back
        # the other's output (at 4 GiB that write-back is most of the run-to-run spread).
        sync
        t=$(taskset -c 1 curl -sf -o "$work/plain.out" -w '%{time_total}' "$srv_url/ipfs/$cid")
        cmp -s "$work/plain.out" "$work/input.bin" || { echo "curl's copy differs" >&2; exit 1; }
        rm -f "$work/plain.out"
        printf '{"row":"%s/curl-o","run":%d,"secs":%s,"bytes":%d,"at":%d}\n' "$size" "$i" "$t" "$bytes" "$(date +%s)" >>"$OUT"
        sync
        line=$(taskset -c 1 "$work/download_bench" "$srv_url" "$cid" "$work/lib.out")
        cmp -s "$work/lib.out" "$work/input.bin" || { echo "libpinata's copy differs" >&2; exit 1; }
        rm -f "$work/lib.out"
        secs=$(echo "$line" | sed -n 's/.*"seconds":\([0-9.]*\).*/\1/p')
        kib=$(echo "$line" | sed -n 's/.*"max_rss_kib":\([0-9]*\).*/\1/p')
        printf '{"row":"%s/libpinata","run":%d,"secs":%s,"bytes":%d,"rss_kib":%d,"at":%d}\n' \
            "$size" "$i" "$secs" "$bytes" "$kib" "$(date +%s)" >>"$OUT"
        echo "run $i: curl -o $t s, libpinata verified CAR $secs s, peak RSS $kib KiB"
    done
    kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true; pids=()
    rm -rf "$work/files" "$work/input.bin" "$work"/*.json
}

for size in ${SIZES//,/ }; do measure "$size"; done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$OUT" "$work/download.md" "$SIZES" "$RUNS" "$LOAD0" "$LOAD1" <<'PY'
import datetime, json, statistics, sys
out, md, sizes, runs, load0, load1 = sys.argv[1:]
recs = [json.loads(l) for l in open(out) if l.strip()]
def med(row, key="secs"):
    v = [r[key] for r in recs if r["row"] == row and key in r]
    return statistics.median(v) if v else None
lines = [
    f"`bench/download.sh {sizes} {runs}`: CIDv1 files of random bytes, from `bench/server` (CPU 0) to a file "
    f"(client on CPU 1), median of {runs} interleaved runs ({datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, "
    f"load average {load0} at the start, {load1} at the end).",
    "",
    "| size | `curl -o` of the plain bytes (nothing checked): MB/s | libpinata `pinata_download_cid`, CAR, every block verified, temp name + rename: MB/s | × curl | libpinata peak RSS |",
    "|---|---:|---:|---:|---:|",
]
for size in sizes.split(","):
    c, l = med(f"{size}/curl-o"), med(f"{size}/libpinata")
    b = next(r["bytes"] for r in recs if r["row"] == f"{size}/curl-o")
    rss = max(r["rss_kib"] for r in recs if r["row"] == f"{size}/libpinata")
    label = f"{int(size) // 1024} GiB" if int(size) % 1024 == 0 else f"{size} MiB"
    lines.append(f"| {label} | {b / c / 1e6:,.0f} | {b / l / 1e6:,.0f} | {c / l:.2f} | {rss / 1024:.1f} MiB |")
open(md, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
mv "$OUT" "$work/download.md" "$RESULTS/"
