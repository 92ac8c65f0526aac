//! pinata-bench-server: a minimal Pinata-like HTTP/1.1 server for `bench/run.sh`.
//!
//! One thread (tokio current_thread + hyper 1). It never hashes: uploads are streamed,
//! their multipart framing parsed, and the file bytes counted and — when a file of the
//! same name exists in `--files-dir` — compared byte for byte (memcmp against an mmap of
//! that file) so every benchmarked upload is known to have arrived intact. For a file
//! that matched, the answer carries its real CID, read from the sidecar files
//! `NAME.cid0` / `NAME.cid1` that the harness writes beforehand (so clients that verify
//! the CID, such as libpinata, can run with verification on); otherwise a fixed CID.
//!
//! Endpoints:
//!   GET  /data/testAuthentication          {"message": ...}
//!   POST /pinning/pinFileToIPFS            {"IpfsHash","PinSize","Timestamp"}
//!   POST /pinning/pinJSONToIPFS            same (body read and counted)
//!   POST /files                            v3 upload (multipart) {"data":{...}}, or a TUS
//!                                          creation when `Upload-Length` is present
//!   PATCH /files/tus/{id}                  TUS chunk (npm `pinata` above 90 MiB)
//!   GET  /files/public?cid=X               {"data":{"files":[...]}} (after a TUS upload)
//!   GET  /__bench/stats                    counters, for the harness
//!
//! Usage: pinata-bench-server [--listen 127.0.0.1:0] [--files-dir DIR]
//! Prints one JSON line {"url": ...} on stdout once listening; runs until SIGTERM/SIGINT.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use tokio::net::TcpListener;

const FIXED_CID_V0: &str = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";
const FIXED_CID_V1: &str = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";
const MAX_JSON: usize = 10 * 1024 * 1024;

// ---------------------------------------------------------------------------------
// Expected files: read-only mmaps, cached by (name, size, mtime).

struct Map {
    ptr: *const u8,
    len: usize,
}
// SAFETY: a read-only private mapping; never written through.
unsafe impl Send for Map {}
unsafe impl Sync for Map {}

impl Map {
    fn open(path: &std::path::Path) -> Option<Map> {
        use std::os::unix::io::AsRawFd;
        let f = std::fs::File::open(path).ok()?;
        let len = f.metadata().ok()?.len() as usize;
        if len == 0 {
            return Some(Map { ptr: std::ptr::null(), len: 0 });
        }
        // SAFETY: mapping a regular file read-only; checked for MAP_FAILED.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                f.as_raw_fd(),
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return None;
        }
        unsafe { libc::madvise(ptr, len, libc::MADV_SEQUENTIAL) };
        Some(Map { ptr: ptr as *const u8, len })
    }
    fn slice(&self) -> &[u8] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: ptr/len describe a live mapping owned by self.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

impl Drop for Map {
    fn drop(&mut self) {
        if self.len > 0 {
            unsafe { libc::munmap(self.ptr as *mut libc::c_void, self.len) };
        }
    }
}

struct Expected {
    map: Arc<Map>,
    cid0: Option<String>,
    cid1: Option<String>,
}

#[derive(Default)]
struct Stats {
    requests: u64,
    auth: u64,
    json_pins: u64,
    uploads: u64,
    upload_file_bytes: u64,
    files_checked: u64,
    files_unchecked: u64,
    mismatches: u64,
}

struct Tus {
    name: String,
    total: u64,
    offset: u64,
    expected: Option<Arc<Expected>>,
    ok: bool,
    cid_version: Option<u8>,
}

struct State {
    base_url: String,
    files_dir: Option<PathBuf>,
    cache: HashMap<(String, u64, i64), Arc<Expected>>,
    stats: Stats,
    tus: HashMap<u64, Tus>,
    next_id: u64,
}

type Shared = Rc<RefCell<State>>;

