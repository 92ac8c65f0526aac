//! Legacy groups (`/groups`) and v3 groups (`/v3/groups/{network}`): exact status
//! codes, bodies and content types, scopes, paging, and the link between legacy
//! groups and pin rows.

mod common;

use common::{bearer, Emu};
use serde_json::{json, Value};

const CID: &str = "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne";

#[test]
fn legacy_groups_answer_like_pinata() {
    let emu = Emu::start();
    let a = emu.admin();
    let r = emu.json("POST", "/groups", &a, &json!({"name": "NFT-Project"}));
    assert_eq!(r.status, 200, "{}", r.text());
    let g = r.json();
    let id = g["id"].as_str().unwrap().to_string();
    for k in ["id", "user_id", "name", "updatedAt", "createdAt"] {
        assert!(g.get(k).is_some(), "{k} in {g}");
    }
    // get: an object; list: a bare array.
    assert_eq!(emu.get(&format!("/groups/{id}"), &a).json(), g);
    let list = emu.get("/groups", &a).json();
    assert_eq!(list, json!([g]));
    // Rename, then the text/plain OK answers.
    let r = emu.json(
        "PUT",
        &format!("/groups/{id}"),
        &a,
        &json!({"name": "renamed"}),
    );
    assert_eq!(r.json()["name"], "renamed");
    let ok = |r: common::Resp| {
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.text(), "OK");
        assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    };
    // Pin the CID, put it in the group: pinList?groupId finds it.
    let job = emu
        .json(
            "POST",
            "/pinning/pinByHash",
            &a,
            &json!({"hashToPin": CID, "pinataOptions": {"hostNodes": ""}}),
        )
        .json();
    let jid = job["id"].as_str().unwrap();
    assert_eq!(
        emu.hook(
            &format!("pin-jobs/{jid}/advance"),
            &json!({"status": "pinned"})
        )
        .status,
        200
    );
    ok(emu.json(
        "PUT",
        &format!("/groups/{id}/cids"),
        &a,
        &json!({"cids": [CID]}),
    ));
    let rows = emu.get(&format!("/data/pinList?groupId={id}"), &a).json();
    assert_eq!(rows["count"], 1);
    ok(emu.json(
        "DELETE",
        &format!("/groups/{id}/cids"),
        &a,
        &json!({"cids": [CID]}),
    ));
    assert_eq!(
        emu.get(&format!("/data/pinList?groupId={id}"), &a).json()["count"],
        0
    );
    // Validation: shape B with 400.
    let r = emu.json(
        "PUT",
        &format!("/groups/{id}/cids"),
        &a,
        &json!({"cids": ["nope"]}),
    );
    assert_eq!(
        (r.status, r.json()),
        (400, json!({"error": "Invalid CID: nope"}))
    );
    let r = emu.json("POST", "/groups", &a, &json!({}));
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].is_string());
    assert_eq!(emu.get("/groups?limit=0", &a).status, 400);
    // Delete, then 404 shape A everywhere.
    ok(emu.delete(&format!("/groups/{id}"), &a));
    let nf = json!({"error": {"reason": "NOT_FOUND", "details": "Group not found"}});
    for r in [
        emu.get(&format!("/groups/{id}"), &a),
        emu.delete(&format!("/groups/{id}"), &a),
        emu.json("PUT", &format!("/groups/{id}"), &a, &json!({"name": "x"})),
        emu.json(
            "PUT",
            &format!("/groups/{id}/cids"),
            &a,
            &json!({"cids": [CID]}),
        ),
    ] {
        assert_eq!((r.status, r.json()), (404, nf.clone()));
    }
}

#[test]
fn legacy_group_list_pages_and_filters() {
    let emu = Emu::start();
    let a = emu.admin();
    for i in 0..12 {
        let name = if i % 3 == 0 {
            format!("Photos {i}")
        } else {
            format!("misc {i}")
        };
        assert_eq!(
            emu.json("POST", "/groups", &a, &json!({"name": name}))
                .status,
            200
        );
    }
    let names = |path: &str| -> Vec<String> {
        emu.get(path, &a)
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names("/groups").len(), 10, "default limit");
    assert_eq!(
        names("/groups?limit=3&offset=1"),
        ["misc 10", "Photos 9", "misc 8"]
    );
    assert_eq!(
        names("/groups?nameContains=photos"),
        ["Photos 9", "Photos 6", "Photos 3", "Photos 0"]
    );
    assert!(names("/groups?offset=12").is_empty());
}

