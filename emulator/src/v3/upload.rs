//! `POST /v3/files`: the multipart upload of the v3 API (`reference/pinata-api.md`
//! §6.1, `real-clients.md` §1 "Plain upload"), streamed and hashed as it
//! arrives, with real CIDs. The same code serves signed upload URLs
//! (`signed.rs`), which add their constraints.

use std::sync::Arc;

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::Request;
use serde_json::{Map, Value};
use tokio::sync::mpsc;

use crate::body::discard;
use crate::ids::now;
use crate::oracle::unixfs::{FileHasher, Node, Tree};
use crate::oracle::{cid_text, Version};
use crate::respond::{BoxError, Resp};
use crate::state::App;
use crate::v3::car::CarImport;
use crate::v3::common::{check_keyvalues, data, err_c, v3_auth};
use crate::v3::signed::SignedUpload;
use crate::v3::store::{insert_file, Network, NewFile};

/// Size limit of each non-file form field.
const FIELD_LIMIT: u64 = 1024 * 1024;

/// Feeds the request body to multer; drains the rest after an early answer.
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

/// One `file` part hashed with both CID versions (the version field comes
/// after the file in the SDK's form).
struct Part {
    path: Vec<String>,
    mime: String,
    v0: Node,
    v1: Node,
}

fn split_path(name: &str) -> Vec<String> {
    name.replace('\\', "/")
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .map(str::to_string)
        .collect()
}

/// The MIME type of a part: its own `Content-Type` unless generic, else a
/// guess from the file name.
fn mime_of(declared: Option<&str>, name: &str) -> String {
    match declared {
        Some(m) if !m.is_empty() && m != "application/octet-stream" => {
            m.split(';').next().unwrap_or(m).trim().to_ascii_lowercase()
        }
        _ => mime_guess::from_path(name)
            .first_or_octet_stream()
            .essence_str()
            .to_string(),
    }
}

/// True when `mime` matches one of the patterns (`image/*`, `text/plain`, `*`).
pub fn mime_allowed(patterns: &[String], mime: &str) -> bool {
    patterns.iter().any(|p| {
        p == "*"
            || p == "*/*"
            || p == mime
            || p.strip_suffix("/*")
                .is_some_and(|base| mime.split('/').next() == Some(base))
    })
}

fn refused_mime(mime: &str) -> Resp {
    err_c(
        400,
        &format!("Presigned URL does not grant permissions to upload detected MIME type: {mime}"),
    )
}

/// `POST /v3/files` with credentials (scope `org:files:write`).
pub async fn upload(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let (parts, body) = req.into_parts();
    if let Err(r) = v3_auth(app, &parts.headers, "org:files:write") {
        discard(body);
        return r;
    }
    receive(app, &parts.headers, body, None).await
}

