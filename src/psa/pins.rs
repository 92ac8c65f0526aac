//! The Pinning Service API's pin requests (`/pins`): add, get, list (one page or an
//! iterator paging by `before`), replace, delete, and waiting until pinned. Any
//! provider: [`PsaClient::new`] takes an endpoint and an access token; for Pinata,
//! [`PsaClient::from_client`] reuses a client's JWT and base URL (+ `/psa`).
//!
//! Errors: the PSA `Failure` body `{"error":{"reason","details"}}` is Pinata's error
//! shape A, so it maps onto the same statuses and error object as the rest of the
//! library (404 → `PINATA_E_NOT_FOUND`, ...); 429 and `Retry-After` go through the
//! transport's retry policy.

use crate::client::Client;
use crate::error::{Error, Result};
use crate::legacy::pinning::check_cid;
use crate::psa::multiaddr;
use crate::transport::{Hooks, Method, Request};
use crate::util::{check_len, check_text, opt_str, path_segment, query_string, str_field};
use crate::wait::{wait_until, Phase, WaitOptions};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// Most CIDs in a list filter.
pub const MAX_CIDS: usize = 10;
/// Most origins per pin.
pub const MAX_ORIGINS: usize = 20;
/// Longest pin name, in characters.
pub const MAX_NAME_CHARS: usize = 255;
/// Most results per page.
pub const MAX_LIMIT: u32 = 1000;

/// A pin request's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PsaStatus {
    /// Waiting to be processed.
    Queued,
    /// Being fetched.
    Pinning,
    /// Pinned.
    Pinned,
    /// Failed for good.
    Failed,
}

impl PsaStatus {
    /// Every status.
    pub const ALL: [PsaStatus; 4] = [
        PsaStatus::Queued,
        PsaStatus::Pinning,
        PsaStatus::Pinned,
        PsaStatus::Failed,
    ];

    /// The wire name (`queued`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            PsaStatus::Queued => "queued",
            PsaStatus::Pinning => "pinning",
            PsaStatus::Pinned => "pinned",
            PsaStatus::Failed => "failed",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<PsaStatus> {
        PsaStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// How the `name` filter matches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TextMatch {
    /// Exactly (the service's default).
    #[default]
    Exact,
    /// Exactly, ignoring case.
    IExact,
    /// As a substring.
    Partial,
    /// As a substring, ignoring case.
    IPartial,
}

impl TextMatch {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            TextMatch::Exact => "exact",
            TextMatch::IExact => "iexact",
            TextMatch::Partial => "partial",
            TextMatch::IPartial => "ipartial",
        }
    }
}

/// A pin: what to pin and how to label it (the spec's `Pin` object).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pin {
    /// The CID to pin.
    pub cid: String,
    /// Optional name (at most 255 characters).
    pub name: Option<String>,
    /// Multiaddrs of peers that have the content (at most 20).
    pub origins: Vec<String>,
    /// String metadata.
    pub meta: BTreeMap<String, String>,
    /// Drop private-range origins (LAN, loopback, link-local) before sending: a
    /// remote service cannot reach them and Pinata refuses them (`INVALID_ORIGINS`).
    pub drop_private_origins: bool,
}

impl Pin {
    /// A pin of `cid`.
    pub fn new(cid: &str) -> Pin {
        Pin {
            cid: cid.to_string(),
            ..Pin::default()
        }
    }

    /// Adds an origin after checking it is a multiaddr.
    pub fn add_origin(&mut self, origin: &str) -> Result<()> {
        multiaddr::check("origin", origin)?;
        if self.origins.len() >= MAX_ORIGINS {
            return Err(Error::invalid_argument(format!(
                "at most {MAX_ORIGINS} origins are allowed"
            )));
        }
        self.origins.push(origin.to_string());
        Ok(())
    }

