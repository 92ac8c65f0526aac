//! The C ABI. Only argument checks, the panic boundary, handles and error objects live
//! here; every function forwards to the safe Rust API one to one.
//!
//! Every exported function runs inside [`guard`] (fallible calls), [`guard_value`]
//! (accessors) or [`guard_void`] (frees), so a panic never crosses into C.

#![allow(non_camel_case_types)]
// Every exported function has the same safety contract, stated once in the header
// preamble: pointers are NULL or valid for the documented use and lifetime.
#![allow(clippy::missing_safety_doc)]

pub mod auth;
pub mod cid;
pub mod client;
pub mod data;
pub mod error;
pub mod keys;
pub mod pinning;

use crate::error::{Error, Result, Status};
use error::pinata_error;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// A status code: `PINATA_OK` (0) or one of the `PINATA_E_*` values. The values never
/// change; new ones are appended. Compare against the constants, never by order.
pub type pinata_status = i32;

/// Success.
pub const PINATA_OK: pinata_status = 0;
/// NULL, bad UTF-8, CR/LF, bad JSON, out-of-range option, limit exceeded before sending.
pub const PINATA_E_INVALID_ARGUMENT: pinata_status = 1;
/// Local file system error (missing, unreadable, symlink loop, ...).
pub const PINATA_E_IO: pinata_status = 2;
/// DNS, connect, TLS, connection reset.
pub const PINATA_E_NETWORK: pinata_status = 3;
/// Connect, stall or overall timeout.
pub const PINATA_E_TIMEOUT: pinata_status = 4;
/// A progress callback or a cancel request stopped the call.
pub const PINATA_E_CANCELLED: pinata_status = 5;
/// 401, and 400 `KEYS_MUST_BE_STRINGS`.
pub const PINATA_E_UNAUTHORIZED: pinata_status = 6;
/// 403: missing scope, revoked or exhausted key.
pub const PINATA_E_FORBIDDEN: pinata_status = 7;
/// 404, and unpin of a CID this account has not pinned.
pub const PINATA_E_NOT_FOUND: pinata_status = 8;
/// 429 still after the retry budget.
pub const PINATA_E_RATE_LIMITED: pinata_status = 9;
/// Any other 4xx.
pub const PINATA_E_BAD_REQUEST: pinata_status = 10;
/// 5xx still after the retry budget.
pub const PINATA_E_SERVER: pinata_status = 11;
/// A response that cannot be understood (bad JSON, missing field, oversize).
pub const PINATA_E_PROTOCOL: pinata_status = 12;
/// The CID the service returned does not match the local content.
pub const PINATA_E_INTEGRITY: pinata_status = 13;
/// A caught panic or an internal bug.
pub const PINATA_E_INTERNAL: pinata_status = 14;

/// Runs a fallible exported function: catches panics (`PINATA_E_INTERNAL`) and turns an
/// `Err` into a status plus, when `err_out` is not NULL, a new error object.
pub(crate) fn guard(
    err_out: *mut *mut pinata_error,
    f: impl FnOnce() -> Result<()>,
) -> pinata_status {
    let result = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let what = crate::error::panic_message(payload.as_ref());
            Err(Error::new(
                Status::Internal,
                format!("internal error (caught panic): {what}"),
            ))
        }
    };
    match result {
        Ok(()) => PINATA_OK,
        Err(e) => {
            let status = e.status() as pinata_status;
            if !err_out.is_null() {
                // SAFETY: the caller passes either NULL or a writable `pinata_error *`.
                unsafe { *err_out = pinata_error::boxed(e) };
            }
            status
        }
    }
}

/// Runs an infallible accessor; a panic yields `fallback`.
pub(crate) fn guard_value<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

/// Runs a `_free` function; panics are swallowed (frees never fail).
pub(crate) fn guard_void(f: impl FnOnce()) {
    let _ = catch_unwind(AssertUnwindSafe(f));
}

/// Borrows a NUL-terminated UTF-8 argument, or explains what is wrong with it.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that outlives the call.
pub(crate) unsafe fn arg_str<'a>(ptr: *const c_char, name: &str) -> Result<&'a str> {
    if ptr.is_null() {
        return Err(Error::invalid_argument(format!("`{name}` is NULL")));
    }
    CStr::from_ptr(ptr)
        .to_str()
        .map_err(|_| Error::invalid_argument(format!("`{name}` is not valid UTF-8")))
}

