//! What every v3 endpoint shares: the `{"data":…}` envelope, error shape C
//! (`{"error":{"code":N,"message":"…"}}`, `reference/pinata-api.md` §2.1) and
//! resource scopes (`org:files:read`, …; §1.5).

use http::header::HeaderMap;
use serde_json::{json, Value};

use crate::auth::{authenticate, Need};
use crate::respond::{json, Resp};
use crate::state::App;

/// `200 {"data": value}`.
pub fn data(value: Value) -> Resp {
    json(200, &json!({ "data": value }))
}

/// Error shape C.
pub fn err_c(code: u16, message: &str) -> Resp {
    json(code, &json!({"error": {"code": code, "message": message}}))
}

/// 404 for an unknown file id.
pub fn file_not_found() -> Resp {
    err_c(404, "File not found")
}

/// True when a key's scopes grant the v3 resource scope `need`
/// (`org:files:read`, …): admin keys, the scope itself, or its `write` twin
/// for a `read` scope (write implies read).
pub fn resource_allowed(scopes: &Value, need: &str) -> bool {
    if scopes.get("admin").and_then(Value::as_bool) == Some(true) {
        return true;
    }
    let Some(list) = scopes.get("resources").and_then(Value::as_array) else {
        return false;
    };
    let write = need.strip_suffix(":read").map(|b| format!("{b}:write"));
    list.iter().filter_map(Value::as_str).any(|s| {
        s == need
            || write.as_deref() == Some(s)
            || s == "org:write"
            || (s == "org:read" && need.ends_with(":read"))
    })
}

/// Authenticates a v3 request and checks its resource scope; uses up one of
/// the key's uses on success. Failures come in shape C: no credentials and
/// legacy endpoint-scoped keys get 401 (Pinata answers those keys "no
/// Authorization header found", §1.4), bad credentials 401, revoked,
/// exhausted or out-of-scope keys 403.
pub fn v3_auth(app: &App, headers: &HeaderMap, need: &str) -> Result<String, Resp> {
    let key = match authenticate(app, headers, Need::Nothing, false) {
        Ok(k) => k,
        Err(r) => {
            let status = r.status().as_u16();
            return Err(match status {
                400 => err_c(401, "no Authorization header found"),
                401 => err_c(401, "Invalid/expired credentials"),
                _ => err_c(status, &crate::v3::common::details_of(status)),
            });
        }
    };
    let mut st = app.lock();
    let Some(rec) = st.keys.iter_mut().find(|k| k.key == key && !k.revoked) else {
        return Err(err_c(401, "Invalid/expired credentials"));
    };
    let legacy_only = rec.scopes.get("admin").and_then(Value::as_bool) != Some(true)
        && rec.scopes.get("resources").is_none();
    if legacy_only {
        return Err(err_c(401, "no Authorization header found"));
    }
    if !resource_allowed(&rec.scopes, need) {
        return Err(err_c(
            403,
            "This key does not have the required scopes associated with it",
        ));
    }
    rec.uses += 1;
    Ok(key)
}

/// The message for an auth failure status other than 400/401 (403: revoked
/// or exhausted; the key lookup above distinguishes nothing more).
fn details_of(status: u16) -> String {
    match status {
        403 => "This API key has been revoked or has no uses left".into(),
        429 => "Too many requests, please try again later.".into(),
        _ => "Authentication failed".into(),
    }
}

/// Reads an optional string field.
pub fn opt_str(v: &Value, key: &str) -> Result<Option<String>, Resp> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(err_c(400, &format!("{key} must be a string"))),
    }
}

/// Checks a keyvalues object (at most 10 pairs, string or number values).
pub fn check_keyvalues(v: &Value) -> Result<serde_json::Map<String, Value>, Resp> {
    let Value::Object(m) = v else {
        return Err(err_c(400, "keyvalues must be an object"));
    };
    if m.len() > crate::legacy::pinning::MAX_KEYVALUES {
        return Err(err_c(
            400,
            "keyvalues cannot contain more than 10 key-value pairs",
        ));
    }
    for (k, v) in m {
        if !(v.is_string() || v.is_number() || v.is_null()) {
            return Err(err_c(400, &format!("keyvalue {k:?} must be a string")));
        }
    }
    Ok(m.clone())
}
