#!/usr/bin/env bash
# Runs Pinata's own legacy SDKs against a fresh emulator (Node's test runner, the
# packages pinned in package-lock.json): pinata-web3 through its endpointUrl, and
# @pinata/sdk, whose base URL is hard-coded to https://api.pinata.cloud, through
# HTTPS_PROXY pointed at the emulator (its axios then sends absolute-form requests).
# CIDs are compared with tests/VECTORS.md values and with libpinata's own
# (pinata_cid_of_path, through the small cidof.c).
set -euo pipefail
unset http_proxy https_proxy all_proxy no_proxy HTTP_PROXY ALL_PROXY NO_PROXY
root=$(cd "$(dirname "$0")/../.." && pwd)
libdir=${PINATA_LIB_DIR:-$root/target/debug}
# shellcheck source=../emulator.sh
. "$root/tests/emulator.sh"
emulator_scratch
start_emulator "$libdir/pinata-emulator"
gcc -std=c99 -Wall -Wextra -Werror -I"$root/include" "$root/tests/sdk-legacy/cidof.c" \
    -o "$work/cidof" -L"$libdir" -Wl,-rpath,"$libdir" -lpinata
export PINATA_CIDOF=$work/cidof
export HTTPS_PROXY=$PINATA_TEST_URL
cd "$root/tests/sdk-legacy"
# One file at a time: both share the emulator (each resets it first).
node --test --test-concurrency=1 ./*.test.js
