// Node contenders for bench/run.sh: the official npm SDKs.
//
//   node bench.mjs SDK MODE URL JWT ARGS...
//   SDK   pinata        npm `pinata` (current official SDK); uploads: the documented Node
//                       recipe, new File([new Blob([fs.readFileSync(path)])]) -> upload.public.file
//                       (its v3 /files endpoint; TUS in 50 MiB chunks above 90 MiB)
//         pinata-blob   npm `pinata` with fs.openAsBlob (disk-backed; not in its docs)
//         legacy        npm `@pinata/sdk` (legacy official): pinFileToIPFS(fs.createReadStream)
//   MODE  auth N | upload FILE | json N WORKERS | batch DIR WORKERS (every file of DIR, one
//         upload each, WORKERS uploads in flight as concurrent async tasks: the SDK has no
//         batch call of its own)
//
// Pointing them at the local server: `pinata` takes endpointUrl / uploadUrl / legacyUploadUrl.
// `@pinata/sdk` hard-codes https://api.pinata.cloud in a webpack bundle (its axios is bundled
// too, so no interceptor reaches it): its source is loaded with that one constant replaced
// by the local URL (no proxy hop, which would add its own cost to every call).
//
// Prints one JSON line {"secs":S,"n":N,...}; exits non-zero on failure.
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const [sdkName, mode, url, jwt, ...rest] = process.argv.slice(2)

function loadLegacy (baseUrl) {
  const Module = require('node:module')
  const file = require.resolve('@pinata/sdk')
  const needle = "var baseUrl = 'https://api.pinata.cloud';"
  let src = fs.readFileSync(file, 'utf8')
  if (!src.includes(needle)) throw new Error('@pinata/sdk: base URL constant not found')
  src = src.replace(needle, `var baseUrl = ${JSON.stringify(baseUrl)};`)
  const m = new Module(file, null)
  m.filename = file
  m.paths = Module._nodeModulePaths(path.dirname(file))
  m._compile(src, file)
  const PinataClient = m.exports.default ?? m.exports
  return new PinataClient({ pinataJWTKey: jwt })
}

async function makeClient () {
  if (sdkName === 'legacy') return loadLegacy(url)
  const { PinataSDK } = await import('pinata')
  return new PinataSDK({
    pinataJwt: jwt,
    pinataGateway: 'example.mypinata.cloud',
    endpointUrl: url,
    uploadUrl: url,
    legacyUploadUrl: `${url}/pinning/pinFileToIPFS`
  })
}

const client = await makeClient()
const now = () => performance.now() / 1000

if (mode === 'auth') {
  const n = Number(rest[0])
  const t0 = now()
  for (let i = 0; i < n; i++) await client.testAuthentication()
  console.log(JSON.stringify({ secs: now() - t0, n }))
} else if (mode === 'upload') {
  const file = rest[0]
  const name = path.basename(file)
  const t0 = now()
  let cid
  if (sdkName === 'legacy') {
    const r = await client.pinFileToIPFS(fs.createReadStream(file), { pinataMetadata: { name } })
    cid = r.IpfsHash
  } else {
    let blob
    if (sdkName === 'pinata-blob') blob = await fs.openAsBlob(file)
    else blob = new Blob([fs.readFileSync(file)])
    const f = new File([blob], name, { type: 'application/octet-stream' })
    const r = await client.upload.public.file(f)
    cid = r.cid
  }
  console.log(JSON.stringify({ secs: now() - t0, n: 1, cid }))
} else if (mode === 'json') {
  const n = Number(rest[0])
  const workers = Math.max(1, Number(rest[1] ?? 1))
  let next = 0
  const worker = async (w) => {
    for (;;) {
      const i = next++
      if (i >= n) return
      const doc = { bench: sdkName, thread: w, i, text: 'a small JSON document' }
      if (sdkName === 'legacy') await client.pinJSONToIPFS(doc)
      else await client.upload.public.json(doc)
    }
  }
  const t0 = now()
  await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)))
  console.log(JSON.stringify({ secs: now() - t0, n, threads: workers }))
} else if (mode === 'batch') {
  const dir = rest[0]
  const workers = Math.max(1, Number(rest[1] ?? 1))
  const files = fs.readdirSync(dir).filter((n) => !n.startsWith('.')).sort()
  let next = 0
  const worker = async () => {
    for (;;) {
      const i = next++
      if (i >= files.length) return
      const file = path.join(dir, files[i])
      if (sdkName === 'legacy') {
        await client.pinFileToIPFS(fs.createReadStream(file), { pinataMetadata: { name: files[i] } })
      } else {
        const f = new File([new Blob([fs.readFileSync(file)])], files[i], { type: 'application/octet-stream' })
        await client.upload.public.file(f)
      }
    }
  }
  const t0 = now()
  await Promise.all(Array.from({ length: workers }, () => worker()))
  console.log(JSON.stringify({ secs: now() - t0, n: files.length, in_flight: workers }))
} else {
  console.error(`unknown mode ${mode}`)
  process.exit(2)
}
