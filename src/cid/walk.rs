//! `ipfs add` / `ipfs add -r` of paths on disk, and the directory walking
//! policy shared with the uploader.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

use super::dir::{self, DirBuilder};
use super::file::{leaf_link, Link};
use super::{CidError, FileBuilder, ImportOptions, Node, Profile};

/// Size of the read buffer (rounded to a whole number of chunks).
const READ_BUF: usize = 1 << 20;

/// What a [`WalkEntry`] is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WalkKind {
    /// A regular file (or a symlink to one inside the root) of `size` bytes
    /// at walk time.
    File {
        /// Length in bytes when walked.
        size: u64,
    },
    /// A directory (possibly empty, possibly reached through a symlink).
    Dir,
}

/// One entry of [`walk_dir`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkEntry {
    /// Path relative to the walked root, components joined by `/`.
    pub rel_path: String,
    /// Absolute path to read (for entries reached through a symlink, the
    /// resolved target).
    pub abs_path: PathBuf,
    /// File or directory.
    pub kind: WalkKind,
}

fn special_file_error(path: &Path, ft: &fs::FileType) -> CidError {
    #[cfg(unix)]
    let what = {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            "a FIFO"
        } else if ft.is_socket() {
            "a socket"
        } else if ft.is_block_device() || ft.is_char_device() {
            "a device"
        } else {
            "not a regular file or directory"
        }
    };
    #[cfg(not(unix))]
    let what = {
        let _ = ft;
        "not a regular file or directory"
    };
    CidError::io_msg(
        path,
        ErrorKind::InvalidInput,
        format!("refusing to add {what}: only regular files and directories are supported"),
    )
}

fn utf8_name(path: &Path, name: std::ffi::OsString) -> Result<String, CidError> {
    name.into_string().map_err(|n| {
        CidError::InvalidPath(format!(
            "{}: file name {:?} is not valid UTF-8",
            path.display(),
            n
        ))
    })
}

/// Walks the directory `root` and returns every entry below it (not the root
/// itself) in deterministic order: depth-first, pre-order (a directory comes
/// before its contents), entries of each directory sorted bytewise by name.
///
/// Policy (shared by [`cid_of_path`] and the uploader):
/// * hidden files and empty directories are included;
/// * a symlink is followed only if its target resolves inside `root` (a
///   symlink to a directory is followed likewise); a symlink pointing outside
///   the root, a dangling symlink, or a loop is a [`CidError::Io`] naming the
///   path;
/// * FIFOs, sockets and devices are an error (they are never opened);
/// * non-UTF-8 names are a [`CidError::InvalidPath`].
pub fn walk_dir(root: &Path) -> Result<Vec<WalkEntry>, CidError> {
    let meta = fs::metadata(root).map_err(|e| CidError::io(root, e))?;
    if !meta.is_dir() {
        return Err(CidError::io_msg(
            root,
            ErrorKind::InvalidInput,
            "not a directory".into(),
        ));
    }
    let canon = fs::canonicalize(root).map_err(|e| CidError::io(root, e))?;
    let mut out = Vec::new();
    let mut ancestors = vec![canon.clone()];
    walk_rec(&canon, &canon, "", &mut ancestors, &mut out)?;
    Ok(out)
}

