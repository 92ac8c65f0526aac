//! THE CLIENT
//!
//! A pinata_client holds the credentials (JWT, or API key and secret), the base URL,
//! timeouts, the retry policy and pooled connections. Configure it first, then share
//! it between threads. A pinata_cancel flag stops calls from any thread.

use super::error::pinata_error;
use super::{
    arg_mut, arg_ref, arg_str, check_out, free_handle, guard, guard_void, into_handle, new_handle,
    pinata_status, write_out,
};
use crate::client::Client;
use crate::error::Result;
use crate::transport::{CancelToken, HttpVersion};
use std::ffi::c_char;
use std::time::Duration;

c_table! {
    /// The HTTP versions of `pinata_client_set_http_version`.
    static HTTP_VERSIONS: i32 => HttpVersion {
        /// The library chooses per request type (the default): HTTP/1.1 for file uploads,
        /// which it streams faster, HTTP/2 offered by ALPN for every other call.
        PINATA_HTTP_VERSION_AUTO = 0 => HttpVersion::Auto,
        /// HTTP/1.1 for every call.
        PINATA_HTTP_VERSION_1_1 = 1 => HttpVersion::Http1_1,
        /// HTTP/2 for every call over https:// (offered by ALPN; HTTP/1.1 when the server
        /// declines it, and over plain http://).
        PINATA_HTTP_VERSION_2 = 2 => HttpVersion::Http2,
    }
}

/// A configured connection to Pinata. Thread safety: once configured, a client may be
/// used from many threads at once by every function that takes `const pinata_client *`;
/// the setters (taking `pinata_client *`) need exclusive access. Free it with
/// `pinata_client_free` after every call using it has returned.
pub struct pinata_client {
    pub(crate) inner: Client,
}

fn new_client(
    client_out: *mut *mut pinata_client,
    make: impl FnOnce() -> Result<Client>,
) -> Result<()> {
    check_out(client_out, "client_out")?;
    let inner = make()?;
    // SAFETY: checked non-NULL above.
    unsafe { write_out(client_out, into_handle(pinata_client { inner })) };
    Ok(())
}

/// Creates a client that authenticates with a JWT (`Authorization: Bearer`). The JWT is
/// copied; it is wiped from memory when the client is freed. A JWT with CR, LF, NUL,
/// spaces or invalid UTF-8 gives `PINATA_E_INVALID_ARGUMENT` (nothing is sent).
///
/// @param jwt         the JWT; copied.
/// @param client_out  on success, a new client; free it with pinata_client_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_client_new_jwt(
    jwt: *const c_char,
    client_out: *mut *mut pinata_client,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let jwt = arg_str(jwt, "jwt")?;
        new_client(client_out, || Client::with_jwt(jwt))
    })
}

/// Creates a client that authenticates with an API key and its secret (headers
/// `pinata_api_key` and `pinata_secret_api_key`). Both are copied and wiped from memory
/// when the client is freed. Values with CR, LF, NUL, spaces or invalid UTF-8 give
/// `PINATA_E_INVALID_ARGUMENT`.
///
/// @param client_out  on success, a new client; free it with pinata_client_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_client_new_keys(
    api_key: *const c_char,
    secret_api_key: *const c_char,
    client_out: *mut *mut pinata_client,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let api_key = arg_str(api_key, "api_key")?;
        let secret = arg_str(secret_api_key, "secret_api_key")?;
        new_client(client_out, || Client::with_keys(api_key, secret))
    })
}

/// Frees a client, wiping its credentials. NULL is ignored. No call may be using the
/// client at the same time.
#[no_mangle]
pub unsafe extern "C" fn pinata_client_free(client: *mut pinata_client) {
    guard_void(|| free_handle(client))
}

/// Overrides the base URL `https://api.pinata.cloud` (tests, the emulator, proxies).
/// `http://` is accepted only for loopback hosts (127.0.0.0/8, ::1, localhost) unless
/// `pinata_client_set_allow_insecure_http` was called first. A trailing slash is dropped.
#[no_mangle]
pub unsafe extern "C" fn pinata_client_set_base_url(
    client: *mut pinata_client,
    base_url: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_mut(client, "client")?;
        let url = arg_str(base_url, "base_url")?;
        client.inner.set_base_url(url)
    })
}

/// Overrides the v3 upload host `https://uploads.pinata.cloud` (where `pinata_upload_*`
/// and `pinata_sign_upload_url` go), with the same rules as `pinata_client_set_base_url`.
#[no_mangle]
pub unsafe extern "C" fn pinata_client_set_upload_url(
    client: *mut pinata_client,
    upload_url: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_mut(client, "client")?;
        let url = arg_str(upload_url, "upload_url")?;
        client.inner.set_upload_url(url)
    })
}

/// Allows (non-zero) or forbids (0, the default) a plain `http://` base URL to a host
/// that is not loopback. Credentials then travel unencrypted: use only behind a trusted
/// proxy.
#[no_mangle]
pub unsafe extern "C" fn pinata_client_set_allow_insecure_http(
    client: *mut pinata_client,
    allow: bool,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        arg_mut(client, "client")?
            .inner
            .set_allow_insecure_http(allow);
        Ok(())
    })
}

