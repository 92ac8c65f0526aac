//! Pinata's current platform, the v3 Files API (`api.pinata.cloud/v3`,
//! `uploads.pinata.cloud/v3`): uploads (multipart and TUS), files, groups, signed URLs.

pub mod tus;
