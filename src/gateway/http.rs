//! The HTTP side of a download: one libcurl handle that streams a response body into
//! a consumer (the CAR reader and walk, a raw block buffer, or a plain-bytes verifier)
//! instead of collecting it, so memory does not grow with the content.

use crate::error::{Error, Result, Status};
use crate::transport::{status_for_http, CancelToken, Config, Proxy};
use curl::easy::{Easy2, Handler, List, WriteError};

/// Consumes a response body as it arrives.
pub(crate) trait Consumer: Send {
    fn consume(&mut self, data: &[u8]) -> Result<()>;
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
    /// Bytes of earlier requests of the same download, for progress.
    base: u64,
    progress: Option<Box<dyn FnMut(u64, u64) -> bool + Send>>,
    stopped: bool,
    panicked: bool,
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
        match c.consume(data) {
            Ok(()) => true,
            Err(e) => {
                self.error = Some(e);
                false
            }
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
        } else if let Some(colon) = line.iter().position(|&b| b == b':') {
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
        if let Some(cb) = self.progress.as_mut() {
            let total = if dltotal > 0.0 {
                self.base + dltotal as u64
            } else {
                0
            };
            if !cb(self.base + dlnow as u64, total) {
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
    /// Header lines sent with every request (the gateway token).
    extra_headers: Vec<String>,
    /// Bytes received by earlier requests (progress is cumulative).
    received: u64,
}

impl Fetcher {
    pub(crate) fn new(
        config: &Config,
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
                progress,
                stopped: false,
                panicked: false,
            }),
            config: config.clone(),
            extra_headers,
            received: 0,
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

    /// GETs `url` asking for `want`, streaming a 2xx body of that type into `consumer`.
    pub(crate) fn get(
        &mut self,
        url: &str,
        want: Want,
        consumer: Box<dyn Consumer>,
    ) -> Result<Answer> {
        if self
            .easy
            .get_ref()
            .cancel
            .iter()
            .any(CancelToken::is_cancelled)
        {
            return Err(Error::new(Status::Cancelled, "the call was cancelled"));
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
            r.base = self.received;
            r.stopped = false;
        }
        let performed = self.easy.perform();
        let got = self.easy.download_size().unwrap_or(0.0) as u64;
        self.received += got;
        let r = self.easy.get_mut();
        // Taken now: on an error it is dropped here (a walk then removes its files).
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
            return Err(Error::new(Status::Cancelled, "the call was cancelled"));
        }
        let lost = || Error::new(Status::Internal, "the consumer is gone");
        if r.wrong_type {
            return Ok(Answer::Unsupported(
                format!(
                    "the gateway answered with `{}` instead of the requested type",
                    r.content_type
                ),
                consumer.ok_or_else(lost)?,
            ));
        }
        if let Err(e) = performed {
            let detail = e.extra_description().unwrap_or(e.description()).to_string();
            return Err(if e.is_operation_timedout() {
                Error::new(Status::Timeout, format!("timed out: {detail}"))
            } else {
                Error::new(
                    Status::Network,
                    format!("network error from the gateway: {detail}"),
                )
            });
        }
        let status = r.status;
        if !(200..300).contains(&status) {
            // A gateway that does not do trustless responses may refuse the format.
            if want != Want::Plain && matches!(status, 400 | 406 | 415 | 501) {
                return Ok(Answer::Unsupported(
                    format!("the gateway refused the format with HTTP {status}"),
                    consumer.ok_or_else(lost)?,
                ));
            }
            let text: String = String::from_utf8_lossy(&r.err_body)
                .chars()
                .filter(|c| !c.is_control())
                .take(200)
                .collect();
            let st = status_for_http(status as u16, None);
            return Err(
                Error::new(st, format!("the gateway answered HTTP {status}: {text}")).with_http(
                    status as u16,
                    None,
                    Some(text),
                    None,
                ),
            );
        }
        // An empty body never reached the type check.
        if !r.checked_type && !want.matches(&r.content_type) {
            return Ok(Answer::Unsupported(
                format!(
                    "the gateway answered with `{}` instead of the requested type",
                    r.content_type
                ),
                consumer.ok_or_else(lost)?,
            ));
        }
        Ok(Answer::Done(consumer.ok_or_else(lost)?))
    }
}
