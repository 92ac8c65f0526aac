// Code nobody here wrote, against the emulator's TUS server (emulator/src/v3/tus.rs):
// tus-js-client 4.3.1 uploads, is interrupted, resumes through HEAD and reads
// `upload-cid` from the last answer; Pinata's own SDK (npm `pinata` 2.5.6) uploads a
// file above 90 MiB through its TUS path, which must finish with 204 + Upload-Cid and
// never fall back to multipart. CIDs are compared with libpinata's local computation
// (cid_helper.c). Run by tests/tus-interop/run.sh (make test-tus-interop).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tus from "tus-js-client";
import { PinataSDK } from "pinata";

const U = process.env.PINATA_TEST_URL;
const JWT = process.env.PINATA_TEST_JWT;
const WORK = process.env.TUS_WORK;

/** libpinata's local CID v1 of `bytes`. */
function localCid(bytes, name) {
  const path = join(WORK, name);
  writeFileSync(path, bytes);
  return execFileSync(process.env.PINATA_CID_HELPER, [path, "1"]).toString().trim();
}

async function hook(method, path, body) {
  const r = await fetch(`${U}/__emulator/${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.equal(r.status, 200, `${method} ${path}`);
  return r.json();
}

function pattern(size, seed) {
  const b = Buffer.alloc(size);
  let x = seed | 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

test("tus-js-client: upload, interrupt, resume through HEAD, upload-cid", async () => {
  await hook("POST", "tus/reset");
  const data = pattern(3 * 1024 * 1024 + 5, 7);
  const expected = localCid(data, "tusjs.bin");
  const options = {
    endpoint: `${U}/v3/files`,
    headers: { Authorization: `Bearer ${JWT}` },
    chunkSize: 256 * 1024,
    retryDelays: [0, 10, 50],
    metadata: { filename: "naïve.bin", filetype: "application/octet-stream", network: "public" },
  };
  // First run: stop after a few chunks (abort(false) keeps the upload on the server).
  const uploadUrl = await new Promise((resolve, reject) => {
    let chunks = 0;
    const up = new tus.Upload(data, {
      ...options,
      onError: reject,
      onSuccess: () => reject(new Error("finished before the interruption")),
      onChunkComplete: () => {
        if (++chunks === 4) {
          up.abort(false).then(() => resolve(up.url), reject);
        }
      },
    });
    up.start();
  });
  assert.match(uploadUrl, /^http:\/\/127\.0\.0\.1:\d+\/v3\/files\/[^/]+\/tus$/);
  const before = (await hook("GET", "tus/uploads")).uploads;
  assert.equal(before.length, 1);
  assert.equal(before[0].offset, 4 * 256 * 1024);
  const statsBefore = await hook("GET", "stats");

  // Second run: resumes from the URL (HEAD first), then PATCHes from the server's offset.
  const { cid, firstProgress } = await new Promise((resolve, reject) => {
    let firstProgress = null;
    const up = new tus.Upload(data, {
      ...options,
      uploadUrl,
      onError: reject,
      onProgress: (sent) => {
        if (firstProgress === null) firstProgress = sent;
      },
      onSuccess: ({ lastResponse }) =>
        resolve({ cid: lastResponse.getHeader("upload-cid"), firstProgress }),
    });
    up.start();
  });
  assert.equal(cid, expected);
  assert.ok(firstProgress >= 4 * 256 * 1024, `progress began at ${firstProgress}`);
  const after = await hook("GET", "tus/uploads");
  assert.equal(after.files, 1);
  assert.equal(after.uploads.length, 1, "the resume created a new upload");
  assert.equal(after.uploads[0].cid, expected);
  // Nothing was sent twice: the resume continued from the server's offset.
  assert.equal(after.uploads[0].received, data.length);
  const statsAfter = await hook("GET", "stats");
  assert.ok(statsAfter.requests_total > statsBefore.requests_total);

  // The file row has the UTF-8 name tus-js-client sent.
  const list = await fetch(`${U}/v3/files/public?cid=${cid}`, {
    headers: { Authorization: `Bearer ${JWT}` },
  }).then((r) => r.json());
  assert.equal(list.data.files[0].name, "naïve.bin");
});

test("Pinata's SDK: a file above 90 MiB goes through TUS to 204 + Upload-Cid", async () => {
  await hook("POST", "tus/reset");
  const size = 90 * 1024 * 1024 + 4096;
  const data = pattern(size, 11);
  const expected = localCid(data, "sdk-big.bin");
  const pinata = new PinataSDK({
    pinataJwt: JWT,
    endpointUrl: `${U}/v3`,
    uploadUrl: `${U}/v3`,
    legacyUploadUrl: `${U}/pinning/pinFileToIPFS`,
  });
  const statsBefore = await hook("GET", "stats");
  const r = await pinata.upload.public
    // "naïve": the SDK base64-encodes metadata as Latin-1 (btoa), not UTF-8.
    .file(new File([data], "naïve.bin", { type: "application/octet-stream" }))
    .keyvalues({ via: "tus" });
  assert.equal(r.cid, expected);
  assert.equal(r.name, "naïve.bin");
  assert.deepEqual(r.keyvalues, { via: "tus" });
  const tusState = await hook("GET", "tus/uploads");
  assert.equal(tusState.files, 1);
  assert.equal(tusState.uploads.length, 1);
  assert.equal(tusState.uploads[0].cid, expected);
  assert.equal(tusState.uploads[0].received, size);
  // No multipart fallback: the only POST to /v3/files was the TUS create (the SDK
  // sends the create and the list query there; a fallback would add a second POST
  // of the whole file, counted by the emulator's per-path statistics).
  const statsAfter = await hook("GET", "stats");
  const posts =
    (statsAfter.by_path["/v3/files"] ?? 0) - (statsBefore.by_path["/v3/files"] ?? 0);
  assert.equal(posts, 1, `requests on /v3/files: ${posts}`);
});
