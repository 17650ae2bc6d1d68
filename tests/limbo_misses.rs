//! The x509-limbo cases certgate missed (issue #13, item 3), each on its own fixture
//! (corpus/gen/95-limbo-misses.sh, corpus/limbo-misses/), named beside the limbo case
//! that found it.

mod common;

use common::{certgate, check, stdout};
use serde_json::Value;

/// `(rule, severity, location, message)` of every finding of an ELB request fixture.
fn findings(fixture: &str) -> Vec<(String, String, String, String)> {
    let doc = format!("corpus/huawei-elb-v3/{fixture}.json");
    let out = check("huawei-elb-v3", &doc, &["--format", "json", "--no-config"]);
    parse(&stdout(&out))
}

fn parse(json: &str) -> Vec<(String, String, String, String)> {
    let report: Value = serde_json::from_str(json).expect("a JSON report");
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (s("rule"), s("severity"), s("location"), s("message"))
        })
        .collect()
}

fn rules(f: &[(String, String, String, String)]) -> Vec<&str> {
    f.iter().map(|(r, ..)| r.as_str()).collect()
}

fn only<'a>(
    f: &'a [(String, String, String, String)],
    rule: &str,
) -> &'a (String, String, String, String) {
    let hits: Vec<_> = f.iter().filter(|(r, ..)| r == rule).collect();
    assert_eq!(hits.len(), 1, "one {rule} expected: {f:#?}");
    hits[0]
}

/// No limbo case of the 208 stored has it; Go and OpenSSL refuse the path (issue #13).
#[test]
fn a_ca_whose_eku_lacks_server_auth_is_flagged() {
    let f = findings("fail-leaf-server-auth-intermediate-eku");
    let (_, severity, location, message) = only(&f, "leaf-server-auth");
    assert_eq!(severity, "error");
    assert_eq!(location, "/certificate/certificate/1");
    assert!(
        message.contains("the CA O=certgate corpus, CN=certgate ClientAuth-only CA")
            && message.contains("extendedKeyUsage clientAuth without serverAuth"),
        "{message}"
    );
}

/// limbo rfc5280::leaf-ku-keycertsign
#[test]
fn a_leaf_with_keycertsign_but_not_ca_is_flagged() {
    let f = findings("fail-chain-ca-usage-leaf-keycertsign");
    let (_, severity, location, message) = only(&f, "chain-ca-usage");
    assert_eq!(severity, "warning");
    assert_eq!(location, "/certificate/certificate/0");
    assert!(
        message.contains("asserts keyCertSign") && message.contains("not a CA"),
        "{message}"
    );
    assert!(!rules(&f).contains(&"leaf-is-ca"), "{f:#?}");
}

/// limbo webpki::malformed-aia
#[test]
fn an_extension_value_that_is_not_der_is_der_malformed() {
    let f = findings("fail-der-malformed-aia");
    let (_, severity, location, message) = only(&f, "der-malformed");
    assert_eq!(severity, "error");
    assert_eq!(location, "/certificate/certificate/0");
    assert!(
        message.contains("malformed authorityInfoAccess (1.3.6.1.5.5.7.1.1) extension")
            && message.contains("0x6d616c666f726d6564 is not DER"),
        "{message}"
    );
}

/// limbo webpki::san::unicode-emoji-san
#[test]
fn a_non_ascii_dns_name_is_der_malformed() {
    let f = findings("fail-der-malformed-san-non-ascii");
    let (_, _, location, message) = only(&f, "der-malformed");
    assert_eq!(location, "/certificate/certificate/0");
    assert!(
        message.contains("dNSName that is not ASCII (\"😜.example.com\")")
            && message.contains("IA5String"),
        "{message}"
    );
}

/// limbo rfc5280::mismatching-signature-algorithm
#[test]
fn differing_signature_algorithms_are_der_malformed_not_a_wrong_key() {
    let f = findings("fail-der-malformed-signature-algorithms-differ");
    let (_, _, location, message) = only(&f, "der-malformed");
    assert_eq!(location, "/certificate/certificate/0");
    assert!(
        message.contains(
            "names two signature algorithms, sha256WithRSAEncryption inside the signed part"
        ) && message.contains("sha512WithRSAEncryption outside it"),
        "{message}"
    );
    assert!(!rules(&f).contains(&"chain-broken"), "{f:#?}");
    assert!(
        f.iter().all(|(.., m)| !m.contains("different key")),
        "{f:#?}"
    );
}

/// limbo rfc5280::san::malformed: the leaf does not parse; the CA after it is not the
/// server certificate.
#[test]
fn an_unparsable_leaf_is_not_replaced_by_the_next_certificate() {
    let f = findings("fail-der-malformed-leaf-unparsable-ca-next");
    let (_, _, location, _) = only(&f, "der-malformed");
    assert_eq!(location, "/certificate/certificate/0");
    for spurious in [
        "leaf-is-ca",
        "no-san",
        "chain-incomplete",
        "key-mismatch",
        "leaf-server-auth",
    ] {
        assert!(!rules(&f).contains(&spurious), "{spurious}: {f:#?}");
    }
    assert!(
        f.iter().all(|(.., m)| !m.contains("Limbo Misses CA")),
        "{f:#?}"
    );
}

/// limbo rfc5280::validity::notafter-fractional: 5 ms after notAfter.
#[test]
fn expiry_by_less_than_a_second_is_worded_with_both_times_distinct() {
    let expired_at = |at: &str| {
        let out = certgate(&[
            "lint",
            "corpus/materials/server.pem",
            "--at",
            at,
            "--format",
            "json",
            "--no-config",
        ]);
        only(&parse(&stdout(&out)), "cert-expired").3.clone()
    };
    // Within notAfter's second the certificate is still valid (notAfter is inclusive and
    // certificate times have whole seconds: clients compare at that precision).
    let within = certgate(&[
        "lint",
        "corpus/materials/server.pem",
        "--at",
        "2040-01-01T00:00:00.995Z",
        "--format",
        "json",
        "--no-config",
    ]);
    assert!(
        !stdout(&within).contains("cert-expired"),
        "{}",
        stdout(&within)
    );
    let m = expired_at("2040-01-01T00:00:01.005Z");
    assert!(
        m.contains(
            "expired on 2040-01-01 00:00:00 UTC, 1 second before the evaluation \
             time 2040-01-01 00:00:01.005 UTC"
        ),
        "{m}"
    );
    assert!(!m.contains("0 hours"), "{m}");
    assert!(
        expired_at("2040-01-01T00:00:30Z").contains("30 seconds before"),
        "seconds"
    );
    assert!(
        expired_at("2040-01-01T00:05:59Z").contains("5 minutes before"),
        "minutes"
    );
    assert!(
        expired_at("2040-01-01T03:00:00Z").contains("3 hours before"),
        "hours"
    );
}
