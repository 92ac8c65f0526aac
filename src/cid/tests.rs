//! Unit tests: layout boundaries, split invariance, directory paths,
//! `parse_cid`, verification outcomes and the walk policy.

use super::file::{CidBin, DAG_PB, RAW};
use super::*;
use sha2::{Digest, Sha256};

fn pseudo_random(len: usize, mut seed: u64) -> Vec<u8> {
    let mut v = Vec::with_capacity(len + 8);
    while v.len() < len {
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        v.extend_from_slice(&seed.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes());
    }
    v.truncate(len);
    v
}

fn tiny(chunk: usize, links: usize, raw: bool, v1: bool) -> ImportOptions {
    ImportOptions {
        cid_version: if v1 {
            cid::Version::V1
        } else {
            cid::Version::V0
        },
        raw_leaves: raw,
        chunk_size: chunk,
        max_links: links,
        hamt_estimate: HamtEstimate::Links,
        hamt_threshold: DEFAULT_HAMT_THRESHOLD,
    }
}

/// Non-streaming reference: the level-by-level rule of cid.md §1.4 over
/// fully materialised blocks.
fn reference(data: &[u8], o: &ImportOptions) -> Node {
    // (cid bytes, tsize, content size)
    fn leaf(chunk: &[u8], o: &ImportOptions) -> (Vec<u8>, u64, u64) {
        let n = chunk.len() as u64;
        if o.raw_leaves {
            let d: [u8; 32] = Sha256::digest(chunk).into();
            (CidBin::new(true, RAW, &d).as_bytes().to_vec(), n, n)
        } else {
            let mut inner = vec![0x08, 0x02];
            if !chunk.is_empty() {
                inner.push(0x12);
                pb::put_varint(&mut inner, n);
                inner.extend_from_slice(chunk);
            }
            inner.push(0x18);
            pb::put_varint(&mut inner, n);
            let mut block = Vec::new();
            pb::put_data(&mut block, &inner);
            let d: [u8; 32] = Sha256::digest(&block).into();
            (
                CidBin::new(o.is_v1(), DAG_PB, &d).as_bytes().to_vec(),
                block.len() as u64,
                n,
            )
        }
    }
    let to_node = |(c, t, s): (Vec<u8>, u64, u64)| Node {
        cid: cid::Cid::try_from(c.as_slice()).unwrap(),
        tsize: t,
        file_size: s,
    };
    let mut level: Vec<(Vec<u8>, u64, u64)> =
        data.chunks(o.chunk_size).map(|c| leaf(c, o)).collect();
    if level.is_empty() {
        return to_node(leaf(&[], o));
    }
    if level.len() == 1 {
        return to_node(level.pop().unwrap());
    }
    while level.len() > 1 || level.is_empty() {
        level = level
            .chunks(o.max_links)
            .map(|run| {
                let mut block = Vec::new();
                for (c, t, _) in run {
                    pb::put_link(&mut block, c, b"", *t);
                }
                let size: u64 = run.iter().map(|l| l.2).sum();
                pb::put_data(
                    &mut block,
                    &pb::unixfs_file_internal(size, run.iter().map(|l| l.2)),
                );
                let d: [u8; 32] = Sha256::digest(&block).into();
                let tsize = block.len() as u64 + run.iter().map(|l| l.1).sum::<u64>();
                (
                    CidBin::new(o.is_v1(), DAG_PB, &d).as_bytes().to_vec(),
                    tsize,
                    size,
                )
            })
            .collect();
    }
    to_node(level.pop().unwrap())
}

#[test]
fn streaming_layout_matches_level_by_level_rule() {
    for (chunk, links) in [(1, 2), (3, 2), (7, 3), (16, 4), (5, 30)] {
        for raw in [false, true] {
            for v1 in [false, true] {
                let o = tiny(chunk, links, raw, v1);
                let max = chunk * links * links * links + 2 * chunk;
                let mut sizes: Vec<usize> = vec![0, 1, chunk - 1, chunk, chunk + 1];
                for k in [links, links * links, links * links * links] {
                    sizes.extend([k * chunk - 1, k * chunk, k * chunk + 1]);
                    sizes.extend([(k + 1) * chunk - 1, (k + 1) * chunk, (k + 1) * chunk + 1]);
                }
                let data = pseudo_random(max, (chunk * 31 + links) as u64);
                for &n in sizes.iter().filter(|&&n| n <= max) {
                    let want = reference(&data[..n], &o);
                    assert_eq!(
                        cid_of_bytes_with(&data[..n], o),
                        want,
                        "chunk {chunk} links {links} raw {raw} v1 {v1} len {n}"
                    );
                }
            }
        }
    }
}

