//! The pinning API: upload a file or directory streamed from disk, bytes or JSON; pin an
//! existing CID (jobs); update metadata; unpin. Endpoints under `/pinning/`.

use crate::cid::{
    parse_cid, verify_nodes, walk_dir, Node, Profile, TreeVerifier, Verification, Verifier,
    WalkKind,
};
use crate::client::Client;
use crate::error::{Error, Result, Status};
use crate::multipart::{Multipart, Observer, Threaded};
use crate::transport::{Body, Hooks, Method, Request, Response};
use crate::util::{
    check_len, check_text, json_document, json_number, opt_str, opt_u64, path_segment,
    query_string, str_field, value_as_text, value_as_u64,
};
use serde_json::{json, Map, Value};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// At most this many keyvalues per pin (Pinata's limit).
pub const MAX_KEYVALUES: usize = 10;
/// At most this many host nodes for pin by CID.
pub const MAX_HOST_NODES: usize = 5;
/// Largest pinJSONToIPFS body Pinata accepts (10 MB).
pub const MAX_JSON_BYTES: usize = 10 * 1000 * 1000;

/// Metadata shared by uploads and pin by CID: a name and up to 10 keyvalues whose
/// values are strings or numbers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Metadata {
    /// The pin's name.
    pub name: Option<String>,
    /// Keyvalues (string or number values).
    pub keyvalues: Map<String, Value>,
}

impl Metadata {
    /// Sets a string keyvalue; more than 10 distinct keys is refused.
    pub fn set_string(&mut self, key: &str, value: &str) -> Result<()> {
        self.set(key, Value::String(value.to_string()))
    }

    /// Sets a number keyvalue (must be finite).
    pub fn set_number(&mut self, key: &str, value: f64) -> Result<()> {
        self.set(key, json_number(value)?)
    }

    /// Removes a key (Pinata deletes keys mapped to null on metadata updates).
    pub fn remove(&mut self, key: &str) -> Result<()> {
        self.set(key, Value::Null)
    }

    fn set(&mut self, key: &str, value: Value) -> Result<()> {
        check_text("key", key)?;
        if let Value::String(text) = &value {
            check_len("value", text)?;
        }
        if !self.keyvalues.contains_key(key) && self.keyvalues.len() >= MAX_KEYVALUES {
            return Err(Error::invalid_argument(format!(
                "at most {MAX_KEYVALUES} keyvalues are allowed per pin"
            )));
        }
        self.keyvalues.insert(key.to_string(), value);
        Ok(())
    }

    fn to_json(&self) -> Value {
        serde_json::to_value(self.json_view()).expect("metadata always serializes")
    }

    /// The `pinataMetadata` object, serializable without building a JSON tree.
    fn json_view(&self) -> MetadataJson<'_> {
        MetadataJson {
            name: self.name.as_deref(),
            keyvalues: &self.keyvalues,
        }
    }
}

/// `pinataMetadata` as sent: absent parts are left out.
#[derive(serde::Serialize)]
struct MetadataJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Map::is_empty")]
    keyvalues: &'a Map<String, Value>,
}

/// `pinataOptions` of an upload as sent: absent parts are left out.
#[derive(serde::Serialize)]
struct UploadOptionsJson<'a> {
    #[serde(rename = "cidVersion", skip_serializing_if = "Option::is_none")]
    cid_version: Option<u8>,
    #[serde(
        rename = "wrapWithDirectory",
        skip_serializing_if = "std::ops::Not::not"
    )]
    wrap_with_directory: bool,
    #[serde(rename = "groupId", skip_serializing_if = "Option::is_none")]
    group_id: Option<&'a str>,
}

impl UploadOptionsJson<'_> {
    fn is_empty(&self) -> bool {
        self.cid_version.is_none() && !self.wrap_with_directory && self.group_id.is_none()
    }
}

/// Options for every pin call: uploads (`pinFileToIPFS`, `pinJSONToIPFS`) and pin by
/// CID (`pinByHash`), which uses only the metadata, the group and the host nodes.
#[derive(Clone, Debug, PartialEq)]
pub struct PinOptions {
    /// Name and keyvalues.
    pub metadata: Metadata,
    /// Pin by CID only: multiaddrs of nodes that have the content (at most 5).
    pub host_nodes: Vec<String>,
    /// 0 or 1; `None` leaves the service's default (v0 on the legacy API).
    pub cid_version: Option<u8>,
    /// Wrap the upload in a directory.
    pub wrap_with_directory: bool,
    /// Put the pin in this group.
    pub group_id: Option<String>,
    /// Compare the service's CID with the locally computed one (default on).
    pub verify_cid: bool,
}

impl Default for PinOptions {
    fn default() -> Self {
        PinOptions {
            metadata: Metadata::default(),
            host_nodes: Vec::new(),
            cid_version: None,
            wrap_with_directory: false,
            group_id: None,
            verify_cid: true,
        }
    }
}

/// Checks a CID version for uploads: 0 or 1.
fn check_cid_version(version: u8) -> Result<()> {
    if version > 1 {
        return Err(Error::invalid_argument("`cid_version` must be 0 or 1"));
    }
    Ok(())
}

impl PinOptions {
    /// Sets the CID version of uploads (0 or 1; `None`: the service's default),
    /// checked now rather than at the upload.
    pub fn set_cid_version(&mut self, cid_version: Option<u8>) -> Result<()> {
        if let Some(v) = cid_version {
            check_cid_version(v)?;
        }
        self.cid_version = cid_version;
        Ok(())
    }

    /// Adds a host node for pin by CID (a multiaddr, starting with '/'); at most 5.
    /// A refused node leaves the list as it was.
    pub fn add_host_node(&mut self, multiaddr: &str) -> Result<()> {
        check_host_node("multiaddr", multiaddr)?;
        check_host_node_count(self.host_nodes.len() + 1)?;
        self.host_nodes.push(multiaddr.to_string());
        Ok(())
    }

