//! GROUPS (v3)
//!
//! Groups of the v3 Files API, per network (PINATA_NETWORK_PUBLIC or _PRIVATE): create, get, update,
//! delete, put a file in or take it out (by file id), and list through an iterator
//! (name, visibility, page size) that follows the service's page tokens by itself and
//! keeps its own reference to the client. A pinata_group returned by a call is the
//! caller's; one lent by an iterator is borrowed.

use crate::error::{Error, Result};
use crate::ffi::client::pinata_client;
use crate::ffi::error::pinata_error;
use crate::ffi::v3::files::network_arg;
use crate::ffi::{
    arg_mut, arg_opt_str, arg_ref, arg_str, borrowed, check_out, free_handle, guard, guard_void,
    into_handle, new_handle, opt_ptr, pinata_status, read, to_cstring, write_out,
};
use crate::v3::groups::{Group, GroupIter, GroupQuery};
use crate::v3::Network;
use std::ffi::{c_char, CString};

/// The network argument (`PINATA_NETWORK_*`, declared with the v3 files).
fn network(value: i32) -> Result<Network> {
    network_arg(value)
}

/// A tri-state flag: -1 leaves it unset, 0 false, 1 true.
fn tri(value: i32, name: &str) -> Result<Option<bool>> {
    match value {
        -1 => Ok(None),
        0 => Ok(Some(false)),
        1 => Ok(Some(true)),
        _ => Err(Error::invalid_argument(format!(
            "`{name}` must be -1 (unset), 0 or 1"
        ))),
    }
}

/// A v3 group: owned by the caller when a call returned it (free it with
/// pinata_group_free), borrowed when an iterator lent it.
pub struct pinata_group {
    group: Group,
    id: CString,
    name: CString,
    created_at: Option<CString>,
    raw_json: CString,
}

impl pinata_group {
    fn new(g: Group) -> pinata_group {
        pinata_group {
            id: to_cstring(&g.id),
            name: to_cstring(&g.name),
            created_at: g.created_at.as_deref().map(to_cstring),
            raw_json: to_cstring(&g.raw.to_string()),
            group: g,
        }
    }
}

unsafe fn give(out: *mut *mut pinata_group, g: Group) {
    write_out(out, into_handle(pinata_group::new(g)));
}

/// Creates a group (`POST /v3/groups/{network}`).
///
/// @param network    PINATA_NETWORK_PUBLIC or PINATA_NETWORK_PRIVATE.
/// @param name       the group's name (non-empty UTF-8, no control characters).
/// @param is_public  whether the group's files are public on the gateway.
/// @param group_out  on success, the new group; free it with pinata_group_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_groups_create(
    client: *const pinata_client,
    network: i32,
    name: *const c_char,
    is_public: bool,
    group_out: *mut *mut pinata_group,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let net = self::network(network)?;
        let name = arg_str(name, "name")?;
        check_out(group_out, "group_out")?;
        give(group_out, client.inner.group_create(net, name, is_public)?);
        Ok(())
    })
}

/// Fetches one group (`GET /v3/groups/{network}/{id}`); an unknown id gives
/// `PINATA_E_NOT_FOUND`.
///
/// @param group_out  on success, the group; free it with pinata_group_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_groups_get(
    client: *const pinata_client,
    network: i32,
    group_id: *const c_char,
    group_out: *mut *mut pinata_group,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let net = self::network(network)?;
        let id = arg_str(group_id, "group_id")?;
        check_out(group_out, "group_out")?;
        give(group_out, client.inner.group_get(net, id)?);
        Ok(())
    })
}

/// Changes a group (`PUT /v3/groups/{network}/{id}`): its name (NULL keeps it) and/or
/// visibility (-1 keeps it, 0 or 1); at least one must change.
///
/// @param is_public  -1 (unchanged), 0 (not public) or 1 (public).
/// @param group_out  on success, the group as updated (free it with pinata_group_free);
///                  may be NULL when not wanted.
#[no_mangle]
pub unsafe extern "C" fn pinata_groups_update(
    client: *const pinata_client,
    network: i32,
    group_id: *const c_char,
    name: *const c_char,
    is_public: i32,
    group_out: *mut *mut pinata_group,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let net = self::network(network)?;
        let id = arg_str(group_id, "group_id")?;
        let name = arg_opt_str(name, "name")?;
        let is_public = tri(is_public, "is_public")?;
        let g = client.inner.group_update(net, id, name, is_public)?;
        if !group_out.is_null() {
            give(group_out, g);
        }
        Ok(())
    })
}

/// Deletes a group (`DELETE /v3/groups/{network}/{id}`); its files stay.
#[no_mangle]
pub unsafe extern "C" fn pinata_groups_delete(
    client: *const pinata_client,
    network: i32,
    group_id: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let net = self::network(network)?;
        client
            .inner
            .group_delete(net, arg_str(group_id, "group_id")?)
    })
}

/// Puts a file in a group (`PUT /v3/groups/{network}/{id}/ids/{file_id}`).
#[no_mangle]
pub unsafe extern "C" fn pinata_groups_add_file(
    client: *const pinata_client,
    network: i32,
    group_id: *const c_char,
    file_id: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let net = self::network(network)?;
        let id = arg_str(group_id, "group_id")?;
        let file = arg_str(file_id, "file_id")?;
        client.inner.group_add_file(net, id, file)
    })
}

