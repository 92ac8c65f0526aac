//! Resumable (TUS 1.0.0) uploads on `/v3/files`, as Pinata's upload host serves them
//! (`reference/pinata-api.md` §6.2, `reference/real-clients.md` §1 and §4).
//!
//! - `POST /v3/files` with `Upload-Length` (and no multipart body) creates an upload and
//!   answers 201 with an absolute `Location: http://HOST/v3/files/{id}/tus`. A missing
//!   `Tus-Resumable` header is accepted (Pinata's own SDK never sends it). Metadata values
//!   are base64 of UTF-8 (tus-js-client) or of Latin-1 (the SDK's `btoa`).
//! - `HEAD` answers the offset (and, once finished, `Upload-Cid`); `PATCH` appends the bytes
//!   at `Upload-Offset` (409 when it is not the server's offset) and hashes them as they
//!   arrive, so the CID is real; the last `PATCH` answers 204 with `Upload-Cid`. `DELETE`
//!   terminates. A `PATCH` cut off mid-body keeps the bytes that arrived.
//! - Test hooks (`/__emulator/tus/…`, see the README): the list of uploads with the
//!   bytes each received (re-sent bytes included), drop a connection after K bytes of the
//!   next `PATCH`, forget uploads (then 404), expire uploads after a set time (then 410).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use base64::Engine as _;
use http::header::HeaderValue;
use http::Method;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::Request;
use serde_json::{json, Map, Value};

use crate::body::discard;
use crate::http_util::{query_pairs, ConnCtl};
use crate::ids::uuid;
use crate::oracle::unixfs::FileHasher;
use crate::oracle::Version;
use crate::respond::{json, raw, Resp};
use crate::state::App;
use crate::v3::common::{err_c, v3_auth};
use crate::v3::store::{insert_file, Network, NewFile};

/// Largest upload accepted (Pinata's plans allow 25 GB files).
const MAX_SIZE: u64 = 25 * 1000 * 1000 * 1000;
/// How long a request waits for another `PATCH` of the same upload to end.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// One upload.
struct Upload {
    length: u64,
    offset: u64,
    /// Body bytes received by every `PATCH` (includes bytes the client sent again).
    received: u64,
    /// The offset including the bytes of a `PATCH` still arriving.
    live: u64,
    /// `PATCH` requests that reached this upload, and those of them that ended (answered,
    /// or their connection gone): a test waits for the two to meet before it resumes, so
    /// a cancelled client's last request cannot land after the resume's `HEAD`.
    patches: u64,
    patches_ended: u64,
    /// `None` while a `PATCH` is appending (the upload is locked).
    hasher: Option<FileHasher>,
    created: Instant,
    network: Network,
    name: String,
    mime_type: String,
    group_id: Option<String>,
    keyvalues: Map<String, Value>,
    cid_version: Version,
    /// Set when the last byte arrived.
    cid: Option<String>,
}

/// Every upload, and the faults armed through the hooks.
#[derive(Default)]
struct Store {
    uploads: HashMap<String, Upload>,
    /// Ids answered with 404 from now on (`/__emulator/tus/forget`).
    forgotten: Vec<String>,
    /// Ids answered with 410 from now on (`/__emulator/tus/expire` with `now`).
    expired: Vec<String>,
    /// Uploads older than this answer 410.
    expire_after: Option<Duration>,
    /// The next `PATCH` resets its connection after this many body bytes.
    drop_after: Option<u64>,
    /// Added to the offset `HEAD` reports (a lying server, for clients' bad-input tests).
    head_lie: u64,
    /// Every `PATCH` waits this long after its body before answering.
    hold: Option<Duration>,
    /// The `PATCH` that finishes an upload waits this long before answering.
    hold_last: Option<Duration>,
    /// Uploads finished so far.
    files: u64,
}

fn store() -> MutexGuard<'static, Store> {
    static STORE: OnceLock<Mutex<Store>> = OnceLock::new();
    STORE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner())
}

