//! Request body reading: the Express-style JSON body parser (strict mode,
//! 10 MB limit, Node `JSON.parse` error messages) and body draining.

use bytes::{Bytes, BytesMut};
use http::header::{HeaderMap, CONTENT_LENGTH, CONTENT_TYPE};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use serde_json::Value;

use crate::respond::{err_a, Resp};

/// Largest JSON body accepted (`pinJSONToIPFS` documents 10 MB).
pub const JSON_LIMIT: usize = 10 * 1024 * 1024;

/// True when the `Content-Type` header is JSON (`application/json` or `*/*+json`).
pub fn is_json(headers: &HeaderMap) -> bool {
    let ct = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Reads and throws away the rest of a body in the background, so that the
/// connection stays usable after an early answer.
pub fn discard(mut body: Incoming) {
    tokio::spawn(async move {
        while let Some(frame) = body.frame().await {
            if frame.is_err() {
                break;
            }
        }
    });
}

/// Why [`read_limited`] failed.
pub enum ReadError {
    /// The body is longer than the limit.
    TooLarge,
    /// The connection failed while reading.
    Io,
}

/// Reads a whole body of at most `limit` bytes.
pub async fn read_limited(mut body: Incoming, limit: usize) -> Result<Bytes, ReadError> {
    let mut buf = BytesMut::new();
    let mut too_large = false;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| ReadError::Io)?;
        if let Ok(data) = frame.into_data() {
            if buf.len() + data.len() > limit {
                too_large = true;
                break;
            }
            buf.extend_from_slice(&data);
        }
    }
    if too_large {
        discard(body);
        return Err(ReadError::TooLarge);
    }
    Ok(buf.freeze())
}

/// The Express body parser: when the request is JSON, reads it (10 MB limit,
/// 413 above) and parses it strictly (top level must be an object or array);
/// a syntax error gives 400 `UNKNOWN_REASON` with Node's `JSON.parse` message.
/// A non-JSON request's body is drained and `Ok(None)` returned. An empty JSON
/// body is `{}` (as in Express).
pub async fn read_json(body: Incoming, headers: &HeaderMap) -> Result<Option<Value>, Resp> {
    Ok(read_json_bytes(body, headers).await?.map(|(_, v)| v))
}

/// [`read_json`], also handing back the bytes read: a JSON pin hashes its own
/// reading of them (`oracle::json`), not serde_json's.
pub async fn read_json_bytes(
    body: Incoming,
    headers: &HeaderMap,
) -> Result<Option<(Bytes, Value)>, Resp> {
    if !is_json(headers) {
        discard(body);
        return Ok(None);
    }
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > JSON_LIMIT as u64) {
        discard(body);
        return Err(too_large());
    }
    let bytes = match read_limited(body, JSON_LIMIT).await {
        Ok(b) => b,
        Err(ReadError::TooLarge) => return Err(too_large()),
        Err(ReadError::Io) => return Err(err_a(400, "UNKNOWN_REASON", "request aborted")),
    };
    match parse_strict(&bytes) {
        Ok(v) => Ok(Some((bytes, v))),
        Err(msg) => Err(err_a(400, "UNKNOWN_REASON", &msg)),
    }
}

/// 413 `{"error":{"reason":"PAYLOAD_TOO_LARGE","details":"request entity too large"}}`.
pub fn too_large() -> Resp {
    err_a(413, "PAYLOAD_TOO_LARGE", "request entity too large")
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Parses like body-parser's strict JSON mode, returning Node's error text.
pub fn parse_strict(bytes: &[u8]) -> Result<Value, String> {
    let Some(first) = bytes.iter().position(|b| !is_ws(*b)) else {
        return Ok(Value::Object(Default::default()));
    };
    let c = bytes[first];
    if c != b'{' && c != b'[' {
        return Err(format!(
            "Unexpected token {} in JSON at position {first}",
            char_at(bytes, first)
        ));
    }
    parse_node(bytes)
}

/// Parses JSON, reporting failures with Node's (pre-v20) `JSON.parse` messages.
pub fn parse_node(bytes: &[u8]) -> Result<Value, String> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v) => Ok(v),
        Err(e) if e.is_eof() => Err("Unexpected end of JSON input".to_string()),
        Err(e) => {
            let pos = offset_of(bytes, e.line(), e.column());
            if pos >= bytes.len() {
                Err("Unexpected end of JSON input".to_string())
            } else {
                Err(format!(
                    "Unexpected token {} in JSON at position {pos}",
                    char_at(bytes, pos)
                ))
            }
        }
    }
}

/// Byte offset of a 1-based (line, column) position as serde_json reports it.
fn offset_of(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match bytes[start..].iter().position(|b| *b == b'\n') {
            Some(i) => start += i + 1,
            None => break,
        }
    }
    start + column.saturating_sub(1)
}

fn char_at(bytes: &[u8], pos: usize) -> char {
    let tail = &bytes[pos..];
    let n = tail.len().min(4);
    for len in 1..=n {
        if let Ok(s) = std::str::from_utf8(&tail[..len]) {
            if let Some(c) = s.chars().next() {
                return c;
            }
        }
    }
    char::REPLACEMENT_CHARACTER
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_messages() {
        assert_eq!(
            parse_strict(b"--boundary\r\n").unwrap_err(),
            "Unexpected token - in JSON at position 0"
        );
        assert_eq!(
            parse_strict(br#"{"a":x}"#).unwrap_err(),
            "Unexpected token x in JSON at position 5"
        );
        assert_eq!(
            parse_strict(br#"{"a":"#).unwrap_err(),
            "Unexpected end of JSON input"
        );
        assert!(parse_strict(b"  ").unwrap().is_object());
        assert!(parse_strict(br#"[1]"#).unwrap().is_array());
    }
}
