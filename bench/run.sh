#!/usr/bin/env bash
# libpinata benchmark harness (`make bench`). Builds every contender, runs every
# measurement against a local server, and rewrites BENCHMARKS.md, bench/growth.png and the
# performance summary in README.md.
#
#   bench/run.sh                 the full set (about 21 minutes on the 2-core VM, plus the build)
#   bench/run.sh --quick         small sizes and fewer calls (a few minutes): a smoke test
#   bench/run.sh --only calls,uploads,unpinned,json,cid,growth,profile,batch,verify,download,gofloor
#                                a subset; rows of the other sections are kept from the
#                                previous run's results when present (bench/results/);
#                                batch, verify, download and gofloor run bench/batch.sh,
#                                bench/verify.sh, bench/download.sh and bench/go_floor.sh
#   bench/run.sh --no-render     measure only (results in bench/results/), no BENCHMARKS.md
#                                and no README.md performance summary
#   bench/run.sh --no-build      use the libpinata, emulator and cid_bench already built in
#                                target/release (e.g. while src/ is mid-edit). The section
#                                scripts never build it: they measure the harness's build
#
# Environment: BENCH_TMPDIR (default /tmp) holds the generated files (about 7.5 GiB in the
# full run, deleted before the section scripts; bench/download.sh then needs about 12 GiB).
# Placement: every server is pinned to CPU 0; per-call rows run the client on CPU 0 ("same
# core") and on CPU 1 ("split"); upload and JSON rows run it on CPU 1; CID rows leave it
# unpinned. Each row's value is the median of interleaved runs.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
export PINATA_HEADER_OUT=$ROOT/target/pinata.h
START_TS=$(date +%s)
CMDLINE="bench/run.sh${*:+ $*}"

QUICK=0
ONLY="calls,uploads,unpinned,json,cid,growth,profile,batch,verify,download,gofloor"
RENDER=1
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --only) ONLY=$2; shift ;;
    --only=*) ONLY=${1#--only=} ;;
    --no-render) RENDER=0 ;;
    --no-build) BUILD=0; export BENCH_NO_BUILD=1 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
want() { [[ ",$ONLY," == *",$1,"* ]]; }

MiB=$((1024 * 1024))
if [ "$QUICK" = 1 ]; then
  CALLS=500; JSON_CALLS=200; JSON_CALLS_WORKERS=1000; RUNS_CALLS=5; RUNS_SMALL=3; RUNS_1G=3; RUNS_BIG=3; RUNS_CID=3
  BIG_SIZES="64 256"; GROWTH_SIZES="16 64 256"; CID_MIB=256; EMU_MIB=64
  BATCH_ARGS="200 8 3"; VERIFY_ARGS="256 3"; DOWNLOAD_ARGS="256 3"; GOFLOOR_ARGS="1000 3"
else
  # The workers' JSON rows pin 8,000 documents a run: at 1,000 a run lasted 30-60 ms, and
  # the per-round ratios spread over 0.5-1.3x.
  CALLS=2000; JSON_CALLS=1000; JSON_CALLS_WORKERS=8000; RUNS_CALLS=15; RUNS_SMALL=5; RUNS_1G=7; RUNS_BIG=5; RUNS_CID=3
  BIG_SIZES="1024 4096"; GROWTH_SIZES="64 256 1024 4096"; CID_MIB=2048; EMU_MIB=1024
  BATCH_ARGS="1000 8 5"; VERIFY_ARGS="1024 5"; DOWNLOAD_ARGS="1024,4096 3"; GOFLOOR_ARGS="8000 7"
fi
THREADS=8
RUN_TIMEOUT=${RUN_TIMEOUT:-300}

RESULTS=$BENCH/results
mkdir -p "$RESULTS"
RES=$RESULTS/runs.jsonl.new
: >"$RES"
META=$RESULTS/meta.json

TMP=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/pinata-bench.XXXXXX")
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT
FILES=$TMP/files
mkdir -p "$FILES"
log() { printf '[%4ds] %s\n' $(( $(date +%s) - START_TS )) "$*" >&2; }

# ------------------------------------------------------------------------------------
# Build everything (each step is a no-op when up to date).
log "building: libpinata (release), emulator, cid_bench, bench server, C/Go programs"
if [ "$BUILD" = 1 ]; then
  (cd "$ROOT" && make --no-print-directory release >/dev/null)
  (cd "$ROOT" && cargo build --quiet --release -p pinata-emulator && cargo build --quiet --release -p pinata --example cid_bench)
