//! The HTTP side of a download: one libcurl handle that streams a response body into
//! a consumer (the CAR reader and walk, a raw block buffer, or a plain-bytes verifier)
//! instead of collecting it, so memory does not grow with the content.

use crate::error::{Error, Result, Status};
use crate::transport::{status_for_http, CancelToken, Config, Proxy, Transport};
use curl::easy::{Easy2, Handler, List, WriteError};
use std::sync::Arc;

/// Consumes a response body as it arrives.
pub(crate) trait Consumer: Send {
    fn consume(&mut self, data: &[u8]) -> Result<()>;
    /// Prepares for the same request to be answered again from the start after an
    /// answer broke off mid-body; false when the consumer cannot take a second answer
    /// (the request is then not repeated).
    fn rewind(&mut self) -> bool;
    /// Verified content bytes written so far and, once known, the content's size (a
    /// file's UnixFS `filesize`), for progress; `None` when the consumer does not walk
    /// a DAG (progress then counts the bytes received).
    fn content_progress(&self) -> Option<(u64, Option<u64>)> {
        None
    }
    /// Gives the concrete consumer back after the transfer.
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any>;
}

/// What the request was for: the media type a useful answer has.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Want {
    Car,
    Raw,
    /// Anything but the trustless types (plain bytes).
    Plain,
}

impl Want {
    fn accept(self) -> &'static str {
        match self {
            Want::Car => "Accept: application/vnd.ipld.car;version=1;order=dfs;dups=y",
            Want::Raw => "Accept: application/vnd.ipld.raw",
            Want::Plain => "Accept: */*",
        }
    }

    fn matches(self, content_type: &str) -> bool {
        let ct = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match self {
            Want::Car => ct == "application/vnd.ipld.car",
            Want::Raw => ct == "application/vnd.ipld.raw",
            Want::Plain => true,
        }
    }
}

struct Receiver {
    status: u32,
    content_type: String,
    want: Want,
    checked_type: bool,
    wrong_type: bool,
    consumer: Option<Box<dyn Consumer>>,
    error: Option<Error>,
    err_body: Vec<u8>,
    cancel: Vec<CancelToken>,
    /// Bytes of earlier answers to the same request (broken off and retried), for
    /// progress.
    base: u64,
    /// The walk's progress while raw blocks are fetched one by one (the walk is not in
    /// the consumer then): content bytes written and the content size once known.
    content: Option<(u64, Option<u64>)>,
    progress: Option<Box<dyn FnMut(u64, u64) -> bool + Send>>,
    stopped: bool,
    panicked: bool,
    /// Whether any byte of this answer reached the consumer.
    fed: bool,
    /// `Retry-After` of this answer, in seconds.
    retry_after: Option<u64>,
}

impl Receiver {
    fn on_write(&mut self, data: &[u8]) -> bool {
        if !(200..300).contains(&self.status) {
            let room = 4096usize.saturating_sub(self.err_body.len());
            self.err_body
                .extend_from_slice(&data[..room.min(data.len())]);
            return true;
        }
        if !self.checked_type {
            self.checked_type = true;
            if !self.want.matches(&self.content_type) {
                self.wrong_type = true;
                return false;
            }
        }
        let Some(c) = self.consumer.as_mut() else {
            return false;
        };
        self.fed = true;
        match c.consume(data) {
            Ok(()) => true,
            Err(e) => {
                self.error = Some(e);
                false
            }
        }
    }
}

