//! certgate: checks a TLS certificate upload against the documented constraints of the
//! target API before it is sent.
#![forbid(unsafe_code)]

pub mod input;
