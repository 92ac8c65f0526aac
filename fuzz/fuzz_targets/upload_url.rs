//! Resolves arbitrary text as a TUS server's `Location` against an upload endpoint (the
//! text before the first `\x01`) and checks, with libcurl's own URL parser, that what the
//! library accepts stays on the endpoint's host (see `pinata::fuzzing::upload_url`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pinata::fuzzing::upload_url(data);
});