impl Receiver {
    /// What progress reports, given libcurl's counts for the answer in flight. Units
    /// never change within an answer:
    /// * a CAR or plain answer with a `Content-Length`: bytes received of that length
    ///   (plus the bytes of earlier, broken answers to the same request);
    /// * else, a DAG walk (a CAR, raw blocks): verified content bytes written, of the
    ///   file's UnixFS size once the root block has told it (0 before, and for a
    ///   directory, whose size no block states);
    /// * else (plain bytes of unknown length): bytes received, of 0.
    ///
    /// A raw block's `Content-Length` is the block's, not the content's: not a total.
    fn report(&self, dltotal: u64, dlnow: u64) -> (u64, u64) {
        if dltotal > 0 && self.want != Want::Raw && (200..300).contains(&self.status) {
            return (self.base + dlnow, self.base + dltotal);
        }
        let walk = match self.want {
            Want::Raw => self.content,
            _ => self.consumer.as_ref().and_then(|c| c.content_progress()),
        };
        match walk {
            Some((written, total)) => (written, total.unwrap_or(0)),
            None => (self.base + dlnow, 0),
        }
    }
}

impl Handler for Receiver {
    fn write(&mut self, data: &[u8]) -> std::result::Result<usize, WriteError> {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.on_write(data)));
        match r {
            Ok(true) => Ok(data.len()),
            Ok(false) => Ok(0),
            Err(_) => {
                self.panicked = true;
                Ok(0)
            }
        }
    }

    fn header(&mut self, line: &[u8]) -> bool {
        if line.starts_with(b"HTTP/") {
            let code = line.split(|&b| b == b' ').nth(1).unwrap_or_default();
            self.status = std::str::from_utf8(code)
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            self.content_type.clear();
            self.retry_after = None;
        } else if let Some(colon) = line.iter().position(|&b| b == b':') {
            if line[..colon].eq_ignore_ascii_case(b"retry-after") {
                self.retry_after = std::str::from_utf8(line[colon + 1..].trim_ascii())
                    .ok()
                    .and_then(|v| v.parse().ok());
            }
            if line[..colon].eq_ignore_ascii_case(b"content-type") {
                self.content_type = String::from_utf8_lossy(line[colon + 1..].trim_ascii())
                    .chars()
                    .take(200)
                    .collect();
            }
        }
        true
    }

    fn progress(&mut self, dltotal: f64, dlnow: f64, _: f64, _: f64) -> bool {
        if self.cancel.iter().any(CancelToken::is_cancelled) {
            self.stopped = true;
            return false;
        }
        if self.progress.is_none() {
            return true;
        }
        let (got, total) = self.report(dltotal as u64, dlnow as u64);
        if let Some(cb) = self.progress.as_mut() {
            if !cb(got, total) {
                self.stopped = true;
                return false;
            }
        }
        true
    }
}

/// The outcome of one GET.
pub(crate) enum Answer {
    /// A 2xx of the wanted type, consumed completely; the consumer comes back.
    Done(Box<dyn Consumer>),
    /// The gateway answered, but not with the wanted type (or refused the format):
    /// another method may work. The consumer comes back untouched.
    Unsupported(String, Box<dyn Consumer>),
}

/// One reusable connection for the requests of a download.
pub(crate) struct Fetcher {
    easy: Easy2<Receiver>,
    config: Config,
    /// The client's transport: its jitter generator spreads the retries of every call
    /// of the client, downloads included.
    transport: Arc<Transport>,
    /// Header lines sent with every request (the gateway token).
    extra_headers: Vec<String>,
}

impl Fetcher {
    pub(crate) fn new(
        config: &Config,
        transport: Arc<Transport>,
        extra_headers: Vec<String>,
        progress: Option<Box<dyn FnMut(u64, u64) -> bool + Send>>,
        cancel: Vec<CancelToken>,
    ) -> Fetcher {
        Fetcher {
            easy: Easy2::new(Receiver {
                status: 0,
                content_type: String::new(),
                want: Want::Plain,
                checked_type: false,
                wrong_type: false,
                consumer: None,
                error: None,
                err_body: Vec::new(),
                cancel,
                base: 0,
                content: None,
                progress,
                stopped: false,
                panicked: false,
                fed: false,
                retry_after: None,
            }),
            config: config.clone(),
            transport,
            extra_headers,
        }
    }

    /// Tells progress where the walk stands while raw blocks are fetched one by one.
    pub(crate) fn set_content_progress(&mut self, written: u64, total: Option<u64>) {
        self.easy.get_mut().content = Some((written, total));
    }

