//! The crash test of resumable uploads (`make test-tus`): a child process uploads a
//! 256 MiB file through the emulator and is killed with SIGKILL at a random point of one
//! of four phases (during create, mid-chunk, between chunks, after the last byte before
//! the answer); a new process then resumes from the journal. Each trial must end with
//! exactly one new file on the emulator whose CID is that of the source, and the emulator
//! must have received no more than the file plus one chunk (nothing re-sent beyond the
//! last confirmed offset plus one chunk).
//!
//! `TUS_CRASH_TRIALS` (default 20) and `TUS_CRASH_MIB` (default 256) change the size of
//! the run. The child is this test binary run again with `TUS_CRASH_CHILD` set.

mod common;

use common::Emulator;
use pinata::v3::tus::{self, TusOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHUNK: u64 = 8 * 1024 * 1024;

/// Runs only in the child: uploads the file named by `TUS_CRASH_CHILD`.
#[test]
fn child_upload() {
    let Ok(spec) = std::env::var("TUS_CRASH_CHILD") else {
        return;
    };
    let v: serde_json::Value = serde_json::from_str(&spec).unwrap();
    let s = |k: &str| v[k].as_str().unwrap().to_string();
    let mut c = pinata::Client::with_jwt(&s("jwt")).unwrap();
    c.set_base_url(&s("url")).unwrap();
    c.set_upload_url(&s("url")).unwrap();
    let o = TusOptions {
        chunk_size: CHUNK,
        journal_dir: Some(PathBuf::from(s("journal"))),
        // A plain TUS server (tusd) has its own endpoint and no Files API.
        endpoint: v["endpoint"].as_str().map(str::to_string),
        fetch_file_row: v["endpoint"].is_null(),
        ..TusOptions::default()
    };
    let r = tus::upload_resumable(&c, Path::new(&s("file")), &o, None).unwrap();
    println!(
        "RESULT {}",
        serde_json::json!({"cid": r.cid, "resumed_from": r.resumed_from,
                           "restarted": r.restarted, "bytes_sent": r.bytes_sent})
    );
}

fn spawn_child(emu: &Emulator, file: &Path, journal: &Path) -> Child {
    let spec = serde_json::json!({"url": emu.url, "jwt": emu.jwt,
        "file": file, "journal": journal});
    spawn_spec(&spec)
}

fn spawn_spec(spec: &serde_json::Value) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_upload", "--nocapture", "--test-threads=1"])
        .env("TUS_CRASH_CHILD", spec.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

fn uploads(emu: &Emulator) -> serde_json::Value {
    let (code, body) = emu.hook("GET", "/__emulator/tus/uploads", None);
    assert_eq!(code, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

/// A small xorshift generator: random kill points, reproducible from the printed seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "gave up waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// The largest offset on the emulator, counting the bytes of a PATCH still arriving.
fn largest_offset(emu: &Emulator) -> u64 {
    uploads(emu)["uploads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["live"].as_u64().unwrap())
        .max()
        .unwrap_or(0)
}

/// Ignored by `cargo test`: `make test-tus` runs it (about two minutes).
#[test]
#[ignore]
fn killed_uploads_resume_from_the_journal() {
    if std::env::var("TUS_CRASH_CHILD").is_ok() {
        return;
    }
    let trials: u64 = std::env::var("TUS_CRASH_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let mib: u64 = std::env::var("TUS_CRASH_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    let size = mib * 1024 * 1024;
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("tus crash test: {trials} trials of {mib} MiB, seed {seed}");
    let mut rng = Rng(seed);

    // tmpfs when there is one: the test measures the protocol, not the disk.
    let base = if Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let dir = base.join(format!("pinata-tus-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let journal = dir.join("journal");
    std::fs::create_dir_all(&journal).unwrap();
    let file = dir.join("big.bin");
    {
        let mut f = std::fs::File::create(&file).unwrap();
        let mut block = vec![0u8; 1024 * 1024];
        let mut x = seed;
        for _ in 0..mib {
            for b in block.chunks_mut(8) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                b.copy_from_slice(&x.to_le_bytes()[..b.len()]);
            }
            f.write_all(&block).unwrap();
        }
    }

    let emu = Emulator::start();
    let phases = ["create", "mid-chunk", "between-chunks", "after-last-byte"];
    let mut resent = Vec::new();
    for trial in 0..trials {
        // A different file each trial (same size): its first bytes carry the trial number.
        {
            let mut f = std::fs::OpenOptions::new().write(true).open(&file).unwrap();
            f.seek(SeekFrom::Start(0)).unwrap();
            f.write_all(&(trial ^ seed).to_le_bytes()).unwrap();
            f.sync_all().unwrap();
        }
        let expected = pinata::cid::cid_of_path(&file, pinata::cid::Profile::V1, false).unwrap();
        // Each trial's counts start at zero (the v3 store keeps the files).
        assert_eq!(emu.hook("POST", "/__emulator/tus/reset", None).0, 200);
        let files_before = uploads(&emu)["files"].as_u64().unwrap();
        let phase = phases[(trial % 4) as usize];
        match phase {
            "create" => {
                let body = r#"{"path":"/v3/files","method":"POST","kind":"delay","delay_ms":400,"times":1}"#;
                assert_eq!(emu.hook("POST", "/__emulator/faults", Some(body)).0, 200);
            }
            "between-chunks" => {
                assert_eq!(
                    emu.hook("POST", "/__emulator/tus/hold", Some(r#"{"ms":300}"#))
                        .0,
                    200
                );
            }
            "after-last-byte" => {
                assert_eq!(
                    emu.hook("POST", "/__emulator/tus/hold", Some(r#"{"last_ms":2000}"#))
                        .0,
                    200
                );
            }
            _ => {}
        }
        let posts_before = emu.requests_on("/v3/files");
        let mut child = spawn_child(&emu, &file, &journal);
        match phase {
            "create" => {
                wait_for("the create request", || {
                    emu.requests_on("/v3/files") > posts_before
                });
                std::thread::sleep(Duration::from_millis(rng.below(300)));
            }
            "mid-chunk" => {
                let at = rng.below(size - CHUNK) + 1;
                wait_for("a random offset", || largest_offset(&emu) >= at);
            }
            "between-chunks" => {
                // Some whole chunk received, its answer held back.
                let k = rng.below(size / CHUNK - 1) + 1;
                wait_for("a chunk boundary", || largest_offset(&emu) >= k * CHUNK);
                std::thread::sleep(Duration::from_millis(50 + rng.below(200)));
            }
            _ => {
                wait_for("the last byte", || largest_offset(&emu) == size);
                std::thread::sleep(Duration::from_millis(rng.below(500)));
            }
        }
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        let killed_at = largest_offset(&emu);
        emu.hook("POST", "/__emulator/tus/hold", Some("{}"));
        emu.hook("DELETE", "/__emulator/faults", None);
        assert!(
            !status.success(),
            "trial {trial}: the child finished before the kill"
        );

        let out = spawn_child(&emu, &file, &journal)
            .wait_with_output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "trial {trial} ({phase}): resume failed: {stdout}"
        );
        let line = stdout
            .lines()
            .find_map(|l| l.split_once("RESULT ").map(|(_, r)| r))
            .unwrap_or_else(|| panic!("no result: {stdout}"));
        let r: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(
            r["cid"],
            expected.cid.to_string(),
            "trial {trial} ({phase})"
        );
        assert!(r["restarted"].is_null(), "trial {trial}: {r}");

        let ups = uploads(&emu);
        // Exactly one new file.
        assert_eq!(
            ups["files"].as_u64().unwrap(),
            files_before + 1,
            "trial {trial} ({phase})"
        );
        let received: u64 = ups["uploads"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["received"].as_u64().unwrap())
            .sum();
        assert!(
            received <= size + CHUNK,
            "trial {trial} ({phase}): the emulator received {received} bytes for {size}"
        );
        let done: Vec<_> = ups["uploads"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| u["cid"].is_string())
            .collect();
        assert_eq!(done.len(), 1, "trial {trial}: {ups}");
        assert_eq!(done[0]["cid"], expected.cid.to_string());
        assert!(tus::pending(&journal).unwrap().is_empty());
        eprintln!(
            "trial {trial:2} {phase:16} killed at {killed_at:>10} resumed from {:>10} re-sent {:>8}",
            r["resumed_from"],
            received - size
        );
        resent.push(received - size);
    }
    eprintln!(
        "tus crash test: {trials}/{trials} trials passed; bytes re-sent per resume: max {}, total {}",
        resent.iter().max().unwrap_or(&0),
        resent.iter().sum::<u64>()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// libpinata's TUS client against tusd v2 (the reference TUS server, embedded with its
/// file store by tests/tusd/main.go; `make test-tus` starts it and sets `TUSD_URL` and
/// `TUSD_DIR`): a child uploading 64 MiB is killed mid-upload, a new one resumes from
/// the journal, and the bytes in tusd's store are the file's, with tusd's `Upload-Cid`
/// (computed by libpinata over the stored bytes) equal to the local CID.
#[test]
#[ignore]
fn tusd_killed_upload_resumes() {
    let (Ok(url), Ok(store)) = (std::env::var("TUSD_URL"), std::env::var("TUSD_DIR")) else {
        panic!("run through make test-tus (TUSD_URL and TUSD_DIR are not set)");
    };
    let dir = std::env::temp_dir().join(format!("pinata-tusd-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let journal = dir.join("journal");
    std::fs::create_dir_all(&journal).unwrap();
    let file = dir.join("tusd.bin");
    let size: u64 = 64 * 1024 * 1024;
    {
        let mut f = std::fs::File::create(&file).unwrap();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut block = vec![0u8; 1024 * 1024];
        for _ in 0..64 {
            for b in block.chunks_mut(8) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                b.copy_from_slice(&x.to_le_bytes()[..b.len()]);
            }
            f.write_all(&block).unwrap();
        }
    }
    let expected = pinata::cid::cid_of_path(&file, pinata::cid::Profile::V1, false)
        .unwrap()
        .cid
        .to_string();
    let spec = serde_json::json!({"url": url, "jwt": "eyJ.not.checked", "file": file,
        "journal": journal, "endpoint": format!("{url}/v3/files")});
    // The largest upload in tusd's store (its data files have no extension).
    let stored = || -> u64 {
        std::fs::read_dir(&store)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_none())
            .map(|e| e.metadata().unwrap().len())
            .max()
            .unwrap_or(0)
    };
    let mut child = spawn_spec(&spec);
    wait_for("tusd to store a third", || stored() >= size / 3);
    child.kill().unwrap();
    assert!(!child.wait().unwrap().success(), "finished before the kill");
    let killed_at = stored();
    assert!(killed_at < size, "tusd had everything before the kill");
    assert_eq!(tus::pending(&journal).unwrap().len(), 1);

    let out = spawn_spec(&spec).wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "resume against tusd failed: {stdout}");
    let line = stdout
        .lines()
        .find_map(|l| l.split_once("RESULT ").map(|(_, r)| r))
        .unwrap_or_else(|| panic!("no result: {stdout}"));
    let r: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(r["cid"], expected.as_str());
    assert!(r["resumed_from"].as_u64().unwrap() > 0, "{r}");
    assert!(r["restarted"].is_null(), "{r}");
    // Exactly one upload in tusd's store, byte for byte the file.
    let uploads: Vec<PathBuf> = std::fs::read_dir(&store)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_none())
        .collect();
    assert_eq!(uploads.len(), 1, "{uploads:?}");
    assert!(
        std::fs::read(&uploads[0]).unwrap() == std::fs::read(&file).unwrap(),
        "tusd's stored bytes differ from the file"
    );
    eprintln!(
        "tusd: killed at {killed_at}, resumed from {}, bytes sent by the resume {}",
        r["resumed_from"], r["bytes_sent"]
    );
    assert!(tus::pending(&journal).unwrap().is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}
