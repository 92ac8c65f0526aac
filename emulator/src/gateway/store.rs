//! The emulator's content store: every block of every upload, on disk.
//!
//! Uploads are hashed by the oracle as they stream in; with a [`BlockSink`] from
//! [`Store::sink`] the oracle also hands each block it builds (leaves with the uploaded
//! bytes, inner nodes, directories, HAMT shards) to the store, which writes it to
//! `<data dir>/blocks/<hex CID>`. Memory holds no content: the gateway reads blocks
//! back from disk. The data directory is a fresh temporary directory unless
//! `--data-dir` names one; a temporary one is removed on exit.
//!
//! The API other upload paths call (the v3 upload path included):
//! `FileHasher::with_sink(version, app.content.sink())` and
//! `Tree::with_sink(version, app.content.sink())` in place of `FileHasher::new` /
//! `Tree::new`, or [`Store::put`] for one block.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::oracle::unixfs::BlockSink;

/// A fault the gateway plays (see `emulator/README.md`, "Gateway").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayFault {
    /// `flip`, `swap`, `missing`, `truncate`, `reverse`, `no_car`, `plain_only`,
    /// `plain_lie`.
    pub kind: String,
    /// The binary CID of the block it hits (for the block faults).
    pub target: Option<Vec<u8>>,
}

/// Gateway settings changed by hooks.
#[derive(Default)]
pub struct GatewaySettings {
    /// When set, `/ipfs/` requests need this `pinataGatewayToken`.
    pub token: Option<String>,
    /// The fault played on every gateway answer until cleared.
    pub fault: Option<GatewayFault>,
}

/// Temporary data directories are named `pinata-emulator-<pid>-<random>`.
const STALE_PREFIX: &str = "pinata-emulator-";

/// Removes the temporary data directories of emulators that are gone (killed with
/// SIGKILL, which leaves no chance to clean up): their pid no longer runs.
fn remove_stale(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(STALE_PREFIX) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Blocks on disk, and the gateway's settings.
pub struct Store {
    dir: PathBuf,
    /// Whether `dir` is ours to remove on exit.
    temporary: bool,
    /// Gateway settings (token rule, fault).
    pub settings: Mutex<GatewaySettings>,
}

impl Store {
    /// A store in `dir`, or in a new temporary directory when `None`.
    pub fn open(dir: Option<&Path>) -> std::io::Result<Store> {
        let (dir, temporary) = match dir {
            Some(d) => (d.to_path_buf(), false),
            None => {
                remove_stale(&std::env::temp_dir());
                let mut name = [0u8; 8];
                getrandom::fill(&mut name).map_err(|e| std::io::Error::other(e.to_string()))?;
                let hex: String = name.iter().map(|b| format!("{b:02x}")).collect();
                let pid = std::process::id();
                (
                    std::env::temp_dir().join(format!("{STALE_PREFIX}{pid}-{hex}")),
                    true,
                )
            }
        };
        std::fs::create_dir_all(dir.join("blocks"))?;
        Ok(Store {
            dir,
            temporary,
            settings: Mutex::new(GatewaySettings::default()),
        })
    }

    fn path_of(&self, cid: &[u8]) -> PathBuf {
        let hex: String = cid.iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join("blocks").join(hex)
    }

    /// Stores one block (given in pieces); a block already stored is left alone.
    pub fn put(&self, cid: &[u8], pieces: &[&[u8]]) {
        let path = self.path_of(cid);
        if path.exists() {
            return;
        }
        // Written under a temporary name, so a reader never sees half a block.
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        let ok = (|| -> std::io::Result<()> {
            use std::io::Write;
            let mut f = std::fs::File::create(&tmp)?;
            for p in pieces {
                f.write_all(p)?;
            }
            std::fs::rename(&tmp, &path)
        })();
        if let Err(e) = ok {
            let _ = std::fs::remove_file(&tmp);
            eprintln!("pinata-emulator: cannot store a block: {e}");
        }
    }

    /// The directory holding the blocks.
    pub fn blocks_dir(&self) -> PathBuf {
        self.dir.join("blocks")
    }

    /// A block by binary CID.
    pub fn get(&self, cid: &[u8]) -> Option<Vec<u8>> {
        std::fs::read(self.path_of(cid)).ok()
    }

    /// Whether the block is stored.
    pub fn has(&self, cid: &[u8]) -> bool {
        self.path_of(cid).exists()
    }

    /// A sink for the oracle's builders that stores every block here.
    pub fn sink(self: &Arc<Self>) -> BlockSink {
        let me = self.clone();
        Arc::new(move |cid: &[u8], pieces: &[&[u8]]| me.put(cid, pieces))
    }

    /// Removes a temporary data directory (called on exit).
    pub fn cleanup(&self) {
        if self.temporary {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    /// Clears the gateway settings (`/__emulator/reset`); stored blocks stay.
    pub fn reset(&self) {
        *self.settings.lock().unwrap_or_else(|e| e.into_inner()) = GatewaySettings::default();
    }
}
