//! Every response parser over arbitrary bodies: error shapes A/B/C/D, Retry-After, legacy
//! pin answers, jobs, pin-list rows and groups, key rows, v3 upload answers, file rows and
//! groups, and the Pinning Service API's pin statuses. The first two bytes pick the HTTP
//! status (100–599, so about one input in five takes the 2xx path); the rest is the body.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = 100 + u16::from_be_bytes([data[0], data[1]]) % 500;
    pinata::fuzzing::response(status, &data[2..]);
});
