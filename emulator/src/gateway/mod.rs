//! The emulator's IPFS gateway (`/ipfs/{cid}`, trustless responses).
//!
//! `GET /ipfs/{cid}[/path]` answers, for content stored by uploads ([`store`]):
//!
//! - a CARv1 of the whole DAG in depth-first order without duplicates
//!   (`?format=car` or `Accept: application/vnd.ipld.car`; `dag-scope=block` gives the
//!   resolved block alone), per the trustless gateway spec;
//! - one raw block (`?format=raw` or `Accept: application/vnd.ipld.raw`);
//! - otherwise the file's plain bytes (a directory: 501, listings are not served).
//!
//! A dedicated gateway's token rule is switched on with a hook; faults make it lie.
//! Both are described in `emulator/README.md` ("Gateway"). The DAG reader here is the
//! emulator's own (protobuf by hand), sharing nothing with the library's.

pub mod store;

use std::collections::HashSet;
use std::sync::Arc;

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::HeaderValue;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::Request;
use serde_json::{json, Value};

use crate::respond::{err_b, json as json_resp, raw, BoxError, Resp};
use crate::state::App;
use store::{GatewayFault, Store};

/// Multicodecs of the blocks served.
const DAG_PB: u64 = 0x70;

/// Decodes CID text (v0 `Qm…`, v1 base32 `b…`) to its binary form.
pub fn decode_cid(text: &str) -> Option<Vec<u8>> {
    if text.len() == 46 && text.starts_with("Qm") {
        let b = bs58::decode(text).into_vec().ok()?;
        return (b.len() == 34 && b[0] == 0x12 && b[1] == 0x20).then_some(b);
    }
    let rest = text.strip_prefix('b')?;
    let b = data_encoding::BASE32_NOPAD
        .decode(rest.to_ascii_uppercase().as_bytes())
        .ok()?;
    (b.first() == Some(&1)).then_some(b)
}

/// The codec of a binary CID (v0 is dag-pb).
fn codec(cid: &[u8]) -> u64 {
    if cid.first() == Some(&0x12) {
        return DAG_PB;
    }
    unsigned_varint::decode::u64(&cid[1..])
        .map(|(c, _)| c)
        .unwrap_or(0)
}

fn varint(b: &mut &[u8]) -> Option<u64> {
    let (v, rest) = unsigned_varint::decode::u64(b).ok()?;
    *b = rest;
    Some(v)
}

/// Protobuf fields `(number, varint, bytes)` of a message; `None` if malformed.
fn fields(mut b: &[u8]) -> Option<Vec<(u64, u64, &[u8])>> {
    let mut out = Vec::new();
    while !b.is_empty() {
        let key = varint(&mut b)?;
        match key & 7 {
            0 => out.push((key >> 3, varint(&mut b)?, &[][..])),
            2 => {
                let n = varint(&mut b)? as usize;
                if n > b.len() {
                    return None;
                }
                out.push((key >> 3, 0, &b[..n]));
                b = &b[n..];
            }
            _ => return None,
        }
    }
    Some(out)
}

/// A dag-pb node: its links `(binary CID, name)` and UnixFS `(type, data)`.
struct PbNode {
    links: Vec<(Vec<u8>, String)>,
    kind: u64,
    data: Vec<u8>,
}

