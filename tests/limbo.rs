//! certgate held to C2SP x509-limbo, a public path-validation suite (issue #13, item 4).
//!
//! Each limbo case is run through the library as an upload: the peer certificate, then
//! the untrusted intermediates, in one certificates field of a test profile
//! (tests/data/limbo/limbo-profile.toml), the expected peer name in its domain field,
//! the case's trusted certificates as the `--trust` anchors and its validation time as
//! the evaluation time. certgate says FAILURE when any rule of [`VERDICT_RULES`] finds
//! something at warning or error severity, else SUCCESS.
//!
//! Scope ([`OUT_OF_SCOPE`]) is decided per id prefix or feature, each with its reason;
//! every in-scope case must match limbo's expected result unless it is listed, with
//! its reason, in [`KNOWN_DISAGREEMENTS`], and every listed case must still disagree.
//! Every case, in scope or not, must not panic and must finish within [`BUDGET`].
//! `cargo test --test limbo -- --nocapture` prints the agreement figure.
//!
//! The cases are tests/data/limbo/limbo-native.json.gz: x509-limbo, C2SP contributors,
//! Apache License 2.0 (tests/data/limbo/LICENSE, tests/data/limbo/README.md).

use std::io::Read;
use std::time::{Duration, Instant};

use certgate::{AnchorSource, Trust};
use certgate::{Catalogue, Request, Severity};
use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const CASES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/limbo/limbo-native.json.gz"
);
const PROFILE: &str = include_str!("data/limbo/limbo-profile.toml");

/// The evaluation time of a case whose `validation_time` is null (limbo then means
/// "now"): the tests' usual date. Every such case of this copy is valid from
/// 1970-01-01T00:00:01Z to 2969, so the date chosen changes no verdict.
const NULL_TIME: &str = "2026-06-01T00:00:00Z";

/// The longest one case may take, in or out of scope (the pathological cases build
/// paths through cycles and many candidate issuers: clients' budgets must stop them).
const BUDGET: Duration = Duration::from_secs(2);

/// The rules whose warning or error findings make certgate's verdict FAILURE, and why
/// each says a client refuses the chain.
const VERDICT_RULES: &[(&str, &str)] = &[
    (
        "chain-untrusted",
        "the client verdict: rustls-webpki builds and validates a path to the anchors",
    ),
    (
        "peer-name",
        "the client verdict's name check: the validated leaf covers expected_peer_name",
    ),
    (
        "pem-malformed",
        "a certificate clients cannot read (the PEM is built by this test, so this \
         finding would mean a certificate the test could not write)",
    ),
    (
        "der-malformed",
        "a certificate that is not DER clients refuse",
    ),
    (
        "cert-expired",
        "an expired certificate fails path validation",
    ),
    (
        "cert-not-yet-valid",
        "a certificate not yet valid fails path validation",
    ),
    (
        "leaf-is-ca",
        "Web PKI clients refuse a CA certificate as the server's (CABF 7.1.2.7.8)",
    ),
    (
        "chain-ca-usage",
        "an issuer without cA=TRUE or keyCertSign fails path validation",
    ),
    (
        "chain-pathlen",
        "an exceeded pathLenConstraint fails path validation",
    ),
    (
        "leaf-server-auth",
        "a leaf whose EKU lacks serverAuth is refused for TLS servers",
    ),
    (
        "weak-signature",
        "clients refuse MD5 and SHA-1 signatures on the path",
    ),
    (
        "weak-key",
        "clients refuse RSA keys under 2048 bits and small curves",
    ),
    (
        "unknown-critical-extension",
        "a client must refuse a certificate with a critical extension it does not know",
    ),
    (
        "no-san",
        "clients match names against the subjectAltName only, not the common name",
    ),
];

