//! Timestamps and fresh identifiers in the formats the API shows (millisecond
//! ISO-8601 times, UUIDs, hex keys). A leaf module: it imports nothing of the crate.

use chrono::{DateTime, SecondsFormat, Utc};

/// The current time, truncated to milliseconds (what the API shows).
pub fn now() -> DateTime<Utc> {
    let t = Utc::now();
    DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap_or(t)
}

/// ISO-8601 UTC with milliseconds: `2023-06-16T17:24:37.998Z`.
pub fn ts(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `n` random bytes as lowercase hex.
pub fn random_hex(n: usize) -> String {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).expect("OS random source");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh UUID v4 string.
pub fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}
