//! API-key management: create (admin or per-endpoint scopes, max uses), list, revoke.
//! Endpoints: `POST /users/generateApiKey`, `GET /users/apiKeys`, `PUT /users/revokeApiKey`.

use crate::client::Client;
use crate::error::{Error, Result};
use crate::transport::{Method, Request};
use crate::util::{check_text, opt_str, opt_u64, query_string, str_field};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use std::fmt;
use zeroize::Zeroizing;

/// A legacy API endpoint a scoped key may be allowed to call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Endpoint {
    /// `GET /data/pinList`.
    PinList,
    /// `GET /data/userPinnedDataTotal`.
    UserPinnedDataTotal,
    /// `PUT /pinning/hashMetadata`.
    HashMetadata,
    /// `PUT /pinning/hashPinPolicy` (deprecated by Pinata).
    HashPinPolicy,
    /// `POST /pinning/pinByHash`.
    PinByHash,
    /// `POST /pinning/pinFileToIPFS`.
    PinFileToIpfs,
    /// `POST /pinning/pinJSONToIPFS`.
    PinJsonToIpfs,
    /// `GET /pinning/pinJobs`.
    PinJobs,
    /// `DELETE /pinning/unpin/{cid}`.
    Unpin,
    /// `PUT /pinning/userPinPolicy` (deprecated by Pinata).
    UserPinPolicy,
}

impl Endpoint {
    /// Every endpoint.
    pub const ALL: [Endpoint; 10] = [
        Endpoint::PinList,
        Endpoint::UserPinnedDataTotal,
        Endpoint::HashMetadata,
        Endpoint::HashPinPolicy,
        Endpoint::PinByHash,
        Endpoint::PinFileToIpfs,
        Endpoint::PinJsonToIpfs,
        Endpoint::PinJobs,
        Endpoint::Unpin,
        Endpoint::UserPinPolicy,
    ];

    /// The group and flag names Pinata uses in `permissions.endpoints`.
    pub fn scope_path(self) -> (&'static str, &'static str) {
        match self {
            Endpoint::PinList => ("data", "pinList"),
            Endpoint::UserPinnedDataTotal => ("data", "userPinnedDataTotal"),
            Endpoint::HashMetadata => ("pinning", "hashMetadata"),
            Endpoint::HashPinPolicy => ("pinning", "hashPinPolicy"),
            Endpoint::PinByHash => ("pinning", "pinByHash"),
            Endpoint::PinFileToIpfs => ("pinning", "pinFileToIPFS"),
            Endpoint::PinJsonToIpfs => ("pinning", "pinJSONToIPFS"),
            Endpoint::PinJobs => ("pinning", "pinJobs"),
            Endpoint::Unpin => ("pinning", "unpin"),
            Endpoint::UserPinPolicy => ("pinning", "userPinPolicy"),
        }
    }
}

/// The v3 resource scopes Pinata documents (`permissions.resources`).
pub const RESOURCES: [&str; 10] = [
    "org:read",
    "org:write",
    "org:files:read",
    "org:files:write",
    "org:groups:read",
    "org:groups:write",
    "org:gateways:read",
    "org:gateways:write",
    "org:analytics:read",
    "org:analytics:write",
];

/// What a new key may do: admin, or a set of endpoints (and optional v3 resources).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Permissions {
    admin: bool,
    endpoints: BTreeSet<Endpoint>,
    resources: BTreeSet<String>,
}

impl Permissions {
    /// No permission at all (such a key can still call testAuthentication).
    pub fn new() -> Permissions {
        Permissions::default()
    }

    /// Every endpoint, key management included.
    pub fn admin() -> Permissions {
        Permissions {
            admin: true,
            ..Permissions::default()
        }
    }

    /// Sets or clears admin.
    pub fn set_admin(&mut self, admin: bool) -> &mut Self {
        self.admin = admin;
        self
    }

    /// Allows one legacy endpoint.
    pub fn allow(&mut self, endpoint: Endpoint) -> &mut Self {
        self.endpoints.insert(endpoint);
        self
    }

    /// Allows one v3 resource scope such as `org:files:read`.
    pub fn allow_resource(&mut self, resource: &str) -> Result<&mut Self> {
        if !RESOURCES.contains(&resource) {
            return Err(Error::invalid_argument(format!(
                "`resource` must be one of {}",
                RESOURCES.join(", ")
            )));
        }
        self.resources.insert(resource.to_string());
        Ok(self)
    }

