//! LEGACY PIN-BY-CID JOBS: WAITING UNTIL PINNED
//!
//! pinata_pin_job_wait polls a job of pinata_pin_by_cid until it is pinned or has
//! failed, with the rules of the section "WAITING UNTIL PINNED";
//! pinata_pin_job_wait_by_id does the same for a job known by its id and CID.

use crate::error::Result;
use crate::ffi::client::pinata_client;
use crate::ffi::error::pinata_error;
use crate::ffi::legacy::pinning::{pinata_pin_job, pinata_pin_job_info};
use crate::ffi::wait::{call_wait_fn, pinata_wait_fn, wait_options};
use crate::ffi::{arg_ref, arg_str, check_out, guard, into_handle, pinata_status, write_out};
use crate::legacy::pinning::PinJob;
use crate::wait::WaitOptions;
use std::ffi::{c_char, c_void};

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
        let wait = Wait::new(client, budget_ms, interval_ms, max_interval_ms, job_out)?;
        let info = arg_ref(job, "job")?;
        let (id, cid) = (info.id.to_string_lossy(), info.cid.to_string_lossy());
        let done = wait.run(&id, &cid, on_status, userdata)?;
        write_out(job_out, into_handle(done));
        Ok(())
    })
}

/// pinata_pin_job_wait for a job known by its id and CID alone (a binding that kept
/// the job's fields and freed its handle, or a job saved across runs). The rules and
/// the outcome are pinata_pin_job_wait's.
///
/// @param id      the job's id (pinata_pin_job_info_id).
/// @param cid     the job's CID (pinata_pin_job_info_cid): the job is looked up by it,
///                and recognised by it among the pins once it has left the queue.
/// @param job_out on success, the settled job; free it with pinata_pin_job_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_job_wait_by_id(
    client: *const pinata_client,
    id: *const c_char,
    cid: *const c_char,
    budget_ms: u64,
    interval_ms: u64,
    max_interval_ms: u64,
    on_status: pinata_wait_fn,
    userdata: *mut c_void,
    job_out: *mut *mut pinata_pin_job,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let wait = Wait::new(client, budget_ms, interval_ms, max_interval_ms, job_out)?;
        let done = wait.run(
            arg_str(id, "id")?,
            arg_str(cid, "cid")?,
            on_status,
            userdata,
        )?;
        write_out(job_out, into_handle(done));
        Ok(())
    })
}

/// What both waits check before polling: the client, the durations and the out slot.
struct Wait<'a> {
    client: &'a pinata_client,
    opts: WaitOptions,
}

impl<'a> Wait<'a> {
    unsafe fn new(
        client: *const pinata_client,
        budget_ms: u64,
        interval_ms: u64,
        max_interval_ms: u64,
        job_out: *mut *mut pinata_pin_job,
    ) -> Result<Wait<'a>> {
        let client = arg_ref(client, "client")?;
        check_out(job_out, "job_out")?;
        let opts = wait_options(budget_ms, interval_ms, max_interval_ms)?;
        Ok(Wait { client, opts })
    }

    fn run(
        self,
        id: &str,
        cid: &str,
        on_status: pinata_wait_fn,
        userdata: *mut c_void,
    ) -> Result<pinata_pin_job> {
        // Only the id and the CID steer the wait; the rest is filled from the queue.
        let job = PinJob {
            id: id.to_owned(),
            cid: cid.to_owned(),
            status: String::new(),
            name: None,
            date_queued: None,
            raw: serde_json::Value::Null,
        };
        let done = self
            .client
            .inner
            .wait_pin_job(&job, &self.opts, |s| call_wait_fn(on_status, userdata, s))?;
        Ok(pinata_pin_job {
            info: pinata_pin_job_info::new(done),
        })
    }
}
