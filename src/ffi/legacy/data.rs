//! PINNING DATA
//!
//! The pin list, with every filter of GET /data/pinList (PINATA_PIN_STATUS_*, dates,
//! sizes, names, PINATA_OP_* keyvalue conditions) and automatic paging through an
//! iterator that keeps its own reference to the client; and the account's usage.

use crate::error::{Error, Result};
use crate::ffi::client::pinata_client;
use crate::ffi::error::pinata_error;
use crate::ffi::{
    arg_mut, arg_opt_str, arg_ref, arg_str, borrowed, check_out, free_handle, guard, guard_value,
    guard_void, into_handle, new_handle, opt_ptr, pinata_status, read, to_cstring, write_out,
};
use crate::legacy::data::{KeyvalueOp, PinListIter, PinListQuery, PinRow, PinStatus};
use std::ffi::{c_char, CString};

c_table! {
    /// The `PINATA_PIN_STATUS_*` values of `pinata_pin_list_query_set_status`.
    static PIN_STATUSES: i32 => PinStatus {
        /// Pinned and unpinned records (the service's default).
        PINATA_PIN_STATUS_ALL = 0 => PinStatus::All,
        /// Currently pinned records.
        PINATA_PIN_STATUS_PINNED = 1 => PinStatus::Pinned,
        /// Unpinned records.
        PINATA_PIN_STATUS_UNPINNED = 2 => PinStatus::Unpinned,
    }
}

/// A `metadata[keyvalues]` operator of the pin-list filter: one of the `PINATA_OP_*`
/// values; `pinata_keyvalue_op_str` names it.
pub type pinata_keyvalue_op = i32;

c_table! {
    /// The `PINATA_OP_*` values, each tied by name to its operator.
    static KEYVALUE_OPS: pinata_keyvalue_op => KeyvalueOp {
        /// Greater than.
        PINATA_OP_GT = 0 => KeyvalueOp::Gt,
        /// Greater than or equal.
        PINATA_OP_GTE = 1 => KeyvalueOp::Gte,
        /// Less than.
        PINATA_OP_LT = 2 => KeyvalueOp::Lt,
        /// Less than or equal.
        PINATA_OP_LTE = 3 => KeyvalueOp::Lte,
        /// Not equal.
        PINATA_OP_NE = 4 => KeyvalueOp::Ne,
        /// Equal.
        PINATA_OP_EQ = 5 => KeyvalueOp::Eq,
        /// Between value and second value (inclusive).
        PINATA_OP_BETWEEN = 6 => KeyvalueOp::Between,
        /// Not between value and second value.
        PINATA_OP_NOT_BETWEEN = 7 => KeyvalueOp::NotBetween,
        /// SQL LIKE (`%` and `_` wildcards).
        PINATA_OP_LIKE = 8 => KeyvalueOp::Like,
        /// SQL NOT LIKE.
        PINATA_OP_NOT_LIKE = 9 => KeyvalueOp::NotLike,
        /// Case-insensitive LIKE.
        PINATA_OP_ILIKE = 10 => KeyvalueOp::ILike,
        /// Case-insensitive NOT LIKE.
        PINATA_OP_NOT_ILIKE = 11 => KeyvalueOp::NotILike,
        /// Regular expression match.
        PINATA_OP_REGEXP = 12 => KeyvalueOp::Regexp,
        /// Case-insensitive regular expression match.
        PINATA_OP_IREGEXP = 13 => KeyvalueOp::IRegexp,
    }
}

/// The name of a `PINATA_OP_*` value, e.g. `"PINATA_OP_GT"`; `"PINATA_OP_UNKNOWN"` for
/// other values. Never NULL; the string is static.
#[no_mangle]
pub extern "C" fn pinata_keyvalue_op_str(op: pinata_keyvalue_op) -> *const c_char {
    KEYVALUE_OPS.name_or(op, c"PINATA_OP_UNKNOWN")
}

/// Filters for the pin list. One thread at a time.
pub struct pinata_pin_list_query {
    inner: PinListQuery,
}

/// Creates a pin-list query with no filter (all records, newest first).
///
/// @param query_out  on success, a new query; free it with
///                  pinata_pin_list_query_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_list_query_new(
    query_out: *mut *mut pinata_pin_list_query,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    new_handle(query_out, "query_out", err_out, || pinata_pin_list_query {
        inner: PinListQuery::default(),
    })
}

/// Frees a pin-list query. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_list_query_free(query: *mut pinata_pin_list_query) {
    guard_void(|| free_handle(query))
}

fn opt_string(ptr: *const c_char, name: &str) -> Result<Option<String>> {
    // SAFETY: the callers pass NULL or a NUL-terminated string.
    Ok(unsafe { arg_opt_str(ptr, name)? }.map(str::to_string))
}