fi
cargo build --quiet --release --manifest-path "$BENCH/server/Cargo.toml"
SERVER_BIN=$BENCH/server/target/release/pinata-bench-server
EMULATOR_BIN=$ROOT/target/release/pinata-emulator
CID_BENCH=$ROOT/target/release/examples/cid_bench
REL=$ROOT/target/release
mkdir -p "$BENCH/bin"
CC=${CC:-gcc}
$CC -O2 -std=c99 -Wall -Wextra -Werror -I"$ROOT/include" "$BENCH/c/pinata_bench.c" \
  -o "$BENCH/bin/pinata_bench" -L"$REL" -Wl,-rpath,"$REL" -lpinata -lpthread
$CC -O2 -std=c99 -Wall -Wextra -Werror "$BENCH/c/curl_bench.c" -o "$BENCH/bin/curl_bench" -lcurl -lpthread
make -C "$ROOT" --no-print-directory target/release/pinata-static.pc >/dev/null
(cd "$BENCH/go" && go build -tags pinata_repo_release -o "$BENCH/bin/gobench" .)
log "installing: npm SDKs (bench/node), Python venv (bench/.venv), JS importer"
if [ ! -d "$BENCH/node/node_modules/pinata" ] || [ "$BENCH/node/package-lock.json" -nt "$BENCH/node/node_modules/.package-lock.json" ]; then
  npm ci --prefix "$BENCH/node" --no-audit --no-fund --loglevel=error >/dev/null
fi
if [ ! -x "$BENCH/.venv/bin/python" ]; then python3 -m venv "$BENCH/.venv"; fi
if ! cmp -s "$BENCH/python/requirements.txt" "$BENCH/.venv/.requirements.txt"; then
  "$BENCH/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$BENCH/python/requirements.txt"
  cp "$BENCH/python/requirements.txt" "$BENCH/.venv/.requirements.txt"
fi
PY=$BENCH/.venv/bin/python
JSX=$ROOT/tests/js-crosscheck
if [ ! -d "$JSX/node_modules/ipfs-unixfs-importer" ]; then
  npm ci --prefix "$JSX" --no-audit --no-fund --loglevel=error >/dev/null
fi
if ! command -v wrk >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  apt-get install -y -qq wrk >/dev/null 2>&1 || true # only for the server's requests/s ceiling
fi
PB=$BENCH/bin/pinata_bench
CB=$BENCH/bin/curl_bench
# The User-Agent libpinata sends (src/lib.rs), for the raw libcurl row that sends the same request.
PINATA_UA="libpinata/$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -1)"
GB=$BENCH/bin/gobench
NB=$BENCH/node/bench.mjs
RB=$BENCH/python/bench_requests.py

# ------------------------------------------------------------------------------------
# Test files: deterministic pseudo-random bytes (AES-128-CTR keystream), so a file of a
# given size has the same content, and the same CID, on every run.
make_file() { # path MiB  (openssl dies of SIGPIPE when head has enough: not an error)
  (set +o pipefail
   openssl enc -aes-128-ctr -pass "pass:libpinata-bench-$2" -nosalt -pbkdf2 </dev/zero 2>/dev/null |
     head -c $(( $2 * MiB )) >"$1")
  [ "$(stat -c %s "$1")" -eq $(( $2 * MiB )) ] || { echo "bench/run.sh: could not write $1" >&2; exit 1; }
}
need_mib=0
for s in $(echo "$BIG_SIZES $GROWTH_SIZES" | tr ' ' '\n' | sort -un); do need_mib=$((need_mib + s)); done
want cid && need_mib=$((need_mib + CID_MIB))
# bench/download.sh runs after these files are deleted, and needs 3 times its largest size.
disk_mib=$need_mib
if want download; then
  dl_mib=$(( 3 * $(echo "${DOWNLOAD_ARGS%% *}" | tr ',' '\n' | sort -n | tail -1) ))
  if [ "$dl_mib" -gt "$disk_mib" ]; then disk_mib=$dl_mib; fi
fi
avail_mib=$(( $(df -Pk "$TMP" | awk 'NR==2{print $4}') / 1024 ))
if [ "$avail_mib" -lt $((disk_mib + 2048)) ]; then
  echo "bench/run.sh: $avail_mib MiB free in $TMP, $disk_mib MiB (+2 GiB) needed; set BENCH_TMPDIR" >&2
  exit 1