/// Reads the form, hashes the file(s) and stores the row. `signed` carries a
/// signed URL's constraints and presets (they win over the form's fields).
pub async fn receive(
    app: &Arc<App>,
    headers: &http::HeaderMap,
    body: Incoming,
    signed: Option<SignedUpload>,
) -> Resp {
    let ct = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let Ok(boundary) = multer::parse_boundary(ct) else {
        discard(body);
        return err_c(400, "Expected a multipart/form-data body with a file part");
    };
    let (tx, rx) = mpsc::channel::<Result<Bytes, BoxError>>(8);
    tokio::spawn(pump(body, tx));
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    let mut mp = multer::Multipart::new(stream, boundary);
    let max_size = signed.as_ref().and_then(|s| s.max_file_size);
    let allow = signed.as_ref().and_then(|s| s.allow_mime_types.clone());

    let mut files: Vec<Part> = Vec::new();
    let mut fields: Map<String, Value> = Map::new();
    let mut total: u64 = 0;
    // The first file part is also read as a CAR: the SDK sends `car` after the file,
    // so whether it is one is known only at the end.
    let mut car: Option<CarImport> = None;
    loop {
        let mut field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return err_c(400, "Malformed multipart body"),
        };
        let name = field.name().unwrap_or("").to_string();
        if let (true, Some(fname)) = (name == "file", field.file_name().map(str::to_string)) {
            let mime = mime_of(field.content_type().map(|m| m.essence_str()), &fname);
            if let Some(a) = &allow {
                // A folder (several parts) is checked as `directory` below.
                if files.is_empty() && !mime_allowed(a, &mime) && !fname.contains('/') {
                    return refused_mime(&mime);
                }
            }
            // Blocks go to the content store as they are built (the gateway serves them),
            // unless the form already said this is a CAR (whose own blocks count).
            let car_known = fields.get("car").and_then(Value::as_str) == Some("true");
            let (mut h0, mut h1) = if car_known {
                (FileHasher::new(Version::V0), FileHasher::new(Version::V1))
            } else {
                (
                    FileHasher::with_sink(Version::V0, app.content.sink()),
                    FileHasher::with_sink(Version::V1, app.content.sink()),
                )
            };
            let mut importer = files.is_empty().then(|| CarImport::new(&app.content));
            loop {
                match field.chunk().await {
                    Ok(Some(c)) => {
                        total += c.len() as u64;
                        if max_size.is_some_and(|m| total > m) {
                            return err_c(
                                400,
                                &format!(
                                    "Presigned URL does not grant permissions to upload files larger than {} bytes",
                                    max_size.unwrap_or(0)
                                ),
                            );
                        }
                        h0.update(&c);
                        h1.update(&c);
                        if let Some(i) = importer.as_mut() {
                            i.feed(&c);
                        }
                    }
                    Ok(None) => break,
                    Err(_) => return err_c(400, "Malformed multipart body"),
                }
            }
            if importer.is_some() {
                car = importer;
            }
            files.push(Part {
                path: split_path(&fname),
                mime,
                v0: h0.finish(),
                v1: h1.finish(),
            });
        } else {
            let mut text = Vec::new();
            loop {
                match field.chunk().await {
                    Ok(Some(c)) => {
                        if (text.len() + c.len()) as u64 > FIELD_LIMIT {
                            return err_c(400, &format!("Field {name} is too large"));
                        }
                        text.extend_from_slice(&c);
                    }
                    Ok(None) => break,
                    Err(_) => return err_c(400, "Malformed multipart body"),
                }
            }
            let Ok(text) = String::from_utf8(text) else {
                return err_c(400, &format!("Field {name} must be UTF-8 text"));
            };
            fields.insert(name, Value::String(text));
        }
    }
    if files.is_empty() {
        return err_c(400, "A file part is required");
    }
    let field = |k: &str| fields.get(k).and_then(Value::as_str).map(str::to_string);

    let network_text = signed
        .as_ref()
        .and_then(|s| s.network.clone())
        .or_else(|| field("network"))
        .unwrap_or_else(|| "private".into());
    let Some(network) = Network::parse(&network_text) else {
        return err_c(400, "network must be public or private");
    };
    let version = match field("cid_version").as_deref() {
        None | Some("v1") | Some("1") => Version::V1,
        Some("v0") | Some("0") => Version::V0,
        Some(_) => return err_c(400, "cid_version must be v0 or v1"),
    };
    let is_car = match field("car").as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return err_c(400, "car must be true or false"),
    };
    if is_car && network != Network::Public {
        return err_c(400, "CAR uploads are only possible on the public network");
    }
    if is_car && (files.len() != 1 || files[0].path.len() > 1) {
        return err_c(400, "A CAR upload takes exactly one file");
    }
    let keyvalues = match signed.as_ref().and_then(|s| s.keyvalues.clone()) {
        Some(kv) => kv,
        None => match field("keyvalues") {
            None => Map::new(),
            Some(t) => match serde_json::from_str::<Value>(&t) {
                // Docs examples wrap it once more as {"keyvalues":{…}}.
                Ok(Value::Object(mut m)) => {
                    if m.len() == 1 && m.get("keyvalues").is_some_and(Value::is_object) {
                        m = m["keyvalues"].as_object().cloned().unwrap_or_default();
                    }
                    match check_keyvalues(&Value::Object(m)) {
                        Ok(m) => m,
                        Err(r) => return r,
                    }
                }
                _ => return err_c(400, "keyvalues must be a JSON object"),
            },
        },
    };
    let expires_at = match field("expires_at") {
        None => None,
        Some(t) => match t.trim().parse::<i64>() {
            Ok(e) if e > now().timestamp() => Some(e),
            _ => return err_c(400, "expires_at must be a future unix time in seconds"),
        },
    };
    let group_id = signed
        .as_ref()
        .and_then(|s| s.group_id.clone())
        .or_else(|| field("group_id"))
        .filter(|g| !g.is_empty());

    let count = files.len() as u64;
    // (CID, size, default name, MIME type)
    let (cid, size, default_name, mime) = if is_car {
        // The CAR's root is the file's CID; its blocks join the content store.
        let Some(importer) = car.take() else {
            return err_c(400, "A CAR upload takes exactly one file");
        };
        let imported = match importer.finish() {
            Ok(i) => i,
            Err(message) => return err_c(400, &message),
        };
        let p = &files[0];
        let fname = p.path.first().cloned().unwrap_or_else(|| "file".into());
        (
            cid_text(&imported.root),
            imported.size,
            fname,
            p.mime.clone(),
        )
    } else if files.len() == 1 && files[0].path.len() <= 1 {
        let p = &files[0];
        let node = if version == Version::V0 {
            p.v0.clone()
        } else {
            p.v1.clone()
        };
        let fname = p.path.first().cloned().unwrap_or_else(|| "file".into());
        (node.cid(), node.tsize, fname, p.mime.clone())
    } else {
        // A folder: every part is `root/…` with one root.
        if let Some(a) = &allow {
            if !mime_allowed(a, "directory") {
                return refused_mime("directory");
            }
        }
        let root = files[0].path.first().cloned().unwrap_or_default();
        if files.iter().any(|f| f.path.len() < 2 || f.path[0] != root) {
            return err_c(400, "More than one file and/or directory was provided");
        }
        let mut t = Tree::with_sink(version, app.content.sink());
        for f in &files {
            let node = if version == Version::V0 {
                f.v0.clone()
            } else {
                f.v1.clone()
            };
            if t.add_file(&f.path[1..], node).is_err() {
                return err_c(400, "Malformed folder upload");
            }
        }
        let Ok(node) = t.finish() else {
            return err_c(400, "Malformed folder upload");
        };
        (node.cid(), node.tsize, root, "directory".to_string())
    };
    let name = signed
        .as_ref()
        .and_then(|s| s.filename.clone())
        .or_else(|| field("name"))
        .filter(|n| !n.is_empty())
        .unwrap_or(default_name);
    let (row, dup) = insert_file(
        app,
        NewFile {
            network,
            cid,
            size,
            number_of_files: count,
            name: Some(name),
            keyvalues,
            mime_type: mime,
            group_id,
            expires_at,
        },
    );
    let mut v = row.to_json(&app.user.id);
    v["is_duplicate"] = Value::Bool(dup);
    v["vectorized"] = Value::Bool(false);
    data(v)
}
