//! Property tests through the library: no panic on arbitrary field values (every
//! profile's fields, Esri's archive part included), the documented
//! boundaries (with the `proptest` feature: `cargo test --all-features`), and PEM
//! re-wrapping and reordering.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use certgate::{Catalogue, Report, Request, Severity};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::macros::datetime;

const AT: OffsetDateTime = datetime!(2026-06-01 0:00 UTC);
const CASES: u32 = 64;

const SERVER_CHAIN: &str = include_str!("../corpus/materials/server-chain.pem");
const SERVER_KEY: &str = include_str!("../corpus/materials/server.key");
const EC_CHAIN: &str = include_str!("../corpus/materials/ec-p256-chain.pem");
const EC_KEY: &str = include_str!("../corpus/materials/ec-p256.key");

static CATALOGUE: LazyLock<Catalogue> =
    LazyLock::new(|| Catalogue::builtin().expect("the built-in catalogue loads"));

fn check(profile: &str, body: Value) -> Report {
    let profile = CATALOGUE.profile(profile).expect("a known profile");
    let request = Request::from_value(body).expect("an object");
    certgate::check(profile, &request, AT)
}

fn error_rules(report: &Report) -> BTreeSet<String> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.rule.clone())
        .collect()
}

const ELB_FIELDS: [&str; 6] = [
    "certificate",
    "private_key",
    "name",
    "description",
    "domain",
    "type",
];
/// The Esri Portal profiles and their fields (the union of update, import and CSR).
const ESRI_PROFILES: [&str; 3] = [
    "esri-portal-update",
    "esri-portal-import",
    "esri-portal-csr",
];
const ESRI_FIELDS: [&str; 6] = [
    "file",
    "password",
    "alias",
    "importCertificateChain",
    "f",
    "certificateSigningRequest",
];
const PORTAL_P12: &[u8] = include_bytes!("../corpus/esri/materials/rsa-chain-legacy.p12");
const PORTAL_CSR: &str = include_str!("../corpus/esri/materials/csr-rsa.pem");

const APIC_FIELDS: [&str; 9] = [
    "name",
    "cert_content",
    "private_key",
    "cert_content_sign",
    "private_key_sign",
    "trusted_root_ca",
    "type",
    "instance_id",
    "algorithm_type",
];

/// Arbitrary text, plus text that gets past the first checks: PEM-looking fragments,
/// materials with one character changed or cut short, domain-like lists.
fn field_text() -> impl Strategy<Value = String> {
    let material =
        prop::sample::select(vec![SERVER_CHAIN, SERVER_KEY, EC_CHAIN, EC_KEY, PORTAL_CSR]);
    prop_oneof![
        3 => any::<String>(),
        2 => "(-----(BEGIN|END) [A-Z ]{0,20}-----|[A-Za-z0-9+/=]{0,70}|\\\\n|\r?\n| ){0,12}",
        2 => (material.clone(), any::<prop::sample::Index>(), any::<char>()).prop_map(
            |(m, i, c)| {
                let mut chars: Vec<char> = m.chars().collect();
                let at = i.index(chars.len());
                chars[at] = c;
                chars.into_iter().collect()
            }
        ),
        1 => (material, any::<prop::sample::Index>())
            .prop_map(|(m, i)| m.chars().take(i.index(m.len())).collect()),
        2 => "([a-z0-9*._\u{e9}\u{4e2d}-]{0,70},?){0,8}",
        1 => prop::sample::select(vec!["server", "client", "RSA", "ECC", "SM2", "instance", "global"])
            .prop_map(str::to_string),
    ]
}

/// Each field absent, a string, or another JSON type.
fn field_value() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        1 => Just(None),
        8 => field_text().prop_map(|s| Some(Value::String(s))),
        1 => prop_oneof![
            Just(Value::Null),
            any::<i64>().prop_map(Value::from),
            any::<bool>().prop_map(Value::from),
            Just(serde_json::json!({"file": "x.pem"})),
            Just(serde_json::json!(["a", 1])),
        ]
        .prop_map(Some),
    ]
}

/// No file part, arbitrary bytes, or the real archive cut short or with one byte changed
/// (so parsing gets past the outer structure).
fn archive_bytes() -> impl Strategy<Value = Option<Vec<u8>>> {
    prop_oneof![
        1 => Just(None),
        1 => prop::collection::vec(any::<u8>(), 0..256).prop_map(Some),
        2 => (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| {
            let mut v = PORTAL_P12.to_vec();
            let at = i.index(v.len());
            v[at] = b;
            Some(v)
        }),
        1 => any::<prop::sample::Index>()
            .prop_map(|i| Some(PORTAL_P12[..i.index(PORTAL_P12.len())].to_vec())),
    ]
}

