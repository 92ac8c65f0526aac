//! `/psa/pins…`: the IPFS Pinning Service API v1.0.0 (`reference/pinata-api.md` §7,
//! `shared/psa/ipfs-pinning-service-v1.0.0.yaml`) over the emulator's one pin store.
//!
//! Two modes (see emulator/README.md): **spec** answers as the specification says
//! (202 on add, replace and delete; `UNAUTHORIZED` without a token; a default page of 10)
//! and **pinata** answers as Pinata was observed to (§7.2: 200 everywhere, `OK` text on
//! delete, `OBJECT_NOT_FOUND`, no default page size, `info.pinata_pinjob_status`,
//! `INVALID_ORIGINS` for private-range origins).
//!
//! A request moves `queued → pinning → pinned` on a clock (`step_ms` per status; `None`
//! = only through the hook `POST /__emulator/psa/pins/{id}/advance`). When it reaches
//! `pinned` it is linked to an active legacy pin row of its CID (created if needed), so
//! `/data/pinList` shows it; legacy rows no request points at are listed here as pinned
//! requests whose `requestid` is the row id.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use http::header::AUTHORIZATION;
use hyper::body::Incoming;
use hyper::Request;
use serde_json::{json, Map, Value};

use crate::auth::{authenticate, Need};
use crate::body::{discard, read_json};
use crate::http_util::query_pairs;
use crate::ids::{now, ts, uuid};
use crate::oracle;
use crate::respond::{err_a, json, ok_text, raw, Resp};
use crate::state::{App, PinRow, State};

/// The delegate every answer names (a valid ed25519 peer id made for the emulator).
pub const DELEGATE: &str =
    "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWNpTe1KMdVikjZG7wNc92GSuNuw2m6nYB22MfC4wthTN1";
/// Most CIDs in a `cid` filter.
const MAX_CIDS: usize = 10;
/// Most origins a pin may carry.
const MAX_ORIGINS: usize = 20;
/// Longest pin name.
const MAX_NAME: usize = 255;
/// Default time a request spends in `queued` and in `pinning`.
pub const DEFAULT_STEP_MS: u64 = 100;

/// One pin request.
#[derive(Clone, Debug)]
pub struct PsaReq {
    /// `requestid` (UUID v4).
    pub id: String,
    /// `pin.cid`.
    pub cid: String,
    /// `pin.name`.
    pub name: Option<String>,
    /// `pin.origins`.
    pub origins: Vec<String>,
    /// `pin.meta` (string values).
    pub meta: Map<String, Value>,
    /// `created`.
    pub created: DateTime<Utc>,
    /// `queued`, `pinning`, `pinned` or `failed`.
    pub status: &'static str,
    /// When `status` was entered (drives the clock).
    pub since: Instant,
    /// The legacy pin row it is linked to (set from `pinned` on, or at creation when
    /// the CID is already pinned).
    pub row_id: Option<String>,
    /// Creation order.
    pub seq: u64,
}

/// The PSA part of the emulator's state.
#[derive(Clone, Debug)]
pub struct PsaState {
    /// Requests, oldest first.
    pub reqs: Vec<PsaReq>,
    /// Answer as Pinata does instead of as the specification says.
    pub pinata_mode: bool,
    /// Time per in-flight status; `None` = only the advance hook moves requests.
    pub step_ms: Option<u64>,
    /// The last `created` handed out (each new one is strictly later, so that paging by
    /// `before` never skips a request created in the same millisecond).
    last_created: Option<DateTime<Utc>>,
}

impl Default for PsaState {
    fn default() -> Self {
        PsaState {
            reqs: Vec::new(),
            pinata_mode: false,
            step_ms: Some(DEFAULT_STEP_MS),
            last_created: None,
        }
    }
}

impl PsaState {
    /// Clears the requests (the mode and clock stay: they are configuration).
    pub fn reset(&mut self) {
        self.reqs.clear();
        self.last_created = None;
    }

    fn next_created(&mut self) -> DateTime<Utc> {
        let mut t = now();
        if let Some(last) = self.last_created {
            if t <= last {
                t = last + chrono::Duration::milliseconds(1);
            }
        }
        self.last_created = Some(t);
        t
    }
}

