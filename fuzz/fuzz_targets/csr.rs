//! The PKCS#10 parser on arbitrary bytes (PEM or DER, it detects which).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = certgate::input::csr::parse_csr(data);
});
