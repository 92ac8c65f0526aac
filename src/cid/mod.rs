//! Local computation of IPFS CIDs exactly as kubo's `ipfs add` (and
//! `ipfs add --only-hash`) computes them.
//!
//! * [`FileBuilder`] — streaming UnixFS file importer (fixed chunks, balanced
//!   layout, dag-pb or raw leaves), bounded memory whatever the size.
//! * [`DirBuilder`] — UnixFS directories, including kubo's automatic HAMT
//!   sharding of large directories.
//! * [`cid_of_bytes`], [`cid_of_path`], [`cid_of_path_parallel`] — one-call
//!   helpers; [`walk_dir`] — the directory walking policy shared with the
//!   uploader.
//! * [`parse_cid`] — strict CID parsing and normalisation.
//! * [`Verifier`] / [`TreeVerifier`] — single-pass verification of the CID a
//!   service returns against the bytes that were uploaded.
//!
//! The algorithm and its pitfalls are described in
//! `shared/reference/cid.md`; every vector of its §2 that fits in CI time is
//! checked by `tests/cid_vectors.rs`.

#![warn(missing_docs)]

mod dir;
mod file;
mod hamt;
mod parse;
mod pb;
mod verify;
mod walk;

pub use dir::DirBuilder;
pub use file::FileBuilder;
pub use parse::parse_cid;
pub use verify::{verify_nodes, ProfileMemory, TreeVerifier, Verification, Verifier};
pub use walk::{
    cid_of_path, cid_of_path_parallel, cid_of_path_with, walk_dir, WalkEntry, WalkKind,
};

use std::fmt;
use std::path::PathBuf;

/// Which CID profile to compute.
///
/// * `V0` = kubo default (`unixfs-v0-2015`): CIDv0, dag-pb leaves, 256 KiB
///   chunks, 174 links per node, HAMT above a 256 KiB links-based estimate.
/// * `V1` = kubo `--cid-version=1`: CIDv1, raw leaves, 256 KiB chunks, 174
///   links (also the `ipfs-unixfs-importer` default).
/// * `V1Modern` = `unixfs-v1-2025` (IPIP-499): CIDv1, raw leaves, 1 MiB
///   chunks, 1024 links, HAMT above 256 KiB of exact block bytes. Used only
///   for verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Profile {
    /// kubo default: CIDv0, dag-pb leaves, 256 KiB chunks, 174 links.
    V0,
    /// kubo `--cid-version=1`: CIDv1, raw leaves, 256 KiB chunks, 174 links.
    V1,
    /// `unixfs-v1-2025`: CIDv1, raw leaves, 1 MiB chunks, 1024 links.
    V1Modern,
}

impl Profile {
    /// Maps a numeric CID version to the kubo profile: `0 -> V0`, `1 -> V1`,
    /// anything else `None`.
    pub fn from_cid_version(v: i32) -> Option<Profile> {
        match v {
            0 => Some(Profile::V0),
            1 => Some(Profile::V1),
            _ => None,
        }
    }

    /// All profiles, in the order verification tries them.
    pub const ALL: [Profile; 3] = [Profile::V0, Profile::V1, Profile::V1Modern];

    /// The import parameters of this profile.
    pub fn options(self) -> ImportOptions {
        match self {
            Profile::V0 => ImportOptions {
                cid_version: cid::Version::V0,
                raw_leaves: false,
                chunk_size: DEFAULT_CHUNK_SIZE,
                max_links: DEFAULT_MAX_LINKS,
                hamt_estimate: HamtEstimate::Links,
                hamt_threshold: DEFAULT_HAMT_THRESHOLD,
            },
            Profile::V1 => ImportOptions {
                cid_version: cid::Version::V1,
                raw_leaves: true,
                chunk_size: DEFAULT_CHUNK_SIZE,
                max_links: DEFAULT_MAX_LINKS,
                hamt_estimate: HamtEstimate::Links,
                hamt_threshold: DEFAULT_HAMT_THRESHOLD,
            },
            Profile::V1Modern => ImportOptions {
                cid_version: cid::Version::V1,
                raw_leaves: true,
                chunk_size: 1024 * 1024,
                max_links: 1024,
                hamt_estimate: HamtEstimate::Block,
                hamt_threshold: DEFAULT_HAMT_THRESHOLD,
            },
        }
    }
}

