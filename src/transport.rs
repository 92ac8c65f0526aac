//! The one place that talks to libcurl: a pool of reusable easy handles, request
//! execution with timeouts, streaming bodies, progress and cancellation, retries with
//! backoff, and the parsing of responses and of Pinata's several error-body shapes.

use crate::error::{Error, Result, Status};
use crate::header_api::{HeaderApi, KEPT_HEADERS};
use curl::easy::{Easy2, Handler, List, ReadError, SeekResult, WriteError};
use curl::multi::Multi;
use std::borrow::Cow;
use std::io::{Read, SeekFrom};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Largest response body accepted by default ([`Config::max_response_bytes`]). Pinata's
/// JSON answers are small; a server that sends more is broken or hostile, and gets
/// `PINATA_E_PROTOCOL` instead of exhausting memory.
pub const MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// libcurl's default 64 KiB upload buffer halves throughput on fast links; 2 MiB is its
/// maximum and doubles it (see the peer benchmarks). 1 MiB was measured too: a 1 GiB
/// `pinFileToIPFS` to `bench/server` took 0.64 s instead of 0.43 s
/// (`bench/upload_vs_curl.sh`: 0.88-0.93x raw libcurl against 1.00x).
const UPLOAD_BUFFER_BYTES: usize = 2 * 1024 * 1024;

/// A TUS `PATCH` sends one chunk of a resumable upload and keeps its CID state beside
/// it: 1 MiB keeps such an upload's peak RSS under 16 MiB (2 MiB put it at 16.1-16.8
/// MiB), with no loss of throughput against the emulator (BENCHMARKS.md, "TUS against
/// multipart").
const TUS_UPLOAD_BUFFER_BYTES: usize = 1024 * 1024;

/// The smallest upload buffer libcurl accepts (`CURLOPT_UPLOAD_BUFFERSIZE`).
const MIN_UPLOAD_BUFFER_BYTES: usize = 16 * 1024;

/// How many idle easy handles (and so kept-alive connections) a client keeps.
const MAX_IDLE_HANDLES: usize = 16;

/// Timeouts and retry budget of a client. Every field has a documented default.
#[derive(Clone, Debug)]
pub struct Config {
    /// Base URL without a trailing slash, e.g. `https://api.pinata.cloud`.
    pub base_url: String,
    /// Time allowed to establish a connection (default 10 s).
    pub connect_timeout: Duration,
    /// Total time allowed for a small call such as testAuthentication (default 60 s).
    pub request_timeout: Duration,
    /// For uploads: the call fails when no byte moves for this long (default 60 s).
    /// Uploads have no total limit, so a 25 GB upload is never cut off.
    pub stall_timeout: Duration,
    /// Retries after the first attempt (default 3).
    pub max_retries: u32,
    /// Total time the retries of one call may take, sleeps included (default 120 s).
    pub retry_budget: Duration,
    /// First backoff step (default 500 ms); doubles each retry, with full jitter.
    pub backoff_base: Duration,
    /// Largest backoff step (default 30 s).
    pub backoff_max: Duration,
    /// A CA bundle to trust instead of the system's (see [`crate::trust`] for what is
    /// trusted without one).
    pub ca_bundle: Option<std::path::PathBuf>,
    /// Allow `http://` to hosts other than loopback (off by default).
    pub allow_insecure_http: bool,
    /// The HTTP version to negotiate (default [`HttpVersion::Auto`]).
    pub http_version: HttpVersion,
    /// The proxy rule (default [`Proxy::Environment`]).
    pub proxy: Proxy,
    /// Largest answer body a call holds in memory (default [`MAX_RESPONSE_BYTES`]).
    pub max_response_bytes: usize,
}

/// Which HTTP version a client negotiates with the server.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HttpVersion {
    /// The library chooses per request type: HTTP/1.1 for uploads, HTTP/2 (by ALPN)
    /// for every other call (see BENCHMARKS.md).
    #[default]
    Auto,
    /// HTTP/1.1 only.
    Http1_1,
    /// HTTP/2 over TLS, offered by ALPN; HTTP/1.1 when the server declines it or the
    /// base URL is plain `http://`.
    Http2,
}

impl HttpVersion {
    /// The version a request actually asks libcurl for. `Auto` chooses by request
    /// type, from the measurements in BENCHMARKS.md ("HTTPS: HTTP/2 or HTTP/1.1"):
    /// uploads (transfers) take HTTP/1.1, which streamed a large file 2.3-2.4x faster
    /// than HTTP/2 through nginx for libpinata, raw libcurl and the curl CLI alike (the
    /// server's HTTP/2 flow-control window paces an upload); every other call offers
    /// HTTP/2 by ALPN, libcurl's own default for https://.
    pub(crate) fn for_request(self, transfer: bool) -> HttpVersion {
        match self {
            HttpVersion::Auto if transfer => HttpVersion::Http1_1,
            HttpVersion::Auto => HttpVersion::Http2,
            fixed => fixed,
        }
    }

    fn curl_value(self) -> std::ffi::c_long {
        match self {
            HttpVersion::Http1_1 => curl_sys::CURL_HTTP_VERSION_1_1 as std::ffi::c_long,
            // Auto never reaches libcurl (see `for_request`).
            HttpVersion::Http2 | HttpVersion::Auto => {
                curl_sys::CURL_HTTP_VERSION_2TLS as std::ffi::c_long
            }
        }
    }

    /// Sets this version on a handle (`CURLOPT_HTTP_VERSION`); pass the result of
    /// [`HttpVersion::for_request`].
    pub(crate) fn apply<H>(self, easy: &Easy2<H>) -> std::result::Result<(), curl::Error> {
        // SAFETY: a documented CURL_HTTP_VERSION_* value, passed as a long.
        let rc = unsafe {
            curl_sys::curl_easy_setopt(
                easy.raw(),
                curl_sys::CURLOPT_HTTP_VERSION,
                self.curl_value(),
            )
        };
        if rc != curl_sys::CURLE_OK {
            return Err(curl::Error::new(rc));
        }
        Ok(())
    }
}

/// How a client reaches the server through an HTTP proxy.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum Proxy {
    /// As libcurl does by default: `https_proxy` (for https://), `http_proxy` (for
    /// http://), `all_proxy` and `no_proxy` from the environment.
    #[default]
    Environment,
    /// No proxy, whatever the environment says.
    Direct,
    /// This proxy URL (`http://[user:password@]host:port`, also `https://`,
    /// `socks5h://`); `no_proxy` from the environment still applies. The URL may carry
    /// credentials: it is wiped on drop and never appears in messages.
    Url(zeroize::Zeroizing<String>),
}

impl Default for Config {
    fn default() -> Self {
        Config {
            base_url: crate::DEFAULT_BASE_URL.to_string(),
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            stall_timeout: Duration::from_secs(60),
            max_retries: 3,
            retry_budget: Duration::from_secs(120),
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            ca_bundle: None,
            allow_insecure_http: false,
            http_version: HttpVersion::Auto,
            proxy: Proxy::Environment,
            max_response_bytes: MAX_RESPONSE_BYTES,
        }
    }
}

/// Shows a proxy URL without its credentials.
impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Proxy::Environment => f.write_str("Environment"),
            Proxy::Direct => f.write_str("Direct"),
            Proxy::Url(url) => {
                let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
                let authority = rest.split('/').next().unwrap_or("");
                let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
                let hidden = if authority.contains('@') {
                    "<credentials>@"
                } else {
                    ""
                };
                write!(f, "Url({scheme}://{hidden}{host})")
            }
        }
    }
}

/// HTTP methods the API uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
    /// TUS chunks (src/v3/tus.rs).
    Patch,
    /// TUS offset queries: headers only, no body is read.
    Head,
}

impl Method {
    fn as_c_str(self) -> &'static std::ffi::CStr {
        match self {
            Method::Get => c"GET",
            Method::Post => c"POST",
            Method::Put => c"PUT",
            Method::Delete => c"DELETE",
            Method::Patch => c"PATCH",
            Method::Head => c"HEAD",
        }
    }
}

/// Opens a fresh reader over a streamed request body; called once per attempt so a
/// retry re-reads from the source instead of keeping the body in memory.
pub type BodySource = Box<dyn FnMut() -> Result<Box<dyn Read + Send>> + Send>;

/// Stands in for a body source lent to libcurl during a transfer.
fn no_source() -> Result<Box<dyn Read + Send>> {
    Err(Error::new(Status::Internal, "the body's source is in use"))
}

/// A request body.
pub enum Body {
    /// No body.
    Empty,
    /// A small body held in memory, with its content type.
    Bytes {
        data: Arc<[u8]>,
        content_type: String,
    },
    /// A streamed body of known length (uploads).
    Stream {
        len: u64,
        content_type: String,
        source: BodySource,
        /// An append at an offset (a TUS `PATCH`). The server keeps what arrived of a
        /// broken one, so libcurl is never let to rewind it (the upload loop asks the
        /// server for its offset instead), and it moves through the smaller TUS upload
        /// buffer, which keeps a resumable upload inside its memory target.
        append: bool,
    },
}

/// Progress callback: `(bytes_sent, bytes_total)`; returning `false` cancels the call.
pub type ProgressFn = Box<dyn FnMut(u64, u64) -> bool + Send>;