#[test]
fn chunking_ignores_how_input_is_split() {
    let data = pseudo_random(3 * 262_144 + 999, 42);
    for p in Profile::ALL {
        let want = cid_of_bytes(&data, p);
        for piece in [1usize, 7, 4096, 65_536, 262_143, 262_144, 262_145, 1 << 20] {
            let mut b = FileBuilder::new(p);
            for c in data.chunks(piece) {
                b.update(c);
            }
            b.update(&[]);
            assert_eq!(b.bytes_fed(), data.len() as u64);
            assert_eq!(b.finish(), want, "{p:?} piece {piece}");
        }
        // Irregular splits.
        let mut b = FileBuilder::new(p);
        let mut off = 0;
        let mut step = 1;
        while off < data.len() {
            let end = (off + step).min(data.len());
            b.update(&data[off..end]);
            off = end;
            step = step * 3 % 300_007 + 1;
        }
        assert_eq!(b.finish(), want);
    }
}

#[test]
fn profile_boundaries_shapes() {
    // Empty: dag-pb leaf without Data (6 bytes) or the empty raw block.
    let e = cid_of_bytes(b"", Profile::V0);
    assert_eq!((e.tsize, e.file_size), (6, 0));
    let e = cid_of_bytes(b"", Profile::V1);
    assert_eq!((e.tsize, e.cid.codec()), (0, 0x55));
    let data = pseudo_random(262_145, 1);
    // One full chunk is still a single leaf.
    let one = cid_of_bytes(&data[..262_144], Profile::V0);
    assert_eq!(one.tsize, 262_158);
    let one = cid_of_bytes(&data[..262_144], Profile::V1);
    assert_eq!((one.cid.codec(), one.tsize), (0x55, 262_144));
    // One more byte: a root with two links; root block = 2 links + data.
    let two = cid_of_bytes(&data, Profile::V0);
    assert_eq!(two.tsize, 262_158 + 9 + 100);
    let two = cid_of_bytes(&data, Profile::V1);
    assert_eq!(two.cid.codec(), 0x70);
    assert_eq!(two.file_size, 262_145);
    // 1 MiB is still one raw block for the modern profile.
    let m = pseudo_random(1 << 20, 3);
    assert_eq!(cid_of_bytes(&m, Profile::V1Modern).cid.codec(), 0x55);
    assert_eq!(
        cid_of_bytes(&m, Profile::V1Modern).cid.hash().digest(),
        Sha256::digest(&m).as_slice()
    );
}

#[test]
fn snapshot_does_not_disturb_the_stream() {
    let data = pseudo_random(600_000, 9);
    let mut b = FileBuilder::new(Profile::V0);
    b.update(&data[..300_000]);
    assert_eq!(b.snapshot(), cid_of_bytes(&data[..300_000], Profile::V0));
    b.update(&data[300_000..]);
    assert_eq!(b.finish(), cid_of_bytes(&data, Profile::V0));
}

#[test]
fn profile_from_cid_version() {
    assert_eq!(Profile::from_cid_version(0), Some(Profile::V0));
    assert_eq!(Profile::from_cid_version(1), Some(Profile::V1));
    assert_eq!(Profile::from_cid_version(2), None);
    assert_eq!(Profile::from_cid_version(-1), None);
}

// ------------------------------------------------------------ DirBuilder

