//! Files per network (`/v3/files/{network}`): list with every filter through an
//! iterator that follows `next_page_token`, get, update, delete.

use crate::client::Client;
use crate::error::{Error, Result};
use crate::legacy::pinning::MAX_KEYVALUES;
use crate::transport::{Method, Request};
use crate::util::{check_len, check_text, opt_str, opt_u64, path_segment, query_string, str_field};
use crate::v3::{data_of, unix_now, Network, Order};
use serde_json::{json, Map, Value};
use std::collections::VecDeque;

/// One v3 file as the service returns it.
#[derive(Clone, Debug, PartialEq)]
pub struct FileRow {
    /// File id (UUID).
    pub id: String,
    /// Name.
    pub name: Option<String>,
    /// CID (`pending` while the service computes it).
    pub cid: String,
    /// Size in bytes.
    pub size: u64,
    /// Number of files (1 unless a folder).
    pub number_of_files: u64,
    /// MIME type.
    pub mime_type: Option<String>,
    /// Group id.
    pub group_id: Option<String>,
    /// Keyvalues (`{}` when none).
    pub keyvalues: Map<String, Value>,
    /// Creation time, ISO-8601.
    pub created_at: Option<String>,
    /// Whether an upload found the content already stored (uploads only).
    pub is_duplicate: bool,
    /// The file object as the service sent it.
    pub raw: Value,
}

impl FileRow {
    /// Reads a file object; `id` and `cid` are required.
    pub fn from_json(v: Value) -> Result<FileRow> {
        if !v.is_object() {
            return Err(Error::protocol("the v3 file is not a JSON object"));
        }
        Ok(FileRow {
            id: str_field(&v, "id")?,
            cid: str_field(&v, "cid")?,
            name: opt_str(&v, "name"),
            size: opt_u64(&v, "size").unwrap_or(0),
            number_of_files: opt_u64(&v, "number_of_files").unwrap_or(1),
            mime_type: opt_str(&v, "mime_type"),
            group_id: opt_str(&v, "group_id"),
            keyvalues: v
                .get("keyvalues")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
            created_at: opt_str(&v, "created_at"),
            is_duplicate: v.get("is_duplicate").and_then(Value::as_bool) == Some(true),
            raw: v,
        })
    }
}

/// Which group a listing is restricted to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupFilter {
    /// Files of this group.
    Id(String),
    /// Files in no group (`group=null`).
    NoGroup,
}

/// Filters of `GET /v3/files/{network}`. Every field is optional.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FileQuery {
    /// Name contains this text.
    pub name: Option<String>,
    /// Group restriction.
    pub group: Option<GroupFilter>,
    /// Exact MIME type.
    pub mime_type: Option<String>,
    /// Exact CID.
    pub cid: Option<String>,
    /// Only files whose CID is still being computed.
    pub cid_pending: bool,
    /// Keyvalue equalities (`keyvalues[k]=v`), all of which must hold.
    pub keyvalues: Vec<(String, String)>,
    /// Order by creation time (the service's default when `None`).
    pub order: Option<Order>,
    /// Page size, 1–1000 (the service's default when `None`).
    pub limit: Option<u32>,
}

impl FileQuery {
    /// Adds a keyvalue equality (at most 10).
    pub fn add_keyvalue(&mut self, key: &str, value: &str) -> Result<()> {
        check_text("key", key)?;
        check_len("value", value)?;
        if self.keyvalues.len() >= MAX_KEYVALUES {
            return Err(Error::invalid_argument(format!(
                "at most {MAX_KEYVALUES} keyvalue filters are allowed"
            )));
        }
        self.keyvalues.push((key.to_string(), value.to_string()));
        Ok(())
    }

    /// Sets the page size (1–1000).
    pub fn set_limit(&mut self, limit: u32) -> Result<()> {
        if !(1..=1000).contains(&limit) {
            return Err(Error::invalid_argument(
                "`limit` must be between 1 and 1000",
            ));
        }
        self.limit = Some(limit);
        Ok(())
    }