/// A flag another thread can raise to stop a call in flight, including its backoff
/// sleeps. Cheap to clone; all clones share the flag.
#[derive(Clone, Debug, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A new, un-raised token.
    pub fn new() -> CancelToken {
        CancelToken::default()
    }
    /// Raises the flag; safe from any thread.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    /// Whether the flag is raised.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
    /// Lowers the flag so the token can serve another call.
    pub fn reset(&self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

/// Per-call hooks: progress reporting and cancellation.
#[derive(Default)]
pub struct Hooks {
    /// Called as bytes go out; returning `false` cancels.
    pub progress: Option<ProgressFn>,
    /// Raising any of these cancels the call.
    pub cancel: Vec<CancelToken>,
}

impl Hooks {
    /// Whether any cancel token is raised.
    pub fn cancelled(&self) -> bool {
        any_cancelled(&self.cancel)
    }
}

fn any_cancelled(tokens: &[CancelToken]) -> bool {
    tokens.iter().any(CancelToken::is_cancelled)
}

/// One HTTP request, relative to the client's base URL.
pub struct Request {
    pub method: Method,
    /// Path and query, starting with `/` (a fixed path costs no allocation).
    pub path: Cow<'static, str>,
    pub body: Body,
    /// A transfer (upload) uses the stall timeout instead of the total timeout.
    pub transfer: bool,
    /// Whether repeating the request is safe (reads, content-addressed uploads).
    pub idempotent: bool,
}

impl Request {
    /// A GET of `path`.
    pub fn get(path: impl Into<Cow<'static, str>>) -> Request {
        Request {
            method: Method::Get,
            path: path.into(),
            body: Body::Empty,
            transfer: false,
            idempotent: true,
        }
    }

    /// A request with a JSON body.
    pub fn json(
        method: Method,
        path: impl Into<Cow<'static, str>>,
        value: &serde_json::Value,
    ) -> Request {
        Request {
            method,
            path: path.into(),
            body: Body::Bytes {
                data: Arc::from(serde_json::to_vec(value).expect("a Value always serializes")),
                content_type: "application/json".into(),
            },
            transfer: false,
            idempotent: false,
        }
    }

    /// A request without a body.
    pub fn bodyless(method: Method, path: impl Into<Cow<'static, str>>) -> Request {
        Request {
            method,
            path: path.into(),
            body: Body::Empty,
            transfer: false,
            idempotent: method == Method::Get,
        }
    }
}

/// A received response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON, or `PINATA_E_PROTOCOL`.
    pub fn json(&self) -> Result<serde_json::Value> {
        serde_json::from_slice(&self.body).map_err(|e| self.invalid_json(e))
    }

    /// The `PINATA_E_PROTOCOL` error for a body that failed to parse as JSON.
    pub fn invalid_json(&self, e: serde_json::Error) -> Error {
        Error::protocol(format!(
            "the response body is not valid JSON ({e}); HTTP {} with {} bytes",
            self.status,
            self.body.len()
        ))
        .with_http(self.status, None, None, None)
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Seconds to wait before retrying, from `Retry-After` (seconds) or else
    /// `X-RateLimit-Reset` (epoch seconds).
    pub fn retry_after(&self) -> Option<u64> {
        if let Some(v) = self.header("retry-after") {
            if let Ok(secs) = v.trim().parse::<u64>() {
                return Some(secs);
            }
        }
        let reset = self
            .header("x-ratelimit-reset")?
            .trim()
            .parse::<u64>()
            .ok()?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_secs();
        Some(reset.saturating_sub(now))
    }
}

/// The libcurl handler: collects the response, feeds the upload, reports progress.
#[derive(Default)]
struct Collector {
    body: Vec<u8>,
    /// The body's cap ([`Config::max_response_bytes`]), set for every request.
    max_body: usize,
    body_overflow: bool,
    /// The headers kept from an error answer (see `on_header`).
    headers: Vec<(String, String)>,
    /// Whether the response being received is an error answer, whose headers are kept.
    keep_headers: bool,
    /// Keep the headers of success answers too (TUS requests, see `keeps_success_headers`).
    keep_success_headers: bool,
    upload: Option<Box<dyn Read + Send>>,
    /// The streamed body's source, held during the transfer so that libcurl can rewind
    /// the body (it must when a reused HTTP/1.1 connection dies while the request goes
    /// out, and on some redirects and auth retries).
    upload_source: Option<BodySource>,
    upload_error: Option<Error>,
    progress: Option<ProgressFn>,
    progress_stopped: bool,
    cancel: Vec<CancelToken>,
    upload_total: u64,
    /// Uploads: fail when no byte moved for this long.
    stall_timeout: Option<Duration>,
    last_counts: (u64, u64),
    last_activity: Option<Instant>,
    stalled: bool,
    /// A callback panicked (a bug, or a panicking progress closure).
    panicked: Option<String>,
}

impl Handler for Collector {
    // Each callback catches its own panics: the multi interface would otherwise turn a
    // panic into a plain abort, indistinguishable from a cancel.
    fn write(&mut self, data: &[u8]) -> std::result::Result<usize, WriteError> {
        self.guarded(Ok(0), |c| c.on_write(data))
    }

    fn read(&mut self, buf: &mut [u8]) -> std::result::Result<usize, ReadError> {
        self.guarded(Err(ReadError::Abort), |c| c.on_read(buf))
    }

    fn header(&mut self, data: &[u8]) -> bool {
        self.guarded(false, |c| c.on_header(data))
    }

    fn seek(&mut self, whence: SeekFrom) -> SeekResult {
        self.guarded(SeekResult::Fail, |c| c.on_seek(whence))
    }

    fn progress(&mut self, dltotal: f64, dlnow: f64, ultotal: f64, ulnow: f64) -> bool {
        self.guarded(false, |c| c.on_progress(dltotal, dlnow, ultotal, ulnow))
    }
}

impl Collector {
    /// Runs a callback body; a panic is recorded (reported as `PINATA_E_INTERNAL`) and
    /// `fallback` aborts the transfer.
    fn guarded<T>(&mut self, fallback: T, f: impl FnOnce(&mut Collector) -> T) -> T {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut *self))) {
            Ok(v) => v,
            Err(payload) => {
                self.panicked = Some(crate::error::panic_message(payload.as_ref()));
                fallback
            }
        }
    }

    fn on_write(&mut self, data: &[u8]) -> std::result::Result<usize, WriteError> {
        if self.body.len() + data.len() > self.max_body {
            self.body_overflow = true;
            return Ok(0); // libcurl turns a short write into CURLE_WRITE_ERROR
        }
        self.body.extend_from_slice(data);
        Ok(data.len())
    }

    fn on_read(&mut self, buf: &mut [u8]) -> std::result::Result<usize, ReadError> {
        let Some(reader) = self.upload.as_mut() else {
            return Ok(0);
        };
        if any_cancelled(&self.cancel) {
            return Err(ReadError::Abort);
        }
        match reader.read(buf) {
            Ok(n) => Ok(n),
            Err(e) => {
                // A reader may carry a library error (e.g. a file that changed size).
                let err = match e.get_ref().and_then(|inner| inner.downcast_ref::<Error>()) {
                    Some(lib_err) => lib_err.clone(),
                    None => Error::new(Status::Io, format!("reading the upload failed: {e}")),
                };
                self.upload_error = Some(err);
                Err(ReadError::Abort)
            }
        }
    }

    /// libcurl asks to send the body again from `whence` (it does when a reused
    /// connection turns out dead with no answer). Only a rewind to the start is needed;
    /// it opens a fresh reader, exactly as a retry would. A TUS `PATCH` is never rewound:
    /// the server may have kept part of it, so the upload asks for its offset and goes
    /// on from there instead of sending the chunk again (`upload_source` is `None`).
    fn on_seek(&mut self, whence: SeekFrom) -> SeekResult {
        if whence != SeekFrom::Start(0) {
            return SeekResult::CantSeek;
        }
        let Some(source) = self.upload_source.as_mut() else {
            return SeekResult::CantSeek;
        };
        match source() {
            Ok(reader) => {
                self.upload = Some(reader);
                SeekResult::Ok
            }
            Err(e) => {
                self.upload_error = Some(e);
                SeekResult::Fail
            }
        }
    }

    /// With a libcurl older than 7.83 (no header API): keeps the headers the library
    /// reads from an error answer; a success answer's headers are skipped at the cost of
    /// one comparison each.
    fn on_header(&mut self, line: &[u8]) -> bool {
        if line.starts_with(b"HTTP/") {
            // A new response (also after a 100 Continue): "HTTP/1.1 503 ...".
            self.headers.clear();
            let code = line.split(|&b| b == b' ').nth(1).unwrap_or_default();
            self.keep_headers = !code.starts_with(b"2") || self.keep_success_headers;
            return true;
        }
        if !self.keep_headers {
            return true;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return true;
        };
        let name = line[..colon].trim_ascii();
        if let Some(kept) = KEPT_HEADERS
            .iter()
            .find(|k| name.eq_ignore_ascii_case(k.to_bytes()))
        {
            let value = String::from_utf8_lossy(line[colon + 1..].trim_ascii()).into_owned();
            self.headers
                .push((kept.to_string_lossy().into_owned(), value));
        }
        true
    }

    fn on_progress(&mut self, _dltotal: f64, dlnow: f64, ultotal: f64, ulnow: f64) -> bool {
        if any_cancelled(&self.cancel) {
            return false;
        }
        if let Some(limit) = self.stall_timeout {
            // libcurl's own low-speed check averages over several seconds; this one
            // measures the time since the last byte moved in either direction.
            let counts = (ulnow as u64, dlnow as u64);
            let now = Instant::now();
            match self.last_activity {
                Some(at) if counts == self.last_counts => {
                    if now.duration_since(at) > limit {
                        self.stalled = true;
                        return false;
                    }
                }
                _ => {
                    self.last_counts = counts;
                    self.last_activity = Some(now);
                }
            }
        }
        if let Some(cb) = self.progress.as_mut() {
            let total = if ultotal > 0.0 {
                ultotal as u64
            } else {
                self.upload_total
            };
            if !cb(ulnow as u64, total) {
                self.progress_stopped = true;
                return false;
            }
        }
        true
    }
}

