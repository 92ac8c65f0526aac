//! A gateway's CAR answer through the verified download's reader and walk: byte 0 picks
//! the destination (high bit: disk, else memory) and the read size, the rest is the CAR
//! stream (see `pinata::fuzzing::car`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = pinata::fuzzing::car(data);
});
