//! The client: credentials, configuration, and the path every operation takes to the
//! transport (auth headers added, secrets redacted from errors).

use crate::error::{Error, Result};
use crate::transport::{
    CancelToken, Config, Driver, Finished, Hooks, HttpVersion, Landing, Proxy, Request, Response,
    Stepper, Transfer, Transport,
};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use zeroize::Zeroizing;

/// How the client authenticates.
enum Credentials {
    /// `Authorization: Bearer <JWT>`.
    Jwt(Zeroizing<String>),
    /// `pinata_api_key` + `pinata_secret_api_key` headers.
    Keys {
        api_key: Zeroizing<String>,
        secret: Zeroizing<String>,
    },
    /// None: a client for signed upload URLs only (the URL is the credential).
    None,
}

/// Default host of v3 uploads (`POST /v3/files`, `/v3/files/sign`).
pub const DEFAULT_UPLOAD_URL: &str = "https://uploads.pinata.cloud";

/// A Pinata API client. Cheap calls share kept-alive connections; one client may be
/// used from many threads at once (`Client: Send + Sync`). Secrets are wiped on drop.
///
/// Cloning is cheap: a clone shares the credentials and connections (reference
/// counted) and copies the configuration, so values that must outlive a borrow (the
/// pin-list iterator) hold a clone.
#[derive(Clone)]
pub struct Client {
    /// Shared with every client derived by [`Client::with_cancel`].
    credentials: Arc<Credentials>,
    /// The header lines that carry the credentials, built once (wiped on drop).
    auth_headers: Arc<Vec<Zeroizing<String>>>,
    transport: Arc<Transport>,
    /// Shared by clones until one changes it (a stepped call clones its client).
    config: Arc<Config>,
    /// Cancels every call made through this client (see [`Client::with_cancel`]).
    cancel: Option<CancelToken>,
    /// The v3 upload host, without a trailing slash.
    upload_url: Arc<str>,
    /// The v1 CID profile learned per base URL, shared with every clone.
    cid_profiles: Arc<crate::cid::ProfileMemory>,
    /// The IPFS gateway downloads use (`crate::gateway`).
    pub(crate) gateway: Arc<crate::gateway::Gateway>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match *self.credentials {
            Credentials::Jwt(_) => "jwt",
            Credentials::Keys { .. } => "api key + secret",
            Credentials::None => "none",
        };
        f.debug_struct("Client")
            .field("credentials", &format_args!("<{kind}, redacted>"))
            .field("base_url", &self.config.base_url)
            .finish()
    }
}

/// Longest credential accepted (Pinata's JWTs are under 1 KiB).
const MAX_CREDENTIAL_BYTES: usize = 16 * 1024;
/// Longest base URL accepted.
const MAX_URL_BYTES: usize = 2048;

/// Checks a value that will travel in an HTTP header.
fn check_header_value(name: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid_argument(format!("`{name}` is empty")));
    }
    if value.len() > MAX_CREDENTIAL_BYTES {
        return Err(Error::invalid_argument(format!(
            "`{name}` is longer than {MAX_CREDENTIAL_BYTES} bytes"
        )));
    }
    if value.contains(['\r', '\n', '\0']) {
        return Err(Error::invalid_argument(format!(
            "`{name}` contains CR, LF or NUL, which cannot travel in an HTTP header"
        )));
    }
    if value.chars().any(|c| c.is_control() || c == ' ') {
        return Err(Error::invalid_argument(format!(
            "`{name}` contains spaces or control characters"
        )));
    }
    Ok(())
}

/// Whether `host` names the loopback interface.
fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") || host == "::1" {
        return true;
    }
    host.parse::<std::net::Ipv4Addr>()
        .map(|ip| ip.is_loopback())
        .unwrap_or(false)
}

/// Refuses a URL argument that is overlong or holds whitespace or control characters
/// (a CR/LF would otherwise reach libcurl); the message names the argument only.
fn check_url_text(name: &str, url: &str) -> Result<()> {
    if url.len() > MAX_URL_BYTES {
        return Err(Error::invalid_argument(format!(
            "`{name}` is longer than {MAX_URL_BYTES} bytes"
        )));
    }
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(Error::invalid_argument(format!(
            "`{name}` contains whitespace or control characters"
        )));
    }
    Ok(())
}

