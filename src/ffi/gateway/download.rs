//! VERIFIED DOWNLOADS
//!
//! Download a CID (a file or a directory tree) from an IPFS gateway with every byte
//! checked against its hash: a trustless CAR first, raw blocks one by one when the
//! gateway serves no CAR, plain bytes with the CID recomputed as the last resort.
//! Content is written under a temporary name beside the destination and renamed onto
//! it only when complete and verified; on failure nothing is left (a lie is
//! `PINATA_E_INTEGRITY`, naming the block). pinata_client_set_gateway chooses the
//! gateway (default https://gateway.pinata.cloud) and its access token.

use crate::error::Result;
use crate::ffi::client::{pinata_cancel, pinata_client};
use crate::ffi::error::pinata_error;
use crate::ffi::legacy::pinning::pinata_progress_fn;
use crate::ffi::{
    arg_mut, arg_opt_str, arg_ref, arg_str, check_out, free_handle, guard, guard_value, guard_void,
    into_handle, new_handle, pinata_status, read, write_out,
};
use crate::gateway::{Download, DownloadOptions, Method, Verified};
use crate::transport::{CancelToken, Hooks};
use std::ffi::{c_char, c_void};
use std::path::Path;

c_table! {
    /// How a download fetches (`pinata_download_options_set_method`,
    /// `pinata_download_result_method`).
    static METHODS: i32 => Method {
        /// A CAR, else raw blocks, else plain bytes (the default). As a result: nothing
        /// was fetched (an identity CID carries its own bytes).
        PINATA_DOWNLOAD_AUTO = 0 => Method::Auto,
        /// Only a trustless CAR (`application/vnd.ipld.car`).
        PINATA_DOWNLOAD_CAR = 1 => Method::Car,
        /// Only raw blocks (`application/vnd.ipld.raw`), one request per block.
        PINATA_DOWNLOAD_RAW = 2 => Method::Raw,
        /// Only plain bytes, the CID recomputed from them (files only).
        PINATA_DOWNLOAD_PLAIN = 3 => Method::Plain,
    }
}

c_table! {
    /// How downloaded content was checked (`pinata_download_result_verified`).
    static VERIFICATIONS: i32 => Verified {
        /// Every block's hash was checked against its CID.
        PINATA_DOWNLOAD_VERIFIED_BLOCKS = 1 => Verified::Blocks,
        /// Plain bytes whose recomputed CID equals the requested one.
        PINATA_DOWNLOAD_VERIFIED_RECOMPUTED = 2 => Verified::Recomputed,
        /// Plain bytes no import profile could check, kept because
        /// `pinata_download_options_set_accept_unverifiable` allowed it.
        PINATA_DOWNLOAD_UNVERIFIABLE = 3 => Verified::Unverifiable,
    }
}

#[derive(Clone, Copy)]
struct ProgressCallback {
    func: unsafe extern "C" fn(u64, u64, *mut c_void) -> i32,
    userdata: *mut c_void,
}

// SAFETY: the callback runs only on the thread that made the call, for the call's
// duration, as the header documents; the pointer is never dereferenced by us.
unsafe impl Send for ProgressCallback {}

impl ProgressCallback {
    /// Calls back; `true` to continue.
    fn call(&self, got: u64, total: u64) -> bool {
        // SAFETY: the caller supplied a valid function and userdata.
        unsafe { (self.func)(got, total, self.userdata) == 0 }
    }
}

/// Options of a download: method, whether unverifiable plain bytes are kept, the spill
/// limit for early blocks, caps on the content's bytes and entries, and the progress
/// callback and cancel flag. One thread at a time; a call only reads it.
pub struct pinata_download_options {
    inner: DownloadOptions,
    progress: Option<ProgressCallback>,
    cancel: Option<CancelToken>,
}

fn hooks(options: Option<&pinata_download_options>) -> (DownloadOptions, Hooks) {
    let Some(o) = options else {
        return (DownloadOptions::default(), Hooks::default());
    };
    let progress = o.progress.map(|cb| {
        Box::new(move |got: u64, total: u64| cb.call(got, total))
            as Box<dyn FnMut(u64, u64) -> bool + Send>
    });
    (
        o.inner.clone(),
        Hooks {
            progress,
            cancel: o.cancel.iter().cloned().collect(),
        },
    )
}

