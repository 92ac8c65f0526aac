// Pinata's own SDK (npm `pinata` 2.5.6) against the emulator, pointed at it as
// shared/reference/real-clients.md §1 shows. Every CID the SDK gets back is compared
// with the CID libpinata computes locally for the same bytes (cid_helper.c, through
// pinata_cid_of_path). Run by tests/sdk-pinata/run.sh (make test-sdk-pinata).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PinataSDK } from "pinata";
import { carOf, fixtureBytes } from "./make_car.mjs";

const U = process.env.PINATA_TEST_URL;
const JWT = process.env.PINATA_TEST_JWT;
const WORK = process.env.SDK_WORK;

function sdk(jwt) {
  const p = new PinataSDK({
    pinataJwt: jwt,
    endpointUrl: `${U}/v3`,
    uploadUrl: `${U}/v3`,
    legacyUploadUrl: `${U}/pinning/pinFileToIPFS`,
  });
  // Set after construction: the constructor forces "https://" onto it.
  p.config.pinataGateway = U;
  return p;
}

const pinata = sdk(JWT);
let seq = 0;

/** libpinata's local CID of `bytes` (cid_version 0 or 1). */
function localCid(bytes, version) {
  const path = join(WORK, `local-${seq++}`);
  writeFileSync(path, bytes);
  return execFileSync(process.env.PINATA_CID_HELPER, [path, String(version)]).toString().trim();
}

function file(text, name, type = "text/plain") {
  return new File([text], name, { type });
}

test("testAuthentication through the /v3/data alias", async () => {
  const r = await pinata.testAuthentication();
  assert.equal(r.message, "Congratulations! You are communicating with the Pinata API!");
});

test("public upload with name, keyvalues, group; CID equals libpinata's", async () => {
  const r = await pinata.upload.public
    .file(file("Hello World!", "hello.txt"))
    .name("greeting")
    .keyvalues({ env: "sdk" })
    .group("group-sdk");
  assert.equal(r.cid, localCid("Hello World!", 1));
  assert.equal(r.cid, "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne");
  assert.equal(r.name, "greeting");
  assert.deepEqual(r.keyvalues, { env: "sdk" });
  assert.equal(r.group_id, "group-sdk");
  assert.equal(r.mime_type, "text/plain");
  assert.equal(r.number_of_files, 1);
  assert.equal(r.is_duplicate, false);
  // One store: the public file is in the legacy pin list too.
  const pins = await (await fetch(`${U}/data/pinList?status=pinned&cid=${r.cid}`, {
    headers: { Authorization: `Bearer ${JWT}` },
  })).json();
  assert.equal(pins.rows.length, 1);
});

test("private upload with cid_version v0; CID equals libpinata's; invisible publicly", async () => {
  const text = "private bytes from the SDK\n";
  const r = await pinata.upload.private.file(file(text, "p.txt")).cidVersion("v0");
  assert.equal(r.cid, localCid(text, 0));
  assert.ok(r.cid.startsWith("Qm"));
  const pub = await pinata.files.public.list().cid(r.cid);
  assert.equal(pub.files.length, 0);
  const priv = await pinata.files.private.list().cid(r.cid);
  assert.equal(priv.files.length, 1);
  assert.equal(priv.files[0].id, r.id);
});

test("JSON upload; CID equals libpinata's of JSON.stringify", async () => {
  const doc = { hello: "world", n: [1, 2, 3] };
  const r = await pinata.upload.public.json(doc).name("doc.json");
  assert.equal(r.cid, localCid(JSON.stringify(doc), 1));
  assert.equal(r.mime_type, "application/json");
});

