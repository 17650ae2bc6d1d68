//! PKCS#12: the first byte gives the password length (mod 32), the next bytes the
//! password (lossy UTF-8), the rest is the archive. Runs `prescan` and `open`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use secrecy::SecretString;

fuzz_target!(|data: &[u8]| {
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let n = usize::from(n % 32).min(rest.len());
    let (password, der) = rest.split_at(n);
    let password = SecretString::from(String::from_utf8_lossy(password).into_owned());
    if let Ok(pre) = certgate::input::pkcs12::prescan(der) {
        let _ = pre.check_limits();
        let _ = pre.host_notes();
    }
    let _ = certgate::input::pkcs12::open(der, &password);
    let _ = certgate::input::pkcs12::password_multipart_risks(&password);
});
