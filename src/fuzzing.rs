//! Entry points for the fuzz targets in `fuzz/` (not part of the supported API): each
//! runs one parser over arbitrary bytes and must never panic.

use crate::transport::{error_from_response, Response};

/// Parses `body` as a response with `status` the way every operation does: an error
/// body into an error, a 2xx JSON body into each typed result.
pub fn response(status: u16, body: &[u8]) {
    let resp = Response {
        status,
        headers: vec![(
            "retry-after".into(),
            String::from_utf8_lossy(body).into_owned(),
        )],
        body: body.to_vec(),
    };
    let _ = resp.retry_after();
    if !(200..300).contains(&status) {
        let err = error_from_response(&resp);
        let _ = err.to_string();
        return;
    }
    let _ = crate::pinning::parse_pin_answer(Response {
        status,
        headers: Vec::new(),
        body: body.to_vec(),
    });
    if let Ok(value) = resp.json() {
        let _ = crate::pinning::PinJob::from_json(value.clone());
        let _ = crate::data::PinRow::from_json(value.clone());
        let _ = crate::keys::KeyInfo::from_json(value);
    }
}

/// Builds a pin-list query from arbitrary text and renders its query string.
pub fn pin_list_query(data: &[u8]) {
    use crate::data::{KeyvalueOp, PinListQuery};
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\u{1}');
    let mut q = PinListQuery {
        cid: parts.next().map(str::to_string),
        name_contains: parts.next().map(str::to_string),
        group_id: parts.next().map(str::to_string),
        pin_start: parts.next().map(str::to_string),
        ..Default::default()
    };
    let mut ops = data.iter().copied();
    while let (Some(key), Some(op)) = (parts.next(), ops.next()) {
        let op = KeyvalueOp::ALL[usize::from(op) % KeyvalueOp::ALL.len()];
        let second = op.is_range().then(|| serde_json::Value::from(key.len()));
        let _ = q.add_keyvalue(key, op, serde_json::Value::from(key), second);
    }
    let limit = u32::from(data.first().copied().unwrap_or(1)).max(1);
    let _ = q.to_query_string(data.len() as u64, limit);
}

/// Parses arbitrary text as a CID.
pub fn cid(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(c) = crate::cid::parse_cid(text) {
            let _ = c.to_string();
        }
    }
}
