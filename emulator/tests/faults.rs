//! Test hooks: fault injection (every kind, checked on the wire), stats and
//! reset.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{bearer, try_request, Emu};
use serde_json::{json, Value};

const AUTH_PATH: &str = "/data/testAuthentication";

/// Sends a raw HTTP/1.1 request and reads until EOF or error.
fn raw_exchange(emu: &Emu, request: &[u8]) -> (Vec<u8>, Option<std::io::Error>) {
    let mut s = TcpStream::connect(emu.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return (out, None),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) => return (out, Some(e)),
        }
    }
}

fn get_req(path: &str, jwt: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {jwt}\r\nConnection: close\r\n\r\n").into_bytes()
}

fn split_head(resp: &[u8]) -> (String, Vec<u8>) {
    let i = resp
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("header end");
    (
        String::from_utf8_lossy(&resp[..i]).to_string(),
        resp[i + 4..].to_vec(),
    )
}

fn head_value(head: &str, name: &str) -> Option<String> {
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim().to_string())
}

#[test]
fn status_faults_and_ordering() {
    let emu = Emu::start();
    emu.add_fault(json!({"path": AUTH_PATH, "kind": "status", "status": 503, "times": 2}));
    emu.add_fault(json!({"path": AUTH_PATH, "kind": "status", "status": 429, "retry_after": 7, "body": {"error": "slow down"}, "times": 1}));
    for _ in 0..2 {
        let r = emu.get(AUTH_PATH, &emu.admin());
        assert_eq!(r.status, 503);
        assert_eq!(
            r.json(),
            json!({"error": {"reason": "INJECTED_FAULT", "details": "injected status 503"}})
        );
        assert!(r.header("x-ratelimit-limit").is_some());
        assert!(r.header("x-request-id").is_some());
    }
    let r = emu.get(AUTH_PATH, &emu.admin());
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("7"));
    assert_eq!(r.text(), r#"{"error":"slow down"}"#);
    assert_eq!(emu.get(AUTH_PATH, &emu.admin()).status, 200);

    // String bodies are sent as they are; text when not JSON.
    emu.add_fault(json!({"path": "*", "kind": "status", "status": 502, "body": "<html>Bad Gateway</html>", "times": 1}));
    let r = emu.get("/data/pinList", &emu.admin());
    assert_eq!(
        (r.status, r.text().as_str()),
        (502, "<html>Bad Gateway</html>")
    );
    assert_eq!(r.header("content-type"), Some("text/plain; charset=utf-8"));

    // Prefix and method matching; "always" faults until cleared.
    emu.add_fault(
        json!({"path": "/pinning/*", "method": "DELETE", "kind": "status", "status": 500}),
    );
    for _ in 0..3 {
        assert_eq!(emu.delete("/pinning/unpin/Qmx", &emu.admin()).status, 500);
    }
    assert_ne!(emu.get("/pinning/pinJobs", &emu.admin()).status, 500);
    let list = emu.get("/__emulator/faults", &[]).json();
    assert_eq!(list["faults"].as_array().unwrap().len(), 1);
    assert_eq!(list["faults"][0]["times"], Value::Null);
    let r = emu.delete("/__emulator/faults", &[]);
    assert_eq!(r.status, 200);
    assert_eq!(emu.delete("/pinning/unpin/Qmx", &emu.admin()).status, 400);
    // Hooks are never faulted.
    emu.add_fault(json!({"path": "*", "kind": "status", "status": 500}));
    assert_eq!(emu.get("/__emulator/stats", &[]).status, 200);
    assert_eq!(emu.delete("/__emulator/faults", &[]).status, 200);
    // Bad descriptions.
    for bad in [
        json!({"kind": "status", "status": 500}),
        json!({"path": "*", "kind": "explode"}),
        json!({"path": "*", "kind": "status"}),
        json!({"path": "*", "kind": "delay"}),
    ] {
        assert_eq!(emu.hook("faults", &bad).status, 400, "{bad}");
    }
}

#[test]
fn fault_and_rate_limit_429() {
    let emu = Emu::start();
    emu.add_fault(
        json!({"path": AUTH_PATH, "kind": "status", "status": 429, "retry_after": 2, "times": 1}),
    );
    let r = emu.get(AUTH_PATH, &emu.admin());
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("2"));
}

