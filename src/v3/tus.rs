//! Resumable uploads (TUS 1.0.0) on `{upload host}/v3/files`, with an on-disk journal
//! that lets a later process resume an upload after a crash, a kill or a reboot.
//!
//! The protocol (`reference/pinata-api.md` §6.2): `POST` creates the upload (its URL comes
//! back in `Location`, relative or absolute), `PATCH` sends chunks from `Upload-Offset`,
//! `HEAD` asks the server's offset after any failure and before resuming, `DELETE`
//! abandons. The last `PATCH` answers 204 with `Upload-Cid`; the file row is then read
//! with `GET /v3/files/{network}?cid=`.
//!
//! The journal is one small JSON file per upload in a directory the caller chooses
//! (default `$XDG_CACHE_HOME/libpinata/tus`, else `~/.cache/libpinata/tus`). It records the
//! upload URL, the file's identity (path, size, mtime, inode, a hash of its first and last
//! MiB), the options and the last offset the server confirmed. It is replaced atomically
//! (temporary file, fsync, rename) and removed when the upload succeeds or is abandoned.

use crate::cid::{Profile, Verification, Verifier};
use crate::client::Client;
use crate::error::{Error, Result, Status};
use crate::legacy::pinning::CidCheck;
use crate::transport::{Body, CancelToken, Hooks, Method, ProgressFn, Request, Response};
use crate::v3::files::FileRow;
use crate::v3::Network;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Default chunk size. Memory does not grow with it (chunks stream from disk); a larger
/// chunk saves round trips, a smaller one bounds what a crash makes the client send again.
pub const DEFAULT_CHUNK_SIZE: u64 = 16 * 1024 * 1024;
/// Smallest chunk accepted.
pub const MIN_CHUNK_SIZE: u64 = 64 * 1024;
/// Above this size the v3 upload call chooses TUS (Pinata's SDK uses the same, 90 MiB).
pub const DEFAULT_TUS_THRESHOLD: u64 = 90 * 1024 * 1024;
/// The part of the file hashed at each end for its identity.
const IDENTITY_SPAN: u64 = 1024 * 1024;
/// Journal files larger than this are not journals.
const MAX_JOURNAL_BYTES: u64 = 64 * 1024;
const JOURNAL_VERSION: u32 = 1;

/// Options of a resumable upload.
#[derive(Clone, Debug)]
pub struct TusOptions {
    /// The file's name on Pinata (default: the file name).
    pub name: Option<String>,
    /// Its MIME type (default: empty, the server decides).
    pub mime_type: Option<String>,
    /// The network (default [`Network::Private`], as the multipart upload's default).
    pub network: Network,
    /// A v3 group to put the file in.
    pub group_id: Option<String>,
    /// Key-values (at most 10).
    pub keyvalues: BTreeMap<String, String>,
    /// 0 or 1 (default 1).
    pub cid_version: u8,
    /// Bytes per `PATCH` (default [`DEFAULT_CHUNK_SIZE`]).
    pub chunk_size: u64,
    /// Where journals live (default under the user's cache directory).
    pub journal_dir: Option<PathBuf>,
    /// Check the returned CID against the bytes (default on).
    pub verify_cid: bool,
    /// The TUS endpoint (default `{client upload URL}/v3/files`).
    pub endpoint: Option<String>,
    /// Read the file row from the API host after the upload (default on; off for a
    /// plain TUS server, which has no Files API).
    pub fetch_file_row: bool,
}

impl Default for TusOptions {
    fn default() -> Self {
        TusOptions {
            name: None,
            mime_type: None,
            network: Network::Private,
            group_id: None,
            keyvalues: BTreeMap::new(),
            cid_version: 1,
            chunk_size: DEFAULT_CHUNK_SIZE,
            journal_dir: None,
            verify_cid: true,
            endpoint: None,
            fetch_file_row: true,
        }
    }
}

/// What a resumable upload did.
#[derive(Clone, Debug)]
pub struct TusResult {
    /// The CID the server reported (`Upload-Cid`).
    pub cid: String,
    /// The file row (`data.files[0]` of `GET /v3/files/{network}?cid=`), as the
    /// multipart upload returns it; `None` when [`TusOptions::fetch_file_row`] is off.
    pub file: Option<FileRow>,
    /// The offset the upload resumed from (0 for a fresh upload).
    pub resumed_from: u64,
    /// Whether a journal's upload was resumed (its server offset may be 0); false for a
    /// fresh upload or a restart.
    pub resumed: bool,
    /// Why a journal was found but the upload started over (file changed, upload
    /// expired or forgotten by the server, corrupt journal), if it did.
    pub restarted: Option<String>,
    /// The CID computed locally, when verification was on.
    pub local_cid: Option<String>,
    /// The check's outcome (a mismatch is an error, `PINATA_E_INTEGRITY`).
    pub check: CidCheck,
    /// Bytes sent by this call (chunks sent again after a failure included).
    pub bytes_sent: u64,
}