fi
log "writing test files ($need_mib MiB) in $TMP"
up_file() { echo "$FILES/up-$1m.bin"; }
for s in $(echo "$BIG_SIZES $GROWTH_SIZES" | tr ' ' '\n' | sort -un); do
  f=$(up_file "$s")
  make_file "$f" "$s"
  # The real CIDs, for the server's answers (so libpinata can verify): all cores.
  "$CID_BENCH" "$f" v0 0 | cut -f1 >"$f.cid0"
  "$CID_BENCH" "$f" v1 0 | cut -f1 >"$f.cid1"
done
CID_FILE=$FILES/cid-${CID_MIB}m.bin
want cid && make_file "$CID_FILE" "$CID_MIB"

# ------------------------------------------------------------------------------------
# Servers.
start_server() { # NAME CMD... ; sets NAME_URL NAME_JWT NAME_PID
  local name=$1; shift
  taskset -c 0 "$@" >"$TMP/$name.json" 2>"$TMP/$name.err" &
  local pid=$!
  PIDS+=("$pid")
  for _ in $(seq 1 200); do [ -s "$TMP/$name.json" ] && break; sleep 0.05; done
  [ -s "$TMP/$name.json" ] || { echo "$name did not start:" >&2; cat "$TMP/$name.err" >&2; exit 1; }
  printf -v "${name}_URL" '%s' "$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["url"])' "$TMP/$name.json")"
  printf -v "${name}_JWT" '%s' "$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["jwt"])' "$TMP/$name.json")"
  printf -v "${name}_PID" '%s' "$pid"
}
start_server SRV "$SERVER_BIN" --files-dir "$FILES"
start_server EMU "$EMULATOR_BIN" --listen 127.0.0.1:0 --quiet
log "bench server $SRV_URL (pid $SRV_PID), emulator $EMU_URL (pid $EMU_PID), both on CPU 0"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
CLK_TCK=$(getconf CLK_TCK)

# record SECTION ROW RUN CMD... : runs CMD under /usr/bin/time, appends one JSON line.
record() {
  local section=$1 row=$2 run=$3; shift 3
  local out=$TMP/rec.out err=$TMP/rec.err tm=$TMP/rec.time rc=0
  # A run that hangs (it happened: see the npm `pinata` openAsBlob note) is stopped after
  # RUN_TIMEOUT seconds and recorded as failed.
  /usr/bin/time -f '%M %e' -o "$tm" timeout "$RUN_TIMEOUT" "$@" >"$out" 2>"$err" || rc=$?
  python3 - "$RES" "$section" "$row" "$run" "$rc" "$out" "$err" "$tm" <<'PYEOF'
import json, sys
res, section, row, run, rc, out, err, tm = sys.argv[1:]
rec = {"section": section, "row": row, "run": int(run)}
try:
    rss_kib, wall = open(tm).read().split()[-2:]
    rec["rss_kib"] = int(rss_kib); rec["wall"] = float(wall)
except Exception:
    pass
text = open(out).read().strip().splitlines()
try:
    rec.update(json.loads(text[-1]))
except Exception:
    rec["failed"] = True
if int(rc) != 0 or ("http" in rec and int(rec["http"]) != 200):
    rec["failed"] = True
if rec.get("failed"):
    rec["error"] = (open(err).read().strip()[-400:] or " ".join(text)[-400:]) + f" (exit {rc})"
    print(f"  FAILED {row} run {run}: {rec['error']}", file=sys.stderr)
with open(res, "a") as f:
    f.write(json.dumps(rec) + "\n")
PYEOF
}

warm() { cat "$@" >/dev/null; } # into the page cache

