//! `/data/pinList`: every filter, keyvalue operators in both query forms,
//! paging, counts and ordering.

mod common;

use common::Emu;
use serde_json::{json, Value};

/// Pins JSON documents with the given names and keyvalues; returns their CIDs
/// (oldest first). Pins are a few milliseconds apart.
fn seed(emu: &Emu) -> Vec<String> {
    let docs = [
        (
            "Alpha report",
            json!({"env": "prod", "n": 5, "date": "2023-01-15T00:00:00.000Z", "tag": "Hello_World"}),
        ),
        (
            "beta notes",
            json!({"env": "dev", "n": 10, "date": "2023-06-01T00:00:00.000Z", "tag": "hello world"}),
        ),
        (
            "Gamma",
            json!({"env": "prod", "n": 20, "date": "2024-02-29T12:00:00.000Z", "tag": "x%y"}),
        ),
        (
            "delta ALPHA",
            json!({"env": "staging", "n": "7", "tag": "abc"}),
        ),
        ("epsilon", Value::Null),
    ];
    let mut cids = Vec::new();
    for (i, (name, kv)) in docs.iter().enumerate() {
        let mut meta = json!({ "name": name });
        if !kv.is_null() {
            meta["keyvalues"] = kv.clone();
        }
        let body = json!({
            "pinataContent": {"doc": i, "padding": "p".repeat(i * 10)},
            "pinataMetadata": meta,
            "pinataOptions": {"groupId": if i % 2 == 0 { "even" } else { "odd" }},
        });
        let r = emu.json("POST", "/pinning/pinJSONToIPFS", &emu.admin(), &body);
        assert_eq!(r.status, 200, "{}", r.text());
        cids.push(r.json()["IpfsHash"].as_str().unwrap().to_string());
        std::thread::sleep(std::time::Duration::from_millis(15));
    }
    cids
}

/// One page of a listing: the required `count` (all matching rows, not only this
/// page's) and the page's names.
fn page(emu: &Emu, query: &str) -> (u64, Vec<String>) {
    let r = emu.get(&format!("/data/pinList?{query}"), &emu.admin());
    assert_eq!(r.status, 200, "{query}: {}", r.text());
    let v = r.json();
    let count = v["count"]
        .as_u64()
        .unwrap_or_else(|| panic!("{query}: no count in {v}"));
    let names = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    (count, names)
}

/// The names a query lists when they all fit on its one page, so its `count` must be
/// exactly their number.
fn names(emu: &Emu, query: &str) -> Vec<String> {
    let (count, names) = page(emu, query);
    assert_eq!(count, names.len() as u64, "{query}: count");
    names
}

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `metadata[keyvalues]=<json>` query.
fn kvq(filter: Value) -> String {
    format!("metadata%5Bkeyvalues%5D={}", enc(&filter.to_string()))
}

#[test]
fn row_shape_order_count_and_paging() {
    let emu = Emu::start();
    let cids = seed(&emu);
    let v = emu.get("/data/pinList", &emu.admin()).json();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["count", "rows"]);
    assert_eq!(v["count"], 5);
    let row = v["rows"][0].as_object().unwrap();
    let keys: Vec<&str> = row.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "id",
            "ipfs_pin_hash",
            "size",
            "user_id",
            "date_pinned",
            "date_unpinned",
            "metadata",
            "regions",
            "mime_type",
            "number_of_files"
        ]
    );
    assert_eq!(
        row["regions"],
        json!([{"regionId": "FRA1", "currentReplicationCount": 1, "desiredReplicationCount": 1}])
    );
    assert_eq!(row["ipfs_pin_hash"], cids[4].as_str());
    assert_eq!(
        row["metadata"],
        json!({"name": "epsilon", "keyvalues": null})
    );
    assert!(uuid_like(row["id"].as_str().unwrap()));
    // Newest first.
    assert_eq!(
        names(&emu, ""),
        [
            "epsilon",
            "delta ALPHA",
            "Gamma",
            "beta notes",
            "Alpha report"
        ]
    );
    // includeCount=false omits count.
    let v = emu
        .get("/data/pinList?includeCount=false", &emu.admin())
        .json();
    assert!(v.get("count").is_none());
    assert_eq!(v["rows"].as_array().unwrap().len(), 5);
    // Paging: `count` is every matching row, whatever the page.
    assert_eq!(
        page(&emu, "pageLimit=2"),
        (5, vec!["epsilon".into(), "delta ALPHA".into()])
    );
    assert_eq!(
        page(&emu, "pageLimit=2&pageOffset=2"),
        (5, vec!["Gamma".into(), "beta notes".into()])
    );
    assert_eq!(
        page(&emu, "pageLimit=2&pageOffset=4"),
        (5, vec!["Alpha report".into()])
    );
    assert_eq!(page(&emu, "pageOffset=10"), (5, vec![]));
    let v = emu
        .get("/data/pinList?pageLimit=1&pageOffset=1", &emu.admin())
        .json();
    assert_eq!(v["count"], 5);
    for bad in [
        "pageLimit=0",
        "pageLimit=1001",
        "pageLimit=x",
        "pageOffset=-3",
        "status=active",
        "pinSizeMin=abc",
        "pinStart=yesterday",
    ] {
        let r = emu.get(&format!("/data/pinList?{bad}"), &emu.admin());
        assert_eq!(r.status, 400, "{bad}");
        assert!(r.json()["error"].is_string(), "{bad}");
    }
    assert_eq!(names(&emu, "pageLimit=1000").len(), 5);
}