/// Sets one timeout given in milliseconds; the safe API checks it, and its error
/// names the argument as the C prototype does.
fn set_timeout_ms(
    client: *mut pinata_client,
    timeout_ms: u64,
    set: fn(&mut Client, Duration) -> Result<()>,
) -> Result<()> {
    // SAFETY: the exported callers pass NULL or a live client used by no other thread.
    let client = unsafe { arg_mut(client, "client")? };
    set(&mut client.inner, Duration::from_millis(timeout_ms))
        .map_err(|e| e.rename_argument("timeout", "timeout_ms"))
}

/// Time allowed to establish a connection, in milliseconds (default 10000). 0 gives
/// `PINATA_E_INVALID_ARGUMENT`.
///
/// @param timeout_ms  1 or more.
#[no_mangle]
pub unsafe extern "C" fn pinata_client_set_connect_timeout_ms(
    client: *mut pinata_client,
    timeout_ms: u64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        set_timeout_ms(client, timeout_ms, Client::set_connect_timeout)
    })
}

/// Total time allowed for one attempt of a small call (everything but uploads), in
/// milliseconds (default 60000). 0 gives `PINATA_E_INVALID_ARGUMENT`.
///
/// @param timeout_ms  1 or more.
#[no_mangle]
pub unsafe extern "C" fn pinata_client_set_request_timeout_ms(
    client: *mut pinata_client,
    timeout_ms: u64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        set_timeout_ms(client, timeout_ms, Client::set_request_timeout)
    })
}

/// Uploads fail with `PINATA_E_TIMEOUT` when no byte moves for this many milliseconds
/// (default 60000). Uploads have no total limit. 0 gives `PINATA_E_INVALID_ARGUMENT`.
///
/// @param timeout_ms  1 or more.
#[no_mangle]
pub unsafe extern "C" fn pinata_client_set_stall_timeout_ms(
    client: *mut pinata_client,
    timeout_ms: u64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        set_timeout_ms(client, timeout_ms, Client::set_stall_timeout)
    })
}

/// Caps the body of an answer a call holds in memory: JSON and text answers of every
/// API call, error answers included (default 33554432, 32 MiB; 0 restores it). An
/// answer that announces a larger size is refused before any of it arrives, one that
/// does not (chunked) at the byte past the cap; either way the call fails with
/// `PINATA_E_PROTOCOL` and is not retried. Pinata's answers are small: lower it on a
/// device short of memory. Caps from 1 to 65535 give `PINATA_E_INVALID_ARGUMENT`, so
/// that an error answer (a 429 or a proxy's 502 page) still arrives whole, with its
/// status and `Retry-After`; caps over 2^63 - 1 are taken as 2^63 - 1. Downloads have
/// their own caps (`pinata_download_options_set_max_bytes`).
///
/// @param bytes  the largest body accepted: 0 for the default, else 65536 or more.
#[no_mangle]
pub unsafe extern "C" fn pinata_client_set_max_response_bytes(
    client: *mut pinata_client,
    bytes: u64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        arg_mut(client, "client")?
            .inner
            .set_max_response_bytes(bytes)
    })
}

/// The retry budget of every call: at most `max_retries` retries after the first
/// attempt (default 3; 0 turns retries off), all within `budget_ms` milliseconds in
/// total, backoff sleeps included (default 120000). Only network failures, 429, 408,
/// 502/503/504 (and 500 for reads) are retried, with exponential backoff, full jitter,
/// and never sooner than the server's `Retry-After`.
///
/// @param max_retries  retries after the first attempt; 0 turns retries off.
/// @param budget_ms    total time for all attempts and backoff sleeps.
#[no_mangle]
pub unsafe extern "C" fn pinata_client_set_retry_policy(
    client: *mut pinata_client,
    max_retries: u32,
    budget_ms: u64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_mut(client, "client")?;
        client
            .inner
            .set_retry_policy(max_retries, Duration::from_millis(budget_ms));
        Ok(())
    })
}

/// The backoff steps in milliseconds: the first retry waits up to `base_ms` (default
/// 500), each further one up to twice as long, capped at `max_ms` (default 30000).
/// `base_ms > max_ms` gives `PINATA_E_INVALID_ARGUMENT`.
///
/// @param base_ms  at most max_ms.
#[no_mangle]
pub unsafe extern "C" fn pinata_client_set_backoff_ms(
    client: *mut pinata_client,
    base_ms: u64,
    max_ms: u64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_mut(client, "client")?;
        client.inner.set_backoff(
            Duration::from_millis(base_ms),
            Duration::from_millis(max_ms),
        )
    })
}

