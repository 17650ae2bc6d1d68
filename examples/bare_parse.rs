//! The reference point for `certgate lint`'s speed: a bare x509-parser program that
//! splits a PEM file, decodes each certificate and touches its main fields, with no
//! rule, no finding and no output. `benches/compare.sh` times it on the same bundle.
//!
//! Usage: cargo run --release --example bare_parse -- bundle.pem

use x509_parser::prelude::*;

fn main() -> std::process::ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: bare_parse FILE.pem");
        return std::process::ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("bare_parse: {path}: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let (mut parsed, mut touched) = (0usize, 0usize);
    // x509-parser's own PEM reader: the fastest bare path (the `pem` crate is slower).
    for block in Pem::iter_from_buffer(&bytes).flatten() {
        if let Ok(cert) = block.parse_x509() {
            parsed += 1;
            // Touch what any linter reads, so nothing is optimised away.
            touched += cert.subject().iter().count()
                + cert.issuer().iter().count()
                + usize::from(cert.validity().is_valid())
                + cert.extensions().len()
                + cert.public_key().raw.len();
        }
    }
    println!("{parsed} certificates ({touched})");
    std::process::ExitCode::SUCCESS
}
