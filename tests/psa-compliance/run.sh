#!/usr/bin/env bash
# Runs the IPFS Pinning Service API compliance suite (npm
# @ipfs-shipyard/pinning-service-compliance 1.8.1, installed by `npm ci --ignore-scripts`)
# against the emulator's /psa in spec mode, and fails unless its JSON report shows every
# expectation passing and all 9 checks ran. The suite always exits 0, so the counts are
# read from its report (dist/docs/<host>.json).
#
# The suite fetches the OpenAPI spec from GitHub at run time; its specLocation constant
# is pointed at the copy beside this script (ipfs-pinning-service.yaml, v1.0.0, CC0).
set -euo pipefail
unset http_proxy https_proxy all_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
pkg=$here/node_modules/@ipfs-shipyard/pinning-service-compliance
[ -d "$pkg" ] || { echo "run: npm ci --ignore-scripts --prefix tests/psa-compliance" >&2; exit 1; }

# Point the suite at the local spec (idempotent).
sed -i "s|^const specLocation = .*|const specLocation = '$here/ipfs-pinning-service.yaml';|" \
    "$pkg/dist/src/utils/constants.js"
grep -q "specLocation = '$here/" "$pkg/dist/src/utils/constants.js"

# shellcheck source=../emulator.sh
. "$root/tests/emulator.sh"
emulator_scratch
start_emulator "${PINATA_EMULATOR_BIN:-$root/target/debug/pinata-emulator}"
# Spec mode (PSA_COMPLIANCE_MODE=pinata shows what Pinata mode fails); a request is pinned by the next read (the name-match checks list without a
# status filter, i.e. pinned only, right after adding).
curl -sf -X POST "$PINATA_TEST_URL/__emulator/psa" -H 'Content-Type: application/json' \
    -d "{\"mode\":\"${PSA_COMPLIANCE_MODE:-spec}\",\"step_ms\":0}" -o /dev/null

host=127.0.0.1
report=$pkg/dist/docs/$host.json
rm -f "$report"
mkdir -p "$pkg/dist/docs"
log=$work/compliance.log
(cd "$here" && node "$pkg/dist/src/index.js" -s "$PINATA_TEST_URL/psa" "$PINATA_TEST_JWT") >"$log" 2>&1 || true
if [ ! -f "$report" ]; then
    tail -n 40 "$log" >&2
    echo "psa-compliance: no report at $report" >&2
    exit 1
fi
cat "$report"; echo
# The JSON report counts checks; the markdown report has each check's expectations as
# "### Expectations (P/T successful)" and its summary as "## Summary (P/T successful)".
md=$pkg/dist/docs/$host.md
summary=$(grep -o '^## Summary ([0-9]*/[0-9]* successful)' "$md" | grep -o '[0-9]*/[0-9]*')
expect=$(grep -o 'Expectations ([0-9]*/[0-9]* successful)' "$md" \
    | awk -F'[(/ ]' '{p += $3; t += $4} END {print p "/" t}')
echo "psa-compliance: checks $summary, expectations $expect"
node -e '
const r = require(process.argv[1]);
const [cp, ct] = process.argv[2].split("/").map(Number);
const [ep, et] = process.argv[3].split("/").map(Number);
const ok = r.success === true && r.failed === 0 && r.total === 9 && r.passed === 9 &&
    cp === 9 && ct === 9 && et > 0 && ep === et;
if (!ok) { console.error("psa-compliance: FAILED"); process.exit(1); }
' "$report" "$summary" "$expect" || { grep -n "❌" "$md" | head -40 >&2; exit 1; }