/// Validates and normalizes a base URL (scheme, host, no trailing slash).
pub(crate) fn normalize_base_url(url: &str, allow_insecure_http: bool) -> Result<String> {
    check_url_text("base_url", url)?;
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| Error::invalid_argument("`base_url` must start with https:// or http://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || authority.contains('@') {
        return Err(Error::invalid_argument(
            "`base_url` must name a host, without user information",
        ));
    }
    if rest.contains(['?', '#']) {
        return Err(Error::invalid_argument(
            "`base_url` must not carry a query or fragment",
        ));
    }
    let host = if authority.starts_with('[') {
        authority.split(']').next().unwrap_or("").to_string() + "]"
    } else {
        authority
            .rsplit_once(':')
            .map_or(authority, |(h, _)| h)
            .to_string()
    };
    match scheme.to_ascii_lowercase().as_str() {
        "https" => {}
        "http" if is_loopback_host(&host) || allow_insecure_http => {}
        "http" => {
            return Err(Error::invalid_argument(
                "`base_url` uses plain http:// to a non-loopback host; enable insecure http explicitly to allow it",
            ))
        }
        _ => {
            return Err(Error::invalid_argument(
                "`base_url` must start with https:// or http://",
            ))
        }
    }
    Ok(url.trim_end_matches('/').to_string())
}

impl Client {
    /// A client that authenticates with a JWT (`Authorization: Bearer`).
    pub fn with_jwt(jwt: &str) -> Result<Client> {
        check_header_value("jwt", jwt)?;
        Ok(Client::new(Credentials::Jwt(Zeroizing::new(
            jwt.to_string(),
        ))))
    }

    /// A client that authenticates with an API key and its secret.
    pub fn with_keys(api_key: &str, secret_api_key: &str) -> Result<Client> {
        check_header_value("api_key", api_key)?;
        check_header_value("secret_api_key", secret_api_key)?;
        Ok(Client::new(Credentials::Keys {
            api_key: Zeroizing::new(api_key.to_string()),
            secret: Zeroizing::new(secret_api_key.to_string()),
        }))
    }

    fn new(credentials: Credentials) -> Client {
        let auth_headers = match &credentials {
            Credentials::Jwt(jwt) => vec![Zeroizing::new(format!(
                "Authorization: Bearer {}",
                jwt.as_str()
            ))],
            Credentials::Keys { api_key, secret } => vec![
                Zeroizing::new(format!("pinata_api_key: {}", api_key.as_str())),
                Zeroizing::new(format!("pinata_secret_api_key: {}", secret.as_str())),
            ],
            Credentials::None => Vec::new(),
        };
        Client {
            credentials: Arc::new(credentials),
            auth_headers: Arc::new(auth_headers),
            transport: Arc::new(Transport::new()),
            config: Arc::new(Config::default()),
            cancel: None,
            upload_url: Arc::from(DEFAULT_UPLOAD_URL),
            cid_profiles: Arc::default(),
            gateway: Arc::default(),
        }
    }

    /// The v1 CID profile this client (and its clones) learned its base URL's service
    /// uses: after a v1 upload whose check matched exactly one of kubo v1 and
    /// unixfs-v1-2025, later v1 checks hash only that one. `None` until then, and again
    /// after a check stops matching it.
    pub fn learned_cid_profile(&self) -> Option<crate::cid::Profile> {
        self.cid_profiles.get(&self.config.base_url)
    }

    /// The shared memory of learned CID profiles.
    pub(crate) fn profile_memory(&self) -> &crate::cid::ProfileMemory {
        &self.cid_profiles
    }

    /// A client without credentials, for uploads through signed upload URLs only
    /// (every other call is refused by the service). Timeouts, retries, CA bundle and
    /// proxy are configured as on any client.
    pub fn without_credentials() -> Client {
        Client::new(Credentials::None)
    }