#[test]
fn dir_builder_path_validation() {
    let f = cid_of_bytes(b"x", Profile::V0);
    let mut d = DirBuilder::new(Profile::V0);
    for bad in [
        "", "/a", "a/", "a//b", ".", "..", "a/./b", "a/../b", "./a", "a\0b",
    ] {
        assert!(
            matches!(d.add_file(bad, f.clone()), Err(CidError::InvalidPath(_))),
            "{bad:?}"
        );
        assert!(
            matches!(d.add_dir(bad), Err(CidError::InvalidPath(_))),
            "{bad:?}"
        );
    }
    d.add_file("a/b.txt", f.clone()).unwrap();
    // A file where a directory is needed, and the reverse.
    assert!(d.add_file("a/b.txt/c", f.clone()).is_err());
    assert!(d.add_dir("a/b.txt").is_err());
    assert!(d.add_file("a", f.clone()).is_err());
    // Duplicates.
    assert!(d.add_file("a/b.txt", f.clone()).is_err());
    // Directories may be re-added; hidden names are fine.
    d.add_dir("a").unwrap();
    d.add_dir("e/f").unwrap();
    d.add_file(".hidden", f.clone()).unwrap();
    let n = d.finish();
    assert_eq!(n.file_size, 2);
}

#[test]
fn dir_builder_depth_limit() {
    let f = cid_of_bytes(b"deep", Profile::V1);
    let deep = vec!["d"; 1024].join("/");
    let mut d = DirBuilder::new(Profile::V1);
    d.add_file(&deep, f.clone()).unwrap();
    assert_eq!(d.finish().file_size, 4);
    let too_deep = vec!["d"; 1025].join("/");
    assert!(DirBuilder::new(Profile::V1).add_file(&too_deep, f).is_err());
}

#[test]
fn dir_builder_order_independent_and_empty() {
    let empty = DirBuilder::new(Profile::V0).finish();
    assert_eq!(
        empty.cid.to_string(),
        "QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn"
    );
    assert_eq!(empty.tsize, 4);
    assert_eq!(
        DirBuilder::new(Profile::V1).finish().cid.to_string(),
        "bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354"
    );
    let files: Vec<(String, Node)> = (0..50)
        .map(|i| {
            let name = format!("d{}/f{}", i % 7, i);
            let node = cid_of_bytes(name.as_bytes(), Profile::V1);
            (name, node)
        })
        .collect();
    let mut a = DirBuilder::new(Profile::V1);
    let mut b = DirBuilder::new(Profile::V1);
    for (p, n) in &files {
        a.add_file(p, n.clone()).unwrap();
    }
    for (p, n) in files.iter().rev() {
        b.add_file(p, n.clone()).unwrap();
    }
    b.add_dir("d3").unwrap();
    assert_eq!(a.finish(), b.finish());
}

#[test]
fn bytewise_name_order() {
    // 'B' (0x42) < 'a' (0x61) < 'é' (0xc3…): bytewise, not locale order.
    let f = cid_of_bytes(b"", Profile::V0);
    let mut a = DirBuilder::new(Profile::V0);
    for n in ["é", "a", "B", "a.b", "a-b", "a0"] {
        a.add_file(n, f.clone()).unwrap();
    }
    let mut block = Vec::new();
    for n in ["B", "a", "a-b", "a.b", "a0", "é"] {
        pb::put_link(&mut block, &f.cid.to_bytes(), n.as_bytes(), f.tsize);
    }
    pb::put_data(&mut block, &pb::UNIXFS_DIR_DATA);
    let d: [u8; 32] = Sha256::digest(&block).into();
    assert_eq!(a.finish().cid, CidBin::new(false, DAG_PB, &d).to_cid());
}

// ------------------------------------------------------------- parse_cid

#[test]
fn parse_cid_accepts_and_normalizes() {
    let v0 = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";
    assert_eq!(parse_cid(v0).unwrap().to_string(), v0);
    assert_eq!(parse_cid(v0).unwrap().version(), cid::Version::V0);
    let v1 = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
    let c = parse_cid(v1).unwrap();
    assert_eq!(c.to_string(), v1);
    assert_eq!(c.codec(), 0x55);
    // Other multibases normalize to base32 lower.
    let upper = v1.to_uppercase();
    assert_eq!(parse_cid(&upper).unwrap().to_string(), v1);
    let z = c
        .to_string_of_base(cid::multibase::Base::Base58Btc)
        .unwrap();
    assert!(z.starts_with('z'));
    assert_eq!(parse_cid(&z).unwrap().to_string(), v1);
    let k = c
        .to_string_of_base(cid::multibase::Base::Base36Lower)
        .unwrap();
    assert_eq!(parse_cid(&k).unwrap(), c);
    // Non-sha256 multihashes are valid CIDs too (sha2-512 from cid.md §2.1).
    let s512 = "bafkrgqbqt3gerhas23vuzrapkdeqf4vu2dwxp3srdj6hvg6nhsug2tgyn6mj3u23yx7utftq3i2ckw2fwdh5qmhid5qf3t35yvkc5e5ottlw6";
    assert_eq!(parse_cid(s512).unwrap().hash().code(), 0x13);
    // Identity CID.
    assert_eq!(parse_cid("bafkqaaa").unwrap().hash().code(), 0);
}

