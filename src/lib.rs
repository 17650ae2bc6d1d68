//! certgate checks a TLS certificate upload against the documented constraints of the
//! target API *before* it is sent: field limits, domain lists, chain order, key match,
//! validity, weak keys and signatures, and the API's own quirks.
//!
//! The library is pure: no file or network I/O and no clock. The caller parses the
//! request document, resolves its `{"file": ...}` / `{"env": ...}` references, and
//! passes the evaluation time.
//!
//! ```
//! use certgate::{Catalogue, Request};
//!
//! let catalogue = Catalogue::builtin().expect("the built-in catalogue loads");
//! let profile = catalogue.profile("huawei-elb-v3").expect("a known profile");
//! let body = r#"{"certificate": {"name": "web", "domain": "www.example.com,*bad.example.com"}}"#;
//! let request = Request::parse(body, None).expect("a JSON object");
//! let at = time::macros::datetime!(2026-06-01 0:00 UTC);
//!
//! let report = certgate::check(profile, &request, at);
//! assert!(report.has_errors());
//! assert_eq!(report.diagnostics[0].rule, "domain-wildcard");
//! assert_eq!(report.diagnostics[0].location, "/certificate/domain/1");
//! ```
#![forbid(unsafe_code)]
// Untrusted input must never panic: no unwrap, expect or unchecked indexing in the library.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::unreachable,
        clippy::todo
    )
)]

pub mod body;
pub mod catalogue;
pub mod config;
pub mod fix;
#[cfg(feature = "harness")]
pub mod harness;
pub mod input;
pub mod lint;
pub mod load;
pub mod redact;
pub mod render;
pub mod report;
pub mod request;
pub mod rules;
pub mod sources;
#[cfg(feature = "proptest")]
pub mod strategies;
pub mod submission;
pub mod suggest;
pub mod trust;

pub use catalogue::{Catalogue, Profile};
pub use report::{Diagnostic, Report, Severity};
pub use request::Request;

use time::OffsetDateTime;

/// Checks one request against one profile at the evaluation time `at`; the client
/// verdict (`chain-untrusted`) uses Mozilla's roots.
pub fn check(profile: &Profile, request: &Request, at: OffsetDateTime) -> Report {
    check_with(profile, request, at, trust::Trust::mozilla())
}

/// [`check`] with the trust anchors (and extra intermediates) clients are assumed to
/// have: a private PKI's roots, the operating system's store, the CA's chain download.
pub fn check_with(
    profile: &Profile,
    request: &Request,
    at: OffsetDateTime,
    trust: &trust::Trust,
) -> Report {
    let submission = submission::Submission::build(profile, request);
    let ctx = rules::Ctx {
        profile,
        request,
        submission: &submission,
        at,
        trust,
        frame: rules::Frame::default(),
    };
    let mut diagnostics = rules::evaluate(&ctx);
    submission.type_entries(&mut diagnostics);
    diagnostics.extend(submission.not_checked(profile, request));
    Report::new(&profile.report_name(), diagnostics)
}