    /// A client sharing this one's credentials, connections and configuration (as it
    /// is now), whose every call is cancelled when `token` is raised, even during a
    /// retry's backoff sleep. Cheap: nothing is copied but the configuration.
    pub fn with_cancel(&self, token: CancelToken) -> Client {
        Client {
            cancel: Some(token),
            ..self.clone()
        }
    }

    /// Overrides the base URL (default `https://api.pinata.cloud`). Plain `http://` is
    /// accepted only for loopback hosts unless insecure http was allowed first.
    pub fn set_base_url(&mut self, url: &str) -> Result<()> {
        Arc::make_mut(&mut self.config).base_url =
            normalize_base_url(url, self.config.allow_insecure_http)?;
        Ok(())
    }

    /// The base URL in use.
    pub fn base_url(&self) -> &str {
        &self.config.base_url
    }

    /// Allows `http://` base URLs to non-loopback hosts (for trusted proxies only).
    pub fn set_allow_insecure_http(&mut self, allow: bool) {
        Arc::make_mut(&mut self.config).allow_insecure_http = allow;
    }

    /// Time allowed to connect (default 10 s). Zero is refused.
    pub fn set_connect_timeout(&mut self, timeout: Duration) -> Result<()> {
        Arc::make_mut(&mut self.config).connect_timeout = nonzero("connect", timeout)?;
        Ok(())
    }

    /// Total time for a small call (default 60 s). Zero is refused.
    pub fn set_request_timeout(&mut self, timeout: Duration) -> Result<()> {
        Arc::make_mut(&mut self.config).request_timeout = nonzero("request", timeout)?;
        Ok(())
    }

    /// Uploads fail when no byte moves for this long (default 60 s). Zero is refused.
    pub fn set_stall_timeout(&mut self, timeout: Duration) -> Result<()> {
        Arc::make_mut(&mut self.config).stall_timeout = nonzero("stall", timeout)?;
        Ok(())
    }

    /// Caps the answer body a call holds in memory (default
    /// [`crate::transport::MAX_RESPONSE_BYTES`], 32 MiB); 0 restores the default. A
    /// larger answer fails with `PINATA_E_PROTOCOL`. Downloads have their own caps.
    /// Caps under [`MIN_RESPONSE_CAP`] are refused: error answers (a 429 or 503 page)
    /// must still fit, or their status and `Retry-After` would be lost and the call not
    /// retried. Caps past what libcurl takes (2^63 - 1) or memory can hold are clamped.
    pub fn set_max_response_bytes(&mut self, bytes: u64) -> Result<()> {
        let bytes = match bytes {
            0 => crate::transport::MAX_RESPONSE_BYTES,
            n if n < MIN_RESPONSE_CAP as u64 => {
                return Err(Error::invalid_argument(format!(
                    "`bytes` must be 0 (the default) or at least {MIN_RESPONSE_CAP}"
                )))
            }
            n => usize::try_from(n.min(i64::MAX as u64)).unwrap_or(usize::MAX),
        };
        Arc::make_mut(&mut self.config).max_response_bytes = bytes;
        Ok(())
    }

    /// Retry budget: at most `max_retries` retries after the first attempt, within
    /// `budget` in total (sleeps included). `max_retries = 0` turns retries off.
    pub fn set_retry_policy(&mut self, max_retries: u32, budget: Duration) {
        Arc::make_mut(&mut self.config).max_retries = max_retries;
        Arc::make_mut(&mut self.config).retry_budget = budget;
    }

    /// Backoff: the first step and the largest step (full jitter applies to both).
    pub fn set_backoff(&mut self, base: Duration, max: Duration) -> Result<()> {
        if base > max {
            return Err(Error::invalid_argument(
                "the backoff base must not exceed the backoff maximum",
            ));
        }
        Arc::make_mut(&mut self.config).backoff_base = base;
        Arc::make_mut(&mut self.config).backoff_max = max;
        Ok(())
    }

    /// Trusts the CA certificates in this PEM file instead of the system's (see
    /// [`crate::trust`] for what is trusted without one).
    pub fn set_ca_bundle(&mut self, path: &std::path::Path) -> Result<()> {
        std::fs::metadata(path).map_err(|e| Error::io(path, &e))?;
        Arc::make_mut(&mut self.config).ca_bundle = Some(path.to_path_buf());
        Ok(())
    }