/// Creates download options with the defaults: `PINATA_DOWNLOAD_AUTO`, unverifiable
/// content refused, 1 GiB of spill space, no cap on the content's bytes or entries, no
/// progress, no cancel flag.
///
/// @param options_out  on success, new options; free them with pinata_download_options_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_download_options_new(
    options_out: *mut *mut pinata_download_options,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    new_handle(options_out, "options_out", err_out, || {
        pinata_download_options {
            inner: DownloadOptions::default(),
            progress: None,
            cancel: None,
        }
    })
}

/// Frees download options. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_download_options_free(options: *mut pinata_download_options) {
    guard_void(|| free_handle(options))
}

/// Chooses how to fetch: one of the `PINATA_DOWNLOAD_*` methods.
#[no_mangle]
pub unsafe extern "C" fn pinata_download_options_set_method(
    options: *mut pinata_download_options,
    method: i32,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let options = arg_mut(options, "options")?;
        options.inner.method = METHODS.arg(method, "method", "PINATA_DOWNLOAD_*")?;
        Ok(())
    })
}

/// Whether plain bytes that no import profile can check are kept (default false: the
/// download fails with `PINATA_E_INTEGRITY` and nothing is kept). The result says
/// `PINATA_DOWNLOAD_UNVERIFIABLE` when they were kept.
#[no_mangle]
pub unsafe extern "C" fn pinata_download_options_set_accept_unverifiable(
    options: *mut pinata_download_options,
    accept: bool,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        arg_mut(options, "options")?.inner.accept_unverifiable = accept;
        Ok(())
    })
}

/// Disk space for blocks kept for later (default 1 GiB): blocks a gateway sends before
/// the blocks that reference them, and the DAG's inner nodes and directories, which it
/// may name again (a small fraction of a file's size). Each counts 256 bytes more, for
/// its place in an index held in memory, so the limit bounds that memory too (to half
/// of it). They go to one unlinked temporary file beside the destination (in the
/// system's temporary directory for pinata_download_cid_to_memory). Beyond the limit the
/// download fails with `PINATA_E_PROTOCOL`.
#[no_mangle]
pub unsafe extern "C" fn pinata_download_options_set_max_spill(
    options: *mut pinata_download_options,
    bytes: u64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        arg_mut(options, "options")?.inner.max_spill_bytes = bytes;
        Ok(())
    })
}

/// Caps the content a download writes at `bytes`, all files together; 0 removes the
/// cap (the default). Every block is verified, but a few kilobytes of blocks can
/// describe terabytes of real content, so set a cap when the CID comes from someone
/// you do not trust. A file whose verified root block states a size that would take the
/// content past the cap is refused before any of its bytes is written; otherwise the
/// download stops at the byte past the cap.
/// Either way it fails with `PINATA_E_PROTOCOL` and leaves nothing at the destination.
/// pinata_download_cid_to_memory keeps to the smaller of this and its `max_bytes`.
#[no_mangle]
pub unsafe extern "C" fn pinata_download_options_set_max_bytes(
    options: *mut pinata_download_options,
    bytes: u64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        arg_mut(options, "options")?.inner.max_bytes = (bytes != 0).then_some(bytes);
        Ok(())
    })
}

/// Caps the files and directories a download makes at `entries`, the destination
/// itself counted (a file CID makes one); 0 removes the cap (the default). A directory
/// DAG that names one subdirectory many times makes every copy, so a small DAG can
/// describe millions of entries. Past the cap the download fails with
/// `PINATA_E_PROTOCOL` and leaves nothing at the destination.
#[no_mangle]
pub unsafe extern "C" fn pinata_download_options_set_max_entries(
    options: *mut pinata_download_options,
    entries: u64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        arg_mut(options, "options")?.inner.max_entries = (entries != 0).then_some(entries);
        Ok(())
    })
}