/// A journal found in a journal directory.
#[derive(Clone, Debug)]
pub struct PendingUpload {
    /// The journal file.
    pub journal: PathBuf,
    /// The file being uploaded.
    pub path: PathBuf,
    /// Its size.
    pub size: u64,
    /// The last offset the server confirmed.
    pub offset: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
struct Identity {
    path: PathBuf,
    size: u64,
    mtime_ns: i128,
    inode: u64,
    head_sha256: String,
    tail_sha256: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
struct JournalOptions {
    endpoint: String,
    name: String,
    mime_type: String,
    network: String,
    group_id: Option<String>,
    keyvalues: BTreeMap<String, String>,
    cid_version: u8,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Journal {
    version: u32,
    upload_url: String,
    identity: Identity,
    options: JournalOptions,
    offset: u64,
}

fn io_err(path: &Path, e: std::io::Error) -> Error {
    Error::io(path, &e)
}

/// The default journal directory.
pub fn default_journal_dir() -> Result<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })
        .ok_or_else(|| {
            Error::invalid_argument(
                "`journal_dir`: no cache directory (neither XDG_CACHE_HOME nor HOME is set)",
            )
        })?;
    Ok(base.join("libpinata").join("tus"))
}

/// The journal directory to use: the caller's must exist; the default is created.
fn journal_dir(opts: &TusOptions) -> Result<PathBuf> {
    match &opts.journal_dir {
        Some(d) => {
            let meta = std::fs::metadata(d).map_err(|e| io_err(d, e))?;
            if !meta.is_dir() {
                return Err(Error::new(
                    Status::Io,
                    format!("journal directory {} is not a directory", d.display()),
                ));
            }
            check_writable(d)?;
            Ok(d.clone())
        }
        None => {
            let d = default_journal_dir()?;
            std::fs::create_dir_all(&d).map_err(|e| io_err(&d, e))?;
            check_writable(&d)?;
            Ok(d)
        }
    }
}

/// Fails before anything is sent when no journal can be written in `dir`.
fn check_writable(dir: &Path) -> Result<()> {
    let probe = dir.join(format!(".probe-{}.tmp", std::process::id()));
    File::create(&probe).map_err(|e| {
        Error::new(
            Status::Io,
            format!("journal directory {} is not writable: {e}", dir.display()),
        )
    })?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

fn sha256_range(file: &mut File, start: u64, len: u64, path: &Path) -> Result<String> {
    file.seek(SeekFrom::Start(start))
        .map_err(|e| io_err(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut left = len;
    while left > 0 {
        let want = buf.len().min(left as usize);
        let n = file.read(&mut buf[..want]).map_err(|e| io_err(path, e))?;
        if n == 0 {
            return Err(Error::new(
                Status::Io,
                format!("{} became shorter while it was read", path.display()),
            ));
        }
        hasher.update(&buf[..n]);
        left -= n as u64;
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn identity(path: &Path) -> Result<Identity> {
    use std::os::unix::fs::MetadataExt;
    let canonical = std::fs::canonicalize(path).map_err(|e| io_err(path, e))?;
    let mut file = File::open(&canonical).map_err(|e| io_err(path, e))?;
    let meta = file.metadata().map_err(|e| io_err(path, e))?;
    if !meta.is_file() {
        return Err(Error::invalid_argument(format!(
            "`path`: {} is not a regular file (TUS uploads one file)",
            path.display()
        )));
    }
    let size = meta.len();
    let head = sha256_range(&mut file, 0, size.min(IDENTITY_SPAN), path)?;
    let tail_start = size.saturating_sub(IDENTITY_SPAN);
    let tail = sha256_range(&mut file, tail_start, size - tail_start, path)?;
    Ok(Identity {
        path: canonical,
        size,
        mtime_ns: meta.mtime() as i128 * 1_000_000_000 + meta.mtime_nsec() as i128,
        inode: meta.ino(),
        head_sha256: head,
        tail_sha256: tail,
    })
}

/// The journal file of an upload: one per file and destination.
fn journal_path(dir: &Path, id: &Identity, o: &JournalOptions) -> PathBuf {
    let mut h = Sha256::new();
    h.update(id.path.as_os_str().as_encoded_bytes());
    h.update([0]);
    h.update(o.endpoint.as_bytes());
    h.update([0]);
    h.update(o.network.as_bytes());
    dir.join(format!("{}.tus.json", &hex(&h.finalize())[..32]))
}

/// An advisory lock (`flock`) on a journal entry, held while its upload runs so that a
/// second upload of the same file to the same place, in this process or another one,
/// fails at once instead of racing on the journal and the server's upload. The lock file
/// (`<journal>.lock`, never listed as a journal) is removed when the lock is released.
struct JournalLock {
    /// Holds the lock: closing it releases it.
    _file: File,
    path: PathBuf,
}

impl JournalLock {
    fn acquire(journal: &Path) -> Result<JournalLock> {
        use std::os::unix::fs::MetadataExt;
        use std::os::unix::io::AsRawFd;
        let path = journal.with_extension("json.lock");
        loop {
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| io_err(&path, e))?;
            // SAFETY: a valid descriptor owned by `file`; flock touches nothing else.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
                let e = std::io::Error::last_os_error();
                if e.kind() == std::io::ErrorKind::WouldBlock {
                    return Err(Error::new(
                        Status::Io,
                        "an upload of this file is already running (its journal is locked)",
                    ));
                }
                return Err(io_err(&path, e));
            }
            // The holder before us may have removed the file after we opened it: then
            // our lock is on a file nobody else sees, and we must lock the new one.
            let held = file.metadata().map_err(|e| io_err(&path, e))?;
            match std::fs::metadata(&path) {
                Ok(now) if now.ino() == held.ino() && now.dev() == held.dev() => {
                    return Ok(JournalLock { _file: file, path })
                }
                _ => continue,
            }
        }
    }
}

impl Drop for JournalLock {
    fn drop(&mut self) {
        // Removed while still locked, so that no one locks a file about to vanish.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Writes the journal atomically: a temporary file, fsync, rename, fsync of the directory.
fn write_journal(path: &Path, j: &Journal) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let text = serde_json::to_vec_pretty(j).expect("a journal always serializes");
    let mut f = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(|e| io_err(&tmp, e))?
    };
    f.write_all(&text)
        .and_then(|_| f.sync_all())
        .map_err(|e| io_err(&tmp, e))?;
    drop(f);
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io_err(path, e)
    })?;
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Reads a journal; `Ok(None)` when there is none, `Err(reason)` when it is unusable.
fn read_journal(path: &Path) -> std::result::Result<Option<Journal>, String> {
    let mut f = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("the journal could not be read ({e})")),
    };
    let mut text = Vec::new();
    (&mut f)
        .take(MAX_JOURNAL_BYTES + 1)
        .read_to_end(&mut text)
        .map_err(|e| format!("the journal could not be read ({e})"))?;
    if text.len() as u64 > MAX_JOURNAL_BYTES {
        return Err("the journal is too large to be one".into());
    }
    let j: Journal =
        serde_json::from_slice(&text).map_err(|e| format!("the journal is corrupt ({e})"))?;
    if j.version != JOURNAL_VERSION {
        return Err(format!("the journal has unknown version {}", j.version));
    }
    Ok(Some(j))
}