    /// The CID profile the service will use.
    fn profile(&self) -> Profile {
        if self.cid_version == Some(1) {
            Profile::V1
        } else {
            Profile::V0
        }
    }

    fn options_json(&self) -> Value {
        serde_json::to_value(self.options_view()).expect("options always serialize")
    }

    /// The `pinataOptions` object, serializable without building a JSON tree.
    fn options_view(&self) -> UploadOptionsJson<'_> {
        UploadOptionsJson {
            cid_version: self.cid_version,
            wrap_with_directory: self.wrap_with_directory,
            group_id: self.group_id.as_deref(),
        }
    }

    pub(crate) fn validate(&self) -> Result<()> {
        if let Some(name) = &self.metadata.name {
            check_len("name", name)?;
        }
        if let Some(group) = &self.group_id {
            check_text("group_id", group)?;
        }
        if let Some(v) = self.cid_version {
            check_cid_version(v)?;
        }
        if self.metadata.keyvalues.len() > MAX_KEYVALUES {
            return Err(Error::invalid_argument(format!(
                "at most {MAX_KEYVALUES} keyvalues are allowed per pin"
            )));
        }
        Ok(())
    }
}

/// What the CID check concluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CidCheck {
    /// Verification was off.
    NotChecked,
    /// The service's CID equals the local one.
    Verified,
    /// No local profile applies to the service's CID (see `cid.md` §6.9); nothing is
    /// concluded. A mismatch is never reported this way: it is an error.
    Unverifiable,
}

/// The service's answer to an upload.
#[derive(Clone, Debug, PartialEq)]
pub struct PinResult {
    /// The CID (`IpfsHash`).
    pub cid: String,
    /// `PinSize` in bytes.
    pub pin_size: u64,
    /// `Timestamp` (ISO-8601).
    pub timestamp: String,
    /// Whether the service reported the CID as already pinned.
    pub is_duplicate: bool,
    /// The CID computed locally from the bytes sent, when verification was on: in the
    /// profile that matched the service's CID, otherwise in the requested one.
    pub local_cid: Option<String>,
    /// The verification outcome.
    pub check: CidCheck,
    /// The CID profile whose local CID equals the service's, when the check matched
    /// one (the requested profile first when several did).
    pub profile: Option<Profile>,
    /// The profiles hashed to check this upload (empty when the check was off): one
    /// for v0; both v1 profiles until the client has learned its service's one; one
    /// after that, plus the others again when the learned one stopped matching.
    pub hashed: Vec<Profile>,
    /// The whole JSON answer, as the service sent it.
    pub raw_json: String,
}

/// Feeds uploaded file bytes to the CID verifier, in the same pass as the upload.
pub(crate) enum Tee {
    File(Verifier),
    Tree(TreeVerifier),
}

impl Observer for Tee {
    fn start(&mut self, rel_path: &str) -> Result<()> {
        match self {
            Tee::File(_) => Ok(()),
            Tee::Tree(t) => t.start_file(rel_path).map_err(Error::from),
        }
    }
    fn data(&mut self, bytes: &[u8]) {
        match self {
            Tee::File(v) => v.update(bytes),
            Tee::Tree(t) => t.update(bytes),
        }
    }
    fn end(&mut self) -> Result<()> {
        match self {
            Tee::File(_) => Ok(()),
            Tee::Tree(t) => t.end_file().map_err(Error::from),
        }
    }
}

impl Tee {
    /// A verifier of `profile`, plus unixfs-v1-2025 for a v1 profile: v0 answers are
    /// checked exactly; v1 dag-pb answers may come from either v1 profile (cid.md
    /// §6.9). (The v3 upload checks this way; pinFileToIPFS hashes one profile per tee,
    /// see [`Tee::single`].)
    pub(crate) fn new(profile: Profile, tree: bool) -> Tee {
        let extra: &[Profile] = match profile {
            Profile::V0 => &[],
            _ => &[Profile::V1Modern],
        };
        if tree {
            Tee::Tree(TreeVerifier::with_profiles(profile, extra))
        } else {
            Tee::File(Verifier::with_profiles(profile, extra))
        }
    }

    /// A verifier of one profile (several profiles run as several tees, each on its
    /// own thread during uploads).
    pub(crate) fn single(profile: Profile, tree: bool) -> Tee {
        if tree {
            Tee::Tree(TreeVerifier::with_profiles(profile, &[]))
        } else {
            Tee::File(Verifier::with_profiles(profile, &[]))
        }
    }

    /// The local node of the (first) profile.
    fn node(&self) -> Result<Node> {
        Ok(match self {
            Tee::File(v) => v.local_cid(),
            Tee::Tree(t) => t.local_cid()?,
        })
    }

    pub(crate) fn local_cid(&self) -> Result<String> {
        Ok(self.node()?.cid.to_string())
    }

    pub(crate) fn verify(&self, returned: &str) -> Verification {
        match self {
            Tee::File(v) => v.verify(returned),
            Tee::Tree(t) => t.verify(returned),
        }
    }
}

/// An observer that hands the finished verifier back through a shared slot when the
/// body has been read to its end.
pub(crate) struct SlotObserver {
    pub(crate) tee: Option<Tee>,
    pub(crate) slot: Arc<Mutex<Option<Tee>>>,
    pub(crate) files_left: usize,
}

impl Observer for SlotObserver {
    fn start(&mut self, rel_path: &str) -> Result<()> {
        self.tee.as_mut().map_or(Ok(()), |t| t.start(rel_path))
    }
    fn data(&mut self, bytes: &[u8]) {
        if let Some(t) = self.tee.as_mut() {
            t.data(bytes);
        }
    }
    fn end(&mut self) -> Result<()> {
        if let Some(t) = self.tee.as_mut() {
            t.end()?;
        }
        self.files_left = self.files_left.saturating_sub(1);
        if self.files_left == 0 {
            *self.slot.lock().unwrap_or_else(|p| p.into_inner()) = self.tee.take();
        }
        Ok(())
    }
}

