// npm @pinata/sdk 2.1.0 (the most downloaded legacy SDK) against the emulator. Its
// base URL is hard-coded to https://api.pinata.cloud; run.sh sets HTTPS_PROXY to the
// emulator, so every call below really travels as the SDK sends it (absolute-form
// requests through a proxy). Every legacy call it has is exercised.
'use strict';
const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Readable } = require('node:stream');
const PinataClient = require('@pinata/sdk/lib/pinata-sdk.js');
const h = require('./helpers.js');

const pinata = new PinataClient(h.API_KEY, h.API_SECRET);
const byJwt = new PinataClient({ pinataJWTKey: h.JWT });

before(async () => {
  assert.ok(process.env.HTTPS_PROXY, 'run through run.sh (HTTPS_PROXY)');
  await h.reset();
});

test('testAuthentication, with the key pair and with the JWT', async () => {
  assert.deepEqual(await pinata.testAuthentication(), { authenticated: true });
  assert.deepEqual(await byJwt.testAuthentication(), { authenticated: true });
  const bad = new PinataClient('0000', '1111');
  await assert.rejects(bad.testAuthentication(), (e) => {
    assert.match(JSON.stringify(e), /INVALID_CREDENTIALS/);
    return true;
  });
});

test('pinFileToIPFS: a stream, CIDv0 by default, CIDv1 on request', async () => {
  const v0 = await pinata.pinFileToIPFS(Readable.from([Buffer.from('hello world\n')]), {
    pinataMetadata: { name: 'hello.txt', keyvalues: { env: 'test' } },
  });
  assert.equal(v0.IpfsHash, h.VECTORS.helloWorldNlV0);
  assert.equal(v0.PinSize, 20);
  assert.match(v0.Timestamp, /^\d{4}-\d\d-\d\dT/);
  const v1 = await byJwt.pinFileToIPFS(fs.createReadStream(h.write('hello.txt', 'hello world\n')), {
    pinataMetadata: { name: 'hello-v1.txt' },
    pinataOptions: { cidVersion: 1 },
  });
  assert.equal(v1.IpfsHash, h.VECTORS.helloWorldNlV1);
  // The same bytes again: Pinata answers with isDuplicate.
  const again = await pinata.pinFileToIPFS(Readable.from([Buffer.from('hello world\n')]), {
    pinataMetadata: { name: 'hello.txt' },
  });
  assert.equal(again.IpfsHash, h.VECTORS.helloWorldNlV0);
  assert.equal(again.isDuplicate, true);
});

test('pinFromFS: a file and a folder, CIDs equal to libpinata\'s', async () => {
  const file = h.write('fromfs/one.txt', 'one file\n');
  const r = await pinata.pinFromFS(file, { pinataMetadata: { name: 'one' } });
  assert.equal(r.IpfsHash, h.cidOf(file, 0));
  const dir = path.join(h.scratch, 'site');
  h.write('site/index.html', '<h1>hi</h1>\n');
  h.write('site/style.css', 'h1 { color: red }\n');
  h.write('site/data.bin', Buffer.alloc(300000, 7));
  for (const v of [0, 1]) {
    const d = await pinata.pinFromFS(dir, { pinataMetadata: { name: `site-v${v}` }, pinataOptions: { cidVersion: v } });
    assert.equal(d.IpfsHash, h.cidOf(dir, v));
  }
  const wrapped = await pinata.pinFromFS(file, { pinataOptions: { cidVersion: 1, wrapWithDirectory: true } });
  assert.equal(wrapped.IpfsHash, h.cidOf(path.dirname(file), 1), 'a folder holding one.txt');
});

test('pinJSONToIPFS: the CID of the JSON text Pinata stores', async () => {
  const doc = { name: 'pinnie', list: [1, 2, 3], nested: { ok: true }, text: 'é 日本' };
  for (const v of [0, 1]) {
    const r = await pinata.pinJSONToIPFS(doc, { pinataMetadata: { name: `doc-v${v}` }, pinataOptions: { cidVersion: v } });
    assert.equal(r.IpfsHash, h.cidOfBytes(JSON.stringify(doc), v));
    assert.equal(r.PinSize > 0, true);
  }
});

