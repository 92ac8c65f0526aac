//! Parses arbitrary text as a CID (v0 base58btc, v1 multibase) and prints it back.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pinata::fuzzing::cid(data);
});
