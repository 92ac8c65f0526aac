//! The v3 Files API's endpoints on the API host and the upload host.

pub mod tus;
