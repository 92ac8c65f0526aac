//! Differential test against the reference JS importer
//! (`ipfs-unixfs-importer` 17.1.1, see `tests/js-crosscheck/`).
//!
//! Needs `node` and the pinned npm packages: run
//! `npm ci --prefix tests/js-crosscheck` first. Sizes are randomized around
//! every layout boundary; set `PINATA_CROSSCHECK_SEED` to replay a run (the
//! seed is printed).

mod common_cid;
mod upload_vectors;

use std::path::{Path, PathBuf};
use std::process::Command;

use common_cid::TempDir;
use pinata::cid::{cid_of_path, cid_of_path_with, ImportOptions, Node, Profile};

const CHUNK: u64 = 262_144;
const MIB: u64 = 1 << 20;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn bytes(&mut self, len: usize) -> Vec<u8> {
        let mut v = Vec::with_capacity(len + 8);
        while v.len() < len {
            v.extend_from_slice(&self.next().to_le_bytes());
        }
        v.truncate(len);
        v
    }
}

fn js_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js-crosscheck")
}

/// One thing to compare: a JS mode string, wrap flag, path, and our options.
struct Case {
    mode: String,
    wrap: bool,
    path: PathBuf,
}

fn rust_cid(c: &Case) -> Node {
    let opts = match c.mode.as_str() {
        "v0" => return cid_of_path(&c.path, Profile::V0, c.wrap).unwrap(),
        "v1" => return cid_of_path(&c.path, Profile::V1, c.wrap).unwrap(),
        "v1-2025" => return cid_of_path(&c.path, Profile::V1Modern, c.wrap).unwrap(),
        custom => {
            let f: Vec<&str> = custom.split(':').collect();
            assert_eq!(f[0], "custom");
            ImportOptions {
                chunk_size: f[1].parse().unwrap(),
                max_links: f[2].parse().unwrap(),
                raw_leaves: f[3] == "1",
                cid_version: if f[4] == "1" {
                    cid::Version::V1
                } else {
                    cid::Version::V0
                },
                ..Profile::V0.options()
            }
        }
    };
    cid_of_path_with(&c.path, opts, c.wrap, 1).unwrap()
}

/// Fails (never skips) when the pinned npm packages are not installed.
fn require_js() {
    let nm = js_dir().join("node_modules/ipfs-unixfs-importer");
    assert!(
        nm.is_dir(),
        "the JS cross-check needs its npm packages: run `npm ci --prefix tests/js-crosscheck` \
         (missing {})",
        nm.display()
    );
}

fn run_js(cases: &[Case], tmp: &Path) -> Vec<(String, u64)> {
    let lines: Vec<String> = cases
        .iter()
        .map(|c| {
            format!(
                "{}\t{}\t{}",
                c.mode,
                if c.wrap { 1 } else { 0 },
                c.path.display()
            )
        })
        .collect();
    run_js_lines(&lines, tmp)
}

/// Runs `crosscheck.mjs` on LIST lines (`MODE<TAB>WRAP<TAB>PATH[<TAB>FLAGS]`);
/// one (CID, cumulative size) per line.
fn run_js_lines(lines: &[String], tmp: &Path) -> Vec<(String, u64)> {
    require_js();
    let list = tmp.join("crosscheck-list.tsv");
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&list, text).unwrap();
    let out = Command::new("node")
        .arg(js_dir().join("crosscheck.mjs"))
        .arg(&list)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `node` (needed by the JS cross-check): {e}"));
    assert!(
        out.status.success(),
        "crosscheck.mjs failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<(String, u64)> = stdout
        .lines()
        .map(|l| {
            let (cid, size) = l.split_once('\t').expect("CID<TAB>SIZE");
            (cid.to_string(), size.parse().unwrap())
        })
        .collect();
    assert_eq!(rows.len(), lines.len(), "one output line per case");
    rows
}

