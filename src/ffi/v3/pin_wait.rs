//! V3 PIN BY CID: WAITING UNTIL PINNED
//!
//! pinata_files_pin_wait polls a request of pinata_files_pin_by_cid until it is pinned
//! or has failed, with the rules of the section "WAITING UNTIL PINNED".

use crate::ffi::client::pinata_client;
use crate::ffi::error::pinata_error;
use crate::ffi::v3::pin_by_cid::{pinata_files_pin_request, request_handle};
use crate::ffi::wait::{call_wait_fn, pinata_wait_fn, wait_options};
use crate::ffi::{
    arg_opt_str, arg_ref, arg_str, check_out, guard, into_handle, pinata_status, write_out,
};
use std::ffi::{c_char, c_void};

/// Polls the v3 pin-by-CID request `id` (from pinata_files_pin_by_cid or the queue
/// iterator) until it is pinned or has failed: pauses start at `interval_ms` and double
/// while nothing changes, up to `max_interval_ms`; past `budget_ms` the result is
/// `PINATA_E_TIMEOUT`; `on_status` (may be NULL) gets each new status (`"prechecking"`,
/// `"searching"`, `"retrieving"`, `"backfilled"`, ..., `"pinned"`); it or the client's
/// cancel flag (pinata_client_with_cancel) stops the wait with `PINATA_E_CANCELLED`.
/// 0 for a duration picks its default (10 minutes, 500 ms, 30 s).
///
/// A request that failed (`"expired"`, `"invalid_object"`, `"bad_host_node"`,
/// `"over_free_limit"`, `"over_max_size"`) ends the wait at once and is returned with
/// `PINATA_OK`: its status says why. A pinned request leaves the queue; it is then
/// recognised by its CID among the public files (so a request no longer queued whose
/// CID is pinned counts as pinned, however the CID got there). A request that is
/// neither queued nor pinned (cancelled, unknown) gives `PINATA_E_NOT_FOUND`.
///
/// @param cid          the request's CID (pinata_files_pin_request_cid), or NULL: the
///                     whole queue is then searched for `id` at each poll.
/// @param request_out  on success, the settled request (status `"pinned"` or a
///                     failure); free it with pinata_files_pin_request_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_files_pin_wait(
    client: *const pinata_client,
    id: *const c_char,
    cid: *const c_char,
    budget_ms: u64,
    interval_ms: u64,
    max_interval_ms: u64,
    on_status: pinata_wait_fn,
    userdata: *mut c_void,
    request_out: *mut *mut pinata_files_pin_request,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let id = arg_str(id, "id")?;
        let cid = arg_opt_str(cid, "cid")?;
        check_out(request_out, "request_out")?;
        let opts = wait_options(budget_ms, interval_ms, max_interval_ms)?;
        let done = client
            .inner
            .v3_pin_wait(id, cid, &opts, |s| call_wait_fn(on_status, userdata, s))?;
        write_out(request_out, into_handle(request_handle(done)));
        Ok(())
    })
}
