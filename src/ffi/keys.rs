//! API KEYS
//!
//! Create keys (admin, or scoped to PINATA_ENDPOINT_* endpoints and v3 resources, with
//! an optional use limit), list them a page at a time or all at once, and revoke
//! them. A pinata_key_result (a new key's secrets) is the caller's; pinata_key_info
//! rows are borrowed from their pinata_key_list.

use super::client::pinata_client;
use super::error::pinata_error;
use super::{
    arg_mut, arg_opt_str, arg_ref, arg_str, borrowed, check_out, free_handle, guard, guard_value,
    guard_void, into_handle, new_handle, opt_ptr, pinata_status, read, to_cstring, write_out, Rows,
};
use crate::error::Error;
use crate::keys::{CreatedKey, Endpoint, KeyInfo, KeyQuery, Permissions};
use std::ffi::{c_char, CString};

/// Identifies one legacy endpoint in a key's permissions: one of the
/// `PINATA_ENDPOINT_*` values; `pinata_endpoint_str` names it.
pub type pinata_endpoint = i32;

c_table! {
    /// The `PINATA_ENDPOINT_*` values, each tied by name to its endpoint.
    static ENDPOINTS: pinata_endpoint => Endpoint {
        /// `GET /data/pinList`.
        PINATA_ENDPOINT_PIN_LIST = 0 => Endpoint::PinList,
        /// `GET /data/userPinnedDataTotal`.
        PINATA_ENDPOINT_USER_PINNED_DATA_TOTAL = 1 => Endpoint::UserPinnedDataTotal,
        /// `PUT /pinning/hashMetadata`.
        PINATA_ENDPOINT_HASH_METADATA = 2 => Endpoint::HashMetadata,
        /// `PUT /pinning/hashPinPolicy` (deprecated by Pinata).
        PINATA_ENDPOINT_HASH_PIN_POLICY = 3 => Endpoint::HashPinPolicy,
        /// `POST /pinning/pinByHash`.
        PINATA_ENDPOINT_PIN_BY_HASH = 4 => Endpoint::PinByHash,
        /// `POST /pinning/pinFileToIPFS`.
        PINATA_ENDPOINT_PIN_FILE_TO_IPFS = 5 => Endpoint::PinFileToIpfs,
        /// `POST /pinning/pinJSONToIPFS`.
        PINATA_ENDPOINT_PIN_JSON_TO_IPFS = 6 => Endpoint::PinJsonToIpfs,
        /// `GET /pinning/pinJobs`.
        PINATA_ENDPOINT_PIN_JOBS = 7 => Endpoint::PinJobs,
        /// `DELETE /pinning/unpin/{cid}`.
        PINATA_ENDPOINT_UNPIN = 8 => Endpoint::Unpin,
        /// `PUT /pinning/userPinPolicy` (deprecated by Pinata).
        PINATA_ENDPOINT_USER_PIN_POLICY = 9 => Endpoint::UserPinPolicy,
    }
}

/// The name of a `PINATA_ENDPOINT_*` value, e.g. `"PINATA_ENDPOINT_UNPIN"`;
/// `"PINATA_ENDPOINT_UNKNOWN"` for other values. Never NULL; the string is static.
#[no_mangle]
pub extern "C" fn pinata_endpoint_str(endpoint: pinata_endpoint) -> *const c_char {
    ENDPOINTS.name_or(endpoint, c"PINATA_ENDPOINT_UNKNOWN")
}

/// A permissions builder for a new key: admin, or a set of endpoints and v3 resources.
/// One thread at a time. Free with `pinata_key_permissions_free`.
pub struct pinata_key_permissions {
    inner: Permissions,
}

/// Creates an empty permissions set (no endpoint, not admin).
///
/// @param permissions_out  on success, a new set; free it with pinata_key_permissions_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_key_permissions_new(
    permissions_out: *mut *mut pinata_key_permissions,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    new_handle(permissions_out, "permissions_out", err_out, || {
        pinata_key_permissions {
            inner: Permissions::new(),
        }
    })
}

/// Frees a permissions set. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_key_permissions_free(permissions: *mut pinata_key_permissions) {
    guard_void(|| free_handle(permissions))
}

/// Makes the key an admin key (every endpoint, key management included) or not.
#[no_mangle]
pub unsafe extern "C" fn pinata_key_permissions_set_admin(
    permissions: *mut pinata_key_permissions,
    admin: bool,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        arg_mut(permissions, "permissions")?.inner.set_admin(admin);
        Ok(())
    })
}

