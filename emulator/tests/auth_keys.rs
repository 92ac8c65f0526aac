//! Startup, authentication, scopes, max uses, revocation, key management,
//! rate limiting and shutdown.

mod common;

use common::{bearer, pair, Emu};
use serde_json::{json, Value};

const KEYS_MUST: &str = r#"{"error":{"reason":"KEYS_MUST_BE_STRINGS","details":"pinata_api_key and pinata_secret_api_key must both be strings"}}"#;
const INVALID: &str =
    r#"{"error":{"reason":"INVALID_CREDENTIALS","details":"Invalid/expired credentials"}}"#;
const NO_SCOPES: &str = r#"{"error":{"reason":"NO_SCOPES_FOUND","details":"This key does not have the required scopes associated with it"}}"#;
const CONGRATS: &str =
    r#"{"message":"Congratulations! You are communicating with the Pinata API!"}"#;

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[test]
fn startup_line_and_seeded_admin() {
    let emu = Emu::start();
    let v: Value = serde_json::from_str(&emu.line).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["url", "jwt", "api_key", "api_secret"]);
    assert!(emu.url.starts_with("http://127.0.0.1:"));
    assert!(is_hex(&emu.api_key, 20), "{}", emu.api_key);
    assert!(is_hex(&emu.api_secret, 64));
    // JWT: HS256 with the documented claims.
    use base64::Engine;
    let parts: Vec<&str> = emu.jwt.split('.').collect();
    assert_eq!(parts.len(), 3);
    let dec = |s: &str| -> Value {
        serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(s)
                .unwrap(),
        )
        .unwrap()
    };
    assert_eq!(dec(parts[0])["alg"], "HS256");
    let c = dec(parts[1]);
    assert_eq!(c["authenticationType"], "scopedKey");
    assert_eq!(c["scopedKeyKey"], emu.api_key.as_str());
    assert_eq!(c["scopedKeySecret"], emu.api_secret.as_str());
    assert!(c["iat"].is_i64());
    let ui = &c["userInformation"];
    assert_eq!(ui["status"], "ACTIVE");
    assert_eq!(ui["mfa_enabled"], false);
    assert_eq!(ui["pin_policy"]["regions"][0]["id"], "FRA1");
    assert_eq!(ui["pin_policy"]["regions"][0]["desiredReplicationCount"], 1);
    assert_eq!(ui["pin_policy"]["version"], 1);
    assert!(ui["id"].is_string() && ui["email"].is_string() && ui["email_verified"].is_boolean());
}

#[test]
fn test_authentication_credentials() {
    let emu = Emu::start();
    let r = emu.get("/data/testAuthentication", &emu.admin());
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), CONGRATS);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));

    let r = emu.get(
        "/data/testAuthentication",
        &pair(&emu.api_key, &emu.api_secret),
    );
    assert_eq!((r.status, r.text().as_str()), (200, CONGRATS));

    let r = emu.get("/data/testAuthentication", &[]);
    assert_eq!((r.status, r.text().as_str()), (400, KEYS_MUST));
    // Only one of the pair.
    let r = emu.get(
        "/data/testAuthentication",
        &[("pinata_api_key".to_string(), emu.api_key.clone())],
    );
    assert_eq!((r.status, r.text().as_str()), (400, KEYS_MUST));

    for bad in [
        bearer("not-a-jwt"),
        bearer(&format!("{}x", emu.jwt)),
        pair(&emu.api_key, "0000"),
        pair("ffffffffffffffffffff", &emu.api_secret),
        vec![("Authorization".to_string(), "Basic abc".to_string())],
    ] {
        let r = emu.get("/data/testAuthentication", &bad);
        assert_eq!((r.status, r.text().as_str()), (401, INVALID), "{bad:?}");
    }
    // A JWT signed by another emulator process is invalid here.
    let other = Emu::start();
    let r = emu.get("/data/testAuthentication", &other.admin());
    assert_eq!(r.status, 401);
}

