//! The `/pinning/*` family: pinFileToIPFS (streamed multipart, hashed as it
//! arrives), pinJSONToIPFS, pinByHash and its job queue, pinJobs,
//! hashMetadata, unpin and the deprecated pin-policy endpoints
//! (`reference/pinata-api.md` §3).

use std::sync::Arc;

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::Request;
use serde_json::{json, Map, Value};
use tokio::sync::mpsc;

use crate::auth::{authenticate, Need};
use crate::body::{discard, parse_node, read_json, read_json_bytes};
use crate::http_util::query_pairs;
use crate::ids::{now, ts, uuid};
use crate::oracle::unixfs::{FileHasher, Node, Tree};
use crate::oracle::{self, Version};
use crate::respond::{err_a, err_b, invalid_format, json, ok_text, BoxError, Resp};
use crate::state::{App, Job, PinRow, FAILED, IN_FLIGHT, MAX_IN_FLIGHT};

/// Most keyvalues a pin may carry.
pub const MAX_KEYVALUES: usize = 10;
/// Most `hostNodes` a pinByHash request may carry.
pub const MAX_HOST_NODES: usize = 5;
/// Size limit of the `pinataMetadata` / `pinataOptions` multipart parts.
const JSON_PART_LIMIT: u64 = 1024 * 1024;

/// Validated `pinataMetadata`.
#[derive(Default, Debug)]
struct Metadata {
    name: Option<String>,
    keyvalues: Option<Map<String, Value>>,
}

/// Validated `pinataOptions`.
#[derive(Debug)]
struct Options {
    /// The CID version asked for; the CIDs come from the emulator's own
    /// oracle (`crate::oracle`), never from the library under test.
    version: Version,
    wrap: bool,
    group_id: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            version: Version::V0,
            wrap: false,
            group_id: None,
        }
    }
}

/// Checks keyvalue values (string or number) and the 10-pair limit.
fn check_keyvalues(kv: &Map<String, Value>) -> Result<(), Resp> {
    if kv.len() > MAX_KEYVALUES {
        return Err(err_b(
            400,
            "Metadata keyvalues cannot contain more than 10 key-value pairs",
        ));
    }
    for (k, v) in kv {
        if !(v.is_string() || v.is_number()) {
            return Err(err_b(
                400,
                &format!("Metadata keyvalue {k:?} must be a string or a number"),
            ));
        }
    }
    Ok(())
}

/// Accepts keyvalues as an object or as a JSON string holding one.
fn keyvalues_object(v: &Value) -> Result<Option<Map<String, Value>>, Resp> {
    match v {
        Value::Null => Ok(None),
        Value::Object(m) => Ok(Some(m.clone())),
        Value::String(s) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(m)) => Ok(Some(m)),
            Ok(Value::Null) => Ok(None),
            _ => Err(err_b(
                400,
                "keyvalues must be an object or a JSON object string",
            )),
        },
        _ => Err(err_b(
            400,
            "keyvalues must be an object or a JSON object string",
        )),
    }
}

fn parse_metadata(v: Option<&Value>) -> Result<Metadata, Resp> {
    let Some(v) = v else {
        return Ok(Metadata::default());
    };
    let v = match v {
        Value::Null => return Ok(Metadata::default()),
        Value::String(s) => {
            parse_node(s.as_bytes()).map_err(|m| err_a(400, "UNKNOWN_REASON", &m))?
        }
        other => other.clone(),
    };
    let Value::Object(o) = v else {
        return Err(err_b(400, "pinataMetadata must be an object"));
    };
    let name = match o.get("name") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(err_b(400, "pinataMetadata.name must be a string")),
    };
    let keyvalues = match o.get("keyvalues") {
        None => None,
        Some(kv) => keyvalues_object(kv)?,
    };
    if let Some(kv) = &keyvalues {
        check_keyvalues(kv)?;
    }
    Ok(Metadata { name, keyvalues })
}