/// Allows one legacy endpoint (`PINATA_ENDPOINT_*`). An unknown value gives
/// `PINATA_E_INVALID_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn pinata_key_permissions_allow_endpoint(
    permissions: *mut pinata_key_permissions,
    endpoint: pinata_endpoint,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let permissions = arg_mut(permissions, "permissions")?;
        let endpoint = ENDPOINTS.arg(endpoint, "endpoint", "PINATA_ENDPOINT_*")?;
        permissions.inner.allow(endpoint);
        Ok(())
    })
}

/// Allows one v3 resource scope, e.g. `"org:files:read"` (one of `org:read`,
/// `org:write`, `org:files:read|write`, `org:groups:read|write`,
/// `org:gateways:read|write`, `org:analytics:read|write`).
#[no_mangle]
pub unsafe extern "C" fn pinata_key_permissions_allow_resource(
    permissions: *mut pinata_key_permissions,
    resource: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let permissions = arg_mut(permissions, "permissions")?;
        let resource = arg_str(resource, "resource")?;
        permissions.inner.allow_resource(resource)?;
        Ok(())
    })
}

/// A created key: API key, secret and JWT, which Pinata shows only once. The secret
/// and JWT are wiped from memory by `pinata_key_result_free`.
pub struct pinata_key_result {
    api_key: CString,
    secret: CString,
    jwt: CString,
}

impl Drop for pinata_key_result {
    fn drop(&mut self) {
        // into_bytes keeps the same allocation, which Zeroizing wipes on drop.
        for s in [&mut self.secret, &mut self.jwt] {
            drop(zeroize::Zeroizing::new(
                std::mem::take(s).into_bytes_with_nul(),
            ));
        }
    }
}

impl pinata_key_result {
    fn new(key: &CreatedKey) -> pinata_key_result {
        pinata_key_result {
            api_key: to_cstring(&key.api_key),
            secret: to_cstring(&key.secret),
            jwt: to_cstring(&key.jwt),
        }
    }
}

/// Creates an API key (`POST /users/generateApiKey`; the client needs an admin key).
/// `max_uses` 0 means unlimited. On success `*key_out` receives the new key.
///
/// @param permissions  read during the call only.
/// @param max_uses     0 for unlimited.
/// @param key_out      on success, the new key; free it with pinata_key_result_free,
///                     which wipes its secret and JWT.
#[no_mangle]
pub unsafe extern "C" fn pinata_keys_create(
    client: *const pinata_client,
    name: *const c_char,
    permissions: *const pinata_key_permissions,
    max_uses: u64,
    key_out: *mut *mut pinata_key_result,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let name = arg_str(name, "name")?;
        let permissions = arg_ref(permissions, "permissions")?;
        check_out(key_out, "key_out")?;
        let max_uses = (max_uses > 0).then_some(max_uses);
        let key = client
            .inner
            .create_key(name, &permissions.inner, max_uses)?;
        write_out(key_out, into_handle(pinata_key_result::new(&key)));
        Ok(())
    })
}

/// The new key's `pinata_api_key`. Valid until `pinata_key_result_free`; NULL if
/// `key` is NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_key_result_api_key(key: *const pinata_key_result) -> *const c_char {
    borrowed(key, |k| k.api_key.as_ptr())
}

/// The new key's secret (for the `pinata_secret_api_key` header). Valid until
/// `pinata_key_result_free`, which wipes it; NULL if `key` is NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_key_result_secret(key: *const pinata_key_result) -> *const c_char {
    borrowed(key, |k| k.secret.as_ptr())
}

/// The new key's JWT. Valid until `pinata_key_result_free`, which wipes it; NULL if
/// `key` is NULL.
#[no_mangle]
pub unsafe extern "C" fn pinata_key_result_jwt(key: *const pinata_key_result) -> *const c_char {
    borrowed(key, |k| k.jwt.as_ptr())
}

/// Frees a created key, wiping its secret and JWT. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_key_result_free(key: *mut pinata_key_result) {
    guard_void(|| free_handle(key))
}

/// Filters and paging for `pinata_keys_list`. One thread at a time.
pub struct pinata_key_query {
    inner: KeyQuery,
}

/// Creates a query with no filter and offset 0.
///
/// @param query_out  on success, a new query; free it with pinata_key_query_free.
#[no_mangle]
pub unsafe extern "C" fn pinata_key_query_new(
    query_out: *mut *mut pinata_key_query,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    new_handle(query_out, "query_out", err_out, || pinata_key_query {
        inner: KeyQuery::default(),
    })
}

