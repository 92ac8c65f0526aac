//! Pinata's legacy pinning API (`api.pinata.cloud/pinning`, `/data`, CID-based groups):
//! the API every Pinata SDK before the v3 Files API speaks, complete.

pub mod pinning;

pub mod data;

pub mod groups;
pub mod job_wait;