fn remove_journal(path: &Path) {
    let _ = std::fs::remove_file(path);
}

/// Standard base64 (TUS metadata values).
fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn check_options(o: &TusOptions) -> Result<()> {
    if o.cid_version > 1 {
        return Err(Error::invalid_argument("`cid_version` must be 0 or 1"));
    }
    if o.chunk_size < MIN_CHUNK_SIZE {
        return Err(Error::invalid_argument(format!(
            "`chunk_size` must be at least {MIN_CHUNK_SIZE} bytes"
        )));
    }
    if o.keyvalues.len() > 10 {
        return Err(Error::invalid_argument("at most 10 `keyvalues`"));
    }
    Ok(())
}

/// The origin (`scheme://host:port`) of a URL; `None` without a host (libcurl reads
/// `scheme:///x` as the host `x`, so an empty authority proves nothing).
fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest
        .split(['/', '?', '#'])
        .next()
        .filter(|a| !a.is_empty())?;
    // Host names compare without case; an IPv6 zone (`[fe80::1%25eth0]`, or with a bare
    // `%` as libcurl also reads it) names an interface, whose name has case.
    let (host, zone) = match (authority.find('%'), authority.find(']')) {
        (Some(z), Some(end)) if authority.starts_with('[') && z < end => {
            (&authority[..z], &authority[z..end])
        }
        _ => (authority, ""),
    };
    let after_zone = &authority[host.len() + zone.len()..];
    Some(format!(
        "{}://{}{zone}{}",
        scheme.to_ascii_lowercase(),
        host.to_ascii_lowercase(),
        after_zone.to_ascii_lowercase()
    ))
}

/// Resolves a `Location` against the endpoint; it must stay on the endpoint's origin, so
/// that the credentials never travel to a host the caller did not name.
pub(crate) fn resolve_location(endpoint: &str, location: &str) -> Result<String> {
    let location = location.trim();
    let base_origin = origin(endpoint).unwrap_or_default();
    let url = if location.contains("://") {
        location.to_string()
    } else if location.starts_with('/') {
        format!("{base_origin}{location}")
    } else {
        // Relative to the endpoint's last path segment; an endpoint without a path is
        // its origin.
        let has_path = endpoint
            .split_once("://")
            .is_some_and(|(_, rest)| rest.contains('/'));
        let dir = if has_path {
            endpoint.rsplit_once('/').map_or(endpoint, |(d, _)| d)
        } else {
            endpoint
        };
        format!("{dir}/{location}")
    };
    if origin(&url).as_deref() != Some(base_origin.as_str()) {
        return Err(Error::protocol(
            "the server's upload URL (Location) is on another host than the upload endpoint",
        ));
    }
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) || url.len() > 4096 {
        return Err(Error::protocol(
            "the server's upload URL (Location) is malformed",
        ));
    }
    Ok(url)
}

fn header_u64(resp: &Response, name: &str) -> Result<u64> {
    resp.header(name)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .ok_or_else(|| {
            Error::protocol(format!("the TUS answer has no valid {name} header")).with_http(
                resp.status,
                None,
                None,
                None,
            )
        })
}

/// A resumable upload in progress.
struct Session<'a> {
    client: &'a Client,
    path: PathBuf,
    identity: Identity,
    jopts: JournalOptions,
    journal_path: PathBuf,
    upload_url: String,
    chunk_size: u64,
    bytes_sent: Arc<Mutex<u64>>,
    /// The caller's cancel flags, given to every request.
    cancel: Vec<CancelToken>,
}

