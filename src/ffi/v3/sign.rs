//! SIGNED UPLOAD URLS AND DOWNLOAD LINKS
//!
//! A backend creates a signed upload URL with pinata_sign_upload_url (limits: expiry,
//! maximum size, MIME types; presets: network, group, name, keyvalues) and hands it to
//! an app, which uploads with pinata_upload_file_signed and no credentials. Private
//! files are read through download links (pinata_files_download_link). Both URLs are
//! credentials: they are returned to the caller only, never put in an error message.

use crate::ffi::client::pinata_client;
use crate::ffi::error::pinata_error;
use crate::ffi::v3::files::network_arg;
use crate::ffi::{
    arg_mut, arg_opt_str, arg_ref, arg_str, check_out, free_handle, guard, guard_void, new_handle,
    owned_string, pinata_status, write_out,
};
use crate::v3::sign::SignOptions;
use std::ffi::c_char;

/// What a signed upload URL allows (the safe API's `SignOptions`). One thread at a
/// time.
pub struct pinata_sign_options {
    inner: SignOptions,
}

/// Creates signing options: valid 60 seconds, no size or MIME limit, no presets.
///
/// @param options_out  on success, new options; free them with pinata_sign_options_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_sign_options_new(
    options_out: *mut *mut pinata_sign_options,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    new_handle(options_out, "options_out", err_out, || {
        pinata_sign_options {
            inner: SignOptions::default(),
        }
    })
}

/// Frees signing options. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_sign_options_free(options: *mut pinata_sign_options) {
    guard_void(|| free_handle(options))
}

/// Seconds the URL stays valid: 1 to 31536000 (one year).
#[no_mangle]
pub unsafe extern "C" fn pinata_sign_options_set_expires(
    options: *mut pinata_sign_options,
    seconds: u64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let o = arg_mut(options, "options")?;
        crate::v3::sign::check_expires("seconds", seconds)?;
        o.inner.expires = seconds;
        Ok(())
    })
}

/// The largest file accepted, in bytes; 0 removes the limit.
#[no_mangle]
pub unsafe extern "C" fn pinata_sign_options_set_max_file_size(
    options: *mut pinata_sign_options,
    bytes: u64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        arg_mut(options, "options")?.inner.max_file_size = (bytes != 0).then_some(bytes);
        Ok(())
    })
}

/// Adds an accepted MIME type: `image/png`, or every subtype of a type written as the
/// type, a slash and an asterisk. With none, every type is accepted.
#[no_mangle]
pub unsafe extern "C" fn pinata_sign_options_add_mime_type(
    options: *mut pinata_sign_options,
    mime_type: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let o = arg_mut(options, "options")?;
        o.inner.add_mime_type(arg_str(mime_type, "mime_type")?)
    })
}

/// The network the upload goes to (PINATA_NETWORK_PUBLIC or PINATA_NETWORK_PRIVATE).
#[no_mangle]
pub unsafe extern "C" fn pinata_sign_options_set_network(
    options: *mut pinata_sign_options,
    network: i32,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let o = arg_mut(options, "options")?;
        o.inner.network = Some(network_arg(network)?);
        Ok(())
    })
}

/// The v3 group of the uploaded file; NULL clears it.
#[no_mangle]
pub unsafe extern "C" fn pinata_sign_options_set_group_id(
    options: *mut pinata_sign_options,
    group_id: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let o = arg_mut(options, "options")?;
        o.inner.group_id = arg_opt_str(group_id, "group_id")?.map(str::to_string);
        Ok(())
    })
}

/// The name of the uploaded file; NULL clears it.
#[no_mangle]
pub unsafe extern "C" fn pinata_sign_options_set_name(
    options: *mut pinata_sign_options,
    name: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let o = arg_mut(options, "options")?;
        o.inner.name = arg_opt_str(name, "name")?.map(str::to_string);
        Ok(())
    })
}

/// Sets a string keyvalue of the uploaded file (at most 10 keys).
#[no_mangle]
pub unsafe extern "C" fn pinata_sign_options_set_keyvalue(
    options: *mut pinata_sign_options,
    key: *const c_char,
    value: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let o = arg_mut(options, "options")?;
        o.inner
            .set_keyvalue(arg_str(key, "key")?, arg_str(value, "value")?)
    })
}

/// Creates a signed upload URL (`POST {upload host}/v3/files/sign`). `options` may be
/// NULL (60 seconds, no limits).
///
/// @param url_out  on success, the URL (a credential); free it with pinata_string_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_sign_upload_url(
    client: *const pinata_client,
    options: *const pinata_sign_options,
    url_out: *mut *mut c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        check_out(url_out, "url_out")?;
        let default = SignOptions::default();
        let o = options.as_ref().map_or(&default, |o| &o.inner);
        let url = client.inner.sign_upload_url(o)?;
        write_out(url_out, owned_string(&url));
        Ok(())
    })
}

/// Creates a download link for the private file `cid` on the account's gateway
/// `gateway_url` (`https://NAME.mypinata.cloud`), valid `expires` seconds (1 to one
/// year) (`POST /v3/files/private/download_link`).
///
/// @param link_out  on success, the link (a credential); free it with pinata_string_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_files_download_link(
    client: *const pinata_client,
    gateway_url: *const c_char,
    cid: *const c_char,
    expires: u64,
    link_out: *mut *mut c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let gateway = arg_str(gateway_url, "gateway_url")?;
        let cid = arg_str(cid, "cid")?;
        check_out(link_out, "link_out")?;
        let link = client.inner.files_download_link(gateway, cid, expires)?;
        write_out(link_out, owned_string(&link));
        Ok(())
    })
}
