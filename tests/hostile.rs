//! Hostile input through the whole engine: each case ends with a clear finding (and no
//! panic). Inputs are built here deterministically; none is random.

mod common;

use certgate::{Catalogue, Request};
use serde_json::json;

const LEAF: &str = include_str!("../corpus/materials/server.pem");
const KEY: &str = include_str!("../corpus/materials/server.key");

fn rules(doc: serde_json::Value) -> Vec<(String, String)> {
    let cat = Catalogue::builtin().unwrap();
    let profile = cat.profile("huawei-elb-v3").unwrap();
    let request = Request::from_value(doc).unwrap();
    let report = certgate::check(
        profile,
        &request,
        time::macros::datetime!(2026-06-01 0:00 UTC),
    );
    // What certgate's own caps left unread is a "not checked" entry, marked as such.
    let skipped = report
        .not_checked
        .into_iter()
        .map(|n| (format!("not checked: {}", n.rule), n.reason));
    report
        .diagnostics
        .into_iter()
        .map(|d| (d.rule, d.message))
        .chain(skipped)
        .collect()
}

fn cert(certificate: String) -> serde_json::Value {
    json!({"certificate": {"certificate": certificate, "private_key": KEY, "domain": "www.example.com"}})
}

fn pem_of(der: &[u8]) -> String {
    pem::encode(&pem::Pem::new("CERTIFICATE", der.to_vec()))
}

/// `certgate lint` of `bundle` as the file `bundle.pem`, at 2026-06-01.
fn lint_bundle(bundle: &str) -> Vec<certgate::Diagnostic> {
    let linter = certgate::Linter::new().unwrap();
    let opts = certgate::LintOptions {
        at: time::macros::datetime!(2026-06-01 0:00 UTC),
        password: None,
        report_unrecognised: true,
    };
    linter.lint_file(
        certgate::LintInput {
            name: "bundle.pem",
            bytes: bundle.as_bytes(),
        },
        &opts,
    )
}

fn leaf_der() -> Vec<u8> {
    pem::parse(LEAF).unwrap().contents().to_vec()
}

fn has(found: &[(String, String)], rule: &str, words: &str) -> bool {
    found.iter().any(|(r, m)| r == rule && m.contains(words))
}

#[test]
fn a_ten_megabyte_field_is_refused_before_parsing() {
    let found = rules(cert("A".repeat(10 * 1024 * 1024)));
    assert!(
        has(&found, "field-too-long", "10,485,760 characters"),
        "{found:?}"
    );
    // Over certgate's cap for one PEM field: not checked (the cap is certgate's, not the
    // API's), never an error of its own.
    assert!(
        has(
            &found,
            "not checked: pem-malformed",
            "over the 4194304 bytes certgate reads as one PEM field"
        ),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(r, _)| r == "pem-malformed"),
        "{found:?}"
    );
}

#[test]
fn a_hundred_thousand_block_pem_is_bounded() {
    let block = "-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n";
    let found = rules(cert(block.repeat(100_000)));
    assert!(
        found.iter().any(|(r, _)| r == "not checked: pem-malformed"),
        "{found:?}"
    );
}

#[test]
fn many_small_blocks_under_the_size_cap_stop_at_the_block_cap() {
    let block = "-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n";
    let found = rules(cert(block.repeat(5_000)));
    assert!(
        found
            .iter()
            .any(|(r, m)| r == "not checked: pem-malformed" && m.contains("after block 1000")),
        "{found:?}"
    );
}

#[test]
fn deep_ber_nesting_is_a_der_finding() {
    let mut der = Vec::new();
    for _ in 0..50_000 {
        der.extend_from_slice(&[0x30, 0x80]);
    }
    let found = rules(cert(pem_of(&der)));
    assert!(found.iter().any(|(r, _)| r == "der-malformed"), "{found:?}");
}

#[test]
fn huge_declared_length_is_a_der_finding() {
    let der = [0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01];
    let found = rules(cert(pem_of(&der)));
    assert!(found.iter().any(|(r, _)| r == "der-malformed"), "{found:?}");
}

#[test]
fn trailing_data_after_a_certificate_is_reported() {
    let mut der = leaf_der();
    der.extend_from_slice(b"trailing");
    let found = rules(cert(pem_of(&der)));
    assert!(
        has(&found, "der-malformed", "8 bytes of extra data"),
        "{found:?}"
    );
}

