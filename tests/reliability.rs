//! Retries, timeouts, cancellation, transport rules and secret hygiene, against the
//! emulator's fault hooks.

mod common;

use common::Emulator;
use pinata::cid::{cid_of_bytes, Profile};
use pinata::legacy::pinning::{CidCheck, PinOptions};
use pinata::transport::Hooks;
use pinata::{CancelToken, Client, Status};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn requests(emu: &Emulator, path: &str) -> u64 {
    emu.requests_on(path)
}

/// Raises `token` once the emulator has counted a request on `path`, so the call under
/// test is known to be past sending it. Polls the stats hook for at most 10 s; on
/// timeout it still cancels (so the call returns) and then fails the test.
fn cancel_once_requested(emu: &Emulator, path: &str, token: &CancelToken) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while requests(emu, path) == 0 {
        if Instant::now() > deadline {
            token.cancel();
            panic!("no request on {path} within 10 s");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    token.cancel();
}

fn fast_client(emu: &Emulator) -> Client {
    let mut c = emu.client();
    c.set_retry_policy(3, Duration::from_secs(30));
    c.set_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .unwrap();
    c
}

fn temp_file(tag: &str, data: &[u8]) -> PathBuf {
    let p = std::env::temp_dir().join(format!("libpinata-rel-{tag}-{}", std::process::id()));
    std::fs::write(&p, data).unwrap();
    p
}

#[test]
fn a_503_is_retried_and_the_call_succeeds() {
    let emu = Emulator::start();
    let c = fast_client(&emu);
    emu.fault(r#"{"path":"/data/testAuthentication","kind":"status","status":503,"times":1}"#);
    c.test_authentication().unwrap();
    assert_eq!(requests(&emu, "/data/testAuthentication"), 2);
}

#[test]
fn client_errors_are_never_retried() {
    let emu = Emulator::start();
    let c = fast_client(&emu);
    emu.fault(r#"{"path":"/data/testAuthentication","kind":"status","status":400,"times":1}"#);
    let e = c.test_authentication().unwrap_err();
    assert_eq!(e.status(), Status::BadRequest);
    assert_eq!(requests(&emu, "/data/testAuthentication"), 1);
}

#[test]
fn retry_after_beyond_the_budget_gives_up_at_once() {
    let emu = Emulator::start();
    let c = fast_client(&emu);
    emu.fault(r#"{"path":"*","kind":"status","status":429,"retry_after":3600}"#);
    let e = c.test_authentication().unwrap_err();
    assert_eq!(e.status(), Status::RateLimited);
    assert_eq!(e.retry_after(), Some(3600));
    assert_eq!(requests(&emu, "/data/testAuthentication"), 1);
}

#[test]
fn cancel_interrupts_the_backoff_sleep() {
    let emu = Emulator::start();
    let mut c = emu.client();
    // Long sleeps between attempts: only cancellation can end this call early.
    c.set_retry_policy(5, Duration::from_secs(600));
    c.set_backoff(Duration::from_secs(60), Duration::from_secs(60))
        .unwrap();
    emu.fault(r#"{"path":"*","kind":"status","status":503,"retry_after":60}"#);
    let token = CancelToken::new();
    let cancellable = c.with_cancel(token.clone());
    let started = Instant::now();
    let e = std::thread::scope(|s| {
        // The emulator answers the 503 as soon as it counts the request; the call then
        // sleeps 60 s before its retry, and the cancel must end that sleep.
        s.spawn(|| cancel_once_requested(&emu, "/data/testAuthentication", &token));
        cancellable.test_authentication().unwrap_err()
    });
    let elapsed = started.elapsed();
    assert_eq!(e.status(), Status::Cancelled);
    assert!(
        elapsed < Duration::from_secs(5),
        "cancelled after {elapsed:?}"
    );
    assert_eq!(requests(&emu, "/data/testAuthentication"), 1);
}

#[test]
fn an_upload_reset_midway_is_re_read_from_disk() {
    let emu = Emulator::start();
    let c = fast_client(&emu);
    let data: Vec<u8> = (0..2_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let f = temp_file("reset", &data);
    emu.fault(r#"{"path":"/pinning/pinFileToIPFS","kind":"reset","after_bytes":500000,"times":1}"#);
    let r = c
        .pin_file(&f, &PinOptions::default(), &mut Hooks::default())
        .unwrap();
    assert_eq!(r.cid, cid_of_bytes(&data, Profile::V0).cid.to_string());
    assert_eq!(r.check, CidCheck::Verified);
    assert_eq!(requests(&emu, "/pinning/pinFileToIPFS"), 2);
    std::fs::remove_file(f).unwrap();
}

#[test]
fn a_file_that_changes_during_upload_is_an_error() {
    let emu = Emulator::start();
    let c = fast_client(&emu);
    let f = temp_file("shrink", &vec![1u8; 8 * 1024 * 1024]);
    let path = f.clone();
    let mut shrunk = false;
    let mut hooks = Hooks {
        progress: Some(Box::new(move |_, _| {
            if !shrunk {
                shrunk = true;
                std::fs::write(&path, b"short now").unwrap();
            }
            true
        })),
        cancel: Vec::new(),
    };
    let pins = c.usage().unwrap().pin_count;
    let e = c
        .pin_file(&f, &PinOptions::default(), &mut hooks)
        .unwrap_err();
    assert_eq!(e.status(), Status::Io, "{e}");
    assert!(e.message().contains("shrank"), "{e}");
    // The upload reached the server once (an I/O error is not retried), and it pinned
    // nothing: never a wrong pin.
    assert_eq!(requests(&emu, "/pinning/pinFileToIPFS"), 1);
    assert_eq!(c.usage().unwrap().pin_count, pins);
    std::fs::remove_file(f).unwrap();
}

#[test]
fn a_stalled_upload_times_out_and_a_slow_small_call_too() {
    let emu = Emulator::start();
    let mut c = fast_client(&emu);
    c.set_stall_timeout(Duration::from_millis(800)).unwrap();
    c.set_request_timeout(Duration::from_millis(800)).unwrap();
    let f = temp_file("stall", &[9u8; 100_000]);
    emu.fault(r#"{"path":"*","kind":"slow_drip","interval_ms":5000}"#);
    let e = c
        .pin_file(&f, &PinOptions::default(), &mut Hooks::default())
        .unwrap_err();
    assert_eq!(e.status(), Status::Timeout, "{e}");
    let e = c.test_authentication().unwrap_err();
    assert_eq!(e.status(), Status::Timeout, "{e}");
    std::fs::remove_file(f).unwrap();
}

#[test]
fn oversized_and_redirecting_answers_are_protocol_errors() {
    let emu = Emulator::start();
    let c = fast_client(&emu);
    emu.fault(r#"{"path":"/data/userPinnedDataTotal","kind":"huge_body","size_mb":48,"times":1}"#);
    let e = c.usage().unwrap_err();
    assert_eq!(e.status(), Status::Protocol);
    assert!(e.message().contains("larger than 33554432 bytes"), "{e}");
    // A client's own cap, lower (chunked, so that only the cap stops it) and restored.
    let mut capped = fast_client(&emu);
    let e = capped.set_max_response_bytes(65_535).unwrap_err();
    assert_eq!(e.status(), Status::InvalidArgument);
    assert!(e.message().contains("at least 65536"), "{e}");
    capped.set_max_response_bytes(u64::MAX).unwrap();
    capped.usage().unwrap(); // clamped to what libcurl takes
    capped.set_max_response_bytes(1 << 20).unwrap();
    emu.fault(r#"{"path":"/data/userPinnedDataTotal","kind":"huge_body","size_mb":2,"chunked":true,"times":1}"#);
    let e = capped.usage().unwrap_err();
    assert_eq!(e.status(), Status::Protocol);
    assert!(e.message().contains("larger than 1048576 bytes"), "{e}");
    capped.set_max_response_bytes(0).unwrap();
    capped.usage().unwrap();
    emu.fault(r#"{"path":"/data/userPinnedDataTotal","kind":"status","status":302,"times":1}"#);
    let e = c.usage().unwrap_err();
    assert_eq!(e.status(), Status::Protocol);
    assert_eq!(e.http_status(), 302);
    // Only the faulted requests and the one after the cap was restored: none was
    // retried, and the redirect was not followed.
    assert_eq!(requests(&emu, "/data/userPinnedDataTotal"), 5);
}

#[test]
fn plain_http_is_for_loopback_only() {
    let mut c = Client::with_jwt("a.b.c").unwrap();
    assert_eq!(
        c.set_base_url("http://pinata.example")
            .unwrap_err()
            .status(),
        Status::InvalidArgument
    );
    c.set_allow_insecure_http(true);
    c.set_base_url("http://pinata.example").unwrap();
}

#[test]
fn secrets_never_appear_in_errors_or_debug_output() {
    let emu = Emulator::start();
    let jwt = "eyJhbGciOiJIUzI1NiJ9.SECRETPAYLOAD123.SIGNATURE456";
    let (key, secret) = ("feedfacefeedfacefeed", "S3CR3T-SECRET-VALUE-0123456789");
    let mut by_jwt = Client::with_jwt(jwt).unwrap();
    by_jwt.set_base_url(&emu.url).unwrap();
    by_jwt.set_retry_policy(0, Duration::from_secs(1));
    let mut by_keys = Client::with_keys(key, secret).unwrap();
    by_keys.set_base_url(&emu.url).unwrap();
    by_keys.set_retry_policy(0, Duration::from_secs(1));

    let mut texts = vec![format!("{by_jwt:?}"), format!("{by_keys:?}")];
    // A server that echoes a client's own credentials back, in every error shape.
    for (c, a, b) in [(&by_jwt, jwt, jwt), (&by_keys, key, secret)] {
        let echoes = [
            format!(r#"{{"error":"bad token {a} and {b}"}}"#),
            format!(r#"{{"error":{{"reason":"{b}","details":"{a}"}}}}"#),
            format!(r#"{{"error":{{"code":401,"message":"{b} {a}"}}}}"#),
            format!("<html>{b} {a}</html>"),
        ];
        for body in &echoes {
            let spec = serde_json::json!({"path":"*","kind":"status","status":401,"body": body, "times": 1});
            emu.fault(&spec.to_string());
            let e = c.test_authentication().unwrap_err();
            texts.push(format!("{e} {e:?} {:?} {:?}", e.details(), e.reason()));
        }
    }
    // Every ordinary failure path too.
    for c in [&by_jwt, &by_keys] {
        texts.push(format!("{:?}", c.test_authentication().unwrap_err()));
        texts.push(format!("{:?}", c.usage().unwrap_err()));
        texts.push(format!(
            "{:?}",
            c.unpin("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH")
                .unwrap_err()
        ));
    }
    texts.push(format!(
        "{:?}",
        Client::with_jwt(&format!("{jwt}\n")).unwrap_err()
    ));
    texts.push(format!(
        "{:?}",
        Client::with_keys(key, &format!("{secret}\r")).unwrap_err()
    ));
    for t in &texts {
        for s in [jwt, secret, "SECRETPAYLOAD123", "SIGNATURE456"] {
            assert!(!t.contains(s), "a secret leaked into: {t}");
        }
    }
    assert!(texts.iter().any(|t| t.contains("[REDACTED]")));
}

#[test]
fn a_cancel_from_another_thread_stops_a_call_waiting_on_a_silent_server() {
    let emu = Emulator::start();
    let mut c = emu.client();
    c.set_request_timeout(Duration::from_secs(120)).unwrap();
    c.set_stall_timeout(Duration::from_secs(120)).unwrap();
    emu.fault(r#"{"path":"*","kind":"slow_drip","interval_ms":60000}"#);
    let token = CancelToken::new();
    let cancellable = c.with_cancel(token.clone());
    let started = Instant::now();
    let e = std::thread::scope(|s| {
        // Cancel once the request has arrived: the call is then waiting on the drip.
        s.spawn(|| cancel_once_requested(&emu, "/data/userPinnedDataTotal", &token));
        cancellable.usage().unwrap_err()
    });
    let elapsed = started.elapsed();
    assert_eq!(e.status(), Status::Cancelled, "{e}");
    assert!(
        elapsed < Duration::from_secs(5),
        "cancelled after {elapsed:?}"
    );
    assert_eq!(requests(&emu, "/data/userPinnedDataTotal"), 1);
}

#[test]
fn a_panicking_progress_callback_is_an_internal_error_not_a_crash() {
    let emu = Emulator::start();
    let c = fast_client(&emu);
    let f = temp_file("panic", &[3u8; 100_000]);
    let mut hooks = Hooks {
        progress: Some(Box::new(|_, _| panic!("callback bug"))),
        cancel: Vec::new(),
    };
    let e = c
        .pin_file(&f, &PinOptions::default(), &mut hooks)
        .unwrap_err();
    assert_eq!(e.status(), Status::Internal, "{e}");
    assert!(e.message().contains("callback bug"), "{e}");
    // The client still works afterwards.
    c.test_authentication().unwrap();
    std::fs::remove_file(f).unwrap();
}
