//! Times `pinata::cid` on a file or directory (used by `bench/cid_bench.sh`).
//!
//! ```text
//! cargo run --release --example cid_bench -- PATH [v0|v1|v1-2025] [THREADS] [verify]
//! ```
//!
//! THREADS: 1 = the streaming single-threaded path, 0 = all cores.
//! `verify` instead times the upload-side [`pinata::cid::Verifier`] (all
//! three profiles in one pass, single thread) over the file's bytes.
//! Prints `CID<TAB>seconds<TAB>MB/s` on stdout.

use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

use pinata::cid::{cid_of_path, cid_of_path_parallel, Profile, Verifier};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(args.next().unwrap_or_else(|| {
        eprintln!("usage: cid_bench PATH [v0|v1|v1-2025] [THREADS] [verify]");
        std::process::exit(2)
    }));
    let profile = match args.next().as_deref().unwrap_or("v0") {
        "v0" => Profile::V0,
        "v1" => Profile::V1,
        "v1-2025" => Profile::V1Modern,
        other => {
            eprintln!("unknown profile {other}");
            std::process::exit(2)
        }
    };
    let threads: usize = args.next().map_or(1, |t| t.parse().expect("THREADS"));
    let verify = args.next().as_deref() == Some("verify");

    let start = Instant::now();
    let (cid, bytes) = if verify {
        let mut f = std::fs::File::open(&path).expect("open");
        let mut v = Verifier::new(profile);
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = f.read(&mut buf).expect("read");
            if n == 0 {
                break;
            }
            v.update(&buf[..n]);
        }
        let n = v.local_cid();
        (n.cid.to_string(), n.file_size)
    } else if threads == 1 {
        let n = cid_of_path(&path, profile, false).expect("cid");
        (n.cid.to_string(), n.file_size)
    } else {
        let n = cid_of_path_parallel(&path, profile, false, threads).expect("cid");
        (n.cid.to_string(), n.file_size)
    };
    let secs = start.elapsed().as_secs_f64();
    println!("{cid}\t{secs:.3}\t{:.0}", bytes as f64 / secs / 1e6);
}
