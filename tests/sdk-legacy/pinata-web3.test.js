// npm pinata-web3 0.5.4 (Pinata's legacy-API SDK of 2024, v3 keys) against the
// emulator through its `endpointUrl`: legacy groups, `upload.cid` (which always sends
// `"hostNodes": ""`), every upload kind, files, metadata, pin jobs, usage, keys, unpin.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const path = require('node:path');
const { Readable } = require('node:stream');
const { PinataSDK } = require('pinata-web3');
const h = require('./helpers.js');

const pinata = new PinataSDK({ pinataJwt: h.JWT, endpointUrl: h.URL });

// A local page for upload.url (tests never reach the internet).
let page;
before(async () => {
  await h.reset();
  page = http.createServer((req, res) => res.end('served locally\n'));
  await new Promise((r) => page.listen(0, '127.0.0.1', r));
});
after(() => page.close());

test('testAuthentication', async () => {
  const r = await pinata.testAuthentication();
  assert.equal(r.message, 'Congratulations! You are communicating with the Pinata API!');
});

test('upload.file, json, base64, url, stream, fileArray: CIDs as published and as libpinata computes', async () => {
  const file = await pinata.upload.file(new File(['Hello World!'], 'hello.txt', { type: 'text/plain' }));
  assert.equal(file.IpfsHash, h.VECTORS.helloWorldBangV1); // the SDK defaults to CIDv1
  assert.equal(file.PinSize, 12);
  const v0 = await pinata.upload.file(new File(['hello world\n'], 'hw.txt')).cidVersion(0);
  assert.equal(v0.IpfsHash, h.VECTORS.helloWorldNlV0);

  const doc = { hello: 'world', n: [1, 2.5, -3], ok: true };
  const json = await pinata.upload.json(doc).addMetadata({ name: 'doc.json', keyValues: { kind: 'json' } });
  assert.equal(json.IpfsHash, h.cidOfBytes(JSON.stringify(doc), 1));

  const b64 = await pinata.upload.base64(Buffer.from('hello world').toString('base64'));
  assert.equal(b64.IpfsHash, h.VECTORS.helloWorldV1);

  const { port } = page.address();
  const fromUrl = await pinata.upload.url(`http://127.0.0.1:${port}/x`);
  assert.equal(fromUrl.IpfsHash, h.cidOfBytes('served locally\n', 1));

  const big = Buffer.alloc(600000, 42); // three chunks: a dag-pb root over raw leaves
  const stream = await pinata.upload.stream(Readable.from([big])).addMetadata({ name: 'streamed' });
  assert.equal(stream.IpfsHash, h.cidOfBytes(big, 1));

  const files = [new File(['alpha\n'], 'a.txt'), new File(['beta\n'], 'b.txt')];
  const folder = await pinata.upload.fileArray(files).addMetadata({ name: 'album' });
  h.write('album/a.txt', 'alpha\n');
  h.write('album/b.txt', 'beta\n');
  assert.equal(folder.IpfsHash, h.cidOf(path.join(h.scratch, 'album'), 1));
});

test('upload.cid sends hostNodes "" and is queued; pinJobs lists it', async () => {
  const cid = h.VECTORS.helloWorldNlV1;
  const job = await pinata.upload.cid(cid).addMetadata({ name: 'by-cid' });
  assert.equal(job.ipfsHash, cid);
  assert.equal(job.status, 'prechecking');
  assert.equal(job.name, 'by-cid');
  const jobs = await pinata.pinJobs().cid(cid);
  assert.equal(jobs.length, 1);
  assert.equal(jobs[0].id, job.id);
  assert.equal(jobs[0].host_nodes, null);
  await h.hook('POST', `/pin-jobs/${job.id}/advance`, { status: 'pinned' });
  assert.equal((await pinata.pinJobs().cid(cid)).length, 0);
  const listed = await pinata.listFiles().cid(cid);
  assert.deepEqual(listed.map((r) => r.metadata.name), ['by-cid']);
});

test('listFiles filters and paging, updateMetadata', async () => {
  const cid = h.VECTORS.helloWorldBangV1;
  assert.equal(await pinata.updateMetadata({ cid, name: 'greeting', keyValues: { lang: 'en', n: 7 } }), 'OK');
  const byName = await pinata.listFiles().name('greeting');
  assert.deepEqual(byName.map((r) => r.ipfs_pin_hash), [cid]);
  assert.deepEqual(byName[0].metadata.keyvalues, { lang: 'en', n: 7 });
  const byKv = await pinata.listFiles().keyValue('n', 5, 'gt');
  assert.deepEqual(byKv.map((r) => r.ipfs_pin_hash), [cid]);
  const all = await pinata.listFiles().pageLimit(1000);
  assert.equal(all.length, 8);
  const page2 = await pinata.listFiles().pageLimit(3).pageOffset(3);
  assert.deepEqual(page2.map((r) => r.id), all.slice(3, 6).map((r) => r.id));
  const walked = [];
  for await (const row of pinata.listFiles().pageLimit(3)) walked.push(row.id);
  assert.deepEqual(walked, all.map((r) => r.id));
});

