//! Entry points for the fuzz targets in `fuzz/` (not part of the supported API): each
//! runs one parser or encoder over arbitrary bytes, must never panic, and asserts the
//! invariants that input must keep (a failed assertion is a crash the fuzzer reports).

use crate::transport::{error_from_response, Response};

/// Parses `body` as a response with `status` the way every operation does: an error
/// body into an error, a 2xx body into each typed result (legacy pin answers, jobs,
/// pin-list rows and groups; key rows; v3 upload answers, file rows and groups; Pinning
/// Service API pin statuses).
pub fn response(status: u16, body: &[u8]) {
    let resp = Response {
        status,
        headers: vec![(
            "retry-after".into(),
            String::from_utf8_lossy(body).into_owned(),
        )],
        body: body.to_vec(),
    };
    let _ = resp.retry_after();
    if !(200..300).contains(&status) {
        let err = error_from_response(&resp);
        let _ = err.to_string();
        return;
    }
    let _ = crate::legacy::pinning::parse_pin_answer(Response {
        status,
        headers: Vec::new(),
        body: body.to_vec(),
    });
    let _ = crate::v3::upload::parse_upload_answer(Response {
        status,
        headers: Vec::new(),
        body: body.to_vec(),
    });
    if let Ok(value) = resp.json() {
        let _ = crate::legacy::pinning::PinJob::from_json(value.clone());
        let _ = crate::legacy::data::PinRow::from_json(value.clone());
        let _ = crate::legacy::groups::PinGroup::from_json(value.clone());
        let _ = crate::keys::KeyInfo::from_json(value.clone());
        let _ = crate::v3::files::FileRow::from_json(value.clone());
        let _ = crate::v3::groups::Group::from_json(value.clone());
        let _ = crate::psa::pins::PinStatus::from_json(value);
    }
}

/// Builds a pin-list query from arbitrary text and renders its query string, which
/// must be plain ASCII without spaces or control characters (it goes into the request
/// line) and decode back to exactly the fields it was built from.
pub fn pin_list_query(data: &[u8]) {
    use crate::legacy::data::{KeyvalueOp, PinListQuery};
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\u{1}');
    let mut q = PinListQuery {
        cid: parts.next().map(str::to_string),
        name_contains: parts.next().map(str::to_string),
        group_id: parts.next().map(str::to_string),
        pin_start: parts.next().map(str::to_string),
        ..Default::default()
    };
    let mut ops = data.iter().copied();
    while let (Some(key), Some(op)) = (parts.next(), ops.next()) {
        let op = KeyvalueOp::ALL[usize::from(op) % KeyvalueOp::ALL.len()];
        let second = op.is_range().then(|| serde_json::Value::from(key.len()));
        let _ = q.add_keyvalue(key, op, serde_json::Value::from(key), second);
    }
    let limit = u32::from(data.first().copied().unwrap_or(1)).max(1);
    let rendered = q.to_query_string(data.len() as u64, limit);
    assert!(
        rendered.bytes().all(|b| b.is_ascii_graphic()),
        "unencoded byte in {rendered:?}"
    );
    let mut decoded: Vec<(String, String)> = rendered
        .strip_prefix('?')
        .expect("a query string starts with ?")
        .split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').expect("every pair has a =");
            let decode = |s: &str| {
                let text = percent_encoding::percent_decode_str(s).decode_utf8();
                text.expect("decodes to UTF-8").into_owned()
            };
            (decode(k), decode(v))
        })
        .collect();
    // The keyvalue filters travel as one JSON object: the last condition of a key wins.
    if let Some(at) = decoded.iter().position(|(k, _)| k == "metadata[keyvalues]") {
        let (_, json) = decoded.remove(at);
        // A map of keys, not a `Value`: with its `raw_value` feature (off since
        // `util::json_document` replaced its one use), serde_json reads an object whose
        // first key is its private raw-value token ("$serde_json::private::RawValue", which
        // a caller can pass as a key) as a raw value; a map keeps the check right even if
        // a dependency turned the feature on.
        let object: std::collections::BTreeMap<String, serde_json::Value> =
            serde_json::from_str(&json).expect("keyvalues is a JSON object");
        let keys: std::collections::BTreeSet<&str> =
            q.keyvalues.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(object.len(), keys.len());
        for f in &q.keyvalues {
            let last = q.keyvalues.iter().rev().find(|g| g.key == f.key).unwrap();
            assert_eq!(object[f.key.as_str()]["op"], last.op.as_str());
            assert_eq!(object[f.key.as_str()]["value"], last.value);
        }
    } else {
        assert!(q.keyvalues.is_empty());
    }
    let expected: Vec<(String, String)> = [
        ("cid", q.cid.clone()),
        ("pinStart", q.pin_start.clone()),
        ("groupId", q.group_id.clone()),
        ("metadata[name]", q.name_contains.clone()),
        ("pageLimit", Some(limit.to_string())),
        ("pageOffset", Some(data.len().to_string())),
    ]
    .into_iter()
    .filter_map(|(k, v)| Some((k.to_string(), v?)))
    .collect();
    let sorted = |mut v: Vec<(String, String)>| {
        v.sort();
        v
    };
    assert_eq!(sorted(decoded), sorted(expected));
}

