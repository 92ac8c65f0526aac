//! V3 FILES
//!
//! Files of one network (PINATA_NETWORK_PUBLIC or PINATA_NETWORK_PRIVATE): list them
//! through an iterator that follows the service's page tokens by itself (with
//! pinata_files_query filters), get, update (name, keyvalues, expiry) and delete. A
//! pinata_file_row is owned when a call returns it (free it with
//! pinata_file_row_free) and borrowed when an iterator or an upload result lends it.

use crate::error::{Error, Result};
use crate::ffi::client::pinata_client;
use crate::ffi::error::pinata_error;
use crate::ffi::{
    arg_mut, arg_opt_str, arg_ref, arg_str, borrowed, check_out, free_handle, guard, guard_void,
    into_handle, new_handle, opt_ptr, pinata_status, read, to_cstring, write_out,
};
use crate::v3::files::{
    keyvalues_from_json, FileListIter, FileQuery, FileRow, FileUpdate, GroupFilter,
};
use crate::v3::{Network, Order};
use std::ffi::{c_char, CString};

c_table! {
    /// The networks of v3 files.
    static NETWORKS: i32 => Network {
        /// IPFS: the content is public and reachable by CID on any gateway.
        PINATA_NETWORK_PUBLIC = 0 => Network::Public,
        /// Private: read only through signed download links.
        PINATA_NETWORK_PRIVATE = 1 => Network::Private,
    }
}

c_table! {
    /// Orders of v3 lists (by creation time).
    static ORDERS: i32 => Order {
        /// Oldest first.
        PINATA_ORDER_ASC = 0 => Order::Asc,
        /// Newest first.
        PINATA_ORDER_DESC = 1 => Order::Desc,
    }
}

/// The safe-API network of a C constant (`PINATA_E_INVALID_ARGUMENT` otherwise).
pub(crate) fn network_arg(value: i32) -> Result<Network> {
    NETWORKS.arg(value, "network", "PINATA_NETWORK_*")
}

/// The safe-API order of a C constant.
pub(crate) fn order_arg(value: i32) -> Result<Order> {
    ORDERS.arg(value, "order", "PINATA_ORDER_*")
}

/// A v3 file: id, name, CID, size, number of files, MIME type, group, keyvalues,
/// creation time, duplicate flag and the raw JSON. One thread at a time.
pub struct pinata_file_row {
    pub(crate) row: FileRow,
    id: CString,
    name: Option<CString>,
    cid: CString,
    mime_type: Option<CString>,
    group_id: Option<CString>,
    keyvalues_json: CString,
    created_at: Option<CString>,
    raw_json: CString,
}

impl pinata_file_row {
    /// The CID, for handles that lend it.
    pub(crate) fn cid_ptr(&self) -> *const c_char {
        self.cid.as_ptr()
    }

    pub(crate) fn new(row: FileRow) -> pinata_file_row {
        pinata_file_row {
            id: to_cstring(&row.id),
            name: row.name.as_deref().map(to_cstring),
            cid: to_cstring(&row.cid),
            mime_type: row.mime_type.as_deref().map(to_cstring),
            group_id: row.group_id.as_deref().map(to_cstring),
            keyvalues_json: to_cstring(
                &serde_json::Value::Object(row.keyvalues.clone()).to_string(),
            ),
            created_at: row.created_at.as_deref().map(to_cstring),
            raw_json: to_cstring(&row.raw.to_string()),
            row,
        }
    }
}

/// Frees a file row the caller owns (from pinata_files_get or pinata_files_update).
/// NULL is ignored. Never free a borrowed row (from an iterator or an upload result).
#[no_mangle]
pub unsafe extern "C" fn pinata_file_row_free(row: *mut pinata_file_row) {
    guard_void(|| free_handle(row))
}

/// The file id (borrowed from the row; NULL for NULL).
#[no_mangle]
pub unsafe extern "C" fn pinata_file_row_id(row: *const pinata_file_row) -> *const c_char {
    borrowed(row, |r| r.id.as_ptr())
}

/// The name (borrowed; NULL when none).
#[no_mangle]
pub unsafe extern "C" fn pinata_file_row_name(row: *const pinata_file_row) -> *const c_char {
    borrowed(row, |r| opt_ptr(&r.name))
}

/// The CID (borrowed; `pending` while the service computes it).
#[no_mangle]
pub unsafe extern "C" fn pinata_file_row_cid(row: *const pinata_file_row) -> *const c_char {
    borrowed(row, |r| r.cid.as_ptr())
}

/// Size in bytes (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn pinata_file_row_size(row: *const pinata_file_row) -> u64 {
    read(row, 0, |r| r.row.size)
}

/// Number of files (1 unless a folder; 0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn pinata_file_row_number_of_files(row: *const pinata_file_row) -> u64 {
    read(row, 0, |r| r.row.number_of_files)
}

