#!/usr/bin/env bash
# The HTTPS suite (`make test-tls`): the C suites, the Go tests (package and CLI) and
# the C++ tests over HTTPS through nginx (tests/tls_front.sh), once with HTTP/2 and once
# forced to HTTP/1.1, plus the certificate, proxy and version-switch cases
# (tests/c/https_cases.c). C runs under valgrind and ASan.
#
#   tests/tls.sh [c|go|cpp|all]      (default all)
#
# PINATA_LIB_DIR=<dir> tests another build of the library (its libpinata.so for C,
# libpinata.a and pinata-static.pc for Go; its pinata-emulator when it has one), as
# tests/c/run.sh and bindings/go/test.sh do.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
what=${1:-all}
failed=0
for version in 2 1.1; do
    if [ "$what" = all ] || [ "$what" = c ]; then
        echo "==== C suites over HTTPS, HTTP/$version"
        PINATA_TEST_FRONT=tls PINATA_TEST_HTTP_VERSION=$version "$root/tests/c/run.sh" all || failed=1
    fi
    if [ "$what" = all ] || [ "$what" = go ]; then
        echo "==== Go tests over HTTPS, HTTP/$version"
        PINATA_TEST_FRONT=tls PINATA_TEST_HTTP_VERSION=$version "$root/bindings/go/test.sh" || failed=1
    fi
    if [ "$what" = all ] || [ "$what" = cpp ]; then
        echo "==== C++ tests over HTTPS, HTTP/$version"
        # The library under test's own build directory for CMake (as tests/bundled.sh does).
        cpp_build=$root/target/cpp-build
        case ${PINATA_LIB_DIR:-} in "$root"/target/bundled/*) cpp_build=$root/target/bundled/cpp-build ;; esac
        PINATA_CPP_BUILD_DIR=$cpp_build PINATA_TEST_FRONT=tls PINATA_TEST_HTTP_VERSION=$version \
            "$root/bindings/cpp/test.sh" || failed=1
    fi
done
if [ "$what" = all ] || [ "$what" = c ]; then
    # The library's own choice (HTTP/1.1 for uploads, HTTP/2 for the rest): the pinning
    # suite has both.
    echo "==== C pinning suite over HTTPS, the library's choice of HTTP version"
    PINATA_TEST_FRONT=tls PINATA_TEST_ONLY=test_pinning "$root/tests/c/run.sh" asan || failed=1
fi
[ $failed = 0 ] && echo "tests/tls.sh: the HTTPS suites passed"
exit $failed
