//! Every response parser over arbitrary bodies: error shapes A/B/C/D, pin answers,
//! pin jobs, pin-list rows, key rows, Retry-After. The first two bytes pick the HTTP
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
