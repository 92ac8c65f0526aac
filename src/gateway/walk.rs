//! The DAG walk of a download: blocks in, verified file bytes out, in order.
//!
//! The walk is a depth-first stack of the blocks still needed, starting from the root.
//! Whatever transport feeds it (a CAR stream, raw blocks one by one), every block is
//! checked against its CID before anything else looks at it. The rules:
//!
//! * **The expected block** (top of the stack) is processed at once: file bytes go to
//!   the destination, links are pushed in order. Before a new block is looked at, the
//!   walk first moves past everything that needs no new block (the end of a file, a
//!   block it already has), so a repeated chunk or the end of a directory's first file
//!   does not make every later block look early.
//! * **A block that arrives early** (before its parent, or out of depth-first order) is
//!   verified and spilled to a temporary file on disk (one for the whole walk), bounded
//!   by [`Limits::max_spill_bytes`]; it is read back when the walk reaches it.
//! * **Duplicate blocks** are verified and ignored. A block the DAG references twice
//!   (identical chunks, identical files) is sent once by most gateways: the walk remembers
//!   where a leaf's bytes were written (and keeps inner nodes in the spill file), so
//!   the second reference costs no network.
//! * **Extra blocks** that nothing references are verified, spilled, and dropped at the
//!   end (they count against the spill limit).
//! * **Blocks sent again** (duplicates ignored above, and the blocks a CAR re-sent
//!   from its start after a broken connection repeats) are bounded: within one answer,
//!   the bytes of ignored blocks may not exceed the bytes the walk has processed plus
//!   [`Limits::max_spill_bytes`], so a gateway that repeats blocks forever fails with
//!   `PINATA_E_PROTOCOL` instead of streaming on.
//! * **Missing blocks**: the caller asks [`Walker::next_needed`] once its source is
//!   exhausted; a CAR that ends with blocks still needed is `PINATA_E_INTEGRITY`.
//! * **Work without content**: every reference is walked again, so a few kilobytes of
//!   blocks could name a block 2^40 times. The walk counts steps (a link pushed; a block
//!   processed, one more per KiB) and fails with `PINATA_E_PROTOCOL` once they outrun
//!   what it has received and written (`Walker::step`).
//! * **Content without end**: the same few kilobytes over a one-byte leaf are a real
//!   file of a terabyte, which the steps allow. Only the caller can say how much is too
//!   much: [`Limits::max_bytes`] and [`Limits::max_entries`] (none by default) refuse a
//!   file whose verified root states a size past the cap before writing it, and stop
//!   any other content at the byte or entry past it.
//!
//! Memory: the stack holds at most one node's links per level, and the paths of the
//! entries it holds are bounded (`MAX_PENDING_PATHS`); the index of seen blocks holds
//! about 100 bytes per block (0.04 % of the content at 256 KiB chunks).

use super::dag::{self, decode_pb, integrity, verify_block, DAG_PB, IDENTITY, RAW};
use crate::error::{Error, Result, Status};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Bounds a hostile gateway cannot push past.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Disk space for blocks kept for later (those that arrive before the walk needs
    /// them, and inner nodes and directories the DAG may name again), each counted with
    /// `SPILL_OVERHEAD` bytes more for its place in the index.
    pub max_spill_bytes: u64,
    /// Most content bytes written, all files together; `None`: no cap.
    pub max_bytes: Option<u64>,
    /// Most files and directories made, the root counted; `None`: no cap.
    pub max_entries: Option<u64>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_spill_bytes: 1 << 30,
            max_bytes: None,
            max_entries: None,
        }
    }
}

/// Most pending tasks (links waiting to be walked) and most indexed blocks.
const MAX_TASKS: usize = 4 << 20;
const MAX_SEEN: usize = 16 << 20;

/// The walk's steps (a link pushed; a block processed or read back, one more per KiB)
/// that come free. Past them, each step must be paid for by what the walk has received
/// or written (`Walker::step`).
const FREE_STEPS: u64 = 1 << 16;