fn parse_options(v: Option<&Value>) -> Result<Options, Resp> {
    let mut o = Options::default();
    let Some(v) = v else {
        return Ok(o);
    };
    let v = match v {
        Value::Null => return Ok(o),
        Value::String(s) => {
            parse_node(s.as_bytes()).map_err(|m| err_a(400, "UNKNOWN_REASON", &m))?
        }
        other => other.clone(),
    };
    let Value::Object(m) = v else {
        return Err(err_b(400, "pinataOptions must be an object"));
    };
    match m.get("cidVersion") {
        None | Some(Value::Null) => {}
        Some(c) => {
            let n = c
                .as_i64()
                .or_else(|| c.as_str().and_then(|s| s.trim().parse().ok()));
            o.version = n
                .and_then(Version::from_number)
                .ok_or_else(|| err_b(400, "pinataOptions.cidVersion must be 0 or 1"))?;
        }
    }
    o.wrap = match m.get("wrapWithDirectory") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) if s == "true" || s == "false" => s == "true",
        Some(_) => {
            return Err(err_b(
                400,
                "pinataOptions.wrapWithDirectory must be a boolean",
            ))
        }
    };
    o.group_id = match m.get("groupId") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(err_b(400, "pinataOptions.groupId must be a string")),
    };
    Ok(o)
}

/// The success body of the upload endpoints.
fn pin_response(cid: &str, size: u64, timestamp: &str, duplicate: bool) -> Resp {
    let mut v = json!({"IpfsHash": cid, "PinSize": size, "Timestamp": timestamp});
    if duplicate {
        v["isDuplicate"] = json!(true);
    }
    json(200, &v)
}

/// What a finished upload stores.
struct NewPin {
    node: Node,
    name: Option<String>,
    keyvalues: Option<Map<String, Value>>,
    mime_type: String,
    number_of_files: u64,
    group_id: Option<String>,
}

/// Stores a pin row, unless the CID is already actively pinned (then answers
/// with `isDuplicate: true` and stores nothing).
fn commit(app: &App, p: NewPin) -> Resp {
    let cid = p.node.cid();
    let mut st = app.lock();
    if let Some(existing) = st.pins.iter().find(|r| r.active() && r.cid == cid) {
        return pin_response(&cid, existing.size, &ts(&existing.date_pinned), true);
    }
    let t = now();
    let seq = st.next_seq();
    st.pins.push(PinRow {
        id: uuid(),
        cid: cid.clone(),
        size: p.node.tsize,
        date_pinned: t,
        date_unpinned: None,
        name: p.name,
        keyvalues: p.keyvalues,
        mime_type: Some(p.mime_type),
        number_of_files: Some(p.number_of_files),
        group_id: p.group_id,
        seq,
    });
    pin_response(&cid, p.node.tsize, &ts(&t), false)
}

/// One `file` part, hashed with both CID versions until `pinataOptions` decides.
struct Part {
    path: String,
    v0: Option<Node>,
    v1: Option<Node>,
}

impl Part {
    fn node(&self, v: Version) -> Option<Node> {
        match v {
            Version::V0 => self.v0.clone(),
            Version::V1 => self.v1.clone(),
        }
    }
}

/// Feeds the request body to multer through a channel; when the receiver is
/// gone (early answer), drains the rest so the connection stays usable.
async fn pump(mut body: Incoming, tx: mpsc::Sender<Result<Bytes, BoxError>>) {
    let mut open = true;
    while let Some(frame) = body.frame().await {
        match frame {
            Ok(f) => {
                if let Ok(d) = f.into_data() {
                    if open && tx.send(Ok(d)).await.is_err() {
                        open = false;
                    }
                }
            }
            Err(e) => {
                if open {
                    let _ = tx.send(Err(Box::new(e))).await;
                }
                return;
            }
        }
    }
}

/// Normalizes a part's filename into `/`-separated components.
fn split_path(name: &str) -> Vec<String> {
    name.replace('\\', "/")
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .map(str::to_string)
        .collect()
}

fn mime_of(name: &str) -> String {
    mime_guess::from_path(name)
        .first_or_octet_stream()
        .essence_str()
        .to_string()
}

