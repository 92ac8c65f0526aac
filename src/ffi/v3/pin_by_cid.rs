//! V3 PIN BY CID
//!
//! Queue a CID for pinning on the public network with pinata_files_pin_options (name,
//! keyvalues, group, host nodes), list the queue (status, CID, order, page size) and
//! cancel a queued request. A pinata_files_pin_request is owned when
//! pinata_files_pin_by_cid returns it and borrowed from a queue iterator.

use crate::ffi::client::pinata_client;
use crate::ffi::error::pinata_error;
use crate::ffi::v3::files::order_arg;
use crate::ffi::{
    arg_mut, arg_opt_str, arg_ref, arg_str, borrowed, check_out, free_handle, guard, guard_void,
    into_handle, new_handle, opt_ptr, pinata_status, to_cstring, write_out,
};
use crate::v3::pin_by_cid::{PinByCidOptions, PinQueueIter, PinQueueQuery, PinRequest};
use std::ffi::{c_char, CString};

/// Options of a v3 pin by CID. One thread at a time.
pub struct pinata_files_pin_options {
    inner: PinByCidOptions,
}

/// Creates empty pin-by-CID options (the name defaults to the CID).
///
/// @param options_out  on success, new options; free them with pinata_files_pin_options_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_files_pin_options_new(
    options_out: *mut *mut pinata_files_pin_options,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    new_handle(options_out, "options_out", err_out, || {
        pinata_files_pin_options {
            inner: PinByCidOptions::default(),
        }
    })
}

/// Frees pin-by-CID options. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_files_pin_options_free(options: *mut pinata_files_pin_options) {
    guard_void(|| free_handle(options))
}

/// The file's name; NULL clears it.
#[no_mangle]
pub unsafe extern "C" fn pinata_files_pin_options_set_name(
    options: *mut pinata_files_pin_options,
    name: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let o = arg_mut(options, "options")?;
        o.inner.metadata.name = arg_opt_str(name, "name")?.map(str::to_string);
        Ok(())
    })
}

/// Sets a string keyvalue (at most 10 keys).
#[no_mangle]
pub unsafe extern "C" fn pinata_files_pin_options_set_keyvalue(
    options: *mut pinata_files_pin_options,
    key: *const c_char,
    value: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let o = arg_mut(options, "options")?;
        o.inner
            .metadata
            .set_string(arg_str(key, "key")?, arg_str(value, "value")?)
    })
}

/// The v3 group of the pinned file; NULL clears it.
#[no_mangle]
pub unsafe extern "C" fn pinata_files_pin_options_set_group_id(
    options: *mut pinata_files_pin_options,
    group_id: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let o = arg_mut(options, "options")?;
        o.inner.group_id = arg_opt_str(group_id, "group_id")?.map(str::to_string);
        Ok(())
    })
}

/// Adds a host node (a multiaddr starting with '/'); at most 5.
#[no_mangle]
pub unsafe extern "C" fn pinata_files_pin_options_add_host_node(
    options: *mut pinata_files_pin_options,
    multiaddr: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let o = arg_mut(options, "options")?;
        o.inner.add_host_node(arg_str(multiaddr, "multiaddr")?)
    })
}

/// A queued pin request: id, CID, name, status, queue time, raw JSON.
pub struct pinata_files_pin_request {
    id: CString,
    cid: CString,
    name: Option<CString>,
    status: CString,
    date_queued: Option<CString>,
    raw_json: CString,
}

pub(crate) fn request_handle(r: PinRequest) -> pinata_files_pin_request {
    pinata_files_pin_request {
        id: to_cstring(&r.id),
        cid: to_cstring(&r.cid),
        name: r.name.as_deref().map(to_cstring),
        status: to_cstring(&r.status),
        date_queued: r.date_queued.as_deref().map(to_cstring),
        raw_json: to_cstring(&r.raw.to_string()),
    }
}

/// Queues `cid` for pinning on the public network (`POST
/// /v3/files/public/pin_by_cid`). `options` may be NULL.
///
/// @param request_out  on success, the request; free it with pinata_files_pin_request_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_files_pin_by_cid(
    client: *const pinata_client,
    cid: *const c_char,
    options: *const pinata_files_pin_options,
    request_out: *mut *mut pinata_files_pin_request,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let cid = arg_str(cid, "cid")?;
        check_out(request_out, "request_out")?;
        let default = PinByCidOptions::default();
        let o = options.as_ref().map_or(&default, |o| &o.inner);
        let r = client.inner.v3_pin_by_cid(cid, o)?;
        write_out(request_out, into_handle(request_handle(r)));
        Ok(())
    })
}

