//! TLS and proxy failures against tiny loopback servers written here (no nginx, no
//! certificates needed): a server that speaks plain HTTP on the TLS port, a CA bundle
//! that is not PEM, a handshake that stalls, and proxies that refuse the CONNECT
//! tunnel. The certificate cases that need a real TLS server (unknown CA, name
//! mismatch, expiry) are in tests/c/https_cases.c, run through nginx.

use pinata::{Client, HttpVersion, Status};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A loopback server running `serve` on each connection (in its own thread), counting
/// connections.
struct Server {
    port: u16,
    connections: Arc<AtomicUsize>,
}

impl Server {
    fn start(serve: impl Fn(TcpStream) + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = connections.clone();
        let serve = Arc::new(serve);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                counted.fetch_add(1, Ordering::SeqCst);
                let serve = serve.clone();
                std::thread::spawn(move || serve(stream));
            }
        });
        Server { port, connections }
    }
}

/// Reads a request head (up to the blank line) and returns its lines.
fn read_head(stream: &TcpStream) -> Vec<String> {
    let mut reader = BufReader::new(stream);
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            return lines;
        }
        lines.push(line.trim_end().to_string());
    }
}

fn client(url: &str) -> Client {
    let mut c = Client::with_jwt("eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl").unwrap();
    c.set_base_url(url).unwrap();
    c.set_retry_policy(3, Duration::from_secs(20));
    c.set_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .unwrap();
    c.set_connect_timeout(Duration::from_millis(800)).unwrap();
    c.set_request_timeout(Duration::from_secs(20)).unwrap();
    // Whatever the machine's environment says, these tests choose their proxies.
    c.set_proxy(Some("")).unwrap();
    c
}

/// A server that answers every connection in plain HTTP/1.1.
fn plain_http_server() -> Server {
    Server::start(|mut s| {
        let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        std::thread::sleep(Duration::from_millis(200));
    })
}

#[test]
fn plain_http_on_the_tls_port_is_a_tls_error_and_not_retried() {
    let server = plain_http_server();
    let c = client(&format!("https://127.0.0.1:{}", server.port));
    let e = c.test_authentication().unwrap_err();
    assert_eq!(e.status(), Status::Tls, "{e}");
    assert!(e.message().contains("TLS handshake failed"), "{e}");
    assert_eq!(e.http_status(), 0);
    // A TLS failure does not heal: one connection, no retry.
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
}

#[test]
fn a_ca_bundle_that_is_not_pem_is_a_tls_error() {
    let server = plain_http_server();
    let dir = std::env::temp_dir().join(format!("pinata-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bundle = dir.join("not-pem.txt");
    std::fs::write(&bundle, "no certificates here\n").unwrap();
    let mut c = client(&format!("https://127.0.0.1:{}", server.port));
    c.set_ca_bundle(&bundle).unwrap();
    let e = c.test_authentication().unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(e.status(), Status::Tls, "{e}");
    assert!(e.message().contains("CA bundle"), "{e}");
}

#[test]
fn a_stalled_handshake_hits_the_connect_timeout() {
    // Accepts, reads the ClientHello, never answers (the stream is held open).
    let held = Arc::new(Mutex::new(Vec::new()));
    let keep = held.clone();
    let server = Server::start(move |s| keep.lock().unwrap().push(s));
    let mut c = client(&format!("https://127.0.0.1:{}", server.port));
    c.set_retry_policy(0, Duration::from_secs(5));
    let e = c.test_authentication().unwrap_err();
    assert_eq!(e.status(), Status::Timeout, "{e}");
    assert!(e.message().contains("timed out"), "{e}");
    assert_eq!(held.lock().unwrap().len(), 1);
}

/// A proxy that answers CONNECT with `answer` and records the request heads.
fn refusing_proxy(answer: &'static str) -> (Server, Arc<Mutex<Vec<Vec<String>>>>) {
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = heads.clone();
    let server = Server::start(move |mut s| {
        let head = read_head(&s);
        seen.lock().unwrap().push(head);
        let _ = s.write_all(answer.as_bytes());
    });
    (server, heads)
}

#[test]
fn a_proxy_demanding_credentials_fails_clearly_without_revealing_them() {
    let (proxy, heads) = refusing_proxy(
        "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"t\"\r\nContent-Length: 0\r\n\r\n",
    );
    let mut c = client("https://127.0.0.1:9");
    c.set_proxy(Some(&format!(
        "http://proxyuser:pr0xy-pa55word@127.0.0.1:{}",
        proxy.port
    )))
    .unwrap();
    for version in [HttpVersion::Http2, HttpVersion::Http1_1] {
        c.set_http_version(version);
        let e = c.test_authentication().unwrap_err();
        assert_eq!(e.status(), Status::Network, "{e}");
        assert!(e.message().contains("proxy refused"), "{e}");
        assert!(e.message().contains("407"), "{e}");
        assert!(e.message().contains("check the proxy credentials"), "{e}");
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains("pr0xy-pa55word"), "{shown}");
        assert!(!shown.contains("proxyuser"), "{shown}");
    }
    // The tunnel was asked for, with the credentials; a refusal is not retried.
    let heads = heads.lock().unwrap();
    assert_eq!(heads.len(), 2, "{heads:?}");
    assert!(heads[0][0].starts_with("CONNECT 127.0.0.1:9 "), "{heads:?}");
    // base64("proxyuser:pr0xy-pa55word")
    assert!(
        heads[0]
            .iter()
            .any(|l| l == "Proxy-Authorization: Basic cHJveHl1c2VyOnByMHh5LXBhNTV3b3Jk"),
        "{heads:?}"
    );
}

#[test]
fn a_proxy_that_forbids_the_tunnel_is_a_network_error() {
    let (proxy, heads) =
        refusing_proxy("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    let mut c = client("https://127.0.0.1:9");
    c.set_proxy(Some(&format!("http://127.0.0.1:{}", proxy.port)))
        .unwrap();
    let e = c.test_authentication().unwrap_err();
    assert_eq!(e.status(), Status::Network, "{e}");
    assert!(e.message().contains("HTTP 403"), "{e}");
    assert_eq!(heads.lock().unwrap().len(), 1);
    // "" goes back to a direct connection: nothing listens on port 9.
    c.set_proxy(Some("")).unwrap();
    let e = c.test_authentication().unwrap_err();
    assert_eq!(e.status(), Status::Network, "{e}");
    assert!(!e.message().contains("proxy"), "{e}");
    assert_eq!(heads.lock().unwrap().len(), 1);
}
