//! PINNING SERVICE API (PSA)
//!
//! The vendor-neutral IPFS Pinning Service API (Pinata serves it at /psa; Filebase,
//! 4EVERLAND and others serve the same): a pinata_psa_client made from an endpoint and
//! an access token, or from a Pinata client; add a pin (pinata_psa_pin: CID, name,
//! origins, meta), get, list through an iterator that pages by `before` on its own
//! (pinata_psa_query: every filter), replace, delete, and wait until pinned. The PSA
//! `Failure` body maps onto the usual statuses and error object (unknown request id:
//! PINATA_E_NOT_FOUND). Owned requests (pinata_psa_request) are the caller's;
//! pinata_psa_status is always borrowed, from a request or from an iterator.

use crate::ffi::client::{pinata_cancel, pinata_client};
use crate::ffi::error::pinata_error;
use crate::ffi::wait::{call_wait_fn, pinata_wait_fn, wait_options};
use crate::ffi::{
    arg_mut, arg_opt_str, arg_ref, arg_str, borrowed, check_out, free_handle, guard, guard_value,
    guard_void, into_handle, new_handle, opt_ptr, pinata_status, read, to_cstring, write_out,
};
use crate::psa::{Pin, PinStatus, PsaClient, PsaIter, PsaQuery, PsaStatus, TextMatch};
use std::ffi::{c_char, c_void, CString};
use std::time::Duration;

c_table! {
    /// A PSA request's status (`pinata_psa_status_status`, `pinata_psa_query_add_status`).
    static STATUSES: i32 => PsaStatus {
        /// Waiting to be processed.
        PINATA_PSA_QUEUED = 0 => PsaStatus::Queued,
        /// Being fetched from the network.
        PINATA_PSA_PINNING = 1 => PsaStatus::Pinning,
        /// Pinned.
        PINATA_PSA_PINNED = 2 => PsaStatus::Pinned,
        /// Failed for good.
        PINATA_PSA_FAILED = 3 => PsaStatus::Failed,
    }
}

c_table! {
    /// How the list's name filter matches (`pinata_psa_query_set_name`).
    static MATCHES: i32 => TextMatch {
        /// The exact name (the service's default).
        PINATA_PSA_MATCH_EXACT = 0 => TextMatch::Exact,
        /// The exact name, ignoring case.
        PINATA_PSA_MATCH_IEXACT = 1 => TextMatch::IExact,
        /// A substring of the name.
        PINATA_PSA_MATCH_PARTIAL = 2 => TextMatch::Partial,
        /// A substring of the name, ignoring case.
        PINATA_PSA_MATCH_IPARTIAL = 3 => TextMatch::IPartial,
    }
}

/// A Pinning Service API client: an endpoint and a bearer token, with the transport's
/// settings (timeouts, retries, proxy). Usable from many threads at once; free it with
/// `pinata_psa_client_free` after every call using it has returned. The token never
/// appears in error messages.
pub struct pinata_psa_client {
    pub(crate) inner: PsaClient,
}

/// Makes a client of the PSA at `endpoint` (e.g. `https://api.pinata.cloud/psa`, or any
/// provider's; no query, no `/pins` suffix; plain http only to loopback) with the access
/// token `token` (sent as `Authorization: Bearer`).
///
/// @param client_out  on success, a new client; free it with pinata_psa_client_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_client_new(
    endpoint: *const c_char,
    token: *const c_char,
    client_out: *mut *mut pinata_psa_client,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let endpoint = arg_str(endpoint, "endpoint")?;
        let token = arg_str(token, "token")?;
        check_out(client_out, "client_out")?;
        let inner = PsaClient::new(endpoint, token)?;
        write_out(client_out, into_handle(pinata_psa_client { inner }));
        Ok(())
    })
}

/// Makes the PSA client of a Pinata client: its JWT, its settings and cancel flag as they
/// are now, and its base URL + `/psa`. A client made with an API key and secret gives
/// `PINATA_E_INVALID_ARGUMENT` (the PSA takes bearer tokens only). `client` may be freed
/// afterwards.
///
/// @param client_out  on success, a new client; free it with pinata_psa_client_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_client_from_client(
    client: *const pinata_client,
    client_out: *mut *mut pinata_psa_client,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        check_out(client_out, "client_out")?;
        let inner = PsaClient::from_client(&client.inner)?;
        write_out(client_out, into_handle(pinata_psa_client { inner }));
        Ok(())
    })
}

