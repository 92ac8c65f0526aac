//! UPLOADS AND PINNING
//!
//! Pin a file or directory (streamed from disk), bytes or JSON with pinata_pin_options
//! (metadata, CID version, group, CID check, progress, cancel flag); pin an existing
//! CID and follow its jobs; update a pin's metadata; unpin. Owned results
//! (pinata_pin_result, pinata_pin_job) are the caller's; pinata_pin_job_info is
//! always borrowed, from a job or from a job list.

use crate::cid::Profile;
use crate::error::{Error, Result};
use crate::ffi::call::{pinata_call, take_outcome, AnyCall};
use crate::ffi::client::{pinata_cancel, pinata_client};
use crate::ffi::error::pinata_error;
use crate::ffi::{
    arg_bytes, arg_mut, arg_opt_str, arg_ref, arg_str, borrowed, check_out, free_handle, guard,
    guard_value, guard_void, into_handle, new_handle, opt_ptr, pinata_status, read, to_cstring,
    write_out, Rows,
};
use crate::legacy::pinning::{CidCheck, Metadata, PinJob, PinJobQuery, PinOptions, PinResult};
use crate::transport::{CancelToken, Hooks};
use std::ffi::{c_char, c_void, CString};

/// Progress callback: `sent` of `total` bytes of the request body have gone out.
/// Return 0 to continue, non-zero to cancel the call (`PINATA_E_CANCELLED`). Runs on the
/// thread that made the call, about once a second and whenever bytes move; it must not
/// call into libpinata with the same options handle, throw, or longjmp.
pub type pinata_progress_fn =
    Option<unsafe extern "C" fn(sent: u64, total: u64, userdata: *mut c_void) -> i32>;

c_table! {
    /// The outcomes of the CID check (`pinata_pin_result_cid_check`).
    static CID_CHECKS: i32 => CidCheck {
        /// The CID check was off (`pinata_pin_options_set_verify_cid(options, false)`).
        PINATA_CID_NOT_CHECKED = 0 => CidCheck::NotChecked,
        /// The service's CID equals the CID computed locally from the bytes sent.
        PINATA_CID_VERIFIED = 1 => CidCheck::Verified,
        /// No local CID profile applies to the service's answer; nothing is concluded. (A
        /// mismatch is never reported this way: it fails with `PINATA_E_INTEGRITY`.)
        PINATA_CID_UNVERIFIABLE = 2 => CidCheck::Unverifiable,
    }
}

c_table! {
    /// The CID profiles a check can match (`pinata_pin_result_cid_profile`,
    /// `pinata_client_learned_cid_profile`).
    static CID_PROFILES: i32 => Option<Profile> {
        /// No profile: the check was off, did not match, or matched in no profile's own
        /// form (a CIDv1 dag-pb answer equal to a CIDv0 leaf).
        PINATA_CID_PROFILE_NONE = 0 => None,
        /// kubo's default: CIDv0, dag-pb leaves, 256 KiB chunks.
        PINATA_CID_PROFILE_KUBO_V0 = 1 => Some(Profile::V0),
        /// kubo `--cid-version=1`: CIDv1, raw leaves, 256 KiB chunks, 174 links.
        PINATA_CID_PROFILE_KUBO_V1 = 2 => Some(Profile::V1),
        /// unixfs-v1-2025 (IPIP-499): CIDv1, raw leaves, 1 MiB chunks, 1024 links.
        PINATA_CID_PROFILE_UNIXFS_V1_2025 = 3 => Some(Profile::V1Modern),
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

/// Options for pin calls: metadata, CID version, wrapping, group, CID verification,
/// host nodes (the safe API's `PinOptions`), plus the progress callback and cancel
/// flag of uploads. One thread at a time; a call only reads it.
pub struct pinata_pin_options {
    inner: PinOptions,
    progress: Option<ProgressCallback>,
    cancel: Option<CancelToken>,
}

impl pinata_pin_options {
    /// The safe-API options (a batch reads them).
    pub(crate) fn pin_options(&self) -> &PinOptions {
        &self.inner
    }

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

/// Creates pin options with the defaults: service CID version (v0 on the legacy API),
/// no wrapping, no group, CID verification on, no progress, no cancel flag.
///
/// @param options_out  on success, new options; free them with pinata_pin_options_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_options_new(
    options_out: *mut *mut pinata_pin_options,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    new_handle(options_out, "options_out", err_out, || pinata_pin_options {
        inner: PinOptions::default(),
        progress: None,
        cancel: None,
    })
}

/// Frees pin options. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_options_free(options: *mut pinata_pin_options) {
    guard_void(|| free_handle(options))
}

/// The pin's name (`pinataMetadata.name`); NULL restores the default (the file or
/// folder name; `"json"` for JSON).
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_options_set_name(
    options: *mut pinata_pin_options,
    name: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let options = arg_mut(options, "options")?;
        options.inner.metadata.name = arg_opt_str(name, "name")?.map(str::to_string);
        Ok(())
    })
}