/// Most bytes of entry paths held by the pending tasks. A directory's entries wait on
/// the stack with their paths; a 2 MiB directory block holds at most about 50,000 of
/// them, and a path that the system can open is at most 4 KiB, so one full directory at
/// any depth fits. The unit tests reach a smaller bound with a small DAG.
const MAX_PENDING_PATHS: usize = if cfg!(test) { 1 << 20 } else { 256 << 20 };

/// Bytes counted for each block processed or sent again besides its own (a CAR
/// section's length and CID), so that the bound on repeats counts empty blocks too.
const FRAMING: u64 = 64;

enum Role {
    /// The root: a file or a directory, decided by its first block.
    Root,
    /// A directory entry at this relative path.
    Entry(String),
    /// Part of the file being written.
    Chunk,
    /// A HAMT shard of the directory at this relative path.
    Shard(String),
}

enum Task {
    Node(cid::Cid, Role),
    /// Closes the current file; `expected` is its UnixFS `filesize`.
    EndFile(Option<u64>),
}

impl Task {
    /// Bytes of the path the task holds.
    fn path_len(&self) -> usize {
        match self {
            Task::Node(_, Role::Entry(p) | Role::Shard(p)) => p.len(),
            _ => 0,
        }
    }
}

/// What the walk remembers of a block it has already seen.
enum Seen {
    /// A leaf whose file bytes were written at this place (`file`: index in the sink).
    Data { file: usize, offset: u64, len: u64 },
    /// The block is in the spill file at this place.
    Spilled { offset: u64, len: u64 },
}

/// Where the verified content goes.
pub(crate) enum Sink {
    /// A file or directory tree, built under a temporary name beside `dest` and renamed
    /// over it at the end.
    Disk {
        dest: PathBuf,
        temp: PathBuf,
        /// `Some(true)` once the root proved to be a directory.
        is_dir: Option<bool>,
        current: Option<(BufWriter<File>, usize)>,
        files: Vec<PathBuf>,
    },
    /// Bytes in memory: a single file only.
    Memory { buf: Vec<u8>, started: bool },
}

impl Sink {
    /// An empty in-memory sink (a single file).
    pub(crate) fn memory() -> Sink {
        Sink::Memory {
            buf: Vec::new(),
            started: false,
        }
    }