fn walk_rec(
    root: &Path,
    dir: &Path,
    prefix: &str,
    ancestors: &mut Vec<PathBuf>,
    out: &mut Vec<WalkEntry>,
) -> Result<(), CidError> {
    let rd = fs::read_dir(dir).map_err(|e| CidError::io(dir, e))?;
    let mut entries = Vec::new();
    for e in rd {
        let e = e.map_err(|err| CidError::io(dir, err))?;
        let path = e.path();
        let name = utf8_name(&path, e.file_name())?;
        let ft = e.file_type().map_err(|err| CidError::io(&path, err))?;
        entries.push((name, path, ft));
    }
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    for (name, path, ft) in entries {
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        if ft.is_symlink() {
            let target = resolve_symlink(root, &path)?;
            let meta = fs::metadata(&target).map_err(|e| CidError::io(&path, e))?;
            if meta.is_dir() {
                if ancestors.contains(&target) {
                    return Err(CidError::io_msg(
                        &path,
                        ErrorKind::InvalidInput,
                        format!(
                            "symlink loop: points to its own ancestor {}",
                            target.display()
                        ),
                    ));
                }
                out.push(WalkEntry {
                    rel_path: rel.clone(),
                    abs_path: target.clone(),
                    kind: WalkKind::Dir,
                });
                ancestors.push(target.clone());
                walk_rec(root, &target, &rel, ancestors, out)?;
                ancestors.pop();
            } else if meta.is_file() {
                out.push(WalkEntry {
                    rel_path: rel,
                    abs_path: target,
                    kind: WalkKind::File { size: meta.len() },
                });
            } else {
                return Err(special_file_error(&path, &meta.file_type()));
            }
        } else if ft.is_dir() {
            out.push(WalkEntry {
                rel_path: rel.clone(),
                abs_path: path.clone(),
                kind: WalkKind::Dir,
            });
            ancestors.push(path.clone());
            walk_rec(root, &path, &rel, ancestors, out)?;
            ancestors.pop();
        } else if ft.is_file() {
            let meta = fs::symlink_metadata(&path).map_err(|e| CidError::io(&path, e))?;
            out.push(WalkEntry {
                rel_path: rel,
                abs_path: path,
                kind: WalkKind::File { size: meta.len() },
            });
        } else {
            return Err(special_file_error(&path, &ft));
        }
    }
    Ok(())
}

fn resolve_symlink(root: &Path, link: &Path) -> Result<PathBuf, CidError> {
    let target = fs::canonicalize(link).map_err(|e| {
        let msg = if e.kind() == ErrorKind::NotFound {
            "dangling symlink (its target does not exist)".to_string()
        } else if is_loop_error(&e) {
            "symlink loop".to_string()
        } else {
            format!("cannot resolve symlink: {e}")
        };
        CidError::io_msg(link, e.kind(), msg)
    })?;
    if !target.starts_with(root) {
        return Err(CidError::io_msg(
            link,
            ErrorKind::PermissionDenied,
            format!(
                "symlink points outside the directory being added (to {})",
                target.display()
            ),
        ));
    }
    Ok(target)
}

fn is_loop_error(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// Opens `path` for reading only if it is a regular file. On Unix the open
/// uses `O_NONBLOCK` so that a FIFO swapped in after the walk cannot hang.
fn open_regular(path: &Path) -> Result<File, CidError> {
    let mut oo = fs::OpenOptions::new();
    oo.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        oo.custom_flags(libc::O_NONBLOCK);
    }
    let f = oo.open(path).map_err(|e| CidError::io(path, e))?;
    let meta = f.metadata().map_err(|e| CidError::io(path, e))?;
    if !meta.is_file() {
        return Err(special_file_error(path, &meta.file_type()));
    }
    Ok(f)
}

fn read_buf_len(chunk: usize) -> usize {
    if chunk >= READ_BUF {
        chunk
    } else {
        (READ_BUF / chunk) * chunk
    }
}

/// Reads until `buf` is full or EOF; returns the number of bytes read.
fn read_full(f: &mut File, buf: &mut [u8], path: &Path) -> Result<usize, CidError> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(CidError::io(path, e)),
        }
    }
    Ok(n)
}

