//! Decoding of untrusted bytes into typed materials. Nothing here panics, prints or
//! reads files: failures are values that the rules turn into findings.

pub mod csr;
pub mod pkcs12;
