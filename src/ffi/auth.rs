//! AUTHENTICATION
//!
//! Checks the client's credentials against the service.

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
