//! The certificate parser on arbitrary DER.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(info) = certgate::input::cert::parse_certificate(data) {
        let _ = info.name();
    }
});