/// Makes a PSA client sharing `client`'s token, connections and settings whose every
/// call (waits included, during their sleeps too) stops with `PINATA_E_CANCELLED` once
/// `cancel` is raised.
///
/// @param client_out  on success, a new client; free it with pinata_psa_client_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_client_with_cancel(
    client: *const pinata_psa_client,
    cancel: *const pinata_cancel,
    client_out: *mut *mut pinata_psa_client,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let cancel = arg_ref(cancel, "cancel")?;
        check_out(client_out, "client_out")?;
        let mut inner = client.inner.clone();
        *inner.client_mut() = inner.client().with_cancel(cancel.token.clone());
        write_out(client_out, into_handle(pinata_psa_client { inner }));
        Ok(())
    })
}

/// Sets the retry policy of a PSA client made by `pinata_psa_client_new` (clients made
/// from a Pinata client start with its policy): at most `max_retries` retries of 429,
/// 5xx and network failures within `budget_ms` milliseconds.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_client_set_retry_policy(
    client: *mut pinata_psa_client,
    max_retries: u32,
    budget_ms: u64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_mut(client, "client")?;
        client
            .inner
            .client_mut()
            .set_retry_policy(max_retries, Duration::from_millis(budget_ms));
        Ok(())
    })
}

/// Frees a PSA client. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_client_free(client: *mut pinata_psa_client) {
    guard_void(|| free_handle(client))
}

/// What to pin: a CID, and optionally a name, origins and meta (the spec's `Pin`). One
/// thread at a time; calls only read it.
pub struct pinata_psa_pin {
    inner: Pin,
}

/// Creates a pin of `cid` (checked now: a malformed CID gives
/// `PINATA_E_INVALID_ARGUMENT`).
///
/// @param pin_out  on success, a new pin; free it with pinata_psa_pin_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_pin_new(
    cid: *const c_char,
    pin_out: *mut *mut pinata_psa_pin,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let cid = arg_str(cid, "cid")?;
        check_out(pin_out, "pin_out")?;
        let pin = Pin::new(cid);
        pin.check()?;
        write_out(pin_out, into_handle(pinata_psa_pin { inner: pin }));
        Ok(())
    })
}

/// Frees a pin. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_pin_free(pin: *mut pinata_psa_pin) {
    guard_void(|| free_handle(pin))
}

/// The pin's name (at most 255 characters, no control characters); NULL for none.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_pin_set_name(
    pin: *mut pinata_psa_pin,
    name: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let pin = arg_mut(pin, "pin")?;
        let name = arg_opt_str(name, "name")?.map(str::to_string);
        let mut next = pin.inner.clone();
        next.name = name;
        next.check()?;
        pin.inner = next;
        Ok(())
    })
}

/// Adds an origin: a multiaddr of a peer that has the content (e.g.
/// `/ip4/203.0.113.7/tcp/4001/p2p/12D3KooW…`). Checked: known protocols, well-formed
/// values, real peer ids; at most 20.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_pin_add_origin(
    pin: *mut pinata_psa_pin,
    origin: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let pin = arg_mut(pin, "pin")?;
        let origin = arg_str(origin, "origin")?;
        pin.inner.add_origin(origin)
    })
}

/// Drops origins in private ranges (RFC 1918, loopback, link-local, CGNAT, fc00::/7)
/// before sending: a remote service cannot reach them, and Pinata refuses them with
/// `INVALID_ORIGINS`. Off by default.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_pin_set_drop_private_origins(
    pin: *mut pinata_psa_pin,
    drop_private: bool,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        arg_mut(pin, "pin")?.inner.drop_private_origins = drop_private;
        Ok(())
    })
}

/// Sets a meta pair (string to string).
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_pin_set_meta(
    pin: *mut pinata_psa_pin,
    key: *const c_char,
    value: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let pin = arg_mut(pin, "pin")?;
        let key = arg_str(key, "key")?;
        let value = arg_str(value, "value")?;
        pin.inner.set_meta(key, value)
    })
}

/// A request's fields, borrowed: from a `pinata_psa_request` (until
/// `pinata_psa_request_free`) or from an iterator (until its next call or free). There
/// is no free function: it is never the caller's.
pub struct pinata_psa_status {
    status: PsaStatus,
    requestid: CString,
    created: CString,
    cid: CString,
    name: Option<CString>,
    origins: Vec<CString>,
    delegates: Vec<CString>,
    meta_json: CString,
    info_json: CString,
    raw_json: CString,
}