fn uuid_like(s: &str) -> bool {
    s.len() == 36 && s.chars().filter(|c| *c == '-').count() == 4
}

#[test]
fn simple_filters() {
    let emu = Emu::start();
    let cids = seed(&emu);
    // CID substring (both names).
    let frag = &cids[2][10..20];
    assert_eq!(names(&emu, &format!("cid={frag}")), ["Gamma"]);
    assert_eq!(names(&emu, &format!("hashContains={frag}")), ["Gamma"]);
    assert_eq!(names(&emu, &format!("cid={}", cids[0])), ["Alpha report"]);
    // Group.
    assert_eq!(names(&emu, "groupId=odd"), ["delta ALPHA", "beta notes"]);
    // Name: case-insensitive substring.
    assert_eq!(
        names(&emu, "metadata%5Bname%5D=alpha"),
        ["delta ALPHA", "Alpha report"]
    );
    assert_eq!(names(&emu, "metadata[name]=NOTES"), ["beta notes"]);
    // Sizes: contents grow with i.
    let rows = emu.get("/data/pinList", &emu.admin()).json()["rows"].clone();
    let size = |n: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["metadata"]["name"] == n)
            .unwrap()["size"]
            .as_u64()
            .unwrap()
    };
    let (sb, sg) = (size("beta notes"), size("Gamma"));
    assert_eq!(
        names(&emu, &format!("pinSizeMin={sb}&pinSizeMax={sg}")),
        ["Gamma", "beta notes"]
    );
    // Dates.
    let date = |n: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["metadata"]["name"] == n)
            .unwrap()["date_pinned"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (db, dg) = (date("beta notes"), date("Gamma"));
    assert_eq!(
        names(&emu, &format!("pinStart={}&pinEnd={}", enc(&db), enc(&dg))),
        ["Gamma", "beta notes"]
    );
    assert_eq!(
        names(&emu, &format!("pinEnd={}", enc(&db))),
        ["beta notes", "Alpha report"]
    );
    assert_eq!(names(&emu, "pinStart=2099-01-01").len(), 0);
    // Status and unpin dates.
    assert_eq!(
        emu.delete(&format!("/pinning/unpin/{}", cids[1]), &emu.admin())
            .status,
        200
    );
    assert_eq!(names(&emu, "status=unpinned"), ["beta notes"]);
    assert_eq!(names(&emu, "status=pinned").len(), 4);
    assert_eq!(names(&emu, "status=all").len(), 5);
    assert_eq!(
        names(&emu, "unpinStart=2000-01-01T00:00:00.000Z"),
        ["beta notes"]
    );
    assert_eq!(names(&emu, "unpinEnd=2000-01-01T00:00:00.000Z").len(), 0);
    // Combined.
    assert_eq!(names(&emu, "status=pinned&groupId=odd"), ["delta ALPHA"]);
}

