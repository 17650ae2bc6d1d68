//! certgate's own caps never stand in for an API's limits: every field an API accepts is
//! read, and what a cap leaves unread is "not checked", never an error.

mod common;

use certgate::harness::internals::{Check, MAX_PEM_FIELD_BYTES, ProfileInternals};
use certgate::{Catalogue, Request, Severity};
use serde_json::json;

const LEAF: &str = include_str!("../corpus/materials/server.pem");
const KEY: &str = include_str!("../corpus/materials/server.key");
const ISSUERS: &str = include_str!("../corpus/aws-acm-import/issuers.pem");

#[test]
fn every_documented_field_limit_fits_under_the_pem_field_cap() {
    let catalogue = Catalogue::builtin().unwrap();
    let mut largest = 0;
    for profile in catalogue.profiles() {
        for rule in profile.rule_instances() {
            let max = match &rule.check {
                Check::MaxChars(k) => k.max,
                Check::MaxBytes(k) => k.max,
                _ => continue,
            };
            // A character is at most 4 bytes of UTF-8, but PEM text is ASCII: the
            // limits that matter here are counted on ASCII.
            assert!(
                max <= MAX_PEM_FIELD_BYTES,
                "{}: {} allows {max}, more than certgate reads ({MAX_PEM_FIELD_BYTES})",
                profile.id(),
                rule.id
            );
            largest = largest.max(max);
        }
    }
    // ACM's and IAM's CertificateChain: if this moves, the test above saw another table.
    assert_eq!(largest, 2_097_152);
}

/// An ACM request whose `CertificateChain` is the issuers, padded with repeats of its
/// first certificate to exactly `bytes` bytes of ASCII.
fn acm_with_chain_of(bytes: usize) -> Request {
    let first = ISSUERS
        .split_inclusive("-----END CERTIFICATE-----\n")
        .next()
        .unwrap();
    let mut chain = ISSUERS.to_string();
    while chain.len() + first.len() <= bytes {
        chain.push_str(first);
    }
    // Fill the rest with line feeds, which PEM ignores between blocks.
    chain.push_str(&"\n".repeat(bytes - chain.len()));
    assert_eq!(chain.len(), bytes);
    Request::from_value(json!({
        "Certificate": LEAF, "PrivateKey": KEY, "CertificateChain": chain,
    }))
    .unwrap()
}

fn report_of(request: &Request) -> certgate::Report {
    let catalogue = Catalogue::builtin().unwrap();
    let profile = catalogue.profile("aws-acm-import").unwrap();
    certgate::check(
        profile,
        request,
        time::macros::datetime!(2026-06-01 0:00 UTC),
    )
}

#[test]
fn a_chain_at_acms_two_mebibyte_limit_is_read_and_not_refused() {
    let report = report_of(&acm_with_chain_of(2_097_152));
    let errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (&d.rule, &d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    // Read, not skipped for size: the padding's repeats are seen (and are warnings).
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.rule == "chain-duplicate"),
        "{:?}",
        report.diagnostics
    );
    // Over a thousand blocks: what lies past the block cap is not checked, not an error.
    assert!(
        report
            .not_checked
            .iter()
            .any(|n| n.rule == "pem-malformed" && n.reason.contains("after block 1000")),
        "{:?}",
        report.not_checked
    );
}

#[test]
fn one_byte_over_acms_limit_is_the_apis_error() {
    let report = report_of(&acm_with_chain_of(2_097_153));
    let too_long: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "field-too-long" && d.location == "/CertificateChain")
        .collect();
    assert_eq!(too_long.len(), 1, "{:?}", report.diagnostics);
    assert_eq!(too_long[0].severity, Severity::Error);
    assert!(
        too_long[0].message.contains("2,097,153"),
        "{}",
        too_long[0].message
    );
}
