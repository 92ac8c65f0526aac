#!/usr/bin/env bash
# Verified uploads against hashing (issue 17 §1): one file of SIZE MiB, client unpinned
# (both cores, as the issue's targets say), bench/server on CPU 0, RUNS interleaved runs of
#   raw-curl           raw libcurl upload (the floor)
#   libpinata-off      verification off
#   libpinata-v0       CID v0 verified
#   libpinata-v1       CID v1 verified, fresh client: both v1 profiles hashed, two threads
#   libpinata-v1-learned  CID v1 verified after a warm-up v1 upload taught the client the
#                      service's profile: one profile hashed
#   cid-v0, cid-v1     pinata_cid_of_path, one thread (the hashing alone)
# Writes bench/results/verify.jsonl and bench/results/verify.md, with the load average.
#
#   bench/verify.sh [SIZE_MIB [RUNS]]     defaults 1024 MiB, 5 runs
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
SIZE=${1:-1024}
RUNS=${2:-5}
REL=$ROOT/target/release
RESULTS=$BENCH/results
mkdir -p "$RESULTS" "$BENCH/bin"
OUT=$RESULTS/verify.jsonl
: >"$OUT"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

TMP=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/pinata-verify.XXXXXX")
SRV_PID=
cleanup() {
  [ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null && wait "$SRV_PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT

export PINATA_HEADER_OUT=$ROOT/target/pinata.h
# BENCH_NO_BUILD=1 (bench/run.sh --no-build): use the library already built in target/release.
if [ -z "${BENCH_NO_BUILD:-}" ]; then
  (cd "$ROOT" && make --no-print-directory release >/dev/null && cargo build --quiet --release -p pinata --example cid_bench)
fi
cargo build --quiet --release --manifest-path "$BENCH/server/Cargo.toml"
CC=${CC:-gcc}
$CC -O2 -std=c99 -Wall -Wextra -Werror -I"$ROOT/include" "$BENCH/c/pinata_bench.c" \
  -o "$BENCH/bin/pinata_bench" -L"$REL" -Wl,-rpath,"$REL" -lpinata -lpthread
$CC -O2 -std=c99 -Wall -Wextra -Werror "$BENCH/c/curl_bench.c" -o "$BENCH/bin/curl_bench" -lcurl -lpthread
PB=$BENCH/bin/pinata_bench
CB=$BENCH/bin/curl_bench

mkdir -p "$TMP/files"
mk() { # NAME MiB
  (set +o pipefail
   openssl enc -aes-128-ctr -pass "pass:libpinata-bench-$2" -nosalt -pbkdf2 </dev/zero 2>/dev/null |
     head -c $(( $2 * 1048576 )) >"$TMP/files/$1")
  "$REL/examples/cid_bench" "$TMP/files/$1" v0 0 | cut -f1 >"$TMP/files/$1.cid0"
  "$REL/examples/cid_bench" "$TMP/files/$1" v1 0 | cut -f1 >"$TMP/files/$1.cid1"
}
mk "up-${SIZE}m.bin" "$SIZE"
mk warm.bin 2
F=$TMP/files/up-${SIZE}m.bin
W=$TMP/files/warm.bin

taskset -c 0 "$BENCH/server/target/release/pinata-bench-server" --files-dir "$TMP/files" >"$TMP/srv.json" &
SRV_PID=$!
for _ in $(seq 1 200); do [ -s "$TMP/srv.json" ] && break; sleep 0.05; done
URL=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["url"])' "$TMP/srv.json")
JWT=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["jwt"])' "$TMP/srv.json")
cat "$F" >/dev/null
curl -sS -o /dev/null -H "Authorization: Bearer $JWT" -F "file=@$F" "$URL/pinning/pinFileToIPFS"