fn object(fields: &[&str], values: Vec<Option<Value>>) -> Value {
    let mut map = Map::new();
    for (field, value) in fields.iter().zip(values) {
        if let Some(v) = value {
            map.insert((*field).to_string(), v);
        }
    }
    Value::Object(map)
}

proptest! {
    #![proptest_config(Config::with_cases(CASES))]

    #[test]
    fn elb_no_panic_on_arbitrary_fields(values in prop::collection::vec(field_value(), ELB_FIELDS.len())) {
        let body = serde_json::json!({ "certificate": object(&ELB_FIELDS, values) });
        let report = check("huawei-elb-v3", body);
        let _ = certgate::render::json::render(&report);
    }

    #[test]
    fn apic_no_panic_on_arbitrary_fields(values in prop::collection::vec(field_value(), APIC_FIELDS.len())) {
        let report = check("huawei-apic-v2", object(&APIC_FIELDS, values));
        let _ = certgate::render::json::render(&report);
    }

    #[test]
    fn esri_no_panic_on_arbitrary_fields(
        values in prop::collection::vec(field_value(), ESRI_FIELDS.len()),
        archive in archive_bytes(),
    ) {
        let mut request = Request::from_value(object(&ESRI_FIELDS, values)).expect("an object");
        if let Some(bytes) = archive {
            request.attach("/file", bytes);
        }
        for id in ESRI_PROFILES {
            let profile = CATALOGUE.profile(id).expect("a known profile");
            let report = certgate::check(profile, &request, AT);
            let _ = certgate::render::json::render(&report);
        }
    }

    #[test]
    fn no_panic_on_arbitrary_documents(text in any::<String>()) {
        if let Ok(request) = Request::parse(&text, None) {
            for profile in CATALOGUE.profiles() {
                let _ = certgate::check(profile, &request, AT);
            }
        }
    }
}

// ---- PEM re-wrapping and reordering ----

/// The base64 bodies of the PEM blocks in `pem`, in order.
fn bodies(pem: &str) -> Vec<String> {
    pem.split("-----BEGIN CERTIFICATE-----")
        .skip(1)
        .map(|rest| {
            let body = rest.split("-----END CERTIFICATE-----").next().unwrap();
            body.split_whitespace().collect()
        })
        .collect()
}

fn wrap(bodies: &[String], width: usize, eol: &str) -> String {
    let mut out = String::new();
    for body in bodies {
        out.push_str("-----BEGIN CERTIFICATE-----");
        out.push_str(eol);
        for chunk in body.as_bytes().chunks(width) {
            out.push_str(std::str::from_utf8(chunk).unwrap());
            out.push_str(eol);
        }
        out.push_str("-----END CERTIFICATE-----");
        out.push_str(eol);
    }
    out
}

fn elb_with(cert: &str, key: &str) -> Value {
    serde_json::json!({"certificate": {
        "name": "web",
        "certificate": cert,
        "private_key": key,
        "domain": "www.example.com,example.com",
    }})
}

fn apic_with(cert: &str, key: &str, alg: &str) -> Value {
    serde_json::json!({
        "name": "cert_demo",
        "cert_content": cert,
        "private_key": key,
        "type": "global",
        "algorithm_type": alg,
    })
}

fn verdicts(cert: &str) -> [BTreeSet<String>; 2] {
    [
        error_rules(&check("huawei-elb-v3", elb_with(cert, SERVER_KEY))),
        error_rules(&check("huawei-apic-v2", apic_with(cert, SERVER_KEY, "RSA"))),
    ]
}

#[test]
fn the_materials_check_clean() {
    assert_eq!(verdicts(SERVER_CHAIN), [BTreeSet::new(), BTreeSet::new()]);
    let ec = check("huawei-apic-v2", apic_with(EC_CHAIN, EC_KEY, "ECC"));
    assert!(!ec.has_errors(), "{:#?}", ec.diagnostics);
}

