//! The walk's rules, without a network: CARs built here, fed in every order a gateway
//! might choose (and some a lying one would).

use super::car::CarReader;
use super::walk::{Limits, Sink, Walker};
use crate::error::Status;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

type Block = (cid::Cid, Vec<u8>);

fn cid_of(codec: u64, data: &[u8]) -> cid::Cid {
    let mh = cid::multihash::Multihash::<64>::wrap(0x12, &Sha256::digest(data)).unwrap();
    cid::Cid::new_v1(codec, mh)
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn field_bytes(out: &mut Vec<u8>, field: u64, b: &[u8]) {
    varint(out, (field << 3) | 2);
    varint(out, b.len() as u64);
    out.extend_from_slice(b);
}

fn field_uint(out: &mut Vec<u8>, field: u64, v: u64) {
    varint(out, field << 3);
    varint(out, v);
}

/// A dag-pb node over `links` (cid, name) with UnixFS `unixfs`.
fn pb_node(links: &[(cid::Cid, &str)], unixfs: &[u8]) -> Block {
    let mut block = Vec::new();
    for (c, name) in links {
        let mut l = Vec::new();
        field_bytes(&mut l, 1, &c.to_bytes());
        field_bytes(&mut l, 2, name.as_bytes());
        field_uint(&mut l, 3, 0);
        field_bytes(&mut block, 2, &l);
    }
    field_bytes(&mut block, 1, unixfs);
    (cid_of(0x70, &block), block)
}

/// UnixFS `Data` of a file node: type 2 and its size.
fn file_unixfs(size: u64) -> Vec<u8> {
    let mut unixfs = Vec::new();
    field_uint(&mut unixfs, 1, 2);
    field_uint(&mut unixfs, 3, size);
    unixfs
}

/// A file: raw leaves of `chunk` bytes under one dag-pb root (depth-first order).
fn file_dag(data: &[u8], chunk: usize) -> Vec<Block> {
    let leaves: Vec<Block> = data
        .chunks(chunk)
        .map(|c| (cid_of(0x55, c), c.to_vec()))
        .collect();
    let links: Vec<(cid::Cid, &str)> = leaves.iter().map(|(c, _)| (*c, "")).collect();
    let root = pb_node(&links, &file_unixfs(data.len() as u64));
    let mut out = vec![root];
    // Duplicate leaves are sent once (dups=n), as most gateways do.
    for l in leaves {
        if !out.iter().any(|(c, _)| *c == l.0) {
            out.push(l);
        }
    }
    out
}

fn dir_node(entries: &[(&str, cid::Cid)]) -> Block {
    let mut unixfs = Vec::new();
    field_uint(&mut unixfs, 1, 1);
    let links: Vec<(cid::Cid, &str)> = entries.iter().map(|(n, c)| (*c, *n)).collect();
    pb_node(&links, &unixfs)
}

fn car(blocks: &[Block]) -> Vec<u8> {
    let header = b"\xa2\x65roots\x80\x67version\x01";
    let mut out = Vec::new();
    varint(&mut out, header.len() as u64);
    out.extend_from_slice(header);
    for (c, d) in blocks {
        let cb = c.to_bytes();
        varint(&mut out, (cb.len() + d.len()) as u64);
        out.extend_from_slice(&cb);
        out.extend_from_slice(d);
    }
    out
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("pinata-walk-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs a CAR through a walk into `dir/out`, in reads of `step` bytes.
fn run(
    dir: &Path,
    root: cid::Cid,
    car_bytes: &[u8],
    step: usize,
    limits: Limits,
) -> crate::Result<()> {
    let dest = dir.join("out");
    let mut w = Walker::new(root, Sink::disk(&dest)?, dir.to_path_buf(), limits);
    let mut r = CarReader::new();
    for chunk in car_bytes.chunks(step) {
        r.feed(chunk, &mut |c, b| w.offer(c, b))?;
    }
    r.finish()?;
    w.commit().map(|_| ())
}

/// A walk of `root` into memory, spilling under `spill_base`.
fn memory_walker(root: cid::Cid, spill_base: &Path, limits: Limits) -> Walker {
    Walker::new(root, Sink::memory(), spill_base.to_path_buf(), limits)
}

/// Only `out` (when expected) remains: no temporary file, no spill file.
fn assert_clean(dir: &Path, out_expected: bool) {
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let want: Vec<String> = if out_expected {
        vec!["out".into()]
    } else {
        vec![]
    };
    assert_eq!(names, want);
}

fn data(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 31 % 251) as u8).collect()
}

#[test]
fn a_file_in_depth_first_order_in_any_read_size() {
    let d = data(10_000);
    let blocks = file_dag(&d, 1000);
    let bytes = car(&blocks);
    for step in [1, 7, 4096, bytes.len()] {
        let dir = scratch(&format!("dfs{step}"));
        run(&dir, blocks[0].0, &bytes, step, Limits::default()).unwrap();
        assert_eq!(std::fs::read(dir.join("out")).unwrap(), d);
        assert_clean(&dir, true);
    }
}

#[test]
fn hostile_order_is_spilled_and_still_verified() {
    let d = data(10_000);
    let mut blocks = file_dag(&d, 1000);
    blocks.reverse(); // leaves first, root last
    let root = blocks.last().unwrap().0;
    let dir = scratch("reverse");
    run(&dir, root, &car(&blocks), 333, Limits::default()).unwrap();
    assert_eq!(std::fs::read(dir.join("out")).unwrap(), d);
    assert_clean(&dir, true);
    // With too little spill space, a clear error and nothing left behind.
    let dir = scratch("reverse-limit");
    let e = run(
        &dir,
        root,
        &car(&blocks),
        4096,
        Limits {
            max_spill_bytes: 2000,
            max_bytes: None,
            max_entries: None,
        },
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::Protocol, "{}", e.message());
    assert!(e.message().contains("spill"), "{}", e.message());
    assert_clean(&dir, false);
}

#[test]
fn repeated_chunks_sent_once_are_reused() {
    let mut d = vec![0u8; 5000];
    d.extend(data(1000));
    d.extend(vec![0u8; 3000]);
    let blocks = file_dag(&d, 1000);
    assert!(blocks.len() < 10, "the zero chunk is sent once");
    let dir = scratch("dups");
    run(&dir, blocks[0].0, &car(&blocks), 4096, Limits::default()).unwrap();
    assert_eq!(std::fs::read(dir.join("out")).unwrap(), d);
    assert_clean(&dir, true);
}

#[test]
fn duplicate_and_extra_blocks_are_ignored() {
    let d = data(3000);
    let mut blocks = file_dag(&d, 1000);
    let extra = (cid_of(0x55, b"unrelated"), b"unrelated".to_vec());
    blocks.insert(1, extra);
    blocks.push(blocks[2].clone());
    let dir = scratch("extra");
    run(&dir, blocks[0].0, &car(&blocks), 100, Limits::default()).unwrap();
    assert_eq!(std::fs::read(dir.join("out")).unwrap(), d);
    assert_clean(&dir, true);
}

#[test]
fn lies_end_in_integrity_errors_with_nothing_left() {
    let d = data(10_000);
    let blocks = file_dag(&d, 1000);
    let root = blocks[0].0;
    // A flipped byte in the fifth block.
    let mut flipped = blocks.clone();
    flipped[4].1[10] ^= 0x40;
    // A block of another CID in the place of the third.
    let mut swapped = blocks.clone();
    swapped[2].1 = blocks[3].1.clone();
    // A missing block.
    let mut missing = blocks.clone();
    missing.remove(6);
    for (name, bad, what) in [
        ("flip", &flipped, flipped[4].0),
        ("swap", &swapped, swapped[2].0),
        ("missing", &missing, blocks[6].0),
    ] {
        let dir = scratch(name);
        let e = run(&dir, root, &car(bad), 512, Limits::default()).unwrap_err();
        assert_eq!(e.status(), Status::Integrity, "{name}: {}", e.message());
        assert!(
            e.message().contains(&what.to_string()),
            "{name}: {}",
            e.message()
        );
        assert_clean(&dir, false);
    }
    // A truncated CAR.
    let bytes = car(&blocks);
    let dir = scratch("truncated");
    let e = run(
        &dir,
        root,
        &bytes[..bytes.len() - 10],
        512,
        Limits::default(),
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::Protocol, "{}", e.message());
    assert!(e.message().contains("truncated"), "{}", e.message());
    assert_clean(&dir, false);
}

#[test]
fn directories_nested_and_checked_names() {
    let a = data(2500);
    let fa = file_dag(&a, 1000);
    let b = b"small".to_vec();
    let fb = (cid_of(0x55, &b), b.clone());
    let sub = dir_node(&[("b.txt", fb.0)]);
    let root = dir_node(&[("a.bin", fa[0].0), ("sub", sub.0)]);
    let mut blocks = vec![root.clone()];
    blocks.extend(fa.iter().cloned());
    blocks.push(sub.clone());
    blocks.push(fb.clone());
    let dir = scratch("tree");
    run(&dir, root.0, &car(&blocks), 1000, Limits::default()).unwrap();
    assert_eq!(std::fs::read(dir.join("out/a.bin")).unwrap(), a);
    assert_eq!(std::fs::read(dir.join("out/sub/b.txt")).unwrap(), b);
    assert_clean(&dir, true);

    for bad in ["..", "x/y", ""] {
        let evil = dir_node(&[(bad, fb.0)]);
        let dir = scratch("evil");
        let e = run(
            &dir,
            evil.0,
            &car(&[evil.clone(), fb.clone()]),
            64,
            Limits::default(),
        )
        .unwrap_err();
        assert_eq!(e.status(), Status::Protocol, "{bad:?}: {}", e.message());
        assert_clean(&dir, false);
    }
}

#[test]
fn identity_cids_need_no_block_and_memory_has_a_cap() {
    let mh = cid::multihash::Multihash::<64>::wrap(0x00, b"inline bytes").unwrap();
    let id = cid::Cid::new_v1(0x55, mh);
    let mut w = memory_walker(id, &std::env::temp_dir(), Limits::default());
    assert!(w.next_needed().unwrap().is_none());
    let (stats, mut sink) = w.commit().unwrap();
    assert_eq!(sink.take_bytes(), b"inline bytes");
    assert_eq!(stats.bytes, 12);

    let d = data(5000);
    let blocks = file_dag(&d, 1000);
    let mut w = memory_walker(
        blocks[0].0,
        &std::env::temp_dir(),
        Limits {
            max_spill_bytes: 1 << 20,
            max_bytes: Some(4999),
            max_entries: None,
        },
    );
    let e = blocks
        .iter()
        .try_for_each(|(c, b)| w.offer(c, b))
        .unwrap_err();
    assert_eq!(e.status(), Status::Protocol);
    assert!(e.message().contains("cap of 4999"), "{}", e.message());
}

#[test]
fn unknown_hash_functions_are_refused_clearly() {
    let c = crate::cid::parse_cid(
        "bafkrgqbqt3gerhas23vuzrapkdeqf4vu2dwxp3srdj6hvg6nhsug2tgyn6mj3u23yx7utftq3i2ckw2fwdh5qmhid5qf3t35yvkc5e5ottlw6",
    )
    .unwrap();
    let e = super::dag::check_supported(&c).unwrap_err();
    assert_eq!(e.status(), Status::InvalidArgument);
    assert!(e.message().contains("0x13"), "{}", e.message());
}

#[test]
fn progress_knows_a_files_size_from_its_root() {
    let dir = scratch("progress");
    let content = data(10_000);
    let dag = file_dag(&content, 1000);
    let root = dag[0].0;
    let mut w = Walker::new(
        root,
        Sink::disk(&dir.join("out")).unwrap(),
        dir.clone(),
        Limits::default(),
    );
    // Nothing known before the root block.
    assert_eq!(w.content_progress(), (0, None));
    w.offer(&dag[0].0, &dag[0].1).unwrap();
    assert_eq!(w.content_progress(), (0, Some(10_000)));
    for (c, b) in &dag[1..4] {
        w.offer(c, b).unwrap();
    }
    assert_eq!(w.content_progress(), (3000, Some(10_000)));
    for (c, b) in &dag[4..] {
        w.offer(c, b).unwrap();
    }
    assert_eq!(w.content_progress(), (10_000, Some(10_000)));
    w.commit().unwrap();

    // A single raw block: its length is the size.
    let leaf = cid_of(0x55, b"hello");
    let mut w = Walker::new(
        leaf,
        Sink::disk(&dir.join("out")).unwrap(),
        dir.clone(),
        Limits::default(),
    );
    w.offer(&leaf, b"hello").unwrap();
    assert_eq!(w.content_progress(), (5, Some(5)));
    w.commit().unwrap();

    // A directory states no size.
    let file = cid_of(0x55, b"x");
    let d = dir_node(&[("a", file)]);
    let mut w = Walker::new(
        d.0,
        Sink::disk(&dir.join("site")).unwrap(),
        dir.clone(),
        Limits::default(),
    );
    w.offer(&d.0, &d.1).unwrap();
    w.offer(&file, b"x").unwrap();
    assert_eq!(w.content_progress(), (1, None));
    w.commit().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// A file of `2^depth` references to one leaf of `leaf` bytes: `depth` file nodes, each
/// linking twice to the next (root first, each block once).
fn doubling_dag(depth: u32, leaf: &[u8]) -> Vec<Block> {
    let mut blocks = vec![(cid_of(0x55, leaf), leaf.to_vec())];
    let mut size = leaf.len() as u64;
    for _ in 0..depth {
        size *= 2;
        let below = blocks.last().unwrap().0;
        blocks.push(pb_node(&[(below, ""), (below, "")], &file_unixfs(size)));
    }
    blocks.reverse();
    blocks
}

/// About 5 KB of blocks that each link twice to the next, down to an empty leaf,
/// would take 2^40 steps and write nothing: the walk stops them once the steps outrun
/// what it has received and written, on disk and in memory, with nothing left behind.
#[test]
fn a_dag_that_names_its_blocks_without_end_is_refused() {
    let blocks = doubling_dag(40, b"");
    let bytes = car(&blocks);
    assert!(bytes.len() < 6000, "{} bytes", bytes.len());
    let dir = scratch("doubling");
    let e = run(&dir, blocks[0].0, &bytes, 4096, Limits::default()).unwrap_err();
    assert_eq!(e.status(), Status::Protocol);
    assert!(e.message().contains("again and again"), "{}", e.message());
    assert_clean(&dir, false);

    let mut w = memory_walker(blocks[0].0, &dir, Limits::default());
    let e = blocks
        .iter()
        .try_for_each(|(c, b)| w.offer(c, b))
        .and_then(|()| w.commit().map(|_| ()))
        .unwrap_err();
    assert!(e.message().contains("again and again"), "{}", e.message());
    assert_clean(&dir, false);
}

/// The same shape with a one-byte leaf is a real file (65,536 bytes from 17 blocks,
/// about 262,000 steps): the walk writes all of it, past the free steps.
#[test]
fn a_file_of_one_repeated_byte_leaf_is_walked_in_full() {
    let blocks = doubling_dag(16, b"z");
    let dir = scratch("doubling-ok");
    run(&dir, blocks[0].0, &car(&blocks), 4096, Limits::default()).unwrap();
    assert_eq!(std::fs::read(dir.join("out")).unwrap(), vec![b'z'; 1 << 16]);
    assert_clean(&dir, true);
}

/// `depth` directories, each naming the next twice (`a`, `b`), over an empty file: 2^depth
/// copies of the file from depth + 1 blocks (root first).
fn shared_dirs(depth: u32) -> Vec<Block> {
    let leaf = (cid_of(0x55, b""), Vec::new());
    let mut blocks = vec![leaf.clone()];
    let mut below = leaf.0;
    for _ in 0..depth {
        let d = dir_node(&[("a", below), ("b", below)]);
        below = d.0;
        blocks.push(d);
    }
    blocks.reverse();
    blocks
}

/// A directory whose entries are one shared subdirectory, nested 14 times: all 16,384
/// copies of its file are made on disk (about 100,000 steps, past the free ones: each
/// file and directory made pays for the steps it takes), and the walk finishes.
#[test]
fn shared_subdirectories_are_written_at_every_name() {
    let blocks = shared_dirs(14);
    let dir = scratch("shared-dirs");
    run(&dir, blocks[0].0, &car(&blocks), 4096, Limits::default()).unwrap();
    let mut files = 0;
    let mut stack = vec![dir.join("out")];
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        } else {
            assert_eq!(std::fs::metadata(&p).unwrap().len(), 0);
            files += 1;
        }
    }
    assert_eq!(files, 1 << 14);
    assert_clean(&dir, true);
}