test('pinByHash and pinJobs', async () => {
  const cid = h.VECTORS.helloWorldBangV1;
  const job = await pinata.pinByHash(cid, {
    pinataMetadata: { name: 'by-hash', keyvalues: { k: 'v' } },
    pinataOptions: { hostNodes: ['/ip4/10.0.0.1/tcp/4001/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N'] },
  });
  assert.equal(job.ipfsHash, cid);
  assert.equal(job.status, 'prechecking');
  assert.equal(job.name, 'by-hash');
  assert.match(job.id, /^[0-9a-f-]{36}$/);
  const jobs = await pinata.pinJobs({ sort: 'ASC', ipfs_pin_hash: cid });
  assert.equal(jobs.count, 1);
  assert.equal(jobs.rows[0].id, job.id);
  assert.equal(jobs.rows[0].ipfs_pin_hash, cid);
  assert.equal(jobs.rows[0].status, 'prechecking');
  // Once pinned (the emulator's hook), the job leaves the queue and the pin is listed.
  await h.hook('POST', `/pin-jobs/${job.id}/advance`, { status: 'pinned' });
  assert.equal((await pinata.pinJobs({ ipfs_pin_hash: cid })).count, 0);
  // The SDK always sends includeCount=false: rows only, no count.
  const listed = await pinata.pinList({ hashContains: cid, status: 'pinned' });
  assert.equal(listed.count, undefined);
  assert.equal(listed.rows.length, 1);
  assert.equal(listed.rows[0].metadata.name, 'by-hash');
});

test('hashMetadata, pinList filters, getFilesByCount', async () => {
  const cid = h.VECTORS.helloWorldNlV0;
  assert.equal(await pinata.hashMetadata(cid, { name: 'renamed', keyvalues: { env: 'prod', n: 3 } }), 'OK');
  const byName = await pinata.pinList({ status: 'pinned', metadata: { name: 'renamed' } });
  assert.equal(byName.rows.length, 1);
  assert.equal(byName.rows[0].ipfs_pin_hash, cid);
  assert.deepEqual(byName.rows[0].metadata.keyvalues, { env: 'prod', n: 3 });
  const byKv = await pinata.pinList({
    status: 'pinned',
    metadata: { keyvalues: { n: { value: 2, op: 'gt' } } },
  });
  assert.deepEqual(byKv.rows.map((r) => r.ipfs_pin_hash), [cid]);
  const paged = await pinata.pinList({ status: 'pinned', pageLimit: 2, pageOffset: 0 });
  assert.equal(paged.rows.length, 2);
  const all = await pinata.pinList({ status: 'pinned', pageLimit: 1000 });
  const seen = [];
  for await (const row of pinata.getFilesByCount({ status: 'pinned', pageLimit: 2 }, 5)) {
    seen.push(row.ipfs_pin_hash);
  }
  assert.equal(all.rows.length, 9);
  assert.equal(seen.length, 5);
  assert.deepEqual(seen, all.rows.slice(0, seen.length).map((r) => r.ipfs_pin_hash));
});

test('userPinnedDataTotal counts the active pins', async () => {
  const all = await pinata.pinList({ status: 'pinned', pageLimit: 1000 });
  const total = await pinata.userPinnedDataTotal();
  assert.equal(total.pin_count, all.rows.length);
  assert.equal(total.pin_size_total, all.rows.reduce((s, r) => s + Number(r.size), 0));
});

test('unpin: OK once, then Pinata\'s not-pinned error', async () => {
  const cid = h.VECTORS.helloWorldNlV1;
  assert.equal(await pinata.unpin(cid), 'OK');
  const after = await pinata.pinList({ status: 'pinned', hashContains: cid });
  assert.equal(after.rows.length, 0);
  await assert.rejects(pinata.unpin(cid), (e) => {
    assert.match(JSON.stringify(e), /CURRENT_USER_HAS_NOT_PINNED_CID/);
    return true;
  });
});