/// Caller text that ends up in a request's headers or request line: a JWT, an API key
/// pair, a base URL, a multipart file name. Whatever is accepted must not carry CR, LF
/// or NUL into a header (no header injection); anything else must be refused.
pub fn request_text(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(2, '\u{1}');
    let first = parts.next().unwrap_or_default();
    let second = parts.next().unwrap_or("secret");
    let clean = |s: &str| !s.contains(['\r', '\n', '\0']);
    if crate::Client::with_jwt(first).is_ok() {
        assert!(clean(first), "a JWT with CR/LF/NUL was accepted");
    }
    if let Ok(mut client) = crate::Client::with_keys(first, second) {
        assert!(
            clean(first) && clean(second),
            "an API key with CR/LF/NUL was accepted"
        );
        if client.set_base_url(first).is_ok() {
            let url = client.base_url();
            let bad = |c: char| c.is_control() || c == ' ';
            assert!(
                !url.contains(bad),
                "base URL {url:?} has a space or control"
            );
        }
    }
    let mut body = crate::multipart::Multipart::new();
    if body
        .memory_file(first, "f", std::sync::Arc::from(&b"x"[..]))
        .is_ok()
    {
        body.finish();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut body.reader(None), &mut bytes).expect("in memory");
        // The part's head: the boundary line, Content-Disposition, Content-Type.
        let head_end = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = &bytes[..head_end];
        assert_eq!(
            head.split(|&b| b == b'\n').count(),
            3,
            "injected part header"
        );
        assert_eq!(head.iter().filter(|&&b| b == b'\r').count(), 2);
    }
}

/// Parses arbitrary text as a CID; an accepted CID prints in its normal form (`Qm…`
/// for v0, base32 `b…` for v1), and that text parses back to the same CID.
pub fn cid(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(c) = crate::cid::parse_cid(text) {
            let printed = c.to_string();
            let prefix = if c.version() == cid::Version::V0 {
                "Qm"
            } else {
                "b"
            };
            assert!(
                printed.starts_with(prefix),
                "{text:?} printed as {printed:?}"
            );
            let again = crate::cid::parse_cid(&printed).expect("a printed CID parses");
            assert_eq!(again, c, "{text:?} -> {printed:?} -> {again}");
            assert_eq!(again.to_string(), printed);
        }
    }
}

/// Resolves arbitrary text as a TUS server's `Location` against an upload endpoint (the
/// text before the first `\x01`, if the library accepts it as one; without a `\x01`,
/// Pinata's endpoint), as a resumable upload does before it sends its credentials there.
/// A URL the library accepts must be one that libcurl's own URL parser reads with the
/// endpoint's scheme, host, IPv6 zone and port, so that the credentials go only where the
/// caller named (an endpoint libcurl cannot parse is never reached, so nothing is asserted
/// for it).
pub fn upload_url(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (endpoint, location) = text
        .split_once('\x01')
        .unwrap_or(("https://uploads.pinata.cloud/v3/files", text));
    // An upload's endpoint is one the library accepted (http only to loopback or when
    // allowed), in its normal form.
    let Ok(endpoint) = crate::client::normalize_base_url(endpoint, true) else {
        return;
    };
    let endpoint = endpoint.as_str();
    let Ok(url) = crate::v3::tus::resolve_location(endpoint, location) else {
        return;
    };
    if let Some(named) = curl_origin(endpoint) {
        assert_eq!(
            curl_origin(&url),
            Some(named),
            "{location:?} against {endpoint:?} became {url:?}"
        );
    }
}

