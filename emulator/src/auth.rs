//! Authentication and authorization: JWT minting/verification (HS256),
//! key-pair headers, revocation, max uses and endpoint scopes
//! (`reference/pinata-api.md` §1).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use http::header::{HeaderMap, AUTHORIZATION};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::ids::{now, random_hex, uuid};
use crate::respond::{err_a, Resp};
use crate::state::{App, KeyRec, State, User};

type HmacSha256 = Hmac<Sha256>;

/// What an endpoint requires of the key.
#[derive(Clone, Copy, Debug)]
pub enum Need {
    /// Any valid key (testAuthentication).
    Nothing,
    /// `permissions.admin == true` (key management).
    Admin,
    /// `admin`, or `permissions.endpoints.<family>.<name> == true`.
    Endpoint(&'static str, &'static str),
}

/// The credential a request presents.
enum Credential {
    Jwt(String),
    Pair(String, String),
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// 400 `KEYS_MUST_BE_STRINGS` (no credentials at all).
pub fn no_credentials() -> Resp {
    err_a(
        400,
        "KEYS_MUST_BE_STRINGS",
        "pinata_api_key and pinata_secret_api_key must both be strings",
    )
}

/// 401 `INVALID_CREDENTIALS`.
pub fn invalid_credentials() -> Resp {
    err_a(401, "INVALID_CREDENTIALS", "Invalid/expired credentials")
}

/// 403 `NO_SCOPES_FOUND`.
pub fn no_scopes() -> Resp {
    err_a(
        403,
        "NO_SCOPES_FOUND",
        "This key does not have the required scopes associated with it",
    )
}

/// 403 `API_KEY_REVOKED`.
pub fn revoked() -> Resp {
    err_a(403, "API_KEY_REVOKED", "This API key has been revoked")
}

/// 403 `API_KEY_EXHAUSTED` (emulator's choice; unconfirmed upstream).
pub fn exhausted() -> Resp {
    err_a(
        403,
        "API_KEY_EXHAUSTED",
        "This API key has reached its maximum number of uses",
    )
}

/// Which credential, if any, the headers carry. `Err` = present but unusable.
fn credential(headers: &HeaderMap) -> Result<Option<Credential>, ()> {
    if let Some(auth) = header(headers, AUTHORIZATION.as_str()) {
        let auth = auth.trim();
        if auth.len() > 7 && auth[..7].eq_ignore_ascii_case("bearer ") {
            return Ok(Some(Credential::Jwt(auth[7..].trim().to_string())));
        }
    }
    let key = header(headers, "pinata_api_key");
    let secret = header(headers, "pinata_secret_api_key");
    match (key, secret) {
        (Some(k), Some(s)) => Ok(Some(Credential::Pair(k.to_string(), s.to_string()))),
        _ if headers.contains_key(AUTHORIZATION) => Err(()),
        _ => Ok(None),
    }
}

/// The key a request claims to be (unverified), used as the rate-limit bucket.
pub fn claimed_key(headers: &HeaderMap) -> Option<String> {
    match credential(headers) {
        Ok(Some(Credential::Pair(k, _))) => Some(k),
        Ok(Some(Credential::Jwt(t))) => {
            let payload = t.split('.').nth(1)?;
            let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
            let v: Value = serde_json::from_slice(&bytes).ok()?;
            v.get("scopedKeyKey")?.as_str().map(str::to_string)
        }
        _ => None,
    }
}

/// Mints an HS256 JWT for a key with the claim layout of §1.1.
pub fn mint_jwt(signing_key: &[u8], user: &User, key: &str, secret: &str) -> String {
    let header = json!({"alg": "HS256", "typ": "JWT"});
    let claims = json!({
        "userInformation": {
            "id": user.id,
            "email": user.email,
            "email_verified": true,
            "pin_policy": {
                "regions": [{"id": "FRA1", "desiredReplicationCount": 1}],
                "version": 1
            },
            "mfa_enabled": false,
            "status": "ACTIVE"
        },
        "authenticationType": "scopedKey",
        "scopedKeyKey": key,
        "scopedKeySecret": secret,
        "iat": now().timestamp(),
    });
    let h = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).unwrap_or_default());
    let c = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap_or_default());
    let signing_input = format!("{h}.{c}");
    let mut mac = HmacSha256::new_from_slice(signing_key).expect("HMAC accepts any key length");
    mac.update(signing_input.as_bytes());
    let sig = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{signing_input}.{sig}")
}

