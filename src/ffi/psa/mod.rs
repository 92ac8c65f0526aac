//! The Pinning Service API's C functions (`pinata_psa_*`), one section of the header per
//! module below, in this order.

pub mod pins;
