//! Decoding of untrusted bytes into typed materials. Nothing here panics, prints or
//! reads files: failures are values that the rules turn into findings.
//!
//! Crate-internal; the tests reach it only through the unstable `harness::internals`,
//! so its fields are not held to the public API's documentation lint.
#![allow(missing_docs)]
// Its links name crate-private items (they resolve with `--document-private-items`).
#![allow(rustdoc::private_intra_doc_links, rustdoc::broken_intra_doc_links)]

/// A committed fixture under `corpus/<dir>/`, as text (unit tests only).
#[cfg(test)]
macro_rules! corpus_text {
    ($dir:literal, $name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/",
            $dir,
            "/",
            $name
        ))
    };
}

/// A committed fixture under `corpus/<dir>/`, as bytes (unit tests only).
#[cfg(test)]
macro_rules! corpus_bytes {
    ($dir:literal, $name:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/",
            $dir,
            "/",
            $name
        ))
        .as_slice()
    };
}

/// The DER of every PEM block of `text` (unit tests only).
#[cfg(test)]
pub(crate) fn test_ders(text: &str) -> Vec<Vec<u8>> {
    ::pem::parse_many(text)
        .unwrap_or_default()
        .into_iter()
        .map(|p| p.into_contents())
        .collect()
}

pub mod cert;
pub mod chain;
pub mod csr;
pub(crate) mod der;
pub mod encoded;
pub mod hex;
pub mod issuance;
pub mod key;
pub mod limits;
pub mod pem;
pub mod pkcs12;
pub mod verify;
