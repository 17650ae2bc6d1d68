//! The client verdict (`chain-untrusted`): Mozilla's roots by default, `--trust` for
//! other anchors, `--intermediates` to name what the upload lacks.

mod common;

use std::process::Command;

use common::{AT, TEST_ROOTS, root, stdout};

/// `certgate` without the tests' default `--trust` (common::certgate adds it).
fn raw(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_certgate"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// `check -p huawei-elb-v3 DOC --at AT -f json EXTRA...`, without the tests' default
/// anchors.
fn checked(doc: &str, extra: &[&str]) -> std::process::Output {
    checked_as("huawei-elb-v3", doc, extra)
}

/// [`checked`] for another profile.
fn checked_as(profile: &str, doc: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["check", "-p", profile, doc, "--at", AT, "-f", "json"];
    args.extend_from_slice(extra);
    raw(&args)
}

/// `lint PATH --at AT -f json EXTRA...`, without the tests' default anchors.
fn linted(path: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["lint", path, "--at", AT, "-f", "json"];
    args.extend_from_slice(extra);
    raw(&args)
}

fn untrusted(o: &std::process::Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "chain-untrusted")
        .map(|d| format!("{}: {}", d["severity"], d["message"].as_str().unwrap()))
        .collect()
}

const TYPICAL: &str = "corpus/huawei-elb-v3/pass-typical.json";
const LEAF_ONLY: &str = "corpus/huawei-elb-v3/fail-chain-untrusted-missing-intermediate.json";

#[test]
fn mozillas_roots_are_the_default_and_the_bundle_is_named() {
    let o = checked(TYPICAL, &[]);
    assert_eq!(o.status.code(), Some(0), "a warning: the API accepts it");
    let found = untrusted(&o);
    assert_eq!(found.len(), 1, "{found:?}");
    let m = &found[0];
    assert!(m.starts_with("\"warning\""), "{m}");
    assert!(
        m.contains("Mozilla's root program (webpki-root-certs 1.0.12, published 2026-11-10,"),
        "{m}"
    );
    // Where the path stops: the last certificate reached and its authority key id.
    assert!(
        m.contains("the path stops at \"CN=certgate Test Intermediate CA 1"),
        "{m}"
    );
    assert!(m.contains("authority key identifier"), "{m}");
    let version = stdout(&raw(&["--version"]));
    assert!(
        version.contains("webpki-root-certs 1.0.12, published 2026-11-10"),
        "{version}"
    );
}

/// The bundle named in every trust finding is the one Cargo.lock builds: a version bump
/// without a new date (crates.io's publication day) fails here.
#[test]
fn the_named_bundle_is_the_locked_one() {
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock"))
        .expect("Cargo.lock");
    let locked = lock
        .split("[[package]]")
        .find(|p| p.contains("name = \"webpki-root-certs\""))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
        .map(|v| v.trim_matches('"').to_string())
        .expect("webpki-root-certs in Cargo.lock");
    assert!(
        certgate::MOZILLA_BUNDLE.starts_with(&format!("webpki-root-certs {locked}, published ")),
        "Cargo.lock has webpki-root-certs {locked}: update MOZILLA_BUNDLE (version and crates.io publication date)"
    );
}

#[test]
fn a_private_root_given_with_trust_validates_the_chain() {
    let o = checked(TYPICAL, &["--trust", TEST_ROOTS]);
    assert!(untrusted(&o).is_empty(), "{}", stdout(&o));
    // Mozilla's roots and the private one together.
    let o = checked(TYPICAL, &["--trust", "mozilla", "--trust", TEST_ROOTS]);
    assert!(untrusted(&o).is_empty(), "{}", stdout(&o));
}

#[test]
fn a_leaf_without_its_intermediates_stops_at_the_leaf() {
    let o = checked(LEAF_ONLY, &["--trust", TEST_ROOTS]);
    let found = untrusted(&o);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("the path stops at \"CN=www.example.com")
            && found[0].contains("whose issuer \"CN=certgate Test Intermediate CA 2"),
        "{found:?}"
    );
}

#[test]
fn intermediates_name_what_the_upload_lacks() {
    let bundle = std::env::temp_dir().join(format!("certgate-ints-{}.pem", std::process::id()));
    let mut text = std::fs::read_to_string(root().join("corpus/materials/int2-ca.pem")).unwrap();
    text.push_str(&std::fs::read_to_string(root().join("corpus/materials/int1-ca.pem")).unwrap());
    std::fs::write(&bundle, text).unwrap();
    let o = checked(
        LEAF_ONLY,
        &[
            "--trust",
            TEST_ROOTS,
            "--intermediates",
            bundle.to_str().unwrap(),
        ],
    );
    let found = untrusted(&o);
    assert_eq!(found.len(), 2, "one per missing intermediate: {found:?}");
    for name in ["CA 2", "CA 1"] {
        let needle = format!("only with the intermediate \"CN=certgate Test Intermediate {name}");
        assert!(found.iter().any(|m| m.contains(&needle)), "{found:?}");
    }
    assert!(
        found.iter().all(|m| m.contains("certgate-ints-")),
        "{found:?}"
    );
}

