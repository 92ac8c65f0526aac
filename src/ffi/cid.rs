//! CIDS
//!
//! Local CID computation, exactly as `ipfs add` (kubo defaults) computes it: no
//! network, no client.

use super::error::pinata_error;
use super::{arg_bytes, arg_str, check_out, guard, owned_string, pinata_status, write_out};
use crate::cid::{cid_of_bytes, cid_of_path_parallel, Profile};
use crate::error::{Error, Result};
use std::ffi::c_char;

/// The body of both path functions: the CID of `path` on `threads` threads (1: the
/// streaming one-thread path) into `*cid_out`.
///
/// # Safety
/// As for the exported functions.
unsafe fn path_cid(
    path: *const c_char,
    cid_version: i32,
    threads: usize,
    cid_out: *mut *mut c_char,
) -> Result<()> {
    let path = arg_str(path, "path")?;
    let profile = profile(cid_version)?;
    check_out(cid_out, "cid_out")?;
    let node = cid_of_path_parallel(std::path::Path::new(path), profile, false, threads)?;
    write_out(cid_out, owned_string(&node.cid.to_string()));
    Ok(())
}

fn profile(cid_version: i32) -> Result<Profile> {
    Profile::from_cid_version(cid_version)
        .ok_or_else(|| Error::invalid_argument("`cid_version` must be 0 or 1"))
}

/// Computes the CID of a file, or of a directory recursively, exactly as `ipfs add`
/// (`-r` for a directory) with kubo's defaults: `cid_version` 0 gives CIDv0 with dag-pb
/// leaves, 1 gives CIDv1 with raw leaves (`--cid-version=1`). Reads the file system
/// only; memory stays bounded whatever the size. Directories follow the upload policy:
/// hidden files and empty directories are included; a symlink is followed only within
/// the root; a symlink leaving the root, a loop, or a special file gives `PINATA_E_IO`.
/// On success `*cid_out` receives the CID, freed with `pinata_string_free`.
#[no_mangle]
pub unsafe extern "C" fn pinata_cid_of_path(
    path: *const c_char,
    cid_version: i32,
    cid_out: *mut *mut c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || path_cid(path, cid_version, 1, cid_out))
}

/// Computes the CID of `len` bytes at `data` as `ipfs add` of a file with that content
/// (`cid_version` 0 or 1 as for `pinata_cid_of_path`). `(NULL, 0)` is the empty file.
/// On success `*cid_out` receives the CID, freed with `pinata_string_free`.
#[no_mangle]
pub unsafe extern "C" fn pinata_cid_of_bytes(
    data: *const u8,
    len: usize,
    cid_version: i32,
    cid_out: *mut *mut c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let data = arg_bytes(data, len, "data")?;
        let profile = profile(cid_version)?;
        check_out(cid_out, "cid_out")?;
        let node = cid_of_bytes(data, profile);
        write_out(cid_out, owned_string(&node.cid.to_string()));
        Ok(())
    })
}

/// Like `pinata_cid_of_path`, hashing the leaves of large files on `threads` threads (0:
/// one per core). The CID is identical to the one-thread result; memory stays bounded.
/// On success `*cid_out` receives the CID, freed with `pinata_string_free`.
#[no_mangle]
pub unsafe extern "C" fn pinata_cid_of_path_threads(
    path: *const c_char,
    cid_version: i32,
    threads: u32,
    cid_out: *mut *mut c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let threads = usize::try_from(threads).unwrap_or(usize::MAX);
        path_cid(path, cid_version, threads, cid_out)
    })
}
