//! The emulator's own CID and JSON rules: an oracle that shares no code with
//! the library it tests.
//!
//! The library computes the CID it expects (`src/cid/`) and the emulator
//! answers with the CID it computes here; when both agree, two
//! implementations agree, not one implementation with itself. Everything in
//! this module is written from `shared/reference/cid.md` (kubo's importer
//! defaults) and from the ECMAScript rules of `JSON.stringify`, on top of
//! common crates (`sha2`, `bs58`, `data-encoding`, `unsigned-varint`,
//! `murmur3`) none of which the library uses for these rules.
//!
//! - [`unixfs`]: streaming files (256 KiB chunks, balanced layout, 174 links
//!   per node), directories and HAMT shards, as `ipfs add` builds them.
//! - [`json`]: the bytes Pinata pins for a JSON document.
//!
//! What is proven against outside implementations (kubo vectors, the npm
//! importer) is listed in `tests/VECTORS.md`.

pub mod json;
pub mod unixfs;

use sha2::{Digest, Sha256};

/// Multicodec of dag-pb blocks.
const DAG_PB: u8 = 0x70;
/// Multicodec of raw blocks.
const RAW: u8 = 0x55;
/// Multihash code of sha2-256 and its digest length.
const SHA2_256: u8 = 0x12;
const SHA2_256_LEN: u8 = 32;

/// The CID version an upload asks for (`pinataOptions.cidVersion`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// kubo's default: CIDv0, dag-pb leaves.
    V0,
    /// kubo `--cid-version=1`: CIDv1, raw leaves.
    V1,
}

impl Version {
    /// `0` or `1`; anything else is not a CID version.
    pub fn from_number(n: i64) -> Option<Version> {
        match n {
            0 => Some(Version::V0),
            1 => Some(Version::V1),
            _ => None,
        }
    }
}

/// The binary form of a sha2-256 CID: the bare multihash for v0,
/// `0x01 codec multihash` for v1 (cid.md §1.5, §1.7).
fn binary_cid(version: Version, codec: u8, digest: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(36);
    if version == Version::V1 {
        // Both codecs used here are below 0x80: one varint byte.
        out.extend_from_slice(&[0x01, codec]);
    }
    out.extend_from_slice(&[SHA2_256, SHA2_256_LEN]);
    out.extend_from_slice(digest);
    out
}

/// The CID of one block hashed from `pieces` (hashed in order, never joined).
fn block_cid(version: Version, codec: u8, pieces: &[&[u8]]) -> Vec<u8> {
    let mut h = Sha256::new();
    for p in pieces {
        h.update(p);
    }
    binary_cid(version, codec, &h.finalize())
}

/// Prints a binary CID: base58btc for v0 (`Qm…`), `b` + lowercase base32
/// without padding for v1 (`bafy…`, `bafk…`).
pub fn cid_text(binary: &[u8]) -> String {
    if binary.first() == Some(&SHA2_256) {
        bs58::encode(binary).into_string()
    } else {
        let mut s = String::from("b");
        s.push_str(
            &data_encoding::BASE32_NOPAD
                .encode(binary)
                .to_ascii_lowercase(),
        );
        s
    }
}

/// Whether `text` is a CID the emulator accepts for pinByHash: a v0
/// (`Qm…`, base58btc sha2-256 multihash) or a v1 in base32 (`b`/`B`),
/// base58btc (`z`) or base16 (`f`/`F`), with a well-formed multihash.
pub fn is_cid(text: &str) -> bool {
    let bytes = if text.len() == 46 && text.starts_with("Qm") {
        match bs58::decode(text).into_vec() {
            Ok(b) => return b.len() == 34 && b[0] == SHA2_256 && b[1] == SHA2_256_LEN,
            Err(_) => return false,
        }
    } else {
        let Some(prefix) = text.chars().next() else {
            return false;
        };
        let rest = &text[prefix.len_utf8()..];
        let decoded = match prefix {
            'b' | 'B' => data_encoding::BASE32_NOPAD
                .decode(rest.to_ascii_uppercase().as_bytes())
                .ok(),
            'z' => bs58::decode(rest).into_vec().ok(),
            'f' | 'F' => data_encoding::HEXLOWER_PERMISSIVE
                .decode(rest.as_bytes())
                .ok(),
            _ => None,
        };
        match decoded {
            Some(b) => b,
            None => return false,
        }
    };
    // CIDv1: version 1, a codec, then a multihash whose length matches.
    use unsigned_varint::decode::u64 as varint;
    let Ok((1, rest)) = varint(&bytes) else {
        return false;
    };
    let Ok((_codec, rest)) = varint(rest) else {
        return false;
    };
    let Ok((_hash, rest)) = varint(rest) else {
        return false;
    };
    matches!(varint(rest), Ok((len, digest)) if digest.len() as u64 == len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_rejects_cids() {
        for ok in [
            "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
            "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne",
            "BAFKREID7QOYWK77R7RJ3SLOBQFEKDVS57QWUWH5D2Z3SQSW52IABE3MQNE",
            "bafybeih7e5dmkyk25up5vxug4q3hrg2fxbzf23dfrac2fns5h7z4aa7ioi",
        ] {
            assert!(is_cid(ok), "{ok}");
        }
        for bad in [
            "",
            "not-a-cid",
            "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5",
            "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff50",
            "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqn",
            "xafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne",
        ] {
            assert!(!is_cid(bad), "{bad}");
        }
    }
}
