//! The whole `check` of one profile (named on the first line) on a request document, then every renderer.
//! The body is `certgate::harness::check`, which `tests/regressions.rs` replays.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| certgate::harness::check(data));