    /// A sink for `dest`; nothing is created until the first block.
    pub(crate) fn disk(dest: &Path) -> Result<Sink> {
        let trailing_slash = dest.as_os_str().as_encoded_bytes().ends_with(b"/");
        let name = dest
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| !trailing_slash && !n.is_empty() && *n != "." && *n != "..")
            .ok_or_else(|| {
                Error::invalid_argument("`dest_path` must end with a file or directory name")
            })?;
        let parent = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let meta = std::fs::metadata(&parent).map_err(|e| Error::io(&parent, &e))?;
        if !meta.is_dir() {
            return Err(Error::new(
                Status::Io,
                format!("{}: not a directory", parent.display()),
            ));
        }
        let temp = parent.join(format!(".{name}.pinata-{}.part", unique_suffix()));
        Ok(Sink::Disk {
            dest: dest.to_path_buf(),
            temp,
            is_dir: None,
            current: None,
            files: Vec::new(),
        })
    }

    fn path_of(temp: &Path, rel: &str) -> PathBuf {
        if rel.is_empty() {
            temp.to_path_buf()
        } else {
            temp.join(rel)
        }
    }

    fn mkdir(&mut self, rel: &str) -> Result<()> {
        match self {
            Sink::Memory { .. } => Err(Error::invalid_argument(
                "the CID is a directory; download it to a path instead of into memory",
            )),
            Sink::Disk { temp, is_dir, .. } => {
                if rel.is_empty() {
                    *is_dir = Some(true);
                }
                let p = Sink::path_of(temp, rel);
                std::fs::create_dir(&p).map_err(|e| Error::io(&p, &e))
            }
        }
    }

    /// Opens the next file; returns its index.
    pub(crate) fn begin_file(&mut self, rel: &str) -> Result<usize> {
        match self {
            Sink::Memory { started, .. } => {
                if !rel.is_empty() || *started {
                    return Err(Error::invalid_argument(
                        "the CID is a directory; download it to a path instead of into memory",
                    ));
                }
                *started = true;
                Ok(0)
            }
            Sink::Disk {
                temp,
                is_dir,
                current,
                files,
                ..
            } => {
                if rel.is_empty() {
                    *is_dir = Some(false);
                }
                let p = Sink::path_of(temp, rel);
                let f = std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create_new(true)
                    .open(&p)
                    .map_err(|e| Error::io(&p, &e))?;
                files.push(p);
                // Small pieces are gathered; a whole leaf (≥ 64 KiB) goes straight through.
                *current = Some((BufWriter::with_capacity(64 << 10, f), files.len() - 1));
                Ok(files.len() - 1)
            }
        }
    }

    pub(crate) fn write(&mut self, data: &[u8]) -> Result<()> {
        match self {
            Sink::Memory { buf, .. } => {
                buf.extend_from_slice(data);
                Ok(())
            }
            Sink::Disk { current, files, .. } => {
                let (w, i) = current
                    .as_mut()
                    .ok_or_else(|| Error::new(Status::Internal, "no file is open"))?;
                w.write_all(data).map_err(|e| Error::io(&files[*i], &e))
            }
        }
    }

    fn end_file(&mut self) -> Result<()> {
        if let Sink::Disk { current, files, .. } = self {
            if let Some((mut w, i)) = current.take() {
                w.flush().map_err(|e| Error::io(&files[i], &e))?;
            }
        }
        Ok(())
    }

    /// Reads back bytes written earlier (a leaf the DAG references again).
    fn read_back(&mut self, file: usize, offset: u64, len: u64) -> Result<Vec<u8>> {
        match self {
            Sink::Memory { buf, .. } => Ok(buf[offset as usize..(offset + len) as usize].to_vec()),
            Sink::Disk { current, files, .. } => {
                if let Some((w, i)) = current.as_mut() {
                    if *i == file {
                        w.flush().map_err(|e| Error::io(&files[file], &e))?;
                    }
                }
                use std::os::unix::fs::FileExt;
                let p = &files[file];
                let f = File::open(p).map_err(|e| Error::io(p, &e))?;
                let mut out = vec![0u8; len as usize];
                f.read_exact_at(&mut out, offset)
                    .map_err(|e| Error::io(p, &e))?;
                Ok(out)
            }
        }
    }

    /// Moves the finished content to its destination.
    pub(crate) fn commit(&mut self) -> Result<()> {
        self.end_file()?;
        if let Sink::Disk { dest, temp, .. } = self {
            std::fs::rename(&*temp, &*dest).map_err(|e| Error::io(dest, &e))?;
        }
        Ok(())
    }

    /// Removes whatever was written (nothing unverified stays behind).
    pub(crate) fn discard(&mut self) {
        if let Sink::Disk {
            temp,
            is_dir,
            current,
            ..
        } = self
        {
            *current = None;
            match is_dir {
                Some(true) => {
                    let _ = std::fs::remove_dir_all(&*temp);
                }
                Some(false) => {
                    let _ = std::fs::remove_file(&*temp);
                }
                None => {}
            }
        }
    }

    /// The in-memory content.
    pub(crate) fn take_bytes(&mut self) -> Vec<u8> {
        match self {
            Sink::Memory { buf, .. } => std::mem::take(buf),
            Sink::Disk { .. } => Vec::new(),
        }
    }
}

fn unique_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Bytes counted against the spill limit for each block kept, besides its own: the
/// index holds about 130 bytes of memory for it, so a gateway sending millions of tiny
/// blocks is bounded in memory by the limit too (to half of it), not only in disk.
const SPILL_OVERHEAD: u64 = 256;

