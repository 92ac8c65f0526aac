//! `GET/PUT/DELETE /v3/files/{network}[/{id}]` (`reference/pinata-api.md`
//! §6.4, `real-clients.md` §1 "Files").

use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hyper::body::Incoming;
use hyper::Request;
use serde_json::{json, Value};

use crate::body::{discard, read_json};
use crate::http_util::query_pairs;
use crate::ids::now;
use crate::respond::Resp;
use crate::state::App;
use crate::v3::common::{check_keyvalues, data, err_c, file_not_found, opt_str, v3_auth};
use crate::v3::store::{self, FileRow, Network};

/// Page size when `limit` is absent (Pinata's default is undocumented).
pub const DEFAULT_LIMIT: usize = 10;
/// Largest `limit` accepted.
pub const MAX_LIMIT: usize = 1000;

/// `next_page_token`: standard base64 of the last row's id (§6.4).
pub fn page_token(id: &str) -> String {
    STANDARD.encode(id)
}

/// Decodes a page token back to the id it names.
pub fn token_id(token: &str) -> Result<String, Resp> {
    STANDARD
        .decode(token)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| err_c(400, "Invalid pageToken"))
}

/// One page of `rows` (already filtered and ordered) after the row named by
/// `token`; the token is empty on the last page.
pub fn paginate<T>(
    rows: Vec<T>,
    id_of: impl Fn(&T) -> &str,
    limit: usize,
    token: Option<&str>,
) -> Result<(Vec<T>, String), Resp> {
    let start = match token {
        None | Some("") => 0,
        Some(t) => {
            let id = token_id(t)?;
            match rows.iter().position(|r| id_of(r) == id) {
                Some(i) => i + 1,
                None => return Err(err_c(400, "Invalid pageToken")),
            }
        }
    };
    let more = rows.len() > start + limit;
    let page: Vec<T> = rows.into_iter().skip(start).take(limit).collect();
    let next = if more {
        page.last()
            .map(|r| page_token(id_of(r)))
            .unwrap_or_default()
    } else {
        String::new()
    };
    Ok((page, next))
}

/// Parses `limit`.
pub fn parse_limit(v: &str) -> Result<usize, Resp> {
    match v.parse::<usize>() {
        Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        _ => Err(err_c(400, "limit must be an integer between 1 and 1000")),
    }
}

fn network_of(seg: &str) -> Result<Network, Resp> {
    Network::parse(seg).ok_or_else(|| err_c(400, "network must be public or private"))
}

/// `GET /v3/files/{network}`: filters `name` (substring), `group` (`null` =
/// no group), `mimeType`, `cid`, `cidPending`, `keyvalues[k]=v` (also
/// `metadata[keyvalues][k]=v`), `order` ASC|DESC (default DESC, by creation),
/// `limit`, `pageToken`.
pub async fn list(app: &Arc<App>, req: Request<Incoming>, network: &str) -> Resp {
    let pairs = query_pairs(&req);
    let (parts, body) = req.into_parts();
    discard(body);
    if let Err(r) = v3_auth(app, &parts.headers, "org:files:read") {
        return r;
    }
    let network = match network_of(network) {
        Ok(n) => n,
        Err(r) => return r,
    };
    let mut limit = DEFAULT_LIMIT;
    let mut descending = true;
    let mut token = None;
    let mut name = None;
    let mut group = None;
    let mut mime = None;
    let mut cid = None;
    let mut cid_pending = false;
    let mut kv: Vec<(String, String)> = Vec::new();
    for (k, v) in &pairs {
        match k.as_str() {
            "limit" => match parse_limit(v) {
                Ok(n) => limit = n,
                Err(r) => return r,
            },
            "order" => match v.to_ascii_uppercase().as_str() {
                "ASC" => descending = false,
                "DESC" => descending = true,
                _ => return err_c(400, "order must be ASC or DESC"),
            },
            "pageToken" => token = Some(v.clone()),
            "name" => name = Some(v.clone()),
            "group" => group = Some(v.clone()),
            "mimeType" => mime = Some(v.clone()),
            "cid" => cid = Some(v.clone()),
            "cidPending" => cid_pending = v == "true",
            _ => {
                let key = k
                    .strip_prefix("keyvalues[")
                    .or_else(|| k.strip_prefix("metadata[keyvalues]["))
                    .and_then(|s| s.strip_suffix(']'));
                if let Some(key) = key {
                    kv.push((key.to_string(), v.clone()));
                }
            }
        }
    }
    let mut rows = store::files(&mut app.lock(), network);
    rows.retain(|f: &FileRow| {
        name.as_ref()
            .is_none_or(|n| f.name.as_deref().unwrap_or("").contains(n.as_str()))
            && match group.as_deref() {
                None => true,
                Some("null") => f.group_id.is_none(),
                Some(g) => f.group_id.as_deref() == Some(g),
            }
            && mime.as_ref().is_none_or(|m| &f.mime_type == m)
            && cid.as_ref().is_none_or(|c| &f.cid == c)
            && (!cid_pending || f.cid == "pending")
            && kv.iter().all(|(k, v)| match f.keyvalues.get(k) {
                Some(Value::String(s)) => s == v,
                Some(other) => &other.to_string() == v,
                None => false,
            })
    });
    if descending {
        rows.reverse();
    }
    let (page, next) = match paginate(rows, |f| f.id.as_str(), limit, token.as_deref()) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let files: Vec<Value> = page.iter().map(|f| f.to_json(&app.user.id)).collect();
    data(json!({"files": files, "next_page_token": next}))
}

