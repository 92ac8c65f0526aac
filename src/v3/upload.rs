//! v3 uploads, `POST {upload host}/v3/files` (multipart): a file streamed from disk
//! in constant memory, bytes, or a JSON document, to the public or private network;
//! also through a signed upload URL with no credentials at all. The CID the service
//! returns is checked against the CID of the bytes sent, as for legacy uploads.

use crate::cid::{Profile, Verification};
use crate::client::{normalize_base_url, Client};
use crate::error::{Error, Result, Status};
use crate::legacy::pinning::{CidCheck, Metadata, SlotObserver, Tee};
use crate::multipart::{Multipart, Observer, Threaded};
use crate::transport::{Body, Hooks, Method, Request, Response};
use crate::util::{check_text, json_document};
use crate::v3::car::{car_root, car_root_of_file};
use crate::v3::files::FileRow;
use crate::v3::{data_of, unix_now, Network};
use serde_json::Value;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Options of a v3 upload.
#[derive(Clone, Debug, PartialEq)]
pub struct UploadOptions {
    /// The network (default [`Network::Private`], as the API's own default).
    pub network: Network,
    /// Name (default: the file name; `data.json` for JSON) and keyvalues.
    pub metadata: Metadata,
    /// Put the file in this v3 group.
    pub group_id: Option<String>,
    /// 0 or 1; `None`: the service's default (v1 on v3).
    pub cid_version: Option<u8>,
    /// Send the file as a CARv1 to import (public only). Its CID is the CAR's single
    /// root: the CID check compares the service's CID with the root its header names
    /// (a file that is not such a CAR is refused before sending).
    pub car: bool,
    /// `streamable` (an SDK flag whose meaning Pinata does not document).
    pub streamable: bool,
    /// Unix time at which the service deletes the file (must be in the future).
    pub expires_at: Option<i64>,
    /// Compare the service's CID with the locally computed one (default on).
    pub verify_cid: bool,
}

impl Default for UploadOptions {
    fn default() -> Self {
        UploadOptions {
            network: Network::Private,
            metadata: Metadata::default(),
            group_id: None,
            cid_version: None,
            car: false,
            streamable: false,
            expires_at: None,
            verify_cid: true,
        }
    }
}

impl UploadOptions {
    /// Sets the CID version (0, 1, or `None` for the service's default).
    pub fn set_cid_version(&mut self, v: Option<u8>) -> Result<()> {
        if v.is_some_and(|v| v > 1) {
            return Err(Error::invalid_argument("`cid_version` must be 0 or 1"));
        }
        self.cid_version = v;
        Ok(())
    }

    /// Sets the expiry (unix seconds, in the future; `None` clears it).
    pub fn set_expires_at(&mut self, t: Option<i64>) -> Result<()> {
        if t.is_some_and(|t| t <= unix_now()) {
            return Err(Error::invalid_argument(
                "`expires_at` must be a unix time in the future",
            ));
        }
        self.expires_at = t;
        Ok(())
    }

    pub(crate) fn validate(&self) -> Result<()> {
        if let Some(n) = &self.metadata.name {
            crate::util::check_len("name", n)?;
        }
        if let Some(g) = &self.group_id {
            check_text("group_id", g)?;
        }
        self.set_cid_version_check()?;
        if self.car && self.network == Network::Private {
            return Err(Error::invalid_argument(
                "`car` uploads go to the public network only",
            ));
        }
        Ok(())
    }

    fn set_cid_version_check(&self) -> Result<()> {
        if self.cid_version.is_some_and(|v| v > 1) {
            return Err(Error::invalid_argument("`cid_version` must be 0 or 1"));
        }
        Ok(())
    }

    /// The profile the service uses (v1 unless v0 was asked for).
    fn profile(&self) -> Profile {
        if self.cid_version == Some(0) {
            Profile::V0
        } else {
            Profile::V1
        }
    }