fn capped(max_bytes: Option<u64>, max_entries: Option<u64>) -> Limits {
    Limits {
        max_bytes,
        max_entries,
        ..Limits::default()
    }
}

/// 21 blocks (under 3 KB) describe a real file of 2^40 one-byte references, which the
/// walk would write until the disk filled: a cap refuses it at its root, before a byte
/// is written, on disk and in memory. A root that understates its size is stopped at
/// the byte past the cap instead (the size is checked only when the file ends).
#[test]
fn the_cap_on_bytes_stops_a_file_too_large_to_write() {
    let blocks = doubling_dag(40, b"z");
    let dir = scratch("byte-cap");
    let e = run(
        &dir,
        blocks[0].0,
        &car(&blocks),
        4096,
        capped(Some(1 << 20), None),
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::Protocol);
    assert!(
        e.message().contains("cap of 1048576 bytes"),
        "{}",
        e.message()
    );
    assert_clean(&dir, false);

    let mut w = memory_walker(blocks[0].0, &dir, capped(Some(1 << 20), None));
    let e = w.offer(&blocks[0].0, &blocks[0].1).unwrap_err();
    assert!(
        e.message().contains("cap of 1048576 bytes"),
        "{}",
        e.message()
    );
    assert_eq!(w.content_progress().0, 0);
    drop(w);
    assert_clean(&dir, false);

    // The same 2^20 bytes under a root that states 10: written up to the cap, no further.
    let mut blocks = doubling_dag(20, b"z");
    let below = blocks[1].0;
    blocks[0] = pb_node(&[(below, ""), (below, "")], &file_unixfs(10));
    let mut w = memory_walker(blocks[0].0, &dir, capped(Some(1000), None));
    let e = blocks
        .iter()
        .try_for_each(|(c, b)| w.offer(c, b))
        .and_then(|()| w.next_needed().map(|_| ()))
        .unwrap_err();
    assert!(e.message().contains("cap of 1000 bytes"), "{}", e.message());
    assert_eq!(w.content_progress().0, 1000);
    drop(w);
    assert_clean(&dir, false);

    // A cap the content meets exactly is no failure.
    let blocks = doubling_dag(10, b"z");
    run(
        &dir,
        blocks[0].0,
        &car(&blocks),
        4096,
        capped(Some(1024), None),
    )
    .unwrap();
    assert_eq!(std::fs::read(dir.join("out")).unwrap(), vec![b'z'; 1024]);
    assert_clean(&dir, true);
}

