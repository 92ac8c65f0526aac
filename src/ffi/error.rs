//! STATUS CODES AND THE ERROR OBJECT
//!
//! Every fallible function returns a pinata_status: PINATA_OK or a PINATA_E_* value
//! (fixed forever; new ones are appended). On failure a non-NULL err_out receives a
//! pinata_error: its message, the HTTP status, Pinata's reason and details, and the
//! Retry-After the server asked for. Free it with pinata_error_free.

use super::{
    borrowed, free_handle, guard_value, guard_void, into_handle, opt_ptr, read, to_cstring,
};
use crate::error::{Error, Status};
use std::ffi::{c_char, CString};

/// A status code: `PINATA_OK` (0) or one of the `PINATA_E_*` values below. The values
/// never change; new ones are appended. Compare against the constants, never by order.
pub type pinata_status = i32;

/// The name of a status value, e.g. `"PINATA_E_TIMEOUT"`; `"PINATA_E_UNKNOWN"` for
/// values this version does not know. Never NULL; the string is static.
#[no_mangle]
pub extern "C" fn pinata_status_str(status: pinata_status) -> *const c_char {
    guard_value(c"PINATA_E_UNKNOWN".as_ptr(), || {
        Status::from_i32(status).map_or(c"PINATA_E_UNKNOWN".as_ptr(), |s| {
            s.name_with_nul().as_ptr().cast()
        })
    })
}

/// An error: status, message, HTTP status, Pinata's reason code and details, and the
/// Retry-After the server asked for. Created by libpinata on failure; the caller frees
/// it with `pinata_error_free`. Strings borrowed from it live until it is freed. Safe to
/// read from any thread, one thread at a time.
pub struct pinata_error {
    error: Error,
    message: CString,
    reason: Option<CString>,
    details: Option<CString>,
}

impl pinata_error {
    pub(crate) fn boxed(error: Error) -> *mut pinata_error {
        into_handle(pinata_error::new(error))
    }

    /// The error it stands for.
    pub(crate) fn error(&self) -> &Error {
        &self.error
    }

    /// The C view of an error (also kept, borrowed, by a batch).
    pub(crate) fn new(error: Error) -> pinata_error {
        let message = to_cstring(error.message());
        let reason = error.reason().map(to_cstring);
        let details = error.details().map(to_cstring);
        pinata_error {
            error,
            message,
            reason,
            details,
        }
    }
}

/// The status of this error (never `PINATA_OK` for an error libpinata made).
/// `PINATA_E_INVALID_ARGUMENT` when `err` is NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_error_status(err: *const pinata_error) -> pinata_status {
    let null = Status::InvalidArgument as pinata_status;
    guard_value(null, || match err.as_ref() {
        Some(e) => e.error.status() as pinata_status,
        None => null,
    })
}

/// A complete human-readable sentence describing the failure; it already includes
/// the HTTP status and Pinata's reason when there are any, e.g. `HTTP 403
/// API_KEY_EXHAUSTED: This API key has reached its maximum number of uses`. So a
/// caller prints `pinata_status_str(st)`, `": "` and this message, and nothing more;
/// `pinata_error_http_status`, `pinata_error_reason` and `pinata_error_details` give
/// the parts to programs that act on them. Never contains credentials. Never NULL
/// for a non-NULL `err`; NULL for a NULL `err`. Valid until `pinata_error_free(err)`.
#[no_mangle]
pub unsafe extern "C" fn pinata_error_message(err: *const pinata_error) -> *const c_char {
    guard_value(std::ptr::null(), || match err.as_ref() {
        Some(e) => e.message.as_ptr(),
        None => std::ptr::null(),
    })
}

/// The HTTP status of the response behind the error; 0 when there was none (local
/// errors, network failures) or `err` is NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_error_http_status(err: *const pinata_error) -> i32 {
    read(err, 0, |e| i32::from(e.error.http_status()))
}

/// Pinata's machine-readable reason, e.g. `"NO_SCOPES_FOUND"`; NULL when the body had
/// none. Valid until `pinata_error_free(err)`.
#[no_mangle]
pub unsafe extern "C" fn pinata_error_reason(err: *const pinata_error) -> *const c_char {
    borrowed(err, |e| opt_ptr(&e.reason))
}

/// The details text of the error body; NULL when there was none. Valid until
/// `pinata_error_free(err)`.
#[no_mangle]
pub unsafe extern "C" fn pinata_error_details(err: *const pinata_error) -> *const c_char {
    borrowed(err, |e| opt_ptr(&e.details))
}

/// Seconds the server asked to wait before retrying (429/503 `Retry-After` or
/// `X-RateLimit-Reset`); -1 when it did not say or `err` is NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_error_retry_after(err: *const pinata_error) -> i64 {
    guard_value(-1, || {
        err.as_ref()
            .and_then(|e| e.error.retry_after())
            .map_or(-1, |s| i64::try_from(s).unwrap_or(i64::MAX))
    })
}

/// Frees an error object. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_error_free(err: *mut pinata_error) {
    guard_void(|| free_handle(err))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn status_names_come_from_the_table() {
        for s in Status::ALL {
            let c = unsafe { CStr::from_ptr(pinata_status_str(*s as pinata_status)) };
            assert_eq!(c.to_str().unwrap(), s.name());
        }
        let unknown = unsafe { CStr::from_ptr(pinata_status_str(99)) };
        assert_eq!(unknown.to_str().unwrap(), "PINATA_E_UNKNOWN");
    }
}