/// `POST /pinning/pinFileToIPFS`.
pub async fn pin_file(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let (parts, body) = req.into_parts();
    if crate::body::is_json(&parts.headers) {
        // Express's JSON parser runs first: a multipart body sent as JSON
        // fails with "Unexpected token - in JSON at position 0".
        if let Err(r) = read_json(body, &parts.headers).await {
            return r;
        }
        if let Err(r) = authenticate(
            app,
            &parts.headers,
            Need::Endpoint("pinning", "pinFileToIPFS"),
            true,
        ) {
            return r;
        }
        return invalid_format();
    }
    if let Err(r) = authenticate(
        app,
        &parts.headers,
        Need::Endpoint("pinning", "pinFileToIPFS"),
        true,
    ) {
        discard(body);
        return r;
    }
    let ct = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let Ok(boundary) = multer::parse_boundary(ct) else {
        discard(body);
        return invalid_format();
    };
    let (tx, rx) = mpsc::channel::<Result<Bytes, BoxError>>(8);
    tokio::spawn(pump(body, tx));
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    let constraints = multer::Constraints::new().size_limit(
        multer::SizeLimit::new()
            .for_field("pinataMetadata", JSON_PART_LIMIT)
            .for_field("pinataOptions", JSON_PART_LIMIT),
    );
    let mut mp = multer::Multipart::with_constraints(stream, boundary, constraints);

    let mut files: Vec<Part> = Vec::new();
    let mut metadata: Option<Value> = None;
    let mut options: Option<Options> = None;
    loop {
        let mut field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return invalid_format(),
        };
        let name = field.name().unwrap_or("").to_string();
        match (name.as_str(), field.file_name().map(str::to_string)) {
            ("file", Some(fname)) => {
                let chosen = options.as_ref().map(|o| o.version);
                let mut b0 = (chosen.is_none() || chosen == Some(Version::V0))
                    .then(|| FileHasher::new(Version::V0));
                let mut b1 = (chosen.is_none() || chosen == Some(Version::V1))
                    .then(|| FileHasher::new(Version::V1));
                loop {
                    match field.chunk().await {
                        Ok(Some(c)) => {
                            if let Some(b) = b0.as_mut() {
                                b.update(&c);
                            }
                            if let Some(b) = b1.as_mut() {
                                b.update(&c);
                            }
                        }
                        Ok(None) => break,
                        Err(_) => return invalid_format(),
                    }
                }
                files.push(Part {
                    path: fname,
                    v0: b0.map(FileHasher::finish),
                    v1: b1.map(FileHasher::finish),
                });
            }
            ("pinataMetadata", _) | ("pinataOptions", _) => {
                let text = match field.text().await {
                    Ok(t) => t,
                    Err(_) => return invalid_format(),
                };
                let v = Value::String(text);
                if name == "pinataOptions" {
                    match parse_options(Some(&v)) {
                        Ok(o) => options = Some(o),
                        Err(r) => return r,
                    }
                } else {
                    metadata = Some(v);
                }
            }
            _ => {
                // Unknown parts (and `file` parts without a filename, which
                // are plain fields) are read and ignored.
                while let Ok(Some(_)) = field.chunk().await {}
            }
        }
    }
    let meta = match parse_metadata(metadata.as_ref()) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let opts = options.unwrap_or_default();
    if files.is_empty() {
        return invalid_format();
    }
    let more_than_one = || {
        err_b(
            400,
            "More than one file and/or directory was provided for pinning.",
        )
    };
    let paths: Vec<Vec<String>> = files.iter().map(|f| split_path(&f.path)).collect();
    let count = files.len() as u64;
    let (node, default_name, mime) = if files.len() == 1 && paths[0].len() <= 1 {
        // A single plain file.
        let fname = paths[0].first().cloned().unwrap_or_else(|| "file".into());
        let Some(node) = files[0].node(opts.version) else {
            return invalid_format();
        };
        if opts.wrap {
            let mut d = Tree::new(opts.version);
            let Ok(wrapped) = d
                .add_file(std::slice::from_ref(&fname), node)
                .and_then(|()| d.finish())
            else {
                return invalid_format();
            };
            (wrapped, fname, "directory".to_string())
        } else {
            let mime = mime_of(&fname);
            (node, fname, mime)
        }
    } else {
        // A directory: every path must be `root/…` with the same root.
        let root = match paths[0].first() {
            Some(r) => r.clone(),
            None => return more_than_one(),
        };
        if paths.iter().any(|p| p.len() < 2 || p[0] != root) {
            return more_than_one();
        }
        let mut d = Tree::new(opts.version);
        for (f, p) in files.iter().zip(&paths) {
            // With wrapWithDirectory the root folder is an entry of the tree.
            let rel = if opts.wrap { &p[..] } else { &p[1..] };
            let Some(node) = f.node(opts.version) else {
                return invalid_format();
            };
            if d.add_file(rel, node).is_err() {
                return invalid_format();
            }
        }
        let Ok(tree) = d.finish() else {
            return invalid_format();
        };
        (tree, root, "directory".to_string())
    };
    commit(
        app,
        NewPin {
            node,
            name: Some(meta.name.unwrap_or(default_name)),
            keyvalues: meta.keyvalues,
            mime_type: mime,
            number_of_files: count,
            group_id: opts.group_id,
        },
    )
}

