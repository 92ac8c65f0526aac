//! LEGACY GROUPS
//!
//! CID-based groups of the legacy API (`/groups`): create, get, rename, delete, add or
//! remove CIDs, and list them through an iterator (name filter, offset, page size)
//! that keeps its own reference to the client. A pinata_pin_group returned by a call
//! is the caller's; one lent by an iterator is borrowed.

use crate::error::{Error, Result};
use crate::ffi::client::pinata_client;
use crate::ffi::error::pinata_error;
use crate::ffi::{
    arg_mut, arg_opt_str, arg_ref, arg_str, borrowed, check_out, free_handle, guard, guard_void,
    into_handle, new_handle, opt_ptr, pinata_status, to_cstring, write_out,
};
use crate::legacy::groups::{PinGroup, PinGroupIter, PinGroupQuery};
use std::ffi::{c_char, CString};

/// A legacy group: owned by the caller when a call returned it (free it with
/// pinata_pin_group_free), borrowed when an iterator lent it.
pub struct pinata_pin_group {
    id: CString,
    name: CString,
    user_id: Option<CString>,
    created_at: Option<CString>,
    updated_at: Option<CString>,
    raw_json: CString,
}

impl pinata_pin_group {
    fn new(g: PinGroup) -> pinata_pin_group {
        pinata_pin_group {
            id: to_cstring(&g.id),
            name: to_cstring(&g.name),
            user_id: g.user_id.as_deref().map(to_cstring),
            created_at: g.created_at.as_deref().map(to_cstring),
            updated_at: g.updated_at.as_deref().map(to_cstring),
            raw_json: to_cstring(&g.raw.to_string()),
        }
    }
}

/// Writes a group the caller owns.
unsafe fn give(out: *mut *mut pinata_pin_group, g: PinGroup) {
    write_out(out, into_handle(pinata_pin_group::new(g)));
}

/// Creates a group (`POST /groups`).
///
/// @param name       the group's name (non-empty UTF-8, no control characters).
/// @param group_out  on success, the new group; free it with pinata_pin_group_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_groups_create(
    client: *const pinata_client,
    name: *const c_char,
    group_out: *mut *mut pinata_pin_group,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let name = arg_str(name, "name")?;
        check_out(group_out, "group_out")?;
        give(group_out, client.inner.pin_group_create(name)?);
        Ok(())
    })
}

/// Fetches one group (`GET /groups/{id}`); an unknown id gives `PINATA_E_NOT_FOUND`.
///
/// @param group_out  on success, the group; free it with pinata_pin_group_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_groups_get(
    client: *const pinata_client,
    group_id: *const c_char,
    group_out: *mut *mut pinata_pin_group,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let id = arg_str(group_id, "group_id")?;
        check_out(group_out, "group_out")?;
        give(group_out, client.inner.pin_group_get(id)?);
        Ok(())
    })
}

/// Renames a group (`PUT /groups/{id}`).
///
/// @param group_out  on success, the group as updated; free it with
///                  pinata_pin_group_free. May be NULL when not wanted.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_groups_update(
    client: *const pinata_client,
    group_id: *const c_char,
    name: *const c_char,
    group_out: *mut *mut pinata_pin_group,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let id = arg_str(group_id, "group_id")?;
        let name = arg_str(name, "name")?;
        let g = client.inner.pin_group_update(id, name)?;
        if !group_out.is_null() {
            give(group_out, g);
        }
        Ok(())
    })
}

/// Deletes a group (`DELETE /groups/{id}`); its CIDs stay pinned.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_groups_delete(
    client: *const pinata_client,
    group_id: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        client
            .inner
            .pin_group_delete(arg_str(group_id, "group_id")?)
    })
}

/// Borrows `count` CIDs (at least one, each valid UTF-8).
unsafe fn cid_list<'a>(cids: *const *const c_char, count: usize) -> Result<Vec<&'a str>> {
    if cids.is_null() {
        return Err(Error::invalid_argument("`cids` is NULL"));
    }
    if count == 0 {
        return Err(Error::invalid_argument("`cid_count` is 0"));
    }
    (0..count)
        .map(|i| arg_str(*cids.add(i), &format!("cids[{i}]")))
        .collect()
}

/// Adds CIDs to a group (`PUT /groups/{id}/cids`).
///
/// @param cids       an array of `cid_count` CIDs (each checked before sending).
/// @param cid_count  at least 1.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_groups_add_cids(
    client: *const pinata_client,
    group_id: *const c_char,
    cids: *const *const c_char,
    cid_count: usize,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let id = arg_str(group_id, "group_id")?;
        let cids = cid_list(cids, cid_count)?;
        client.inner.pin_group_add_cids(id, &cids)
    })
}

/// Removes CIDs from a group (`DELETE /groups/{id}/cids`); the CIDs stay pinned.
///
/// @param cids       an array of `cid_count` CIDs (each checked before sending).
/// @param cid_count  at least 1.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_groups_remove_cids(
    client: *const pinata_client,
    group_id: *const c_char,
    cids: *const *const c_char,
    cid_count: usize,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let id = arg_str(group_id, "group_id")?;
        let cids = cid_list(cids, cid_count)?;
        client.inner.pin_group_remove_cids(id, &cids)
    })
}