test("files list: every filter, and paging across at least three pages", async () => {
  const ids = [];
  for (let i = 0; i < 7; i++) {
    let b = pinata.upload.public.file(file(`list item ${i}`, `item-${i}.txt`)).name(`item-${i}`);
    if (i % 2 === 0) b = b.group("even").keyvalues({ parity: "even" });
    ids.push((await b).id);
  }
  // Manual paging with pageToken, 3 per page: at least 3 pages until the token is empty.
  let token;
  let pages = 0;
  const seen = [];
  do {
    let q = pinata.files.public.list().limit(3).name("item-");
    if (token) q = q.pageToken(token);
    const page = await q;
    pages++;
    seen.push(...page.files.map((f) => f.id));
    token = page.next_page_token;
  } while (token);
  assert.ok(pages >= 3, `pages: ${pages}`);
  assert.deepEqual([...seen].sort(), [...ids].sort());
  // The SDK's own iterator follows the tokens too.
  const all = [];
  for await (const f of pinata.files.public.list().limit(2).name("item-")) all.push(f.id);
  assert.equal(all.length, 7);
  // Each filter.
  assert.equal((await pinata.files.public.list().group("even")).files.length, 4);
  assert.equal((await pinata.files.public.list().keyvalues({ parity: "even" })).files.length, 4);
  assert.equal((await pinata.files.public.list().noGroup(true).name("item-")).files.length, 3);
  assert.equal((await pinata.files.public.list().name("item-3")).files.length, 1);
  assert.equal((await pinata.files.public.list().mimeType("application/json")).files.length, 1);
  assert.equal((await pinata.files.public.list().cidPending(true)).files.length, 0);
  const first = await pinata.files.public.list().name("item-").order("ASC").limit(1);
  assert.equal(first.files[0].id, ids[0]);
  const last = await pinata.files.public.list().name("item-").order("DESC").limit(1);
  assert.equal(last.files[0].id, ids[6]);
  const one = await pinata.files.public.get(ids[1]);
  assert.equal((await pinata.files.public.list().cid(one.cid)).files[0].id, ids[1]);
});

test("get, update, delete", async () => {
  const up = await pinata.upload.public.file(file("to be changed", "c.txt"));
  const got = await pinata.files.public.get(up.id);
  assert.equal(got.cid, up.cid);
  assert.equal(got.cid, localCid("to be changed", 1));
  const later = Math.floor(Date.now() / 1000) + 3600;
  const u = await pinata.files.public.update({ id: up.id, name: "changed", keyvalues: { k: "v" }, expires_at: later });
  assert.equal(u.name, "changed");
  assert.deepEqual(u.keyvalues, { k: "v" });
  const del = await pinata.files.public.delete([up.id]);
  assert.deepEqual(del, [{ id: up.id, status: "OK" }]);
  await assert.rejects(pinata.files.public.get(up.id));
});

test("signed upload URL, then an upload through it with no JWT", async () => {
  const url = await pinata.upload.public.createSignedURL({
    expires: 60,
    name: "signed by backend",
    keyvalues: { via: "signed" },
    maxFileSize: 1000,
    mimeTypes: ["text/*"],
  });
  assert.match(url, /X-Signature=/);
  const app = sdk(undefined); // sends "Bearer undefined": the server must ignore it
  const text = "uploaded by the app\n";
  const r = await app.upload.public.file(file(text, "app.txt")).url(url);
  assert.equal(r.cid, localCid(text, 1));
  assert.equal(r.name, "signed by backend");
  assert.deepEqual(r.keyvalues, { via: "signed" });
  // A refused MIME type fails with Pinata's text.
  await assert.rejects(
    Promise.resolve(app.upload.public.file(file("x", "x.png", "image/png")).url(url)),
    /Presigned URL does not grant permissions to upload detected MIME type: image\/png/,
  );
});

test("private download link", async () => {
  const r = await pinata.upload.private.file(file("for a link", "l.txt"));
  const link = await pinata.gateways.private.createAccessLink({ cid: r.cid, expires: 30 });
  assert.ok(link.startsWith(`${U}/files/${r.cid}?`), link);
  assert.match(link, /X-Algorithm=PINATA1/);
  const got = await fetch(link);
  assert.equal(got.status, 200);
  assert.equal(await got.text(), "for a link");
  assert.equal((await fetch(`${U}/files/${r.cid}`)).status, 403);
  // The SDK's own private read (it makes a link and fetches it).
  const viaSdk = await pinata.gateways.private.get(r.cid);
  assert.equal(viaSdk.data, "for a link");
  // The public gateway does not serve a private file.
  assert.equal((await fetch(`${U}/ipfs/${r.cid}`)).status, 404);
});