    /// Sets a metadata pair.
    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        check_text("key", key)?;
        check_len("value", value)?;
        self.meta.insert(key.to_string(), value.to_string());
        Ok(())
    }

    /// Checks everything without sending.
    pub fn check(&self) -> Result<()> {
        check_cid(&self.cid)?;
        if let Some(n) = &self.name {
            check_name(n)?;
        }
        if self.origins.len() > MAX_ORIGINS {
            return Err(Error::invalid_argument(format!(
                "at most {MAX_ORIGINS} origins are allowed"
            )));
        }
        for o in &self.origins {
            multiaddr::check("origin", o)?;
        }
        for (k, v) in &self.meta {
            check_text("key", k)?;
            check_len("value", v)?;
        }
        Ok(())
    }

    /// The JSON body (private origins dropped when asked).
    fn to_json(&self) -> Value {
        let mut o = Map::new();
        o.insert("cid".into(), json!(self.cid));
        if let Some(n) = &self.name {
            o.insert("name".into(), json!(n));
        }
        let origins: Vec<&String> = self
            .origins
            .iter()
            .filter(|a| !(self.drop_private_origins && multiaddr::is_private(a)))
            .collect();
        if !origins.is_empty() {
            o.insert("origins".into(), json!(origins));
        }
        if !self.meta.is_empty() {
            o.insert("meta".into(), json!(self.meta));
        }
        Value::Object(o)
    }

    fn from_json(v: &Value) -> Result<Pin> {
        let strings = |name: &str| -> Vec<String> {
            v.get(name)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        Ok(Pin {
            cid: str_field(v, "cid")?,
            name: opt_str(v, "name"),
            origins: strings("origins"),
            meta: string_map(v.get("meta")),
            drop_private_origins: false,
        })
    }
}

fn check_name(name: &str) -> Result<()> {
    check_len("name", name)?;
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::invalid_argument(format!(
            "`name` is longer than {MAX_NAME_CHARS} characters"
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::invalid_argument(
            "`name` contains control characters (CR, LF, NUL, ...)",
        ));
    }
    Ok(())
}

/// An object of strings (other values are shown as their JSON text).
fn string_map(v: Option<&Value>) -> BTreeMap<String, String> {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let s = match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (k.clone(), s)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A pin request as the service reports it (the spec's `PinStatus`).
#[derive(Clone, Debug, PartialEq)]
pub struct PinStatus {
    /// The request id.
    pub requestid: String,
    /// Where it stands.
    pub status: PsaStatus,
    /// When the request was made (RFC 3339, as sent).
    pub created: String,
    /// The pin.
    pub pin: Pin,
    /// Multiaddrs of the service's peers to connect to: the valid ones with a `/p2p/`
    /// peer id (others are left out; `raw` has them all).
    pub delegates: Vec<String>,
    /// Provider-specific information.
    pub info: BTreeMap<String, String>,
    /// The whole JSON object.
    pub raw: Value,
}

impl PinStatus {
    pub(crate) fn from_json(v: Value) -> Result<PinStatus> {
        let status = str_field(&v, "status")?;
        let status = PsaStatus::parse(&status)
            .ok_or_else(|| Error::protocol(format!("unknown pin status {status:?}")))?;
        let pin = v
            .get("pin")
            .ok_or_else(|| Error::protocol("the pin status lacks `pin`"))?;
        let pin = Pin::from_json(pin)?;
        // Only delegates that are valid multiaddrs with a peer id are kept (as boxo
        // does): a client dials them, and one odd entry must not fail the whole answer.
        // `raw` still has every entry.
        let delegates = v
            .get("delegates")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter(|d| multiaddr::check_with_peer("delegate", d).is_ok())
            .map(str::to_string)
            .collect();
        Ok(PinStatus {
            requestid: str_field(&v, "requestid")?,
            status,
            created: str_field(&v, "created")?,
            pin,
            delegates,
            info: string_map(v.get("info")),
            raw: v,
        })
    }
}

/// List filters (the spec's query parameters).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PsaQuery {
    /// Only these CIDs (at most 10).
    pub cids: Vec<String>,
    /// Only pins with this name, matched per `name_match`.
    pub name: Option<String>,
    /// How `name` matches.
    pub name_match: TextMatch,
    /// Only these statuses; empty = the service's default (pinned only).
    pub statuses: Vec<PsaStatus>,
    /// Only requests created before this RFC 3339 time.
    pub before: Option<String>,
    /// Only requests created after this RFC 3339 time.
    pub after: Option<String>,
    /// Page size (1–1000; the service's default is 10).
    pub limit: Option<u32>,
    /// Only pins whose meta holds all these pairs.
    pub meta: BTreeMap<String, String>,
}

/// Checks an RFC 3339 date-time's shape (`2023-06-27T23:02:37.361Z`, offsets allowed).
fn check_time(name: &str, t: &str) -> Result<()> {
    check_text(name, t)?;
    let b = t.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let shape = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && (b[10] == b'T' || b[10] == b't')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && t[19..]
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'Z' | 'z' | '+' | '-' | ':'));
    if !shape {
        return Err(Error::invalid_argument(format!(
            "`{name}` must be an RFC 3339 date-time such as 2024-01-31T12:00:00Z"
        )));
    }
    Ok(())
}