# ------------------------------------------------------------------------------------
# Server ceilings: upload = bytes / server CPU seconds during a curl -F upload (client on
# CPU 1); requests/s = wrk with 32 connections on CPU 1.
ceiling() { # NAME PID URL JWT
  local name=$1 pid=$2 url=$3 jwt=$4 f
  f=$(up_file "$(echo "$BIG_SIZES" | awk '{print $1}')")
  warm "$f"
  for r in 1 2 3; do
    local t0 t1 out
    t0=$(cpu_ticks "$pid")
    out=$(taskset -c 1 curl -sS -o /dev/null -w '%{time_total} %{http_code}' -H "Authorization: Bearer $jwt" \
      -F "file=@$f" "$url/pinning/pinFileToIPFS")
    t1=$(cpu_ticks "$pid")
    python3 -c 'import json,sys
n,r,secs,http,dt,tck,b=sys.argv[1:]
print(json.dumps({"section":"ceiling","row":n+"/upload","run":int(r),"secs":float(secs),"http":int(http),
  "server_cpu":int(dt)/int(tck),"bytes":int(b)}))' "$name" "$r" $out $((t1 - t0)) "$CLK_TCK" "$(stat -c %s "$f")" >>"$RES"
  done
  if command -v wrk >/dev/null; then
    for r in 1 2 3; do
      taskset -c 1 wrk -t1 -c32 -d3s -H "Authorization: Bearer $jwt" "$url/data/testAuthentication" 2>&1 |
        awk -v n="$name" -v r="$r" '/Requests\/sec/{printf "{\"section\":\"ceiling\",\"row\":\"%s/rps\",\"run\":%d,\"rps\":%s}\n", n, r, $2}' >>"$RES"
    done
  fi
}
log "measuring server ceilings"
ceiling SRV "$SRV_PID" "$SRV_URL" "$SRV_JWT"
ceiling EMU "$EMU_PID" "$EMU_URL" "$EMU_JWT"

# ------------------------------------------------------------------------------------
# a. Per-call overhead: CALLS sequential testAuthentication calls on one client.
if want calls; then
  log "a. per-call overhead: $CALLS testAuthentication calls x $RUNS_CALLS runs x 2 placements"
  call_row() { # placement row run
    local cpu=0; [ "$1" = split ] && cpu=1
    local T=(taskset -c "$cpu")
    case "$2" in
      raw-curl) record calls "$1/$2" "$3" "${T[@]}" "$CB" auth "$SRV_URL" "$SRV_JWT" "$CALLS" ;;
      raw-curl-ua) record calls "$1/$2" "$3" "${T[@]}" "$CB" auth "$SRV_URL" "$SRV_JWT" "$CALLS" "$PINATA_UA" ;;
      libpinata) record calls "$1/$2" "$3" "${T[@]}" "$PB" auth "$SRV_URL" "$SRV_JWT" "$CALLS" ;;
      go) record calls "$1/$2" "$3" "${T[@]}" "$GB" auth "$SRV_URL" "$SRV_JWT" "$CALLS" ;;
      node-pinata) record calls "$1/$2" "$3" "${T[@]}" node "$NB" pinata auth "$SRV_URL" "$SRV_JWT" "$CALLS" ;;
      node-legacy) record calls "$1/$2" "$3" "${T[@]}" node "$NB" legacy auth "$SRV_URL" "$SRV_JWT" "$CALLS" ;;
      python-requests) record calls "$1/$2" "$3" "${T[@]}" "$PY" "$RB" auth "$SRV_URL" "$SRV_JWT" "$CALLS" ;;
    esac
  }
  CALL_ROWS="raw-curl raw-curl-ua libpinata go node-pinata node-legacy python-requests"
  for run in $(seq 1 "$RUNS_CALLS"); do
    # Alternate the order from round to round, so no row always follows the same one.
    rows=$CALL_ROWS; [ $((run % 2)) = 0 ] && rows=$(echo "$CALL_ROWS" | tr ' ' '\n' | tac | tr '\n' ' ')
    for place in same split; do
      for row in $rows; do call_row "$place" "$row" "$run"; done
    done
  done
fi

