#!/usr/bin/env bash
# The emulator's upload ceiling: one large pinFileToIPFS upload sent with
# `curl -F` to a release pinata-emulator, timed by the emulator's CPU time
# (bytes ÷ server CPU seconds) and by the wall clock. The emulator runs on
# CPU 0 and curl on CPU 1, as in bench/run.sh's "ceilings".
#
#   bench/emulator_ceiling.sh [EMULATOR_BIN] [MIB] [ROUNDS]
#
# EMULATOR_BIN defaults to target/release/pinata-emulator (build it with
# `cargo build --release -p pinata-emulator`), MIB to 1024, ROUNDS to 3.
# Two shapes per round:
#   file-only   the file part alone: the emulator hashes it for both CID
#               versions (pinataOptions could still arrive after it)
#   options     pinataOptions {"cidVersion":0} first, as libpinata sends it:
#               one CID version hashed
# Prints one line per upload and the median MB/s (MB = 10^6 bytes) per shape.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/target/release/pinata-emulator}
MIB=${2:-1024}
ROUNDS=${3:-3}
[[ -x $BIN ]] || { echo "no emulator binary at $BIN" >&2; exit 2; }

TMP=$(mktemp -d)
EMU_PID=
cleanup() {
  [[ -n $EMU_PID ]] && kill "$EMU_PID" 2>/dev/null && wait "$EMU_PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT

# Deterministic non-zero bytes, in the page cache before timing.
FILE=$TMP/upload.bin
head -c $((MIB * 1048576)) /dev/zero | openssl enc -aes-128-ctr -nosalt -pass pass:libpinata -pbkdf2 2>/dev/null >"$FILE"
cat "$FILE" >/dev/null
BYTES=$(stat -c %s "$FILE")

taskset -c 0 "$BIN" --listen 127.0.0.1:0 --quiet >"$TMP/emu.json" &
EMU_PID=$!
for _ in $(seq 100); do [[ -s $TMP/emu.json ]] && break; sleep 0.1; done
URL=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$TMP/emu.json")
JWT=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["jwt"])' "$TMP/emu.json")
TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$EMU_PID/stat"; }

echo "emulator: $BIN"
echo "upload: $MIB MiB ($BYTES bytes), $ROUNDS rounds"
for r in $(seq "$ROUNDS"); do
  for shape in file-only options; do
    args=(-F "file=@$FILE")
    [[ $shape == options ]] && args=(-F 'pinataOptions={"cidVersion":0}' "${args[@]}")
    curl -sS -o /dev/null -X POST "$URL/__emulator/reset" || true
    t0=$(cpu_ticks)
    out=$(taskset -c 1 curl -sS -o /dev/null -w '%{time_total} %{http_code}' \
      -H "Authorization: Bearer $JWT" "${args[@]}" "$URL/pinning/pinFileToIPFS")
    t1=$(cpu_ticks)
    read -r secs http <<<"$out"
    [[ $http == 200 ]] || { echo "upload failed: HTTP $http" >&2; exit 1; }
    python3 -c 'import sys
shape,r,secs,dt,tck,b=sys.argv[1:]
cpu=int(dt)/int(tck)
print(f"{shape}\t{r}\tserver {int(b)/cpu/1e6:.0f} MB/s (cpu {cpu:.2f} s)\twall {int(b)/float(secs)/1e6:.0f} MB/s ({float(secs):.2f} s)")' \
      "$shape" "$r" "$secs" $((t1 - t0)) "$TCK" "$BYTES" | tee -a "$TMP/rows.tsv"
  done
done
python3 - "$TMP/rows.tsv" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
for shape in ("file-only", "options"):
    srv = [float(r[2].split()[1]) for r in rows if r[0] == shape]
    wall = [float(r[3].split()[1]) for r in rows if r[0] == shape]
    print(f"median {shape}: server {statistics.median(srv):.0f} MB/s, wall {statistics.median(wall):.0f} MB/s ({len(srv)} runs)")
PY