#[test]
fn common_headers_on_every_response() {
    let emu = Emu::start();
    for r in [
        emu.get("/data/testAuthentication", &emu.admin()),
        emu.get("/data/testAuthentication", &[]),
        emu.get("/no/such/path", &emu.admin()),
        emu.get("/__emulator/stats", &[]),
    ] {
        assert_eq!(r.header("x-ratelimit-limit"), Some("180"), "{r:?}");
        let rem: u64 = r.header("x-ratelimit-remaining").unwrap().parse().unwrap();
        assert!(rem <= 180);
        let reset: u64 = r.header("x-ratelimit-reset").unwrap().parse().unwrap();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(reset >= now && reset <= now + 61, "{reset} vs {now}");
        assert!(!r.header("x-request-id").unwrap().is_empty());
    }
    let a = emu.get("/data/testAuthentication", &emu.admin());
    let b = emu.get("/data/testAuthentication", &emu.admin());
    assert_ne!(a.header("x-request-id"), b.header("x-request-id"));
    let ra: u64 = a.header("x-ratelimit-remaining").unwrap().parse().unwrap();
    let rb: u64 = b.header("x-ratelimit-remaining").unwrap().parse().unwrap();
    assert_eq!(ra, rb + 1);
    let nf = emu.get("/no/such/path", &emu.admin());
    assert_eq!(nf.status, 404);
    assert_eq!(nf.json()["error"]["reason"], "NOT_FOUND");
}

/// Every endpoint with the scope it needs, and a request that passes auth.
fn endpoints(emu: &Emu) -> Vec<(&'static str, &'static str, &'static str, Option<Value>)> {
    let _ = emu;
    vec![
        ("GET", "/data/pinList", "data.pinList", None),
        (
            "GET",
            "/data/userPinnedDataTotal",
            "data.userPinnedDataTotal",
            None,
        ),
        (
            "POST",
            "/pinning/pinJSONToIPFS",
            "pinning.pinJSONToIPFS",
            Some(json!({"pinataContent": {"a": 1}})),
        ),
        (
            "POST",
            "/pinning/pinByHash",
            "pinning.pinByHash",
            Some(json!({"hashToPin": "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"})),
        ),
        ("GET", "/pinning/pinJobs", "pinning.pinJobs", None),
        (
            "PUT",
            "/pinning/hashMetadata",
            "pinning.hashMetadata",
            Some(
                json!({"ipfsPinHash": "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", "name": "x"}),
            ),
        ),
        (
            "DELETE",
            "/pinning/unpin/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
            "pinning.unpin",
            None,
        ),
        (
            "PUT",
            "/pinning/userPinPolicy",
            "pinning.userPinPolicy",
            Some(json!({"newPinPolicy": {"regions": []}})),
        ),
        (
            "PUT",
            "/pinning/hashPinPolicy",
            "pinning.hashPinPolicy",
            Some(json!({"ipfsPinHash": "Qm", "newPinPolicy": {}})),
        ),
        ("GET", "/users/apiKeys", "admin", None),
        (
            "POST",
            "/users/generateApiKey",
            "admin",
            Some(json!({"keyName": "k", "permissions": {"admin": false}})),
        ),
        (
            "PUT",
            "/users/revokeApiKey",
            "admin",
            Some(json!({"apiKey": "nope"})),
        ),
        ("GET", "/v3/pinata/keys", "admin", None),
        ("GET", "/v3/api_keys", "admin", None),
    ]
}

fn call(
    emu: &Emu,
    method: &str,
    path: &str,
    h: &[(String, String)],
    body: &Option<Value>,
) -> common::Resp {
    match body {
        Some(b) => emu.json(method, path, h, b),
        None => emu.raw(method, path, h, None),
    }
}

