//! The private-key parser on arbitrary DER (PKCS#8, PKCS#1, SEC1, encrypted PKCS#8).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = certgate::input::key::parse_private_key_der(data);
});