#[test]
fn parse_cid_rejects_garbage() {
    let v0 = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";
    let v1 = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
    let bad = [
        "".to_string(),
        " ".to_string(),
        format!(" {v0}"),
        format!("{v0}\n"),
        format!("/ipfs/{v0}"),
        v0[..45].to_string(),
        format!("{v0}a"),
        v0.replace('T', "0"), // '0' is not base58
        v1[..58].to_string(),
        format!("{v1}a"),
        v1.replace('a', "1"), // '1' is not base32
        "Qm".to_string(),
        "b".to_string(),
        "hello".to_string(),
        "x".repeat(2000),
        "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4é".to_string(),
    ];
    for b in &bad {
        assert!(
            matches!(parse_cid(b), Err(CidError::InvalidCid(_))),
            "{b:?}"
        );
    }
    // Version 2, and a sha2-256 multihash with a 16-byte digest.
    let mut v2 = vec![0x02, 0x55, 0x12, 0x20];
    v2.extend_from_slice(&[7u8; 32]);
    let s = cid::multibase::encode(cid::multibase::Base::Base32Lower, &v2);
    assert!(parse_cid(&s).is_err());
    let mut short = vec![0x01, 0x55, 0x12, 0x10];
    short.extend_from_slice(&[7u8; 16]);
    let s = cid::multibase::encode(cid::multibase::Base::Base32Lower, &short);
    assert!(parse_cid(&s).is_err());
    // Trailing bytes after a valid binary CID.
    let mut trailing = parse_cid(v1).unwrap().to_bytes();
    trailing.push(0);
    let s = cid::multibase::encode(cid::multibase::Base::Base32Lower, &trailing);
    assert!(parse_cid(&s).is_err());
}

// ---------------------------------------------------------- verification

#[test]
fn verifier_small_file_outcomes() {
    let data = b"Hello World!";
    let mut v = Verifier::new(Profile::V1);
    v.update(&data[..5]);
    v.update(&data[5..]);
    assert_eq!(v.bytes_fed(), 12);
    assert_eq!(
        v.local_cid().cid.to_string(),
        "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne"
    );
    let v0 = cid_of_bytes(data, Profile::V0).cid.to_string();
    assert_eq!(v.local(Profile::V0).unwrap().cid.to_string(), v0);
    assert_eq!(
        v.verify("bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne"),
        Verification::Match
    );
    assert_eq!(v.verify(&v0), Verification::Match);
    // v1 dag-pb leaf (--raw-leaves=false) of a single chunk.
    let dagpb_leaf = cid_of_bytes(data, Profile::V0)
        .cid
        .into_v1()
        .unwrap()
        .to_string();
    assert_eq!(v.verify(&dagpb_leaf), Verification::Match);
    // Other content.
    let other_raw = cid_of_bytes(b"Hello World?", Profile::V1).cid.to_string();
    assert_eq!(
        v.verify(&other_raw),
        Verification::Mismatch {
            expected_local: "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne".into()
        }
    );
    let other_v0 = cid_of_bytes(b"Hello World?", Profile::V0).cid.to_string();
    assert_eq!(
        v.verify(&other_v0),
        Verification::Mismatch { expected_local: v0 }
    );
    let other_dagpb = cid_of_bytes(b"Hello World?", Profile::V0)
        .cid
        .into_v1()
        .unwrap()
        .to_string();
    assert_eq!(v.verify(&other_dagpb), Verification::Unverifiable);
    // Not a CID, other hash function, other codec.
    assert_eq!(v.verify("nonsense"), Verification::Unverifiable);
    let s512 = "bafkrgqbqt3gerhas23vuzrapkdeqf4vu2dwxp3srdj6hvg6nhsug2tgyn6mj3u23yx7utftq3i2ckw2fwdh5qmhid5qf3t35yvkc5e5ottlw6";
    assert_eq!(v.verify(s512), Verification::Unverifiable);
    let cbor = cid::Cid::new_v1(0x71, *parse_cid(&other_raw).unwrap().hash()).to_string();
    assert_eq!(v.verify(&cbor), Verification::Unverifiable);
}

