//! Shared helpers for the CID integration tests: kubo's deterministic
//! ChaCha20 generator (kubo `test/cli/testutils/random_deterministic.go`) and
//! a self-deleting temporary directory.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

/// kubo's `DeterministicRandomReaderBytes(size, seed)`: the ChaCha20
/// (RFC 8439: 12-byte zero nonce, block counter from 0) keystream keyed by
/// SHA-256 of the seed. Hand-written (plain `u32` arithmetic) because it is
/// several times faster than the `chacha20` crate in unoptimized test builds.
pub struct KuboRandom {
    state: [u32; 16],
    block: [u8; 64],
    used: usize,
}

impl KuboRandom {
    /// A generator for `seed`.
    pub fn new(seed: &str) -> Self {
        let key: [u8; 32] = Sha256::digest(seed.as_bytes()).into();
        Self::with_key(&key, &[0u8; 12], 0)
    }

    /// A raw ChaCha20 keystream (RFC 8439 layout).
    pub fn with_key(key: &[u8; 32], nonce: &[u8; 12], counter: u32) -> Self {
        let mut state = [0u32; 16];
        state[..4].copy_from_slice(&[0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574]);
        for i in 0..8 {
            state[4 + i] = u32::from_le_bytes(key[4 * i..4 * i + 4].try_into().unwrap());
        }
        state[12] = counter;
        for i in 0..3 {
            state[13 + i] = u32::from_le_bytes(nonce[4 * i..4 * i + 4].try_into().unwrap());
        }
        KuboRandom {
            state,
            block: [0; 64],
            used: 64,
        }
    }

    fn refill(&mut self) {
        let mut x = self.state;
        #[inline(always)]
        fn qr(x: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
            x[a] = x[a].wrapping_add(x[b]);
            x[d] = (x[d] ^ x[a]).rotate_left(16);
            x[c] = x[c].wrapping_add(x[d]);
            x[b] = (x[b] ^ x[c]).rotate_left(12);
            x[a] = x[a].wrapping_add(x[b]);
            x[d] = (x[d] ^ x[a]).rotate_left(8);
            x[c] = x[c].wrapping_add(x[d]);
            x[b] = (x[b] ^ x[c]).rotate_left(7);
        }
        for _ in 0..10 {
            qr(&mut x, 0, 4, 8, 12);
            qr(&mut x, 1, 5, 9, 13);
            qr(&mut x, 2, 6, 10, 14);
            qr(&mut x, 3, 7, 11, 15);
            qr(&mut x, 0, 5, 10, 15);
            qr(&mut x, 1, 6, 11, 12);
            qr(&mut x, 2, 7, 8, 13);
            qr(&mut x, 3, 4, 9, 14);
        }
        for (i, (w, s)) in x.iter().zip(self.state.iter()).enumerate() {
            self.block[4 * i..4 * i + 4].copy_from_slice(&w.wrapping_add(*s).to_le_bytes());
        }
        self.state[12] = self.state[12].wrapping_add(1);
        self.used = 0;
    }

    /// Fills `buf` with the next keystream bytes.
    pub fn fill(&mut self, buf: &mut [u8]) {
        let mut off = 0;
        while off < buf.len() {
            if self.used == 64 {
                self.refill();
            }
            let n = (64 - self.used).min(buf.len() - off);
            buf[off..off + n].copy_from_slice(&self.block[self.used..self.used + n]);
            self.used += n;
            off += n;
        }
    }
}

/// The first `len` bytes of the stream for `seed`.
pub fn kubo_random_bytes(seed: &str, len: usize) -> Vec<u8> {
    let mut v = vec![0u8; len];
    KuboRandom::new(seed).fill(&mut v);
    v
}

/// Calls `f` with the `len` bytes of the stream for `seed`, in 1 MiB pieces.
pub fn feed_kubo_random(seed: &str, len: u64, mut f: impl FnMut(&[u8])) {
    let mut r = KuboRandom::new(seed);
    let mut buf = vec![0u8; 1 << 20];
    let mut left = len;
    while left > 0 {
        let n = left.min(buf.len() as u64) as usize;
        r.fill(&mut buf[..n]);
        f(&buf[..n]);
        left -= n as u64;
    }
}

/// kubo `testutils.AlphabetEasy` (39 runes; `0` appears twice).
pub const ALPHABET_EASY: &[u8] = b"abcdefghijklmnopqrstuvwxyz01234567890-_";

/// kubo `createDeterministicFiles` names: `count` names, all `name_len`
/// characters except the last (`last_len`), from the ChaCha stream of `seed`
/// mapped onto `AlphabetEasy` by byte mod 39.
pub fn kubo_names(seed: &str, count: usize, name_len: usize, last_len: usize) -> Vec<String> {
    let mut r = KuboRandom::new(seed);
    (0..count)
        .map(|i| {
            let len = if i + 1 == count { last_len } else { name_len };
            let mut buf = vec![0u8; len];
            r.fill(&mut buf);
            buf.iter()
                .map(|b| ALPHABET_EASY[*b as usize % ALPHABET_EASY.len()] as char)
                .collect()
        })
        .collect()
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A temporary directory removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates a fresh directory under the system temp dir.
    pub fn new(tag: &str) -> Self {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let p = std::env::temp_dir().join(format!(
            "pinata-cid-{tag}-{}-{n}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0)
        ));
        std::fs::create_dir_all(&p).expect("create temp dir");
        TempDir(p)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `data` to `rel` (creating parents) and returns the full path.
    pub fn write(&self, rel: &str, data: &[u8]) -> PathBuf {
        let p = self.0.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create parent");
        }
        std::fs::write(&p, data).expect("write file");
        p
    }

    /// Creates the directory `rel` (and parents).
    pub fn mkdir(&self, rel: &str) -> PathBuf {
        let p = self.0.join(rel);
        std::fs::create_dir_all(&p).expect("mkdir");
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
