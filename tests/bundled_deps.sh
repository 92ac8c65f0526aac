#!/usr/bin/env bash
# Checks that a libpinata build is self-contained: libpinata.so, and a C program
# linked statically with libpinata.a (and the libraries LIBDIR/pinata-static.pc
# names), need nothing at run time beyond the C runtime, and import no libcurl,
# OpenSSL, nghttp2 or zlib symbol.
#
#   tests/bundled_deps.sh LIBDIR        exit 0 when self-contained, 1 otherwise
#
# The system build fails this check (it needs libcurl); `make test-bundled` runs it
# against both to show that it can.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
libdir=$(cd "${1:?usage: bundled_deps.sh LIBDIR}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The C runtime: glibc's libraries (librt and libutil are glibc's too, empty since
# 2.34, named by rustc's native-static-libs), libgcc_s (unwinding) and the loader.
allowed_needed='^(libc|libm|libpthread|libdl|librt|libutil)\.so\.[0-9]+$|^libgcc_s\.so\.1$|^ld-linux[-a-z0-9_.]*\.so\.[0-9]+$'
# Symbols of the libraries that must be compiled in. aws-lc (rustls' crypto) declares
# four OPENSSL_memory_* hooks weak, so a program may supply an allocator; they are
# optional (weak, 'w') and allowed by name.
foreign='^(curl_|Curl_|SSL_|SSL_CTX_|OPENSSL_|CRYPTO_|EVP_|ERR_|X509_|BIO_|RSA_|EC_|nghttp2_|inflate|deflate|zlib|gz|crc32|adler32|rustls_)'
weak_ok='^(OPENSSL_memory_alloc|OPENSSL_memory_free|OPENSSL_memory_get_size|OPENSSL_memory_realloc)$'

failed=0
check_object() {
    local what=$1 file=$2 needed bad
    needed=$(readelf -d "$file" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
    bad=$(printf '%s\n' "$needed" | grep -Ev "$allowed_needed" || true)
    if [ -n "$bad" ]; then
        echo "FAILED: $what needs $(echo $bad)" >&2
        failed=1
    else
        echo "ok: $what needs only $(echo $needed)"
    fi
    # nm -D --undefined-only: "U name[@version]" or "w name".
    bad=$(nm -D --undefined-only "$file" |
        awk '{ sub(/@.*/, "", $2); print $1, $2 }' |
        while read -r kind name; do
            if printf '%s\n' "$name" | grep -Eq "$foreign"; then
                if [ "$kind" = w ] && printf '%s\n' "$name" | grep -Eq "$weak_ok"; then
                    continue
                fi
                echo "$name"
            fi
        done)
    if [ -n "$bad" ]; then
        echo "FAILED: $what imports $(echo $bad | cut -c1-300)" >&2
        failed=1
    else
        echo "ok: $what imports no libcurl, OpenSSL, nghttp2 or zlib symbol"
    fi
}

check_object "$libdir/libpinata.so" "$libdir/libpinata.so"

# Only pinata_ symbols leave the shared library (rustls-ffi's would otherwise).
bad=$(nm -D --defined-only "$libdir/libpinata.so" | awk '{print $3}' | grep -v '^pinata_' || true)
if [ -n "$bad" ]; then
    echo "FAILED: libpinata.so exports $(echo $bad | cut -c1-300)" >&2
    failed=1
else
    echo "ok: libpinata.so exports only pinata_ symbols"
fi

# A program linked statically with libpinata.a, as pinata-static.pc says.
cat >"$work/app.c" <<'C'
#include <stdio.h>
#include <string.h>
#include "pinata.h"
int main(void) {
    pinata_client *client = NULL;
    if (pinata_client_new_jwt("a.b.c", &client, NULL) != PINATA_OK) return 1;
    pinata_client_free(client);
    printf("%s\n", pinata_version());
    return strcmp(pinata_version(), PINATA_VERSION_STRING) != 0;
}
C
[ -e "$libdir/pinata-static.pc" ] || { echo "missing $libdir/pinata-static.pc" >&2; exit 1; }
# shellcheck disable=SC2046
${CC:-gcc} -std=c99 -Wall -Werror $(PKG_CONFIG_PATH=$libdir pkg-config --cflags pinata-static) \
    "$work/app.c" -o "$work/app" $(PKG_CONFIG_PATH=$libdir pkg-config --libs pinata-static)
"$work/app" >/dev/null || { echo "FAILED: the static program does not run" >&2; failed=1; }
check_object "a program linked with libpinata.a" "$work/app"
exit $failed
