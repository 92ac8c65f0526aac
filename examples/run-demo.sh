#!/usr/bin/env bash
# Runs an example program against Pinata when PINATA_JWT is set, else against a
# freshly started local emulator on a free loopback port.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
program=$1
if [ -n "${PINATA_JWT:-}" ]; then
    exec "$program"
fi
out=$(mktemp)
"$root/target/debug/pinata-emulator" --listen 127.0.0.1:0 --quiet >"$out" &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 1 200); do [ -s "$out" ] && break; sleep 0.05; done
line=$(head -n 1 "$out")
PINATA_API_URL=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["url"])' "$line")
PINATA_JWT=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["jwt"])' "$line")
export PINATA_API_URL PINATA_JWT
echo "(local emulator at $PINATA_API_URL)"
"$program"