impl PsaQuery {
    /// Adds a CID to the filter (at most 10).
    pub fn add_cid(&mut self, cid: &str) -> Result<()> {
        check_cid(cid)?;
        if self.cids.len() >= MAX_CIDS {
            return Err(Error::invalid_argument(format!(
                "at most {MAX_CIDS} CIDs may be listed at once"
            )));
        }
        self.cids.push(cid.to_string());
        Ok(())
    }

    /// Checks the filters without sending.
    pub fn check(&self) -> Result<()> {
        if self.cids.len() > MAX_CIDS {
            return Err(Error::invalid_argument(format!(
                "at most {MAX_CIDS} CIDs may be listed at once"
            )));
        }
        for c in &self.cids {
            check_cid(c)?;
        }
        if let Some(n) = &self.name {
            check_name(n)?;
        }
        if let Some(t) = &self.before {
            check_time("before", t)?;
        }
        if let Some(t) = &self.after {
            check_time("after", t)?;
        }
        if let Some(l) = self.limit {
            if !(1..=MAX_LIMIT).contains(&l) {
                return Err(Error::invalid_argument(
                    "`limit` must be between 1 and 1000",
                ));
            }
        }
        for (k, v) in &self.meta {
            check_text("key", k)?;
            check_len("value", v)?;
        }
        Ok(())
    }

    fn to_query_string(&self, before: Option<&str>) -> String {
        let mut p: Vec<(String, String)> = Vec::new();
        if !self.cids.is_empty() {
            p.push(("cid".into(), self.cids.join(",")));
        }
        if let Some(n) = &self.name {
            p.push(("name".into(), n.clone()));
            p.push(("match".into(), self.name_match.as_str().into()));
        }
        if !self.statuses.is_empty() {
            let mut s = self.statuses.clone();
            s.sort();
            s.dedup();
            let s: Vec<&str> = s.iter().map(|x| x.as_str()).collect();
            p.push(("status".into(), s.join(",")));
        }
        if let Some(b) = before.or(self.before.as_deref()) {
            p.push(("before".into(), b.to_string()));
        }
        if let Some(a) = &self.after {
            p.push(("after".into(), a.clone()));
        }
        if let Some(l) = self.limit {
            p.push(("limit".into(), l.to_string()));
        }
        if !self.meta.is_empty() {
            p.push(("meta".into(), json!(self.meta).to_string()));
        }
        query_string(&p)
    }
}

/// One page of results.
#[derive(Clone, Debug, PartialEq)]
pub struct PsaPage {
    /// How many requests match in all.
    pub count: u64,
    /// This page.
    pub results: Vec<PinStatus>,
}

/// A Pinning Service API client: an endpoint and a bearer token. Cheap to clone;
/// usable from many threads. The token never appears in errors or Debug output.
#[derive(Clone)]
pub struct PsaClient {
    client: Client,
}

impl fmt::Debug for PsaClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PsaClient")
            .field("endpoint", &self.client.base_url())
            .field("token", &format_args!("<redacted>"))
            .finish()
    }
}

impl PsaClient {
    /// A client of the PSA at `endpoint` (e.g. `https://api.pinata.cloud/psa`; no query,
    /// no `/pins` suffix; plain http only to loopback) with access token `token`.
    pub fn new(endpoint: &str, token: &str) -> Result<PsaClient> {
        let mut client = Client::with_jwt(token).map_err(|e| e.rename_argument("jwt", "token"))?;
        Self::set_endpoint(&mut client, endpoint)?;
        Ok(PsaClient { client })
    }

    /// The PSA of a Pinata client: its JWT, configuration and base URL + `/psa`. A
    /// client made with an API key and secret is refused (the PSA takes bearer tokens).
    pub fn from_client(client: &Client) -> Result<PsaClient> {
        if !client.has_bearer_token() {
            return Err(Error::invalid_argument(
                "`client` authenticates with an API key and secret; the Pinning Service API needs a JWT",
            ));
        }
        let mut c = client.clone();
        let endpoint = format!("{}/psa", client.base_url());
        Self::set_endpoint(&mut c, &endpoint)?;
        Ok(PsaClient { client: c })
    }