/// How often a cancellable call waiting on the network looks at its cancel flags.
const CANCEL_POLL: Duration = Duration::from_millis(50);

/// One reusable connection slot: an easy handle and the multi handle that drives it
/// when the call can be cancelled. Driving such a transfer through a multi handle lets
/// it notice a cancel request within [`CANCEL_POLL`], even while no byte moves; calls
/// without a cancel flag use libcurl's plain blocking perform.
///
/// A slot keeps its handle configured between calls, so a small call made with the same
/// client settings as the slot's previous one sets only its URL, method and body: the
/// per-call cost stays close to that of a bare libcurl loop. The handle is reset and
/// configured from scratch when the settings differ, and around streamed uploads, which
/// leave a read source, a large upload buffer and no total timeout behind.
struct Slot {
    multi: Multi,
    /// `None` only while the multi handle owns it, during a transfer.
    easy: Option<Easy2<Collector>>,
    /// The client settings the handle is configured with; `None`: reset it before use.
    setup: Option<Setup>,
    /// The request content type the handle's header list was built for (`Some((None, _))`:
    /// no body), and whether for a large body; `None` while the handle has no header
    /// list of ours.
    header_list_for: Option<(Option<String>, bool)>,
    /// Where the credential lines live in that list, so they can be wiped before it is
    /// freed (the list lives as long as the slot, which lives no longer than its client).
    secret_entries: Vec<(*mut u8, usize)>,
    /// The request URL the handle has, NUL-terminated; empty when it has none.
    url: Vec<u8>,
    /// The method options the handle has; `None` when it has none of ours.
    method_set: Option<MethodOptions>,
    /// The HTTP version the slot's last call asked for, which the connections its multi
    /// handle keeps were opened with; `None` before the first call.
    last_version: Option<HttpVersion>,
}

/// The per-call options that stay on a handle until changed: a call like the previous
/// one skips setting them again.
#[derive(Clone, Copy, PartialEq, Eq)]
struct MethodOptions {
    method: Method,
    has_body: bool,
    /// Whether the progress callback runs (for progress hooks, cancellation, stalls).
    progress: bool,
    /// The announced body size libcurl refuses (`CURLOPT_MAXFILESIZE_LARGE`).
    max_body: usize,
}

/// The client settings a pooled handle was configured with.
struct Setup {
    connect_timeout: Duration,
    request_timeout: Duration,
    ca_bundle: Option<std::path::PathBuf>,
    http_version: HttpVersion,
    proxy: Proxy,
}

impl Setup {
    fn of(config: &Config, http_version: HttpVersion) -> Setup {
        Setup {
            connect_timeout: config.connect_timeout,
            request_timeout: config.request_timeout,
            ca_bundle: config.ca_bundle.clone(),
            http_version,
            proxy: config.proxy.clone(),
        }
    }

    fn matches(&self, config: &Config, http_version: HttpVersion) -> bool {
        self.connect_timeout == config.connect_timeout
            && self.request_timeout == config.request_timeout
            && self.ca_bundle == config.ca_bundle
            && self.http_version == http_version
            && self.proxy == config.proxy
    }
}

/// [`crate::USER_AGENT`] as a header line. It travels in the header list rather than
/// through `CURLOPT_USERAGENT`, which libcurl formats twice for every request.
const USER_AGENT_HEADER: &str = concat!("User-Agent: libpinata/", env!("CARGO_PKG_VERSION"));

impl Slot {
    fn new() -> Slot {
        Slot {
            multi: Multi::new(),
            easy: Some(Easy2::new(Collector::default())),
            setup: None,
            header_list_for: None,
            secret_entries: Vec::new(),
            url: Vec::new(),
            method_set: None,
            last_version: None,
        }
    }

    fn easy(&mut self) -> &mut Easy2<Collector> {
        self.easy
            .as_mut()
            .expect("a slot holds its easy handle between transfers")
    }

    /// Resets the handle and applies the settings every call of `config` shares. With
    /// libcurl's header API, response headers are not delivered to a callback at all.
    fn configure(
        &mut self,
        config: &Config,
        http_version: HttpVersion,
        header_api: Option<HeaderApi>,
    ) -> std::result::Result<(), curl::Error> {
        self.forget_headers();
        self.setup = None;
        self.url.clear();
        self.method_set = None;
        // libcurl reuses an open HTTP/1.1 connection for a call that offers HTTP/2 (ALPN
        // happens only at connect). A client forced to HTTP/2 must get it, so the
        // connection an HTTP/1.1 call of this slot left open is dropped with fresh easy
        // and multi handles (a fresh multi handle alone did not drop it with libcurl
        // 7.88; tests/c/https_cases.c `versions`). The reverse needs nothing: libcurl
        // never sends an HTTP/1.1 call over an HTTP/2 connection. Auto lets a call reuse
        // an upload's HTTP/1.1 connection rather than pay a new handshake.
        if config.http_version == HttpVersion::Http2
            && self.last_version == Some(HttpVersion::Http1_1)
        {
            self.multi = Multi::new();
            self.easy = Some(Easy2::new(Collector::default()));
        }
        self.last_version = Some(http_version);
        let easy = self.easy();
        easy.reset();
        if header_api.is_some() {
            let raw = easy.raw();
            // SAFETY: NULL is a documented value of both options; without a function and
            // its data pointer, libcurl keeps headers to itself.
            let rc = unsafe {
                curl_sys::curl_easy_setopt(
                    raw,
                    curl_sys::CURLOPT_HEADERFUNCTION,
                    std::ptr::null::<u8>(),
                )
                .max(curl_sys::curl_easy_setopt(
                    raw,
                    curl_sys::CURLOPT_HEADERDATA,
                    std::ptr::null::<u8>(),
                ))
            };
            if rc != curl_sys::CURLE_OK {
                return Err(curl::Error::new(rc));
            }
        }
        easy.connect_timeout(config.connect_timeout)?;
        easy.timeout(config.request_timeout)?;
        easy.tcp_keepalive(true)?;
        crate::trust::apply(easy, config.ca_bundle.as_deref())?;
        http_version.apply(easy)?;
        match &config.proxy {
            Proxy::Environment => {}
            // An empty proxy string makes libcurl ignore the environment's variables.
            Proxy::Direct => easy.proxy("")?,
            Proxy::Url(url) => easy.proxy(url)?,
        }
        self.setup = Some(Setup::of(config, http_version));
        Ok(())
    }

    /// Gives the handle the header list for a call: the credential lines, the user agent,
    /// the body's content type, and for a body large enough that libcurl would ask
    /// `Expect: 100-continue`, the line that stops it. The list is kept while calls keep
    /// asking for the same one.
    fn set_headers(
        &mut self,
        auth_headers: &[impl AsRef<str>],
        content_type: Option<&str>,
        large_body: bool,
    ) -> std::result::Result<(), curl::Error> {
        let same_list = self
            .header_list_for
            .as_ref()
            .is_some_and(|(built_for, large)| {
                built_for.as_deref() == content_type && *large == large_body
            })
            && self.secret_entries.len() == auth_headers.len()
            && self
                .secret_entries
                .iter()
                .zip(auth_headers)
                .all(|(&(ptr, len), h)| {
                    // SAFETY: each entry is a live allocation of `len` bytes owned by the list
                    // the handle holds (see `secret_entries`).
                    unsafe { std::slice::from_raw_parts(ptr, len) == h.as_ref().as_bytes() }
                });
        if same_list {
            return Ok(());
        }
        self.forget_headers();
        let mut headers = List::new();
        for h in auth_headers {
            headers.append(h.as_ref())?;
        }
        headers.append(USER_AGENT_HEADER)?;
        if let Some(content_type) = content_type {
            headers.append(&format!("Content-Type: {content_type}"))?;
        }
        if large_body {
            // No "Expect: 100-continue" round trip before large bodies. (libcurl scans the
            // list for every header it might add, and formats each line into the
            // request, so smaller bodies do without the line.)
            headers.append("Expect:")?;
        }
        let secret_entries = headers
            .iter()
            .take(auth_headers.len())
            .map(|entry| (entry.as_ptr() as *mut u8, entry.len()))
            .collect();
        self.easy().http_headers(headers)?;
        self.secret_entries = secret_entries;
        self.header_list_for = Some((content_type.map(str::to_owned), large_body));
        Ok(())
    }

    /// Overwrites the credential lines of the handle's header list, then drops the list.
    /// The list lives only as long as the handle: a slot whose handle has left it (on a
    /// multi handle) must not touch it, so the wipe needs the handle here. Every path
    /// that takes the handle out puts it back before the slot is dropped, or wipes first
    /// (`Drop for Transfer`); the wipe is skipped only when libcurl's multi interface
    /// failed to give a handle back.
    fn forget_headers(&mut self) {
        if self.easy.is_some() {
            // SAFETY: the slot holds the handle that owns the list.
            unsafe { self.wipe_credentials() };
        }
        self.secret_entries.clear();
        self.header_list_for = None;
        if let Some(easy) = self.easy.as_mut() {
            let _ = easy.http_headers(List::new());
        }
    }

    /// Zeroes the credential lines of the header list and forgets where they are.
    ///
    /// # Safety
    /// The easy handle this slot configured (here or on a multi handle) must be alive,
    /// so that its header list is.
    unsafe fn wipe_credentials(&mut self) {
        for (ptr, len) in self.secret_entries.drain(..) {
            for i in 0..len {
                // SAFETY: each entry is a live, writable allocation of `len` bytes owned
                // by the list (the caller's promise); volatile so the wipe is not
                // optimized away.
                unsafe { std::ptr::write_volatile(ptr.add(i), 0) };
            }
        }
    }

