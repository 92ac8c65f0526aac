#!/usr/bin/env bash
# Builds and runs the C++ wrapper's tests and example against the built libpinata:
#   1. configures bindings/cpp with CMake into target/cpp-build and builds it
#      (-Wall -Wextra -Werror -pedantic, C++17);
#   2. runs the GoogleTest suite through ctest (each test starts its own emulator);
#   3. runs the whole test binary once under valgrind (definite/indirect leaks and any
#      memory error fail);
#   4. runs the quickstart example under valgrind against a fresh emulator;
#   5. if clang++ is installed, checks that pinata.hpp also compiles cleanly with it.
# Exits non-zero on any failure. Needs the library and emulator built first:
#   PINATA_HEADER_OUT=$PWD/target/pinata.h cargo build --workspace
# Environment: PINATA_LIB_DIR, PINATA_INCLUDE_DIR, PINATA_EMULATOR_BIN, PINATA_CPP_BUILD_DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
libdir=${PINATA_LIB_DIR:-$root/target/debug}
incdir=${PINATA_INCLUDE_DIR:-$root/include}
build=${PINATA_CPP_BUILD_DIR:-$root/target/cpp-build}
emulator=${PINATA_EMULATOR_BIN:-$root/target/debug/pinata-emulator}
export PINATA_EMULATOR_BIN=$emulator

for f in "$libdir/libpinata.so" "$emulator"; do
    [ -e "$f" ] || { echo "test.sh: $f is missing: build the workspace first" >&2; exit 1; }
done

echo "== C++: configure and build ($build)"
cmake -S "$here" -B "$build" -DPINATA_LIB_DIR="$libdir" -DPINATA_INCLUDE_DIR="$incdir" >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)"

echo "== C++: ctest"
(cd "$build" && ctest --output-on-failure -j "$(nproc 2>/dev/null || echo 2)")

vg=(valgrind -q --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,indirect
    --errors-for-leak-kinds=definite,indirect)

echo "== C++: test binary under valgrind"
"${vg[@]}" "$build/pinata_cpp_tests" --gtest_brief=1

echo "== C++: quickstart example against a fresh emulator (under valgrind)"
# shellcheck source=../../tests/emulator.sh
. "$root/tests/emulator.sh"
emulator_scratch
start_emulator "$emulator"
PINATA_API_URL=$PINATA_TEST_URL PINATA_JWT=$PINATA_TEST_JWT "${vg[@]}" "$build/pinata_cpp_quickstart"

echo "== C++: signed-upload example (v3) under valgrind"
PINATA_API_URL=$PINATA_TEST_URL PINATA_JWT=$PINATA_TEST_JWT "${vg[@]}" "$build/pinata_cpp_signed_upload" \
    >"$work/signed_upload.out"
grep -q '^app: uploaded .* (CID check: verified)' "$work/signed_upload.out"
grep -q '^backend: private file .* app note' "$work/signed_upload.out"

if command -v clang++ >/dev/null 2>&1; then
    echo "== C++: pinata.hpp with clang++"
    printf '#include "pinata.hpp"\nint main() { return pinata::version().empty(); }\n' >"$work/h.cpp"
    clang++ -std=c++17 -Wall -Wextra -Werror -pedantic -I"$incdir" -I"$here/include" \
        -fsyntax-only "$work/h.cpp"
fi

echo "C++ bindings: all checks passed"
