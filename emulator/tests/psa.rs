//! `/psa/pins`: the one pin store shared with the legacy API (both ways), the clock
//! and the advance hook, filters, paging by `before`, and the two modes.

mod common;

use common::Emu;
use serde_json::{json, Value};

const CID: &str = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH";

fn manual(emu: &Emu, mode: &str) {
    let r = emu.hook("psa", &json!({"mode": mode, "step_ms": null}));
    assert_eq!(r.status, 200, "{}", r.text());
}

fn active_pins(emu: &Emu) -> Vec<Value> {
    let r = emu.get("/data/pinList?status=pinned", &emu.admin());
    assert_eq!(r.status, 200);
    r.json()["rows"].as_array().unwrap().clone()
}

#[test]
fn one_pin_store_both_ways() {
    let emu = Emu::start();
    manual(&emu, "spec");
    let r = emu.json(
        "POST",
        "/psa/pins",
        &emu.admin(),
        &json!({"cid": CID, "name": "shared", "meta": {"k": "v"}}),
    );
    assert_eq!(r.status, 202, "{}", r.text());
    let id = r.json()["requestid"].as_str().unwrap().to_string();
    assert_eq!(r.json()["status"], "queued");
    assert!(
        active_pins(&emu).is_empty(),
        "a queued request is not a pin yet"
    );
    let r = emu.hook(
        &format!("psa/pins/{id}/advance"),
        &json!({"status": "pinned"}),
    );
    assert_eq!(r.status, 200);
    let rows = active_pins(&emu);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["ipfs_pin_hash"], CID);
    assert_eq!(rows[0]["metadata"]["name"], "shared");
    assert_eq!(rows[0]["metadata"]["keyvalues"]["k"], "v");
    // Unpinned through the legacy API: the request is gone.
    let r = emu.delete(&format!("/pinning/unpin/{CID}"), &emu.admin());
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        emu.get(&format!("/psa/pins/{id}"), &emu.admin()).status,
        404
    );

    // A legacy upload is listed by the PSA as a pinned request, and deleting it there
    // unpins it.
    let r = emu.json(
        "POST",
        "/pinning/pinJSONToIPFS",
        &emu.admin(),
        &json!({"pinataContent": {"a": 1}, "pinataMetadata": {"name": "legacy"}}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let cid = r.json()["IpfsHash"].as_str().unwrap().to_string();
    let r = emu.get(&format!("/psa/pins?cid={cid}"), &emu.admin());
    assert_eq!(r.json()["count"], 1, "{}", r.text());
    let item = &r.json()["results"][0];
    assert_eq!(item["status"], "pinned");
    assert_eq!(item["pin"]["name"], "legacy");
    let rid = item["requestid"].as_str().unwrap().to_string();
    assert_eq!(
        emu.delete(&format!("/psa/pins/{rid}"), &emu.admin()).status,
        202
    );
    assert!(active_pins(&emu).is_empty());
}

#[test]
fn clock_filters_and_paging() {
    let emu = Emu::start();
    let r = emu.hook("psa", &json!({"step_ms": 0}));
    assert_eq!(r.json(), json!({"mode": "spec", "step_ms": 0}));
    let cids: Vec<String> = (0..12)
        .map(|i| {
            let r = emu.json(
                "POST",
                "/pinning/pinJSONToIPFS",
                &emu.admin(),
                &json!({"pinataContent": {"i": i}}),
            );
            r.json()["IpfsHash"].as_str().unwrap().to_string()
        })
        .collect();
    // Unpin them from the legacy side again so that only PSA requests remain.
    for c in &cids {
        emu.delete(&format!("/pinning/unpin/{c}"), &emu.admin());
    }
    for (i, c) in cids.iter().enumerate() {
        let r = emu.json(
            "POST",
            "/psa/pins",
            &emu.admin(),
            &json!({"cid": c, "name": format!("Item-{i:02}"), "meta": {"even": (i % 2 == 0).to_string()}}),
        );
        assert_eq!(r.status, 202);
    }
    // Default: pinned only (the clock is instant), 10 per page, newest first.
    let r = emu.get("/psa/pins", &emu.admin()).json();
    assert_eq!(r["count"], 12);
    let page: Vec<&Value> = r["results"].as_array().unwrap().iter().collect();
    assert_eq!(page.len(), 10);
    assert_eq!(page[0]["pin"]["name"], "Item-11");
    let oldest = page[9]["created"].as_str().unwrap();
    let next = emu
        .get(
            &format!("/psa/pins?before={}", oldest.replace(':', "%3A")),
            &emu.admin(),
        )
        .json();
    assert_eq!(next["count"], 2);
    assert_eq!(next["results"][1]["pin"]["name"], "Item-00");
    for (q, n) in [
        ("name=item-03&match=iexact", 1),
        ("name=item-03&match=exact", 0),
        ("name=tem-1&match=partial", 2),
        ("name=TEM-1&match=ipartial", 2),
        ("status=queued,pinning", 0),
        ("meta=%7B%22even%22%3A%22true%22%7D", 6),
        ("after=2999-01-01T00%3A00%3A00Z", 0),
        ("limit=3", 12),
    ] {
        let r = emu.get(&format!("/psa/pins?{q}"), &emu.admin());
        assert_eq!(r.status, 200, "{q}: {}", r.text());
        assert_eq!(r.json()["count"], n, "{q}");
    }
    let eleven = [cids[0].as_str(); 11].join(",");
    let r = emu.get(&format!("/psa/pins?cid={eleven}"), &emu.admin());
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["reason"], "BAD_REQUEST");
    for bad in [
        "limit=0",
        "match=fuzzy",
        "status=done",
        "before=yesterday",
        "meta=x",
    ] {
        assert_eq!(
            emu.get(&format!("/psa/pins?{bad}"), &emu.admin()).status,
            400,
            "{bad}"
        );
    }
}