#[test]
fn scopes_are_enforced_per_endpoint() {
    let emu = Emu::start();
    // A key with no permissions: testAuthentication passes, everything else 403.
    let (_, _, none_jwt) = emu.create_key(json!({"admin": false}), None);
    let r = emu.get("/data/testAuthentication", &bearer(&none_jwt));
    assert_eq!(r.status, 200);
    for (m, p, _, body) in endpoints(&emu) {
        let r = call(&emu, m, p, &bearer(&none_jwt), &body);
        assert_eq!((r.status, r.text().as_str()), (403, NO_SCOPES), "{m} {p}");
    }
    // pinFileToIPFS too.
    let r = emu.pin_files(&bearer(&none_jwt), &[("a.txt", b"a")], None, None, false);
    assert_eq!((r.status, r.text().as_str()), (403, NO_SCOPES));
    // A key with exactly one scope passes that endpoint only.
    for (m, p, scope, body) in endpoints(&emu) {
        if scope == "admin" {
            continue;
        }
        let (fam, name) = scope.split_once('.').unwrap();
        let (_, _, jwt) = emu.create_key(
            json!({"admin": false, "endpoints": {fam: {name: true}}}),
            None,
        );
        let r = call(&emu, m, p, &bearer(&jwt), &body);
        assert_ne!(r.status, 403, "{m} {p}: {}", r.text());
        assert_ne!(r.status, 401);
        // ...and is refused elsewhere.
        let r = emu.get("/users/apiKeys", &bearer(&jwt));
        assert_eq!(r.status, 403);
    }
    let (_, _, jwt) = emu.create_key(
        json!({"admin": false, "endpoints": {"pinning": {"pinFileToIPFS": true}}}),
        None,
    );
    let r = emu.pin_files(&bearer(&jwt), &[("a.txt", b"a")], None, None, false);
    assert_eq!(r.status, 200, "{}", r.text());
    // Admin passes everything.
    for (m, p, _, body) in endpoints(&emu) {
        let r = call(&emu, m, p, &emu.admin(), &body);
        assert!(r.status != 401 && r.status != 403, "{m} {p}: {}", r.text());
    }
}

#[test]
fn max_uses_exhaust_the_key() {
    let emu = Emu::start();
    let (key, secret, jwt) =
        emu.create_key(json!({"endpoints": {"data": {"pinList": true}}}), Some(2));
    // testAuthentication does not use up a use.
    assert_eq!(
        emu.get("/data/testAuthentication", &bearer(&jwt)).status,
        200
    );
    assert_eq!(emu.get("/data/pinList", &bearer(&jwt)).status, 200);
    assert_eq!(emu.get("/data/pinList", &pair(&key, &secret)).status, 200);
    let r = emu.get("/data/pinList", &bearer(&jwt));
    assert_eq!(r.status, 403);
    assert_eq!(
        r.text(),
        r#"{"error":{"reason":"API_KEY_EXHAUSTED","details":"This API key has reached its maximum number of uses"}}"#
    );
    // An exhausted key also fails testAuthentication.
    assert_eq!(
        emu.get("/data/testAuthentication", &bearer(&jwt)).status,
        403
    );
    // The list shows it, and the exhausted filter finds it.
    let l = emu
        .get(
            "/users/apiKeys?limitedUse=true&exhausted=true",
            &emu.admin(),
        )
        .json();
    assert_eq!(l["count"], 1);
    assert_eq!(l["keys"][0]["key"], key.as_str());
    assert_eq!(l["keys"][0]["max_uses"], 2);
    assert_eq!(l["keys"][0]["uses"], 2);
    // Requests refused for scope do not count.
    let (_, _, jwt1) = emu.create_key(json!({"endpoints": {"data": {"pinList": true}}}), Some(1));
    assert_eq!(
        emu.get("/data/userPinnedDataTotal", &bearer(&jwt1)).status,
        403
    );
    assert_eq!(emu.get("/data/pinList", &bearer(&jwt1)).status, 200);
    assert_eq!(emu.get("/data/pinList", &bearer(&jwt1)).status, 403);
}

