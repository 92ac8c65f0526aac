//! The Pinning Service API's endpoints (`/psa/pins…`).