/// Filters and paging of the legacy group list. One thread at a time.
pub struct pinata_pin_group_query {
    inner: PinGroupQuery,
}

/// Creates a group query with no filter.
///
/// @param query_out  on success, a new query; free it with pinata_pin_group_query_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_group_query_new(
    query_out: *mut *mut pinata_pin_group_query,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    new_handle(query_out, "query_out", err_out, || pinata_pin_group_query {
        inner: PinGroupQuery::default(),
    })
}

/// Frees a group query. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_group_query_free(query: *mut pinata_pin_group_query) {
    guard_void(|| free_handle(query))
}

/// Only groups whose name contains this text (`nameContains`); NULL clears it.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_group_query_set_name_contains(
    query: *mut pinata_pin_group_query,
    name_contains: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let query = arg_mut(query, "query")?;
        query.inner.name_contains =
            arg_opt_str(name_contains, "name_contains")?.map(str::to_string);
        Ok(())
    })
}

/// Groups per request (`limit`, 1–1000; default 10) and groups to skip (`offset`).
///
/// @param limit   1 to 1000.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_group_query_set_paging(
    query: *mut pinata_pin_group_query,
    limit: u32,
    offset: u64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let query = arg_mut(query, "query")?;
        query.inner.set_limit(limit)?;
        query.inner.offset = offset;
        Ok(())
    })
}

/// Walks the legacy group list, fetching pages as needed. One thread at a time. It
/// holds its own reference to the client, so the client may be freed before it.
pub struct pinata_pin_group_iter {
    iter: PinGroupIter,
    current: Option<pinata_pin_group>,
}

/// Starts iterating over every group matching `query` (NULL: all groups). No request
/// is made until the first pinata_pin_group_iter_next; `client` and `query` may be
/// freed at any time afterwards.
///
/// @param iter_out  on success, a new iterator; free it with pinata_pin_group_iter_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_groups_list(
    client: *const pinata_client,
    query: *const pinata_pin_group_query,
    iter_out: *mut *mut pinata_pin_group_iter,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        check_out(iter_out, "iter_out")?;
        let default = PinGroupQuery::default();
        let q = query.as_ref().map_or(&default, |q| &q.inner);
        let iter = client.inner.pin_groups(q)?;
        write_out(
            iter_out,
            into_handle(pinata_pin_group_iter {
                iter,
                current: None,
            }),
        );
        Ok(())
    })
}

/// Moves to the next group. On success `*group_out` receives it (borrowed until the
/// next call or pinata_pin_group_iter_free), or NULL at the end. After a failure,
/// calling again fetches the failed page again.
///
/// @param group_out  on success, the next group (borrowed), or NULL at the end.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_group_iter_next(
    iter: *mut pinata_pin_group_iter,
    group_out: *mut *const pinata_pin_group,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let iter = arg_mut(iter, "iter")?;
        check_out(group_out, "group_out")?;
        iter.current = iter.iter.next_group()?.map(pinata_pin_group::new);
        let ptr = iter
            .current
            .as_ref()
            .map_or(std::ptr::null(), |g| g as *const pinata_pin_group);
        write_out(group_out, ptr);
        Ok(())
    })
}

/// Frees an iterator and the group it lent. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_group_iter_free(iter: *mut pinata_pin_group_iter) {
    guard_void(|| free_handle(iter))
}

/// Frees a group a call returned (never one an iterator lent). NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_group_free(group: *mut pinata_pin_group) {
    guard_void(|| free_handle(group))
}

/// The group's id (borrowed from the group; NULL for NULL).
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_group_id(group: *const pinata_pin_group) -> *const c_char {
    borrowed(group, |g| g.id.as_ptr())
}

/// The group's name (borrowed).
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_group_name(group: *const pinata_pin_group) -> *const c_char {
    borrowed(group, |g| g.name.as_ptr())
}

/// The owner's user id (borrowed; NULL when the service gave none).
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_group_user_id(group: *const pinata_pin_group) -> *const c_char {
    borrowed(group, |g| opt_ptr(&g.user_id))
}

/// Creation time, ISO-8601 (borrowed; NULL when not given).
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_group_created_at(
    group: *const pinata_pin_group,
) -> *const c_char {
    borrowed(group, |g| opt_ptr(&g.created_at))
}

/// Last change, ISO-8601 (borrowed; NULL when not given).
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_group_updated_at(
    group: *const pinata_pin_group,
) -> *const c_char {
    borrowed(group, |g| opt_ptr(&g.updated_at))
}

/// The whole group as JSON, for fields this version does not model (borrowed).
#[no_mangle]
pub unsafe extern "C" fn pinata_pin_group_raw_json(
    group: *const pinata_pin_group,
) -> *const c_char {
    borrowed(group, |g| g.raw_json.as_ptr())
}
