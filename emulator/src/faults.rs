//! Fault injection (`POST /__emulator/faults`): wrong statuses, delays and
//! broken wire behaviour (reset connections, truncated, malformed, huge or
//! endlessly slow bodies).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream;
use http::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use http::{Response, StatusCode};
use http_body_util::{BodyExt, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::Request;
use serde_json::{json, Value};

use crate::http_util::ConnCtl;
use crate::ids::{now, ts};
use crate::respond::{err_a, raw, BoxError, Resp};

/// What a fault does.
#[derive(Clone, Debug)]
pub enum FaultKind {
    /// Answer with `status` (optional body and `Retry-After`).
    Status {
        /// HTTP status.
        status: u16,
        /// Body: a string is sent as is, anything else as JSON.
        body: Option<Value>,
        /// `Retry-After` seconds.
        retry_after: Option<u64>,
    },
    /// Close the connection with a TCP RST after reading `after_bytes` of the body.
    Reset {
        /// Request body bytes to read first.
        after_bytes: u64,
    },
    /// Headers promising more bytes than are sent, then close.
    Truncate,
    /// 200 `application/json` with a cut-off JSON document.
    MalformedJson,
    /// 200 `text/html` page.
    WrongContentType,
    /// 200 with an empty body.
    Empty200,
    /// 200 JSON of `size_mb` MiB, streamed.
    HugeBody {
        /// Size in MiB.
        size_mb: u64,
        /// Send `Transfer-Encoding: chunked` instead of a `Content-Length`.
        chunked: bool,
    },
    /// 200 headers, then one byte every `interval_ms`, forever.
    SlowDrip {
        /// Milliseconds between bytes.
        interval_ms: u64,
    },
    /// Wait `delay_ms`, then handle the request normally.
    Delay {
        /// Milliseconds to wait.
        delay_ms: u64,
    },
}

/// An injected fault.
#[derive(Clone, Debug)]
pub struct Fault {
    /// Exact path, `prefix*`, or `*`.
    pub path: String,
    /// Optional method filter (`GET`, `POST`…).
    pub method: Option<String>,
    /// Remaining applications; `None` = forever.
    pub times: Option<u64>,
    /// Behaviour.
    pub kind: FaultKind,
    /// The JSON it was created from (echoed by `GET /__emulator/faults`).
    pub spec: Value,
}

fn opt_u64(v: &Value, key: &str) -> Result<Option<u64>, String> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(x) => x
            .as_u64()
            .map(Some)
            .ok_or_else(|| format!("{key} must be a non-negative integer")),
    }
}

impl Fault {
    /// Parses a fault description.
    pub fn parse(id: u64, v: &Value) -> Result<Fault, String> {
        let path = v
            .get("path")
            .and_then(Value::as_str)
            .ok_or("path (string) is required")?
            .to_string();
        let method = match v.get("method") {
            None | Some(Value::Null) => None,
            Some(Value::String(m)) => Some(m.to_ascii_uppercase()),
            _ => return Err("method must be a string".into()),
        };
        let times = opt_u64(v, "times")?;
        let kind = match v
            .get("kind")
            .and_then(Value::as_str)
            .ok_or("kind (string) is required")?
        {
            "status" => {
                let status = opt_u64(v, "status")?.ok_or("status is required")?;
                if !(100..=999).contains(&status) {
                    return Err("status must be 100..999".into());
                }
                FaultKind::Status {
                    status: status as u16,
                    body: v.get("body").cloned(),
                    retry_after: opt_u64(v, "retry_after")?,
                }
            }
            "reset" => FaultKind::Reset {
                after_bytes: opt_u64(v, "after_bytes")?.unwrap_or(0),
            },
            "truncate" => FaultKind::Truncate,
            "malformed_json" => FaultKind::MalformedJson,
            "wrong_content_type" => FaultKind::WrongContentType,
            "empty_200" => FaultKind::Empty200,
            "huge_body" => FaultKind::HugeBody {
                size_mb: opt_u64(v, "size_mb")?.unwrap_or(64),
                chunked: v.get("chunked").and_then(Value::as_bool).unwrap_or(false),
            },
            "slow_drip" => FaultKind::SlowDrip {
                interval_ms: opt_u64(v, "interval_ms")?.unwrap_or(1000).max(1),
            },
            "delay" => FaultKind::Delay {
                delay_ms: opt_u64(v, "delay_ms")?.ok_or("delay_ms is required")?,
            },
            other => return Err(format!("unknown fault kind {other:?}")),
        };
        let mut spec = v.clone();
        if let Some(o) = spec.as_object_mut() {
            o.insert("id".into(), json!(id));
        }
        Ok(Fault {
            path,
            method,
            times,
            kind,
            spec,
        })
    }

