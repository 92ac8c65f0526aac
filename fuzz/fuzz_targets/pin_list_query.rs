//! Caller text that goes into a request: builds a pin-list query (CID, name, group,
//! date, keyvalue filters) from arbitrary bytes and checks its query string decodes back
//! to those fields, then offers the same text as a JWT, an API key pair, a base URL and
//! a multipart file name, none of which may carry CR/LF into a header.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pinata::fuzzing::pin_list_query(data);
    pinata::fuzzing::request_text(data);
});