/// kubo's default chunk size (`size-262144`).
pub const DEFAULT_CHUNK_SIZE: usize = 262_144;
/// kubo's default maximum number of links per file node (8192 / 47).
pub const DEFAULT_MAX_LINKS: usize = 174;
/// kubo's default HAMT switch threshold (`HAMTShardingSize`, 256 KiB).
pub const DEFAULT_HAMT_THRESHOLD: usize = 262_144;
/// HAMT fanout (kubo's `DefaultShardWidth`; fixed here).
pub const HAMT_FANOUT: usize = 256;

/// How a directory's size is estimated when deciding to switch to a HAMT.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HamtEstimate {
    /// Σ (name length + binary CID length) over the entries (kubo default).
    Links,
    /// Exact serialized size of the basic directory block (`unixfs-v1-2025`).
    Block,
}

/// Explicit import parameters (a superset of the three [`Profile`]s, e.g. for
/// kubo's `--raw-leaves` with CIDv0 or `--max-file-links`). Only sha2-256 is
/// supported; inline (identity) CIDs are not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ImportOptions {
    /// CID version of dag-pb nodes. Raw leaves are always CIDv1.
    pub cid_version: cid::Version,
    /// Leaves are `raw` blocks (true) or dag-pb UnixFS `File` nodes (false).
    pub raw_leaves: bool,
    /// Fixed chunk size in bytes (at least 1).
    pub chunk_size: usize,
    /// Maximum links per internal file node (at least 2).
    pub max_links: usize,
    /// HAMT size estimate mode.
    pub hamt_estimate: HamtEstimate,
    /// Directories whose estimate is strictly greater than this become HAMTs.
    pub hamt_threshold: usize,
}

impl ImportOptions {
    pub(crate) fn is_v1(&self) -> bool {
        self.cid_version == cid::Version::V1
    }

    pub(crate) fn sanitized(mut self) -> Self {
        self.chunk_size = self.chunk_size.max(1);
        self.max_links = self.max_links.max(2);
        self
    }
}

/// A finished UnixFS node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// The node's CID.
    pub cid: cid::Cid,
    /// Cumulative DAG size (`Tsize`, kubo's `CumulativeSize`): this block's
    /// length plus the `Tsize` of all its links — what Pinata reports as
    /// `PinSize`.
    pub tsize: u64,
    /// Content bytes: the file length, or for a directory the total length of
    /// all files below it.
    pub file_size: u64,
}

/// Errors from this module.
#[derive(Debug)]
pub enum CidError {
    /// The text is not a valid CID.
    InvalidCid(String),
    /// A relative path is invalid (empty, `.` or `..` components, non-UTF-8,
    /// or a file/directory conflict).
    InvalidPath(String),
    /// An I/O error (or a refused file: special file, symlink escaping the
    /// root, dangling symlink, loop) while reading `path`.
    Io {
        /// The path concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl fmt::Display for CidError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CidError::InvalidCid(m) => write!(f, "invalid CID: {m}"),
            CidError::InvalidPath(m) => write!(f, "invalid path: {m}"),
            CidError::Io { path, source } => write!(f, "{}: {source}", path.display()),
        }
    }
}

impl std::error::Error for CidError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CidError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl CidError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        CidError::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn io_msg(path: impl Into<PathBuf>, kind: std::io::ErrorKind, msg: String) -> Self {
        CidError::Io {
            path: path.into(),
            source: std::io::Error::new(kind, msg),
        }
    }
}

/// The CID `ipfs add` computes for `data` as a single file.
pub fn cid_of_bytes(data: &[u8], profile: Profile) -> Node {
    let mut b = FileBuilder::new(profile);
    b.update(data);
    b.finish()
}

/// Like [`cid_of_bytes`] with explicit [`ImportOptions`].
pub fn cid_of_bytes_with(data: &[u8], opts: ImportOptions) -> Node {
    let mut b = FileBuilder::with_options(opts);
    b.update(data);
    b.finish()
}

#[cfg(test)]
mod tests;
