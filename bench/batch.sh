#!/usr/bin/env bash
# Many files at once (issue 17 §4): N files of 64 KiB, K in flight, against bench/server
# (which compares every byte with the file of the same name and answers with its real
# CID). Contenders, interleaved run by run, client on CPU 1, server on CPU 0:
#   raw-multi          raw libcurl: one curl multi handle, K easy handles reused
#   libpinata-off      pinata_pin_batch, verification off
#   libpinata-v0       pinata_pin_batch, CID verification on (each file hashed)
#   node-pinata        npm `pinata` (v3 /files), K concurrent async uploads
#   node-legacy        npm `@pinata/sdk` (pinFileToIPFS), K concurrent async uploads
# Writes bench/results/batch.jsonl and bench/results/batch.md (the table BENCHMARKS.md
# quotes), with the load average at the start and the end.
#
#   bench/batch.sh [N [K [RUNS]]]     defaults 1000 files, 8 in flight, 5 runs
#   BENCH_NO_NODE=1                   skip the npm SDK rows
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
N=${1:-1000}
K=${2:-8}
RUNS=${3:-5}
REL=$ROOT/target/release
RESULTS=$BENCH/results
mkdir -p "$RESULTS" "$BENCH/bin"
OUT=$RESULTS/batch.jsonl
: >"$OUT"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

TMP=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/pinata-batch.XXXXXX")
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
NODE=0
if [ -z "${BENCH_NO_NODE:-}" ] && command -v node >/dev/null; then
  if [ ! -d "$BENCH/node/node_modules/pinata" ]; then
    npm ci --prefix "$BENCH/node" --no-audit --no-fund --loglevel=error >/dev/null 2>&1 || true
  fi
  [ -d "$BENCH/node/node_modules/pinata" ] && NODE=1
fi

# The files: one deterministic keystream cut into N pieces. The server reads them (and
# their CID sidecars) from files/; the clients send the same names from send/ (hard links:
# regular files, as a folder of photos holds),
# so no sidecar is sent.
mkdir -p "$TMP/files" "$TMP/send"
(set +o pipefail
 openssl enc -aes-128-ctr -pass pass:libpinata-batch -nosalt -pbkdf2 </dev/zero 2>/dev/null |
   head -c $((N * 65536)) >"$TMP/all.bin")
(cd "$TMP/files" && split -b 65536 -a 5 -d "$TMP/all.bin" f && rm "$TMP/all.bin")
for f in "$TMP/files"/f*; do
  b=$(basename "$f")
  "$REL/examples/cid_bench" "$f" v0 1 | cut -f1 >"$f.cid0"
  ln "$f" "$TMP/send/$b"
done

taskset -c 0 "$BENCH/server/target/release/pinata-bench-server" --files-dir "$TMP/files" >"$TMP/srv.json" &
SRV_PID=$!
for _ in $(seq 1 200); do [ -s "$TMP/srv.json" ] && break; sleep 0.05; done
URL=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["url"])' "$TMP/srv.json")
JWT=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["jwt"])' "$TMP/srv.json")
cat "$TMP"/files/f* >/dev/null

row() { # ROW RUN
  local line rc=0
  case "$1" in
    raw-multi) line=$(taskset -c 1 "$BENCH/bin/curl_bench" multi "$URL" "$JWT" "$TMP/send" "$K") || rc=$? ;;
    libpinata-off) line=$(taskset -c 1 "$BENCH/bin/pinata_bench" batch "$URL" "$JWT" "$TMP/send" "$K" off) || rc=$? ;;
    libpinata-v0) line=$(taskset -c 1 "$BENCH/bin/pinata_bench" batch "$URL" "$JWT" "$TMP/send" "$K" v0) || rc=$? ;;
    node-pinata) line=$(taskset -c 1 timeout 600 node "$BENCH/node/bench.mjs" pinata batch "$URL" "$JWT" "$TMP/send" "$K") || rc=$? ;;
    node-legacy) line=$(taskset -c 1 timeout 600 node "$BENCH/node/bench.mjs" legacy batch "$URL" "$JWT" "$TMP/send" "$K") || rc=$? ;;
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

ROWS="raw-multi libpinata-off libpinata-v0"
[ "$NODE" = 1 ] && ROWS="$ROWS node-pinata node-legacy"
for run in $(seq 1 "$RUNS"); do
  rows=$ROWS; [ $((run % 2)) = 0 ] && rows=$(echo "$ROWS" | tr ' ' '\n' | tac | tr '\n' ' ')
  for r in $rows; do row "$r" "$run"; done
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$OUT" "$RESULTS/batch.md" "$N" "$K" "$RUNS" "$LOAD0" "$LOAD1" <<'EOF'
import json, statistics, sys, datetime
out, md, n, k, runs, load0, load1 = sys.argv[1:]
recs = [json.loads(l) for l in open(out)]
rows = {}
for r in recs:
    rows.setdefault(r["row"], []).append(r)
def med(row):
    ok = [r["secs"] for r in rows.get(row, []) if not r.get("failed")]
    return statistics.median(ok) if ok else None
raw = med("raw-multi")
label = {
    "raw-multi": "raw libcurl, one multi handle",
    "libpinata-off": "libpinata `pinata_pin_batch`, verification off",
    "libpinata-v0": "libpinata `pinata_pin_batch`, CID verified",
    "node-pinata": "npm `pinata` 2.5.6, concurrent `upload.public.file`",
    "node-legacy": "npm `@pinata/sdk` 2.1.0, concurrent `pinFileToIPFS`",
}
lines = [
    f"{n} files of 64 KiB, {k} in flight, against `bench/server` (every byte compared); client on CPU 1, "
    f"server on CPU 0; median of {runs} interleaved runs ({datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, "
    f"load average {load0} at the start, {load1} at the end; compare rows of this run only).",
    "",
    "| contender | files/s (median) | MB/s | × raw libcurl multi | × npm `pinata` | runs ok |",
    "|---|---:|---:|---:|---:|---:|",
]
node = med("node-pinata")
for row in ["raw-multi", "libpinata-off", "libpinata-v0", "node-pinata", "node-legacy"]:
    if row not in rows:
        continue
    m = med(row)
    ok = sum(1 for r in rows[row] if not r.get("failed"))
    if m is None:
        lines.append(f"| {label[row]} | failed | | | | 0/{len(rows[row])} |")
        continue
    fps = int(n) / m
    mbs = int(n) * 65536 / m / 1e6
    xr = f"{raw / m:.2f}×" if raw else ""
    xn = f"{node / m:.1f}×" if node else ""
    lines.append(f"| {label[row]} | {fps:,.0f} | {mbs:,.0f} | {xr} | {xn} | {ok}/{len(rows[row])} |")
open(md, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
EOF
