//! Hand-written protobuf encoding for the three tiny messages UnixFS needs:
//! dag-pb `PBNode`/`PBLink` and the UnixFS `Data` message.
//!
//! Encoding follows kubo/boxo exactly (cid.md §1.5):
//! * `PBNode.Links` (field 2) are written **before** `PBNode.Data` (field 1);
//! * every link writes `Hash`, `Name` (even when empty) and `Tsize`;
//! * UnixFS `filesize` is always present on `File` nodes, `blocksizes` are
//!   unpacked varints.

/// UnixFS `DataType::Directory`.
pub(crate) const UNIXFS_DIRECTORY: u64 = 1;
/// UnixFS `DataType::File`.
pub(crate) const UNIXFS_FILE: u64 = 2;
/// UnixFS `DataType::HAMTShard`.
pub(crate) const UNIXFS_HAMT_SHARD: u64 = 5;
/// Multicodec of murmur3-x64-64, the HAMT `hashType`.
pub(crate) const MURMUR3_X64_64: u64 = 0x22;

/// Number of bytes of the protobuf varint encoding of `v`.
pub(crate) fn varint_len(v: u64) -> usize {
    let bits = 64 - (v | 1).leading_zeros() as usize;
    bits.div_ceil(7)
}

/// Appends the protobuf varint encoding of `v`.
pub(crate) fn put_varint(buf: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

/// Writes the varint of `v` into `out` and returns the number of bytes used.
pub(crate) fn write_varint(out: &mut [u8], mut v: u64) -> usize {
    let mut i = 0;
    while v >= 0x80 {
        out[i] = (v as u8) | 0x80;
        v >>= 7;
        i += 1;
    }
    out[i] = v as u8;
    i + 1
}

/// Length of the encoded `PBLink` message body (without the outer tag/length).
pub(crate) fn link_body_len(cid_len: usize, name_len: usize, tsize: u64) -> usize {
    1 + varint_len(cid_len as u64)
        + cid_len
        + 1
        + varint_len(name_len as u64)
        + name_len
        + 1
        + varint_len(tsize)
}

/// Length a link adds to a `PBNode` (tag + length + body); boxo's
/// `linkSerializedSize`, used by the `block` HAMT size estimate.
pub(crate) fn link_serialized_len(cid_len: usize, name_len: usize, tsize: u64) -> usize {
    let body = link_body_len(cid_len, name_len, tsize);
    1 + varint_len(body as u64) + body
}

/// Appends one `PBNode.Links` entry (field 2) holding a `PBLink`.
pub(crate) fn put_link(buf: &mut Vec<u8>, cid: &[u8], name: &[u8], tsize: u64) {
    let body = link_body_len(cid.len(), name.len(), tsize);
    buf.push(0x12);
    put_varint(buf, body as u64);
    buf.push(0x0a);
    put_varint(buf, cid.len() as u64);
    buf.extend_from_slice(cid);
    buf.push(0x12);
    put_varint(buf, name.len() as u64);
    buf.extend_from_slice(name);
    buf.push(0x18);
    put_varint(buf, tsize);
}

/// Appends `PBNode.Data` (field 1) wrapping an already-encoded UnixFS message.
pub(crate) fn put_data(buf: &mut Vec<u8>, unixfs: &[u8]) {
    buf.push(0x0a);
    put_varint(buf, unixfs.len() as u64);
    buf.extend_from_slice(unixfs);
}

/// UnixFS `Data` of an internal file node: `Type=File`, `filesize`, `blocksizes`.
pub(crate) fn unixfs_file_internal(
    filesize: u64,
    blocksizes: impl Iterator<Item = u64>,
) -> Vec<u8> {
    let mut d = Vec::with_capacity(16 + 4 * 1024);
    d.push(0x08);
    put_varint(&mut d, UNIXFS_FILE);
    d.push(0x18);
    put_varint(&mut d, filesize);
    for bs in blocksizes {
        d.push(0x20);
        put_varint(&mut d, bs);
    }
    d
}

/// UnixFS `Data` of a basic directory: just `Type=Directory` (`08 01`).
pub(crate) const UNIXFS_DIR_DATA: [u8; 2] = [0x08, UNIXFS_DIRECTORY as u8];

/// Serialized size of `PBNode.Data` for a basic directory (`0a 02 08 01`).
pub(crate) const DIR_DATA_FIELD_LEN: usize = 4;

/// UnixFS `Data` of a HAMT shard node.
pub(crate) fn unixfs_hamt(bitfield: &[u8], fanout: u64) -> Vec<u8> {
    let mut d = Vec::with_capacity(bitfield.len() + 12);
    d.push(0x08);
    put_varint(&mut d, UNIXFS_HAMT_SHARD);
    d.push(0x12);
    put_varint(&mut d, bitfield.len() as u64);
    d.extend_from_slice(bitfield);
    d.push(0x28);
    put_varint(&mut d, MURMUR3_X64_64);
    d.push(0x30);
    put_varint(&mut d, fanout);
    d
}

/// Framing of a dag-pb file leaf holding `n` content bytes.
///
/// The leaf block is `header ++ content ++ trailer`:
/// `0a <len(inner)> 08 02 12 <n> <content> 18 <n>`.
#[derive(Clone, Copy)]
pub(crate) struct LeafFraming {
    header: [u8; 24],
    header_len: usize,
    trailer: [u8; 11],
    trailer_len: usize,
}

impl LeafFraming {
    /// Builds the framing for a leaf of `n` content bytes.
    pub(crate) fn new(n: u64) -> Self {
        let mut trailer = [0u8; 11];
        trailer[0] = 0x18;
        let trailer_len = 1 + write_varint(&mut trailer[1..], n);
        let mut header = [0u8; 24];
        if n == 0 {
            // Empty file: no Data field at all (nil), only Type and filesize.
            // inner = 08 02 18 00
            let inner_len = 2 + trailer_len;
            header[0] = 0x0a;
            let mut i = 1 + write_varint(&mut header[1..], inner_len as u64);
            header[i] = 0x08;
            header[i + 1] = UNIXFS_FILE as u8;
            i += 2;
            return LeafFraming {
                header,
                header_len: i,
                trailer,
                trailer_len,
            };
        }
        let inner_len = 2 + 1 + varint_len(n) as u64 + n + trailer_len as u64;
        header[0] = 0x0a;
        let mut i = 1 + write_varint(&mut header[1..], inner_len);
        header[i] = 0x08;
        header[i + 1] = UNIXFS_FILE as u8;
        header[i + 2] = 0x12;
        i += 3;
        i += write_varint(&mut header[i..], n);
        LeafFraming {
            header,
            header_len: i,
            trailer,
            trailer_len,
        }
    }

    /// Bytes that precede the content.
    pub(crate) fn header(&self) -> &[u8] {
        &self.header[..self.header_len]
    }

    /// Bytes that follow the content.
    pub(crate) fn trailer(&self) -> &[u8] {
        &self.trailer[..self.trailer_len]
    }

    /// Total block length for `n` content bytes.
    pub(crate) fn block_len(&self, n: u64) -> u64 {
        (self.header_len + self.trailer_len) as u64 + n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints() {
        for v in [
            0u64,
            1,
            127,
            128,
            300,
            16383,
            16384,
            u32::MAX as u64,
            u64::MAX,
        ] {
            let mut b = Vec::new();
            put_varint(&mut b, v);
            assert_eq!(b.len(), varint_len(v), "{v}");
            let mut arr = [0u8; 10];
            assert_eq!(write_varint(&mut arr, v), b.len());
            assert_eq!(&arr[..b.len()], &b[..]);
        }
        let mut b = Vec::new();
        put_varint(&mut b, 300);
        assert_eq!(b, [0xac, 0x02]);
        put_varint(&mut b, 262144);
        assert_eq!(&b[2..], &[0x80, 0x80, 0x10]);
    }

    #[test]
    fn empty_leaf_framing() {
        let f = LeafFraming::new(0);
        let mut block = f.header().to_vec();
        block.extend_from_slice(f.trailer());
        assert_eq!(block, [0x0a, 0x04, 0x08, 0x02, 0x18, 0x00]);
        assert_eq!(f.block_len(0), 6);
    }

    #[test]
    fn hello_leaf_framing() {
        let f = LeafFraming::new(12);
        let mut block = f.header().to_vec();
        block.extend_from_slice(b"hello world\n");
        block.extend_from_slice(f.trailer());
        let mut expect = vec![0x0a, 0x12, 0x08, 0x02, 0x12, 0x0c];
        expect.extend_from_slice(b"hello world\n");
        expect.extend_from_slice(&[0x18, 0x0c]);
        assert_eq!(block, expect);
        assert_eq!(f.block_len(12), 20);
    }

    #[test]
    fn full_chunk_leaf_is_262158_bytes() {
        let f = LeafFraming::new(262144);
        assert_eq!(f.block_len(262144), 262158);
        // 0a <varint 262154> 08 02 12 <varint 262144>
        assert_eq!(
            f.header(),
            &[0x0a, 0x8a, 0x80, 0x10, 0x08, 0x02, 0x12, 0x80, 0x80, 0x10]
        );
        assert_eq!(f.trailer(), &[0x18, 0x80, 0x80, 0x10]);
    }

    #[test]
    fn link_encoding_and_sizes() {
        let cid = [0xabu8; 34];
        let mut b = Vec::new();
        put_link(&mut b, &cid, b"", 262158);
        assert_eq!(b.len(), link_serialized_len(34, 0, 262158));
        assert_eq!(&b[..4], &[0x12, 0x2a, 0x0a, 0x22]);
        assert_eq!(&b[38..], &[0x12, 0x00, 0x18, 0x8e, 0x80, 0x10]);
        let mut b = Vec::new();
        put_link(&mut b, &cid, b"mars.txt", 20);
        assert_eq!(b.len(), link_serialized_len(34, 8, 20));
    }

    #[test]
    fn large_sizes_are_full_uint64_varints() {
        // 2^31 and 2^32 - 1 (ipfs-unixfs-importer 17.1.1 / protons-runtime 7.1.2
        // write zero bytes for values in [2^31, 2^32); kubo writes proper varints).
        let f = unixfs_file_internal(1 << 31, [1u64 << 31].into_iter());
        assert_eq!(
            f,
            [0x08, 0x02, 0x18, 0x80, 0x80, 0x80, 0x80, 0x08, 0x20, 0x80, 0x80, 0x80, 0x80, 0x08]
        );
        let mut b = Vec::new();
        put_varint(&mut b, u32::MAX as u64);
        assert_eq!(b, [0xff, 0xff, 0xff, 0xff, 0x0f]);
        let f = LeafFraming::new(5_000_000_000);
        assert_eq!(f.trailer(), &[0x18, 0x80, 0xe4, 0x97, 0xd0, 0x12]);
    }

    #[test]
    fn directory_and_hamt_data() {
        let mut b = Vec::new();
        put_data(&mut b, &UNIXFS_DIR_DATA);
        assert_eq!(b, [0x0a, 0x02, 0x08, 0x01]);
        assert_eq!(b.len(), DIR_DATA_FIELD_LEN);
        let h = unixfs_hamt(&[0x01, 0x80], 256);
        assert_eq!(
            h,
            [0x08, 0x05, 0x12, 0x02, 0x01, 0x80, 0x28, 0x22, 0x30, 0x80, 0x02]
        );
        let f = unixfs_file_internal(262145, [262144u64, 1].into_iter());
        assert_eq!(
            f,
            [0x08, 0x02, 0x18, 0x81, 0x80, 0x10, 0x20, 0x80, 0x80, 0x10, 0x20, 0x01]
        );
    }
}