/// Parses an upload answer `{IpfsHash, PinSize, Timestamp, isDuplicate?}`.
pub(crate) fn parse_pin_answer(resp: Response) -> Result<PinResult> {
    /// The fields a pin answer is read for; the others are skipped without being stored.
    #[derive(serde::Deserialize)]
    struct Fields {
        #[serde(rename = "IpfsHash")]
        ipfs_hash: Option<Value>,
        #[serde(rename = "PinSize")]
        pin_size: Option<Value>,
        #[serde(rename = "Timestamp")]
        timestamp: Option<Value>,
        #[serde(rename = "isDuplicate")]
        is_duplicate: Option<Value>,
    }
    let fields: Fields = match serde_json::from_slice(&resp.body) {
        Ok(fields) => fields,
        // Valid JSON of another shape (not an object, a field given twice).
        Err(e) if e.is_data() => {
            return Err(
                Error::protocol(format!("the response is not a pin answer: {e}")).with_http(
                    resp.status,
                    None,
                    None,
                    None,
                ),
            )
        }
        Err(e) => return Err(resp.invalid_json(e)),
    };
    let cid = match fields.ipfs_hash {
        Some(Value::String(cid)) => cid,
        _ => {
            return Err(Error::protocol(
                "the response lacks the string field `IpfsHash`",
            ))
        }
    };
    let pin_size = fields
        .pin_size
        .as_ref()
        .and_then(value_as_u64)
        .ok_or_else(|| Error::protocol("the response lacks the number `PinSize`"))?;
    Ok(PinResult {
        cid,
        pin_size,
        timestamp: fields.timestamp.and_then(value_as_text).unwrap_or_default(),
        is_duplicate: fields
            .is_duplicate
            .as_ref()
            .and_then(Value::as_bool)
            .unwrap_or(false),
        local_cid: None,
        check: CidCheck::NotChecked,
        profile: None,
        hashed: Vec::new(),
        raw_json: String::from_utf8(resp.body)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    })
}

/// The v1 profiles a service may answer in (cid.md §6.9).
const V1_PROFILES: [Profile; 2] = [Profile::V1, Profile::V1Modern];

/// Feeds the same bytes to several observers (one per profile, each usually on its
/// own hashing thread).
struct Fanout(Vec<Box<dyn Observer>>);

impl Observer for Fanout {
    fn start(&mut self, rel_path: &str) -> Result<()> {
        self.0.iter_mut().try_for_each(|o| o.start(rel_path))
    }
    fn data(&mut self, bytes: &[u8]) {
        self.0.iter_mut().for_each(|o| o.data(bytes))
    }
    fn end(&mut self) -> Result<()> {
        self.0.iter_mut().try_for_each(|o| o.end())
    }
}

impl Client {
    /// The profiles to hash for a check of `requested`: v0 alone; for v1 the one
    /// learned for this base URL, or both v1 profiles.
    fn profiles_to_hash(&self, requested: Profile) -> Vec<Profile> {
        if requested == Profile::V0 {
            return vec![Profile::V0];
        }
        match self.profile_memory().get(self.base_url()) {
            Some(learned) => vec![learned],
            None => V1_PROFILES.to_vec(),
        }
    }

    /// Settles the CID check of `result` from the local nodes of the profiles hashed.
    /// When a learned v1 profile alone did not match, the other is computed now with
    /// `rehash` (the upload is not repeated) and the learned one is forgotten; a v1
    /// check that hashed both profiles and matched exactly one teaches it. A mismatch
    /// is `PINATA_E_INTEGRITY`.
    fn settle_check(
        &self,
        result: &mut PinResult,
        requested: Profile,
        mut locals: Vec<(Profile, Node)>,
        single_file: bool,
        rehash: impl FnOnce(&[Profile]) -> Vec<(Profile, Node)>,
    ) -> Result<()> {
        let memory = self.profile_memory();
        let base = self.base_url();
        let (mut outcome, mut matched) = verify_nodes(&result.cid, &locals, single_file);
        let v1 = requested != Profile::V0;
        if v1 && outcome != Verification::Match && locals.len() == 1 {
            memory.forget(base);
            let missing: Vec<Profile> = V1_PROFILES
                .into_iter()
                .filter(|p| !locals.iter().any(|(q, _)| q == p))
                .collect();
            locals.extend(rehash(&missing));
            (outcome, matched) = verify_nodes(&result.cid, &locals, single_file);
        }
        if v1 && outcome == Verification::Match && matched.len() == 1 && locals.len() > 1 {
            memory.learn(base, matched[0]);
        }
        result.hashed = locals.iter().map(|(p, _)| *p).collect();
        result.profile = if matched.contains(&requested) {
            Some(requested)
        } else {
            matched.first().copied()
        };
        // The local CID in the profile that matched; otherwise in the requested one.
        let shown = result.profile.unwrap_or(requested);
        let local = locals
            .iter()
            .find(|(p, _)| *p == shown)
            .or_else(|| locals.first())
            .map(|(_, n)| n.cid.to_string());
        result.check = match outcome {
            Verification::Match => CidCheck::Verified,
            Verification::Unverifiable => CidCheck::Unverifiable,
            Verification::Mismatch { expected_local } => {
                return Err(Error::new(
                    Status::Integrity,
                    format!(
                        "the service returned CID {} but the content sent has CID {}",
                        result.cid, expected_local
                    ),
                ))
            }
        };
        result.local_cid = local;
        Ok(())
    }
}

/// Bodies from this size on are hashed on helper threads.
const HASH_THREAD_MIN_BYTES: u64 = 1024 * 1024;

/// Where a hashing observer leaves its verifier once the body has been read.
type Slot = Arc<Mutex<Option<Tee>>>;