    /// Sets the request URL from the client's base URL and the request's path, unless
    /// the handle already has it.
    fn set_url(&mut self, base_url: &str, path: &str) -> Result<()> {
        let len = base_url.len() + path.len();
        if self.url.len() == len + 1
            && self.url[..base_url.len()] == *base_url.as_bytes()
            && self.url[base_url.len()..len] == *path.as_bytes()
        {
            return Ok(());
        }
        if path.contains('\0') {
            return Err(Error::invalid_argument("a request path contains NUL"));
        }
        self.url.clear();
        self.url.extend_from_slice(base_url.as_bytes());
        self.url.extend_from_slice(path.as_bytes());
        self.url.push(0);
        let raw = self.easy().raw();
        // SAFETY: `url` is NUL-terminated and NUL-free before that; libcurl copies it.
        let rc =
            unsafe { curl_sys::curl_easy_setopt(raw, curl_sys::CURLOPT_URL, self.url.as_ptr()) };
        if rc != curl_sys::CURLE_OK {
            self.url.clear();
        }
        check_setopt(rc)
    }

    /// Sets the method options, unless the handle already has them.
    fn set_method(&mut self, wanted: MethodOptions) -> Result<()> {
        if self.method_set == Some(wanted) {
            return Ok(());
        }
        self.method_set = None;
        let easy = self.easy();
        // Setting POST or GET also clears a previous HEAD's "no body".
        let default_method = if wanted.has_body {
            easy.post(true).map_err(setup_error)?;
            Method::Post
        } else {
            easy.get(true).map_err(setup_error)?;
            Method::Get
        };
        if wanted.method == Method::Head {
            // A custom "HEAD" would make libcurl wait for a body that never comes.
            easy.nobody(true).map_err(setup_error)?;
            // A TUS server's HEAD may announce the upload's length (tusd does): no body
            // follows, so the response size limit does not apply.
            easy.max_filesize(0).map_err(setup_error)?;
            set_custom_request(easy, None)?;
        } else {
            // An announced oversize body is refused before any of it arrives.
            easy.max_filesize(wanted.max_body as u64)
                .map_err(setup_error)?;
            set_custom_request(
                easy,
                (wanted.method != default_method).then_some(wanted.method),
            )?;
        }
        easy.progress(wanted.progress).map_err(setup_error)?;
        self.method_set = Some(wanted);
        Ok(())
    }
}

/// Sets `CURLOPT_CUSTOMREQUEST`, or clears a previous call's with `None`.
fn set_custom_request(easy: &mut Easy2<Collector>, method: Option<Method>) -> Result<()> {
    let verb = method.map_or(std::ptr::null(), |m| m.as_c_str().as_ptr());
    // SAFETY: `verb` is NULL or a NUL-terminated static string; libcurl copies it.
    let rc =
        unsafe { curl_sys::curl_easy_setopt(easy.raw(), curl_sys::CURLOPT_CUSTOMREQUEST, verb) };
    check_setopt(rc)
}

fn check_setopt(rc: curl_sys::CURLcode) -> Result<()> {
    if rc == curl_sys::CURLE_OK {
        Ok(())
    } else {
        Err(setup_error(curl::Error::new(rc)))
    }
}

/// Points the handle's request body at `data`, which libcurl reads where it is
/// (`CURLOPT_POSTFIELDS`) rather than copying it first (`CURLOPT_COPYPOSTFIELDS`).
///
/// # Safety
/// `data` stays alive and in place until the handle's transfer is over. The pointer
/// stays set after that, so every later transfer with a body sets its own first: a
/// bytes body through this function, a streamed one after `curl_easy_reset` (which
/// [`Slot::configure`] runs for it). Transfers without a body never read it.
unsafe fn set_post_fields(easy: &mut Easy2<Collector>, data: &[u8]) -> Result<()> {
    let raw = easy.raw();
    let len = curl_sys::curl_off_t::try_from(data.len())
        .map_err(|_| Error::invalid_argument("the request body is too large"))?;
    // SAFETY: `raw` is the live handle; the size comes first, so libcurl never reads
    // past `data` (with the size unset it would call strlen on it).
    let rc = unsafe { curl_sys::curl_easy_setopt(raw, curl_sys::CURLOPT_POSTFIELDSIZE_LARGE, len) };
    check_setopt(rc)?;
    let rc =
        unsafe { curl_sys::curl_easy_setopt(raw, curl_sys::CURLOPT_POSTFIELDS, data.as_ptr()) };
    check_setopt(rc)
}

fn setup_error(e: curl::Error) -> Error {
    Error::new(Status::Internal, format!("libcurl setup: {e}"))
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.forget_headers();
    }
}

// SAFETY: libcurl handles may be used from any thread, one thread at a time
// (libcurl-thread(3)); a slot is only ever used by the thread that checked it out of
// the pool's mutex. The crate's `Multi` is not marked `Send` only because it holds raw
// pointers; we install no multi-level callbacks. `secret_entries` points into the header
// list the slot's own easy handle owns, so it moves with the slot.
unsafe impl Send for Slot {}

/// Owns the pool of libcurl handles. Shared by every thread using one client.
pub struct Transport {
    idle: Mutex<Vec<Slot>>,
    /// Steppers of calls driven by their callers (`crate::call`), kept for the
    /// transport's life (see [`Stepper`]); as many as such calls ever ran at once.
    steppers: Mutex<Vec<Stepper>>,
    jitter_state: AtomicU64,
    /// How error answers' headers are read: libcurl's header API, or (`None`) a callback.
    header_api: Option<HeaderApi>,
}

impl Default for Transport {
    fn default() -> Self {
        Transport::new()
    }
}

/// The parts of a Pinata error body.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ErrorBody {
    pub reason: Option<String>,
    pub details: Option<String>,
}

/// Parses any of Pinata's error-body shapes:
/// A `{"error":{"reason","details"}}` (A' adds `message`), B `{"error":"text"}`,
/// C `{"error":{"code","message"}}`, D plain text or HTML. Never fails.
pub fn parse_error_body(body: &[u8]) -> ErrorBody {
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    };
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
        let err = value.get("error").unwrap_or(&value);
        match err {
            serde_json::Value::String(s) => {
                return ErrorBody {
                    reason: None,
                    details: Some(s.clone()),
                }
            }
            serde_json::Value::Object(map) => {
                let reason = map.get("reason").and_then(text);
                let details = map
                    .get("details")
                    .and_then(text)
                    .or_else(|| map.get("message").and_then(text))
                    .or_else(|| map.get("error").and_then(text));
                if reason.is_some() || details.is_some() {
                    return ErrorBody { reason, details };
                }
            }
            _ => {}
        }
    }
    // Shape D: keep a short, printable excerpt of the text.
    let raw = String::from_utf8_lossy(body);
    let excerpt: String = raw
        .chars()
        .filter(|c| !c.is_control() || *c == ' ')
        .take(200)
        .collect();
    let excerpt = excerpt.trim().to_string();
    ErrorBody {
        reason: None,
        details: (!excerpt.is_empty()).then_some(excerpt),
    }
}

/// Maps an HTTP error status and Pinata `reason` to a status class.
pub fn status_for_http(http: u16, reason: Option<&str>) -> Status {
    match (http, reason) {
        (400, Some("KEYS_MUST_BE_STRINGS")) => Status::Unauthorized,
        (400, Some("CURRENT_USER_HAS_NOT_PINNED_CID")) => Status::NotFound,
        (401, _) => Status::Unauthorized,
        (403, _) => Status::Forbidden,
        (404, _) => Status::NotFound,
        (429, _) => Status::RateLimited,
        (400..=499, _) => Status::BadRequest,
        (500..=599, _) => Status::Server,
        _ => Status::Protocol,
    }
}