    /// The HTTP version to negotiate: [`HttpVersion::Auto`] (the default) lets the
    /// library choose per request type; the others force one for every call.
    pub fn set_http_version(&mut self, version: HttpVersion) {
        Arc::make_mut(&mut self.config).http_version = version;
    }

    /// The proxy rule. `None` (the default): libcurl's environment variables
    /// (`https_proxy`, `http_proxy`, `all_proxy`, `no_proxy`). `Some("")`: no proxy at
    /// all, whatever the environment says. `Some(url)`: that proxy
    /// (`http://[user:password@]host:port`; also `https://`, `socks5://`,
    /// `socks5h://`), with `no_proxy` still honoured. The URL's credentials are wiped
    /// when the client is freed and redacted from every message.
    pub fn set_proxy(&mut self, url: Option<&str>) -> Result<()> {
        Arc::make_mut(&mut self.config).proxy = match url {
            None => Proxy::Environment,
            Some("") => Proxy::Direct,
            Some(url) => Proxy::Url(Zeroizing::new(check_proxy_url(url)?.to_string())),
        };
        Ok(())
    }

    /// The configuration in use.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Removes every credential from an error before it leaves the library.
    pub(crate) fn redact(&self, err: Error) -> Error {
        let err = match &self.config.proxy {
            Proxy::Url(url) => err.redact(&proxy_secrets(url)),
            _ => err,
        };
        match &*self.credentials {
            Credentials::Jwt(jwt) => err.redact(&[jwt.as_str()]),
            Credentials::Keys { api_key, secret } => {
                err.redact(&[secret.as_str(), api_key.as_str()])
            }
            Credentials::None => err,
        }
    }

    /// Overrides the v3 upload host (default `https://uploads.pinata.cloud`), with the
    /// same rules as [`Client::set_base_url`].
    pub fn set_upload_url(&mut self, url: &str) -> Result<()> {
        self.upload_url = normalize_base_url(url, self.config.allow_insecure_http)
            .map_err(|e| e.rename_argument("base_url", "upload_url"))?
            .into();
        Ok(())
    }

    /// The v3 upload host in use.
    pub fn upload_url(&self) -> &str {
        &self.upload_url
    }

    /// Sends a request to the upload host with this client's credentials.
    pub(crate) fn send_upload(&self, req: Request, hooks: &mut Hooks) -> Result<Response> {
        if let Some(own) = &self.cancel {
            hooks.cancel.push(own.clone());
        }
        let mut config = Config::clone(&self.config);
        config.base_url = self.upload_url.to_string();
        self.transport
            .execute(&config, &self.auth_headers, req, hooks)
            .map_err(|e| self.redact(e))
    }

    /// Sends a request to `origin` (a signed URL's scheme and host) WITHOUT any
    /// credential: the signed URL in `req.path` is the credential. The caller redacts
    /// the URL from errors.
    pub(crate) fn send_anonymous(
        &self,
        origin: &str,
        req: Request,
        hooks: &mut Hooks,
    ) -> Result<Response> {
        if let Some(own) = &self.cancel {
            hooks.cancel.push(own.clone());
        }
        let mut config = Config::clone(&self.config);
        config.base_url = origin.to_string();
        let none: [&str; 0] = [];
        self.transport
            .execute(&config, &none, req, hooks)
            .map_err(|e| self.redact(e))
    }

    /// Sends a request with this client's credentials; non-2xx answers are errors.
    pub(crate) fn send(&self, req: Request, hooks: &mut Hooks) -> Result<Response> {
        if let Some(own) = &self.cancel {
            hooks.cancel.push(own.clone());
        }
        self.transport
            .execute(&self.config, &self.auth_headers, req, hooks)
            .map_err(|e| self.redact(e))
    }

    /// A call with this client's credentials and cancel flag to run among others on a
    /// [`Driver`] (`crate::batch`), with [`Client::launch`] and [`Client::land`].
    pub(crate) fn transfer(&self, req: Request, mut hooks: Hooks) -> Transfer {
        if let Some(own) = &self.cancel {
            hooks.cancel.push(own.clone());
        }
        Transfer::new(req, hooks)
    }