/// The cap counts a directory's files together: the file that would pass it is refused
/// as its root arrives, and nothing of the tree is left.
#[test]
fn the_cap_on_bytes_counts_every_file_of_a_directory() {
    let a = file_dag(&data(3000), 1000);
    let b = file_dag(&data(2500), 1000);
    let root = dir_node(&[("a", a[0].0), ("b", b[0].0)]);
    let mut blocks = vec![root];
    blocks.extend(a);
    blocks.extend(b);
    let dir = scratch("byte-cap-dir");
    let e = run(
        &dir,
        blocks[0].0,
        &car(&blocks),
        4096,
        capped(Some(5499), None),
    )
    .unwrap_err();
    assert!(e.message().contains("cap of 5499 bytes"), "{}", e.message());
    assert_clean(&dir, false);
    run(
        &dir,
        blocks[0].0,
        &car(&blocks),
        4096,
        capped(Some(5500), None),
    )
    .unwrap();
    assert_eq!(std::fs::read(dir.join("out/b")).unwrap(), data(2500));
}

/// 15 blocks make 16,384 files and 16,383 directories (as in
/// `shared_subdirectories_are_written_at_every_name`): a cap on entries stops them at the
/// cap, and counts the root directory and every copy.
#[test]
fn the_cap_on_entries_stops_a_directory_of_copies() {
    let blocks = shared_dirs(14);
    let dir = scratch("entry-cap");
    let e = run(
        &dir,
        blocks[0].0,
        &car(&blocks),
        4096,
        capped(None, Some(1000)),
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::Protocol);
    assert!(
        e.message().contains("cap of 1000 files and directories"),
        "{}",
        e.message()
    );
    assert_clean(&dir, false);

    // Three levels: the root, 2 + 4 directories and 8 files make 15 entries.
    let small = shared_dirs(3);
    assert!(run(&dir, small[0].0, &car(&small), 4096, capped(None, Some(14))).is_err());
    assert_clean(&dir, false);
    run(&dir, small[0].0, &car(&small), 4096, capped(None, Some(15))).unwrap();
    // A file is one entry.
    let file = file_dag(&data(10), 5);
    std::fs::remove_dir_all(dir.join("out")).unwrap();
    run(&dir, file[0].0, &car(&file), 4096, capped(None, Some(1))).unwrap();
}