/// The PSA `Failure` body for a status.
fn failure(status: u16, reason: &str, details: &str) -> Resp {
    err_a(status, reason, details)
}

fn bad_request(details: &str) -> Resp {
    failure(400, "BAD_REQUEST", details)
}

fn not_found(pinata: bool) -> Resp {
    if pinata {
        failure(
            404,
            "OBJECT_NOT_FOUND",
            "Your account does not currently have any record associated with this ID",
        )
    } else {
        failure(404, "NOT_FOUND", "The specified resource was not found")
    }
}

/// Links `req` to an active row of its CID, creating one when there is none.
fn link_row(st: &mut State, i: usize) {
    let cid = st.psa.reqs[i].cid.clone();
    if let Some(row) = st.pins.iter().find(|r| r.active() && r.cid == cid) {
        st.psa.reqs[i].row_id = Some(row.id.clone());
        return;
    }
    let size = st
        .pins
        .iter()
        .rev()
        .find(|r| r.cid == cid)
        .map_or(0, |r| r.size);
    let seq = st.next_seq();
    let r = &st.psa.reqs[i];
    let row = PinRow {
        id: uuid(),
        cid,
        size,
        date_pinned: now(),
        date_unpinned: None,
        name: r.name.clone(),
        keyvalues: if r.meta.is_empty() {
            None
        } else {
            Some(r.meta.clone())
        },
        mime_type: None,
        number_of_files: None,
        group_id: None,
        seq,
    };
    st.psa.reqs[i].row_id = Some(row.id.clone());
    st.pins.push(row);
}

/// Moves request `i` to `status` (linking a pin row on `pinned`).
fn set_status(st: &mut State, i: usize, status: &'static str) {
    st.psa.reqs[i].status = status;
    st.psa.reqs[i].since = Instant::now();
    if status == "pinned" {
        link_row(st, i);
    }
}

/// Advances every in-flight request by the clock, then forgets pinned requests whose
/// pin row was unpinned through the legacy API.
fn tick(st: &mut State) {
    if let Some(step) = st.psa.step_ms {
        let step = Duration::from_millis(step);
        for i in 0..st.psa.reqs.len() {
            loop {
                let r = &st.psa.reqs[i];
                let next = match r.status {
                    "queued" => "pinning",
                    "pinning" => "pinned",
                    _ => break,
                };
                if r.since.elapsed() < step {
                    break;
                }
                let since = r.since + step;
                set_status(st, i, next);
                st.psa.reqs[i].since = since;
            }
        }
    }
    let pins = &st.pins;
    st.psa.reqs.retain(|r| {
        r.status != "pinned"
            || r.row_id
                .as_ref()
                .is_some_and(|id| pins.iter().any(|p| &p.id == id && p.active()))
    });
}

/// What one listed or fetched item is.
enum Item<'a> {
    Req(&'a PsaReq),
    Row(&'a PinRow),
}

impl Item<'_> {
    fn created(&self) -> DateTime<Utc> {
        match self {
            Item::Req(r) => r.created,
            Item::Row(p) => p.date_pinned,
        }
    }
    fn seq(&self) -> u64 {
        match self {
            Item::Req(r) => r.seq,
            Item::Row(p) => p.seq,
        }
    }
    fn cid(&self) -> &str {
        match self {
            Item::Req(r) => &r.cid,
            Item::Row(p) => &p.cid,
        }
    }
    fn name(&self) -> Option<&str> {
        match self {
            Item::Req(r) => r.name.as_deref(),
            Item::Row(p) => p.name.as_deref(),
        }
    }
    fn status(&self) -> &'static str {
        match self {
            Item::Req(r) => r.status,
            Item::Row(_) => "pinned",
        }
    }
    /// `pin.meta`: a row's keyvalues are shown as strings (PSA meta is string to string).
    fn meta(&self) -> Map<String, Value> {
        match self {
            Item::Req(r) => r.meta.clone(),
            Item::Row(p) => p
                .keyvalues
                .iter()
                .flatten()
                .map(|(k, v)| {
                    let s = match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (k.clone(), Value::String(s))
                })
                .collect(),
        }
    }

    fn to_json(&self, pinata: bool) -> Value {
        let (id, origins) = match self {
            Item::Req(r) => (r.id.as_str(), r.origins.clone()),
            Item::Row(p) => (p.id.as_str(), Vec::new()),
        };
        let status = self.status();
        let mut pin = Map::new();
        pin.insert("cid".into(), json!(self.cid()));
        if let Some(n) = self.name() {
            pin.insert("name".into(), json!(n));
        }
        pin.insert("origins".into(), json!(origins));
        pin.insert("meta".into(), Value::Object(self.meta()));
        if pinata {
            // §7.2: Pinata's key order, its internal job status in `info`, and no
            // delegates or info once pinned.
            let (delegates, info) = match status {
                "pinned" => (json!([]), json!({})),
                "queued" => (
                    json!([DELEGATE]),
                    json!({"pinata_pinjob_status": "prechecking"}),
                ),
                "pinning" => (
                    json!([DELEGATE]),
                    json!({"pinata_pinjob_status": "retrieving"}),
                ),
                _ => (
                    json!([DELEGATE]),
                    json!({"pinata_pinjob_status": "expired"}),
                ),
            };
            json!({"requestid": id, "created": ts(&self.created()), "delegates": delegates,
                   "pin": pin, "info": info, "status": status})
        } else {
            json!({"requestid": id, "status": status, "created": ts(&self.created()),
                   "pin": pin, "delegates": [DELEGATE], "info": {}})
        }
    }
}