/// Frees a query. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_key_query_free(query: *mut pinata_key_query) {
    guard_void(|| free_handle(query))
}

fn tri_state(name: &str, value: i32) -> Result<Option<bool>, Error> {
    match value {
        -1 => Ok(None),
        0 => Ok(Some(false)),
        1 => Ok(Some(true)),
        _ => Err(Error::invalid_argument(format!(
            "`{name}` must be -1 (any), 0 (no) or 1 (yes)"
        ))),
    }
}

/// Filters on revocation (`revoked`), on having a use limit (`limited_use`) and, with
/// a limit, on being used up (`exhausted`). Each is -1 (any, the default), 0 or 1.
#[no_mangle]
pub unsafe extern "C" fn pinata_key_query_set_flags(
    query: *mut pinata_key_query,
    revoked: i32,
    limited_use: i32,
    exhausted: i32,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let query = arg_mut(query, "query")?;
        query.inner.revoked = tri_state("revoked", revoked)?;
        query.inner.limited_use = tri_state("limited_use", limited_use)?;
        query.inner.exhausted = tri_state("exhausted", exhausted)?;
        Ok(())
    })
}

/// Only keys whose name contains `name` (case-insensitive); NULL clears the filter.
#[no_mangle]
pub unsafe extern "C" fn pinata_key_query_set_name(
    query: *mut pinata_key_query,
    name: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let query = arg_mut(query, "query")?;
        query.inner.name = arg_opt_str(name, "name")?.map(str::to_string);
        Ok(())
    })
}

/// Rows to skip (offset paging) for `pinata_keys_list`.
#[no_mangle]
pub unsafe extern "C" fn pinata_key_query_set_offset(
    query: *mut pinata_key_query,
    offset: u64,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        arg_mut(query, "query")?.inner.offset = offset;
        Ok(())
    })
}

/// One key row, borrowed from a `pinata_key_list`; valid until the list is freed.
pub struct pinata_key_info {
    info: KeyInfo,
    id: CString,
    name: CString,
    key: CString,
    created_at: Option<CString>,
    raw_json: CString,
}

/// A list of keys. One thread at a time. Free with `pinata_key_list_free`.
pub struct pinata_key_list {
    rows: Rows<pinata_key_info>,
}

impl pinata_key_list {
    fn new(keys: Vec<KeyInfo>, count: Option<u64>) -> pinata_key_list {
        let rows = keys
            .into_iter()
            .map(|info| pinata_key_info {
                id: to_cstring(&info.id),
                name: to_cstring(&info.name),
                key: to_cstring(&info.key),
                created_at: info.created_at.as_deref().map(to_cstring),
                raw_json: to_cstring(&info.raw.to_string()),
                info,
            })
            .collect();
        pinata_key_list {
            rows: Rows { rows, total: count },
        }
    }
}

/// Lists one page of keys (`GET /users/apiKeys`) with the filters and offset of
/// `query` (NULL: no filter, offset 0).
///
/// @param list_out  on success, a new list; free it with pinata_key_list_free. Its
///                 rows (pinata_key_list_get) are borrowed from it.
#[no_mangle]
pub unsafe extern "C" fn pinata_keys_list(
    client: *const pinata_client,
    query: *const pinata_key_query,
    list_out: *mut *mut pinata_key_list,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        check_out(list_out, "list_out")?;
        let default = KeyQuery::default();
        let q = query.as_ref().map_or(&default, |q| &q.inner);
        let page = client.inner.list_keys(q)?;
        write_out(
            list_out,
            into_handle(pinata_key_list::new(page.keys, page.count)),
        );
        Ok(())
    })
}

/// Lists every key matching the filters of `query` (NULL: all keys), fetching page after
/// page from the query's offset until none is left.
///
/// @param list_out  on success, a new list; free it with pinata_key_list_free. Its
///                 rows (pinata_key_list_get) are borrowed from it.
#[no_mangle]
pub unsafe extern "C" fn pinata_keys_list_all(
    client: *const pinata_client,
    query: *const pinata_key_query,
    list_out: *mut *mut pinata_key_list,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        check_out(list_out, "list_out")?;
        let default = KeyQuery::default();
        let q = query.as_ref().map_or(&default, |q| &q.inner);
        let keys = client.inner.list_all_keys(q)?;
        let n = keys.len() as u64;
        write_out(list_out, into_handle(pinata_key_list::new(keys, Some(n))));
        Ok(())
    })
}

