//! The Pinning Service API's endpoints (`/psa/pins…`).

pub mod pins;