#[test]
fn reset_without_response() {
    let emu = Emu::start();
    emu.add_fault(json!({"path": AUTH_PATH, "kind": "reset", "times": 1}));
    let (data, err) = raw_exchange(&emu, &get_req(AUTH_PATH, &emu.jwt));
    assert!(data.is_empty(), "{:?}", String::from_utf8_lossy(&data));
    assert_eq!(
        err.expect("connection reset").kind(),
        ErrorKind::ConnectionReset
    );
    // libcurl sees a transport error; the next request is fine.
    emu.add_fault(json!({"path": AUTH_PATH, "kind": "reset", "times": 1}));
    let e = try_request(
        "GET",
        &format!("{}{AUTH_PATH}", emu.url),
        &emu.admin(),
        None,
        Duration::from_secs(10),
    )
    .unwrap_err();
    assert!(
        e.is_recv_error() || e.is_got_nothing() || e.is_send_error(),
        "{e}"
    );
    assert_eq!(emu.get(AUTH_PATH, &emu.admin()).status, 200);
}

#[test]
fn reset_mid_upload_after_bytes() {
    let emu = Emu::start();
    emu.add_fault(
        json!({"path": "/pinning/pinFileToIPFS", "kind": "reset", "after_bytes": 5000, "times": 1}),
    );
    let mut s = TcpStream::connect(emu.addr()).unwrap();
    let head = format!(
        "POST /pinning/pinFileToIPFS HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000000\r\n\r\n",
        emu.jwt
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(&[b'a'; 1000]).unwrap();
    // Before after_bytes: still open, no answer.
    s.set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let mut buf = [0u8; 1024];
    let e = s.read(&mut buf).unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
        "{e:?}"
    );
    // Past after_bytes: reset, with no response bytes.
    s.write_all(&[b'a'; 8000]).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut got = 0;
    let err = loop {
        match s.read(&mut buf) {
            Ok(0) => panic!("orderly close instead of reset"),
            Ok(n) => got += n,
            Err(e) => break e,
        }
    };
    assert_eq!(got, 0);
    assert_eq!(err.kind(), ErrorKind::ConnectionReset);

    // Through libcurl, a real upload fails mid-way.
    emu.add_fault(json!({"path": "/pinning/pinFileToIPFS", "kind": "reset", "after_bytes": 65536, "times": 1}));
    let big = vec![7u8; 4 * 1024 * 1024];
    let body = common::multipart_body("bnd", &[common::Part::file("file", "big.bin", &big)]);
    let mut h = emu.admin();
    h.push((
        "Content-Type".into(),
        "multipart/form-data; boundary=bnd".into(),
    ));
    let e = try_request(
        "POST",
        &format!("{}/pinning/pinFileToIPFS", emu.url),
        &h,
        Some(&body),
        Duration::from_secs(30),
    )
    .unwrap_err();
    assert!(e.is_send_error() || e.is_recv_error(), "{e}");
    // Nothing was pinned; the server still works.
    assert_eq!(emu.get("/data/pinList", &emu.admin()).json()["count"], 0);
    let r = emu.multipart(&h[..1], &[common::Part::file("file", "big.bin", &big)]);
    assert_eq!(r.status, 200);
}

#[test]
fn truncate_promises_more_than_it_sends() {
    let emu = Emu::start();
    emu.add_fault(json!({"path": AUTH_PATH, "kind": "truncate", "times": 1}));
    let (data, _) = raw_exchange(&emu, &get_req(AUTH_PATH, &emu.jwt));
    let (head, body) = split_head(&data);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let cl: usize = head_value(&head, "content-length")
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        !body.is_empty() && body.len() < cl,
        "{} vs {cl}",
        body.len()
    );
    assert!(body.starts_with(b"{\"IpfsHash\":\"Qm"));
    emu.add_fault(json!({"path": AUTH_PATH, "kind": "truncate", "times": 1}));
    let e = try_request(
        "GET",
        &format!("{}{AUTH_PATH}", emu.url),
        &emu.admin(),
        None,
        Duration::from_secs(10),
    )
    .unwrap_err();
    assert!(e.is_partial_file(), "{e}");
}

