//! A pooled libcurl handle keeps its options between calls (only the URL, method and body
//! are set per call when nothing else changed). These tests record the exact requests a
//! sequence of different calls puts on the wire, through one handle, and check that no
//! option of an earlier call leaks into a later one.

use pinata::transport::{Body, CancelToken, Config, Hooks, Method, Request, Transport};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as the server received it.
#[derive(Clone)]
struct Seen {
    connection: usize,
    method: String,
    path: String,
    /// Header names lowercased, in order.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// A failure message shows a large body by its length only.
impl std::fmt::Debug for Seen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Seen");
        d.field("connection", &self.connection)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &self.headers);
        match std::str::from_utf8(&self.body) {
            Ok(text) if text.len() <= 256 => d.field("body", &text),
            _ => d.field("body_len", &self.body.len()),
        }
        .finish()
    }
}

impl Seen {
    fn header(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// A keep-alive HTTP/1.1 server on 127.0.0.1 that answers every request with
/// `200 {}` and records it.
struct Recorder {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Recorder {
    fn start() -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        std::thread::spawn(move || {
            for (connection, stream) in listener.incoming().enumerate() {
                let record = Arc::clone(&record);
                std::thread::spawn(move || serve(connection, stream.unwrap(), record));
            }
        });
        Recorder { url, seen }
    }

    fn take(&self) -> Vec<Seen> {
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

fn serve(connection: usize, stream: TcpStream, record: Arc<Mutex<Vec<Seen>>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let path = parts.next().unwrap_or("").to_string();
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            reader.read_line(&mut h).unwrap();
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let (k, v) = h.split_once(':').unwrap();
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
        let len = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .map_or(0, |(_, v)| v.parse::<usize>().unwrap());
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
        let answer = match path.as_str() {
            "/limited" => {
                "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nX-Other: 1\r\n\
                 Content-Type: application/json\r\nContent-Length: 22\r\n\r\n\
                 {\"error\":\"slow down!\"}"
            }
            "/unavailable" => {
                "HTTP/1.1 503 Service Unavailable\r\nretry-after: 3\r\n\
                 Content-Length: 4\r\n\r\nbusy"
            }
            _ => {
                "HTTP/1.1 200 OK\r\nRetry-After: 9\r\nContent-Type: application/json\r\n\
                 Content-Length: 2\r\n\r\n{}"
            }
        };
        record.lock().unwrap().push(Seen {
            connection,
            method,
            path,
            headers,
            body,
        });
        writer.write_all(answer.as_bytes()).unwrap();
    }
}

fn config(url: &str) -> Config {
    Config {
        base_url: url.to_string(),
        max_retries: 0,
        ..Config::default()
    }
}

fn json_body(text: &str) -> Body {
    Body::Bytes {
        data: Arc::from(text.as_bytes()),
        content_type: "application/json".into(),
    }
}

fn request(method: Method, path: &str, body: Body) -> Request {
    Request {
        method,
        path: path.to_string().into(),
        body,
        transfer: false,
        idempotent: true,
    }
}

fn stream_body(data: &'static [u8]) -> Body {
    Body::Stream {
        len: data.len() as u64,
        content_type: "text/plain".into(),
        source: Box::new(move || Ok(Box::new(data) as Box<dyn Read + Send>)),
        append: false,
    }
}

/// Checks one recorded request: method, path, body, and the headers that must (not)
/// be there.
fn check(seen: &Seen, method: &str, path: &str, body: &[u8], auth: &str) {
    let what = format!("{method} {path}: {seen:?}");
    assert_eq!(seen.method, method, "{what}");
    assert_eq!(seen.path, path, "{what}");
    assert_eq!(seen.body, body, "{what}");
    assert_eq!(seen.header("authorization"), vec![auth], "{what}");
    let agent = seen.header("user-agent");
    assert_eq!(agent.len(), 1, "{what}");
    assert!(agent[0].starts_with("libpinata/"), "{what}");
    assert!(seen.header("expect").is_empty(), "{what}");
    assert!(seen.header("transfer-encoding").is_empty(), "{what}");
    if body.is_empty() && method != "POST" {
        assert!(seen.header("content-type").is_empty(), "{what}");
        assert!(
            seen.header("content-length").iter().all(|v| *v == "0"),
            "{what}"
        );
    } else {
        assert_eq!(
            seen.header("content-length"),
            vec![body.len().to_string().as_str()],
            "{what}"
        );
        assert_eq!(seen.header("content-type").len(), 1, "{what}");
    }
}

/// One call of a sequence, and the request it must put on the wire.
struct Step {
    req: Request,
    /// Made with the other client settings.
    other_config: bool,
    /// The credential line sent.
    auth: &'static str,
    /// Made with a (never raised) cancel token: it runs on the slot's multi handle.
    cancellable: bool,
    expect: (&'static str, &'static str, &'static [u8]),
}

/// A body one byte over libcurl's `Expect: 100-continue` threshold (1 MiB).
static BIG: &[u8] = &[b' '; 1024 * 1024 + 1];

const FIRST: &str = "Authorization: Bearer first.jwt.value";
const SECOND: &str = "Authorization: Bearer second.jwt.value";

fn step(req: Request, expect: (&'static str, &'static str, &'static [u8])) -> Step {
    Step {
        req,
        other_config: false,
        auth: FIRST,
        cancellable: false,
        expect,
    }
}

#[test]
fn each_call_on_a_reused_handle_sends_exactly_its_own_request() {
    let server = Recorder::start();
    let transport = Transport::new();
    let cfg = config(&server.url);
    let mut other_cfg = cfg.clone();
    other_cfg.request_timeout = Duration::from_secs(7);
    let mut upload = request(Method::Post, "/e", stream_body(b"hello"));
    upload.transfer = true;
    let mut big_upload = request(Method::Post, "/big-stream", stream_body(BIG));
    big_upload.transfer = true;
    let steps = vec![
        step(Request::get("/a"), ("GET", "/a", b"")),
        step(
            request(Method::Post, "/b", json_body(r#"{"x":1}"#)),
            ("POST", "/b", br#"{"x":1}"#),
        ),
        step(
            request(Method::Delete, "/c", Body::Empty),
            ("DELETE", "/c", b""),
        ),
        step(
            request(Method::Put, "/d", json_body(r#"{"y":2}"#)),
            ("PUT", "/d", br#"{"y":2}"#),
        ),
        step(Request::get("/a"), ("GET", "/a", b"")),
        step(
            request(Method::Post, "/b", json_body(r#"{"x":22}"#)),
            ("POST", "/b", br#"{"x":22}"#),
        ),
        step(
            request(Method::Post, "/b", json_body(r#"{"x":333}"#)),
            ("POST", "/b", br#"{"x":333}"#),
        ),
        step(upload, ("POST", "/e", b"hello")),
        step(Request::get("/f?q=1"), ("GET", "/f?q=1", b"")),
        step(
            request(Method::Put, "/g", stream_body(b"put-stream")),
            ("PUT", "/g", b"put-stream"),
        ),
        step(
            request(Method::Delete, "/c", Body::Empty),
            ("DELETE", "/c", b""),
        ),
        // A cancellable call runs on the slot's multi handle, then a plain one follows.
        Step {
            cancellable: true,
            ..step(Request::get("/h"), ("GET", "/h", b""))
        },
        step(
            request(Method::Post, "/b", json_body("[]")),
            ("POST", "/b", b"[]"),
        ),
        // Other settings or other credentials reconfigure the handle.
        Step {
            other_config: true,
            ..step(Request::get("/a"), ("GET", "/a", b""))
        },
        Step {
            other_config: true,
            auth: SECOND,
            ..step(Request::get("/a"), ("GET", "/a", b""))
        },
        Step {
            other_config: true,
            ..step(
                request(Method::Post, "/b", json_body("{}")),
                ("POST", "/b", b"{}"),
            )
        },
        // Bodies over 1 MiB, for which libcurl would ask `Expect: 100-continue` unless
        // the header list says not to; then a small body again, whose list goes without
        // the line.
        step(
            request(
                Method::Post,
                "/big",
                Body::Bytes {
                    data: Arc::from(BIG),
                    content_type: "application/json".into(),
                },
            ),
            ("POST", "/big", BIG),
        ),
        step(big_upload, ("POST", "/big-stream", BIG)),
        step(
            request(Method::Post, "/b", json_body("{}")),
            ("POST", "/b", b"{}"),
        ),
    ];
    let mut expected = Vec::new();
    for step in steps {
        let mut hooks = Hooks::default();
        if step.cancellable {
            hooks.cancel.push(CancelToken::new());
        }
        let cfg = if step.other_config { &other_cfg } else { &cfg };
        let resp = transport
            .execute(cfg, &[step.auth], step.req, &mut hooks)
            .unwrap();
        assert_eq!(resp.status, 200);
        assert_eq!(resp.body, b"{}");
        expected.push((step.expect, step.auth));
    }

    let seen = server.take();
    assert_eq!(seen.len(), expected.len(), "{seen:#?}");
    for (seen, ((method, path, body), auth)) in seen.iter().zip(expected) {
        check(
            seen,
            method,
            path,
            body,
            auth.trim_start_matches("Authorization: "),
        );
    }
    assert_eq!(seen[1].header("content-type"), vec!["application/json"]);
    assert_eq!(seen[7].header("content-type"), vec!["text/plain"]);
    // The blocking calls before the cancellable one all used one kept-alive connection.
    assert!(
        seen[..11]
            .iter()
            .all(|s| s.connection == seen[0].connection),
        "{seen:#?}"
    );
}

#[test]
fn calls_from_many_threads_each_send_their_own_request() {
    let server = Recorder::start();
    let transport = Arc::new(Transport::new());
    let cfg = config(&server.url);
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let transport = Arc::clone(&transport);
            let cfg = cfg.clone();
            std::thread::spawn(move || {
                let auth = ["Authorization: Bearer threads.jwt.value"];
                for i in 0..50 {
                    let body = format!(r#"{{"t":{t},"i":{i}}}"#);
                    let req = match i % 3 {
                        0 => Request::get(format!("/get/{t}/{i}")),
                        1 => request(Method::Post, &format!("/post/{t}/{i}"), json_body(&body)),
                        _ => request(Method::Delete, &format!("/del/{t}/{i}"), Body::Empty),
                    };
                    transport
                        .execute(&cfg, &auth, req, &mut Hooks::default())
                        .unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let seen = server.take();
    assert_eq!(seen.len(), 200);
    // 200 distinct requests, exactly the ones sent: none lost, none sent twice.
    let sent: BTreeSet<String> = (0..4)
        .flat_map(|t| {
            (0..50).map(move |i| match i % 3 {
                0 => format!("/get/{t}/{i}"),
                1 => format!("/post/{t}/{i}"),
                _ => format!("/del/{t}/{i}"),
            })
        })
        .collect();
    let received: BTreeSet<String> = seen.iter().map(|s| s.path.clone()).collect();
    let missing: Vec<_> = sent.difference(&received).collect();
    let unexpected: Vec<_> = received.difference(&sent).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty() && received.len() == seen.len(),
        "missing {missing:?}, unexpected {unexpected:?}, {} requests for {} paths",
        seen.len(),
        received.len()
    );
    for s in &seen {
        let mut parts = s.path.trim_start_matches('/').split('/');
        let (kind, t, i) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        let body = format!(r#"{{"t":{t},"i":{i}}}"#);
        match kind {
            "get" => check(s, "GET", &s.path, b"", "Bearer threads.jwt.value"),
            "post" => check(
                s,
                "POST",
                &s.path,
                body.as_bytes(),
                "Bearer threads.jwt.value",
            ),
            "del" => check(s, "DELETE", &s.path, b"", "Bearer threads.jwt.value"),
            other => panic!("unexpected path kind {other}"),
        }
    }
}

/// Error answers' retry hints are read the same way whether libcurl's header API (7.83+)
/// or the header callback (older libcurls) supplies them; success answers keep none.
#[test]
fn retry_hints_are_read_with_and_without_libcurls_header_api() {
    let server = Recorder::start();
    let cfg = config(&server.url);
    let auth = [FIRST];
    let api = Transport::new();
    // libcurl 7.83.0 and later have the API; this library must then find and use it.
    let has_api = curl::Version::get().version_num() >= 0x07_53_00;
    assert_eq!(api.uses_header_api(), has_api);
    let callback = Transport::with_header_callback();
    assert!(!callback.uses_header_api());
    for transport in [&api, &callback] {
        let get = |path: &'static str| {
            transport.execute(&cfg, &auth, Request::get(path), &mut Hooks::default())
        };
        let ok = get("/a").unwrap();
        assert!(ok.headers.is_empty(), "{:?}", ok.headers);
        let limited = get("/limited").unwrap_err();
        assert_eq!(limited.http_status(), 429, "{limited}");
        assert_eq!(limited.retry_after(), Some(7), "{limited}");
        assert!(limited.message().contains("slow down!"), "{limited}");
        let unavailable = get("/unavailable").unwrap_err();
        assert_eq!(unavailable.http_status(), 503, "{unavailable}");
        assert_eq!(unavailable.retry_after(), Some(3), "{unavailable}");
        // The handle that saw the errors serves a success answer without stale headers.
        assert!(get("/a").unwrap().headers.is_empty());
    }
}
