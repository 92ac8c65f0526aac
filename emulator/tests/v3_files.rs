//! The v3 Files API of the emulator: uploads (public, private, CIDs, fields),
//! the one store shared with the legacy pin list, list filters and paging,
//! get/update/delete, signed upload URLs, download links and the private
//! gateway path, the v3 pin-by-CID queue, aliases and resource scopes.
//!
//! Expected CIDs are the outside vectors of `tests/VECTORS.md`.

mod common;

use common::{bearer, request, Emu, Part};
use serde_json::{json, Value};

const HELLO_V0: &str = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";
/// Raw-leaf CIDv1 of `hello world\n`: its digest is `sha256sum` a948904f…a447.
const HELLO_V1: &str = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";

fn upload(
    emu: &Emu,
    headers: &[(String, String)],
    fname: &str,
    data: &[u8],
    fields: &[(&str, &str)],
) -> common::Resp {
    let mut parts = vec![Part::file("file", fname, data)];
    for (k, v) in fields {
        parts.push(Part::field(k, v));
    }
    post_form(&format!("{}/v3/files", emu.url), headers, &parts)
}

/// POSTs a multipart form to `url`.
fn post_form(url: &str, headers: &[(String, String)], parts: &[Part]) -> common::Resp {
    let b = "XyZbOuNdArY";
    let body = common::multipart_body(b, parts);
    let mut h = headers.to_vec();
    h.push((
        "Content-Type".into(),
        format!("multipart/form-data; boundary={b}"),
    ));
    request("POST", url, &h, Some(&body))
}

fn ok_data(r: &common::Resp) -> Value {
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["data"].clone()
}

