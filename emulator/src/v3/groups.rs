//! v3 groups (`/v3/groups/{network}`, file-ID based; `reference/pinata-api.md` §6.6):
//! create, list (name, isPublic, limit, pageToken), get, update, delete, and adding or
//! removing a file (a file of the v3 store, `crate::v3::store`: a public file is a pin
//! row). Groups live per network: a public group is not seen on private. Scopes:
//! `org:groups:read` for reads, `org:groups:write` for the rest, checked like every
//! v3 path (`common::v3_auth`). Errors use the v3 shape `{"error":{"code","message"}}`.

use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};
use hyper::body::Incoming;
use hyper::Request;
use serde_json::{json, Value};

use crate::body::{discard, read_json};
use crate::http_util::query_pairs;
use crate::respond::{json, Resp};
use crate::state::{App, State};
use crate::v3::common::{err_c, file_not_found, v3_auth};
use crate::v3::store::{self, uuid7};

/// Default and largest page of `GET /v3/groups/{network}` (Pinata documents neither;
/// chosen here and written in the README).
pub const DEFAULT_LIMIT: usize = 10;
pub const MAX_LIMIT: usize = 1000;

/// One v3 group.
#[derive(Clone, Debug)]
pub struct Group {
    /// UUIDv7-shaped id.
    pub id: String,
    /// `public` or `private`.
    pub network: String,
    pub name: String,
    pub is_public: bool,
    pub created_at: DateTime<Utc>,
}

impl Group {
    /// The `data` object of the answers.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "is_public": self.is_public,
            "created_at": self.created_at.to_rfc3339_opts(SecondsFormat::Micros, true),
        })
    }
}

/// Authenticates and checks a v3 resource scope (shape C errors, one use counted).
fn authorize(app: &App, headers: &http::HeaderMap, scope: &str) -> Result<(), Resp> {
    v3_auth(app, headers, scope).map(|_| ())
}

fn network_ok(network: &str) -> Result<(), Resp> {
    if network == "public" || network == "private" {
        Ok(())
    } else {
        Err(err_c(400, "network must be public or private"))
    }
}

fn group_not_found() -> Resp {
    err_c(404, "Group not found")
}

/// Reads the body of a write request: JSON when it says so (an empty body is `{}`),
/// ignored otherwise; then auth and scope.
async fn write_body(app: &App, req: Request<Incoming>, scope: &str) -> Result<Value, Resp> {
    let (parts, body) = req.into_parts();
    let v = read_json(body, &parts.headers)
        .await
        .map_err(|_| err_c(400, "Invalid JSON body"))?;
    authorize(app, &parts.headers, scope)?;
    Ok(v.unwrap_or_else(|| json!({})))
}

/// Auth for a request whose body is ignored (the SDK sends `Content-Type:
/// application/json` with an empty body on GET and DELETE: it is never parsed).
fn no_body(app: &App, req: Request<Incoming>, scope: &str) -> Result<(), Resp> {
    let (parts, body) = req.into_parts();
    discard(body);
    authorize(app, &parts.headers, scope)
}

fn name_field(body: &Value, required: bool) -> Result<Option<String>, Resp> {
    match body.get("name") {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.clone())),
        None | Some(Value::Null) if !required => Ok(None),
        _ => Err(err_c(
            400,
            "name is required and must be a non-empty string",
        )),
    }
}

fn is_public_field(body: &Value) -> Result<Option<bool>, Resp> {
    match body.get("is_public") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(err_c(400, "is_public must be a boolean")),
    }
}

/// `POST /v3/groups/{network}`.
pub async fn create(app: &Arc<App>, req: Request<Incoming>, network: &str) -> Resp {
    let body = match write_body(app, req, "org:groups:write").await {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Err(r) = network_ok(network) {
        return r;
    }
    let (name, is_public) = match (name_field(&body, true), is_public_field(&body)) {
        (Ok(Some(n)), Ok(p)) => (n, p.unwrap_or(false)),
        (Err(r), _) | (_, Err(r)) => return r,
        (Ok(None), _) => return err_c(400, "name is required and must be a non-empty string"),
    };
    let g = Group {
        id: uuid7(),
        network: network.to_string(),
        name,
        is_public,
        created_at: Utc::now(),
    };
    let out = g.to_json();
    let mut st = app.lock();
    st.next_seq();
    st.v3_groups.push(g);
    json(200, &json!({ "data": out }))
}

/// `GET /v3/groups/{network}`: newest first; `name` (substring), `isPublic`, `limit`
/// (1–1000, default 10), `pageToken` (base64 of the last id of the previous page).
/// The last page carries `"next_page_token": ""`.
pub async fn list(app: &Arc<App>, req: Request<Incoming>, network: &str) -> Resp {
    let q = query_pairs(&req);
    if let Err(r) = no_body(app, req, "org:groups:read") {
        return r;
    }
    if let Err(r) = network_ok(network) {
        return r;
    }
    let mut name = None;
    let mut is_public = None;
    let mut limit = DEFAULT_LIMIT;
    let mut after = None;
    for (k, v) in &q {
        match k.as_str() {
            "name" => name = Some(v.clone()),
            "isPublic" => match v.as_str() {
                "true" => is_public = Some(true),
                "false" => is_public = Some(false),
                _ => return err_c(400, "isPublic must be true or false"),
            },
            "limit" => match v.parse::<usize>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => limit = n,
                _ => return err_c(400, "limit must be between 1 and 1000"),
            },
            "pageToken" if !v.is_empty() => {
                match STANDARD
                    .decode(v)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                {
                    Some(id) => after = Some(id),
                    None => return err_c(400, "Invalid page token"),
                }
            }
            _ => {}
        }
    }
    let st = app.lock();
    let mut rows: Vec<&Group> = st
        .v3_groups
        .iter()
        .rev()
        .filter(|g| g.network == network)
        .filter(|g| name.as_ref().is_none_or(|n| g.name.contains(n.as_str())))
        .filter(|g| is_public.is_none_or(|p| g.is_public == p))
        .collect();
    if let Some(id) = &after {
        match rows.iter().position(|g| &g.id == id) {
            Some(i) => rows.drain(..=i).for_each(drop),
            None => return err_c(400, "Invalid page token"),
        }
    }
    let more = rows.len() > limit;
    rows.truncate(limit);
    let token = match rows.last() {
        Some(last) if more => STANDARD.encode(&last.id),
        _ => String::new(),
    };
    let groups: Vec<Value> = rows.iter().map(|g| g.to_json()).collect();
    json(
        200,
        &json!({"data": {"groups": groups, "next_page_token": token}}),
    )
}