row() { # ROW RUN
  local line rc=0
  case "$1" in
    raw-curl) line=$("$CB" upload "$URL" "$JWT" "$F") || rc=$? ;;
    libpinata-off) line=$("$PB" upload "$URL" "$JWT" "$F" off) || rc=$? ;;
    libpinata-v0) line=$("$PB" upload "$URL" "$JWT" "$F" v0) || rc=$? ;;
    libpinata-v1) line=$("$PB" upload "$URL" "$JWT" "$F" v1) || rc=$? ;;
    libpinata-v1-learned) line=$("$PB" upload "$URL" "$JWT" "$F" v1 "$W") || rc=$? ;;
    cid-v0) line=$("$PB" cid "$F" 0) || rc=$? ;;
    cid-v1) line=$("$PB" cid "$F" 1) || rc=$? ;;
  esac
  python3 - "$OUT" "$1" "$2" "$rc" "${line:-}" <<'EOF'
import json, sys
out, row, run, rc, line = sys.argv[1:]
rec = {"row": row, "run": int(run)}
try:
    rec.update(json.loads(line.strip().splitlines()[-1]))
except Exception:
    rec["failed"] = True
if int(rc) != 0:
    rec["failed"] = True
open(out, "a").write(json.dumps(rec) + "\n")
print(f"  {row} run {run}: {rec.get('secs', 'FAILED')}", file=sys.stderr)
EOF
}

ROWS="raw-curl libpinata-off libpinata-v0 libpinata-v1 libpinata-v1-learned cid-v0 cid-v1"
for run in $(seq 1 "$RUNS"); do
  rows=$ROWS; [ $((run % 2)) = 0 ] && rows=$(echo "$ROWS" | tr ' ' '\n' | tac | tr '\n' ' ')
  for r in $rows; do row "$r" "$run"; done
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$OUT" "$RESULTS/verify.md" "$SIZE" "$RUNS" "$LOAD0" "$LOAD1" <<'EOF'
import json, statistics, sys, datetime
out, md, size, runs, load0, load1 = sys.argv[1:]
recs = [json.loads(l) for l in open(out)]
rows = {}
for r in recs:
    rows.setdefault(r["row"], []).append(r)
def med(row):
    ok = [r["secs"] for r in rows.get(row, []) if not r.get("failed")]
    return statistics.median(ok) if ok else None
label = {
    "raw-curl": "raw libcurl upload",
    "libpinata-off": "libpinata, verification off",
    "libpinata-v0": "libpinata, v0 verified",
    "libpinata-v1": "libpinata, v1 verified, fresh client (both v1 profiles, two threads)",
    "libpinata-v1-learned": "libpinata, v1 verified, profile learned (one profile)",
    "cid-v0": "`pinata_cid_of_path` v0, one thread",
    "cid-v1": "`pinata_cid_of_path` v1, one thread",
}
mb = int(size) * 1048576 / 1e6
lines = [
    f"{size} MiB, client unpinned, `bench/server` on CPU 0; median of {runs} interleaved runs "
    f"({datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, load average {load0} at the start, {load1} at the end: "
    "compare rows of this run only).",
    "",
    "| row | MB/s (median) | runs ok |",
    "|---|---:|---:|",
]
for row in label:
    m = med(row)
    ok = sum(1 for r in rows.get(row, []) if not r.get("failed"))
    lines.append(f"| {label[row]} | {mb / m:,.0f} | {ok}/{len(rows.get(row, []))} |" if m else f"| {label[row]} | failed | 0 |")
def ratio(a, b):
    ma, mb_ = med(a), med(b)
    return f"{mb_ / ma:.2f}×" if ma and mb_ else "n/a"
lines += [
    "",
    f"- verified v1 (learned) ÷ verified v0: {ratio('libpinata-v1-learned', 'libpinata-v0')} (target ≥ 0.9×)",
    f"- verified v1 (fresh, two threads) ÷ verified v0: {ratio('libpinata-v1', 'libpinata-v0')}",
    f"- verified v0 ÷ `pinata_cid_of_path` v0 one thread: {ratio('libpinata-v0', 'cid-v0')} (target ≥ 0.9×)",
    f"- verification off ÷ raw libcurl: {ratio('libpinata-off', 'raw-curl')}",
]
open(md, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
EOF