    fn set_endpoint(client: &mut Client, endpoint: &str) -> Result<()> {
        let trimmed = endpoint.trim_end_matches('/');
        if trimmed.ends_with("/pins") {
            return Err(Error::invalid_argument(
                "`endpoint` must be the service's base URL, without the /pins suffix",
            ));
        }
        client
            .set_base_url(trimmed)
            .map_err(|e| e.rename_argument("base_url", "endpoint"))
    }

    /// The underlying client (configuration: timeouts, retries, proxy, cancellation).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Mutable access to the underlying client's configuration.
    pub fn client_mut(&mut self) -> &mut Client {
        &mut self.client
    }

    /// The endpoint in use.
    pub fn endpoint(&self) -> &str {
        self.client.base_url()
    }

    /// Asks the service to pin (`POST /pins`).
    pub fn add(&self, pin: &Pin) -> Result<PinStatus> {
        pin.check()?;
        let v = self
            .client
            .send_json(Request::json(Method::Post, "/pins", &pin.to_json()))?;
        PinStatus::from_json(v)
    }

    /// One request by id (`GET /pins/{requestid}`); unknown ids give `PINATA_E_NOT_FOUND`.
    pub fn get(&self, requestid: &str) -> Result<PinStatus> {
        check_requestid(requestid)?;
        let v = self
            .client
            .send_json(Request::get(format!("/pins/{}", path_segment(requestid))))?;
        PinStatus::from_json(v)
    }

    /// Replaces a request with a new pin (`POST /pins/{requestid}`); the answer has a
    /// new request id and the old one is gone.
    pub fn replace(&self, requestid: &str, pin: &Pin) -> Result<PinStatus> {
        check_requestid(requestid)?;
        pin.check()?;
        let v = self.client.send_json(Request::json(
            Method::Post,
            format!("/pins/{}", path_segment(requestid)),
            &pin.to_json(),
        ))?;
        PinStatus::from_json(v)
    }

    /// Removes a request and its pin (`DELETE /pins/{requestid}`).
    pub fn delete(&self, requestid: &str) -> Result<()> {
        check_requestid(requestid)?;
        self.client.send(
            Request::bodyless(Method::Delete, format!("/pins/{}", path_segment(requestid))),
            &mut Hooks::default(),
        )?;
        Ok(())
    }

    /// One page of the list (`GET /pins`); `before` overrides the query's.
    pub fn list_page(&self, query: &PsaQuery, before: Option<&str>) -> Result<PsaPage> {
        query.check()?;
        if let Some(b) = before {
            check_time("before", b)?;
        }
        let v = self.client.send_json(Request::get(format!(
            "/pins{}",
            query.to_query_string(before)
        )))?;
        let count = v
            .get("count")
            .and_then(Value::as_u64)
            .ok_or_else(|| Error::protocol("the pin list lacks `count`"))?;
        let results = v
            .get("results")
            .and_then(Value::as_array)
            .ok_or_else(|| Error::protocol("the pin list lacks `results`"))?;
        Ok(PsaPage {
            count,
            results: results
                .iter()
                .cloned()
                .map(PinStatus::from_json)
                .collect::<Result<_>>()?,
        })
    }

    /// Every request matching the query, newest first, fetched a page at a time: each
    /// next page asks for requests created `before` the oldest one seen.
    pub fn list(&self, query: &PsaQuery) -> Result<PsaIter> {
        query.check()?;
        Ok(PsaIter {
            client: self.clone(),
            query: query.clone(),
            before: None,
            buffer: Vec::new(),
            count: None,
            done: false,
        })
    }

    /// Polls a request until it is `pinned` or `failed` (returned, not an error), with
    /// backoff within `options.budget` (`PINATA_E_TIMEOUT` past it). `progress` gets
    /// each new status; returning true cancels (`PINATA_E_CANCELLED`), as does the
    /// client's cancel token.
    pub fn wait(
        &self,
        requestid: &str,
        options: &WaitOptions,
        progress: impl FnMut(&str) -> bool,
    ) -> Result<PinStatus> {
        check_requestid(requestid)?;
        wait_until(
            options,
            self.client.cancel_token(),
            || {
                let s = self.get(requestid)?;
                let phase = match s.status {
                    PsaStatus::Pinned => Phase::Done,
                    PsaStatus::Failed => Phase::Failed,
                    _ => Phase::Pending,
                };
                let text = s.status.as_str().to_string();
                Ok((s, phase, text))
            },
            progress,
        )
    }
}