fn find<'a>(groups: &'a mut [Group], network: &str, id: &str) -> Option<&'a mut Group> {
    groups
        .iter_mut()
        .find(|g| g.network == network && g.id == id)
}

/// `GET /v3/groups/{network}/{id}`.
pub async fn get(app: &Arc<App>, req: Request<Incoming>, network: &str, id: &str) -> Resp {
    if let Err(r) = no_body(app, req, "org:groups:read").and_then(|_| network_ok(network)) {
        return r;
    }
    let mut st = app.lock();
    match find(&mut st.v3_groups, network, id) {
        Some(g) => json(200, &json!({"data": g.to_json()})),
        None => group_not_found(),
    }
}

/// `PUT /v3/groups/{network}/{id}` with `{name?, is_public?}` (at least one).
pub async fn update(app: &Arc<App>, req: Request<Incoming>, network: &str, id: &str) -> Resp {
    let body = match write_body(app, req, "org:groups:write").await {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Err(r) = network_ok(network) {
        return r;
    }
    let (name, is_public) = match (name_field(&body, false), is_public_field(&body)) {
        (Ok(n), Ok(p)) => (n, p),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    if name.is_none() && is_public.is_none() {
        return err_c(400, "At least one of name or is_public is required");
    }
    let mut st = app.lock();
    match find(&mut st.v3_groups, network, id) {
        Some(g) => {
            if let Some(n) = name {
                g.name = n;
            }
            if let Some(p) = is_public {
                g.is_public = p;
            }
            json(200, &json!({"data": g.to_json()}))
        }
        None => group_not_found(),
    }
}

/// `DELETE /v3/groups/{network}/{id}`.
pub async fn delete(app: &Arc<App>, req: Request<Incoming>, network: &str, id: &str) -> Resp {
    if let Err(r) = no_body(app, req, "org:groups:write").and_then(|_| network_ok(network)) {
        return r;
    }
    let mut st = app.lock();
    let before = st.v3_groups.len();
    st.v3_groups
        .retain(|g| !(g.network == network && g.id == id));
    if st.v3_groups.len() == before {
        return group_not_found();
    }
    // Its files stay, outside any group.
    for_each_file_in(&mut st, network, id, |g| *g = None);
    json(200, &json!({ "data": null }))
}

/// Runs `f` on the `group_id` of every file of `network` in group `id`.
fn for_each_file_in(st: &mut State, network: &str, id: &str, f: impl Fn(&mut Option<String>)) {
    if network == "public" {
        st.pins
            .iter_mut()
            .filter(|p| p.active() && p.group_id.as_deref() == Some(id))
            .for_each(|p| f(&mut p.group_id));
    } else {
        st.v3
            .private
            .iter_mut()
            .filter(|r| r.group_id.as_deref() == Some(id))
            .for_each(|r| f(&mut r.group_id));
    }
}

/// The `group_id` of a file of the v3 store (a public file is an active pin row).
fn file_group<'a>(
    st: &'a mut State,
    network: &str,
    file_id: &str,
) -> Option<&'a mut Option<String>> {
    store::expire(st);
    if network == "public" {
        st.pins
            .iter_mut()
            .find(|p| p.active() && p.id == file_id)
            .map(|p| &mut p.group_id)
    } else {
        st.v3
            .private
            .iter_mut()
            .find(|r| r.id == file_id)
            .map(|r| &mut r.group_id)
    }
}

/// `PUT /v3/groups/{network}/{id}/ids/{file_id}` (`add`) and `DELETE` of the same
/// path: `{"data":null}`. The body is never read. A file is in at most one group:
/// adding moves it; removing a file that is not in this group changes nothing.
pub async fn set_member(
    app: &Arc<App>,
    req: Request<Incoming>,
    network: &str,
    id: &str,
    file_id: &str,
    add: bool,
) -> Resp {
    if let Err(r) = no_body(app, req, "org:groups:write").and_then(|_| network_ok(network)) {
        return r;
    }
    let mut st = app.lock();
    if !st
        .v3_groups
        .iter()
        .any(|g| g.network == network && g.id == id)
    {
        return group_not_found();
    }
    let Some(group) = file_group(&mut st, network, file_id) else {
        return file_not_found();
    };
    if add {
        *group = Some(id.to_string());
    } else if group.as_deref() == Some(id) {
        *group = None;
    }
    json(200, &json!({ "data": null }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v7_ids_have_version_and_variant() {
        let id = uuid7();
        let u = uuid::Uuid::parse_str(&id).unwrap();
        assert_eq!(u.get_version_num(), 7);
        assert_eq!(&id[14..15], "7");
    }
}
