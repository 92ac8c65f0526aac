//! Signed URLs: upload URLs (`POST /v3/files/sign`, §6.3), uploads through
//! them (no credentials; any `Authorization` header ignored), private
//! download links (`POST /v3/files/private/download_link`, §6.9, and the older
//! signer `POST /v3/files/sign` with a `url` body, §6.11) and the private
//! gateway path `GET /files/{cid}?X-…` that checks them.
//!
//! A signature is HMAC-SHA256 (the process's JWT key) over the signed fields,
//! hex encoded; `X-Date + X-Expires` is the expiry (unix seconds).

use std::sync::Arc;

use hmac::{Hmac, Mac};
use http::header::{HeaderValue, CONTENT_TYPE};
use hyper::body::Incoming;
use hyper::Request;
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::body::{discard, read_json};
use crate::http_util::query_pairs;
use crate::ids::now;
use crate::respond::Resp;
use crate::state::App;
use crate::v3::common::{check_keyvalues, data, err_c, opt_str, v3_auth};
use crate::v3::store::{self, uuid7};

/// The constraints and presets of one signed upload URL.
#[derive(Clone, Debug)]
pub struct SignedUpload {
    /// `date` (unix seconds at signing).
    pub date: i64,
    /// `expires` (seconds valid).
    pub expires: i64,
    /// `network`.
    pub network: Option<String>,
    /// `filename` (the row's name).
    pub filename: Option<String>,
    /// `group_id`.
    pub group_id: Option<String>,
    /// `keyvalues`.
    pub keyvalues: Option<Map<String, Value>>,
    /// `max_file_size` in bytes.
    pub max_file_size: Option<u64>,
    /// `allow_mime_types` (`image/*` patterns, `directory`).
    pub allow_mime_types: Option<Vec<String>>,
}

fn mac_hex(app: &App, text: &str) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(&app.jwt_key).expect("HMAC accepts any key");
    m.update(text.as_bytes());
    m.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Constant-time comparison of two signatures.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn int_field(body: &Value, key: &str, required: bool) -> Result<Option<i64>, Resp> {
    match body.get(key) {
        None | Some(Value::Null) if !required => Ok(None),
        None | Some(Value::Null) => Err(err_c(400, &format!("{key} is required"))),
        Some(v) => match v
            .as_i64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        {
            Some(n) if n >= 0 => Ok(Some(n)),
            _ => Err(err_c(400, &format!("{key} must be a non-negative integer"))),
        },
    }
}

/// `POST /v3/files/sign`: an upload URL (body without `url`) or, as the older
/// API-host signer, a download link (body with `url`).
pub async fn sign(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let (parts, body) = req.into_parts();
    let body = match read_json(body, &parts.headers).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let scope = if body.as_ref().is_some_and(|b| b.get("url").is_some()) {
        "org:files:read"
    } else {
        "org:files:write"
    };
    if let Err(r) = v3_auth(app, &parts.headers, scope) {
        return r;
    }
    let Some(body) = body.filter(Value::is_object) else {
        return err_c(400, "Body must be a JSON object");
    };
    if body.get("url").is_some() {
        return link(app, &body);
    }
    let parsed = (|| -> Result<SignedUpload, Resp> {
        let date = int_field(&body, "date", false)?.unwrap_or_else(|| now().timestamp());
        let expires = int_field(&body, "expires", true)?.unwrap_or(0);
        let network = opt_str(&body, "network")?;
        if network
            .as_deref()
            .is_some_and(|n| store::Network::parse(n).is_none())
        {
            return Err(err_c(400, "network must be public or private"));
        }
        let keyvalues = match body.get("keyvalues") {
            None | Some(Value::Null) => None,
            Some(v) => Some(check_keyvalues(v)?),
        };
        let allow = match body.get("allow_mime_types") {
            None | Some(Value::Null) => None,
            Some(Value::Array(a)) => Some(
                a.iter()
                    .map(|m| m.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| err_c(400, "allow_mime_types must be strings"))?,
            ),
            Some(_) => return Err(err_c(400, "allow_mime_types must be an array")),
        };
        Ok(SignedUpload {
            date,
            expires,
            network,
            filename: opt_str(&body, "filename")?.or(opt_str(&body, "name")?),
            group_id: opt_str(&body, "group_id")?,
            keyvalues,
            max_file_size: int_field(&body, "max_file_size", false)?.map(|n| n as u64),
            allow_mime_types: allow,
        })
    })();
    let spec = match parsed {
        Ok(s) => s,
        Err(r) => return r,
    };
    let id = uuid7();
    let sig = mac_hex(
        app,
        &format!("upload\n{id}\n{}\n{}", spec.date, spec.expires),
    );
    let url = format!(
        "{}/v3/files/{id}?X-Algorithm=PINATA1&X-Date={}&X-Expires={}&X-Signature={sig}",
        crate::http_util::origin(&parts.headers),
        spec.date,
        spec.expires
    );
    app.lock().v3.signed.insert(id, spec);
    data(Value::String(url))
}