/// Frees a pin request the caller owns. NULL is ignored. Never free one borrowed from
/// an iterator.
#[no_mangle]
pub unsafe extern "C" fn pinata_files_pin_request_free(request: *mut pinata_files_pin_request) {
    guard_void(|| free_handle(request))
}

/// The request id (borrowed).
#[no_mangle]
pub unsafe extern "C" fn pinata_files_pin_request_id(
    request: *const pinata_files_pin_request,
) -> *const c_char {
    borrowed(request, |r| r.id.as_ptr())
}

/// The CID (borrowed).
#[no_mangle]
pub unsafe extern "C" fn pinata_files_pin_request_cid(
    request: *const pinata_files_pin_request,
) -> *const c_char {
    borrowed(request, |r| r.cid.as_ptr())
}

/// The name (borrowed; NULL when none).
#[no_mangle]
pub unsafe extern "C" fn pinata_files_pin_request_name(
    request: *const pinata_files_pin_request,
) -> *const c_char {
    borrowed(request, |r| opt_ptr(&r.name))
}

/// The status (`prechecking`, `searching`, `retrieving`, `expired`, …; borrowed).
#[no_mangle]
pub unsafe extern "C" fn pinata_files_pin_request_status(
    request: *const pinata_files_pin_request,
) -> *const c_char {
    borrowed(request, |r| r.status.as_ptr())
}

/// When it was queued, ISO-8601 (borrowed; NULL when unknown).
#[no_mangle]
pub unsafe extern "C" fn pinata_files_pin_request_date_queued(
    request: *const pinata_files_pin_request,
) -> *const c_char {
    borrowed(request, |r| opt_ptr(&r.date_queued))
}

/// The request as the service sent it (borrowed JSON text).
#[no_mangle]
pub unsafe extern "C" fn pinata_files_pin_request_raw_json(
    request: *const pinata_files_pin_request,
) -> *const c_char {
    borrowed(request, |r| r.raw_json.as_ptr())
}

/// An iterator over the pin-by-CID queue; it keeps its own reference to the client.
pub struct pinata_files_pin_queue_iter {
    iter: PinQueueIter,
    current: Option<pinata_files_pin_request>,
}

/// Starts listing the queue: `status` and `cid` filter (NULL: any), `order` is
/// PINATA_ORDER_ASC, PINATA_ORDER_DESC or -1 (the service's), `limit` the page size
/// (1–1000, 0 for the service's). No request is made until the first _next.
///
/// @param iter_out  on success, a new iterator; free it with pinata_files_pin_queue_iter_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_files_pin_queue_iter_new(
    client: *const pinata_client,
    status: *const c_char,
    cid: *const c_char,
    order: i32,
    limit: u32,
    iter_out: *mut *mut pinata_files_pin_queue_iter,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        check_out(iter_out, "iter_out")?;
        let query = PinQueueQuery {
            status: arg_opt_str(status, "status")?.map(str::to_string),
            cid: arg_opt_str(cid, "cid")?.map(str::to_string),
            order: if order == -1 {
                None
            } else {
                Some(order_arg(order)?)
            },
            limit: (limit != 0).then_some(limit),
        };
        let iter = client.inner.v3_pin_queue(&query)?;
        write_out(
            iter_out,
            into_handle(pinata_files_pin_queue_iter {
                iter,
                current: None,
            }),
        );
        Ok(())
    })
}

/// Moves to the next request: `*request_out` is borrowed until the next call or the
/// iterator's free, NULL at the end.
#[no_mangle]
pub unsafe extern "C" fn pinata_files_pin_queue_iter_next(
    iter: *mut pinata_files_pin_queue_iter,
    request_out: *mut *const pinata_files_pin_request,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let iter = arg_mut(iter, "iter")?;
        check_out(request_out, "request_out")?;
        iter.current = iter.iter.next_request()?.map(request_handle);
        let ptr = iter
            .current
            .as_ref()
            .map_or(std::ptr::null(), |r| r as *const pinata_files_pin_request);
        write_out(request_out, ptr);
        Ok(())
    })
}

/// Frees a queue iterator. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_files_pin_queue_iter_free(iter: *mut pinata_files_pin_queue_iter) {
    guard_void(|| free_handle(iter))
}

/// Cancels a queued request (`DELETE /v3/files/public/pin_by_cid/{id}`); an unknown id
/// is `PINATA_E_NOT_FOUND`.
#[no_mangle]
pub unsafe extern "C" fn pinata_files_pin_cancel(
    client: *const pinata_client,
    id: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        client.inner.v3_pin_cancel(arg_str(id, "id")?)
    })
}