/// Like [`arg_str`], but NULL means "not given".
///
/// # Safety
/// As for [`arg_str`].
pub(crate) unsafe fn arg_opt_str<'a>(ptr: *const c_char, name: &str) -> Result<Option<&'a str>> {
    if ptr.is_null() {
        Ok(None)
    } else {
        arg_str(ptr, name).map(Some)
    }
}

/// Borrows a handle argument.
///
/// # Safety
/// `ptr` is NULL or a live handle of this type.
pub(crate) unsafe fn arg_ref<'a, T>(ptr: *const T, name: &str) -> Result<&'a T> {
    ptr.as_ref()
        .ok_or_else(|| Error::invalid_argument(format!("`{name}` is NULL")))
}

/// Borrows a handle argument mutably.
///
/// # Safety
/// `ptr` is NULL or a live handle of this type used by no other thread.
pub(crate) unsafe fn arg_mut<'a, T>(ptr: *mut T, name: &str) -> Result<&'a mut T> {
    ptr.as_mut()
        .ok_or_else(|| Error::invalid_argument(format!("`{name}` is NULL")))
}

/// Borrows `(ptr, len)` bytes; `(NULL, 0)` is the empty slice.
///
/// # Safety
/// `ptr` is NULL or points to `len` readable bytes.
pub(crate) unsafe fn arg_bytes<'a>(ptr: *const u8, len: usize, name: &str) -> Result<&'a [u8]> {
    if ptr.is_null() {
        if len == 0 {
            return Ok(&[]);
        }
        return Err(Error::invalid_argument(format!(
            "`{name}` is NULL with a non-zero length"
        )));
    }
    Ok(std::slice::from_raw_parts(ptr, len))
}

/// Checks an out-parameter before any work is done, so a NULL output never costs a
/// request.
pub(crate) fn check_out<T>(ptr: *mut T, name: &str) -> Result<()> {
    if ptr.is_null() {
        Err(Error::invalid_argument(format!("`{name}` is NULL")))
    } else {
        Ok(())
    }
}

/// Writes an output (only on success, by construction of the callers).
///
/// # Safety
/// `ptr` was checked with [`check_out`] and is writable.
pub(crate) unsafe fn write_out<T>(ptr: *mut T, value: T) {
    ptr.write(value);
}

/// Moves a value into a new heap handle for C.
pub(crate) fn into_handle<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Frees a handle made by [`into_handle`]; NULL is ignored.
///
/// # Safety
/// `ptr` is NULL or came from `into_handle::<T>` and is not used afterwards.
pub(crate) unsafe fn free_handle<T>(ptr: *mut T) {
    if !ptr.is_null() {
        drop(Box::from_raw(ptr));
    }
}

/// Converts text for C. Interior NULs (which C cannot represent) are dropped.
pub(crate) fn to_cstring(s: &str) -> CString {
    CString::new(s)
        .unwrap_or_else(|_| CString::new(s.replace('\0', "")).expect("NULs were removed"))
}

/// A C string the caller owns and releases with `pinata_string_free`.
pub(crate) fn owned_string(s: &str) -> *mut c_char {
    to_cstring(s).into_raw()
}

/// A borrowed C string pointer for an optional value (NULL when absent).
pub(crate) fn opt_ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(std::ptr::null(), |c| c.as_ptr())
}

/// Body of every accessor that lends a string from a handle: NULL for a NULL handle.
///
/// # Safety
/// `handle` is NULL or a live handle of this type.
pub(crate) unsafe fn borrowed<T>(
    handle: *const T,
    field: impl FnOnce(&T) -> *const c_char,
) -> *const c_char {
    guard_value(std::ptr::null(), || {
        handle.as_ref().map_or(std::ptr::null(), field)
    })
}

/// Body of every accessor that reads a value from a handle: `fallback` for NULL.
///
/// # Safety
/// `handle` is NULL or a live handle of this type.
pub(crate) unsafe fn read<T, V>(handle: *const T, fallback: V, field: impl FnOnce(&T) -> V) -> V
where
    V: Copy,
{
    guard_value(fallback, || handle.as_ref().map_or(fallback, field))
}

/// Body of every `_new` function without arguments: a fresh handle in `*out`.
pub(crate) fn new_handle<T>(
    out: *mut *mut T,
    out_name: &str,
    err_out: *mut *mut pinata_error,
    value: impl FnOnce() -> T,
) -> pinata_status {
    guard(err_out, || {
        check_out(out, out_name)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out, into_handle(value())) };
        Ok(())
    })
}

/// The rows of a list handle and the total the service reported.
pub(crate) struct Rows<T> {
    pub(crate) rows: Vec<T>,
    pub(crate) total: Option<u64>,
}