/// The scheme, host (lowercase), IPv6 zone and port libcurl would connect to for `url`,
/// read with libcurl's URL API and the flags a transfer's own parse uses
/// (`CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME`); `None` if libcurl refuses the URL.
fn curl_origin(url: &str) -> Option<[Option<String>; 4]> {
    use std::ffi::{c_char, c_int, c_uint, c_void, CStr, CString};
    // libcurl's URL API (curl/urlapi.h, libcurl 7.62 and later); curl-sys does not bind it.
    extern "C" {
        fn curl_url() -> *mut c_void;
        fn curl_url_cleanup(handle: *mut c_void);
        fn curl_url_set(
            handle: *mut c_void,
            part: c_int,
            content: *const c_char,
            flags: c_uint,
        ) -> c_int;
        fn curl_url_get(
            handle: *const c_void,
            part: c_int,
            content: *mut *mut c_char,
            flags: c_uint,
        ) -> c_int;
        fn curl_free(p: *mut c_void);
    }
    const URL: c_int = 0;
    const SCHEME: c_int = 1;
    const HOST: c_int = 5;
    const PORT: c_int = 6;
    const ZONEID: c_int = 10;
    const DEFAULT_PORT: c_uint = 1 << 0;
    const NON_SUPPORT_SCHEME: c_uint = 1 << 3;
    const GUESS_SCHEME: c_uint = 1 << 9;

    let text = CString::new(url).ok()?;
    // SAFETY: the handle is created, used and freed here; each string libcurl returns is
    // copied, then freed with curl_free.
    unsafe {
        let handle = curl_url();
        assert!(!handle.is_null(), "curl_url: out of memory");
        let part = |which: c_int, flags: c_uint| -> Option<String> {
            let mut out: *mut c_char = std::ptr::null_mut();
            if curl_url_get(handle, which, &mut out, flags) != 0 || out.is_null() {
                return None;
            }
            let s = CStr::from_ptr(out).to_string_lossy().into_owned();
            curl_free(out.cast());
            Some(s)
        };
        let parsed = (curl_url_set(
            handle,
            URL,
            text.as_ptr(),
            GUESS_SCHEME | NON_SUPPORT_SCHEME,
        ) == 0)
            .then(|| {
                [
                    part(SCHEME, 0),
                    part(HOST, 0).map(|h| h.to_ascii_lowercase()),
                    part(ZONEID, 0),
                    part(PORT, DEFAULT_PORT),
                ]
            });
        curl_url_cleanup(handle);
        parsed
    }
}

/// Runs arbitrary bytes as a gateway's CAR answer through the verified download: the
/// streaming CAR reader, then the walk. Byte 0 picks the destination and the size of the
/// reads: its high bit set walks to a path on disk (a file or a directory tree, under
/// `TMPDIR`), clear walks into memory (a single file; a directory is refused there); its
/// low seven bits are the read size (0 and 1 read a byte at a time).
///
/// Before the walk, each section's CID is re-made from its bytes (same version, codec and
/// hash function: sha2-256 or identity), children first, and every dag-pb link that named
/// a section is pointed at that section's re-made CID (the link's `Hash` bytes are
/// replaced where the decoder found them, so the rest of the mutated block stays as the
/// fuzzer wrote it). So a mutated block anywhere in the DAG still verifies and reaches the
/// dag-pb/UnixFS decoder, the directory and HAMT code, the entry-name checks and the
/// walk's bound on steps, instead of stopping at the hash check. A link back to a block
/// still being re-made (a cycle) keeps its sent CID (no hash can close a cycle), so the
/// walk sees it as a missing block. The walk starts from the root the CAR header names
/// (its section's re-made CID), else the first section's.
///
/// A finished walk must have written exactly the bytes (and, on disk, the files) it
/// counts, within its cap, and its spill file must be gone; on disk, a failed walk
/// must leave nothing behind, and nothing may appear outside the destination's directory.
/// Returns the bytes written, or why the walk failed (the seeds' test uses it).
///
/// The bytes are also read as the head of a local CAR file to upload, whose header names
/// the root the upload's CID check expects.
pub fn car(data: &[u8]) -> Result<u64, String> {
    car_under(data, &std::env::temp_dir())
}

