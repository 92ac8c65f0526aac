//! The v3 Files API's C functions (`pinata_upload_*`, `pinata_files_*`, `pinata_groups_*`,
//! `pinata_sign_*`), one section of the header per module below, in this order.

pub mod files;

pub mod upload;

pub mod sign;

pub mod pin_by_cid;

pub mod pin_wait;

pub mod groups;

pub mod tus;
