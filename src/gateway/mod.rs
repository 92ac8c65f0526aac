//! Retrieval from IPFS gateways, every byte verified against its CID.
//!
//! A download asks the gateway for a trustless response and never hands over a byte it
//! has not checked:
//!
//! 1. **CAR** (`Accept: application/vnd.ipld.car`, `?format=car&dag-scope=all`): each
//!    block's multihash is checked as it streams in, the DAG is walked from the root
//!    and file bytes are written in order (see [`walk`] for blocks that come early,
//!    twice, never, or unasked).
//! 2. **Raw blocks** (`?format=raw`, `application/vnd.ipld.raw`), one request per block,
//!    checked the same way, when the gateway does not serve CARs.
//! 3. **Plain bytes**, last, for a file only: the CID of the received bytes is
//!    recomputed under the import profile matching the CID (v0: kubo defaults; v1: kubo
//!    `--cid-version=1`, then `unixfs-v1-2025`). A mismatch is `PINATA_E_INTEGRITY`;
//!    when no profile can say, the download is refused unless
//!    [`DownloadOptions::accept_unverifiable`] is set (the result then says so).
//!
//! Content is written under a temporary name beside the destination and renamed over
//! it only once complete and verified; on any failure it is removed. Only sha2-256 (and
//! identity CIDs, whose bytes are the CID) can be verified; other hash functions are
//! refused before any request. Memory does not grow with the content: one block is in
//! memory at a time, early blocks spill to disk (bounded), and about 100 bytes per
//! block are indexed so a block the DAG references twice is not fetched twice.
//!
//! The gateway token (`x-pinata-gateway-token`) goes in a header, never in the URL,
//! and neither it nor a download URL's query (a signed link's credentials) appears in
//! any message. Redirects are not followed (they would carry the token elsewhere).

pub(crate) mod car;
pub(crate) mod dag;
mod http;
pub(crate) mod walk;

pub use walk::Limits;

use crate::client::Client;
use crate::error::{Error, Result, Status};
use crate::transport::Hooks;
use http::{Answer, Consumer, Fetcher, Want};
use std::any::Any;
use std::fmt;
use std::path::{Path, PathBuf};
use walk::{Sink, Walker};
use zeroize::Zeroizing;

/// The gateway used when none is configured (Pinata's public gateway).
pub const DEFAULT_GATEWAY: &str = "https://gateway.pinata.cloud";

/// A gateway: its base URL and, for a dedicated gateway with access control, its token.
#[derive(Clone)]
pub struct Gateway {
    base: String,
    token: Option<Zeroizing<String>>,
}

impl Default for Gateway {
    fn default() -> Self {
        Gateway {
            base: DEFAULT_GATEWAY.to_string(),
            token: None,
        }
    }
}

impl fmt::Debug for Gateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gateway")
            .field("base", &self.base)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Gateway {
    /// A gateway from a domain (`example.mypinata.cloud`, meaning https) or a base URL
    /// (`https://host`, or `http://` to a loopback host), and an optional
    /// `pinataGatewayToken`.
    pub fn new(gateway: &str, token: Option<&str>, allow_insecure_http: bool) -> Result<Gateway> {
        let url = if gateway.contains("://") {
            gateway.to_string()
        } else {
            format!("https://{gateway}")
        };
        let base = crate::client::normalize_base_url(&url, allow_insecure_http)
            .map_err(|e| e.rename_argument("base_url", "gateway"))?;
        let token = match token {
            None => None,
            Some(t) => {
                if t.is_empty()
                    || t.len() > 4096
                    || t.chars().any(|c| c.is_control() || c.is_whitespace())
                {
                    return Err(Error::invalid_argument(
                        "`token` must be non-empty, without spaces or control characters",
                    ));
                }
                Some(Zeroizing::new(t.to_string()))
            }
        };
        Ok(Gateway { base, token })
    }

    /// The base URL (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.base
    }
}