/// Sets a string keyvalue. At most 10 distinct keys; an 11th gives
/// `PINATA_E_INVALID_ARGUMENT` before anything is sent.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_options_set_keyvalue_string(
    options: *mut pinata_pin_options,
    key: *const c_char,
    value: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let options = arg_mut(options, "options")?;
        let key = arg_str(key, "key")?;
        let value = arg_str(value, "value")?;
        options.inner.metadata.set_string(key, value)
    })
}

/// Sets a number keyvalue (finite; integral values are sent as integers). At most 10
/// distinct keys.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_options_set_keyvalue_number(
    options: *mut pinata_pin_options,
    key: *const c_char,
    value: f64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let options = arg_mut(options, "options")?;
        let key = arg_str(key, "key")?;
        options.inner.metadata.set_number(key, value)
    })
}

/// The CID version for uploads: 0 (`Qm…`), 1 (`bafy…`/`bafk…`, raw leaves), or -1 to
/// leave the service's default. Other values give `PINATA_E_INVALID_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_options_set_cid_version(
    options: *mut pinata_pin_options,
    cid_version: i32,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let options = arg_mut(options, "options")?;
        // -1 is C's "not given"; the safe API checks the version itself.
        let version = match cid_version {
            -1 => None,
            v => Some(u8::try_from(v).map_err(|_| {
                Error::invalid_argument("`cid_version` must be 0, 1 or -1 (service default)")
            })?),
        };
        options.inner.set_cid_version(version)
    })
}

/// Wraps an upload in a directory (`wrapWithDirectory`), so a file is reachable as
/// `<cid>/<name>`.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_options_set_wrap_with_directory(
    options: *mut pinata_pin_options,
    wrap: bool,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        arg_mut(options, "options")?.inner.wrap_with_directory = wrap;
        Ok(())
    })
}

/// Puts the pin in a group (`groupId`); NULL clears it.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_options_set_group_id(
    options: *mut pinata_pin_options,
    group_id: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let options = arg_mut(options, "options")?;
        options.inner.group_id = arg_opt_str(group_id, "group_id")?.map(str::to_string);
        Ok(())
    })
}

/// Turns the check of the service's CID against the locally computed one on (the
/// default) or off. The check hashes the bytes as they are sent: no second read.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_options_set_verify_cid(
    options: *mut pinata_pin_options,
    verify: bool,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        arg_mut(options, "options")?.inner.verify_cid = verify;
        Ok(())
    })
}

/// Sets (or, with a NULL `callback`, clears) the progress callback of uploads.
/// `userdata` is passed back untouched and must stay valid while a call runs.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_options_set_progress(
    options: *mut pinata_pin_options,
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

/// Attaches a cancel flag (or detaches it, with NULL). The options keep their own
/// reference to the flag.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_options_set_cancel(
    options: *mut pinata_pin_options,
    cancel: *const pinata_cancel,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let options = arg_mut(options, "options")?;
        options.cancel = cancel.as_ref().map(|c| c.token.clone());
        Ok(())
    })
}

/// Adds a host node (a multiaddr such as `/ip4/1.2.3.4/tcp/4001/p2p/12D3…`) for
/// `pinata_pin_by_cid`; at most 5. Uploads ignore host nodes.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_options_add_host_node(
    options: *mut pinata_pin_options,
    multiaddr: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let options = arg_mut(options, "options")?;
        let addr = arg_str(multiaddr, "multiaddr")?;
        options.inner.add_host_node(addr)
    })
}

