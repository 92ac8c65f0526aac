#!/usr/bin/env bash
# Resumable (TUS) uploads against multipart, in the same run, through the release
# emulator (which hashes every byte as it arrives, for both paths):
#   - throughput of one v3 multipart upload and of TUS uploads at several chunk sizes
#     (median of RUNS; the ratio TUS/multipart, target >= 0.9);
#   - peak RSS of the client process for each (target <= 16 MiB whatever the chunk);
#   - the cost of a resume: an upload cancelled at half, then resumed (the resume
#     re-reads and re-hashes the first half from disk to rebuild the CID check).
# The file lives on tmpfs (/dev/shm) when there is one. Prints a Markdown section.
#
#   bench/tus.sh [--quick]     --quick: 256 MiB, 1 run (a smoke test); BENCH_MIB and
#                              BENCH_RUNS override (defaults 1024 and 3)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MIB=${BENCH_MIB:-1024} RUNS=${BENCH_RUNS:-3}
[ "${1:-}" = --quick ] && { MIB=256; RUNS=1; }
CHUNKS_MIB=${BENCH_CHUNKS_MIB:-"4 16 64"}
log() { printf '[tus bench] %s\n' "$*" >&2; }

log "building: make release, the release emulator, bench/c/tus_bench.c"
make -C "$ROOT" --no-print-directory release >/dev/null
cargo build --quiet --release -p pinata-emulator --manifest-path "$ROOT/Cargo.toml"
base=/tmp
[ -d /dev/shm ] && base=/dev/shm
TMP=$(mktemp -d "$base/pinata-tus-bench.XXXXXX")
EMU_PID=
cleanup() {
  if [ -n "$EMU_PID" ]; then kill "$EMU_PID" 2>/dev/null || true; wait "$EMU_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
${CC:-gcc} -O2 -std=c99 -Wall -Wextra -Werror -I"$ROOT/include" "$ROOT/bench/c/tus_bench.c" \
  -o "$TMP/tus_bench" -L"$ROOT/target/release" -Wl,-rpath,"$ROOT/target/release" -lpinata
mkfifo "$TMP/ready"
"$ROOT/target/release/pinata-emulator" --listen 127.0.0.1:0 --quiet >"$TMP/ready" &
EMU_PID=$!
read -r line <"$TMP/ready"
URL=$(printf '%s' "$line" | sed -E 's/.*"url":"([^"]+)".*/\1/')
JWT=$(printf '%s' "$line" | sed -E 's/.*"jwt":"([^"]+)".*/\1/')
log "emulator at $URL; writing a $MIB MiB file"
head -c $((MIB * 1024 * 1024)) /dev/urandom >"$TMP/file.bin"
mkdir "$TMP/journal"

# run LABEL ARGS...: one upload; prints "secs rss_kib"
run() {
  local out rss
  # A new content each run (first 8 bytes), so the store never answers "duplicate".
  head -c 8 /dev/urandom | dd of="$TMP/file.bin" conv=notrunc status=none
  out=$(/usr/bin/time -f '%M' -o "$TMP/rss" "$TMP/tus_bench" "$URL" "$JWT" "$TMP/file.bin" "$@")
  rss=$(cat "$TMP/rss")
  printf '%s %s\n' "$(printf '%s' "$out" | sed -E 's/.*"secs":([0-9.]+).*/\1/')" "$rss"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A SECS RSS
for label in multipart $CHUNKS_MIB; do
  : >"$TMP/s"; : >"$TMP/r"
  for _ in $(seq "$RUNS"); do
    if [ "$label" = multipart ]; then
      read -r s r < <(run multipart)
    else
      read -r s r < <(run tus $((label * 1024 * 1024)) "$TMP/journal")
    fi
    echo "$s" >>"$TMP/s"; echo "$r" >>"$TMP/r"
  done
  SECS[$label]=$(median <"$TMP/s")
  RSS[$label]=$(sort -n "$TMP/r" | tail -1)
  log "$label: ${SECS[$label]} s, peak RSS ${RSS[$label]} KiB"
done

# Resume cost: cancel at half, then resume (re-hash of the first half from disk).
head -c 8 /dev/urandom | dd of="$TMP/file.bin" conv=notrunc status=none
half=$((MIB * 1024 * 1024 / 2))
"$TMP/tus_bench" "$URL" "$JWT" "$TMP/file.bin" tus $((16 * 1024 * 1024)) "$TMP/journal" "$half" >/dev/null || [ $? -eq 3 ]
resume=$("$TMP/tus_bench" "$URL" "$JWT" "$TMP/file.bin" tus $((16 * 1024 * 1024)) "$TMP/journal")
resume_secs=$(printf '%s' "$resume" | sed -E 's/.*"secs":([0-9.]+).*/\1/')
resumed_from=$(printf '%s' "$resume" | sed -E 's/.*"resumed_from":([0-9]+).*/\1/')

mp=${SECS[multipart]}
echo "## TUS against multipart ($MIB MiB, median of $RUNS, release build, $(date -u +%Y-%m-%d))"
echo
echo "| path | chunk | MB/s | ratio to multipart | peak RSS (MiB) |"
echo "|---|---|---|---|---|"
awk -v s="$mp" -v r="${RSS[multipart]}" -v m="$MIB" 'BEGIN {printf "| multipart | - | %.0f | 1.00 | %.1f |\n", m*1.048576/s, r/1024}'
for c in $CHUNKS_MIB; do
  awk -v s="${SECS[$c]}" -v mp="$mp" -v r="${RSS[$c]}" -v m="$MIB" -v c="$c" \
    'BEGIN {printf "| TUS | %d MiB | %.0f | %.2f | %.1f |\n", c, m*1.048576/s, mp/s, r/1024}'
done
echo
awk -v s="$resume_secs" -v f="$resumed_from" -v full="${SECS[16]:-0}" 'BEGIN {
  printf "Resume after a cancel at half: resumed from %d bytes, the resumed call took %.2f s ", f, s;
  if (full > 0) printf "(half of a full 16 MiB-chunk upload: %.2f s; the difference is the re-hash of the prefix and the HEAD).\n", full/2; else print "";
}'