    /// True when this fault applies to `method path`.
    pub fn matches(&self, method: &str, path: &str) -> bool {
        if let Some(m) = &self.method {
            if m != method {
                return false;
            }
        }
        if self.path == "*" {
            return true;
        }
        match self.path.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => self.path == path,
        }
    }
}

/// Takes the first matching fault (in order of addition), using up one of its
/// `times`.
pub fn take(faults: &mut Vec<Fault>, method: &str, path: &str) -> Option<FaultKind> {
    let i = faults.iter().position(|f| f.matches(method, path))?;
    let kind = faults[i].kind.clone();
    if let Some(t) = faults[i].times.as_mut() {
        *t = t.saturating_sub(1);
        if *t == 0 {
            faults.remove(i);
        }
    }
    Some(kind)
}

/// What to do after a fault was applied.
pub enum Outcome {
    /// Send this response.
    Respond(Resp),
    /// Go on handling the request normally.
    Continue(Request<Incoming>),
}

/// Reads the whole request body, discarding it.
async fn drain(body: &mut Incoming) {
    while let Some(frame) = body.frame().await {
        if frame.is_err() {
            break;
        }
    }
}

/// A success-looking pin response body (used by the corrupting faults).
fn sample_ok() -> String {
    serde_json::to_string(&json!({
        "IpfsHash": "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
        "PinSize": 20,
        "Timestamp": ts(&now()),
    }))
    .unwrap_or_default()
}

fn streaming(status: u16, content_type: &str, body: crate::respond::Body) -> Resp {
    let mut r = Response::new(body);
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("application/json")),
    );
    r
}

/// Applies a fault to a request.
pub async fn apply(kind: FaultKind, ctl: &Arc<ConnCtl>, req: Request<Incoming>) -> Outcome {
    if let FaultKind::Delay { delay_ms } = kind {
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
        return Outcome::Continue(req);
    }
    let mut body = req.into_body();
    if let FaultKind::Reset { after_bytes } = kind {
        let mut read = 0u64;
        while read < after_bytes {
            match body.frame().await {
                Some(Ok(frame)) => {
                    if let Ok(d) = frame.into_data() {
                        read += d.len() as u64;
                    }
                }
                _ => break,
            }
        }
        ctl.abort();
        // The connection task drops this future together with the connection.
        return std::future::pending::<Outcome>().await;
    }
    drain(&mut body).await;
    Outcome::Respond(respond(kind))
}