/// The observer hashing an upload for the given profiles (emptying their slots
/// first): one per profile, on helper threads (one each, sharing one copy of every
/// chunk) when `threads` is set and the threads can be started, so two profiles cost
/// what one does on a spare core.
fn hashing_observer(
    slots: &[(Profile, Slot)],
    tree: bool,
    files: usize,
    threads: bool,
) -> Option<Box<dyn Observer>> {
    let mut observers: Vec<Box<dyn Observer>> = slots
        .iter()
        .map(|(profile, slot)| {
            *slot.lock().unwrap_or_else(|p| p.into_inner()) = None;
            Box::new(SlotObserver {
                tee: Some(Tee::single(*profile, tree)),
                slot: slot.clone(),
                files_left: files,
            }) as Box<dyn Observer>
        })
        .collect();
    if threads && !observers.is_empty() {
        // On the sending thread if the threads cannot be started.
        match Threaded::spawn_each(observers) {
            Ok(threaded) => return Some(Box::new(threaded)),
            Err(back) => observers = back,
        }
    }
    match observers.len() {
        0 => None,
        1 => observers.pop(),
        _ => Some(Box::new(Fanout(observers))),
    }
}

/// What checking a `pinFileToIPFS` answer needs: the profiles asked for and hashed
/// (their slots fill as the body goes out), and the body to hash again locally when a
/// learned profile alone stops matching.
pub(crate) struct PinCheck {
    requested: Profile,
    slots: Vec<(Profile, Slot)>,
    replay: Option<Multipart>,
    tree: bool,
    files: usize,
}

/// The local nodes of every slot, or `None` when a slot is empty (the body was not
/// read to its end, so nothing was checked).
fn take_nodes(slots: &[(Profile, Slot)]) -> Result<Option<Vec<(Profile, Node)>>> {
    if slots.is_empty() {
        return Ok(None);
    }
    let mut nodes = Vec::with_capacity(slots.len());
    for (profile, slot) in slots {
        match slot.lock().unwrap_or_else(|p| p.into_inner()).take() {
            Some(tee) => nodes.push((*profile, tee.node()?)),
            None => return Ok(None),
        }
    }
    Ok(Some(nodes))
}

/// The name a path is uploaded under: its last component once symlinks and `.`/`..`
/// are resolved (a link is uploaded under its target's name). Only a path whose last
/// component is a link, or is not a plain name, is canonicalized: that reads every
/// component's link, which a batch of small files would pay for each file.
fn upload_name(path: &Path, is_symlink: bool) -> Result<String> {
    let canonical;
    let plain = if is_symlink { None } else { path.file_name() };
    let name = match plain {
        Some(name) => name,
        None => {
            canonical = path.canonicalize().map_err(|e| Error::io(path, &e))?;
            canonical.file_name().ok_or_else(|| {
                Error::invalid_argument(format!("{} has no file name", path.display()))
            })?
        }
    };
    name.to_str()
        .map(str::to_string)
        .ok_or_else(|| Error::invalid_argument(format!("{} is not valid UTF-8", path.display())))
}

impl Client {
    /// Sends a planned multipart upload to `pinFileToIPFS`, verifying the CID.
    fn upload_multipart(
        &self,
        body: Multipart,
        files: usize,
        tree: bool,
        options: &PinOptions,
        hooks: &mut Hooks,
    ) -> Result<PinResult> {
        let (req, check) = self.multipart_request(body, files, tree, options);
        let resp = self.send(req, hooks)?;
        self.settle_pin(resp, check)
    }

    /// The `pinFileToIPFS` request sending `body`, and what checking its answer needs
    /// (the hashing the body's reader does as it goes out).
    fn multipart_request(
        &self,
        body: Multipart,
        files: usize,
        tree: bool,
        options: &PinOptions,
    ) -> (Request, PinCheck) {
        let requested = options.profile();
        let verify = options.verify_cid;
        let hashed = if verify {
            self.profiles_to_hash(requested)
        } else {
            Vec::new()
        };
        // A learned profile alone may stop matching: keep the plan to hash the others.
        let replay = (hashed.len() == 1 && requested != Profile::V0).then(|| body.clone());
        let slots: Vec<(Profile, Slot)> = hashed
            .iter()
            .map(|p| (*p, Arc::new(Mutex::new(None))))
            .collect();
        let len = body.len();
        let content_type = body.content_type();
        let source_slots = slots.clone();
        // Small bodies are hashed on the sending thread: starting a thread costs more
        // than hashing them (batches of small files send many).
        let threads = len >= HASH_THREAD_MIN_BYTES;
        let source = Box::new(move || {
            let observer = hashing_observer(&source_slots, tree, files, threads);
            Ok(Box::new(body.reader(observer)) as Box<dyn std::io::Read + Send>)
        });
        let req = Request {
            method: Method::Post,
            path: "/pinning/pinFileToIPFS".into(),
            body: Body::Stream {
                len,
                content_type,
                source,
                append: false,
            },
            transfer: true,
            // Content-addressed: sending it twice pins the same CID.
            idempotent: true,
        };
        let check = PinCheck {
            requested,
            slots,
            replay,
            tree,
            files,
        };
        (req, check)
    }

    /// Reads the answer of a `pinFileToIPFS` request made by [`Self::multipart_request`]
    /// and checks its CID against the one hashed while the body went out.
    pub(crate) fn settle_pin(&self, resp: Response, check: PinCheck) -> Result<PinResult> {
        let PinCheck {
            requested,
            slots,
            replay,
            tree,
            files,
        } = check;
        let mut result = parse_pin_answer(resp).map_err(|e| self.redact(e))?;
        let Some(locals) = take_nodes(&slots)? else {
            return Ok(result);
        };
        self.settle_check(&mut result, requested, locals, !tree, |missing| {
            let Some(replay) = replay else {
                return Vec::new();
            };
            // Read the planned body again locally (nothing is sent) for the others.
            let slots: Vec<(Profile, Slot)> = missing
                .iter()
                .map(|p| (*p, Arc::new(Mutex::new(None))))
                .collect();
            let observer = hashing_observer(&slots, tree, files, false);
            let mut reader = replay.reader(observer);
            match std::io::copy(&mut reader, &mut std::io::sink()) {
                Ok(_) => take_nodes(&slots).ok().flatten().unwrap_or_default(),
                Err(_) => Vec::new(),
            }
        })?;
        Ok(result)
    }