    fn validate(&self) -> Result<()> {
        for (n, v) in [
            ("name", &self.name),
            ("mime_type", &self.mime_type),
            ("cid", &self.cid),
        ] {
            if let Some(v) = v {
                check_text(n, v)?;
            }
        }
        if let Some(GroupFilter::Id(g)) = &self.group {
            check_text("group_id", g)?;
        }
        if let Some(l) = self.limit {
            if !(1..=1000).contains(&l) {
                return Err(Error::invalid_argument(
                    "`limit` must be between 1 and 1000",
                ));
            }
        }
        Ok(())
    }

    fn params(&self, token: Option<&str>) -> Vec<(String, String)> {
        let mut p: Vec<(String, String)> = Vec::new();
        if let Some(l) = self.limit {
            p.push(("limit".into(), l.to_string()));
        }
        if let Some(n) = &self.name {
            p.push(("name".into(), n.clone()));
        }
        match &self.group {
            Some(GroupFilter::Id(g)) => p.push(("group".into(), g.clone())),
            Some(GroupFilter::NoGroup) => p.push(("group".into(), "null".into())),
            None => {}
        }
        if let Some(c) = &self.cid {
            p.push(("cid".into(), c.clone()));
        }
        if let Some(m) = &self.mime_type {
            p.push(("mimeType".into(), m.clone()));
        }
        if let Some(o) = self.order {
            p.push(("order".into(), o.as_str().into()));
        }
        if self.cid_pending {
            p.push(("cidPending".into(), "true".into()));
        }
        for (k, v) in &self.keyvalues {
            p.push((format!("keyvalues[{k}]"), v.clone()));
        }
        if let Some(t) = token {
            p.push(("pageToken".into(), t.to_string()));
        }
        p
    }
}

/// One page of a file listing.
#[derive(Clone, Debug, PartialEq)]
pub struct FilePage {
    /// The files.
    pub files: Vec<FileRow>,
    /// The token of the next page; `None` on the last page.
    pub next_page_token: Option<String>,
}

/// Iterates over every file matching a query, following `next_page_token` until a
/// page comes back without one (empty or missing). Holds its own clone of the client.
pub struct FileListIter {
    client: Client,
    network: Network,
    query: FileQuery,
    token: Option<String>,
    buffered: VecDeque<FileRow>,
    done: bool,
}

impl FileListIter {
    /// The next file, `Ok(None)` at the end. After an error, calling again fetches the
    /// failed page again.
    pub fn next_file(&mut self) -> Result<Option<FileRow>> {
        while self.buffered.is_empty() && !self.done {
            let page =
                self.client
                    .files_list_page(self.network, &self.query, self.token.as_deref())?;
            match page.next_page_token {
                // A token equal to the one just used would loop forever.
                Some(t) if Some(&t) != self.token.as_ref() => self.token = Some(t),
                _ => self.done = true,
            }
            if page.files.is_empty() {
                self.done = true;
            }
            self.buffered.extend(page.files);
        }
        Ok(self.buffered.pop_front())
    }
}

impl Iterator for FileListIter {
    type Item = Result<FileRow>;
    fn next(&mut self) -> Option<Self::Item> {
        match self.next_file() {
            Ok(Some(f)) => Some(Ok(f)),
            Ok(None) => None,
            Err(e) => {
                self.done = true;
                self.buffered.clear();
                Some(Err(e))
            }
        }
    }
}

/// The fields of a file update; at least one must be set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FileUpdate {
    /// New name.
    pub name: Option<String>,
    /// Keyvalues to set (a JSON `null` value removes the key).
    pub keyvalues: Option<Map<String, Value>>,
    /// New automatic-deletion time, unix seconds (in the future).
    pub expires_at: Option<i64>,
}

/// Checks a file id argument (it travels in the path).
pub(crate) fn check_id(name: &str, id: &str) -> Result<()> {
    check_text(name, id)?;
    if id.len() > 256 {
        return Err(Error::invalid_argument(format!(
            "`{name}` is longer than 256 bytes"
        )));
    }
    Ok(())
}

