//! The certificate parser on DER.
//! The body is `certgate::harness::cert`, which `tests/regressions.rs` replays.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| certgate::harness::cert(data));