/// Blocks kept for later (early blocks, and inner nodes and directories the DAG may name
/// again), in one temporary file: appended, read back at their offsets. One file rather
/// than one per block, so that the spill limit bounds the disk they take (a file per
/// block costs an inode and a filesystem block). The file is unlinked as soon as it is
/// open, so nothing is left however the process ends, and no other user can read it.
struct Spill {
    base: PathBuf,
    file: Option<File>,
    /// The file's length: where the next block goes.
    end: u64,
    /// What the blocks count against `limit`: their bytes and `SPILL_OVERHEAD` each.
    charged: u64,
    limit: u64,
}

impl Spill {
    /// Appends a block; returns where it went.
    fn put(&mut self, data: &[u8]) -> Result<Seen> {
        use std::os::unix::fs::FileExt;
        self.charged += data.len() as u64 + SPILL_OVERHEAD;
        if self.charged > self.limit {
            return Err(Error::protocol(format!(
                "the download kept more than {} bytes of blocks for later (blocks sent ahead \
                 of the blocks that reference them, and the inner nodes and directories the \
                 DAG may name again, {SPILL_OVERHEAD} bytes more each): spill limit",
                self.limit
            )));
        }
        let f = match &self.file {
            Some(f) => f,
            None => self.file.insert(Spill::create(&self.base)?),
        };
        let offset = self.end;
        f.write_all_at(data, offset)
            .map_err(|e| Error::io(&self.base, &e))?;
        self.end += data.len() as u64;
        Ok(Seen::Spilled {
            offset,
            len: data.len() as u64,
        })
    }

    /// A new spill file in `base` (mode 0600, a fresh name if one is taken), unlinked
    /// once open.
    fn create(base: &Path) -> Result<File> {
        use std::os::unix::fs::OpenOptionsExt;
        let mut tries = 0;
        loop {
            let p = base.join(format!(".pinata-spill-{}", unique_suffix()));
            match std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&p)
            {
                Ok(f) => {
                    std::fs::remove_file(&p).map_err(|e| Error::io(&p, &e))?;
                    return Ok(f);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && tries < 100 => {
                    tries += 1
                }
                Err(e) => return Err(Error::io(&p, &e)),
            }
        }
    }

    /// A block `put` returned this place for.
    fn get(&self, offset: u64, len: u64) -> Result<Vec<u8>> {
        use std::os::unix::fs::FileExt;
        let f = self
            .file
            .as_ref()
            .ok_or_else(|| Error::new(Status::Internal, "a spilled block without a spill file"))?;
        let mut out = vec![0u8; len as usize];
        f.read_exact_at(&mut out, offset)
            .map_err(|e| Error::io(&self.base, &e))?;
        Ok(out)
    }
}

/// The error of content past `Limits::max_bytes`.
pub(crate) fn over_cap(max: u64) -> Error {
    Error::protocol(format!("the content is larger than the cap of {max} bytes"))
}

/// Checks a directory entry name before it becomes a path.
fn entry_path(parent: &str, name: &[u8], c: &cid::Cid) -> Result<String> {
    let name = std::str::from_utf8(name).ok().filter(|n| {
        !n.is_empty() && *n != "." && *n != ".." && !n.contains(['/', '\\', '\0']) && n.len() <= 255
    });
    let Some(name) = name else {
        return Err(Error::protocol(format!(
            "directory {c} has an entry name that is not a safe file name (empty, `.`, `..`, \
             a slash, NUL or not UTF-8); nothing was written"
        )));
    };
    Ok(if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}/{name}")
    })
}

/// The result of a finished walk.
#[derive(Clone, Debug, Default)]
pub(crate) struct WalkStats {
    pub(crate) bytes: u64,
    pub(crate) files: u64,
    pub(crate) blocks: u64,
    pub(crate) is_dir: bool,
}

/// The depth-first walk of one download.
pub(crate) struct Walker {
    stack: Vec<Task>,
    sink: Sink,
    seen: HashMap<cid::Cid, Seen>,
    spill: Spill,
    limits: Limits,
    /// Index of the open file in the sink, and bytes written to it.
    file: Option<(usize, u64)>,
    stats: WalkStats,
    /// Bytes of blocks processed so far, with `FRAMING` each (every reference counts).
    processed: u64,
    /// Bytes of already-known blocks ignored in the current answer.
    repeated: u64,
    /// The content's size, once the root block has told it (a file's UnixFS
    /// `filesize`, or a single block's length), for progress.
    size: Option<u64>,
    /// Links pushed and blocks processed so far, every reference counted.
    steps: u64,
    /// Directories made (the root included).
    dirs: u64,
    /// Bytes of the entry paths in `stack`.
    pending_paths: usize,
}