/// `car`, with `base` in place of the temporary directory.
fn car_under(data: &[u8], base: &std::path::Path) -> Result<u64, String> {
    use crate::gateway::car::CarReader;

    let Some((&first, stream)) = data.split_first() else {
        return Err("no input".into());
    };
    let to_disk = first & 0x80 != 0;
    let read_size = usize::from(first & 0x7f).max(1);
    let header_root = crate::v3::car::car_root(stream, "file").ok();
    let mut sections = Vec::new();
    let mut reader = CarReader::new();
    let read = stream
        .chunks(read_size)
        .try_for_each(|chunk| {
            reader.feed(chunk, &mut |c, block| {
                sections.push(Section {
                    sent: *c,
                    remade: *c,
                    block: block.to_vec(),
                });
                Ok(())
            })
        })
        .and_then(|()| reader.finish());
    relink(&mut sections);
    let root = header_root
        .and_then(|r| sections.iter().find(|s| s.sent == r))
        .or(sections.first())
        .map(|s| s.remade)
        .ok_or("no section")?;
    walk_into(root, &sections, read, base, to_disk)
}

/// One section of a fuzzed CAR: the CID it was sent under, the CID of its bytes after
/// `relink`, and the bytes.
struct Section {
    sent: cid::Cid,
    remade: cid::Cid,
    block: Vec<u8>,
}

/// The most content bytes (and spilled bytes) a fuzzed walk may write.
const CAR_CAP: u64 = 1 << 20;

fn car_limits() -> crate::gateway::walk::Limits {
    crate::gateway::walk::Limits {
        max_spill_bytes: CAR_CAP,
        max_bytes: Some(CAR_CAP),
        // Past the seeds' largest directory (the HAMT one), so the cap is reached too.
        max_entries: Some(1024),
    }
}