/// The MIME type (borrowed; NULL when none).
#[no_mangle]
pub unsafe extern "C" fn pinata_file_row_mime_type(row: *const pinata_file_row) -> *const c_char {
    borrowed(row, |r| opt_ptr(&r.mime_type))
}

/// The group id (borrowed; NULL when in no group).
#[no_mangle]
pub unsafe extern "C" fn pinata_file_row_group_id(row: *const pinata_file_row) -> *const c_char {
    borrowed(row, |r| opt_ptr(&r.group_id))
}

/// The keyvalues as a JSON object text (borrowed; `{}` when none).
#[no_mangle]
pub unsafe extern "C" fn pinata_file_row_keyvalues_json(
    row: *const pinata_file_row,
) -> *const c_char {
    borrowed(row, |r| r.keyvalues_json.as_ptr())
}

/// The creation time, ISO-8601 (borrowed; NULL when unknown).
#[no_mangle]
pub unsafe extern "C" fn pinata_file_row_created_at(row: *const pinata_file_row) -> *const c_char {
    borrowed(row, |r| opt_ptr(&r.created_at))
}

/// Whether an upload found the content already stored (false for NULL).
#[no_mangle]
pub unsafe extern "C" fn pinata_file_row_is_duplicate(row: *const pinata_file_row) -> bool {
    read(row, false, |r| r.row.is_duplicate)
}

/// The file object as the service sent it (borrowed JSON text).
#[no_mangle]
pub unsafe extern "C" fn pinata_file_row_raw_json(row: *const pinata_file_row) -> *const c_char {
    borrowed(row, |r| r.raw_json.as_ptr())
}

/// Filters of a file listing. One thread at a time; copied by
/// pinata_files_list_iter_new.
pub struct pinata_files_query {
    inner: FileQuery,
}

/// Creates an empty query (every file, the service's order and page size).
///
/// @param query_out  on success, a new query; free it with pinata_files_query_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_files_query_new(
    query_out: *mut *mut pinata_files_query,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    new_handle(query_out, "query_out", err_out, || pinata_files_query {
        inner: FileQuery::default(),
    })
}

/// Frees a query. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_files_query_free(query: *mut pinata_files_query) {
    guard_void(|| free_handle(query))
}

/// Only files whose name contains `name` (NULL clears the filter).
#[no_mangle]
pub unsafe extern "C" fn pinata_files_query_set_name(
    query: *mut pinata_files_query,
    name: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let q = arg_mut(query, "query")?;
        q.inner.name = arg_opt_str(name, "name")?.map(str::to_string);
        Ok(())
    })
}

/// Only files of group `group_id` (NULL clears the filter).
#[no_mangle]
pub unsafe extern "C" fn pinata_files_query_set_group(
    query: *mut pinata_files_query,
    group_id: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let q = arg_mut(query, "query")?;
        q.inner.group = arg_opt_str(group_id, "group_id")?.map(|g| GroupFilter::Id(g.into()));
        Ok(())
    })
}

/// Only files in no group (`no_group` true), or no such restriction (false).
#[no_mangle]
pub unsafe extern "C" fn pinata_files_query_set_no_group(
    query: *mut pinata_files_query,
    no_group: bool,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let q = arg_mut(query, "query")?;
        q.inner.group = no_group.then_some(GroupFilter::NoGroup);
        Ok(())
    })
}

/// Only files of this exact MIME type (NULL clears the filter).
#[no_mangle]
pub unsafe extern "C" fn pinata_files_query_set_mime_type(
    query: *mut pinata_files_query,
    mime_type: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let q = arg_mut(query, "query")?;
        q.inner.mime_type = arg_opt_str(mime_type, "mime_type")?.map(str::to_string);
        Ok(())
    })
}

/// Only files with this CID (NULL clears the filter).
#[no_mangle]
pub unsafe extern "C" fn pinata_files_query_set_cid(
    query: *mut pinata_files_query,
    cid: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let q = arg_mut(query, "query")?;
        q.inner.cid = arg_opt_str(cid, "cid")?.map(str::to_string);
        Ok(())
    })
}

/// Only files whose CID the service is still computing (`cidPending=true`).
#[no_mangle]
pub unsafe extern "C" fn pinata_files_query_set_cid_pending(
    query: *mut pinata_files_query,
    pending: bool,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        arg_mut(query, "query")?.inner.cid_pending = pending;
        Ok(())
    })
}

/// Only files whose keyvalue `key` equals `value` (at most 10 such filters, all of
/// which must hold).
#[no_mangle]
pub unsafe extern "C" fn pinata_files_query_add_keyvalue(
    query: *mut pinata_files_query,
    key: *const c_char,
    value: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let q = arg_mut(query, "query")?;
        q.inner
            .add_keyvalue(arg_str(key, "key")?, arg_str(value, "value")?)
    })
}

/// The order, PINATA_ORDER_ASC or PINATA_ORDER_DESC (by creation time).
#[no_mangle]
pub unsafe extern "C" fn pinata_files_query_set_order(
    query: *mut pinata_files_query,
    order: i32,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let q = arg_mut(query, "query")?;
        q.inner.order = Some(order_arg(order)?);
        Ok(())
    })
}