/// The rules whose findings do not decide certgate's verdict here, and why.
const OTHER_RULES: &[(&str, &str)] = &[
    (
        "pem-stray-text",
        "about the text of the field, which this test writes",
    ),
    (
        "chain-order",
        "about the order of the upload: limbo's intermediates are an unordered pool \
         from which clients build paths (alternatives, unrelated certificates)",
    ),
    (
        "chain-broken",
        "about the order of the upload (each certificate issued by the next): limbo's \
         intermediates are a pool, not a sent chain; a missing issuer is chain-untrusted's",
    ),
    (
        "chain-duplicate",
        "a repeated certificate is harmless to a path builder",
    ),
    ("chain-incomplete", "info: worth knowing, not a refusal"),
    (
        "cert-issuance",
        "info: an issuance rule clients do not enforce (see [`ISSUANCE`], which holds \
         certgate to reporting it)",
    ),
    ("chain-root-included", "info: worth knowing, not a refusal"),
    (
        "cert-expiring-soon",
        "about the future: the certificate is valid at the evaluation time",
    ),
];

/// What puts a case out of scope.
enum Scope {
    /// Every case whose id starts with this.
    Prefix(&'static str),
    /// Every case with this limbo feature.
    Feature(&'static str),
    /// Every case of this validation kind.
    Kind(&'static str),
    /// The RFC 5280 side of a pair of cases that conflict with a Web PKI case.
    ConflictsWith(&'static str),
    /// These cases.
    Ids(&'static [&'static str]),
}

/// Cases whose FAILURE rests on a defect of the trust anchor (the case's trusted root).
const ANCHOR_DEFECTS: &[&str] = &[
    "rfc5280::aki::critical-aki",
    "rfc5280::ski::critical-ski",
    "rfc5280::ski::root-missing-ski",
    "rfc5280::ca-empty-subject",
    "rfc5280::nc::invalid-dnsname-leading-period",
    "rfc5280::validity::expired-root",
    "rfc5280::unknown-critical-extension-root",
    "rfc5280::root-missing-basic-constraints",
    "rfc5280::root-non-critical-basic-constraints",
    "rfc5280::root-inconsistent-ca-extensions",
    "webpki::aki::root-with-aki-missing-keyidentifier",
    "webpki::aki::root-with-aki-authoritycertissuer",
    "webpki::aki::root-with-aki-authoritycertserialnumber",
    "webpki::aki::root-with-aki-all-fields",
    "webpki::aki::root-with-aki-ski-mismatch",
    "webpki::forbidden-rsa-not-divisible-by-8-in-root",
];

/// Cases whose FAILURE rests on an issuance rule (RFC 5280, CABF) that an uploaded
/// certificate breaks and clients do not enforce: rustls-webpki, Go and browsers accept
/// the chain, so a warning would break certgate's promise (warning = clients fail).
/// They are outside the verdict's scope, and certgate must report each at info as
/// `cert-issuance`: the test fails if it does not.
const ISSUANCE: &[(&[&str], &str)] = &[
    (
        &["rfc5280::serial::zero", "rfc5280::serial::too-long"],
        "a serial number not zero and at most 20 octets (RFC 5280 4.1.2.2)",
    ),
    (
        &[
            "rfc5280::aki::leaf-missing-aki",
            "rfc5280::aki::intermediate-missing-aki",
        ],
        "authorityKeyIdentifier present (RFC 5280 4.2.1.1)",
    ),
    (
        &["rfc5280::ski::intermediate-missing-ski"],
        "subjectKeyIdentifier in every CA (RFC 5280 4.2.1.2)",
    ),
    (
        &[
            "rfc5280::san::noncritical-with-empty-subject",
            "webpki::san::san-critical-with-nonempty-subject",
        ],
        "subjectAltName critical exactly when the subject is empty (RFC 5280 4.2.1.6, \
         CABF 7.1.2.7.12)",
    ),
    (
        &["rfc5280::san::underscore-dns"],
        "dNSNames in the preferred name syntax (RFC 5280 4.2.1.6)",
    ),
    (
        &[
            "rfc5280::nc::not-allowed-in-ee-noncritical",
            "rfc5280::nc::not-allowed-in-ee-critical",
        ],
        "nameConstraints only in CA certificates (RFC 5280 4.2.1.10)",
    ),
    (
        &[
            "webpki::nc::intermediate-permitted-excluded-subtrees-both-null",
            "webpki::nc::intermediate-permitted-excluded-subtrees-both-empty-sequences",
        ],
        "nameConstraints never empty (RFC 5280 4.2.1.10)",
    ),
    (
        &[
            "webpki::cn::ipv4-hex-mismatch",
            "webpki::cn::ipv4-leading-zeros-mismatch",
            "webpki::cn::ipv6-uppercase-mismatch",
            "webpki::cn::ipv6-uncompressed-mismatch",
            "webpki::cn::ipv6-non-rfc5952-mismatch",
            "webpki::cn::punycode-not-in-san",
            "webpki::cn::utf8-vs-punycode-mismatch",
            "webpki::cn::not-in-san",
            "webpki::cn::case-mismatch",
        ],
        "the common name a character-for-character copy of a subjectAltName entry (CABF \
         BR 7.1.4.3); clients match subjectAltName only",
    ),
];

/// The [`ISSUANCE`] row of an in-scope case limbo expects to fail, if any.
fn issuance(case: &Case) -> Option<&'static str> {
    if case.expected_result != "FAILURE" {
        return None;
    }
    ISSUANCE
        .iter()
        .find(|(ids, _)| ids.contains(&case.id.as_str()))
        .map(|(_, why)| *why)
}

/// The cases certgate does not decide, each group with its reason.
const OUT_OF_SCOPE: &[(Scope, &str)] = &[
    (
        Scope::Kind("CLIENT"),
        "client certificates: certgate checks the chains servers send",
    ),
    (
        Scope::Feature("has-crl"),
        "revocation: an upload carries no CRL, and certgate checks none",
    ),
    (
        Scope::Prefix("crl::"),
        "revocation: an upload carries no CRL, and certgate checks none",
    ),
    (
        Scope::Feature("has-policy-constraints"),
        "certificate policies: neither certgate nor rustls-webpki processes them",
    ),
    (
        Scope::Feature("max-chain-depth"),
        "a depth limit the caller chooses (max_chain_depth): certgate has no such \
         input; clients' own limits are rustls-webpki's",
    ),
    (
        Scope::Feature("rfc5280-incompatible-with-webpki"),
        "the RFC 5280 reading of a case the Web PKI (CABF) profile decides the other \
         way: certgate judges chains for Web PKI clients",
    ),
    (
        Scope::ConflictsWith("webpki::"),
        "the RFC 5280 reading of a case the Web PKI (CABF) profile decides the other \
         way: certgate judges chains for Web PKI clients",
    ),
    (
        Scope::Feature("pedantic-webpki-eku"),
        "limbo's own 'pedantic' mark: CABF's extendedKeyUsage profile for certificates \
         (anyEKU, a critical EKU, none, an EKU in a root), which Web PKI clients do not \
         enforce; rustls-webpki accepts these leaves for serverAuth, as certgate does",
    ),
    (
        Scope::Feature("pedantic-webpki-subscriber-key"),
        "limbo's own 'pedantic' mark: CABF key rules for subscriber certificates (no DSA, \
         an RSA modulus a multiple of 8 bits) that clients check only in the handshake, \
         if at all; certgate's weak-key judges key sizes",
    ),
    (
        Scope::Feature("pedantic-rfc5280"),
        "limbo's own 'pedantic' mark: an RFC 5280 issuance rule clients do not enforce",
    ),
    (
        Scope::Feature("name-constraint-dn"),
        "directoryName name constraints: rustls-webpki, the client verdict, does not \
         implement them (a permitted DN subtree fails every path), so certgate cannot \
         judge them as clients do",
    ),
    (
        Scope::Ids(ANCHOR_DEFECTS),
        "a defect of the trust anchor itself (validity, extensions, key identifiers, key \
         size): the anchor is the client's, not part of the upload, and rustls-webpki takes \
         an anchor as a name and a key; certgate judges what is uploaded",
    ),
    (
        Scope::Ids(&["pathlen::validation-ignores-pathlen-in-leaf"]),
        "a CA certificate (cA=TRUE) as the server's: limbo takes RFC 5280's reading, which \
         allows it; Web PKI clients refuse it (CABF 7.1.2.7.8), rustls-webpki among them, and \
         certgate's leaf-is-ca warns, as for the Web PKI side of the conflicting pairs above",
    ),
    (
        Scope::Ids(&[
            "pathlen::self-issued-certs-pathlen",
            "rfc5280::nc::permitted-self-issued",
        ]),
        "a path through a self-issued intermediate (same name, another key: a key \
         rollover): rustls-webpki, the client verdict, does not build it, so rustls clients \
         refuse the chain and certgate says so; RFC 5280 validators accept it",
    ),
    (
        Scope::Ids(&[
            "pathological::multiple-chains-expired-intermediate",
            "rfc5280::unknown-critical-extension-unrelated-intermediate",
        ]),
        "a certificate sent that the client's path does not use (an expired or \
         unknown-critical alternative): certgate judges every certificate of the upload, \
         which the API stores and the server sends, and limbo only the path a client builds",
    ),
    (
        Scope::Feature("pedantic-public-suffix-wildcard"),
        "wildcards over a public suffix: deciding them needs the Public Suffix List, \
         which certgate does not ship",
    ),
];

// Reasons shared by several known disagreements. "rustls-webpki alone" below is
// [`webpki_verdict`], which the test computes for every disagreement it reports.

/// In-scope cases where certgate and limbo disagree today, each with the reason. The
/// test fails on a disagreement not listed here and on a listed case that now agrees.
const KNOWN_DISAGREEMENTS: &[(&str, &str)] = &[];

#[derive(Deserialize)]
struct Suite {
    testcases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    id: String,
    features: Vec<String>,
    validation_kind: String,
    trusted_certs: Vec<String>,
    untrusted_intermediates: Vec<String>,
    peer_certificate: String,
    validation_time: Option<String>,
    expected_peer_name: Option<PeerName>,
    expected_result: String,
    conflicts_with: Vec<String>,
}

#[derive(Deserialize)]
struct PeerName {
    value: String,
}

fn load() -> Vec<Case> {
    let file = std::fs::File::open(CASES).expect("tests/data/limbo/limbo-native.json.gz");
    let mut json = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut json)
        .expect("gzip");
    let suite: Suite = serde_json::from_str(&json).expect("limbo's JSON format");
    suite.testcases
}

/// Why a case is out of scope, if it is.
fn out_of_scope(case: &Case) -> Option<&'static str> {
    OUT_OF_SCOPE.iter().find_map(|(scope, why)| {
        let hit = match scope {
            Scope::Prefix(p) => case.id.starts_with(p),
            Scope::Feature(f) => case.features.iter().any(|x| x == f),
            Scope::Kind(k) => case.validation_kind == *k,
            Scope::ConflictsWith(p) => {
                !case.id.starts_with(p) && case.conflicts_with.iter().any(|c| c.starts_with(p))
            }
            Scope::Ids(ids) => ids.contains(&case.id.as_str()),
        };
        hit.then_some(*why)
    })
}