impl State {
    fn expected(&mut self, filename: &str) -> Option<Arc<Expected>> {
        use std::os::unix::fs::MetadataExt;
        let dir = self.files_dir.as_ref()?;
        let base = filename.rsplit('/').next().unwrap_or(filename);
        if base.is_empty() || base.starts_with('.') {
            return None;
        }
        let path = dir.join(base);
        let meta = std::fs::metadata(&path).ok()?;
        if !meta.is_file() {
            return None;
        }
        let key = (base.to_string(), meta.len(), meta.mtime_nsec() + meta.mtime() * 1_000_000_000);
        if let Some(e) = self.cache.get(&key) {
            return Some(e.clone());
        }
        let map = Arc::new(Map::open(&path)?);
        let read = |ext: &str| {
            std::fs::read_to_string(dir.join(format!("{base}.{ext}")))
                .ok()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let e = Arc::new(Expected { map, cid0: read("cid0"), cid1: read("cid1") });
        self.cache.retain(|k, _| k.0 != base);
        self.cache.insert(key, e.clone());
        Some(e)
    }
}

// ---------------------------------------------------------------------------------
// Streaming multipart/form-data parser: no copy of file bytes beyond one small carry.

trait Sink {
    fn start(&mut self, name: &str, filename: Option<&str>);
    fn data(&mut self, bytes: &[u8]);
    fn end(&mut self);
}

#[derive(PartialEq)]
enum MpState {
    Preamble,
    AfterDelim,
    Headers,
    Body,
    Done,
}

struct Multipart {
    finder: memchr::memmem::Finder<'static>,
    dlen: usize,
    buf: Vec<u8>,
    state: MpState,
}

impl Multipart {
    fn new(boundary: &str) -> Multipart {
        let delim = format!("\r\n--{boundary}").into_bytes();
        let dlen = delim.len();
        let mut buf = Vec::with_capacity(1 << 20);
        buf.extend_from_slice(b"\r\n"); // the first delimiter has no CRLF before it
        Multipart {
            finder: memchr::memmem::Finder::new(&delim).into_owned(),
            dlen,
            buf,
            state: MpState::Preamble,
        }
    }

    fn feed(&mut self, chunk: &[u8], sink: &mut dyn Sink) -> Result<(), String> {
        if self.state == MpState::Done {
            return Ok(());
        }
        // Fast path: inside a part, a large chunk with no delimiter in it (nor across the
        // seam with the carried tail) goes to the sink straight from the chunk; only the
        // last dlen-1 bytes are carried. Anything else takes the general path below.
        let keep = self.dlen - 1;
        if self.state == MpState::Body && self.buf.len() <= keep && chunk.len() > 2 * self.dlen {
            let carry = self.buf.len();
            let mut seam_hit = false;
            if carry > 0 {
                let mut seam = self.buf.clone();
                seam.extend_from_slice(&chunk[..keep]);
                seam_hit = self.finder.find(&seam).is_some();
            }
            if !seam_hit && self.finder.find(chunk).is_none() {
                sink.data(&self.buf);
                let n = chunk.len() - keep;
                sink.data(&chunk[..n]);
                self.buf.clear();
                self.buf.extend_from_slice(&chunk[n..]);
                return Ok(());
            }
        }
        self.buf.extend_from_slice(chunk);
        self.drive(sink)
    }