#[test]
fn lint_gives_the_same_verdict() {
    let o = linted("corpus/materials/server.pem", &["--trust", TEST_ROOTS]);
    let found = untrusted(&o);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("the path stops at"), "{found:?}");
    let o = linted(
        "corpus/materials/server-chain.pem",
        &["--trust", TEST_ROOTS],
    );
    assert!(untrusted(&o).is_empty(), "{}", stdout(&o));
}

#[test]
fn bad_trust_flags_are_exit_2_naming_the_flag() {
    let o = raw(&[
        "check",
        "-p",
        "huawei-elb-v3",
        TYPICAL,
        "--trust",
        "no-such.pem",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--trust no-such.pem"));
    let o = raw(&[
        "check",
        "-p",
        "huawei-elb-v3",
        TYPICAL,
        "--intermediates",
        "corpus/huawei-elb-v3/pass-typical.json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--intermediates"));
}

/// The README's recipe: "publicly trusted or fail".
#[test]
fn chain_untrusted_can_be_made_an_error() {
    let dir = common::tempdir("cfg");
    let config = dir.join("certgate.toml");
    std::fs::write(
        &config,
        "[rules]\nseverity = { chain-untrusted = \"error\" }\n",
    )
    .unwrap();
    let o = raw(&[
        "check",
        "-p",
        "huawei-elb-v3",
        TYPICAL,
        "--at",
        AT,
        "--config",
        config.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("error[chain-untrusted]"),
        "{}",
        stdout(&o)
    );
}

/// The domain list is matched as clients match it (rustls-webpki's name check): one
/// whole leftmost label per wildcard, A-labels, case-insensitive, SM2 certificates too;
/// a name no client could connect to falls back to certgate's own matcher (`None`).
#[test]
fn domain_names_are_matched_as_clients_match_them() {
    let pem = std::fs::read("corpus/materials/server.pem").unwrap();
    let der = pem::parse(&pem).unwrap().into_contents();
    let covers = |n: &str| certgate::harness::internals::leaf_covers(&der, &[n])[0];
    assert_eq!(covers("www.example.com"), Some(true));
    assert_eq!(covers("WWW.Example.COM."), Some(true));
    assert_eq!(covers("a.api.example.com"), Some(true));
    assert_eq!(covers("a.b.api.example.com"), Some(false), "one label only");
    assert_eq!(
        covers("api.example.com"),
        Some(false),
        "not the bare domain"
    );
    assert_eq!(covers("*.api.example.com"), Some(true));
    assert_eq!(
        covers("*.example.com"),
        Some(false),
        "no SAN covers every host"
    );
    assert_eq!(covers("xn--bcher-kva.example.com"), Some(true));
    assert_eq!(covers("other.example.org"), Some(false));
    let sm2 = std::fs::read("corpus/materials/sm2-sign.pem").unwrap();
    let sm2 = pem::parse(&sm2).unwrap().into_contents();
    assert_eq!(
        certgate::harness::internals::leaf_covers(&sm2, &["www.example.com"])[0],
        Some(true)
    );
    assert_eq!(covers("www example.com"), None);
}

/// A self-signed server certificate is named as such, not as a chain missing its
/// intermediates (the advice "send the intermediates" would mislead), whether or not it
/// claims to be a CA (`openssl req -x509` makes CA certificates by default).
#[test]
fn a_self_signed_server_certificate_is_named_self_signed() {
    let acm = |doc: &str, extra: &[&str]| untrusted(&checked_as("aws-acm-import", doc, extra));
    const SELF_SIGNED: &str = "corpus/aws-acm-import/pass-no-chain-self-signed.json";
    let found = acm(SELF_SIGNED, &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .contains("the server certificate is self-signed: only clients that have it installed"),
        "{found:?}"
    );
    assert!(!found[0].contains("no path"), "{found:?}");
    // Installed as the client's anchor, it is trusted.
    let trusted = acm(
        SELF_SIGNED,
        &["--trust", "corpus/materials/selfsigned-not-ca.pem"],
    );
    assert!(trusted.is_empty(), "{trusted:?}");

    let dir = common::tempdir("self-signed-ca");
    let doc = dir.join("ca.json");
    std::fs::write(
        &doc,
        serde_json::json!({"Certificate": {"file": root().join("corpus/materials/root-ca.pem")},
                           "PrivateKey": {"file": root().join("corpus/materials/root-ca.key")}})
        .to_string(),
    )
    .unwrap();
    let found = acm(doc.to_str().unwrap(), &[]);
    assert!(
        found
            .iter()
            .any(|m| m.contains("self-signed and a CA certificate (basicConstraints cA=TRUE)")),
        "{found:?}"
    );
    // leaf-is-ca says how such a certificate is usually made, and how not to.
    let o = checked_as("aws-acm-import", doc.to_str().unwrap(), &[]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let leaf_is_ca: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "leaf-is-ca")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(leaf_is_ca.len(), 1, "{leaf_is_ca:?}");
    assert!(
        leaf_is_ca[0].contains("is a self-signed CA certificate")
            && leaf_is_ca[0].contains("-addext basicConstraints=critical,CA:FALSE"),
        "{leaf_is_ca:?}"
    );
    // An issued leaf sent alone still reads as a missing issuer.
    let leaf_only = untrusted(&checked(LEAF_ONLY, &[]));
    assert!(!leaf_only.is_empty(), "{leaf_only:?}");
    assert!(
        leaf_only.iter().all(|m| !m.contains("self-signed")),
        "{leaf_only:?}"
    );
}
