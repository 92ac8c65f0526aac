//! Signed upload URLs (`POST {upload host}/v3/files/sign`) and private download links
//! (`POST /v3/files/private/download_link`). Both results are credentials: they are
//! returned to the caller and never put in an error message.

use crate::client::Client;
use crate::error::{Error, Result};
use crate::legacy::pinning::MAX_KEYVALUES;
use crate::transport::{Hooks, Method, Request};
use crate::util::{check_len, check_text};
use crate::v3::{data_of, unix_now, Network};
use serde_json::{json, Map, Value};

/// Longest validity accepted for a signed URL or link (one year, in seconds).
pub const MAX_EXPIRES_SECS: u64 = 365 * 24 * 3600;

/// What a signed upload URL allows.
#[derive(Clone, Debug, PartialEq)]
pub struct SignOptions {
    /// Seconds the URL stays valid (1 to one year; required, default 60).
    pub expires: u64,
    /// Largest file accepted, in bytes.
    pub max_file_size: Option<u64>,
    /// MIME types accepted (`image/*` patterns allowed).
    pub allow_mime_types: Vec<String>,
    /// The network the upload goes to.
    pub network: Option<Network>,
    /// Group of the uploaded file.
    pub group_id: Option<String>,
    /// Name of the uploaded file.
    pub name: Option<String>,
    /// Keyvalues of the uploaded file.
    pub keyvalues: Map<String, Value>,
}

impl Default for SignOptions {
    fn default() -> Self {
        SignOptions {
            expires: 60,
            max_file_size: None,
            allow_mime_types: Vec::new(),
            network: None,
            group_id: None,
            name: None,
            keyvalues: Map::new(),
        }
    }
}

/// Checks a validity in seconds.
pub(crate) fn check_expires(name: &str, secs: u64) -> Result<()> {
    if secs == 0 || secs > MAX_EXPIRES_SECS {
        return Err(Error::invalid_argument(format!(
            "`{name}` must be between 1 and {MAX_EXPIRES_SECS} seconds"
        )));
    }
    Ok(())
}

impl SignOptions {
    /// Adds an accepted MIME type (such as `image/png` or `image/*`).
    pub fn add_mime_type(&mut self, mime: &str) -> Result<()> {
        check_text("mime_type", mime)?;
        if mime.len() > 255 {
            return Err(Error::invalid_argument(
                "`mime_type` is longer than 255 bytes",
            ));
        }
        self.allow_mime_types.push(mime.to_string());
        Ok(())
    }

    /// Sets a string keyvalue (at most 10 keys).
    pub fn set_keyvalue(&mut self, key: &str, value: &str) -> Result<()> {
        check_text("key", key)?;
        check_len("value", value)?;
        if !self.keyvalues.contains_key(key) && self.keyvalues.len() >= MAX_KEYVALUES {
            return Err(Error::invalid_argument(format!(
                "at most {MAX_KEYVALUES} keyvalues are allowed per file"
            )));
        }
        self.keyvalues.insert(key.into(), json!(value));
        Ok(())
    }

    fn body(&self) -> Result<Value> {
        check_expires("expires", self.expires)?;
        let mut b = Map::new();
        b.insert("date".into(), json!(unix_now()));
        b.insert("expires".into(), json!(self.expires));
        if let Some(n) = self.network {
            b.insert("network".into(), json!(n.as_str()));
        }
        if let Some(g) = &self.group_id {
            check_text("group_id", g)?;
            b.insert("group_id".into(), json!(g));
        }
        if let Some(n) = &self.name {
            check_len("name", n)?;
            b.insert("filename".into(), json!(n));
        }
        if !self.keyvalues.is_empty() {
            b.insert("keyvalues".into(), Value::Object(self.keyvalues.clone()));
        }
        if let Some(m) = self.max_file_size {
            if m == 0 {
                return Err(Error::invalid_argument("`max_file_size` must be positive"));
            }
            b.insert("max_file_size".into(), json!(m));
        }
        if !self.allow_mime_types.is_empty() {
            b.insert("allow_mime_types".into(), json!(self.allow_mime_types));
        }
        Ok(Value::Object(b))
    }
}

/// The string `data` of an answer; the URL itself is never quoted in an error.
fn url_of(v: Value) -> Result<String> {
    match data_of(v)? {
        Value::String(s) if !s.is_empty() => Ok(s),
        _ => Err(Error::protocol("the answer's `data` is not a URL")),
    }
}

impl Client {
    /// Creates a signed upload URL (`POST {upload host}/v3/files/sign`). The URL is a
    /// credential: give it only to the app that uploads.
    pub fn sign_upload_url(&self, options: &SignOptions) -> Result<String> {
        let body = options.body()?;
        let req = Request::json(Method::Post, "/v3/files/sign", &body);
        let resp = self.send_upload(req, &mut Hooks::default())?;
        url_of(resp.json().map_err(|e| self.redact(e))?)
    }

    /// Creates a download link for a private file (`POST
    /// /v3/files/private/download_link`): `gateway_url` is the account's gateway
    /// (`https://NAME.mypinata.cloud`), `cid` the file's CID, `expires` its validity in
    /// seconds. The link is a credential for that file until it expires.
    pub fn files_download_link(
        &self,
        gateway_url: &str,
        cid: &str,
        expires: u64,
    ) -> Result<String> {
        let gateway =
            crate::client::normalize_base_url(gateway_url, self.config().allow_insecure_http)
                .map_err(|e| e.rename_argument("base_url", "gateway_url"))?;
        check_text("cid", cid)?;
        crate::cid::parse_cid(cid)
            .map_err(|_| Error::invalid_argument("`cid` is not a valid CID"))?;
        check_expires("expires", expires)?;
        let body = json!({
            "url": format!("{gateway}/files/{cid}"),
            "date": unix_now(),
            "expires": expires,
            "method": "GET",
        });
        let v = self.send_json(Request::json(
            Method::Post,
            "/v3/files/private/download_link",
            &body,
        ))?;
        url_of(v)
    }
}
