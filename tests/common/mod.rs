//! Starts a fresh `pinata-emulator` on a free loopback port for one test, and talks to
//! its `/__emulator/` hooks.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// A running emulator; killed on drop.
pub struct Emulator {
    child: Child,
    pub url: String,
    pub jwt: String,
    pub api_key: String,
    pub api_secret: String,
}

fn emulator_binary() -> PathBuf {
    if let Ok(p) = std::env::var("PINATA_EMULATOR_BIN") {
        return PathBuf::from(p);
    }
    // target/<profile>/deps/<test> -> target/<profile>/pinata-emulator
    let exe = std::env::current_exe().expect("test executable path");
    let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
    let bin = dir.join("pinata-emulator");
    if !bin.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "-p", "pinata-emulator"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the emulator failed");
    }
    bin
}

impl Emulator {
    /// Starts an emulator with default options.
    pub fn start() -> Emulator {
        Emulator::start_with(&[])
    }

    /// Starts an emulator with extra command-line options.
    pub fn start_with(args: &[&str]) -> Emulator {
        let mut child = Command::new(emulator_binary())
            .args(["--listen", "127.0.0.1:0", "--quiet"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the emulator starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("the emulator prints its start line");
        let v: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("start line {line:?}: {e}"));
        let field = |k: &str| v[k].as_str().expect(k).to_string();
        Emulator {
            url: field("url"),
            jwt: field("jwt"),
            api_key: field("api_key"),
            api_secret: field("api_secret"),
            child,
        }
    }

    /// A client for the seeded admin key, by JWT.
    pub fn client(&self) -> pinata::Client {
        let mut c = pinata::Client::with_jwt(&self.jwt).unwrap();
        c.set_base_url(&self.url).unwrap();
        c
    }

    /// Calls a test hook (or any path) without credentials; returns status and body.
    pub fn hook(&self, method: &str, path: &str, body: Option<&str>) -> (u32, String) {
        let mut easy = curl::easy::Easy::new();
        easy.url(&format!("{}{}", self.url, path)).unwrap();
        easy.custom_request(method).unwrap();
        let mut list = curl::easy::List::new();
        list.append("Content-Type: application/json").unwrap();
        easy.http_headers(list).unwrap();
        if let Some(b) = body {
            easy.post_fields_copy(b.as_bytes()).unwrap();
        }
        let mut out = Vec::new();
        {
            let mut t = easy.transfer();
            t.write_function(|d| {
                out.extend_from_slice(d);
                Ok(d.len())
            })
            .unwrap();
            t.perform().expect("hook request");
        }
        (
            easy.response_code().unwrap(),
            String::from_utf8_lossy(&out).into_owned(),
        )
    }

    /// The `/__emulator/stats` answer. Panics when the hook does not answer, so a count
    /// the test relies on is never silently read as 0.
    pub fn stats(&self) -> serde_json::Value {
        let (code, body) = self.hook("GET", "/__emulator/stats", None);
        assert_eq!(code, 200, "stats hook: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("stats hook {body:?}: {e}"))
    }

    /// API requests the emulator has counted on all paths (hook calls are not counted).
    pub fn requests_total(&self) -> u64 {
        let v = self.stats();
        v["requests_total"]
            .as_u64()
            .unwrap_or_else(|| panic!("stats without requests_total: {v}"))
    }

    /// API requests counted on one path (without the query); 0 when it was never asked.
    pub fn requests_on(&self, path: &str) -> u64 {
        let v = self.stats();
        let by_path = v["by_path"]
            .as_object()
            .unwrap_or_else(|| panic!("stats without by_path: {v}"));
        by_path.get(path).map_or(0, |n| {
            n.as_u64()
                .unwrap_or_else(|| panic!("stats count for {path}: {n}"))
        })
    }

    /// Runs `f`, asserting that it sent no request and that the account's pin count (as
    /// `client` reads it, outside the counted span) did not change.
    pub fn assert_nothing_sent<T>(&self, client: &pinata::Client, f: impl FnOnce() -> T) -> T {
        let pins = client.usage().expect("usage before").pin_count;
        let before = self.requests_total();
        let out = f();
        assert_eq!(self.requests_total(), before, "a request was sent");
        assert_eq!(
            client.usage().expect("usage after").pin_count,
            pins,
            "the pin count changed"
        );
        out
    }

    /// Installs a fault (see emulator/README.md).
    pub fn fault(&self, json: &str) {
        let (code, body) = self.hook("POST", "/__emulator/faults", Some(json));
        assert!((200..300).contains(&code), "fault hook: {code} {body}");
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
