//! Legacy groups (`/groups`, CID based; `reference/pinata-api.md` §5): create, list
//! (`nameContains`, `offset`, `limit`; a bare array), get, update, delete, and adding
//! or removing CIDs. Adding a CID puts this account's active pins of that CID in the
//! group (their `group_id`, which `pinList?groupId=` filters on); removing it, or
//! deleting the group, takes them out. A CID not pinned here is remembered by the
//! group and applies to no row. Scopes: an admin key, or a v3 key with
//! `org:groups:read` / `org:groups:write` (pinata-web3 uses v3 keys); a legacy
//! endpoint-scoped key gets 403 `NO_SCOPES_FOUND`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use hyper::body::Incoming;
use hyper::Request;
use serde_json::{json, Value};

use crate::auth::{authenticate, no_scopes, Need};
use crate::body::{discard, read_json};
use crate::http_util::query_pairs;
use crate::ids::{now, ts, uuid};
use crate::oracle;
use crate::respond::{err_a, err_b, json, ok_text, Resp};
use crate::state::App;
use crate::v3::common::resource_allowed;

/// Default and largest page of `GET /groups` (undocumented upstream; chosen here).
pub const DEFAULT_LIMIT: usize = 10;
pub const MAX_LIMIT: usize = 1000;

/// One legacy group.
#[derive(Clone, Debug)]
pub struct Group {
    pub id: String,
    pub name: String,
    /// CIDs added and not removed, in order of addition.
    pub cids: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Group {
    fn to_json(&self, user_id: &str) -> Value {
        json!({
            "id": self.id,
            "user_id": user_id,
            "name": self.name,
            "updatedAt": ts(&self.updated_at),
            "createdAt": ts(&self.created_at),
        })
    }
}

/// Authenticates a request and checks a v3 resource scope (`org:groups:*`; admin keys
/// pass), counting one use on success. Failures are the legacy shape A ones: a legacy
/// endpoint-scoped key gets 403 `NO_SCOPES_FOUND`.
fn authorize(app: &App, headers: &http::HeaderMap, scope: &str) -> Result<(), Resp> {
    let key = authenticate(app, headers, Need::Nothing, false)?;
    let mut st = app.lock();
    match st.keys.iter_mut().find(|k| k.key == key) {
        Some(rec) if resource_allowed(&rec.scopes, scope) => {
            rec.uses += 1;
            Ok(())
        }
        _ => Err(no_scopes()),
    }
}

/// 404 for a group id this account does not have.
fn not_found() -> Resp {
    err_a(404, "NOT_FOUND", "Group not found")
}

async fn body_for(app: &App, req: Request<Incoming>, scope: &str) -> Result<Value, Resp> {
    let (parts, body) = req.into_parts();
    let v = read_json(body, &parts.headers).await?;
    authorize(app, &parts.headers, scope)?;
    Ok(v.unwrap_or_else(|| json!({})))
}

fn no_body(app: &App, req: Request<Incoming>, scope: &str) -> Result<(), Resp> {
    let (parts, body) = req.into_parts();
    discard(body);
    authorize(app, &parts.headers, scope)
}

fn name_of(body: &Value) -> Result<String, Resp> {
    match body.get("name") {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        _ => Err(err_b(
            400,
            "name is required and must be a non-empty string",
        )),
    }
}

/// `POST /groups` `{"name"}`.
pub async fn create(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let name = match body_for(app, req, "org:groups:write")
        .await
        .and_then(|b| name_of(&b))
    {
        Ok(n) => n,
        Err(r) => return r,
    };
    let t = now();
    let g = Group {
        id: uuid(),
        name,
        cids: Vec::new(),
        created_at: t,
        updated_at: t,
    };
    let out = g.to_json(&app.user.id);
    let mut st = app.lock();
    st.next_seq();
    st.legacy_groups.push(g);
    json(200, &out)
}

/// `GET /groups?nameContains=&offset=&limit=`: newest first, a bare array.
pub async fn list(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let q = query_pairs(&req);
    if let Err(r) = no_body(app, req, "org:groups:read") {
        return r;
    }
    let mut name = None;
    let mut offset = 0usize;
    let mut limit = DEFAULT_LIMIT;
    for (k, v) in &q {
        match k.as_str() {
            "nameContains" if !v.is_empty() => name = Some(v.to_lowercase()),
            "offset" => match v.parse() {
                Ok(n) => offset = n,
                Err(_) => return err_b(400, "offset must be a non-negative integer"),
            },
            "limit" => match v.parse::<usize>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => limit = n,
                _ => return err_b(400, "limit must be between 1 and 1000"),
            },
            _ => {}
        }
    }
    let st = app.lock();
    let rows: Vec<Value> = st
        .legacy_groups
        .iter()
        .rev()
        .filter(|g| {
            name.as_ref()
                .is_none_or(|n| g.name.to_lowercase().contains(n.as_str()))
        })
        .skip(offset)
        .take(limit)
        .map(|g| g.to_json(&app.user.id))
        .collect();
    json(200, &Value::Array(rows))
}

