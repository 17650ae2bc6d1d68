//! The PEM splitter on arbitrary text (lossy UTF-8, so every input reaches `scan`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let scan = certgate::input::pem::scan(&text);
    for issue in &scan.issues {
        let _ = issue.message();
    }
    for stray in &scan.stray {
        let _ = stray.message();
    }
    let _ = scan.is_clean();
});