    fn drive(&mut self, sink: &mut dyn Sink) -> Result<(), String> {
        let mut pos = 0;
        loop {
            match self.state {
                MpState::Preamble | MpState::Body => match self.finder.find(&self.buf[pos..]) {
                    Some(i) => {
                        if self.state == MpState::Body {
                            sink.data(&self.buf[pos..pos + i]);
                            sink.end();
                        }
                        pos += i + self.dlen;
                        self.state = MpState::AfterDelim;
                    }
                    None => {
                        let keep = self.dlen - 1;
                        let avail = self.buf.len() - pos;
                        if avail > keep {
                            let n = avail - keep;
                            if self.state == MpState::Body {
                                sink.data(&self.buf[pos..pos + n]);
                            }
                            pos += n;
                        }
                        break;
                    }
                },
                MpState::AfterDelim => {
                    if self.buf.len() - pos < 2 {
                        break;
                    }
                    match &self.buf[pos..pos + 2] {
                        b"--" => {
                            self.state = MpState::Done;
                            pos = self.buf.len();
                            break;
                        }
                        b"\r\n" => {
                            pos += 2;
                            self.state = MpState::Headers;
                        }
                        _ => return Err("bad multipart delimiter".into()),
                    }
                }
                MpState::Headers => {
                    let Some(i) = memchr::memmem::find(&self.buf[pos..], b"\r\n\r\n") else {
                        if self.buf.len() - pos > 64 * 1024 {
                            return Err("multipart part headers too long".into());
                        }
                        break;
                    };
                    let head = String::from_utf8_lossy(&self.buf[pos..pos + i]).into_owned();
                    pos += i + 4;
                    let (name, filename) = parse_disposition(&head);
                    sink.start(&name, filename.as_deref());
                    self.state = MpState::Body;
                }
                MpState::Done => {
                    pos = self.buf.len();
                    break;
                }
            }
        }
        self.buf.drain(..pos);
        Ok(())
    }

    fn finished(&self) -> bool {
        self.state == MpState::Done
    }
}

fn parse_disposition(head: &str) -> (String, Option<String>) {
    let mut name = String::new();
    let mut filename = None;
    for line in head.split("\r\n") {
        let Some((k, v)) = line.split_once(':') else { continue };
        if !k.trim().eq_ignore_ascii_case("content-disposition") {
            continue;
        }
        for param in v.split(';').skip(1) {
            let Some((pk, pv)) = param.trim().split_once('=') else { continue };
            let pv = pv.trim().trim_matches('"').to_string();
            match pk.trim().to_ascii_lowercase().as_str() {
                "name" => name = pv,
                "filename" => filename = Some(pv),
                _ => {}
            }
        }
    }
    (name, filename)
}

fn boundary_of(ct: &str) -> Option<String> {
    if !ct.to_ascii_lowercase().starts_with("multipart/form-data") {
        return None;
    }
    ct.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim().eq_ignore_ascii_case("boundary").then(|| v.trim().trim_matches('"').to_string())
    })
}

// ---------------------------------------------------------------------------------
// The upload sink: counts and checks file parts, keeps small fields.

enum Cur {
    None,
    File { name: String, exp: Option<Arc<Expected>>, off: u64, ok: bool },
    Field { name: String, value: Vec<u8> },
}

/// A received file part: name, bytes, whether it matched the expected file (None: no
/// expected file), and that file.
type SeenFile = (String, u64, Option<bool>, Option<Arc<Expected>>);

struct UploadSink<'a> {
    state: &'a mut State,
    cur: Cur,
    files: Vec<SeenFile>,
    fields: HashMap<String, String>,
}

impl Sink for UploadSink<'_> {
    fn start(&mut self, name: &str, filename: Option<&str>) {
        self.cur = match filename {
            Some(f) if name == "file" => Cur::File {
                name: f.to_string(),
                exp: self.state.expected(f),
                off: 0,
                ok: true,
            },
            _ => Cur::Field { name: name.to_string(), value: Vec::new() },
        };
    }
    fn data(&mut self, bytes: &[u8]) {
        match &mut self.cur {
            Cur::File { exp, off, ok, .. } => {
                if *ok {
                    if let Some(e) = exp {
                        let m = e.map.slice();
                        let start = *off as usize;
                        let end = start + bytes.len();
                        *ok = end <= m.len() && &m[start..end] == bytes;
                    }
                }
                *off += bytes.len() as u64;
            }
            Cur::Field { value, .. } => {
                if value.len() < 1 << 20 {
                    value.extend_from_slice(bytes);
                }
            }
            Cur::None => {}
        }
    }
    fn end(&mut self) {
        match std::mem::replace(&mut self.cur, Cur::None) {
            Cur::File { name, exp, off, ok } => {
                let checked = exp.as_ref().map(|e| ok && off as usize == e.map.len);
                self.files.push((name, off, checked, exp));
            }
            Cur::Field { name, value } => {
                self.fields.insert(name, String::from_utf8_lossy(&value).into_owned());
            }
            Cur::None => {}
        }
    }
}

