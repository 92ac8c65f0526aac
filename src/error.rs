//! The error model shared by every operation: a fixed status code plus the details a
//! program can act on (HTTP status, Pinata's `reason`, its details text, Retry-After).

use std::fmt;

/// Outcome classes. The numeric values are part of the C ABI and never change: new
/// values are appended, retired ones stay reserved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum Status {
    /// Success.
    Ok = 0,
    /// NULL, bad UTF-8, CR/LF, bad JSON, out-of-range option, limit exceeded before sending.
    InvalidArgument = 1,
    /// Local file system error (missing, unreadable, symlink loop, ...).
    Io = 2,
    /// DNS, connect, TLS, connection reset.
    Network = 3,
    /// Connect, stall or overall timeout.
    Timeout = 4,
    /// A progress callback or a cancel request stopped the call.
    Cancelled = 5,
    /// 401, and 400 `KEYS_MUST_BE_STRINGS`.
    Unauthorized = 6,
    /// 403: missing scope, revoked or exhausted key.
    Forbidden = 7,
    /// 404, and unpin of a CID this account has not pinned.
    NotFound = 8,
    /// 429 still after the retry budget.
    RateLimited = 9,
    /// Any other 4xx.
    BadRequest = 10,
    /// 5xx still after the retry budget.
    Server = 11,
    /// A response that cannot be understood (bad JSON, missing field, oversize).
    Protocol = 12,
    /// The CID the service returned does not match the local content.
    Integrity = 13,
    /// A caught panic or an internal bug.
    Internal = 14,
}

impl Status {
    /// The stable name of this status, as the C header spells it.
    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "PINATA_OK",
            Status::InvalidArgument => "PINATA_E_INVALID_ARGUMENT",
            Status::Io => "PINATA_E_IO",
            Status::Network => "PINATA_E_NETWORK",
            Status::Timeout => "PINATA_E_TIMEOUT",
            Status::Cancelled => "PINATA_E_CANCELLED",
            Status::Unauthorized => "PINATA_E_UNAUTHORIZED",
            Status::Forbidden => "PINATA_E_FORBIDDEN",
            Status::NotFound => "PINATA_E_NOT_FOUND",
            Status::RateLimited => "PINATA_E_RATE_LIMITED",
            Status::BadRequest => "PINATA_E_BAD_REQUEST",
            Status::Server => "PINATA_E_SERVER",
            Status::Protocol => "PINATA_E_PROTOCOL",
            Status::Integrity => "PINATA_E_INTEGRITY",
            Status::Internal => "PINATA_E_INTERNAL",
        }
    }

    /// Converts a raw status value; `None` for values this version does not know.
    pub fn from_i32(value: i32) -> Option<Status> {
        use Status::*;
        const ALL: [Status; 15] = [
            Ok,
            InvalidArgument,
            Io,
            Network,
            Timeout,
            Cancelled,
            Unauthorized,
            Forbidden,
            NotFound,
            RateLimited,
            BadRequest,
            Server,
            Protocol,
            Integrity,
            Internal,
        ];
        ALL.iter().copied().find(|s| *s as i32 == value)
    }
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
        }
    }

    /// Marks an error as happening before the request reached the server.
    pub(crate) fn before_sending(mut self) -> Error {
        self.not_sent = true;
        self
    }

    /// Whether the request certainly never reached the server.
    pub(crate) fn was_not_sent(&self) -> bool {
        self.not_sent
    }

    /// Shorthand for `PINATA_E_INVALID_ARGUMENT`.
    pub fn invalid_argument(message: impl Into<String>) -> Error {
        Error::new(Status::InvalidArgument, message)
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
        for v in 0..15 {
            assert_eq!(Status::from_i32(v).map(|s| s as i32), Some(v));
        }
        assert_eq!(Status::from_i32(15), None);
        assert_eq!(Status::from_i32(-1), None);
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