impl<T> Rows<T> {
    /// Number of rows; 0 when there is no list.
    pub(crate) fn len(list: Option<&Rows<T>>) -> usize {
        list.map_or(0, |l| l.rows.len())
    }

    /// The reported total; -1 when none or when there is no list.
    pub(crate) fn total(list: Option<&Rows<T>>) -> i64 {
        list.and_then(|l| l.total)
            .map_or(-1, |c| i64::try_from(c).unwrap_or(i64::MAX))
    }

    /// Row `index`, borrowed; NULL when out of range or when there is no list.
    pub(crate) fn get(list: Option<&Rows<T>>, index: usize) -> *const T {
        list.and_then(|l| l.rows.get(index))
            .map_or(std::ptr::null(), |r| r as *const T)
    }
}

/// Frees a string returned by libpinata (`char *` outputs). NULL is ignored. Strings
/// borrowed from a handle (`const char *`) must not be passed here.
#[no_mangle]
pub unsafe extern "C" fn pinata_string_free(s: *mut c_char) {
    guard_void(|| {
        if !s.is_null() {
            drop(CString::from_raw(s));
        }
    })
}

/// The name of a status value, e.g. `"PINATA_E_TIMEOUT"`; `"PINATA_E_UNKNOWN"` for
/// values this version does not know. Never NULL; the string is static.
#[no_mangle]
pub extern "C" fn pinata_status_str(status: pinata_status) -> *const c_char {
    guard_value(c"PINATA_E_UNKNOWN".as_ptr(), || {
        match Status::from_i32(status) {
            Some(s) => static_status_name(s),
            None => c"PINATA_E_UNKNOWN".as_ptr(),
        }
    })
}

fn static_status_name(s: Status) -> *const c_char {
    let name: &'static CStr = match s {
        Status::Ok => c"PINATA_OK",
        Status::InvalidArgument => c"PINATA_E_INVALID_ARGUMENT",
        Status::Io => c"PINATA_E_IO",
        Status::Network => c"PINATA_E_NETWORK",
        Status::Timeout => c"PINATA_E_TIMEOUT",
        Status::Cancelled => c"PINATA_E_CANCELLED",
        Status::Unauthorized => c"PINATA_E_UNAUTHORIZED",
        Status::Forbidden => c"PINATA_E_FORBIDDEN",
        Status::NotFound => c"PINATA_E_NOT_FOUND",
        Status::RateLimited => c"PINATA_E_RATE_LIMITED",
        Status::BadRequest => c"PINATA_E_BAD_REQUEST",
        Status::Server => c"PINATA_E_SERVER",
        Status::Protocol => c"PINATA_E_PROTOCOL",
        Status::Integrity => c"PINATA_E_INTEGRITY",
        Status::Internal => c"PINATA_E_INTERNAL",
    };
    name.as_ptr()
}

/// The library version, e.g. `"0.1.0"`; equals the header's `PINATA_VERSION_MAJOR`,
/// `_MINOR` and `_PATCH`. Never NULL; the string is static.
#[no_mangle]
pub extern "C" fn pinata_version() -> *const c_char {
    const VERSION_C: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION_C.as_ptr().cast()
}

/// The library version as one number, `(major << 16) | (minor << 8) | patch`; equals
/// the header's `PINATA_VERSION_NUMBER`.
#[no_mangle]
pub extern "C" fn pinata_version_number() -> u32 {
    let part = |s: &str| s.parse::<u32>().unwrap_or(0);
    (part(env!("CARGO_PKG_VERSION_MAJOR")) << 16)
        | (part(env!("CARGO_PKG_VERSION_MINOR")) << 8)
        | part(env!("CARGO_PKG_VERSION_PATCH"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_constants_match_the_rust_enum() {
        assert_eq!(PINATA_E_INTERNAL, Status::Internal as i32);
        assert_eq!(PINATA_E_INTEGRITY, Status::Integrity as i32);
        for v in 0..15 {
            let s = Status::from_i32(v).unwrap();
            let c = unsafe { CStr::from_ptr(pinata_status_str(v)) };
            assert_eq!(c.to_str().unwrap(), s.name());
        }
    }

    #[test]
    fn guard_catches_panics() {
        let mut err: *mut pinata_error = std::ptr::null_mut();
        let status = guard(&mut err, || panic!("boom"));
        assert_eq!(status, PINATA_E_INTERNAL);
        assert!(!err.is_null());
        unsafe { error::pinata_error_free(err) };
    }
}
