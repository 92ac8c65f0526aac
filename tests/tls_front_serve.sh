#!/usr/bin/env bash
# Runs the TLS front (tests/tls_front.sh) in front of an emulator for a program that
# cannot source shell: tests/tls_front_serve.sh EMULATOR_URL prints one line
# "FRONT_URL CA_FILE", then serves until its stdin closes, and stops nginx. It then
# exits non-zero unless libpinata's requests (by user agent, in nginx's log) all used
# the HTTP version PINATA_TEST_HTTP_VERSION asks for (HTTP/2 when unset), or there
# were none. Used by the Go tests (PINATA_TEST_FRONT_CMD, see bindings/go/test.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tls_front.sh
. "$root/tests/tls_front.sh"
trap stop_tls_front EXIT
export PINATA_TEST_URL=$1
start_tls_front >&2
echo "$PINATA_TEST_URL $PINATA_TEST_CA"
cat >/dev/null
want=HTTP/2.0
[ "${PINATA_TEST_HTTP_VERSION:-}" = 1.1 ] && want=HTTP/1.1
got=$(tls_front_protocols | tr '\n' ' ')
echo "tls front: libpinata spoke ${got:-nothing}(wanted $want)" >&2
[ -z "$got" ] || [ "$got" = "$want " ]