#[test]
fn verifier_large_file_outcomes() {
    let data = pseudo_random(3 * 1024 * 1024 + 5, 77);
    let mut v = Verifier::new(Profile::V0);
    for c in data.chunks(100_000) {
        v.update(c);
    }
    let n = |p| cid_of_bytes(&data, p).cid.to_string();
    assert_eq!(v.local_cid().cid.to_string(), n(Profile::V0));
    for p in Profile::ALL {
        assert_eq!(v.verify(&n(p)), Verification::Match, "{p:?}");
    }
    let mut tampered = data.clone();
    tampered[2_000_000] ^= 1;
    let t = |p| cid_of_bytes(&tampered, p).cid.to_string();
    assert_eq!(
        v.verify(&t(Profile::V0)),
        Verification::Mismatch {
            expected_local: n(Profile::V0)
        }
    );
    // dag-pb v1 from unknown settings cannot be judged.
    assert_eq!(v.verify(&t(Profile::V1)), Verification::Unverifiable);
    assert_eq!(v.verify(&t(Profile::V1Modern)), Verification::Unverifiable);
    // A raw CID cannot describe 3 MiB: unverifiable (no local single block).
    let raw_whole = CidBin::new(true, RAW, &Sha256::digest(&data).into())
        .to_cid()
        .to_string();
    assert_eq!(v.verify(&raw_whole), Verification::Unverifiable);
    // Between 256 KiB and 1 MiB a raw CID is the V1Modern single block.
    let mid = pseudo_random(500_000, 5);
    let mut v = Verifier::with_profiles(Profile::V1, &[Profile::V1Modern]);
    v.update(&mid);
    let raw_mid = CidBin::new(true, RAW, &Sha256::digest(&mid).into())
        .to_cid()
        .to_string();
    assert_eq!(v.verify(&raw_mid), Verification::Match);
    assert_eq!(v.local(Profile::V0), None);
    // Without V0 computed, a v0 CID is unverifiable.
    assert_eq!(
        v.verify(&cid_of_bytes(&mid, Profile::V0).cid.to_string()),
        Verification::Unverifiable
    );
}