/// The files this process holds open whose path contains `name` (unlinked ones too).
fn open_files_named(name: &str) -> Vec<String> {
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| p.contains(name))
        .collect()
}

/// Blocks kept for later share one spill file, unlinked as soon as it is open (nothing
/// to leave behind, nothing for another user to read): 20,000 tiny extra blocks make
/// one open file, not 20,000 files each costing an inode and a filesystem block. The
/// spill limit counts their bytes and 256 more each, for their place in the index.
#[test]
fn tiny_spilled_blocks_share_one_unlinked_file() {
    let d = data(3000);
    let blocks = file_dag(&d, 1000);
    let dir = scratch("tiny-spills");
    let mut w = memory_walker(blocks[0].0, &dir, capped(None, None));
    for i in 0u32..20_000 {
        let b = i.to_le_bytes();
        w.offer(&cid_of(0x55, &b), &b).unwrap();
    }
    assert_clean(&dir, false);
    let open = open_files_named(&dir.to_string_lossy());
    assert_eq!(open.len(), 1, "{open:?}");
    assert!(
        open[0].contains(".pinata-spill-") && open[0].ends_with("(deleted)"),
        "{open:?}"
    );
    // The file still comes out whole past them, and the spill file is closed.
    for (c, b) in blocks.iter().rev() {
        w.offer(c, b).unwrap();
    }
    let (stats, mut sink) = w.commit().unwrap();
    assert_eq!(sink.take_bytes(), d);
    assert_eq!(stats.bytes, 3000);
    assert_eq!(
        open_files_named(&dir.to_string_lossy()),
        Vec::<String>::new()
    );

    // 153 blocks of 4 bytes count 39,780 bytes; the 154th passes a 40,000-byte limit.
    let limits = Limits {
        max_spill_bytes: 40_000,
        ..Limits::default()
    };
    let mut w = memory_walker(blocks[0].0, &dir, limits);
    let mut kept = 0;
    let e = (0u32..20_000)
        .try_for_each(|i| {
            let r = w.offer(&cid_of(0x55, &i.to_le_bytes()), &i.to_le_bytes());
            kept += r.is_ok() as u32;
            r
        })
        .unwrap_err();
    assert!(
        e.message().contains("more than 40000 bytes"),
        "{}",
        e.message()
    );
    assert_eq!(kept, 153);
    drop(w);
    assert_clean(&dir, false);
}

