#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for a while and fails on the first crash.
#
# Usage: tests/fuzz.sh [seconds per target, default 20] [target...]
#
# Needs cargo-fuzz (installed from crates.io when missing) and a nightly toolchain;
# without `+nightly` it falls back to the default toolchain with RUSTC_BOOTSTRAP=1,
# which accepts the -Z flags cargo-fuzz passes. New corpus entries go to a temporary
# directory; the committed seeds in fuzz/corpus/<target>/ are only read. A crash leaves
# its reproducer in fuzz/artifacts/<target>/ (git-ignored); replay it with
#   cargo +nightly fuzz run <target> fuzz/artifacts/<target>/crash-<sha1>
# See fuzz/README.md for the long runs before a release.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-20}
case "$seconds" in
    '' | *[!0-9]*) echo "usage: $0 [seconds] [target...]" >&2; exit 2 ;;
esac
shift || true
# Every cargo call of this repository sees the same value (see the Makefile).
export PINATA_HEADER_OUT=$root/target/pinata.h
mkdir -p "$root/target"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz is missing: installing it from crates.io" >&2
    cargo install --locked cargo-fuzz
fi
if cargo +nightly --version >/dev/null 2>&1; then
    fuzz=(cargo +nightly fuzz)
    toolchain=nightly
else
    # Stable rustc refuses -Z flags unless told it is bootstrapping itself.
    export RUSTC_BOOTSTRAP=1
    fuzz=(cargo fuzz)
    toolchain="$(rustc --version) with RUSTC_BOOTSTRAP=1"
fi

cd "$root/fuzz"
# The targets every full run must fuzz: a run that finds none of them (or fewer) fails
# instead of reporting success on nothing.
required=(car cid pin_list_query response upload_url)
mapfile -t available < <("${fuzz[@]}" list)
for t in "${required[@]}"; do
    case " ${available[*]} " in
        *" $t "*) ;;
        *) echo "fuzz target $t is missing from fuzz/Cargo.toml (cargo fuzz list: ${available[*]:-none})" >&2; exit 1 ;;
    esac
done
if [ $# -gt 0 ]; then
    targets=("$@")
else
    targets=("${available[@]}")
fi
echo "== building ${#targets[@]} fuzz targets ($toolchain)"
"${fuzz[@]}" build >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# What a target writes to the temporary directory (the car target's spilled blocks and
# the files and directories its walks write, one directory per process) goes here, and is
# removed with it even when a crash stops the target mid-run.
export TMPDIR=$work
failed=0
summary=()
for t in "${targets[@]}"; do
    case " ${available[*]} " in
        *" $t "*) ;;
        *) echo "no fuzz target named $t (cargo fuzz list: ${available[*]})" >&2; exit 2 ;;
    esac
    seeds=$root/fuzz/corpus/$t
    mkdir -p "$work/$t"
    echo "== $t: ${seconds}s"
    rc=0
    # The first corpus directory receives new inputs; the seeds are read only.
    "${fuzz[@]}" run "$t" "$work/$t" "$seeds" -- \
        -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
        >"$work/$t.log" 2>&1 || rc=$?
    runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' "$work/$t.log" | tail -n 1)
    cov=$(sed -n 's/^#[0-9]*[[:space:]]*DONE[[:space:]]*cov: \([0-9]*\).*corp: \([0-9]*\)\/.*/cov \1, corpus \2/p' "$work/$t.log" | tail -n 1)
    if [ "$rc" -eq 0 ] && { [ -z "$runs" ] || [ "${runs%% *}" = 0 ]; }; then
        # libFuzzer exited 0 without running an input (or without its final statistics).
        failed=1
        tail -n 20 "$work/$t.log" >&2
        summary+=("$t: FAILED: ${runs:-no \"Done N runs\" line}: no input was run")
    elif [ "$rc" -ne 0 ]; then
        failed=1
        artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$work/$t.log" | tail -n 1)
        tail -n 60 "$work/$t.log" >&2
        if [ -n "$artifact" ]; then
            summary+=("$t: CRASH (exit $rc) after ${runs:-? runs}; reproducer: $artifact")
        else
            summary+=("$t: FAILED (exit $rc), no reproducer written: see the log above")
        fi
    else
        summary+=("$t: ${runs:-? runs}${cov:+ ($cov)}, no crash")
    fi
done
echo "== fuzz summary"
printf '%s\n' "${summary[@]}"
exit $failed