/// Every visible item: requests, and active legacy rows no request points at.
fn items(st: &State) -> Vec<Item<'_>> {
    let mut out: Vec<Item> = st.psa.reqs.iter().map(Item::Req).collect();
    for p in st.pins.iter().filter(|p| p.active()) {
        if !st
            .psa
            .reqs
            .iter()
            .any(|r| r.row_id.as_deref() == Some(&p.id))
        {
            out.push(Item::Row(p));
        }
    }
    out
}

/// Checks the credentials. Without any, the specification wants 401 `UNAUTHORIZED`;
/// Pinata answers 400 `KEYS_MUST_BE_STRINGS` (§7.2), which `authenticate` gives.
fn auth(app: &App, headers: &http::HeaderMap, need: Need) -> Result<(), Resp> {
    let pinata = app.lock().psa.pinata_mode;
    let bearer = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| v.len() > 7 && v[..7].eq_ignore_ascii_case("bearer "));
    if bearer.is_none() && !pinata {
        return Err(failure(
            401,
            "UNAUTHORIZED",
            "Authorization: Bearer <access token> is required",
        ));
    }
    authenticate(app, headers, need, true).map(|_| ())
}

/// A validated `Pin` body.
struct PinIn {
    cid: String,
    name: Option<String>,
    origins: Vec<String>,
    meta: Map<String, Value>,
}

/// Whether a multiaddr names a private, loopback or link-local IPv4/IPv6 address.
fn private_addr(addr: &str) -> bool {
    let parts: Vec<&str> = addr.split('/').collect();
    parts.windows(2).any(|w| match w[0] {
        "ip4" => w[1].parse::<std::net::Ipv4Addr>().is_ok_and(|ip| {
            ip.is_private() || ip.is_loopback() || ip.is_link_local() || ip.is_unspecified()
        }),
        "ip6" => w[1].parse::<std::net::Ipv6Addr>().is_ok_and(|ip| {
            let s = ip.segments()[0];
            ip.is_loopback()
                || ip.is_unspecified()
                || (s & 0xfe00) == 0xfc00
                || (s & 0xffc0) == 0xfe80
        }),
        _ => false,
    })
}

