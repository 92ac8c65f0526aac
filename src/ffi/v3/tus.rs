//! RESUMABLE UPLOADS (TUS)
//!
//! Upload one file with TUS 1.0.0 on `{base}/v3/files` (or another endpoint), in chunks
//! streamed from disk, with an on-disk journal so that a later call, in this process or
//! another one after a crash, resumes where the server stopped. Options live in
//! pinata_upload_resumable_options; results (pinata_upload_resumable_result) and
//! journal lists (pinata_upload_pending) are the caller's.

use crate::error::Result;
use crate::ffi::client::{pinata_cancel, pinata_client};
use crate::ffi::error::pinata_error;
use crate::ffi::legacy::pinning::pinata_progress_fn;
use crate::ffi::v3::files::{network_arg, pinata_file_row};
use crate::ffi::{
    arg_mut, arg_opt_str, arg_ref, arg_str, borrowed, check_out, free_handle, guard, guard_value,
    guard_void, into_handle, new_handle, opt_ptr, pinata_status, read, to_cstring, write_out,
};
use crate::transport::CancelToken;
use crate::v3::tus::{self, TusOptions, TusResult};
use crate::Error;
use std::ffi::{c_char, c_void, CString};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy)]
struct Progress {
    func: unsafe extern "C" fn(u64, u64, *mut c_void) -> i32,
    userdata: *mut c_void,
}

// SAFETY: the callback runs only on the thread that made the call, for the call's
// duration, as the header documents; the pointer is never dereferenced by us.
unsafe impl Send for Progress {}

impl Progress {
    /// Calls back; `true` to continue.
    fn call(&self, sent: u64, total: u64) -> bool {
        // SAFETY: the caller supplied a valid function and userdata.
        unsafe { (self.func)(sent, total, self.userdata) == 0 }
    }
}

/// Options of a resumable upload (the safe API's `TusOptions`), plus its progress
/// callback and cancel flag. One thread at a time; a call only reads it.
pub struct pinata_upload_resumable_options {
    inner: TusOptions,
    progress: Option<Progress>,
    cancel: Option<CancelToken>,
}

/// What a resumable upload did.
pub struct pinata_upload_resumable_result {
    result: TusResult,
    cid: CString,
    file: Option<pinata_file_row>,
    local_cid: Option<CString>,
    restarted: Option<CString>,
}

/// The journals found in a journal directory.
pub struct pinata_upload_pending {
    rows: Vec<(CString, u64, u64)>,
}

/// Creates resumable-upload options with the defaults: the file's own name,
/// PINATA_NETWORK_PRIVATE, CID v1, 16 MiB chunks, journals under `$XDG_CACHE_HOME/libpinata/tus` (else
/// `~/.cache/libpinata/tus`), CID check on, endpoint `{upload URL}/v3/files`.
///
/// @param options_out  on success, new options; free them with
///                     pinata_upload_resumable_options_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_options_new(
    options_out: *mut *mut pinata_upload_resumable_options,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    new_handle(options_out, "options_out", err_out, || {
        pinata_upload_resumable_options {
            inner: TusOptions::default(),
            progress: None,
            cancel: None,
        }
    })
}

/// Frees resumable-upload options. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_options_free(
    options: *mut pinata_upload_resumable_options,
) {
    guard_void(|| free_handle(options))
}

/// Sets one option from an optional string argument.
unsafe fn set_text(
    options: *mut pinata_upload_resumable_options,
    value: *const c_char,
    name: &str,
    err_out: *mut *mut pinata_error,
    apply: impl FnOnce(&mut TusOptions, Option<&str>) -> Result<()>,
) -> pinata_status {
    guard(err_out, || {
        let options = arg_mut(options, "options")?;
        let value = arg_opt_str(value, name)?;
        apply(&mut options.inner, value)
    })
}

/// The file's name on Pinata; NULL restores the default (the file name).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_options_set_name(
    options: *mut pinata_upload_resumable_options,
    name: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    set_text(options, name, "name", err_out, |o, v| {
        o.name = v.map(str::to_string);
        Ok(())
    })
}

