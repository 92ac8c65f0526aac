//! WAITING UNTIL PINNED
//!
//! Pins queued by CID settle later; three calls wait for them with the same rules:
//! pinata_pin_job_wait (legacy pin-by-CID jobs), pinata_files_pin_wait (the v3
//! pin-by-CID queue) and pinata_psa_wait (Pinning Service API requests). Each polls with
//! backoff within a time budget (`budget_ms`; past it PINATA_E_TIMEOUT): the pause
//! starts at `interval_ms` and doubles while the status stays the same, up to
//! `max_interval_ms`, and a change resets it; 0 for any of the three picks its default
//! (10 minutes, 500 ms, 30 s). A pinata_wait_fn callback (may be NULL) gets each new
//! status; it, or the client's cancel flag, stops the wait with PINATA_E_CANCELLED. A
//! request that failed for good ends the wait at once and is returned with PINATA_OK:
//! read its status.

use crate::error::Result;
use crate::ffi::to_cstring;
use crate::wait::WaitOptions;
use std::ffi::{c_char, c_void};
use std::time::Duration;

/// Status callback of the wait functions: called with each new status name
/// (`"queued"`, `"pinning"`, `"pinned"`, `"failed"`; for pin-by-CID jobs and the v3
/// queue Pinata's job statuses such as `"prechecking"`), borrowed for the call only.
/// Return 0 to go on, non-zero to stop the wait (`PINATA_E_CANCELLED`). Runs on the
/// waiting thread.
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