/// The answer to an upload: CID, size, timestamp, duplicate flag, the locally computed
/// CID and the check's outcome. One thread at a time.
pub struct pinata_pin_result {
    result: PinResult,
    cid: CString,
    timestamp: CString,
    local_cid: Option<CString>,
    raw_json: CString,
}

fn result_handle(result: PinResult) -> *mut pinata_pin_result {
    into_handle(pinata_pin_result::new(result))
}

impl pinata_pin_result {
    /// The C view of a result (also kept, borrowed, by a batch).
    pub(crate) fn new(result: PinResult) -> pinata_pin_result {
        pinata_pin_result {
            cid: to_cstring(&result.cid),
            timestamp: to_cstring(&result.timestamp),
            local_cid: result.local_cid.as_deref().map(to_cstring),
            raw_json: to_cstring(&result.raw_json),
            result,
        }
    }
}

fn upload(
    options: *const pinata_pin_options,
    result_out: *mut *mut pinata_pin_result,
    run: impl FnOnce(&PinOptions, &mut Hooks) -> Result<PinResult>,
) -> Result<()> {
    check_out(result_out, "result_out")?;
    let default = PinOptions::default();
    // SAFETY: the caller passes NULL or a live options handle.
    let (opts, mut hooks) = match unsafe { options.as_ref() } {
        Some(o) => (&o.inner, o.hooks()),
        None => (&default, Hooks::default()),
    };
    let result = run(opts, &mut hooks)?;
    // SAFETY: checked non-NULL above.
    unsafe { write_out(result_out, result_handle(result)) };
    Ok(())
}

/// Pins a file, or a directory recursively as one CID (`POST /pinning/pinFileToIPFS`),
/// streamed from disk: memory stays constant whatever the size (up to Pinata's 25 GB).
/// `options` may be NULL. Directory policy: files in sorted order under one root named
/// after the directory; hidden files included; empty directories left out (multipart
/// cannot carry them); a symlink is followed only inside the root, and one leaving it,
/// a dangling one or a loop is `PINATA_E_IO`; FIFOs, sockets and devices are
/// `PINATA_E_IO` (never opened). A file that grows or shrinks during the upload is
/// `PINATA_E_IO`. A CID mismatch is `PINATA_E_INTEGRITY` with both CIDs in the message.
///
/// @param options    NULL for the defaults; read during the call only.
/// @param result_out on success, a new result; free it with pinata_pin_result_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_file(
    client: *const pinata_client,
    path: *const c_char,
    options: *const pinata_pin_options,
    result_out: *mut *mut pinata_pin_result,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let path = arg_str(path, "path")?;
        upload(options, result_out, |opts, hooks| {
            client
                .inner
                .pin_file(std::path::Path::new(path), opts, hooks)
        })
    })
}

/// Pins `len` bytes at `data` as a file named `file_name` (no '/'). `(NULL, 0)` pins an
/// empty file. `options` may be NULL. The bytes are copied once for the call.
///
/// @param options    NULL for the defaults; read during the call only.
/// @param result_out on success, a new result; free it with pinata_pin_result_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_bytes(
    client: *const pinata_client,
    data: *const u8,
    len: usize,
    file_name: *const c_char,
    options: *const pinata_pin_options,
    result_out: *mut *mut pinata_pin_result,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let data = arg_bytes(data, len, "data")?;
        let file_name = arg_str(file_name, "file_name")?;
        upload(options, result_out, |opts, hooks| {
            client.inner.pin_bytes(data, file_name, opts, hooks)
        })
    })
}

/// Pins a JSON document given as text (`POST /pinning/pinJSONToIPFS`). Invalid JSON
/// and bodies over 10 MB give `PINATA_E_INVALID_ARGUMENT` before anything is sent.
/// `options` may be NULL (progress and wrapping do not apply).
///
/// @param options    NULL for the defaults; read during the call only.
/// @param result_out on success, a new result; free it with pinata_pin_result_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_json(
    client: *const pinata_client,
    json: *const c_char,
    options: *const pinata_pin_options,
    result_out: *mut *mut pinata_pin_result,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let json = arg_str(json, "json")?;
        upload(options, result_out, |opts, _| {
            client.inner.pin_json(json, opts)
        })
    })
}

