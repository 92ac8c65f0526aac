//! V3 UPLOADS
//!
//! Upload a file (streamed from disk in constant memory), bytes or a JSON document to
//! the public or private network (`POST {upload host}/v3/files`) with
//! pinata_upload_options (network, name, keyvalues, group, CID version, car,
//! streamable, expiry, CID check, progress, cancel flag). An app that holds only a
//! signed upload URL (see pinata_sign_upload_url) uploads with
//! pinata_upload_file_signed / pinata_upload_bytes_signed and needs no credentials: the
//! URL is the credential and never appears in an error message.
//!
//! pinata_upload_file chooses its path: files above the resumable threshold (90 MiB
//! by default, as Pinata's SDK) go through TUS with an on-disk journal, so that the same
//! call made again after a cancel or a crash resumes (see RESUMABLE UPLOADS); smaller
//! ones go in one multipart `POST`. pinata_upload_options_set_upload_path forces either,
//! and the result says which ran and whether it resumed.

use crate::error::Result;
use crate::ffi::client::{pinata_cancel, pinata_client};
use crate::ffi::error::pinata_error;
use crate::ffi::legacy::pinning::pinata_progress_fn;
use crate::ffi::v3::files::{network_arg, pinata_file_row};
use crate::ffi::{
    arg_bytes, arg_mut, arg_opt_str, arg_ref, arg_str, borrowed, check_out, free_handle, guard,
    guard_value, guard_void, into_handle, new_handle, opt_ptr, pinata_status, read, to_cstring,
    write_out,
};
use crate::legacy::pinning::CidCheck;
use crate::transport::{CancelToken, Hooks};
use crate::v3::tus::{ChosenUpload, UploadChoice, UploadPath};
use crate::v3::upload::{UploadOptions, UploadResult};
use crate::Client;
use std::ffi::{c_char, c_void, CString};
use std::path::PathBuf;

c_table! {
    /// The paths of pinata_upload_file (pinata_upload_options_set_upload_path).
    static UPLOAD_PATHS: i32 => UploadPath {
        /// TUS above the resumable threshold, multipart at or below it (the default).
        PINATA_UPLOAD_PATH_AUTO = 0 => UploadPath::Auto,
        /// One multipart `POST /v3/files`, whatever the size.
        PINATA_UPLOAD_PATH_MULTIPART = 1 => UploadPath::Multipart,
        /// TUS with a journal (resumable), whatever the size.
        PINATA_UPLOAD_PATH_RESUMABLE = 2 => UploadPath::Resumable,
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
    fn call(&self, sent: u64, total: u64) -> bool {
        // SAFETY: the caller supplied a valid function and userdata.
        unsafe { (self.func)(sent, total, self.userdata) == 0 }
    }
}

/// Options of v3 uploads (the safe API's `UploadOptions`), the path choice of
/// pinata_upload_file (its `UploadChoice`: path, resumable threshold, journal directory,
/// TUS chunk size), the progress callback and cancel flag. One thread at a time; a call
/// only reads it.
pub struct pinata_upload_options {
    pub(crate) inner: UploadOptions,
    /// How pinata_upload_file chooses between multipart and TUS.
    pub(crate) choice: UploadChoice,
    progress: Option<ProgressCallback>,
    cancel: Option<CancelToken>,
}

impl pinata_upload_options {
    fn hooks(&self) -> Hooks {
        let progress = self.progress.map(|cb| {
            Box::new(move |sent: u64, total: u64| cb.call(sent, total))
                as Box<dyn FnMut(u64, u64) -> bool + Send>
        });
        Hooks {
            progress,
            cancel: self.cancel.iter().cloned().collect(),
        }
    }
}

/// Creates upload options with the defaults: PINATA_NETWORK_PRIVATE (the API's own
/// default), the file's name, no keyvalues, no group, the service's CID version (v1),
/// CID check on, no expiry, no progress, no cancel flag; PINATA_UPLOAD_PATH_AUTO with a
/// resumable threshold of 90 MiB, 16 MiB TUS chunks and the default journal directory
/// (`$XDG_CACHE_HOME/libpinata/tus`, else `~/.cache/libpinata/tus`).
///
/// @param options_out  on success, new options; free them with pinata_upload_options_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_options_new(
    options_out: *mut *mut pinata_upload_options,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    new_handle(options_out, "options_out", err_out, || {
        pinata_upload_options {
            inner: UploadOptions::default(),
            choice: UploadChoice::default(),
            progress: None,
            cancel: None,
        }
    })
}

