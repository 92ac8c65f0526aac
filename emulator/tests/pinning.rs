//! pinFileToIPFS (files, directories, options), pinJSONToIPFS, duplicates,
//! hashMetadata, unpin, pin policies, pinByHash and pin jobs.

//!
//! Every expected CID is hard-coded from an outside implementation (kubo's
//! tests, the UnixFS spec, the npm importer), never computed with the
//! library's `pinata::cid`: see `tests/VECTORS.md`.

mod common;
#[path = "../../tests/upload_vectors/mod.rs"]
mod upload_vectors;

use common::{Emu, Part};
use serde_json::{json, Value};
use upload_vectors as uv;

const MORE_THAN_ONE: &str =
    r#"{"error":"More than one file and/or directory was provided for pinning."}"#;
const INVALID_FORMAT: &str = r#"{"error":"Invalid request format."}"#;

fn pin(emu: &Emu, files: &[(&str, &[u8])], meta: Option<&str>, opts: Option<&str>) -> Value {
    let r = emu.pin_files(&emu.admin(), files, meta, opts, false);
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

fn check_pin_response(v: &Value) {
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(&keys[..3], ["IpfsHash", "PinSize", "Timestamp"]);
    let ts = v["Timestamp"].as_str().unwrap();
    assert_eq!(ts.len(), 24, "{ts}");
    assert!(
        ts.ends_with('Z') && &ts[10..11] == "T" && &ts[19..20] == ".",
        "{ts}"
    );
    assert!(v["PinSize"].is_u64());
}

#[test]
fn single_file_cids() {
    let emu = Emu::start();
    let v = pin(&emu, &[("hello.txt", b"hello world\n")], None, None);
    check_pin_response(&v);
    assert_eq!(
        v["IpfsHash"],
        "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"
    );
    assert_eq!(v["PinSize"], 20);
    assert!(v.get("isDuplicate").is_none());

    let v = pin(
        &emu,
        &[("hello.txt", b"Hello World!")],
        None,
        Some(r#"{"cidVersion":1}"#),
    );
    assert_eq!(
        v["IpfsHash"],
        "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne"
    );
    assert_eq!(v["PinSize"], 12);

    // Explicit cidVersion 0, and options sent after the file part.
    let r = emu.pin_files(
        &emu.admin(),
        &[("e", b"")],
        None,
        Some(r#"{"cidVersion":0}"#),
        true,
    );
    assert_eq!(
        r.json()["IpfsHash"],
        "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"
    );
    let r = emu.pin_files(
        &emu.admin(),
        &[("e", b"")],
        None,
        Some(r#"{"cidVersion":1}"#),
        true,
    );
    assert_eq!(
        r.json()["IpfsHash"],
        "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
    );
    // cidVersion as a string.
    let r = emu.pin_files(
        &emu.admin(),
        &[("h", b"hello world")],
        None,
        Some(r#"{"cidVersion":"1"}"#),
        false,
    );
    assert_eq!(
        r.json()["IpfsHash"],
        "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"
    );

    // Multi-chunk files, streamed.
    let zeros = vec![0u8; 262_145];
    let v = pin(&emu, &[("z.bin", &zeros)], None, None);
    assert_eq!(
        v["IpfsHash"],
        "QmbVuw4C4vcmVKqxoWtgDVobvcHrSn51qsmQmyxjk4sB2Q"
    );
    let v = pin(
        &emu,
        &[("z.bin", &zeros)],
        None,
        Some(r#"{"cidVersion":1}"#),
    );
    assert_eq!(
        v["IpfsHash"],
        "bafybeigllfqgfpqydppr6cmv56g7ax4wyhruzswvcefv6j5kj77nzttfki"
    );
    let mib = vec![0u8; 1_048_576];
    let r = emu.pin_files(&emu.admin(), &[("m.bin", &mib)], None, None, true);
    assert_eq!(r.json()["IpfsHash"], uv::ZEROS_1MIB_V0.cid);
    assert_eq!(r.json()["PinSize"], uv::ZEROS_1MIB_V0.size);
}

#[test]
fn directories_and_wrapping() {
    let emu = Emu::start();
    let planets: [(&str, &[u8]); 2] = [
        ("planets/mars.txt", b"Hello Mars!\n"),
        ("planets/venus.txt", b"Hello Venus!\n"),
    ];
    let v = pin(&emu, &planets, None, None);
    check_pin_response(&v);
    assert_eq!(
        v["IpfsHash"],
        "QmWSgS32xQEcXMeqd3YPJLrNBLSdsfYCep2U7CFkyrjXwY"
    );
    let r = emu.pin_files(
        &emu.admin(),
        &planets,
        None,
        Some(r#"{"cidVersion":1}"#),
        true,
    );
    assert_eq!(
        r.json()["IpfsHash"],
        "bafybeih7e5dmkyk25up5vxug4q3hrg2fxbzf23dfrac2fns5h7z4aa7ioi"
    );
    // Nested directories (order of parts does not matter).
    let v = pin(
        &emu,
        &[
            ("root/foo.txt", b"Hello, IPFS!\n"),
            ("root/foo/bar.txt", b"Hello, world!\n"),
        ],
        None,
        Some(r#"{"cidVersion":1}"#),
    );
    assert_eq!(
        v["IpfsHash"],
        "bafybeiegxwlgmoh2cny7qlolykdf7aq7g6dlommarldrbm7c4hbckhfcke"
    );
    let v = pin(
        &emu,
        &[("d/hey", b"Hey\n"), ("d/hello/world", b"World\n")],
        None,
        None,
    );
    assert_eq!(
        v["IpfsHash"],
        "QmZQWnfcqJ6hNkkPvrY9Q5X39GP3jUnUbAV4AbmbbR3Cb1"
    );
    // One file under a folder is a directory.
    let v = pin(
        &emu,
        &[("only/hello.txt", b"hello\n")],
        None,
        Some(r#"{"cidVersion":1}"#),
    );
    assert_eq!(
        v["IpfsHash"],
        "bafybeigdcg7pksx2zk5336vrfsktjodlr4rbfz37qr3koc5xboxe5ekv24"
    );

    // wrapWithDirectory on a single file.
    let v = pin(
        &emu,
        &[("file.txt", b"IPFS\n")],
        None,
        Some(r#"{"wrapWithDirectory":true}"#),
    );
    assert_eq!(
        v["IpfsHash"],
        "QmVcbNxL7X3Nhuasd12HHf6u7CKiMGQkULySx9JE5UXMGb"
    );
    let v = pin(
        &emu,
        &[("example.jpg", b"")],
        None,
        Some(r#"{"wrapWithDirectory":true}"#),
    );
    assert_eq!(
        v["IpfsHash"],
        "QmaG4FuMqEBnQNn3C8XJ5bpW8kLs7zq2ZXgHptJHbKDDVx"
    );
    // wrapWithDirectory on a folder: the folder inside a directory.
    let v = pin(
        &emu,
        &planets,
        None,
        Some(r#"{"wrapWithDirectory":true,"cidVersion":1}"#),
    );
    assert_eq!(v["IpfsHash"], uv::PLANETS_V1_WRAPPED.cid);
    assert_eq!(v["PinSize"], uv::PLANETS_V1_WRAPPED.size);

    // Names, MIME types, file counts.
    let rows = emu.get("/data/pinList?pageLimit=100", &emu.admin()).json()["rows"].clone();
    let row = |cid: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["ipfs_pin_hash"] == cid)
            .unwrap()
            .clone()
    };
    let p = row("QmWSgS32xQEcXMeqd3YPJLrNBLSdsfYCep2U7CFkyrjXwY");
    assert_eq!(p["metadata"]["name"], "planets");
    assert_eq!(p["mime_type"], "directory");
    assert_eq!(p["number_of_files"], 2);
    let w = row("QmVcbNxL7X3Nhuasd12HHf6u7CKiMGQkULySx9JE5UXMGb");
    assert_eq!(w["metadata"]["name"], "file.txt");
    assert_eq!(w["mime_type"], "directory");
    assert_eq!(w["number_of_files"], 1);
}

#[test]
fn tree_with_hidden_files_as_uploaded() {
    // The fixture's empty folders cannot travel in multipart; its hidden
    // files do. Parts in reverse order: the tree does not depend on it.
    let emu = Emu::start();
    let parts = uv::tree_parts();
    let mut files: Vec<(&str, &[u8])> = parts.iter().map(|(p, d)| (p.as_str(), *d)).collect();
    files.reverse();
    for (opts, expect) in [
        (None, &uv::TREE_V0),
        (Some(r#"{"cidVersion":1}"#), &uv::TREE_V1),
        (Some(r#"{"wrapWithDirectory":true}"#), &uv::TREE_V0_WRAPPED),
        (
            Some(r#"{"wrapWithDirectory":true,"cidVersion":1}"#),
            &uv::TREE_V1_WRAPPED,
        ),
    ] {
        let v = pin(&emu, &files, None, opts);
        assert_eq!(v["IpfsHash"], expect.cid, "{opts:?}");
        assert_eq!(v["PinSize"], expect.size, "{opts:?}");
    }
    let rows = emu.get("/data/pinList?pageLimit=10", &emu.admin()).json();
    assert_eq!(rows["count"], 4);
    for row in rows["rows"].as_array().unwrap() {
        assert_eq!(row["metadata"]["name"], uv::TREE_ROOT);
        assert_eq!(row["number_of_files"], uv::TREE_FILES.len());
    }
}

#[test]
fn directory_errors() {
    let emu = Emu::start();
    for files in [
        vec![("a.txt", &b"a"[..]), ("b.txt", &b"b"[..])],
        vec![("x/a.txt", &b"a"[..]), ("y/b.txt", &b"b"[..])],
        vec![("x/a.txt", &b"a"[..]), ("b.txt", &b"b"[..])],
    ] {
        let r = emu.pin_files(&emu.admin(), &files, None, None, false);
        assert_eq!(
            (r.status, r.text().as_str()),
            (400, MORE_THAN_ONE),
            "{files:?}"
        );
    }
    // The same path twice is not a valid tree.
    let r = emu.pin_files(
        &emu.admin(),
        &[("x/a", b"1"), ("x/a", b"2")],
        None,
        None,
        false,
    );
    assert_eq!((r.status, r.text().as_str()), (400, INVALID_FORMAT));
    // Nor is a path that climbs out of its folder.
    let r = emu.pin_files(
        &emu.admin(),
        &[("x/../a", b"1"), ("x/b", b"2")],
        None,
        None,
        false,
    );
    assert_eq!((r.status, r.text().as_str()), (400, INVALID_FORMAT));
    // Nothing was stored.
    assert_eq!(emu.get("/data/pinList", &emu.admin()).json()["count"], 0);
}

#[test]
fn multipart_errors() {
    let emu = Emu::start();
    // Content-Type: application/json on a multipart body.
    let body = common::multipart_body("XyZ", &[Part::file("file", "a.txt", b"a")]);
    let mut h = emu.admin();
    h.push(("Content-Type".into(), "application/json".into()));
    let r = emu.raw("POST", "/pinning/pinFileToIPFS", &h, Some(&body));
    assert_eq!(r.status, 400);
    assert_eq!(
        r.text(),
        r#"{"error":{"reason":"UNKNOWN_REASON","details":"Unexpected token - in JSON at position 0"}}"#
    );
    // JSON parsing happens before authentication.
    let h = vec![("Content-Type".to_string(), "application/json".to_string())];
    let r = emu.raw("POST", "/pinning/pinFileToIPFS", &h, Some(&body));
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["reason"], "UNKNOWN_REASON");

    // Malformed multipart bodies and headers.
    let mp = |ct: &str, body: &[u8]| {
        let mut h = emu.admin();
        h.push(("Content-Type".into(), ct.into()));
        emu.raw("POST", "/pinning/pinFileToIPFS", &h, Some(body))
    };
    for (ct, body) in [
        ("multipart/form-data; boundary=abc", &b"this is not multipart"[..]),
        ("multipart/form-data; boundary=abc", &b"--abc\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nunterminated"[..]),
        ("multipart/form-data", &b"--abc--\r\n"[..]),
        ("text/plain", &b"hello"[..]),
        ("multipart/form-data; boundary=abc", &b"--abc--\r\n"[..]),
    ] {
        let r = mp(ct, body);
        assert_eq!((r.status, r.text().as_str()), (400, INVALID_FORMAT), "{ct} {:?}", String::from_utf8_lossy(body));
    }
    // No file part at all (only metadata, or a `file` field without filename).
    let r = emu.multipart(
        &emu.admin(),
        &[Part::field("pinataMetadata", r#"{"name":"x"}"#)],
    );
    assert_eq!((r.status, r.text().as_str()), (400, INVALID_FORMAT));
    let r = emu.multipart(&emu.admin(), &[Part::field("file", "just text")]);
    assert_eq!((r.status, r.text().as_str()), (400, INVALID_FORMAT));
    // Missing credentials on a multipart upload.
    let r = emu.pin_files(&[], &[("a", b"a")], None, None, false);
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["reason"], "KEYS_MUST_BE_STRINGS");

    // Invalid options / metadata.
    let f: [(&str, &[u8]); 1] = [("a.txt", b"a")];
    for (meta, opts, expect) in [
        (
            None,
            Some(r#"{"cidVersion":2}"#),
            json!({"error": "pinataOptions.cidVersion must be 0 or 1"}),
        ),
        (
            None,
            Some(r#"{"wrapWithDirectory":"yes"}"#),
            json!({"error": "pinataOptions.wrapWithDirectory must be a boolean"}),
        ),
        (
            None,
            Some("{bad"),
            json!({"error": {"reason": "UNKNOWN_REASON", "details": "Unexpected token b in JSON at position 1"}}),
        ),
        (
            Some("nope"),
            None,
            json!({"error": {"reason": "UNKNOWN_REASON", "details": "Unexpected token o in JSON at position 1"}}),
        ),
        (
            Some(r#"{"keyvalues":{"a":{"nested":1}}}"#),
            None,
            json!({"error": "Metadata keyvalue \"a\" must be a string or a number"}),
        ),
        (
            Some(
                r#"{"keyvalues":{"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11}}"#,
            ),
            None,
            json!({"error": "Metadata keyvalues cannot contain more than 10 key-value pairs"}),
        ),
    ] {
        for last in [false, true] {
            let r = emu.pin_files(&emu.admin(), &f, meta, opts, last);
            assert_eq!(r.status, 400, "{meta:?} {opts:?}");
            assert_eq!(r.json(), expect);
        }
    }
    // Exactly 10 keyvalues is fine.
    let r = emu.pin_files(
        &emu.admin(),
        &f,
        Some(r#"{"name":"ten","keyvalues":{"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":"x"}}"#),
        None,
        false,
    );
    assert_eq!(r.status, 200);
    // The connection survives an early 400 and can be reused.
    assert_eq!(
        emu.get("/data/testAuthentication", &emu.admin()).status,
        200
    );
}

#[test]
fn duplicates_and_repinning() {
    let emu = Emu::start();
    let f: [(&str, &[u8]); 1] = [("d.txt", b"duplicate me")];
    let a = pin(&emu, &f, Some(r#"{"name":"first"}"#), None);
    assert!(a.get("isDuplicate").is_none());
    let b = pin(&emu, &f, Some(r#"{"name":"second"}"#), None);
    assert_eq!(b["isDuplicate"], true);
    assert_eq!(b["IpfsHash"], a["IpfsHash"]);
    assert_eq!(b["PinSize"], a["PinSize"]);
    let l = emu.get("/data/pinList", &emu.admin()).json();
    assert_eq!(l["count"], 1);
    assert_eq!(l["rows"][0]["metadata"]["name"], "first");
    // Same CID through pinJSONToIPFS of different bytes is not a duplicate;
    // pinning the same JSON twice is.
    let j = emu
        .json(
            "POST",
            "/pinning/pinJSONToIPFS",
            &emu.admin(),
            &json!({"pinataContent": "dup"}),
        )
        .json();
    assert!(j.get("isDuplicate").is_none());
    let j2 = emu
        .json(
            "POST",
            "/pinning/pinJSONToIPFS",
            &emu.admin(),
            &json!({"pinataContent": "dup"}),
        )
        .json();
    assert_eq!(j2["isDuplicate"], true);
    // After unpinning, pinning again creates a new row.
    let cid = a["IpfsHash"].as_str().unwrap();
    assert_eq!(
        emu.delete(&format!("/pinning/unpin/{cid}"), &emu.admin())
            .status,
        200
    );
    let c = pin(&emu, &f, None, None);
    assert!(c.get("isDuplicate").is_none());
    let l = emu
        .get(&format!("/data/pinList?cid={cid}"), &emu.admin())
        .json();
    assert_eq!(l["count"], 2);
    assert_eq!(l["rows"][0]["date_unpinned"], Value::Null);
    assert!(l["rows"][1]["date_unpinned"].is_string());
    assert_eq!(l["rows"][0]["metadata"]["name"], "d.txt");
}

/// POSTs a JSON body given as text (its bytes, whitespace and key order as written).
fn post_json_text(emu: &Emu, body: &str) -> common::Resp {
    let mut h = emu.admin();
    h.push(("Content-Type".into(), "application/json".into()));
    emu.raw("POST", "/pinning/pinJSONToIPFS", &h, Some(body.as_bytes()))
}

#[test]
fn pin_json() {
    let emu = Emu::start();
    // The document is pinned as JSON.stringify prints it (whitespace gone,
    // keys in their order, a repeated key's last value in its first place).
    let body = format!(
        r#"{{"pinataContent": {}, "pinataMetadata": {{"name": "doc.json", "keyvalues": {{"env": "test", "n": 3}}}}}}"#,
        uv::JSON_CONTENT
    );
    let r = post_json_text(&emu, &body);
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    check_pin_response(&v);
    assert_eq!(v["IpfsHash"], uv::JSON_V0.cid);
    assert_eq!(v["PinSize"], uv::JSON_V0.size);
    let row = emu.get("/data/pinList", &emu.admin()).json()["rows"][0].clone();
    assert_eq!(
        row["metadata"],
        json!({"name": "doc.json", "keyvalues": {"env": "test", "n": 3}})
    );
    assert_eq!(row["mime_type"], "application/json");
    assert_eq!(row["number_of_files"], 1);

    // cidVersion 1 with groupId; default name "json".
    let body = format!(
        r#"{{"pinataOptions": {{"cidVersion": 1, "groupId": "g1"}}, "pinataContent": {}}}"#,
        uv::JSON_CONTENT
    );
    let r = post_json_text(&emu, &body);
    assert_eq!(r.json()["IpfsHash"], uv::JSON_V1.cid);
    assert_eq!(r.json()["PinSize"], uv::JSON_V1.size);
    let rows = emu.get("/data/pinList?groupId=g1", &emu.admin()).json();
    assert_eq!(rows["count"], 1);
    assert_eq!(rows["rows"][0]["metadata"]["name"], "json");
    assert_eq!(rows["rows"][0]["metadata"]["keyvalues"], Value::Null);

    // A bare body (no pinataContent) is pinned whole.
    let r = post_json_text(&emu, uv::JSON_BARE_BODY);
    assert_eq!(r.json()["IpfsHash"], uv::JSON_BARE_V0.cid);
    assert_eq!(r.json()["PinSize"], uv::JSON_BARE_V0.size);

    // JavaScript's own rules: array-index keys first, doubles as JS prints them.
    let r = post_json_text(&emu, uv::JSON_JS_RULES_BODY);
    assert_eq!(r.json()["IpfsHash"], uv::JSON_JS_RULES_V0.cid);
    assert_eq!(r.json()["PinSize"], uv::JSON_JS_RULES_V0.size);
    let v1 = uv::JSON_JS_RULES_BODY.replacen('{', r#"{"pinataOptions": {"cidVersion": 1}, "#, 1);
    let r = post_json_text(&emu, &v1);
    assert_eq!(r.json()["IpfsHash"], uv::JSON_JS_RULES_V1.cid);
    assert_eq!(r.json()["PinSize"], uv::JSON_JS_RULES_V1.size);

    // Errors.
    let r = emu.raw(
        "POST",
        "/pinning/pinJSONToIPFS",
        &emu.admin(),
        Some(b"{\"pinataContent\":1}"),
    );
    assert_eq!(
        (r.status, r.text().as_str()),
        (400, r#"{"error":"Content-Type must be application/json"}"#)
    );
    let mut h = emu.admin();
    h.push(("Content-Type".into(), "application/json".into()));
    let r = emu.raw(
        "POST",
        "/pinning/pinJSONToIPFS",
        &h,
        Some(b"{\"pinataContent\": }"),
    );
    assert_eq!(
        r.text(),
        r#"{"error":{"reason":"UNKNOWN_REASON","details":"Unexpected token } in JSON at position 18"}}"#
    );
    let r = emu.raw(
        "POST",
        "/pinning/pinJSONToIPFS",
        &h,
        Some(b"\"just a string\""),
    );
    assert_eq!(
        r.text(),
        r#"{"error":{"reason":"UNKNOWN_REASON","details":"Unexpected token \" in JSON at position 0"}}"#
    );
    let r = emu.json(
        "POST",
        "/pinning/pinJSONToIPFS",
        &emu.admin(),
        &json!({"pinataContent": 1, "pinataOptions": {"cidVersion": 7}}),
    );
    assert_eq!(r.status, 400);
    let mut big = String::from("{\"pinataContent\":\"");
    big.push_str(&"x".repeat(10 * 1024 * 1024));
    big.push_str("\"}");
    let r = emu.raw("POST", "/pinning/pinJSONToIPFS", &h, Some(big.as_bytes()));
    assert_eq!(r.status, 413);
    assert_eq!(
        r.text(),
        r#"{"error":{"reason":"PAYLOAD_TOO_LARGE","details":"request entity too large"}}"#
    );
    // Just under the limit is accepted.
    let mut ok = String::from("{\"pinataContent\":\"");
    ok.push_str(&"y".repeat(10 * 1024 * 1024 - 40));
    ok.push_str("\"}");
    let r = emu.raw("POST", "/pinning/pinJSONToIPFS", &h, Some(ok.as_bytes()));
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn hash_metadata_merges() {
    let emu = Emu::start();
    let v = pin(
        &emu,
        &[("m.txt", b"meta")],
        Some(r#"{"name":"orig","keyvalues":{"a":"1","b":2,"c":"3"}}"#),
        None,
    );
    let cid = v["IpfsHash"].as_str().unwrap().to_string();
    let r = emu.json(
        "PUT",
        "/pinning/hashMetadata",
        &emu.admin(),
        &json!({"ipfsPinHash": cid, "name": "renamed", "keyvalues": {"a": "one", "b": null, "d": 4}}),
    );
    assert_eq!((r.status, r.text().as_str()), (200, "OK"));
    assert_eq!(r.header("content-type"), Some("text/plain; charset=utf-8"));
    let row = emu.get("/data/pinList", &emu.admin()).json()["rows"][0].clone();
    assert_eq!(
        row["metadata"],
        json!({"name": "renamed", "keyvalues": {"a": "one", "c": "3", "d": 4}})
    );
    // keyvalues as a JSON string; name untouched.
    let r = emu.json(
        "PUT",
        "/pinning/hashMetadata",
        &emu.admin(),
        &json!({"ipfsPinHash": cid, "keyvalues": "{\"e\":\"5\",\"a\":null}"}),
    );
    assert_eq!(r.status, 200);
    let row = emu.get("/data/pinList", &emu.admin()).json()["rows"][0].clone();
    assert_eq!(
        row["metadata"],
        json!({"name": "renamed", "keyvalues": {"c": "3", "d": 4, "e": "5"}})
    );
    // More than 10 after the merge.
    let many: serde_json::Map<String, Value> =
        (0..8).map(|i| (format!("n{i}"), json!(i))).collect();
    let r = emu.json(
        "PUT",
        "/pinning/hashMetadata",
        &emu.admin(),
        &json!({"ipfsPinHash": cid, "keyvalues": many}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json(),
        json!({"error": "Metadata keyvalues cannot contain more than 10 key-value pairs"})
    );
    // Unchanged after the failure.
    let row = emu.get("/data/pinList", &emu.admin()).json()["rows"][0].clone();
    assert_eq!(
        row["metadata"]["keyvalues"],
        json!({"c": "3", "d": 4, "e": "5"})
    );
    // Not pinned.
    let other = "QmYyLxtzZyW22zpoVAtKANLRHpDjZtNeDjQdJrcQNWoRkJ";
    let r = emu.json(
        "PUT",
        "/pinning/hashMetadata",
        &emu.admin(),
        &json!({"ipfsPinHash": other, "name": "x"}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        r.text(),
        format!(
            r#"{{"error":{{"reason":"CURRENT_USER_HAS_NOT_PINNED_CID","details":"The current user has not pinned the cid: {other}"}}}}"#
        )
    );
    let r = emu.json(
        "PUT",
        "/pinning/hashMetadata",
        &emu.admin(),
        &json!({"name": "x"}),
    );
    assert_eq!(
        r.json(),
        json!({"error": "ipfsPinHash is required and must be a string"})
    );
    let r = emu.json(
        "PUT",
        "/pinning/hashMetadata",
        &emu.admin(),
        &json!({"ipfsPinHash": cid, "keyvalues": {"x": [1]}}),
    );
    assert_eq!(r.status, 400);
}

#[test]
fn unpin_and_totals() {
    let emu = Emu::start();
    let a = pin(&emu, &[("a.txt", b"hello world\n")], None, None);
    let b = pin(
        &emu,
        &[("b.txt", b"Hello World!")],
        None,
        Some(r#"{"cidVersion":1}"#),
    );
    let t = emu.get("/data/userPinnedDataTotal", &emu.admin()).json();
    assert_eq!(
        t,
        json!({"pin_count": 2, "pin_size_total": 32, "pin_size_with_replications_total": 32})
    );

    let cid = a["IpfsHash"].as_str().unwrap();
    let r = emu.delete(&format!("/pinning/unpin/{cid}"), &emu.admin());
    assert_eq!((r.status, r.text().as_str()), (200, "OK"));
    assert_eq!(r.header("content-type"), Some("text/plain; charset=utf-8"));
    let r = emu.delete(&format!("/pinning/unpin/{cid}"), &emu.admin());
    assert_eq!(r.status, 400);
    assert_eq!(
        r.text(),
        format!(
            r#"{{"error":{{"reason":"CURRENT_USER_HAS_NOT_PINNED_CID","details":"The current user has not pinned the cid: {cid}"}}}}"#
        )
    );
    let t = emu.get("/data/userPinnedDataTotal", &emu.admin()).json();
    assert_eq!(
        t,
        json!({"pin_count": 1, "pin_size_total": 12, "pin_size_with_replications_total": 12})
    );
    let rows = emu
        .get("/data/pinList?status=unpinned", &emu.admin())
        .json();
    assert_eq!(rows["count"], 1);
    assert_eq!(rows["rows"][0]["ipfs_pin_hash"], cid);
    assert!(rows["rows"][0]["date_unpinned"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    let _ = b;
    // Pin policies are accepted and ignored.
    let r = emu.json(
        "PUT",
        "/pinning/userPinPolicy",
        &emu.admin(),
        &json!({"newPinPolicy": {"regions": [{"id": "FRA1", "desiredReplicationCount": 1}]}, "migratePreviousPins": true}),
    );
    assert_eq!((r.status, r.text().as_str()), (200, "OK"));
    let r = emu.json(
        "PUT",
        "/pinning/hashPinPolicy",
        &emu.admin(),
        &json!({"ipfsPinHash": cid, "newPinPolicy": {}}),
    );
    assert_eq!((r.status, r.text().as_str()), (200, "OK"));
}

#[test]
fn pin_by_hash_jobs() {
    let emu = Emu::start();
    let cid = "QmWmRj3dFDZdb6ABvbmKhEL6TmPbAfBZ1t5BxsEyJrcZhE";
    let r = emu.json(
        "POST",
        "/pinning/pinByHash",
        &emu.admin(),
        &json!({"hashToPin": cid, "pinataMetadata": {"name": "by hash", "keyvalues": {"k": "v"}},
                "pinataOptions": {"hostNodes": ["/ip4/1.2.3.4/tcp/4001/p2p/12D3KooW"], "groupId": "grp"}}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["id", "ipfsHash", "status", "name"]);
    assert_eq!(v["ipfsHash"], cid);
    assert_eq!(v["status"], "prechecking");
    assert_eq!(v["name"], "by hash");
    let id = v["id"].as_str().unwrap().to_string();

    let jobs = emu.get("/pinning/pinJobs", &emu.admin()).json();
    assert_eq!(jobs["count"], 1);
    let row = &jobs["rows"][0];
    let keys: Vec<&str> = row
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "ipfs_pin_hash",
            "date_queued",
            "name",
            "status",
            "keyvalues",
            "host_nodes",
            "pin_policy"
        ]
    );
    assert_eq!(row["keyvalues"], json!({"k": "v"}));
    assert_eq!(
        row["host_nodes"],
        json!(["/ip4/1.2.3.4/tcp/4001/p2p/12D3KooW"])
    );
    assert_eq!(
        row["pin_policy"],
        json!({"regions": [{"id": "FRA1", "desiredReplicationCount": 1}], "version": 1})
    );

    for expect in ["searching", "retrieving", "pinned"] {
        let r = emu.hook(&format!("pin-jobs/{id}/advance"), &Value::Null);
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["status"], expect);
        if expect != "pinned" {
            let j = emu
                .get(
                    &format!("/pinning/pinJobs?ipfs_pin_hash={cid}"),
                    &emu.admin(),
                )
                .json();
            assert_eq!(j["rows"][0]["status"], expect);
        }
    }
    assert_eq!(emu.get("/pinning/pinJobs", &emu.admin()).json()["count"], 0);
    let l = emu.get("/data/pinList", &emu.admin()).json();
    assert_eq!(l["count"], 1);
    assert_eq!(l["rows"][0]["ipfs_pin_hash"], cid);
    assert_eq!(l["rows"][0]["size"], 0);
    assert_eq!(
        l["rows"][0]["metadata"],
        json!({"name": "by hash", "keyvalues": {"k": "v"}})
    );
    assert_eq!(
        emu.get("/data/pinList?groupId=grp", &emu.admin()).json()["count"],
        1
    );
    assert_eq!(
        emu.hook(&format!("pin-jobs/{id}/advance"), &Value::Null)
            .status,
        404
    );

    // Failure statuses, terminal.
    let v = emu
        .json(
            "POST",
            "/pinning/pinByHash",
            &emu.admin(),
            &json!({"hashToPin": "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne"}),
        )
        .json();
    assert_eq!(
        v["name"],
        "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne"
    );
    let id2 = v["id"].as_str().unwrap().to_string();
    let r = emu.hook(
        &format!("pin-jobs/{id2}/advance"),
        &json!({"status": "expired"}),
    );
    assert_eq!(r.json()["status"], "expired");
    assert_eq!(
        emu.hook(&format!("pin-jobs/{id2}/advance"), &Value::Null)
            .status,
        409
    );
    assert_eq!(
        emu.hook(
            &format!("pin-jobs/{id2}/advance"),
            &json!({"status": "bogus"})
        )
        .status,
        400
    );
    let j = emu
        .get("/pinning/pinJobs?status=expired", &emu.admin())
        .json();
    assert_eq!(j["count"], 1);
    for s in [
        "invalid_object",
        "bad_host_node",
        "over_free_limit",
        "over_max_size",
    ] {
        let v = emu
            .json(
                "POST",
                "/pinning/pinByHash",
                &emu.admin(),
                &json!({"hashToPin": cid}),
            )
            .json();
        let r = emu.hook(
            &format!("pin-jobs/{}/advance", v["id"].as_str().unwrap()),
            &json!({"status": s}),
        );
        assert_eq!(r.json()["status"], s);
    }
    assert_eq!(
        emu.get("/pinning/pinJobs?limit=1000", &emu.admin()).json()["count"],
        5
    );

    // A CID uploaded (then unpinned) before keeps its size when pinned by hash.
    let up = pin(&emu, &[("h.txt", b"hello world\n")], None, None);
    let hw = up["IpfsHash"].as_str().unwrap();
    assert_eq!(
        emu.delete(&format!("/pinning/unpin/{hw}"), &emu.admin())
            .status,
        200
    );
    let v = emu
        .json(
            "POST",
            "/pinning/pinByHash",
            &emu.admin(),
            &json!({"hashToPin": hw}),
        )
        .json();
    let r = emu.hook(
        &format!("pin-jobs/{}/advance", v["id"].as_str().unwrap()),
        &json!({"status": "pinned"}),
    );
    assert_eq!(r.json()["status"], "pinned");
    let l = emu
        .get(
            &format!("/data/pinList?cid={hw}&status=pinned"),
            &emu.admin(),
        )
        .json();
    assert_eq!(l["rows"][0]["size"], 20);

    // Errors.
    for (body, msg) in [
        (json!({}), "hashToPin is required and must be a string"),
        (json!({"hashToPin": "not-a-cid"}), "Invalid CID: not-a-cid"),
        (
            json!({"hashToPin": cid, "pinataOptions": {"hostNodes": ["a", "b", "c", "d", "e", "f"]}}),
            "pinataOptions.hostNodes may contain at most 5 multiaddresses",
        ),
    ] {
        let r = emu.json("POST", "/pinning/pinByHash", &emu.admin(), &body);
        assert_eq!(r.status, 400, "{body}");
        assert_eq!(r.json(), json!({ "error": msg }));
    }
    let r = emu.raw(
        "POST",
        "/pinning/pinByHash",
        &emu.admin(),
        Some(format!("{{\"hashToPin\":\"{cid}\"}}").as_bytes()),
    );
    assert_eq!(
        (r.status, r.text().as_str()),
        (400, r#"{"error":"Content-Type must be application/json"}"#)
    );
}

#[test]
fn pin_jobs_paging_sorting_and_backfill() {
    let emu = Emu::start();
    let cids = [
        "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
        "Qmf412jQZiuVUtdgnB36FXFX7xg5V6KEbSJ4dpQuhkLyfD",
        "QmVr26fY1tKyspEJBniVhqxQeEjhF78XerGiqWAwraVLQH",
        "QmdFyxZXsFiP4csgfM5uPu99AvFiKH62CSPDw5TP92nr7w",
        "QmUnvPcBctVTAcJpigv6KMqDvmDewksPWrNVoy1E1WP5fh",
        "QmZDhWpi8NvKrekaYYhxKCdNVGWsFFe1CREnAjP1QbPaB3",
        "QmS92gwP5AAp6YHyG7QypC81H3ARBmNTbozJ1gTrhy2ASA",
    ];
    for c in cids {
        let r = emu.json(
            "POST",
            "/pinning/pinByHash",
            &emu.admin(),
            &json!({"hashToPin": c}),
        );
        assert_eq!(r.status, 200);
    }
    let j = emu.get("/pinning/pinJobs", &emu.admin()).json();
    assert_eq!(j["count"], 7);
    assert_eq!(j["rows"].as_array().unwrap().len(), 5);
    assert_eq!(j["rows"][0]["ipfs_pin_hash"], cids[0]);
    let j = emu
        .get("/pinning/pinJobs?sort=DESC&limit=2&offset=1", &emu.admin())
        .json();
    let got: Vec<&str> = j["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ipfs_pin_hash"].as_str().unwrap())
        .collect();
    assert_eq!(got, [cids[5], cids[4]]);
    let j = emu
        .get(
            "/pinning/pinJobs?sort=ASC&offset=5&includesCount=false",
            &emu.admin(),
        )
        .json();
    assert_eq!(j["rows"].as_array().unwrap().len(), 2);
    for bad in ["sort=DSC", "limit=0", "limit=1001", "offset=-1"] {
        let r = emu.get(&format!("/pinning/pinJobs?{bad}"), &emu.admin());
        assert_eq!(r.status, 400, "{bad}");
        assert!(r.json()["error"].is_string());
    }
    // Unpinning a queued CID cancels its job.
    let r = emu.delete(&format!("/pinning/unpin/{}", cids[6]), &emu.admin());
    assert_eq!((r.status, r.text().as_str()), (200, "OK"));
    assert_eq!(emu.get("/pinning/pinJobs", &emu.admin()).json()["count"], 6);

    // 250 in flight: the next is backfilled; advancing it starts it.
    for _ in 0..244 {
        emu.json(
            "POST",
            "/pinning/pinByHash",
            &emu.admin(),
            &json!({"hashToPin": cids[0]}),
        );
    }
    let v = emu
        .json(
            "POST",
            "/pinning/pinByHash",
            &emu.admin(),
            &json!({"hashToPin": cids[1]}),
        )
        .json();
    assert_eq!(v["status"], "backfilled");
    let j = emu
        .get("/pinning/pinJobs?status=backfilled", &emu.admin())
        .json();
    assert_eq!(j["count"], 1);
    let r = emu.hook(
        &format!("pin-jobs/{}/advance", v["id"].as_str().unwrap()),
        &Value::Null,
    );
    assert_eq!(r.json()["status"], "prechecking");
}