impl pinata_psa_status {
    fn new(s: PinStatus) -> pinata_psa_status {
        pinata_psa_status {
            status: s.status,
            requestid: to_cstring(&s.requestid),
            created: to_cstring(&s.created),
            cid: to_cstring(&s.pin.cid),
            name: s.pin.name.as_deref().map(to_cstring),
            origins: s.pin.origins.iter().map(|o| to_cstring(o)).collect(),
            delegates: s.delegates.iter().map(|d| to_cstring(d)).collect(),
            meta_json: to_cstring(&serde_json::json!(s.pin.meta).to_string()),
            info_json: to_cstring(&serde_json::json!(s.info).to_string()),
            raw_json: to_cstring(&s.raw.to_string()),
        }
    }
}

/// A request returned by add, get, replace or wait, owned by the caller: read it with
/// `pinata_psa_request_status`, free it with `pinata_psa_request_free`.
pub struct pinata_psa_request {
    status: pinata_psa_status,
}

fn write_request(out: *mut *mut pinata_psa_request, s: PinStatus) {
    let status = pinata_psa_status::new(s);
    unsafe { write_out(out, into_handle(pinata_psa_request { status })) };
}

/// The fields of an owned request, borrowed until `pinata_psa_request_free(request)`;
/// NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_request_status(
    request: *const pinata_psa_request,
) -> *const pinata_psa_status {
    guard_value(std::ptr::null(), || {
        request
            .as_ref()
            .map_or(std::ptr::null(), |r| &r.status as *const pinata_psa_status)
    })
}

/// Frees a request. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_request_free(request: *mut pinata_psa_request) {
    guard_void(|| free_handle(request))
}

/// The request id. Borrowed from the status's owner; NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_status_requestid(
    status: *const pinata_psa_status,
) -> *const c_char {
    borrowed(status, |s| s.requestid.as_ptr())
}

/// The status (`PINATA_PSA_QUEUED`, …), or -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_status_status(status: *const pinata_psa_status) -> i32 {
    read(status, -1, |s| STATUSES.value_of(s.status).unwrap_or(-1))
}

/// When the request was made (RFC 3339, as the service sent it). Borrowed; NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_status_created(
    status: *const pinata_psa_status,
) -> *const c_char {
    borrowed(status, |s| s.created.as_ptr())
}

/// The pinned CID. Borrowed; NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_status_cid(status: *const pinata_psa_status) -> *const c_char {
    borrowed(status, |s| s.cid.as_ptr())
}

/// The pin's name, or NULL when it has none. Borrowed.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_status_name(status: *const pinata_psa_status) -> *const c_char {
    borrowed(status, |s| opt_ptr(&s.name))
}

/// How many origins the pin has (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_status_origin_count(status: *const pinata_psa_status) -> usize {
    read(status, 0, |s| s.origins.len())
}

/// Origin `index` (0-based), or NULL past the end. Borrowed.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_status_origin(
    status: *const pinata_psa_status,
    index: usize,
) -> *const c_char {
    borrowed(status, |s| {
        s.origins
            .get(index)
            .map_or(std::ptr::null(), |c| c.as_ptr())
    })
}

/// How many valid delegates the service named (0 for NULL): multiaddrs with a `/p2p/`
/// peer id; entries that are not are left out (the raw JSON has them).
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_status_delegate_count(
    status: *const pinata_psa_status,
) -> usize {
    read(status, 0, |s| s.delegates.len())
}

/// Delegate `index` (0-based), or NULL past the end. Borrowed.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_status_delegate(
    status: *const pinata_psa_status,
    index: usize,
) -> *const c_char {
    borrowed(status, |s| {
        s.delegates
            .get(index)
            .map_or(std::ptr::null(), |c| c.as_ptr())
    })
}

/// The pin's meta as a JSON object text (`{}` when empty). Borrowed; NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_status_meta_json(
    status: *const pinata_psa_status,
) -> *const c_char {
    borrowed(status, |s| s.meta_json.as_ptr())
}

/// The provider's `info` as a JSON object text (`{}` when none; Pinata puts
/// `pinata_pinjob_status` there). Borrowed; NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_status_info_json(
    status: *const pinata_psa_status,
) -> *const c_char {
    borrowed(status, |s| s.info_json.as_ptr())
}

/// The whole `PinStatus` object as the service sent it (JSON). Borrowed; NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_status_raw_json(
    status: *const pinata_psa_status,
) -> *const c_char {
    borrowed(status, |s| s.raw_json.as_ptr())
}