const TUS_HEADER: &str = "Tus-Resumable: 1.0.0";

impl Session<'_> {
    fn journal(&self, offset: u64) -> Journal {
        Journal {
            version: JOURNAL_VERSION,
            upload_url: self.upload_url.clone(),
            identity: self.identity.clone(),
            options: self.jopts.clone(),
            offset,
        }
    }

    /// Sleeps `delay`, waking every few milliseconds to look at the cancel flags (the
    /// caller's and the client's); `PINATA_E_CANCELLED` when one is raised.
    fn sleep_unless_cancelled(&self, delay: Duration) -> Result<()> {
        let cancelled = || {
            self.cancel.iter().any(CancelToken::is_cancelled)
                || self
                    .client
                    .cancel_token()
                    .is_some_and(CancelToken::is_cancelled)
        };
        let end = std::time::Instant::now() + delay;
        loop {
            if cancelled() {
                return Err(Error::new(
                    Status::Cancelled,
                    "the upload was cancelled while waiting to retry a chunk",
                ));
            }
            let now = std::time::Instant::now();
            if now >= end {
                return Ok(());
            }
            std::thread::sleep((end - now).min(Duration::from_millis(20)));
        }
    }

    fn send(&self, req: Request, extra: &[String], hooks: &mut Hooks) -> Result<Response> {
        hooks.cancel.extend(self.cancel.iter().cloned());
        self.client.send_to_url(req, extra, hooks)
    }

    fn metadata(&self) -> String {
        let o = &self.jopts;
        let mut pairs = vec![
            format!("filename {}", base64(o.name.as_bytes())),
            format!("filetype {}", base64(o.mime_type.as_bytes())),
            format!("network {}", base64(o.network.as_bytes())),
        ];
        if let Some(g) = &o.group_id {
            pairs.push(format!("group_id {}", base64(g.as_bytes())));
        }
        if !o.keyvalues.is_empty() {
            let kv = serde_json::to_string(&o.keyvalues).expect("strings serialize");
            pairs.push(format!("keyvalues {}", base64(kv.as_bytes())));
        }
        pairs.push(format!(
            "cid_version {}",
            base64(format!("v{}", o.cid_version).as_bytes())
        ));
        pairs.join(",")
    }

    /// `POST` to the endpoint; the upload URL is the answer's `Location`.
    fn create(&mut self, hooks: &mut Hooks) -> Result<()> {
        let mut req = Request::bodyless(Method::Post, self.jopts.endpoint.clone());
        req.idempotent = false;
        let extra = vec![
            TUS_HEADER.to_string(),
            format!("Upload-Length: {}", self.identity.size),
            format!("Upload-Metadata: {}", self.metadata()),
            "Content-Length: 0".to_string(),
        ];
        let resp = self.send(req, &extra, hooks)?;
        let location = resp.header("location").ok_or_else(|| {
            Error::protocol("the TUS create answer has no Location header").with_http(
                resp.status,
                None,
                None,
                None,
            )
        })?;
        self.upload_url = resolve_location(&self.jopts.endpoint, location)?;
        write_journal(&self.journal_path, &self.journal(0))
    }

    /// `HEAD`: the server's offset, and its CID when the upload is complete.
    fn head(&self, hooks: &mut Hooks) -> Result<(u64, Option<String>)> {
        let req = Request::bodyless(Method::Head, self.upload_url.clone());
        let resp = self.send(req, &[TUS_HEADER.to_string()], hooks)?;
        let offset = header_u64(&resp, "upload-offset")?;
        Ok((offset, resp.header("upload-cid").map(str::to_string)))
    }

    /// One `PATCH` of `[offset, offset + len)`, streamed from disk and fed to `trial`
    /// (reset from `base` at each attempt). Returns the server's new offset and CID.
    fn patch(
        &self,
        offset: u64,
        len: u64,
        base: Option<&Verifier>,
        trial: &Arc<Mutex<Option<Verifier>>>,
        hooks: &mut Hooks,
    ) -> Result<(u64, Option<String>)> {
        let path = self.path.clone();
        let size = self.identity.size;
        let base = base.cloned();
        let trial2 = trial.clone();
        let sent = self.bytes_sent.clone();
        let source = Box::new(move || -> Result<Box<dyn Read + Send>> {
            *trial2.lock().unwrap_or_else(|p| p.into_inner()) = base.clone();
            let mut f = File::open(&path).map_err(|e| io_err(&path, e))?;
            let now = f.metadata().map_err(|e| io_err(&path, e))?.len();
            if now != size {
                return Err(Error::new(
                    Status::Io,
                    format!("{} changed size during the upload", path.display()),
                ));
            }
            f.seek(SeekFrom::Start(offset))
                .map_err(|e| io_err(&path, e))?;
            Ok(Box::new(Tee {
                inner: f.take(len),
                left: len,
                trial: trial2.clone(),
                sent: sent.clone(),
            }))
        });
        let req = Request {
            method: Method::Patch,
            path: self.upload_url.clone().into(),
            body: Body::Stream {
                len,
                content_type: "application/offset+octet-stream".into(),
                source,
                append: true,
            },
            transfer: true,
            idempotent: false,
        };
        let extra = vec![TUS_HEADER.to_string(), format!("Upload-Offset: {offset}")];
        let resp = self.send(req, &extra, hooks)?;
        let new_offset = header_u64(&resp, "upload-offset")?;
        Ok((new_offset, resp.header("upload-cid").map(str::to_string)))
    }
}