#[test]
fn tree_verifier_outcomes() {
    let mut tv = TreeVerifier::new(Profile::V0);
    tv.start_file("planets/mars.txt").unwrap();
    tv.update(b"Hello ");
    tv.update(b"Mars!\n");
    tv.end_file().unwrap();
    assert!(tv.local_cid().is_ok());
    tv.add_file_bytes("planets/venus.txt", b"Hello Venus!\n")
        .unwrap();
    // Wrapped: the root contains "planets".
    let wrapped = tv.local_cid().unwrap();
    let mut inner = TreeVerifier::new(Profile::V0);
    inner
        .add_file_bytes("venus.txt", b"Hello Venus!\n")
        .unwrap();
    inner.add_file_bytes("mars.txt", b"Hello Mars!\n").unwrap();
    assert_eq!(
        inner.local_cid().unwrap().cid.to_string(),
        "QmWSgS32xQEcXMeqd3YPJLrNBLSdsfYCep2U7CFkyrjXwY"
    );
    assert_eq!(
        inner.verify("QmWSgS32xQEcXMeqd3YPJLrNBLSdsfYCep2U7CFkyrjXwY"),
        Verification::Match
    );
    assert_eq!(
        inner.verify("bafybeih7e5dmkyk25up5vxug4q3hrg2fxbzf23dfrac2fns5h7z4aa7ioi"),
        Verification::Match
    );
    assert_eq!(
        inner.local(Profile::V1).unwrap().unwrap().cid.to_string(),
        "bafybeih7e5dmkyk25up5vxug4q3hrg2fxbzf23dfrac2fns5h7z4aa7ioi"
    );
    assert_eq!(
        inner.verify(&wrapped.cid.to_string()),
        Verification::Mismatch {
            expected_local: "QmWSgS32xQEcXMeqd3YPJLrNBLSdsfYCep2U7CFkyrjXwY".into()
        }
    );
    // A raw CID can never be a directory.
    assert!(matches!(
        inner.verify("bafkreibmlvvgdyihetgocpof6xk64kjjzdeq2e4c7hqs3krdheosk4tgj4"),
        Verification::Mismatch { .. }
    ));
    // Usage errors.
    let mut bad = TreeVerifier::new(Profile::V1);
    bad.start_file("a").unwrap();
    assert!(bad.start_file("b").is_err());
    assert!(bad.local_cid().is_err());
    assert_eq!(
        bad.verify("QmWSgS32xQEcXMeqd3YPJLrNBLSdsfYCep2U7CFkyrjXwY"),
        Verification::Unverifiable
    );
    bad.end_file().unwrap();
    assert!(bad.end_file().is_err());
    assert!(bad.start_file("a/../b").is_err());
    let mut stray = TreeVerifier::new(Profile::V1);
    stray.update(b"oops");
    assert!(stray.local_cid().is_err());
    // Path conflicts surface at end_file.
    let mut c = TreeVerifier::new(Profile::V1);
    c.add_file_bytes("x", b"1").unwrap();
    assert!(c.add_file_bytes("x/y", b"2").is_err());
    // Empty directories count.
    let mut e = TreeVerifier::new(Profile::V0);
    e.add_dir("empty").unwrap();
    let mut d = DirBuilder::new(Profile::V0);
    d.add_dir("empty").unwrap();
    assert_eq!(e.local_cid().unwrap(), d.finish());
}

// ------------------------------------------------------------------ walk

#[cfg(unix)]
mod walk_policy {
    use super::super::*;
    use std::os::unix::fs::symlink;
    use std::path::{Path, PathBuf};

    struct Tmp(PathBuf);
    impl Tmp {
        fn new(tag: &str) -> Tmp {
            let p = std::env::temp_dir().join(format!(
                "pinata-cid-unit-{tag}-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            let _ = std::fs::remove_dir_all(&p);
            std::fs::create_dir_all(&p).unwrap();
            Tmp(p)
        }
        fn write(&self, rel: &str, data: &[u8]) {
            let p = self.0.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, data).unwrap();
        }
    }
    impl Drop for Tmp {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn rels(root: &Path) -> Vec<(String, WalkKind)> {
        walk_dir(root)
            .unwrap()
            .into_iter()
            .map(|e| (e.rel_path, e.kind))
            .collect()
    }

    fn io_err_mentions(r: Result<impl std::fmt::Debug, CidError>, needle: &str, path_end: &str) {
        match r {
            Err(CidError::Io { path, source }) => {
                assert!(path.ends_with(path_end), "{path:?} vs {path_end}");
                let msg = source.to_string();
                assert!(msg.contains(needle), "{msg:?} lacks {needle:?}");
            }
            other => panic!("expected Io error mentioning {needle:?}, got {other:?}"),
        }
    }