/// The response a response-level fault sends.
fn respond(kind: FaultKind) -> Resp {
    match kind {
        FaultKind::Status {
            status,
            body,
            retry_after,
        } => {
            let mut r = match body {
                None => err_a(
                    status,
                    "INJECTED_FAULT",
                    &format!("injected status {status}"),
                ),
                Some(Value::String(s)) => {
                    let ct = if serde_json::from_str::<Value>(&s).is_ok() {
                        "application/json; charset=utf-8"
                    } else {
                        "text/plain; charset=utf-8"
                    };
                    raw(status, Some(ct), s)
                }
                Some(v) => crate::respond::json(status, &v),
            };
            if let Some(s) = retry_after {
                r.headers_mut().insert(RETRY_AFTER, HeaderValue::from(s));
            }
            r
        }
        FaultKind::Truncate => {
            let full = sample_ok();
            let half = Bytes::from(full.as_bytes()[..full.len() / 2].to_vec());
            // Half the document, a pause (so hyper flushes the head and the
            // partial body), then a body error: hyper closes the connection
            // with fewer bytes sent than `Content-Length` promised.
            let frames = stream::unfold(0u8, move |stage| {
                let half = half.clone();
                async move {
                    match stage {
                        0 => Some((Ok(Frame::data(half)), 1)),
                        1 => {
                            tokio::time::sleep(Duration::from_millis(100)).await;
                            Some((
                                Err::<Frame<Bytes>, BoxError>(
                                    "truncated by fault injection".into(),
                                ),
                                2,
                            ))
                        }
                        _ => None,
                    }
                }
            });
            let mut r = streaming(
                200,
                "application/json; charset=utf-8",
                StreamBody::new(frames).boxed_unsync(),
            );
            r.headers_mut()
                .insert(CONTENT_LENGTH, HeaderValue::from(full.len() as u64));
            r
        }
        FaultKind::MalformedJson => {
            let full = sample_ok();
            raw(
                200,
                Some("application/json; charset=utf-8"),
                full[..30].to_string(),
            )
        }
        FaultKind::WrongContentType => raw(
            200,
            Some("text/html; charset=utf-8"),
            "<html><head><title>Pinata</title></head><body><h1>Service page</h1></body></html>",
        ),
        FaultKind::Empty200 => raw(200, Some("application/json; charset=utf-8"), Bytes::new()),
        FaultKind::HugeBody { size_mb, chunked } => huge(size_mb, chunked),
        FaultKind::SlowDrip { interval_ms } => {
            let frames = stream::unfold(true, move |first| async move {
                if !first {
                    tokio::time::sleep(Duration::from_millis(interval_ms)).await;
                }
                let byte = if first { &b"{"[..] } else { &b" "[..] };
                Some((
                    Ok::<_, BoxError>(Frame::data(Bytes::from_static(byte))),
                    false,
                ))
            });
            streaming(
                200,
                "application/json; charset=utf-8",
                StreamBody::new(frames).boxed_unsync(),
            )
        }
        // Handled in `apply`.
        FaultKind::Reset { .. } | FaultKind::Delay { .. } => {
            err_a(500, "INJECTED_FAULT", "unreachable")
        }
    }
}

/// A JSON document of exactly `size_mb` MiB (when that is large enough to hold
/// the frame), produced 64 KiB at a time.
fn huge(size_mb: u64, chunked: bool) -> Resp {
    const CHUNK: u64 = 64 * 1024;
    let prefix = Bytes::from(format!(
        "{{\"IpfsHash\":\"QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o\",\"PinSize\":20,\"Timestamp\":\"{}\",\"padding\":\"",
        ts(&now())
    ));
    let suffix = Bytes::from_static(b"\"}");
    let total = (size_mb * 1024 * 1024).max((prefix.len() + suffix.len()) as u64);
    let pad_total = total - (prefix.len() + suffix.len()) as u64;
    let pad_chunk = Bytes::from(vec![b'x'; CHUNK as usize]);
    // States: 0 = prefix, 1 = padding (remaining), 2 = suffix, 3 = done.
    let frames = stream::unfold((0u8, pad_total), move |(stage, left)| {
        let prefix = prefix.clone();
        let suffix = suffix.clone();
        let pad_chunk = pad_chunk.clone();
        async move {
            let (data, next) = match stage {
                0 => (prefix, (1, left)),
                1 if left > 0 => {
                    let n = left.min(CHUNK);
                    (pad_chunk.slice(..n as usize), (1, left - n))
                }
                1 | 2 => (suffix, (3, 0)),
                _ => return None,
            };
            Some((Ok::<_, BoxError>(Frame::data(data)), next))
        }
    });
    let mut r = streaming(
        200,
        "application/json; charset=utf-8",
        StreamBody::new(frames).boxed_unsync(),
    );
    if !chunked {
        r.headers_mut()
            .insert(CONTENT_LENGTH, HeaderValue::from(total));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching() {
        let f = Fault::parse(
            1,
            &json!({"path": "/pinning/*", "kind": "empty_200", "times": 2}),
        )
        .unwrap();
        assert!(f.matches("POST", "/pinning/pinFileToIPFS"));
        assert!(!f.matches("GET", "/data/pinList"));
        let mut v = vec![f];
        assert!(take(&mut v, "POST", "/pinning/x").is_some());
        assert!(take(&mut v, "POST", "/pinning/x").is_some());
        assert!(take(&mut v, "POST", "/pinning/x").is_none());
        assert!(Fault::parse(1, &json!({"path": "*", "kind": "nope"})).is_err());
    }
}
