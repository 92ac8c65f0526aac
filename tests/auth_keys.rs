//! Authentication and API-key management against a freshly started emulator.

mod common;

use common::Emulator;
use pinata::keys::{Endpoint, KeyQuery, Permissions};
use pinata::{Client, Status};

#[test]
fn jwt_and_key_pair_both_authenticate() {
    let emu = Emulator::start();
    let msg = emu.client().test_authentication().unwrap();
    assert_eq!(
        msg,
        "Congratulations! You are communicating with the Pinata API!"
    );
    let mut c = Client::with_keys(&emu.api_key, &emu.api_secret).unwrap();
    c.set_base_url(&emu.url).unwrap();
    assert!(c
        .test_authentication()
        .unwrap()
        .starts_with("Congratulations"));
}

#[test]
fn bad_credentials_are_unauthorized_with_reason() {
    let emu = Emulator::start();
    let mut c = Client::with_jwt("not.a.jwt").unwrap();
    c.set_base_url(&emu.url).unwrap();
    let e = c.test_authentication().unwrap_err();
    assert_eq!(e.status(), Status::Unauthorized);
    assert_eq!(e.http_status(), 401);
    assert_eq!(e.reason(), Some("INVALID_CREDENTIALS"));
    assert_eq!(e.details(), Some("Invalid/expired credentials"));
    assert!(!e.message().contains("not.a.jwt"), "{}", e.message());

    let mut c = Client::with_keys(&emu.api_key, "wrongsecret0123").unwrap();
    c.set_base_url(&emu.url).unwrap();
    let e = c.test_authentication().unwrap_err();
    assert_eq!(e.status(), Status::Unauthorized);
    assert!(!e.message().contains("wrongsecret0123"));
}

#[test]
fn missing_credentials_map_to_unauthorized() {
    let emu = Emulator::start();
    // The emulator answers a request without credentials as Pinata does...
    let (code, body) = emu.hook("GET", "/data/testAuthentication", None);
    assert_eq!(code, 400);
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["error"]["reason"], "KEYS_MUST_BE_STRINGS", "{body}");
    // ...but the client always sends its credentials, so that exact answer is injected
    // for the client's call: a 400 with this reason is an authentication failure.
    let fault = serde_json::json!({
        "path": "/data/testAuthentication",
        "kind": "status",
        "status": 400,
        "body": answer,
        "times": 1,
    });
    emu.fault(&fault.to_string());
    let e = emu.client().test_authentication().unwrap_err();
    assert_eq!(e.status(), Status::Unauthorized, "{e}");
    assert_eq!(e.http_status(), 400);
    assert_eq!(e.reason(), Some("KEYS_MUST_BE_STRINGS"));
    assert_eq!(
        e.details(),
        answer["error"]["details"].as_str(),
        "the details reach the caller"
    );
    assert_eq!(emu.requests_on("/data/testAuthentication"), 2);
}

#[test]
fn scoped_key_with_max_uses_is_exhausted_then_revoked() {
    let emu = Emulator::start();
    let admin = emu.client();
    let mut perms = Permissions::new();
    perms.allow(Endpoint::PinList);
    let key = admin.create_key("list-only", &perms, Some(2)).unwrap();
    assert_eq!(key.api_key.len(), 20);
    assert_eq!(key.secret.len(), 64);
    assert_eq!(key.jwt.split('.').count(), 3);
    assert!(!format!("{key:?}").contains(key.secret.as_str()));

    let mut scoped = Client::with_jwt(&key.jwt).unwrap();
    scoped.set_base_url(&emu.url).unwrap();
    // Not allowed: key management needs admin.
    let e = scoped.list_keys(&KeyQuery::default()).unwrap_err();
    assert_eq!(e.status(), Status::Forbidden);
    assert_eq!(e.reason(), Some("NO_SCOPES_FOUND"));

    let listed = admin.list_all_keys(&KeyQuery::default()).unwrap();
    let row = listed.iter().find(|k| k.key == *key.api_key).unwrap();
    assert_eq!(row.name, "list-only");
    assert_eq!(row.max_uses, Some(2));
    assert!(!row.admin);
    assert!(!row.revoked);

    admin.revoke_key(&key.api_key).unwrap();
    let e = scoped.test_authentication().unwrap_err();
    assert_eq!(e.status(), Status::Forbidden);
    assert_eq!(e.reason(), Some("API_KEY_REVOKED"));
    let revoked = admin
        .list_keys(&KeyQuery {
            revoked: Some(true),
            ..Default::default()
        })
        .unwrap();
    assert!(revoked
        .keys
        .iter()
        .any(|k| k.key == *key.api_key && k.revoked));
}

#[test]
fn created_key_pair_works_at_once() {
    let emu = Emulator::start();
    let key = emu
        .client()
        .create_key("admin-2", &Permissions::admin(), None)
        .unwrap();
    let mut c = Client::with_keys(&key.api_key, &key.secret).unwrap();
    c.set_base_url(&emu.url).unwrap();
    assert!(c.test_authentication().is_ok());
    let page = c.list_keys(&KeyQuery::default()).unwrap();
    assert!(page.keys.len() >= 2);
    assert!(page.keys.iter().all(|k| k.raw.get("secret").is_none()));
}

#[test]
fn key_list_pages_by_offset() {
    let emu = Emulator::start();
    let admin = emu.client();
    for i in 0..23 {
        admin
            .create_key(&format!("bulk-{i:02}"), &Permissions::new(), None)
            .unwrap();
    }
    let first = admin.list_keys(&KeyQuery::default()).unwrap();
    assert_eq!(first.keys.len(), 10);
    let all = admin
        .list_all_keys(&KeyQuery {
            name: Some("BULK".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(all.len(), 23);
    let mut names: Vec<_> = all.iter().map(|k| k.name.clone()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 23);
}

#[test]
fn rate_limit_gives_rate_limited_with_retry_after() {
    let emu = Emulator::start_with(&["--rate-limit", "3"]);
    let mut c = emu.client();
    c.set_retry_policy(0, std::time::Duration::from_secs(1));
    for _ in 0..3 {
        c.test_authentication().unwrap();
    }
    let e = c.test_authentication().unwrap_err();
    assert_eq!(e.status(), Status::RateLimited);
    assert_eq!(e.http_status(), 429);
    let wait = e.retry_after().expect("Retry-After");
    assert!((1..=60).contains(&wait), "{wait}");
}

#[test]
fn refused_connection_is_a_network_error() {
    // Bind then drop a listener to get a port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut c = Client::with_jwt("a.b.c").unwrap();
    c.set_base_url(&format!("http://127.0.0.1:{port}")).unwrap();
    c.set_retry_policy(0, std::time::Duration::from_secs(1));
    let e = c.test_authentication().unwrap_err();
    assert_eq!(e.status(), Status::Network);
    assert_eq!(e.http_status(), 0);
}