    /// The form fields, before the file (so a server knows them first).
    fn fields(&self, body: &mut Multipart, default_name: &str) {
        body.text_field("network", self.network.as_str());
        body.text_field(
            "name",
            self.metadata.name.as_deref().unwrap_or(default_name),
        );
        if let Some(g) = &self.group_id {
            body.text_field("group_id", g);
        }
        if !self.metadata.keyvalues.is_empty() {
            body.text_field(
                "keyvalues",
                &Value::Object(self.metadata.keyvalues.clone()).to_string(),
            );
        }
        if self.streamable {
            body.text_field("streamable", "true");
        }
        if self.car {
            body.text_field("car", "true");
        }
        if let Some(v) = self.cid_version {
            body.text_field("cid_version", if v == 0 { "v0" } else { "v1" });
        }
        if let Some(e) = self.expires_at {
            body.text_field("expires_at", &e.to_string());
        }
    }
}

/// The answer to a v3 upload: the file row, the locally computed CID and the check.
#[derive(Clone, Debug, PartialEq)]
pub struct UploadResult {
    /// The file row (`is_duplicate` included).
    pub file: FileRow,
    /// The CID computed locally from the bytes sent, when the check ran.
    pub local_cid: Option<String>,
    /// The check's outcome.
    pub check: CidCheck,
    /// The whole JSON answer.
    pub raw_json: String,
}

/// Where an upload goes: the client's upload host with its credentials, or a signed
/// URL without any.
enum Target<'a> {
    Host,
    Signed {
        origin: String,
        path: String,
        secrets: [&'a str; 2],
    },
}

/// Splits and checks a signed upload URL into (origin, path-and-query, signature).
/// Messages never repeat the URL.
fn split_signed_url<'a>(client: &Client, url: &'a str) -> Result<(String, &'a str, &'a str)> {
    check_text("signed_url", url)?;
    if url.len() > 8192 {
        return Err(Error::invalid_argument(
            "`signed_url` is longer than 8192 bytes",
        ));
    }
    if url.chars().any(char::is_whitespace) {
        return Err(Error::invalid_argument("`signed_url` contains whitespace"));
    }
    let after = url
        .split_once("://")
        .map(|(_, r)| r)
        .ok_or_else(|| Error::invalid_argument("`signed_url` is not an absolute URL"))?;
    let slash = after
        .find('/')
        .ok_or_else(|| Error::invalid_argument("`signed_url` has no path"))?;
    let origin_len = url.len() - after.len() + slash;
    let (origin, path) = url.split_at(origin_len);
    if !path.contains("X-Signature=") {
        return Err(Error::invalid_argument(
            "`signed_url` is not a signed upload URL (no X-Signature)",
        ));
    }
    // The origin follows the base URL rules (https, or http to loopback), checked
    // quietly: the message must not show the URL.
    let origin = normalize_base_url(origin, client.config().allow_insecure_http).map_err(|_| {
        Error::invalid_argument(
            "`signed_url` must be https:// (or http:// to a loopback host) with a host name",
        )
    })?;
    let sig = path
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("X-Signature="))
        .unwrap_or("");
    Ok((origin, path, sig))
}

/// Parses an upload answer `{"data": file}`.
pub(crate) fn parse_upload_answer(resp: Response) -> Result<(FileRow, String)> {
    let v = resp.json()?;
    let raw = v.to_string();
    Ok((FileRow::from_json(data_of(v)?)?, raw))
}

/// The CID check of a CAR upload: the service's CID must be the CAR's root.
fn apply_car_check(result: &mut UploadResult, root: &cid::Cid) -> Result<()> {
    let service = crate::cid::parse_cid(&result.file.cid)
        .map_err(|e| Error::protocol(format!("the service returned an invalid CID: {e}")))?;
    if !crate::v3::car::same_block(&service, root) {
        return Err(Error::new(
            Status::Integrity,
            format!(
                "the service returned CID {} but the CAR's root is {root}",
                result.file.cid
            ),
        ));
    }
    result.check = CidCheck::Verified;
    result.local_cid = Some(root.to_string());
    Ok(())
}

