//! VERSION AND MEMORY
//!
//! PINATA_VERSION_* above give the header's version, pinata_version() the library's.
//! Every `char *` the library returns is the caller's, freed with pinata_string_free.

use super::guard_void;
use std::ffi::{c_char, CString};

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

/// Frees a string returned by libpinata (`char *` outputs). NULL is ignored. Strings
/// borrowed from a handle (`const char *`) must not be passed here.
///
/// @param s  a `char *` output of libpinata, or NULL; not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn pinata_string_free(s: *mut c_char) {
    guard_void(|| {
        if !s.is_null() {
            drop(CString::from_raw(s));
        }
    })
}