/// Frees upload options. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_options_free(options: *mut pinata_upload_options) {
    guard_void(|| free_handle(options))
}

/// The network: PINATA_NETWORK_PUBLIC or PINATA_NETWORK_PRIVATE.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_options_set_network(
    options: *mut pinata_upload_options,
    network: i32,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let o = arg_mut(options, "options")?;
        o.inner.network = network_arg(network)?;
        Ok(())
    })
}

/// The file's name; NULL restores the default (the file name, `data.json` for JSON).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_options_set_name(
    options: *mut pinata_upload_options,
    name: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let o = arg_mut(options, "options")?;
        o.inner.metadata.name = arg_opt_str(name, "name")?.map(str::to_string);
        Ok(())
    })
}

/// Sets a string keyvalue. At most 10 distinct keys.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_options_set_keyvalue(
    options: *mut pinata_upload_options,
    key: *const c_char,
    value: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let o = arg_mut(options, "options")?;
        o.inner
            .metadata
            .set_string(arg_str(key, "key")?, arg_str(value, "value")?)
    })
}

/// Puts the file in a v3 group; NULL clears it.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_options_set_group_id(
    options: *mut pinata_upload_options,
    group_id: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let o = arg_mut(options, "options")?;
        o.inner.group_id = arg_opt_str(group_id, "group_id")?.map(str::to_string);
        Ok(())
    })
}

/// The CID version: 0, 1, or -1 for the service's default (v1).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_options_set_cid_version(
    options: *mut pinata_upload_options,
    cid_version: i32,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let o = arg_mut(options, "options")?;
        let v = match cid_version {
            -1 => None,
            v => Some(u8::try_from(v).map_err(|_| {
                crate::Error::invalid_argument("`cid_version` must be 0, 1 or -1 (service default)")
            })?),
        };
        o.inner.set_cid_version(v)
    })
}

/// Sends the file as a CARv1 to import (public network only). The file's CID is then
/// the CAR's single root: the CID check compares the service's CID with the root its
/// header names (PINATA_CID_VERIFIED, or `PINATA_E_INTEGRITY`), and the upload call
/// refuses data that is not a CARv1 with exactly one root (`PINATA_E_INVALID_ARGUMENT`,
/// nothing sent).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_options_set_car(
    options: *mut pinata_upload_options,
    car: bool,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        arg_mut(options, "options")?.inner.car = car;
        Ok(())
    })
}

/// Sends `streamable=true` (a flag of Pinata's SDK whose effect Pinata does not
/// document).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_options_set_streamable(
    options: *mut pinata_upload_options,
    streamable: bool,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        arg_mut(options, "options")?.inner.streamable = streamable;
        Ok(())
    })
}

/// The unix time (seconds, in the future) at which the service deletes the file; 0
/// clears it.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_options_set_expires_at(
    options: *mut pinata_upload_options,
    expires_at: i64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let o = arg_mut(options, "options")?;
        o.inner
            .set_expires_at((expires_at != 0).then_some(expires_at))
    })
}

/// Turns the CID check on (the default) or off: the CID of the bytes sent, computed
/// as they go out, against the row's `cid`, on both networks.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_options_set_verify_cid(
    options: *mut pinata_upload_options,
    verify: bool,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        arg_mut(options, "options")?.inner.verify_cid = verify;
        Ok(())
    })
}

/// Sets (or, with a NULL `callback`, clears) the progress callback. It runs on the
/// calling thread; a non-zero return cancels the upload (`PINATA_E_CANCELLED`).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_options_set_progress(
    options: *mut pinata_upload_options,
    callback: pinata_progress_fn,
    userdata: *mut c_void,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let o = arg_mut(options, "options")?;
        o.progress = callback.map(|func| ProgressCallback { func, userdata });
        Ok(())
    })
}

/// Attaches a cancel flag (or detaches it, with NULL); the options keep their own
/// reference to it.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_options_set_cancel(
    options: *mut pinata_upload_options,
    cancel: *const pinata_cancel,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let o = arg_mut(options, "options")?;
        o.cancel = cancel.as_ref().map(|c| c.token.clone());
        Ok(())
    })
}

