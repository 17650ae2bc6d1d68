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
#![warn(missing_docs)]
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

mod body;
mod catalogue;
mod config;
mod fix;
#[cfg(feature = "harness")]
pub mod harness;
mod input;
mod lint;
mod load;
mod pairs;
mod redact;
pub mod render;
mod report;
mod request;
mod rules;
mod sources;
#[cfg(feature = "proptest")]
pub mod strategies;
mod submission;
mod suggest;
mod trust;
mod walk;

// The public surface is these re-exports (tests/public_api.rs names each one); the
// modules behind them are crate-private. The binary (src/main.rs, src/cli/) is a
// separate crate that uses only them: `did_you_mean`, `lint_catalogue_with`,
// `yaml_documents`, `apply_edits`/`set_edits`/`write_document` and the catalogue
// renderers are public because it needs them.
pub use body::{Body, body as request_body};
pub use catalogue::{Catalogue, CatalogueError, Profile};
pub use config::{Config, ConfigError, FailOn, RulesConfig, Thresholds, Upload};
pub use fix::{
    Edit, EditError, Fixed, apply as apply_edits, fix, fix_with, render as write_document,
    set_all as set_edits,
};
pub use lint::{
    Detected, Input as LintInput, Linter, Options as LintOptions,
    catalogue_with as lint_catalogue_with, detect,
};
pub use load::resolve_references;
pub use pairs::{FileGroup, LintUnit, NAMED_PAIRS, group as pair_files};
pub use report::{Basis, Citation, Diagnostic, Item, NotChecked, Report, Severity, Summary};
pub use request::{
    Format, MAX_DOCUMENT_BYTES, Request, RequestError, Source, SourceRef,
    yaml::{YamlDocument, documents as yaml_documents},
};
pub use suggest::did_you_mean;
pub use trust::{AnchorSource, MOZILLA_BUNDLE, Trust};
pub use walk::{
    Found as WalkedFiles, Problem as WalkProblem, collect as walk_files, display as path_display,
};

use time::OffsetDateTime;

/// Checks one request against one profile at the evaluation time `at`; the client
/// verdict (`chain-untrusted`) uses Mozilla's roots.
pub fn check(profile: &Profile, request: &Request, at: OffsetDateTime) -> Report {
    check_with(profile, request, at, trust::Trust::mozilla())
}

/// [`check`] with the trust anchors (and extra intermediates) clients are assumed to
/// have: a private PKI's roots, the operating system's store, the CA's chain download.
///
/// ```
/// use certgate::{AnchorSource, Catalogue, Request, Trust};
///
/// let catalogue = Catalogue::builtin().expect("the built-in catalogue loads");
/// let profile = catalogue.profile("huawei-elb-v3").expect("a built-in target");
/// let request = Request::parse(r#"{"certificate": {"domain": "*bad.example.com"}}"#, None).expect("JSON");
/// // A private PKI's roots would come from its PEM files; Mozilla's serve as an example.
/// let (trust, refused) = Trust::from_anchors(AnchorSource::Mozilla, Trust::mozilla_ders());
/// assert!(refused.is_empty());
/// let at = time::macros::datetime!(2026-06-01 0:00 UTC);
/// let report = certgate::check_with(profile, &request, at, &trust);
/// assert!(report.has_errors()); // a malformed wildcard
/// ```
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
        verdicts: rules::Verdicts::default(),
    };
    let mut diagnostics = rules::evaluate(&ctx);
    submission.type_entries(&mut diagnostics);
    diagnostics.extend(submission.not_checked(profile, request));
    Report::new(&profile.report_name(), diagnostics)
}
