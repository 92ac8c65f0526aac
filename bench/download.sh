#!/usr/bin/env bash
# Verified download against plain curl, in the same run (issue 15's numbers).
#
#   bench/download.sh [SIZE_MIB] [RUNS]      defaults: 1024 MiB, 3 interleaved runs
#
# A random file of SIZE_MIB is uploaded to the release emulator (CIDv1, kubo
# --cid-version=1), whose gateway writes its CAR; the bench server (bench/server, one
# thread, files served from mmap with no work of its own) then serves both the CAR and
# the plain bytes at /ipfs/{cid}. Each run times `curl -o FILE` of the plain bytes and
# libpinata's verified CAR download to a file (bench/c/download_bench.c: every block
# hashed and walked, written under a temporary name, renamed), and records libpinata's
# peak RSS. The server is pinned to CPU 0, the clients to CPU 1. Prints the medians and
# appends a section to bench/NOTES.md and BENCHMARKS.md (--no-append to skip). BENCH_TMPDIR (default /tmp)
# holds about 4 × SIZE_MIB while it runs.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
APPEND=1
args=()
for a in "$@"; do
    case "$a" in
        --no-append) APPEND=0 ;;
        *) args+=("$a") ;;
    esac
done
SIZE_MIB=${args[0]:-1024}
RUNS=${args[1]:-3}
LIB=$ROOT/target/release
export PINATA_HEADER_OUT=$ROOT/target/pinata.h

cargo build --quiet --release -p pinata -p pinata-emulator --manifest-path "$ROOT/Cargo.toml"
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

mkdir "$work/files" "$work/emu"
head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom > "$work/input.bin"
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
echo "file: $SIZE_MIB MiB, $cid; CAR $(stat -c %s "$work/files/$cid.car") bytes; server $srv_url (CPU 0)"

# Warm the page cache for both files, then interleave the runs.
cat "$work/input.bin" "$work/files/$cid.car" > /dev/null
curl_s=()
lib_s=()
rss=()
for i in $(seq 1 "$RUNS"); do
    # Each timed command starts with no dirty pages, so neither pays for writing back
    # the other's output (at 4 GiB that write-back is most of the run-to-run spread).
    sync
    t=$(taskset -c 1 curl -sf -o "$work/plain.out" -w '%{time_total}' "$srv_url/ipfs/$cid")
    cmp -s "$work/plain.out" "$work/input.bin" || { echo "curl's copy differs" >&2; exit 1; }
    rm -f "$work/plain.out"
    curl_s+=("$t")
    sync
    line=$(taskset -c 1 "$work/download_bench" "$srv_url" "$cid" "$work/lib.out")
    cmp -s "$work/lib.out" "$work/input.bin" || { echo "libpinata's copy differs" >&2; exit 1; }
    rm -f "$work/lib.out"
    lib_s+=("$(echo "$line" | sed -n 's/.*"seconds":\([0-9.]*\).*/\1/p')")
    rss+=("$(echo "$line" | sed -n 's/.*"max_rss_kib":\([0-9]*\).*/\1/p')")
    echo "run $i: curl -o ${curl_s[-1]} s, libpinata verified CAR ${lib_s[-1]} s, peak RSS ${rss[-1]} KiB"
done
read -r curl_mbs lib_mbs ratio rss_mib < <(python3 - "$bytes" "${curl_s[*]}" "${lib_s[*]}" "${rss[*]}" <<'PY'
import statistics, sys
b = int(sys.argv[1])
c = statistics.median(float(x) for x in sys.argv[2].split())
l = statistics.median(float(x) for x in sys.argv[3].split())
r = max(int(x) for x in sys.argv[4].split())
print(f"{b / c / 1e6:.0f} {b / l / 1e6:.0f} {c / l:.2f} {r / 1024:.1f}")
PY
)
load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "median: curl -o $curl_mbs MB/s, libpinata verified CAR $lib_mbs MB/s (ratio $ratio), peak RSS $rss_mib MiB; load average $load"
if [ "$APPEND" = 1 ]; then
    # The same section goes to bench/NOTES.md, which bench/run.sh embeds when it
    # regenerates BENCHMARKS.md, and to BENCHMARKS.md itself, which ends with NOTES.md.
    section=$(cat <<MD

### Verified download ($(date -u '+%Y-%m-%d %H:%M UTC'), \`bench/download.sh $SIZE_MIB $RUNS\`)

| $SIZE_MIB MiB file, CIDv1, from the bench server (CPU 0) to a file (client on CPU 1), median of $RUNS interleaved runs | MB/s | ratio to curl | peak RSS |
|---|---|---|---|
| \`curl -o\` of the plain bytes (nothing checked) | $curl_mbs | 1.00 | — |
| libpinata \`pinata_download_cid\`, CAR, every block verified, temp name + rename | $lib_mbs | $ratio | $rss_mib MiB |

Load average $load at the end of the run; the ratio, taken from interleaved runs, is the
figure to read.
MD
)
    printf '%s\n' "$section" >> "$ROOT/bench/NOTES.md"
    printf '%s\n' "$section" >> "$ROOT/BENCHMARKS.md"
    echo "appended to bench/NOTES.md and BENCHMARKS.md"
fi
