//! UnixFS HAMT sharded directories, as boxo `ipld/unixfs/hamt` builds them
//! for additions (cid.md §1.10): fanout 256, murmur3-x64-64 keys, `%02X`
//! uppercase link prefixes, bitfield with leading zero bytes stripped.

use sha2::{Digest, Sha256};

use super::file::{CidBin, DAG_PB};
use super::pb;
use super::{ImportOptions, Node, HAMT_FANOUT};

/// MurmurHash3 x64 128-bit (Austin Appleby's reference algorithm); returns
/// `(h1, h2)`.
pub(crate) fn murmur3_x64_128(data: &[u8], seed: u32) -> (u64, u64) {
    const C1: u64 = 0x87c3_7b91_1142_53d5;
    const C2: u64 = 0x4cf5_ad43_2745_937f;
    let len = data.len();
    let mut h1 = seed as u64;
    let mut h2 = seed as u64;
    let mut blocks = data.chunks_exact(16);
    for b in &mut blocks {
        let mut k1 = u64::from_le_bytes(b[..8].try_into().expect("8 bytes"));
        let mut k2 = u64::from_le_bytes(b[8..].try_into().expect("8 bytes"));
        k1 = k1.wrapping_mul(C1).rotate_left(31).wrapping_mul(C2);
        h1 ^= k1;
        h1 = h1.rotate_left(27).wrapping_add(h2);
        h1 = h1.wrapping_mul(5).wrapping_add(0x52dc_e729);
        k2 = k2.wrapping_mul(C2).rotate_left(33).wrapping_mul(C1);
        h2 ^= k2;
        h2 = h2.rotate_left(31).wrapping_add(h1);
        h2 = h2.wrapping_mul(5).wrapping_add(0x3849_5ab5);
    }
    let tail = blocks.remainder();
    let mut k1 = 0u64;
    let mut k2 = 0u64;
    for (i, &b) in tail.iter().enumerate() {
        if i < 8 {
            k1 ^= (b as u64) << (8 * i);
        } else {
            k2 ^= (b as u64) << (8 * (i - 8));
        }
    }
    if tail.len() > 8 {
        k2 = k2.wrapping_mul(C2).rotate_left(33).wrapping_mul(C1);
        h2 ^= k2;
    }
    if !tail.is_empty() {
        k1 = k1.wrapping_mul(C1).rotate_left(31).wrapping_mul(C2);
        h1 ^= k1;
    }
    h1 ^= len as u64;
    h2 ^= len as u64;
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    (h1, h2)
}

fn fmix64(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^= k >> 33;
    k
}

/// The HAMT key of a name: Go's `murmur3.New64().Sum(nil)`, i.e. h1 big-endian.
pub(crate) fn hamt_key(name: &str) -> [u8; 8] {
    murmur3_x64_128(name.as_bytes(), 0).0.to_be_bytes()
}

struct Entry<'a> {
    name: &'a str,
    key: [u8; 8],
    cid: Vec<u8>,
    tsize: u64,
    file_size: u64,
}

/// Builds the HAMT root for the given directory entries (names unique).
pub(crate) fn build(entries: &[(&str, &Node)], opts: &ImportOptions) -> Node {
    let mut es: Vec<Entry<'_>> = entries
        .iter()
        .map(|(name, node)| Entry {
            name,
            key: hamt_key(name),
            cid: node.cid.to_bytes(),
            tsize: node.tsize,
            file_size: node.file_size,
        })
        .collect();
    // Sorting by key makes every slot at every depth a contiguous range.
    es.sort_by(|a, b| a.key.cmp(&b.key).then_with(|| a.name.cmp(b.name)));
    let (cid, tsize, file_size) = shard(&es, 0, opts);
    Node {
        cid: cid.to_cid(),
        tsize,
        file_size,
    }
}

fn shard(es: &[Entry<'_>], depth: usize, opts: &ImportOptions) -> (CidBin, u64, u64) {
    debug_assert_eq!(HAMT_FANOUT, 256);
    let mut block = Vec::with_capacity(es.len().min(HAMT_FANOUT) * 64 + 64);
    let mut bitfield = [0u8; HAMT_FANOUT / 8];
    let mut tsize_sum = 0u64;
    let mut file_size = 0u64;
    let mut i = 0;
    while i < es.len() {
        // Keys are 8 bytes: beyond depth 7 (a full 64-bit collision, never
        // seen in practice) entries are kept side by side in the last slot.
        let d = depth.min(7);
        let slot = es[i].key[d];
        let mut j = i + 1;
        while j < es.len() && es[j].key[d] == slot {
            j += 1;
        }
        bitfield[HAMT_FANOUT / 8 - 1 - slot as usize / 8] |= 1 << (slot % 8);
        if j - i == 1 || depth >= 7 {
            for e in &es[i..j] {
                let name = format!("{slot:02X}{}", e.name);
                pb::put_link(&mut block, &e.cid, name.as_bytes(), e.tsize);
                tsize_sum += e.tsize;
                file_size += e.file_size;
            }
        } else {
            let (child, child_tsize, child_size) = shard(&es[i..j], depth + 1, opts);
            let name = format!("{slot:02X}");
            pb::put_link(&mut block, child.as_bytes(), name.as_bytes(), child_tsize);
            tsize_sum += child_tsize;
            file_size += child_size;
        }
        i = j;
    }
    let first = bitfield
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(bitfield.len());
    let data = pb::unixfs_hamt(&bitfield[first..], HAMT_FANOUT as u64);
    pb::put_data(&mut block, &data);
    let digest: [u8; 32] = Sha256::digest(&block).into();
    (
        CidBin::new(opts.is_v1(), DAG_PB, &digest),
        block.len() as u64 + tsize_sum,
        file_size,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn murmur3_reference_values() {
        assert_eq!(murmur3_x64_128(b"", 0), (0, 0));
        // Reference values from the canonical C++ implementation
        // (MurmurHash3_x64_128), as also produced by Python's mmh3.hash64.
        assert_eq!(murmur3_x64_128(b"hello", 0).0, 0xcbd8_a7b3_41bd_9b02);
        assert_eq!(
            murmur3_x64_128(b"The quick brown fox jumps over the lazy dog", 0),
            (0xe34b_bc7b_bc07_1b6c, 0x7a43_3ca9_c49a_9347)
        );
    }
}