fn parse_pin(v: Option<Value>, pinata: bool) -> Result<PinIn, Resp> {
    let Some(Value::Object(o)) = v else {
        return Err(bad_request("the body must be a JSON Pin object"));
    };
    let cid = match o.get("cid") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err(bad_request("pin.cid is required and must be a string")),
    };
    if !oracle::is_cid(&cid) {
        return Err(bad_request(&format!("pin.cid is not a valid CID: {cid}")));
    }
    let name = match o.get("name") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.chars().count() <= MAX_NAME => Some(s.clone()),
        Some(Value::String(_)) => {
            return Err(bad_request("pin.name is longer than 255 characters"))
        }
        Some(_) => return Err(bad_request("pin.name must be a string")),
    };
    let origins = match o.get("origins") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) if a.len() <= MAX_ORIGINS => {
            let mut out = Vec::new();
            for x in a {
                match x.as_str() {
                    Some(s) if s.starts_with('/') => out.push(s.to_string()),
                    _ => return Err(bad_request("pin.origins must be multiaddr strings")),
                }
            }
            out
        }
        Some(_) => {
            return Err(bad_request(
                "pin.origins must be an array of at most 20 multiaddrs",
            ))
        }
    };
    if pinata {
        if let Some(bad) = origins.iter().find(|o| private_addr(o)) {
            return Err(failure(
                400,
                "INVALID_ORIGINS",
                &format!("provider array entry: {bad} is not a valid peer multiaddr"),
            ));
        }
    }
    let meta = match o.get("meta") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) if m.values().all(Value::is_string) => m.clone(),
        Some(_) => return Err(bad_request("pin.meta must be an object of strings")),
    };
    Ok(PinIn {
        cid,
        name,
        origins,
        meta,
    })
}

/// Stores a new request for `pin` and returns its index.
fn create(st: &mut State, pin: PinIn) -> usize {
    let created = st.psa.next_created();
    let seq = st.next_seq();
    // A CID already pinned is linked at once, so that its row is not listed twice.
    let row_id = st
        .pins
        .iter()
        .find(|r| r.active() && r.cid == pin.cid)
        .map(|r| r.id.clone());
    st.psa.reqs.push(PsaReq {
        id: uuid(),
        cid: pin.cid,
        name: pin.name,
        origins: pin.origins,
        meta: pin.meta,
        created,
        status: "queued",
        since: Instant::now(),
        row_id,
        seq,
    });
    st.psa.reqs.len() - 1
}

/// Removes request or legacy row `id`; unpins its row unless another request holds it.
/// False when nothing has that id.
fn remove(st: &mut State, id: &str) -> bool {
    let row_id = if let Some(i) = st.psa.reqs.iter().position(|r| r.id == id) {
        let r = st.psa.reqs.remove(i);
        match r.row_id {
            Some(row) if r.status == "pinned" => Some(row),
            _ => None,
        }
    } else if st.pins.iter().any(|p| p.active() && p.id == id) {
        Some(id.to_string())
    } else {
        return false;
    };
    if let Some(row) = row_id {
        if !st.psa.reqs.iter().any(|r| r.row_id.as_ref() == Some(&row)) {
            if let Some(p) = st.pins.iter_mut().find(|p| p.id == row && p.active()) {
                p.date_unpinned = Some(now());
            }
        }
    }
    true
}

/// `POST /psa/pins`.
pub async fn add(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let (parts, body) = req.into_parts();
    let body = match read_json(body, &parts.headers).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Err(r) = auth(app, &parts.headers, Need::Endpoint("pinning", "pinByHash")) {
        return r;
    }
    let mut st = app.lock();
    let pinata = st.psa.pinata_mode;
    let pin = match parse_pin(body, pinata) {
        Ok(p) => p,
        Err(r) => return r,
    };
    tick(&mut st);
    let i = create(&mut st, pin);
    let v = Item::Req(&st.psa.reqs[i]).to_json(pinata);
    json(if pinata { 200 } else { 202 }, &v)
}

/// `GET /psa/pins/{requestid}`.
pub async fn get(app: &Arc<App>, req: Request<Incoming>, id: &str) -> Resp {
    let (parts, body) = req.into_parts();
    discard(body);
    if let Err(r) = auth(app, &parts.headers, Need::Endpoint("data", "pinList")) {
        return r;
    }
    let mut st = app.lock();
    tick(&mut st);
    let pinata = st.psa.pinata_mode;
    let found = items(&st).into_iter().find(|it| match it {
        Item::Req(r) => r.id == id,
        Item::Row(p) => p.id == id,
    });
    match found {
        Some(it) => json(200, &it.to_json(pinata)),
        None => not_found(pinata),
    }
}

