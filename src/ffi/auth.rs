//! AUTHENTICATION
//!
//! Checks the client's credentials against the service.

use super::call::{pinata_call, take_outcome, AnyCall};
use super::client::pinata_client;
use super::error::pinata_error;
use super::{arg_ref, check_out, guard, owned_string, pinata_status, write_out};
use std::ffi::c_char;

/// `GET /data/testAuthentication`. On success `*message_out` receives the server's
/// message, which the caller frees with `pinata_string_free`. Succeeds for any valid
/// key, even one with no scopes; bad credentials give `PINATA_E_UNAUTHORIZED`.
#[no_mangle]
pub unsafe extern "C" fn pinata_test_auth(
    client: *const pinata_client,
    message_out: *mut *mut c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        check_out(message_out, "message_out")?;
        let message = client.inner.test_authentication()?;
        write_out(message_out, owned_string(&message));
        Ok(())
    })
}

/// pinata_test_auth as a call that never blocks (see pinata_call_step): sends the
/// request as far as it goes without waiting and returns. Take the outcome with
/// pinata_test_auth_finish once pinata_call_step says done.
///
/// @param call_out on success, a new call; free it with pinata_call_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_test_auth_start(
    client: *const pinata_client,
    call_out: *mut *mut pinata_call,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        check_out(call_out, "call_out")?;
        let call = client.inner.start_test_authentication()?;
        write_out(call_out, pinata_call::boxed(AnyCall::TestAuth(call)));
        Ok(())
    })
}

/// The outcome of a finished pinata_test_auth_start call, as pinata_test_auth gives
/// it: on success `*message_out` receives the server's message (free it with
/// pinata_string_free); otherwise the call's error. The outcome can be taken once;
/// a call not finished, or of another kind, is `PINATA_E_INVALID_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn pinata_test_auth_finish(
    call: *mut pinata_call,
    message_out: *mut *mut c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        check_out(message_out, "message_out")?;
        let message = take_outcome(call, "a pinata_test_auth_start call", |c| match c {
            AnyCall::TestAuth(c) => Some(c),
            _ => None,
        })?;
        write_out(message_out, owned_string(&message));
        Ok(())
    })
}
