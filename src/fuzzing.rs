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

/// Runs arbitrary bytes as a gateway's CAR answer through the verified download: the
/// streaming CAR reader, then the walk into memory (a single file; a directory is
/// refused there). The first byte picks the size of the reads.
///
/// Each section's CID is first re-made from its bytes (same version, codec and hash
/// function), so that a mutated root block still verifies and reaches the dag-pb/UnixFS
/// decoder instead of stopping at the hash check. A mutated block below the root gets a
/// CID its parent does not name, so it arrives as an extra block and its place is
/// missing: mutations below the root exercise the walk's extra and missing blocks, not
/// the decoder. The walk's root is the one the CAR header names (its section's re-made
/// CID), else the first section's. A finished walk must have written exactly the bytes it
/// counts, within its cap. Returns the bytes written, or why the walk failed (the seeds'
/// test uses it).
///
/// The bytes are also read as the head of a local CAR file to upload, whose header names
/// the root the upload's CID check expects.
pub fn car(data: &[u8]) -> Result<u64, String> {
    use crate::gateway::car::CarReader;
    use crate::gateway::walk::{Limits, Sink, Walker};
    use sha2::{Digest, Sha256};

    let Some((&step, stream)) = data.split_first() else {
        return Err("no input".into());
    };
    let header_root = crate::v3::car::car_root(stream, "file").ok();
    let remade = |c: &cid::Cid, block: &[u8]| -> cid::Cid {
        if c.hash().code() != 0x12 {
            return *c; // identity CIDs hold their bytes; other hashes are refused anyway
        }
        let mh = cid::multihash::Multihash::<64>::wrap(0x12, &Sha256::digest(block))
            .expect("a SHA-256 digest fits");
        match c.version() {
            cid::Version::V0 => cid::Cid::new_v0(mh).expect("a SHA-256 multihash"),
            cid::Version::V1 => cid::Cid::new_v1(c.codec(), mh),
        }
    };
    // (CID as sent, CID re-made, block)
    let mut sections = Vec::new();
    let mut reader = CarReader::new();
    let read = stream
        .chunks(usize::from(step).max(1))
        .try_for_each(|chunk| {
            reader.feed(chunk, &mut |c, block| {
                sections.push((*c, remade(c, block), block.to_vec()));
                Ok(())
            })
        })
        .and_then(|()| reader.finish());
    let root = header_root
        .and_then(|r| sections.iter().find(|(sent, _, _)| *sent == r))
        .or(sections.first())
        .map(|&(_, root, _)| root)
        .ok_or("no section")?;
    const CAP: u64 = 1 << 20;
    // Early blocks spill into a directory of their own under the temporary directory,
    // which the walk removes when it ends (tests/fuzz.sh points TMPDIR at its scratch
    // directory, for what a crash leaves behind).
    let mut walker = Walker::new(
        root,
        Sink::Memory {
            buf: Vec::new(),
            started: false,
        },
        std::env::temp_dir(),
        Limits {
            max_spill_bytes: CAP,
            max_bytes: Some(CAP),
        },
    );
    sections
        .iter()
        .try_for_each(|(_, c, b)| walker.offer(c, b))
        .and(read)
        .map_err(|e| e.to_string())?;
    let (stats, mut sink) = walker.commit().map_err(|e| e.to_string())?;
    let bytes = sink.take_bytes();
    assert_eq!(bytes.len() as u64, stats.bytes);
    assert!(stats.bytes <= CAP);
    Ok(stats.bytes)
}

#[cfg(test)]
mod tests {
    /// The committed seeds of the `car` target are whole downloads that walk to the end
    /// with the bytes they hold (a raw block; a file of four 100-byte leaves, one repeated
    /// and sent once, root first and leaves first, so that early blocks are spilled and
    /// read back; a CIDv0 file with inline data; a file over an identity leaf), and the
    /// directory seed stops where a memory download refuses a directory. So the fuzzer
    /// starts from inputs that reach the end of the walk.
    #[test]
    fn car_seeds_walk_to_the_end() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/car");
        let mut seeds: Vec<(String, Result<u64, String>)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.starts_with("seed-"))
            .map(|n| {
                let walked = super::car(&std::fs::read(dir.join(&n)).unwrap());
                (n, walked)
            })
            .collect();
        seeds.sort();
        let bytes = |name: &str| seeds.iter().find(|(n, _)| n == name).unwrap().1.clone();
        assert_eq!(seeds.len(), 6, "{seeds:?}");
        assert_eq!(bytes("seed-raw-file"), Ok(13));
        assert_eq!(bytes("seed-file-dag-dups"), Ok(400));
        assert_eq!(bytes("seed-file-dag-leaves-first"), Ok(400));
        assert_eq!(bytes("seed-v0-inline-file"), Ok(16));
        assert_eq!(bytes("seed-identity-leaf"), Ok(5));
        let e = bytes("seed-directory").unwrap_err();
        assert!(e.contains("director"), "{e}");
    }
}