/// certgate's verdict on one case, and the findings that decided it.
fn run(catalogue: &Catalogue, case: &Case) -> (&'static str, Vec<String>, bool) {
    let profile = catalogue.profile("limbo").expect("the test profile");
    let mut chain = case.peer_certificate.clone();
    for pem in &case.untrusted_intermediates {
        chain.push('\n');
        chain.push_str(pem);
    }
    let mut body = serde_json::json!({ "certificates": chain });
    if let Some(name) = &case.expected_peer_name {
        body["domains"] = serde_json::Value::String(name.value.clone());
    }
    let request = Request::parse(&body.to_string(), None).expect("a JSON object");
    let anchors: Vec<Vec<u8>> = case
        .trusted_certs
        .iter()
        .flat_map(|t| pem::parse_many(t).expect("limbo's PEM"))
        .map(|p| p.contents().to_vec())
        .collect();
    let (trust, _refused) = Trust::from_anchors(
        AnchorSource::Files(vec!["the case's trusted_certs".into()]),
        anchors,
    );
    let at = OffsetDateTime::parse(
        case.validation_time.as_deref().unwrap_or(NULL_TIME),
        &Rfc3339,
    )
    .expect("RFC 3339");
    let report = certgate::check_with(profile, &request, at, &trust);
    let mut decisive = Vec::new();
    for d in &report.diagnostics {
        let known = VERDICT_RULES.iter().any(|(r, _)| *r == d.rule);
        assert!(
            known || OTHER_RULES.iter().any(|(r, _)| *r == d.rule),
            "{}: rule {} is in neither VERDICT_RULES nor OTHER_RULES: classify it",
            case.id,
            d.rule
        );
        if known && d.severity != Severity::Info {
            decisive.push(format!("{} ({:?}): {}", d.rule, d.severity, d.message));
        }
    }
    let verdict = if decisive.is_empty() {
        "SUCCESS"
    } else {
        "FAILURE"
    };
    let issuance = report
        .diagnostics
        .iter()
        .any(|d| d.rule == "cert-issuance" && d.severity == Severity::Info);
    (verdict, decisive, issuance)
}