#[test]
fn modes_differ_as_documented() {
    let emu = Emu::start_with(&["--psa-mode", "pinata", "--psa-step-ms", "manual"]);
    // No token: Pinata's 400 KEYS_MUST_BE_STRINGS; the spec's 401 in spec mode.
    let r = emu.get("/psa/pins", &[]);
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["reason"], "KEYS_MUST_BE_STRINGS");
    let r = emu.json(
        "POST",
        "/psa/pins",
        &emu.admin(),
        &json!({"cid": CID, "origins": ["/ip4/192.168.1.5/tcp/4001/p2p/12D3KooWBqWVzmvemKbp7UdNBe81bM3kqWm2xGqLiVM1PmE2VhZF"]}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["reason"], "INVALID_ORIGINS");
    let r = emu.json("POST", "/psa/pins", &emu.admin(), &json!({"cid": CID}));
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["info"]["pinata_pinjob_status"], "prechecking");
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["requestid", "created", "delegates", "pin", "info", "status"]
    );
    let id = v["requestid"].as_str().unwrap().to_string();
    emu.hook(
        &format!("psa/pins/{id}/advance"),
        &json!({"status": "pinned"}),
    );
    let v = emu.get(&format!("/psa/pins/{id}"), &emu.admin()).json();
    assert_eq!(v["delegates"], json!([]));
    assert_eq!(v["info"], json!({}));
    let r = emu.delete(&format!("/psa/pins/{id}"), &emu.admin());
    assert_eq!((r.status, r.text().as_str()), (200, "OK"));
    let r = emu.get(&format!("/psa/pins/{id}"), &emu.admin());
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["error"]["reason"], "OBJECT_NOT_FOUND");

    manual(&emu, "spec");
    let r = emu.get("/psa/pins", &[]);
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"]["reason"], "UNAUTHORIZED");
    let r = emu.get("/psa/pins/nope", &emu.admin());
    assert_eq!(r.json()["error"]["reason"], "NOT_FOUND");
    let r = emu.json(
        "POST",
        "/psa/pins",
        &emu.admin(),
        &json!({"cid": "not-a-cid"}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["reason"], "BAD_REQUEST");
}