    fn start_multipart(options: &PinOptions, default_name: &str) -> Multipart {
        let mut body = Multipart::new();
        let mut metadata = options.metadata.clone();
        if metadata.name.is_none() {
            metadata.name = Some(default_name.to_string());
        }
        // Metadata and options first, so a server knows the CID version before the
        // file bytes arrive.
        body.text_field("pinataMetadata", &metadata.to_json().to_string());
        body.text_field("pinataOptions", &options.options_json().to_string());
        body
    }

    /// Pins a regular file, or a directory recursively as one CID
    /// (`POST /pinning/pinFileToIPFS`), streamed from disk: memory stays constant
    /// whatever the size.
    ///
    /// Directory policy: files are sent in sorted order under one common root (the
    /// directory's name); hidden files are included; a symlink is followed only when
    /// its target stays inside the root (one leaving the root, a dangling one or a
    /// loop is `PINATA_E_IO`); special files (FIFO, socket, device) are `PINATA_E_IO`;
    /// empty directories cannot travel in a multipart body and are left out (the
    /// verified CID is that of what was sent).
    pub fn pin_file(
        &self,
        path: &Path,
        options: &PinOptions,
        hooks: &mut Hooks,
    ) -> Result<PinResult> {
        let (req, check) = self.pin_file_request(path, options, true)?;
        let resp = self.send(req, hooks)?;
        self.settle_pin(resp, check)
    }

    /// The request [`Client::pin_file`] sends, and what checking its answer with
    /// [`Client::settle_pin`] needs. Without `allow_dir` a directory is refused as not a
    /// regular file (a batch pins files one by one).
    pub(crate) fn pin_file_request(
        &self,
        path: &Path,
        options: &PinOptions,
        allow_dir: bool,
    ) -> Result<(Request, PinCheck)> {
        options.validate()?;
        let meta = std::fs::symlink_metadata(path).map_err(|e| Error::io(path, &e))?;
        let is_link = meta.is_symlink();
        let meta = if is_link {
            std::fs::metadata(path).map_err(|e| Error::io(path, &e))?
        } else {
            meta
        };
        let name = upload_name(path, is_link)?;
        if meta.is_file() {
            let mut body = Client::start_multipart(options, &name);
            body.disk_file(&name, &name, path.to_path_buf(), meta.len())?;
            body.finish();
            let tree = options.wrap_with_directory;
            return Ok(self.multipart_request(body, 1, tree, options));
        }
        if !allow_dir {
            return Err(Error::new(
                Status::Io,
                format!("{}: not a regular file", path.display()),
            ));
        }
        if !meta.is_dir() {
            return Err(Error::new(
                Status::Io,
                format!(
                    "{}: not a regular file or directory (FIFOs, sockets and devices cannot be pinned)",
                    path.display()
                ),
            ));
        }
        let entries = walk_dir(path)?;
        let mut body = Client::start_multipart(options, &name);
        let mut files = 0;
        for entry in &entries {
            if let WalkKind::File { size } = entry.kind {
                let filename = format!("{name}/{}", entry.rel_path);
                // With wrapWithDirectory the root folder's name is part of the tree.
                let observed = if options.wrap_with_directory {
                    filename.clone()
                } else {
                    entry.rel_path.clone()
                };
                body.disk_file(&filename, &observed, entry.abs_path.clone(), size)?;
                files += 1;
            }
        }
        if files == 0 {
            return Err(Error::invalid_argument(format!(
                "{}: the directory holds no file to pin",
                path.display()
            )));
        }
        body.finish();
        Ok(self.multipart_request(body, files, true, options))
    }

    /// Pins bytes from memory as a file called `file_name`
    /// (`POST /pinning/pinFileToIPFS`).
    pub fn pin_bytes(
        &self,
        data: &[u8],
        file_name: &str,
        options: &PinOptions,
        hooks: &mut Hooks,
    ) -> Result<PinResult> {
        options.validate()?;
        check_text("file_name", file_name)?;
        if file_name.contains('/') {
            return Err(Error::invalid_argument("`file_name` must not contain '/'"));
        }
        let mut body = Client::start_multipart(options, file_name);
        body.memory_file(file_name, file_name, Arc::from(data))?;
        body.finish();
        self.upload_multipart(body, 1, options.wrap_with_directory, options, hooks)
    }

    /// Pins a JSON document (`POST /pinning/pinJSONToIPFS`). The text is validated and
    /// the 10 MB limit checked before anything is sent. The CID check applies when the
    /// document has no fractional or huge numbers, whose printing may differ between
    /// JSON implementations (the check then reports unverifiable).
    pub fn pin_json(&self, json_text: &str, options: &PinOptions) -> Result<PinResult> {
        let (req, check) = self.pin_json_request(json_text, options)?;
        let resp = self.send(req, &mut Hooks::default())?;
        self.settle_pin_json(resp, check)
    }

    /// The request of [`Client::pin_json`], and what checking its answer needs.
    pub(crate) fn pin_json_request(
        &self,
        json_text: &str,
        options: &PinOptions,
    ) -> Result<(Request, JsonPinCheck)> {
        options.validate()?;
        if options.wrap_with_directory {
            return Err(Error::invalid_argument(
                "`wrap_with_directory` does not apply to JSON pins",
            ));
        }
        // Validated without building a tree: the document travels as the caller wrote it.
        let content = json_document("json", json_text)?;
        let mut metadata = options.metadata.json_view();
        if metadata.name.is_none() {
            metadata.name = Some("json");
        }
        let pinata_options = options.options_view();
        let mut body = Vec::with_capacity(content.len() + 160);
        body.extend_from_slice(b"{\"pinataContent\":");
        body.extend_from_slice(content.as_bytes());
        body.extend_from_slice(b",\"pinataMetadata\":");
        serde_json::to_writer(&mut body, &metadata).expect("metadata always serializes");
        if !pinata_options.is_empty() {
            body.extend_from_slice(b",\"pinataOptions\":");
            serde_json::to_writer(&mut body, &pinata_options).expect("options always serialize");
        }
        body.push(b'}');
        if body.len() > MAX_JSON_BYTES {
            return Err(Error::invalid_argument(format!(
                "the JSON body is {} bytes; Pinata accepts at most {MAX_JSON_BYTES}",
                body.len()
            )));
        }
        let req = Request {
            method: Method::Post,
            path: "/pinning/pinJSONToIPFS".into(),
            body: Body::Bytes {
                data: Arc::from(body),
                content_type: "application/json".into(),
            },
            transfer: false,
            idempotent: true,
        };
        let check = JsonPinCheck {
            content: options.verify_cid.then(|| content.to_owned()),
            requested: options.profile(),
        };
        Ok((req, check))
    }