/// Turns a non-2xx response into an error carrying everything the caller can act on.
pub fn error_from_response(resp: &Response) -> Error {
    let parsed = parse_error_body(&resp.body);
    let status = status_for_http(resp.status, parsed.reason.as_deref());
    let mut message = format!("HTTP {}", resp.status);
    if let Some(r) = &parsed.reason {
        message.push(' ');
        message.push_str(r);
    }
    if let Some(d) = &parsed.details {
        message.push_str(": ");
        message.push_str(d);
    }
    // X-RateLimit-Reset describes the rate-limit window, so it only explains a 429;
    // a 503 is delayed only by an explicit Retry-After.
    let retry_after = match resp.status {
        429 => resp.retry_after(),
        503 => resp
            .header("retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok()),
        _ => None,
    };
    Error::new(status, message).with_http(resp.status, parsed.reason, parsed.details, retry_after)
}

/// Whether a success answer's headers are read: those of TUS requests (PATCH, HEAD, and
/// the bodyless POST that creates an upload), whose results travel in headers.
fn keeps_success_headers(req: &Request) -> bool {
    match req.method {
        Method::Patch | Method::Head => true,
        Method::Post => matches!(req.body, Body::Empty),
        _ => false,
    }
}

/// Whether a failed attempt may be repeated: failures before the request left, and
/// answers that say "try again", always; failures after it may have been processed
/// (a reset mid-request, a timeout, a 500) only for idempotent requests.
fn retryable(err: &Error, idempotent: bool) -> bool {
    if err.is_permanent() {
        return false;
    }
    if err.was_not_sent() {
        return true;
    }
    match err.status() {
        Status::Network => idempotent,
        Status::RateLimited => true,
        Status::Server => matches!(err.http_status(), 502..=504) || idempotent,
        Status::BadRequest => err.http_status() == 408,
        _ => false,
    }
}

impl Transport {
    /// An empty pool.
    pub fn new() -> Transport {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9E37_79B9_7F4A_7C15)
            | 1;
        Transport {
            idle: Mutex::new(Vec::new()),
            steppers: Mutex::new(Vec::new()),
            jitter_state: AtomicU64::new(seed),
            header_api: HeaderApi::loaded(),
        }
    }

    /// Whether error answers' headers are read through libcurl's header API (libcurl 7.83
    /// and later) rather than a header callback.
    #[doc(hidden)]
    pub fn uses_header_api(&self) -> bool {
        self.header_api.is_some()
    }

    /// A pool that reads response headers through a callback even when libcurl has its
    /// header API: the path taken with libcurl older than 7.83, for tests.
    #[doc(hidden)]
    pub fn with_header_callback() -> Transport {
        Transport {
            header_api: None,
            ..Transport::new()
        }
    }

    /// A uniformly random fraction in [0, 1) for backoff jitter (xorshift; not crypto).
    pub(crate) fn jitter(&self) -> f64 {
        let step = |mut x: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        // One atomic update, so threads retrying at once never draw the same value.
        let previous = self
            .jitter_state
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |x| Some(step(x)))
            .unwrap_or_else(|x| x);
        (step(previous) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn checkout(&self) -> Slot {
        let slot = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        slot.unwrap_or_else(Slot::new)
    }

    /// A stepper for a call its caller drives: an idle one, or a new one.
    pub(crate) fn checkout_stepper(&self) -> Result<Stepper> {
        let idle = self
            .steppers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop();
        idle.map_or_else(Stepper::new, Ok)
    }

    /// Gives back a stepper with no transfer on it.
    pub(crate) fn checkin_stepper(&self, stepper: Stepper) {
        *stepper.deadline.lock().unwrap_or_else(|p| p.into_inner()) = None;
        self.steppers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(stepper);
    }

    fn checkin(&self, mut slot: Slot) {
        *slot.easy().get_mut() = Collector::default();
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < MAX_IDLE_HANDLES {
            idle.push(slot);
        }
    }

    /// Executes a request with retries. `auth_headers` are added to every attempt; the
    /// pooled handle keeps them in its header list until it is dropped or given other
    /// ones, and wipes them then. A non-2xx answer becomes an `Error`.
    pub fn execute(
        &self,
        config: &Config,
        auth_headers: &[impl AsRef<str>],
        mut req: Request,
        hooks: &mut Hooks,
    ) -> Result<Response> {
        let started = Instant::now();
        let mut attempt: u32 = 0;
        loop {
            if hooks.cancelled() {
                return Err(Error::cancelled());
            }
            let outcome = self
                .attempt(config, auth_headers, &mut req, hooks)
                .and_then(|resp| {
                    if (200..300).contains(&resp.status) {
                        Ok(resp)
                    } else {
                        Err(error_from_response(&resp))
                    }
                });
            let err = match outcome {
                Ok(resp) => return Ok(resp),
                Err(e) => e,
            };
            let Some(delay) = self.retry_delay(config, &err, &req, attempt, started) else {
                return Err(err);
            };
            sleep_cancellable(delay, &hooks.cancel)?;
            attempt += 1;
        }
    }

    /// How long to wait before attempt `attempt + 1` of `req` after `err`, or `None`
    /// when the call must fail with `err`: retries used up, an error not worth retrying,
    /// or a wait past the retry budget of a call started at `started`.
    fn retry_delay(
        &self,
        config: &Config,
        err: &Error,
        req: &Request,
        attempt: u32,
        started: Instant,
    ) -> Option<Duration> {
        if attempt >= config.max_retries || !retryable(err, req.idempotent) {
            return None;
        }
        // Exponential backoff with full jitter, but never shorter than the server asked.
        let exp = config
            .backoff_base
            .saturating_mul(1u32 << attempt.min(16))
            .min(config.backoff_max);
        let mut delay = exp.mul_f64(self.jitter());
        if let Some(secs) = err.retry_after() {
            delay = delay.max(Duration::from_secs(secs));
        }
        (started.elapsed() + delay <= config.retry_budget).then_some(delay)
    }

    fn attempt(
        &self,
        config: &Config,
        auth_headers: &[impl AsRef<str>],
        req: &mut Request,
        hooks: &mut Hooks,
    ) -> Result<Response> {
        let mut slot = self.checkout();
        let result = Self::configure_and_perform(
            &mut slot,
            self.header_api,
            config,
            auth_headers,
            req,
            hooks,
        );
        // Hand the progress callback back for the next attempt.
        if let Some(easy) = slot.easy.as_mut() {
            hooks.progress = easy.get_mut().progress.take();
        }
        if result.is_ok() {
            self.checkin(slot);
        }
        // On a failure the slot (and its connection) is dropped, not reused.
        result
    }

    /// Runs the transfer of `slot.easy` on its multi handle, looking at the cancel
    /// flags between waits. Returns libcurl's result for the transfer, or
    /// `PINATA_E_CANCELLED` (the transfer is then abandoned), or an internal error when
    /// libcurl's multi interface fails.
    fn perform(slot: &mut Slot) -> Result<std::result::Result<(), curl::Error>> {
        let easy = slot.easy.take().expect("a slot holds its easy handle");
        let handle = slot.multi.add2(easy).map_err(multi_error)?;
        let outcome = Self::drive(&slot.multi, &handle);
        // The handle goes back into the slot whatever happened (the slot wipes the
        // credentials of its header list only while it holds the handle).
        slot.easy = Some(slot.multi.remove2(handle).map_err(multi_error)?);
        match outcome? {
            None => Err(Error::cancelled()),
            Some(done) => Ok(done),
        }
    }

    /// Runs `handle`'s transfer on `multi` to its end (`Some` of libcurl's result) or
    /// until a cancel flag is raised (`None`).
    fn drive(
        multi: &Multi,
        handle: &curl::multi::Easy2Handle<Collector>,
    ) -> Result<Option<std::result::Result<(), curl::Error>>> {
        loop {
            let running = multi.perform().map_err(multi_error)?;
            let mut done = None;
            multi.messages(|msg| {
                if let Some(r) = msg.result_for2(handle) {
                    done = Some(r);
                }
            });
            if done.is_some() || running == 0 {
                return Ok(Some(done.unwrap_or(Ok(()))));
            }
            if any_cancelled(&handle.get_ref().cancel) {
                return Ok(None);
            }
            multi.wait(&mut [], CANCEL_POLL).map_err(multi_error)?;
        }
    }

    /// Configures the slot's handle for `req`, runs it, and reads the response.
    fn configure_and_perform(
        slot: &mut Slot,
        header_api: Option<HeaderApi>,
        config: &Config,
        auth_headers: &[impl AsRef<str>],
        req: &mut Request,
        hooks: &mut Hooks,
    ) -> Result<Response> {
        Self::configure(slot, header_api, config, auth_headers, req, hooks)?;
        // Only a call that can be cancelled needs the polling loop; the others take
        // libcurl's own blocking perform, the cheapest path per call.
        let performed = if hooks.cancel.is_empty() {
            Ok(slot.easy().perform())
        } else {
            Self::perform(slot)
        };
        Self::finish(slot, header_api, req, performed)
    }

    /// Configures the slot's handle for `req`: settings, URL, headers, method, body and
    /// hooks (the progress callback moves into the handle until [`Self::finish`]).
    fn configure(
        slot: &mut Slot,
        header_api: Option<HeaderApi>,
        config: &Config,
        auth_headers: &[impl AsRef<str>],
        req: &mut Request,
        hooks: &mut Hooks,
    ) -> Result<()> {
        let streamed = req.transfer || matches!(req.body, Body::Stream { .. });
        let http_version = config.http_version.for_request(req.transfer);
        let configured = slot
            .setup
            .as_ref()
            .is_some_and(|s| s.matches(config, http_version));
        if streamed || !configured {
            slot.configure(config, http_version, header_api)
                .map_err(setup_error)?;
        }
        if streamed {
            // Whatever this call leaves on the handle is reset before the next one.
            slot.setup = None;
        }
        slot.set_url(&config.base_url, &req.path)?;
        let content_type = match &req.body {
            Body::Empty => None,
            Body::Bytes { content_type, .. } | Body::Stream { content_type, .. } => {
                Some(content_type.as_str())
            }
        };
        // libcurl asks `Expect: 100-continue` before a body over 1 MiB or of unknown size
        // (EXPECT_100_THRESHOLD in its http.h, the same in every version that has it).
        let large_body = match &req.body {
            Body::Empty => false,
            Body::Bytes { data, .. } => data.len() > EXPECT_100_THRESHOLD,
            Body::Stream { len, .. } => *len > EXPECT_100_THRESHOLD as u64,
        };
        slot.set_headers(auth_headers, content_type, large_body)
            .map_err(setup_error)?;

        let easy = slot.easy();
        if req.transfer {
            easy.get_mut().stall_timeout = Some(config.stall_timeout);
            easy.timeout(Duration::ZERO).map_err(setup_error)?;
            let (most, len) = match &req.body {
                Body::Stream {
                    append: true, len, ..
                } => (TUS_UPLOAD_BUFFER_BYTES, *len),
                Body::Stream { len, .. } => (UPLOAD_BUFFER_BYTES, *len),
                _ => (UPLOAD_BUFFER_BYTES, u64::MAX),
            };
            // No larger than the body: libcurl allocates the whole buffer per transfer,
            // and a batch of small files paid for 2 MiB each (page faults, and the heap
            // trimmed and grown again per file).
            let buffer =
                usize::try_from(len).map_or(most, |len| len.clamp(MIN_UPLOAD_BUFFER_BYTES, most));
            easy.upload_buffer_size(buffer).map_err(setup_error)?;
        }
        let collector = easy.get_mut();
        collector.cancel = hooks.cancel.clone();
        collector.progress = hooks.progress.take();
        collector.keep_success_headers = keeps_success_headers(req);
        collector.max_body = config.max_response_bytes;
        let progress = collector.progress.is_some() || !collector.cancel.is_empty() || req.transfer;
        slot.set_method(MethodOptions {
            method: req.method,
            has_body: !matches!(req.body, Body::Empty),
            progress,
            max_body: config.max_response_bytes,
        })?;
        let easy = slot.easy();
        match &mut req.body {
            Body::Empty => {}
            Body::Bytes { data, .. } => {
                // Handing libcurl the bytes lets it send a small request in one packet
                // with its headers; a read callback costs a second send.
                // SAFETY: `req` outlives the transfer (the caller keeps it until
                // `finish`; a `Transfer` drops it after its handle), and the `Arc`'s
                // bytes never move.
                unsafe { set_post_fields(easy, data) }?;
            }
            Body::Stream {
                len,
                source,
                append,
                ..
            } => {
                let reader = source()?;
                easy.post_field_size(*len).map_err(setup_error)?;
                let collector = easy.get_mut();
                collector.upload = Some(reader);
                if !*append {
                    collector.upload_source = Some(std::mem::replace(source, Box::new(no_source)));
                }
                collector.upload_total = *len;
            }
        }
        Ok(())
    }

    /// Reads the response of the transfer `performed` ran on the slot's handle (or the
    /// error that ended it), and hands the request its body source back for a retry.
    fn finish(
        slot: &mut Slot,
        header_api: Option<HeaderApi>,
        req: &mut Request,
        performed: Result<std::result::Result<(), curl::Error>>,
    ) -> Result<Response> {
        let Some(easy) = slot.easy.as_mut() else {
            return Err(performed.err().unwrap_or_else(|| {
                Error::new(Status::Internal, "libcurl lost the transfer's handle")
            }));
        };
        // The proxy's answer to CONNECT (0 without a tunnel), read before the collector
        // is borrowed.
        let connect_code = easy.http_connectcode().unwrap_or(0);
        let collector = easy.get_mut();
        collector.upload = None;
        if let (
            Some(source),
            Body::Stream {
                source: slot_source,
                ..
            },
        ) = (collector.upload_source.take(), &mut req.body)
        {
            // Back to the request, for the next attempt.
            *slot_source = source;
        }
        match performed? {
            Ok(()) => {}
            Err(e) => {
                if connect_code >= 300 {
                    return Err(proxy_refused(connect_code));
                }
                return Err(Self::map_curl_error(e, collector));
            }
        }
        let status = easy
            .response_code()
            .map_err(|e| Error::new(Status::Internal, format!("libcurl: {e}")))?;
        let status = status as u16;
        let headers = match header_api {
            Some(api) if !(200..300).contains(&status) || keeps_success_headers(req) => {
                api.read_kept(easy)
            }
            _ => std::mem::take(&mut easy.get_mut().headers),
        };
        Ok(Response {
            status,
            headers,
            body: std::mem::take(&mut easy.get_mut().body),
        })
    }

    fn map_curl_error(e: curl::Error, collector: &mut Collector) -> Error {
        if let Some(what) = collector.panicked.take() {
            return Error::new(
                Status::Internal,
                format!("internal error (caught panic in a transfer callback): {what}"),
            );
        }
        if let Some(err) = collector.upload_error.take() {
            return err;
        }
        if collector.stalled {
            let secs = collector.stall_timeout.unwrap_or_default().as_secs_f64();
            return Error::new(
                Status::Timeout,
                format!("timed out: no data moved for {secs:.1} s"),
            );
        }
        if collector.progress_stopped || any_cancelled(&collector.cancel) {
            return Error::cancelled();
        }
        if collector.body_overflow || e.is_filesize_exceeded() {
            return Error::protocol(format!(
                "the response body is larger than {} bytes",
                collector.max_body
            ));
        }
        let detail = e.extra_description().unwrap_or(e.description()).to_string();
        if let Some(err) = tls_error(&e, &detail) {
            return err;
        }
        if e.is_operation_timedout() {
            Error::new(Status::Timeout, format!("timed out: {detail}"))
        } else if e.is_aborted_by_callback() {
            Error::cancelled()
        } else if e.is_couldnt_connect() || e.is_couldnt_resolve_host() {
            Error::new(Status::Network, format!("network error: {detail}")).before_sending()
        } else {
            Error::new(Status::Network, format!("network error: {detail}"))
        }
    }
}

/// The `PINATA_E_NETWORK` error for a proxy that answered CONNECT with an error. The
/// message names the proxy's HTTP status, never the proxy URL (it may hold credentials).
fn proxy_refused(code: u32) -> Error {
    let hint = match code {
        407 => " (proxy authentication required: check the proxy credentials)",
        // tinyproxy, among others, answers wrong credentials with 401.
        401 => " (proxy authentication failed: check the proxy credentials)",
        403 => " (forbidden by the proxy)",
        _ => "",
    };
    Error::new(
        Status::Network,
        format!("the proxy refused the tunnel to the server: HTTP {code}{hint}"),
    )
    .permanent()
}

/// The `PINATA_E_TLS` error for a libcurl failure of the TLS handshake or of
/// certificate verification, with a message that says what to check; `None` for other
/// failures. libcurl's own text (e.g. "SSL certificate problem: certificate has
/// expired") follows, naming the exact problem.
fn tls_error(e: &curl::Error, detail: &str) -> Option<Error> {
    let what = if e.is_peer_failed_verification() || e.is_ssl_cacert() {
        "the server's TLS certificate was not accepted (unknown CA, name mismatch or expired)"
    } else if e.is_ssl_cacert_badfile() || e.is_ssl_crl_badfile() {
        "the CA bundle could not be loaded (is it a readable PEM file?)"
    } else if e.is_ssl_certproblem() || e.is_ssl_issuer_error() {
        "a TLS certificate could not be used"
    } else if e.is_ssl_connect_error() || e.is_ssl_cipher() {
        "the TLS handshake failed (does the server speak TLS on this port?)"
    } else if e.is_ssl_engine_notfound()
        || e.is_ssl_engine_setfailed()
        || e.is_ssl_engine_initfailed()
        || e.is_use_ssl_failed()
    {
        "TLS could not be set up"
    } else {
        return None;
    };
    // Not marked as unsent: a certificate does not get better on a retry.
    Some(Error::new(
        Status::Tls,
        format!("TLS error: {what}: {detail}"),
    ))
}

/// libcurl's multi interface failing (not a transfer's failure): an internal error.
fn multi_error(e: curl::MultiError) -> Error {
    Error::new(Status::Internal, format!("libcurl multi: {e}"))
}

/// The body size above which libcurl sends `Expect: 100-continue` unless told not to.
const EXPECT_100_THRESHOLD: usize = 1024 * 1024;

/// A curl multi handle that runs many calls' transfers from one thread (many files at
/// once, `crate::batch`): [`Transport::launch`] adds a call's next attempt,
/// [`Driver::perform`] moves every transfer along and returns those that finished, and
/// [`Transport::land`] reads each one's answer.
pub(crate) struct Driver {
    multi: Multi,
}

/// A transfer libcurl reports done: the token it was launched with, and its result.
pub(crate) struct Finished {
    pub(crate) token: usize,
    result: std::result::Result<(), curl::Error>,
}

impl Driver {
    pub(crate) fn new() -> Driver {
        Driver {
            multi: Multi::new(),
        }
    }

    /// Moves every transfer along without waiting. Returns how many are still running,
    /// and the transfers that finished.
    pub(crate) fn perform(&self) -> Result<(u32, Vec<Finished>)> {
        let running = self.multi.perform().map_err(multi_error)?;
        Ok((running, self.finished()))
    }

    /// Waits until a transfer's socket is ready, libcurl has a timeout due, or `timeout`
    /// has passed.
    pub(crate) fn wait(&self, timeout: Duration) -> Result<()> {
        self.multi.wait(&mut [], timeout).map_err(multi_error)?;
        Ok(())
    }

    /// The transfers libcurl has reported done since the last look.
    fn finished(&self) -> Vec<Finished> {
        let mut finished = Vec::new();
        self.multi.messages(|m| {
            if let (Ok(token), Some(result)) = (m.token(), m.result()) {
                finished.push(Finished { token, result });
            }
        });
        finished
    }
}

/// A [`Driver`] that never blocks, for calls their caller drives (`crate::call`): on
/// Linux libcurl's sockets are watched by an epoll set whose descriptor ([`Stepper::fd`])
/// the caller waits on in its own event loop (Go's netpoller), and [`Stepper::advance`]
/// runs libcurl only for the sockets that are ready and the timer that is due. Where
/// there is no epoll, `fd` is -1 and `advance` waits for the sockets itself, briefly.
///
/// Steppers are pooled by the [`Transport`] and live as long as it does: their multi
/// handles keep the connections from call to call, and their descriptors stay the same,
/// so a caller can register each one once.
pub(crate) struct Stepper {
    /// Dropped first: libcurl's cleanup tells the socket callback to unwatch sockets
    /// while the poll set is still open.
    driver: Driver,
    poll: PollSet,
    /// When libcurl's timer is due (its timer callback sets it).
    deadline: Arc<Mutex<Option<Instant>>>,
}

// SAFETY: as for `Slot`: a stepper is used by one thread at a time (the one that checked
// it out, or the caller that owns the call holding it), which libcurl allows; its
// callbacks only touch the poll set's descriptor and the `deadline` mutex.
unsafe impl Send for Stepper {}

/// The longest `advance` waits where there is no poll set to hand to the caller.
const STEP_WAIT: Duration = Duration::from_millis(10);

/// How many rounds of ready sockets one `advance` handles before it lets its caller
/// in again (libcurl may leave data in a socket for its next round).
const MAX_ROUNDS_PER_STEP: usize = 32;

impl Stepper {
    fn new() -> Result<Stepper> {
        Self::with_poll_set(PollSet::new()?)
    }

    /// A stepper without a poll set, as off Linux (to test that path here).
    #[cfg(test)]
    pub(crate) fn without_poll_set() -> Result<Stepper> {
        Self::with_poll_set(PollSet::none())
    }

    fn with_poll_set(poll: PollSet) -> Result<Stepper> {
        let mut multi = Multi::new();
        let deadline = Arc::new(Mutex::new(None));
        if let Some(watch) = poll.watcher() {
            multi
                .socket_function(move |socket, events, _| watch.update(socket, &events))
                .map_err(multi_error)?;
            let due = Arc::clone(&deadline);
            multi
                .timer_function(move |timeout| {
                    *due.lock().unwrap_or_else(|p| p.into_inner()) =
                        timeout.map(|t| Instant::now() + t);
                    true
                })
                .map_err(multi_error)?;
        }
        Ok(Stepper {
            driver: Driver { multi },
            poll,
            deadline,
        })
    }

    /// The multi handle the stepped call is launched on.
    pub(crate) fn driver(&self) -> &Driver {
        &self.driver
    }

    /// The descriptor that becomes readable when a socket of this stepper is ready, or
    /// -1 where there is none.
    pub(crate) fn fd(&self) -> i32 {
        self.poll.fd()
    }

    /// How long the caller may wait on [`Stepper::fd`] before the next `advance`:
    /// `None` until a socket is ready, zero when the next step is due at once.
    pub(crate) fn wait_hint(&self) -> Option<Duration> {
        if self.fd() < 0 {
            return Some(Duration::ZERO);
        }
        let deadline = *self.deadline.lock().unwrap_or_else(|p| p.into_inner());
        deadline.map(|at| at.saturating_duration_since(Instant::now()))
    }

    /// Moves the transfers along without blocking (but see [`Stepper`] for platforms
    /// without epoll) and returns those that finished.
    pub(crate) fn advance(&self) -> Result<Vec<Finished>> {
        if self.poll.fd() < 0 {
            // No poll set (not Linux, or refused): move, and if nothing finished, wait a
            // little for the sockets here and move again.
            let (_, finished) = self.driver.perform()?;
            if !finished.is_empty() {
                return Ok(finished);
            }
            self.driver.wait(STEP_WAIT)?;
            return Ok(self.driver.perform()?.1);
        }
        let mut ready = Vec::new();
        for _ in 0..MAX_ROUNDS_PER_STEP {
            self.run_due_timer()?;
            ready.clear();
            self.poll.ready(&mut ready)?;
            if ready.is_empty() {
                break;
            }
            for (socket, events) in &ready {
                self.driver
                    .multi
                    .action(*socket, events)
                    .map_err(multi_error)?;
            }
            // A transfer that finished ends the step: asking the kernel once more
            // whether a socket is ready would cost a system call per call for nothing
            // (a socket still ready keeps the descriptor readable for the next step).
            let finished = self.driver.finished();
            if !finished.is_empty() {
                return Ok(finished);
            }
            // A timer libcurl set due at once while handling these is left to the next
            // round, or to the next step (the wait hint is then zero).
        }
        Ok(self.driver.finished())
    }

    /// Runs what is due without looking at the sockets: libcurl's timer, from which a
    /// transfer just launched sends its request. For a call's start: its caller steps
    /// once the descriptor is readable, so asking the kernel now, before any answer
    /// can have come, would cost a system call for nothing. Where there is no poll
    /// set, libcurl moves the transfers once, without waiting.
    pub(crate) fn kick(&self) -> Result<Vec<Finished>> {
        if self.poll.fd() < 0 {
            return Ok(self.driver.perform()?.1);
        }
        self.run_due_timer()?;
        Ok(self.driver.finished())
    }

    /// Tells libcurl its timer has expired, if it has.
    fn run_due_timer(&self) -> Result<()> {
        let due = {
            let mut deadline = self.deadline.lock().unwrap_or_else(|p| p.into_inner());
            let due = deadline.is_some_and(|at| at <= Instant::now());
            if due {
                *deadline = None;
            }
            due
        };
        if due {
            self.driver.multi.timeout().map_err(multi_error)?;
        }
        Ok(())
    }
}

/// The epoll set a [`Stepper`]'s sockets are watched by; none where the system
/// refuses one (a sandbox), and the stepper then waits itself, as off Linux.
#[cfg(target_os = "linux")]
struct PollSet {
    fd: Option<std::os::fd::OwnedFd>,
}

/// What the socket callback keeps of the poll set: its descriptor.
#[cfg(target_os = "linux")]
struct PollWatcher {
    epoll: i32,
}

#[cfg(target_os = "linux")]
impl PollSet {
    fn new() -> Result<PollSet> {
        use std::os::fd::FromRawFd;
        // SAFETY: plain system calls; the descriptor is owned from here on.
        let fd = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
        if fd < 0 {
            return Ok(PollSet::none());
        }
        // SAFETY: `fd` is a new descriptor nobody else owns.
        let fd = unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) };
        // Non-blocking, so that event loops that insist on it (Go's) accept it.
        // SAFETY: fcntl on a descriptor we own.
        unsafe {
            let flags = libc::fcntl(std::os::fd::AsRawFd::as_raw_fd(&fd), libc::F_GETFL);
            libc::fcntl(
                std::os::fd::AsRawFd::as_raw_fd(&fd),
                libc::F_SETFL,
                flags | libc::O_NONBLOCK,
            );
        }
        Ok(PollSet { fd: Some(fd) })
    }

    /// No set: the stepper waits itself.
    fn none() -> PollSet {
        PollSet { fd: None }
    }

    fn fd(&self) -> i32 {
        self.fd.as_ref().map_or(-1, std::os::fd::AsRawFd::as_raw_fd)
    }

    fn watcher(&self) -> Option<PollWatcher> {
        self.fd.as_ref().map(|_| PollWatcher { epoll: self.fd() })
    }

    /// Every socket that is ready, with what it is ready for, without waiting.
    fn ready(&self, out: &mut Vec<(curl::multi::Socket, curl::multi::Events)>) -> Result<()> {
        if self.fd.is_none() {
            return Ok(());
        }
        const BATCH: usize = 8;
        let mut events = [libc::epoll_event { events: 0, u64: 0 }; BATCH];
        // SAFETY: `events` has room for BATCH entries; a zero timeout never blocks.
        let n = unsafe { libc::epoll_wait(self.fd(), events.as_mut_ptr(), BATCH as i32, 0) };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::Interrupted {
                return Ok(());
            }
            return Err(Error::new(Status::Internal, format!("epoll_wait: {e}")));
        }
        for ev in &events[..n as usize] {
            let bits = ev.events as i32;
            let mut what = curl::multi::Events::new();
            what.input(bits & libc::EPOLLIN != 0)
                .output(bits & libc::EPOLLOUT != 0)
                .error(bits & (libc::EPOLLERR | libc::EPOLLHUP) != 0);
            out.push((ev.u64 as curl::multi::Socket, what));
        }
        Ok(())
    }
}