# ------------------------------------------------------------------------------------
# b. Uploads (client on CPU 1, server on CPU 0). The server checks every byte.
upload_row() { # SECTION PREFIX SIZE_MIB ROW RUN URL JWT  (records row PREFIX+SIZE/ROW)
  local sec=$1 pre=$2 s=$3 row=$4 run=$5 url=$6 jwt=$7 f id
  f=$(up_file "$s")
  id="$pre$s/$row"
  local C1=(taskset -c 1)
  [ "$sec" = unpinned ] && C1=()
  case "$row" in
    raw-curl) record "$sec" "$id" "$run" "${C1[@]}" "$CB" upload "$url" "$jwt" "$f" ;;
    curl-cli) record "$sec" "$id" "$run" "${C1[@]}" curl -sS -o "$TMP/cli.body" \
      -w '{"secs":%{time_total},"n":1,"http":%{http_code}}\n' -H "Authorization: Bearer $jwt" \
      -F "file=@$f" "$url/pinning/pinFileToIPFS" ;;
    libpinata-off) record "$sec" "$id" "$run" "${C1[@]}" "$PB" upload "$url" "$jwt" "$f" off ;;
    libpinata-v0) record "$sec" "$id" "$run" "${C1[@]}" "$PB" upload "$url" "$jwt" "$f" v0 ;;
    libpinata-v1) record "$sec" "$id" "$run" "${C1[@]}" "$PB" upload "$url" "$jwt" "$f" v1 ;;
    go-off) record "$sec" "$id" "$run" "${C1[@]}" "$GB" upload "$url" "$jwt" "$f" off ;;
    go-v1) record "$sec" "$id" "$run" "${C1[@]}" "$GB" upload "$url" "$jwt" "$f" v1 ;;
    python-requests) record "$sec" "$id" "$run" "${C1[@]}" "$PY" "$RB" upload "$url" "$jwt" "$f" ;;
    node-pinata) record "$sec" "$id" "$run" "${C1[@]}" node "$NB" pinata upload "$url" "$jwt" "$f" ;;
    node-pinata-blob) record "$sec" "$id" "$run" "${C1[@]}" node "$NB" pinata-blob upload "$url" "$jwt" "$f" ;;
    node-legacy) record "$sec" "$id" "$run" "${C1[@]}" node "$NB" legacy upload "$url" "$jwt" "$f" ;;
  esac
}
UPLOAD_ROWS="raw-curl curl-cli libpinata-off libpinata-v0 libpinata-v1 go-off go-v1 python-requests node-pinata node-pinata-blob node-legacy"
if want uploads; then
  for s in $BIG_SIZES; do
    runs=$RUNS_1G; [ "$s" -ge 4096 ] && runs=$RUNS_BIG
    rows=$UPLOAD_ROWS
    # readFileSync refuses files of 2 GiB and more (ERR_FS_FILE_TOO_LARGE).
    [ "$s" -ge 2048 ] && rows=${rows/node-pinata /}
    # Node 20's fs.openAsBlob reports the size modulo 2^32 (0 for 4 GiB): the SDK then
    # sends a request that never completes.
    [ "$s" -ge 4096 ] && rows=${rows/node-pinata-blob /}
    log "b. uploads of $s MiB: $runs interleaved runs of: $rows"
    warm "$(up_file "$s")"
    curl -sS -o /dev/null -H "Authorization: Bearer $SRV_JWT" -F "file=@$(up_file "$s")" "$SRV_URL/pinning/pinFileToIPFS" # server warm-up (maps the file)
    for run in $(seq 1 "$runs"); do
      for row in $rows; do upload_row upload "" "$s" "$row" "$run" "$SRV_URL" "$SRV_JWT"; done
    done
  done
  log "b. uploads of $EMU_MIB MiB against the release emulator (real CIDs, hashes everything)"
  warm "$(up_file "$EMU_MIB")"
  for run in 1 2 3; do
    for row in curl-cli libpinata-off libpinata-v0 libpinata-v1; do
      upload_row upload emu/ "$EMU_MIB" "$row" "$run" "$EMU_URL" "$EMU_JWT"
    done
  done
fi

# ------------------------------------------------------------------------------------
# b'. The same uploads with the client unpinned (free to use both cores, as it would be
# with a remote server): libpinata hashes on a second thread when verification is on.
if want unpinned; then
  s=$(echo "$BIG_SIZES" | awk '{print $1}')
  log "b'. uploads of $s MiB, client unpinned: $RUNS_1G runs"
  warm "$(up_file "$s")"
  for run in $(seq 1 "$RUNS_1G"); do
    for row in raw-curl libpinata-off libpinata-v0 libpinata-v1; do
      upload_row unpinned "" "$s" "$row" "$run" "$SRV_URL" "$SRV_JWT"
    done
  done
fi

# ------------------------------------------------------------------------------------
# e. Growth: libpinata (verification off) at every size; 1 GiB and 4 GiB come from b.
if want growth; then
  for s in $GROWTH_SIZES; do
    if want uploads && [[ " $BIG_SIZES " == *" $s "* ]]; then continue; fi
    log "e. growth: libpinata at $s MiB x $RUNS_SMALL runs"
    warm "$(up_file "$s")"
    for run in $(seq 1 "$RUNS_SMALL"); do
      for row in raw-curl libpinata-off libpinata-v1; do upload_row growth "" "$s" "$row" "$run" "$SRV_URL" "$SRV_JWT"; done
    done
  done
fi

