//! Upload fixtures and the CIDs Pinata's rules give them, hard-coded from an
//! outside implementation: the npm importer (`ipfs-unixfs-importer` 17.1.1,
//! `tests/js-crosscheck/crosscheck.mjs`), which `tests/cid_crosscheck.rs`
//! (`upload_vectors_match_the_js_importer`) reruns against these constants.
//! Shared by `tests/pinning.rs` (library → emulator), the emulator's tests and
//! the cross-check; where each value comes from and how to regenerate it:
//! `tests/VECTORS.md`.
#![allow(dead_code)] // each test crate uses its own part

use std::path::Path;

/// A pin's expected answer: `IpfsHash` and `PinSize` (the DAG's cumulative size).
pub struct Pinned {
    pub cid: &'static str,
    pub size: u64,
}

/// The folder uploaded in the tree cases.
pub const TREE_ROOT: &str = "site";
/// Its files, relative to the root: hidden ones are uploaded like the others.
pub const TREE_FILES: &[(&str, &[u8])] = &[
    (".hidden", b"secret\n"),
    (
        ".well-known/security.txt",
        b"Contact: mailto:security@example.com\n",
    ),
    (
        "assets/logo.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    ),
    ("docs/a b \u{fc}.txt", "spaces and ünïcödé\n".as_bytes()),
    ("index.html", b"<h1>hi</h1>\n"),
];
/// Its empty folders: a multipart body cannot carry them, so the pinned tree
/// has none (`assets` stays, it holds `logo.svg`).
pub const TREE_EMPTY_DIRS: &[&str] = &["assets/empty", "empty-top"];

/// The tree as uploaded (empty folders dropped), CIDv0.
pub const TREE_V0: Pinned = Pinned {
    cid: "QmdmLJRM9sevgYP3UcSUqTWTNycukVkuimd5nb8RuEQW4i",
    size: 581,
};
/// Same, `cidVersion: 1`.
pub const TREE_V1: Pinned = Pinned {
    cid: "bafybeidbi5sssulspwsbsx4i2fhdqcrajh6r6jt3tiv4zqcuqniuu2jpne",
    size: 557,
};
/// `wrapWithDirectory: true`: a directory holding `site/`, CIDv0.
pub const TREE_V0_WRAPPED: Pinned = Pinned {
    cid: "QmNbcRBDKg39VTznuDVfAJYhweni9vun2ZfvJZKSidYtvv",
    size: 632,
};
/// Same, `cidVersion: 1`.
pub const TREE_V1_WRAPPED: Pinned = Pinned {
    cid: "bafybeieyrdpmhxoqrwtjez63zzxjh6grdrrcq5pli7dg6loxcb3dotecse",
    size: 610,
};
/// What `ipfs add -r site` gives with the empty folders kept: NOT what an
/// upload pins (checked to differ, so the fixture really tests the rule).
pub const TREE_V0_WITH_EMPTY_DIRS: &str = "QmVLHWYPkYELVR3153U3Hb9i2oGX53RUxhjDnDrVyo7eXN";

/// `planets/{mars.txt, venus.txt}` (kubo's t0040 folder) wrapped, CIDv1.
pub const PLANETS_V1_WRAPPED: Pinned = Pinned {
    cid: "bafybeib6yypfhmhzfhld6sxitltxjsmzpcw4nfntcalxex6uhgbsslnhsy",
    size: 190,
};

/// 1 MiB of zero bytes, CIDv0 (the CID is also in kubo-confirmed cid.md §2.3).
pub const ZEROS_1MIB_V0: Pinned = Pinned {
    cid: "QmVkbauSDEaMP4Tkq6Epm9uW75mWm136n81YH8fGtfwdHU",
    size: 1_048_832,
};

/// A JSON document the library can verify (integers within ±2^53 only):
/// whitespace, a repeated key, escapes, non-ASCII, a surrogate pair.
pub const JSON_CONTENT: &str = r#"{
  "name": "pinnie",
  "zeta": [1, -2, 300, {"nested": true, "nil": null, "empty": {}}],
  "alpha": "tab\there \"quoted\" back\\slash \/ é 日本 \ud83d\ude00 \u0001\u001f",
  "count": 9007199254740991,
  "name": "repeated key: first place, last value"
}"#;
/// What Pinata pins for it: `JSON.stringify(JSON.parse(JSON_CONTENT))`.
pub const JSON_CONTENT_PINNED: &str = "{\"name\":\"repeated key: first place, last value\",\"zeta\":[1,-2,300,{\"nested\":true,\"nil\":null,\"empty\":{}}],\"alpha\":\"tab\\there \\\"quoted\\\" back\\\\slash / é 日本 😀 \\u0001\\u001f\",\"count\":9007199254740991}";
/// `JSON_CONTENT` pinned, CIDv0.
pub const JSON_V0: Pinned = Pinned {
    cid: "QmUC3JzBb26kgWr64hZsTvp2hqF7DikQsjey6ieGD5Qx4u",
    size: 213,
};
/// `JSON_CONTENT` pinned, CIDv1 (one raw leaf: size = byte length).
pub const JSON_V1: Pinned = Pinned {
    cid: "bafkreia54kdthw5iex2nwmpnelybhlq6kk6k6kfvesclw3rv5wcgzw6mue",
    size: 202,
};