/// `POST /v3/files/{id}?X-Algorithm=PINATA1&X-Date&X-Expires&X-Signature`: an
/// upload through a signed URL. Credentials are neither needed nor looked at.
pub async fn signed_upload(app: &Arc<App>, req: Request<Incoming>, id: &str) -> Resp {
    let q: Vec<(String, String)> = query_pairs(&req);
    let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let (parts, body) = req.into_parts();
    let spec = app.lock().v3.signed.get(id).cloned();
    let valid = match (
        spec.as_ref(),
        get("X-Signature"),
        get("X-Date"),
        get("X-Expires"),
    ) {
        (Some(s), Some(sig), Some(d), Some(e)) => {
            d == s.date.to_string()
                && e == s.expires.to_string()
                && same(&sig, &mac_hex(app, &format!("upload\n{id}\n{d}\n{e}")))
        }
        _ => false,
    };
    let Some(spec) = spec.filter(|_| valid) else {
        discard(body);
        return err_c(403, "Presigned URL signature is invalid");
    };
    if now().timestamp() > spec.date + spec.expires {
        discard(body);
        return err_c(403, "Presigned URL has expired");
    }
    crate::v3::upload::receive(app, &parts.headers, body, Some(spec)).await
}

/// The signature of a download link over method, path, other query and times.
fn link_sig(app: &App, method: &str, path: &str, rest: &str, date: i64, expires: i64) -> String {
    mac_hex(
        app,
        &format!("link\n{method}\n{path}\n{rest}\n{date}\n{expires}"),
    )
}

/// Signs `{url, date, expires, method}` into a download link.
fn link(app: &App, body: &Value) -> Resp {
    let Some(url) = body.get("url").and_then(Value::as_str) else {
        return err_c(400, "url must be a string");
    };
    let (date, expires) = match (
        int_field(body, "date", false),
        int_field(body, "expires", true),
    ) {
        (Ok(d), Ok(e)) => (d.unwrap_or_else(|| now().timestamp()), e.unwrap_or(0)),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let method = body.get("method").and_then(Value::as_str).unwrap_or("GET");
    let Some(after_scheme) = url.split_once("://").map(|(_, r)| r) else {
        return err_c(400, "url must be an absolute URL");
    };
    let path_and_query = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    if !path.starts_with("/files/") {
        return err_c(400, "url must name a /files/<cid> path on a gateway");
    }
    let sig = link_sig(app, method, path, query, date, expires);
    let sep = if query.is_empty() { '?' } else { '&' };
    data(Value::String(format!(
        "{url}{sep}X-Algorithm=PINATA1&X-Date={date}&X-Expires={expires}&X-Method={method}&X-Signature={sig}"
    )))
}

/// `POST /v3/files/private/download_link` (`{url, date, expires, method}`).
pub async fn download_link(app: &Arc<App>, req: Request<Incoming>) -> Resp {
    let (parts, body) = req.into_parts();
    let body = match read_json(body, &parts.headers).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Err(r) = v3_auth(app, &parts.headers, "org:files:read") {
        return r;
    }
    match body.filter(Value::is_object) {
        Some(b) => link(app, &b),
        None => err_c(400, "Body must be a JSON object"),
    }
}

/// `GET /files/{cid}?…X-Signature=…`: the private gateway path. Answers only
/// a valid, unexpired signature for a file the account holds (private or
/// public), with the file's bytes from the content store: plain bytes, or a CAR
/// or raw block when `Accept` (or `format`) asks, as `/ipfs/{cid}` serves them
/// (`crate::gateway::content`, faults included; no gateway token rule: the
/// signature is the credential).
pub async fn gateway_file(app: &Arc<App>, req: Request<Incoming>, cid: &str) -> Resp {
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let raw_query = req.uri().query().unwrap_or("").to_string();
    let q = query_pairs(&req);
    let headers = req.headers().clone();
    discard(req.into_body());
    let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    // The query as signed: every parameter but the X-… ones, in order.
    let rest: Vec<&str> = raw_query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("X-"))
        .collect();
    let rest = rest.join("&");
    let (Some(sig), Some(d), Some(e)) = (get("X-Signature"), get("X-Date"), get("X-Expires"))
    else {
        return err_c(
            403,
            "This file is private: a signed download link is required",
        );
    };
    let signed_method = get("X-Method").unwrap_or_else(|| "GET".into());
    let (Ok(date), Ok(expires)) = (d.parse::<i64>(), e.parse::<i64>()) else {
        return err_c(403, "Invalid signature");
    };
    let want = link_sig(app, &signed_method, &path, &rest, date, expires);
    let method_ok = signed_method == method || (method == "HEAD" && signed_method == "GET");
    if !same(&sig, &want) || !method_ok {
        return err_c(403, "Invalid signature");
    }
    if now().timestamp() > date + expires {
        return err_c(403, "This download link has expired");
    }
    let Some(file) = store::find_by_cid(&mut app.lock(), cid) else {
        return err_c(404, "File not found");
    };
    let Some(root) = crate::gateway::decode_cid(&file.cid) else {
        return err_c(404, "File not found");
    };
    let fault = app
        .content
        .settings
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .fault
        .clone();
    let mut r = crate::gateway::content(
        app.content.clone(),
        fault,
        &headers,
        &q,
        root,
        &[],
        &file.cid,
    );
    if let Ok(v) = HeaderValue::from_str(&file.cid) {
        r.headers_mut().insert("x-ipfs-roots", v);
    }
    // Plain bytes carry the file's own type (CARs and raw blocks keep theirs).
    let plain = r.headers().get(CONTENT_TYPE)
        == Some(&HeaderValue::from_static("application/octet-stream"));
    if r.status() == 200 && plain {
        if let Ok(v) = HeaderValue::from_str(&file.mime_type) {
            r.headers_mut().insert(CONTENT_TYPE, v);
        }
    }
    r
}