/// How to fetch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// CAR, else raw blocks, else plain bytes (the default). In a result: nothing was
    /// fetched (an identity CID holds its own bytes).
    Auto,
    /// Only a CAR.
    Car,
    /// Only raw blocks, one request each.
    Raw,
    /// Only plain bytes, with the CID recomputed.
    Plain,
}

/// How the content was checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verified {
    /// Every block's hash was checked against its CID (CAR and raw blocks).
    Blocks,
    /// Plain bytes whose recomputed CID equals the requested one.
    Recomputed,
    /// Plain bytes no import profile could check; kept only because
    /// [`DownloadOptions::accept_unverifiable`] was set.
    Unverifiable,
}

/// Options of a download.
#[derive(Clone, Debug)]
pub struct DownloadOptions {
    /// Which responses to ask for (default [`Method::Auto`]).
    pub method: Method,
    /// Keep plain bytes that cannot be verified (default false: refused with
    /// `PINATA_E_INTEGRITY`).
    pub accept_unverifiable: bool,
    /// Disk space for blocks kept for later (default 1 GiB): see
    /// [`Limits::max_spill_bytes`].
    pub max_spill_bytes: u64,
    /// Most content bytes, all files together (default `None`: no cap). A few kilobytes
    /// of DAG can describe terabytes of real content, so a download of a CID from an
    /// untrusted source should set it. Past it: `PINATA_E_PROTOCOL`.
    pub max_bytes: Option<u64>,
    /// Most files and directories made, the root counted (default `None`: no cap).
    pub max_entries: Option<u64>,
}

impl Default for DownloadOptions {
    fn default() -> Self {
        DownloadOptions {
            method: Method::Auto,
            accept_unverifiable: false,
            max_spill_bytes: Limits::default().max_spill_bytes,
            max_bytes: None,
            max_entries: None,
        }
    }
}

/// What a finished download did.
#[derive(Clone, Debug)]
pub struct Download {
    /// Content bytes written (all files).
    pub bytes: u64,
    /// Files written.
    pub files: u64,
    /// Blocks received and verified (0 for plain bytes).
    pub blocks: u64,
    /// Whether the CID is a directory.
    pub is_dir: bool,
    /// The method that delivered it.
    pub method: Method,
    /// How it was checked.
    pub verified: Verified,
}

enum Source<'a> {
    Cid,
    Url(&'a str),
}

enum Target<'a> {
    Path(&'a Path),
    Memory(u64),
}

struct CarConsumer {
    reader: car::CarReader,
    walker: Walker,
}

impl Consumer for CarConsumer {
    fn consume(&mut self, data: &[u8]) -> Result<()> {
        let walker = &mut self.walker;
        self.reader.feed(data, &mut |c, b| walker.offer(c, b))
    }
    fn rewind(&mut self) -> bool {
        // The walk keeps every block it verified; the CAR sent again from its start
        // re-sends those, and the walk ignores them (bounded: see `Walker::new_answer`).
        self.reader = car::CarReader::new();
        self.walker.new_answer();
        true
    }
    fn content_progress(&self) -> Option<(u64, Option<u64>)> {
        Some(self.walker.content_progress())
    }
    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

struct BlockConsumer {
    buf: Vec<u8>,
}

impl Consumer for BlockConsumer {
    fn consume(&mut self, data: &[u8]) -> Result<()> {
        if self.buf.len() + data.len() > dag::MAX_BLOCK {
            return Err(Error::protocol(format!(
                "the gateway sent a raw block larger than {} bytes",
                dag::MAX_BLOCK
            )));
        }
        self.buf.extend_from_slice(data);
        Ok(())
    }
    fn rewind(&mut self) -> bool {
        self.buf.clear();
        true
    }
    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

/// Plain bytes into the destination, with the CID recomputed as they pass.
struct PlainConsumer {
    sink: Sink,
    verifier: crate::cid::Verifier,
    written: u64,
    cap: Option<u64>,
    committed: bool,
}

impl Consumer for PlainConsumer {
    fn consume(&mut self, data: &[u8]) -> Result<()> {
        self.written += data.len() as u64;
        if let Some(cap) = self.cap {
            if self.written > cap {
                return Err(walk::over_cap(cap));
            }
        }
        self.verifier.update(data);
        self.sink.write(data)
    }
    fn rewind(&mut self) -> bool {
        // Unverified bytes are already in the temporary file; a second answer would
        // need it truncated and the CID check restarted: not done, the call fails.
        false
    }
    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

impl Drop for PlainConsumer {
    fn drop(&mut self) {
        if !self.committed {
            self.sink.discard();
        }
    }
}

fn back<T: 'static>(c: Box<dyn Consumer>) -> Result<Box<T>> {
    c.into_any()
        .downcast::<T>()
        .map_err(|_| Error::new(Status::Internal, "a download consumer changed type"))
}

impl Client {
    /// Sets the gateway downloads use: a domain (`example.mypinata.cloud`) or a base URL,
    /// and optionally the dedicated gateway's access token (`pinataGatewayToken`, sent
    /// as the `x-pinata-gateway-token` header; wiped when the client is dropped).
    pub fn set_gateway(&mut self, gateway: &str, token: Option<&str>) -> Result<()> {
        self.gateway = std::sync::Arc::new(Gateway::new(
            gateway,
            token,
            self.config().allow_insecure_http,
        )?);
        Ok(())
    }