proptest! {
    #![proptest_config(Config::with_cases(CASES))]

    /// Re-wrapping the base64 at any line width, with LF or CRLF, keeps the verdict.
    #[test]
    fn rewrapping_keeps_the_verdict(width in 4usize..=200, crlf in any::<bool>()) {
        let rewrapped = wrap(&bodies(SERVER_CHAIN), width, if crlf { "\r\n" } else { "\n" });
        prop_assert_eq!(verdicts(&rewrapped), verdicts(SERVER_CHAIN));
    }

    /// Reordering the blocks changes nothing but the order rule: the leaf-first order
    /// checks clean, any other order raises `chain-order` and nothing else.
    #[test]
    fn reordering_changes_only_the_order_verdict(
        order in Just(vec![0usize, 1, 2]).prop_shuffle(),
        width in prop::sample::select(vec![64usize, 76]),
    ) {
        let original = bodies(SERVER_CHAIN);
        let shuffled: Vec<String> = order.iter().map(|&i| original[i].clone()).collect();
        let pem = wrap(&shuffled, width, "\n");
        let expected: BTreeSet<String> = if order == [0, 1, 2] {
            BTreeSet::new()
        } else {
            BTreeSet::from(["chain-order".to_string()])
        };
        for verdict in verdicts(&pem) {
            prop_assert_eq!(&verdict, &expected);
        }
    }
}

// ---- Documented boundaries (the exported strategies) ----

#[cfg(feature = "proptest")]
mod boundaries {
    use super::*;
    use certgate::strategies::{self, Base, Boundary, Case, Expect};
    use proptest::test_runner::TestRunner;

    fn assert_case(catalogue: &Catalogue, case: &Case) -> Result<(), TestCaseError> {
        let profile = catalogue
            .profile(&case.limit.profile)
            .expect("a known profile");
        let report = certgate::check(profile, &case.to_request(), AT);
        let errors: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let limit = &case.limit;
        match &case.expect {
            Expect::Accept => {
                prop_assert!(errors.is_empty(), "{limit:?} at the boundary: {errors:#?}")
            }
            Expect::Reject { rule, location } => {
                prop_assert!(!errors.is_empty(), "{limit:?} one past: no error");
                for d in &errors {
                    prop_assert_eq!(&d.rule, rule, "{:?}: {:#?}", limit, errors);
                    prop_assert!(
                        d.location.starts_with(location.as_str()),
                        "{limit:?}: {d:#?}"
                    );
                }
            }
        }
        Ok(())
    }

    /// Cases per limit and side: each is one `check` (an archive's key derivation for
    /// Esri), so few, but every limit of every profile, both sides.
    const PER_LIMIT: u32 = 6;

    /// Every limit of `profile` derived from `base`, both sides.
    fn run_every_limit(catalogue: &Catalogue, profile: &certgate::Profile, base: &Base) {
        let mut runner = TestRunner::new(Config {
            failure_persistence: None,
            ..Config::with_cases(PER_LIMIT)
        });
        let covered = strategies::covered(profile, base);
        assert!(!covered.is_empty(), "{}: no derived limits", profile.id());
        for limit in covered {
            for past in [false, true] {
                let strategy = strategies::at(profile, base, &limit, past).unwrap();
                runner
                    .run(&strategy, |case| assert_case(catalogue, &case))
                    .unwrap_or_else(|e| panic!("{limit:?} (past: {past}): {e}"));
            }
        }
    }

    /// Every built-in profile: a base request from its corpus, and both sides of every
    /// limit its instances document.
    #[test]
    fn every_profile_every_limit_both_sides() {
        for profile in CATALOGUE.profiles() {
            let base = Base::builtin(profile.id())
                .unwrap_or_else(|| panic!("{}: no self-contained pass- fixture", profile.id()));
            run_every_limit(&CATALOGUE, profile, &base);
        }
    }

    /// The limits the hand-named boundaries stood for are all still derived.
    #[test]
    fn every_named_boundary_is_derived() {
        for b in Boundary::all() {
            let limit = b.limit().unwrap_or_else(|| panic!("{b:?}"));
            assert_eq!(limit.profile, b.profile());
        }
    }

    proptest! {
        #![proptest_config(Config::with_cases(16))]

        /// The unions users take (`valid_for`/`past_for`, `elb_v3()`...).
        #[test]
        fn unions_agree_with_check(
            case in prop_oneof![
                strategies::elb_v3(),
                strategies::apic_v2(),
                strategies::valid_for("esri-portal-csr").unwrap(),
                strategies::past_for("esri-portal-csr").unwrap(),
            ]
        ) {
            assert_case(&CATALOGUE, &case)?;
        }
    }

    /// Every built-in profile has generated boundaries.
    #[test]
    fn every_profile_has_boundaries() {
        for id in CATALOGUE.profile_ids() {
            assert!(
                strategies::valid_for(&id).is_some() && strategies::past_for(&id).is_some(),
                "{id}"
            );
        }
    }
}
