//! Shared test harness: starts the real `pinata-emulator` binary, reads its
//! startup line, and talks to it over HTTP with libcurl.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

/// A running emulator, killed on drop.
pub struct Emu {
    pub child: Child,
    pub url: String,
    pub jwt: String,
    pub api_key: String,
    pub api_secret: String,
    pub line: String,
}

impl Emu {
    pub fn start() -> Emu {
        Emu::start_with(&[])
    }

    pub fn start_with(args: &[&str]) -> Emu {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pinata-emulator"))
            .args(["--listen", "127.0.0.1:0", "--quiet"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start pinata-emulator");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read startup line");
        let v: Value = serde_json::from_str(line.trim()).expect("startup line is JSON");
        let s = |k: &str| v[k].as_str().expect(k).to_string();
        Emu {
            url: s("url"),
            jwt: s("jwt"),
            api_key: s("api_key"),
            api_secret: s("api_secret"),
            line: line.trim().to_string(),
            child,
        }
    }

    /// Bearer header for the seeded admin key.
    pub fn admin(&self) -> Vec<(String, String)> {
        bearer(&self.jwt)
    }

    pub fn get(&self, path: &str, headers: &[(String, String)]) -> Resp {
        request("GET", &format!("{}{}", self.url, path), headers, None)
    }

    pub fn delete(&self, path: &str, headers: &[(String, String)]) -> Resp {
        request("DELETE", &format!("{}{}", self.url, path), headers, None)
    }

    /// A JSON request (`Content-Type: application/json`).
    pub fn json(
        &self,
        method: &str,
        path: &str,
        headers: &[(String, String)],
        body: &Value,
    ) -> Resp {
        let mut h = headers.to_vec();
        h.push(("Content-Type".into(), "application/json".into()));
        let bytes = serde_json::to_vec(body).unwrap();
        request(method, &format!("{}{}", self.url, path), &h, Some(&bytes))
    }

    pub fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(String, String)],
        body: Option<&[u8]>,
    ) -> Resp {
        request(method, &format!("{}{}", self.url, path), headers, body)
    }

    /// `POST /__emulator/<hook>` with a JSON body.
    pub fn hook(&self, path: &str, body: &Value) -> Resp {
        self.json("POST", &format!("/__emulator/{path}"), &[], body)
    }

    pub fn add_fault(&self, fault: Value) {
        let r = self.hook("faults", &fault);
        assert_eq!(r.status, 200, "{}", r.text());
    }

    /// Creates a key with the given permissions and optional max uses; returns
    /// `(key, secret, jwt)`.
    pub fn create_key(
        &self,
        permissions: Value,
        max_uses: Option<u64>,
    ) -> (String, String, String) {
        let mut body = serde_json::json!({"keyName": "test key", "permissions": permissions});
        if let Some(m) = max_uses {
            body["maxUses"] = m.into();
        }
        let r = self.json("POST", "/users/generateApiKey", &self.admin(), &body);
        assert_eq!(r.status, 200, "{}", r.text());
        let v = r.json();
        (
            v["pinata_api_key"].as_str().unwrap().to_string(),
            v["pinata_api_secret"].as_str().unwrap().to_string(),
            v["JWT"].as_str().unwrap().to_string(),
        )
    }

    /// Uploads files as multipart `file` parts (filename, bytes), plus optional
    /// `pinataMetadata` / `pinataOptions` parts (sent after the files when
    /// `meta_last`).
    pub fn pin_files(
        &self,
        headers: &[(String, String)],
        files: &[(&str, &[u8])],
        metadata: Option<&str>,
        options: Option<&str>,
        meta_last: bool,
    ) -> Resp {
        let mut parts: Vec<Part> = Vec::new();
        let extra = |parts: &mut Vec<Part>| {
            if let Some(m) = metadata {
                parts.push(Part::field("pinataMetadata", m));
            }
            if let Some(o) = options {
                parts.push(Part::field("pinataOptions", o));
            }
        };
        if !meta_last {
            extra(&mut parts);
        }
        for (name, data) in files {
            parts.push(Part::file("file", name, data));
        }
        if meta_last {
            extra(&mut parts);
        }
        self.multipart(headers, &parts)
    }

    pub fn multipart(&self, headers: &[(String, String)], parts: &[Part]) -> Resp {
        let boundary = "----emulatortestboundary7MA4YWxkTrZu0gW";
        let body = multipart_body(boundary, parts);
        let mut h = headers.to_vec();
        h.push((
            "Content-Type".into(),
            format!("multipart/form-data; boundary={boundary}"),
        ));
        request(
            "POST",
            &format!("{}/pinning/pinFileToIPFS", self.url),
            &h,
            Some(&body),
        )
    }

    /// Sends SIGTERM and returns the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill");
        for _ in 0..100 {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("emulator did not exit after SIGTERM");
    }

    /// `host:port` of the server.
    pub fn addr(&self) -> String {
        self.url.trim_start_matches("http://").to_string()
    }
}

