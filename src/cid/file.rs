//! Streaming UnixFS file importer: fixed-size chunking plus kubo's balanced
//! layout (cid.md §1.2–§1.6).

use sha2::{Digest, Sha256};

use super::pb::{self, LeafFraming};
use super::{ImportOptions, Node};

/// Multicodec code of dag-pb.
pub(crate) const DAG_PB: u64 = 0x70;
/// Multicodec code of raw.
pub(crate) const RAW: u64 = 0x55;
/// Multihash code of sha2-256.
pub(crate) const SHA2_256: u64 = 0x12;

/// Binary form of a sha2-256 CID, as written into `PBLink.Hash`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct CidBin {
    bytes: [u8; 36],
    len: u8,
}

impl CidBin {
    /// A CID of `codec` over `digest`; version 0 is only possible for dag-pb
    /// (go-cid bumps any other codec to v1, cid.md §1.3).
    pub(crate) fn new(v1: bool, codec: u64, digest: &[u8; 32]) -> Self {
        let mut bytes = [0u8; 36];
        if !v1 && codec == DAG_PB {
            bytes[0] = 0x12;
            bytes[1] = 0x20;
            bytes[2..34].copy_from_slice(digest);
            CidBin { bytes, len: 34 }
        } else {
            // Both codecs used here (0x55, 0x70) fit in one varint byte.
            bytes[0] = 0x01;
            bytes[1] = codec as u8;
            bytes[2] = 0x12;
            bytes[3] = 0x20;
            bytes[4..36].copy_from_slice(digest);
            CidBin { bytes, len: 36 }
        }
    }

    /// The binary CID.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }

    /// Converts to a [`cid::Cid`].
    pub(crate) fn to_cid(self) -> cid::Cid {
        let (v1, codec, digest) = if self.len == 34 {
            (false, DAG_PB, &self.bytes[2..34])
        } else {
            (true, self.bytes[1] as u64, &self.bytes[4..36])
        };
        let mh = cid::multihash::Multihash::<64>::wrap(SHA2_256, digest)
            .expect("32-byte digest fits in a 64-byte multihash");
        if v1 {
            cid::Cid::new_v1(codec, mh)
        } else {
            cid::Cid::new_v0(mh).expect("sha2-256 multihash is a valid CIDv0")
        }
    }
}

/// One child of a file node: its CID, cumulative size and content length.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Link {
    pub(crate) cid: CidBin,
    pub(crate) tsize: u64,
    pub(crate) size: u64,
}

impl Link {
    pub(crate) fn into_node(self) -> Node {
        Node {
            cid: self.cid.to_cid(),
            tsize: self.tsize,
            file_size: self.size,
        }
    }
}

/// Hashes one leaf (a chunk, or the whole content when it is a single
/// chunk). Pure: safe to call from worker threads.
pub(crate) fn leaf_link(opts: &ImportOptions, chunk: &[u8]) -> Link {
    let n = chunk.len() as u64;
    if opts.raw_leaves {
        let digest: [u8; 32] = Sha256::digest(chunk).into();
        Link {
            cid: CidBin::new(true, RAW, &digest),
            tsize: n,
            size: n,
        }
    } else {
        let framing = LeafFraming::new(n);
        let mut h = Sha256::new();
        h.update(framing.header());
        h.update(chunk);
        h.update(framing.trailer());
        let digest: [u8; 32] = h.finalize().into();
        Link {
            cid: CidBin::new(opts.is_v1(), DAG_PB, &digest),
            tsize: framing.block_len(n),
            size: n,
        }
    }
}

/// The balanced layout: one pending run of at most `max_links` links per
/// level. Memory is O(depth × max_links).
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    v1: bool,
    max_links: usize,
    levels: Vec<Vec<Link>>,
    leaves: u64,
    scratch: Vec<u8>,
}

impl Layout {
    pub(crate) fn new(opts: &ImportOptions) -> Self {
        Layout {
            v1: opts.is_v1(),
            max_links: opts.max_links.max(2),
            levels: Vec::new(),
            leaves: 0,
            scratch: Vec::new(),
        }
    }

    /// Adds the next leaf, in file order.
    pub(crate) fn push_leaf(&mut self, leaf: Link) {
        self.leaves += 1;
        self.push(0, leaf);
    }

    fn push(&mut self, level: usize, link: Link) {
        if self.levels.len() <= level {
            self.levels.push(Vec::with_capacity(self.max_links));
        }
        if self.levels[level].len() == self.max_links {
            // The run is full and more follows: close it into a parent.
            let parent = self.make_parent(level);
            self.levels[level].clear();
            self.push(level + 1, parent);
        }
        self.levels[level].push(link);
    }