/// The file's MIME type; NULL lets the server decide.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_options_set_mime_type(
    options: *mut pinata_upload_resumable_options,
    mime_type: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    set_text(options, mime_type, "mime_type", err_out, |o, v| {
        o.mime_type = v.map(str::to_string);
        Ok(())
    })
}

/// The network: PINATA_NETWORK_PRIVATE (the default, as for pinata_upload_file) or
/// PINATA_NETWORK_PUBLIC.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_options_set_network(
    options: *mut pinata_upload_resumable_options,
    network: i32,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let options = arg_mut(options, "options")?;
        options.inner.network = network_arg(network)?;
        Ok(())
    })
}

/// The v3 group to put the file in; NULL for none.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_options_set_group_id(
    options: *mut pinata_upload_resumable_options,
    group_id: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    set_text(options, group_id, "group_id", err_out, |o, v| {
        o.group_id = v.map(str::to_string);
        Ok(())
    })
}

/// Sets a keyvalue. At most 10 distinct keys; an 11th is `PINATA_E_INVALID_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_options_set_keyvalue(
    options: *mut pinata_upload_resumable_options,
    key: *const c_char,
    value: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let options = arg_mut(options, "options")?;
        let key = arg_str(key, "key")?;
        let value = arg_str(value, "value")?;
        let kv = &mut options.inner.keyvalues;
        if !kv.contains_key(key) && kv.len() >= 10 {
            return Err(Error::invalid_argument("at most 10 keyvalues"));
        }
        kv.insert(key.to_string(), value.to_string());
        Ok(())
    })
}

/// The CID version, 0 or 1 (the default).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_options_set_cid_version(
    options: *mut pinata_upload_resumable_options,
    cid_version: i32,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let options = arg_mut(options, "options")?;
        options.inner.cid_version = match cid_version {
            0 => 0,
            1 => 1,
            _ => return Err(Error::invalid_argument("`cid_version` must be 0 or 1")),
        };
        Ok(())
    })
}

/// Bytes per PATCH (default 16 MiB, at least 64 KiB). Memory does not grow with it; a
/// crash makes the next call send at most one chunk again.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_options_set_chunk_size(
    options: *mut pinata_upload_resumable_options,
    chunk_size: u64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let options = arg_mut(options, "options")?;
        if chunk_size < tus::MIN_CHUNK_SIZE {
            return Err(Error::invalid_argument(format!(
                "`chunk_size` must be at least {} bytes",
                tus::MIN_CHUNK_SIZE
            )));
        }
        options.inner.chunk_size = chunk_size;
        Ok(())
    })
}

/// The journal directory; it must exist and be writable (the call fails with
/// `PINATA_E_IO` otherwise, before anything is sent). NULL restores the default, which
/// is created when missing.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_options_set_journal_dir(
    options: *mut pinata_upload_resumable_options,
    dir: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    set_text(options, dir, "dir", err_out, |o, v| {
        o.journal_dir = v.map(PathBuf::from);
        Ok(())
    })
}

/// Turns the check of the server's CID against the bytes on (the default) or off. On a
/// resume the check is rebuilt by reading the part already sent again from disk.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_options_set_verify_cid(
    options: *mut pinata_upload_resumable_options,
    verify: bool,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        arg_mut(options, "options")?.inner.verify_cid = verify;
        Ok(())
    })
}

/// The TUS endpoint (an http(s) URL; plain http only to loopback unless the client
/// allows insecure http). NULL restores the default, `{upload URL}/v3/files`. The
/// server's upload URLs must stay on this endpoint's host.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_options_set_endpoint(
    options: *mut pinata_upload_resumable_options,
    endpoint: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    set_text(options, endpoint, "endpoint", err_out, |o, v| {
        o.endpoint = v.map(str::to_string);
        Ok(())
    })
}