# ------------------------------------------------------------------------------------
# c. Many small pins: JSON_CALLS pinJSONToIPFS sequentially, JSON_CALLS_WORKERS from THREADS threads.
if want json; then
  log "c. JSON pins x $RUNS_SMALL runs: $JSON_CALLS sequential, $JSON_CALLS_WORKERS from $THREADS workers"
  for run in $(seq 1 "$RUNS_SMALL"); do
    C1=(taskset -c 1)
    for t in 1 "$THREADS"; do
      n=$JSON_CALLS; [ "$t" = 1 ] || n=$JSON_CALLS_WORKERS
      record json "$t/raw-curl" "$run" "${C1[@]}" "$CB" json "$SRV_URL" "$SRV_JWT" "$n" "$t"
      record json "$t/libpinata" "$run" "${C1[@]}" "$PB" json "$SRV_URL" "$SRV_JWT" "$n" "$t"
      record json "$t/go" "$run" "${C1[@]}" "$GB" json "$SRV_URL" "$SRV_JWT" "$n" "$t"
      record json "$t/node-pinata" "$run" "${C1[@]}" node "$NB" pinata json "$SRV_URL" "$SRV_JWT" "$n" "$t"
      record json "$t/node-legacy" "$run" "${C1[@]}" node "$NB" legacy json "$SRV_URL" "$SRV_JWT" "$n" "$t"
      record json "$t/python-requests" "$run" "${C1[@]}" "$PY" "$RB" json "$SRV_URL" "$SRV_JWT" "$n" "$t"
      # Verification on needs real CIDs: against the emulator, with raw libcurl beside it.
      record json "$t/emu-raw-curl" "$run" "${C1[@]}" "$CB" json "$EMU_URL" "$EMU_JWT" "$n" "$t"
      record json "$t/emu-libpinata-verify" "$run" "${C1[@]}" "$PB" jsonv "$EMU_URL" "$EMU_JWT" "$n" "$t"
    done
  done
  curl -sS -o /dev/null -X POST "$EMU_URL/__emulator/reset" || true
fi

# ------------------------------------------------------------------------------------
# d. CID of a CID_MIB file (page-cached): libpinata one thread (C API) and all cores.
if want cid; then
  log "d. CID of a $CID_MIB MiB file x $RUNS_CID runs"
  warm "$CID_FILE"
  printf 'v0\t0\t%s\n' "$CID_FILE" >"$TMP/js-v0"
  printf 'v1\t0\t%s\n' "$CID_FILE" >"$TMP/js-v1"
  js_row() { # run profile
    local out=$TMP/js.out t0 t1 rc=0
    t0=$(date +%s%N)
    /usr/bin/time -f '%M %e' -o "$TMP/js.time" node "$JSX/crosscheck.mjs" "$TMP/js-$2" >"$out" 2>"$TMP/js.err" || rc=$?
    t1=$(date +%s%N)
    python3 -c 'import json,sys
r,p,rc,ns,out,tm=sys.argv[1:]
rec={"section":"cid","row":"js-"+p,"run":int(r),"secs":int(ns)/1e9,"n":1}
try: rec["cid"]=open(out).read().split()[0]
except Exception: rec["failed"]=True
try: rec["rss_kib"]=int(open(tm).read().split()[-2])
except Exception: pass
if int(rc)!=0: rec["failed"]=True
print(json.dumps(rec))' "$1" "$2" "$rc" $((t1 - t0)) "$out" "$TMP/js.time" >>"$RES"
  }
  tool_row() { # run row CMD... (wall time of the whole command)
    local run=$1 row=$2; shift 2
    local t0 t1 rc=0
    t0=$(date +%s%N)
    /usr/bin/time -f '%M %e' -o "$TMP/tool.time" "$@" >"$TMP/tool.out" 2>&1 || rc=$?
    t1=$(date +%s%N)
    python3 -c 'import json,sys
r,row,rc,ns,tm=sys.argv[1:]
rec={"section":"cid","row":row,"run":int(r),"secs":int(ns)/1e9,"n":1}
try: rec["rss_kib"]=int(open(tm).read().split()[-2])
except Exception: pass
if int(rc)!=0: rec["failed"]=True
print(json.dumps(rec))' "$run" "$row" "$rc" $((t1 - t0)) "$TMP/tool.time" >>"$RES"
  }
  for run in $(seq 1 "$RUNS_CID"); do
    record cid "libpinata-v0-1t" "$run" "$PB" cid "$CID_FILE" 0
    record cid "libpinata-v1-1t" "$run" "$PB" cid "$CID_FILE" 1
    for p in v0 v1; do
      "$CID_BENCH" "$CID_FILE" "$p" 0 >"$TMP/cb.out" 2>/dev/null || true
      python3 -c 'import json,sys