/// Asks the service to pin (`POST /pins`).
///
/// @param request_out  on success, the new request (usually queued); free it with
///                     pinata_psa_request_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_add(
    client: *const pinata_psa_client,
    pin: *const pinata_psa_pin,
    request_out: *mut *mut pinata_psa_request,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let pin = arg_ref(pin, "pin")?;
        check_out(request_out, "request_out")?;
        let s = client.inner.add(&pin.inner)?;
        write_request(request_out, s);
        Ok(())
    })
}

/// Gets a request by id (`GET /pins/{requestid}`); an unknown id gives
/// `PINATA_E_NOT_FOUND`.
///
/// @param request_out  on success, the request; free it with pinata_psa_request_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_get(
    client: *const pinata_psa_client,
    requestid: *const c_char,
    request_out: *mut *mut pinata_psa_request,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let id = arg_str(requestid, "requestid")?;
        check_out(request_out, "request_out")?;
        let s = client.inner.get(id)?;
        write_request(request_out, s);
        Ok(())
    })
}

/// Replaces a request with a new pin (`POST /pins/{requestid}`): the answer has a new
/// request id, and the old id is gone.
///
/// @param request_out  on success, the new request; free it with pinata_psa_request_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_replace(
    client: *const pinata_psa_client,
    requestid: *const c_char,
    pin: *const pinata_psa_pin,
    request_out: *mut *mut pinata_psa_request,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let id = arg_str(requestid, "requestid")?;
        let pin = arg_ref(pin, "pin")?;
        check_out(request_out, "request_out")?;
        let s = client.inner.replace(id, &pin.inner)?;
        write_request(request_out, s);
        Ok(())
    })
}

/// Removes a request and its pin (`DELETE /pins/{requestid}`); an unknown id gives
/// `PINATA_E_NOT_FOUND`.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_delete(
    client: *const pinata_psa_client,
    requestid: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let id = arg_str(requestid, "requestid")?;
        client.inner.delete(id)
    })
}

/// Polls a request (`GET /pins/{requestid}`) until it is pinned or failed, pausing
/// `interval_ms` after the first poll and doubling the pause while nothing changes, up to
/// `max_interval_ms`; a status change resets it. Past `budget_ms` it gives
/// `PINATA_E_TIMEOUT`. A failed request is returned with `PINATA_OK`: read its status.
/// `on_status` (may be NULL) gets each new status; it or the client's cancel flag
/// (`pinata_psa_client_with_cancel`) stops the wait with `PINATA_E_CANCELLED`.
/// 0 for `budget_ms`, `interval_ms` or `max_interval_ms` picks 10 minutes, 500 ms, 30 s.
///
/// @param request_out  on success, the settled request; free it with
///                     pinata_psa_request_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_wait(
    client: *const pinata_psa_client,
    requestid: *const c_char,
    budget_ms: u64,
    interval_ms: u64,
    max_interval_ms: u64,
    on_status: pinata_wait_fn,
    userdata: *mut c_void,
    request_out: *mut *mut pinata_psa_request,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let id = arg_str(requestid, "requestid")?;
        check_out(request_out, "request_out")?;
        let opts = wait_options(budget_ms, interval_ms, max_interval_ms)?;
        let s = client
            .inner
            .wait(id, &opts, |st| call_wait_fn(on_status, userdata, st))?;
        write_request(request_out, s);
        Ok(())
    })
}

/// List filters (every one of the spec's): CIDs, name and match mode, statuses, before,
/// after, page size, meta. One thread at a time.
pub struct pinata_psa_query {
    inner: PsaQuery,
}

/// Creates an empty query: the service's defaults (pinned requests only, 10 a page).
///
/// @param query_out  on success, a new query; free it with pinata_psa_query_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_query_new(
    query_out: *mut *mut pinata_psa_query,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    new_handle(query_out, "query_out", err_out, || pinata_psa_query {
        inner: PsaQuery::default(),
    })
}

/// Frees a query. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_query_free(query: *mut pinata_psa_query) {
    guard_void(|| free_handle(query))
}

/// Adds a CID to the filter; an 11th gives `PINATA_E_INVALID_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_query_add_cid(
    query: *mut pinata_psa_query,
    cid: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let query = arg_mut(query, "query")?;
        let cid = arg_str(cid, "cid")?;
        query.inner.add_cid(cid)
    })
}

/// Filters by name, matched per `match_mode` (`PINATA_PSA_MATCH_*`); NULL removes the
/// filter.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_query_set_name(
    query: *mut pinata_psa_query,
    name: *const c_char,
    match_mode: i32,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let query = arg_mut(query, "query")?;
        let name = arg_opt_str(name, "name")?.map(str::to_string);
        let mode = MATCHES.arg(match_mode, "match_mode", "PINATA_PSA_MATCH_*")?;
        let mut next = query.inner.clone();
        next.name = name;
        next.name_match = mode;
        next.check()?;
        query.inner = next;
        Ok(())
    })
}