#[cfg(target_os = "linux")]
impl PollWatcher {
    /// libcurl's socket callback: watch `socket` for what libcurl waits for, or stop.
    fn update(&self, socket: curl::multi::Socket, what: &curl::multi::SocketEvents) {
        let mut ev = libc::epoll_event {
            events: 0,
            u64: socket as u64,
        };
        // SAFETY: epoll_ctl on our epoll descriptor (alive: the multi handle whose
        // callback this is is dropped before the poll set) and libcurl's socket.
        unsafe {
            if what.remove() {
                libc::epoll_ctl(self.epoll, libc::EPOLL_CTL_DEL, socket, &mut ev);
                return;
            }
            if what.input() {
                ev.events |= libc::EPOLLIN as u32;
            }
            if what.output() {
                ev.events |= libc::EPOLLOUT as u32;
            }
            if libc::epoll_ctl(self.epoll, libc::EPOLL_CTL_MOD, socket, &mut ev) != 0 {
                libc::epoll_ctl(self.epoll, libc::EPOLL_CTL_ADD, socket, &mut ev);
            }
        }
    }
}

/// Without epoll there is no set to hand out: [`Stepper::advance`] waits itself.
#[cfg(not(target_os = "linux"))]
struct PollSet;

#[cfg(not(target_os = "linux"))]
enum PollWatcher {}