r,p,path=sys.argv[1:]
f=open(path).read().split()
rec={"section":"cid","row":"libpinata-"+p+"-all","run":int(r),"n":1}
if len(f)>=2: rec.update({"cid":f[0],"secs":float(f[1])})
else: rec["failed"]=True
print(json.dumps(rec))' "$run" "$p" "$TMP/cb.out" >>"$RES"
    done
    tool_row "$run" sha256sum sha256sum "$CID_FILE"
    tool_row "$run" openssl openssl dgst -sha256 "$CID_FILE"
    js_row "$run" v0
    js_row "$run" v1
  done
fi

# ------------------------------------------------------------------------------------
# Profile (callgrind instruction counts): per call, and per uploaded byte.
if want profile && command -v valgrind >/dev/null; then
  log "profile: callgrind of the per-call path and of a 64 MiB upload"
  CG=$TMP/cg
  mkdir -p "$CG"
  pf=$(up_file "$(echo "$GROWTH_SIZES" | awk '{print $1}')")
  cgrun() { valgrind --tool=callgrind --callgrind-out-file="$CG/$1" "${@:2}" >/dev/null 2>"$CG/$1.log" || echo "  callgrind $1 failed" >&2; }
  cgrun pinata.auth.N "$PB" auth "$SRV_URL" "$SRV_JWT" "$CALLS"
  cgrun pinata.auth.0 "$PB" auth "$SRV_URL" "$SRV_JWT" 0
  cgrun curl.auth.N "$CB" auth "$SRV_URL" "$SRV_JWT" "$CALLS"
  cgrun curl.auth.0 "$CB" auth "$SRV_URL" "$SRV_JWT" 0
  cgrun curl-ua.auth.N "$CB" auth "$SRV_URL" "$SRV_JWT" "$CALLS" "$PINATA_UA"
  cgrun curl-ua.auth.0 "$CB" auth "$SRV_URL" "$SRV_JWT" 0 "$PINATA_UA"
  cgrun pinata.json.N "$PB" json "$SRV_URL" "$SRV_JWT" "$JSON_CALLS" 1
  cgrun pinata.json.0 "$PB" json "$SRV_URL" "$SRV_JWT" 0 1
  cgrun curl.json.N "$CB" json "$SRV_URL" "$SRV_JWT" "$JSON_CALLS" 1
  cgrun curl.json.0 "$CB" json "$SRV_URL" "$SRV_JWT" 0 1
  cgrun curl.upload "$CB" upload "$SRV_URL" "$SRV_JWT" "$pf"
  for v in off v0 v1; do cgrun "pinata.upload.$v" "$PB" upload "$SRV_URL" "$SRV_JWT" "$pf" "$v"; done
  python3 "$BENCH/tools/cgsummary.py" "$CG" "$CALLS" "$JSON_CALLS" "$(stat -c %s "$pf")" >"$RESULTS/profile.md.new" &&
    mv "$RESULTS/profile.md.new" "$RESULTS/profile.md"
fi

# ------------------------------------------------------------------------------------
# This run's servers and test files are not used past this point: each script below starts
# its own server and makes its own files. Stopping the servers frees what they hold (the
# emulator keeps the blocks of every upload of its rows, on disk); deleting the files
# (7.5 GiB) frees the disk for bench/download.sh, which needs about 3 times its largest size.
# The scripts get BENCH_NO_BUILD=1: they measure the build this run made (download.sh's own
# build, with the emulator, gives a different libpinata.so; bench/NOTES.md round ten).
curl -sS "$SRV_URL/__bench/stats" >"$TMP/srv-stats.json" || echo '{}' >"$TMP/srv-stats.json"
for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
PIDS=()
rm -rf "$FILES"