fn compare(cases: &[Case], tmp: &Path, seed: u64) {
    let js = run_js(cases, tmp);
    let mut failures = Vec::new();
    for (c, (js_cid, js_size)) in cases.iter().zip(&js) {
        let ours = rust_cid(c);
        if ours.cid.to_string() != *js_cid || ours.tsize != *js_size {
            failures.push(format!(
                "{} wrap={} {}: ours {} (tsize {}), js {} (size {})",
                c.mode,
                c.wrap,
                c.path.display(),
                ours.cid,
                ours.tsize,
                js_cid,
                js_size
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ (PINATA_CROSSCHECK_SEED={seed}):\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    eprintln!("{} cases agree with ipfs-unixfs-importer", cases.len());
}

fn seed() -> u64 {
    require_js();
    let s = std::env::var("PINATA_CROSSCHECK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        })
        | 1;
    eprintln!("PINATA_CROSSCHECK_SEED={s}");
    s
}

const MODES: [&str; 3] = ["v0", "v1", "v1-2025"];

/// Writes `len` pseudo-random bytes in 1 MiB pieces.
fn write_random(path: &Path, len: u64, rng: &mut Rng) {
    use std::io::Write;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut left = len;
    while left > 0 {
        let n = left.min(MIB) as usize;
        f.write_all(&rng.bytes(n)).unwrap();
        left -= n as u64;
    }
    f.flush().unwrap();
}

#[test]
fn files_around_every_boundary() {
    let seed = seed();
    let mut rng = Rng(seed);
    let t = TempDir::new("xfiles");
    let mut sizes = vec![0u64, 1, 1 + rng.below(CHUNK - 2)];
    for b in [CHUNK, 2 * CHUNK, MIB, 2 * MIB, 174 * CHUNK] {
        sizes.extend([b - 1, b, b + 1]);
        sizes.push(b - 2 - rng.below(1000));
        sizes.push(b + 2 + rng.below(1000));
    }
    // 175 chunks ± a random few bytes: a depth-2 tree whose last run has one leaf.
    sizes.push(175 * CHUNK + rng.below(2 * CHUNK) - CHUNK);
    let mut cases = Vec::new();
    for (i, size) in sizes.iter().enumerate() {
        let p = t.path().join(format!("f{i:02}-{size}.bin"));
        write_random(&p, *size, &mut rng);
        for m in MODES {
            cases.push(Case {
                mode: m.into(),
                wrap: false,
                path: p.clone(),
            });
        }
        if *size < 2 * MIB {
            cases.push(Case {
                mode: MODES[i % 3].into(),
                wrap: true,
                path: p.clone(),
            });
        }
    }
    compare(&cases, t.path(), seed);
}

#[test]
fn deep_trees_with_tiny_chunks() {
    // Multi-level layouts (depth 3-5) without gigabytes: small chunks and
    // narrow nodes, same rules as the real profiles.
    let seed = seed();
    let mut rng = Rng(seed ^ 0x5eed);
    let t = TempDir::new("xdeep");
    let mut cases = Vec::new();
    for (chunk, links, raw, v1) in [
        (1000u64, 3u64, 0, 0),
        (1000, 3, 1, 1),
        (4096, 11, 0, 1),
        (4096, 11, 1, 0),
        (512, 174, 1, 1),
    ] {
        let mode = format!("custom:{chunk}:{links}:{raw}:{v1}");
        let mut sizes = vec![0, 1, chunk, chunk + 1];
        for depth in 1..=4u32 {
            let b = chunk * links.pow(depth);
            if b > 8 * MIB {
                break;
            }
            sizes.extend([b - 1, b, b + 1, b + 1 + rng.below(b)]);
        }
        for size in sizes {
            let p = t.path().join(format!("c{chunk}-l{links}-{raw}{v1}-{size}"));
            write_random(&p, size, &mut rng);
            cases.push(Case {
                mode: mode.clone(),
                wrap: false,
                path: p,
            });
        }
    }
    compare(&cases, t.path(), seed);
}

fn random_name(rng: &mut Rng) -> String {
    const PARTS: &[&str] = &[
        "a", "b", "Z", "0", "9", "-", "_", ".", " ", "é", "日本", "🚀", "x", "readme", "md", "ü",
        "~",
    ];
    let n = 1 + rng.below(6) as usize;
    let mut s: String = (0..n)
        .map(|_| PARTS[rng.below(PARTS.len() as u64) as usize])
        .collect();
    if rng.below(8) == 0 {
        s.insert(0, '.');
    }
    if s == "." || s == ".." || s.trim().is_empty() {
        s.push('n');
    }
    s
}

fn random_tree(dir: &Path, depth: u32, rng: &mut Rng, budget: &mut u64) {
    std::fs::create_dir_all(dir).unwrap();
    let entries = rng.below(12);
    for _ in 0..entries {
        let name = random_name(rng);
        let p = dir.join(&name);
        if p.exists() {
            continue;
        }
        match rng.below(10) {
            0..=2 if depth > 0 => random_tree(&p, depth - 1, rng, budget),
            3 => std::fs::create_dir_all(&p).unwrap(), // empty directory
            _ => {
                let size = match rng.below(10) {
                    0 => 0,
                    1 if *budget > 2 * MIB => CHUNK - 1 + rng.below(3),
                    2 if *budget > 2 * MIB => CHUNK + rng.below(MIB + 2 * CHUNK),
                    _ => rng.below(5000),
                };
                *budget = budget.saturating_sub(size);
                write_random(&p, size, rng);
            }
        }
    }
}

#[test]
fn random_trees() {
    let seed = seed();
    let mut rng = Rng(seed ^ 0x7ee);
    let t = TempDir::new("xtrees");
    let mut cases = Vec::new();
    for i in 0..6 {
        let root = t.path().join(format!("tree{i}"));
        let mut budget = 16 * MIB;
        random_tree(&root, 3, &mut rng, &mut budget);
        for m in MODES {
            for wrap in [false, true] {
                cases.push(Case {
                    mode: m.into(),
                    wrap,
                    path: root.clone(),
                });
            }
        }
    }
    // A large flat directory that becomes a HAMT in every profile.
    let hamt = t.path().join("hamt");
    std::fs::create_dir_all(&hamt).unwrap();
    for i in 0..2000 {
        let tail: String = (0..100)
            .map(|_| (b'a' + rng.below(26) as u8) as char)
            .collect();
        let n = rng.below(3) as usize;
        let content = rng.bytes(n);
        std::fs::write(hamt.join(format!("{i:05}-{tail}")), content).unwrap();
    }
    std::fs::create_dir_all(hamt.join("zz-empty-dir")).unwrap();
    for m in MODES {
        cases.push(Case {
            mode: m.into(),
            wrap: false,
            path: hamt.clone(),
        });
    }
    compare(&cases, t.path(), seed);
}

/// The hard-coded upload vectors (`tests/upload_vectors/`) that the emulator's
/// tests and `tests/pinning.rs` assert come from the JS importer, not from
/// this repository's code: a tree with hidden files and empty folders as a
/// multipart upload carries it (wrapped or not), and JSON pins as
/// `JSON.stringify` prints them.
#[test]
fn upload_vectors_match_the_js_importer() {
    use upload_vectors as uv;
    let t = TempDir::new("xupload");
    let site = uv::write_tree(t.path());
    let planets = t.path().join("planets");
    std::fs::create_dir_all(&planets).unwrap();
    std::fs::write(planets.join("mars.txt"), b"Hello Mars!\n").unwrap();
    std::fs::write(planets.join("venus.txt"), b"Hello Venus!\n").unwrap();
    let zeros = t.path().join("zeros.bin");
    std::fs::write(&zeros, vec![0u8; 1 << 20]).unwrap();
    let content = t.path().join("content.json");
    std::fs::write(&content, uv::JSON_CONTENT).unwrap();
    let index_keys = t.path().join("index-keys.json");
    std::fs::write(&index_keys, uv::JSON_INDEX_KEYS).unwrap();
    let body = t.path().join("js-rules-body.json");
    std::fs::write(&body, uv::JSON_JS_RULES_BODY).unwrap();
    let bare = t.path().join("bare-body.json");
    std::fs::write(&bare, uv::JSON_BARE_BODY).unwrap();

    let line = |mode: &str, wrap: u8, p: &Path, flags: &str| {
        format!("{mode}\t{wrap}\t{}\t{flags}", p.display())
    };
    let cases: Vec<(&str, String, String, Option<u64>)> = vec![
        (
            "tree v0",
            line("v0", 0, &site, "upload"),
            uv::TREE_V0.cid.into(),
            Some(uv::TREE_V0.size),
        ),
        (
            "tree v1",
            line("v1", 0, &site, "upload"),
            uv::TREE_V1.cid.into(),
            Some(uv::TREE_V1.size),
        ),
        (
            "tree v0 wrapped",
            line("v0", 1, &site, "upload"),
            uv::TREE_V0_WRAPPED.cid.into(),
            Some(uv::TREE_V0_WRAPPED.size),
        ),
        (
            "tree v1 wrapped",
            line("v1", 1, &site, "upload"),
            uv::TREE_V1_WRAPPED.cid.into(),
            Some(uv::TREE_V1_WRAPPED.size),
        ),
        (
            "tree v0 with empty folders",
            line("v0", 0, &site, ""),
            uv::TREE_V0_WITH_EMPTY_DIRS.into(),
            None,
        ),
        (
            "planets v1 wrapped",
            line("v1", 1, &planets, "upload"),
            uv::PLANETS_V1_WRAPPED.cid.into(),
            Some(uv::PLANETS_V1_WRAPPED.size),
        ),
        (
            "1 MiB zeros v0",
            line("v0", 0, &zeros, ""),
            uv::ZEROS_1MIB_V0.cid.into(),
            Some(uv::ZEROS_1MIB_V0.size),
        ),
        (
            "json v0",
            line("json-v0", 0, &content, ""),
            uv::JSON_V0.cid.into(),
            Some(uv::JSON_V0.size),
        ),
        (
            "json v1",
            line("json-v1", 0, &content, ""),
            uv::JSON_V1.cid.into(),
            Some(uv::JSON_V1.size),
        ),
        (
            "json index keys v0",
            line("json-v0", 0, &index_keys, ""),
            uv::JSON_INDEX_KEYS_V0.cid.into(),
            Some(uv::JSON_INDEX_KEYS_V0.size),
        ),
        (
            "json index keys v1",
            line("json-v1", 0, &index_keys, ""),
            uv::JSON_INDEX_KEYS_V1.cid.into(),
            Some(uv::JSON_INDEX_KEYS_V1.size),
        ),
        (
            "json js rules v0",
            line("json-v0", 0, &body, ""),
            uv::JSON_JS_RULES_V0.cid.into(),
            Some(uv::JSON_JS_RULES_V0.size),
        ),
        (
            "json js rules v1",
            line("json-v1", 0, &body, ""),
            uv::JSON_JS_RULES_V1.cid.into(),
            Some(uv::JSON_JS_RULES_V1.size),
        ),
        (
            "json bare body v0",
            line("json-v0", 0, &bare, ""),
            uv::JSON_BARE_V0.cid.into(),
            Some(uv::JSON_BARE_V0.size),
        ),
    ];
    let lines: Vec<String> = cases.iter().map(|c| c.1.clone()).collect();
    let js = run_js_lines(&lines, t.path());
    let mut wrong = Vec::new();
    for ((what, _, cid, size), (js_cid, js_size)) in cases.iter().zip(&js) {
        if cid != js_cid || size.is_some_and(|s| s != *js_size) {
            wrong.push(format!(
                "{what}: hard-coded {cid} ({size:?}), the importer says {js_cid} ({js_size})"
            ));
        }
    }
    assert!(wrong.is_empty(), "stale vectors:\n{}", wrong.join("\n"));
    // The empty folders change the CID: the upload vectors do test the rule.
    assert_ne!(uv::TREE_V0.cid, uv::TREE_V0_WITH_EMPTY_DIRS);
    // The pinned JSON texts are JSON.stringify's: their raw-leaf CIDv1 is the
    // sha2-256 of exactly those bytes.
    for (text, v1) in [
        (uv::JSON_CONTENT_PINNED, &uv::JSON_V1),
        (uv::JSON_JS_RULES_PINNED, &uv::JSON_JS_RULES_V1),
        (uv::JSON_INDEX_KEYS_PINNED, &uv::JSON_INDEX_KEYS_V1),
    ] {
        assert_eq!(text.len() as u64, v1.size);
        let digest = <sha2::Sha256 as sha2::Digest>::digest(text.as_bytes());
        let mut bin = vec![0x01, 0x55, 0x12, 0x20];
        bin.extend_from_slice(&digest);
        let cid = cid::Cid::try_from(bin.as_slice()).unwrap();
        assert_eq!(cid.to_string(), v1.cid, "{text}");
    }
}
