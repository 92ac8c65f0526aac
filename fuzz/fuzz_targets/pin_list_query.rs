//! Builds a pin-list query (CID, name, group, date, keyvalue filters) from arbitrary
//! bytes and renders its query string.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pinata::fuzzing::pin_list_query(data);
});