/// Two entries naming one empty directory (every empty directory has the same CID),
/// which the gateway sends once: both are made. The block has no links, and was once
/// forgotten, so the second entry asked for it again and found it missing.
#[test]
fn one_empty_directory_under_two_names() {
    let empty = dir_node(&[]);
    let file = (cid_of(0x55, b"x"), b"x".to_vec());
    let root = dir_node(&[("a", empty.0), ("b", empty.0), ("c", file.0)]);
    let blocks = vec![root, empty, file];
    let dir = scratch("empty-dirs");
    run(&dir, blocks[0].0, &car(&blocks), 4096, Limits::default()).unwrap();
    assert!(dir.join("out/a").is_dir() && dir.join("out/b").is_dir());
    assert_eq!(std::fs::read(dir.join("out/c")).unwrap(), b"x");
    assert_clean(&dir, true);
}

/// A file whose first chunks repeat (zeros at the start of a disk image), sent depth
/// first with each block once: the repeated leaf is written again from the file, and
/// the blocks after it are processed as they come, not spilled. So is a directory's
/// second file after the first one ends. A spill limit smaller than the content proves
/// it.
#[test]
fn blocks_after_a_repeat_or_a_finished_file_are_not_spilled() {
    let mut d = vec![0u8; 3000];
    d.extend(data(20_000));
    let blocks = file_dag(&d, 1000);
    let limits = Limits {
        max_spill_bytes: 4096,
        max_bytes: None,
        max_entries: None,
    };
    let dir = scratch("repeat-first");
    run(&dir, blocks[0].0, &car(&blocks), 4096, limits).unwrap();
    assert_eq!(std::fs::read(dir.join("out")).unwrap(), d);
    assert_clean(&dir, true);

    let (a, b) = (file_dag(&data(10_000), 1000), file_dag(&d, 1000));
    let root = dir_node(&[("a", a[0].0), ("b", b[0].0)]);
    let mut all = vec![root.clone()];
    all.extend(a);
    all.extend(b);
    let dir = scratch("second-file");
    run(&dir, root.0, &car(&all), 4096, limits).unwrap();
    assert_eq!(std::fs::read(dir.join("out/b")).unwrap(), d);
    assert_clean(&dir, true);
}

