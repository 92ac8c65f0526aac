//! WAITING UNTIL PINNED
//!
//! The wait helpers' shared callback type, and the wait of legacy pin-by-CID jobs
//! (pinata_pin_job_wait); PSA requests wait with pinata_psa_wait (next section). Both
//! poll with backoff within a time budget, report each status change, and stop on
//! cancellation.

use crate::error::Result;
use crate::ffi::client::pinata_client;
use crate::ffi::error::pinata_error;
use crate::ffi::legacy::pinning::{pinata_pin_job, pinata_pin_job_info};
use crate::ffi::{arg_ref, check_out, guard, into_handle, pinata_status, to_cstring, write_out};
use crate::legacy::pinning::PinJob;
use crate::wait::WaitOptions;
use std::ffi::{c_char, c_void};
use std::time::Duration;

/// Status callback of the wait functions: called with each new status name
/// (`"queued"`, `"pinning"`, `"pinned"`, `"failed"`; for pin-by-CID jobs Pinata's job
/// statuses such as `"prechecking"`), borrowed for the call only. Return 0 to go on,
/// non-zero to stop the wait (`PINATA_E_CANCELLED`). Runs on the waiting thread.
pub type pinata_wait_fn =
    Option<unsafe extern "C" fn(status: *const c_char, userdata: *mut c_void) -> i32>;

/// Wait settings from C: 0 picks each default (10 minutes, 500 ms, 30 s).
pub(crate) fn wait_options(
    budget_ms: u64,
    interval_ms: u64,
    max_interval_ms: u64,
) -> Result<WaitOptions> {
    let d = WaitOptions::default();
    let pick = |v: u64, def: Duration| {
        if v == 0 {
            def
        } else {
            Duration::from_millis(v)
        }
    };
    let o = WaitOptions {
        budget: pick(budget_ms, d.budget),
        initial_interval: pick(interval_ms, d.initial_interval),
        max_interval: pick(
            max_interval_ms,
            d.max_interval.max(pick(interval_ms, d.initial_interval)),
        ),
    };
    o.check()?;
    Ok(o)
}

/// Calls a C wait callback; true = stop.
pub(crate) fn call_wait_fn(f: pinata_wait_fn, userdata: *mut c_void, status: &str) -> bool {
    match f {
        Some(f) => {
            let c = to_cstring(status);
            // SAFETY: the caller supplied a valid function and userdata.
            unsafe { f(c.as_ptr(), userdata) != 0 }
        }
        None => false,
    }
}

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