/// Adds a status to the filter (`PINATA_PSA_*`); without any, the service lists pinned
/// requests only.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_query_add_status(
    query: *mut pinata_psa_query,
    status: i32,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let query = arg_mut(query, "query")?;
        let s = STATUSES.arg(status, "status", "PINATA_PSA_* status")?;
        if !query.inner.statuses.contains(&s) {
            query.inner.statuses.push(s);
        }
        Ok(())
    })
}

/// Only requests created before / after an RFC 3339 time (e.g. `2024-01-31T12:00:00Z`);
/// NULL removes the bound. `which`: 0 = before, 1 = after.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_query_set_time(
    query: *mut pinata_psa_query,
    which: i32,
    time: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let query = arg_mut(query, "query")?;
        let t = arg_opt_str(time, "time")?.map(str::to_string);
        let mut next = query.inner.clone();
        match which {
            0 => next.before = t,
            1 => next.after = t,
            _ => {
                return Err(crate::Error::invalid_argument(
                    "`which` must be 0 (before) or 1 (after)",
                ))
            }
        }
        next.check().map_err(|e| {
            e.rename_argument("before", "time")
                .rename_argument("after", "time")
        })?;
        query.inner = next;
        Ok(())
    })
}

/// The page size (1–1000); the iterator fetches pages of this size.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_query_set_limit(
    query: *mut pinata_psa_query,
    limit: u32,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let query = arg_mut(query, "query")?;
        let mut next = query.inner.clone();
        next.limit = Some(limit);
        next.check()?;
        query.inner = next;
        Ok(())
    })
}

/// Only requests whose meta holds this pair (every pair set must hold).
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_query_set_meta(
    query: *mut pinata_psa_query,
    key: *const c_char,
    value: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let query = arg_mut(query, "query")?;
        let key = arg_str(key, "key")?;
        let value = arg_str(value, "value")?;
        let mut next = query.inner.clone();
        next.meta.insert(key.to_string(), value.to_string());
        next.check()?;
        query.inner = next;
        Ok(())
    })
}

/// Walks every request matching a query, newest first, fetching the next page with
/// `before` = the oldest `created` seen. One thread at a time; holds its own reference
/// to the client, so the client may be freed first.
pub struct pinata_psa_list_iter {
    iter: PsaIter,
    current: Option<pinata_psa_status>,
}

/// Starts a listing (no request until the first `pinata_psa_list_iter_next`). `query`
/// (NULL: the service's defaults) is copied.
///
/// @param iter_out  on success, a new iterator; free it with pinata_psa_list_iter_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_list_iter_new(
    client: *const pinata_psa_client,
    query: *const pinata_psa_query,
    iter_out: *mut *mut pinata_psa_list_iter,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        check_out(iter_out, "iter_out")?;
        let default = PsaQuery::default();
        let q = query.as_ref().map_or(&default, |q| &q.inner);
        let iter = client.inner.list(q)?;
        write_out(
            iter_out,
            into_handle(pinata_psa_list_iter {
                iter,
                current: None,
            }),
        );
        Ok(())
    })
}

/// Moves to the next request: `*status_out` receives it (borrowed until the next call or
/// the iterator's free), or NULL at the end. On failure the call may be repeated (the
/// failed page is fetched again).
///
/// @param status_out  on success, the next request or NULL at the end.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_list_iter_next(
    iter: *mut pinata_psa_list_iter,
    status_out: *mut *const pinata_psa_status,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let iter = arg_mut(iter, "iter")?;
        check_out(status_out, "status_out")?;
        let next = iter.iter.next_status()?;
        iter.current = next.map(pinata_psa_status::new);
        let ptr = iter
            .current
            .as_ref()
            .map_or(std::ptr::null(), |s| s as *const pinata_psa_status);
        write_out(status_out, ptr);
        Ok(())
    })
}

/// The count the service reported on the first page, or -1 before it (or for NULL).
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_list_iter_total(iter: *const pinata_psa_list_iter) -> i64 {
    read(iter, -1, |i| {
        i.iter
            .total()
            .map_or(-1, |c| i64::try_from(c).unwrap_or(i64::MAX))
    })
}

/// Frees an iterator. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_psa_list_iter_free(iter: *mut pinata_psa_list_iter) {
    guard_void(|| free_handle(iter))
}