/// An inner node padded with a MiB of fields the decoder skips, named 16,000 times: each
/// visit costs a step per KiB, so the walk stops after a few dozen visits instead of
/// decoding a MiB 16,000 times.
#[test]
fn a_bulky_node_named_many_times_costs_its_size() {
    let leaf = (cid_of(0x55, b""), Vec::new());
    let mut padded = Vec::new();
    field_bytes(&mut padded, 1, &file_unixfs(0));
    for _ in 0..(1 << 19) {
        padded.extend_from_slice(&[0x18, 0x00]); // field 3, varint 0: skipped
    }
    let mut link = Vec::new();
    field_bytes(&mut link, 1, &leaf.0.to_bytes());
    let mut node = Vec::new();
    field_bytes(&mut node, 2, &link);
    node.extend_from_slice(&padded);
    let bulky = (cid_of(0x70, &node), node);
    let links: Vec<(cid::Cid, &str)> = (0..16_000).map(|_| (bulky.0, "")).collect();
    let root = pb_node(&links, &file_unixfs(0));
    let blocks = vec![root.clone(), bulky, leaf];
    let dir = scratch("bulky");
    let e = run(&dir, root.0, &car(&blocks), 1 << 16, Limits::default()).unwrap_err();
    assert_eq!(e.status(), Status::Protocol);
    assert!(e.message().contains("again and again"), "{}", e.message());
    assert_clean(&dir, false);
}