#[test]
fn v3_groups_answer_like_pinata() {
    let emu = Emu::start();
    let a = emu.admin();
    let r = emu.json(
        "POST",
        "/v3/groups/public",
        &a,
        &json!({"name": "g", "is_public": true}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let g = r.json()["data"].clone();
    let id = g["id"].as_str().unwrap().to_string();
    assert_eq!(&id[14..15], "7", "UUIDv7: {id}");
    assert_eq!(g["is_public"], true);
    assert_eq!(
        g["created_at"].as_str().unwrap().len(),
        "2024-08-27T14:57:51.485934Z".len()
    );
    // GET and DELETE with Content-Type: application/json and an empty body (the SDK).
    let mut jh = a.clone();
    jh.push(("Content-Type".into(), "application/json".into()));
    assert_eq!(
        emu.get(&format!("/v3/groups/public/{id}"), &jh).json(),
        json!({"data": g})
    );
    // Networks are separate; unknown ids are 404 in shape C.
    let nf = json!({"error": {"code": 404, "message": "Group not found"}});
    let r = emu.get(&format!("/v3/groups/private/{id}"), &a);
    assert_eq!((r.status, r.json()), (404, nf.clone()));
    let r = emu.get("/v3/groups/everywhere", &a);
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["code"], 400);
    // Update needs a field.
    let r = emu.json("PUT", &format!("/v3/groups/public/{id}"), &a, &json!({}));
    assert_eq!(r.status, 400);
    let r = emu.json(
        "PUT",
        &format!("/v3/groups/public/{id}"),
        &a,
        &json!({"is_public": false}),
    );
    assert_eq!(r.json()["data"]["is_public"], false);
    assert_eq!(r.json()["data"]["name"], "g");
    // Pages of 2 over 5 groups: tokens are base64 of the last id; the last page has "".
    for i in 0..4 {
        emu.json(
            "POST",
            "/v3/groups/public",
            &a,
            &json!({"name": format!("p{i}")}),
        );
    }
    let mut seen = Vec::new();
    let mut token = String::new();
    loop {
        let page = emu
            .get(
                &format!(
                    "/v3/groups/public?limit=2&pageToken={}",
                    token.replace('=', "%3D")
                ),
                &a,
            )
            .json();
        let groups = page["data"]["groups"].as_array().unwrap().clone();
        seen.extend(
            groups
                .iter()
                .map(|g| g["name"].as_str().unwrap().to_string()),
        );
        token = page["data"]["next_page_token"]
            .as_str()
            .unwrap()
            .to_string();
        if token.is_empty() {
            break;
        }
        use base64::Engine;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(&token)
            .unwrap();
        assert_eq!(
            decoded,
            groups.last().unwrap()["id"].as_str().unwrap().as_bytes()
        );
    }
    assert_eq!(seen, ["p3", "p2", "p1", "p0", "g"]);
    let names = |q: &str| -> Vec<Value> {
        emu.get(&format!("/v3/groups/public?{q}"), &a).json()["data"]["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["name"].clone())
            .collect()
    };
    assert_eq!(names("name=p1"), [json!("p1")]);
    assert_eq!(names("isPublic=true").len(), 0);
    assert_eq!(names("isPublic=false").len(), 5);
    assert_eq!(
        emu.get("/v3/groups/public?pageToken=bm9wZQ%3D%3D", &a)
            .status,
        400
    );
    let r = emu.delete(&format!("/v3/groups/public/{id}"), &jh);
    assert_eq!((r.status, r.json()), (200, json!({"data": null})));
    let r = emu.delete(&format!("/v3/groups/public/{id}"), &a);
    assert_eq!((r.status, r.json()), (404, nf));
}

#[test]
fn group_scopes() {
    let emu = Emu::start();
    let (_, _, legacy) = emu.create_key(json!({"endpoints": {"data": {"pinList": true}}}), None);
    let (_, _, reader) = emu.create_key(json!({"resources": ["org:groups:read"]}), None);
    let (_, _, writer) = emu.create_key(json!({"resources": ["org:groups:write"]}), Some(3));
    let no_scope = json!({"error": {"reason": "NO_SCOPES_FOUND", "details": "This key does not have the required scopes associated with it"}});
    for (path, body) in [
        ("/groups", json!({"name": "x"})),
        ("/v3/groups/public", json!({"name": "x"})),
    ] {
        // A legacy endpoint key: 403 NO_SCOPES_FOUND on /groups; on a v3 path the
        // v3 family's answer, 401 "no Authorization header found" (shape C).
        let r = emu.json("POST", path, &bearer(&legacy), &body);
        if path == "/groups" {
            assert_eq!((r.status, r.json()), (403, no_scope.clone()));
        } else {
            let want = json!({"error": {"code": 401, "message": "no Authorization header found"}});
            assert_eq!((r.status, r.json()), (401, want));
        }
        let r = emu.json("POST", path, &bearer(&reader), &body);
        assert_eq!(r.status, 403, "{path}");
        assert_eq!(emu.get(path, &bearer(&reader)).status, 200, "{path}");
        assert_eq!(
            emu.json("POST", path, &bearer(&writer), &body).status,
            200,
            "{path}"
        );
    }
    // The writer had 3 uses; two are spent above, the third lists, the fourth is refused.
    assert_eq!(emu.get("/groups", &bearer(&writer)).status, 200);
    let r = emu.get("/groups", &bearer(&writer));
    assert_eq!(
        (r.status, r.json()["error"]["reason"].clone()),
        (403, json!("API_KEY_EXHAUSTED"))
    );
    let r = emu.get("/groups", &[]);
    assert_eq!(r.json()["error"]["reason"], "KEYS_MUST_BE_STRINGS");
}

#[test]
fn v3_group_members_are_files_of_the_store() {
    let emu = Emu::start();
    let a = emu.admin();
    let g = emu
        .json("POST", "/v3/groups/public", &a, &json!({"name": "m"}))
        .json()["data"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // A legacy pin is a public v3 file: its pin id is the file id.
    let job = emu
        .json("POST", "/pinning/pinByHash", &a, &json!({"hashToPin": CID}))
        .json();
    let jid = job["id"].as_str().unwrap();
    emu.hook(
        &format!("pin-jobs/{jid}/advance"),
        &json!({"status": "pinned"}),
    );
    let rows = emu.get("/data/pinList?status=pinned", &a).json();
    let file = rows["rows"][0]["id"].as_str().unwrap().to_string();
    let mut jh = a.clone();
    jh.push(("Content-Type".into(), "application/json".into()));
    let path = format!("/v3/groups/public/{g}/ids/{file}");
    let r = emu.raw("PUT", &path, &jh, Some(b""));
    assert_eq!((r.status, r.json()), (200, json!({"data": null})));
    let f = emu.get(&format!("/v3/files/public/{file}"), &a).json();
    assert_eq!(f["data"]["group_id"], json!(g));
    assert_eq!(
        emu.get(&format!("/data/pinList?groupId={g}"), &a).json()["count"],
        1
    );
    let r = emu.get(&format!("/v3/files/public?group={g}"), &a).json();
    assert_eq!(r["data"]["files"].as_array().unwrap().len(), 1);
    // Unknown file or group: 404 shape C.
    let r = emu.raw(
        "PUT",
        &format!("/v3/groups/public/{g}/ids/nope"),
        &a,
        Some(b""),
    );
    assert_eq!(
        (r.status, r.json()),
        (
            404,
            json!({"error": {"code": 404, "message": "File not found"}})
        )
    );
    let r = emu.raw(
        "PUT",
        &format!("/v3/groups/private/{g}/ids/{file}"),
        &a,
        Some(b""),
    );
    assert_eq!(
        (r.status, r.json()["error"]["message"].clone()),
        (404, json!("Group not found"))
    );
    // Remove, then the file is in no group.
    let r = emu.delete(&path, &jh);
    assert_eq!((r.status, r.json()), (200, json!({"data": null})));
    let f = emu.get(&format!("/v3/files/public/{file}"), &a).json();
    assert_eq!(f["data"]["group_id"], Value::Null);
}
