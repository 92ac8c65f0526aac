//! The client learns which v1 CID profile its service uses (issue 17 §1): after a v1
//! check that matched exactly one of kubo v1 and unixfs-v1-2025, later v1 checks hash
//! only that one; when it stops matching, the other is hashed from the same bytes and
//! the client goes back to both. A service answering in unixfs-v1-2025 is simulated
//! with the emulator's `status` fault (a 200 whose body carries that CID).

mod common;

use common::Emulator;
use pinata::cid::{cid_of_bytes, Profile};
use pinata::legacy::pinning::{CidCheck, PinOptions};
use pinata::transport::Hooks;
use std::path::PathBuf;

/// 2 MiB of pseudo-random bytes: more than one leaf in both v1 profiles, so their
/// CIDs differ and both are dag-pb.
fn content(seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..2 * 1024 * 1024)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (x >> 16) as u8
        })
        .collect()
}

fn file(tag: &str, data: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("libpinata-learn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(tag);
    std::fs::write(&path, data).unwrap();
    path
}

fn v1() -> PinOptions {
    PinOptions {
        cid_version: Some(1),
        ..Default::default()
    }
}

/// Makes the next upload answer with `cid`, as a service using another profile would.
fn answer_next_with(emu: &Emulator, cid: &str) {
    emu.fault(&format!(
        r#"{{"path":"/pinning/pinFileToIPFS","kind":"status","status":200,"times":1,
            "body":{{"IpfsHash":"{cid}","PinSize":2097152,"Timestamp":"2026-12-06T00:00:00Z"}}}}"#
    ));
}

#[test]
fn learns_the_profile_falls_back_and_reports_it() {
    let emu = Emulator::start();
    let c = emu.client();
    let (a, b, d) = (content(1), content(2), content(3));
    let (fa, fb, fd) = (file("a", &a), file("b", &b), file("d", &d));
    assert_eq!(c.learned_cid_profile(), None);

    // First v1 check: both profiles hashed; the emulator answers in kubo v1.
    let r = c.pin_file(&fa, &v1(), &mut Hooks::default()).unwrap();
    assert_eq!(r.check, CidCheck::Verified);
    assert_eq!(r.profile, Some(Profile::V1));
    assert_eq!(r.hashed, vec![Profile::V1, Profile::V1Modern]);
    assert_eq!(r.cid, cid_of_bytes(&a, Profile::V1).cid.to_string());
    assert_eq!(r.local_cid.as_deref(), Some(r.cid.as_str()));
    assert_eq!(c.learned_cid_profile(), Some(Profile::V1));

    // Shared with clones of the same base URL, not with another base URL.
    let clone = c.clone();
    assert_eq!(clone.learned_cid_profile(), Some(Profile::V1));
    let mut elsewhere = c.clone();
    elsewhere.set_base_url("http://127.0.0.1:9").unwrap();
    assert_eq!(elsewhere.learned_cid_profile(), None);

    // Later v1 checks (from a clone too) hash the learned profile only.
    let r = clone.pin_file(&fb, &v1(), &mut Hooks::default()).unwrap();
    assert_eq!(
        (r.check, r.profile),
        (CidCheck::Verified, Some(Profile::V1))
    );
    assert_eq!(r.hashed, vec![Profile::V1]);

    // The service now answers in unixfs-v1-2025: kubo v1 alone does not match, so the
    // other profile is hashed from the same bytes; the upload is still verified, and
    // that profile is learned.
    let modern = cid_of_bytes(&d, Profile::V1Modern).cid.to_string();
    assert_ne!(modern, cid_of_bytes(&d, Profile::V1).cid.to_string());
    answer_next_with(&emu, &modern);
    let r = c.pin_file(&fd, &v1(), &mut Hooks::default()).unwrap();
    assert_eq!(r.cid, modern);
    assert_eq!(
        (r.check, r.profile),
        (CidCheck::Verified, Some(Profile::V1Modern))
    );
    assert_eq!(r.hashed, vec![Profile::V1, Profile::V1Modern]);
    assert_eq!(c.learned_cid_profile(), Some(Profile::V1Modern));
    assert_eq!(r.local_cid.as_deref(), Some(r.cid.as_str()));

    // Next upload: only unixfs-v1-2025 hashed first; the emulator answers kubo v1, the
    // fallback finds it and kubo v1 is learned again.
    let r = c.pin_file(&fa, &v1(), &mut Hooks::default()).unwrap();
    assert_eq!(
        (r.check, r.profile),
        (CidCheck::Verified, Some(Profile::V1))
    );
    assert_eq!(r.hashed, vec![Profile::V1Modern, Profile::V1]);
    assert_eq!(c.learned_cid_profile(), Some(Profile::V1));

    // An answer neither profile explains: unverifiable, and nothing stays learned.
    let other = cid_of_bytes(&content(9), Profile::V1).cid.to_string();
    answer_next_with(&emu, &other);
    let r = c.pin_file(&fb, &v1(), &mut Hooks::default()).unwrap();
    assert_eq!((r.check, r.profile), (CidCheck::Unverifiable, None));
    assert_eq!(r.hashed, vec![Profile::V1, Profile::V1Modern]);
    assert_eq!(c.learned_cid_profile(), None);

    // v0 checks hash v0 only and leave the v1 memory alone.
    let r = c
        .pin_file(&fa, &PinOptions::default(), &mut Hooks::default())
        .unwrap();
    assert_eq!(
        (r.check, r.profile),
        (CidCheck::Verified, Some(Profile::V0))
    );
    assert_eq!(r.hashed, vec![Profile::V0]);
    assert_eq!(c.learned_cid_profile(), None);

    // Verification off: nothing hashed, nothing reported.
    let off = PinOptions {
        verify_cid: false,
        ..v1()
    };
    let r = c.pin_file(&fa, &off, &mut Hooks::default()).unwrap();
    assert_eq!((r.check, r.profile), (CidCheck::NotChecked, None));
    assert!(r.hashed.is_empty());
}

#[test]
fn small_files_match_both_profiles_and_teach_nothing() {
    let emu = Emulator::start();
    let c = emu.client();
    // One leaf in both profiles: the same raw CID, so the answer says nothing about
    // which profile the service uses.
    let f = file("small", b"Hello World!");
    let r = c.pin_file(&f, &v1(), &mut Hooks::default()).unwrap();
    assert_eq!(
        (r.check, r.profile),
        (CidCheck::Verified, Some(Profile::V1))
    );
    assert_eq!(c.learned_cid_profile(), None);
    // JSON pins learn like uploads.
    let r = c.pin_json(r#"{"a":1}"#, &v1()).unwrap();
    assert_eq!(r.check, CidCheck::Verified);
    assert_eq!(r.hashed.len(), 2);
}
