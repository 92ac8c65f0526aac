//! Request-level helpers shared by the router, the fault injector and the
//! endpoint handlers: query and path decoding, and the per-connection control
//! a fault uses to reset its connection. A leaf module: it imports nothing of the crate.

use hyper::body::Incoming;
use hyper::Request;
use tokio::sync::Notify;

/// Per-connection control shared with the request handlers.
pub struct ConnCtl {
    /// Notified to drop the connection (awaited by the connection task).
    pub(crate) abort: Notify,
}

impl ConnCtl {
    /// Asks the connection task to drop the connection with a TCP RST.
    pub fn abort(&self) {
        self.abort.notify_one();
    }
}

/// Decodes `%XX` escapes in a path segment.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Parses a query string into decoded `(key, value)` pairs.
pub fn query_pairs(req: &Request<Incoming>) -> Vec<(String, String)> {
    form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Where the client reached the emulator, for the absolute URLs it hands out (signed
/// upload URLs, TUS `Location`): `<scheme>://<Host header>`. The scheme is `https` when a
/// TLS front in between says so with `X-Forwarded-Proto` (as Pinata's URLs are https).
pub fn origin(headers: &http::HeaderMap) -> String {
    let host = headers
        .get(http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1");
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
    {
        Some(p) if p.eq_ignore_ascii_case("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}