    /// The gateway downloads use.
    pub fn gateway(&self) -> &Gateway {
        &self.gateway
    }

    /// Downloads a CID (a file, or a directory tree) from the gateway to `dest`,
    /// verified (see the module notes). `dest` is replaced if it is a file; its parent
    /// directory must exist.
    pub fn download_cid(
        &self,
        cid: &str,
        dest: &Path,
        options: &DownloadOptions,
        hooks: Hooks,
    ) -> Result<Download> {
        let root = parse_root(cid)?;
        self.download(root, Source::Cid, Target::Path(dest), options, hooks)
            .map(|(_, d)| d)
    }

    /// Downloads a file's CID into memory, verified; content above `max_bytes` is
    /// refused (`PINATA_E_PROTOCOL`), as is a directory (`PINATA_E_INVALID_ARGUMENT`).
    pub fn download_cid_bytes(
        &self,
        cid: &str,
        max_bytes: u64,
        options: &DownloadOptions,
        hooks: Hooks,
    ) -> Result<(Vec<u8>, Download)> {
        let root = parse_root(cid)?;
        self.download(root, Source::Cid, Target::Memory(max_bytes), options, hooks)
    }

    /// Downloads from a full URL (a private file's download link, a signed gateway URL)
    /// and verifies the content against `cid`. The URL is used as given (only the
    /// `Accept` header asks for a CAR, so a signature stays valid); its query never
    /// appears in messages. Raw-block fallback needs a gateway and is skipped.
    pub fn download_url(
        &self,
        url: &str,
        cid: &str,
        dest: &Path,
        options: &DownloadOptions,
        hooks: Hooks,
    ) -> Result<Download> {
        let root = parse_root(cid)?;
        let checked = crate::client::normalize_base_url(
            url.split(['?', '#']).next().unwrap_or(""),
            self.config().allow_insecure_http,
        )
        .map_err(|e| e.rename_argument("base_url", "url"))?;
        let _ = checked;
        let secrets: Vec<&str> = [Some(url), url.split_once('?').map(|(_, q)| q)]
            .into_iter()
            .flatten()
            .collect();
        self.download(root, Source::Url(url), Target::Path(dest), options, hooks)
            .map(|(_, d)| d)
            .map_err(|e| e.redact(&secrets))
    }

    fn download(
        &self,
        root: cid::Cid,
        source: Source<'_>,
        target: Target<'_>,
        options: &DownloadOptions,
        mut hooks: Hooks,
    ) -> Result<(Vec<u8>, Download)> {
        if let Some(own) = self.cancel_token() {
            hooks.cancel.push(own.clone());
        }
        let token = self.gateway.token.as_ref().map(|t| t.as_str());
        let mut headers = Vec::new();
        if let (Source::Cid, Some(t)) = (&source, token) {
            headers.push(format!("x-pinata-gateway-token: {t}"));
        }
        let fetcher = Fetcher::new(
            self.config(),
            self.transport().clone(),
            headers,
            hooks.progress.take(),
            hooks.cancel,
        );
        let secrets: Vec<&str> = token.into_iter().collect();
        let r = self.run(root, &source, target, options, fetcher);
        r.map_err(|e| self.redact(e.redact(&secrets)))
    }