    fn make_parent(&mut self, level: usize) -> Link {
        let links = &self.levels[level];
        let block = &mut self.scratch;
        block.clear();
        let mut tsize_sum = 0u64;
        let mut filesize = 0u64;
        for l in links {
            pb::put_link(block, l.cid.as_bytes(), b"", l.tsize);
            tsize_sum += l.tsize;
            filesize += l.size;
        }
        let data = pb::unixfs_file_internal(filesize, links.iter().map(|l| l.size));
        pb::put_data(block, &data);
        let digest: [u8; 32] = Sha256::digest(&block[..]).into();
        Link {
            cid: CidBin::new(self.v1, DAG_PB, &digest),
            tsize: block.len() as u64 + tsize_sum,
            size: filesize,
        }
    }

    /// Folds the pending runs into the root. `None` when no leaf was pushed.
    pub(crate) fn finish(mut self) -> Option<Link> {
        if self.leaves == 0 {
            return None;
        }
        let mut level = 0;
        loop {
            let higher = self.levels[level + 1..].iter().any(|l| !l.is_empty());
            if !higher && self.levels[level].len() == 1 {
                return Some(self.levels[level][0]);
            }
            // Always wrap the trailing run, even a run of one (cid.md §1.4).
            let parent = self.make_parent(level);
            self.levels[level].clear();
            self.push(level + 1, parent);
            level += 1;
        }
    }
}

/// Streaming file importer: feed bytes in any split, memory bounded
/// (one chunk buffer plus O(depth × max_links) links), whatever the size.
///
/// Produces exactly the CID `ipfs add` (with the chosen profile) gives for the
/// same bytes. Full chunks found in the caller's slice are hashed in place,
/// without copying.
#[derive(Clone, Debug)]
pub struct FileBuilder {
    opts: ImportOptions,
    buf: Vec<u8>,
    layout: Layout,
    total: u64,
}

impl FileBuilder {
    /// A builder for the given profile.
    pub fn new(profile: super::Profile) -> Self {
        Self::with_options(profile.options())
    }

    /// A builder with explicit import options (see [`ImportOptions`]).
    pub fn with_options(opts: ImportOptions) -> Self {
        let opts = opts.sanitized();
        FileBuilder {
            layout: Layout::new(&opts),
            opts,
            buf: Vec::new(),
            total: 0,
        }
    }

    /// The options in use.
    pub fn options(&self) -> &ImportOptions {
        &self.opts
    }

    /// Number of content bytes fed so far.
    pub fn bytes_fed(&self) -> u64 {
        self.total
    }

    /// Feeds the next bytes of the file.
    pub fn update(&mut self, mut data: &[u8]) {
        let chunk = self.opts.chunk_size;
        self.total += data.len() as u64;
        if !self.buf.is_empty() {
            let take = (chunk - self.buf.len()).min(data.len());
            self.buf.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.buf.len() < chunk {
                return;
            }
            let leaf = leaf_link(&self.opts, &self.buf);
            self.layout.push_leaf(leaf);
            self.buf.clear();
        }
        while data.len() >= chunk {
            let leaf = leaf_link(&self.opts, &data[..chunk]);
            self.layout.push_leaf(leaf);
            data = &data[chunk..];
        }
        if !data.is_empty() {
            if self.buf.capacity() < chunk {
                self.buf.reserve_exact(chunk);
            }
            self.buf.extend_from_slice(data);
        }
    }

    /// Adds an already-hashed full-chunk leaf (used by the parallel hasher).
    /// Must only be called while no partial chunk is buffered.
    pub(crate) fn push_leaf(&mut self, leaf: Link) {
        debug_assert!(self.buf.is_empty());
        self.total += leaf.size;
        self.layout.push_leaf(leaf);
    }

    /// Finishes the file and returns its root node.
    pub fn finish(mut self) -> Node {
        if !self.buf.is_empty() {
            let leaf = leaf_link(&self.opts, &self.buf);
            self.layout.push_leaf(leaf);
            self.buf = Vec::new();
        }
        let opts = self.opts;
        match self.layout.finish() {
            Some(root) => root.into_node(),
            // No chunks: a leaf with no data (cid.md §1.8).
            None => leaf_link(&opts, &[]).into_node(),
        }
    }

    /// The node the content fed so far would produce, without consuming the
    /// builder (clones the pending state: at most one chunk plus the links).
    pub fn snapshot(&self) -> Node {
        self.clone().finish()
    }
}
