//! The v3 file store. Public files are the account's IPFS pins (the legacy
//! `PinRow`s): a public v3 upload is a pin, and every active pin is a public v3
//! file, so one store answers both APIs. Private files live only here. See
//! emulator/README.md "v3 files and the legacy pin list".

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};

use crate::ids::now;
use crate::state::{App, PinRow, State};

/// `public` (IPFS) or `private`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Network {
    /// IPFS: the legacy pin list shows these.
    Public,
    /// Private files: never in the pin list nor on `/ipfs/`.
    Private,
}

impl Network {
    /// Parses the path segment or form field.
    pub fn parse(s: &str) -> Option<Network> {
        match s {
            "public" => Some(Network::Public),
            "private" => Some(Network::Private),
            _ => None,
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Network::Public => "public",
            Network::Private => "private",
        }
    }
}

/// One v3 file as the API shows it.
#[derive(Clone, Debug)]
pub struct FileRow {
    /// File id (UUIDv7 for v3 uploads; a legacy pin keeps its pin id).
    pub id: String,
    /// Name.
    pub name: Option<String>,
    /// CID (`pending` until computed; the emulator always knows it).
    pub cid: String,
    /// Size in bytes (the root's cumulative DAG size, as the pin list shows).
    pub size: u64,
    /// Files in the upload.
    pub number_of_files: u64,
    /// MIME type.
    pub mime_type: String,
    /// Group id.
    pub group_id: Option<String>,
    /// Keyvalues (`{}` when none).
    pub keyvalues: Map<String, Value>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Network.
    pub network: Network,
    /// Unix seconds at which the file is deleted, if set.
    pub expires_at: Option<i64>,
    /// Creation order (tie breaker).
    pub seq: u64,
}

impl FileRow {
    /// The file object of the v3 API (`created_at` with microseconds).
    pub fn to_json(&self, user_id: &str) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "cid": self.cid,
            "size": self.size,
            "number_of_files": self.number_of_files,
            "mime_type": self.mime_type,
            "group_id": self.group_id,
            "keyvalues": self.keyvalues,
            "created_at": self.created_at.to_rfc3339_opts(SecondsFormat::Micros, true),
            "user_id": user_id,
            "network": self.network.as_str(),
            "expires_at": self.expires_at,
        })
    }

    /// The public file a pin row is.
    fn of_pin(p: &PinRow, expires_at: Option<i64>) -> FileRow {
        FileRow {
            id: p.id.clone(),
            name: p.name.clone(),
            cid: p.cid.clone(),
            size: p.size,
            number_of_files: p.number_of_files.unwrap_or(1),
            mime_type: p
                .mime_type
                .clone()
                .unwrap_or_else(|| "application/octet-stream".into()),
            group_id: p.group_id.clone(),
            keyvalues: p.keyvalues.clone().unwrap_or_default(),
            created_at: p.date_pinned,
            network: Network::Public,
            expires_at,
            seq: p.seq,
        }
    }
}

/// What a finished upload (multipart, TUS, signed URL) stores.
#[derive(Clone, Debug)]
pub struct NewFile {
    /// Network.
    pub network: Network,
    /// The CID the emulator's oracle computed.
    pub cid: String,
    /// Cumulative DAG size of the root.
    pub size: u64,
    /// Files in the upload (1 unless a folder).
    pub number_of_files: u64,
    /// Name (the file name when the form had none).
    pub name: Option<String>,
    /// Keyvalues.
    pub keyvalues: Map<String, Value>,
    /// MIME type.
    pub mime_type: String,
    /// Group id.
    pub group_id: Option<String>,
    /// Unix seconds of automatic deletion.
    pub expires_at: Option<i64>,
}

/// The v3-only state (one field of `State`).
#[derive(Default, Debug)]
pub struct V3Store {
    /// Private files, oldest first.
    pub private: Vec<FileRow>,
    /// `expires_at` of public files (kept beside their pin rows).
    pub public_expiry: HashMap<String, i64>,
    /// Signed upload URLs by their id.
    pub signed: HashMap<String, crate::v3::signed::SignedUpload>,
}

/// A fresh UUIDv7 (48-bit millisecond time, version 7, variant, random).
pub fn uuid7() -> String {
    let ms = Utc::now().timestamp_millis() as u64;
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("OS random source");
    b[..6].copy_from_slice(&ms.to_be_bytes()[2..]);
    b[6] = 0x70 | (b[6] & 0x0f);
    b[8] = 0x80 | (b[8] & 0x3f);
    uuid::Uuid::from_bytes(b).to_string()
}