/// `POST /psa/pins/{requestid}`: a new request replaces the old one.
pub async fn replace(app: &Arc<App>, req: Request<Incoming>, id: &str) -> Resp {
    let (parts, body) = req.into_parts();
    let body = match read_json(body, &parts.headers).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Err(r) = auth(app, &parts.headers, Need::Endpoint("pinning", "pinByHash")) {
        return r;
    }
    let mut st = app.lock();
    tick(&mut st);
    let pinata = st.psa.pinata_mode;
    let old_pinned_cid = match items(&st).into_iter().find(|it| match it {
        Item::Req(r) => r.id == id,
        Item::Row(p) => p.id == id,
    }) {
        Some(it) => (it.status() == "pinned").then(|| it.cid().to_string()),
        None => return not_found(pinata),
    };
    let pin = match parse_pin(body, pinata) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let same_cid = old_pinned_cid.as_deref() == Some(pin.cid.as_str());
    let i = create(&mut st, pin);
    let new_id = st.psa.reqs[i].id.clone();
    remove(&mut st, id);
    let Some(i) = st.psa.reqs.iter().position(|r| r.id == new_id) else {
        return failure(500, "INTERNAL_SERVER_ERROR", "replacement lost");
    };
    if same_cid {
        // The content stays pinned: the new request is pinned at once.
        set_status(&mut st, i, "pinned");
    }
    let v = Item::Req(&st.psa.reqs[i]).to_json(pinata);
    json(if pinata { 200 } else { 202 }, &v)
}

/// `DELETE /psa/pins/{requestid}`.
pub async fn delete(app: &Arc<App>, req: Request<Incoming>, id: &str) -> Resp {
    let (parts, body) = req.into_parts();
    discard(body);
    if let Err(r) = auth(app, &parts.headers, Need::Endpoint("pinning", "unpin")) {
        return r;
    }
    let mut st = app.lock();
    tick(&mut st);
    let pinata = st.psa.pinata_mode;
    if !remove(&mut st, id) {
        return not_found(pinata);
    }
    if pinata {
        ok_text()
    } else {
        raw(202, None, Vec::new())
    }
}

/// How `name` is matched.
#[derive(Clone, Copy)]
enum Match {
    Exact,
    IExact,
    Partial,
    IPartial,
}

fn parse_time(name: &str, v: &str) -> Result<DateTime<Utc>, Resp> {
    DateTime::parse_from_rfc3339(v)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| bad_request(&format!("{name} must be an RFC 3339 date-time")))
}

/// `GET /psa/pins`.
pub async fn list(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let pairs = query_pairs(&req);
    let (parts, body) = req.into_parts();
    discard(body);
    if let Err(r) = auth(app, &parts.headers, Need::Endpoint("data", "pinList")) {
        return r;
    }
    let pinata = app.lock().psa.pinata_mode;
    let mut cids: Option<Vec<String>> = None;
    let mut name: Option<String> = None;
    let mut mode = Match::Exact;
    let mut statuses: Vec<String> = vec!["pinned".into()];
    let mut before = None;
    let mut after = None;
    // §7.2: Pinata did not apply the default page size of 10.
    let mut limit = if pinata { usize::MAX } else { 10 };
    let mut meta: Option<Map<String, Value>> = None;
    for (k, v) in &pairs {
        match k.as_str() {
            "cid" => {
                let list: Vec<String> = v
                    .split(',')
                    .filter(|c| !c.is_empty())
                    .map(str::to_string)
                    .collect();
                if list.is_empty() || list.len() > MAX_CIDS {
                    return bad_request("cid must list between 1 and 10 CIDs");
                }
                cids = Some(list);
            }
            "name" => {
                if v.chars().count() > MAX_NAME {
                    return bad_request("name is longer than 255 characters");
                }
                name = Some(v.clone())
            }
            "match" => {
                mode = match v.as_str() {
                    "exact" => Match::Exact,
                    "iexact" => Match::IExact,
                    "partial" => Match::Partial,
                    "ipartial" => Match::IPartial,
                    _ => return bad_request("match must be exact, iexact, partial or ipartial"),
                }
            }
            "status" => {
                let list: Vec<String> = v.split(',').map(str::to_string).collect();
                if list.is_empty()
                    || !list
                        .iter()
                        .all(|s| ["queued", "pinning", "pinned", "failed"].contains(&s.as_str()))
                {
                    return bad_request("status must list queued, pinning, pinned or failed");
                }
                statuses = list;
            }
            "before" => match parse_time("before", v) {
                Ok(t) => before = Some(t),
                Err(r) => return r,
            },
            "after" => match parse_time("after", v) {
                Ok(t) => after = Some(t),
                Err(r) => return r,
            },
            "limit" => match v.parse::<usize>() {
                Ok(n) if (1..=1000).contains(&n) => limit = n,
                _ => return bad_request("limit must be an integer between 1 and 1000"),
            },
            "meta" => match serde_json::from_str::<Value>(v) {
                Ok(Value::Object(m)) => meta = Some(m),
                _ => return bad_request("meta must be a JSON object"),
            },
            _ => {}
        }
    }
    let mut st = app.lock();
    tick(&mut st);
    let mut found: Vec<Item> = items(&st)
        .into_iter()
        .filter(|it| statuses.iter().any(|s| s == it.status()))
        .filter(|it| {
            cids.as_ref()
                .is_none_or(|c| c.iter().any(|c| c == it.cid()))
        })
        .filter(|it| before.is_none_or(|b| it.created() < b))
        .filter(|it| after.is_none_or(|a| it.created() > a))
        .filter(|it| {
            let Some(want) = &name else { return true };
            let Some(have) = it.name() else { return false };
            match mode {
                Match::Exact => have == want,
                Match::IExact => have.to_lowercase() == want.to_lowercase(),
                Match::Partial => have.contains(want.as_str()),
                Match::IPartial => have.to_lowercase().contains(&want.to_lowercase()),
            }
        })
        .filter(|it| {
            let Some(want) = &meta else { return true };
            let have = it.meta();
            want.iter().all(|(k, v)| have.get(k) == Some(v))
        })
        .collect();
    // Newest first, as the specification's paging by `before` assumes.
    found.sort_by(|a, b| b.created().cmp(&a.created()).then(b.seq().cmp(&a.seq())));
    let results: Vec<Value> = found
        .iter()
        .take(limit)
        .map(|it| it.to_json(pinata))
        .collect();
    json(200, &json!({"count": found.len(), "results": results}))
}