/// Sets (or, with a NULL `callback`, clears) the progress callback: `sent` bytes of
/// `total`, or of 0 while the total is unknown. The total is the gateway's
/// `Content-Length` when a CAR or plain answer has one (`sent` then counts bytes
/// received); otherwise, for a file, its UnixFS size as soon as the verified root block
/// states it (`sent` then counts verified content bytes written; raw blocks always
/// report so); a directory states no size. The last report of a finished download is
/// (bytes, bytes). Non-zero cancels (`PINATA_E_CANCELLED`). Runs on the calling thread.
#[no_mangle]
pub unsafe extern "C" fn pinata_download_options_set_progress(
    options: *mut pinata_download_options,
    callback: pinata_progress_fn,
    userdata: *mut c_void,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let options = arg_mut(options, "options")?;
        options.progress = callback.map(|func| ProgressCallback { func, userdata });
        Ok(())
    })
}

/// Attaches a cancel flag (or detaches it, with NULL); raising it from any thread stops
/// the download with `PINATA_E_CANCELLED`, leaving nothing at the destination.
#[no_mangle]
pub unsafe extern "C" fn pinata_download_options_set_cancel(
    options: *mut pinata_download_options,
    cancel: *const pinata_cancel,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let options = arg_mut(options, "options")?;
        options.cancel = cancel.as_ref().map(|c| c.token.clone());
        Ok(())
    })
}

/// Sets the gateway downloads use: a domain (`example.mypinata.cloud`, meaning https)
/// or a base URL (`https://host`; `http://` only to a loopback host), and the dedicated
/// gateway's access token (`pinataGatewayToken`), or NULL for none. The token is sent
/// as the `x-pinata-gateway-token` header, never appears in messages, and is wiped when
/// the client is freed.
#[no_mangle]
pub unsafe extern "C" fn pinata_client_set_gateway(
    client: *mut pinata_client,
    gateway: *const c_char,
    token: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_mut(client, "client")?;
        let gateway = arg_str(gateway, "gateway")?;
        let token = arg_opt_str(token, "token")?;
        client.inner.set_gateway(gateway, token)
    })
}

/// What a download did, and for the in-memory form, the bytes.
pub struct pinata_download_result {
    inner: Download,
    /// The content of an in-memory download; `None` for a download to a path.
    data: Option<Vec<u8>>,
}

fn finish(
    result_out: *mut *mut pinata_download_result,
    r: Result<(Option<Vec<u8>>, Download)>,
) -> Result<()> {
    let (data, inner) = r?;
    if !result_out.is_null() {
        // SAFETY: non-NULL, writable by the caller's contract.
        unsafe {
            write_out(
                result_out,
                into_handle(pinata_download_result { inner, data }),
            )
        };
    }
    Ok(())
}

/// Downloads `cid` from the client's gateway to `dest_path`, verified. A file CID
/// becomes a file, a directory CID a directory tree. `dest_path`'s parent must exist; an
/// existing file there is replaced (an existing directory is not: `PINATA_E_IO`).
/// `options` may be NULL; `result_out` may be NULL.
///
/// Statuses: `PINATA_E_INVALID_ARGUMENT` (bad CID, a hash other than sha2-256 or
/// identity, a codec other than dag-pb or raw), `PINATA_E_INTEGRITY` (a block that does
/// not hash to its CID, a missing block, plain bytes that do not match), the gateway's
/// HTTP errors, `PINATA_E_PROTOCOL` (a malformed or truncated CAR, unsafe entry names, a
/// DAG that names its blocks again and again without adding content, content past a cap
/// set with pinata_download_options_set_max_bytes or
/// pinata_download_options_set_max_entries), `PINATA_E_IO`, `PINATA_E_CANCELLED`. In
/// every failure, nothing is left at `dest_path`.
///
/// @param result_out  on success (when not NULL), a new result; free it with
///                    pinata_download_result_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_download_cid(
    client: *const pinata_client,
    cid: *const c_char,
    dest_path: *const c_char,
    options: *const pinata_download_options,
    result_out: *mut *mut pinata_download_result,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let cid = arg_str(cid, "cid")?;
        let dest = arg_str(dest_path, "dest_path")?;
        let (opts, hooks) = hooks(options.as_ref());
        let r = client
            .inner
            .download_cid(cid, Path::new(dest), &opts, hooks)
            .map(|d| (None, d));
        finish(result_out, r)
    })
}

