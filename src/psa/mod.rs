//! The vendor-neutral IPFS Pinning Service API (Pinata serves it at `/psa`).