#[test]
fn revocation_all_paths() {
    let emu = Emu::start();
    let revoked_body =
        r#"{"error":{"reason":"API_KEY_REVOKED","details":"This API key has been revoked"}}"#;
    // Legacy.
    let (key, secret, jwt) = emu.create_key(json!({"admin": false}), None);
    let r = emu.json(
        "PUT",
        "/users/revokeApiKey",
        &emu.admin(),
        &json!({"apiKey": key}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), "\"Revoked\"");
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    for h in [bearer(&jwt), pair(&key, &secret)] {
        let r = emu.get("/data/testAuthentication", &h);
        assert_eq!((r.status, r.text().as_str()), (403, revoked_body));
    }
    // Idempotent.
    let r = emu.json(
        "PUT",
        "/users/revokeApiKey",
        &emu.admin(),
        &json!({"apiKey": key}),
    );
    assert_eq!(r.status, 200);
    // Unknown key, missing apiKey.
    let r = emu.json(
        "PUT",
        "/users/revokeApiKey",
        &emu.admin(),
        &json!({"apiKey": "nope"}),
    );
    assert_eq!(
        (r.status, r.text().as_str()),
        (404, r#"{"error":"API key not found"}"#)
    );
    let r = emu.json("PUT", "/users/revokeApiKey", &emu.admin(), &json!({}));
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].is_string());
    // v3 twins.
    let (k2, _, j2) = emu.create_key(json!({"admin": false}), None);
    let r = emu.raw("PUT", &format!("/v3/pinata/keys/{k2}"), &emu.admin(), None);
    assert_eq!((r.status, r.text().as_str()), (200, "\"Revoked\""));
    assert_eq!(
        emu.get("/data/testAuthentication", &bearer(&j2)).status,
        403
    );
    let (k3, _, j3) = emu.create_key(json!({"admin": false}), None);
    let r = emu.delete(&format!("/v3/api_keys/{k3}"), &emu.admin());
    assert_eq!((r.status, r.text().as_str()), (200, "\"Revoked\""));
    assert_eq!(
        emu.get("/data/testAuthentication", &bearer(&j3)).status,
        403
    );
    let l = emu.get("/users/apiKeys?revoked=true", &emu.admin()).json();
    assert_eq!(l["count"], 3);
    assert!(l["keys"]
        .as_array()
        .unwrap()
        .iter()
        .all(|k| k["revoked"] == true));
}