/// How pinata_upload_file sends the file: PINATA_UPLOAD_PATH_AUTO (the default: TUS
/// above the resumable threshold, multipart at or below it), PINATA_UPLOAD_PATH_MULTIPART
/// or PINATA_UPLOAD_PATH_RESUMABLE. CAR, streamable and expiring uploads have no TUS
/// form: AUTO sends them as multipart and RESUMABLE refuses them
/// (`PINATA_E_INVALID_ARGUMENT`). Bytes, JSON and signed uploads are always multipart.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_options_set_upload_path(
    options: *mut pinata_upload_options,
    path: i32,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let o = arg_mut(options, "options")?;
        o.choice.path = UPLOAD_PATHS.arg(path, "path", "PINATA_UPLOAD_PATH_*")?;
        Ok(())
    })
}

/// Files larger than `threshold` bytes go through TUS on PINATA_UPLOAD_PATH_AUTO
/// (default 90 MiB, as Pinata's SDK; 0 sends every non-empty file through TUS).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_options_set_resumable_threshold(
    options: *mut pinata_upload_options,
    threshold: u64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        arg_mut(options, "options")?.choice.threshold = threshold;
        Ok(())
    })
}

/// Where the journals of TUS uploads live; the directory must exist and be writable
/// (the upload fails with `PINATA_E_IO` otherwise, before anything is sent). NULL
/// restores the default, which is created when missing. While an upload runs its
/// journal entry is locked: a second upload of the same file to the same place, from
/// this process or another, fails at once with `PINATA_E_IO`.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_options_set_journal_dir(
    options: *mut pinata_upload_options,
    dir: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let o = arg_mut(options, "options")?;
        o.choice.resumable.journal_dir = arg_opt_str(dir, "dir")?.map(PathBuf::from);
        Ok(())
    })
}

/// Bytes per TUS `PATCH` (default 16 MiB, at least 64 KiB). Memory does not grow with
/// it; a crash makes the next call send at most one chunk again.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_options_set_resumable_chunk_size(
    options: *mut pinata_upload_options,
    chunk_size: u64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let o = arg_mut(options, "options")?;
        if chunk_size < crate::v3::tus::MIN_CHUNK_SIZE {
            return Err(crate::Error::invalid_argument(format!(
                "`chunk_size` must be at least {} bytes",
                crate::v3::tus::MIN_CHUNK_SIZE
            )));
        }
        o.choice.resumable.chunk_size = chunk_size;
        Ok(())
    })
}

/// The answer to a v3 upload: the file row, the locally computed CID, the check's
/// outcome and the raw JSON. One thread at a time.
pub struct pinata_upload_result {
    file: pinata_file_row,
    local_cid: Option<CString>,
    check: CidCheck,
    raw_json: CString,
    path: UploadPath,
    resumed: bool,
    resumed_from: u64,
    restarted: Option<CString>,
}

/// A multipart upload's result, as the path choice reports it.
fn multipart(r: UploadResult) -> ChosenUpload {
    ChosenUpload {
        result: r,
        path: UploadPath::Multipart,
        resumed_from: 0,
        resumed: false,
        restarted: None,
    }
}

fn upload(
    options: *const pinata_upload_options,
    result_out: *mut *mut pinata_upload_result,
    run: impl FnOnce(&UploadOptions, &UploadChoice, &mut Hooks) -> Result<ChosenUpload>,
) -> Result<()> {
    check_out(result_out, "result_out")?;
    let default = UploadOptions::default();
    let default_choice = UploadChoice::default();
    // SAFETY: the caller passes NULL or a live options handle.
    let (opts, choice, mut hooks) = match unsafe { options.as_ref() } {
        Some(o) => (&o.inner, &o.choice, o.hooks()),
        None => (&default, &default_choice, Hooks::default()),
    };
    let handle = pinata_upload_result::new(run(opts, choice, &mut hooks)?);
    // SAFETY: checked non-NULL above.
    unsafe { write_out(result_out, into_handle(handle)) };
    Ok(())
}

impl pinata_upload_result {
    /// The C result of an upload and the path it took (a single upload's, or a batch
    /// file's).
    pub(crate) fn new(chosen: ChosenUpload) -> pinata_upload_result {
        let r = chosen.result;
        pinata_upload_result {
            local_cid: r.local_cid.as_deref().map(to_cstring),
            check: r.check,
            raw_json: to_cstring(&r.raw_json),
            file: pinata_file_row::new(r.file),
            path: chosen.path,
            resumed: chosen.resumed,
            resumed_from: chosen.resumed_from,
            restarted: chosen.restarted.as_deref().map(to_cstring),
        }
    }
}