/// Hook `POST /__emulator/psa`: `{"mode":"spec"|"pinata", "step_ms": N|null}` (each
/// field optional); answers the configuration in force.
pub fn configure(app: &App, body: Option<&Value>) -> Resp {
    let mut st = app.lock();
    if let Some(b) = body {
        match b.get("mode") {
            None => {}
            Some(Value::String(m)) if m == "spec" || m == "pinata" => {
                st.psa.pinata_mode = m == "pinata";
            }
            Some(_) => return crate::respond::err_b(400, "mode must be \"spec\" or \"pinata\""),
        }
        match b.get("step_ms") {
            None => {}
            Some(Value::Null) => st.psa.step_ms = None,
            Some(v) => match v.as_u64() {
                Some(n) => st.psa.step_ms = Some(n),
                None => return crate::respond::err_b(400, "step_ms must be a number or null"),
            },
        }
    }
    let mode = if st.psa.pinata_mode { "pinata" } else { "spec" };
    json(200, &json!({"mode": mode, "step_ms": st.psa.step_ms}))
}

/// Hook `POST /__emulator/psa/pins/{id}/advance`: `{"status": S}` moves the request to
/// S (`queued`, `pinning`, `pinned` or `failed`); without a body, one step along
/// `queued → pinning → pinned`.
pub fn advance(app: &App, id: &str, target: Option<&str>) -> Resp {
    let mut st = app.lock();
    tick(&mut st);
    let Some(i) = st.psa.reqs.iter().position(|r| r.id == id) else {
        return crate::respond::err_b(404, &format!("no PSA request with id {id}"));
    };
    let next: &'static str = match target {
        Some("queued") => "queued",
        Some("pinning") => "pinning",
        Some("pinned") => "pinned",
        Some("failed") => "failed",
        Some(t) => return crate::respond::err_b(400, &format!("unknown PSA status {t:?}")),
        None => match st.psa.reqs[i].status {
            "queued" => "pinning",
            "pinning" => "pinned",
            s => return crate::respond::err_b(409, &format!("request is already {s}")),
        },
    };
    set_status(&mut st, i, next);
    let pinata = st.psa.pinata_mode;
    let v = Item::Req(&st.psa.reqs[i]).to_json(pinata);
    json(200, &v)
}