#[test]
fn key_creation_validation_and_listing() {
    let emu = Emu::start();
    for (body, msg) in [
        (
            json!({"permissions": {"admin": true}}),
            "keyName is required and must be a non-empty string",
        ),
        (
            json!({"keyName": "x"}),
            "permissions is required and must be an object",
        ),
        (
            json!({"keyName": "x", "permissions": {}, "maxUses": 0}),
            "maxUses must be a positive integer",
        ),
        (
            json!({"keyName": "x", "permissions": {}, "maxUses": -1}),
            "maxUses must be a positive integer",
        ),
        (
            json!({"keyName": "x", "permissions": {}, "maxUses": 1.5}),
            "maxUses must be a positive integer",
        ),
        (
            json!({"keyName": "x", "permissions": {}, "maxUses": "2"}),
            "maxUses must be a positive integer",
        ),
    ] {
        for path in ["/users/generateApiKey", "/v3/pinata/keys", "/v3/api_keys"] {
            let r = emu.json("POST", path, &emu.admin(), &body);
            assert_eq!(r.status, 400, "{path} {body}");
            assert_eq!(r.json(), json!({ "error": msg }));
        }
    }
    // Malformed JSON is rejected before authentication.
    let h = vec![("Content-Type".to_string(), "application/json".to_string())];
    let r = emu.raw("POST", "/users/generateApiKey", &h, Some(b"{nope"));
    assert_eq!(r.status, 400);
    assert_eq!(
        r.text(),
        r#"{"error":{"reason":"UNKNOWN_REASON","details":"Unexpected token n in JSON at position 1"}}"#
    );

    // Created through each path, usable at once with both credential kinds.
    for path in ["/users/generateApiKey", "/v3/pinata/keys", "/v3/api_keys"] {
        let r = emu.json(
            "POST",
            path,
            &emu.admin(),
            &json!({"keyName": format!("Key via {path}"), "permissions": {"admin": true, "resources": ["org:files:read"]}}),
        );
        assert_eq!(r.status, 200);
        let v = r.json();
        let names: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(names, ["pinata_api_key", "pinata_api_secret", "JWT"]);
        let k = v["pinata_api_key"].as_str().unwrap();
        let s = v["pinata_api_secret"].as_str().unwrap();
        assert!(is_hex(k, 20) && is_hex(s, 64));
        assert_eq!(
            emu.get(
                "/data/testAuthentication",
                &bearer(v["JWT"].as_str().unwrap())
            )
            .status,
            200
        );
        assert_eq!(emu.get("/data/testAuthentication", &pair(k, s)).status, 200);
    }
    // 12 more keys: 16 in all (seed + 3 + 12), 10 per page, newest first.
    for i in 0..12 {
        emu.json(
            "POST",
            "/users/generateApiKey",
            &emu.admin(),
            &json!({"keyName": format!("bulk-{i:02}"), "permissions": {"admin": false}, "maxUses": 5}),
        );
    }
    for path in ["/users/apiKeys", "/v3/pinata/keys", "/v3/api_keys"] {
        let p0 = emu.get(path, &emu.admin()).json();
        assert_eq!(p0["count"], 16);
        let keys = p0["keys"].as_array().unwrap();
        assert_eq!(keys.len(), 10);
        assert_eq!(keys[0]["name"], "bulk-11");
        let item = keys[0].as_object().unwrap();
        let fields: Vec<&str> = item.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            [
                "id",
                "name",
                "key",
                "max_uses",
                "uses",
                "user_id",
                "scopes",
                "revoked",
                "createdAt",
                "updatedAt"
            ]
        );
        assert_eq!(item["scopes"], json!({"admin": false}));
        let p1 = emu.get(&format!("{path}?offset=10"), &emu.admin()).json();
        assert_eq!(p1["keys"].as_array().unwrap().len(), 6);
        assert_eq!(p1["keys"][5]["name"], "emulator-admin");
        assert_eq!(p1["keys"][5]["max_uses"], 0);
    }
    let f = emu
        .get("/users/apiKeys?name=KEY%20VIA", &emu.admin())
        .json();
    assert_eq!(f["count"], 3);
    let f = emu
        .get("/users/apiKeys?limitedUse=true", &emu.admin())
        .json();
    assert_eq!(f["count"], 12);
    let f = emu
        .get(
            "/users/apiKeys?limitedUse=false&revoked=false",
            &emu.admin(),
        )
        .json();
    assert_eq!(f["count"], 4);
    let f = emu
        .get("/users/apiKeys?exhausted=true", &emu.admin())
        .json();
    assert_eq!(f["count"], 0);
    assert_eq!(emu.get("/users/apiKeys?offset=x", &emu.admin()).status, 400);
    assert_eq!(
        emu.get("/users/apiKeys?revoked=maybe", &emu.admin()).status,
        400
    );
}

#[test]
fn rate_limit_from_command_line() {
    let emu = Emu::start_with(&["--rate-limit", "3", "--rate-window-secs", "30"]);
    for i in 0..3 {
        let r = emu.get("/data/testAuthentication", &emu.admin());
        assert_eq!(r.status, 200);
        assert_eq!(r.header("x-ratelimit-limit"), Some("3"));
        assert_eq!(
            r.header("x-ratelimit-remaining"),
            Some((2 - i).to_string().as_str())
        );
    }
    let r = emu.get("/data/testAuthentication", &emu.admin());
    assert_eq!(r.status, 429);
    assert_eq!(
        r.text(),
        r#"{"error":{"reason":"RATE_LIMITED","details":"Too many requests, please try again later."}}"#
    );
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
    let ra: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=30).contains(&ra), "{ra}");
    // Limits are per key: another key (and the key pair of the same key) differ.
    let other = emu.create_key_after_limit();
    assert_eq!(
        emu.get("/data/testAuthentication", &bearer(&other)).status,
        200
    );
    // Key pair of the admin key shares its bucket.
    let r = emu.get(
        "/data/testAuthentication",
        &pair(&emu.api_key, &emu.api_secret),
    );
    assert_eq!(r.status, 429);
}