/// Files per page, 1–1000 (the iterator fetches pages of this size).
#[no_mangle]
pub unsafe extern "C" fn pinata_files_query_set_limit(
    query: *mut pinata_files_query,
    limit: u32,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || arg_mut(query, "query")?.inner.set_limit(limit))
}

/// An iterator over the files of a network. It keeps its own reference to the client,
/// so the client and the query may be freed while it lives.
pub struct pinata_files_list_iter {
    iter: FileListIter,
    current: Option<pinata_file_row>,
}

/// Starts listing the files of `network` that match `query` (NULL: every file). No
/// request is made until the first pinata_files_list_iter_next.
///
/// @param query     NULL for every file; copied, so it may be freed at once.
/// @param iter_out  on success, a new iterator; free it with pinata_files_list_iter_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_files_list_iter_new(
    client: *const pinata_client,
    network: i32,
    query: *const pinata_files_query,
    iter_out: *mut *mut pinata_files_list_iter,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let network = network_arg(network)?;
        check_out(iter_out, "iter_out")?;
        let default = FileQuery::default();
        let q = query.as_ref().map_or(&default, |q| &q.inner);
        let iter = client.inner.files_list(network, q)?;
        write_out(
            iter_out,
            into_handle(pinata_files_list_iter {
                iter,
                current: None,
            }),
        );
        Ok(())
    })
}

/// Moves to the next file, fetching the next page when needed (it stops when the
/// service sends no page token). On success `*row_out` is the file (borrowed until the
/// next call or the iterator's free) or NULL at the end. After a failure, calling again
/// fetches the failed page again.
#[no_mangle]
pub unsafe extern "C" fn pinata_files_list_iter_next(
    iter: *mut pinata_files_list_iter,
    row_out: *mut *const pinata_file_row,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let iter = arg_mut(iter, "iter")?;
        check_out(row_out, "row_out")?;
        iter.current = iter.iter.next_file()?.map(pinata_file_row::new);
        let ptr = iter
            .current
            .as_ref()
            .map_or(std::ptr::null(), |r| r as *const pinata_file_row);
        write_out(row_out, ptr);
        Ok(())
    })
}

/// Frees an iterator and its current row. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_files_list_iter_free(iter: *mut pinata_files_list_iter) {
    guard_void(|| free_handle(iter))
}

/// Gets one file (`GET /v3/files/{network}/{id}`); an unknown id is
/// `PINATA_E_NOT_FOUND`.
///
/// @param row_out  on success, a new row; free it with pinata_file_row_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_files_get(
    client: *const pinata_client,
    network: i32,
    id: *const c_char,
    row_out: *mut *mut pinata_file_row,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let network = network_arg(network)?;
        let id = arg_str(id, "id")?;
        check_out(row_out, "row_out")?;
        let row = client.inner.files_get(network, id)?;
        write_out(row_out, into_handle(pinata_file_row::new(row)));
        Ok(())
    })
}

/// Updates a file (`PUT /v3/files/{network}/{id}`): `name` (NULL: unchanged),
/// `keyvalues_json` (a JSON object of string or number values, a null value removing
/// the key; NULL: unchanged), `expires_at` (unix seconds in the future; 0: unchanged).
/// At least one must be given. An unknown id is `PINATA_E_NOT_FOUND`.
///
/// @param row_out  on success, the updated row; free it with pinata_file_row_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_files_update(
    client: *const pinata_client,
    network: i32,
    id: *const c_char,
    name: *const c_char,
    keyvalues_json: *const c_char,
    expires_at: i64,
    row_out: *mut *mut pinata_file_row,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let network = network_arg(network)?;
        let id = arg_str(id, "id")?;
        check_out(row_out, "row_out")?;
        if expires_at < 0 {
            return Err(Error::invalid_argument(
                "`expires_at` must be a unix time in the future, or 0 to leave it",
            ));
        }
        let update = FileUpdate {
            name: arg_opt_str(name, "name")?.map(str::to_string),
            keyvalues: arg_opt_str(keyvalues_json, "keyvalues_json")?
                .map(keyvalues_from_json)
                .transpose()?,
            expires_at: (expires_at != 0).then_some(expires_at),
        };
        let row = client.inner.files_update(network, id, &update)?;
        write_out(row_out, into_handle(pinata_file_row::new(row)));
        Ok(())
    })
}

/// Deletes a file (`DELETE /v3/files/{network}/{id}`; a public file is unpinned). An
/// unknown id is `PINATA_E_NOT_FOUND`.
#[no_mangle]
pub unsafe extern "C" fn pinata_files_delete(
    client: *const pinata_client,
    network: i32,
    id: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let network = network_arg(network)?;
        let id = arg_str(id, "id")?;
        client.inner.files_delete(network, id)
    })
}