/// Reads the file row from the API host after the upload (true, the default), or not
/// (false: for a plain TUS server without Pinata's Files API; the result then has the
/// CID only).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_options_set_fetch_file_row(
    options: *mut pinata_upload_resumable_options,
    fetch: bool,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        arg_mut(options, "options")?.inner.fetch_file_row = fetch;
        Ok(())
    })
}

/// Sets (or, with a NULL `callback`, clears) the progress callback: `sent` counts from
/// the start of the file, so a resumed upload reports its first call at the resumed
/// offset. Runs on the calling thread; non-zero cancels (`PINATA_E_CANCELLED`, the
/// journal stays so the next call resumes).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_options_set_progress(
    options: *mut pinata_upload_resumable_options,
    callback: pinata_progress_fn,
    userdata: *mut c_void,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let options = arg_mut(options, "options")?;
        options.progress = callback.map(|func| Progress { func, userdata });
        Ok(())
    })
}

/// Attaches a cancel flag (or detaches it, with NULL). A cancelled upload keeps its
/// journal, so the next call resumes.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_options_set_cancel(
    options: *mut pinata_upload_resumable_options,
    cancel: *const pinata_cancel,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let options = arg_mut(options, "options")?;
        options.cancel = cancel.as_ref().map(|c| c.token.clone());
        Ok(())
    })
}

/// Uploads the file at `path` with TUS, resuming from its journal when the same file was
/// being uploaded to the same endpoint and network. The journal records the upload URL,
/// the file's identity (path, size, mtime, inode, hashes of its first and last MiB), the
/// options and the last offset the server confirmed; it is replaced atomically after
/// each chunk and removed on success. A file that changed, an upload the server no
/// longer has (404/410) or a corrupt journal make the call start over cleanly
/// (pinata_upload_resumable_result_restart_reason says why); bytes of a changed file
/// never go into the old upload. A failed chunk is retried under the client's retry
/// policy from the server's offset (HEAD). A server offset beyond the file's size is
/// `PINATA_E_PROTOCOL` (the journal is removed); a CID mismatch `PINATA_E_INTEGRITY`.
///
/// @param options    NULL for the defaults; read during the call only.
/// @param result_out on success, a new result; free it with
///                   pinata_upload_resumable_result_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable(
    client: *const pinata_client,
    path: *const c_char,
    options: *const pinata_upload_resumable_options,
    result_out: *mut *mut pinata_upload_resumable_result,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let path = arg_str(path, "path")?;
        check_out(result_out, "result_out")?;
        let default = TusOptions::default();
        let (opts, progress, cancel) = match options.as_ref() {
            Some(o) => (&o.inner, o.progress, o.cancel.clone()),
            None => (&default, None, None),
        };
        let client = match cancel {
            Some(token) => client.inner.with_cancel(token),
            None => client.inner.clone(),
        };
        let progress = progress.map(|cb| {
            Box::new(move |sent: u64, total: u64| cb.call(sent, total))
                as Box<dyn FnMut(u64, u64) -> bool + Send>
        });
        let result = tus::upload_resumable(&client, Path::new(path), opts, progress)?;
        let handle = pinata_upload_resumable_result {
            cid: to_cstring(&result.cid),
            file: result.file.clone().map(pinata_file_row::new),
            local_cid: result.local_cid.as_deref().map(to_cstring),
            restarted: result.restarted.as_deref().map(to_cstring),
            result,
        };
        write_out(result_out, into_handle(handle));
        Ok(())
    })
}

/// The CID the server reported (`Upload-Cid`). Valid until the result is freed; NULL
/// for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_result_cid(
    result: *const pinata_upload_resumable_result,
) -> *const c_char {
    borrowed(result, |r| r.cid.as_ptr())
}

/// The uploaded file's row, as pinata_upload_result_file gives it for a multipart
/// upload (borrowed from the result; NULL for NULL, and when the row was not read:
/// pinata_upload_resumable_options_set_fetch_file_row).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_result_file(
    result: *const pinata_upload_resumable_result,
) -> *const pinata_file_row {
    guard_value(std::ptr::null(), || {
        result
            .as_ref()
            .and_then(|r| r.file.as_ref())
            .map_or(std::ptr::null(), |f| f as *const pinata_file_row)
    })
}