/// Parses a keyvalues JSON object text (string, number or null values; at most 10).
pub fn keyvalues_from_json(text: &str) -> Result<Map<String, Value>> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| Error::invalid_argument(format!("`keyvalues_json` is not valid JSON: {e}")))?;
    let Value::Object(m) = v else {
        return Err(Error::invalid_argument(
            "`keyvalues_json` must be a JSON object",
        ));
    };
    if m.len() > MAX_KEYVALUES {
        return Err(Error::invalid_argument(format!(
            "at most {MAX_KEYVALUES} keyvalues are allowed per file"
        )));
    }
    for (k, v) in &m {
        check_text("key", k)?;
        if !(v.is_string() || v.is_number() || v.is_null()) {
            return Err(Error::invalid_argument(format!(
                "keyvalue {k:?} must be a string, a number or null"
            )));
        }
    }
    Ok(m)
}

impl Client {
    /// One page of `GET /v3/files/{network}`.
    pub fn files_list_page(
        &self,
        network: Network,
        query: &FileQuery,
        page_token: Option<&str>,
    ) -> Result<FilePage> {
        query.validate()?;
        if let Some(t) = page_token {
            check_text("page_token", t)?;
        }
        let path = format!(
            "/v3/files/{}{}",
            network.as_str(),
            query_string(&query.params(page_token))
        );
        let d = data_of(self.send_json(Request::get(path))?)?;
        let files = d
            .get("files")
            .and_then(Value::as_array)
            .ok_or_else(|| Error::protocol("the file list lacks `files`"))?
            .iter()
            .cloned()
            .map(FileRow::from_json)
            .collect::<Result<Vec<_>>>()?;
        let next_page_token = opt_str(&d, "next_page_token").filter(|t| !t.is_empty());
        Ok(FilePage {
            files,
            next_page_token,
        })
    }

    /// Iterates over every file of `network` matching `query`. No request is made
    /// until the first item is asked for.
    pub fn files_list(&self, network: Network, query: &FileQuery) -> Result<FileListIter> {
        query.validate()?;
        Ok(FileListIter {
            client: self.clone(),
            network,
            query: query.clone(),
            token: None,
            buffered: VecDeque::new(),
            done: false,
        })
    }

    /// `GET /v3/files/{network}/{id}`; an unknown id is `PINATA_E_NOT_FOUND`.
    pub fn files_get(&self, network: Network, id: &str) -> Result<FileRow> {
        check_id("id", id)?;
        let path = format!("/v3/files/{}/{}", network.as_str(), path_segment(id));
        FileRow::from_json(data_of(self.send_json(Request::get(path))?)?)
    }

    /// `PUT /v3/files/{network}/{id}` with the fields set in `update` (at least one).
    pub fn files_update(&self, network: Network, id: &str, update: &FileUpdate) -> Result<FileRow> {
        check_id("id", id)?;
        let mut body = Map::new();
        if let Some(n) = &update.name {
            check_len("name", n)?;
            body.insert("name".into(), json!(n));
        }
        if let Some(kv) = &update.keyvalues {
            if kv.len() > MAX_KEYVALUES {
                return Err(Error::invalid_argument(format!(
                    "at most {MAX_KEYVALUES} keyvalues are allowed per file"
                )));
            }
            body.insert("keyvalues".into(), Value::Object(kv.clone()));
        }
        if let Some(e) = update.expires_at {
            if e <= unix_now() {
                return Err(Error::invalid_argument(
                    "`expires_at` must be a unix time in the future",
                ));
            }
            body.insert("expires_at".into(), json!(e));
        }
        if body.is_empty() {
            return Err(Error::invalid_argument(
                "an update needs at least one of name, keyvalues or expires_at",
            ));
        }
        let path = format!("/v3/files/{}/{}", network.as_str(), path_segment(id));
        let v = self.send_json(Request::json(Method::Put, path, &Value::Object(body)))?;
        FileRow::from_json(data_of(v)?)
    }

    /// `DELETE /v3/files/{network}/{id}`; an unknown id is `PINATA_E_NOT_FOUND`.
    pub fn files_delete(&self, network: Network, id: &str) -> Result<()> {
        check_id("id", id)?;
        let path = format!("/v3/files/{}/{}", network.as_str(), path_segment(id));
        let req = Request {
            method: Method::Delete,
            ..Request::get(path)
        };
        self.send(req, &mut crate::transport::Hooks::default())?;
        Ok(())
    }
}
