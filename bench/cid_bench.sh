#!/usr/bin/env bash
# Benchmarks local CID computation (pinata::cid) against sha256sum and the
# reference JS importer, on a random file (2 GiB by default) in a temp dir.
#
#   bash bench/cid_bench.sh [SIZE_MIB] [RUNS]
#
# Prints a markdown table; ratios are throughput ratios (x / sha256sum speed).
# Each row is the best of RUNS (default 3) runs with the file in the page cache.
# The JS rows need `npm ci --prefix tests/js-crosscheck` (skipped otherwise).
set -euo pipefail

SIZE_MIB=${1:-2048}
RUNS=${2:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cid-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
FILE="$TMP/random.bin"
BYTES=$((SIZE_MIB * 1024 * 1024))

echo "building the bench example (release)..." >&2
(cd "$ROOT" && cargo build --quiet --release --example cid_bench)
BENCH="$ROOT/target/release/examples/cid_bench"

echo "creating a ${SIZE_MIB} MiB random file in $TMP..." >&2
head -c "$BYTES" /dev/urandom >"$FILE"
cat "$FILE" >/dev/null # into the page cache

# best_of CMD...: runs CMD $RUNS times, prints the best wall time in seconds;
# the command's first output word of the last run goes to $TMP/out.
best_of() {
  local best="" t0 t1 dt
  for _ in $(seq "$RUNS"); do
    t0=$(date +%s%N)
    "$@" >"$TMP/out" 2>"$TMP/err" || { cat "$TMP/err" >&2; return 1; }
    t1=$(date +%s%N)
    dt=$(( t1 - t0 ))
    if [ -z "$best" ] || [ "$dt" -lt "$best" ]; then best=$dt; fi
  done
  awk -v ns="$best" 'BEGIN { printf "%.3f", ns / 1e9 }'
}

rows=()
add_row() { # name seconds cid
  rows+=("$1|$2|$3")
}

t=$(best_of sha256sum "$FILE"); add_row "sha256sum (coreutils)" "$t" "-"
SHA_T=$t
if command -v openssl >/dev/null; then
  t=$(best_of openssl dgst -sha256 "$FILE"); add_row "openssl dgst -sha256 (SHA-NI reference)" "$t" "-"
fi
for p in v0 v1; do
  t=$(best_of "$BENCH" "$FILE" "$p" 1); add_row "pinata::cid $p, 1 thread (cid_of_path)" "$t" "$(cut -f1 "$TMP/out")"
done
for p in v0 v1; do
  t=$(best_of "$BENCH" "$FILE" "$p" 0); add_row "pinata::cid $p, all cores ($(nproc)) (cid_of_path_parallel)" "$t" "$(cut -f1 "$TMP/out")"
done
t=$(best_of "$BENCH" "$FILE" v1 1 verify); add_row "pinata::cid Verifier (v0+v1+v1-2025 in one pass), 1 thread" "$t" "$(cut -f1 "$TMP/out")"
JS="$ROOT/tests/js-crosscheck"
if [ -d "$JS/node_modules/ipfs-unixfs-importer" ] && command -v node >/dev/null; then
  for p in v0 v1; do
    printf '%s\t0\t%s\n' "$p" "$FILE" >"$TMP/list-$p"
    t=$(best_of node "$JS/crosscheck.mjs" "$TMP/list-$p"); add_row "ipfs-unixfs-importer 17.1.1 $p (Node $(node --version))" "$t" "$(cut -f1 "$TMP/out")"
  done
else
  echo "(JS importer not installed: run npm ci --prefix tests/js-crosscheck)" >&2
fi

# Does each JS CID agree with ours for the same profile?
for p in v0 v1; do
  ours=$(printf '%s\n' "${rows[@]}" | grep "pinata::cid $p, 1 thread" | cut -d'|' -f3)
  js=$(printf '%s\n' "${rows[@]}" | grep "importer.* $p (" | cut -d'|' -f3 || true)
  if [ -n "$js" ] && [ "$js" != "$ours" ]; then
    echo "NOTE: the JS importer's $p CID differs from ours ($js vs $ours)." >&2
    if [ "$BYTES" -ge 2147483648 ] && [ "$BYTES" -lt 4294967296 ]; then
      echo "      Expected for sizes in [2^31, 2^32): ipfs-unixfs 13.1.1 / protons-runtime 7.1.2 encode" >&2
      echo "      uint64 values in that range as zero bytes (the root's filesize), so the JS root block is corrupt." >&2
    fi
  fi
done

echo
echo "File: ${SIZE_MIB} MiB random, page-cached; best of $RUNS runs; $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo
echo "| What | Time (s) | MB/s | × sha256sum | CID |"
echo "|---|---:|---:|---:|---|"
for r in "${rows[@]}"; do
  IFS='|' read -r name secs cid <<<"$r"
  awk -v n="$name" -v s="$secs" -v b="$BYTES" -v base="$SHA_T" -v c="$cid" \
    'BEGIN { printf "| %s | %.2f | %.0f | %.2f | %s |\n", n, s, b / s / 1e6, base / s, (c == "-" ? "" : "`" c "`") }'
done
