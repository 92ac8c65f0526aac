#!/usr/bin/env bash
# Tests of the Go binding, its CLI and the Go quickstart, against fresh emulators.
# Assumes the Rust build is done (target/debug/libpinata.a and pinata-emulator).
#
#   bindings/go/test.sh
#
# PINATA_LIB_DIR=<dir> links <dir>/libpinata.a instead of target/debug (build tag
# pinata_custom + CGO_LDFLAGS) and runs <dir>/pinata-emulator when it exists.
# PINATA_EMULATOR_BIN overrides the emulator. Exits non-zero on any failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
libdir=$root/target/debug
if [ -n "${PINATA_LIB_DIR:-}" ]; then
    libdir=$(cd "$PINATA_LIB_DIR" && pwd)
fi
cd "$here"

export GOTOOLCHAIN=local
case " ${GOFLAGS:-} " in
*-buildvcs=*) ;;
*) export GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false" ;;
esac
if [ -n "${PINATA_LIB_DIR:-}" ]; then
    export GOFLAGS="$GOFLAGS -tags=pinata_custom"
    export CGO_LDFLAGS="$libdir/libpinata.a -lcurl -lgcc_s -lutil -lrt -lpthread -lm -ldl"
fi
if [ -z "${PINATA_EMULATOR_BIN:-}" ] && [ -x "$libdir/pinata-emulator" ]; then
    export PINATA_EMULATOR_BIN=$libdir/pinata-emulator
fi
for f in "$libdir/libpinata.a" "${PINATA_EMULATOR_BIN:-$root/target/debug/pinata-emulator}"; do
    [ -e "$f" ] || { echo "missing $f: run the Rust build first" >&2; exit 1; }
done
# Credentials of a real account must never reach these tests.
unset PINATA_JWT PINATA_API_KEY PINATA_API_SECRET PINATA_API_URL

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

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
echo "bindings/go/test.sh: all Go tests passed"
