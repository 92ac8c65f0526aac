//! The v3 Files API: uploads (`upload`), files per network (`files`), signed upload
//! URLs and private download links (`sign`), and the v3 pin-by-CID queue
//! (`pin_by_cid`, waited for in `pin_wait`), and groups per network (`groups`).

pub mod car;
pub mod files;
pub mod groups;
pub mod pin_by_cid;
pub mod pin_wait;
pub mod sign;
pub mod tus;
pub mod upload;

use crate::error::{Error, Result};
use serde_json::Value;

/// Where a v3 file lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Network {
    /// IPFS: retrievable by CID from any gateway.
    Public,
    /// Pinata-only: read through signed download links.
    Private,
}

impl Network {
    /// The path segment and form value.
    pub fn as_str(self) -> &'static str {
        match self {
            Network::Public => "public",
            Network::Private => "private",
        }
    }
}

/// Order of a v3 list (by creation time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Oldest first.
    Asc,
    /// Newest first.
    Desc,
}

impl Order {
    fn as_str(self) -> &'static str {
        match self {
            Order::Asc => "ASC",
            Order::Desc => "DESC",
        }
    }
}

/// The `data` member of a v3 answer (`{"data": …}`).
pub(crate) fn data_of(mut v: Value) -> Result<Value> {
    match v.get_mut("data") {
        Some(d) => Ok(d.take()),
        None => Err(Error::protocol("the v3 response lacks `data`")),
    }
}

/// Current unix time in seconds.
pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
