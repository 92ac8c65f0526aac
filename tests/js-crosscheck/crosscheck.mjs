// Computes IPFS CIDs with the reference JS importer (ipfs-unixfs-importer),
// for cross-checking libpinata's Rust implementation (tests/cid_crosscheck.rs).
//
// Usage: node crosscheck.mjs LIST   (LIST = a file, or "-" for stdin)
// Each LIST line is tab-separated:  MODE <TAB> WRAP <TAB> PATH [<TAB> FLAGS]
//   MODE  v0        kubo default            (profile 'unixfs-v0-2015')
//         v1        kubo --cid-version=1    (importer defaults: CIDv1, raw leaves, 256 KiB, 174)
//         v1-2025   unixfs-v1-2025          (profile 'unixfs-v1-2025')
//         custom:CHUNK:LINKS:RAW:CIDVER   fixed CHUNK-byte chunks, LINKS children per
//                   node, RAW = 1|0 raw leaves, CIDVER = 0|1 (links-bytes HAMT estimate)
//         json-v0, json-v1   PATH holds a JSON text; what is imported (as a v0 or v1
//                   file) is what Pinata pins for it: JSON.stringify(JSON.parse(text)),
//                   or of its `pinataContent` member when the text is a request body
//                   that has one
//   WRAP  1 = wrapWithDirectory (kubo -w), 0 = not
//   PATH  a regular file, or a directory (added recursively: sorted, hidden files and
//         empty directories included, like libpinata's walk_dir; symlinks are not expected)
//   FLAGS upload = a directory as a pinFileToIPFS multipart body carries it: one part
//         per file under the directory's name, so empty directories are dropped
// Output: one line per input line:  CID <TAB> SIZE   (SIZE = cumulative DAG size, Tsize)
//
// Only hashing is wanted, so blocks go to a BlackHoleBlockstore.

import fs from 'node:fs'
import path from 'node:path'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { BlackHoleBlockstore } from 'blockstore-core/black-hole'

const READ_SIZE = 1 << 20

function options (mode, wrap) {
  const base = { wrapWithDirectory: wrap }
  if (mode === 'v0') return { ...base, profile: 'unixfs-v0-2015' }
  if (mode === 'v1') return { ...base, cidVersion: 1, rawLeaves: true }
  if (mode === 'v1-2025') return { ...base, profile: 'unixfs-v1-2025' }
  const m = /^custom:(\d+):(\d+):([01]):([01])$/.exec(mode)
  if (m != null) {
    return {
      ...base,
      chunker: fixedSize({ chunkSize: Number(m[1]) }),
      layout: balanced({ maxChildrenPerNode: Number(m[2]) }),
      rawLeaves: m[3] === '1',
      cidVersion: Number(m[4]),
      shardSplitStrategy: 'links-bytes'
    }
  }
  throw new Error(`unknown mode ${mode}`)
}

// File content, opened lazily so that many candidates do not hold many fds.
async function * content (file) {
  const fh = await fs.promises.open(file, 'r')
  try {
    while (true) {
      const buf = Buffer.allocUnsafe(READ_SIZE)
      const { bytesRead } = await fh.read(buf, 0, READ_SIZE, null)
      if (bytesRead === 0) break
      yield buf.subarray(0, bytesRead)
    }
  } finally {
    await fh.close()
  }
}

function * walk (dir, rel) {
  const entries = fs.readdirSync(dir, { withFileTypes: true })
  entries.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)))
  for (const e of entries) {
    const abs = path.join(dir, e.name)
    const r = `${rel}/${e.name}`
    if (e.isDirectory()) {
      yield { path: r }
      yield * walk(abs, r)
    } else if (e.isFile()) {
      yield { path: r, content: content(abs) }
    } else {
      throw new Error(`unsupported entry ${abs}`)
    }
  }
}

function candidates (p, upload) {
  const name = path.basename(path.resolve(p))
  if (fs.statSync(p).isDirectory()) {
    // A multipart upload names files only; their directories follow from the paths.
    if (upload) return [...walk(p, name)].filter(e => e.content != null)
    return [{ path: name }, ...walk(p, name)]
  }
  return [{ path: name, content: content(p) }]
}

// Pinata's JSON rule, in JavaScript itself: the document as JSON.stringify prints it.
function jsonPinned (p) {
  const doc = JSON.parse(fs.readFileSync(p, 'utf8'))
  const isBody = doc != null && typeof doc === 'object' && !Array.isArray(doc) &&
    Object.hasOwn(doc, 'pinataContent')
  const text = JSON.stringify(isBody ? doc.pinataContent : doc)
  return [{ path: path.basename(p), content: Buffer.from(text, 'utf8') }]
}

async function cidOf (mode, wrap, p, flags) {
  let entries
  if (mode.startsWith('json-')) {
    entries = jsonPinned(p)
    mode = mode.slice('json-'.length)
  } else {
    entries = candidates(p, flags === 'upload')
  }
  let last
  for await (const entry of importer(entries, new BlackHoleBlockstore(), options(mode, wrap))) {
    last = entry
  }
  return last
}

async function main () {
  const list = process.argv[2]
  if (list == null) {
    console.error('usage: node crosscheck.mjs LIST|-')
    process.exit(2)
  }
  const text = fs.readFileSync(list === '-' ? 0 : list, 'utf8')
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    const [mode, wrap, p, flags] = line.split('\t')
    const r = await cidOf(mode, wrap === '1', p, flags)
    process.stdout.write(`${r.cid.toString()}\t${r.size}\n`)
  }
}

main().catch(err => {
  console.error(err)
  process.exit(1)
})
