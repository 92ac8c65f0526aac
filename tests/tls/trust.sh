#!/usr/bin/env bash
# Trust roots and TLS refusals of one libpinata build, against a local TLS server
# (openssl s_server -WWW on 127.0.0.1) whose certificate a test CA made here signs.
#
#   tests/tls/trust.sh LIBDIR     (LIBDIR holds libpinata.so: target/debug, target/bundled/debug)
#
# Checks, for either flavour (the system libcurl with OpenSSL, or the bundled libcurl
# with rustls): an unknown CA is refused with PINATA_E_NETWORK (PINATA_E_TLS once that
# status exists) and the TLS stack's own words; the client's CA bundle is accepted;
# the client's CA bundle wins over SSL_CERT_FILE. For the bundled flavour also: with no
# client bundle, SSL_CERT_FILE names the trusted CAs (src/trust.rs).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
libdir=$(cd "${1:?usage: trust.sh LIBDIR}" && pwd)
work=$(mktemp -d)
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

if readelf -d "$libdir/libpinata.so" | grep -q 'NEEDED.*libcurl'; then
    flavour=system
    # OpenSSL's words for a certificate no trusted CA signed.
    refusal='SSL certificate problem: unable to get local issuer certificate'
else
    flavour=bundled
    # rustls' words.
    refusal='invalid peer certificate: UnknownIssuer'
fi
echo "== TLS trust: $flavour build in $libdir"

cd "$work"
# A test CA, a second CA nobody trusts, and a server certificate for 127.0.0.1.
for ca in ca other; do
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=libpinata test $ca" \
        -keyout $ca.key -out $ca.pem 2>/dev/null
done
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout srv.key -out srv.csr 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >srv.ext
openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile srv.ext -out srv.pem 2>/dev/null

# s_server -WWW serves files under its working directory, one connection at a time.
mkdir -p www/data
printf '{"message":"Congratulations! You are communicating with the Pinata API!"}' \
    >www/data/testAuthentication
(cd www && exec openssl s_server -accept 127.0.0.1:0 -cert ../srv.pem -key ../srv.key \
    -WWW >../server.out 2>&1) &
server_pid=$!
port=
for _ in $(seq 1 100); do
    port=$(sed -n 's/^ACCEPT 127\.0\.0\.1:\([0-9]*\)$/\1/p' server.out)
    [ -n "$port" ] && break
    sleep 0.05
done
[ -n "$port" ] || { cat server.out >&2; echo "openssl s_server did not start" >&2; exit 1; }
url=https://127.0.0.1:$port

${CC:-gcc} -std=c99 -Wall -Wextra -Werror -I"$root/include" "$root/tests/tls/trust_probe.c" \
    -o probe -L"$libdir" -Wl,-rpath,"$libdir" -lpinata

failed=0
# expect NAME OUTPUT-PATTERN (grep -E) then the probe's environment and arguments.
expect() {
    local name=$1 pattern=$2 out
    shift 2
    out=$(env "$@")
    if printf '%s\n' "$out" | grep -Eq -- "$pattern"; then
        echo "ok: $name: $out"
    else
        echo "FAILED: $name: got [$out], wanted /$pattern/" >&2
        failed=1
    fi
}
refused="^(PINATA_E_NETWORK|PINATA_E_TLS) .*$refusal"
accepted='^OK Congratulations!'

expect "unknown CA refused" "$refused" -u SSL_CERT_FILE ./probe "$url"
expect "CA bundle accepted" "$accepted" -u SSL_CERT_FILE ./probe "$url" ca.pem
expect "the client's CA bundle wins over SSL_CERT_FILE" "$refused" \
    SSL_CERT_FILE="$work/ca.pem" ./probe "$url" other.pem
if [ $flavour = bundled ]; then
    expect "SSL_CERT_FILE trusted without a client bundle" "$accepted" \
        SSL_CERT_FILE="$work/ca.pem" ./probe "$url"
    expect "a missing SSL_CERT_FILE falls back to the system bundle" "$refused" \
        SSL_CERT_FILE="$work/missing.pem" ./probe "$url"
fi
exit $failed