/// The upload body: file bytes, also fed to the CID verifier and counted.
struct Tee {
    inner: std::io::Take<File>,
    left: u64,
    trial: Arc<Mutex<Option<Verifier>>>,
    sent: Arc<Mutex<u64>>,
}

impl Read for Tee {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && self.left > 0 {
            // The file became shorter: never send bytes of another file.
            return Err(std::io::Error::other(Error::new(
                Status::Io,
                "the file became shorter during the upload",
            )));
        }
        self.left -= n as u64;
        if let Some(v) = self
            .trial
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_mut()
        {
            v.update(&buf[..n]);
        }
        *self.sent.lock().unwrap_or_else(|p| p.into_inner()) += n as u64;
        Ok(n)
    }
}

fn profile(cid_version: u8) -> Profile {
    if cid_version == 0 {
        Profile::V0
    } else {
        Profile::V1
    }
}

/// Feeds `[from, to)` of the file to the verifier, in constant memory.
fn feed_from_disk(v: &mut Verifier, path: &Path, from: u64, to: u64) -> Result<()> {
    let mut f = File::open(path).map_err(|e| io_err(path, e))?;
    f.seek(SeekFrom::Start(from)).map_err(|e| io_err(path, e))?;
    let mut buf = vec![0u8; 1024 * 1024];
    let mut left = to - from;
    while left > 0 {
        let want = buf.len().min(left as usize);
        let n = f.read(&mut buf[..want]).map_err(|e| io_err(path, e))?;
        if n == 0 {
            return Err(Error::new(Status::Io, "the file became shorter"));
        }
        v.update(&buf[..n]);
        left -= n as u64;
    }
    Ok(())
}

fn is_gone(e: &Error) -> bool {
    matches!(e.http_status(), 404 | 410)
}

/// Whether a failed `PATCH` may be followed by a `HEAD` and another try.
fn resumable_failure(e: &Error) -> bool {
    matches!(
        e.status(),
        Status::Network | Status::Timeout | Status::Server | Status::RateLimited
    ) || matches!(e.http_status(), 409 | 423 | 408)
}

/// Uploads `path` with TUS, resuming from the journal when the same file was being
/// uploaded to the same place. `progress(sent, total)` counts from 0 and starts at the
/// resumed offset; returning `false` cancels (the journal stays, the next call resumes).
pub fn upload_resumable(
    client: &Client,
    path: &Path,
    opts: &TusOptions,
    progress: Option<ProgressFn>,
) -> Result<TusResult> {
    let mut hooks = Hooks {
        progress,
        cancel: Vec::new(),
    };
    upload_resumable_with(client, path, opts, &mut hooks)
}

