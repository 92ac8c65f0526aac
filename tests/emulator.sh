# Sourced by the test and demo scripts: starts a fresh pinata-emulator on a free
# loopback port and exports its address and seeded admin credentials.
#
#   start_emulator BIN   exports PINATA_TEST_URL, PINATA_TEST_JWT, PINATA_TEST_API_KEY,
#                        PINATA_TEST_API_SECRET (and EMULATOR_PID)
#   stop_emulator        stops it (safe to call twice)
#   emulator_scratch     makes a scratch directory, $work; on exit the emulator is
#                        stopped and $work removed

start_emulator() {
    local bin=$1 out line
    out=$(mktemp)
    "$bin" --listen 127.0.0.1:0 --quiet >"$out" &
    EMULATOR_PID=$!
    for _ in $(seq 1 200); do
        grep -q '}' "$out" 2>/dev/null && break
        sleep 0.05
    done
    line=$(head -n 1 "$out")
    rm -f "$out"
    if [ -z "$line" ]; then
        echo "the emulator did not start ($bin)" >&2
        return 1
    fi
    # The four values are plain strings (URL, base64url JWT, hex keys) with no quote or
    # backslash; sed keeps `make demo` free of anything beyond Rust and a C compiler.
    local pair value
    for pair in URL:url JWT:jwt API_KEY:api_key API_SECRET:api_secret; do
        value=$(printf '%s\n' "$line" | sed -n "s/.*\"${pair#*:}\":\"\([^\"]*\)\".*/\1/p")
        if [ -z "$value" ]; then
            echo "the emulator's first line has no ${pair#*:} ($bin)" >&2
            return 1
        fi
        export "PINATA_TEST_${pair%%:*}=$value"
    done
}

stop_emulator() {
    if [ -n "${EMULATOR_PID:-}" ]; then
        kill "$EMULATOR_PID" 2>/dev/null || true
        wait "$EMULATOR_PID" 2>/dev/null || true
        EMULATOR_PID=""
    fi
}

emulator_scratch() {
    work=$(mktemp -d)
    trap 'stop_emulator; rm -rf "$work"' EXIT
}
