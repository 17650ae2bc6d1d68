//! The PEM splitter on arbitrary text (lossy UTF-8).
//! The body is `certgate::harness::pem`, which `tests/regressions.rs` replays.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| certgate::harness::pem(data));
