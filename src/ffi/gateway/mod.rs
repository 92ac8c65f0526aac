//! Verified retrieval's C functions (`pinata_download_*`), one section of the header per
//! module below, in this order.

pub mod download;