/// `GET /groups/{id}`.
pub async fn get(app: &Arc<App>, req: Request<Incoming>, id: &str) -> Resp {
    if let Err(r) = no_body(app, req, "org:groups:read") {
        return r;
    }
    let st = app.lock();
    match st.legacy_groups.iter().find(|g| g.id == id) {
        Some(g) => json(200, &g.to_json(&app.user.id)),
        None => not_found(),
    }
}

/// `PUT /groups/{id}` `{"name"}`: the updated group.
pub async fn update(app: &Arc<App>, req: Request<Incoming>, id: &str) -> Resp {
    let name = match body_for(app, req, "org:groups:write")
        .await
        .and_then(|b| name_of(&b))
    {
        Ok(n) => n,
        Err(r) => return r,
    };
    let mut st = app.lock();
    match st.legacy_groups.iter_mut().find(|g| g.id == id) {
        Some(g) => {
            g.name = name;
            g.updated_at = now();
            json(200, &g.to_json(&app.user.id))
        }
        None => not_found(),
    }
}

/// `DELETE /groups/{id}`: 200 `OK`; the group's pins leave it.
pub async fn delete(app: &Arc<App>, req: Request<Incoming>, id: &str) -> Resp {
    if let Err(r) = no_body(app, req, "org:groups:write") {
        return r;
    }
    let mut st = app.lock();
    let before = st.legacy_groups.len();
    st.legacy_groups.retain(|g| g.id != id);
    if st.legacy_groups.len() == before {
        return not_found();
    }
    for p in st.pins.iter_mut() {
        if p.group_id.as_deref() == Some(id) {
            p.group_id = None;
        }
    }
    ok_text()
}

/// `PUT /groups/{id}/cids` (`add`) and `DELETE /groups/{id}/cids` with `{"cids":[…]}`:
/// 200 `OK`.
pub async fn change_cids(app: &Arc<App>, req: Request<Incoming>, id: &str, add: bool) -> Resp {
    let body = match body_for(app, req, "org:groups:write").await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let cids: Vec<String> = match body.get("cids") {
        Some(Value::Array(a)) if !a.is_empty() => {
            let mut out = Vec::new();
            for c in a {
                match c.as_str() {
                    Some(s) if oracle::is_cid(s) => out.push(s.to_string()),
                    Some(s) => return err_b(400, &format!("Invalid CID: {s}")),
                    None => return err_b(400, "cids must be an array of strings"),
                }
            }
            out
        }
        _ => return err_b(400, "cids is required and must be a non-empty array"),
    };
    let mut st = app.lock();
    let st = &mut *st;
    let Some(g) = st.legacy_groups.iter_mut().find(|g| g.id == id) else {
        return not_found();
    };
    for c in &cids {
        if add {
            if !g.cids.contains(c) {
                g.cids.push(c.clone());
            }
        } else {
            g.cids.retain(|x| x != c);
        }
    }
    g.updated_at = now();
    for p in st
        .pins
        .iter_mut()
        .filter(|p| p.active() && cids.contains(&p.cid))
    {
        if add {
            p.group_id = Some(id.to_string());
        } else if p.group_id.as_deref() == Some(id) {
            p.group_id = None;
        }
    }
    ok_text()
}
