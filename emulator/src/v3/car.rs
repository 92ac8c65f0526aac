//! CAR import for `POST /v3/files` with `car=true` (`reference/pinata-api.md` §6.1:
//! public network only, a single root). The CARv1 is read as it streams in, holding
//! at most one section in memory: its header must name exactly one root; every block
//! is checked against its CID (sha2-256 or identity multihash) and staged on disk; at
//! the end the root must be in the CAR (or already stored) and so must every block a
//! dag-pb block links to. Only then do the staged blocks join the content store, so a
//! refused CAR leaves nothing the gateway would serve. Any failure is a 400 whose
//! message says what is wrong. The parser is the emulator's own (the library's CAR
//! reader is not shared), written from the CARv1 and DAG-CBOR specifications.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::gateway::store::Store;
use crate::oracle::cid_text;

/// Longest header accepted.
const MAX_HEADER: u64 = 64 * 1024;
/// Longest block section accepted (a 2 MiB block, the IPFS limit, plus its CID).
const MAX_SECTION: u64 = 2 * 1024 * 1024 + 128;

const DAG_PB: u64 = 0x70;
const SHA2_256: u64 = 0x12;
const IDENTITY: u64 = 0x00;

/// What a successful import gives the upload.
#[derive(Debug)]
pub struct Imported {
    /// The root's binary CID.
    pub root: Vec<u8>,
    /// The bytes of every distinct block.
    pub size: u64,
}

/// An import in progress (see the module documentation).
pub struct CarImport {
    store: Arc<Store>,
    buf: Vec<u8>,
    header_done: bool,
    root: Option<Vec<u8>>,
    error: Option<String>,
    /// Staging directory of verified blocks, made at the first block.
    staging: Option<PathBuf>,
    seen: HashSet<Vec<u8>>,
    /// Blocks linked from dag-pb blocks: `(child, parent)`.
    links: Vec<(Vec<u8>, Vec<u8>)>,
    size: u64,
    offset: u64,
}