/// Re-makes every section's CID from its bytes, children first, after pointing each
/// dag-pb link that names another section at that section's re-made CID: the link's
/// `Hash` bytes are replaced where the decoder found them, and only by a CID of the same
/// length (a re-made CID has the sent one's version, codec and hash function; a sent
/// digest of another length keeps its link). Where several sections share a sent CID,
/// links go to the first. A link back to a section still being re-made (a cycle, or a
/// block naming itself) keeps its sent CID.
fn relink(sections: &mut [Section]) {
    use crate::gateway::dag;
    use std::collections::HashMap;

    let mut index: HashMap<cid::Cid, usize> = HashMap::new();
    for (i, s) in sections.iter().enumerate() {
        index.entry(s.sent).or_insert(i);
    }
    // (section linked to, where the link's CID bytes start)
    let children: Vec<Vec<(usize, usize)>> = sections
        .iter()
        .map(|s| {
            if s.sent.codec() != dag::DAG_PB {
                return Vec::new();
            }
            dag::decode_pb(&s.sent, &s.block)
                .map(|node| {
                    node.links
                        .iter()
                        .filter_map(|l| Some((*index.get(&l.cid)?, l.hash_at)))
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut mark = vec![Mark::New; sections.len()];
    for start in 0..sections.len() {
        if mark[start] != Mark::New {
            continue;
        }
        mark[start] = Mark::Open;
        // (section, how many of its children were looked at): a depth-first walk without
        // recursion, so a long chain of sections cannot overflow the stack. A section
        // marked Open is on this stack: an ancestor of the one being looked at.
        let mut stack = vec![(start, 0usize)];
        while let Some((i, k)) = stack.pop() {
            if let Some(&(j, _)) = children[i].get(k) {
                stack.push((i, k + 1));
                if mark[j] == Mark::New {
                    mark[j] = Mark::Open;
                    stack.push((j, 0));
                }
                continue;
            }
            for &(j, at) in &children[i] {
                if mark[j] != Mark::Done {
                    continue;
                }
                let (from, to) = (sections[j].sent.to_bytes(), sections[j].remade.to_bytes());
                let block = &mut sections[i].block;
                if from.len() == to.len() && block[at..].starts_with(&from) {
                    block[at..at + to.len()].copy_from_slice(&to);
                }
            }
            sections[i].remade = cid_of(&sections[i].sent, &sections[i].block);
            mark[i] = Mark::Done;
        }
    }
}

/// The CID of `block` with the version, codec and hash function of `c`: sha2-256, or
/// identity (the block itself, when it fits in a CID). Other hash functions are refused
/// by the walk anyway, so their CID stays as sent.
fn cid_of(c: &cid::Cid, block: &[u8]) -> cid::Cid {
    use crate::gateway::dag::{IDENTITY, SHA2_256};
    use sha2::{Digest, Sha256};
    let mh = match c.hash().code() {
        SHA2_256 => cid::multihash::Multihash::<64>::wrap(SHA2_256, &Sha256::digest(block)),
        IDENTITY => cid::multihash::Multihash::<64>::wrap(IDENTITY, block),
        _ => return *c,
    };
    match (mh, c.version()) {
        (Ok(mh), cid::Version::V0) => cid::Cid::new_v0(mh).unwrap_or(*c),
        (Ok(mh), cid::Version::V1) => cid::Cid::new_v1(c.codec(), mh),
        (Err(_), _) => *c,
    }
}

/// Walks the sections into `sink`, spilling early blocks under `<base>/pinata-fuzz-car-
/// <pid>/walk` (the destination of a disk walk is there too, as `out`), and checks what
/// the walk left there. Whatever the outcome, the walk is over and its spill file
/// gone, and nothing may appear beside `walk` (a path that escaped the destination). A
/// finished walk leaves only its destination (nothing, in memory), which is checked and
/// removed; a failed one leaves nothing.
fn walk_into(
    root: cid::Cid,
    sections: &[Section],
    read: crate::error::Result<()>,
    base: &std::path::Path,
    to_disk: bool,
) -> Result<u64, String> {
    use crate::gateway::walk::{Sink, Walker};
    static FRESH: std::sync::Once = std::sync::Once::new();
    let run = base.join(format!("pinata-fuzz-car-{}", std::process::id()));
    let scratch = run.join("walk");
    // Once per process: a process killed in the middle of a walk (a timeout in a
    // `-fork` run) may have left its files here under the same process id.
    FRESH.call_once(|| {
        let _ = std::fs::remove_dir_all(&run);
    });
    std::fs::create_dir_all(&scratch).expect("the fuzz run's scratch directory");
    let dest = scratch.join("out");
    let sink = if to_disk {
        Sink::disk(&dest)
    } else {
        Ok(Sink::memory())
    };
    let walked = sink.and_then(|sink| {
        let mut walker = Walker::new(root, sink, scratch.clone(), car_limits());
        sections
            .iter()
            .try_for_each(|s| walker.offer(&s.remade, &s.block))
            .and(read)?;
        walker.commit()
    });
    assert_eq!(
        names_in(&run),
        ["walk"],
        "the walk wrote outside its directory"
    );
    let left = names_in(&scratch);
    let (stats, mut sink) = match walked {
        Ok(done) => done,
        Err(e) => {
            assert!(left.is_empty(), "a failed walk left {left:?} behind ({e})");
            return Err(e.to_string());
        }
    };
    assert!(stats.bytes <= CAR_CAP);
    if !to_disk {
        assert!(left.is_empty(), "a walk into memory left {left:?} behind");
        assert_eq!(sink.take_bytes().len() as u64, stats.bytes);
        return Ok(stats.bytes);
    }
    assert_eq!(
        left,
        ["out"],
        "the walk finished with more than its destination"
    );
    assert_eq!(files_and_bytes(&dest), (stats.files, stats.bytes));
    assert_eq!(dest.is_dir(), stats.is_dir);
    if stats.is_dir {
        std::fs::remove_dir_all(&dest).expect("remove the walked tree");
    } else {
        std::fs::remove_file(&dest).expect("remove the walked file");
    }
    Ok(stats.bytes)
}

/// The names in a directory, sorted.
fn names_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list the fuzz run's directory")
        .map(|e| {
            e.expect("a directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// Every path under `dir`, directories included, depth first.
fn paths_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).expect("list a walked directory") {
            let p = e.expect("a directory entry").path();
            if std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_dir()) {
                todo.push(p.clone());
            }
            out.push(p);
        }
    }
    out
}

/// How many regular files a walked tree holds and their bytes; the walk writes nothing
/// else (no symbolic link, no special file).
fn files_and_bytes(path: &std::path::Path) -> (u64, u64) {
    let meta = std::fs::symlink_metadata(path).expect("a walked path");
    if !meta.is_dir() {
        assert!(
            meta.is_file(),
            "the walk wrote {path:?}, not a regular file"
        );
        return (1, meta.len());
    }
    paths_under(path)
        .iter()
        .map(|p| std::fs::symlink_metadata(p).expect("a walked path"))
        .filter(|m| !m.is_dir())
        .fold((0, 0), |(files, bytes), m| {
            assert!(m.is_file(), "the walk wrote something not a regular file");
            (files + 1, bytes + m.len())
        })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    fn seeds_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/car")
    }

    fn car_seed(name: &str) -> Vec<u8> {
        std::fs::read(seeds_dir().join(name)).unwrap()
    }

    /// Runs `car` under a scratch directory of its own, where nothing may be left
    /// afterwards but the harness's own two (empty) directories.
    fn walk(data: &[u8]) -> Result<u64, String> {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let base =
            std::env::temp_dir().join(format!("pinata-fuzzing-test-{}-{n}", std::process::id()));
        std::fs::create_dir(&base).unwrap();
        let walked = super::car_under(data, &base);
        let run = base.join(format!("pinata-fuzz-car-{}", std::process::id()));
        let harness = [run.join("walk"), run];
        let left: Vec<PathBuf> = super::paths_under(&base)
            .into_iter()
            .filter(|p| !harness.contains(p))
            .collect();
        std::fs::remove_dir_all(&base).unwrap();
        assert!(left.is_empty(), "left behind: {left:?}");
        walked
    }

    /// Locations that try to move an upload to another host: every one the library
    /// accepts names the endpoint's scheme, host and port for libcurl too (`upload_url`
    /// asserts it), and the ones that would change the host are refused.
    #[test]
    fn upload_urls_stay_where_libcurl_says() {
        let endpoint = "http://127.0.0.1:9/v3/files";
        // (Location, whether the library accepts it)
        let tricks = [
            ("/v3/files/a", true),
            ("a/b", true),
            ("http://127.0.0.1:9/v3/files/b", true),
            ("HTTP://127.0.0.1:9/v3/files/c", true),
            ("//evil.example/x", true),
            ("http://127.0.0.1:9#@evil.example/", true),
            ("http://127.0.0.1:9?@evil.example/", true),
            ("../../../x", true),
            ("@evil.example/x", true),
            ("http://127.0.0.1:9@evil.example/x", false),
            ("http://127.0.0.1:9\\@evil.example/x", false),
            ("http://127.0.0.1:9.evil.example/x", false),
            ("http://127.0.0.1:9:80/x", false),
            ("https://127.0.0.1:9/x", false),
            ("http://127.0.0.1/x", false),
            ("x?next=http://evil.example/", false),
        ];
        for (location, accepted) in tricks {
            super::upload_url(format!("{endpoint}\x01{location}").as_bytes());
            assert_eq!(
                crate::v3::tus::resolve_location(endpoint, location).is_ok(),
                accepted,
                "{location}"
            );
        }
        // An IPv6 zone names an interface: its case counts, the address's does not.
        let zoned = "http://[fe80::1%25eth0]:9/v3/files";
        for (location, accepted) in [
            ("http://[FE80::1%25eth0]:9/x", true),
            ("http://[fe80::1%25ETH0]:9/x", false),
            ("http://[fe80::1%ETH0]:9/x", false),
        ] {
            super::upload_url(format!("{zoned}\x01{location}").as_bytes());
            let bare = zoned.replace("%25", "%");
            super::upload_url(format!("{bare}\x01{location}").as_bytes());
            assert_eq!(
                crate::v3::tus::resolve_location(zoned, location).is_ok(),
                accepted,
                "{location}"
            );
        }
        // The scheme-relative one stays on the endpoint's host, as a path.
        assert_eq!(
            super::curl_origin(
                &crate::v3::tus::resolve_location(endpoint, "//evil.example/x").unwrap()
            ),
            super::curl_origin(endpoint)
        );
        assert_eq!(
            super::curl_origin("http://127.0.0.1:9@evil.example/x").unwrap()[1].as_deref(),
            Some("evil.example"),
            "libcurl reads the text after `@` as the host"
        );
    }

    /// The committed seeds of the `car` target are whole downloads that walk to the end
    /// with the bytes they hold, so the fuzzer starts from inputs that reach the end of the
    /// walk: into memory, a raw block, a file of four 100-byte leaves (one repeated and sent
    /// once, root first), a CIDv0 file with inline data, a file over an identity leaf and a
    /// file whose root has an identity CID;
    /// to disk, the same file leaves first (early blocks spill and are read back), a
    /// directory of two files and a HAMT-sharded directory with a sub-shard and a nested
    /// directory. The directory seed stops where a memory download refuses a directory,
    /// and a directory entry named `..` is refused on disk (the harness checks that nothing
    /// is left behind).
    #[test]
    fn car_seeds_walk_to_the_end() {
        let mut names: Vec<String> = std::fs::read_dir(seeds_dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.starts_with("seed-"))
            .collect();
        names.sort();
        let seeds: Vec<(String, Result<u64, String>)> = names
            .iter()
            .map(|n| (n.clone(), walk(&car_seed(n))))
            .collect();
        let walked = |name: &str| seeds.iter().find(|(n, _)| n == name).unwrap().1.clone();
        assert_eq!(seeds.len(), 10, "{seeds:?}");
        assert_eq!(walked("seed-raw-file"), Ok(13));
        assert_eq!(walked("seed-file-dag-dups"), Ok(400));
        assert_eq!(walked("seed-file-dag-leaves-first"), Ok(400));
        assert_eq!(walked("seed-v0-inline-file"), Ok(16));
        assert_eq!(walked("seed-identity-leaf"), Ok(5));
        assert_eq!(walked("seed-identity-root-over-leaf"), Ok(13));
        assert_eq!(walked("seed-directory-to-disk"), Ok(213));
        assert_eq!(walked("seed-hamt-directory"), Ok(213));
        let e = walked("seed-directory").unwrap_err();
        assert!(e.contains("director"), "{e}");
        let e = walked("seed-unsafe-entry-name").unwrap_err();
        assert!(e.contains("not a safe file name"), "{e}");
    }

    /// A block changed below the root still reaches the walk: the harness points its
    /// parents' links at the changed block's CID. Here a leaf four links below the root
    /// of the HAMT seed (root, sub-shard, `nested`, `c.txt`, leaf) and the first file's
    /// bytes are changed; the walk still finishes, with the same byte count. Without the
    /// re-linking the changed leaf's CID would no longer match its bytes.
    #[test]
    fn car_mutations_below_the_root_reach_the_walk() {
        let mut seed = car_seed("seed-hamt-directory");
        let replace = |seed: &mut Vec<u8>, from: &[u8], to: &[u8]| {
            let at = seed.windows(from.len()).position(|w| w == from).unwrap();
            seed[at..at + from.len()].copy_from_slice(to);
        };
        replace(&mut seed, b"Hello World!\n", b"Hello Fuzzer\n");
        replace(&mut seed, &[b'B'; 100], &[b'b'; 100]);
        assert_eq!(walk(&seed), Ok(213));
        // The name `c.txt`, three links below the root, changed to one with a slash is
        // refused there, and nothing is left on disk (the harness asserts it, and so does
        // `walk`).
        replace(&mut seed, b"c.txt", b"../..");
        let e = walk(&seed).unwrap_err();
        assert!(e.contains("not a safe file name"), "{e}");

        // Under a root whose CID is an identity one (its block inside the CID), the
        // changed leaf is re-linked too: the identity CID is re-made from its new bytes.
        let mut seed = car_seed("seed-identity-root-over-leaf");
        replace(&mut seed, b"Hello World!\n", b"Hello Fuzzer\n");
        assert_eq!(walk(&seed), Ok(13));
    }
}
