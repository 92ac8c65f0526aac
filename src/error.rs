//! The error model shared by every operation: a fixed status code plus the details a
//! program can act on (HTTP status, Pinata's `reason`, its details text, Retry-After).

use std::fmt;

/// Declares [`Status`] from one table: each row gives a status's doc, its C name and
/// value, and its Rust variant. The enum, [`Status::name`], [`Status::from_i32`] and
/// [`Status::ALL`] come from the rows here; build.rs reads the same rows to write the
/// `PINATA_*` constants of the C header (cbindgen does not expand macros).
macro_rules! status_table {
    ($( $(#[doc = $doc:literal])* $cname:ident = $value:literal => $variant:ident, )+) => {
        /// Outcome classes. The numeric values are part of the C ABI and never change:
        /// new values are appended, retired ones stay reserved.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(i32)]
        pub enum Status {
            $( $(#[doc = $doc])* $variant = $value, )+
        }

        impl Status {
            /// Every status, in value order.
            pub const ALL: &'static [Status] = &[$(Status::$variant),+];

            /// The stable name of this status, as the C header spells it.
            pub fn name(self) -> &'static str {
                let with_nul = self.name_with_nul();
                &with_nul[..with_nul.len() - 1]
            }

            /// The name followed by a NUL, for C.
            pub(crate) fn name_with_nul(self) -> &'static str {
                match self {
                    $( Status::$variant => concat!(stringify!($cname), "\0"), )+
                }
            }

            /// Converts a raw status value; `None` for values this version does not know.
            pub fn from_i32(value: i32) -> Option<Status> {
                match value {
                    $( $value => Some(Status::$variant), )+
                    _ => None,
                }
            }
        }
    };
}

status_table! {
    /// Success.
    PINATA_OK = 0 => Ok,
    /// NULL, bad UTF-8, CR/LF, bad JSON, out-of-range option, limit exceeded before sending.
    PINATA_E_INVALID_ARGUMENT = 1 => InvalidArgument,
    /// Local file system error (missing, unreadable, symlink loop, ...).
    PINATA_E_IO = 2 => Io,
    /// DNS, connect, connection reset, proxy failures (TLS failures: `PINATA_E_TLS`).
    PINATA_E_NETWORK = 3 => Network,
    /// Connect, stall or overall timeout.
    PINATA_E_TIMEOUT = 4 => Timeout,
    /// A progress callback or a cancel request stopped the call.
    PINATA_E_CANCELLED = 5 => Cancelled,
    /// 401, and 400 `KEYS_MUST_BE_STRINGS`.
    PINATA_E_UNAUTHORIZED = 6 => Unauthorized,
    /// 403: missing scope, revoked or exhausted key.
    PINATA_E_FORBIDDEN = 7 => Forbidden,
    /// 404, and unpin of a CID this account has not pinned.
    PINATA_E_NOT_FOUND = 8 => NotFound,
    /// 429 still after the retry budget.
    PINATA_E_RATE_LIMITED = 9 => RateLimited,
    /// Any other 4xx.
    PINATA_E_BAD_REQUEST = 10 => BadRequest,
    /// 5xx still after the retry budget.
    PINATA_E_SERVER = 11 => Server,
    /// A response that cannot be understood (bad JSON, missing field, oversize).
    PINATA_E_PROTOCOL = 12 => Protocol,
    /// The CID the service returned does not match the local content.
    PINATA_E_INTEGRITY = 13 => Integrity,
    /// A caught panic or an internal bug.
    PINATA_E_INTERNAL = 14 => Internal,
    /// TLS handshake or certificate verification failed: unknown CA, name mismatch,
    /// expired certificate, unreadable or non-PEM CA bundle, a server that does not speak
    /// TLS. Retrying does not help; the message names the problem.
    PINATA_E_TLS = 15 => Tls,
}

/// An error from any libpinata operation.
///
/// `message` is a human-readable sentence that never contains a credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    status: Status,
    message: String,
    http_status: u16,
    reason: Option<String>,
    details: Option<String>,
    retry_after: Option<u64>,
    /// The request never reached the server (connection refused, DNS), so repeating it
    /// is safe even for a non-idempotent call.
    not_sent: bool,
    /// Repeating the request cannot help (a proxy refused the tunnel).
    permanent: bool,
}

impl Error {
    /// A new error with a status and a message and no HTTP details.
    pub fn new(status: Status, message: impl Into<String>) -> Error {
        Error {
            status,
            message: message.into(),
            http_status: 0,
            reason: None,
            details: None,
            retry_after: None,
            not_sent: false,
            permanent: false,
        }
    }

    /// Marks an error as happening before the request reached the server.
    pub(crate) fn before_sending(mut self) -> Error {
        self.not_sent = true;
        self
    }

    /// Marks an error that a retry cannot cure.
    pub(crate) fn permanent(mut self) -> Error {
        self.permanent = true;
        self
    }

    /// Whether a retry cannot cure this error.
    pub(crate) fn is_permanent(&self) -> bool {
        self.permanent
    }

    /// Whether the request certainly never reached the server.
    pub(crate) fn was_not_sent(&self) -> bool {
        self.not_sent
    }

    /// Shorthand for `PINATA_E_INVALID_ARGUMENT`.
    pub fn invalid_argument(message: impl Into<String>) -> Error {
        Error::new(Status::InvalidArgument, message)
    }

    /// `PINATA_E_CANCELLED` for a call whose cancel flag was raised.
    pub fn cancelled() -> Error {
        Error::new(Status::Cancelled, "the call was cancelled")
    }

    /// Shorthand for `PINATA_E_PROTOCOL`.
    pub fn protocol(message: impl Into<String>) -> Error {
        Error::new(Status::Protocol, message)
    }

    /// Shorthand for `PINATA_E_IO`, naming the path and the OS error.
    pub fn io(path: &std::path::Path, err: &std::io::Error) -> Error {
        Error::new(Status::Io, format!("{}: {}", path.display(), err))
    }

    pub(crate) fn with_http(
        mut self,
        http_status: u16,
        reason: Option<String>,
        details: Option<String>,
        retry_after: Option<u64>,
    ) -> Error {
        self.http_status = http_status;
        self.reason = reason;
        self.details = details;
        self.retry_after = retry_after;
        self
    }

    /// Renames an argument in the message: "`from`" becomes "`to`". A binding whose
    /// parameter has another name (e.g. `timeout_ms` for `timeout`) uses it so the
    /// message names what its caller passed, without checking the value again.
    pub fn rename_argument(mut self, from: &str, to: &str) -> Error {
        self.message = self
            .message
            .replace(&format!("`{from}`"), &format!("`{to}`"));
        self
    }

    /// The status class.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status of the response that caused the error, 0 when there was none.
    pub fn http_status(&self) -> u16 {
        self.http_status
    }

    /// Pinata's machine-readable `reason` (e.g. `NO_SCOPES_FOUND`), when the body had one.
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }

    /// The details text of the error body, when it had one.
    pub fn details(&self) -> Option<&str> {
        self.details.as_deref()
    }

    /// Seconds the server asked us to wait (Retry-After / X-RateLimit-Reset), if any.
    pub fn retry_after(&self) -> Option<u64> {
        self.retry_after
    }

    /// Replaces every occurrence of each secret in the message and details by
    /// `[REDACTED]`. Servers may echo credentials back; they must never reach the caller.
    pub(crate) fn redact(mut self, secrets: &[&str]) -> Error {
        for secret in secrets.iter().filter(|s| s.len() >= 4) {
            if self.message.contains(secret) {
                self.message = self.message.replace(secret, "[REDACTED]");
            }
            if let Some(d) = self.details.as_mut() {
                if d.contains(secret) {
                    *d = d.replace(secret, "[REDACTED]");
                }
            }
            if let Some(r) = self.reason.as_mut() {
                if r.contains(secret) {
                    *r = r.replace(secret, "[REDACTED]");
                }
            }
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.status.name(), self.message)
    }
}

