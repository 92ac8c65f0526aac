//! The pin list (filters, automatic paging) and usage totals.

use super::client::pinata_client;
use super::error::pinata_error;
use super::{
    arg_mut, arg_opt_str, arg_ref, arg_str, borrowed, check_out, free_handle, guard, guard_value,
    guard_void, into_handle, new_handle, opt_ptr, pinata_status, read, to_cstring, write_out,
};
use crate::data::{KeyvalueOp, PinListIter, PinListQuery, PinRow, PinStatus};
use crate::error::{Error, Result};
use serde_json::Value;
use std::ffi::{c_char, CString};

/// Pinned and unpinned records (the service's default).
pub const PINATA_PIN_STATUS_ALL: i32 = 0;
/// Currently pinned records.
pub const PINATA_PIN_STATUS_PINNED: i32 = 1;
/// Unpinned records.
pub const PINATA_PIN_STATUS_UNPINNED: i32 = 2;

/// `metadata[keyvalues]` operators, in this order: gt, gte, lt, lte, ne, eq, between,
/// notBetween, like, notLike, iLike, notILike, regexp, iRegexp.
pub type pinata_keyvalue_op = i32;
/// Greater than.
pub const PINATA_OP_GT: pinata_keyvalue_op = 0;
/// Greater than or equal.
pub const PINATA_OP_GTE: pinata_keyvalue_op = 1;
/// Less than.
pub const PINATA_OP_LT: pinata_keyvalue_op = 2;
/// Less than or equal.
pub const PINATA_OP_LTE: pinata_keyvalue_op = 3;
/// Not equal.
pub const PINATA_OP_NE: pinata_keyvalue_op = 4;
/// Equal.
pub const PINATA_OP_EQ: pinata_keyvalue_op = 5;
/// Between value and second value (inclusive).
pub const PINATA_OP_BETWEEN: pinata_keyvalue_op = 6;
/// Not between value and second value.
pub const PINATA_OP_NOT_BETWEEN: pinata_keyvalue_op = 7;
/// SQL LIKE (`%` and `_` wildcards).
pub const PINATA_OP_LIKE: pinata_keyvalue_op = 8;
/// SQL NOT LIKE.
pub const PINATA_OP_NOT_LIKE: pinata_keyvalue_op = 9;
/// Case-insensitive LIKE.
pub const PINATA_OP_ILIKE: pinata_keyvalue_op = 10;
/// Case-insensitive NOT LIKE.
pub const PINATA_OP_NOT_ILIKE: pinata_keyvalue_op = 11;
/// Regular expression match.
pub const PINATA_OP_REGEXP: pinata_keyvalue_op = 12;
/// Case-insensitive regular expression match.
pub const PINATA_OP_IREGEXP: pinata_keyvalue_op = 13;

/// Filters for the pin list. One thread at a time.
pub struct pinata_pin_list_query {
    inner: PinListQuery,
}

/// Creates a pin-list query with no filter (all records, newest first).
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
        query.inner.status = Some(match status {
            PINATA_PIN_STATUS_ALL => PinStatus::All,
            PINATA_PIN_STATUS_PINNED => PinStatus::Pinned,
            PINATA_PIN_STATUS_UNPINNED => PinStatus::Unpinned,
            _ => {
                return Err(Error::invalid_argument(
                    "`status` is not a PINATA_PIN_STATUS_* value",
                ))
            }
        });
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
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_list_query_set_paging(
    query: *mut pinata_pin_list_query,
    page_limit: u32,
    offset: u64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let query = arg_mut(query, "query")?;
        if !(1..=1000).contains(&page_limit) {
            return Err(Error::invalid_argument(
                "`page_limit` must be between 1 and 1000",
            ));
        }
        query.inner.page_limit = Some(page_limit);
        query.inner.page_offset = offset;
        Ok(())
    })
}

fn op(value: pinata_keyvalue_op) -> Result<KeyvalueOp> {
    usize::try_from(value)
        .ok()
        .and_then(|i| KeyvalueOp::ALL.get(i).copied())
        .ok_or_else(|| Error::invalid_argument("`op` is not a PINATA_OP_* value"))
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
        query.inner.add_keyvalue(
            key,
            op(op_code)?,
            Value::from(value),
            second.map(Value::from),
        )
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
        let number = |v: f64| {
            serde_json::Number::from_f64(v)
                .map(Value::Number)
                .ok_or_else(|| Error::invalid_argument("filter numbers must be finite"))
        };
        let second = if has_second {
            Some(number(second_value)?)
        } else {
            None
        };
        query
            .inner
            .add_keyvalue(key, op(op_code)?, number(value)?, second)
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

/// Walks the whole pin list, fetching pages as needed. One thread at a time. The
/// client must outlive the iterator.
pub struct pinata_pin_list_iter {
    iter: PinListIter<'static>,
    current: Option<pinata_pin_row>,
}

/// Starts iterating over every pin matching `query` (NULL: all records). No request is
/// made until the first `pinata_pin_list_iter_next`. The client must stay alive until
/// the iterator is freed.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_list_iter_new(
    client: *const pinata_client,
    query: *const pinata_pin_list_query,
    iter_out: *mut *mut pinata_pin_list_iter,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client: &'static pinata_client = arg_ref(client, "client")?;
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