/// A gateway that sends an empty block again and again: each repeat counts at least a
/// section's framing, so the bound on repeated blocks ends the answer.
#[test]
fn empty_blocks_sent_forever_are_bounded() {
    let blocks = file_dag(&data(3000), 1000);
    let empty = (cid_of(0x55, b""), Vec::new());
    let mut w = memory_walker(
        blocks[0].0,
        &std::env::temp_dir(),
        Limits {
            max_spill_bytes: 1 << 20,
            max_bytes: None,
            max_entries: None,
        },
    );
    w.offer(&blocks[1].0, &blocks[1].1).unwrap(); // early: spilled
    w.offer(&empty.0, &empty.1).unwrap(); // extra: spilled
    let e = (0..1_000_000)
        .try_for_each(|_| w.offer(&empty.0, &empty.1))
        .unwrap_err();
    assert_eq!(e.status(), Status::Protocol);
    assert!(e.message().contains("repeats blocks"), "{}", e.message());
}

/// Entry paths waiting on the stack are bounded (1 MiB in the unit tests): a directory
/// of 5,000 entries with 250-byte names under a 2,000-byte path is refused.
#[test]
fn pending_entry_paths_are_bounded() {
    let leaf = (cid_of(0x55, b"x"), b"x".to_vec());
    let names: Vec<String> = (0..5000).map(|i| format!("{i:0250}")).collect();
    let entries: Vec<(&str, cid::Cid)> = names.iter().map(|n| (n.as_str(), leaf.0)).collect();
    let wide = dir_node(&entries);
    let mut blocks = vec![leaf, wide.clone()];
    let mut below = wide.0;
    let long = "d".repeat(200);
    for _ in 0..10 {
        let d = dir_node(&[(long.as_str(), below)]);
        below = d.0;
        blocks.push(d);
    }
    blocks.reverse();
    let dir = scratch("paths");
    let e = run(&dir, blocks[0].0, &car(&blocks), 1 << 16, Limits::default()).unwrap_err();
    assert_eq!(e.status(), Status::Protocol);
    assert!(e.message().contains("entry paths"), "{}", e.message());
    assert_clean(&dir, false);
}