#[test]
fn corrupt_success_bodies() {
    let emu = Emu::start();
    emu.add_fault(json!({"path": "/pinning/pinJSONToIPFS", "kind": "malformed_json", "times": 1}));
    emu.add_fault(
        json!({"path": "/pinning/pinJSONToIPFS", "kind": "wrong_content_type", "times": 1}),
    );
    emu.add_fault(json!({"path": "/pinning/pinJSONToIPFS", "kind": "empty_200", "times": 1}));
    let body = json!({"pinataContent": {"a": 1}});
    let r = emu.json("POST", "/pinning/pinJSONToIPFS", &emu.admin(), &body);
    assert_eq!(r.status, 200);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert!(r.text().starts_with("{\"IpfsHash\":\"Qm"), "{}", r.text());
    assert!(serde_json::from_slice::<Value>(&r.body).is_err());
    let r = emu.json("POST", "/pinning/pinJSONToIPFS", &emu.admin(), &body);
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.text().starts_with("<html>") && r.text().ends_with("</html>"));
    let r = emu.json("POST", "/pinning/pinJSONToIPFS", &emu.admin(), &body);
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    assert_eq!(r.header("content-length"), Some("0"));
    // Faults answered without pinning anything.
    assert_eq!(emu.get("/data/pinList", &emu.admin()).json()["count"], 0);
}

#[test]
fn huge_body_streams() {
    let emu = Emu::start();
    emu.add_fault(json!({"path": AUTH_PATH, "kind": "huge_body", "size_mb": 3, "times": 1}));
    let r = emu.get(AUTH_PATH, &emu.admin());
    assert_eq!(r.status, 200);
    assert_eq!(r.body.len(), 3 * 1024 * 1024);
    assert_eq!(r.header("content-length"), Some("3145728"));
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert!(v["IpfsHash"].as_str().unwrap().starts_with("Qm"));
    // Chunked variant has no Content-Length.
    emu.add_fault(
        json!({"path": AUTH_PATH, "kind": "huge_body", "size_mb": 1, "chunked": true, "times": 1}),
    );
    let r = emu.get(AUTH_PATH, &emu.admin());
    assert_eq!(r.body.len(), 1024 * 1024);
    assert!(r.header("content-length").is_none());
    assert_eq!(r.header("transfer-encoding"), Some("chunked"));
    // Default 64 MiB: the client may stop reading early.
    emu.add_fault(json!({"path": AUTH_PATH, "kind": "huge_body", "times": 1}));
    let mut easy = curl::easy::Easy::new();
    easy.url(&format!("{}{AUTH_PATH}", emu.url)).unwrap();
    let mut got = 0usize;
    let mut cl = None;
    let res = {
        let mut t = easy.transfer();
        t.header_function(|h| {
            let s = String::from_utf8_lossy(h).to_lowercase();
            if let Some(v) = s.strip_prefix("content-length:") {
                cl = v.trim().parse::<u64>().ok();
            }
            true
        })
        .unwrap();
        t.write_function(|d| {
            got += d.len();
            Ok(if got > 1024 * 1024 { 0 } else { d.len() })
        })
        .unwrap();
        t.perform()
    };
    assert!(res.unwrap_err().is_write_error());
    assert_eq!(cl, Some(64 * 1024 * 1024));
    assert_eq!(emu.get(AUTH_PATH, &emu.admin()).status, 200);
}