impl Walker {
    /// A walk of `root` into `sink`. Early blocks spill into `spill_base`.
    pub(crate) fn new(root: cid::Cid, sink: Sink, spill_base: PathBuf, limits: Limits) -> Walker {
        Walker {
            stack: vec![Task::Node(root, Role::Root)],
            sink,
            seen: HashMap::new(),
            spill: Spill {
                base: spill_base,
                file: None,
                end: 0,
                charged: 0,
                limit: limits.max_spill_bytes,
            },
            limits,
            file: None,
            stats: WalkStats::default(),
            processed: 0,
            repeated: 0,
            size: None,
            steps: 0,
            dirs: 0,
            pending_paths: 0,
        }
    }

    /// Counts `n` steps of the walk. A DAG may name a block any number of times, and
    /// each reference is walked again (a file of repeated chunks writes each one), so a
    /// few kilobytes of blocks that link twice to the next, down to an empty leaf, would
    /// take 2^depth steps and write nothing. Past `FREE_STEPS`, the steps may not outrun
    /// 64 per distinct block the walk holds, file or directory made, plus 8 per byte
    /// written (a binary tree of one-byte leaves, the costliest real DAG, takes about 4).
    /// A block sent again buys nothing, and a large block costs one step more per KiB
    /// each time it is processed, so neither repeats nor bulky inner nodes buy time.
    fn step(&mut self, n: u64) -> Result<()> {
        self.steps += n;
        let made = self.seen.len() as u64 + self.stats.files + self.dirs;
        let allowed = FREE_STEPS
            .saturating_add(made.saturating_mul(64))
            .saturating_add(self.stats.bytes.saturating_mul(8));
        if self.steps > allowed {
            return Err(Error::protocol(format!(
                "the DAG names its blocks again and again without adding content ({} steps \
                 for {} distinct blocks, {} files and directories and {} bytes): a DAG built \
                 to make the walk run without end",
                self.steps,
                self.seen.len(),
                self.stats.files + self.dirs,
                self.stats.bytes
            )));
        }
        Ok(())
    }

    /// A new answer begins (a request repeated after a broken one): blocks it re-sends
    /// are expected, so the bound on repeated blocks starts again.
    pub(crate) fn new_answer(&mut self) {
        self.repeated = 0;
    }

    /// Content bytes written so far, and the content's size once the root block has
    /// stated it (a file; `None` for a directory, whose size no block states). The
    /// size is verified: the walk fails unless the blocks hold exactly that many bytes.
    pub(crate) fn content_progress(&self) -> (u64, Option<u64>) {
        (self.stats.bytes, self.size)
    }

    /// Runs every step that needs no new block; returns the next block to fetch, or
    /// `None` when the walk is complete.
    pub(crate) fn next_needed(&mut self) -> Result<Option<cid::Cid>> {
        self.advance()
    }

    /// Hands the walk a block from the network. It is verified first; then processed,
    /// spilled or ignored (see the module notes).
    pub(crate) fn offer(&mut self, c: &cid::Cid, data: &[u8]) -> Result<()> {
        if data.len() > dag::MAX_BLOCK {
            return Err(Error::protocol(format!(
                "block {c} is {} bytes, more than the {} a block may hold",
                data.len(),
                dag::MAX_BLOCK
            )));
        }
        verify_block(c, data)?;
        self.stats.blocks += 1;
        // Past the ends of files and the blocks already here, to the next block needed
        // (or to this one, if the walk needs it again).
        self.advance_to(Some(c))?;
        if let Some(Task::Node(top, _)) = self.stack.last() {
            if top == c {
                let Some(Task::Node(c, role)) = self.pop() else {
                    unreachable!("just looked at it")
                };
                self.process(&c, role, data)?;
                return Ok(());
            }
        }
        if !self.seen.contains_key(c) {
            let place = self.spill.put(data)?;
            self.remember(*c, place)?;
        } else {
            // With a section's framing, so that empty blocks sent forever count too.
            self.repeated += data.len() as u64 + FRAMING;
            if self.repeated > self.processed.saturating_add(self.spill.limit) {
                return Err(Error::protocol(format!(
                    "the gateway sent {} bytes of blocks the download already had, more than \
                     it has used ({} bytes) plus the spill limit: it repeats blocks without end",
                    self.repeated, self.processed
                )));
            }
        }
        Ok(())
    }

