//! Key management: `/users/generateApiKey`, `/users/apiKeys`,
//! `/users/revokeApiKey` and their v3 twins (`/v3/pinata/keys`,
//! `/v3/api_keys`). All need an admin key (`reference/pinata-api.md` §4).

use std::sync::Arc;

use hyper::body::Incoming;
use hyper::Request;
use serde_json::{json, Map, Value};

use crate::auth::{authenticate, create_key, Need};
use crate::body::read_json;
use crate::http_util::query_pairs;
use crate::ids::now;
use crate::respond::{err_b, json, raw, Resp};
use crate::state::App;

/// Keys per page of the list endpoints.
pub const PAGE_SIZE: usize = 10;

/// `POST /users/generateApiKey` (and `POST /v3/pinata/keys`, `POST /v3/api_keys`).
pub async fn create(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let (parts, body) = req.into_parts();
    let body = match read_json(body, &parts.headers).await {
        Ok(b) => b.unwrap_or_else(|| Value::Object(Map::new())),
        Err(r) => return r,
    };
    if let Err(r) = authenticate(app, &parts.headers, Need::Admin, true) {
        return r;
    }
    let name = match body.get("keyName") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        _ => return err_b(400, "keyName is required and must be a non-empty string"),
    };
    let permissions = match body.get("permissions") {
        Some(p @ Value::Object(_)) => p.clone(),
        _ => return err_b(400, "permissions is required and must be an object"),
    };
    let max_uses = match body.get("maxUses") {
        None | Some(Value::Null) => 0,
        Some(v) => match v.as_u64() {
            Some(n) if n >= 1 => n,
            _ => return err_b(400, "maxUses must be a positive integer"),
        },
    };
    let (rec, jwt) = {
        let mut st = app.lock();
        create_key(app, &mut st, &name, permissions, max_uses, false)
    };
    json(
        200,
        &json!({
            "pinata_api_key": rec.key,
            "pinata_api_secret": rec.secret,
            "JWT": jwt,
        }),
    )
}

fn parse_bool(name: &str, v: &str) -> Result<bool, Resp> {
    match v {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(err_b(400, &format!("{name} must be true or false"))),
    }
}

/// `GET /users/apiKeys` (and the v3 twins): newest first, 10 per page,
/// `offset`, filters `revoked`, `limitedUse`, `exhausted`, `name`.
pub async fn list(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let query = query_pairs(&req);
    let (parts, body) = req.into_parts();
    crate::body::discard(body);
    if let Err(r) = authenticate(app, &parts.headers, Need::Admin, true) {
        return r;
    }
    let mut offset = 0usize;
    let mut revoked = None;
    let mut limited = None;
    let mut exhausted = None;
    let mut name: Option<String> = None;
    for (k, v) in &query {
        match k.as_str() {
            "offset" => match v.parse() {
                Ok(n) => offset = n,
                Err(_) => return err_b(400, "offset must be a non-negative integer"),
            },
            "revoked" => match parse_bool(k, v) {
                Ok(b) => revoked = Some(b),
                Err(r) => return r,
            },
            "limitedUse" => match parse_bool(k, v) {
                Ok(b) => limited = Some(b),
                Err(r) => return r,
            },
            "exhausted" => match parse_bool(k, v) {
                Ok(b) => exhausted = Some(b),
                Err(r) => return r,
            },
            "name" => name = Some(v.to_lowercase()),
            _ => {}
        }
    }
    let st = app.lock();
    let matching: Vec<&crate::state::KeyRec> = st
        .keys
        .iter()
        .rev()
        .filter(|k| revoked.is_none_or(|b| k.revoked == b))
        .filter(|k| limited.is_none_or(|b| (k.max_uses > 0) == b))
        .filter(|k| exhausted.is_none_or(|b| k.exhausted() == b))
        .filter(|k| {
            name.as_ref()
                .is_none_or(|n| k.name.to_lowercase().contains(n.as_str()))
        })
        .collect();
    let keys: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(PAGE_SIZE)
        .map(|k| k.to_json(&app.user.id))
        .collect();
    json(200, &json!({"keys": keys, "count": matching.len()}))
}

/// Marks `key` revoked; 200 with the JSON string `"Revoked"`.
fn revoke(app: &App, key: &str) -> Resp {
    let mut st = app.lock();
    match st.keys.iter_mut().find(|k| k.key == key) {
        Some(k) => {
            if !k.revoked {
                k.revoked = true;
                k.updated_at = now();
            }
            raw(
                200,
                Some("application/json; charset=utf-8"),
                &b"\"Revoked\""[..],
            )
        }
        None => err_b(404, "API key not found"),
    }
}

/// `PUT /users/revokeApiKey` with `{"apiKey": "<key>"}`.
pub async fn revoke_by_body(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let (parts, body) = req.into_parts();
    let body = match read_json(body, &parts.headers).await {
        Ok(b) => b.unwrap_or_else(|| Value::Object(Map::new())),
        Err(r) => return r,
    };
    if let Err(r) = authenticate(app, &parts.headers, Need::Admin, true) {
        return r;
    }
    match body.get("apiKey") {
        Some(Value::String(k)) if !k.is_empty() => revoke(app, k),
        _ => err_b(400, "apiKey is required and must be a string"),
    }
}

/// `PUT /v3/pinata/keys/{key}` and `DELETE /v3/api_keys/{key}`.
pub async fn revoke_by_path(app: &Arc<App>, req: Request<Incoming>, key: &str) -> Resp {
    let (parts, body) = req.into_parts();
    crate::body::discard(body);
    if let Err(r) = authenticate(app, &parts.headers, Need::Admin, true) {
        return r;
    }
    revoke(app, key)
}
