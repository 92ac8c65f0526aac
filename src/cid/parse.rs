//! Strict CID parsing.

use super::file::SHA2_256;
use super::CidError;

/// Longest CID text accepted (a sha2-512 CIDv1 in base32 is 113 characters).
const MAX_CID_TEXT: usize = 512;

/// Parses and validates a CID string and returns it (normalized: its
/// `Display` is base58btc `Qm…` for v0 and base32 lower `b…` for v1).
///
/// Accepts a CIDv0 (46 base58btc characters starting `Qm`) or a CIDv1 in any
/// multibase the `multibase` crate knows (`b…` base32 lower, `B…`, `z…`
/// base58btc, `k…` base36, `m…`/`u…` base64, `f…` hex…). Rejects surrounding
/// whitespace, `/ipfs/` paths, trailing bytes after the CID, unknown CID
/// versions, and sha2-256 multihashes whose digest is not 32 bytes.
pub fn parse_cid(s: &str) -> Result<cid::Cid, CidError> {
    let bad = |m: &str| CidError::InvalidCid(format!("{m}: {:?}", truncate(s)));
    if s.is_empty() {
        return Err(CidError::InvalidCid("empty string".into()));
    }
    if s.len() > MAX_CID_TEXT {
        return Err(bad("too long"));
    }
    if !s.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad("contains whitespace or non-ASCII characters"));
    }
    let bytes = if s.len() == 46 && s.starts_with("Qm") {
        cid::multibase::Base::Base58Btc
            .decode(s)
            .map_err(|e| bad(&format!("bad base58btc ({e})")))?
    } else {
        let (_, b) = cid::multibase::decode(s).map_err(|e| bad(&format!("bad multibase ({e})")))?;
        b
    };
    let mut rest: &[u8] = &bytes;
    let c = cid::Cid::read_bytes(&mut rest).map_err(|e| bad(&format!("not a CID ({e})")))?;
    if !rest.is_empty() {
        return Err(bad("trailing bytes after the CID"));
    }
    if c.hash().code() == SHA2_256 && c.hash().size() != 32 {
        return Err(bad("sha2-256 digest is not 32 bytes"));
    }
    Ok(c)
}

fn truncate(s: &str) -> String {
    if s.len() <= 80 {
        s.to_string()
    } else {
        let mut end = 80;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}…", &s[..end])
    }
}