#[test]
fn slow_drip_does_not_block_others() {
    let emu = Emu::start();
    emu.add_fault(json!({"path": "/data/pinList", "kind": "slow_drip", "interval_ms": 50}));
    let url = format!("{}/data/pinList", emu.url);
    let h = emu.admin();
    let started = Instant::now();
    let drips: Vec<_> = (0..3)
        .map(|_| {
            let (url, h) = (url.clone(), h.clone());
            std::thread::spawn(move || {
                let mut easy = curl::easy::Easy::new();
                easy.url(&url).unwrap();
                easy.timeout(Duration::from_millis(800)).unwrap();
                let mut list = curl::easy::List::new();
                list.append(&format!("{}: {}", h[0].0, h[0].1)).unwrap();
                easy.http_headers(list).unwrap();
                let mut got = 0usize;
                let res = {
                    let mut t = easy.transfer();
                    t.write_function(|d| {
                        got += d.len();
                        Ok(d.len())
                    })
                    .unwrap();
                    t.perform()
                };
                (res, got, easy.response_code().unwrap())
            })
        })
        .collect();
    // Meanwhile other requests are answered at once.
    std::thread::sleep(Duration::from_millis(100));
    for _ in 0..5 {
        let t = Instant::now();
        assert_eq!(emu.get(AUTH_PATH, &emu.admin()).status, 200);
        assert!(t.elapsed() < Duration::from_millis(2000));
    }
    for d in drips {
        let (res, got, code) = d.join().unwrap();
        assert!(res.unwrap_err().is_operation_timedout());
        assert_eq!(code, 200);
        assert!((1..=40).contains(&got), "{got} bytes");
    }
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn delay_then_normal() {
    let emu = Emu::start();
    emu.add_fault(json!({"path": AUTH_PATH, "kind": "delay", "delay_ms": 400, "times": 1}));
    let t = Instant::now();
    let r = emu.get(AUTH_PATH, &emu.admin());
    assert!(t.elapsed() >= Duration::from_millis(400));
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json()["message"],
        "Congratulations! You are communicating with the Pinata API!"
    );
    // Delays apply before authentication: a client timeout fires first.
    emu.add_fault(json!({"path": AUTH_PATH, "kind": "delay", "delay_ms": 2000, "times": 1}));
    let e = try_request(
        "GET",
        &format!("{}{AUTH_PATH}", emu.url),
        &emu.admin(),
        None,
        Duration::from_millis(300),
    )
    .unwrap_err();
    assert!(e.is_operation_timedout());
    let t = Instant::now();
    assert_eq!(emu.get(AUTH_PATH, &emu.admin()).status, 200);
    assert!(t.elapsed() < Duration::from_millis(1500));
}

#[test]
fn stats_count_every_request() {
    let emu = Emu::start();
    emu.get(AUTH_PATH, &emu.admin());
    emu.get(AUTH_PATH, &[]);
    emu.add_fault(json!({"path": "/data/pinList", "kind": "status", "status": 500, "times": 1}));
    emu.get("/data/pinList", &emu.admin());
    emu.get("/data/pinList", &emu.admin());
    emu.get("/nope", &[]);
    let s = emu.get("/__emulator/stats", &[]).json();
    assert_eq!(
        s,
        json!({"requests_total": 5, "by_path": {"/data/pinList": 2, "/data/testAuthentication": 2, "/nope": 1}})
    );
}

#[test]
fn reset_hook_clears_state() {
    let emu = Emu::start();
    let (_, _, jwt) = emu.create_key(json!({"admin": true}), None);
    emu.json(
        "POST",
        "/pinning/pinJSONToIPFS",
        &emu.admin(),
        &json!({"pinataContent": 1}),
    );
    emu.json(
        "POST",
        "/pinning/pinByHash",
        &emu.admin(),
        &json!({"hashToPin": "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"}),
    );
    emu.add_fault(json!({"path": "/never", "kind": "status", "status": 500}));
    emu.hook("rate-limit", &json!({"limit": 100, "window_secs": 60}));
    // Revoke the seed key through the new key; reset restores it.
    emu.json(
        "PUT",
        "/users/revokeApiKey",
        &bearer(&jwt),
        &json!({"apiKey": emu.api_key}),
    );
    assert_eq!(emu.get(AUTH_PATH, &emu.admin()).status, 403);
    let r = emu.hook("reset", &Value::Null);
    assert_eq!(r.status, 200);
    assert_eq!(emu.get(AUTH_PATH, &emu.admin()).status, 200);
    assert_eq!(emu.get(AUTH_PATH, &bearer(&jwt)).status, 401);
    assert_eq!(emu.get("/data/pinList", &emu.admin()).json()["count"], 0);
    assert_eq!(emu.get("/pinning/pinJobs", &emu.admin()).json()["count"], 0);
    assert_eq!(
        emu.get("/__emulator/faults", &[]).json()["faults"],
        json!([])
    );
    let keys = emu.get("/users/apiKeys", &emu.admin()).json();
    assert_eq!(keys["count"], 1);
    assert_eq!(keys["keys"][0]["revoked"], false);
    let s = emu.get("/__emulator/stats", &[]).json();
    assert_eq!(s["requests_total"], 5);
    assert_eq!(emu.get("/__emulator/nope", &[]).status, 404);
}
