#!/usr/bin/env bash
# Runs an example program (with the arguments after it) against Pinata when PINATA_JWT
# is set, else against a freshly started local emulator on a free loopback port:
# PINATA_EMULATOR_BIN, or target/debug/pinata-emulator.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
program=$1
shift
if [ -n "${PINATA_JWT:-}" ]; then
    exec "$program" "$@"
fi
# shellcheck source=../tests/emulator.sh
. "$root/tests/emulator.sh"
trap stop_emulator EXIT
start_emulator "${PINATA_EMULATOR_BIN:-$root/target/debug/pinata-emulator}"
export PINATA_API_URL=$PINATA_TEST_URL PINATA_JWT=$PINATA_TEST_JWT
echo "(local emulator at $PINATA_API_URL)"
"$program" "$@"