    /// Reads the answer of a JSON pin and checks its CID against the document.
    pub(crate) fn settle_pin_json(&self, resp: Response, check: JsonPinCheck) -> Result<PinResult> {
        let mut result = parse_pin_answer(resp).map_err(|e| self.redact(e))?;
        if let Some(content) = check.content {
            // The service stores the document as its JSON.stringify prints it: compact,
            // keys in JavaScript's property order, so the CID is computed over that form.
            let mut tree: Value = serde_json::from_str(&content).expect("validated before");
            order_keys_as_javascript(&mut tree);
            let content_bytes = serde_json::to_vec(&tree).expect("a Value always serializes");
            let requested = check.requested;
            let hash = |profiles: &[Profile]| -> Vec<(Profile, Node)> {
                profiles
                    .iter()
                    .map(|p| {
                        let mut tee = Verifier::with_profiles(*p, &[]);
                        tee.update(&content_bytes);
                        (*p, tee.local_cid())
                    })
                    .collect()
            };
            if json_numbers_are_portable(&tree) {
                let locals = hash(&self.profiles_to_hash(requested));
                self.settle_check(&mut result, requested, locals, true, hash)?;
            } else {
                let local = hash(&[requested]).remove(0).1;
                result.local_cid = Some(local.cid.to_string());
                result.check = CidCheck::Unverifiable;
            }
        }
        Ok(result)
    }
}

/// What checking a JSON pin's answer needs: the document when its CID is to be checked,
/// and the profile asked for.
pub(crate) struct JsonPinCheck {
    content: Option<String>,
    requested: Profile,
}

/// Puts every object's keys in the order JavaScript enumerates them (and so
/// `JSON.stringify` prints them): keys that are array indexes (canonical integers
/// 0..=2^32-2) first, ascending by value, then the other keys in insertion order.
fn order_keys_as_javascript(v: &mut Value) {
    fn array_index(key: &str) -> Option<u32> {
        let n: u32 = key.parse().ok()?;
        (n != u32::MAX && n.to_string() == key).then_some(n)
    }
    match v {
        Value::Array(a) => a.iter_mut().for_each(order_keys_as_javascript),
        Value::Object(o) => {
            o.values_mut().for_each(order_keys_as_javascript);
            if o.keys().any(|k| array_index(k).is_some()) {
                let mut entries: Vec<(String, Value)> = std::mem::take(o).into_iter().collect();
                // A stable sort keeps the other keys in their order.
                entries.sort_by_key(|(k, _)| array_index(k).map_or((1, 0), |n| (0, n)));
                o.extend(entries);
            }
        }
        _ => {}
    }
}

/// Whether every number prints the same in every JSON implementation: integers
/// within ±2^53 do; fractions and larger integers may not.
fn json_numbers_are_portable(v: &Value) -> bool {
    match v {
        Value::Number(n) => n
            .as_i64()
            .map(|i| i.unsigned_abs() <= (1u64 << 53))
            .or_else(|| n.as_u64().map(|u| u <= (1u64 << 53)))
            .unwrap_or(false),
        Value::Array(a) => a.iter().all(json_numbers_are_portable),
        Value::Object(o) => o.values().all(json_numbers_are_portable),
        _ => true,
    }
}

/// A pin-by-CID job.
#[derive(Clone, Debug, PartialEq)]
pub struct PinJob {
    /// The job id.
    pub id: String,
    /// The CID being pinned.
    pub cid: String,
    /// `prechecking`, `searching`, `retrieving`, `expired`, ...
    pub status: String,
    /// The pin's name, if any.
    pub name: Option<String>,
    /// When it was queued (list rows only).
    pub date_queued: Option<String>,
    /// The whole JSON row.
    pub raw: Value,
}

impl PinJob {
    pub(crate) fn from_json(v: Value) -> Result<PinJob> {
        let cid = opt_str(&v, "ipfsHash")
            .or_else(|| opt_str(&v, "ipfs_pin_hash"))
            .ok_or_else(|| Error::protocol("the pin job lacks its CID"))?;
        Ok(PinJob {
            id: str_field(&v, "id")?,
            cid,
            status: str_field(&v, "status")?,
            name: opt_str(&v, "name"),
            date_queued: opt_str(&v, "date_queued"),
            raw: v,
        })
    }
}

/// Filters for listing pin jobs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PinJobQuery {
    /// Oldest first (`Some(true)`, `sort=ASC`) or newest first (`Some(false)`).
    pub ascending: Option<bool>,
    /// Only jobs in this status.
    pub status: Option<String>,
    /// Only jobs for this CID.
    pub cid: Option<String>,
    /// Page size (1–1000).
    pub limit: Option<u32>,
    /// Rows to skip.
    pub offset: Option<u64>,
}

