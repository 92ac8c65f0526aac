#!/usr/bin/env bash
# The bundled flavour (libcurl, rustls, nghttp2, zlib built in: `make bundled-release`)
# against the system build (Debian's libcurl: `make release`), in the same run, over
# plain HTTP to bench/server:
#   - per-call cost: N sequential testAuthentication calls on one client (calls/s);
#   - upload: one pinFileToIPFS of a 1 GiB pseudo-random file, verification off (MB/s);
#   - the size of each libpinata.so stripped (`strip --strip-all`), and for the bundled
#     one what takes the space (bench/tools/so_breakdown.py).
# Server on CPU 0, client on CPU 1; runs interleaved (system, bundled, system, ...);
# each value is the median. Prints a Markdown section (also left in
# bench/results/bundled.md) for BENCHMARKS.md / bench/NOTES.md.
#
#   bench/bundled.sh [--quick] [--tls]
#       --quick: 500 calls, 256 MiB, 3 runs (a smoke test); BENCH_RUNS sets the number
#       of runs (default 11).
#       --tls: over HTTPS instead, through nginx terminating TLS 1.3 (tests/tls_front.sh,
#       the HTTPS test suite's front) in front of the release emulator; each flavour
#       with its own TLS stack (OpenSSL for the system build, rustls for the bundled
#       one) and libpinata's default protocol choice (HTTP/2 for calls, HTTP/1.1 for
#       uploads). Written to bench/results/bundled-tls.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
CALLS=2000 UP_MIB=1024 RUNS=${BENCH_RUNS:-11} TLS=0
for a in "$@"; do
  case $a in
  --quick) CALLS=500; UP_MIB=256; RUNS=3 ;;
  --tls) TLS=1 ;;
  *) echo "bench/bundled.sh: unknown option $a" >&2; exit 2 ;;
  esac
done
MiB=$((1024 * 1024))
log() { printf '[bundled bench] %s\n' "$*" >&2; }

log "building: make release, make bundled-release, bench server"
make -C "$ROOT" --no-print-directory release bundled-release >/dev/null
cargo build --quiet --release --manifest-path "$BENCH/server/Cargo.toml"
[ $TLS = 1 ] && (cd "$ROOT" && cargo build --quiet --release -p pinata-emulator)
SERVER_BIN=$BENCH/server/target/release/pinata-bench-server
SYS=$ROOT/target/release
BUN=$ROOT/target/bundled/release
TMP=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/pinata-bundled-bench.XXXXXX")
SRV_PID=
cleanup() {
  [ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null && wait "$SRV_PID" 2>/dev/null
  if [ $TLS = 1 ]; then stop_tls_front; stop_emulator; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
for flavour in system bundled; do
  dir=$SYS; [ $flavour = bundled ] && dir=$BUN
  ${CC:-gcc} -O2 -std=c99 -Wall -Wextra -Werror -I"$ROOT/include" "$BENCH/c/pinata_bench.c" \
    -o "$TMP/pb-$flavour" -L"$dir" -Wl,-rpath,"$dir" -lpinata -lpthread
done
ldd "$TMP/pb-bundled" | grep -q "$BUN/libpinata.so" || { echo "pb-bundled does not load $BUN" >&2; exit 1; }
! ldd "$TMP/pb-bundled" | grep -q libcurl || { echo "pb-bundled loads libcurl" >&2; exit 1; }

log "writing a $UP_MIB MiB file"
mkdir -p "$TMP/files"
FILE=$TMP/files/up.bin
(set +o pipefail
 openssl enc -aes-128-ctr -pass "pass:libpinata-bench-$UP_MIB" -nosalt -pbkdf2 </dev/zero 2>/dev/null |
   head -c $((UP_MIB * MiB)) >"$FILE")

if [ $TLS = 1 ]; then
  # shellcheck source=tls_servers.sh
  . "$BENCH/tls_servers.sh"
  start_bench_tls_servers "$ROOT/target/release/pinata-emulator"
  URL=$PINATA_TEST_URL JWT=$PINATA_TEST_JWT
  export BENCH_CA=$PINATA_TEST_CA
  OUT=$BENCH/results/bundled-tls.md
  WHERE="HTTPS (TLS 1.3, nginx in front of the release emulator, both on CPU 0; libpinata's default protocol choice: HTTP/2 for calls, HTTP/1.1 for uploads)"
else
  taskset -c 0 "$SERVER_BIN" --files-dir "$TMP/files" >"$TMP/srv.json" 2>"$TMP/srv.err" &
  SRV_PID=$!
  for _ in $(seq 1 200); do [ -s "$TMP/srv.json" ] && break; sleep 0.05; done
  URL=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["url"])' "$TMP/srv.json")
  JWT=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["jwt"])' "$TMP/srv.json")
  OUT=$BENCH/results/bundled.md
  WHERE="plain HTTP to \`bench/server\` (CPU 0)"
fi
# The emulator keeps what it is sent: emptied before each upload.
reset_server() { if [ $TLS = 1 ]; then curl -sf --cacert "$BENCH_CA" -X POST "$URL/__emulator/reset" -o /dev/null; fi; }

