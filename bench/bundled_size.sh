#!/usr/bin/env bash
# What would bring the stripped bundled libpinata.so under issue 19's 4 MiB, measured
# rather than guessed. Builds the bundled release library (`make bundled-release`) in
# four configurations, each in its own target directory, and prints the stripped size
# of each:
#
#   shipped    the settings `make bundled-release` ships;
#   c-nounwind the C code (libcurl, aws-lc, nghttp2, zlib) without unwind tables
#              (the Rust code keeps them: the C boundary catches panics);
#   +pinata-s  that, and libpinata itself compiled for size (opt-level "s");
#   +ring      that, and rustls on ring instead of aws-lc: curl-sys enables rustls-ffi's
#              default features (aws-lc-rs), which no feature of curl-sys turns off
#              (curl-rust issue #628), so this variant builds a scratch copy of the
#              repository with a [patch] pointing rustls-ffi at a copy of the registry's
#              crate whose default feature is "ring".
#
# Nothing of this is shipped or tested as a product: it sizes the options. Each build
# takes a few minutes on 2 cores; about 4 GB are used under BENCH_TMPDIR (default /tmp);
# everything is deleted at the end.
#
#   bench/bundled_size.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/pinata-bundled-size.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
NOUNWIND="-fno-unwind-tables -fno-asynchronous-unwind-tables"
PINATA_S="--config 'profile.release.package.pinata.opt-level=\"s\"'"

size() { # NAME DIR [MAKE VARIABLES]: builds DIR's bundled release library (in a target
    # directory per source tree, so the variants share what they can), prints its size.
    local name=$1 dir=$2 t
    shift 2
    t=$TMP/target-scratch
    [ "$dir" = "$ROOT" ] && t=$TMP/target-root
    make -C "$dir" --no-print-directory bundled-release BUNDLED_DIR="$t" "$@" >"$TMP/$name.log" 2>&1 ||
        { cat "$TMP/$name.log" >&2; exit 1; }
    strip --strip-all -o "$TMP/$name.so" "$t/release/libpinata.so"
    printf '| %s | %s |\n' "$name" "$(stat -c %s "$TMP/$name.so" | awk '{printf "%.2f MiB", $1 / 1048576}')"
}

# The scratch copy for the ring variant: the committed tree, plus the patch.
host=$(rustc -vV | sed -n 's/^host: //p')
ffi=$(cd "$ROOT" && cargo metadata --format-version 1 --no-default-features --features bundled \
    --filter-platform "$host" |
    python3 -c 'import json,sys; print(next(p["manifest_path"] for p in json.load(sys.stdin)["packages"] if p["name"] == "rustls-ffi"))')
mkdir "$TMP/repo"
git -C "$ROOT" archive HEAD | tar -x -C "$TMP/repo"
cp -r "$(dirname "$ffi")" "$TMP/rustls-ffi"
python3 - "$TMP/rustls-ffi/Cargo.toml" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
s, n = re.subn(r'(?ms)^default = \[.*?\]', 'default = ["ring"]', s, count=1)
assert n == 1, "rustls-ffi's Cargo.toml has no default feature list"
open(p, "w").write(s)
PY
printf '\n[patch.crates-io]\nrustls-ffi = { path = "%s" }\n' "$TMP/rustls-ffi" >>"$TMP/repo/Cargo.toml"

echo "| bundled libpinata.so | stripped |"
echo "|---|---:|"
size shipped "$ROOT"
size c-nounwind "$ROOT" BUNDLED_CFLAGS="$NOUNWIND"
size +pinata-s "$ROOT" BUNDLED_CFLAGS="$NOUNWIND" BUNDLED_CONFIG="$PINATA_S"
size +ring "$TMP/repo" BUNDLED_CFLAGS="$NOUNWIND" \
    BUNDLED_CONFIG="$PINATA_S --config 'profile.release.package.ring.opt-level=\"s\"'"
echo
echo "(commit $(git -C "$ROOT" rev-parse --short HEAD), $(date -u '+%Y-%m-%d %H:%M UTC'); command: bench/bundled_size.sh)"
