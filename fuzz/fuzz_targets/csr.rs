//! The CSR parser (PEM or DER).
//! The body is `certgate::harness::csr`, which `tests/regressions.rs` replays.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| certgate::harness::csr(data));
