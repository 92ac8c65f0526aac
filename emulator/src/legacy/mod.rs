//! The legacy API's endpoints (`/pinning/*`, `/data/*`).

pub mod data;
pub mod pinning;