    /// The last progress report of a finished download: all `bytes` of `bytes` (so a
    /// progress bar always ends full, whatever units it counted in before). Its
    /// answer is ignored: there is nothing left to cancel.
    pub(crate) fn report_done(&mut self, bytes: u64) {
        if let Some(cb) = self.easy.get_mut().progress.as_mut() {
            let _ = cb(bytes, bytes);
        }
    }

    fn setup(&mut self, url: &str, want: Want) -> std::result::Result<(), curl::Error> {
        let config = &self.config;
        let easy = &mut self.easy;
        easy.url(url)?;
        easy.get(true)?;
        easy.connect_timeout(config.connect_timeout)?;
        // A download of any size may take long; it fails only when no byte moves for
        // the stall timeout.
        easy.low_speed_limit(1)?;
        easy.low_speed_time(config.stall_timeout)?;
        easy.progress(true)?;
        // Fewer, larger write callbacks: a 256 KiB block arrives in one or two.
        easy.buffer_size(512 * 1024)?;
        easy.follow_location(false)?;
        easy.tcp_keepalive(true)?;
        crate::trust::apply(easy, config.ca_bundle.as_deref())?;
        // The client's HTTP version (HTTP/2 offered by ALPN unless it fixes one), as for
        // its other calls.
        config.http_version.for_request(false).apply(easy)?;
        match &config.proxy {
            Proxy::Environment => {}
            Proxy::Direct => easy.proxy("")?,
            Proxy::Url(u) => easy.proxy(u)?,
        }
        let mut list = List::new();
        list.append(want.accept())?;
        list.append(&format!("User-Agent: {}", crate::USER_AGENT))?;
        for h in &self.extra_headers {
            list.append(h)?;
        }
        easy.http_headers(list)?;
        Ok(())
    }

    /// GETs `url` asking for `want`, streaming a 2xx body of that type into `consumer`,
    /// with the client's retry policy: a transient failure (connection error, timeout,
    /// 408, 429, 5xx) is retried with exponential backoff and jitter, never sooner than
    /// `Retry-After`, within `max_retries` and `retry_budget`. An answer that broke off
    /// after bytes reached the consumer is repeated only if the consumer can rewind
    /// (a CAR walk keeps what it verified and ignores the blocks sent again).
    pub(crate) fn get(
        &mut self,
        url: &str,
        want: Want,
        consumer: Box<dyn Consumer>,
    ) -> Result<Answer> {
        let started = std::time::Instant::now();
        // Progress of a repeated answer continues from the bytes of the broken ones.
        self.easy.get_mut().base = 0;
        let mut consumer = consumer;
        let mut attempt: u32 = 0;
        loop {
            let (err, back) = match self.attempt(url, want, consumer)? {
                Tried::Answer(a) => return Ok(a),
                Tried::Failed(err, back) => (err, back),
            };
            let Some(mut back) = back else {
                return Err(err);
            };
            if attempt >= self.config.max_retries || !transient(&err) {
                return Err(err);
            }
            let config = &self.config;
            let exp = config
                .backoff_base
                .saturating_mul(1u32 << attempt.min(16))
                .min(config.backoff_max);
            let mut delay = exp.mul_f64(self.transport.jitter());
            if let Some(secs) = err.retry_after() {
                delay = delay.max(std::time::Duration::from_secs(secs));
            }
            if started.elapsed() + delay > config.retry_budget {
                return Err(err);
            }
            if self.easy.get_ref().fed && !back.rewind() {
                return Err(err);
            }
            crate::transport::sleep_cancellable(delay, &self.easy.get_ref().cancel)?;
            consumer = back;
            attempt += 1;
        }
    }

