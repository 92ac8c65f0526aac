#!/usr/bin/env bash
# Runs Pinata's own npm SDK (`pinata` 2.5.6, installed by `npm ci` from the committed
# lockfile) against a fresh emulator with Node's test runner, and checks the CIDs it
# gets against libpinata's local computation (cid_helper.c). Usage:
# tests/sdk-pinata/run.sh (after `make build` and `make tests/sdk-pinata/node_modules`).
set -euo pipefail
unset http_proxy https_proxy all_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY
root=$(cd "$(dirname "$0")/../.." && pwd)
libdir=${PINATA_LIB_DIR:-$root/target/debug}
# shellcheck source=../emulator.sh
. "$root/tests/emulator.sh"
emulator_scratch
"${CC:-gcc}" -std=c99 -Wall -Wextra -Werror -I"$root/include" "$root/tests/sdk-pinata/cid_helper.c" \
    -o "$work/cid_helper" -L"$libdir" -Wl,-rpath,"$libdir" -lpinata
emulator=${PINATA_EMULATOR_BIN:-$libdir/pinata-emulator}
[ -x "$emulator" ] || emulator=$root/target/debug/pinata-emulator
start_emulator "$emulator"
export PINATA_CID_HELPER=$work/cid_helper SDK_WORK=$work
cd "$root/tests/sdk-pinata"
node --test --test-concurrency=1 sdk.test.mjs