test('usage: pinnedFileCount and totalStorageSize', async () => {
  const all = await pinata.listFiles().pageLimit(1000);
  assert.equal(await pinata.usage.pinnedFileCount(), all.length);
  assert.equal(await pinata.usage.totalStorageSize(), all.reduce((s, r) => s + Number(r.size), 0));
});

test('keys: create, list, revoke (the /v3/pinata/keys paths)', async () => {
  const key = await pinata.keys.create({
    keyName: 'web3-groups',
    permissions: { endpoints: { data: { pinList: true } } },
    maxUses: 5,
  });
  assert.match(key.JWT, /^ey/);
  assert.match(key.pinata_api_key, /^[0-9a-f]{20}$/);
  const listed = await pinata.keys.list().name('web3-groups');
  assert.deepEqual(listed.map((k) => k.key), [key.pinata_api_key]);
  const revoked = await pinata.keys.revoke([key.pinata_api_key]);
  assert.deepEqual(revoked, [{ key: key.pinata_api_key, status: 'Revoked' }]);
  const scoped = new PinataSDK({ pinataJwt: key.JWT, endpointUrl: h.URL });
  // (Not groups.list(): its thenable drops rejections, so a failure would hang.)
  await assert.rejects(scoped.groups.create({ name: 'x' }), /API_KEY_REVOKED/);
});

test('groups: the whole legacy cycle', async () => {
  const g = await pinata.groups.create({ name: 'web3-album' });
  assert.match(g.id, /^[0-9a-f-]{36}$/);
  assert.equal(g.name, 'web3-album');
  assert.ok(g.user_id && g.createdAt && g.updatedAt);

  const got = await pinata.groups.get({ groupId: g.id });
  assert.deepEqual(got, g);
  const renamed = await pinata.groups.update({ groupId: g.id, name: 'web3-album-2' });
  assert.equal(renamed.id, g.id);
  assert.equal(renamed.name, 'web3-album-2');

  // CIDs in and out: the pins follow (listFiles().group()).
  const a = h.VECTORS.helloWorldBangV1;
  const b = h.VECTORS.helloWorldNlV0;
  assert.equal(await pinata.groups.addCids({ groupId: g.id, cids: [a, b] }), 'OK');
  const inGroup = await pinata.listFiles().group(g.id);
  assert.deepEqual(inGroup.map((r) => r.ipfs_pin_hash).sort(), [a, b].sort());
  assert.equal(await pinata.groups.removeCids({ groupId: g.id, cids: [b] }), 'OK');
  assert.deepEqual((await pinata.listFiles().group(g.id)).map((r) => r.ipfs_pin_hash), [a]);
  // Uploading into a group, and pinning a CID into it.
  const up = await pinata.upload.file(new File(['grouped\n'], 'g.txt')).group(g.id);
  const job = await pinata.upload.cid(h.VECTORS.helloWorldV1).group(g.id);
  await h.hook('POST', `/pin-jobs/${job.id}/advance`, { status: 'pinned' });
  assert.deepEqual(
    (await pinata.listFiles().group(g.id)).map((r) => r.ipfs_pin_hash).sort(),
    [a, up.IpfsHash].sort(),
    'the CID pinned again is already pinned: it stays where it was'
  );

  // Listing: name filter, limit, offset, and the SDK's own offset iteration.
  for (let i = 0; i < 5; i++) await pinata.groups.create({ name: `batch-${i}` });
  const all = await pinata.groups.list().limit(100);
  assert.equal(all.length, 6);
  assert.deepEqual(all.map((x) => x.name), ['batch-4', 'batch-3', 'batch-2', 'batch-1', 'batch-0', 'web3-album-2']);
  assert.deepEqual((await pinata.groups.list().name('ALBUM')).map((x) => x.id), [g.id]);
  assert.deepEqual((await pinata.groups.list().limit(2).offset(2)).map((x) => x.name), ['batch-2', 'batch-1']);
  const walked = [];
  for await (const x of pinata.groups.list().limit(4)) walked.push(x.id);
  assert.deepEqual(walked, all.map((x) => x.id));

  // Delete: gone (404), its pins stay pinned and leave the group.
  assert.equal(await pinata.groups.delete({ groupId: g.id }), 'OK');
  await assert.rejects(pinata.groups.get({ groupId: g.id }), (e) => {
    assert.equal(e.statusCode, 404);
    return true;
  });
  assert.deepEqual(await pinata.listFiles().group(g.id), []);
  assert.equal((await pinata.listFiles().cid(a)).length, 1);
});

test('unpin', async () => {
  const cid = h.VECTORS.helloWorldV1;
  const r = await pinata.unpin([cid]);
  assert.deepEqual(r, [{ hash: cid, status: 'OK' }]);
  assert.equal((await pinata.listFiles().cid(cid)).length, 0);
  const again = await pinata.unpin([cid]);
  assert.match(again[0].status, /CURRENT_USER_HAS_NOT_PINNED_CID/);
});