/// A gateway that sends a block again at every reference (`dups=y`): a subdirectory of
/// 100 one-byte files, all the same leaf, named 200 times, every block of every copy
/// sent. Each copy is processed from the network as it comes, and the bound on repeated
/// blocks is never reached, with a spill limit far under the 2.7 MB of blocks sent again.
#[test]
fn duplicates_sent_at_every_reference_are_used_as_they_come() {
    let leaf = (cid_of(0x55, b"z"), b"z".to_vec());
    let names: Vec<String> = (0..100).map(|i| format!("f{i}")).collect();
    let sub = dir_node(
        &names
            .iter()
            .map(|n| (n.as_str(), leaf.0))
            .collect::<Vec<_>>(),
    );
    let subs: Vec<String> = (0..200).map(|i| format!("d{i}")).collect();
    let root = dir_node(&subs.iter().map(|n| (n.as_str(), sub.0)).collect::<Vec<_>>());
    let mut blocks = vec![root.clone()];
    for _ in 0..200 {
        blocks.push(sub.clone());
        blocks.extend(std::iter::repeat_n(leaf.clone(), 100));
    }
    let limits = Limits {
        max_spill_bytes: 64 << 10,
        max_bytes: None,
        max_entries: None,
    };
    let dir = scratch("dups-every-reference");
    run(&dir, root.0, &car(&blocks), 1 << 16, limits).unwrap();
    assert_eq!(std::fs::read(dir.join("out/d199/f99")).unwrap(), b"z");
    assert_clean(&dir, true);
}

/// A CAR cut after 80 % of its blocks and sent again from its start (the transport's
/// retry): the blocks sent again are within the bound on repeats (each counts a
/// section's framing, as each block processed does), even with a spill limit just over
/// the root's 80 KB.
#[test]
fn a_car_sent_again_from_its_start_fits_a_tight_spill_limit() {
    // 2,000 distinct 50-byte chunks.
    let d: Vec<u8> = (0..2000)
        .flat_map(|i| format!("{i:050}").into_bytes())
        .collect();
    let blocks = file_dag(&d, 50);
    assert_eq!(blocks.len(), 2001);
    let limit = blocks[0].1.len() as u64 + 2048;
    let dir = scratch("resent");
    let dest = dir.join("out");
    let mut w = Walker::new(
        blocks[0].0,
        Sink::disk(&dest).unwrap(),
        dir.clone(),
        Limits {
            max_spill_bytes: limit,
            max_bytes: None,
            max_entries: None,
        },
    );
    let cut = blocks.len() * 4 / 5;
    blocks[..cut]
        .iter()
        .try_for_each(|(c, b)| w.offer(c, b))
        .unwrap();
    w.new_answer();
    blocks.iter().try_for_each(|(c, b)| w.offer(c, b)).unwrap();
    w.commit().unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), d);
    assert_clean(&dir, true);
}
