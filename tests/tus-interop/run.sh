#!/usr/bin/env bash
# Runs tus-js-client 4.3.1 and Pinata's own SDK (pinata 2.5.6), installed by `npm ci`
# from the committed lockfile, against a fresh emulator's TUS server, with CIDs checked
# against libpinata's (cid_helper.c). Usage: tests/tus-interop/run.sh (after `make
# build` and `make tests/tus-interop/node_modules`). About 15 s.
set -euo pipefail
unset http_proxy https_proxy all_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY
root=$(cd "$(dirname "$0")/../.." && pwd)
libdir=${PINATA_LIB_DIR:-$root/target/debug}
# shellcheck source=../emulator.sh
. "$root/tests/emulator.sh"
emulator_scratch
"${CC:-gcc}" -std=c99 -Wall -Wextra -Werror -I"$root/include" "$root/tests/tus-interop/cid_helper.c" \
    -o "$work/cid_helper" -L"$libdir" -Wl,-rpath,"$libdir" -lpinata
emulator=${PINATA_EMULATOR_BIN:-$libdir/pinata-emulator}
[ -x "$emulator" ] || emulator=$root/target/debug/pinata-emulator
start_emulator "$emulator"
export PINATA_CID_HELPER=$work/cid_helper TUS_WORK=$work
cd "$root/tests/tus-interop"
node --test --test-concurrency=1 interop.test.mjs