/// Verifies a JWT's signature and returns `(scopedKeyKey, scopedKeySecret)`.
fn verify_jwt(signing_key: &[u8], token: &str) -> Option<(String, String)> {
    let mut parts = token.split('.');
    let (h, c, s) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(h).ok()?).ok()?;
    if header.get("alg")?.as_str()? != "HS256" {
        return None;
    }
    let sig = URL_SAFE_NO_PAD.decode(s).ok()?;
    let mut mac = HmacSha256::new_from_slice(signing_key).ok()?;
    mac.update(h.as_bytes());
    mac.update(b".");
    mac.update(c.as_bytes());
    mac.verify_slice(&sig).ok()?;
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(c).ok()?).ok()?;
    if let Some(exp) = claims.get("exp").and_then(Value::as_i64) {
        if exp <= now().timestamp() {
            return None;
        }
    }
    Some((
        claims.get("scopedKeyKey")?.as_str()?.to_string(),
        claims.get("scopedKeySecret")?.as_str()?.to_string(),
    ))
}

/// True when the key's scopes grant `need`.
pub fn allows(scopes: &Value, need: Need) -> bool {
    let admin = scopes.get("admin").and_then(Value::as_bool) == Some(true);
    match need {
        Need::Nothing => true,
        Need::Admin => admin,
        Need::Endpoint(family, name) => {
            admin
                || scopes
                    .get("endpoints")
                    .and_then(|e| e.get(family))
                    .and_then(|f| f.get(name))
                    .and_then(Value::as_bool)
                    == Some(true)
        }
    }
}

/// Authenticates a request: credentials (400/401), revocation and max uses
/// (403), scope (403). When `count_use`, a successful request uses up one of
/// the key's uses. Returns the key's public part.
pub fn authenticate(
    app: &App,
    headers: &HeaderMap,
    need: Need,
    count_use: bool,
) -> Result<String, Resp> {
    let cred = match credential(headers) {
        Ok(Some(c)) => c,
        Ok(None) => return Err(no_credentials()),
        Err(()) => return Err(invalid_credentials()),
    };
    let (key, secret) = match cred {
        Credential::Pair(k, s) => (k, s),
        Credential::Jwt(t) => verify_jwt(&app.jwt_key, &t).ok_or_else(invalid_credentials)?,
    };
    let mut st = app.lock();
    let rec = st
        .keys
        .iter_mut()
        .find(|k| k.key == key && k.secret == secret)
        .ok_or_else(invalid_credentials)?;
    if rec.revoked {
        return Err(revoked());
    }
    if rec.exhausted() {
        return Err(exhausted());
    }
    if !allows(&rec.scopes, need) {
        return Err(no_scopes());
    }
    if count_use {
        rec.uses += 1;
    }
    Ok(key)
}

/// Creates a key in `st` and returns it with its JWT.
pub fn create_key(
    app: &App,
    st: &mut State,
    name: &str,
    scopes: Value,
    max_uses: u64,
    seed: bool,
) -> (KeyRec, String) {
    let key = random_hex(10);
    let secret = random_hex(32);
    let jwt = mint_jwt(&app.jwt_key, &app.user, &key, &secret);
    let t = now();
    let rec = KeyRec {
        id: uuid(),
        name: name.to_string(),
        key,
        secret,
        max_uses,
        uses: 0,
        scopes,
        revoked: false,
        created_at: t,
        updated_at: t,
        seed,
    };
    st.next_seq();
    st.keys.push(rec.clone());
    (rec, jwt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_round_trip() {
        let user = User {
            id: "u".into(),
            email: "e@x".into(),
        };
        let t = mint_jwt(b"k", &user, "abc", "def");
        assert_eq!(verify_jwt(b"k", &t), Some(("abc".into(), "def".into())));
        assert_eq!(verify_jwt(b"other", &t), None);
        assert_eq!(verify_jwt(b"k", "a.b"), None);
    }

    #[test]
    fn scopes() {
        let admin = json!({"admin": true});
        let pin = json!({"admin": false, "endpoints": {"data": {"pinList": true}}});
        assert!(allows(&admin, Need::Admin));
        assert!(allows(&admin, Need::Endpoint("data", "pinList")));
        assert!(allows(&pin, Need::Endpoint("data", "pinList")));
        assert!(!allows(&pin, Need::Endpoint("pinning", "unpin")));
        assert!(!allows(&pin, Need::Admin));
        assert!(allows(&json!({}), Need::Nothing));
    }
}