/// [`upload_resumable`] with the transport's hooks: progress, and cancel flags (a
/// cancelled upload keeps its journal).
pub fn upload_resumable_with(
    client: &Client,
    path: &Path,
    opts: &TusOptions,
    call_hooks: &mut Hooks,
) -> Result<TusResult> {
    let progress = call_hooks.progress.take();
    check_options(opts)?;
    let dir = journal_dir(opts)?;
    let identity = identity(path)?;
    let endpoint = match &opts.endpoint {
        Some(e) => crate::client::normalize_base_url(e, client.config().allow_insecure_http)
            .map_err(|_| Error::invalid_argument("`endpoint` must be an http(s) URL"))?,
        None => format!("{}/v3/files", client.upload_url()),
    };
    let file_name = identity
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let jopts = JournalOptions {
        endpoint,
        name: opts.name.clone().unwrap_or(file_name),
        mime_type: opts.mime_type.clone().unwrap_or_default(),
        network: opts.network.as_str().to_string(),
        group_id: opts.group_id.clone(),
        keyvalues: opts.keyvalues.clone(),
        cid_version: opts.cid_version,
    };
    let jpath = journal_path(&dir, &identity, &jopts);
    let _lock = JournalLock::acquire(&jpath)?;
    let mut session = Session {
        client,
        path: identity.path.clone(),
        identity,
        jopts,
        journal_path: jpath,
        upload_url: String::new(),
        chunk_size: opts.chunk_size,
        bytes_sent: Arc::new(Mutex::new(0)),
        cancel: call_hooks.cancel.clone(),
    };
    let mut hooks = Hooks::default();
    let progress = Arc::new(Mutex::new(progress));

    // Resume what the journal describes, unless it no longer applies.
    let mut restarted: Option<String> = None;
    let mut resume: Option<(u64, Option<String>)> = None;
    match read_journal(&session.journal_path) {
        Ok(None) => {}
        Err(reason) => {
            remove_journal(&session.journal_path);
            restarted = Some(reason);
        }
        Ok(Some(j)) => {
            session.upload_url = j.upload_url.clone();
            if j.identity != session.identity {
                restarted = Some("the file changed since the upload began".into());
            } else if j.options != session.jopts {
                restarted = Some("the upload's options changed".into());
            } else if resolve_location(&session.jopts.endpoint, &j.upload_url).is_err() {
                restarted = Some("the journal's upload URL is not on the endpoint".into());
            } else {
                match session.head(&mut hooks) {
                    Ok((offset, _)) if offset > session.identity.size => {
                        remove_journal(&session.journal_path);
                        return Err(Error::protocol(format!(
                            "the server's offset {offset} is beyond the file's size {}; the journal was removed",
                            session.identity.size
                        )));
                    }
                    Ok(state) => resume = Some(state),
                    Err(e) if is_gone(&e) => {
                        restarted = Some(format!(
                            "the server no longer has the upload (HTTP {})",
                            e.http_status()
                        ))
                    }
                    Err(e) => return Err(e),
                }
            }
            if restarted.is_some() {
                // Never send bytes of a changed file into the old upload: drop it.
                if resolve_location(&session.jopts.endpoint, &j.upload_url).is_ok() {
                    let req = Request::bodyless(Method::Delete, j.upload_url.clone());
                    let _ = session.send(req, &[TUS_HEADER.to_string()], &mut Hooks::default());
                }
                remove_journal(&session.journal_path);
            }
        }
    }
    let resumed = resume.is_some();
    let (mut offset, mut cid) = match resume {
        Some(state) => state,
        None => {
            session.create(&mut hooks)?;
            (0, None)
        }
    };
    let resumed_from = offset;
    let size = session.identity.size;

    // The verifier covers [0, offset): rebuilt from disk on a resume.
    let mut verifier = if opts.verify_cid {
        let mut v = Verifier::with_profiles(profile(opts.cid_version), &[]);
        feed_from_disk(&mut v, &session.path, 0, offset)?;
        Some(v)
    } else {
        None
    };
    let trial: Arc<Mutex<Option<Verifier>>> = Arc::new(Mutex::new(None));
    let max_failures = client.config().max_retries;
    let mut failures = 0u32;
    while cid.is_none() {
        if offset > size {
            return Err(Error::protocol(
                "the server's offset is beyond the file's size",
            ));
        }
        // The file must still be the one the upload began with.
        let meta = std::fs::metadata(&session.path).map_err(|e| io_err(&session.path, e))?;
        if meta.len() != size {
            return Err(Error::new(
                Status::Io,
                format!("{} changed size during the upload", session.path.display()),
            ));
        }
        let len = session.chunk_size.min(size - offset);
        let p = progress.clone();
        let start = offset;
        let mut chunk_hooks = Hooks {
            progress: Some(Box::new(move |sent, _| {
                match p.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
                    Some(cb) => cb(start + sent, size),
                    None => true,
                }
            })),
            cancel: Vec::new(),
        };
        match session.patch(offset, len, verifier.as_ref(), &trial, &mut chunk_hooks) {
            Ok((new_offset, new_cid)) => {
                failures = 0;
                if new_offset == offset + len {
                    if verifier.is_some() {
                        verifier = trial.lock().unwrap_or_else(|p| p.into_inner()).take();
                    }
                } else if new_offset > size || new_offset < offset {
                    return Err(Error::protocol(format!(
                        "the server confirmed offset {new_offset} after a chunk of [{offset}, {})",
                        offset + len
                    )));
                } else if let Some(v) = verifier.as_mut() {
                    feed_from_disk(v, &session.path, offset, new_offset)?;
                }
                offset = new_offset;
                cid = new_cid.filter(|_| offset == size);
                write_journal(&session.journal_path, &session.journal(offset))?;
                if offset == size && cid.is_none() {
                    // The answer lost its CID: the server still has it.
                    let (o, c) = session.head(&mut hooks)?;
                    if o != size || c.is_none() {
                        return Err(Error::protocol(
                            "the upload is complete but the server reported no Upload-Cid",
                        ));
                    }
                    cid = c;
                }
            }
            Err(e) if e.status() == Status::Cancelled => return Err(e),
            Err(e) if is_gone(&e) => {
                remove_journal(&session.journal_path);
                return Err(e);
            }
            Err(e) if resumable_failure(&e) && failures < max_failures => {
                failures += 1;
                let cfg = client.config();
                let delay = cfg
                    .backoff_base
                    .saturating_mul(1u32 << failures.min(16))
                    .min(cfg.backoff_max);
                // The wait ends early when the caller cancels: a cancel must not wait
                // out the backoff (up to the client's maximum, 30 s by default). The
                // journal stays, so the next call resumes.
                session.sleep_unless_cancelled(delay)?;
                let (server_offset, server_cid) = session.head(&mut hooks)?;
                if server_offset > size {
                    return Err(Error::protocol(
                        "the server's offset is beyond the file's size",
                    ));
                }
                if let Some(v) = verifier.as_mut() {
                    if server_offset >= offset {
                        feed_from_disk(v, &session.path, offset, server_offset)?;
                    } else {
                        let mut fresh = Verifier::with_profiles(profile(opts.cid_version), &[]);
                        feed_from_disk(&mut fresh, &session.path, 0, server_offset)?;
                        *v = fresh;
                    }
                }
                offset = server_offset;
                cid = server_cid.filter(|_| offset == size);
                write_journal(&session.journal_path, &session.journal(offset))?;
            }
            Err(e) => return Err(e),
        }
    }
    let cid = cid.unwrap_or_default();
    let local_cid = verifier.as_ref().map(|v| v.local_cid().cid.to_string());
    let check = match verifier.as_ref().map(|v| v.verify(&cid)) {
        None => CidCheck::NotChecked,
        Some(Verification::Match) => CidCheck::Verified,
        Some(Verification::Unverifiable) => CidCheck::Unverifiable,
        Some(Verification::Mismatch { expected_local }) => {
            remove_journal(&session.journal_path);
            return Err(Error::new(
                Status::Integrity,
                format!("the server's CID {cid} does not match the bytes sent ({expected_local})"),
            ));
        }
    };
    let file = if opts.fetch_file_row {
        Some(fetch_row(client, &session.jopts.network, &cid)?)
    } else {
        None
    };
    remove_journal(&session.journal_path);
    let bytes_sent = *session.bytes_sent.lock().unwrap_or_else(|p| p.into_inner());
    Ok(TusResult {
        cid,
        file,
        resumed_from,
        resumed,
        restarted,
        local_cid,
        check,
        bytes_sent,
    })
}

