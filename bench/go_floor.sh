#!/usr/bin/env bash
# Issue 17 §2: the Go binding against raw libcurl from C and against what any Go client
# reaches on this machine (bench/gofloor: libcurl driven from Go's netpoller, libcurl in
# blocking cgo calls, Go's own net/http). Interleaved, run by run, against bench/server
# on CPU 0, a fresh server per round:
#   same core (client on CPU 0): CALLS sequential testAuthentication calls
#   8 workers (client on CPU 1): CALLS JSON pins from 8 threads / goroutines
# Prints a table of medians and ratios to raw libcurl (also written to
# bench/results/gofloor.md, with the load average at the start and the end), and writes
# every timed run to bench/results/gofloor.jsonl; both are replaced only when every run
# succeeds. A section of bench/run.sh.
# BENCH_NO_BUILD=1 (bench/run.sh --no-build): use the library already built in target/release.
#
#   bench/go_floor.sh [CALLS [RUNS]]     defaults 2000 calls, 7 runs
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
CALLS=${1:-2000}
RUNS=${2:-7}
REL=$ROOT/target/release
mkdir -p "$BENCH/bin" "$BENCH/results"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
TMP=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/pinata-gofloor.XXXXXX")
SRV_PID=
stop_server() { [ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null && wait "$SRV_PID" 2>/dev/null; SRV_PID=; }
trap 'stop_server; rm -rf "$TMP"' EXIT

export PINATA_HEADER_OUT=$ROOT/target/pinata.h
if [ -z "${BENCH_NO_BUILD:-}" ]; then
  (cd "$ROOT" && make --no-print-directory release >/dev/null)
fi
(cd "$ROOT" && make --no-print-directory target/release/pinata-static.pc >/dev/null)
cargo build --quiet --release --manifest-path "$BENCH/server/Cargo.toml"
${CC:-gcc} -O2 -std=c99 -Wall -Wextra -Werror "$BENCH/c/curl_bench.c" -o "$BENCH/bin/curl_bench" -lcurl -lpthread
(cd "$BENCH/go" && go build -tags pinata_repo_release -o "$BENCH/bin/gobench" .)
(cd "$BENCH/gofloor" && go build -o "$BENCH/bin/gofloor" .)

secs() { python3 -c 'import json,sys;print(json.load(sys.stdin)["secs"])'; }
ROWS="raw-curl go-binding curl-netpoll curl-blocking net-http"
row() { # WHAT ROW
  local T
  if [ "$1" = same ]; then
    T=(taskset -c 0)
    case "$2" in
      raw-curl) "${T[@]}" "$BENCH/bin/curl_bench" auth "$URL" "$JWT" "$CALLS" ;;
      go-binding) "${T[@]}" "$BENCH/bin/gobench" auth "$URL" "$JWT" "$CALLS" ;;
      *) "${T[@]}" "$BENCH/bin/gofloor" "$2" "$URL" "$JWT" "$CALLS" ;;
    esac
  else
    T=(taskset -c 1)
    case "$2" in
      raw-curl) "${T[@]}" "$BENCH/bin/curl_bench" json "$URL" "$JWT" "$CALLS" 8 ;;
      go-binding) "${T[@]}" "$BENCH/bin/gobench" json "$URL" "$JWT" "$CALLS" 8 ;;
      *) "${T[@]}" "$BENCH/bin/gofloor" "$2-json" "$URL" "$JWT" "$CALLS" 8 ;;
    esac
  fi | secs
}

OUT=$TMP/runs.txt
for run in $(seq 1 "$RUNS"); do
  taskset -c 0 "$BENCH/server/target/release/pinata-bench-server" >"$TMP/srv.json" &
  SRV_PID=$!
  for _ in $(seq 1 200); do [ -s "$TMP/srv.json" ] && break; sleep 0.05; done
  URL=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["url"])' "$TMP/srv.json")
  JWT=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["jwt"])' "$TMP/srv.json")
  # Alternate the order from round to round, so no row always follows the same one.
  rows=$ROWS; [ $((run % 2)) = 0 ] && rows=$(echo "$ROWS" | tr ' ' '\n' | tac | tr '\n' ' ')
  for what in same json8; do
    for r in $rows; do
      s=$(row "$what" "$r") # a client that fails stops the script (set -e)
      echo "$what $r $run $s $(date +%s)" >>"$OUT" # the last field: when it was taken
    done
  done
  stop_server
  : >"$TMP/srv.json"
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$OUT" "$CALLS" "$RUNS" "$LOAD0" "$LOAD1" "$TMP/gofloor.jsonl" >"$TMP/gofloor.md" <<'PY'
import json, statistics, sys
path, calls, runs, load0, load1, jsonl = sys.argv[1:]
calls = int(calls)
secs = {}
with open(jsonl, "w") as out:
    for line in open(path):
        what, row, run, s, at = line.split()
        secs.setdefault((what, row), {})[int(run)] = float(s)
        out.write(json.dumps({"row": f"{what}/{row}", "run": int(run), "secs": float(s), "n": calls,
                              "at": int(at)}) + "\n")
names = {
    "raw-curl": "raw libcurl from C (one easy handle per thread)",
    "go-binding": "**Go binding** (`TestAuth`, `PinJSON`)",
    "curl-netpoll": "libcurl driven from Go's netpoller (`bench/gofloor`)",
    "curl-blocking": "libcurl in blocking cgo calls (`bench/gofloor`)",
    "net-http": "Go's `net/http` (`bench/gofloor`)",
}
print(f"`bench/go_floor.sh {calls} {runs}`: {calls} calls per run, medians of {runs} interleaved rounds, "
      f"fresh bench server on CPU 0 each round; load average {load0} at the start, {load1} at the end.\n")
print("| client | same core: calls/s | × raw | 8 workers, JSON pins (CPU 1): pins/s | × raw | × raw, median per round |")
print("|---|---:|---:|---:|---:|---:|")
for row in ["raw-curl", "go-binding", "curl-netpoll", "curl-blocking", "net-http"]:
    cells = []
    for what in ["same", "json8"]:
        s = statistics.median(secs[(what, row)].values())
        raw = statistics.median(secs[(what, "raw-curl")].values())
        cells += [f"{calls / s:,.0f}", f"{raw / s:.2f}"]
    per_round = statistics.median(secs[("json8", "raw-curl")][r] / secs[("json8", row)][r]
                                  for r in secs[("json8", row)])
    print(f"| {names[row]} | {cells[0]} | {cells[1]} | {cells[2]} | {cells[3]} | {per_round:.2f} |")
PY
mv "$TMP/gofloor.jsonl" "$TMP/gofloor.md" "$BENCH/results/"
cat "$BENCH/results/gofloor.md"