// ---------------------------------------------------------------------------------

fn now_iso() -> String {
    let d = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        d.subsec_millis()
    )
}

type Resp = Response<Full<Bytes>>;

fn json(status: StatusCode, body: String) -> Resp {
    Response::builder()
        .status(status)
        .header("content-type", "application/json; charset=utf-8")
        .body(Full::new(Bytes::from(body)))
        .unwrap()
}

fn err(status: StatusCode, msg: &str) -> Resp {
    json(status, serde_json::json!({ "error": msg }).to_string())
}

fn has_auth(req: &Request<Incoming>) -> bool {
    let h = req.headers();
    h.get("authorization").is_some() || h.get("pinata_api_key").is_some()
}

fn cid_for(exp: Option<&Arc<Expected>>, checked: Option<bool>, version: u8) -> String {
    if checked == Some(true) {
        if let Some(e) = exp {
            let c = if version == 1 { &e.cid1 } else { &e.cid0 };
            if let Some(c) = c {
                return c.clone();
            }
        }
    }
    if version == 1 { FIXED_CID_V1 } else { FIXED_CID_V0 }.to_string()
}

fn cid_version_of(options: Option<&String>) -> Option<u8> {
    let v: serde_json::Value = serde_json::from_str(options?).ok()?;
    match v.get("cidVersion")? {
        serde_json::Value::Number(n) => n.as_u64().map(|n| n as u8),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

async fn read_multipart(
    req: Request<Incoming>,
    st: &Shared,
) -> Result<(Vec<SeenFile>, HashMap<String, String>), Resp> {
    let ct = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let Some(boundary) = boundary_of(&ct) else {
        return Err(err(StatusCode::BAD_REQUEST, "Invalid request format."));
    };
    let mut mp = Multipart::new(&boundary);
    let mut body = req.into_body();
    let mut files = Vec::new();
    let mut fields = HashMap::new();
    let mut cur = Cur::None;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| err(StatusCode::BAD_REQUEST, &format!("body: {e}")))?;
        if let Ok(data) = frame.into_data() {
            // The sink borrows the state only while a chunk is processed (no await inside).
            let mut s = st.borrow_mut();
            let mut sink = UploadSink {
                state: &mut s,
                cur: std::mem::replace(&mut cur, Cur::None),
                files: std::mem::take(&mut files),
                fields: std::mem::take(&mut fields),
            };
            let r = mp.feed(&data, &mut sink);
            cur = sink.cur;
            files = sink.files;
            fields = sink.fields;
            r.map_err(|e| err(StatusCode::BAD_REQUEST, &e))?;
        }
    }
    if !mp.finished() {
        return Err(err(StatusCode::BAD_REQUEST, "Invalid request format."));
    }
    Ok((files, fields))
}

/// A multipart upload that is complete, has at least one file, and whose files all match
/// the expected ones (each recorded in the stats); otherwise the error answer to send.
async fn read_upload(
    req: Request<Incoming>,
    st: &Shared,
) -> Result<(Vec<SeenFile>, HashMap<String, String>), Resp> {
    let (files, fields) = read_multipart(req, st).await?;
    if files.is_empty() {
        return Err(err(StatusCode::BAD_REQUEST, "Invalid request format."));
    }
    if let Some(r) = account(st, &files) {
        return Err(r);
    }
    Ok((files, fields))
}

fn account(st: &Shared, files: &[SeenFile]) -> Option<Resp> {
    let mut s = st.borrow_mut();
    s.stats.uploads += 1;
    for (name, n, checked, _) in files {
        s.stats.upload_file_bytes += n;
        match checked {
            Some(true) => s.stats.files_checked += 1,
            Some(false) => {
                s.stats.mismatches += 1;
                eprintln!("bench-server: MISMATCH: {name} ({n} bytes) differs from the expected file");
                return Some(err(
                    StatusCode::BAD_REQUEST,
                    &format!("content of {name} differs from the expected file ({n} bytes received)"),
                ));
            }
            None => s.stats.files_unchecked += 1,
        }
    }
    None
}