/// `GET /v3/files/{network}?cid=`: the uploaded file's row.
fn fetch_row(client: &Client, network: &str, cid: &str) -> Result<FileRow> {
    if !cid.chars().all(|c| c.is_ascii_alphanumeric()) || cid.is_empty() {
        return Err(Error::protocol("the server's Upload-Cid is not a CID"));
    }
    let v = client.send_json(Request::get(format!("/v3/files/{network}?cid={cid}")))?;
    let row = v
        .pointer("/data/files/0")
        .cloned()
        .ok_or_else(|| Error::protocol(format!("no file row for the uploaded CID {cid}")))?;
    FileRow::from_json(row)
}

/// Abandons the upload of `path` the journal describes: `DELETE` on the server, then the
/// journal is removed. Returns whether there was one.
pub fn abandon(client: &Client, path: &Path, opts: &TusOptions) -> Result<bool> {
    check_options(opts)?;
    let dir = journal_dir(opts)?;
    let canonical = std::fs::canonicalize(path).map_err(|e| io_err(path, e))?;
    for p in pending(&dir)? {
        if p.path != canonical {
            continue;
        }
        // Not while the upload runs: its next chunk would recreate what we delete.
        let _lock = JournalLock::acquire(&p.journal)?;
        if let Ok(Some(j)) = read_journal(&p.journal) {
            if resolve_location(&j.options.endpoint, &j.upload_url).is_ok() {
                let req = Request::bodyless(Method::Delete, j.upload_url.clone());
                match client.send_to_url(req, &[TUS_HEADER.to_string()], &mut Hooks::default()) {
                    Ok(_) => {}
                    Err(e) if is_gone(&e) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        remove_journal(&p.journal);
        return Ok(true);
    }
    Ok(false)
}

/// The journals in `dir` (unreadable or corrupt ones are skipped).
pub fn pending(dir: &Path) -> Result<Vec<PendingUpload>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| io_err(dir, e))? {
        let entry = entry.map_err(|e| io_err(dir, e))?;
        let p = entry.path();
        if !p.to_string_lossy().ends_with(".tus.json") {
            continue;
        }
        if let Ok(Some(j)) = read_journal(&p) {
            out.push(PendingUpload {
                journal: p,
                path: j.identity.path,
                size: j.identity.size,
                offset: j.offset,
            });
        }
    }
    out.sort_by(|a, b| a.journal.cmp(&b.journal));
    Ok(out)
}

/// Which upload path [`Client::upload_file_choosing`] takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum UploadPath {
    /// TUS above [`UploadChoice::threshold`], multipart at or below it.
    #[default]
    Auto,
    /// Always the multipart `POST /v3/files`.
    Multipart,
    /// Always TUS (resumable, with a journal).
    Resumable,
}

/// How [`Client::upload_file_choosing`] chooses between multipart and TUS.
#[derive(Clone, Debug)]
pub struct UploadChoice {
    /// The path (default [`UploadPath::Auto`]).
    pub path: UploadPath,
    /// Files larger than this go through TUS on [`UploadPath::Auto`] (default
    /// [`DEFAULT_TUS_THRESHOLD`], 90 MiB, as Pinata's SDK).
    pub threshold: u64,
    /// The TUS settings (chunk size, journal directory, endpoint); the upload's own
    /// options (name, network, group, keyvalues, CID version, CID check) come from the
    /// [`UploadOptions`](crate::v3::upload::UploadOptions).
    pub resumable: TusOptions,
}

impl Default for UploadChoice {
    fn default() -> Self {
        UploadChoice {
            path: UploadPath::Auto,
            threshold: DEFAULT_TUS_THRESHOLD,
            resumable: TusOptions::default(),
        }
    }
}

/// What [`Client::upload_file_chosen`] did: the upload's result and the path it took.
#[derive(Clone, Debug)]
pub struct ChosenUpload {
    /// The file row, local CID and check, as the multipart upload returns them.
    pub result: crate::v3::upload::UploadResult,
    /// The path taken: [`UploadPath::Multipart`] or [`UploadPath::Resumable`].
    pub path: UploadPath,
    /// For TUS, the offset it resumed from (0 for a fresh upload, and for multipart).
    pub resumed_from: u64,
    /// For TUS, whether it resumed a journal's upload (false for multipart).
    pub resumed: bool,
    /// For TUS, why a journal was found but the upload started over, if it did.
    pub restarted: Option<String>,
}