    fn remember(&mut self, c: cid::Cid, s: Seen) -> Result<()> {
        if self.seen.len() >= MAX_SEEN {
            return Err(Error::protocol("the DAG has too many blocks to track"));
        }
        self.seen.entry(c).or_insert(s);
        Ok(())
    }

    fn advance(&mut self) -> Result<Option<cid::Cid>> {
        self.advance_to(None)
    }

    /// `advance`, stopping early where `arrived` is on top: the block the network just
    /// handed over is processed from that copy, not read back from where it was kept.
    fn advance_to(&mut self, arrived: Option<&cid::Cid>) -> Result<Option<cid::Cid>> {
        loop {
            let Some(top) = self.stack.last() else {
                return Ok(None);
            };
            match top {
                Task::EndFile(expected) => {
                    let expected = *expected;
                    self.pop();
                    let (_, written) = self.file.take().unwrap_or_default();
                    if let Some(e) = expected {
                        if e != written {
                            return Err(integrity(format!(
                                "a file's UnixFS size is {e} bytes but its blocks hold {written}"
                            )));
                        }
                    }
                    self.sink.end_file()?;
                }
                Task::Node(c, _) => {
                    let c = *c;
                    if Some(&c) == arrived {
                        return Ok(Some(c));
                    }
                    if c.hash().code() == IDENTITY {
                        let Some(Task::Node(c, role)) = self.pop() else {
                            unreachable!()
                        };
                        let data = c.hash().digest().to_vec();
                        self.process(&c, role, &data)?;
                        continue;
                    }
                    match self.seen.get(&c) {
                        None => return Ok(Some(c)),
                        Some(&Seen::Spilled { offset, len }) => {
                            let data = self.spill.get(offset, len)?;
                            let Some(Task::Node(c, role)) = self.pop() else {
                                unreachable!()
                            };
                            self.process(&c, role, &data)?;
                        }
                        Some(&Seen::Data { file, offset, len }) => {
                            let Some(Task::Node(c, role)) = self.pop() else {
                                unreachable!()
                            };
                            self.step(1 + len / 1024)?;
                            let data = self.sink.read_back(file, offset, len)?;
                            self.processed += data.len() as u64 + FRAMING;
                            self.leaf_bytes(&c, role, &data, None)?;
                        }
                    }
                }
            }
        }
    }

    fn push(&mut self, t: Task) -> Result<()> {
        self.step(1)?;
        if self.stack.len() >= MAX_TASKS {
            return Err(Error::protocol("the DAG is too wide or deep to walk"));
        }
        if self.pending_paths + t.path_len() > MAX_PENDING_PATHS {
            return Err(Error::protocol(format!(
                "the DAG's directories hold more than {} MiB of entry paths waiting to be \
                 walked",
                MAX_PENDING_PATHS >> 20
            )));
        }
        self.pending_paths += t.path_len();
        self.stack.push(t);
        Ok(())
    }

    fn pop(&mut self) -> Option<Task> {
        let t = self.stack.pop()?;
        self.pending_paths -= t.path_len();
        Some(t)
    }

    fn make_dir(&mut self, rel: &str) -> Result<()> {
        self.count_entry()?;
        self.sink.mkdir(rel)?;
        self.dirs += 1;
        Ok(())
    }