#[test]
fn key_in_the_certificate_field_and_certificate_in_the_key_field() {
    let found = rules(json!({"certificate": {"certificate": KEY, "private_key": LEAF}}));
    assert!(
        has(
            &found,
            "pem-malformed",
            "a private key in the certificate field"
        ),
        "{found:?}"
    );
    assert!(
        has(
            &found,
            "pem-malformed",
            "a certificate in the private key field"
        ),
        "{found:?}"
    );
    // Even then, no key material is echoed.
    let body: String = KEY.lines().nth(1).unwrap().to_string();
    assert!(found.iter().all(|(_, m)| !m.contains(&body)));
}

#[test]
fn undecodable_xn_labels_and_control_characters_in_domains() {
    let found =
        rules(json!({"certificate": {"domain": "xn--zz--.example.com,a\u{1b}[31m.example.com"}}));
    assert!(found.iter().any(|(r, _)| r == "domain-idn"), "{found:?}");
    assert!(has(&found, "domain-label-chars", "\\u{1b}"), "{found:?}");
}

#[test]
fn truncations_of_a_real_certificate_never_panic() {
    let der = leaf_der();
    for cut in (0..der.len()).step_by(7) {
        let found = rules(cert(pem_of(der.get(..cut).unwrap())));
        assert!(
            found
                .iter()
                .any(|(r, _)| r == "der-malformed" || r == "pem-malformed"),
            "cut {cut}: {found:?}"
        );
    }
}