    /// Whether admin is set.
    pub fn is_admin(&self) -> bool {
        self.admin
    }

    /// The `permissions` object Pinata expects.
    pub fn to_json(&self) -> Value {
        let mut groups: Map<String, Value> = Map::new();
        for endpoint in &self.endpoints {
            let (group, flag) = endpoint.scope_path();
            let entry = groups
                .entry(group.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(m) = entry {
                m.insert(flag.to_string(), Value::Bool(true));
            }
        }
        let mut perms = json!({ "admin": self.admin, "endpoints": groups });
        if !self.resources.is_empty() {
            perms["resources"] = json!(self.resources);
        }
        perms
    }
}

/// A freshly created key. The secret and JWT are shown once by Pinata; they are wiped
/// from memory when this value is dropped and never printed by `Debug`.
pub struct CreatedKey {
    /// The `pinata_api_key` value.
    pub api_key: Zeroizing<String>,
    /// The secret (header `pinata_secret_api_key`).
    pub secret: Zeroizing<String>,
    /// The key's JWT.
    pub jwt: Zeroizing<String>,
}

impl fmt::Debug for CreatedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedKey")
            .field("api_key", &self.api_key.as_str())
            .field("secret", &"<redacted>")
            .field("jwt", &"<redacted>")
            .finish()
    }
}

/// Filters and paging for listing keys. Every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyQuery {
    /// Only revoked (true) or only active (false) keys.
    pub revoked: Option<bool>,
    /// Only keys with a max-uses limit (true) or without (false).
    pub limited_use: Option<bool>,
    /// With `limited_use`: only exhausted (true) or not exhausted (false) keys.
    pub exhausted: Option<bool>,
    /// Name contains this text (case-insensitive).
    pub name: Option<String>,
    /// Rows to skip.
    pub offset: u64,
}

impl KeyQuery {
    fn to_query_string(&self) -> String {
        let mut params = Vec::new();
        let mut flag = |name: &str, v: Option<bool>| {
            if let Some(b) = v {
                params.push((name.to_string(), b.to_string()));
            }
        };
        flag("revoked", self.revoked);
        flag("limitedUse", self.limited_use);
        flag("exhausted", self.exhausted);
        if let Some(n) = &self.name {
            params.push(("name".into(), n.clone()));
        }
        if self.offset > 0 {
            params.push(("offset".into(), self.offset.to_string()));
        }
        query_string(&params)
    }
}

/// One row of the key list.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyInfo {
    /// The key record's id.
    pub id: String,
    /// The key's name.
    pub name: String,
    /// The `pinata_api_key` value.
    pub key: String,
    /// Max uses; `None` when unlimited.
    pub max_uses: Option<u64>,
    /// Uses so far.
    pub uses: u64,
    /// Whether the key is revoked.
    pub revoked: bool,
    /// Whether the key is admin.
    pub admin: bool,
    /// Creation time (ISO-8601), when given.
    pub created_at: Option<String>,
    /// The whole row as JSON, for fields this version does not model (the secret,
    /// if the service still returns one, is removed).
    pub raw: Value,
}

impl KeyInfo {
    pub(crate) fn from_json(mut row: Value) -> Result<KeyInfo> {
        if let Some(obj) = row.as_object_mut() {
            obj.remove("secret");
        }
        let max_uses = opt_u64(&row, "max_uses").filter(|n| *n > 0);
        Ok(KeyInfo {
            id: opt_str(&row, "id").unwrap_or_default(),
            name: opt_str(&row, "name").unwrap_or_default(),
            key: str_field(&row, "key")?,
            max_uses,
            uses: opt_u64(&row, "uses").unwrap_or(0),
            revoked: row.get("revoked").and_then(Value::as_bool).unwrap_or(false),
            admin: row
                .get("scopes")
                .and_then(|s| s.get("admin"))
                .and_then(Value::as_bool)
                .unwrap_or(false),
            created_at: opt_str(&row, "createdAt"),
            raw: row,
        })
    }
}

/// One page of keys.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyPage {
    /// The rows.
    pub keys: Vec<KeyInfo>,
    /// The total count the service reported, if any.
    pub count: Option<u64>,
}