/// Hashes one regular file, streaming, on the calling thread.
pub(crate) fn hash_file(path: &Path, opts: &ImportOptions) -> Result<Node, CidError> {
    let mut f = open_regular(path)?;
    let mut b = FileBuilder::with_options(*opts);
    let full = read_buf_len(b.options().chunk_size);
    // Small files get a small buffer (one extra byte to see EOF at once);
    // larger ones a whole number of chunks so that nothing is copied.
    let size = f.metadata().map(|m| m.len()).unwrap_or(u64::MAX);
    let len = if size < b.options().chunk_size as u64 {
        size as usize + 1
    } else {
        full
    };
    let mut buf = vec![0u8; len];
    loop {
        let n = read_full(&mut f, &mut buf, path)?;
        b.update(&buf[..n]);
        if n < buf.len() {
            break;
        }
    }
    Ok(b.finish())
}

/// Hashes one regular file with leaves spread over `threads` threads. The
/// result is identical to [`hash_file`]; memory stays bounded (a window of
/// read buffers plus the layout).
pub(crate) fn hash_file_parallel(
    path: &Path,
    opts: &ImportOptions,
    threads: usize,
) -> Result<Node, CidError> {
    let f = open_regular(path)?;
    let size = f.metadata().map_err(|e| CidError::io(path, e))?.len();
    let opts = opts.sanitized();
    let chunk = opts.chunk_size as u64;
    if threads <= 1 || size < 4 * chunk || !cfg!(unix) {
        drop(f);
        return hash_file(path, &opts);
    }
    let chunks_per_item = (read_buf_len(opts.chunk_size) / opts.chunk_size) as u64;
    let item_bytes = chunks_per_item * chunk;
    let items = size.div_ceil(item_bytes) as usize;
    let window = threads * 4;

    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let consumed = Mutex::new(0usize);
    let cv = Condvar::new();
    let (tx, rx) = mpsc::channel::<(usize, Result<Vec<Link>, CidError>)>();
    let mut builder = FileBuilder::with_options(opts);

    let result: Result<(), CidError> = std::thread::scope(|s| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (f, next, stop, consumed, cv) = (&f, &next, &stop, &consumed, &cv);
            s.spawn(move || {
                let mut buf = vec![0u8; item_bytes as usize];
                loop {
                    let item = next.fetch_add(1, Ordering::Relaxed);
                    if item >= items {
                        break;
                    }
                    {
                        let mut c = consumed.lock().unwrap_or_else(|p| p.into_inner());
                        while item >= *c + window && !stop.load(Ordering::Relaxed) {
                            c = cv.wait(c).unwrap_or_else(|p| p.into_inner());
                        }
                    }
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let off = item as u64 * item_bytes;
                    let len = (size - off).min(item_bytes) as usize;
                    let r = read_at(f, &mut buf[..len], off)
                        .map_err(|e| CidError::io(path, e))
                        .map(|()| {
                            buf[..len]
                                .chunks(opts.chunk_size)
                                .map(|c| leaf_link(&opts, c))
                                .collect::<Vec<_>>()
                        });
                    let failed = r.is_err();
                    if tx.send((item, r)).is_err() || failed {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, Vec<Link>> = BTreeMap::new();
        let mut want = 0usize;
        let mut outcome = Ok(());
        for (item, r) in rx.iter() {
            match r {
                Ok(links) => {
                    pending.insert(item, links);
                }
                Err(e) => {
                    outcome = Err(e);
                    break;
                }
            }
            while let Some(links) = pending.remove(&want) {
                for l in links {
                    builder.push_leaf(l);
                }
                want += 1;
                let mut c = consumed.lock().unwrap_or_else(|p| p.into_inner());
                *c = want;
                cv.notify_all();
            }
        }
        if outcome.is_ok() && want != items {
            outcome = Err(CidError::io_msg(
                path,
                ErrorKind::Other,
                "a hashing thread stopped early".into(),
            ));
        }
        stop.store(true, Ordering::Relaxed);
        {
            let _c = consumed.lock().unwrap_or_else(|p| p.into_inner());
            cv.notify_all();
        }
        outcome
    });
    result?;
    let now = f.metadata().map_err(|e| CidError::io(path, e))?.len();
    if now != size {
        return Err(CidError::io_msg(
            path,
            ErrorKind::Other,
            format!("file changed size while hashing ({size} -> {now} bytes)"),
        ));
    }
    Ok(builder.finish())
}

#[cfg(unix)]
fn read_at(f: &File, buf: &mut [u8], off: u64) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt;
    f.read_exact_at(buf, off)
}

#[cfg(not(unix))]
fn read_at(_f: &File, _buf: &mut [u8], _off: u64) -> std::io::Result<()> {
    Err(std::io::Error::new(
        ErrorKind::Unsupported,
        "positional reads unsupported",
    ))
}

fn hash_any(path: &Path, opts: &ImportOptions, threads: usize) -> Result<Node, CidError> {
    if threads > 1 {
        hash_file_parallel(path, opts, threads)
    } else {
        hash_file(path, opts)
    }
}

/// The name kubo gives `path` when wrapping it in a directory (`-w`).
fn wrap_name(path: &Path) -> Result<String, CidError> {
    let name = match path.file_name() {
        Some(n) => n.to_os_string(),
        None => {
            let canon = fs::canonicalize(path).map_err(|e| CidError::io(path, e))?;
            canon.file_name().map(|n| n.to_os_string()).ok_or_else(|| {
                CidError::InvalidPath(format!("{}: has no name to wrap", path.display()))
            })?
        }
    };
    utf8_name(path, name)
}

fn add_path(
    path: &Path,
    opts: &ImportOptions,
    wrap: bool,
    threads: usize,
) -> Result<Node, CidError> {
    let meta = fs::metadata(path).map_err(|e| CidError::io(path, e))?;
    let node = if meta.is_file() {
        hash_any(path, opts, threads)?
    } else if meta.is_dir() {
        let mut d = DirBuilder::with_options(*opts);
        for e in walk_dir(path)? {
            match e.kind {
                WalkKind::Dir => d.add_dir(&e.rel_path)?,
                WalkKind::File { size } => {
                    let n = hash_any(&e.abs_path, opts, threads)?;
                    if n.file_size != size {
                        return Err(CidError::io_msg(
                            &e.abs_path,
                            ErrorKind::Other,
                            format!(
                                "file changed size while hashing ({size} -> {} bytes)",
                                n.file_size
                            ),
                        ));
                    }
                    d.add_file(&e.rel_path, n)?;
                }
            }
        }
        d.finish()
    } else {
        return Err(special_file_error(path, &meta.file_type()));
    };
    if wrap {
        Ok(dir::wrap(&wrap_name(path)?, node, &opts.sanitized()))
    } else {
        Ok(node)
    }
}

/// `ipfs add` (file) / `ipfs add -r` (directory) of `path`, with `-w` when
/// `wrap_with_directory`. Directories follow the [`walk_dir`] policy. Single
/// threaded and streaming (one 1 MiB read buffer).
pub fn cid_of_path(
    path: &Path,
    profile: Profile,
    wrap_with_directory: bool,
) -> Result<Node, CidError> {
    add_path(path, &profile.options(), wrap_with_directory, 1)
}

/// Like [`cid_of_path`], hashing the leaves of large files on `threads`
/// threads (0 = all available cores). Results are identical.
pub fn cid_of_path_parallel(
    path: &Path,
    profile: Profile,
    wrap_with_directory: bool,
    threads: usize,
) -> Result<Node, CidError> {
    cid_of_path_with(path, profile.options(), wrap_with_directory, threads)
}

/// Like [`cid_of_path_parallel`] with explicit [`ImportOptions`].
pub fn cid_of_path_with(
    path: &Path,
    opts: ImportOptions,
    wrap_with_directory: bool,
    threads: usize,
) -> Result<Node, CidError> {
    let threads = if threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        threads
    };
    add_path(path, &opts.sanitized(), wrap_with_directory, threads)
}