/// The CID computed locally from the file; NULL when the check was off. Valid until
/// the result is freed.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_result_local_cid(
    result: *const pinata_upload_resumable_result,
) -> *const c_char {
    borrowed(result, |r| opt_ptr(&r.local_cid))
}

/// The offset the upload resumed from (0 for a fresh upload or a restart; 0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_result_resumed_from(
    result: *const pinata_upload_resumable_result,
) -> u64 {
    read(result, 0, |r| r.result.resumed_from)
}

/// Bytes this call sent (chunks sent again after a failure included; 0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_result_bytes_sent(
    result: *const pinata_upload_resumable_result,
) -> u64 {
    read(result, 0, |r| r.result.bytes_sent)
}

/// Why a journal was found but the upload started over (the file changed, the server
/// no longer had the upload, the journal was corrupt); NULL when it did not. Valid
/// until the result is freed.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_result_restart_reason(
    result: *const pinata_upload_resumable_result,
) -> *const c_char {
    borrowed(result, |r| opt_ptr(&r.restarted))
}

/// Frees a result. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_result_free(
    result: *mut pinata_upload_resumable_result,
) {
    guard_void(|| free_handle(result))
}

/// Abandons the pending upload of `path` (same endpoint and network as `options`):
/// `DELETE` on the server (an upload it no longer has is fine), then the journal is
/// removed. `*abandoned_out` (may be NULL) tells whether there was a journal.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_resumable_abandon(
    client: *const pinata_client,
    path: *const c_char,
    options: *const pinata_upload_resumable_options,
    abandoned_out: *mut bool,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let path = arg_str(path, "path")?;
        let default = TusOptions::default();
        let opts = options.as_ref().map_or(&default, |o| &o.inner);
        let found = tus::abandon(&client.inner, Path::new(path), opts)?;
        if !abandoned_out.is_null() {
            write_out(abandoned_out, found);
        }
        Ok(())
    })
}

/// Lists the pending uploads whose journals are in `journal_dir` (NULL: the default
/// directory). Unreadable or corrupt journals are left out.
///
/// @param list_out on success, a new list; free it with pinata_upload_pending_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_pending_list(
    journal_dir: *const c_char,
    list_out: *mut *mut pinata_upload_pending,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        check_out(list_out, "list_out")?;
        let dir = match arg_opt_str(journal_dir, "journal_dir")? {
            Some(d) => PathBuf::from(d),
            None => tus::default_journal_dir()?,
        };
        let rows = tus::pending(&dir)?
            .into_iter()
            .map(|p| (to_cstring(&p.path.to_string_lossy()), p.size, p.offset))
            .collect();
        write_out(list_out, into_handle(pinata_upload_pending { rows }));
        Ok(())
    })
}

/// Number of pending uploads in the list (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_pending_count(list: *const pinata_upload_pending) -> usize {
    read(list, 0, |l| l.rows.len())
}

/// The file of pending upload `index`; NULL out of range. Valid until the list is freed.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_pending_path(
    list: *const pinata_upload_pending,
    index: usize,
) -> *const c_char {
    borrowed(list, |l| {
        l.rows.get(index).map_or(std::ptr::null(), |r| r.0.as_ptr())
    })
}

/// The file size of pending upload `index` (0 out of range).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_pending_size(
    list: *const pinata_upload_pending,
    index: usize,
) -> u64 {
    read(list, 0, |l| l.rows.get(index).map_or(0, |r| r.1))
}

/// The last offset the server confirmed for pending upload `index` (0 out of range).
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_pending_offset(
    list: *const pinata_upload_pending,
    index: usize,
) -> u64 {
    read(list, 0, |l| l.rows.get(index).map_or(0, |r| r.2))
}

/// Frees a pending-upload list. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_upload_pending_free(list: *mut pinata_upload_pending) {
    guard_void(|| free_handle(list))
}