# ------------------------------------------------------------------------------------
# f to i: their own scripts, each with its own bench server on CPU 0 and its own files.
# section_script SECTION TITLE SCRIPT ARGS...: runs SCRIPT when SECTION is wanted; a failed
# script leaves its targets "incomplete".
section_script() {
  local section=$1 title=$2 script=$3
  shift 3
  want "$section" || return 0
  log "$title: bench/$script $*"
  BENCH_NO_BUILD=1 bash "$BENCH/$script" "$@" || log "bench/$script failed (exit $?)"
}
# shellcheck disable=SC2086 # each *_ARGS is a list of words
section_script batch "f. many files at once" batch.sh $BATCH_ARGS
# shellcheck disable=SC2086
section_script verify "g. verified uploads against hashing" verify.sh $VERIFY_ARGS
# shellcheck disable=SC2086
section_script download "h. verified downloads" download.sh $DOWNLOAD_ARGS
# shellcheck disable=SC2086
section_script gofloor "i. the Go binding against Go clients that use no library" go_floor.sh $GOFLOOR_ARGS

# ------------------------------------------------------------------------------------
END_TS=$(date +%s)
CID_MIB=$CID_MIB python3 - "$META" "$TMP/srv-stats.json" "$CMDLINE" "$START_TS" "$END_TS" "$QUICK" "$ONLY" <<'PYEOF'
import json, os, platform, subprocess, sys
meta, stats, cmd, t0, t1, quick, only = sys.argv[1:]
def sh(c):
    try:
        return subprocess.run(c, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:
        return ""
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(meta))))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
flags = next((l for l in open("/proc/cpuinfo") if l.startswith("flags")), "")
m = {
    "command": cmd, "quick": quick == "1", "cid_mib": int(os.environ.get("CID_MIB", "0")), "sections": only.split(","),
    "started": int(t0), "finished": int(t1), "duration_s": int(t1) - int(t0),
    "date": sh("date -u -d @%s '+%%Y-%%m-%%d %%H:%%M UTC'" % t0),
    "nproc": os.cpu_count(), "cpu": cpu, "sha_ni": " sha_ni " in flags, "avx512": " avx512f " in flags,
    "kernel": platform.release(), "mem": sh("free -g | awk '/Mem:/{print $2\" GiB\"}'"),
    "versions": {
        "rustc": sh("rustc --version"), "gcc": sh("gcc --version | head -1"),
        "libcurl": sh("curl --version | head -1"), "node": sh("node --version"),
        "go": sh("go version"), "python": sh("python3 --version"),
        "openssl": sh("openssl version"), "sha256sum": sh("sha256sum --version | head -1"),
        "libpinata": sh("git -C '%s' describe --always --dirty" % root),
        "libpinata_so_built": sh("date -u -r '%s/target/release/libpinata.so' '+%%Y-%%m-%%d %%H:%%M UTC'" % root),
    },
    "server_stats": json.load(open(stats)) if os.path.getsize(stats) else {},
}
# Which runs produced the sections now in the results (the others are kept from earlier runs).
m["sections"] = m["sections"] + ["ceilings"]  # measured by every run
entry = {k: m[k] for k in ("command", "date", "started", "finished", "duration_s", "sections", "quick")}
entry["libpinata"] = m["versions"]["libpinata"]
entry["libpinata_so_built"] = m["versions"]["libpinata_so_built"]
entry["server_stats"] = m["server_stats"]
runs = []
if os.path.exists(meta):
    try:
        runs = json.load(open(meta)).get("runs", [])
    except Exception:
        runs = []
for e in runs:
    e["sections"] = [x for x in e["sections"] if x not in m["sections"]]
m["runs"] = [e for e in runs if e["sections"]] + [entry]
json.dump(m, open(meta, "w"), indent=1)
PYEOF
# Merge: keep the previous run's records of the sections not measured this time.
python3 - "$RESULTS/runs.jsonl" "$RES" "$ONLY" <<'PYEOF'
import json, os, sys
old, new, only = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
section_of = {"calls": "calls", "uploads": "upload", "unpinned": "unpinned", "json": "json", "cid": "cid", "growth": "growth"}
measured = {section_of[s] for s in only if s in section_of} | {"ceiling"}
keep = []
if os.path.exists(old):
    for line in open(old):
        r = json.loads(line)
        if r["section"] not in measured:
            keep.append(line)
with open(new, "a") as f:
    f.writelines(keep)
os.replace(new, old)
PYEOF
log "measurements done in $((END_TS - START_TS)) s; results in bench/results/"
if [ "$RENDER" = 1 ]; then
  "$PY" "$BENCH/tools/render.py" "$RESULTS" "$ROOT/BENCHMARKS.md" "$BENCH/growth.png" "$ROOT/README.md"
  log "wrote BENCHMARKS.md, bench/growth.png and README.md's performance summary"
fi