/// Applies the CID check: a mismatch is `PINATA_E_INTEGRITY`.
fn apply_check(result: &mut UploadResult, tee: Option<Tee>) -> Result<()> {
    let Some(tee) = tee else {
        return Ok(());
    };
    let local = tee.local_cid()?;
    result.check = match tee.verify(&result.file.cid) {
        Verification::Match => CidCheck::Verified,
        Verification::Unverifiable => CidCheck::Unverifiable,
        Verification::Mismatch { expected_local } => {
            return Err(Error::new(
                Status::Integrity,
                format!(
                    "the service returned CID {} but the content sent has CID {}",
                    result.file.cid, expected_local
                ),
            ))
        }
    };
    result.local_cid = Some(local);
    Ok(())
}

impl Client {
    /// Sends a planned one-file multipart body, hashing the file as it goes out.
    fn v3_send(
        &self,
        body: Multipart,
        options: &UploadOptions,
        target: Target<'_>,
        car_root: Option<cid::Cid>,
        hooks: &mut Hooks,
    ) -> Result<UploadResult> {
        let slot: Arc<Mutex<Option<Tee>>> = Arc::new(Mutex::new(None));
        let profile = options.profile();
        let verify = options.verify_cid && !options.car;
        let len = body.len();
        let content_type = body.content_type();
        let source_slot = slot.clone();
        let source = Box::new(move || {
            *source_slot.lock().unwrap_or_else(|p| p.into_inner()) = None;
            let observer: Option<Box<dyn Observer>> = verify.then(|| {
                let hashing = Box::new(SlotObserver {
                    tee: Some(Tee::new(profile, false)),
                    slot: source_slot.clone(),
                    files_left: 1,
                }) as Box<dyn Observer>;
                match Threaded::spawn(hashing) {
                    Ok(threaded) => Box::new(threaded) as Box<dyn Observer>,
                    Err(hashing) => hashing,
                }
            });
            Ok(Box::new(body.reader(observer)) as Box<dyn std::io::Read + Send>)
        });
        let mut req = Request {
            method: Method::Post,
            path: "/v3/files".into(),
            body: Body::Stream {
                len,
                content_type,
                source,
                append: false,
            },
            transfer: true,
            // Content-addressed: a second attempt stores the same CID (a duplicate).
            idempotent: true,
        };
        let (resp, secrets) = match target {
            Target::Host => (self.send_upload(req, hooks)?, None),
            Target::Signed {
                origin,
                path,
                secrets,
            } => {
                req.path = path.into();
                let r = self
                    .send_anonymous(&origin, req, hooks)
                    .map_err(|e| e.redact(&secrets))?;
                (r, Some(secrets))
            }
        };
        let redact = |e: Error| match &secrets {
            Some(s) => self.redact(e).redact(s),
            None => self.redact(e),
        };
        let (file, raw_json) = parse_upload_answer(resp).map_err(redact)?;
        let mut result = UploadResult {
            file,
            local_cid: None,
            check: CidCheck::NotChecked,
            raw_json,
        };
        if let Some(root) = car_root.filter(|_| options.verify_cid) {
            apply_car_check(&mut result, &root)?;
            return Ok(result);
        }
        let tee = slot.lock().unwrap_or_else(|p| p.into_inner()).take();
        apply_check(&mut result, tee)?;
        Ok(result)
    }

