//! The C ABI. Only argument conversion, the panic boundary, handles and error objects
//! live here; every function forwards to the safe Rust API one to one, and every rule
//! (ranges, limits, formats) is the safe API's.
//!
//! Every exported function runs inside [`guard`] (fallible calls), [`guard_value`]
//! (accessors) or [`guard_void`] (frees), so a panic never crosses into C.
//!
//! build.rs writes `include/pinata.h` one module at a time, in the order of the `pub
//! mod` lines below (the order a reader needs them), under a banner made from each
//! module's `//!` comment. The C constants of a module come from its `c_table!` rows.

#![allow(non_camel_case_types)]
// Every exported function has the same safety contract, stated once in the header
// preamble: pointers are NULL or valid for the documented use and lifetime.
#![allow(clippy::missing_safety_doc)]

/// Declares a table of C constants once. Each row gives a constant's doc, its C name
/// and value, and the safe-API value it stands for (tied by name, never by position).
/// It defines the Rust constants and a [`CTable`] static; build.rs reads the same rows
/// to write the header's `#define`s (cbindgen does not expand macros).
macro_rules! c_table {
    (
        $(#[doc = $tdoc:literal])*
        static $table:ident: $cty:ty => $target:ty {
            $( $(#[doc = $doc:literal])* $cname:ident = $value:literal => $variant:expr, )+
        }
    ) => {
        $( $(#[doc = $doc])* pub const $cname: $cty = $value; )+

        $(#[doc = $tdoc])*
        pub(crate) static $table: $crate::ffi::CTable<$target> = $crate::ffi::CTable(&[
            $( ($cname, concat!(stringify!($cname), "\0"), $variant), )+
        ]);
    };
}

// The header's sections, in this order (build.rs reads these lines; the blank lines
// keep rustfmt from sorting them).
pub mod library;

pub mod error;

pub mod client;

pub mod call;

pub mod auth;

pub mod keys;

pub mod wait;

pub mod legacy;

pub mod v3;

pub mod batch;

pub mod psa;

pub mod gateway;

pub mod cid;

use crate::error::{Error, Result, Status};
use error::pinata_error;
pub(crate) use error::pinata_status;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The rows of one C constant table: value, NUL-terminated C name, safe-API value.
pub(crate) struct CTable<T: 'static>(pub(crate) &'static [(i32, &'static str, T)]);

impl<T: Copy + PartialEq> CTable<T> {
    /// The safe-API value of a C constant.
    pub(crate) fn get(&self, value: i32) -> Option<T> {
        self.0.iter().find(|row| row.0 == value).map(|row| row.2)
    }

    /// The C constant of a safe-API value.
    pub(crate) fn value_of(&self, target: T) -> Option<i32> {
        self.0.iter().find(|row| row.2 == target).map(|row| row.0)
    }

    /// The safe-API value of argument `arg`, or `PINATA_E_INVALID_ARGUMENT` saying it
    /// is not one of the `family` constants.
    pub(crate) fn arg(&self, value: i32, arg: &str, family: &str) -> Result<T> {
        self.get(value).ok_or_else(|| {
            Error::invalid_argument(format!("`{arg}` {value} is not a {family} value"))
        })
    }

    /// The static C name of a constant, or `unknown`.
    pub(crate) fn name_or(&self, value: i32, unknown: &'static CStr) -> *const c_char {
        guard_value(unknown.as_ptr(), || {
            self.0
                .iter()
                .find(|row| row.0 == value)
                .map_or(unknown.as_ptr(), |row| row.1.as_ptr().cast())
        })
    }
}

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
        Ok(()) => Status::Ok as pinata_status,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_catches_panics() {
        let mut err: *mut pinata_error = std::ptr::null_mut();
        let status = guard(&mut err, || panic!("boom"));
        assert_eq!(status, Status::Internal as pinata_status);
        assert!(!err.is_null());
        unsafe { error::pinata_error_free(err) };
    }
}