/// Text filters (each NULL to clear): `cid` (a CID or part of one), `group_id`,
/// `name_contains` (`metadata[name]`, a substring match).
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_list_query_set_text(
    query: *mut pinata_pin_list_query,
    cid: *const c_char,
    group_id: *const c_char,
    name_contains: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let query = arg_mut(query, "query")?;
        query.inner.cid = opt_string(cid, "cid")?;
        query.inner.group_id = opt_string(group_id, "group_id")?;
        query.inner.name_contains = opt_string(name_contains, "name_contains")?;
        Ok(())
    })
}

/// Which records: `PINATA_PIN_STATUS_ALL`, `_PINNED` or `_UNPINNED`.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_list_query_set_status(
    query: *mut pinata_pin_list_query,
    status: i32,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let query = arg_mut(query, "query")?;
        query.inner.status = Some(PIN_STATUSES.arg(status, "status", "PINATA_PIN_STATUS_*")?);
        Ok(())
    })
}

/// Date filters, ISO-8601 (each NULL to clear): pinned within `[pin_start, pin_end]`,
/// unpinned within `[unpin_start, unpin_end]`.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_list_query_set_dates(
    query: *mut pinata_pin_list_query,
    pin_start: *const c_char,
    pin_end: *const c_char,
    unpin_start: *const c_char,
    unpin_end: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let query = arg_mut(query, "query")?;
        query.inner.pin_start = opt_string(pin_start, "pin_start")?;
        query.inner.pin_end = opt_string(pin_end, "pin_end")?;
        query.inner.unpin_start = opt_string(unpin_start, "unpin_start")?;
        query.inner.unpin_end = opt_string(unpin_end, "unpin_end")?;
        Ok(())
    })
}

/// Size filter in bytes; -1 leaves a bound open.
///
/// @param min_bytes  -1 (no lower bound) or 0 and more.
/// @param max_bytes  -1 (no upper bound) or 0 and more.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_list_query_set_size_range(
    query: *mut pinata_pin_list_query,
    min_bytes: i64,
    max_bytes: i64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let query = arg_mut(query, "query")?;
        let bound = |name: &str, v: i64| match v {
            -1 => Ok(None),
            v if v >= 0 => Ok(Some(v as u64)),
            _ => Err(Error::invalid_argument(format!(
                "`{name}` must be -1 or positive"
            ))),
        };
        query.inner.pin_size_min = bound("min_bytes", min_bytes)?;
        query.inner.pin_size_max = bound("max_bytes", max_bytes)?;
        Ok(())
    })
}

/// Page size for each request (1–1000; default 100) and the number of records to skip.
///
/// @param page_limit  1 to 1000.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_list_query_set_paging(
    query: *mut pinata_pin_list_query,
    page_limit: u32,
    offset: u64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let query = arg_mut(query, "query")?;
        query.inner.set_page_limit(page_limit)?;
        query.inner.page_offset = offset;
        Ok(())
    })
}

fn op(value: pinata_keyvalue_op) -> Result<KeyvalueOp> {
    KEYVALUE_OPS.arg(value, "op", "PINATA_OP_*")
}

/// Adds a keyvalue condition on a string value. `second_value` is required for
/// `PINATA_OP_BETWEEN`/`_NOT_BETWEEN` and must be NULL otherwise.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_list_query_add_keyvalue_string(
    query: *mut pinata_pin_list_query,
    key: *const c_char,
    op_code: pinata_keyvalue_op,
    value: *const c_char,
    second_value: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let query = arg_mut(query, "query")?;
        let key = arg_str(key, "key")?;
        let value = arg_str(value, "value")?;
        let second = arg_opt_str(second_value, "second_value")?;
        query
            .inner
            .add_keyvalue_string(key, op(op_code)?, value, second)
    })
}

/// Adds a keyvalue condition on a number. `has_second` says whether `second_value`
/// is given (required exactly for the between operators).
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_list_query_add_keyvalue_number(
    query: *mut pinata_pin_list_query,
    key: *const c_char,
    op_code: pinata_keyvalue_op,
    value: f64,
    second_value: f64,
    has_second: bool,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let query = arg_mut(query, "query")?;
        let key = arg_str(key, "key")?;
        let second = has_second.then_some(second_value);
        query
            .inner
            .add_keyvalue_number(key, op(op_code)?, value, second)
    })
}

/// One pin record, borrowed from the iterator until its next call or its free.
pub struct pinata_pin_row {
    row: PinRow,
    id: CString,
    cid: CString,
    date_pinned: Option<CString>,
    date_unpinned: Option<CString>,
    name: Option<CString>,
    keyvalues_json: CString,
    raw_json: CString,
}

/// Walks the whole pin list, fetching pages as needed. One thread at a time. It holds
/// its own reference to the client's connections and settings, so the client may be
/// freed before it.
pub struct pinata_pin_list_iter {
    iter: PinListIter,
    current: Option<pinata_pin_row>,
}