    /// One request. A failure the retry loop may repeat comes back with the consumer.
    fn attempt(&mut self, url: &str, want: Want, consumer: Box<dyn Consumer>) -> Result<Tried> {
        if self
            .easy
            .get_ref()
            .cancel
            .iter()
            .any(CancelToken::is_cancelled)
        {
            return Err(Error::cancelled());
        }
        if url.contains(['\0', '\r', '\n']) {
            return Err(Error::invalid_argument("the URL contains CR, LF or NUL"));
        }
        self.setup(url, want)
            .map_err(|e| Error::new(Status::Internal, format!("libcurl setup: {e}")))?;
        {
            let r = self.easy.get_mut();
            r.status = 0;
            r.content_type.clear();
            r.want = want;
            r.checked_type = false;
            r.wrong_type = false;
            r.consumer = Some(consumer);
            r.error = None;
            r.err_body.clear();
            r.stopped = false;
            r.fed = false;
            r.retry_after = None;
        }
        let performed = self.easy.perform();
        let got = self.easy.download_size().unwrap_or(0.0) as u64;
        let r = self.easy.get_mut();
        r.base += got;
        // Taken now: on an error that is not retried it is dropped (a walk then removes
        // its files).
        let consumer = r.consumer.take();
        if r.panicked {
            return Err(Error::new(
                Status::Internal,
                "internal error (caught panic while receiving)",
            ));
        }
        if let Some(e) = r.error.take() {
            return Err(e);
        }
        if r.stopped {
            return Err(Error::cancelled());
        }
        let lost = || Error::new(Status::Internal, "the consumer is gone");
        if r.wrong_type {
            return Ok(Tried::Answer(Answer::Unsupported(
                format!(
                    "the gateway answered with `{}` instead of the requested type",
                    r.content_type
                ),
                consumer.ok_or_else(lost)?,
            )));
        }
        if let Err(e) = performed {
            let detail = e.extra_description().unwrap_or(e.description()).to_string();
            return Ok(Tried::Failed(
                if e.is_operation_timedout() {
                    Error::new(Status::Timeout, format!("timed out: {detail}"))
                } else {
                    Error::new(
                        Status::Network,
                        format!("network error from the gateway: {detail}"),
                    )
                },
                consumer,
            ));
        }
        let status = r.status;
        if !(200..300).contains(&status) {
            // A gateway that does not do trustless responses may refuse the format.
            if want != Want::Plain && matches!(status, 400 | 406 | 415 | 501) {
                return Ok(Tried::Answer(Answer::Unsupported(
                    format!("the gateway refused the format with HTTP {status}"),
                    consumer.ok_or_else(lost)?,
                )));
            }
            let text: String = String::from_utf8_lossy(&r.err_body)
                .chars()
                .filter(|c| !c.is_control())
                .take(200)
                .collect();
            let st = status_for_http(status as u16, None);
            let err = Error::new(st, format!("the gateway answered HTTP {status}: {text}"))
                .with_http(status as u16, None, Some(text), r.retry_after);
            return Ok(Tried::Failed(err, consumer));
        }
        // An empty body never reached the type check.
        if !r.checked_type && !want.matches(&r.content_type) {
            return Ok(Tried::Answer(Answer::Unsupported(
                format!(
                    "the gateway answered with `{}` instead of the requested type",
                    r.content_type
                ),
                consumer.ok_or_else(lost)?,
            )));
        }
        Ok(Tried::Answer(Answer::Done(consumer.ok_or_else(lost)?)))
    }
}

/// One request's outcome, before the retry policy looks at it.
enum Tried {
    Answer(Answer),
    /// A failure of the transfer or an error status; the consumer, when still there.
    Failed(Error, Option<Box<dyn Consumer>>),
}

/// Whether a failed GET may be repeated: a GET is idempotent, so connection errors,
/// timeouts, 408, 429 and 5xx (but 501 and 505, which say "never") are worth
/// another try.
fn transient(err: &Error) -> bool {
    match err.status() {
        Status::Network | Status::Timeout | Status::RateLimited => true,
        Status::Server => !matches!(err.http_status(), 501 | 505),
        Status::BadRequest => err.http_status() == 408,
        _ => false,
    }
}