/// Reads a JSON body, authenticates, and insists on a JSON content type
/// (pinJSONToIPFS and pinByHash). Returns the bytes read and their parse.
async fn json_body_for(
    app: &App,
    req: Request<Incoming>,
    need: Need,
) -> Result<(Bytes, Value), Resp> {
    let (parts, body) = req.into_parts();
    let body = read_json_bytes(body, &parts.headers).await?;
    authenticate(app, &parts.headers, need, true)?;
    body.ok_or_else(|| err_b(400, "Content-Type must be application/json"))
}

/// `POST /pinning/pinJSONToIPFS`.
pub async fn pin_json(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let (raw, body) =
        match json_body_for(app, req, Need::Endpoint("pinning", "pinJSONToIPFS")).await {
            Ok(b) => b,
            Err(r) => return r,
        };
    let (meta, opts) = match body.get("pinataContent") {
        Some(_) => {
            let meta = match parse_metadata(body.get("pinataMetadata")) {
                Ok(m) => m,
                Err(r) => return r,
            };
            let opts = match parse_options(body.get("pinataOptions")) {
                Ok(o) => o,
                Err(r) => return r,
            };
            (meta, opts)
        }
        // No `pinataContent`: the whole body is the content.
        None => (Metadata::default(), Options::default()),
    };
    // The pinned bytes are the oracle's own JSON.stringify of the request's
    // text, independent of serde_json and of the library's serializer.
    let Some(bytes) = oracle::json::pinned_bytes(&raw) else {
        return err_b(400, "pinataContent cannot be pinned as JSON");
    };
    let node = oracle::unixfs::of_bytes(&bytes, opts.version);
    commit(
        app,
        NewPin {
            node,
            name: Some(meta.name.unwrap_or_else(|| "json".into())),
            keyvalues: meta.keyvalues,
            mime_type: "application/json".into(),
            number_of_files: 1,
            group_id: opts.group_id,
        },
    )
}

/// `POST /pinning/pinByHash`: queues a job in status `prechecking` (or
/// `backfilled` when 250 are already in flight).
pub async fn pin_by_hash(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let body = match json_body_for(app, req, Need::Endpoint("pinning", "pinByHash")).await {
        Ok((_, Value::Object(b))) => b,
        Ok(_) => return err_b(400, "hashToPin is required and must be a string"),
        Err(r) => return r,
    };
    let cid = match body.get("hashToPin") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return err_b(400, "hashToPin is required and must be a string"),
    };
    if !oracle::is_cid(&cid) {
        return err_b(400, &format!("Invalid CID: {cid}"));
    }
    let meta = match parse_metadata(body.get("pinataMetadata")) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let opts = body.get("pinataOptions").cloned().unwrap_or(Value::Null);
    if !(opts.is_null() || opts.is_object()) {
        return err_b(400, "pinataOptions must be an object");
    }
    let host_nodes = match opts.get("hostNodes") {
        // pinata-web3's `upload.cid` always sends `"hostNodes": ""`; Pinata accepts it.
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::Array(a)) => {
            if a.len() > MAX_HOST_NODES {
                return err_b(
                    400,
                    "pinataOptions.hostNodes may contain at most 5 multiaddresses",
                );
            }
            let mut out = Vec::new();
            for h in a {
                match h.as_str() {
                    Some(s) => out.push(s.to_string()),
                    None => return err_b(400, "pinataOptions.hostNodes must be strings"),
                }
            }
            Some(out)
        }
        Some(_) => return err_b(400, "pinataOptions.hostNodes must be an array"),
    };
    let group_id = match opts.get("groupId") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return err_b(400, "pinataOptions.groupId must be a string"),
    };
    let mut st = app.lock();
    let in_flight = st
        .jobs
        .iter()
        .filter(|j| IN_FLIGHT.contains(&j.status.as_str()))
        .count();
    let status = if in_flight >= MAX_IN_FLIGHT {
        "backfilled"
    } else {
        "prechecking"
    };
    let seq = st.next_seq();
    let job = Job {
        id: uuid(),
        cid: cid.clone(),
        date_queued: now(),
        name: Some(meta.name.unwrap_or_else(|| cid.clone())),
        status: status.into(),
        keyvalues: meta.keyvalues,
        host_nodes,
        group_id,
        seq,
    };
    let resp = json!({"id": job.id, "ipfsHash": job.cid, "status": job.status, "name": job.name});
    st.jobs.push(job);
    json(200, &resp)
}