impl std::error::Error for Error {}

impl From<crate::cid::CidError> for Error {
    fn from(e: crate::cid::CidError) -> Error {
        use crate::cid::CidError;
        let status = match e {
            CidError::Io { .. } => Status::Io,
            _ => Status::InvalidArgument,
        };
        Error::new(status, e.to_string())
    }
}

/// The text of a caught panic's payload.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Result type of the library.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_values_are_fixed() {
        assert_eq!(Status::Ok as i32, 0);
        assert_eq!(Status::Internal as i32, 14);
        assert_eq!(Status::Tls as i32, 15);
        for v in 0..16 {
            assert_eq!(Status::from_i32(v).map(|s| s as i32), Some(v));
        }
        assert_eq!(Status::from_i32(16), None);
        assert_eq!(Status::from_i32(-1), None);
        assert_eq!(Status::ALL.len(), 16);
        assert_eq!(Status::Timeout.name(), "PINATA_E_TIMEOUT");
        assert_eq!(Status::Ok.name_with_nul(), "PINATA_OK\0");
    }

    #[test]
    fn rename_argument_changes_only_the_quoted_name() {
        let e = Error::invalid_argument("`timeout` must be positive (timeout)")
            .rename_argument("timeout", "timeout_ms");
        assert_eq!(e.message(), "`timeout_ms` must be positive (timeout)");
    }

    #[test]
    fn redact_removes_secrets_everywhere() {
        let e = Error::new(Status::Unauthorized, "bad token abcdef123")
            .with_http(401, Some("R".into()), Some("echo abcdef123".into()), None)
            .redact(&["abcdef123"]);
        assert!(!e.message().contains("abcdef123"));
        assert!(!e.details().unwrap().contains("abcdef123"));
        assert!(e.message().contains("[REDACTED]"));
    }
}