#[cfg(not(target_os = "linux"))]
impl PollSet {
    fn new() -> Result<PollSet> {
        Ok(PollSet)
    }
    #[cfg(test)]
    fn none() -> PollSet {
        PollSet
    }
    fn fd(&self) -> i32 {
        -1
    }
    fn watcher(&self) -> Option<PollWatcher> {
        None
    }
    fn ready(&self, _: &mut Vec<(curl::multi::Socket, curl::multi::Events)>) -> Result<()> {
        Ok(())
    }
}

#[cfg(not(target_os = "linux"))]
impl PollWatcher {
    fn update(&self, _: curl::multi::Socket, _: &curl::multi::SocketEvents) {
        match *self {}
    }
}

/// A call run among others on a [`Driver`]: [`Transport::launch`] configures a pooled
/// handle for its next attempt and adds it to the driver; when the driver reports the
/// attempt done, [`Transport::land`] reads the answer and decides on a retry, which the
/// caller launches again once the delay has passed.
pub(crate) struct Transfer {
    hooks: Hooks,
    attempt: u32,
    started: Instant,
    /// The pooled slot whose handle the driver holds as `handle`.
    slot: Option<Slot>,
    handle: Option<curl::multi::Easy2Handle<Collector>>,
    /// Declared after `handle`, so dropped after it: libcurl reads a bytes body where
    /// it is (`set_post_fields`) until the handle has left the multi handle.
    req: Request,
}