    /// A stepper from the pool, for a call its caller drives (`crate::call`).
    pub(crate) fn checkout_stepper(&self) -> Result<Stepper> {
        self.transport.checkout_stepper()
    }

    /// Gives a stepper back to the pool.
    pub(crate) fn checkin_stepper(&self, stepper: Stepper) {
        self.transport.checkin_stepper(stepper)
    }

    /// Starts the next attempt of `t` on `driver` ([`Transport::launch`]).
    pub(crate) fn launch(&self, driver: &Driver, t: &mut Transfer, token: usize) -> Result<()> {
        self.transport
            .launch(driver, &self.config, &self.auth_headers, t, token)
            .map_err(|e| self.redact(e))
    }

    /// Reads the answer of `t`'s finished attempt ([`Transport::land`]).
    pub(crate) fn land(&self, driver: &Driver, t: &mut Transfer, done: Finished) -> Landing {
        match self.transport.land(driver, &self.config, t, done) {
            Landing::Done(Err(e)) => Landing::Done(Err(self.redact(e))),
            other => other,
        }
    }

    /// Cancels `t` at once ([`Transport::abandon`]).
    pub(crate) fn abandon(&self, driver: &Driver, t: &mut Transfer) -> Error {
        self.transport.abandon(driver, t)
    }

    /// Sends a request to an absolute URL (`req.path` holds it whole) with extra header
    /// lines after the credentials: the TUS requests of `crate::v3::tus`, whose upload
    /// URL comes from the server. The caller checks that the URL is the upload host's.
    pub(crate) fn send_to_url(
        &self,
        req: Request,
        extra_headers: &[String],
        hooks: &mut Hooks,
    ) -> Result<Response> {
        if let Some(own) = &self.cancel {
            hooks.cancel.push(own.clone());
        }
        let mut config = Config::clone(&self.config);
        config.base_url = String::new();
        // The header list is wiped like the credentials when the handle drops it.
        let headers: Vec<Zeroizing<String>> = self
            .auth_headers
            .iter()
            .cloned()
            .chain(extra_headers.iter().cloned().map(Zeroizing::new))
            .collect();
        self.transport
            .execute(&config, &headers, req, hooks)
            .map_err(|e| self.redact(e))
    }

    /// Sends a request without hooks and parses the JSON answer.
    pub(crate) fn send_json(&self, req: Request) -> Result<serde_json::Value> {
        let resp = self.send(req, &mut Hooks::default())?;
        resp.json().map_err(|e| self.redact(e))
    }
}

/// What the Pinning Service API (`crate::psa`) and the wait helper need of a client.
impl Client {
    /// True when the client authenticates with a bearer token (the PSA accepts no other).
    pub(crate) fn has_bearer_token(&self) -> bool {
        matches!(*self.credentials, Credentials::Jwt(_))
    }

    /// The token that cancels this client's calls, if any ([`Client::with_cancel`]).
    pub(crate) fn cancel_token(&self) -> Option<&CancelToken> {
        self.cancel.as_ref()
    }

    /// The pool and retry state shared with every clone (the gateway's fetcher draws
    /// its backoff jitter from it).
    pub(crate) fn transport(&self) -> &Arc<Transport> {
        &self.transport
    }
}

/// The user information of a proxy URL (`user:password@`), as the strings to redact.
fn proxy_secrets(url: &str) -> Vec<&str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or("");
    match authority.rsplit_once('@') {
        Some((userinfo, _)) => {
            let mut v = vec![userinfo];
            if let Some((user, password)) = userinfo.split_once(':') {
                v.extend([password, user]);
            }
            v
        }
        None => Vec::new(),
    }
}

/// Checks a proxy URL; messages never repeat it (it may hold a password).
fn check_proxy_url(url: &str) -> Result<&str> {
    check_url_text("proxy", url)?;
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(Error::invalid_argument(
            "`proxy` must be a URL such as http://host:port",
        ));
    };
    const SCHEMES: [&str; 6] = ["http", "https", "socks4", "socks4a", "socks5", "socks5h"];
    if !SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme)) {
        return Err(Error::invalid_argument(
            "`proxy` must start with http://, https://, socks4://, socks4a://, socks5:// or socks5h://",
        ));
    }
    let authority = rest.split('/').next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host.is_empty() || host.starts_with(':') {
        return Err(Error::invalid_argument("`proxy` must name a host"));
    }
    Ok(url)
}