impl Drop for CarImport {
    fn drop(&mut self) {
        if let Some(dir) = self.staging.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn varint(b: &[u8]) -> Option<(u64, usize)> {
    let mut v: u64 = 0;
    for (i, &x) in b.iter().enumerate().take(10) {
        v |= u64::from(x & 0x7f) << (7 * i);
        if x & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    None
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A binary CID at the start of `b`: `(cid bytes length, codec, hash code, digest)`.
fn read_cid(b: &[u8]) -> Option<(usize, u64, u64, &[u8])> {
    if b.len() >= 34 && b[0] == 0x12 && b[1] == 0x20 {
        return Some((34, DAG_PB, SHA2_256, &b[2..34]));
    }
    let (version, a) = varint(b)?;
    if version != 1 {
        return None;
    }
    let (codec, c) = varint(&b[a..])?;
    let (code, d) = varint(&b[a + c..])?;
    let (len, e) = varint(&b[a + c + d..])?;
    let start = a + c + d + e;
    let end = start.checked_add(usize::try_from(len).ok()?)?;
    (end <= b.len()).then(|| (end, codec, code, &b[start..end]))
}

/// A minimal DAG-CBOR reader, enough for a CAR header.
struct Cbor<'a>(&'a [u8]);

impl<'a> Cbor<'a> {
    /// One item head: `(major type, argument)`.
    fn head(&mut self) -> Option<(u8, u64)> {
        let (&first, rest) = self.0.split_first()?;
        let (major, info) = (first >> 5, first & 0x1f);
        let (arg, used) = match info {
            0..=23 => (u64::from(info), 0),
            24..=27 => {
                let n = 1usize << (info - 24);
                let bytes = rest.get(..n)?;
                (bytes.iter().fold(0u64, |a, &x| (a << 8) | u64::from(x)), n)
            }
            _ => return None, // indefinite lengths are not DAG-CBOR
        };
        self.0 = &rest[used..];
        Some((major, arg))
    }

    fn bytes(&mut self, n: u64) -> Option<&'a [u8]> {
        let n = usize::try_from(n).ok()?;
        let (b, rest) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = rest;
        Some(b)
    }

    /// Skips one whole item.
    fn skip(&mut self, depth: u32) -> Option<()> {
        if depth > 16 {
            return None;
        }
        let (major, arg) = self.head()?;
        match major {
            0 | 1 | 7 => {}
            2 | 3 => {
                self.bytes(arg)?;
            }
            4 => {
                for _ in 0..arg {
                    self.skip(depth + 1)?;
                }
            }
            5 => {
                for _ in 0..arg.checked_mul(2)? {
                    self.skip(depth + 1)?;
                }
            }
            6 => self.skip(depth + 1)?,
            _ => return None,
        }
        Some(())
    }
}

/// The header `{"roots": [CID], "version": 1}`: the single root, or why not.
fn header_root(h: &[u8]) -> Result<Vec<u8>, String> {
    let bad = || "Invalid CAR file: the header is not valid DAG-CBOR".to_string();
    let mut r = Cbor(h);
    let (major, entries) = r.head().ok_or_else(bad)?;
    if major != 5 {
        return Err(bad());
    }
    let (mut version, mut roots) = (None, None::<Vec<Vec<u8>>>);
    for _ in 0..entries {
        let (kmajor, klen) = r.head().ok_or_else(bad)?;
        if kmajor != 3 {
            return Err(bad());
        }
        let key = r.bytes(klen).ok_or_else(bad)?.to_vec();
        match key.as_slice() {
            b"version" => {
                let (m, v) = r.head().ok_or_else(bad)?;
                if m != 0 {
                    return Err(bad());
                }
                version = Some(v);
            }
            b"roots" => {
                let (m, n) = r.head().ok_or_else(bad)?;
                if m != 4 || n > 1024 {
                    return Err(bad());
                }
                let mut list = Vec::new();
                for _ in 0..n {
                    // A CID is tag 42 over a byte string: 0x00 then the binary CID.
                    if r.head() != Some((6, 42)) {
                        return Err(bad());
                    }
                    let (m, len) = r.head().ok_or_else(bad)?;
                    let b = r.bytes(len).ok_or_else(bad)?;
                    if m != 2
                        || b.first() != Some(&0)
                        || read_cid(&b[1..]).map(|c| c.0) != Some(b.len() - 1)
                    {
                        return Err(
                            "Invalid CAR file: a root in the header is not a valid CID".into()
                        );
                    }
                    list.push(b[1..].to_vec());
                }
                roots = Some(list);
            }
            _ => r.skip(0).ok_or_else(bad)?,
        }
    }
    match version {
        Some(1) => {}
        Some(2) => {
            return Err("Invalid CAR file: CARv2 is not supported, send a CARv1".into());
        }
        _ => return Err("Invalid CAR file: the header has no version 1".into()),
    }
    let roots = roots.ok_or_else(|| "Invalid CAR file: the header has no roots".to_string())?;
    match roots.len() {
        1 => Ok(roots.into_iter().next().unwrap_or_default()),
        n => Err(format!(
            "Invalid CAR file: a CAR upload must have exactly one root, this one has {n}"
        )),
    }
}

/// The CIDs a dag-pb block links to, or `None` when it is not valid dag-pb.
fn pb_links(mut b: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    while !b.is_empty() {
        let (key, n) = varint(b)?;
        b = &b[n..];
        if key & 7 != 2 {
            return None; // PBNode has only length-delimited fields
        }
        let (len, n) = varint(b)?;
        let len = usize::try_from(len).ok()?;
        let body = b.get(n..n.checked_add(len)?)?;
        b = &b[n + len..];
        if key >> 3 == 2 {
            // PBLink: field 1 is the Hash.
            let mut l = body;
            while !l.is_empty() {
                let (k, n) = varint(l)?;
                l = &l[n..];
                match k & 7 {
                    0 => l = &l[varint(l)?.1..],
                    2 => {
                        let (len, n) = varint(l)?;
                        let len = usize::try_from(len).ok()?;
                        let v = l.get(n..n.checked_add(len)?)?;
                        if k >> 3 == 1 {
                            out.push(v.to_vec());
                        }
                        l = &l[n + len..];
                    }
                    _ => return None,
                }
            }
        }
    }
    Some(out)
}

impl CarImport {
    /// A new import whose blocks will go to `store`.
    pub fn new(store: &Arc<Store>) -> CarImport {
        CarImport {
            store: store.clone(),
            buf: Vec::new(),
            header_done: false,
            root: None,
            error: None,
            staging: None,
            seen: HashSet::new(),
            links: Vec::new(),
            size: 0,
            offset: 0,
        }
    }

    /// Feeds the next bytes of the file part. After the first error the rest is
    /// ignored (the error is reported by [`CarImport::finish`], when the upload turns
    /// out to be a CAR one).
    pub fn feed(&mut self, data: &[u8]) {
        if self.error.is_some() {
            return;
        }
        let mut buf = std::mem::take(&mut self.buf);
        buf.extend_from_slice(data);
        let mut used = 0;
        loop {
            match self.section(&buf[used..]) {
                Ok(Some(n)) => used += n,
                Ok(None) => break,
                Err(e) => {
                    self.error = Some(e);
                    return;
                }
            }
        }
        buf.drain(..used);
        self.buf = buf;
    }

    /// Handles one complete section at the start of `b`; `None` when incomplete.
    fn section(&mut self, b: &[u8]) -> Result<Option<usize>, String> {
        let Some((len, vlen)) = varint(b) else {
            if b.len() >= 10 {
                return Err("Invalid CAR file: malformed section length".into());
            }
            return Ok(None);
        };
        let limit = if self.header_done {
            MAX_SECTION
        } else {
            MAX_HEADER
        };
        if len == 0 || len > limit {
            return Err(format!(
                "Invalid CAR file: a section of {len} bytes at offset {} (allowed 1 to {limit})",
                self.offset
            ));
        }
        let total = vlen + len as usize;
        if b.len() < total {
            return Ok(None);
        }
        let body = &b[vlen..total];
        if !self.header_done {
            self.root = Some(header_root(body)?);
            self.header_done = true;
        } else {
            self.block(body)?;
        }
        self.offset += total as u64;
        Ok(Some(total))
    }

    /// Verifies one `CID block` section and stages the block.
    fn block(&mut self, body: &[u8]) -> Result<(), String> {
        let Some((cid_len, codec, code, digest)) = read_cid(body) else {
            return Err(format!(
                "Invalid CAR file: the section at offset {} does not start with a valid CID",
                self.offset
            ));
        };
        let cid = body[..cid_len].to_vec();
        let data = &body[cid_len..];
        let ok = match code {
            SHA2_256 => digest.len() == 32 && Sha256::digest(data).as_slice() == digest,
            IDENTITY => digest == data,
            other => {
                return Err(format!(
                    "Invalid CAR file: block {} uses hash function 0x{other:x}; only sha2-256 is supported",
                    cid_text(&cid)
                ))
            }
        };
        if !ok {
            return Err(format!(
                "Invalid CAR file: block {} does not match its CID",
                cid_text(&cid)
            ));
        }
        if codec == DAG_PB {
            let Some(children) = pb_links(data) else {
                return Err(format!(
                    "Invalid CAR file: block {} is not valid dag-pb",
                    cid_text(&cid)
                ));
            };
            self.links
                .extend(children.into_iter().map(|c| (c, cid.clone())));
        }
        if self.seen.insert(cid.clone()) {
            self.size += data.len() as u64;
            self.stage(&cid, data)?;
        }
        Ok(())
    }

    fn stage(&mut self, cid: &[u8], data: &[u8]) -> Result<(), String> {
        let dir = match &self.staging {
            Some(d) => d.clone(),
            None => {
                let parent = self
                    .store
                    .blocks_dir()
                    .parent()
                    .map(|p| p.to_path_buf())
                    .unwrap_or_else(std::env::temp_dir);
                let d = parent.join(format!("car-staging-{}", uuid::Uuid::new_v4()));
                std::fs::create_dir_all(&d).map_err(|e| format!("cannot stage the CAR: {e}"))?;
                self.staging = Some(d.clone());
                d
            }
        };
        std::fs::write(dir.join(hex(cid)), data).map_err(|e| format!("cannot stage the CAR: {e}"))
    }

    /// Ends the import: the checks that need the whole CAR, then the staged blocks join
    /// the content store. `Err` is the 400 message.
    pub fn finish(mut self) -> Result<Imported, String> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        if !self.header_done {
            return Err("Invalid CAR file: it ends before its header".into());
        }
        if !self.buf.is_empty() {
            return Err(format!(
                "Invalid CAR file: truncated inside the section at offset {}",
                self.offset
            ));
        }
        let root = self.root.clone().unwrap_or_default();
        let here = |c: &Vec<u8>| self.seen.contains(c) || self.store.has(c);
        if !here(&root) {
            return Err(format!(
                "Invalid CAR file: it does not contain its root block {}",
                cid_text(&root)
            ));
        }
        if let Some((child, parent)) = self.links.iter().find(|(c, _)| !here(c)) {
            return Err(format!(
                "Invalid CAR file: block {} links to {}, which the CAR does not contain",
                cid_text(parent),
                cid_text(child)
            ));
        }
        if let Some(dir) = &self.staging {
            for cid in &self.seen {
                let block = std::fs::read(dir.join(hex(cid)))
                    .map_err(|e| format!("cannot read a staged block: {e}"))?;
                self.store.put(cid, &[block.as_slice()]);
            }
        }
        Ok(Imported {
            root,
            size: self.size,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put_varint(out: &mut Vec<u8>, mut v: usize) {
        while v >= 0x80 {
            out.push((v as u8) | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }

    fn raw_cid(data: &[u8]) -> Vec<u8> {
        let mut c = vec![0x01, 0x55, 0x12, 0x20];
        c.extend_from_slice(&Sha256::digest(data));
        c
    }

    fn car(roots: &[&[u8]], blocks: &[(&[u8], &[u8])]) -> Vec<u8> {
        let mut h = vec![0xa2, 0x65];
        h.extend_from_slice(b"roots");
        h.push(0x80 + roots.len() as u8);
        for r in roots {
            h.extend_from_slice(&[0xd8, 0x2a, 0x58, (r.len() + 1) as u8, 0x00]);
            h.extend_from_slice(r);
        }
        h.push(0x67);
        h.extend_from_slice(b"version");
        h.push(0x01);
        let mut out = Vec::new();
        put_varint(&mut out, h.len());
        out.extend_from_slice(&h);
        for (c, d) in blocks {
            put_varint(&mut out, c.len() + d.len());
            out.extend_from_slice(c);
            out.extend_from_slice(d);
        }
        out
    }

    fn import(bytes: &[u8], step: usize) -> Result<Imported, String> {
        let store = Arc::new(Store::open(None).unwrap());
        let mut imp = CarImport::new(&store);
        for chunk in bytes.chunks(step.max(1)) {
            imp.feed(chunk);
        }
        let r = imp.finish();
        store.cleanup();
        r
    }

    #[test]
    fn imports_in_any_chunking_and_refuses_what_is_wrong() {
        let data: &[u8] = b"car block bytes\n";
        let c = raw_cid(data);
        let cs = c.as_slice();
        let good = car(&[cs], &[(cs, data)]);
        for step in [1, 3, 7, good.len()] {
            let r = import(&good, step).unwrap();
            assert_eq!(r.root, c);
            assert_eq!(r.size, data.len() as u64);
        }
        let mut bad = good.clone();
        let n = bad.len();
        bad[n - 1] ^= 1;
        assert!(import(&bad, 5)
            .unwrap_err()
            .contains("does not match its CID"));
        assert!(import(&good[..n - 2], 5).unwrap_err().contains("truncated"));
        let other = raw_cid(b"other");
        let no_root = car(&[other.as_slice()], &[(cs, data)]);
        assert!(import(&no_root, 64)
            .unwrap_err()
            .contains("does not contain its root"));
        let two = car(&[cs, cs], &[(cs, data)]);
        assert!(import(&two, 64).unwrap_err().contains("exactly one root"));
        assert!(import(b"hello world", 4)
            .unwrap_err()
            .contains("Invalid CAR file"));
        assert!(import(b"", 4).unwrap_err().contains("before its header"));
    }

    #[test]
    fn never_panics_on_damaged_cars() {
        let data: &[u8] = b"abc";
        let c = raw_cid(data);
        let good = car(&[c.as_slice()], &[(c.as_slice(), data)]);
        let store = Arc::new(Store::open(None).unwrap());
        for i in 0..good.len() {
            for bit in 0..8 {
                let mut d = good.clone();
                d[i] ^= 1 << bit;
                let mut imp = CarImport::new(&store);
                imp.feed(&d);
                if let Ok(r) = imp.finish() {
                    // Only a change that leaves the root and its block intact imports.
                    assert_eq!(r.root, c);
                }
            }
        }
        store.cleanup();
    }
}