test("v3 groups: create, list with filters and paging, get, update, add/remove files, delete", async () => {
  const made = [];
  for (let i = 0; i < 5; i++) {
    made.push(await pinata.groups.public.create({ name: `sdk-cycle-${i}`, isPublic: i % 2 === 0 }));
  }
  assert.equal(made[0].name, "sdk-cycle-0");
  assert.equal(made[0].is_public, true);
  assert.equal(made[1].is_public, false);
  assert.ok(made[0].id);
  // Paging: two per page across three pages, by the SDK's own iterator.
  const first = await pinata.groups.public.list().name("sdk-cycle").limit(2);
  assert.equal(first.groups.length, 2);
  assert.ok(first.next_page_token);
  const all = await pinata.groups.public.list().name("sdk-cycle").limit(2).all();
  assert.deepEqual(all.map((g) => g.id).sort(), made.map((g) => g.id).sort());
  const pub = await pinata.groups.public.list().name("sdk-cycle").isPublic(true).all();
  assert.deepEqual(pub.map((g) => g.name).sort(), ["sdk-cycle-0", "sdk-cycle-2", "sdk-cycle-4"]);
  const one = await pinata.groups.public.get({ groupId: made[1].id });
  assert.equal(one.id, made[1].id);
  assert.equal(one.name, "sdk-cycle-1");
  const upd = await pinata.groups.public.update({ groupId: made[1].id, name: "sdk-renamed", isPublic: true });
  assert.equal(upd.name, "sdk-renamed");
  assert.equal(upd.is_public, true);
  assert.equal((await pinata.groups.public.get({ groupId: made[1].id })).name, "sdk-renamed");
  // Files in and out of a group.
  const f = await pinata.upload.public.file(file("grouped by sdk", "g.txt"));
  const added = await pinata.groups.public.addFiles({ groupId: made[1].id, files: [f.id] });
  assert.deepEqual(added.map((x) => x.id), [f.id]);
  assert.equal(added[0].status, "OK");
  const inGroup = await pinata.files.public.list().group(made[1].id);
  assert.deepEqual(inGroup.files.map((x) => x.id), [f.id]);
  const removed = await pinata.groups.public.removeFiles({ groupId: made[1].id, files: [f.id] });
  assert.equal(removed[0].status, "OK");
  assert.equal((await pinata.files.public.list().group(made[1].id)).files.length, 0);
  for (const g of made) {
    assert.equal(await pinata.groups.public.delete({ groupId: g.id }), "OK");
  }
  assert.equal((await pinata.groups.public.list().name("sdk-cycle").all()).length, 0);
  await assert.rejects(pinata.groups.public.get({ groupId: made[0].id }));
});

test("pin by CID, the queue, cancel", async () => {
  const cid = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";
  const job = await pinata.upload.public
    .cid(cid)
    .name("queued by sdk")
    .keyvalues({ q: "1" })
    .group("group-sdk")
    .peerAddress(["/ip4/127.0.0.1/tcp/4001"]);
  assert.equal(job.cid, cid);
  assert.equal(job.status, "prechecking");
  assert.equal(job.name, "queued by sdk");
  assert.equal(job.group_id, "group-sdk");
  assert.deepEqual(job.host_nodes, ["/ip4/127.0.0.1/tcp/4001"]);
  const q = await pinata.files.public.queue().cid(cid).status("prechecking").sort("DSC");
  assert.equal(q.jobs.length, 1);
  assert.equal(q.jobs[0].id, job.id);
  assert.equal(await pinata.files.public.deletePinRequest(job.id), "OK");
  assert.equal((await pinata.files.public.queue().cid(cid)).jobs.length, 0);
});

test("CAR upload (.car()): a CAR by @ipld/car is imported, its root is the CID, the gateway serves it", async () => {
  // 600,000 bytes: three raw leaves and a dag-pb root, written by code nobody here wrote.
  const bytes = fixtureBytes(600000);
  const { root, car, blocks } = await carOf(bytes);
  assert.equal(blocks, 4);
  // The SDK sends `car=true` after the file part: the emulator learns late that it is a CAR.
  const r = await pinata.upload.public
    .file(new File([car], "dag.car", { type: "application/vnd.ipld.car" }))
    .car();
  assert.equal(r.cid, root.toString());
  assert.equal(r.cid, localCid(bytes, 1));
  assert.equal(r.name, "dag.car");
  assert.equal(r.is_duplicate, false);
  // The imported blocks are on the gateway.
  const res = await fetch(`${U}/ipfs/${r.cid}`);
  assert.equal(res.status, 200);
  assert.ok(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(bytes)));
  // A tampered block, a truncated CAR, a private CAR and a non-CAR are refused with 400.
  const other = await carOf(fixtureBytes(1000));
  const bad = Buffer.from(other.car);
  bad[bad.length - 1] ^= 1;
  await assert.rejects(
    Promise.resolve(pinata.upload.public.file(new File([bad], "bad.car")).car()),
    /does not match its CID/,
  );
  assert.equal((await fetch(`${U}/ipfs/${other.root}`)).status, 404);
  await assert.rejects(
    Promise.resolve(pinata.upload.public.file(new File([car.subarray(0, car.length - 5)], "cut.car")).car()),
    /truncated/,
  );
  await assert.rejects(
    Promise.resolve(pinata.upload.private.file(new File([other.car], "p.car")).car()),
    /public network/,
  );
  await assert.rejects(
    Promise.resolve(pinata.upload.public.file(file("not a CAR", "n.car")).car()),
    /Invalid CAR file/,
  );
});