impl PinJobQuery {
    /// Checks the filters (text, CID, a page size of 1–1000) without sending
    /// anything; [`Client::pin_jobs`] checks them too.
    pub fn check(&self) -> Result<()> {
        if let Some(s) = &self.status {
            check_text("status", s)?;
        }
        if let Some(c) = &self.cid {
            check_cid(c)?;
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
}

/// One page of pin jobs.
#[derive(Clone, Debug, PartialEq)]
pub struct PinJobPage {
    /// The total count the service reported.
    pub count: Option<u64>,
    /// The rows.
    pub jobs: Vec<PinJob>,
}

/// Refuses more than [`MAX_HOST_NODES`] host nodes.
fn check_host_node_count(count: usize) -> Result<()> {
    if count > MAX_HOST_NODES {
        return Err(Error::invalid_argument(format!(
            "at most {MAX_HOST_NODES} host nodes are allowed"
        )));
    }
    Ok(())
}

/// Checks one pin-by-CID host node: a multiaddr (text starting with '/'). `name` is
/// the argument named in the error message.
fn check_host_node(name: &str, node: &str) -> Result<()> {
    check_text(name, node)?;
    if !node.starts_with('/') {
        return Err(Error::invalid_argument(format!(
            "`{name}` {node:?} is not a multiaddr (it must start with '/')"
        )));
    }
    Ok(())
}

/// Checks a CID argument before any request (`PINATA_E_INVALID_ARGUMENT` if malformed).
pub(crate) fn check_cid(cid: &str) -> Result<()> {
    parse_cid(cid)
        .map(|_| ())
        .map_err(|e| Error::invalid_argument(format!("`cid` is not a valid CID: {e}")))
}

impl Client {
    /// Asks the service to pin an existing CID (`POST /pinning/pinByHash`); returns the
    /// queued job. Of the options, the metadata, group and host nodes apply.
    pub fn pin_by_cid(&self, cid: &str, options: &PinOptions) -> Result<PinJob> {
        check_cid(cid)?;
        if let Some(name) = &options.metadata.name {
            check_len("name", name)?;
        }
        if let Some(group) = &options.group_id {
            check_text("group_id", group)?;
        }
        check_host_node_count(options.host_nodes.len())?;
        for node in &options.host_nodes {
            check_host_node("host_nodes", node)?;
        }
        let mut body = json!({ "hashToPin": cid, "pinataMetadata": options.metadata.to_json() });
        let mut opts = Map::new();
        if !options.host_nodes.is_empty() {
            opts.insert("hostNodes".into(), json!(options.host_nodes));
        }
        if let Some(g) = &options.group_id {
            opts.insert("groupId".into(), json!(g));
        }
        if !opts.is_empty() {
            body["pinataOptions"] = Value::Object(opts);
        }
        let v = self.send_json(Request::json(Method::Post, "/pinning/pinByHash", &body))?;
        PinJob::from_json(v)
    }

    /// Lists pin-by-CID jobs (`GET /pinning/pinJobs`).
    pub fn pin_jobs(&self, query: &PinJobQuery) -> Result<PinJobPage> {
        query.check()?;
        let mut params: Vec<(String, String)> = Vec::new();
        if let Some(asc) = query.ascending {
            params.push(("sort".into(), if asc { "ASC" } else { "DESC" }.into()));
        }
        if let Some(s) = &query.status {
            params.push(("status".into(), s.clone()));
        }
        if let Some(c) = &query.cid {
            params.push(("ipfs_pin_hash".into(), c.clone()));
        }
        if let Some(l) = query.limit {
            params.push(("limit".into(), l.to_string()));
        }
        if let Some(o) = query.offset {
            params.push(("offset".into(), o.to_string()));
        }
        let v = self.send_json(Request::get(format!(
            "/pinning/pinJobs{}",
            query_string(&params)
        )))?;
        let rows = v
            .get("rows")
            .and_then(Value::as_array)
            .ok_or_else(|| Error::protocol("the pin job list lacks `rows`"))?;
        Ok(PinJobPage {
            count: opt_u64(&v, "count"),
            jobs: rows
                .iter()
                .cloned()
                .map(PinJob::from_json)
                .collect::<Result<_>>()?,
        })
    }

    /// Updates a pin's name and keyvalues (`PUT /pinning/hashMetadata`). `change`'s
    /// keyvalues are merged into the existing ones; keys set with
    /// [`Metadata::remove`] are deleted; a `name` replaces the name.
    pub fn update_metadata(&self, cid: &str, change: &Metadata) -> Result<()> {
        check_cid(cid)?;
        let mut body = json!({ "ipfsPinHash": cid });
        if let Some(n) = &change.name {
            body["name"] = json!(n);
        }
        if !change.keyvalues.is_empty() {
            body["keyvalues"] = Value::Object(change.keyvalues.clone());
        }
        self.send(
            Request::json(Method::Put, "/pinning/hashMetadata", &body),
            &mut Hooks::default(),
        )?;
        Ok(())
    }

    /// Unpins a CID (`DELETE /pinning/unpin/{cid}`). A CID this account has not pinned
    /// gives `PINATA_E_NOT_FOUND` with reason `CURRENT_USER_HAS_NOT_PINNED_CID`.
    pub fn unpin(&self, cid: &str) -> Result<()> {
        check_cid(cid)?;
        self.send(
            Request::bodyless(
                Method::Delete,
                format!("/pinning/unpin/{}", path_segment(cid)),
            ),
            &mut Hooks::default(),
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_limits() {
        let mut m = Metadata::default();
        for i in 0..10 {
            m.set_string(&format!("k{i}"), "v").unwrap();
        }
        assert!(m.set_string("k10", "v").is_err());
        assert!(m.set_string("k3", "replaced").is_ok());
        assert!(m.set_number("k4", f64::NAN).is_err());
        m.set_number("k5", 3.0).unwrap();
        assert_eq!(m.keyvalues["k5"], json!(3));
        m.set_number("k6", 2.5).unwrap();
        assert_eq!(m.keyvalues["k6"], json!(2.5));
        assert!(m.set_string("bad\nkey", "v").is_err());
    }

    #[test]
    fn host_nodes_and_cid_version_are_checked_when_set() {
        let mut o = PinOptions::default();
        for i in 0..MAX_HOST_NODES {
            o.add_host_node(&format!("/ip4/10.0.0.{i}/tcp/4001"))
                .unwrap();
        }
        let e = o.add_host_node("/ip4/10.0.0.9/tcp/4001").unwrap_err();
        assert!(e.message().contains("at most 5"));
        assert_eq!(o.host_nodes.len(), MAX_HOST_NODES);
        let mut o = PinOptions::default();
        assert!(o.add_host_node("not-a-multiaddr").is_err());
        assert!(o
            .add_host_node("")
            .unwrap_err()
            .message()
            .contains("multiaddr"));
        assert!(o.host_nodes.is_empty());
        assert!(o.set_cid_version(Some(2)).is_err());
        o.set_cid_version(Some(1)).unwrap();
        assert_eq!(o.cid_version, Some(1));
        assert!(PinJobQuery {
            limit: Some(1001),
            ..Default::default()
        }
        .check()
        .is_err());
    }

    #[test]
    fn options_json() {
        let o = PinOptions {
            cid_version: Some(1),
            wrap_with_directory: true,
            group_id: Some("g".into()),
            ..Default::default()
        };
        assert_eq!(
            o.options_json(),
            json!({"cidVersion": 1, "wrapWithDirectory": true, "groupId": "g"})
        );
        assert!(PinOptions {
            cid_version: Some(2),
            ..Default::default()
        }
        .validate()
        .is_err());
    }

    #[test]
    fn pin_answers_are_read_field_by_field() {
        let answer = |body: &str| {
            parse_pin_answer(Response {
                status: 200,
                headers: Vec::new(),
                body: body.as_bytes().to_vec(),
            })
        };
        let body =
            r#"{"IpfsHash":"QmX","PinSize":"12","Timestamp":"t","isDuplicate":true,"x":[[1]]}"#;
        let r = answer(body).unwrap();
        assert_eq!(
            (r.cid.as_str(), r.pin_size, r.timestamp.as_str()),
            ("QmX", 12, "t")
        );
        assert!(r.is_duplicate);
        assert_eq!(r.raw_json, body);
        let message = |body: &str| answer(body).unwrap_err().message().to_string();
        assert!(message("[1]").contains("not a pin answer"));
        assert!(
            message(r#"{"IpfsHash":"a","IpfsHash":"b","PinSize":1}"#).contains("not a pin answer")
        );
        assert!(message(r#"{"IpfsHash":"a","PinSize":1"#).contains("not valid JSON"));
        assert!(message(r#"{"PinSize":1}"#).contains("`IpfsHash`"));
        assert!(message(r#"{"IpfsHash":7,"PinSize":1}"#).contains("`IpfsHash`"));
        assert!(message(r#"{"IpfsHash":"a"}"#).contains("`PinSize`"));
    }

    /// Each answer field, given each JSON kind: text unescaped, any other timestamp as
    /// its JSON text, a size from a number or a numeric string only, the duplicate flag
    /// from `true` only, a field given twice refused.
    #[test]
    fn pin_answer_fields_of_every_kind() {
        let read = |fields: &str| {
            parse_pin_answer(Response {
                status: 200,
                headers: Vec::new(),
                body: format!(r#"{{"IpfsHash":"Qm\u0058\n","PinSize":7{fields}}}"#).into_bytes(),
            })
        };
        let timestamp = |value: &str| read(&format!(r#","Timestamp":{value}"#)).unwrap().timestamp;
        assert_eq!(read("").unwrap().cid, "QmX\n");
        assert_eq!(
            timestamp(r#""2026-12-07T02:15:04.123Z""#),
            "2026-12-07T02:15:04.123Z"
        );
        assert_eq!(timestamp(r#""a\"b""#), "a\"b");
        assert_eq!(timestamp("null"), "");
        assert_eq!(timestamp("5"), "5");
        assert_eq!(timestamp("-5"), "-5");
        assert_eq!(timestamp("1.5"), "1.5");
        assert_eq!(timestamp("true"), "true");
        assert_eq!(timestamp(r#"{"a":[1,"x"]}"#), r#"{"a":[1,"x"]}"#);
        assert_eq!(timestamp("[]"), "[]");
        let size = |value: &str| {
            parse_pin_answer(Response {
                status: 200,
                headers: Vec::new(),
                body: format!(r#"{{"IpfsHash":"Qm","PinSize":{value}}}"#).into_bytes(),
            })
            .map(|r| r.pin_size)
        };
        assert_eq!(size("18446744073709551615").unwrap(), u64::MAX);
        assert_eq!(size(r#""42""#).unwrap(), 42);
        for bad in ["-1", "1.0", r#""x""#, "true", "null", "[1]", "{}"] {
            assert!(size(bad).is_err(), "PinSize {bad} was accepted");
        }
        let duplicate = |value: &str| {
            read(&format!(r#","isDuplicate":{value}"#))
                .unwrap()
                .is_duplicate
        };
        assert!(duplicate("true"));
        for not in ["false", r#""true""#, "1", "null", "{}"] {
            assert!(!duplicate(not), "isDuplicate {not} read as true");
        }
        assert!(read(r#","Timestamp":"a","Timestamp":"b""#).is_err());
    }

    #[test]
    fn keys_in_javascript_order() {
        let mut v: Value = serde_json::from_str(
            r#"{"b":1,"17":2,"a":{"x":0,"2":1,"1":2},"0":3,"01":4,"4294967295":5,"-1":6}"#,
        )
        .unwrap();
        order_keys_as_javascript(&mut v);
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"0":3,"17":2,"b":1,"a":{"1":2,"2":1,"x":0},"01":4,"4294967295":5,"-1":6}"#
        );
    }

    #[test]
    fn portable_numbers() {
        assert!(json_numbers_are_portable(&json!({"a": [1, 2, "x"]})));
        assert!(!json_numbers_are_portable(&json!({"a": 1.5})));
        assert!(!json_numbers_are_portable(&json!(18014398509481984u64)));
    }
}
