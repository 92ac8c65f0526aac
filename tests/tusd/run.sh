#!/usr/bin/env bash
# libpinata's TUS client against tusd v2 (tests/tusd/main.go: tusd's own handler and
# file store, go.mod/go.sum committed): builds the server and libpinata's cid_helper,
# starts the server on a free loopback port, and runs the Rust test
# `tusd_killed_upload_resumes` (tests/tus_crash.rs) against it. About 10 s after the
# first build. Usage: tests/tusd/run.sh (after `make build`).
set -euo pipefail
unset http_proxy https_proxy all_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY
root=$(cd "$(dirname "$0")/../.." && pwd)
libdir=${PINATA_LIB_DIR:-$root/target/debug}
work=$(mktemp -d)
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
"${CC:-gcc}" -std=c99 -Wall -Wextra -Werror -I"$root/include" "$root/tests/tus-interop/cid_helper.c" \
    -o "$work/cid_helper" -L"$libdir" -Wl,-rpath,"$libdir" -lpinata
(cd "$root/tests/tusd" && go build -o "$work/tusd-server" .)
mkdir "$work/store"
mkfifo "$work/ready"
"$work/tusd-server" -dir "$work/store" -cid-helper "$work/cid_helper" >"$work/ready" 2>"$work/tusd.log" &
server_pid=$!
read -r line <"$work/ready"
url=$(printf '%s' "$line" | sed -E 's/.*"url":"([^"]+)".*/\1/')
echo "== tusd v2.9.1 at $url"
cd "$root"
TUSD_URL=$url TUSD_DIR=$work/store ${CARGO:-cargo} test -p pinata --test tus_crash -- \
    --ignored --nocapture --exact tusd_killed_upload_resumes
