#!/usr/bin/env bash
# Runs the TLS front (tests/tls_front.sh) in front of an emulator for a program that
# cannot source shell: tests/tls_front_serve.sh EMULATOR_URL prints one line
# "FRONT_URL CA_FILE", then serves until its stdin closes, and stops nginx. It then
# exits non-zero unless libpinata's requests (by user agent, in nginx's log) all used
# the HTTP version PINATA_TEST_HTTP_VERSION asks for (unset: HTTP/1.1 for uploads,
# HTTP/2 for the rest), or there were none. Used by the Go tests, package and CLI
# (PINATA_TEST_FRONT_CMD, see bindings/go/test.sh), and by each C++ test
# (bindings/cpp/test.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tls_front.sh
. "$root/tests/tls_front.sh"
trap stop_tls_front EXIT
export PINATA_TEST_URL=$1
start_tls_front >&2
echo "$PINATA_TEST_URL $PINATA_TEST_CA"
cat >/dev/null
case ${PINATA_TEST_HTTP_VERSION:-} in
1.1) checks=("all HTTP/1.1") ;;
2) checks=("all HTTP/2.0") ;;
*) checks=("uploads HTTP/1.1" "calls +HTTP/2.0") ;;
esac
ok=0
for check in "${checks[@]}"; do
    which=${check% *} want=${check#* }
    [ "$which" = all ] && which=
    got=$(tls_front_protocols $which | tr '\n' ' ')
    echo "tls front: libpinata's ${which:-requests} used ${got:-nothing }(wanted $want)" >&2
    case $want in
    +*) [ -z "$got" ] || [[ " $got" == *" ${want#+} "* ]] || ok=1 ;; # among others
    *) [ -z "$got" ] || [ "$got" = "$want " ] || ok=1 ;;
    esac
done
exit $ok
