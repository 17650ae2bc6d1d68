//! PKCS#12: byte 0 = password length (mod 32), then the password, then the archive.
//! The body is `certgate::harness::pkcs12`, which `tests/regressions.rs` replays.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| certgate::harness::pkcs12(data));