/// Uploads one regular file, streamed from disk in constant memory: above the resumable
/// threshold (pinata_upload_options_set_resumable_threshold, 90 MiB by default) with
/// TUS on `{upload host}/v3/files` and a journal, so that the same call made again
/// after a cancel, a crash or a reboot resumes where the server stopped (as
/// pinata_upload_resumable does); otherwise in one multipart `POST {upload host}/v3/files`
/// (pinata_upload_options_set_upload_path forces either). pinata_upload_result_path
/// tells which ran, pinata_upload_result_resumed and _resumed_from whether and where it
/// resumed. A directory, FIFO or device is `PINATA_E_IO` (v3 uploads take one file; pin
/// directories with pinata_pin_file); so is a second upload of a file whose TUS upload
/// is running. A CID mismatch is `PINATA_E_INTEGRITY`.
///
/// @param options     NULL for the defaults; read during the call only.
/// @param result_out  on success, a new result; free it with pinata_upload_result_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_file(
    client: *const pinata_client,
    path: *const c_char,
    options: *const pinata_upload_options,
    result_out: *mut *mut pinata_upload_result,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let path = arg_str(path, "path")?;
        upload(options, result_out, |o, choice, h| {
            client
                .inner
                .upload_file_chosen(std::path::Path::new(path), o, choice, h)
        })
    })
}

/// Uploads `len` bytes at `data` as a file named `file_name` (no '/').
///
/// @param result_out  on success, a new result; free it with pinata_upload_result_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_bytes(
    client: *const pinata_client,
    data: *const u8,
    len: usize,
    file_name: *const c_char,
    options: *const pinata_upload_options,
    result_out: *mut *mut pinata_upload_result,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let data = arg_bytes(data, len, "data")?;
        let name = arg_str(file_name, "file_name")?;
        upload(options, result_out, |o, _, h| {
            client.inner.upload_bytes(data, name, o, h).map(multipart)
        })
    })
}

/// Uploads a JSON document as `data.json`, byte for byte as given (its CID is that of
/// these bytes). Invalid JSON is `PINATA_E_INVALID_ARGUMENT`, nothing sent.
///
/// @param result_out  on success, a new result; free it with pinata_upload_result_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_json(
    client: *const pinata_client,
    json: *const c_char,
    options: *const pinata_upload_options,
    result_out: *mut *mut pinata_upload_result,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let json = arg_str(json, "json")?;
        upload(options, result_out, |o, _, h| {
            client.inner.upload_json(json, o, h).map(multipart)
        })
    })
}

/// Creates a client WITHOUT credentials, for an app that holds only signed upload URLs:
/// pass it to pinata_upload_file_signed / pinata_upload_bytes_signed so that its
/// transport settings (CA bundle, proxy, timeouts, retries, HTTP version, set with the
/// usual pinata_client_set_* calls) apply. Calls that need credentials are refused by
/// the service (`PINATA_E_UNAUTHORIZED`).
///
/// @param client_out  on success, a new client; free it with pinata_client_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_client_new_anonymous(
    client_out: *mut *mut pinata_client,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        check_out(client_out, "client_out")?;
        let handle = pinata_client {
            inner: Client::without_credentials(),
        };
        // SAFETY: checked non-NULL above.
        unsafe { write_out(client_out, into_handle(handle)) };
        Ok(())
    })
}

/// The client a signed upload uses: the caller's (for its timeouts, CA bundle and
/// proxy; its credentials are never sent) or, for NULL, a default one.
fn signed_client(client: *const pinata_client, owned: &mut Option<Client>) -> &Client {
    // SAFETY: the caller passes NULL or a live client.
    match unsafe { client.as_ref() } {
        Some(c) => &c.inner,
        None => owned.insert(Client::without_credentials()),
    }
}