    #[test]
    fn hidden_files_empty_dirs_and_order() {
        let t = Tmp::new("order");
        t.write(".hidden", b"h");
        t.write("b/z.txt", b"z");
        t.write("a-c", b"ac");
        t.write("a/x", b"x");
        std::fs::create_dir_all(t.0.join("empty/inner")).unwrap();
        assert_eq!(
            rels(&t.0),
            vec![
                (".hidden".into(), WalkKind::File { size: 1 }),
                ("a".into(), WalkKind::Dir),
                ("a/x".into(), WalkKind::File { size: 1 }),
                ("a-c".into(), WalkKind::File { size: 2 }),
                ("b".into(), WalkKind::Dir),
                ("b/z.txt".into(), WalkKind::File { size: 1 }),
                ("empty".into(), WalkKind::Dir),
                ("empty/inner".into(), WalkKind::Dir),
            ]
        );
        // The CID includes hidden files and empty directories.
        let mut d = DirBuilder::new(Profile::V0);
        d.add_file(".hidden", cid_of_bytes(b"h", Profile::V0))
            .unwrap();
        d.add_file("b/z.txt", cid_of_bytes(b"z", Profile::V0))
            .unwrap();
        d.add_file("a-c", cid_of_bytes(b"ac", Profile::V0)).unwrap();
        d.add_file("a/x", cid_of_bytes(b"x", Profile::V0)).unwrap();
        d.add_dir("empty/inner").unwrap();
        let want = d.finish();
        assert_eq!(cid_of_path(&t.0, Profile::V0, false).unwrap(), want);
        assert_eq!(
            cid_of_path_parallel(&t.0, Profile::V0, false, 2).unwrap(),
            want
        );
        // Wrapping uses the directory's own name.
        let name = t.0.file_name().unwrap().to_str().unwrap().to_string();
        let mut w = DirBuilder::new(Profile::V0);
        w.add_file(&format!("{name}/.hidden"), cid_of_bytes(b"h", Profile::V0))
            .unwrap();
        w.add_file(&format!("{name}/b/z.txt"), cid_of_bytes(b"z", Profile::V0))
            .unwrap();
        w.add_file(&format!("{name}/a-c"), cid_of_bytes(b"ac", Profile::V0))
            .unwrap();
        w.add_file(&format!("{name}/a/x"), cid_of_bytes(b"x", Profile::V0))
            .unwrap();
        w.add_dir(&format!("{name}/empty/inner")).unwrap();
        assert_eq!(cid_of_path(&t.0, Profile::V0, true).unwrap(), w.finish());
        // `dir/.` wraps under the directory's name too.
        assert_eq!(
            cid_of_path(&t.0.join("."), Profile::V0, true).unwrap(),
            cid_of_path(&t.0, Profile::V0, true).unwrap()
        );
    }

    #[test]
    fn symlinks_inside_root_are_followed() {
        let t = Tmp::new("inside");
        t.write("real/f.txt", b"content");
        t.write("g.txt", b"gg");
        symlink("real", t.0.join("linkdir")).unwrap();
        symlink("g.txt", t.0.join("linkfile")).unwrap();
        symlink("../g.txt", t.0.join("real/up")).unwrap();
        let r = rels(&t.0);
        assert_eq!(
            r,
            vec![
                ("g.txt".into(), WalkKind::File { size: 2 }),
                ("linkdir".into(), WalkKind::Dir),
                ("linkdir/f.txt".into(), WalkKind::File { size: 7 }),
                ("linkdir/up".into(), WalkKind::File { size: 2 }),
                ("linkfile".into(), WalkKind::File { size: 2 }),
                ("real".into(), WalkKind::Dir),
                ("real/f.txt".into(), WalkKind::File { size: 7 }),
                ("real/up".into(), WalkKind::File { size: 2 }),
            ]
        );
        let entries = walk_dir(&t.0).unwrap();
        let canon = std::fs::canonicalize(&t.0).unwrap();
        assert_eq!(entries[2].abs_path, canon.join("real/f.txt"));
        assert_eq!(entries[4].abs_path, canon.join("g.txt"));
        // Content is what the symlinks point at.
        let mut d = DirBuilder::new(Profile::V1);
        for (p, c) in [
            ("g.txt", &b"gg"[..]),
            ("linkdir/f.txt", b"content"),
            ("linkdir/up", b"gg"),
            ("linkfile", b"gg"),
            ("real/f.txt", b"content"),
            ("real/up", b"gg"),
        ] {
            d.add_file(p, cid_of_bytes(c, Profile::V1)).unwrap();
        }
        assert_eq!(cid_of_path(&t.0, Profile::V1, false).unwrap(), d.finish());
        // Adding only `real`, its `up` link now escapes the root.
        io_err_mentions(
            cid_of_path(&t.0.join("real"), Profile::V1, false),
            "outside",
            "up",
        );
        // The root given as a symlink is followed as well.
        std::fs::remove_file(t.0.join("real/up")).unwrap();
        assert_eq!(
            cid_of_path(&t.0.join("linkdir"), Profile::V1, false).unwrap(),
            cid_of_path(&t.0.join("real"), Profile::V1, false).unwrap()
        );
    }

