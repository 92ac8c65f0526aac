//! Block verification and the decoding of dag-pb / UnixFS nodes a download walks.
//!
//! Only what a reader needs: `PBNode { Links, Data }`, `PBLink { Hash, Name, Tsize }`
//! and UnixFS `Data { Type, Data, filesize, fanout, hashType }`. Unknown fields are
//! skipped (protobuf rules); malformed input is an error, never a panic.

use crate::error::{Error, Result, Status};
use sha2::{Digest, Sha256};

/// Multicodec of dag-pb.
pub(crate) const DAG_PB: u64 = 0x70;
/// Multicodec of raw blocks.
pub(crate) const RAW: u64 = 0x55;
/// Multihash code of sha2-256.
pub(crate) const SHA2_256: u64 = 0x12;
/// Multihash code of the identity "hash" (the block is inside the CID).
pub(crate) const IDENTITY: u64 = 0x00;
/// Largest block accepted (boxo refuses blocks above 2 MiB; a little framing on top).
pub(crate) const MAX_BLOCK: usize = 2 * 1024 * 1024 + 1024;

/// UnixFS data types.
pub(crate) const T_RAW: u64 = 0;
pub(crate) const T_DIRECTORY: u64 = 1;
pub(crate) const T_FILE: u64 = 2;
pub(crate) const T_METADATA: u64 = 3;
pub(crate) const T_SYMLINK: u64 = 4;
pub(crate) const T_HAMT: u64 = 5;

/// Checks that a CID is one this library can verify and walk; the message names the
/// CID and says what is missing.
pub(crate) fn check_supported(c: &cid::Cid) -> Result<()> {
    let code = c.hash().code();
    if code != SHA2_256 && code != IDENTITY {
        return Err(Error::new(
            Status::InvalidArgument,
            format!(
                "block {c} is hashed with multihash 0x{code:x}, which this library cannot \
                 verify (only sha2-256 and identity)"
            ),
        ));
    }
    if c.codec() != DAG_PB && c.codec() != RAW {
        return Err(Error::new(
            Status::InvalidArgument,
            format!(
                "block {c} has codec 0x{:x}; only dag-pb (UnixFS) and raw can be downloaded",
                c.codec()
            ),
        ));
    }
    Ok(())
}

/// Verifies `data` against the multihash of `c` (`PINATA_E_INTEGRITY` naming the block).
pub(crate) fn verify_block(c: &cid::Cid, data: &[u8]) -> Result<()> {
    let mh = c.hash();
    let ok = match mh.code() {
        SHA2_256 => Sha256::digest(data).as_slice() == mh.digest(),
        IDENTITY => mh.digest() == data,
        other => {
            return Err(Error::new(
                Status::Protocol,
                format!(
                    "the gateway sent block {c} hashed with multihash 0x{other:x}, which this \
                     library cannot verify (only sha2-256 and identity)"
                ),
            ))
        }
    };
    if ok {
        Ok(())
    } else {
        Err(integrity(format!(
            "block {c}: the bytes the gateway sent do not hash to this CID"
        )))
    }
}

/// A `PINATA_E_INTEGRITY` error.
pub(crate) fn integrity(msg: impl Into<String>) -> Error {
    Error::new(Status::Integrity, msg)
}

/// One link of a dag-pb node.
pub(crate) struct Link {
    pub(crate) cid: cid::Cid,
    pub(crate) name: Vec<u8>,
    /// Where the link's `Hash` bytes start in the block (the fuzz harness re-points
    /// links there).
    pub(crate) hash_at: usize,
}

/// A decoded dag-pb node with its UnixFS data.
pub(crate) struct PbNode<'a> {
    pub(crate) links: Vec<Link>,
    pub(crate) kind: u64,
    pub(crate) data: &'a [u8],
    pub(crate) filesize: Option<u64>,
    pub(crate) fanout: Option<u64>,
    pub(crate) hash_type: Option<u64>,
}

struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    fn varint(&mut self) -> Option<u64> {
        let mut v: u64 = 0;
        for i in 0..10 {
            let (&b, rest) = self.buf.split_first()?;
            self.buf = rest;
            v |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = usize::try_from(self.varint()?).ok()?;
        if n > self.buf.len() {
            return None;
        }
        let (a, b) = self.buf.split_at(n);
        self.buf = b;
        Some(a)
    }

    /// Reads one field: `(field number, wire type, varint value or bytes)`.
    fn field(&mut self) -> Option<(u64, Field<'a>)> {
        let key = self.varint()?;
        let (num, wt) = (key >> 3, key & 7);
        let f = match wt {
            0 => Field::Varint(self.varint()?),
            2 => Field::Bytes(self.bytes()?),
            1 => {
                self.buf = self.buf.get(8..)?;
                Field::Skip
            }
            5 => {
                self.buf = self.buf.get(4..)?;
                Field::Skip
            }
            _ => return None,
        };
        Some((num, f))
    }
}

enum Field<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Skip,
}

/// Decodes a dag-pb block holding UnixFS data. `c` names the block in messages.
pub(crate) fn decode_pb<'a>(c: &cid::Cid, block: &'a [u8]) -> Result<PbNode<'a>> {
    let bad = |what: &str| {
        Error::new(
            Status::Protocol,
            format!("block {c} is not a valid dag-pb UnixFS node ({what})"),
        )
    };
    let mut r = Reader { buf: block };
    let mut links = Vec::new();
    let mut unixfs: Option<&[u8]> = None;
    while !r.buf.is_empty() {
        match r.field().ok_or_else(|| bad("bad protobuf"))? {
            (2, Field::Bytes(l)) => {
                let mut lr = Reader { buf: l };
                let (mut hash, mut name) = (None, Vec::new());
                while !lr.buf.is_empty() {
                    match lr.field().ok_or_else(|| bad("bad link"))? {
                        (1, Field::Bytes(h)) => hash = Some(h),
                        (2, Field::Bytes(n)) => name = n.to_vec(),
                        _ => {}
                    }
                }
                let h = hash.ok_or_else(|| bad("a link without a hash"))?;
                let cid = cid::Cid::read_bytes(h).map_err(|_| bad("a link with a bad CID"))?;
                // `h` is a slice of `block`.
                let hash_at = h.as_ptr() as usize - block.as_ptr() as usize;
                links.push(Link { cid, name, hash_at });
            }
            (1, Field::Bytes(d)) => unixfs = Some(d),
            _ => {}
        }
    }
    let d = unixfs.ok_or_else(|| bad("no UnixFS data"))?;
    let mut r = Reader { buf: d };
    let mut node = PbNode {
        links,
        kind: u64::MAX,
        data: &[],
        filesize: None,
        fanout: None,
        hash_type: None,
    };
    while !r.buf.is_empty() {
        match r.field().ok_or_else(|| bad("bad UnixFS protobuf"))? {
            (1, Field::Varint(t)) => node.kind = t,
            (2, Field::Bytes(b)) => node.data = b,
            (3, Field::Varint(s)) => node.filesize = Some(s),
            (5, Field::Varint(h)) => node.hash_type = Some(h),
            (6, Field::Varint(f)) => node.fanout = Some(f),
            _ => {}
        }
    }
    if node.kind == u64::MAX {
        return Err(bad("no UnixFS type"));
    }
    Ok(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_a_dag_pb_leaf_and_refuses_garbage() {
        // "hello world\n" as a dag-pb leaf (cid.md §1.5).
        let mut block = vec![0x0a, 0x12, 0x08, 0x02, 0x12, 0x0c];
        block.extend_from_slice(b"hello world\n");
        block.extend_from_slice(&[0x18, 0x0c]);
        let c = crate::cid::parse_cid("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o").unwrap();
        verify_block(&c, &block).unwrap();
        let n = decode_pb(&c, &block).unwrap();
        assert_eq!(n.kind, T_FILE);
        assert_eq!(n.data, b"hello world\n");
        assert_eq!(n.filesize, Some(12));
        let mut flipped = block.clone();
        flipped[8] ^= 1;
        let e = verify_block(&c, &flipped).unwrap_err();
        assert_eq!(e.status(), Status::Integrity);
        assert!(e.message().contains("QmT78zSu"), "{}", e.message());
        for cut in 1..block.len() {
            let _ = decode_pb(&c, &block[..cut]);
        }
        assert!(decode_pb(&c, &[0xff, 0xff, 0xff]).is_err());
    }
}
