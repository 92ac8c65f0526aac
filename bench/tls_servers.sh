# Sourced by the HTTPS benchmarks (bench/tls.sh, bench/bundled.sh --tls): the release
# emulator behind the HTTPS test suite's nginx front (tests/tls_front.sh), every server
# thread on CPU 0 so that clients measured on CPU 1 do not share a core with them.
#
#   start_bench_tls_servers EMULATOR_BIN
#
# Sets PINATA_TEST_URL, PINATA_TEST_CA and PINATA_TEST_JWT (from tests/emulator.sh and
# tests/tls_front.sh); the caller stops them with `stop_tls_front; stop_emulator`.
# shellcheck shell=bash
_bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
unset http_proxy https_proxy all_proxy no_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY NO_PROXY
# shellcheck source=../tests/emulator.sh
. "$_bench_root/tests/emulator.sh"
# shellcheck source=../tests/tls_front.sh
. "$_bench_root/tests/tls_front.sh"

start_bench_tls_servers() {
    start_emulator "$1"
    # nginx keeps idle connections to the emulator, as a production front would.
    export TLS_FRONT_UPSTREAM_KEEPALIVE=32
    start_tls_front
    taskset -a -cp 0 "$EMULATOR_PID" >/dev/null
    local pid child
    for pid in "${TLS_FRONT_PIDS[@]}"; do
        taskset -a -cp 0 "$pid" >/dev/null
        for child in $(pgrep -P "$pid"); do taskset -a -cp 0 "$child" >/dev/null; done
    done
}