/// Uploads one file through a signed upload URL, with NO credentials: `client` may be
/// NULL (default settings); a client's transport settings (CA bundle, proxy, timeouts,
/// retries, HTTP version) are used and its credentials are never sent (an app without
/// any makes one with pinata_client_new_anonymous). The URL's own
/// settings (network, name, group, keyvalues, limits) apply on the service. An expired
/// URL is `PINATA_E_FORBIDDEN`; a file over its size limit or of a refused MIME type
/// `PINATA_E_BAD_REQUEST`. The URL never appears in an error message.
///
/// @param result_out  on success, a new result; free it with pinata_upload_result_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_file_signed(
    client: *const pinata_client,
    signed_url: *const c_char,
    path: *const c_char,
    options: *const pinata_upload_options,
    result_out: *mut *mut pinata_upload_result,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let url = arg_str(signed_url, "signed_url")?;
        let path = arg_str(path, "path")?;
        let mut owned = None;
        let c = signed_client(client, &mut owned);
        upload(options, result_out, |o, _, h| {
            c.upload_file_signed(url, std::path::Path::new(path), o, h)
                .map(multipart)
        })
    })
}

/// pinata_upload_bytes through a signed upload URL, with no credentials (`client` may
/// be NULL); as pinata_upload_file_signed.
///
/// @param result_out  on success, a new result; free it with pinata_upload_result_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_bytes_signed(
    client: *const pinata_client,
    signed_url: *const c_char,
    data: *const u8,
    len: usize,
    file_name: *const c_char,
    options: *const pinata_upload_options,
    result_out: *mut *mut pinata_upload_result,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let url = arg_str(signed_url, "signed_url")?;
        let data = arg_bytes(data, len, "data")?;
        let name = arg_str(file_name, "file_name")?;
        let mut owned = None;
        let c = signed_client(client, &mut owned);
        upload(options, result_out, |o, _, h| {
            c.upload_bytes_signed(url, data, name, o, h).map(multipart)
        })
    })
}

/// The uploaded file's row (borrowed from the result; NULL for NULL).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_result_file(
    result: *const pinata_upload_result,
) -> *const pinata_file_row {
    guard_value(std::ptr::null(), || {
        result
            .as_ref()
            .map_or(std::ptr::null(), |r| &r.file as *const pinata_file_row)
    })
}

/// The uploaded file's CID (borrowed; shorthand for the row's CID).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_result_cid(
    result: *const pinata_upload_result,
) -> *const c_char {
    borrowed(result, |r| r.file.cid_ptr())
}

/// The CID computed locally from the bytes sent (borrowed; NULL when the check did
/// not run).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_result_local_cid(
    result: *const pinata_upload_result,
) -> *const c_char {
    borrowed(result, |r| opt_ptr(&r.local_cid))
}

/// The CID check's outcome: PINATA_CID_NOT_CHECKED, PINATA_CID_VERIFIED or
/// PINATA_CID_UNVERIFIABLE (a mismatch fails the upload instead).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_result_cid_check(
    result: *const pinata_upload_result,
) -> i32 {
    guard_value(0, || {
        result.as_ref().map_or(0, |r| {
            crate::ffi::legacy::pinning::CID_CHECKS
                .value_of(r.check)
                .unwrap_or(0)
        })
    })
}

/// The whole JSON answer (borrowed).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_result_raw_json(
    result: *const pinata_upload_result,
) -> *const c_char {
    borrowed(result, |r| r.raw_json.as_ptr())
}

/// The path the upload took: PINATA_UPLOAD_PATH_MULTIPART or
/// PINATA_UPLOAD_PATH_RESUMABLE (TUS); PINATA_UPLOAD_PATH_AUTO (0) for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_result_path(result: *const pinata_upload_result) -> i32 {
    read(result, 0, |r| UPLOAD_PATHS.value_of(r.path).unwrap_or(0))
}

/// Whether a TUS upload resumed an upload its journal described (false for a fresh
/// upload, a restart, multipart, and NULL).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_result_resumed(result: *const pinata_upload_result) -> bool {
    read(result, false, |r| r.resumed)
}

/// The offset a TUS upload resumed from: the bytes the server already had (0 for a fresh
/// upload, a restart, multipart, and NULL).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_result_resumed_from(
    result: *const pinata_upload_result,
) -> u64 {
    read(result, 0, |r| r.resumed_from)
}

/// Why a TUS upload found a journal but started over (the file changed, the server no
/// longer had the upload, the journal was corrupt); NULL when it did not, and for
/// multipart. Borrowed: valid until the result is freed.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_result_restart_reason(
    result: *const pinata_upload_result,
) -> *const c_char {
    borrowed(result, |r| opt_ptr(&r.restarted))
}

/// Frees an upload result and its row. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_result_free(result: *mut pinata_upload_result) {
    guard_void(|| free_handle(result))
}