/// pinata_pin_json as a call that never blocks (see pinata_call_step): checks the
/// arguments as pinata_pin_json does, sends the request as far as it goes without
/// waiting and returns. Take the outcome with pinata_pin_json_finish once
/// pinata_call_step says done.
///
/// @param options  NULL for the defaults; read during this function only.
/// @param call_out on success, a new call; free it with pinata_call_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_json_start(
    client: *const pinata_client,
    json: *const c_char,
    options: *const pinata_pin_options,
    call_out: *mut *mut pinata_call,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let json = arg_str(json, "json")?;
        check_out(call_out, "call_out")?;
        let default = PinOptions::default();
        // SAFETY: the caller passes NULL or a live options handle.
        let opts = unsafe { options.as_ref() }.map_or(&default, |o| &o.inner);
        let call = client.inner.start_pin_json(json, opts)?;
        write_out(call_out, pinata_call::boxed(AnyCall::PinJson(call)));
        Ok(())
    })
}

/// The outcome of a finished pinata_pin_json_start call, as pinata_pin_json gives it:
/// on success a new result (free it with pinata_pin_result_free); otherwise the
/// call's error. The outcome can be taken once; a call not finished, or of another
/// kind, is `PINATA_E_INVALID_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_json_finish(
    call: *mut pinata_call,
    result_out: *mut *mut pinata_pin_result,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        check_out(result_out, "result_out")?;
        let result = take_outcome(call, "a pinata_pin_json_start call", |c| match c {
            AnyCall::PinJson(c) => Some(c),
            _ => None,
        })?;
        write_out(result_out, result_handle(result));
        Ok(())
    })
}

/// The pinned CID (`IpfsHash`). Valid until `pinata_pin_result_free`; NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_result_cid(result: *const pinata_pin_result) -> *const c_char {
    borrowed(result, |r| r.cid.as_ptr())
}

/// The pin's size in bytes (`PinSize`); 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_result_size(result: *const pinata_pin_result) -> u64 {
    read(result, 0, |r| r.result.pin_size)
}

/// The service's timestamp (ISO-8601). Valid until `pinata_pin_result_free`.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_result_timestamp(
    result: *const pinata_pin_result,
) -> *const c_char {
    borrowed(result, |r| r.timestamp.as_ptr())
}

/// Whether the service reported the CID as already pinned (`isDuplicate`).
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_result_is_duplicate(result: *const pinata_pin_result) -> bool {
    read(result, false, |r| r.result.is_duplicate)
}

/// The CID computed locally from the bytes sent, in the profile that matched the
/// service's CID (`pinata_pin_result_cid_profile`), otherwise in the requested one;
/// NULL when verification was off.
/// Valid until `pinata_pin_result_free`.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_result_local_cid(
    result: *const pinata_pin_result,
) -> *const c_char {
    borrowed(result, |r| opt_ptr(&r.local_cid))
}

/// The outcome of the CID check: `PINATA_CID_NOT_CHECKED`, `PINATA_CID_VERIFIED` or
/// `PINATA_CID_UNVERIFIABLE` (`PINATA_CID_NOT_CHECKED` for NULL).
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_result_cid_check(result: *const pinata_pin_result) -> i32 {
    read(result, PINATA_CID_NOT_CHECKED, |r| {
        CID_CHECKS
            .value_of(r.result.check)
            .unwrap_or(PINATA_CID_NOT_CHECKED)
    })
}

/// The CID profile whose local CID equals the service's (`PINATA_CID_PROFILE_*`):
/// which importer settings the service used. `PINATA_CID_PROFILE_NONE` when the check
/// was off or did not match, and for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_result_cid_profile(result: *const pinata_pin_result) -> i32 {
    read(result, PINATA_CID_PROFILE_NONE, |r| {
        CID_PROFILES
            .value_of(r.result.profile)
            .unwrap_or(PINATA_CID_PROFILE_NONE)
    })
}

/// How many CID profiles were hashed to check the upload: 0 when the check was off, 1
/// for v0 and for v1 once the client learned its service's profile, 2 otherwise (on
/// two threads). 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_result_profiles_hashed(
    result: *const pinata_pin_result,
) -> u32 {
    read(result, 0, |r| r.result.hashed.len() as u32)
}