/// Number of rows in the list (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn pinata_key_list_len(list: *const pinata_key_list) -> usize {
    guard_value(0, || Rows::len(list.as_ref().map(|l| &l.rows)))
}

/// The total the service reported for the query, or -1 when it reported none.
#[no_mangle]
pub unsafe extern "C" fn pinata_key_list_total(list: *const pinata_key_list) -> i64 {
    guard_value(-1, || Rows::total(list.as_ref().map(|l| &l.rows)))
}

/// Row `index` of the list, borrowed until the list is freed; NULL when out of range.
#[no_mangle]
pub unsafe extern "C" fn pinata_key_list_get(
    list: *const pinata_key_list,
    index: usize,
) -> *const pinata_key_info {
    guard_value(std::ptr::null(), || {
        Rows::get(list.as_ref().map(|l| &l.rows), index)
    })
}

/// Frees a key list and every row borrowed from it. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn pinata_key_list_free(list: *mut pinata_key_list) {
    guard_void(|| free_handle(list))
}

/// The key record's id (borrowed; NULL if `info` is NULL).
#[no_mangle]
pub unsafe extern "C" fn pinata_key_info_id(info: *const pinata_key_info) -> *const c_char {
    borrowed(info, |i| i.id.as_ptr())
}

/// The key's name (borrowed; NULL if `info` is NULL).
#[no_mangle]
pub unsafe extern "C" fn pinata_key_info_name(info: *const pinata_key_info) -> *const c_char {
    borrowed(info, |i| i.name.as_ptr())
}

/// The key's `pinata_api_key` value (borrowed; NULL if `info` is NULL).
#[no_mangle]
pub unsafe extern "C" fn pinata_key_info_key(info: *const pinata_key_info) -> *const c_char {
    borrowed(info, |i| i.key.as_ptr())
}

/// Creation time, ISO-8601 (borrowed; NULL when unknown).
#[no_mangle]
pub unsafe extern "C" fn pinata_key_info_created_at(info: *const pinata_key_info) -> *const c_char {
    borrowed(info, |i| opt_ptr(&i.created_at))
}

/// The maximum number of uses, 0 when unlimited.
#[no_mangle]
pub unsafe extern "C" fn pinata_key_info_max_uses(info: *const pinata_key_info) -> u64 {
    guard_value(0, || {
        info.as_ref().and_then(|i| i.info.max_uses).unwrap_or(0)
    })
}

/// The number of uses so far.
#[no_mangle]
pub unsafe extern "C" fn pinata_key_info_uses(info: *const pinata_key_info) -> u64 {
    read(info, 0, |i| i.info.uses)
}

/// Whether the key is revoked.
#[no_mangle]
pub unsafe extern "C" fn pinata_key_info_revoked(info: *const pinata_key_info) -> bool {
    read(info, false, |i| i.info.revoked)
}

/// Whether the key is an admin key.
#[no_mangle]
pub unsafe extern "C" fn pinata_key_info_admin(info: *const pinata_key_info) -> bool {
    read(info, false, |i| i.info.admin)
}

/// The whole row as JSON, for fields this version does not model (borrowed; NULL if
/// `info` is NULL). Any secret the service returns is removed.
#[no_mangle]
pub unsafe extern "C" fn pinata_key_info_raw_json(info: *const pinata_key_info) -> *const c_char {
    borrowed(info, |i| i.raw_json.as_ptr())
}

/// Revokes a key by its `pinata_api_key` value (`PUT /users/revokeApiKey`). Later
/// calls with it fail with `PINATA_E_FORBIDDEN`, reason `API_KEY_REVOKED`.
#[no_mangle]
pub unsafe extern "C" fn pinata_keys_revoke(
    client: *const pinata_client,
    api_key: *const c_char,
    err_out: *mut *mut pinata_error,
) -> pinata_status {
    guard(err_out, || {
        let client = arg_ref(client, "client")?;
        let api_key = arg_str(api_key, "api_key")?;
        client.inner.revoke_key(api_key)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_endpoint_has_one_constant() {
        for e in Endpoint::ALL {
            let v = ENDPOINTS
                .value_of(e)
                .expect("every endpoint has a constant");
            assert_eq!(ENDPOINTS.get(v), Some(e));
        }
        assert_eq!(ENDPOINTS.0.len(), Endpoint::ALL.len());
    }
}