impl Client {
    /// Creates an API key (`POST /users/generateApiKey`). Needs an admin key.
    /// `max_uses` of `None` means unlimited; `Some(0)` is refused.
    pub fn create_key(
        &self,
        name: &str,
        permissions: &Permissions,
        max_uses: Option<u64>,
    ) -> Result<CreatedKey> {
        check_text("name", name)?;
        let mut body = json!({ "keyName": name, "permissions": permissions.to_json() });
        match max_uses {
            Some(0) => {
                return Err(Error::invalid_argument(
                    "`max_uses` must be positive (omit it for unlimited)",
                ))
            }
            Some(n) => body["maxUses"] = json!(n),
            None => {}
        }
        let v = self.send_json(Request::json(Method::Post, "/users/generateApiKey", &body))?;
        Ok(CreatedKey {
            api_key: Zeroizing::new(str_field(&v, "pinata_api_key")?),
            secret: Zeroizing::new(str_field(&v, "pinata_api_secret")?),
            jwt: Zeroizing::new(str_field(&v, "JWT")?),
        })
    }

    /// Lists one page of keys (`GET /users/apiKeys`).
    pub fn list_keys(&self, query: &KeyQuery) -> Result<KeyPage> {
        let path = format!("/users/apiKeys{}", query.to_query_string());
        let v = self.send_json(Request::get(path))?;
        let rows = v
            .get("keys")
            .and_then(Value::as_array)
            .ok_or_else(|| Error::protocol("the key list lacks the `keys` array"))?;
        let keys = rows
            .iter()
            .cloned()
            .map(KeyInfo::from_json)
            .collect::<Result<Vec<_>>>()?;
        Ok(KeyPage {
            keys,
            count: opt_u64(&v, "count"),
        })
    }

    /// Lists every key matching the filters, paging by offset until a page comes back
    /// empty or the reported count is reached.
    pub fn list_all_keys(&self, query: &KeyQuery) -> Result<Vec<KeyInfo>> {
        let mut q = query.clone();
        let mut all = Vec::new();
        loop {
            let page = self.list_keys(&q)?;
            if page.keys.is_empty() {
                break;
            }
            q.offset += page.keys.len() as u64;
            all.extend(page.keys);
            if page.count.is_some_and(|c| q.offset >= c) {
                break;
            }
        }
        Ok(all)
    }

    /// Revokes a key (`PUT /users/revokeApiKey`). Later calls with it get
    /// `PINATA_E_FORBIDDEN` with reason `API_KEY_REVOKED`.
    pub fn revoke_key(&self, api_key: &str) -> Result<()> {
        check_text("api_key", api_key)?;
        self.send(
            Request::json(
                Method::Put,
                "/users/revokeApiKey",
                &json!({ "apiKey": api_key }),
            ),
            &mut Default::default(),
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_json() {
        let mut p = Permissions::new();
        p.allow(Endpoint::PinList).allow(Endpoint::PinFileToIpfs);
        assert_eq!(
            p.to_json(),
            json!({"admin": false, "endpoints": {"data": {"pinList": true}, "pinning": {"pinFileToIPFS": true}}})
        );
        assert_eq!(
            Permissions::admin().to_json(),
            json!({"admin": true, "endpoints": {}})
        );
        assert!(p.allow_resource("org:files:read").is_ok());
        assert!(p.allow_resource("org:everything").is_err());
    }

    #[test]
    fn key_query_string() {
        let q = KeyQuery {
            revoked: Some(false),
            name: Some("a b".into()),
            offset: 10,
            ..Default::default()
        };
        assert_eq!(q.to_query_string(), "?revoked=false&name=a%20b&offset=10");
        assert_eq!(KeyQuery::default().to_query_string(), "");
    }

    #[test]
    fn key_rows_drop_secrets() {
        let k = KeyInfo::from_json(json!({"id":"1","name":"n","key":"k","secret":"s","max_uses":0,"uses":3,"scopes":{"admin":true},"revoked":false})).unwrap();
        assert_eq!(k.max_uses, None);
        assert!(k.admin);
        assert!(k.raw.get("secret").is_none());
        assert!(KeyInfo::from_json(json!({"id":"1"})).is_err());
    }
}
