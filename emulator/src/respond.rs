//! Response helpers: body type, JSON/text responses and Pinata's error shapes
//! (`reference/pinata-api.md` §2.1).

use bytes::Bytes;
use http::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use http::{Response, StatusCode};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full};
use serde_json::{json, Value};

/// Error type carried by response bodies (a failing body aborts the connection).
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
/// The response body type used everywhere.
pub type Body = UnsyncBoxBody<Bytes, BoxError>;
/// A complete response.
pub type Resp = Response<Body>;

/// A body holding `bytes` in full.
pub fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into())
        .map_err(|never| match never {})
        .boxed_unsync()
}

/// A response with the given status, content type and bytes (with an exact
/// `Content-Length`).
pub fn raw(status: u16, content_type: Option<&str>, bytes: impl Into<Bytes>) -> Resp {
    let bytes = bytes.into();
    let mut r = Response::new(full(bytes.clone()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(ct) = content_type {
        if let Ok(v) = HeaderValue::from_str(ct) {
            r.headers_mut().insert(CONTENT_TYPE, v);
        }
    }
    r.headers_mut()
        .insert(CONTENT_LENGTH, HeaderValue::from(bytes.len() as u64));
    r
}

/// `application/json; charset=utf-8` response of `value` (compact, key order kept).
pub fn json(status: u16, value: &Value) -> Resp {
    let bytes = serde_json::to_vec(value).unwrap_or_else(|_| b"null".to_vec());
    raw(status, Some("application/json; charset=utf-8"), bytes)
}

/// 200 `text/plain; charset=utf-8` `OK`, the legacy mutation success body.
pub fn ok_text() -> Resp {
    raw(200, Some("text/plain; charset=utf-8"), &b"OK"[..])
}

/// Error shape A: `{"error":{"reason":R,"details":D}}`.
pub fn err_a(status: u16, reason: &str, details: &str) -> Resp {
    json(
        status,
        &json!({"error": {"reason": reason, "details": details}}),
    )
}

/// Error shape B: `{"error":"<text>"}` (validation errors on legacy endpoints).
pub fn err_b(status: u16, message: &str) -> Resp {
    json(status, &json!({ "error": message }))
}

/// 400 `{"error":"Invalid request format."}` (malformed multipart).
pub fn invalid_format() -> Resp {
    err_b(400, "Invalid request format.")
}

/// 404 for unknown routes: `{"error":{"reason":"NOT_FOUND","details":"Cannot GET /x"}}`.
pub fn not_found(method: &str, path: &str) -> Resp {
    err_a(404, "NOT_FOUND", &format!("Cannot {method} {path}"))
}