/// The v1 CID profile `client` (and the clones iterators and results hold) learned its
/// current base URL's service answers in (`PINATA_CID_PROFILE_KUBO_V1` or
/// `PINATA_CID_PROFILE_UNIXFS_V1_2025`): after a v1 upload whose check matched exactly
/// one of them, later v1 checks hash only that one, and fall back to both when it stops
/// matching. `PINATA_CID_PROFILE_NONE` until then, and for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_client_learned_cid_profile(client: *const pinata_client) -> i32 {
    read(client, PINATA_CID_PROFILE_NONE, |c| {
        CID_PROFILES
            .value_of(c.inner.learned_cid_profile())
            .unwrap_or(PINATA_CID_PROFILE_NONE)
    })
}

/// The service's whole JSON answer, for fields this version does not model. Valid
/// until `pinata_pin_result_free`.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_result_raw_json(
    result: *const pinata_pin_result,
) -> *const c_char {
    borrowed(result, |r| r.raw_json.as_ptr())
}

/// Frees an upload result. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_result_free(result: *mut pinata_pin_result) {
    guard_void(|| free_handle(result))
}

/// A pin-by-CID job's fields, borrowed: from a `pinata_pin_job` (until
/// `pinata_pin_job_free`) or from a `pinata_pin_job_list` (until
/// `pinata_pin_job_list_free`). There is no free function: it is never the caller's.
pub struct pinata_pin_job_info {
    pub(crate) id: CString,
    pub(crate) cid: CString,
    pub(crate) status: CString,
    name: Option<CString>,
    date_queued: Option<CString>,
    raw_json: CString,
}

/// Borrowed and owned jobs are different types, so a borrowed one cannot be freed:
///
/// ```compile_fail
/// use pinata::ffi::legacy::pinning::{pinata_pin_job_free, pinata_pin_job_list_get};
/// let row = unsafe { pinata_pin_job_list_get(std::ptr::null(), 0) };
/// unsafe { pinata_pin_job_free(row) }; // a `*const pinata_pin_job_info`: refused
/// ```
///
/// while an owned one can:
///
/// ```
/// use pinata::ffi::legacy::pinning::{pinata_pin_job, pinata_pin_job_free};
/// let job: *mut pinata_pin_job = std::ptr::null_mut();
/// unsafe { pinata_pin_job_free(job) };
/// ```
impl pinata_pin_job_info {
    pub(crate) fn new(job: PinJob) -> pinata_pin_job_info {
        pinata_pin_job_info {
            id: to_cstring(&job.id),
            cid: to_cstring(&job.cid),
            status: to_cstring(&job.status),
            name: job.name.as_deref().map(to_cstring),
            date_queued: job.date_queued.as_deref().map(to_cstring),
            raw_json: to_cstring(&job.raw.to_string()),
        }
    }
}

/// The job `pinata_pin_by_cid` queued, owned by the caller: read it with
/// `pinata_pin_job_get_info`, free it with `pinata_pin_job_free`.
pub struct pinata_pin_job {
    pub(crate) info: pinata_pin_job_info,
}

/// Asks Pinata to pin an existing CID (`POST /pinning/pinByHash`); the content is
/// fetched from IPFS asynchronously. Uses the options' name, keyvalues, group and host
/// nodes (NULL: none). A malformed CID gives `PINATA_E_INVALID_ARGUMENT` before any
/// request.
///
/// @param job_out  on success, the queued job; the caller frees it with
///                 `pinata_pin_job_free`.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_by_cid(
    client: *const pinata_client,
    cid: *const c_char,
    options: *const pinata_pin_options,
    job_out: *mut *mut pinata_pin_job,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let cid = arg_str(cid, "cid")?;
        check_out(job_out, "job_out")?;
        let default = PinOptions::default();
        let opts = options.as_ref().map_or(&default, |o| &o.inner);
        let job = client.inner.pin_by_cid(cid, opts)?;
        let info = pinata_pin_job_info::new(job);
        write_out(job_out, into_handle(pinata_pin_job { info }));
        Ok(())
    })
}

/// The fields of an owned job, borrowed until `pinata_pin_job_free(job)`; NULL for
/// NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_job_get_info(
    job: *const pinata_pin_job,
) -> *const pinata_pin_job_info {
    guard_value(std::ptr::null(), || {
        job.as_ref()
            .map_or(std::ptr::null(), |j| &j.info as *const pinata_pin_job_info)
    })
}

