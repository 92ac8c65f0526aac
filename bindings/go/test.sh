#!/usr/bin/env bash
# Tests of the Go binding, its CLI and the Go quickstart, against fresh emulators.
# Assumes the Rust build is done (target/debug/libpinata.a and pinata-emulator).
# PINATA_LIB_DIR=target/bundled/{debug,release} tests the bundled flavour through
# -tags pinata_bundled_debug / pinata_bundled.
#
#   bindings/go/test.sh
#
# Builds with `-tags pinata_repo`: target/debug/libpinata.a, linked statically as
# target/debug/pinata-static.pc says (this script has make write it). With
# PINATA_LIB_DIR=<dir> it links <dir>/libpinata.a instead, as the pinata-static.pc in
# <dir> or <dir>/pkgconfig says (make writes one for target/release, `make install`
# one in <prefix>/lib/pkgconfig). The emulator is PINATA_EMULATOR_BIN if set,
# else <dir>/pinata-emulator when it exists, else target/debug/pinata-emulator; every
# step (the Go tests, the CLI tests and the quickstart) uses that one. Exits non-zero
# on any failure.
#
# PINATA_TEST_FRONT=tls runs the package's tests over HTTPS through nginx
# (tests/tls_front.sh) instead, and only those, with PINATA_TEST_HTTP_VERSION=2 or 1.1
# forcing the clients' HTTP version.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
libdir=$root/target/debug
if [ -n "${PINATA_LIB_DIR:-}" ]; then
    libdir=$(cd "$PINATA_LIB_DIR" && pwd)
fi
emulator=${PINATA_EMULATOR_BIN:-}
if [ -z "$emulator" ]; then
    emulator=$root/target/debug/pinata-emulator
    [ -x "$libdir/pinata-emulator" ] && emulator=$libdir/pinata-emulator
fi
for f in "$libdir/libpinata.a" "$emulator"; do
    [ -e "$f" ] || { echo "missing $f: run the Rust build first" >&2; exit 1; }
done
# Absolute: the Go tests run in their package directories.
PINATA_EMULATOR_BIN=$(cd "$(dirname "$emulator")" && pwd)/$(basename "$emulator")
export PINATA_EMULATOR_BIN

export GOTOOLCHAIN=local
case " ${GOFLAGS:-} " in
*-buildvcs=*) ;;
*) export GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false" ;;
esac
case $libdir in
"$root/target/debug" | "$root/target/release")
    # The build tree's pkg-config file (cheap when the build is up to date).
    make -C "$root" --no-print-directory "target/$(basename "$libdir")/pinata-static.pc" >/dev/null ;;
"$root/target/bundled/debug" | "$root/target/bundled/release")
    make -C "$root" --no-print-directory "target/bundled/$(basename "$libdir")/pinata-static.pc" >/dev/null ;;
esac
if [ "$libdir" = "$root/target/debug" ]; then
    export GOFLAGS="$GOFLAGS -tags=pinata_repo"
elif [ "$libdir" = "$root/target/bundled/debug" ]; then
    export GOFLAGS="$GOFLAGS -tags=pinata_bundled_debug"
elif [ "$libdir" = "$root/target/bundled/release" ]; then
    export GOFLAGS="$GOFLAGS -tags=pinata_bundled"
else
    pc=
    for d in "$libdir" "$libdir/pkgconfig"; do
        [ -e "$d/pinata-static.pc" ] && pc=$d && break
    done
    [ -n "$pc" ] || { echo "no pinata-static.pc in $libdir or $libdir/pkgconfig" >&2; exit 1; }
    # pkg-config's answer passed in CGO_CFLAGS/CGO_LDFLAGS (-tags pinata_custom): the go
    # command keys its build cache on those but not on pkg-config's output, which
    # -tags pinata_static would leave a package built for another directory in use.
    CGO_CFLAGS=$(PKG_CONFIG_PATH=$pc pkg-config --cflags pinata-static)
    CGO_LDFLAGS=$(PKG_CONFIG_PATH=$pc pkg-config --libs pinata-static)
    export CGO_CFLAGS CGO_LDFLAGS GOFLAGS="$GOFLAGS -tags=pinata_custom"
fi
cd "$here"
echo "== go: $libdir/libpinata.a (GOFLAGS $GOFLAGS), emulator $PINATA_EMULATOR_BIN"
# Credentials of a real account must never reach these tests.
unset PINATA_JWT PINATA_API_KEY PINATA_API_SECRET PINATA_API_URL

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "${PINATA_TEST_FRONT:-}" = tls ]; then
    export PINATA_TEST_FRONT_CMD=$root/tests/tls_front_serve.sh
    echo "== go: go test -race over HTTPS through nginx (HTTP version: ${PINATA_TEST_HTTP_VERSION:-auto})"
    go test -race -count=1 .
    echo "bindings/go/test.sh: the Go tests passed over HTTPS"
    exit 0
fi

echo "== go: gofmt, vet, build"
unformatted=$(gofmt -l . "$root/examples/go")
if [ -n "$unformatted" ]; then
    echo "gofmt needed: $unformatted" >&2
    exit 1
fi
go vet ./...
go build ./...
go build -o "$work/pinata" ./cmd/pinata

echo "== go: the CLI binary does not need libpinata.so"
if ldd "$work/pinata" | grep -q 'libpinata'; then
    ldd "$work/pinata" >&2
    echo "the Go CLI links libpinata dynamically" >&2
    exit 1
fi

case $libdir in
"$root/target/bundled/"*)
    echo "== go: the CLI linked with the bundled flavour needs no libcurl or OpenSSL"
    if ldd "$work/pinata" | grep -E 'libcurl|libssl|libcrypto|libnghttp2|libz\.'; then
        echo "the Go CLI built with the bundled flavour still needs the libraries above" >&2
        exit 1
    fi ;;
esac

echo "== go: go test -race"
go test -race -count=1 ./...

echo "== go: go test with GODEBUG=cgocheck=1"
GODEBUG=cgocheck=1 go test -count=1 ./...

echo "== go: quickstart example against the emulator"
(cd "$root/examples/go/quickstart" && go vet ./... && go build -o "$work/quickstart" .)
"$root/examples/run-demo.sh" "$work/quickstart" >"$work/quickstart.out" 2>&1 || {
    cat "$work/quickstart.out" >&2
    echo "the Go quickstart failed" >&2
    exit 1
}
tail -n 1 "$work/quickstart.out"

echo "== go: signed-upload example (v3) against the emulator"
(cd "$root/examples/go/signedupload" && go vet ./... && go build -o "$work/signedupload" .)
"$root/examples/run-demo.sh" "$work/signedupload" >"$work/signedupload.out" 2>&1 || {
    cat "$work/signedupload.out" >&2
    echo "the Go signed-upload example failed" >&2
    exit 1
}
grep -q '^app: uploaded .* (CID check: verified)' "$work/signedupload.out"
grep -q '^backend: private file .* app note' "$work/signedupload.out"
echo "bindings/go/test.sh: all Go tests passed"
