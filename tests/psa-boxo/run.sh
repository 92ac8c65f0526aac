#!/usr/bin/env bash
# Builds the boxo PSA client program (this directory's Go module) and runs it against a
# fresh emulator in spec mode, its requests moving queued → pinning → pinned on the
# emulator's clock (100 ms a step).
set -euo pipefail
unset http_proxy https_proxy all_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=../emulator.sh
. "$root/tests/emulator.sh"
emulator_scratch
(cd "$here" && go build -o "$work/psa-boxo" .)
start_emulator "${PINATA_EMULATOR_BIN:-$root/target/debug/pinata-emulator}"
curl -sf -X POST "$PINATA_TEST_URL/__emulator/psa" -H 'Content-Type: application/json' \
    -d '{"mode":"spec","step_ms":100}' -o /dev/null
"$work/psa-boxo" "$PINATA_TEST_URL/psa" "$PINATA_TEST_JWT"
