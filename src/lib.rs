//! libpinata: a native client for the Pinata IPFS pinning service.
//!
//! The safe Rust API lives in the per-family modules ([`auth`], [`keys`], ...) as methods
//! on [`Client`]; [`ffi`] exposes it to C as `include/pinata.h`.

pub mod auth;
pub mod batch;
pub mod call;
pub mod cid;
pub mod client;
pub mod error;
pub mod ffi;
#[doc(hidden)]
pub mod fuzzing;
pub mod gateway;
mod header_api;
pub mod keys;
pub mod legacy;
pub mod multipart;
pub mod psa;
pub mod transport;
pub mod trust;
pub(crate) mod util;
pub mod v3;
pub mod wait;

pub use client::Client;
pub use error::{Error, Result, Status};
pub use transport::{CancelToken, HttpVersion, Proxy};

/// The production API endpoint.
pub const DEFAULT_BASE_URL: &str = "https://api.pinata.cloud";

/// This library's version, as in Cargo.toml.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The User-Agent sent with every request.
pub const USER_AGENT: &str = concat!("libpinata/", env!("CARGO_PKG_VERSION"));
