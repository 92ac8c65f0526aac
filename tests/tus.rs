//! Resumable (TUS) uploads against the emulator: fresh uploads, resume after a cancel,
//! a dropped connection, a 5xx, a changed file, a forgotten upload, a corrupt journal,
//! abandon, and bad journal directories.

mod common;

use common::Emulator;
use pinata::cid::{cid_of_bytes, Profile};
use pinata::v3::tus::{self, TusOptions};
use pinata::Status;
use std::path::{Path, PathBuf};
use std::time::Duration;

const CHUNK: u64 = 256 * 1024;

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("pinata-tus-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join("journal")).unwrap();
    d
}

fn content(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| {
            (i as u32)
                .wrapping_mul(2654435761)
                .rotate_left(seed as u32 % 31) as u8
                ^ seed
        })
        .collect()
}

fn opts(dir: &Path) -> TusOptions {
    TusOptions {
        chunk_size: CHUNK,
        journal_dir: Some(dir.join("journal")),
        ..TusOptions::default()
    }
}

fn client(emu: &Emulator) -> pinata::Client {
    let mut c = emu.client();
    c.set_upload_url(&emu.url).unwrap();
    c.set_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .unwrap();
    c
}

/// Per-upload counts of the bytes the emulator received (re-sent bytes included).
fn uploads(emu: &Emulator) -> serde_json::Value {
    let (code, body) = emu.hook("GET", "/__emulator/tus/uploads", None);
    assert_eq!(code, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

fn received_total(emu: &Emulator) -> u64 {
    uploads(emu)["uploads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["received"].as_u64().unwrap())
        .sum()
}

fn v1(data: &[u8]) -> String {
    cid_of_bytes(data, Profile::V1).cid.to_string()
}

#[test]
fn fresh_upload_returns_the_row_and_removes_the_journal() {
    let emu = Emulator::start();
    let dir = scratch("fresh");
    let data = content(3 * 1024 * 1024 + 17, 1);
    let file = dir.join("a.bin");
    std::fs::write(&file, &data).unwrap();
    let mut o = opts(&dir);
    o.keyvalues.insert("env".into(), "test".into());
    o.name = Some("naïve.bin".into());
    o.network = pinata::v3::Network::Public;
    let r = tus::upload_resumable(&client(&emu), &file, &o, None).unwrap();
    assert_eq!(r.cid, v1(&data));
    assert_eq!(r.local_cid.as_deref(), Some(r.cid.as_str()));
    let row = r.file.as_ref().unwrap();
    assert_eq!(row.cid, r.cid);
    assert_eq!(row.name.as_deref(), Some("naïve.bin"));
    // As the multipart upload reports it: the DAG's cumulative size.
    assert_eq!(row.size, cid_of_bytes(&data, Profile::V1).tsize);
    assert_eq!(row.raw["network"], "public");
    assert_eq!(row.keyvalues["env"], "test");
    assert_eq!(r.resumed_from, 0);
    assert!(r.restarted.is_none());
    assert_eq!(r.bytes_sent, data.len() as u64);
    assert_eq!(received_total(&emu), data.len() as u64);
    assert!(tus::pending(&dir.join("journal")).unwrap().is_empty());
    // The emulator keeps one store: the file is served, block-verified, by its gateway.
    let mut c = client(&emu);
    c.set_gateway(&emu.url, None).unwrap();
    let (got, d) = c
        .download_cid_bytes(
            &r.cid,
            1 << 30,
            &pinata::gateway::DownloadOptions::default(),
            Default::default(),
        )
        .unwrap();
    assert!(got == data, "the gateway served other bytes");
    assert_eq!(d.method, pinata::gateway::Method::Car);
    // CID v0 as well.
    o.cid_version = 0;
    let r = tus::upload_resumable(&client(&emu), &file, &o, None).unwrap();
    assert_eq!(r.cid, cid_of_bytes(&data, Profile::V0).cid.to_string());
}

#[test]
fn cancel_keeps_the_journal_and_the_next_call_resumes() {
    let emu = Emulator::start();
    let dir = scratch("cancel");
    let data = content(4 * 1024 * 1024, 2);
    let file = dir.join("b.bin");
    std::fs::write(&file, &data).unwrap();
    let o = opts(&dir);
    let stop_at = 1024 * 1024 + 100;
    let err = tus::upload_resumable(
        &client(&emu),
        &file,
        &o,
        Some(Box::new(move |sent, _| sent < stop_at)),
    )
    .unwrap_err();
    assert_eq!(err.status(), Status::Cancelled);
    let pending = tus::pending(&dir.join("journal")).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].size, data.len() as u64);
    let confirmed = pending[0].offset;
    assert!(confirmed >= 4 * CHUNK - CHUNK, "confirmed {confirmed}");
    let before = received_total(&emu);

    let first_progress = std::sync::Arc::new(std::sync::Mutex::new(None));
    let fp = first_progress.clone();
    let r = tus::upload_resumable(
        &client(&emu),
        &file,
        &o,
        Some(Box::new(move |sent, _| {
            fp.lock().unwrap().get_or_insert(sent);
            true
        })),
    )
    .unwrap();
    assert_eq!(r.cid, v1(&data));
    assert!(r.restarted.is_none());
    let server_offset_at_resume = r.resumed_from;
    assert!(server_offset_at_resume >= confirmed);
    // Progress restarts at the resumed offset, not 0.
    assert!(first_progress.lock().unwrap().unwrap() >= server_offset_at_resume);
    // Only the rest was sent again.
    assert_eq!(r.bytes_sent, data.len() as u64 - server_offset_at_resume);
    // The server kept the bytes of the cancelled chunk that reached it (it may still
    // have been reading them when `before` was taken): over both calls it received
    // each byte exactly once.
    assert!(before <= server_offset_at_resume);
    assert_eq!(received_total(&emu), data.len() as u64);
    assert_eq!(uploads(&emu)["files"], 1);
    assert!(tus::pending(&dir.join("journal")).unwrap().is_empty());
}

#[test]
fn a_dropped_patch_resumes_from_the_servers_offset() {
    let emu = Emulator::start();
    let dir = scratch("drop");
    let data = content(2 * 1024 * 1024, 3);
    let file = dir.join("c.bin");
    std::fs::write(&file, &data).unwrap();
    let (code, body) = emu.hook(
        "POST",
        "/__emulator/tus/drop",
        Some(r#"{"after_bytes": 100000}"#),
    );
    assert_eq!(code, 200, "{body}");
    let r = tus::upload_resumable(&client(&emu), &file, &opts(&dir), None).unwrap();
    assert_eq!(r.cid, v1(&data));
    assert_eq!(r.local_cid.as_deref(), Some(r.cid.as_str()));
    // The bytes the server kept were not sent again.
    assert_eq!(received_total(&emu), data.len() as u64);
    assert!(r.bytes_sent <= data.len() as u64 + CHUNK);
}

#[test]
fn a_5xx_on_a_chunk_is_retried() {
    let emu = Emulator::start();
    let dir = scratch("5xx");
    let data = content(1024 * 1024, 4);
    let file = dir.join("d.bin");
    std::fs::write(&file, &data).unwrap();
    let (code, body) = emu.hook(
        "POST",
        "/__emulator/faults",
        Some(r#"{"path":"/v3/files/*","method":"PATCH","kind":"status","status":500,"times":1}"#),
    );
    assert_eq!(code, 200, "{body}");
    let r = tus::upload_resumable(&client(&emu), &file, &opts(&dir), None).unwrap();
    assert_eq!(r.cid, v1(&data));
    assert_eq!(received_total(&emu), data.len() as u64);

    // Retries off: the 500 is the caller's, with the journal kept for a resume.
    let mut c = client(&emu);
    c.set_retry_policy(0, Duration::from_secs(1));
    std::fs::write(&file, content(1024 * 1024, 5)).unwrap();
    emu.hook(
        "POST",
        "/__emulator/faults",
        Some(r#"{"path":"/v3/files/*","method":"PATCH","kind":"status","status":500,"times":1}"#),
    );
    let e = tus::upload_resumable(&c, &file, &opts(&dir), None).unwrap_err();
    assert_eq!(e.status(), Status::Server);
    assert_eq!(tus::pending(&dir.join("journal")).unwrap().len(), 1);
    let r = tus::upload_resumable(&c, &file, &opts(&dir), None).unwrap();
    assert_eq!(r.cid, v1(&content(1024 * 1024, 5)));
}

/// Cancels an upload of `file` after about a third.
fn interrupt(emu: &Emulator, file: &Path, o: &TusOptions) {
    let e = tus::upload_resumable(
        &client(emu),
        file,
        o,
        Some(Box::new(|sent, total| sent < total / 3)),
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::Cancelled);
}

#[test]
fn a_changed_file_starts_over_and_never_reaches_the_old_upload() {
    let emu = Emulator::start();
    let dir = scratch("changed");
    let file = dir.join("e.bin");
    std::fs::write(&file, content(2 * 1024 * 1024, 6)).unwrap();
    let o = opts(&dir);
    interrupt(&emu, &file, &o);
    let old = uploads(&emu)["uploads"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Same size, different bytes.
    let new = content(2 * 1024 * 1024, 7);
    std::fs::write(&file, &new).unwrap();
    let r = tus::upload_resumable(&client(&emu), &file, &o, None).unwrap();
    assert_eq!(r.cid, v1(&new));
    assert_eq!(r.resumed_from, 0);
    assert!(
        r.restarted.as_deref().unwrap().contains("changed"),
        "{:?}",
        r.restarted
    );
    // The old upload was terminated, not fed.
    let list = uploads(&emu)["uploads"].as_array().unwrap().clone();
    assert!(list.iter().all(|u| u["id"] != old.as_str()), "{list:?}");
}

#[test]
fn a_forgotten_or_expired_upload_starts_over() {
    let emu = Emulator::start();
    let dir = scratch("forgotten");
    let file = dir.join("f.bin");
    let data = content(1024 * 1024, 8);
    std::fs::write(&file, &data).unwrap();
    let o = opts(&dir);
    interrupt(&emu, &file, &o);
    emu.hook("POST", "/__emulator/tus/forget", Some("{}"));
    let r = tus::upload_resumable(&client(&emu), &file, &o, None).unwrap();
    assert_eq!(r.cid, v1(&data));
    assert!(
        r.restarted.as_deref().unwrap().contains("404"),
        "{:?}",
        r.restarted
    );

    interrupt(&emu, &file, &o);
    let (code, body) = emu.hook("POST", "/__emulator/tus/expire", Some(r#"{"now": true}"#));
    assert_eq!(code, 200, "{body}");
    let r = tus::upload_resumable(&client(&emu), &file, &o, None).unwrap();
    assert_eq!(r.cid, v1(&data));
    assert!(
        r.restarted.as_deref().unwrap().contains("410"),
        "{:?}",
        r.restarted
    );
    assert!(tus::pending(&dir.join("journal")).unwrap().is_empty());
}

#[test]
fn a_corrupt_or_truncated_journal_starts_over() {
    let emu = Emulator::start();
    let dir = scratch("corrupt");
    let file = dir.join("g.bin");
    let data = content(1024 * 1024, 9);
    std::fs::write(&file, &data).unwrap();
    let o = opts(&dir);
    for damage in [
        &b"{\"version\":1,\"upload_url\":"[..],
        b"\0\0\0garbage",
        b"",
    ] {
        interrupt(&emu, &file, &o);
        let j = &tus::pending(&dir.join("journal")).unwrap()[0].journal;
        std::fs::write(j, damage).unwrap();
        let r = tus::upload_resumable(&client(&emu), &file, &o, None).unwrap();
        assert_eq!(r.cid, v1(&data));
        assert!(
            r.restarted.as_deref().unwrap().contains("corrupt"),
            "{:?}",
            r.restarted
        );
    }
}

#[test]
fn abandon_deletes_the_upload_and_the_journal() {
    let emu = Emulator::start();
    let dir = scratch("abandon");
    let file = dir.join("h.bin");
    std::fs::write(&file, content(1024 * 1024, 10)).unwrap();
    let o = opts(&dir);
    interrupt(&emu, &file, &o);
    assert_eq!(uploads(&emu)["uploads"].as_array().unwrap().len(), 1);
    assert!(tus::abandon(&client(&emu), &file, &o).unwrap());
    assert!(uploads(&emu)["uploads"].as_array().unwrap().is_empty());
    assert!(tus::pending(&dir.join("journal")).unwrap().is_empty());
    assert!(!tus::abandon(&client(&emu), &file, &o).unwrap());
}

#[test]
fn bad_journal_directories_and_options_are_refused_before_sending() {
    let emu = Emulator::start();
    let dir = scratch("bad");
    let file = dir.join("i.bin");
    std::fs::write(&file, content(1000, 11)).unwrap();
    let c = client(&emu);
    let before = emu.requests_total();
    let mut o = opts(&dir);
    o.journal_dir = Some(dir.join("missing"));
    assert_eq!(
        tus::upload_resumable(&c, &file, &o, None)
            .unwrap_err()
            .status(),
        Status::Io
    );
    o.journal_dir = Some(file.clone());
    assert_eq!(
        tus::upload_resumable(&c, &file, &o, None)
            .unwrap_err()
            .status(),
        Status::Io
    );
    let mut o = opts(&dir);
    o.chunk_size = 10;
    assert_eq!(
        tus::upload_resumable(&c, &file, &o, None)
            .unwrap_err()
            .status(),
        Status::InvalidArgument
    );
    assert_eq!(
        tus::upload_resumable(&c, &dir, &opts(&dir), None)
            .unwrap_err()
            .status(),
        Status::InvalidArgument
    );
    assert_eq!(emu.requests_total(), before);
}

#[test]
fn the_v3_upload_chooses_tus_above_the_threshold_and_can_be_forced() {
    use pinata::legacy::pinning::CidCheck;
    use pinata::v3::tus::{UploadChoice, UploadPath};
    use pinata::v3::upload::UploadOptions;
    let emu = Emulator::start();
    let dir = scratch("choice");
    let big = dir.join("big.bin");
    let small = dir.join("small.bin");
    let big_data = content(1024 * 1024, 12);
    std::fs::write(&big, &big_data).unwrap();
    std::fs::write(&small, content(100 * 1024, 13)).unwrap();
    let c = client(&emu);
    let mut choice = UploadChoice {
        threshold: 512 * 1024,
        resumable: opts(&dir),
        ..UploadChoice::default()
    };
    let tus_uploads = || uploads(&emu)["uploads"].as_array().unwrap().len();
    let o = UploadOptions::default();
    let hooks = &mut pinata::transport::Hooks::default();

    let r = c.upload_file_choosing(&small, &o, &choice, hooks).unwrap();
    assert_eq!(tus_uploads(), 0, "a small file went through TUS");
    assert_eq!(r.check, CidCheck::Verified);

    let r = c.upload_file_choosing(&big, &o, &choice, hooks).unwrap();
    assert_eq!(tus_uploads(), 1, "a large file did not go through TUS");
    assert_eq!(r.file.cid, v1(&big_data));
    assert_eq!(r.check, CidCheck::Verified);
    assert_eq!(r.file.raw["network"], "private");

    choice.path = UploadPath::Multipart;
    std::fs::write(&big, content(1024 * 1024, 14)).unwrap();
    c.upload_file_choosing(&big, &o, &choice, hooks).unwrap();
    assert_eq!(tus_uploads(), 1, "forced multipart went through TUS");

    choice.path = UploadPath::Resumable;
    let r = c.upload_file_choosing(&small, &o, &choice, hooks).unwrap();
    assert_eq!(tus_uploads(), 2, "forced TUS did not go through TUS");
    assert_eq!(r.check, CidCheck::Verified);
    let car = UploadOptions {
        network: pinata::v3::Network::Public,
        car: true,
        ..UploadOptions::default()
    };
    assert_eq!(
        c.upload_file_choosing(&small, &car, &choice, hooks)
            .unwrap_err()
            .status(),
        Status::InvalidArgument
    );
}

#[test]
fn a_cancel_during_the_retry_backoff_returns_cancelled_and_keeps_the_journal() {
    let emu = Emulator::start();
    let dir = scratch("backoff-cancel");
    let file = dir.join("c.bin");
    std::fs::write(&file, content(1024 * 1024, 20)).unwrap();
    let mut c = client(&emu);
    // A backoff of an hour: only the cancel can end the wait within the test's life.
    c.set_backoff(Duration::from_secs(3600), Duration::from_secs(3600))
        .unwrap();
    emu.hook(
        "POST",
        "/__emulator/faults",
        Some(r#"{"path":"/v3/files/*","method":"PATCH","kind":"status","status":500,"times":1}"#),
    );
    let token = pinata::transport::CancelToken::new();
    let (tx, rx) = std::sync::mpsc::channel();
    let (o, f, t) = (opts(&dir), file.clone(), token.clone());
    std::thread::spawn(move || {
        let mut hooks = pinata::transport::Hooks {
            progress: None,
            cancel: vec![t],
        };
        let _ = tx.send(tus::upload_resumable_with(&c, &f, &o, &mut hooks));
    });
    // Cancel once the 500 was served, so the call is in (or entering) its backoff.
    loop {
        let (_, body) = emu.hook("GET", "/__emulator/faults", None);
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        if v["faults"].as_array().unwrap().is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(200));
    token.cancel();
    // Only a hang guard, not a speed check: nothing here asserts how fast the cancel
    // acts. Five minutes is far beyond any plausible run (the call returns as soon as it
    // sees the flag), and far below the hour the backoff would last if the cancel did
    // not wake it, so a cancel that is ignored fails the test instead of hanging CI.
    let r = rx
        .recv_timeout(Duration::from_secs(300))
        .expect("hung: the cancel did not end the hour-long backoff");
    let e = r.expect_err("a cancelled upload cannot succeed");
    assert_eq!(e.status(), Status::Cancelled, "{}", e.message());
    // The journal stays, so the next call resumes.
    assert_eq!(tus::pending(&dir.join("journal")).unwrap().len(), 1);
}

#[test]
fn a_second_upload_of_the_same_file_is_refused_while_the_first_runs() {
    let emu = Emulator::start();
    let dir = scratch("lock");
    let data = content(1024 * 1024, 21);
    let file = dir.join("l.bin");
    std::fs::write(&file, &data).unwrap();
    let (started_tx, started_rx) = std::sync::mpsc::channel::<()>();
    let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
    let go_rx = std::sync::Mutex::new(go_rx);
    let (c, o, f) = (client(&emu), opts(&dir), file.clone());
    let first = std::thread::spawn(move || {
        let mut once = Some(started_tx);
        tus::upload_resumable(
            &c,
            &f,
            &o,
            Some(Box::new(move |_, _| {
                // Pause inside the first chunk until the second call was refused.
                if let Some(tx) = once.take() {
                    tx.send(()).unwrap();
                    go_rx.lock().unwrap().recv().unwrap();
                }
                true
            })),
        )
    });
    started_rx.recv().unwrap();
    let e = tus::upload_resumable(&client(&emu), &file, &opts(&dir), None).unwrap_err();
    assert_eq!(e.status(), Status::Io);
    assert!(e.message().contains("already running"), "{}", e.message());
    go_tx.send(()).unwrap();
    let r = first.join().unwrap().unwrap();
    assert_eq!(r.cid, v1(&data));
    // The lock went with the upload: the same file uploads again, and no lock file is left.
    tus::upload_resumable(&client(&emu), &file, &opts(&dir), None).unwrap();
    let left: Vec<_> = std::fs::read_dir(dir.join("journal")).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn the_chosen_upload_reports_its_path_and_where_it_resumed() {
    use pinata::v3::tus::{UploadChoice, UploadPath};
    use pinata::v3::upload::UploadOptions;
    let emu = Emulator::start();
    let dir = scratch("chosen");
    let big = dir.join("big.bin");
    let small = dir.join("small.bin");
    let big_data = content(1024 * 1024 + 9, 22);
    std::fs::write(&big, &big_data).unwrap();
    std::fs::write(&small, content(1000, 23)).unwrap();
    let c = client(&emu);
    let choice = UploadChoice {
        threshold: 512 * 1024,
        resumable: opts(&dir),
        ..UploadChoice::default()
    };
    let o = UploadOptions::default();

    let r = c
        .upload_file_chosen(&small, &o, &choice, &mut Default::default())
        .unwrap();
    assert_eq!(r.path, UploadPath::Multipart);
    assert!(!r.resumed && r.resumed_from == 0 && r.restarted.is_none());

    // Cancelled past the first chunk: the same call resumes, and says from where.
    let mut cancelling = pinata::transport::Hooks {
        progress: Some(Box::new(|sent: u64, total: u64| sent <= total / 2)),
        cancel: Vec::new(),
    };
    let e = c
        .upload_file_chosen(&big, &o, &choice, &mut cancelling)
        .unwrap_err();
    assert_eq!(e.status(), Status::Cancelled);
    let confirmed = tus::pending(&dir.join("journal")).unwrap()[0].offset;
    assert!(confirmed >= CHUNK, "{confirmed}");
    let r = c
        .upload_file_chosen(&big, &o, &choice, &mut Default::default())
        .unwrap();
    assert_eq!(r.path, UploadPath::Resumable);
    assert!(r.resumed);
    assert!(
        r.resumed_from >= confirmed,
        "{} < {confirmed}",
        r.resumed_from
    );
    assert!(r.restarted.is_none());
    assert_eq!(r.result.file.cid, v1(&big_data));
    assert!(tus::pending(&dir.join("journal")).unwrap().is_empty());
}