/// A mapped file as the owner of a response body's bytes (no copy).
struct MapBytes(Arc<Map>);

impl AsRef<[u8]> for MapBytes {
    fn as_ref(&self) -> &[u8] {
        self.0.slice()
    }
}

/// `GET /ipfs/{cid}` for `bench/download.sh`: a gateway that serves prepared files from
/// `--files-dir` with no work of its own: `{cid}.car` (a CAR the emulator wrote) when
/// a CAR is asked for (`?format=car` or `Accept: application/vnd.ipld.car`), else
/// `{cid}.plain` (the file's bytes). No credentials needed, as on a public gateway.
fn gateway_file(req: &Request<Incoming>, path: &str, st: &Shared) -> Resp {
    let cid = path.trim_start_matches("/ipfs/");
    if cid.is_empty() || cid.contains(['/', '.']) {
        return err(StatusCode::BAD_REQUEST, "bad CID");
    }
    let query = req.uri().query().unwrap_or("");
    let accept = req
        .headers()
        .get(hyper::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let car = query.split('&').any(|kv| kv == "format=car")
        || accept.contains("application/vnd.ipld.car");
    let (ext, ct) = if car {
        ("car", "application/vnd.ipld.car; version=1; order=dfs; dups=n")
    } else {
        ("plain", "application/octet-stream")
    };
    let Some(dir) = st.borrow().files_dir.clone() else {
        return err(StatusCode::NOT_FOUND, "no --files-dir");
    };
    let Some(map) = Map::open(&dir.join(format!("{cid}.{ext}"))) else {
        return err(StatusCode::NOT_FOUND, "not here");
    };
    let body = Bytes::from_owner(MapBytes(Arc::new(map)));
    let mut r = Response::new(Full::new(body));
    r.headers_mut()
        .insert(hyper::header::CONTENT_TYPE, hyper::header::HeaderValue::from_static(ct));
    r
}

async fn handle(req: Request<Incoming>, st: Shared) -> Result<Resp, hyper::Error> {
    st.borrow_mut().stats.requests += 1;
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    if path == "/__bench/stats" {
        let s = &st.borrow().stats;
        return Ok(json(
            StatusCode::OK,
            serde_json::json!({
                "requests": s.requests, "auth": s.auth, "json_pins": s.json_pins,
                "uploads": s.uploads, "upload_file_bytes": s.upload_file_bytes,
                "files_checked": s.files_checked, "files_unchecked": s.files_unchecked,
                "mismatches": s.mismatches,
            })
            .to_string(),
        ));
    }
    if method == Method::GET && path.starts_with("/ipfs/") {
        return Ok(gateway_file(&req, &path, &st));
    }
    if !has_auth(&req) {
        return Ok(json(
            StatusCode::UNAUTHORIZED,
            r#"{"error":{"reason":"INVALID_CREDENTIALS","details":"Invalid/expired credentials"}}"#.into(),
        ));
    }
    match (method, path.as_str()) {
        (Method::GET, "/data/testAuthentication") => {
            st.borrow_mut().stats.auth += 1;
            Ok(json(
                StatusCode::OK,
                r#"{"message":"Congratulations! You are communicating with the Pinata API!"}"#.into(),
            ))
        }
        (Method::POST, "/pinning/pinJSONToIPFS") => {
            let mut body = req.into_body();
            let mut n = 0usize;
            while let Some(frame) = body.frame().await {
                if let Ok(d) = frame?.into_data() {
                    n += d.len();
                    if n > MAX_JSON {
                        return Ok(err(StatusCode::PAYLOAD_TOO_LARGE, "request entity too large"));
                    }
                }
            }
            if n == 0 {
                return Ok(err(StatusCode::BAD_REQUEST, "empty body"));
            }
            st.borrow_mut().stats.json_pins += 1;
            Ok(json(
                StatusCode::OK,
                format!(r#"{{"IpfsHash":"{FIXED_CID_V0}","PinSize":{n},"Timestamp":"{}"}}"#, now_iso()),
            ))
        }
        (Method::POST, "/pinning/pinFileToIPFS") => {
            let (files, fields) = match read_upload(req, &st).await {
                Ok(x) => x,
                Err(r) => return Ok(r),
            };
            let version = cid_version_of(fields.get("pinataOptions")).unwrap_or(0);
            let size: u64 = files.iter().map(|f| f.1).sum();
            let cid = if files.len() == 1 {
                cid_for(files[0].3.as_ref(), files[0].2, version)
            } else {
                cid_for(None, None, version)
            };
            Ok(json(
                StatusCode::OK,
                format!(r#"{{"IpfsHash":"{cid}","PinSize":{size},"Timestamp":"{}"}}"#, now_iso()),
            ))
        }
        (Method::POST, "/files") => {
            if let Some(total) = req
                .headers()
                .get("upload-length")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok())
            {
                // TUS creation.
                let meta = req
                    .headers()
                    .get("upload-metadata")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string();
                let name = tus_meta(&meta, "filename").unwrap_or_default();
                let cid_version = tus_meta(&meta, "cid_version").and_then(|v| v.parse().ok());
                let mut s = st.borrow_mut();
                let expected = s.expected(&name);
                s.next_id += 1;
                let id = s.next_id;
                s.tus.insert(id, Tus { name, total, offset: 0, expected, ok: true, cid_version });
                let loc = format!("{}/files/tus/{id}", s.base_url);
                return Ok(Response::builder()
                    .status(StatusCode::CREATED)
                    .header("location", loc)
                    .header("tus-resumable", "1.0.0")
                    .body(Full::new(Bytes::new()))
                    .unwrap());
            }
            let (files, fields) = match read_upload(req, &st).await {
                Ok(x) => x,
                Err(r) => return Ok(r),
            };
            let version = fields.get("cid_version").and_then(|v| v.parse().ok()).unwrap_or(1);
            let cid = cid_for(files[0].3.as_ref(), files[0].2, version);
            let name = fields.get("name").cloned().unwrap_or_else(|| files[0].0.clone());
            Ok(json(StatusCode::OK, v3_file(&name, &cid, files[0].1)))
        }
        (Method::PATCH, p) if p.starts_with("/files/tus/") => {
            let Ok(id) = p["/files/tus/".len()..].parse::<u64>() else {
                return Ok(err(StatusCode::NOT_FOUND, "no such upload"));
            };
            let offset = req
                .headers()
                .get("upload-offset")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            {
                let s = st.borrow();
                match (s.tus.get(&id), offset) {
                    (Some(t), Some(o)) if t.offset == o => {}
                    (Some(_), _) => return Ok(err(StatusCode::CONFLICT, "offset mismatch")),
                    (None, _) => return Ok(err(StatusCode::NOT_FOUND, "no such upload")),
                }
            }
            let mut body = req.into_body();
            while let Some(frame) = body.frame().await {
                if let Ok(d) = frame?.into_data() {
                    let mut s = st.borrow_mut();
                    let t = s.tus.get_mut(&id).expect("checked above");
                    if t.ok {
                        if let Some(e) = &t.expected {
                            let m = e.map.slice();
                            let start = t.offset as usize;
                            let end = start + d.len();
                            t.ok = end <= m.len() && m[start..end] == d[..];
                        }
                    }
                    t.offset += d.len() as u64;
                }
            }
            let mut s = st.borrow_mut();
            let t = s.tus.get(&id).expect("checked above");
            let (offset, total) = (t.offset, t.total);
            let mut rb = Response::builder()
                .status(StatusCode::NO_CONTENT)
                .header("tus-resumable", "1.0.0")
                .header("upload-offset", offset.to_string());
            if offset >= total {
                let t = s.tus.remove(&id).expect("checked above");
                let checked = t.expected.as_ref().map(|e| t.ok && t.offset as usize == e.map.len);
                let files = vec![(t.name.clone(), t.offset, checked, t.expected.clone())];
                drop(s);
                if let Some(r) = account(&st, &files) {
                    return Ok(r);
                }
                let cid = cid_for(t.expected.as_ref(), checked, t.cid_version.unwrap_or(1));
                st.borrow_mut().tus.insert(
                    u64::MAX - id,
                    Tus { name: format!("{}\n{cid}", t.name), total: t.total, offset: t.offset, expected: None, ok: true, cid_version: None },
                );
                rb = rb.header("upload-cid", cid);
            }
            Ok(rb.body(Full::new(Bytes::new())).unwrap())
        }
        (Method::GET, "/files/public") => {
            let q = req.uri().query().unwrap_or("");
            let cid = q.split('&').find_map(|kv| kv.strip_prefix("cid=")).unwrap_or("").to_string();
            let s = st.borrow();
            let found = s.tus.iter().find(|(k, t)| **k > u64::MAX / 2 && t.name.ends_with(&format!("\n{cid}")));
            let (name, size) = found
                .map(|(_, t)| (t.name.split('\n').next().unwrap_or("").to_string(), t.total))
                .unwrap_or_default();
            let file: serde_json::Value = serde_json::from_str(&v3_file(&name, &cid, size)).unwrap();
            Ok(json(
                StatusCode::OK,
                serde_json::json!({ "data": { "files": [file["data"].clone()], "next_page_token": "" } }).to_string(),
            ))
        }
        _ => Ok(err(StatusCode::NOT_FOUND, "not found")),
    }
}

fn v3_file(name: &str, cid: &str, size: u64) -> String {
    serde_json::json!({ "data": {
        "id": "0195d0b1-0000-7000-8000-000000000000", "name": name, "cid": cid, "size": size,
        "number_of_files": 1, "mime_type": "application/octet-stream", "group_id": null,
        "keyvalues": {}, "created_at": now_iso(), "network": "public", "vectorized": false,
    }})
    .to_string()
}

fn tus_meta(meta: &str, key: &str) -> Option<String> {
    meta.split(',').find_map(|kv| {
        let (k, v) = kv.trim().split_once(' ')?;
        (k == key).then(|| b64decode(v)).flatten()
    })
}

fn b64decode(s: &str) -> Option<String> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    String::from_utf8(out).ok()
}

fn main() {
    let mut listen = "127.0.0.1:0".to_string();
    let mut files_dir = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--listen" => listen = args.next().expect("--listen ADDR"),
            "--files-dir" => files_dir = Some(PathBuf::from(args.next().expect("--files-dir DIR"))),
            _ => {
                eprintln!("usage: pinata-bench-server [--listen ADDR:PORT] [--files-dir DIR]");
                std::process::exit(2);
            }
        }
    }
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, async move {
        let listener = TcpListener::bind(&listen).await.expect("bind");
        let addr = listener.local_addr().unwrap();
        let base_url = format!("http://{addr}");
        println!("{}", serde_json::json!({ "url": base_url, "jwt": "bench.jwt.token", "api_key": "bench-key", "api_secret": "bench-secret" }));
        std::io::stdout().flush().ok();
        let st: Shared = Rc::new(RefCell::new(State {
            base_url,
            files_dir,
            cache: HashMap::new(),
            stats: Stats::default(),
            tus: HashMap::new(),
            next_id: 0,
        }));
        let accept = async {
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let _ = stream.set_nodelay(true);
                let st = st.clone();
                tokio::task::spawn_local(async move {
                    let svc = service_fn(move |req| handle(req, st.clone()));
                    let _ = http1::Builder::new()
                        .max_buf_size(4 << 20)
                        .serve_connection(TokioIo::new(stream), svc)
                        .await;
                });
            }
        };
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).unwrap();
        tokio::select! {
            _ = accept => {}
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    });
}
