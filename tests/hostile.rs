//! Hostile input through the whole engine: each case ends with a clear finding (and no
//! panic). Inputs are built here deterministically; none is random.

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
    report
        .diagnostics
        .into_iter()
        .map(|d| (d.rule, d.message))
        .collect()
}

fn cert(certificate: String) -> serde_json::Value {
    json!({"certificate": {"certificate": certificate, "private_key": KEY, "domain": "www.example.com"}})
}

fn pem_of(der: &[u8]) -> String {
    pem::encode(&pem::Pem::new("CERTIFICATE", der.to_vec()))
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
    assert!(
        has(&found, "pem-malformed", "does not parse PEM fields over"),
        "{found:?}"
    );
}

#[test]
fn a_hundred_thousand_block_pem_is_bounded() {
    let block = "-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n";
    let found = rules(cert(block.repeat(100_000)));
    assert!(found.iter().any(|(r, _)| r == "pem-malformed"), "{found:?}");
}

#[test]
fn many_small_blocks_under_the_size_cap_stop_at_the_block_cap() {
    let block = "-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n";
    let found = rules(cert(block.repeat(5_000)));
    assert!(
        found
            .iter()
            .any(|(r, m)| r == "pem-malformed" && m.contains("1000")),
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