/// Downloads a file's `cid` into memory, verified; read the bytes with
/// pinata_download_result_data. Content larger than `max_bytes` fails with
/// `PINATA_E_PROTOCOL` (at most `max_bytes` are ever held); a directory CID with
/// `PINATA_E_INVALID_ARGUMENT`. `options` may be NULL.
///
/// @param result_out  on success, a new result holding the bytes; free it with
///                    pinata_download_result_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_download_cid_to_memory(
    client: *const pinata_client,
    cid: *const c_char,
    max_bytes: u64,
    options: *const pinata_download_options,
    result_out: *mut *mut pinata_download_result,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let cid = arg_str(cid, "cid")?;
        check_out(result_out, "result_out")?;
        let (opts, hooks) = hooks(options.as_ref());
        let r = client
            .inner
            .download_cid_bytes(cid, max_bytes, &opts, hooks)
            .map(|(b, d)| (Some(b), d));
        finish(result_out, r)
    })
}

/// Downloads from a full `url` (a private file's download link, a signed gateway URL)
/// to `dest_path`, verified against `cid`. The URL is requested as given (the CAR is
/// asked for with the `Accept` header only, so a signature stays valid) and never
/// appears in messages; raw-block fallback needs a gateway and is skipped. The client's
/// gateway token is not sent. Otherwise as pinata_download_cid.
///
/// @param result_out  on success (when not NULL), a new result; free it with
///                    pinata_download_result_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_download_url(
    client: *const pinata_client,
    url: *const c_char,
    cid: *const c_char,
    dest_path: *const c_char,
    options: *const pinata_download_options,
    result_out: *mut *mut pinata_download_result,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let url = arg_str(url, "url")?;
        let cid = arg_str(cid, "cid")?;
        let dest = arg_str(dest_path, "dest_path")?;
        let (opts, hooks) = hooks(options.as_ref());
        let r = client
            .inner
            .download_url(url, cid, Path::new(dest), &opts, hooks)
            .map(|d| (None, d));
        finish(result_out, r)
    })
}

/// Content bytes written (all files); 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_download_result_bytes(
    result: *const pinata_download_result,
) -> u64 {
    read(result, 0, |r| r.inner.bytes)
}

/// Files written; 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_download_result_files(
    result: *const pinata_download_result,
) -> u64 {
    read(result, 0, |r| r.inner.files)
}

/// Blocks received and verified (0 for plain bytes, and for NULL).
#[no_mangle]
pub unsafe extern "C" fn pinata_download_result_blocks(
    result: *const pinata_download_result,
) -> u64 {
    read(result, 0, |r| r.inner.blocks)
}

/// Whether the CID was a directory; false for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_download_result_is_dir(
    result: *const pinata_download_result,
) -> bool {
    read(result, false, |r| r.inner.is_dir)
}

/// The method that delivered the content (`PINATA_DOWNLOAD_CAR`, `_RAW`, `_PLAIN`, or
/// `_AUTO` when nothing was fetched); `PINATA_DOWNLOAD_AUTO` for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_download_result_method(
    result: *const pinata_download_result,
) -> i32 {
    read(result, PINATA_DOWNLOAD_AUTO, |r| {
        METHODS
            .value_of(r.inner.method)
            .unwrap_or(PINATA_DOWNLOAD_AUTO)
    })
}

/// How the content was checked: `PINATA_DOWNLOAD_VERIFIED_BLOCKS`, `_RECOMPUTED` or
/// `PINATA_DOWNLOAD_UNVERIFIABLE`; 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_download_result_verified(
    result: *const pinata_download_result,
) -> i32 {
    read(result, 0, |r| {
        VERIFICATIONS.value_of(r.inner.verified).unwrap_or(0)
    })
}

/// The bytes of an in-memory download (pinata_download_cid_to_memory), borrowed: valid
/// until pinata_download_result_free. `*len_out` gets their length. NULL (and length 0)
/// for a download to a path, and for a NULL result. `len_out` may be NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_download_result_data(
    result: *const pinata_download_result,
    len_out: *mut usize,
) -> *const u8 {
    guard_value(std::ptr::null(), || {
        // An empty in-memory file gives a valid, non-NULL pointer and length 0.
        let (ptr, len) = match result.as_ref().and_then(|r| r.data.as_ref()) {
            Some(d) => (d.as_ptr(), d.len()),
            None => (std::ptr::null(), 0),
        };
        if !len_out.is_null() {
            *len_out = len;
        }
        ptr
    })
}

/// Frees a download result. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_download_result_free(result: *mut pinata_download_result) {
    guard_void(|| free_handle(result))
}
