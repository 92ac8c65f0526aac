//! The legacy API's endpoints (`/pinning/*`, `/data/*`, `/groups`).

pub mod data;
pub mod groups;
pub mod pinning;
