// CARs made by code nobody here wrote, for the CAR upload tests: npm
// ipfs-unixfs-importer builds the UnixFS DAG of some bytes (CIDv1, raw leaves, 256 KiB
// chunks, balanced layout: kubo's `--cid-version 1` defaults) and @ipld/car writes it
// as a CARv1 whose single root is the DAG's root. sdk.test.mjs imports carOf();
// `node make_car.mjs OUT.car` writes the fixture of tests/c/test_v3_car.c
// (tests/c/fixtures/v3-car-300k.car) from fixtureBytes(300000).
import { importer } from "ipfs-unixfs-importer";
import { CarWriter } from "@ipld/car/writer";
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

/** Byte i is the top byte of i * 2654435761 mod 2^32 (test_v3_car.c makes the same). */
export function fixtureBytes(n) {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.imul(i, 2654435761) >>> 24;
  return b;
}

/** The UnixFS DAG of `bytes` as a CARv1: `{ root, car }` (root: a CID object). */
export async function carOf(bytes) {
  const blocks = new Map();
  const blockstore = {
    async put(cid, block) {
      blocks.set(cid.toString(), { cid, bytes: block });
      return cid;
    },
    async get(cid) {
      return blocks.get(cid.toString()).bytes;
    },
    async has(cid) {
      return blocks.has(cid.toString());
    },
  };
  let root;
  for await (const entry of importer([{ content: bytes }], blockstore, { cidVersion: 1, rawLeaves: true })) {
    root = entry.cid;
  }
  const { writer, out } = CarWriter.create([root]);
  const chunks = [];
  const collected = (async () => {
    for await (const c of out) chunks.push(c);
  })();
  for (const block of blocks.values()) await writer.put(block);
  await writer.close();
  await collected;
  return { root, car: Buffer.concat(chunks), blocks: blocks.size };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { root, car, blocks } = await carOf(fixtureBytes(300000));
  writeFileSync(process.argv[2], car);
  console.log(`${process.argv[2]}: ${car.length} bytes, ${blocks} blocks, root ${root}`);
}