/// Frees a job returned by `pinata_pin_by_cid` and its info. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_job_free(job: *mut pinata_pin_job) {
    guard_void(|| free_handle(job))
}

/// The job's id. Borrowed from the info's owner; NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_job_info_id(info: *const pinata_pin_job_info) -> *const c_char {
    borrowed(info, |j| j.id.as_ptr())
}

/// The CID being pinned. Borrowed from the info's owner.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_job_info_cid(
    info: *const pinata_pin_job_info,
) -> *const c_char {
    borrowed(info, |j| j.cid.as_ptr())
}

/// The job's status: `prechecking`, `searching`, `retrieving`, `expired`,
/// `over_free_limit`, `over_max_size`, `invalid_object`, `bad_host_node`, `backfilled`.
/// Borrowed from the info's owner.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_job_info_status(
    info: *const pinata_pin_job_info,
) -> *const c_char {
    borrowed(info, |j| j.status.as_ptr())
}

/// The pin's name; NULL when none. Borrowed from the info's owner.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_job_info_name(
    info: *const pinata_pin_job_info,
) -> *const c_char {
    borrowed(info, |j| opt_ptr(&j.name))
}

/// When the job was queued (ISO-8601; list rows only, else NULL). Borrowed from the
/// info's owner.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_job_info_date_queued(
    info: *const pinata_pin_job_info,
) -> *const c_char {
    borrowed(info, |j| opt_ptr(&j.date_queued))
}

/// The job's whole JSON. Borrowed from the info's owner.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_job_info_raw_json(
    info: *const pinata_pin_job_info,
) -> *const c_char {
    borrowed(info, |j| j.raw_json.as_ptr())
}

/// Filters for `pinata_pin_jobs_list`. One thread at a time.
pub struct pinata_pin_job_query {
    inner: PinJobQuery,
}

/// Creates a job query with no filter.
///
/// @param query_out  on success, a new query; free it with pinata_pin_job_query_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_job_query_new(
    query_out: *mut *mut pinata_pin_job_query,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    new_handle(query_out, "query_out", err_out, || pinata_pin_job_query {
        inner: PinJobQuery::default(),
    })
}

/// Frees a job query. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_job_query_free(query: *mut pinata_pin_job_query) {
    guard_void(|| free_handle(query))
}

/// Sets the filters: `status` and `cid` (NULL: any), order by queue date (`sort` 1 =
/// oldest first, 0 = newest first, -1 = service default), page `limit` (0 = service
/// default, else 1–1000) and `offset`.
///
/// @param sort   -1 (service default), 0 (newest first) or 1 (oldest first).
/// @param limit  0 (service default) or 1 to 1000.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_job_query_set(
    query: *mut pinata_pin_job_query,
    status: *const c_char,
    cid: *const c_char,
    sort: i32,
    limit: u32,
    offset: u64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let query = arg_mut(query, "query")?;
        let ascending = match sort {
            -1 => None,
            0 => Some(false),
            1 => Some(true),
            _ => return Err(Error::invalid_argument("`sort` must be -1, 0 or 1")),
        };
        let new = PinJobQuery {
            ascending,
            status: arg_opt_str(status, "status")?.map(str::to_string),
            cid: arg_opt_str(cid, "cid")?.map(str::to_string),
            limit: (limit > 0).then_some(limit),
            offset: (offset > 0).then_some(offset),
        };
        // Checked now, so a bad filter is reported where it was set.
        new.check()?;
        query.inner = new;
        Ok(())
    })
}

/// A page of pin jobs. One thread at a time.
pub struct pinata_pin_job_list {
    rows: Rows<pinata_pin_job_info>,
}

/// Lists pin-by-CID jobs (`GET /pinning/pinJobs`); `query` may be NULL.
///
/// @param list_out  on success, a new list; free it with pinata_pin_job_list_free.
///                 Its jobs (pinata_pin_job_list_get) are borrowed from it.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_jobs_list(
    client: *const pinata_client,
    query: *const pinata_pin_job_query,
    list_out: *mut *mut pinata_pin_job_list,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        check_out(list_out, "list_out")?;
        let default = PinJobQuery::default();
        let q = query.as_ref().map_or(&default, |q| &q.inner);
        let page = client.inner.pin_jobs(q)?;
        write_out(
            list_out,
            into_handle(pinata_pin_job_list {
                rows: Rows {
                    rows: page
                        .jobs
                        .into_iter()
                        .map(pinata_pin_job_info::new)
                        .collect(),
                    total: page.count,
                },
            }),
        );
        Ok(())
    })
}