/// A document the library can verify whose keys JavaScript reorders: array-index
/// keys ("2", "10", "0", "7") come first in numeric order; "01" and "4294967295"
/// are not indexes and keep their place.
pub const JSON_INDEX_KEYS: &str = r#"{"b": 1, "10": "ten", "2": "two", "01": "not an index", "n": {"1": true, "0": [{"4294967295": 1, "7": 2}]}}"#;
/// What Pinata pins for it.
pub const JSON_INDEX_KEYS_PINNED: &str = r#"{"2":"two","10":"ten","b":1,"01":"not an index","n":{"0":[{"7":2,"4294967295":1}],"1":true}}"#;
/// Its CIDv0 and CIDv1.
pub const JSON_INDEX_KEYS_V0: Pinned = Pinned {
    cid: "QmVNbGhDah9m7Z4VvLsf2ozb516mRMvRCsQaNaLwktLraP",
    size: 100,
};
pub const JSON_INDEX_KEYS_V1: Pinned = Pinned {
    cid: "bafkreibfdxpomoirsblhr6qx54vzrnvqlwwolu6abawqn2qzp2vzeafk2u",
    size: 92,
};

/// A whole `pinJSONToIPFS` request body whose content exercises the
/// JavaScript rules a Rust serializer does not follow: array-index keys
/// listed first in numeric order, doubles printed as JavaScript prints them.
pub const JSON_JS_RULES_BODY: &str = r#"{"pinataContent": {"b": 1, "10": "ten", "2": "two", "a": [1.0, 1.5e-7, 1e21, -0, 0.1, 123456789012345678901, 2.50], "01": "not an index"}, "pinataMetadata": {"name": "js rules"}}"#;
/// What Pinata pins for its content.
pub const JSON_JS_RULES_PINNED: &str = r#"{"2":"two","10":"ten","b":1,"a":[1,1.5e-7,1e+21,0,0.1,123456789012345680000,2.5],"01":"not an index"}"#;
/// Its CIDv0 and CIDv1.
pub const JSON_JS_RULES_V0: Pinned = Pinned {
    cid: "QmZkFJEpAWDm6wcFiRcAenpCTA6ogqJuc9p9CbsVEtf685",
    size: 109,
};
pub const JSON_JS_RULES_V1: Pinned = Pinned {
    cid: "bafkreicz2le7o7ywslscevn5bbgzjcynrzzoa2n4ujjoakbsxodv6p7bfe",
    size: 101,
};

/// A body without `pinataContent` is pinned whole (metadata included).
pub const JSON_BARE_BODY: &str = r#"{"just": "content", "pinataMetadata": {"name": "ignored"}}"#;
/// Its CIDv0.
pub const JSON_BARE_V0: Pinned = Pinned {
    cid: "QmXwtEK7UGV1X5RAnU3wf9m7UXPBJkzQ2sP2PKtGqDjvi9",
    size: 62,
};

/// Writes the tree fixture (files and empty folders) under `dir/site`; returns
/// the root folder's path.
pub fn write_tree(dir: &Path) -> std::path::PathBuf {
    let root = dir.join(TREE_ROOT);
    for (rel, data) in TREE_FILES {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    }
    for d in TREE_EMPTY_DIRS {
        std::fs::create_dir_all(root.join(d)).unwrap();
    }
    root
}

/// The tree as multipart `file` parts: `site/<path>` each.
pub fn tree_parts() -> Vec<(String, &'static [u8])> {
    TREE_FILES
        .iter()
        .map(|(rel, data)| (format!("{TREE_ROOT}/{rel}"), *data))
        .collect()
}