fn decode_pb(block: &[u8]) -> Option<PbNode> {
    let mut node = PbNode {
        links: Vec::new(),
        kind: u64::MAX,
        data: Vec::new(),
    };
    for (num, _, bytes) in fields(block)? {
        match num {
            2 => {
                let (mut hash, mut name) = (Vec::new(), String::new());
                for (n, _, b) in fields(bytes)? {
                    match n {
                        1 => hash = b.to_vec(),
                        2 => name = String::from_utf8_lossy(b).into_owned(),
                        _ => {}
                    }
                }
                node.links.push((hash, name));
            }
            1 => {
                for (n, v, b) in fields(bytes)? {
                    match n {
                        1 => node.kind = v,
                        2 => node.data = b.to_vec(),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    Some(node)
}

/// The links of a block to walk (none for raw blocks).
fn children(cid: &[u8], block: &[u8]) -> Vec<Vec<u8>> {
    if codec(cid) != DAG_PB {
        return Vec::new();
    }
    decode_pb(block)
        .map(|n| n.links.into_iter().map(|(c, _)| c).collect())
        .unwrap_or_default()
}

/// The CIDs of a DAG in depth-first order, each once (CIDs only: small).
fn dfs_order(store: &Store, root: &[u8]) -> Vec<Vec<u8>> {
    let mut seen = HashSet::new();
    let mut order = Vec::new();
    let mut stack = vec![root.to_vec()];
    while let Some(c) = stack.pop() {
        if !seen.insert(c.clone()) {
            continue;
        }
        let Some(block) = store.get(&c) else {
            continue;
        };
        for l in children(&c, &block).into_iter().rev() {
            stack.push(l);
        }
        order.push(c);
    }
    order
}

/// Resolves `/a/b` below `root` through directories and HAMT shards.
fn resolve(store: &Store, root: Vec<u8>, path: &[String]) -> Option<Vec<u8>> {
    let mut cur = root;
    for seg in path {
        cur = find_entry(store, &cur, seg)?;
    }
    Some(cur)
}

fn find_entry(store: &Store, dir: &[u8], name: &str) -> Option<Vec<u8>> {
    let node = decode_pb(&store.get(dir)?)?;
    match node.kind {
        1 => node
            .links
            .into_iter()
            .find(|(_, n)| n == name)
            .map(|(c, _)| c),
        5 => {
            for (c, n) in node.links {
                if n.len() == 2 {
                    if let Some(found) = find_entry(store, &c, name) {
                        return Some(found);
                    }
                } else if n.get(2..) == Some(name) {
                    return Some(c);
                }
            }
            None
        }
        _ => None,
    }
}

/// The block as the current fault shows it (`None`: the block is withheld).
fn faulty(
    store: &Store,
    fault: Option<&GatewayFault>,
    cid: &[u8],
    mut block: Vec<u8>,
) -> Option<Vec<u8>> {
    let Some(f) = fault else {
        return Some(block);
    };
    if f.target.as_deref() != Some(cid) {
        return Some(block);
    }
    match f.kind.as_str() {
        "flip" => {
            if block.is_empty() {
                block.push(0);
            } else {
                let i = block.len() / 2;
                block[i] ^= 0x01;
            }
            Some(block)
        }
        // Another block's bytes under this CID.
        "swap" => Some(store.get(&swap_source(store, cid)?).unwrap_or_default()),
        "missing" => None,
        _ => Some(block),
    }
}

/// Some other stored block to send in place of `cid` (for the `swap` fault).
fn swap_source(store: &Store, cid: &[u8]) -> Option<Vec<u8>> {
    // The first block of the store's directory listing that is not `cid`.
    let dir = std::fs::read_dir(store.blocks_dir()).ok()?;
    for e in dir.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let bin = data_encoding::HEXLOWER.decode(name.as_bytes()).ok()?;
        if bin != cid {
            return Some(bin);
        }
    }
    None
}

fn car_header(root: &[u8]) -> Vec<u8> {
    // DAG-CBOR {"roots": [CID], "version": 1}; a CID is tag 42 over 0x00 + its bytes.
    let mut h = vec![0xa2, 0x65];
    h.extend_from_slice(b"roots");
    h.push(0x81);
    h.extend_from_slice(&[0xd8, 0x2a]);
    let n = root.len() + 1;
    if n < 24 {
        h.push(0x40 + n as u8);
    } else {
        h.extend_from_slice(&[0x58, n as u8]);
    }
    h.push(0x00);
    h.extend_from_slice(root);
    h.push(0x67);
    h.extend_from_slice(b"version");
    h.push(0x01);
    let mut out = Vec::new();
    put_varint(&mut out, h.len() as u64);
    out.extend_from_slice(&h);
    out
}

fn put_varint(out: &mut Vec<u8>, v: u64) {
    let mut buf = unsigned_varint::encode::u64_buffer();
    out.extend_from_slice(unsigned_varint::encode::u64(v, &mut buf));
}

/// A streamed response body fed by a blocking producer (blocks are read from disk).
fn streamed(
    status: u16,
    content_type: &str,
    produce: impl FnOnce(&dyn Fn(Vec<u8>) -> bool) + Send + 'static,
) -> Resp {
    streamed_or_broken(status, content_type, move |send| {
        produce(send);
        true
    })
}

/// Like [`streamed`], but a producer returning false breaks the answer off: the body
/// ends in an error, so the connection closes without the final chunk (the client sees
/// a transfer cut mid-body).
fn streamed_or_broken(
    status: u16,
    content_type: &str,
    produce: impl FnOnce(&dyn Fn(Vec<u8>) -> bool) -> bool + Send + 'static,
) -> Resp {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Frame<Bytes>, BoxError>>(4);
    tokio::task::spawn_blocking(move || {
        let send = |b: Vec<u8>| tx.blocking_send(Ok(Frame::data(Bytes::from(b)))).is_ok();
        if !produce(&send) {
            // The frames sent so far reach the client first: an error that finds them
            // still in the server's write buffer drops the connection with them unsent,
            // and the client would see a break before any byte (or not, by timing).
            // Once the connection has taken every frame and found the channel empty,
            // it writes them out.
            while tx.capacity() < tx.max_capacity() && !tx.is_closed() {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
            let _ = tx.blocking_send(Err("injected: the answer breaks off".into()));
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    let mut r = http::Response::new(StreamBody::new(stream).boxed_unsync());
    *r.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
    if let Ok(v) = HeaderValue::from_str(content_type) {
        r.headers_mut().insert(CONTENT_TYPE, v);
    }
    r.headers_mut().insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    r
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Format {
    Car,
    Raw,
    Plain,
}

/// `GET /ipfs/{cid}[/path]`.
pub async fn serve(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let store = app.content.clone();
    let uri = req.uri().clone();
    let headers = req.headers().clone();
    crate::body::discard(req.into_body());
    let query: Vec<(String, String)> = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    let q = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let (token, fault) = {
        let s = store.settings.lock().unwrap_or_else(|e| e.into_inner());
        (s.token.clone(), s.fault.clone())
    };
    if let Some(want) = token {
        let given = headers
            .get("x-pinata-gateway-token")
            .and_then(|v| v.to_str().ok())
            .or_else(|| q("pinataGatewayToken"));
        match given {
            None => return err_b(401, "This gateway requires a gateway access token"),
            Some(g) if g != want => return err_b(403, "The gateway access token is not valid"),
            Some(_) => {}
        }
    }
    let segs: Vec<String> = uri
        .path()
        .trim_start_matches('/')
        .split('/')
        .skip(1)
        .filter(|s| !s.is_empty())
        .map(crate::http_util::percent_decode)
        .collect();
    let Some((cid_text, path)) = segs.split_first() else {
        return err_b(400, "missing CID");
    };
    let Some(root) = decode_cid(cid_text) else {
        return err_b(400, &format!("invalid CID: {cid_text}"));
    };
    // A CID held only as a private file is not on IPFS: it answers as absent would
    // (its bytes come only through a signed link to `/files/{cid}`).
    if !store.has(&root) || private_only(app, &root) {
        return err_b(404, &format!("{cid_text} is not pinned on this gateway"));
    }
    content(store, fault, &headers, &query, root, path, cid_text)
}

/// Whether `root` is the CID of a private v3 file and of no active public pin.
fn private_only(app: &App, root: &[u8]) -> bool {
    let mut st = app.lock();
    let same = |text: &str| decode_cid(text).is_some_and(|c| c == root);
    let private = crate::v3::store::files(&mut st, crate::v3::store::Network::Private)
        .iter()
        .any(|f| same(&f.cid));
    private && !st.pins.iter().any(|p| p.active() && same(&p.cid))
}

/// Serves the stored DAG `root` (below `path`) as a CAR, a raw block or plain bytes,
/// chosen by `format` in `query` or the `Accept` header; shared by `/ipfs/{cid}` and
/// the private path `/files/{cid}` (emulator/src/v3/signed.rs).
pub fn content(
    store: Arc<Store>,
    fault: Option<GatewayFault>,
    headers: &http::HeaderMap,
    query: &[(String, String)],
    root: Vec<u8>,
    path: &[String],
    cid_text: &str,
) -> Resp {
    let q = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    if !store.has(&root) {
        return err_b(404, &format!("{cid_text} is not stored on this gateway"));
    }
    let Some(target) = resolve(&store, root, path) else {
        return err_b(404, "no link by that name");
    };
    let accept = headers
        .get(http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let format = match q("format") {
        Some("car") => Format::Car,
        Some("raw") => Format::Raw,
        Some(_) => return err_b(400, "unsupported format"),
        None if accept.contains("application/vnd.ipld.car") => Format::Car,
        None if accept.contains("application/vnd.ipld.raw") => Format::Raw,
        None => Format::Plain,
    };
    let kind = fault.as_ref().map(|f| f.kind.as_str()).unwrap_or("");
    let refuse = |what: &str| err_b(406, &format!("{what} responses are not served here"));
    match format {
        Format::Car if ["no_car", "plain_only", "plain_lie"].contains(&kind) => refuse("CAR"),
        Format::Raw if ["plain_only", "plain_lie"].contains(&kind) => refuse("raw block"),
        Format::Raw => {
            let Some(block) = store.get(&target) else {
                return err_b(404, "block not found");
            };
            match faulty(&store, fault.as_ref(), &target, block) {
                Some(b) => raw(200, Some("application/vnd.ipld.raw"), b),
                None => err_b(404, "block not found"),
            }
        }
        Format::Car if kind == "drop_once" => {
            // Played once: the next request is answered in full.
            store
                .settings
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .fault = None;
            let ct = "application/vnd.ipld.car; version=1; order=dfs; dups=n";
            streamed_or_broken(200, ct, move |send| {
                let order = dfs_order(&store, &target);
                if !send(car_header(&target)) {
                    return true;
                }
                for c in order.iter().take(order.len().div_ceil(2)) {
                    let Some(block) = store.get(c) else { continue };
                    if !send(car_section(c, &block)) {
                        return true;
                    }
                }
                false
            })
        }
        Format::Car if kind == "dups_forever" => {
            let ct = "application/vnd.ipld.car; version=1; order=dfs; dups=y";
            streamed(200, ct, move |send| {
                let Some(block) = store.get(&target) else {
                    return;
                };
                if !send(car_header(&target)) {
                    return;
                }
                // The root, again and again, until the client hangs up.
                let section = car_section(&target, &block);
                while send(section.clone()) {}
            })
        }
        Format::Car => {
            let scope_block = q("dag-scope") == Some("block");
            let kind = kind.to_string();
            let order_label = if kind == "reverse" { "unk" } else { "dfs" };
            let ct = format!("application/vnd.ipld.car; version=1; order={order_label}; dups=n");
            streamed(200, &ct, move |send| {
                if !send(car_header(&target)) {
                    return;
                }
                let mut order = if scope_block {
                    vec![target.clone()]
                } else {
                    dfs_order(&store, &target)
                };
                if kind == "reverse" {
                    order.reverse();
                }
                for c in order {
                    let Some(block) = store.get(&c) else { continue };
                    let truncate = kind == "truncate"
                        && fault.as_ref().and_then(|f| f.target.as_deref()) == Some(&c[..]);
                    let Some(block) = faulty(&store, fault.as_ref(), &c, block) else {
                        continue;
                    };
                    let mut section = Vec::with_capacity(block.len() + c.len() + 10);
                    put_varint(&mut section, (c.len() + block.len()) as u64);
                    section.extend_from_slice(&c);
                    section.extend_from_slice(&block);
                    if truncate {
                        section.truncate(section.len() - block.len() / 2 - 1);
                        let _ = send(section);
                        return;
                    }
                    if !send(section) {
                        return;
                    }
                }
            })
        }
        Format::Plain => {
            let Some(first) = store.get(&target) else {
                return err_b(404, "block not found");
            };
            if codec(&target) == DAG_PB {
                match decode_pb(&first) {
                    Some(n) if n.kind == 1 || n.kind == 5 => {
                        return err_b(501, "directory listings are not served; ask for a CAR")
                    }
                    Some(_) => {}
                    None => return err_b(500, "stored block is not dag-pb"),
                }
            }
            let lie = kind == "plain_lie";
            streamed(200, "application/octet-stream", move |send| {
                let mut stack = vec![target];
                let mut first = true;
                // Leaves' bytes gathered into pieces of up to PLAIN_PIECE, as a real
                // gateway's buffered writer sends them (a file of one-byte leaves would
                // otherwise go out one byte per frame).
                let mut piece = Vec::new();
                // Nodes visited since the last bytes. A real file yields bytes every few
                // nodes; a DAG that names an empty leaf 2^40 times never would, and the
                // send that notices a client hanging up would never come.
                let mut idle = 0u32;
                while let Some(c) = stack.pop() {
                    idle += 1;
                    if idle > MAX_IDLE_NODES {
                        return;
                    }
                    let Some(block) = store.get(&c) else { return };
                    let data = if codec(&c) == DAG_PB {
                        let Some(n) = decode_pb(&block) else { return };
                        for (l, _) in n.links.into_iter().rev() {
                            stack.push(l);
                        }
                        n.data
                    } else {
                        block
                    };
                    let mut data = data;
                    if lie && first && !data.is_empty() {
                        data[0] ^= 0x01;
                        first = false;
                    }
                    if !data.is_empty() {
                        idle = 0;
                        piece.extend_from_slice(&data);
                        if piece.len() >= PLAIN_PIECE && !send(std::mem::take(&mut piece)) {
                            return;
                        }
                    }
                }
                if !piece.is_empty() {
                    send(piece);
                }
            })
        }
    }
}

/// Bytes a plain answer gathers before it sends them.
const PLAIN_PIECE: usize = 256 * 1024;

/// Most DAG nodes a plain answer visits in a row without sending a byte; past it the
/// answer ends there (short of its content, which the client's check then refuses).
const MAX_IDLE_NODES: u32 = 1 << 16;

/// One CAR section: varint length, CID, block.
fn car_section(c: &[u8], block: &[u8]) -> Vec<u8> {
    let mut section = Vec::with_capacity(block.len() + c.len() + 10);
    put_varint(&mut section, (c.len() + block.len()) as u64);
    section.extend_from_slice(c);
    section.extend_from_slice(block);
    section
}

/// `/__emulator/gateway…` hooks: `POST /__emulator/gateway/token` `{"token": T|null}`,
/// `POST /__emulator/gateway/fault` `{"kind": K, "cid": ROOT, "block": N}` (`kind`
/// `none` clears it).
pub fn hook(app: &App, what: &str, body: Option<&Value>) -> Resp {
    let store = &app.content;
    let body = body.cloned().unwrap_or(Value::Null);
    match what {
        "token" => {
            let token = match body.get("token") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
                _ => return err_b(400, "token must be a non-empty string or null"),
            };
            store
                .settings
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .token = token.clone();
            json_resp(200, &json!({ "token_required": token.is_some() }))
        }
        "fault" => {
            let kind = body.get("kind").and_then(Value::as_str).unwrap_or("");
            const KINDS: [&str; 11] = [
                "none",
                "drop_once",
                "dups_forever",
                "flip",
                "swap",
                "missing",
                "truncate",
                "reverse",
                "no_car",
                "plain_only",
                "plain_lie",
            ];
            if !KINDS.contains(&kind) {
                return err_b(400, &format!("kind must be one of {}", KINDS.join(", ")));
            }
            let target = if ["flip", "swap", "missing", "truncate"].contains(&kind) {
                let Some(root) = body.get("cid").and_then(Value::as_str).and_then(decode_cid)
                else {
                    return err_b(400, "this fault needs the root `cid` of a stored DAG");
                };
                let order = dfs_order(store, &root);
                if order.is_empty() {
                    return err_b(404, "that CID is not stored");
                }
                let n = match body.get("block") {
                    None | Some(Value::Null) => order.len() - 1,
                    Some(v) => match v.as_u64() {
                        Some(n) if (n as usize) < order.len() => n as usize,
                        _ => return err_b(400, &format!("block must be below {}", order.len())),
                    },
                };
                Some(order[n].clone())
            } else {
                None
            };
            let fault = (kind != "none").then(|| GatewayFault {
                kind: kind.to_string(),
                target: target.clone(),
            });
            store
                .settings
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .fault = fault;
            let shown = target.map(|t| crate::oracle::cid_text(&t));
            json_resp(200, &json!({ "kind": kind, "block_cid": shown }))
        }
        _ => err_b(404, "unknown gateway hook"),
    }
}