    /// Opens a file whose verified root block states `size` bytes: refused at once
    /// when they would pass the cap on content, rather than once written.
    fn open_file(&mut self, rel: &str, size: Option<u64>) -> Result<()> {
        self.count_entry()?;
        if let (Some(max), Some(size)) = (self.limits.max_bytes, size) {
            if self.stats.bytes.saturating_add(size) > max {
                return Err(over_cap(max));
            }
        }
        let i = self.sink.begin_file(rel)?;
        self.file = Some((i, 0));
        self.stats.files += 1;
        Ok(())
    }

    /// Counts a file or directory about to be made against `Limits::max_entries`.
    fn count_entry(&self) -> Result<()> {
        match self.limits.max_entries {
            Some(max) if self.stats.files + self.dirs >= max => Err(Error::protocol(format!(
                "the content holds more than the cap of {max} files and directories"
            ))),
            _ => Ok(()),
        }
    }

    fn write(&mut self, data: &[u8]) -> Result<(usize, u64)> {
        let (i, written) = self
            .file
            .as_mut()
            .ok_or_else(|| Error::new(Status::Internal, "file bytes outside a file"))?;
        if let Some(max) = self.limits.max_bytes {
            if self.stats.bytes + data.len() as u64 > max {
                return Err(over_cap(max));
            }
        }
        let at = (*i, *written);
        *written += data.len() as u64;
        self.stats.bytes += data.len() as u64;
        self.sink.write(data)?;
        Ok(at)
    }

    /// File bytes from a leaf (raw block, or a dag-pb leaf's data).
    fn leaf_bytes(
        &mut self,
        c: &cid::Cid,
        role: Role,
        data: &[u8],
        filesize: Option<u64>,
    ) -> Result<()> {
        let whole_file = match role {
            Role::Root => Some(String::new()),
            Role::Entry(p) => Some(p),
            Role::Chunk => None,
            Role::Shard(_) => {
                return Err(integrity(format!(
                    "block {c} is file data where a HAMT shard was expected"
                )))
            }
        };
        if let Some(p) = &whole_file {
            let size = filesize.unwrap_or(data.len() as u64);
            if p.is_empty() {
                self.size = Some(size);
            }
            self.open_file(p, Some(size))?;
        }
        let (file, offset) = self.write(data)?;
        if !self.seen.contains_key(c) {
            self.remember(
                *c,
                Seen::Data {
                    file,
                    offset,
                    len: data.len() as u64,
                },
            )?;
        }
        if whole_file.is_some() {
            self.push(Task::EndFile(filesize.or(Some(data.len() as u64))))?;
        }
        Ok(())
    }

    fn process(&mut self, c: &cid::Cid, role: Role, block: &[u8]) -> Result<()> {
        self.step(1 + block.len() as u64 / 1024)?;
        self.processed += block.len() as u64 + FRAMING;
        match c.codec() {
            RAW => self.leaf_bytes(c, role, block, None),
            DAG_PB => self.process_pb(c, role, block),
            other => Err(Error::protocol(format!(
                "block {c} has codec 0x{other:x}; only dag-pb and raw can be walked"
            ))),
        }
    }

