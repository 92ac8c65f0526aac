#!/usr/bin/env bash
# `make test-bundled`: the bundled flavour (libcurl, rustls, nghttp2, zlib compiled in;
# built by `make bundled` into target/bundled/debug) tested like the system build:
#   1. it depends on nothing beyond the C runtime (tests/bundled_deps.sh), and that
#      check fails for the system build;
#   2. trust roots and TLS refusals against a local TLS server, in both flavours
#      (tests/tls/trust.sh);
#   3. the Rust transport and unit tests over the built-in libcurl; the C suites
#      (valgrind, then ASan+UBSan), the C++ tests (valgrind) and the Go tests (-race,
#      cgocheck) linked with the bundled library;
#   4. `make install FLAVOR=bundled` and the installed-consumer checks;
#   5. the HTTPS suite through nginx (tests/tls.sh: HTTP/2 and HTTP/1.1, the
#      certificate cases in rustls' words), about 8 min.
# The emulator is the system build's (target/debug). BUNDLED_C_MODE=valgrind|asan|all
# (default all) picks the C suites' runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
lib=$root/target/bundled/debug
export PINATA_EMULATOR_BIN=$root/target/debug/pinata-emulator
for f in "$lib/libpinata.so" "$lib/libpinata.a" "$lib/pinata-static.pc" "$PINATA_EMULATOR_BIN"; do
    [ -e "$f" ] || { echo "missing $f: run make bundled build first" >&2; exit 1; }
done
step() { echo; echo "==== bundled: $*"; }

step "dependencies"
"$root/tests/bundled_deps.sh" "$lib"
if "$root/tests/bundled_deps.sh" "$root/target/debug" >/dev/null 2>&1; then
    echo "the dependency check passes the system build: it cannot tell them apart" >&2
    exit 1
fi
echo "ok: the same check fails for the system build (target/debug)"

# Same sources, same header.
cmp "$root/include/pinata.h" "$root/target/bundled/pinata.h" ||
    { echo "the bundled build's header differs from include/pinata.h" >&2; exit 1; }
echo "ok: the bundled build's header is include/pinata.h"

step "trust roots and TLS refusals"
"$root/tests/tls/trust.sh" "$lib"
"$root/tests/tls/trust.sh" "$root/target/debug"

step "Rust: the transport tests over the built-in libcurl (its header API is used)"
# The same C flags as the Makefile's BUNDLED_CARGO (libcurl with poll()), so that this
# build shares its artifacts instead of rebuilding libcurl without them.
host=$(rustc -vV | sed -n 's/^host: //p')
case $host in *apple*) ;; *) export "CFLAGS_${host//-/_}=-DHAVE_POLL" ;; esac
(cd "$root" && PINATA_HEADER_OUT=$root/target/bundled/pinata.h cargo test -q -p pinata \
    --no-default-features --features bundled --target-dir "$root/target/bundled" \
    --test transport_reuse --lib)

step "C suites"
PINATA_LIB_DIR=$lib "$root/tests/c/run.sh" "${BUNDLED_C_MODE:-all}"

step "C++ tests"
PINATA_LIB_DIR=$lib PINATA_CPP_BUILD_DIR=$root/target/bundled/cpp-build "$root/bindings/cpp/test.sh"

step "Go tests"
PINATA_LIB_DIR=$lib "$root/bindings/go/test.sh"

step "installed consumers"
PINATA_FLAVOR=bundled "$root/tests/install_check.sh"

step "HTTPS through nginx (tests/tls.sh)"
PINATA_LIB_DIR=$lib "$root/tests/tls.sh"

echo
echo "make test-bundled: all bundled checks passed"