impl Drop for Emu {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One multipart part.
pub struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub data: Vec<u8>,
}

impl Part {
    pub fn file(name: &str, filename: &str, data: &[u8]) -> Part {
        Part {
            name: name.into(),
            filename: Some(filename.into()),
            data: data.to_vec(),
        }
    }
    pub fn field(name: &str, value: &str) -> Part {
        Part {
            name: name.into(),
            filename: None,
            data: value.as_bytes().to_vec(),
        }
    }
}

pub fn multipart_body(boundary: &str, parts: &[Part]) -> Vec<u8> {
    let mut b = Vec::new();
    for p in parts {
        b.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match &p.filename {
            Some(f) => b.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
                    p.name, f
                )
                .as_bytes(),
            ),
            None => b.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{}\"\r\n\r\n", p.name).as_bytes(),
            ),
        }
        b.extend_from_slice(&p.data);
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    b
}

pub fn bearer(jwt: &str) -> Vec<(String, String)> {
    vec![("Authorization".into(), format!("Bearer {jwt}"))]
}

pub fn pair(key: &str, secret: &str) -> Vec<(String, String)> {
    vec![
        ("pinata_api_key".into(), key.into()),
        ("pinata_secret_api_key".into(), secret.into()),
    ]
}

/// A response.
#[derive(Debug)]
pub struct Resp {
    pub status: u32,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Performs one request; panics on transport errors (see [`try_request`]).
pub fn request(method: &str, url: &str, headers: &[(String, String)], body: Option<&[u8]>) -> Resp {
    try_request(method, url, headers, body, Duration::from_secs(60))
        .unwrap_or_else(|e| panic!("{method} {url}: {e}"))
}

/// Performs one request with an overall timeout.
pub fn try_request(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: Option<&[u8]>,
    timeout: Duration,
) -> Result<Resp, curl::Error> {
    let mut easy = curl::easy::Easy::new();
    easy.url(url)?;
    easy.custom_request(method)?;
    easy.timeout(timeout)?;
    let mut list = curl::easy::List::new();
    for (k, v) in headers {
        list.append(&format!("{k}: {v}"))?;
    }
    list.append("Expect:")?;
    easy.http_headers(list)?;
    if let Some(b) = body {
        easy.post_fields_copy(b)?;
        easy.custom_request(method)?;
    } else if method == "GET" {
        easy.get(true)?;
    }
    let mut out = Vec::new();
    let mut hdrs = Vec::new();
    {
        let mut t = easy.transfer();
        t.write_function(|d| {
            out.extend_from_slice(d);
            Ok(d.len())
        })?;
        t.header_function(|h| {
            let s = String::from_utf8_lossy(h);
            if let Some((k, v)) = s.split_once(':') {
                hdrs.push((k.trim().to_string(), v.trim().to_string()));
            }
            true
        })?;
        t.perform()?;
    }
    Ok(Resp {
        status: easy.response_code()?,
        headers: hdrs,
        body: out,
    })
}