/// `GET /pinning/pinJobs`.
pub async fn pin_jobs(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let pairs = query_pairs(&req);
    let (parts, body) = req.into_parts();
    discard(body);
    if let Err(r) = authenticate(
        app,
        &parts.headers,
        Need::Endpoint("pinning", "pinJobs"),
        true,
    ) {
        return r;
    }
    let mut descending = false;
    let mut status = None;
    let mut cid = None;
    let mut limit = 5usize;
    let mut offset = 0usize;
    for (k, v) in &pairs {
        match k.as_str() {
            "sort" => match v.to_ascii_uppercase().as_str() {
                "ASC" => descending = false,
                "DESC" => descending = true,
                _ => return err_b(400, "sort must be ASC or DESC"),
            },
            "status" => status = Some(v.clone()),
            "ipfs_pin_hash" => cid = Some(v.clone()),
            "limit" => match v.parse::<usize>() {
                Ok(n) if (1..=1000).contains(&n) => limit = n,
                _ => return err_b(400, "limit must be an integer between 1 and 1000"),
            },
            "offset" => match v.parse::<usize>() {
                Ok(n) => offset = n,
                Err(_) => return err_b(400, "offset must be a non-negative integer"),
            },
            _ => {}
        }
    }
    let st = app.lock();
    let mut rows: Vec<&Job> = st
        .jobs
        .iter()
        .filter(|j| status.as_ref().is_none_or(|s| &j.status == s))
        .filter(|j| cid.as_ref().is_none_or(|c| &j.cid == c))
        .collect();
    rows.sort_by(|a, b| a.date_queued.cmp(&b.date_queued).then(a.seq.cmp(&b.seq)));
    if descending {
        rows.reverse();
    }
    let page: Vec<Value> = rows
        .iter()
        .skip(offset)
        .take(limit)
        .map(|j| j.to_json())
        .collect();
    json(200, &json!({"count": rows.len(), "rows": page}))
}

/// Hook `POST /__emulator/pin-jobs/{id}/advance`: moves a job to `target`, or
/// along the happy path (`backfilled`/`prechecking` → `searching` →
/// `retrieving` → `pinned`). `pinned` removes the job and creates a pin row
/// (size 0 unless an earlier row of the CID knows it) unless the CID is
/// already actively pinned.
pub fn advance_job(app: &App, id: &str, target: Option<&str>) -> Resp {
    let mut st = app.lock();
    let Some(i) = st.jobs.iter().position(|j| j.id == id) else {
        return err_b(404, &format!("no pin job with id {id}"));
    };
    let current = st.jobs[i].status.clone();
    let next = match target {
        Some(t) => {
            let known =
                t == "pinned" || t == "backfilled" || IN_FLIGHT.contains(&t) || FAILED.contains(&t);
            if !known {
                return err_b(400, &format!("unknown pin job status {t:?}"));
            }
            t.to_string()
        }
        None => match current.as_str() {
            "backfilled" => "prechecking".into(),
            "prechecking" => "searching".into(),
            "searching" => "retrieving".into(),
            "retrieving" => "pinned".into(),
            _ => return err_b(409, &format!("pin job is in terminal status {current:?}")),
        },
    };
    if FAILED.contains(&current.as_str()) {
        return err_b(409, &format!("pin job is in terminal status {current:?}"));
    }
    st.jobs[i].status = next.clone();
    let out = st.jobs[i].to_json();
    if next == "pinned" {
        let job = st.jobs.remove(i);
        if !st.pins.iter().any(|r| r.active() && r.cid == job.cid) {
            // The size is known when the CID was uploaded here before.
            let size = st
                .pins
                .iter()
                .rev()
                .find(|r| r.cid == job.cid)
                .map_or(0, |r| r.size);
            let seq = st.next_seq();
            st.pins.push(PinRow {
                id: uuid(),
                cid: job.cid,
                size,
                date_pinned: now(),
                date_unpinned: None,
                name: job.name,
                keyvalues: job.keyvalues,
                mime_type: None,
                number_of_files: None,
                group_id: job.group_id,
                seq,
            });
        }
    }
    json(200, &out)
}