/// rustls-webpki's own verdict on a case, run as limbo's rustls-webpki harness runs it
/// (`harness/rust-rustls`: serverAuth, then the peer name), for comparison: it tells a
/// disagreement certgate inherits from its validator from one of certgate's own.
fn webpki_verdict(case: &Case, at: OffsetDateTime) -> &'static str {
    use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
    let der = |t: &String| -> Vec<CertificateDer<'static>> {
        pem::parse_many(t)
            .expect("limbo's PEM")
            .into_iter()
            .map(|p| CertificateDer::from(p.contents().to_vec()))
            .collect()
    };
    let leaf = der(&case.peer_certificate).remove(0);
    let Ok(ee) = webpki::EndEntityCert::try_from(&leaf) else {
        return "FAILURE";
    };
    let pool: Vec<CertificateDer<'static>> =
        case.untrusted_intermediates.iter().flat_map(der).collect();
    let roots: Vec<CertificateDer<'static>> = case.trusted_certs.iter().flat_map(der).collect();
    let anchors: Vec<_> = roots
        .iter()
        .filter_map(|r| webpki::anchor_from_trusted_cert(r).ok())
        .collect();
    let seconds = u64::try_from(at.unix_timestamp()).unwrap_or(0);
    let time = UnixTime::since_unix_epoch(Duration::from_secs(seconds));
    let path = ee.verify_for_usage(
        webpki::ALL_VERIFICATION_ALGS,
        &anchors,
        &pool,
        time,
        webpki::KeyUsage::server_auth(),
        None,
        None,
    );
    if path.is_err() {
        return "FAILURE";
    }
    match &case.expected_peer_name {
        Some(n) => match ServerName::try_from(n.value.as_str()) {
            Ok(sn) if ee.verify_is_valid_for_subject_name(&sn).is_ok() => "SUCCESS",
            _ => "FAILURE",
        },
        None => "SUCCESS",
    }
}

