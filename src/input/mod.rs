//! Decoding of untrusted bytes into typed materials. Nothing here panics, prints or
//! reads files: failures are values that the rules turn into findings.

pub mod cert;
pub mod chain;
pub mod csr;
pub mod hex;
pub mod key;
pub mod pem;
pub mod pkcs12;
pub mod verify;
