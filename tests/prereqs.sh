#!/usr/bin/env bash
# The first step of `make test`: gives a fresh Debian machine that has Rust, Go and
# Node what the suites need besides.
#   - Debian packages (below): when some are missing, installs them with apt-get when
#     running as root; otherwise prints the one command to run, and fails.
#   - the rustfmt and clippy components: `rustup component add`.
# On a system without dpkg it names the packages it needs and carries on.
# Exits non-zero when something is still missing.
set -euo pipefail

packages=(
    libcurl4-openssl-dev # libcurl for the curl crate (without it curl-sys builds its own)
    libssl-dev           # OpenSSL for openssl-sys
    pkg-config           # finds both for cargo; the install and Go tests use it too
    curl                 # the test scripts call the emulator's hooks
    valgrind             # C and C++ tests, helgrind
    libgtest-dev         # C++ wrapper tests
    cmake                # C++ wrapper tests, the CMake consumer of the install check
    g++                  # C++ wrapper tests and consumers
    python3              # helper scripts (helgrind report, Swift symbol check)
    nginx-light          # the TLS front of the HTTPS suite (tests/tls_front.sh)
    openssl              # test CAs and certificates (tests/tls_front.sh, tests/tls/trust.sh)
    tinyproxy            # the proxy cases of the HTTPS suite
)

for tool in cargo go node npm; do
    command -v "$tool" >/dev/null || {
        echo "tests/prereqs.sh: $tool is missing: make test expects Rust (rustup), Go and Node" >&2
        exit 1
    }
done

missing=()
if command -v dpkg-query >/dev/null; then
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
    done
else
    echo "tests/prereqs.sh: not a Debian system; make test needs the equivalents of: ${packages[*]}"
fi
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "tests/prereqs.sh: installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    else
        echo "tests/prereqs.sh: missing Debian packages; run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
fi

components=()
cargo fmt --version >/dev/null 2>&1 || components+=(rustfmt)
cargo clippy --version >/dev/null 2>&1 || components+=(clippy)
if [ ${#components[@]} -gt 0 ]; then
    command -v rustup >/dev/null || {
        echo "tests/prereqs.sh: missing Rust components ${components[*]}; install them with your Rust toolchain" >&2
        exit 1
    }
    echo "tests/prereqs.sh: rustup component add ${components[*]}"
    rustup component add "${components[@]}"
fi