#[test]
fn limbo_cases_hold_in_scope() {
    let catalogue = Catalogue::builtin_with(&[("limbo-profile.toml", PROFILE)])
        .expect("the test profile loads");
    let cases = load();
    assert!(cases.len() >= 200, "{} cases", cases.len());
    let (mut agree, mut in_scope, mut out, mut webpki_agree) = (0, 0, 0, 0);
    let mut issuance_cases = 0;
    let mut problems = Vec::new();
    let mut known_hit = Vec::new();
    for case in &cases {
        let start = Instant::now();
        let (verdict, why, issuance_reported) = run(&catalogue, case);
        let took = start.elapsed();
        if took > BUDGET {
            problems.push(format!("{}: took {took:?} (budget {BUDGET:?})", case.id));
        }
        if out_of_scope(case).is_some() {
            out += 1;
            continue;
        }
        if let Some(rule) = issuance(case) {
            issuance_cases += 1;
            if !issuance_reported {
                problems.push(format!(
                    "{}: limbo expects FAILURE for an issuance rule clients do not enforce \
                     ({rule}); certgate must report it as cert-issuance (info), and does not",
                    case.id
                ));
            }
            continue;
        }
        in_scope += 1;
        let at = OffsetDateTime::parse(
            case.validation_time.as_deref().unwrap_or(NULL_TIME),
            &Rfc3339,
        )
        .expect("RFC 3339");
        let webpki = webpki_verdict(case, at);
        if webpki == case.expected_result {
            webpki_agree += 1;
        }
        let known = KNOWN_DISAGREEMENTS.iter().find(|(id, _)| *id == case.id);
        if verdict == case.expected_result {
            agree += 1;
            if known.is_some() {
                problems.push(format!(
                    "{}: listed in KNOWN_DISAGREEMENTS but now agrees ({verdict}): remove it",
                    case.id
                ));
            }
        } else if let Some((_, reason)) = known {
            known_hit.push(case.id.as_str());
            // The reasons say which side rustls-webpki alone takes: hold them to it.
            let claimed = if reason.contains("rustls-webpki alone agrees with certgate") {
                Some(verdict)
            } else if reason.contains("rustls-webpki alone agrees with limbo") {
                Some(case.expected_result.as_str())
            } else {
                None
            };
            if claimed.is_some_and(|c| c != webpki) {
                problems.push(format!(
                    "{}: the KNOWN_DISAGREEMENTS reason says what rustls-webpki alone \
                     decides, but it says {webpki}: correct the reason",
                    case.id
                ));
            }
        } else {
            problems.push(format!(
                "{}: limbo expects {}, certgate says {verdict} (rustls-webpki alone: {webpki}): {why:?}",
                case.id, case.expected_result
            ));
        }
    }
    for (id, _) in KNOWN_DISAGREEMENTS {
        let case = cases.iter().find(|c| c.id == *id);
        assert!(
            case.is_some_and(|c| out_of_scope(c).is_none()),
            "KNOWN_DISAGREEMENTS lists {id}, which is not an in-scope limbo case here"
        );
    }
    eprintln!(
        "limbo: in scope: {agree} of {in_scope} agree ({} known disagreements); issuance \
         rules reported as cert-issuance (info): {issuance_cases}; out of scope: {out}; \
         rustls-webpki alone on the same in-scope cases: {webpki_agree} of {in_scope}",
        known_hit.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_scope_row_and_rule_row_is_used() {
    // A row that matches no case is a stale reason: keep the tables honest.
    let cases = load();
    for (scope, why) in OUT_OF_SCOPE {
        let used = cases.iter().any(|c| match scope {
            Scope::Prefix(p) => c.id.starts_with(p),
            Scope::Feature(f) => c.features.iter().any(|x| x == f),
            Scope::Kind(k) => c.validation_kind == *k,
            Scope::ConflictsWith(p) => {
                !c.id.starts_with(p) && c.conflicts_with.iter().any(|x| x.starts_with(p))
            }
            Scope::Ids(ids) => ids.iter().all(|id| cases.iter().any(|c| c.id == *id)),
        });
        assert!(used, "an OUT_OF_SCOPE row matches no case: {why}");
    }
    for (ids, why) in ISSUANCE {
        for id in *ids {
            assert!(
                cases
                    .iter()
                    .any(|c| c.id == *id && c.expected_result == "FAILURE"),
                "an ISSUANCE row names {id}, no FAILURE case here: {why}"
            );
        }
    }
    let ids = certgate::harness::internals::lint_rule_ids();
    for (rule, _) in VERDICT_RULES.iter().chain(OTHER_RULES) {
        assert!(
            *rule == "peer-name" || ids.contains(rule),
            "{rule} is not a rule of the shared set"
        );
    }
}
