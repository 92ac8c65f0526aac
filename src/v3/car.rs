//! The root of a CAR upload (`car: true`). Pinata imports a CARv1 as it is: the file's
//! CID is the single root its header names, not the UnixFS CID of the bytes sent. So
//! instead of hashing the upload, the CID check reads the root from the header (the
//! DAG-CBOR map `{"roots": [CID], "version": 1}`) before anything is sent, refuses a
//! file that is not such a CAR, and compares the service's CID with that root.

use crate::error::{Error, Result};
use std::io::Read;
use std::path::Path;

/// Longest CAR header read.
const MAX_HEADER: usize = 64 * 1024;

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
                let b = rest.get(..n)?;
                (b.iter().fold(0u64, |a, &x| (a << 8) | u64::from(x)), n)
            }
            // Indefinite lengths and reserved values are not DAG-CBOR.
            _ => return None,
        };
        self.0 = &rest[used..];
        Some((major, arg))
    }

    fn take(&mut self, n: u64) -> Option<&'a [u8]> {
        let n = usize::try_from(n).ok()?;
        let b = self.0.get(..n)?;
        self.0 = &self.0[n..];
        Some(b)
    }

    /// Skips one whole item (depth-limited).
    fn skip(&mut self, depth: u32) -> Option<()> {
        if depth > 16 {
            return None;
        }
        let (major, arg) = self.head()?;
        match major {
            0 | 1 | 7 => {}
            2 | 3 => {
                self.take(arg)?;
            }
            4 => (0..arg).try_for_each(|_| self.skip(depth + 1))?,
            5 => (0..arg.checked_mul(2)?).try_for_each(|_| self.skip(depth + 1))?,
            6 => self.skip(depth + 1)?,
            _ => return None,
        }
        Some(())
    }
}

/// The roots and version of a header body, `None` when it is not a DAG-CBOR map.
fn parse_header(h: &[u8]) -> Option<(Option<u64>, Option<Vec<cid::Cid>>)> {
    let mut r = Cbor(h);
    let (major, entries) = r.head()?;
    if major != 5 {
        return None;
    }
    let (mut version, mut roots) = (None, None);
    for _ in 0..entries {
        let (kmajor, klen) = r.head()?;
        if kmajor != 3 {
            return None;
        }
        match r.take(klen)? {
            b"version" => match r.head()? {
                (0, v) => version = Some(v),
                _ => return None,
            },
            b"roots" => {
                let (m, n) = r.head()?;
                if m != 4 || n > 1024 {
                    return None;
                }
                let mut list = Vec::new();
                for _ in 0..n {
                    // Tag 42 over a byte string: 0x00, then the binary CID.
                    if r.head()? != (6, 42) {
                        return None;
                    }
                    let (m, len) = r.head()?;
                    let b = r.take(len)?;
                    if m != 2 || b.first() != Some(&0) {
                        return None;
                    }
                    let mut rest = &b[1..];
                    let c = cid::Cid::read_bytes(&mut rest).ok()?;
                    if !rest.is_empty() {
                        return None;
                    }
                    list.push(c);
                }
                roots = Some(list);
            }
            _ => r.skip(0)?,
        }
    }
    Some((version, roots))
}

/// The single root of the CARv1 that starts with `head` (at least its header).
/// `what` names the argument in messages.
pub fn car_root(head: &[u8], what: &str) -> Result<cid::Cid> {
    let bad = |why: &str| Error::invalid_argument(format!("`{what}` is not a CARv1 file: {why}"));
    let mut len: u64 = 0;
    let mut used = 0;
    for (i, &b) in head.iter().enumerate().take(4) {
        len |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            used = i + 1;
            break;
        }
    }
    if used == 0 || len == 0 || len as usize > MAX_HEADER {
        return Err(bad("it does not start with a header length"));
    }
    let Some(body) = head.get(used..used + len as usize) else {
        return Err(bad("it ends inside its header"));
    };
    let Some((version, roots)) = parse_header(body) else {
        return Err(bad("its header is not a DAG-CBOR map of roots and version"));
    };
    match version {
        Some(1) => {}
        Some(2) => return Err(bad("it is a CARv2; Pinata imports CARv1 files")),
        _ => return Err(bad("its header has no version 1")),
    }
    let mut roots = roots.ok_or_else(|| bad("its header has no roots"))?;
    if roots.len() != 1 {
        return Err(Error::invalid_argument(format!(
            "`{what}` is a CAR with {} roots; a CAR upload needs exactly one",
            roots.len()
        )));
    }
    Ok(roots.remove(0))
}