fn not_pinned(cid: &str) -> Resp {
    err_a(
        400,
        "CURRENT_USER_HAS_NOT_PINNED_CID",
        &format!("The current user has not pinned the cid: {cid}"),
    )
}

/// `PUT /pinning/hashMetadata`: renames and merges keyvalues (`null` deletes).
pub async fn hash_metadata(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let (parts, body) = req.into_parts();
    let body = match read_json(body, &parts.headers).await {
        Ok(b) => b.unwrap_or_else(|| Value::Object(Map::new())),
        Err(r) => return r,
    };
    if let Err(r) = authenticate(
        app,
        &parts.headers,
        Need::Endpoint("pinning", "hashMetadata"),
        true,
    ) {
        return r;
    }
    let cid = match body.get("ipfsPinHash") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return err_b(400, "ipfsPinHash is required and must be a string"),
    };
    let name = match body.get("name") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(s)) => Some(Some(s.clone())),
        Some(_) => return err_b(400, "name must be a string"),
    };
    let changes = match body.get("keyvalues") {
        None => None,
        Some(v) => match keyvalues_object(v) {
            Ok(m) => m,
            Err(r) => return r,
        },
    };
    if let Some(ch) = &changes {
        for (k, v) in ch {
            if !(v.is_null() || v.is_string() || v.is_number()) {
                return err_b(
                    400,
                    &format!("Metadata keyvalue {k:?} must be a string or a number"),
                );
            }
        }
    }
    let mut st = app.lock();
    let Some(row) = st
        .pins
        .iter_mut()
        .rev()
        .find(|r| r.active() && r.cid == cid)
    else {
        return not_pinned(&cid);
    };
    let mut merged = row.keyvalues.clone().unwrap_or_default();
    if let Some(ch) = changes {
        for (k, v) in ch {
            if v.is_null() {
                merged.shift_remove(&k);
            } else {
                merged.insert(k, v);
            }
        }
        if merged.len() > MAX_KEYVALUES {
            return err_b(
                400,
                "Metadata keyvalues cannot contain more than 10 key-value pairs",
            );
        }
        row.keyvalues = if merged.is_empty() {
            None
        } else {
            Some(merged)
        };
    }
    if let Some(n) = name {
        row.name = n;
    }
    ok_text()
}

/// `DELETE /pinning/unpin/{cid}`: marks the active row unpinned, or cancels a
/// queued pin-by-CID job for that CID.
pub async fn unpin(app: &Arc<App>, req: Request<Incoming>, cid: &str) -> Resp {
    let (parts, body) = req.into_parts();
    discard(body);
    if let Err(r) = authenticate(
        app,
        &parts.headers,
        Need::Endpoint("pinning", "unpin"),
        true,
    ) {
        return r;
    }
    let mut st = app.lock();
    let t = now();
    let mut found = false;
    for row in st.pins.iter_mut().filter(|r| r.active() && r.cid == cid) {
        row.date_unpinned = Some(t);
        found = true;
    }
    let before = st.jobs.len();
    st.jobs
        .retain(|j| j.cid != cid || FAILED.contains(&j.status.as_str()));
    if found || st.jobs.len() != before {
        ok_text()
    } else {
        not_pinned(cid)
    }
}

/// `PUT /pinning/userPinPolicy` and `PUT /pinning/hashPinPolicy`: deprecated,
/// accepted and ignored (200 `OK`).
pub async fn pin_policy(app: &Arc<App>, req: Request<Incoming>, need: Need) -> Resp {
    let (parts, body) = req.into_parts();
    if let Err(r) = read_json(body, &parts.headers).await {
        return r;
    }
    if let Err(r) = authenticate(app, &parts.headers, need, true) {
        return r;
    }
    ok_text()
}
