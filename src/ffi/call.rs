//! CALLS DRIVEN BY THEIR CALLER
//!
//! A call that never blocks, for event loops (Go's netpoller, epoll, kqueue, an async
//! runtime): start it with a *_start function (pinata_test_auth_start,
//! pinata_pin_json_start), wait until pinata_call_fd is readable (or the time
//! pinata_call_step gave has passed), call pinata_call_step, and repeat until it says
//! done; then take the outcome with the matching *_finish function and free the call.
//! The outcome is the one the blocking function gives: same request, retries,
//! timeouts, cancellation (through pinata_client_with_cancel) and answer checks.
//!
//! A loop on poll(2):
//!
//! ```c
//! pinata_call *call = NULL;
//! pinata_test_auth_start(client, &call, &err);
//! bool done = false;
//! int64_t wait_ms = 0;
//! while (pinata_call_step(call, &done, &wait_ms, &err) == PINATA_OK && !done) {
//!     struct pollfd p = { .fd = pinata_call_fd(call), .events = POLLIN };
//!     poll(&p, p.fd >= 0 ? 1 : 0, (int)wait_ms);
//! }
//! char *message = NULL;
//! pinata_test_auth_finish(call, &message, &err);
//! pinata_call_free(call);
//! ```
//!
//! A call belongs to one thread at a time and may move between threads. It keeps its
//! own reference to the client, which may be freed first.

use super::error::pinata_error;
use super::{
    arg_mut, check_out, free_handle, guard, guard_value, guard_void, pinata_status, write_out,
};
use crate::call::{Call, Step};
use crate::error::{Error, Result};
use crate::legacy::pinning::PinResult;

/// A call in progress, driven by its caller.
pub struct pinata_call {
    pub(crate) inner: AnyCall,
}

/// The calls that come in this form.
pub(crate) enum AnyCall {
    TestAuth(Call<String>),
    PinJson(Call<PinResult>),
}

impl pinata_call {
    pub(crate) fn boxed(inner: AnyCall) -> *mut pinata_call {
        super::into_handle(pinata_call { inner })
    }

    fn fd(&self) -> i32 {
        match &self.inner {
            AnyCall::TestAuth(c) => c.fd(),
            AnyCall::PinJson(c) => c.fd(),
        }
    }

    fn step(&mut self) -> Step {
        match &mut self.inner {
            AnyCall::TestAuth(c) => c.step(),
            AnyCall::PinJson(c) => c.step(),
        }
    }
}

/// The outcome of a finished call of the kind `pick` accepts, for a *_finish function.
///
/// # Safety
/// `call` is NULL or a live call handle, used by this thread only.
pub(crate) unsafe fn take_outcome<T>(
    call: *mut pinata_call,
    kind: &str,
    pick: impl FnOnce(&mut AnyCall) -> Option<&mut Call<T>>,
) -> Result<T> {
    // SAFETY: the caller's promise.
    let call = unsafe { arg_mut(call, "call") }?;
    let Some(c) = pick(&mut call.inner) else {
        return Err(Error::invalid_argument(format!("`call` is not {kind}")));
    };
    if !c.is_done() {
        return Err(Error::invalid_argument(
            "`call` has not finished: step it until pinata_call_step says done",
        ));
    }
    c.take().unwrap_or_else(|| {
        Err(Error::invalid_argument(
            "`call`'s outcome was already taken",
        ))
    })
}

/// The descriptor to wait on (for readability, POLLIN) before the next
/// pinata_call_step. Many calls of one client share a few such descriptors, each open
/// until the client and every client derived from it are freed, so an event loop may
/// register one once and keep it. The caller must not read it or close it. -1 for NULL,
/// once the call is done (its descriptor then serves the client's next call), and
/// where there is no such descriptor (all but Linux today, and a Linux sandbox that
/// refuses epoll): there pinata_call_step waits up to 10 ms itself, and a loop of steps
/// completes the call.
#[no_mangle]
pub unsafe extern "C" fn pinata_call_fd(call: *const pinata_call) -> i32 {
    // SAFETY: the caller passes NULL or a live call handle.
    guard_value(-1, || unsafe { call.as_ref() }.map_or(-1, pinata_call::fd))
}

/// Moves the call along without blocking. `*done_out` becomes true once the outcome
/// is in (take it with the call's *_finish function); otherwise `*wait_ms_out` is the
/// longest to wait for pinata_call_fd before stepping again (-1: no limit; 0: step
/// again at once). A call whose client is cancelled finishes with
/// `PINATA_E_CANCELLED` at its next step: a loop that waits on the descriptor should
/// wake itself to step when it cancels. The call's own failure is reported by its
/// *_finish function, not here: this returns an error only for bad arguments.
#[no_mangle]
pub unsafe extern "C" fn pinata_call_step(
    call: *mut pinata_call,
    done_out: *mut bool,
    wait_ms_out: *mut i64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        // SAFETY: the caller passes NULL or a live call handle used by this thread.
        let call = unsafe { arg_mut(call, "call") }?;
        check_out(done_out, "done_out")?;
        check_out(wait_ms_out, "wait_ms_out")?;
        let (done, wait_ms) = match call.step() {
            Step::Done => (true, 0),
            Step::Wait(None) => (false, -1),
            // Rounded up, so that a caller waiting this long finds the timer due.
            Step::Wait(Some(d)) => (
                false,
                d.as_micros().div_ceil(1000).min(i64::MAX as u128) as i64,
            ),
        };
        // SAFETY: both checked non-NULL above.
        unsafe {
            write_out(done_out, done);
            write_out(wait_ms_out, wait_ms);
        }
        Ok(())
    })
}

/// Frees a call. One that has not finished is abandoned: its connection is closed
/// and nothing more is sent. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_call_free(call: *mut pinata_call) {
    // SAFETY: the caller passes NULL or a call handle it owns.
    guard_void(|| unsafe { free_handle(call) })
}