    fn v3_file_body(path: &Path, options: &UploadOptions) -> Result<Multipart> {
        options.validate()?;
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, &e))?;
        if !meta.is_file() {
            return Err(Error::new(
                Status::Io,
                format!(
                    "{}: not a regular file (v3 uploads take one file; pin directories with pin_file)",
                    path.display()
                ),
            ));
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| {
                Error::invalid_argument(format!("{} has no UTF-8 file name", path.display()))
            })?
            .to_string();
        let mut body = Multipart::new();
        options.fields(&mut body, &name);
        body.disk_file(&name, &name, path.to_path_buf(), meta.len())?;
        body.finish();
        Ok(body)
    }

    fn v3_bytes_body(data: &[u8], file_name: &str, options: &UploadOptions) -> Result<Multipart> {
        options.validate()?;
        check_text("file_name", file_name)?;
        if file_name.contains('/') {
            return Err(Error::invalid_argument("`file_name` must not contain '/'"));
        }
        let mut body = Multipart::new();
        options.fields(&mut body, file_name);
        body.memory_file(file_name, file_name, Arc::from(data))?;
        body.finish();
        Ok(body)
    }

    fn v3_json_body(json_text: &str, options: &UploadOptions) -> Result<Multipart> {
        // Validated, then sent exactly as written: the CID is that of these bytes.
        json_document("json", json_text)?;
        Client::v3_bytes_body(json_text.as_bytes(), "data.json", options)
    }

    /// Uploads one regular file, streamed from disk in constant memory
    /// (`POST {upload host}/v3/files`).
    pub fn upload_file(
        &self,
        path: &Path,
        options: &UploadOptions,
        hooks: &mut Hooks,
    ) -> Result<UploadResult> {
        let body = Client::v3_file_body(path, options)?;
        let root = options.car.then(|| car_root_of_file(path)).transpose()?;
        self.v3_send(body, options, Target::Host, root, hooks)
    }

    /// Uploads bytes as a file named `file_name` (no '/').
    pub fn upload_bytes(
        &self,
        data: &[u8],
        file_name: &str,
        options: &UploadOptions,
        hooks: &mut Hooks,
    ) -> Result<UploadResult> {
        let body = Client::v3_bytes_body(data, file_name, options)?;
        let root = options.car.then(|| car_root(data, "data")).transpose()?;
        self.v3_send(body, options, Target::Host, root, hooks)
    }

    /// Uploads a JSON document as `data.json`, byte for byte as given.
    pub fn upload_json(
        &self,
        json_text: &str,
        options: &UploadOptions,
        hooks: &mut Hooks,
    ) -> Result<UploadResult> {
        let body = Client::v3_json_body(json_text, options)?;
        let root = options
            .car
            .then(|| car_root(json_text.as_bytes(), "json"))
            .transpose()?;
        self.v3_send(body, options, Target::Host, root, hooks)
    }

    /// Uploads one file through a signed upload URL, sending NO credentials (the URL
    /// is the credential; it never appears in an error). The URL's own settings
    /// (network, name, group, keyvalues) take precedence over `options` on the service.
    /// Works on a client made with [`Client::without_credentials`].
    pub fn upload_file_signed(
        &self,
        signed_url: &str,
        path: &Path,
        options: &UploadOptions,
        hooks: &mut Hooks,
    ) -> Result<UploadResult> {
        let (origin, rest, sig) = split_signed_url(self, signed_url)?;
        let body = Client::v3_file_body(path, options)?;
        let root = options.car.then(|| car_root_of_file(path)).transpose()?;
        let target = Target::Signed {
            origin,
            path: rest.to_string(),
            secrets: [signed_url, sig],
        };
        self.v3_send(body, options, target, root, hooks)
    }

    /// [`Client::upload_bytes`] through a signed upload URL (no credentials sent).
    pub fn upload_bytes_signed(
        &self,
        signed_url: &str,
        data: &[u8],
        file_name: &str,
        options: &UploadOptions,
        hooks: &mut Hooks,
    ) -> Result<UploadResult> {
        let (origin, rest, sig) = split_signed_url(self, signed_url)?;
        let body = Client::v3_bytes_body(data, file_name, options)?;
        let root = options.car.then(|| car_root(data, "data")).transpose()?;
        let target = Target::Signed {
            origin,
            path: rest.to_string(),
            secrets: [signed_url, sig],
        };
        self.v3_send(body, options, target, root, hooks)
    }
}