/// Whether a request is a TUS request this module answers: a create (`POST /v3/files`
/// carrying `Upload-Length`, so multipart uploads still reach their handler), `OPTIONS`,
/// or a request on an upload URL (`/v3/files/{id}/tus`).
pub fn is_tus(req: &Request<Incoming>) -> bool {
    let path = req.uri().path().trim_end_matches('/');
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (req.method(), segs.as_slice()) {
        (&Method::POST, ["v3", "files"]) => {
            req.headers().contains_key("upload-length")
                || req.headers().contains_key("upload-defer-length")
        }
        (&Method::OPTIONS, ["v3", "files"]) => true,
        (m, ["v3", "files", id, "tus"]) => {
            *id != "public"
                && *id != "private"
                && matches!(*m, Method::HEAD | Method::PATCH | Method::DELETE)
        }
        _ => false,
    }
}

/// Answers a TUS request (see [`is_tus`]).
pub async fn handle(app: &Arc<App>, ctl: &Arc<ConnCtl>, req: Request<Incoming>) -> Resp {
    let path = req.uri().path().trim_end_matches('/').to_string();
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let mut resp = if req.method() == Method::OPTIONS {
        discard(req.into_body());
        let mut r = raw(204, None, Vec::new());
        let h = r.headers_mut();
        h.insert("tus-version", HeaderValue::from_static("1.0.0"));
        h.insert(
            "tus-extension",
            HeaderValue::from_static("creation,termination,expiration"),
        );
        h.insert("tus-max-size", HeaderValue::from(MAX_SIZE));
        r
    } else if let Err(r) = v3_auth(app, req.headers(), "org:files:write") {
        discard(req.into_body());
        r
    } else if segs.len() == 2 {
        create(app, req)
    } else {
        let id = segs[2].to_string();
        match req.method().clone() {
            Method::HEAD => {
                discard(req.into_body());
                head(&id).await
            }
            Method::DELETE => {
                discard(req.into_body());
                terminate(&id).await
            }
            _ => patch(app, ctl, &id, req).await,
        }
    };
    resp.headers_mut()
        .insert("tus-resumable", HeaderValue::from_static("1.0.0"));
    resp
}

/// Decodes `Upload-Metadata`: `key b64,key b64,key` (a key alone has an empty value).
/// A value that is not UTF-8 is read as Latin-1, as the SDK's `btoa` encodes.
fn parse_metadata(header: &str) -> Result<HashMap<String, String>, String> {
    let mut out = HashMap::new();
    for pair in header.split(',') {
        let pair = pair.trim();
        if pair.is_empty() {
            continue;
        }
        let (key, value) = pair.split_once(' ').unwrap_or((pair, ""));
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(value.trim())
            .map_err(|_| format!("Upload-Metadata: the value of {key:?} is not base64"))?;
        let text = match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
        };
        out.insert(key.to_string(), text);
    }
    Ok(out)
}

fn create(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let headers = req.headers().clone();
    let query = query_pairs(&req);
    discard(req.into_body());
    let Some(length) = headers
        .get("upload-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
    else {
        return err_c(
            400,
            "Upload-Length is required (deferred lengths are not supported)",
        );
    };
    if length > MAX_SIZE {
        return err_c(413, "Upload-Length exceeds the maximum upload size");
    }
    let meta = match headers
        .get("upload-metadata")
        .map(|v| parse_metadata(&String::from_utf8_lossy(v.as_bytes())))
        .transpose()
    {
        Ok(m) => m.unwrap_or_default(),
        Err(e) => return err_c(400, &e),
    };
    let Some(network) = Network::parse(meta.get("network").map_or("private", String::as_str))
    else {
        return err_c(400, "network must be public or private");
    };
    let cid_text = query
        .iter()
        .find(|(k, _)| k == "X-Upload-Option-Cid-Version")
        .map(|(_, v)| v.clone())
        .or_else(|| meta.get("cid_version").cloned())
        .unwrap_or_else(|| "v1".into());
    let cid_version = match cid_text.trim_start_matches('v') {
        "0" => Version::V0,
        "1" => Version::V1,
        _ => return err_c(400, "cid_version must be v0 or v1"),
    };
    let keyvalues = match meta.get("keyvalues").filter(|s| !s.is_empty()) {
        None => Map::new(),
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(m)) => m,
            _ => return err_c(400, "keyvalues must be a JSON object"),
        },
    };
    let name = meta
        .get("filename")
        .filter(|s| !s.is_empty())
        .cloned()
        .unwrap_or_else(|| "File from SDK".into());
    let mime_type = meta
        .get("filetype")
        .filter(|s| !s.is_empty())
        .cloned()
        .unwrap_or_else(|| "application/octet-stream".into());
    let id = uuid();
    let upload = Upload {
        length,
        offset: 0,
        received: 0,
        live: 0,
        patches: 0,
        patches_ended: 0,
        hasher: Some(FileHasher::with_sink(cid_version, app.content.sink())),
        created: Instant::now(),
        network,
        name,
        mime_type,
        group_id: meta.get("group_id").filter(|s| !s.is_empty()).cloned(),
        keyvalues,
        cid_version,
        cid: None,
    };
    let finished_empty = length == 0;
    store().uploads.insert(id.clone(), upload);
    if finished_empty {
        finish(app, &id);
    }
    let mut r = raw(201, None, Vec::new());
    let location = format!("{}/v3/files/{id}/tus", crate::http_util::origin(&headers));
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert("location", v);
    }
    r.headers_mut()
        .insert("upload-offset", HeaderValue::from_static("0"));
    r
}