/// Removes files whose `expires_at` has passed (called before every read).
pub fn expire(st: &mut State) {
    let t = now().timestamp();
    st.v3.private.retain(|f| f.expires_at.is_none_or(|e| e > t));
    let gone: Vec<String> = st
        .v3
        .public_expiry
        .iter()
        .filter(|(_, e)| **e <= t)
        .map(|(id, _)| id.clone())
        .collect();
    for id in gone {
        st.v3.public_expiry.remove(&id);
        if let Some(p) = st.pins.iter_mut().find(|p| p.id == id && p.active()) {
            p.date_unpinned = Some(now());
        }
    }
}

/// Every file of a network, oldest first.
pub fn files(st: &mut State, network: Network) -> Vec<FileRow> {
    expire(st);
    let mut out: Vec<FileRow> = match network {
        Network::Private => st.v3.private.clone(),
        Network::Public => st
            .pins
            .iter()
            .filter(|p| p.active())
            .map(|p| FileRow::of_pin(p, st.v3.public_expiry.get(&p.id).copied()))
            .collect(),
    };
    out.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.seq.cmp(&b.seq)));
    out
}

/// One file by id.
pub fn get(st: &mut State, network: Network, id: &str) -> Option<FileRow> {
    files(st, network).into_iter().find(|f| f.id == id)
}

/// Stores a finished upload and returns its row with `is_duplicate`: when the
/// network already holds the CID, nothing is stored and the existing row is
/// returned (as legacy pinning does with `isDuplicate`). Callable by every
/// upload path (multipart here, TUS, signed URLs).
pub fn insert_file(app: &App, f: NewFile) -> (FileRow, bool) {
    let mut st = app.lock();
    if let Some(existing) = files(&mut st, f.network)
        .into_iter()
        .find(|r| r.cid == f.cid)
    {
        return (existing, true);
    }
    let t = now();
    let seq = st.next_seq();
    let id = uuid7();
    let row = FileRow {
        id: id.clone(),
        name: f.name,
        cid: f.cid,
        size: f.size,
        number_of_files: f.number_of_files,
        mime_type: f.mime_type,
        group_id: f.group_id,
        keyvalues: f.keyvalues,
        created_at: t,
        network: f.network,
        expires_at: f.expires_at,
        seq,
    };
    match f.network {
        Network::Private => st.v3.private.push(row.clone()),
        Network::Public => {
            if let Some(e) = row.expires_at {
                st.v3.public_expiry.insert(id.clone(), e);
            }
            st.pins.push(PinRow {
                id,
                cid: row.cid.clone(),
                size: row.size,
                date_pinned: t,
                date_unpinned: None,
                name: row.name.clone(),
                keyvalues: Some(row.keyvalues.clone()),
                mime_type: Some(row.mime_type.clone()),
                number_of_files: Some(row.number_of_files),
                group_id: row.group_id.clone(),
                seq,
            });
        }
    }
    (row, false)
}

/// Changes a file's name, keyvalues (merged; a `null` value deletes the key)
/// and expiry. Returns the updated row, or `None` when there is no such file.
pub fn update(
    st: &mut State,
    network: Network,
    id: &str,
    name: Option<String>,
    keyvalues: Option<Map<String, Value>>,
    expires_at: Option<i64>,
) -> Option<FileRow> {
    get(st, network, id)?;
    let merge = |target: &mut Map<String, Value>| {
        if let Some(kv) = &keyvalues {
            for (k, v) in kv {
                if v.is_null() {
                    target.remove(k);
                } else {
                    target.insert(k.clone(), v.clone());
                }
            }
        }
    };
    match network {
        Network::Private => {
            let f = st.v3.private.iter_mut().find(|f| f.id == id)?;
            if let Some(n) = name {
                f.name = Some(n);
            }
            merge(&mut f.keyvalues);
            if expires_at.is_some() {
                f.expires_at = expires_at;
            }
        }
        Network::Public => {
            let p = st.pins.iter_mut().find(|p| p.id == id && p.active())?;
            if let Some(n) = name {
                p.name = Some(n);
            }
            let mut kv = p.keyvalues.take().unwrap_or_default();
            merge(&mut kv);
            p.keyvalues = Some(kv);
            if let Some(e) = expires_at {
                st.v3.public_expiry.insert(id.to_string(), e);
            }
        }
    }
    get(st, network, id)
}

/// Deletes a file (a public one is unpinned). False when there is no such file.
pub fn delete(st: &mut State, network: Network, id: &str) -> bool {
    if get(st, network, id).is_none() {
        return false;
    }
    match network {
        Network::Private => st.v3.private.retain(|f| f.id != id),
        Network::Public => {
            st.v3.public_expiry.remove(id);
            if let Some(p) = st.pins.iter_mut().find(|p| p.id == id && p.active()) {
                p.date_unpinned = Some(now());
            }
        }
    }
    true
}

/// A file of either network holding `cid` (the private gateway's lookup).
pub fn find_by_cid(st: &mut State, cid: &str) -> Option<FileRow> {
    files(st, Network::Private)
        .into_iter()
        .chain(files(st, Network::Public))
        .find(|f| f.cid == cid)
}