fn check_requestid(id: &str) -> Result<()> {
    check_text("requestid", id)?;
    if id.len() > 256 {
        return Err(Error::invalid_argument(
            "`requestid` is longer than 256 bytes",
        ));
    }
    Ok(())
}

/// Iterates over a PSA list, paging by `before` on its own. Owns a client clone.
#[derive(Debug)]
pub struct PsaIter {
    client: PsaClient,
    query: PsaQuery,
    before: Option<String>,
    /// The current page, reversed (popped from the end).
    buffer: Vec<PinStatus>,
    count: Option<u64>,
    done: bool,
}

impl PsaIter {
    /// The count the service reported on the first page (None before it is fetched).
    pub fn total(&self) -> Option<u64> {
        self.count
    }

    /// The next request, or None at the end.
    pub fn next_status(&mut self) -> Result<Option<PinStatus>> {
        if self.buffer.is_empty() && !self.done {
            let page = self.client.list_page(&self.query, self.before.as_deref())?;
            if self.count.is_none() {
                self.count = Some(page.count);
            }
            let returned = page.results.len() as u64;
            // The oldest `created` of the page is the next page's `before`. RFC 3339
            // times in one format compare as text.
            let oldest = page.results.iter().map(|s| s.created.clone()).min();
            if returned == 0 || page.count <= returned {
                self.done = true;
            } else if let Some(o) = oldest {
                if self.before.as_deref().is_some_and(|b| o.as_str() >= b) {
                    return Err(Error::protocol(
                        "the service's next page did not move back in time",
                    ));
                }
                self.before = Some(o);
            }
            self.buffer = page.results;
            self.buffer.reverse();
        }
        Ok(self.buffer.pop())
    }
}

impl Iterator for PsaIter {
    type Item = Result<PinStatus>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.next_status() {
            Ok(Some(s)) => Some(Ok(s)),
            Ok(None) => None,
            Err(e) => {
                self.done = true;
                self.buffer.clear();
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_parsing_keeps_valid_delegates_only() {
        let peer = "12D3KooWBqWVzmvemKbp7UdNBe81bM3kqWm2xGqLiVM1PmE2VhZF";
        let good = format!("/dns4/example.com/tcp/4001/p2p/{peer}");
        let v = json!({"requestid": "r", "status": "pinning", "created": "2024-01-01T00:00:00Z",
            "pin": {"cid": "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH", "meta": {"a": "b"}},
            "delegates": [good, "/ip4/1.2.3.4/tcp/1", "12D3Koo…", 5], "info": {"x": "y"}});
        let s = PinStatus::from_json(v).unwrap();
        assert_eq!(s.status, PsaStatus::Pinning);
        assert_eq!(s.delegates, [good]);
        assert_eq!(s.pin.meta.get("a").map(String::as_str), Some("b"));
        let bad = json!({"requestid": "r", "status": "done", "created": "x", "pin": {"cid": "c"}});
        assert_eq!(
            PinStatus::from_json(bad).unwrap_err().status(),
            crate::Status::Protocol
        );
    }

    #[test]
    fn query_strings_and_checks() {
        let mut q = PsaQuery::default();
        q.add_cid("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH")
            .unwrap();
        q.name = Some("a b".into());
        q.name_match = TextMatch::IPartial;
        q.statuses = vec![PsaStatus::Failed, PsaStatus::Queued, PsaStatus::Failed];
        q.meta.insert("k".into(), "v".into());
        assert_eq!(
            q.to_query_string(Some("2024-01-01T00:00:00Z")),
            "?cid=QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH&name=a%20b&match=ipartial\
             &status=queued%2Cfailed&before=2024-01-01T00%3A00%3A00Z&meta=%7B%22k%22%3A%22v%22%7D"
        );
        for t in [
            "2024-01-01",
            "yesterday",
            "2024-01-01T00:00:00Zjunk",
            "2024-01-01 00:00:00Z",
        ] {
            assert!(check_time("before", t).is_err(), "{t}");
        }
        check_time("before", "2024-01-01T00:00:00.123456789+02:00").unwrap();
        let mut pin = Pin::new("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH");
        pin.origins = vec!["/ip4/10.0.0.1/tcp/1".into(), "/ip4/8.8.8.8/tcp/1".into()];
        pin.drop_private_origins = true;
        assert_eq!(pin.to_json()["origins"], json!(["/ip4/8.8.8.8/tcp/1"]));
        pin.name = Some("x".repeat(256));
        assert!(pin.check().is_err());
    }
}