/// The smallest answer cap a client takes ([`Client::set_max_response_bytes`]): error
/// answers, a proxy's HTML page included, fit in it.
pub const MIN_RESPONSE_CAP: usize = 64 * 1024;

/// Refuses a zero timeout; the message names the argument `timeout`.
fn nonzero(which: &str, d: Duration) -> Result<Duration> {
    if d.is_zero() {
        Err(Error::invalid_argument(format!(
            "`timeout` must be positive (the {which} timeout)"
        )))
    } else {
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Client>();
    }

    #[test]
    fn refuses_header_injection() {
        assert!(Client::with_jwt("abc\r\nX-Evil: 1").is_err());
        assert!(Client::with_jwt("").is_err());
        assert!(Client::with_keys("k", "s\n").is_err());
        assert!(Client::with_keys("k\0", "s").is_err());
        assert!(Client::with_jwt("eyJ.a.b").is_ok());
    }

    #[test]
    fn debug_hides_secrets() {
        let c = Client::with_keys("key123456", "secret987654").unwrap();
        let text = format!("{c:?}");
        assert!(!text.contains("secret987654"));
        assert!(!text.contains("key123456"));
    }

    #[test]
    fn proxy_rules() {
        let mut c = Client::with_jwt("eyJ.a.b").unwrap();
        assert_eq!(c.config().proxy, Proxy::Environment);
        c.set_proxy(Some("")).unwrap();
        assert_eq!(c.config().proxy, Proxy::Direct);
        c.set_proxy(Some("http://u:pw-1234@127.0.0.1:3128"))
            .unwrap();
        assert!(matches!(c.config().proxy, Proxy::Url(_)));
        c.set_proxy(None).unwrap();
        assert_eq!(c.config().proxy, Proxy::Environment);
        for bad in [
            "127.0.0.1:3128",
            "ftp://h:1",
            "http://",
            "http://u:secret-pw@",
            "http://h\r\n:1",
            "http://h :1",
        ] {
            let e = c.set_proxy(Some(bad)).unwrap_err();
            assert_eq!(e.status(), crate::Status::InvalidArgument, "{bad}");
            assert!(!e.message().contains("secret-pw"), "{}", e.message());
        }
        assert_eq!(
            proxy_secrets("http://user1:pass-word@h:1/"),
            ["user1:pass-word", "pass-word", "user1"]
        );
        assert!(proxy_secrets("http://h:1").is_empty());
        // The configuration's Debug form hides the proxy's credentials.
        c.set_proxy(Some("http://user1:pass-word@127.0.0.1:3128/"))
            .unwrap();
        let shown = format!("{:?}", c.config());
        assert!(
            shown.contains("Url(http://<credentials>@127.0.0.1:3128)"),
            "{shown}"
        );
        assert!(
            !shown.contains("pass-word") && !shown.contains("user1"),
            "{shown}"
        );
    }

    #[test]
    fn base_url_rules() {
        assert_eq!(
            normalize_base_url("https://api.pinata.cloud/", false).unwrap(),
            "https://api.pinata.cloud"
        );
        assert!(normalize_base_url("http://127.0.0.1:8080", false).is_ok());
        assert!(normalize_base_url("http://localhost:1", false).is_ok());
        assert!(normalize_base_url("http://[::1]:9", false).is_ok());
        assert!(normalize_base_url("http://example.com", false).is_err());
        assert!(normalize_base_url("http://example.com", true).is_ok());
        assert!(normalize_base_url("ftp://x", true).is_err());
        assert!(normalize_base_url("https://a b", true).is_err());
        assert!(normalize_base_url("https://user@host", true).is_err());
        assert!(normalize_base_url("https://", true).is_err());
        assert!(normalize_base_url("https://h/x?q=1", true).is_err());
    }
}