    fn run(
        &self,
        root: cid::Cid,
        source: &Source<'_>,
        target: Target<'_>,
        options: &DownloadOptions,
        mut fetcher: Fetcher,
    ) -> Result<(Vec<u8>, Download)> {
        let (sink, spill_base, cap) = match target {
            Target::Path(p) => {
                let sink = Sink::disk(p)?;
                let base = match p.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                (sink, base, options.max_bytes)
            }
            Target::Memory(cap) => {
                let cap = options.max_bytes.map_or(cap, |o| o.min(cap));
                (Sink::memory(), std::env::temp_dir(), Some(cap))
            }
        };
        let limits = Limits {
            max_spill_bytes: options.max_spill_bytes,
            max_bytes: cap,
            max_entries: options.max_entries,
        };
        let base = &self.gateway.base;
        let cid_text = root.to_string();
        let (car_url, plain_url) = match source {
            Source::Cid => (
                format!("{base}/ipfs/{cid_text}?format=car&dag-scope=all"),
                format!("{base}/ipfs/{cid_text}"),
            ),
            Source::Url(u) => (u.to_string(), u.to_string()),
        };
        let methods: &[Method] = match options.method {
            Method::Auto => &[Method::Car, Method::Raw, Method::Plain],
            Method::Car => &[Method::Car],
            Method::Raw => &[Method::Raw],
            Method::Plain => &[Method::Plain],
        };
        let mut walker = Walker::new(root, sink, spill_base.clone(), limits);
        if walker.next_needed()?.is_none() {
            // An identity CID: its bytes are in the CID.
            let (stats, mut sink) = walker.commit()?;
            return Ok((
                sink.take_bytes(),
                summary(stats, Method::Auto, Verified::Blocks),
            ));
        }
        let mut why = Vec::new();
        for &method in methods {
            match method {
                Method::Car => {
                    let consumer = Box::new(CarConsumer {
                        reader: car::CarReader::new(),
                        walker,
                    });
                    match fetcher.get(&car_url, Want::Car, consumer)? {
                        Answer::Done(c) => {
                            let c = back::<CarConsumer>(c)?;
                            let CarConsumer { reader, walker } = *c;
                            let finished = reader.finish();
                            let (stats, mut sink) = match finished {
                                Ok(()) => walker.commit()?,
                                Err(e) => return Err(e),
                            };
                            fetcher.report_done(stats.bytes);
                            return Ok((
                                sink.take_bytes(),
                                summary(stats, method, Verified::Blocks),
                            ));
                        }
                        Answer::Unsupported(msg, c) => {
                            why.push(format!("CAR: {msg}"));
                            walker = back::<CarConsumer>(c)?.walker;
                        }
                    }
                }
                Method::Raw => {
                    // One block per request, in walk order, on the fetcher's kept-alive
                    // connection. Not several in flight: the walk knows its next blocks
                    // (a verified parent lists them), but overlapping requests would
                    // need curl's multi interface here, since progress callbacks run on
                    // the caller's thread and may not move to workers; a retry state per
                    // request; and a bounded buffer for blocks answered out of order
                    // (up to `dag::MAX_BLOCK` each, against the ≤ 32 MiB memory goal).
                    // The transport's pool is no shortcut: each of its slots runs one
                    // transfer at a time with a collecting handler set up for the API
                    // (its header list holds the credentials until replaced), not the
                    // streaming consumers a walk needs. All that for a
                    // fallback used only with gateways that serve no CARs (Pinata's and
                    // boxo's serve them); a CAR is one request whatever the DAG's size.
                    if matches!(source, Source::Url(_)) {
                        why.push("raw blocks: not available for a download URL".into());
                        continue;
                    }
                    let mut first = true;
                    loop {
                        let Some(c) = walker.next_needed()? else {
                            let (stats, mut sink) = walker.commit()?;
                            fetcher.report_done(stats.bytes);
                            return Ok((
                                sink.take_bytes(),
                                summary(stats, method, Verified::Blocks),
                            ));
                        };
                        let (written, size) = walker.content_progress();
                        fetcher.set_content_progress(written, size);
                        let url = format!("{base}/ipfs/{c}?format=raw");
                        let consumer = Box::new(BlockConsumer { buf: Vec::new() });
                        match fetcher.get(&url, Want::Raw, consumer)? {
                            Answer::Done(b) => {
                                let b = back::<BlockConsumer>(b)?;
                                walker.offer(&c, &b.buf)?;
                            }
                            Answer::Unsupported(msg, _) if first => {
                                why.push(format!("raw blocks: {msg}"));
                                break;
                            }
                            Answer::Unsupported(msg, _) => {
                                return Err(Error::protocol(format!("raw block {c}: {msg}")))
                            }
                        }
                        first = false;
                    }
                }
                Method::Plain | Method::Auto => {
                    // Nothing was written yet: the walk hands its destination over.
                    let sink = walker.take_sink();
                    return plain(root, sink, cap, &plain_url, options, &mut fetcher);
                }
            }
        }
        Err(Error::protocol(format!(
            "the gateway serves none of the requested response types ({})",
            why.join("; ")
        )))
    }
}

/// The last resort: plain bytes, the CID recomputed as they stream to the destination.
fn plain(
    root: cid::Cid,
    mut sink: Sink,
    cap: Option<u64>,
    url: &str,
    options: &DownloadOptions,
    fetcher: &mut Fetcher,
) -> Result<(Vec<u8>, Download)> {
    let profile = match root.version() {
        cid::Version::V0 => crate::cid::Profile::V0,
        cid::Version::V1 => crate::cid::Profile::V1,
    };
    sink.begin_file("")?;
    let consumer = Box::new(PlainConsumer {
        sink,
        verifier: crate::cid::Verifier::new(profile),
        written: 0,
        cap,
        committed: false,
    });
    let mut c = match fetcher.get(url, Want::Plain, consumer)? {
        Answer::Done(c) => back::<PlainConsumer>(c)?,
        Answer::Unsupported(msg, _) => return Err(Error::protocol(msg)),
    };
    let verified = match c.verifier.verify(&root.to_string()) {
        crate::cid::Verification::Match => Verified::Recomputed,
        crate::cid::Verification::Mismatch { .. } => {
            return Err(dag::integrity(format!(
                "the gateway's plain bytes for {root} do not hash to that CID"
            )))
        }
        crate::cid::Verification::Unverifiable if options.accept_unverifiable => {
            Verified::Unverifiable
        }
        crate::cid::Verification::Unverifiable => {
            return Err(dag::integrity(format!(
                "the gateway served only plain bytes for {root}, and no import profile \
                 reproduces that CID from them: they cannot be verified (nothing was kept; \
                 accept unverifiable content to keep them)"
            )))
        }
    };
    c.sink.commit()?;
    c.committed = true;
    fetcher.report_done(c.written);
    let bytes = c.sink.take_bytes();
    Ok((
        bytes,
        Download {
            bytes: c.written,
            files: 1,
            blocks: 0,
            is_dir: false,
            method: Method::Plain,
            verified,
        },
    ))
}

fn summary(stats: walk::WalkStats, method: Method, verified: Verified) -> Download {
    Download {
        bytes: stats.bytes,
        files: stats.files,
        blocks: stats.blocks,
        is_dir: stats.is_dir,
        method,
        verified,
    }
}

/// Parses the CID to download and refuses one that cannot be verified.
fn parse_root(cid: &str) -> Result<cid::Cid> {
    let c = crate::cid::parse_cid(cid)
        .map_err(|e| Error::invalid_argument(format!("`cid` is not a valid CID: {e}")))?;
    dag::check_supported(&c)?;
    Ok(c)
}

#[cfg(test)]
mod tests;