/// Trusts the CA certificates in the PEM file at `path` instead of the system store.
/// TLS verification itself can never be turned off. A missing file gives `PINATA_E_IO`;
/// a file that is not PEM certificates makes every call fail with `PINATA_E_TLS`.
///
/// Without this setting the system build trusts what the system's libcurl trusts (on
/// Debian, `/etc/ssl/certs/ca-certificates.crt`). The bundled build (libcurl and rustls
/// built in) trusts, on Linux and the BSDs, the first existing file of `$SSL_CERT_FILE`,
/// `/etc/ssl/certs/ca-certificates.crt`, `/etc/pki/tls/certs/ca-bundle.crt`,
/// `/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem`, `/etc/ssl/ca-bundle.pem`,
/// `/etc/ssl/cert.pem` and `/usr/local/share/certs/ca-root-nss.crt` (looked up once per
/// process); on Apple platforms, Android and Windows, or when no such file exists, the
/// platform's own verifier. This setting always wins, and is then the only trust.
#[no_mangle]
pub unsafe extern "C" fn pinata_client_set_ca_bundle(
    client: *mut pinata_client,
    path: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_mut(client, "client")?;
        let path = arg_str(path, "path")?;
        client.inner.set_ca_bundle(std::path::Path::new(path))
    })
}

/// The HTTP version the client negotiates: one of the `PINATA_HTTP_VERSION_*`
/// constants. `PINATA_HTTP_VERSION_AUTO` (the default) lets the library choose per
/// request type; the others force that version for every call. Another value gives
/// `PINATA_E_INVALID_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn pinata_client_set_http_version(
    client: *mut pinata_client,
    version: i32,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_mut(client, "client")?;
        let version = HTTP_VERSIONS.arg(version, "version", "PINATA_HTTP_VERSION")?;
        client.inner.set_http_version(version);
        Ok(())
    })
}

/// Chooses how the client reaches the server through an HTTP proxy:
/// - `proxy` NULL (the default): the environment decides, as in libcurl: `https_proxy`
///   for https:// (`http_proxy` for http://), else `all_proxy`; hosts listed in
///   `no_proxy` are reached directly.
/// - `proxy` "": no proxy at all, whatever the environment says.
/// - `proxy` a URL, `http://[user:password@]host:port` (also `https://`, `socks5://`,
///   `socks5h://`): that proxy; `no_proxy` still applies. HTTPS travels through a
///   CONNECT tunnel, so the proxy never sees the credentials or the data.
///
/// The URL is copied; its credentials are wiped when the client is freed and never
/// appear in messages. A proxy that refuses the tunnel (403, 407, ...) fails the call
/// with `PINATA_E_NETWORK`, its message naming the proxy's HTTP status. A URL with
/// another scheme, no host, spaces or control characters gives
/// `PINATA_E_INVALID_ARGUMENT`.
///
/// @param proxy  NULL, "", or a proxy URL.
#[no_mangle]
pub unsafe extern "C" fn pinata_client_set_proxy(
    client: *mut pinata_client,
    proxy: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_mut(client, "client")?;
        let proxy = if proxy.is_null() {
            None
        } else {
            Some(arg_str(proxy, "proxy")?)
        };
        client.inner.set_proxy(proxy)
    })
}

/// A cancel flag: `pinata_cancel_request` from any thread stops every call using it
/// (uploads mid-transfer, and retries during their backoff sleep) with
/// `PINATA_E_CANCELLED`. Attach it to one upload with `pinata_pin_options_set_cancel`, or
/// to every call of a derived client with `pinata_client_with_cancel`.
pub struct pinata_cancel {
    pub(crate) token: CancelToken,
}

/// Creates a cancel flag, not raised.
///
/// @param cancel_out  on success, a new flag; free it with pinata_cancel_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_cancel_new(
    cancel_out: *mut *mut pinata_cancel,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    new_handle(cancel_out, "cancel_out", err_out, || pinata_cancel {
        token: CancelToken::new(),
    })
}

/// Raises the flag. Safe from any thread, at any time while the handle is alive; calls
/// in flight return `PINATA_E_CANCELLED` promptly. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_cancel_request(cancel: *const pinata_cancel) {
    guard_void(|| {
        if let Some(c) = cancel.as_ref() {
            c.token.cancel();
        }
    })
}

/// Lowers the flag so it can serve later calls. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_cancel_reset(cancel: *const pinata_cancel) {
    guard_void(|| {
        if let Some(c) = cancel.as_ref() {
            c.token.reset();
        }
    })
}

/// Frees a cancel flag. Options that were given it keep their own reference, so this
/// is safe at any time. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_cancel_free(cancel: *mut pinata_cancel) {
    guard_void(|| free_handle(cancel))
}

/// Makes a client that shares `client`'s credentials, connections and current settings
/// and whose every call stops with `PINATA_E_CANCELLED` once `cancel` is raised (during
/// a transfer or a retry's backoff sleep). Cheap; free it with `pinata_client_free`
/// (before or after `client`). Bindings use it to tie calls to a context.
///
/// @param client_out  on success, a new client; free it with pinata_client_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_client_with_cancel(
    client: *const pinata_client,
    cancel: *const pinata_cancel,
    client_out: *mut *mut pinata_client,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let cancel = arg_ref(cancel, "cancel")?;
        check_out(client_out, "client_out")?;
        let inner = client.inner.with_cancel(cancel.token.clone());
        write_out(client_out, into_handle(pinata_client { inner }));
        Ok(())
    })
}
