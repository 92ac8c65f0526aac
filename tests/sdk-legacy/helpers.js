// Shared by the suites: the emulator's address and keys (tests/emulator.sh exports
// them), its reset hook, scratch files, and libpinata's CID of a path (cidof.c).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run tests/sdk-legacy/run.sh`);
  return v;
}

const URL_ = env('PINATA_TEST_URL');
const JWT = env('PINATA_TEST_JWT');
const API_KEY = env('PINATA_TEST_API_KEY');
const API_SECRET = env('PINATA_TEST_API_SECRET');

// Hooks go straight to the emulator (fetch ignores HTTPS_PROXY).
async function hook(method, p, body) {
  const r = await fetch(`${URL_}/__emulator${p}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`hook ${method} ${p}: ${r.status}`);
  return r.json();
}

const reset = () => hook('POST', '/reset');

// A scratch directory, removed at exit.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sdk-legacy-'));
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));

function write(rel, content) {
  const p = path.join(scratch, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

// libpinata's CID of a file or directory (pinata_cid_of_path).
function cidOf(p, version) {
  return execFileSync(env('PINATA_CIDOF'), [String(version), p], { encoding: 'utf8' }).trim();
}

// libpinata's CID of bytes (written to a scratch file first).
let n = 0;
function cidOfBytes(bytes, version) {
  return cidOf(write(`bytes-${n++}.bin`, bytes), version);
}

// Published CIDs (tests/VECTORS.md; tests/cid_vectors.rs).
const VECTORS = {
  helloWorldNlV0: 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o',
  helloWorldNlV1: 'bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4',
  helloWorldBangV1: 'bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne',
  helloWorldV1: 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e',
};

module.exports = { URL: URL_, JWT, API_KEY, API_SECRET, hook, reset, scratch, write, cidOf, cidOfBytes, VECTORS };