/// Number of jobs in the page (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_job_list_len(list: *const pinata_pin_job_list) -> usize {
    guard_value(0, || Rows::len(list.as_ref().map(|l| &l.rows)))
}

/// The total the service reported, or -1.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_job_list_total(list: *const pinata_pin_job_list) -> i64 {
    guard_value(-1, || Rows::total(list.as_ref().map(|l| &l.rows)))
}

/// Job `index`, borrowed until the list is freed (never passed to a free function);
/// NULL when out of range.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_job_list_get(
    list: *const pinata_pin_job_list,
    index: usize,
) -> *const pinata_pin_job_info {
    guard_value(std::ptr::null(), || {
        Rows::get(list.as_ref().map(|l| &l.rows), index)
    })
}

/// Frees a job list and the jobs borrowed from it. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_job_list_free(list: *mut pinata_pin_job_list) {
    guard_void(|| free_handle(list))
}

/// A metadata change for `pinata_pin_update_metadata`: a new name and keyvalue
/// changes, merged into the pin's keyvalues. One thread at a time.
pub struct pinata_metadata_update {
    change: Metadata,
}

/// Creates an empty change.
///
/// @param update_out  on success, a new change; free it with
///                   pinata_metadata_update_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_metadata_update_new(
    update_out: *mut *mut pinata_metadata_update,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    new_handle(update_out, "update_out", err_out, || {
        pinata_metadata_update {
            change: Metadata::default(),
        }
    })
}

/// Frees a metadata change. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_metadata_update_free(update: *mut pinata_metadata_update) {
    guard_void(|| free_handle(update))
}

/// Renames the pin (NULL: keep the name).
#[no_mangle]
pub unsafe extern "C" fn pinata_metadata_update_set_name(
    update: *mut pinata_metadata_update,
    name: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let update = arg_mut(update, "update")?;
        update.change.name = arg_opt_str(name, "name")?.map(str::to_string);
        Ok(())
    })
}

/// Sets a string keyvalue in the change (at most 10 keys per change).
#[no_mangle]
pub unsafe extern "C" fn pinata_metadata_update_set_string(
    update: *mut pinata_metadata_update,
    key: *const c_char,
    value: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let update = arg_mut(update, "update")?;
        let key = arg_str(key, "key")?;
        let value = arg_str(value, "value")?;
        update.change.set_string(key, value)
    })
}

/// Sets a number keyvalue in the change (finite).
#[no_mangle]
pub unsafe extern "C" fn pinata_metadata_update_set_number(
    update: *mut pinata_metadata_update,
    key: *const c_char,
    value: f64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let update = arg_mut(update, "update")?;
        let key = arg_str(key, "key")?;
        update.change.set_number(key, value)
    })
}

/// Removes a keyvalue from the pin (sent as `null`).
#[no_mangle]
pub unsafe extern "C" fn pinata_metadata_update_remove(
    update: *mut pinata_metadata_update,
    key: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let update = arg_mut(update, "update")?;
        let key = arg_str(key, "key")?;
        update.change.remove(key)
    })
}

/// Applies a metadata change to the pin of `cid` (`PUT /pinning/hashMetadata`). A CID
/// this account has not pinned gives `PINATA_E_NOT_FOUND`.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_update_metadata(
    client: *const pinata_client,
    cid: *const c_char,
    update: *const pinata_metadata_update,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let cid = arg_str(cid, "cid")?;
        let update = arg_ref(update, "update")?;
        client.inner.update_metadata(cid, &update.change)
    })
}

/// Unpins `cid` (`DELETE /pinning/unpin/{cid}`). A CID this account has not pinned
/// gives `PINATA_E_NOT_FOUND` (reason `CURRENT_USER_HAS_NOT_PINNED_CID`); a malformed
/// CID gives `PINATA_E_INVALID_ARGUMENT` before any request.
#[no_mangle]
pub unsafe extern "C" fn pinata_unpin(
    client: *const pinata_client,
    cid: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let cid = arg_str(cid, "cid")?;
        client.inner.unpin(cid)
    })
}