trait CreateAfterLimit {
    fn create_key_after_limit(&self) -> String;
}

impl CreateAfterLimit for Emu {
    /// Creates a key through a fresh bucket: raise the limit, create, restore.
    fn create_key_after_limit(&self) -> String {
        self.hook("rate-limit", &json!({"limit": 0, "window_secs": 30}));
        let (_, _, jwt) = self.create_key(json!({"admin": true}), None);
        self.hook("rate-limit", &json!({"limit": 3, "window_secs": 30}));
        // Re-fill the admin bucket, which the configure call reset.
        for _ in 0..3 {
            self.get("/data/testAuthentication", &self.admin());
        }
        jwt
    }
}

#[test]
fn rate_limit_hook_and_window_reset() {
    let emu = Emu::start();
    let r = emu.hook("rate-limit", &json!({"limit": 2, "window_secs": 1}));
    assert_eq!(r.status, 200);
    assert_eq!(
        emu.get("/data/testAuthentication", &emu.admin()).status,
        200
    );
    assert_eq!(
        emu.get("/data/testAuthentication", &emu.admin()).status,
        200
    );
    let r = emu.get("/data/testAuthentication", &emu.admin());
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("1"));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(
        emu.get("/data/testAuthentication", &emu.admin()).status,
        200
    );
    // Back to unlimited.
    emu.hook("rate-limit", &json!({"limit": 0, "window_secs": 60}));
    for _ in 0..5 {
        let r = emu.get("/data/testAuthentication", &emu.admin());
        assert_eq!(r.status, 200);
        assert_eq!(r.header("x-ratelimit-limit"), Some("180"));
    }
    assert_eq!(
        emu.hook("rate-limit", &json!({"window_secs": 1})).status,
        400
    );
}

#[test]
fn sigterm_and_sigint_exit_zero() {
    let emu = Emu::start();
    assert_eq!(
        emu.get("/data/testAuthentication", &emu.admin()).status,
        200
    );
    let st = emu.terminate();
    assert!(st.success(), "{st:?}");

    let mut emu = Emu::start();
    let pid = emu.child.id().to_string();
    std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    let st = emu.child.wait().unwrap();
    assert!(st.success(), "{st:?}");
}

#[test]
fn bad_command_line() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pinata-emulator"))
        .arg("--bogus")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pinata-emulator"))
        .args(["--listen", "256.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn credentials_never_logged() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pinata-emulator"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::BufRead;
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let v: Value = serde_json::from_str(&line).unwrap();
    let url = v["url"].as_str().unwrap();
    let jwt = v["jwt"].as_str().unwrap();
    let key = v["api_key"].as_str().unwrap();
    let secret = v["api_secret"].as_str().unwrap();
    common::request(
        "GET",
        &format!("{url}/data/testAuthentication"),
        &bearer(jwt),
        None,
    );
    common::request(
        "GET",
        &format!("{url}/data/pinList"),
        &pair(key, secret),
        None,
    );
    let r = common::request(
        "POST",
        &format!("{url}/users/generateApiKey"),
        &[
            bearer(jwt)[0].clone(),
            ("Content-Type".into(), "application/json".into()),
        ],
        Some(br#"{"keyName":"n","permissions":{"admin":true}}"#),
    );
    let created = r.json();
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(log.contains("GET /data/pinList"), "{log}");
    for secret_text in [
        jwt,
        key,
        secret,
        created["JWT"].as_str().unwrap(),
        created["pinata_api_secret"].as_str().unwrap(),
        created["pinata_api_key"].as_str().unwrap(),
    ] {
        assert!(!log.contains(secret_text), "credential in log");
    }
}
