//! Reading response headers. The library needs a few headers of error answers only (the
//! retry hints, and the content type for diagnostics). libcurl 7.83 and later keep every
//! header and answer `curl_easy_header()` after the transfer, which costs nothing on
//! success; older libcurls (Ubuntu 22.04 ships 7.81) need a header callback, which runs
//! for every header line of every answer. The function is looked up at run time, so one
//! build works with either. The bundled flavour compiles in curl-sys' libcurl (8.x, with
//! the API), whose symbols are not exported from libpinata.so and so cannot be found that
//! way: it calls the function directly.

use std::ffi::{c_char, c_int, c_uint, c_void, CStr};

/// The response headers the library reads, lowercase.
pub(crate) const KEPT_HEADERS: [&CStr; 9] = [
    c"retry-after",
    c"x-ratelimit-reset",
    c"x-ratelimit-remaining",
    c"content-type",
    // TUS answers (src/v3/tus.rs) carry their results in headers.
    c"location",
    c"upload-offset",
    c"upload-length",
    c"upload-cid",
    c"tus-resumable",
];

/// `struct curl_header` (curl/header.h).
#[repr(C)]
struct CurlHeader {
    name: *mut c_char,
    value: *mut c_char,
    amount: usize,
    index: usize,
    origin: c_uint,
    anchor: *mut c_void,
}

/// `CURLH_HEADER`: a plain header of the response (not a trailer, not CONNECT's).
const CURLH_HEADER: c_uint = 1;
/// `CURLHE_OK`.
const CURLHE_OK: c_int = 0;

/// Spells `curl_easy_header`'s signature (curl/header.h) once, for both uses: the
/// fn-pointer type a run-time lookup yields, and (bundled flavour) the `extern`
/// declaration of the compiled-in function. An `extern` block cannot name a type alias,
/// hence the macro.
macro_rules! curl_easy_header_signature {
    (($($param:ident: $ty:ty),* $(,)?) -> $ret:ty) => {
        type EasyHeaderFn = unsafe extern "C" fn($($param: $ty),*) -> $ret;

        #[cfg(feature = "bundled")]
        extern "C" {
            fn curl_easy_header($($param: $ty),*) -> $ret;
        }
    };
}

curl_easy_header_signature!((
    easy: *mut curl_sys::CURL,
    name: *const c_char,
    index: usize,
    origin: c_uint,
    request: c_int,
    hout: *mut *mut CurlHeader,
) -> c_int);

/// `curl_easy_header()` of the libcurl this process uses, if it has one.
#[derive(Clone, Copy)]
pub(crate) struct HeaderApi(EasyHeaderFn);

static LOADED: once_cell::sync::Lazy<Option<HeaderApi>> = once_cell::sync::Lazy::new(lookup);

impl HeaderApi {
    /// The loaded libcurl's header API, or `None` (then a header callback is needed).
    pub(crate) fn loaded() -> Option<HeaderApi> {
        *LOADED
    }

    /// The kept headers of the last response `easy` received, as `(name, value)`.
    pub(crate) fn read_kept<H>(self, easy: &curl::easy::Easy2<H>) -> Vec<(String, String)> {
        let mut kept = Vec::new();
        for name in KEPT_HEADERS {
            let mut header: *mut CurlHeader = std::ptr::null_mut();
            // SAFETY: `easy` is a live handle, borrowed for the call; request -1 is the last
            // response (after any 100 Continue); `header` stays valid until the handle's
            // next call, and is read before this loop's next one.
            let rc =
                unsafe { (self.0)(easy.raw(), name.as_ptr(), 0, CURLH_HEADER, -1, &mut header) };
            if rc != CURLHE_OK || header.is_null() {
                continue;
            }
            // SAFETY: on success `header` points to a struct whose `value` is a
            // NUL-terminated string.
            let value = unsafe { CStr::from_ptr((*header).value) };
            kept.push((
                name.to_string_lossy().into_owned(),
                value.to_string_lossy().trim().to_string(),
            ));
        }
        kept
    }
}

/// The compiled-in libcurl's `curl_easy_header`.
#[cfg(feature = "bundled")]
fn lookup() -> Option<HeaderApi> {
    let api = HeaderApi(curl_easy_header);
    api.built_in().then_some(api)
}

/// Finds `curl_easy_header` in the libcurl that provides `curl_easy_init` to this
/// process (a shared libcurl, or one linked statically into the program).
#[cfg(all(unix, not(feature = "bundled")))]
fn lookup() -> Option<HeaderApi> {
    let init = curl_sys::curl_easy_init as *const c_void;
    // SAFETY: plain dynamic-loader queries; `info` is written by dladdr, and the
    // handle from RTLD_NOLOAD refers to an object that is already loaded (and stays
    // loaded, since it provides the functions this library calls).
    unsafe {
        let mut info: libc::Dl_info = std::mem::zeroed();
        if libc::dladdr(init, &mut info) == 0 || info.dli_fname.is_null() {
            return None;
        }
        let object = libc::dlopen(info.dli_fname, libc::RTLD_NOW | libc::RTLD_NOLOAD);
        if object.is_null() {
            return None;
        }
        let symbol = libc::dlsym(object, c"curl_easy_header".as_ptr());
        if symbol.is_null() {
            return None;
        }
        let api = HeaderApi(std::mem::transmute::<*mut c_void, EasyHeaderFn>(symbol));
        api.built_in().then_some(api)
    }
}

impl HeaderApi {
    /// Whether the API works: a libcurl built without it (`CURL_DISABLE_HEADERS_API`)
    /// has the function, which then answers `CURLHE_NOT_BUILT_IN`.
    fn built_in(self) -> bool {
        /// `CURLHE_NOT_BUILT_IN`.
        const CURLHE_NOT_BUILT_IN: c_int = 7;
        curl::init();
        // SAFETY: a fresh handle, asked about a request it never made, then freed.
        unsafe {
            let easy = curl_sys::curl_easy_init();
            if easy.is_null() {
                return false;
            }
            let mut header: *mut CurlHeader = std::ptr::null_mut();
            let rc = (self.0)(
                easy,
                c"retry-after".as_ptr(),
                0,
                CURLH_HEADER,
                -1,
                &mut header,
            );
            curl_sys::curl_easy_cleanup(easy);
            rc != CURLHE_NOT_BUILT_IN
        }
    }
}

#[cfg(not(any(unix, feature = "bundled")))]
fn lookup() -> Option<HeaderApi> {
    None
}