#[test]
fn wrong_empty_and_non_ascii_passwords_are_findings_that_never_echo_the_password() {
    let cat = Catalogue::builtin().unwrap();
    let profile = cat.profile("esri-portal-update").unwrap();
    let archive = include_bytes!("../corpus/esri/materials/rsa-chain-openssl3.p12");
    for password in ["", "пароль-密码", "certgate-test ", "wrong\u{0}nul"] {
        let doc = json!({"file": "upload.pfx", "password": password, "f": "json"});
        let mut request = Request::from_value(doc).unwrap();
        request.attach("/file", archive.to_vec());
        let report = certgate::check(
            profile,
            &request,
            time::macros::datetime!(2026-06-01 0:00 UTC),
        );
        let rendered = certgate::render::json::render(&report)
            + &certgate::render::human::render(&report, "upload.json", false);
        if password.is_empty() {
            assert!(
                report
                    .diagnostics
                    .iter()
                    .any(|d| d.rule == "password-required"),
                "{rendered}"
            );
        } else {
            assert!(
                report
                    .diagnostics
                    .iter()
                    .any(|d| d.rule == "pkcs12-password"),
                "{rendered}"
            );
            assert!(
                !rendered.contains(password),
                "the password appears in the output"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// The committed hostile corpus (`corpus/hostile/`, made by `corpus/gen/70-hostile.sh`):
// each file with its exact expected finding (rule, location, words of the message). The
// certificates are server.pem with one thing changed, re-signed by intermediate 2, and
// are uploaded as leaf + intermediate 2 + intermediate 1 with server.key: nothing but the
// hostile property is wrong, so nothing else may be reported at warning or above.

const INT2: &str = include_str!("../corpus/materials/int2-ca.pem");
const INT1: &str = include_str!("../corpus/materials/int1-ca.pem");

fn hostile_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/hostile")
        .join(name)
}

/// The whole report of `request` under `profile`, at 2026-06-01 with the test anchors.
fn report_of(profile: &str, request: &Request) -> certgate::Report {
    let cat = Catalogue::builtin().unwrap();
    certgate::check_with(
        cat.profile(profile).unwrap(),
        request,
        time::macros::datetime!(2026-06-01 0:00 UTC),
        &common::test_trust(),
    )
}

/// `(severity, rule, location, message)` of every finding above info.
fn findings_of(profile: &str, request: &Request) -> Vec<(String, String, String, String)> {
    report_of(profile, request)
        .diagnostics
        .into_iter()
        .filter(|d| d.severity.as_str() != "info")
        // Clients refuse these certificates too (tests/trust.rs covers the verdict);
        // here the findings that say why are pinned.
        .filter(|d| d.rule != "chain-untrusted")
        .map(|d| (d.severity.to_string(), d.rule, d.location, d.message))
        .collect()
}

/// The ELB request sending the hostile leaf `name` with the test intermediates, and
/// `key` (default server.key).
fn hostile_request(name: &str, key: Option<&str>) -> Request {
    let leaf = std::fs::read_to_string(hostile_path(&format!("{name}.pem"))).unwrap();
    let key = match key {
        Some(k) => std::fs::read_to_string(hostile_path(k)).unwrap(),
        None => KEY.to_string(),
    };
    let doc = json!({"certificate": {
        "certificate": format!("{leaf}{INT2}{INT1}"),
        "private_key": key,
        "domain": "www.example.com"
    }});
    Request::from_value(doc).unwrap()
}

/// [`findings_of`] the hostile leaf `name` as the ELB server chain.
fn hostile_chain(name: &str, key: Option<&str>) -> Vec<(String, String, String, String)> {
    findings_of("huawei-elb-v3", &hostile_request(name, key))
}

/// Asserts exactly these `(rule, location, words)` findings, in order.
fn assert_exactly(found: &[(String, String, String, String)], want: &[(&str, &str, &str)]) {
    assert_eq!(found.len(), want.len(), "{found:#?}");
    for ((_, rule, location, message), (r, l, words)) in found.iter().zip(want) {
        assert_eq!((rule.as_str(), location.as_str()), (*r, *l), "{found:#?}");
        assert!(message.contains(words), "{message:?} lacks {words:?}");
    }
}

const LEAF_AT: &str = "/certificate/certificate/0";

#[test]
fn explicit_ec_parameters_are_a_weak_key() {
    let found = hostile_chain("explicit-ec-params", Some("explicit-ec-params.key"));
    assert_exactly(
        &found,
        &[(
            "weak-key",
            LEAF_AT,
            "an EC key with explicit curve parameters instead of a named curve",
        )],
    );
    // The key cannot be compared, and says so: not checked, neither a mismatch nor a
    // warning (nothing is known to be wrong).
    let report = report_of(
        "huawei-elb-v3",
        &hostile_request("explicit-ec-params", Some("explicit-ec-params.key")),
    );
    let skipped: Vec<_> = report
        .not_checked
        .iter()
        .filter(|n| n.rule == "key-mismatch")
        .collect();
    assert_eq!(skipped.len(), 1, "{:#?}", report.not_checked);
    assert_eq!(skipped[0].location, "/certificate/private_key");
    assert!(
        skipped[0]
            .reason
            .contains("EC keys with explicit curve parameters are not supported"),
        "{}",
        skipped[0].reason
    );
}

#[test]
fn a_duplicate_extension_is_not_der_and_the_certificate_is_still_read() {
    // The first subjectAltName is read: the domain is covered, the key matches, and the
    // chain is not re-rooted at intermediate 2.
    assert_exactly(
        &hostile_chain("duplicate-extension", None),
        &[(
            "der-malformed",
            LEAF_AT,
            "has the subjectAltName (2.5.29.17) extension more than once; RFC 5280 allows each extension once",
        )],
    );
}

#[test]
fn an_unknown_critical_extension_is_named() {
    assert_exactly(
        &hostile_chain("unknown-critical-extension", None),
        &[(
            "unknown-critical-extension",
            LEAF_AT,
            "has a critical extension certgate does not recognise, 1.3.6.1.4.1.32473.1",
        )],
    );
    // The same certificate in a PKCS#12 archive (the warnings are OpenSSL 3's defaults).
    let found = archive_findings("pkcs12-unknown-critical-extension.p12");
    let errors: Vec<_> = found.iter().filter(|f| f.0 == "error").collect();
    assert_eq!(errors.len(), 1, "{found:#?}");
    assert_eq!(
        (errors[0].1.as_str(), errors[0].2.as_str()),
        ("unknown-critical-extension", "/file")
    );
    assert!(errors[0].3.contains("1.3.6.1.4.1.32473.1"), "{found:#?}");
}

#[test]
fn a_non_minimal_length_is_not_der() {
    assert_exactly(
        &hostile_chain("non-minimal-length", None),
        &[(
            "der-malformed",
            LEAF_AT,
            "is not DER: the length of the value at byte 13 is 2, written in 2 bytes where DER requires the one-byte short form",
        )],
    );
}

#[test]
fn utctime_and_generalizedtime_boundaries() {
    // UTCTime 50 is 1950 and 49 is 2049 (RFC 5280 4.1.2.5.1): valid now, both ways.
    assert_exactly(&hostile_chain("utctime-1950-to-2049", None), &[]);
    assert_exactly(&hostile_chain("generalizedtime-2050", None), &[]);
    assert_exactly(
        &hostile_chain("utctime-not-after-1950", None),
        &[(
            "cert-expired",
            LEAF_AT,
            "expired on 1950-01-02 00:00:00 UTC",
        )],
    );
    assert_exactly(
        &hostile_chain("utctime-not-before-2049", None),
        &[(
            "cert-not-yet-valid",
            LEAF_AT,
            "is not valid until 2049-12-31 23:59:59 UTC",
        )],
    );
    assert_exactly(
        &hostile_chain("generalizedtime-not-before-2050", None),
        &[(
            "cert-not-yet-valid",
            LEAF_AT,
            "is not valid until 2050-01-01 00:00:00 UTC",
        )],
    );
    assert_exactly(
        &hostile_chain("generalizedtime-fractional", None),
        &[(
            "der-malformed",
            LEAF_AT,
            "has notAfter written as GeneralizedTime \"20500101000000.5Z\"; RFC 5280 requires YYYYMMDDHHMMSSZ",
        )],
    );
}

#[test]
fn not_before_after_not_after_is_valid_at_no_time() {
    let inverted = "its notBefore 2030-01-01 00:00:00 UTC is after its notAfter 2025-01-01 00:00:00 UTC, so it is valid at no time";
    assert_exactly(
        &hostile_chain("validity-inverted", None),
        &[
            ("cert-expired", LEAF_AT, inverted),
            ("cert-not-yet-valid", LEAF_AT, inverted),
        ],
    );
}

fn archive_findings(name: &str) -> Vec<(String, String, String, String)> {
    let doc = json!({"file": "upload.pfx", "password": "certgate-test", "f": "json"});
    let mut request = Request::from_value(doc).unwrap();
    request.attach("/file", std::fs::read(hostile_path(name)).unwrap());
    findings_of("esri-portal-update", &request)
}

#[test]
fn pkcs12_without_content_is_damaged() {
    assert_exactly(
        &archive_findings("pkcs12-missing-content.p12"),
        &[(
            "pkcs12-required",
            "/file",
            "is a damaged PKCS#12 archive at byte 18: the authSafe's content ([0]: the archive's certificates and keys) is missing",
        )],
    );
}

#[test]
fn pkcs12_with_many_encrypted_safes_is_refused_before_any_derivation() {
    // 1,100 safes: over the container cap.
    assert_exactly(
        &archive_findings("pkcs12-many-encrypted-safes.p12"),
        &[(
            "pkcs12-required",
            "/file",
            "is refused: more than 1024 bags or containers",
        )],
    );
    // 64 safes of 65,536 iterations: each within the per-derivation cap, together over
    // the per-archive one. (The warnings are the archive's real traits: no MAC, AES.)
    let found = archive_findings("pkcs12-encrypted-safes-work.p12");
    assert_eq!(
        found.first().map(|f| (f.1.as_str(), f.3.as_str())),
        Some((
            "pkcs12-iterations",
            "refused before any key derivation: 64 password derivations total 4194304 iterations, above the cap of 4000000 per archive"
        )),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .skip(1)
            .all(|f| f.0 == "warning" && f.1 == "pkcs12-host-compat"),
        "{found:#?}"
    );
}

/// server.pem with its 2-byte serial number replaced (the signature no longer verifies,
/// which no per-certificate rule of a bundle checks): distinct certificates of one size.
fn with_serial(der: &[u8], serial: u16) -> Vec<u8> {
    let at = der
        .windows(7)
        .position(|w| w == [0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x02])
        .unwrap()
        + 7;
    let mut out = der.to_vec();
    out.splice(at..at + 2, serial.to_be_bytes());
    out
}

#[test]
fn a_ten_thousand_certificate_bundle_is_linted_with_each_finding_in_place() {
    // Generated here from one committed certificate: 10,000 PEM blocks are ~14 MB, too
    // large to commit. Distinct serials (so no duplicates), and the expired certificate
    // of the corpus at block 7,777.
    let der = leaf_der();
    let expired = include_str!("../corpus/materials/expired.pem");
    let mut bundle = String::new();
    for i in 0..10_000u16 {
        if i == 7_777 {
            bundle.push_str(expired);
        } else {
            bundle.push_str(&pem_of(&with_serial(&der, i + 1)));
        }
    }
    let found = lint_bundle(&bundle);
    let above_info: Vec<_> = found
        .iter()
        .filter(|d| d.severity.as_str() != "info")
        .map(|d| (d.rule.as_str(), d.location.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(above_info.len(), 1, "{above_info:#?}");
    assert_eq!(above_info[0].0, "cert-expired");
    assert_eq!(above_info[0].1, "bundle.pem#/7777");
    // Numbered in the file, not in the 16-certificate segment it was checked in.
    assert!(
        above_info[0].2.starts_with("certificate 7778 (")
            && above_info[0].2.contains("expired on 2026-01-01"),
        "{above_info:#?}"
    );
}

#[test]
fn negative_and_21_octet_serials() {
    let found = hostile_chain("serial-negative", None);
    assert_exactly(
        &found,
        &[(
            "der-malformed",
            LEAF_AT,
            "has a negative serial number (0x9003); RFC 5280 requires a positive integer",
        )],
    );
    // Go refuses it; no API is known to: a warning, not the instance's error.
    assert_eq!(found[0].0, "warning");
    // Clients read a 21-octet serial (rustls-webpki, OpenSSL): no warning or error, only
    // cert-issuance's info that the CA broke RFC 5280 4.1.2.2.
    assert_exactly(&hostile_chain("serial-21-octets", None), &[]);
    let report = report_of("huawei-elb-v3", &hostile_request("serial-21-octets", None));
    let serial: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("serial number"))
        .collect();
    assert_eq!(serial.len(), 1, "{serial:#?}");
    assert_eq!(
        (
            serial[0].rule.as_str(),
            serial[0].severity.as_str(),
            serial[0].location.as_str()
        ),
        ("cert-issuance", "info", LEAF_AT)
    );
    assert!(
        serial[0].message.contains(
            "has a serial number of 21 octets (0x01101112131415161718191a1b1c1d1e1f20212223); RFC 5280 allows at most 20"
        ),
        "{}",
        serial[0].message
    );
}

#[test]
fn deep_definite_length_nesting_is_a_der_finding() {
    // 10,000 SEQUENCEs inside each other with definite lengths (~38 KB of DER: under the
    // 64 KB certificate cap, so the parser itself meets the nesting).
    let mut der: Vec<u8> = Vec::new();
    for _ in 0..10_000 {
        let n = der.len();
        let mut head = vec![0x30];
        match n {
            0..=0x7f => head.push(n as u8),
            0x80..=0xff => head.extend([0x81, n as u8]),
            _ => head.extend([0x82, (n >> 8) as u8, n as u8]),
        }
        head.extend_from_slice(&der);
        der = head;
    }
    assert!(der.len() < 64 * 1024);
    let found = rules(cert(pem_of(&der)));
    assert!(
        has(
            &found,
            "der-malformed",
            "values nest more than 32 levels deep"
        ),
        "{found:?}"
    );
}

#[test]
fn nul_control_characters_and_invalid_utf8_in_names() {
    // A NUL inside the only SAN DNS name: www.example.com is not covered, and the name is
    // shown with the NUL escaped, not cut at it.
    assert_exactly(
        &hostile_chain("san-nul", None),
        &[(
            "domain-not-in-certificate",
            "/certificate/domain/0",
            "the certificate covers \"www.example.com\\u{0}.evil.example\"",
        )],
    );
    // Control characters in the CN are escaped wherever the name is shown.
    let found = hostile_chain("cn-control", None);
    assert_exactly(
        &found,
        &[
            ("no-san", LEAF_AT, "\"CN=www.example.com\\u{1b}[31m\\u{7}\""),
            (
                "domain-not-in-certificate",
                "/certificate/domain/0",
                "no DNS names in subjectAltName",
            ),
        ],
    );
    assert!(found.iter().all(|f| !f.3.contains('\u{1b}')));
    // A UTF8String that is not UTF-8.
    assert_exactly(
        &hostile_chain("cn-invalid-utf8", None),
        &[(
            "der-malformed",
            LEAF_AT,
            "(\"(a name whose values do not decode)\") has a UTF8String at byte 145 that is not UTF-8 (0x7777772efffe2e6578616d706c652e63…)",
        )],
    );
}

#[test]
fn a_bundle_reports_repeated_certificates_wherever_they_are() {
    // 100 certificates (a bundle: no chain analysis); block 80 repeats block 5 with
    // other line breaks, block 99 repeats it as it is. Segments are 16 certificates, so
    // the repeats are in other segments than the original.
    let der = leaf_der();
    let mut blocks: Vec<String> = (0..100u16)
        .map(|i| pem_of(&with_serial(&der, i + 1)))
        .collect();
    let rewrapped: String = blocks[5]
        .lines()
        .map(|l| {
            if l.starts_with("-----") {
                format!("{l}\n")
            } else {
                l.chars()
                    .collect::<Vec<_>>()
                    .chunks(76)
                    .map(|c| c.iter().collect::<String>() + "\r\n")
                    .collect()
            }
        })
        .collect();
    blocks[80] = rewrapped;
    blocks[99] = blocks[5].clone();
    let bundle = blocks.concat();
    let found = lint_bundle(&bundle);
    let dups: Vec<_> = found
        .iter()
        .filter(|d| d.rule == "chain-duplicate")
        .map(|d| (d.location.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        dups,
        [
            ("bundle.pem#/80", "certificate 81 repeats certificate 6"),
            ("bundle.pem#/99", "certificate 100 repeats certificate 6"),
        ]
    );
}