/// Takes a file out of a group (`DELETE /v3/groups/{network}/{id}/ids/{file_id}`);
/// the file stays.
#[no_mangle]
pub unsafe extern "C" fn pinata_groups_remove_file(
    client: *const pinata_client,
    network: i32,
    group_id: *const c_char,
    file_id: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let net = self::network(network)?;
        let id = arg_str(group_id, "group_id")?;
        let file = arg_str(file_id, "file_id")?;
        client.inner.group_remove_file(net, id, file)
    })
}

/// Filters of the v3 group list. One thread at a time.
pub struct pinata_group_query {
    inner: GroupQuery,
}

/// Creates a group query with no filter.
///
/// @param query_out  on success, a new query; free it with pinata_group_query_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_group_query_new(
    query_out: *mut *mut pinata_group_query,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    new_handle(query_out, "query_out", err_out, || pinata_group_query {
        inner: GroupQuery::default(),
    })
}

/// Frees a group query. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_group_query_free(query: *mut pinata_group_query) {
    guard_void(|| free_handle(query))
}

/// Only groups whose name matches `name` (NULL clears it), and only public (1) or
/// non-public (0) groups (-1: both).
///
/// @param is_public  -1 (either), 0 or 1.
#[no_mangle]
pub unsafe extern "C" fn pinata_group_query_set_filters(
    query: *mut pinata_group_query,
    name: *const c_char,
    is_public: i32,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let query = arg_mut(query, "query")?;
        let name = arg_opt_str(name, "name")?.map(str::to_string);
        let is_public = tri(is_public, "is_public")?;
        query.inner.name = name;
        query.inner.is_public = is_public;
        Ok(())
    })
}

/// Groups per request (1–1000; the service's default when never set).
///
/// @param limit  1 to 1000.
#[no_mangle]
pub unsafe extern "C" fn pinata_group_query_set_limit(
    query: *mut pinata_group_query,
    limit: u32,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || arg_mut(query, "query")?.inner.set_limit(limit))
}

/// Walks the v3 group list of one network, following page tokens. One thread at a
/// time. It holds its own reference to the client, so the client may be freed first.
pub struct pinata_group_iter {
    iter: GroupIter,
    current: Option<pinata_group>,
}

/// Starts iterating over every group of `network` matching `query` (NULL: all). No
/// request is made until the first pinata_group_iter_next; `client` and `query` may be
/// freed at any time afterwards.
///
/// @param iter_out  on success, a new iterator; free it with pinata_group_iter_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_groups_list(
    client: *const pinata_client,
    network: i32,
    query: *const pinata_group_query,
    iter_out: *mut *mut pinata_group_iter,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let net = self::network(network)?;
        check_out(iter_out, "iter_out")?;
        let default = GroupQuery::default();
        let q = query.as_ref().map_or(&default, |q| &q.inner);
        let iter = client.inner.groups(net, q)?;
        write_out(
            iter_out,
            into_handle(pinata_group_iter {
                iter,
                current: None,
            }),
        );
        Ok(())
    })
}

/// Moves to the next group. On success `*group_out` receives it (borrowed until the
/// next call or pinata_group_iter_free), or NULL at the end. After a failure, calling
/// again fetches the failed page again.
///
/// @param group_out  on success, the next group (borrowed), or NULL at the end.
#[no_mangle]
pub unsafe extern "C" fn pinata_group_iter_next(
    iter: *mut pinata_group_iter,
    group_out: *mut *const pinata_group,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let iter = arg_mut(iter, "iter")?;
        check_out(group_out, "group_out")?;
        iter.current = iter.iter.next_group()?.map(pinata_group::new);
        let ptr = iter
            .current
            .as_ref()
            .map_or(std::ptr::null(), |g| g as *const pinata_group);
        write_out(group_out, ptr);
        Ok(())
    })
}

/// Frees an iterator and the group it lent. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_group_iter_free(iter: *mut pinata_group_iter) {
    guard_void(|| free_handle(iter))
}

/// Frees a group a call returned (never one an iterator lent). NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_group_free(group: *mut pinata_group) {
    guard_void(|| free_handle(group))
}

/// The group's id (borrowed from the group; NULL for NULL).
#[no_mangle]
pub unsafe extern "C" fn pinata_group_id(group: *const pinata_group) -> *const c_char {
    borrowed(group, |g| g.id.as_ptr())
}

/// The group's name (borrowed).
#[no_mangle]
pub unsafe extern "C" fn pinata_group_name(group: *const pinata_group) -> *const c_char {
    borrowed(group, |g| g.name.as_ptr())
}

/// Whether the group is public; false for NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_group_is_public(group: *const pinata_group) -> bool {
    read(group, false, |g| g.group.is_public)
}

/// Creation time, ISO-8601 (borrowed; NULL when not given).
#[no_mangle]
pub unsafe extern "C" fn pinata_group_created_at(group: *const pinata_group) -> *const c_char {
    borrowed(group, |g| opt_ptr(&g.created_at))
}

/// The whole group as JSON, for fields this version does not model (borrowed).
#[no_mangle]
pub unsafe extern "C" fn pinata_group_raw_json(group: *const pinata_group) -> *const c_char {
    borrowed(group, |g| g.raw_json.as_ptr())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tri_state_and_networks() {
        assert_eq!(tri(-1, "x").unwrap(), None);
        assert_eq!(tri(1, "x").unwrap(), Some(true));
        assert!(tri(2, "x").is_err());
        assert_eq!(network(1).unwrap(), Network::Private);
        assert!(network(2).is_err());
    }
}
