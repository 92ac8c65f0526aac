#!/usr/bin/env bash
# On a machine with Swift 5.9+: checks the symbols, builds the package, runs its XCTest
# suite against pinata-emulator, and runs the Swift quickstart against a fresh emulator.
# Without a Swift toolchain it runs check_symbols.sh only and says so (exit 0, or 1 when
# PINATA_REQUIRE_SWIFT=1). Build libpinata first (`make build`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
libdir=${PINATA_LIB_DIR:-$root/target/debug}

"$here/check_symbols.sh"
if ! command -v swift >/dev/null 2>&1; then
    echo "swift not found: Swift build, tests and quickstart NOT run (only check_symbols.sh)"
    if [ "${PINATA_REQUIRE_SWIFT:-0}" = 1 ]; then
        exit 1
    fi
    exit 0
fi

flags=(-Xcc "-I$root/include" -Xlinker "-L$libdir" -Xlinker -rpath -Xlinker "$libdir")
cd "$here"
swift build "${flags[@]}"
PINATA_EMULATOR_BIN="$libdir/pinata-emulator" swift test "${flags[@]}"

cd "$root/examples/swift/Quickstart"
swift build "${flags[@]}"
"$root/examples/run-demo.sh" "$(swift build "${flags[@]}" --show-bin-path)/Quickstart"