#[test]
fn keyvalue_operators() {
    let emu = Emu::start();
    seed(&emu);
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (
            json!({"env": {"value": "prod", "op": "eq"}}),
            vec!["Gamma", "Alpha report"],
        ),
        (
            json!({"env": {"value": "prod"}}),
            vec!["Gamma", "Alpha report"],
        ),
        (json!({"env": "prod"}), vec!["Gamma", "Alpha report"]),
        (
            json!({"env": {"value": "prod", "op": "ne"}}),
            vec!["delta ALPHA", "beta notes"],
        ),
        // Numbers compare numerically ("7" is a string, compared with a number).
        (
            json!({"n": {"value": 7, "op": "gt"}}),
            vec!["Gamma", "beta notes"],
        ),
        (
            json!({"n": {"value": 7, "op": "gte"}}),
            vec!["delta ALPHA", "Gamma", "beta notes"],
        ),
        (
            json!({"n": {"value": 10, "op": "lt"}}),
            vec!["delta ALPHA", "Alpha report"],
        ),
        (
            json!({"n": {"value": 10, "op": "lte"}}),
            vec!["delta ALPHA", "beta notes", "Alpha report"],
        ),
        (
            json!({"n": {"value": 6, "op": "between", "secondValue": 10}}),
            vec!["delta ALPHA", "beta notes"],
        ),
        (
            json!({"n": {"value": 6, "op": "notBetween", "secondValue": 10}}),
            vec!["Gamma", "Alpha report"],
        ),
        // ISO dates compare as strings.
        (
            json!({"date": {"value": "2023-03-01", "op": "gt"}}),
            vec!["Gamma", "beta notes"],
        ),
        (
            json!({"date": {"value": "2023-01-01T00:00:00.000Z", "op": "between", "secondValue": "2023-12-31T23:59:59.999Z"}}),
            vec!["beta notes", "Alpha report"],
        ),
        // LIKE family.
        (
            json!({"tag": {"value": "Hello%", "op": "like"}}),
            vec!["Alpha report"],
        ),
        (
            json!({"tag": {"value": "hello_world", "op": "like"}}),
            vec!["beta notes"],
        ),
        (
            json!({"tag": {"value": "hello%", "op": "iLike"}}),
            vec!["beta notes", "Alpha report"],
        ),
        (
            json!({"tag": {"value": "%o%", "op": "notLike"}}),
            vec!["delta ALPHA", "Gamma"],
        ),
        (
            json!({"tag": {"value": "HELLO%", "op": "notILike"}}),
            vec!["delta ALPHA", "Gamma"],
        ),
        (
            json!({"tag": {"value": "x\\%y", "op": "like"}}),
            vec!["Gamma"],
        ),
        // Regular expressions (unanchored search).
        (
            json!({"tag": {"value": "^hello", "op": "regexp"}}),
            vec!["beta notes"],
        ),
        (
            json!({"tag": {"value": "^hello", "op": "iRegexp"}}),
            vec!["beta notes", "Alpha report"],
        ),
        (
            json!({"tag": {"value": "b.", "op": "regexp"}}),
            vec!["delta ALPHA"],
        ),
        // Several conditions are ANDed; a missing key never matches.
        (
            json!({"env": {"value": "prod", "op": "eq"}, "n": {"value": 10, "op": "gt"}}),
            vec!["Gamma"],
        ),
        (json!({"nope": {"value": "x", "op": "ne"}}), vec![]),
    ];
    for (filter, expect) in &cases {
        assert_eq!(names(&emu, &kvq(filter.clone())), *expect, "{filter}");
    }
    // The per-key form: metadata[keyvalues][k]={"value":…,"op":…}.
    for (filter, expect) in &cases {
        let q: Vec<String> = filter
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, spec)| {
                let spec = if spec.is_object() {
                    spec.to_string()
                } else {
                    spec.as_str().unwrap().to_string()
                };
                format!("metadata%5Bkeyvalues%5D%5B{}%5D={}", enc(k), enc(&spec))
            })
            .collect();
        assert_eq!(names(&emu, &q.join("&")), *expect, "per-key {filter}");
    }
    // The fully nested form: metadata[keyvalues][k][value]=…&…[op]=….
    assert_eq!(
        names(
            &emu,
            "metadata[keyvalues][n][value]=7&metadata[keyvalues][n][op]=gt"
        ),
        ["Gamma", "beta notes"]
    );
    // Combined with other filters.
    assert_eq!(
        names(
            &emu,
            &format!("groupId=even&{}", kvq(json!({"env": "prod"})))
        ),
        ["Gamma", "Alpha report"]
    );
    // Errors.
    for bad in [
        kvq(json!({"n": {"value": 1, "op": "between"}})),
        kvq(json!({"n": {"value": 1, "op": "approximately"}})),
        kvq(json!({"n": {"value": "(", "op": "regexp"}})),
        kvq(json!(["not", "an", "object"])),
        "metadata%5Bkeyvalues%5D=%7Bnot-json".to_string(),
    ] {
        let r = emu.get(&format!("/data/pinList?{bad}"), &emu.admin());
        assert_eq!(r.status, 400, "{bad}");
        assert!(r.json()["error"].is_string());
    }
}
