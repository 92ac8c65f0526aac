//! LEGACY PIN-BY-CID JOBS: WAITING UNTIL PINNED
//!
//! pinata_pin_job_wait polls a job of pinata_pin_by_cid until it is pinned or has
//! failed, with the rules of the section "WAITING UNTIL PINNED".

use crate::ffi::client::pinata_client;
use crate::ffi::error::pinata_error;
use crate::ffi::legacy::pinning::{pinata_pin_job, pinata_pin_job_info};
use crate::ffi::wait::{call_wait_fn, pinata_wait_fn, wait_options};
use crate::ffi::{arg_ref, check_out, guard, into_handle, pinata_status, write_out};
use crate::legacy::pinning::PinJob;
use std::ffi::c_void;

/// Polls a pin-by-CID job (`pinata_pin_by_cid`, or a row of a job list) until it is
/// pinned or has failed, with the same backoff, budget and callback rules as
/// `pinata_psa_wait`: pauses start at `interval_ms` and double while nothing changes, up
/// to `max_interval_ms`; past `budget_ms` the result is `PINATA_E_TIMEOUT`; `on_status`
/// (may be NULL) gets each new job status (`"prechecking"`, `"searching"`, ...,
/// `"pinned"`); it or the client's cancel flag stops the wait with `PINATA_E_CANCELLED`.
/// A failed job (`"expired"`, `"invalid_object"`, ...) is returned with `PINATA_OK`: read
/// its status. A job that is neither listed nor pinned gives `PINATA_E_NOT_FOUND`.
/// 0 for a duration picks its default (10 minutes, 500 ms, 30 s).
///
/// @param job_out  on success, the settled job (status `"pinned"` or a failure); free it
///                 with pinata_pin_job_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_job_wait(
    client: *const pinata_client,
    job: *const pinata_pin_job_info,
    budget_ms: u64,
    interval_ms: u64,
    max_interval_ms: u64,
    on_status: pinata_wait_fn,
    userdata: *mut c_void,
    job_out: *mut *mut pinata_pin_job,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let info = arg_ref(job, "job")?;
        check_out(job_out, "job_out")?;
        let opts = wait_options(budget_ms, interval_ms, max_interval_ms)?;
        let job = PinJob {
            id: info.id.to_string_lossy().into_owned(),
            cid: info.cid.to_string_lossy().into_owned(),
            status: info.status.to_string_lossy().into_owned(),
            name: None,
            date_queued: None,
            raw: serde_json::Value::Null,
        };
        let done = client
            .inner
            .wait_pin_job(&job, &opts, |s| call_wait_fn(on_status, userdata, s))?;
        let info = pinata_pin_job_info::new(done);
        write_out(job_out, into_handle(pinata_pin_job { info }));
        Ok(())
    })
}