/// Why an upload cannot be used: 404 unknown or forgotten, 410 expired.
fn gone(st: &Store, id: &str) -> Option<Resp> {
    if st.forgotten.iter().any(|f| f == id) {
        return Some(err_c(404, "upload not found"));
    }
    let up = st.uploads.get(id)?;
    if up.cid.is_none() && st.expired.iter().any(|f| f == id) {
        return Some(err_c(410, "upload expired"));
    }
    if let Some(limit) = st.expire_after {
        if up.cid.is_none() && up.created.elapsed() > limit {
            return Some(err_c(410, "upload expired"));
        }
    }
    None
}

/// Waits until no `PATCH` holds the upload; `Err` is the answer when it is unknown,
/// gone, or still locked after [`LOCK_WAIT`].
async fn wait_unlocked(id: &str) -> Result<(), Resp> {
    let started = Instant::now();
    loop {
        {
            let st = store();
            if let Some(r) = gone(&st, id) {
                return Err(r);
            }
            match st.uploads.get(id) {
                None => return Err(err_c(404, "upload not found")),
                Some(u) if u.hasher.is_some() || u.cid.is_some() => return Ok(()),
                Some(_) => {}
            }
        }
        if started.elapsed() > LOCK_WAIT {
            return Err(err_c(423, "upload locked by another request"));
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn offset_headers(r: &mut Resp, up: &Upload) {
    let h = r.headers_mut();
    h.insert("upload-offset", HeaderValue::from(up.offset));
    h.insert("upload-length", HeaderValue::from(up.length));
    h.insert("cache-control", HeaderValue::from_static("no-store"));
    if let Some(cid) = up
        .cid
        .as_deref()
        .and_then(|c| HeaderValue::from_str(c).ok())
    {
        h.insert("upload-cid", cid);
    }
}

async fn head(id: &str) -> Resp {
    if let Err(r) = wait_unlocked(id).await {
        return r;
    }
    let st = store();
    let Some(up) = st.uploads.get(id) else {
        return err_c(404, "upload not found");
    };
    let mut r = raw(200, None, Vec::new());
    offset_headers(&mut r, up);
    if st.head_lie > 0 {
        r.headers_mut()
            .insert("upload-offset", HeaderValue::from(up.offset + st.head_lie));
    }
    r
}

async fn terminate(id: &str) -> Resp {
    if let Err(r) = wait_unlocked(id).await {
        return r;
    }
    store().uploads.remove(id);
    raw(204, None, Vec::new())
}

/// Holds an upload's hasher while a `PATCH` appends; when dropped (the request ended,
/// or its connection was cut and the future dropped) the bytes that arrived are kept.
struct Appending {
    app: Arc<App>,
    id: String,
    hasher: Option<FileHasher>,
    offset: u64,
    received: u64,
}

impl Drop for Appending {
    fn drop(&mut self) {
        let done = {
            let mut st = store();
            let Some(up) = st.uploads.get_mut(&self.id) else {
                return;
            };
            up.offset = self.offset;
            up.live = self.offset;
            up.received += self.received;
            up.hasher = self.hasher.take();
            up.offset == up.length && up.cid.is_none()
        };
        if done {
            finish(&self.app, &self.id);
        }
    }
}

/// Computes the CID and stores the file in the v3 store (one file however often the
/// client asks again: a finished upload keeps its CID).
fn finish(app: &App, id: &str) {
    let new = {
        let mut st = store();
        let Some(up) = st.uploads.get_mut(id) else {
            return;
        };
        let Some(hasher) = up.hasher.take() else {
            return;
        };
        let node = hasher.finish();
        let cid = node.cid();
        // A fresh hasher keeps the upload unlocked; its state no longer matters.
        up.hasher = Some(FileHasher::new(up.cid_version));
        up.cid = Some(cid.clone());
        let new = NewFile {
            network: up.network,
            cid,
            size: node.tsize,
            number_of_files: 1,
            name: Some(up.name.clone()),
            keyvalues: up.keyvalues.clone(),
            mime_type: up.mime_type.clone(),
            group_id: up.group_id.clone(),
            expires_at: None,
        };
        st.files += 1;
        new
    };
    // The store's lock is the app's; ours is released first.
    insert_file(app, new);
}

/// Counts a `PATCH` as ended when dropped (answered, or its connection gone).
struct PatchCount(String);

impl PatchCount {
    fn start(id: &str) -> PatchCount {
        if let Some(up) = store().uploads.get_mut(id) {
            up.patches += 1;
        }
        PatchCount(id.to_string())
    }
}

impl Drop for PatchCount {
    fn drop(&mut self) {
        if let Some(up) = store().uploads.get_mut(&self.0) {
            up.patches_ended += 1;
        }
    }
}

async fn patch(app: &Arc<App>, ctl: &Arc<ConnCtl>, id: &str, req: Request<Incoming>) -> Resp {
    let _count = PatchCount::start(id);
    let content_type = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.eq_ignore_ascii_case("application/offset+octet-stream") {
        discard(req.into_body());
        return err_c(415, "Content-Type must be application/offset+octet-stream");
    }
    let Some(claimed) = req
        .headers()
        .get("upload-offset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
    else {
        discard(req.into_body());
        return err_c(400, "Upload-Offset is required");
    };
    if let Err(r) = wait_unlocked(id).await {
        discard(req.into_body());
        return r;
    }
    let (mut guard, length, drop_after) = {
        let mut st = store();
        let drop_after = st.drop_after.take();
        let Some(up) = st.uploads.get_mut(id) else {
            discard(req.into_body());
            return err_c(404, "upload not found");
        };
        if claimed != up.offset {
            let mut r = err_c(409, "Upload-Offset does not match the upload's offset");
            offset_headers(&mut r, up);
            discard(req.into_body());
            return r;
        }
        if up.cid.is_some() {
            // Nothing left to send (a retried last PATCH with an empty body).
            let mut r = raw(204, None, Vec::new());
            offset_headers(&mut r, up);
            discard(req.into_body());
            return r;
        }
        let guard = Appending {
            app: app.clone(),
            id: id.to_string(),
            hasher: up.hasher.take(),
            offset: up.offset,
            received: 0,
        };
        (guard, up.length, drop_after)
    };
    let mut body = req.into_body();
    let mut this_request = 0u64;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            break; // the client went away: keep what arrived
        };
        let Ok(mut data) = frame.into_data() else {
            continue;
        };
        if let Some(k) = drop_after {
            if this_request + data.len() as u64 >= k {
                data.truncate((k - this_request) as usize);
            }
        }
        let room = length - guard.offset;
        if data.len() as u64 > room {
            drop(guard);
            return err_c(413, "the PATCH body goes past Upload-Length");
        }
        if let Some(h) = guard.hasher.as_mut() {
            h.update(&data);
        }
        guard.offset += data.len() as u64;
        guard.received += data.len() as u64;
        if let Some(up) = store().uploads.get_mut(id) {
            up.live = guard.offset;
        }
        this_request += data.len() as u64;
        if drop_after.is_some_and(|k| this_request >= k) {
            drop(guard);
            ctl.abort();
            // The connection task drops this future together with the connection.
            return std::future::pending::<Resp>().await;
        }
    }
    drop(guard);
    let hold = {
        let st = store();
        let last = st.uploads.get(id).is_some_and(|u| u.offset == u.length);
        if last {
            st.hold_last.or(st.hold)
        } else {
            st.hold
        }
    };
    if let Some(d) = hold {
        // The bytes are stored; only the answer waits (a client killed now lost it).
        tokio::time::sleep(d).await;
    }
    let st = store();
    let Some(up) = st.uploads.get(id) else {
        return err_c(404, "upload not found");
    };
    let mut r = raw(204, None, Vec::new());
    offset_headers(&mut r, up);
    r
}

/// `/__emulator/tus/…` hooks:
/// - `GET uploads`: `{"uploads":[{id, offset, live, length, received, patches,
///   patches_ended, cid}], "files": N}` (`live` counts the bytes of a `PATCH` still
///   arriving; `patches` the `PATCH` requests that reached the upload, `patches_ended`
///   those that ended)
/// - `POST drop`: `{"after_bytes": K}`: the next `PATCH` resets its connection after
///   K body bytes (the K bytes are kept)
/// - `POST hold`: `{"ms": N, "last_ms": M}` (either may be absent): every `PATCH`, or the
///   one that finishes an upload, waits that long after its body before answering
/// - `POST lie`: `{"head_offset_add": D}`: `HEAD` reports D bytes more than it has
///   (0 stops)
/// - `POST forget`: `{"id": ID}` or `{}` for every upload: later requests get 404
/// - `POST expire`: `{"now": true}`: every current unfinished upload gets 410 from now
///   on; `{"after_secs": S}` (or `null` to stop): uploads older than S s get 410
/// - `POST reset`: forgets everything
pub fn hook(method: &Method, rest: &[&str], body: Option<&Value>) -> Resp {
    let mut st = store();
    let arg = |k: &str| body.and_then(|b| b.get(k));
    match (method, rest) {
        (&Method::GET, ["uploads"]) => {
            let list: Vec<Value> = st
                .uploads
                .iter()
                .map(|(id, u)| {
                    json!({"id": id, "offset": u.offset, "live": u.live, "length": u.length,
                           "received": u.received, "patches": u.patches,
                           "patches_ended": u.patches_ended, "cid": u.cid})
                })
                .collect();
            json(200, &json!({"uploads": list, "files": st.files}))
        }
        (&Method::POST, ["drop"]) => match arg("after_bytes").and_then(Value::as_u64) {
            Some(k) if k > 0 => {
                st.drop_after = Some(k);
                json(200, &json!({"after_bytes": k}))
            }
            _ => err_c(400, "expected {\"after_bytes\": K} with K > 0"),
        },
        (&Method::POST, ["hold"]) => {
            let ms = |k: &str| arg(k).and_then(Value::as_u64).map(Duration::from_millis);
            st.hold = ms("ms");
            st.hold_last = ms("last_ms");
            json(200, &json!({"ms": arg("ms"), "last_ms": arg("last_ms")}))
        }
        (&Method::POST, ["lie"]) => {
            st.head_lie = arg("head_offset_add").and_then(Value::as_u64).unwrap_or(0);
            json(200, &json!({"head_offset_add": st.head_lie}))
        }
        (&Method::POST, ["forget"]) => {
            let ids: Vec<String> = match arg("id").and_then(Value::as_str) {
                Some(id) => vec![id.to_string()],
                None => st.uploads.keys().cloned().collect(),
            };
            for id in &ids {
                st.uploads.remove(id);
            }
            st.forgotten.extend(ids.iter().cloned());
            json(200, &json!({"forgotten": ids}))
        }
        (&Method::POST, ["expire"]) if arg("now") == Some(&Value::Bool(true)) => {
            let ids: Vec<String> = st.uploads.keys().cloned().collect();
            st.expired.extend(ids.iter().cloned());
            json(200, &json!({"expired": ids}))
        }
        (&Method::POST, ["expire"]) => match arg("after_secs") {
            None | Some(Value::Null) => {
                st.expire_after = None;
                json(200, &json!({"after_secs": null}))
            }
            Some(v) => match v.as_f64().filter(|s| *s >= 0.0) {
                Some(s) => {
                    st.expire_after = Some(Duration::from_secs_f64(s));
                    json(200, &json!({"after_secs": s}))
                }
                None => err_c(400, "after_secs must be a non-negative number"),
            },
        },
        (&Method::POST, ["reset"]) => {
            *st = Store::default();
            json(200, &json!({"reset": true}))
        }
        _ => err_c(404, "no such tus hook"),
    }
}

/// Forgets every upload (the emulator's global reset).
pub fn reset() {
    *store() = Store::default();
}