#[test]
fn upload_public_private_and_one_store() {
    let emu = Emu::start();
    let a = emu.admin();
    let r = upload(
        &emu,
        &a,
        "hello.txt",
        b"hello world\n",
        &[
            ("network", "public"),
            ("name", "greeting"),
            ("keyvalues", r#"{"env":"prod"}"#),
            ("group_id", "g1"),
        ],
    );
    let f = ok_data(&r);
    assert_eq!(f["cid"], HELLO_V1, "v3 defaults to CIDv1");
    assert_eq!(f["name"], "greeting");
    assert_eq!(f["keyvalues"]["env"], "prod");
    assert_eq!(f["group_id"], "g1");
    assert_eq!(f["mime_type"], "text/plain");
    assert_eq!(f["number_of_files"], 1);
    assert_eq!(f["is_duplicate"], false);
    let id = f["id"].as_str().unwrap().to_string();
    assert_eq!(&id[14..15], "7", "UUIDv7 ids: {id}");

    // The same bytes again: a duplicate, nothing stored.
    let d = ok_data(&upload(
        &emu,
        &a,
        "other.txt",
        b"hello world\n",
        &[("network", "public")],
    ));
    assert_eq!(d["is_duplicate"], true);
    assert_eq!(d["id"], id.as_str());

    // v0 on request; private by default.
    let p = ok_data(&upload(
        &emu,
        &a,
        "hello.txt",
        b"hello world\n",
        &[("cid_version", "v0")],
    ));
    assert_eq!(p["cid"], HELLO_V0);
    assert_eq!(p["network"], "private");

    // One store: the public file is a pin; the private one is not.
    let pins = emu.get("/data/pinList?status=pinned", &a).json();
    let cids: Vec<&str> = pins["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ipfs_pin_hash"].as_str().unwrap())
        .collect();
    assert_eq!(cids, [HELLO_V1]);
    // A legacy pin is a public v3 file.
    let r = emu.pin_files(
        &a,
        &[("x.txt", b"Hello World!")],
        None,
        Some(r#"{"cidVersion":1}"#),
        false,
    );
    assert_eq!(r.status, 200);
    let list = ok_data(&emu.get("/v3/files/public", &a));
    assert_eq!(list["files"].as_array().unwrap().len(), 2);
    let private = ok_data(&emu.get("/v3/files/private", &a));
    assert_eq!(private["files"].as_array().unwrap().len(), 1);
    assert_eq!(private["files"][0]["cid"], HELLO_V0);
    // Deleting the public file unpins it.
    let r = emu.delete(&format!("/v3/files/public/{id}"), &a);
    assert_eq!(r.text(), r#"{"data":null}"#);
    let pins = emu.get("/data/pinList?status=pinned", &a).json();
    assert_eq!(pins["rows"].as_array().unwrap().len(), 1);
    assert_eq!(emu.get(&format!("/v3/files/public/{id}"), &a).status, 404);
}

#[test]
fn list_filters_paging_get_update_delete() {
    let emu = Emu::start();
    let a = emu.admin();
    let mut ids = Vec::new();
    for i in 0..7 {
        let mut fields = vec![
            ("network", "public".to_string()),
            ("name", format!("file-{i}")),
        ];
        if i % 2 == 0 {
            fields.push(("group_id", "even".into()));
            fields.push(("keyvalues", r#"{"kind":"even"}"#.into()));
        }
        let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let name = if i == 3 { "three.json" } else { "n.txt" };
        let v = ok_data(&upload(
            &emu,
            &a,
            name,
            format!("content {i}").as_bytes(),
            &f,
        ));
        ids.push(v["id"].as_str().unwrap().to_string());
    }
    // Paging: 7 rows by 3 = 3 pages, newest first, tokens base64 of the last id.
    let mut seen = Vec::new();
    let mut token = String::new();
    let mut pages = 0;
    loop {
        let q = if token.is_empty() {
            "/v3/files/public?limit=3".to_string()
        } else {
            format!("/v3/files/public?limit=3&pageToken={token}")
        };
        let d = ok_data(&emu.get(&q, &a));
        pages += 1;
        for f in d["files"].as_array().unwrap() {
            seen.push(f["id"].as_str().unwrap().to_string());
        }
        token = d["next_page_token"].as_str().unwrap().to_string();
        if token.is_empty() {
            break;
        }
    }
    assert_eq!(pages, 3);
    let mut rev = ids.clone();
    rev.reverse();
    assert_eq!(seen, rev);
    let asc = ok_data(&emu.get("/v3/files/public?order=ASC&limit=1", &a));
    assert_eq!(asc["files"][0]["id"], ids[0].as_str());

    let count = |q: &str| {
        ok_data(&emu.get(&format!("/v3/files/public?{q}"), &a))["files"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(count("group=even"), 4);
    assert_eq!(count("group=null"), 3);
    assert_eq!(count("keyvalues%5Bkind%5D=even"), 4);
    assert_eq!(count("name=file-1"), 1);
    assert_eq!(count("mimeType=application%2Fjson"), 1);
    assert_eq!(count("cidPending=true"), 0);
    let one = ok_data(&emu.get(&format!("/v3/files/public/{}", ids[1]), &a));
    assert_eq!(count(&format!("cid={}", one["cid"].as_str().unwrap())), 1);
    assert_eq!(emu.get("/v3/files/public?limit=0", &a).status, 400);
    assert_eq!(emu.get("/v3/files/public?order=UP", &a).status, 400);
    assert_eq!(emu.get("/v3/files/elsewhere", &a).status, 400);

    // Update: at least one field; keyvalues merged.
    let path = format!("/v3/files/public/{}", ids[0]);
    assert_eq!(emu.json("PUT", &path, &a, &json!({})).status, 400);
    let u = ok_data(&emu.json(
        "PUT",
        &path,
        &a,
        &json!({"name": "renamed", "keyvalues": {"x": "1"}}),
    ));
    assert_eq!(u["name"], "renamed");
    assert_eq!(u["keyvalues"], json!({"kind": "even", "x": "1"}));
    assert_eq!(
        emu.json("PUT", "/v3/files/public/nope", &a, &json!({"name": "x"}))
            .status,
        404
    );

    // GET and DELETE with Content-Type: application/json and an empty body.
    let mut h = a.clone();
    h.push(("Content-Type".into(), "application/json".into()));
    assert_eq!(emu.raw("GET", &path, &h, None).status, 200);
    assert_eq!(emu.raw("DELETE", &path, &h, None).status, 200);
    assert_eq!(emu.raw("DELETE", &path, &h, None).status, 404);
}

#[test]
fn signed_upload_urls() {
    let emu = Emu::start();
    let a = emu.admin();
    let now = chrono_now();
    let url = ok_data(&emu.json("POST", "/v3/files/sign", &a, &json!({"date": now, "expires": 60, "network": "public", "filename": "signed", "keyvalues": {"k": "v"}, "max_file_size": 20, "allow_mime_types": ["text/*"]})));
    let url = url.as_str().unwrap().to_string();
    assert!(
        url.contains("X-Algorithm=PINATA1") && url.contains("X-Signature="),
        "{url}"
    );
    let post = |headers: &[(String, String)], fname: &str, data: &[u8]| {
        let b = "XyZbOuNdArY";
        let body = common::multipart_body(
            b,
            &[
                Part::file("file", fname, data),
                Part::field("network", "private"),
            ],
        );
        let mut h = headers.to_vec();
        h.push((
            "Content-Type".into(),
            format!("multipart/form-data; boundary={b}"),
        ));
        request("POST", &url, &h, Some(&body))
    };
    // No credentials at all, and the SDK's `Bearer undefined`: both fine.
    let f = ok_data(&post(&[], "a.txt", b"hello world\n"));
    assert_eq!(f["cid"], HELLO_V1);
    assert_eq!(f["name"], "signed");
    assert_eq!(f["network"], "public", "the signed network wins");
    assert_eq!(f["keyvalues"]["k"], "v");
    let r = post(&bearer("undefined"), "b.txt", b"second file\n");
    assert_eq!(r.status, 200, "{}", r.text());
    // MIME and size limits.
    let r = post(&[], "a.png", b"png");
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["error"]["message"],
        "Presigned URL does not grant permissions to upload detected MIME type: image/png"
    );
    let r = post(&[], "big.txt", &[b'x'; 21]);
    assert_eq!(r.status, 400, "{}", r.text());
    // A tampered signature, then an expired URL.
    let bad = url.replace("X-Expires=60", "X-Expires=6000");
    let r = request("POST", &bad, &[], Some(b""));
    assert_eq!(r.status, 403);
    let old = ok_data(&emu.json(
        "POST",
        "/v3/files/sign",
        &a,
        &json!({"date": now - 100, "expires": 10}),
    ));
    let b = "XyZbOuNdArY";
    let body = common::multipart_body(b, &[Part::file("file", "a.txt", b"x")]);
    let r = request(
        "POST",
        old.as_str().unwrap(),
        &[(
            "Content-Type".into(),
            format!("multipart/form-data; boundary={b}"),
        )],
        Some(&body),
    );
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error"]["message"], "Presigned URL has expired");
    // Signing needs credentials.
    assert_eq!(
        emu.json("POST", "/v3/files/sign", &[], &json!({"expires": 5}))
            .status,
        401
    );
    assert_eq!(
        emu.json("POST", "/v3/files/sign", &a, &json!({})).status,
        400
    );
}

fn chrono_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn download_links_and_private_gateway() {
    let emu = Emu::start();
    let a = emu.admin();
    let f = ok_data(&upload(
        &emu,
        &a,
        "secret.txt",
        b"hello world\n",
        &[("network", "private")],
    ));
    let cid = f["cid"].as_str().unwrap();
    let now = chrono_now();
    let link = ok_data(&emu.json("POST", "/v3/files/private/download_link", &a, &json!({"url": format!("{}/files/{cid}", emu.url), "date": now, "expires": 60, "method": "GET"})));
    let link = link.as_str().unwrap().to_string();
    let r = request("GET", &link, &[], None);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("text/plain"));
    // The file's bytes, and its CAR when asked for.
    assert_eq!(r.body, b"hello world\n");
    let car = request(
        "GET",
        &link,
        &[("accept".to_string(), "application/vnd.ipld.car".to_string())],
        None,
    );
    assert_eq!(car.status, 200);
    assert!(car
        .header("content-type")
        .unwrap()
        .starts_with("application/vnd.ipld.car"));
    assert!(car.body.windows(12).any(|w| w == b"hello world\n"));
    // Unsigned, tampered, expired.
    assert_eq!(emu.get(&format!("/files/{cid}"), &[]).status, 403);
    assert_eq!(
        request(
            "GET",
            &link.replace("X-Expires=60", "X-Expires=61"),
            &[],
            None
        )
        .status,
        403
    );
    let old = ok_data(&emu.json("POST", "/v3/files/sign", &a, &json!({"url": format!("{}/files/{cid}", emu.url), "date": now - 100, "expires": 10, "method": "GET"})));
    let r = request("GET", old.as_str().unwrap(), &[], None);
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json()["error"]["message"],
        "This download link has expired"
    );
    // A signed link to a CID the account does not hold.
    let other = ok_data(&emu.json(
        "POST",
        "/v3/files/private/download_link",
        &a,
        &json!({"url": format!("{}/files/{HELLO_V0}", emu.url), "expires": 60}),
    ));
    assert_eq!(
        request("GET", other.as_str().unwrap(), &[], None).status,
        404
    );
}

#[test]
fn pin_by_cid_queue() {
    let emu = Emu::start();
    let a = emu.admin();
    let j = ok_data(&emu.json("POST", "/v3/files/public/pin_by_cid", &a, &json!({"cid": HELLO_V1, "name": "n", "keyvalues": {"k": "v"}, "group_id": "g", "host_nodes": ["/ip4/127.0.0.1/tcp/4001/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN"]})));
    assert_eq!(j["status"], "prechecking");
    assert_eq!(j["group_id"], "g");
    let j2 = ok_data(&emu.json(
        "POST",
        "/v3/files/public/pin_by_cid",
        &a,
        &json!({"cid": HELLO_V0, "host_nodes": ""}),
    ));
    assert_eq!(
        emu.json(
            "POST",
            "/v3/files/public/pin_by_cid",
            &a,
            &json!({"cid": "nope"})
        )
        .status,
        400
    );
    // The same queue as legacy pinJobs.
    assert_eq!(emu.get("/pinning/pinJobs", &a).json()["count"], 2);
    let l = ok_data(&emu.get(&format!("/v3/files/public/pin_by_cid?cid={HELLO_V1}"), &a));
    assert_eq!(l["jobs"].as_array().unwrap().len(), 1);
    let l = ok_data(&emu.get("/v3/files/public/pin_by_cid?limit=1&sort=ASC", &a));
    assert_eq!(l["jobs"][0]["id"], j["id"]);
    assert!(!l["next_page_token"].as_str().unwrap().is_empty());
    let id2 = j2["id"].as_str().unwrap();
    assert_eq!(
        emu.delete(&format!("/v3/files/public/pin_by_cid/{id2}"), &a)
            .text(),
        r#"{"data":null}"#
    );
    assert_eq!(
        emu.delete(&format!("/v3/files/public/pin_by_cid/{id2}"), &a)
            .status,
        404
    );
    // Advanced to pinned, the job is a public file.
    let id = j["id"].as_str().unwrap();
    assert_eq!(
        emu.hook(
            &format!("pin-jobs/{id}/advance"),
            &json!({"status": "pinned"})
        )
        .status,
        200
    );
    let l = ok_data(&emu.get(&format!("/v3/files/public?cid={HELLO_V1}"), &a));
    assert_eq!(l["files"][0]["name"], "n");
}

#[test]
fn aliases_and_scopes() {
    let emu = Emu::start();
    let a = emu.admin();
    assert_eq!(emu.get("/v3/data/testAuthentication", &a).status, 200);
    assert!(emu.get("/v3/data/userPinnedDataTotal", &a).json()["pin_count"].is_u64());
    // No credentials, bad credentials: 401 in shape C.
    let r = emu.get("/v3/files/public", &[]);
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"]["code"], 401);
    assert_eq!(emu.get("/v3/files/public", &bearer("x.y.z")).status, 401);
    // A legacy endpoint-scoped key is refused by v3.
    let (_, _, legacy) = emu.create_key(json!({"endpoints": {"data": {"pinList": true}}}), None);
    assert_eq!(emu.get("/v3/files/public", &bearer(&legacy)).status, 401);
    // Resource scopes: read lists, not writes; write implies read.
    let (_, _, read) = emu.create_key(json!({"resources": ["org:files:read"]}), None);
    assert_eq!(emu.get("/v3/files/public", &bearer(&read)).status, 200);
    let r = upload(&emu, &bearer(&read), "a.txt", b"a", &[]);
    assert_eq!(r.status, 403, "{}", r.text());
    let (_, _, write) = emu.create_key(json!({"resources": ["org:files:write"]}), None);
    assert_eq!(
        upload(&emu, &bearer(&write), "a.txt", b"a", &[]).status,
        200
    );
    assert_eq!(emu.get("/v3/files/private", &bearer(&write)).status, 200);
    let (_, _, groups) = emu.create_key(json!({"resources": ["org:groups:read"]}), None);
    assert_eq!(emu.get("/v3/files/public", &bearer(&groups)).status, 403);
    // And the v3 key is refused by legacy endpoints.
    assert_eq!(emu.get("/data/pinList", &bearer(&write)).status, 403);
}