secs() { python3 -c 'import json,sys;print(json.loads(sys.stdin.read().strip().splitlines()[-1])["secs"])'; }
: >"$TMP/runs"
for run in $(seq 1 "$RUNS"); do
  for flavour in system bundled; do
    s=$(taskset -c 1 "$TMP/pb-$flavour" auth "$URL" "$JWT" "$CALLS" | secs)
    echo "calls $flavour $s" >>"$TMP/runs"
    cat "$FILE" >/dev/null
    reset_server
    s=$(taskset -c 1 "$TMP/pb-$flavour" upload "$URL" "$JWT" "$FILE" off | secs)
    echo "upload $flavour $s" >>"$TMP/runs"
  done
  log "run $run/$RUNS done"
done

for flavour in system bundled; do
  dir=$SYS; [ $flavour = bundled ] && dir=$BUN
  strip --strip-all -o "$TMP/so-$flavour" "$dir/libpinata.so"
  stat -c "size $flavour %s" "$TMP/so-$flavour" >>"$TMP/runs"
  stat -c "unstripped $flavour %s" "$dir/libpinata.so" >>"$TMP/runs"
done
# What takes the space in the bundled library: its symbols by C archive or Rust crate.
ARCHIVES=$(find "$BUN/build" -path '*/out/*' -name 'lib*.a' 2>/dev/null)
# shellcheck disable=SC2086
python3 "$BENCH/tools/so_breakdown.py" "$BUN/libpinata.so" $ARCHIVES >"$TMP/breakdown.md"

mkdir -p "$BENCH/results"
python3 - "$TMP/runs" "$CALLS" "$UP_MIB" "$RUNS" "$(date -u '+%Y-%m-%d %H:%M UTC')" \
  "$(git -C "$ROOT" rev-parse --short HEAD)" "$TMP/breakdown.md" "$WHERE" "bench/bundled.sh${*:+ $*}" <<'PY' | tee "$OUT"
import statistics, sys
path, calls, up_mib, runs, when, commit, breakdown, where, cmd = sys.argv[1:]
calls, up_mib = int(calls), int(up_mib)
v = {}
for line in open(path):
    kind, who, val = line.split()
    v.setdefault((kind, who), []).append(float(val))
med = lambda k: statistics.median(v[k])
cps = {f: calls / med(("calls", f)) for f in ("system", "bundled")}
mbs = {f: up_mib * 1048576 / 1e6 / med(("upload", f)) for f in ("system", "bundled")}
rng = lambda k, f: f"{min(f(x) for x in v[k]):,.0f}–{max(f(x) for x in v[k]):,.0f}"
size = {f: v[("size", f)][0] for f in ("system", "bundled")}
over = " over HTTPS" if where.startswith("HTTPS") else ""
print(f"### The bundled flavour against the system build{over} ({when}, commit {commit})")
print()
print(f"`{cmd}`: {where}, client on CPU 1, {runs} interleaved")
print(f"runs, medians (range in brackets). Calls: {calls} sequential `testAuthentication` on one")
print(f"client. Upload: one {up_mib} MiB `pinFileToIPFS`, verification off. Release builds.")
print()
print("| build | calls/s | × system | upload MB/s | × system | stripped libpinata.so |")
print("|---|---:|---:|---:|---:|---:|")
for f, label in (("system", "system (Debian libcurl 7.88 + OpenSSL, shared)"),
                 ("bundled", "bundled (curl 8.22 + rustls/aws-lc + nghttp2 + zlib, built in)")):
    print(f"| {label} | {cps[f]:,.0f} ({rng(('calls', f), lambda s: calls / s)}) | "
          f"{cps[f] / cps['system']:.2f} | {mbs[f]:,.0f} ({rng(('upload', f), lambda s: up_mib * 1048576 / 1e6 / s)}) | "
          f"{mbs[f] / mbs['system']:.2f} | {size[f] / 1048576:.2f} MiB |")
print()
ok_c = cps["bundled"] >= 0.95 * cps["system"]
ok_u = mbs["bundled"] >= 0.95 * mbs["system"]
ok_s = size["bundled"] <= 4 * 1048576
print(f"Targets: calls/s ≥ 0.95× system: {'met' if ok_c else '**missed**'}; upload ≥ 0.95× system: "
      f"{'met' if ok_u else '**missed**'}; stripped bundled `.so` ≤ 4 MiB: {'met' if ok_s else '**missed**'} "
      f"({size['bundled'] / 1048576:.2f} MiB; the system build's {size['system'] / 1048576:.2f} MiB "
      f"does not hold libcurl or OpenSSL, which come from the system).")
print()
print("What takes the space in the bundled libpinata.so (`bench/tools/so_breakdown.py`: the")
print("unstripped library's symbols, each given to the C archive that defines it or to the")
print("Rust crate its path names; stripping removes the symbol tables only):")
print()
print(open(breakdown).read().rstrip())
print()
PY
