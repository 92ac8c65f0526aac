//! A streaming CARv1 reader: bytes in as they arrive, `(CID, block)` sections out.
//!
//! A CARv1 is `varint(len) header` then `varint(len) CID block` sections
//! (ipfs/specs, transport-car). The header (DAG-CBOR `{roots, version}`) is bounded and
//! its version checked; the roots are not trusted: the walk starts from the CID the
//! caller asked for. Memory holds at most one section (≤ a block plus its CID).

use super::dag::MAX_BLOCK;
use crate::error::{Error, Result};

/// Longest header accepted.
const MAX_HEADER: usize = 64 * 1024;

/// Incremental CAR parser.
pub(crate) struct CarReader {
    buf: Vec<u8>,
    header_done: bool,
    /// Bytes taken from the stream so far (for messages).
    offset: u64,
}

impl CarReader {
    pub(crate) fn new() -> CarReader {
        CarReader {
            buf: Vec::with_capacity(MAX_BLOCK + 128),
            header_done: false,
            offset: 0,
        }
    }

    /// Reads a varint at the start of `b`: `(value, bytes used)`; `None` when more bytes
    /// are needed.
    fn varint(b: &[u8]) -> Result<Option<(u64, usize)>> {
        let mut v: u64 = 0;
        for (i, &x) in b.iter().enumerate().take(10) {
            v |= u64::from(x & 0x7f) << (7 * i);
            if x & 0x80 == 0 {
                return Ok(Some((v, i + 1)));
            }
        }
        if b.len() >= 10 {
            return Err(Error::protocol("the CAR has a malformed length varint"));
        }
        Ok(None)
    }

    /// Feeds bytes; calls `block` for every complete section.
    pub(crate) fn feed(
        &mut self,
        mut data: &[u8],
        block: &mut dyn FnMut(&cid::Cid, &[u8]) -> Result<()>,
    ) -> Result<()> {
        while !data.is_empty() {
            // Complete sections straight from `data` when nothing is buffered (no copy).
            if self.buf.is_empty() {
                match self.section(data, block)? {
                    Some(used) => {
                        data = &data[used..];
                        continue;
                    }
                    None => {
                        self.buf.extend_from_slice(data);
                        return Ok(());
                    }
                }
            }
            // Top up the buffer just enough to finish its section.
            let need = self.section_len(&self.buf[..self.buf.len().min(10)])?;
            let take = match need {
                Some(total) => total.saturating_sub(self.buf.len()).min(data.len()),
                None => data.len().min(16),
            };
            self.buf.extend_from_slice(&data[..take]);
            data = &data[take..];
            let buf = std::mem::take(&mut self.buf);
            match self.section(&buf, block)? {
                Some(used) => {
                    debug_assert_eq!(used, buf.len());
                    let mut buf = buf;
                    buf.clear();
                    self.buf = buf;
                }
                None => self.buf = buf,
            }
        }
        Ok(())
    }

    /// The total length (varint + body) of the section starting `b`, if known yet.
    fn section_len(&self, b: &[u8]) -> Result<Option<usize>> {
        let Some((len, used)) = Self::varint(b)? else {
            return Ok(None);
        };
        let limit = if self.header_done {
            MAX_BLOCK + 128
        } else {
            MAX_HEADER
        };
        if len as usize > limit || len == 0 {
            return Err(Error::protocol(format!(
                "the CAR has a section of {len} bytes at offset {}, outside 1..={limit}",
                self.offset
            )));
        }
        Ok(Some(used + len as usize))
    }

    /// Handles one complete section at the start of `b`; returns the bytes it used.
    fn section(
        &mut self,
        b: &[u8],
        block: &mut dyn FnMut(&cid::Cid, &[u8]) -> Result<()>,
    ) -> Result<Option<usize>> {
        let Some(total) = self.section_len(b)? else {
            return Ok(None);
        };
        if b.len() < total {
            return Ok(None);
        }
        let (_, vlen) = Self::varint(b)?.expect("section_len read it");
        let body = &b[vlen..total];
        if !self.header_done {
            check_header(body)?;
            self.header_done = true;
        } else {
            let mut r = body;
            let c = cid::Cid::read_bytes(&mut r).map_err(|e| {
                Error::protocol(format!(
                    "the CAR has a section without a valid CID at offset {} ({e})",
                    self.offset
                ))
            })?;
            block(&c, r)?;
        }
        self.offset += total as u64;
        Ok(Some(total))
    }

    /// Whether the stream stopped cleanly between sections.
    pub(crate) fn finish(&self) -> Result<()> {
        if !self.header_done {
            return Err(Error::protocol("the CAR ended before its header"));
        }
        if !self.buf.is_empty() {
            return Err(Error::protocol(format!(
                "the CAR is truncated: it ends inside a section at offset {}",
                self.offset
            )));
        }
        Ok(())
    }
}

/// Checks the DAG-CBOR header is a CARv1 one: a map holding `version: 1`.
fn check_header(h: &[u8]) -> Result<()> {
    // "version" as a CBOR text string followed by the unsigned integer 1.
    const V1: &[u8] = b"\x67version\x01";
    const V2: &[u8] = b"\x67version\x02";
    if h.first().is_some_and(|b| b >> 5 == 5) && h.windows(V1.len()).any(|w| w == V1) {
        return Ok(());
    }
    if h.windows(V2.len()).any(|w| w == V2) {
        return Err(Error::protocol(
            "the gateway sent a CARv2; only CARv1 responses are read",
        ));
    }
    Err(Error::protocol("the CAR header is not a CARv1 header"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn varint(mut v: usize, out: &mut Vec<u8>) {
        while v >= 0x80 {
            out.push((v as u8) | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }

    /// A CAR of the given blocks (header roots left empty: not trusted anyway).
    pub(crate) fn car(blocks: &[(cid::Cid, Vec<u8>)]) -> Vec<u8> {
        let header = b"\xa2\x65roots\x80\x67version\x01";
        let mut out = Vec::new();
        varint(header.len(), &mut out);
        out.extend_from_slice(header);
        for (c, d) in blocks {
            let cb = c.to_bytes();
            varint(cb.len() + d.len(), &mut out);
            out.extend_from_slice(&cb);
            out.extend_from_slice(d);
        }
        out
    }

    #[test]
    fn sections_come_out_whatever_the_read_sizes() {
        let c1 = crate::cid::cid_of_bytes(b"one", crate::cid::Profile::V1).cid;
        let big = vec![7u8; 300_000];
        let c2 = crate::cid::cid_of_bytes(&big, crate::cid::Profile::V1).cid;
        let bytes = car(&[(c1, b"one".to_vec()), (c2, big.clone())]);
        for step in [1usize, 3, 17, 4096, bytes.len()] {
            let mut r = CarReader::new();
            let mut got = Vec::new();
            for chunk in bytes.chunks(step) {
                r.feed(chunk, &mut |c, d| {
                    got.push((*c, d.len()));
                    Ok(())
                })
                .unwrap();
            }
            r.finish().unwrap();
            assert_eq!(got, vec![(c1, 3), (c2, 300_000)], "step {step}");
        }
        let mut r = CarReader::new();
        r.feed(&bytes[..bytes.len() - 1], &mut |_, _| Ok(()))
            .unwrap();
        assert!(r.finish().unwrap_err().message().contains("truncated"));
        let mut r = CarReader::new();
        assert!(r.feed(b"\x05hello", &mut |_, _| Ok(())).is_err());
    }
}