impl Drop for Transfer {
    /// A transfer dropped while launched (its batch returned early because libcurl's
    /// multi interface failed) still holds the live handle: wipe the credentials of its
    /// header list now, before the handle (declared after the slot) frees it.
    fn drop(&mut self) {
        if let (Some(slot), Some(_live)) = (self.slot.as_mut(), self.handle.as_ref()) {
            // SAFETY: `handle` owns the easy handle the slot configured, and is alive.
            unsafe { slot.wipe_credentials() };
        }
    }
}

/// What became of a [`Transfer`]'s attempt.
pub(crate) enum Landing {
    /// The call's outcome (a non-2xx answer is an error).
    Done(Result<Response>),
    /// Launch it again after this delay.
    Retry(Duration),
}

impl Transfer {
    /// Whether a cancel token of the call is raised.
    pub(crate) fn cancelled(&self) -> bool {
        self.hooks.cancelled()
    }

    /// Whether an attempt is on a driver now.
    pub(crate) fn launched(&self) -> bool {
        self.handle.is_some()
    }

    pub(crate) fn new(req: Request, hooks: Hooks) -> Transfer {
        Transfer {
            req,
            hooks,
            attempt: 0,
            started: Instant::now(),
            slot: None,
            handle: None,
        }
    }
}

impl Transport {
    /// Starts the transfer's next attempt on `driver`, tagged with `token` (what
    /// [`Finished::token`] carries back). `Err` when it cannot start (cancelled, or a
    /// setting libcurl refuses): the call's outcome.
    pub(crate) fn launch(
        &self,
        driver: &Driver,
        config: &Config,
        auth_headers: &[impl AsRef<str>],
        t: &mut Transfer,
        token: usize,
    ) -> Result<()> {
        if t.hooks.cancelled() {
            return Err(Error::cancelled());
        }
        let mut slot = self.checkout();
        Self::configure(
            &mut slot,
            self.header_api,
            config,
            auth_headers,
            &mut t.req,
            &mut t.hooks,
        )?;
        let easy = slot.easy.take().expect("a slot holds its easy handle");
        let mut handle = driver.multi.add2(easy).map_err(multi_error)?;
        handle.set_token(token).map_err(setup_error)?;
        t.slot = Some(slot);
        t.handle = Some(handle);
        Ok(())
    }

    /// Takes the transfer's finished attempt off `driver` and reads its answer, as
    /// [`Transport::execute`] would.
    pub(crate) fn land(
        &self,
        driver: &Driver,
        config: &Config,
        t: &mut Transfer,
        done: Finished,
    ) -> Landing {
        let (Some(mut slot), Some(handle)) = (t.slot.take(), t.handle.take()) else {
            return Landing::Done(Err(Error::new(
                Status::Internal,
                "a transfer landed that was not launched",
            )));
        };
        let outcome = match driver.multi.remove2(handle) {
            Ok(easy) => {
                slot.easy = Some(easy);
                Self::finish(&mut slot, self.header_api, &mut t.req, Ok(done.result))
            }
            Err(e) => Err(multi_error(e)),
        };
        if let Some(easy) = slot.easy.as_mut() {
            t.hooks.progress = easy.get_mut().progress.take();
        }
        let err = match outcome.and_then(|resp| {
            if (200..300).contains(&resp.status) {
                Ok(resp)
            } else {
                Err(error_from_response(&resp))
            }
        }) {
            Ok(resp) => {
                self.checkin(slot);
                return Landing::Done(Ok(resp));
            }
            // As in `attempt`: the slot (and its connection) is dropped, not reused.
            Err(e) => e,
        };
        match self.retry_delay(config, &err, &t.req, t.attempt, t.started) {
            Some(delay) if !t.hooks.cancelled() => {
                t.attempt += 1;
                Landing::Retry(delay)
            }
            _ => Landing::Done(Err(err)),
        }
    }

    /// Cancels the transfer: takes its attempt off `driver` at once (its connection is
    /// closed with its handle) and returns the call's outcome.
    pub(crate) fn abandon(&self, driver: &Driver, t: &mut Transfer) -> Error {
        if let (Some(handle), Some(slot)) = (t.handle.take(), t.slot.as_mut()) {
            // Back into its slot, which is then dropped with it: the slot wipes the
            // credentials of the handle's header list before the list is freed.
            slot.easy = driver.multi.remove2(handle).ok();
        }
        t.slot = None;
        Error::cancelled()
    }
}

/// Sleeps for `delay`, waking early (with `PINATA_E_CANCELLED`) if the token is raised.
pub(crate) fn sleep_cancellable(delay: Duration, cancel: &[CancelToken]) -> Result<()> {
    let deadline = Instant::now() + delay;
    loop {
        if any_cancelled(cancel) {
            return Err(Error::cancelled());
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok(());
        }
        std::thread::sleep((deadline - now).min(Duration::from_millis(20)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_all_error_shapes() {
        let a = parse_error_body(
            br#"{"error":{"reason":"NO_SCOPES_FOUND","details":"This key does not have the required scopes associated with it"}}"#,
        );
        assert_eq!(a.reason.as_deref(), Some("NO_SCOPES_FOUND"));
        assert!(a.details.unwrap().starts_with("This key"));
        let a2 = parse_error_body(br#"{"error":{"reason":"X","details":"d","message":"d"}}"#);
        assert_eq!(a2.reason.as_deref(), Some("X"));
        assert_eq!(a2.details.as_deref(), Some("d"));
        let b = parse_error_body(br#"{"error":"Invalid request format."}"#);
        assert_eq!(b.reason, None);
        assert_eq!(b.details.as_deref(), Some("Invalid request format."));
        let c = parse_error_body(
            br#"{"error":{"code":401,"message":"no Authorization header found"}}"#,
        );
        assert_eq!(c.details.as_deref(), Some("no Authorization header found"));
        let d = parse_error_body(b"<html>502 Bad Gateway</html>\r\n");
        assert_eq!(d.details.as_deref(), Some("<html>502 Bad Gateway</html>"));
        assert_eq!(parse_error_body(b""), ErrorBody::default());
    }

    #[test]
    fn keeps_the_retry_headers_of_error_answers_only() {
        let mut c = Collector::default();
        for line in [
            &b"HTTP/1.1 100 Continue\r\n"[..],
            b"\r\n",
            b"HTTP/1.1 429 Too Many Requests\r\n",
            b"Retry-After:  7 \r\n",
            b"X-Other: 1\r\n",
            b"content-type: text/plain\r\n",
        ] {
            assert!(c.on_header(line));
        }
        assert_eq!(
            c.headers,
            [
                ("retry-after".to_string(), "7".to_string()),
                ("content-type".to_string(), "text/plain".to_string())
            ]
        );
        // A retried call's success answer starts over and keeps nothing.
        for line in [&b"HTTP/2 200\r\n"[..], b"Retry-After: 5\r\n"] {
            assert!(c.on_header(line));
        }
        assert!(c.headers.is_empty());
    }

    #[test]
    fn auto_chooses_http_1_1_for_uploads_only() {
        use HttpVersion::*;
        assert_eq!(Auto.for_request(true), Http1_1);
        assert_eq!(Auto.for_request(false), Http2);
        for fixed in [Http1_1, Http2] {
            assert_eq!(fixed.for_request(true), fixed);
            assert_eq!(fixed.for_request(false), fixed);
        }
    }

    #[test]
    fn maps_statuses() {
        assert_eq!(
            status_for_http(400, Some("KEYS_MUST_BE_STRINGS")),
            Status::Unauthorized
        );
        assert_eq!(
            status_for_http(400, Some("CURRENT_USER_HAS_NOT_PINNED_CID")),
            Status::NotFound
        );
        assert_eq!(status_for_http(400, None), Status::BadRequest);
        assert_eq!(status_for_http(401, None), Status::Unauthorized);
        assert_eq!(status_for_http(403, None), Status::Forbidden);
        assert_eq!(status_for_http(404, None), Status::NotFound);
        assert_eq!(status_for_http(408, None), Status::BadRequest);
        assert_eq!(status_for_http(429, None), Status::RateLimited);
        assert_eq!(status_for_http(503, None), Status::Server);
        assert_eq!(status_for_http(302, None), Status::Protocol);
    }

    #[test]
    fn retry_rules() {
        let http = |code| {
            let s = status_for_http(code, None);
            Error::new(s, "x").with_http(code, None, None, None)
        };
        assert!(retryable(&http(429), false));
        assert!(retryable(&http(503), false));
        assert!(retryable(&http(408), false));
        assert!(!retryable(&http(500), false));
        assert!(retryable(&http(500), true));
        assert!(!retryable(&Error::new(Status::Timeout, "x"), true));
        assert!(!retryable(&http(400), true));
        assert!(!retryable(&http(401), true));
        assert!(retryable(&Error::new(Status::Network, "x"), true));
        assert!(!retryable(&Error::new(Status::Network, "x"), false));
        assert!(retryable(
            &Error::new(Status::Network, "x").before_sending(),
            false
        ));
    }
}