impl Client {
    /// Uploads one file as [`Client::upload_file`] does, choosing the path: TUS (with a
    /// journal, so a later call resumes) for files above the threshold, multipart for the
    /// others, or the path the caller forces. CAR, streamable and expiring uploads have
    /// no TUS form here: `Auto` sends them as multipart, `Resumable` refuses them.
    pub fn upload_file_choosing(
        &self,
        path: &Path,
        options: &crate::v3::upload::UploadOptions,
        choice: &UploadChoice,
        hooks: &mut Hooks,
    ) -> Result<crate::v3::upload::UploadResult> {
        Ok(self
            .upload_file_chosen(path, options, choice, hooks)?
            .result)
    }

    /// [`Client::upload_file_choosing`], also telling which path ran and whether TUS
    /// resumed.
    pub fn upload_file_chosen(
        &self,
        path: &Path,
        options: &crate::v3::upload::UploadOptions,
        choice: &UploadChoice,
        hooks: &mut Hooks,
    ) -> Result<ChosenUpload> {
        let tus_capable = !options.car && !options.streamable && options.expires_at.is_none();
        let use_tus = match choice.path {
            UploadPath::Multipart => false,
            UploadPath::Resumable if !tus_capable => {
                return Err(Error::invalid_argument(
                    "CAR, streamable and expiring uploads cannot go through TUS",
                ))
            }
            UploadPath::Resumable => true,
            UploadPath::Auto => {
                // A directory or device goes to the multipart path, which refuses it.
                let meta = std::fs::metadata(path).map_err(|e| io_err(path, e))?;
                tus_capable && meta.is_file() && meta.len() > choice.threshold
            }
        };
        if !use_tus {
            return Ok(ChosenUpload {
                result: self.upload_file(path, options, hooks)?,
                path: UploadPath::Multipart,
                resumed_from: 0,
                resumed: false,
                restarted: None,
            });
        }
        let mut tus = choice.resumable.clone();
        tus.name.clone_from(&options.metadata.name);
        tus.network = options.network;
        tus.group_id.clone_from(&options.group_id);
        tus.cid_version = options.cid_version.unwrap_or(1);
        tus.verify_cid = options.verify_cid;
        tus.fetch_file_row = true;
        tus.keyvalues = options
            .metadata
            .keyvalues
            .iter()
            .map(|(k, v)| {
                let text = match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.clone(), text)
            })
            .collect();
        let r = upload_resumable_with(self, path, &tus, hooks)?;
        let file = r
            .file
            .ok_or_else(|| Error::new(Status::Internal, "the TUS upload read no file row"))?;
        Ok(ChosenUpload {
            result: crate::v3::upload::UploadResult {
                raw_json: serde_json::json!({ "data": file.raw }).to_string(),
                file,
                local_cid: r.local_cid,
                check: r.check,
            },
            path: UploadPath::Resumable,
            resumed_from: r.resumed_from,
            resumed: r.resumed,
            restarted: r.restarted,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"public"), "cHVibGlj");
        assert_eq!(base64("naïve".as_bytes()), "bmHDr3Zl");
    }

    #[test]
    fn locations_stay_on_the_endpoint() {
        let ep = "http://127.0.0.1:9/v3/files";
        assert_eq!(
            resolve_location(ep, "/v3/files/a/tus").unwrap(),
            "http://127.0.0.1:9/v3/files/a/tus"
        );
        assert_eq!(
            resolve_location(ep, "http://127.0.0.1:9/v3/files/b").unwrap(),
            "http://127.0.0.1:9/v3/files/b"
        );
        assert_eq!(
            resolve_location("http://h:1/v3/files/", "abc").unwrap(),
            "http://h:1/v3/files/abc"
        );
        assert!(resolve_location(ep, "http://evil.example/v3/files/a").is_err());
        // An endpoint without a path: relative to its origin.
        assert_eq!(
            resolve_location("https://h", "files/abc").unwrap(),
            "https://h/files/abc"
        );
        assert_eq!(
            resolve_location("https://h", "h?@evil/x").unwrap(),
            "https://h/h?@evil/x"
        );
        // Host names without case, an IPv6 zone with it.
        assert!(resolve_location("https://H:1/v3", "https://h:1/x").is_ok());
        let zoned = "http://[fe80::1%25eth0]:9/v3/files";
        assert!(resolve_location(zoned, "http://[FE80::1%25eth0]:9/x").is_ok());
        assert!(resolve_location(zoned, "http://[fe80::1%25ETH0]:9/x").is_err());
        let bare = "http://[fe80::1%eth0]:9/v3/files";
        assert!(resolve_location(bare, "http://[FE80::1%eth0]:9/x").is_ok());
        assert!(resolve_location(bare, "http://[fe80::1%ETH0]:9/x").is_err());
        // Without a host in the endpoint, no Location is on it.
        assert!(resolve_location("https:///h/v3/files", "https:///evil.example/x").is_err());
        assert!(resolve_location("https:///h/v3/files", "/v3/files/a").is_err());
    }
}