    fn process_pb(&mut self, c: &cid::Cid, role: Role, block: &[u8]) -> Result<()> {
        let node = decode_pb(c, block)?;
        for l in &node.links {
            dag::check_supported(&l.cid).map_err(|e| Error::protocol(e.message().to_string()))?;
        }
        // Inner nodes are kept on disk in case the DAG references them again, and so is
        // every directory: two entries may name one empty directory, which a gateway
        // sends once (a file node without links is remembered where its bytes went).
        let directory = matches!(node.kind, dag::T_DIRECTORY | dag::T_HAMT);
        if (!node.links.is_empty() || directory) && !self.seen.contains_key(c) {
            let place = self.spill.put(block)?;
            self.remember(*c, place)?;
        }
        match node.kind {
            dag::T_FILE | dag::T_RAW => {
                if node.links.is_empty() {
                    return self.leaf_bytes(c, role, node.data, node.filesize);
                }
                let opens = match role {
                    Role::Root => {
                        self.size = node.filesize;
                        self.open_file("", node.filesize)?;
                        true
                    }
                    Role::Entry(p) => {
                        self.open_file(&p, node.filesize)?;
                        true
                    }
                    Role::Chunk => false,
                    Role::Shard(_) => {
                        return Err(integrity(format!(
                            "block {c} is file data where a HAMT shard was expected"
                        )))
                    }
                };
                self.write(node.data)?;
                if opens {
                    // Under the chunks: closes the file once they are written.
                    self.push(Task::EndFile(node.filesize))?;
                }
                for l in node.links.iter().rev() {
                    self.push(Task::Node(l.cid, Role::Chunk))?;
                }
                Ok(())
            }
            dag::T_DIRECTORY => {
                let dir = match role {
                    Role::Root => String::new(),
                    Role::Entry(p) => p,
                    _ => {
                        return Err(integrity(format!(
                            "block {c} is a directory where file data or a shard was expected"
                        )))
                    }
                };
                self.make_dir(&dir)?;
                for l in node.links.iter().rev() {
                    let p = entry_path(&dir, &l.name, c)?;
                    self.push(Task::Node(l.cid, Role::Entry(p)))?;
                }
                Ok(())
            }
            dag::T_HAMT => {
                let dir = match role {
                    Role::Root => {
                        self.make_dir("")?;
                        String::new()
                    }
                    Role::Entry(p) => {
                        self.make_dir(&p)?;
                        p
                    }
                    Role::Shard(p) => p,
                    Role::Chunk => {
                        return Err(integrity(format!(
                            "block {c} is a HAMT shard where file data was expected"
                        )))
                    }
                };
                let fanout = node.fanout.unwrap_or(0);
                if node.hash_type != Some(0x22)
                    || !(2..=4096).contains(&fanout)
                    || !fanout.is_power_of_two()
                {
                    return Err(Error::protocol(format!(
                        "HAMT shard {c} has an unsupported hash type or fanout"
                    )));
                }
                let width = format!("{:X}", fanout - 1).len();
                for l in node.links.iter().rev() {
                    if l.name.len() < width {
                        return Err(Error::protocol(format!(
                            "HAMT shard {c} has a link name shorter than its prefix"
                        )));
                    }
                    let t = if l.name.len() == width {
                        Task::Node(l.cid, Role::Shard(dir.clone()))
                    } else {
                        let p = entry_path(&dir, &l.name[width..], c)?;
                        Task::Node(l.cid, Role::Entry(p))
                    };
                    self.push(t)?;
                }
                Ok(())
            }
            dag::T_SYMLINK => Err(Error::protocol(format!(
                "block {c} is a UnixFS symlink; symlinks are not written (they could point \
                 outside the destination)"
            ))),
            dag::T_METADATA => Err(Error::protocol(format!(
                "block {c} is a UnixFS metadata node, which is not supported"
            ))),
            other => Err(Error::protocol(format!(
                "block {c} has unknown UnixFS type {other}"
            ))),
        }
    }

    /// Gives up the walk before it wrote anything and returns its destination.
    pub(crate) fn take_sink(mut self) -> Sink {
        std::mem::replace(&mut self.sink, Sink::memory())
    }

    /// Finishes a complete walk: the content moves to its destination.
    pub(crate) fn commit(mut self) -> Result<(WalkStats, Sink)> {
        if let Some(c) = self.next_needed()? {
            return Err(integrity(format!(
                "block {c} is missing: the gateway's answer ended without it"
            )));
        }
        self.sink.commit()?;
        self.stats.is_dir = matches!(
            self.sink,
            Sink::Disk {
                is_dir: Some(true),
                ..
            }
        );
        let stats = self.stats.clone();
        let sink = std::mem::replace(&mut self.sink, Sink::memory());
        Ok((stats, sink))
    }
}

impl Drop for Walker {
    fn drop(&mut self) {
        // An unfinished or failed walk leaves nothing at the destination.
        self.sink.discard();
    }
}
