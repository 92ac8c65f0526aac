//! The vendor-neutral IPFS Pinning Service API (Pinata serves it at `/psa`).

pub mod multiaddr;
pub mod pins;

pub use pins::{Pin, PinStatus, PsaClient, PsaIter, PsaPage, PsaQuery, PsaStatus, TextMatch};