    #[test]
    fn symlink_outside_root_is_an_error() {
        let outside = Tmp::new("outside-target");
        outside.write("secret.txt", b"s");
        let t = Tmp::new("outside");
        t.write("ok.txt", b"ok");
        symlink(outside.0.join("secret.txt"), t.0.join("escape")).unwrap();
        io_err_mentions(walk_dir(&t.0), "outside", "escape");
        io_err_mentions(cid_of_path(&t.0, Profile::V0, false), "outside", "escape");
        // A directory symlink escaping through `..` too.
        let t2 = Tmp::new("outside2");
        t2.write("sub/a", b"a");
        symlink("../..", t2.0.join("sub/up")).unwrap();
        io_err_mentions(walk_dir(&t2.0.join("sub")), "outside", "up");
    }

    #[test]
    fn symlink_loops_and_dangling_are_errors() {
        let t = Tmp::new("loop");
        t.write("a/f", b"f");
        symlink("..", t.0.join("a/back")).unwrap();
        io_err_mentions(walk_dir(&t.0), "loop", "back");
        let t = Tmp::new("selfloop");
        symlink("me", t.0.join("me")).unwrap();
        io_err_mentions(walk_dir(&t.0), "loop", "me");
        let t = Tmp::new("mutual");
        std::fs::create_dir_all(t.0.join("x")).unwrap();
        std::fs::create_dir_all(t.0.join("y")).unwrap();
        symlink("../y", t.0.join("x/toy")).unwrap();
        symlink("../x", t.0.join("y/tox")).unwrap();
        io_err_mentions(walk_dir(&t.0), "loop", "tox");
        let t = Tmp::new("dangling");
        symlink("nowhere", t.0.join("dangle")).unwrap();
        io_err_mentions(walk_dir(&t.0), "dangling", "dangle");
    }

    #[test]
    fn fifo_is_an_error_without_hanging() {
        let t = Tmp::new("fifo");
        t.write("a.txt", b"a");
        let fifo = t.0.join("pipe");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: `c` is a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        io_err_mentions(walk_dir(&t.0), "FIFO", "pipe");
        io_err_mentions(cid_of_path(&t.0, Profile::V1, false), "FIFO", "pipe");
        io_err_mentions(cid_of_path(&fifo, Profile::V1, false), "FIFO", "pipe");
        io_err_mentions(
            cid_of_path_parallel(&fifo, Profile::V1, true, 2),
            "FIFO",
            "pipe",
        );
        // A symlink to a FIFO is refused as well (checked before the FIFO).
        let t2 = Tmp::new("fifo-link");
        std::fs::create_dir_all(t2.0.join("z")).unwrap();
        let c2 =
            std::ffi::CString::new(t2.0.join("z/pipe").as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: `c2` is a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c2.as_ptr(), 0o644) }, 0);
        symlink("z/pipe", t2.0.join("a_link")).unwrap();
        io_err_mentions(walk_dir(&t2.0), "FIFO", "a_link");
    }

    #[test]
    fn non_utf8_names_are_an_error() {
        use std::os::unix::ffi::OsStrExt;
        let t = Tmp::new("utf8");
        let name = std::ffi::OsStr::from_bytes(b"bad\xff.txt");
        if std::fs::write(t.0.join(name), b"x").is_err() {
            return; // filesystem refuses non-UTF-8 names: nothing to test
        }
        assert!(matches!(walk_dir(&t.0), Err(CidError::InvalidPath(_))));
    }

    #[test]
    fn missing_paths_and_files_as_walk_roots() {
        let t = Tmp::new("missing");
        t.write("f", b"f");
        assert!(matches!(
            walk_dir(&t.0.join("nope")),
            Err(CidError::Io { .. })
        ));
        assert!(matches!(walk_dir(&t.0.join("f")), Err(CidError::Io { .. })));
        assert!(matches!(
            cid_of_path(&t.0.join("nope"), Profile::V0, false),
            Err(CidError::Io { .. })
        ));
        assert_eq!(
            cid_of_path(&t.0.join("f"), Profile::V0, false).unwrap(),
            cid_of_bytes(b"f", Profile::V0)
        );
    }
}
