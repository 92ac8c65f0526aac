//! The v3 Files API from the safe Rust API against a fresh emulator: uploads (file,
//! bytes, JSON; public and private) with the local CID check, listing with filters
//! and page tokens, get/update/delete, signed upload URLs without credentials,
//! download links, and the v3 pin-by-CID queue.

mod common;

use common::Emulator;
use pinata::cid::{cid_of_bytes, Profile};
use pinata::legacy::pinning::CidCheck;
use pinata::transport::Hooks;
use pinata::v3::files::{FileQuery, FileUpdate, GroupFilter};
use pinata::v3::pin_by_cid::{PinByCidOptions, PinQueueQuery};
use pinata::v3::sign::SignOptions;
use pinata::v3::upload::UploadOptions;
use pinata::v3::Network;
use pinata::{Client, Status};
use serde_json::json;

fn client(emu: &Emulator) -> Client {
    let mut c = emu.client();
    c.set_upload_url(&emu.url).unwrap();
    c
}

fn public() -> UploadOptions {
    UploadOptions {
        network: Network::Public,
        ..Default::default()
    }
}

#[test]
fn uploads_verify_cids_on_both_networks() {
    let emu = Emulator::start();
    let c = client(&emu);
    let dir = std::env::temp_dir().join(format!("libpinata-v3-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("hello.txt");
    std::fs::write(&f, b"Hello World!").unwrap();
    let r = c.upload_file(&f, &public(), &mut Hooks::default()).unwrap();
    assert_eq!(
        r.file.cid,
        "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne"
    );
    assert_eq!(r.check, CidCheck::Verified);
    assert_eq!(r.local_cid.as_deref(), Some(r.file.cid.as_str()));
    assert_eq!(r.file.name.as_deref(), Some("hello.txt"));
    assert!(!r.file.is_duplicate);

    let mut o = UploadOptions::default();
    o.set_cid_version(Some(0)).unwrap();
    o.metadata.name = Some("private one".into());
    o.metadata.set_string("env", "test").unwrap();
    o.group_id = Some("g1".into());
    let data = vec![7u8; 600_000];
    let r = c
        .upload_bytes(&data, "seven.bin", &o, &mut Hooks::default())
        .unwrap();
    assert_eq!(r.file.cid, cid_of_bytes(&data, Profile::V0).cid.to_string());
    assert_eq!(r.check, CidCheck::Verified);
    assert_eq!(r.file.keyvalues["env"], "test");
    assert_eq!(r.file.group_id.as_deref(), Some("g1"));
    assert_eq!(r.file.raw["network"], "private");

    let j = c
        .upload_json(r#"{"b":1,"a":[true]}"#, &public(), &mut Hooks::default())
        .unwrap();
    assert_eq!(
        j.file.cid,
        cid_of_bytes(br#"{"b":1,"a":[true]}"#, Profile::V1)
            .cid
            .to_string()
    );
    assert_eq!(j.file.name.as_deref(), Some("data.json"));
    // Duplicates are reported.
    let d = c
        .upload_bytes(
            b"Hello World!",
            "again.txt",
            &public(),
            &mut Hooks::default(),
        )
        .unwrap();
    assert!(d.file.is_duplicate);

    // Progress and cancellation as for legacy uploads.
    let mut hooks = Hooks {
        progress: Some(Box::new(|_, _| false)),
        cancel: Vec::new(),
    };
    let e = c
        .upload_bytes(&data, "x.bin", &public(), &mut hooks)
        .unwrap_err();
    assert_eq!(e.status(), Status::Cancelled);

    // Bad input never reaches the service.
    let mut bad = UploadOptions::default();
    assert!(bad.set_cid_version(Some(2)).is_err());
    assert!(bad.set_expires_at(Some(1)).is_err());
    bad.car = true;
    assert_eq!(
        c.upload_bytes(b"x", "x", &bad, &mut Hooks::default())
            .unwrap_err()
            .status(),
        Status::InvalidArgument
    );
    assert_eq!(
        c.upload_json("{nope", &public(), &mut Hooks::default())
            .unwrap_err()
            .status(),
        Status::InvalidArgument
    );
    assert_eq!(
        c.upload_file(&dir, &public(), &mut Hooks::default())
            .unwrap_err()
            .status(),
        Status::Io
    );
}

#[test]
fn list_get_update_delete() {
    let emu = Emulator::start();
    let c = client(&emu);
    let mut ids = Vec::new();
    for i in 0..5 {
        let mut o = public();
        o.metadata.name = Some(format!("f{i}"));
        if i < 2 {
            o.group_id = Some("grp".into());
            o.metadata.set_string("k", "v").unwrap();
        }
        let r = c
            .upload_bytes(
                format!("data {i}").as_bytes(),
                "a.txt",
                &o,
                &mut Hooks::default(),
            )
            .unwrap();
        ids.push(r.file.id);
    }
    let mut q = FileQuery::default();
    q.set_limit(2).unwrap();
    let all: Vec<String> = c
        .files_list(Network::Public, &q)
        .unwrap()
        .map(|f| f.unwrap().id)
        .collect();
    assert_eq!(all.len(), 5, "three pages of 2, 2, 1");
    assert_eq!(emu.requests_on("/v3/files/public"), 3);
    let count = |q: FileQuery| c.files_list(Network::Public, &q).unwrap().count();
    assert_eq!(
        count(FileQuery {
            group: Some(GroupFilter::Id("grp".into())),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        count(FileQuery {
            group: Some(GroupFilter::NoGroup),
            ..Default::default()
        }),
        3
    );
    let mut kv = FileQuery::default();
    kv.add_keyvalue("k", "v").unwrap();
    assert_eq!(count(kv), 2);
    assert_eq!(
        count(FileQuery {
            name: Some("f3".into()),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        c.files_list(Network::Private, &FileQuery::default())
            .unwrap()
            .count(),
        0
    );

    let f = c.files_get(Network::Public, &ids[0]).unwrap();
    assert_eq!(f.name.as_deref(), Some("f0"));
    let e = c.files_get(Network::Public, "no-such-id").unwrap_err();
    assert_eq!(e.status(), Status::NotFound);
    assert_eq!(
        c.files_get(Network::Private, &ids[0]).unwrap_err().status(),
        Status::NotFound
    );

    let u = FileUpdate {
        name: Some("renamed".into()),
        keyvalues: Some(json!({"x": "y"}).as_object().unwrap().clone()),
        expires_at: None,
    };
    let f = c.files_update(Network::Public, &ids[0], &u).unwrap();
    assert_eq!(f.name.as_deref(), Some("renamed"));
    assert_eq!(f.keyvalues["x"], "y");
    assert_eq!(
        c.files_update(Network::Public, &ids[0], &FileUpdate::default())
            .unwrap_err()
            .status(),
        Status::InvalidArgument
    );
    c.files_delete(Network::Public, &ids[0]).unwrap();
    assert_eq!(
        c.files_delete(Network::Public, &ids[0])
            .unwrap_err()
            .status(),
        Status::NotFound
    );
    assert_eq!(
        c.files_get(Network::Public, "a\r\nb").unwrap_err().status(),
        Status::InvalidArgument
    );
}

#[test]
fn signed_upload_needs_no_credentials_and_never_leaks_the_url() {
    let emu = Emulator::start();
    let c = client(&emu);
    let mut s = SignOptions {
        network: Some(Network::Private),
        max_file_size: Some(100),
        ..Default::default()
    };
    s.add_mime_type("text/*").unwrap();
    s.name = Some("from-app".into());
    let url = c.sign_upload_url(&s).unwrap();
    let app = Client::without_credentials();
    let r = app
        .upload_bytes_signed(
            &url,
            b"Hello World!",
            "note.txt",
            &UploadOptions::default(),
            &mut Hooks::default(),
        )
        .unwrap();
    assert_eq!(r.check, CidCheck::Verified);
    assert_eq!(r.file.name.as_deref(), Some("from-app"));
    assert_eq!(r.file.raw["network"], "private");
    let sig = url.split("X-Signature=").nth(1).unwrap().to_string();
    // Refusals: too large, wrong MIME type, a tampered URL. None shows the URL.
    for (data, name) in [(&[b'a'; 101][..], "big.txt"), (b"png", "a.png")] {
        let e = app
            .upload_bytes_signed(
                &url,
                data,
                name,
                &UploadOptions::default(),
                &mut Hooks::default(),
            )
            .unwrap_err();
        assert_eq!(e.status(), Status::BadRequest, "{}", e.message());
        assert!(
            !e.message().contains(&sig) && !e.message().contains(&url),
            "{}",
            e.message()
        );
    }
    let tampered = url.replace("X-Expires=60", "X-Expires=61");
    let e = app
        .upload_bytes_signed(
            &tampered,
            b"x",
            "x.txt",
            &UploadOptions::default(),
            &mut Hooks::default(),
        )
        .unwrap_err();
    assert_eq!(e.status(), Status::Forbidden);
    assert!(!e.message().contains(&sig), "{}", e.message());
    // Not a signed URL at all.
    let e = app
        .upload_bytes_signed(
            "https://x/v3/files",
            b"x",
            "x.txt",
            &UploadOptions::default(),
            &mut Hooks::default(),
        )
        .unwrap_err();
    assert_eq!(e.status(), Status::InvalidArgument);
    assert!(c
        .sign_upload_url(&SignOptions {
            expires: 0,
            ..Default::default()
        })
        .is_err());
}

#[test]
fn download_links_and_pin_by_cid() {
    let emu = Emulator::start();
    let c = client(&emu);
    let r = c
        .upload_bytes(
            b"secret",
            "s.txt",
            &UploadOptions::default(),
            &mut Hooks::default(),
        )
        .unwrap();
    let link = c.files_download_link(&emu.url, &r.file.cid, 30).unwrap();
    assert!(
        link.starts_with(&format!("{}/files/{}?", emu.url, r.file.cid)),
        "{link}"
    );
    assert!(link.contains("X-Signature="));
    assert_eq!(
        c.files_download_link(&emu.url, "nope", 30)
            .unwrap_err()
            .status(),
        Status::InvalidArgument
    );
    assert_eq!(
        c.files_download_link(&emu.url, &r.file.cid, 0)
            .unwrap_err()
            .status(),
        Status::InvalidArgument
    );

    let mut o = PinByCidOptions::default();
    o.metadata.name = Some("queued".into());
    o.group_id = Some("g".into());
    o.add_host_node("/ip4/127.0.0.1/tcp/4001").unwrap();
    let cid = "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne";
    let p = c.v3_pin_by_cid(cid, &o).unwrap();
    assert_eq!(p.status, "prechecking");
    assert_eq!(p.name.as_deref(), Some("queued"));
    c.v3_pin_by_cid(
        "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
        &PinByCidOptions::default(),
    )
    .unwrap();
    let q = PinQueueQuery {
        limit: Some(1),
        ..Default::default()
    };
    let mut it = c.v3_pin_queue(&q).unwrap();
    let mut n = 0;
    while it.next_request().unwrap().is_some() {
        n += 1;
    }
    assert_eq!(n, 2);
    let q = PinQueueQuery {
        cid: Some(cid.into()),
        ..Default::default()
    };
    let mut it = c.v3_pin_queue(&q).unwrap();
    assert_eq!(it.next_request().unwrap().unwrap().id, p.id);
    assert!(it.next_request().unwrap().is_none());
    c.v3_pin_cancel(&p.id).unwrap();
    assert_eq!(
        c.v3_pin_cancel(&p.id).unwrap_err().status(),
        Status::NotFound
    );
    assert_eq!(
        c.v3_pin_by_cid("not-a-cid", &o).unwrap_err().status(),
        Status::InvalidArgument
    );
}

#[test]
fn upload_url_rules() {
    let mut c = Client::with_jwt("eyJ.a.b").unwrap();
    assert_eq!(c.upload_url(), "https://uploads.pinata.cloud");
    let e = c.set_upload_url("http://example.com").unwrap_err();
    assert!(e.message().contains("`upload_url`"), "{}", e.message());
    assert!(c.set_upload_url("https://up\r\nx").is_err());
    c.set_upload_url("http://127.0.0.1:9/").unwrap();
    assert_eq!(c.upload_url(), "http://127.0.0.1:9");
}