/// `GET /v3/files/{network}/{id}`.
pub async fn get(app: &Arc<App>, req: Request<Incoming>, network: &str, id: &str) -> Resp {
    let (parts, body) = req.into_parts();
    discard(body);
    if let Err(r) = v3_auth(app, &parts.headers, "org:files:read") {
        return r;
    }
    let network = match network_of(network) {
        Ok(n) => n,
        Err(r) => return r,
    };
    match store::get(&mut app.lock(), network, id) {
        Some(f) => data(f.to_json(&app.user.id)),
        None => file_not_found(),
    }
}

/// `PUT /v3/files/{network}/{id}` with `{name?, keyvalues?, expires_at?}`
/// (at least one; keyvalues are merged, a `null` value deletes its key).
pub async fn update(app: &Arc<App>, req: Request<Incoming>, network: &str, id: &str) -> Resp {
    let (parts, body) = req.into_parts();
    let body = match read_json(body, &parts.headers).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Err(r) = v3_auth(app, &parts.headers, "org:files:write") {
        return r;
    }
    let network = match network_of(network) {
        Ok(n) => n,
        Err(r) => return r,
    };
    let Some(body) = body.filter(Value::is_object) else {
        return err_c(400, "Body must be a JSON object");
    };
    let name = match opt_str(&body, "name") {
        Ok(n) => n,
        Err(r) => return r,
    };
    let keyvalues = match body.get("keyvalues") {
        None | Some(Value::Null) => None,
        Some(v) => match check_keyvalues(v) {
            Ok(m) => Some(m),
            Err(r) => return r,
        },
    };
    let expires_at = match body.get("expires_at") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_i64() {
            Some(e) if e > now().timestamp() => Some(e),
            _ => return err_c(400, "expires_at must be a future unix time in seconds"),
        },
    };
    if name.is_none() && keyvalues.is_none() && expires_at.is_none() {
        return err_c(
            400,
            "At least one of name, keyvalues or expires_at is required",
        );
    }
    match store::update(&mut app.lock(), network, id, name, keyvalues, expires_at) {
        Some(f) => data(f.to_json(&app.user.id)),
        None => file_not_found(),
    }
}

/// `DELETE /v3/files/{network}/{id}`: `{"data":null}`.
pub async fn delete(app: &Arc<App>, req: Request<Incoming>, network: &str, id: &str) -> Resp {
    let (parts, body) = req.into_parts();
    discard(body);
    if let Err(r) = v3_auth(app, &parts.headers, "org:files:write") {
        return r;
    }
    let network = match network_of(network) {
        Ok(n) => n,
        Err(r) => return r,
    };
    if store::delete(&mut app.lock(), network, id) {
        data(Value::Null)
    } else {
        file_not_found()
    }
}
