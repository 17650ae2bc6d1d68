//! Unit tests of a field declared once per form (`when` on a `[[field]]`) and of the
//! `key-and-certificates` material: one PEM text read as certificates and as their key.

use super::kind_tests::material;
use crate::Catalogue;
use crate::report::Diagnostic;

/// `/bundle` is PEM text holding a key and its certificates when `/form` is `pem` (the
/// default), a base64 PKCS#12 archive when it is `pfx`.
const FIELDS: &str = r#"
[vars.form]
pointer = "/form"
default = "pem"

[[field]]
pointer = "/bundle"
material = "key-and-certificates"
server-leaf = {}
when = { form = "pem" }

[[field]]
pointer = "/bundle"
material = "pkcs12"
encoding = "base64"
when = { form = "pfx" }
"#;

const RULES: &str = r#"
[[rule]]
id = "pem-malformed"
kind = "pem-malformed"
applies = "pem"
severity = "error"
basis = "inferred"
summary = "s"
help = "h"

[[rule]]
id = "key-mismatch"
kind = "key-mismatch"
applies = "private-key"
severity = "error"
basis = "inferred"
summary = "s"
help = "h"

[[rule]]
id = "chain-broken"
kind = "chain-broken"
applies = "server-leaf"
severity = "error"
basis = "inferred"
summary = "s"
help = "h"

[[rule]]
id = "key-encoding"
kind = "key-encoding"
at = "/bundle"
allowed = ["pkcs8"]
severity = "error"
basis = "inferred"
summary = "s"
help = "h"
"#;

fn profile(fields: &str) -> String {
    format!(
        "[profile]\nid = \"t\"\ntitle = \"t\"\nendpoint = \"POST /\"\n\
         seed = \"rfc5280\"\nrevision = \"1\"\n{fields}\n{RULES}"
    )
}

/// The diagnostics of the test profile on `body`.
fn check(body: serde_json::Value) -> Vec<Diagnostic> {
    let text = profile(FIELDS);
    let catalogue = Catalogue::from_files(&[("t.toml", &text)]).expect("the test profile loads");
    let profile = catalogue.profile("t").expect("the test profile");
    let request = crate::Request::parse(&body.to_string(), None).expect("a JSON body");
    let at = time::macros::datetime!(2026-06-01 0:00 UTC);
    crate::check(profile, &request, at).diagnostics
}

fn rules(ds: &[Diagnostic]) -> Vec<&str> {
    ds.iter().map(|d| d.rule.as_str()).collect()
}

fn bundle(text: String) -> serde_json::Value {
    serde_json::json!({ "bundle": text })
}

#[test]
fn key_and_chain_in_one_text_is_clean_in_either_order() {
    let (key, chain) = (material("server.key"), material("server-chain.pem"));
    assert!(check(bundle(key.clone() + &chain)).is_empty());
    assert!(check(bundle(chain + &key)).is_empty());
}

#[test]
fn a_bundle_without_its_key_or_its_certificates_is_malformed() {
    let no_key = check(bundle(material("server-chain.pem")));
    assert_eq!(rules(&no_key), ["pem-malformed"]);
    assert!(
        no_key[0].message.contains("no private key block"),
        "{no_key:?}"
    );
    let no_certs = check(bundle(material("server.key")));
    assert_eq!(rules(&no_certs), ["pem-malformed"]);
    assert!(
        no_certs[0].message.contains("no CERTIFICATE block"),
        "{no_certs:?}"
    );
}

#[test]
fn a_second_key_and_a_foreign_block_are_reported() {
    let two = check(bundle(
        material("server.key") + &material("other-rsa.key") + &material("server-chain.pem"),
    ));
    assert!(
        two.iter().any(|d| d.message.contains("1 more private key")),
        "{two:?}"
    );
    let csr = "-----BEGIN CERTIFICATE REQUEST-----\nMAA=\n-----END CERTIFICATE REQUEST-----\n";
    let foreign = check(bundle(
        material("server.key") + &material("server-chain.pem") + csr,
    ));
    assert!(
        foreign.iter().any(|d| d
            .message
            .contains("takes PRIVATE KEY and CERTIFICATE blocks")),
        "{foreign:?}"
    );
}

#[test]
fn the_key_is_matched_against_the_leaf_of_the_same_text() {
    let ds = check(bundle(
        material("other-rsa.key") + &material("server-chain.pem"),
    ));
    assert_eq!(rules(&ds), ["key-mismatch"]);
    assert_eq!(ds[0].location, "/bundle");
}

#[test]
fn the_key_rules_read_the_key_and_the_chain_rules_the_certificates() {
    let pkcs1 = check(bundle(
        material("server-pkcs1.key") + &material("server-chain.pem"),
    ));
    assert_eq!(rules(&pkcs1), ["key-encoding"]);
    let gap = check(bundle(
        material("server.key") + &material("server-chain-missing-middle.pem"),
    ));
    assert_eq!(rules(&gap), ["chain-broken"]);
    assert_eq!(gap[0].location, "/bundle/0");
}

#[test]
fn the_declaration_whose_condition_holds_decides_the_material() {
    // Read as an archive, PEM text with a foreign key is no bundle: no PEM or key rule
    // runs (the archive does not decode; no rule here says so).
    let body = serde_json::json!({
        "form": "pfx",
        "bundle": material("other-rsa.key") + &material("server-chain.pem"),
    });
    assert!(check(body).is_empty());
    // A form neither declaration names leaves the field undeclared.
    let body = serde_json::json!({ "form": "other", "bundle": material("server-chain.pem") });
    assert!(check(body).is_empty());
}

#[test]
fn one_pointer_declared_twice_needs_exclusive_conditions() {
    let overlapping = FIELDS.replace(
        "when = { form = \"pfx\" }",
        "when = { form = [\"pfx\", \"pem\"] }",
    );
    let err = Catalogue::from_files(&[("t.toml", &profile(&overlapping))]).unwrap_err();
    assert!(err.detail.contains("declared twice"), "{err}");
    let unconditional = FIELDS.replace("when = { form = \"pfx\" }\n", "");
    assert!(Catalogue::from_files(&[("t.toml", &profile(&unconditional))]).is_err());
    assert!(Catalogue::from_files(&[("t.toml", &profile(FIELDS))]).is_ok());
}
