//! The legacy pinning API's C functions (`pinata_pin_*`), one section of the header per
//! module below, in this order.

pub mod pinning;

pub mod data;

pub mod groups;

pub mod job_wait;