/// [`car_root`] of a file on disk (reads its first 64 KiB at most).
pub fn car_root_of_file(path: &Path) -> Result<cid::Cid> {
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_HEADER as u64 + 4).read_to_end(&mut head))
        .map_err(|e| Error::io(path, &e))?;
    car_root(&head, "path")
}

/// Whether the service's CID names the same block as the CAR's root (a CIDv0 root
/// may come back as the equal CIDv1 of the same dag-pb block).
pub fn same_block(service: &cid::Cid, root: &cid::Cid) -> bool {
    service == root || (service.codec() == root.codec() && service.hash() == root.hash())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(roots: &[cid::Cid], version: u8) -> Vec<u8> {
        let mut h = vec![0xa2, 0x65];
        h.extend_from_slice(b"roots");
        h.push(0x80 + roots.len() as u8);
        for r in roots {
            let b = r.to_bytes();
            h.extend_from_slice(&[0xd8, 0x2a, 0x58, (b.len() + 1) as u8, 0x00]);
            h.extend_from_slice(&b);
        }
        h.push(0x67);
        h.extend_from_slice(b"version");
        h.push(version);
        let mut out = vec![h.len() as u8];
        out.extend_from_slice(&h);
        out
    }

    #[test]
    fn reads_the_single_root_and_refuses_the_rest() {
        let a = crate::cid::cid_of_bytes(b"a", crate::cid::Profile::V1).cid;
        let b = crate::cid::cid_of_bytes(b"b", crate::cid::Profile::V0).cid;
        assert_eq!(car_root(&header(&[a], 1), "data").unwrap(), a);
        assert_eq!(car_root(&header(&[b], 1), "data").unwrap(), b);
        let two = car_root(&header(&[a, b], 1), "data").unwrap_err();
        assert!(two.message().contains("2 roots"), "{}", two.message());
        assert!(car_root(&header(&[], 1), "data").is_err());
        assert!(car_root(&header(&[a], 2), "data")
            .unwrap_err()
            .message()
            .contains("CARv2"));
        let h = header(&[a], 1);
        assert!(car_root(&h[..h.len() - 1], "data")
            .unwrap_err()
            .message()
            .contains("inside"));
        assert!(car_root(b"hello world", "data").is_err());
        assert!(car_root(b"", "data").is_err());
        let mut v1_of_b = cid::Cid::new_v1(0x70, *b.hash());
        assert!(same_block(&v1_of_b, &b));
        v1_of_b = cid::Cid::new_v1(0x55, *b.hash());
        assert!(!same_block(&v1_of_b, &b));
    }

    #[test]
    fn never_panics_on_damaged_headers() {
        let a = crate::cid::cid_of_bytes(b"a", crate::cid::Profile::V1).cid;
        let h = header(&[a], 1);
        for cut in 0..=h.len() {
            let _ = car_root(&h[..cut], "data");
        }
        for i in 0..h.len() {
            for bit in 0..8 {
                let mut d = h.clone();
                d[i] ^= 1 << bit;
                if let Ok(root) = car_root(&d, "data") {
                    // Whatever a damaged header still yields is a well-formed CID.
                    assert_eq!(cid::Cid::try_from(root.to_bytes()).unwrap(), root);
                }
            }
        }
    }
}