/// Starts iterating over every pin matching `query` (NULL: all records). No request is
/// made until the first `pinata_pin_list_iter_next`. The iterator keeps its own
/// reference to the client (credentials, connections, settings and cancel flag as they
/// are now), so `client` and `query` may be freed at any time afterwards.
///
/// @param query     NULL for every record; copied, so it may be freed at once.
/// @param iter_out  on success, a new iterator; free it with pinata_pin_list_iter_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_list_iter_new(
    client: *const pinata_client,
    query: *const pinata_pin_list_query,
    iter_out: *mut *mut pinata_pin_list_iter,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        check_out(iter_out, "iter_out")?;
        let default = PinListQuery::default();
        let q = query.as_ref().map_or(&default, |q| &q.inner);
        let iter = client.inner.pin_list(q)?;
        write_out(
            iter_out,
            into_handle(pinata_pin_list_iter {
                iter,
                current: None,
            }),
        );
        Ok(())
    })
}

/// Moves to the next record. On success `*row_out` receives it (borrowed until the next
/// call or `pinata_pin_list_iter_free`), or NULL at the end of the list. On failure the
/// iteration may be resumed by calling again (the failed page is fetched again).
///
/// @param row_out  on success, the next row (borrowed until the next call or the
///                iterator's free), or NULL at the end of the list.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_list_iter_next(
    iter: *mut pinata_pin_list_iter,
    row_out: *mut *const pinata_pin_row,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let iter = arg_mut(iter, "iter")?;
        check_out(row_out, "row_out")?;
        let next = iter.iter.next_row()?;
        iter.current = next.map(|row| pinata_pin_row {
            id: to_cstring(&row.id),
            cid: to_cstring(&row.cid),
            date_pinned: row.date_pinned.as_deref().map(to_cstring),
            date_unpinned: row.date_unpinned.as_deref().map(to_cstring),
            name: row.name.as_deref().map(to_cstring),
            keyvalues_json: to_cstring(&row.keyvalues.to_string()),
            raw_json: to_cstring(&row.raw.to_string()),
            row,
        });
        let ptr = iter
            .current
            .as_ref()
            .map_or(std::ptr::null(), |r| r as *const pinata_pin_row);
        write_out(row_out, ptr);
        Ok(())
    })
}

/// The total count the service reported so far, or -1 when it reported none.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_list_iter_total(iter: *const pinata_pin_list_iter) -> i64 {
    guard_value(-1, || {
        iter.as_ref()
            .and_then(|i| i.iter.total())
            .map_or(-1, |c| i64::try_from(c).unwrap_or(i64::MAX))
    })
}

/// Frees an iterator and its current row. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_list_iter_free(iter: *mut pinata_pin_list_iter) {
    guard_void(|| free_handle(iter))
}

/// The record's id (borrowed; NULL for NULL).
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_row_id(row: *const pinata_pin_row) -> *const c_char {
    borrowed(row, |r| r.id.as_ptr())
}

/// The CID (borrowed).
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_row_cid(row: *const pinata_pin_row) -> *const c_char {
    borrowed(row, |r| r.cid.as_ptr())
}

/// Size in bytes.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_row_size(row: *const pinata_pin_row) -> u64 {
    read(row, 0, |r| r.row.size)
}

/// When it was pinned, ISO-8601 (borrowed; NULL when unknown).
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_row_date_pinned(row: *const pinata_pin_row) -> *const c_char {
    borrowed(row, |r| opt_ptr(&r.date_pinned))
}

/// When it was unpinned, ISO-8601 (borrowed; NULL while pinned).
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_row_date_unpinned(row: *const pinata_pin_row) -> *const c_char {
    borrowed(row, |r| opt_ptr(&r.date_unpinned))
}

/// The pin's name (borrowed; NULL when none).
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_row_name(row: *const pinata_pin_row) -> *const c_char {
    borrowed(row, |r| opt_ptr(&r.name))
}

/// The keyvalues as JSON text: an object, or `null` (borrowed).
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_row_keyvalues_json(
    row: *const pinata_pin_row,
) -> *const c_char {
    borrowed(row, |r| r.keyvalues_json.as_ptr())
}

/// The whole record as JSON, for fields this version does not model (borrowed).
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_row_raw_json(row: *const pinata_pin_row) -> *const c_char {
    borrowed(row, |r| r.raw_json.as_ptr())
}

/// Usage totals (`GET /data/userPinnedDataTotal`): number of pins, their total size,
/// and the total size with replications. Each output pointer may be NULL when not
/// wanted; outputs are written only on success.
#[no_mangle]
pub unsafe extern "C" fn pinata_usage(
    client: *const pinata_client,
    pin_count_out: *mut u64,
    size_total_out: *mut u64,
    size_with_replications_out: *mut u64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let usage = client.inner.usage()?;
        for (ptr, value) in [
            (pin_count_out, usage.pin_count),
            (size_total_out, usage.pin_size_total),
            (
                size_with_replications_out,
                usage.pin_size_with_replications_total,
            ),
        ] {
            if !ptr.is_null() {
                write_out(ptr, value);
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operator_has_one_constant() {
        for op in KeyvalueOp::ALL {
            let v = KEYVALUE_OPS
                .value_of(op)
                .expect("every operator has a constant");
            assert_eq!(KEYVALUE_OPS.get(v), Some(op));
        }
        assert_eq!(KEYVALUE_OPS.0.len(), KeyvalueOp::ALL.len());
    }
}
