//! `certgate fix --intermediates FILE`: the intermediates a client's path takes from the
//! bundle and the upload lacks are put in the chain, each right after the certificate it
//! issues, in JSON and TOML, inline and `{"file"}` fields; `check` on the output no
//! longer reports them.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{AT, TEST_ROOTS, TempDir, certgate, root};

fn material(name: &str) -> String {
    std::fs::read_to_string(root().join("corpus/materials").join(name)).unwrap()
}

/// The CA's chain download, in the "wrong" order (the root's child first): fix takes the
/// order from the path, not from the bundle.
fn bundle(tmp: &TempDir) -> PathBuf {
    let path = tmp.path("ca-chain.pem");
    std::fs::write(&path, material("int1-ca.pem") + &material("int2-ca.pem")).unwrap();
    path
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn fix(doc: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "fix",
        "-p",
        "huawei-elb-v3",
        doc.to_str().unwrap(),
        "--at",
        AT,
    ];
    args.extend_from_slice(extra);
    certgate(&args)
}

fn fix_with_bundle(doc: &Path, bundle: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "--trust",
        TEST_ROOTS,
        "--intermediates",
        bundle.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    fix(doc, &args)
}

/// The chain-untrusted messages of `check --intermediates bundle` on `doc`.
fn untrusted(doc: &Path, bundle: &Path) -> Vec<String> {
    let o = certgate(&[
        "check",
        "-p",
        "huawei-elb-v3",
        doc.to_str().unwrap(),
        "--at",
        AT,
        "--intermediates",
        bundle.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "chain-untrusted")
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect()
}

fn json_doc(certificate: &serde_json::Value) -> String {
    serde_json::to_string_pretty(&serde_json::json!({
        "certificate": {
            "type": "server",
            "name": "web-1",
            "certificate": certificate,
            "domain": "www.example.com",
        }
    }))
    .unwrap()
        + "\n"
}

fn certificate_of(text: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    v["certificate"]["certificate"]
        .as_str()
        .unwrap()
        .to_string()
}

const INT2: &str = "\"CN=certgate Test Intermediate CA 2, O=certgate corpus\"";
const INT1: &str = "\"CN=certgate Test Intermediate CA 1, O=certgate corpus\"";

#[test]
fn json_inline_leaf_gains_both_intermediates_in_path_order() {
    let tmp = TempDir::new("fixint-json");
    let bundle = bundle(&tmp);
    let doc = tmp.path("request.json");
    std::fs::write(&doc, json_doc(&material("server.pem").into())).unwrap();
    let before = untrusted(&doc, &bundle);
    assert_eq!(before.len(), 2, "{before:?}");

    let out = tmp.path("fixed.json");
    let o = fix_with_bundle(&doc, &bundle, &["-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written = std::fs::read_to_string(&out).unwrap();
    // Leaf, then its issuer Intermediate CA 2, then CA 1: the path, not the bundle order.
    assert_eq!(certificate_of(&written), material("server-chain.pem"));
    // Only the certificate value changed.
    let mut expected: serde_json::Value = serde_json::from_str(&json_doc(&"X".into())).unwrap();
    expected["certificate"]["certificate"] = material("server-chain.pem").into();
    assert_eq!(
        written,
        serde_json::to_string_pretty(&expected).unwrap() + "\n"
    );

    let log = stderr(&o);
    let bundle_name = format!("{:?}", bundle.display().to_string());
    let first = log
        .find(&format!(
            "appended the intermediate {INT2} (issued by {INT1}, key identifier 40:D4:0F:6D:15:23:12:DE:60:DD:3D:10:57:C7:86:E2:0F:E9:1D:65) from {bundle_name} as certificate 2, right after \"CN=www.example.com, O=certgate corpus, OU=server\", which it issues"
        ))
        .unwrap_or_else(|| panic!("{log}"));
    let second = log
        .find(&format!(
            "appended the intermediate {INT1} (issued by \"CN=certgate Test Root CA, O=certgate corpus\", key identifier AA:D2:D9:A4:BF:82:1E:36:E7:74:AF:3D:78:EE:9D:1B:88:20:17:86) from {bundle_name} as certificate 3, right after {INT2}"
        ))
        .unwrap_or_else(|| panic!("{log}"));
    assert!(first < second, "{log}");
    // The leaf was normalised PEM already: only the additions are reported.
    assert!(!log.contains("normalised"), "{log}");

    // Round trip: the client verdict no longer needs the bundle.
    assert_eq!(untrusted(&out, &bundle), Vec::<String>::new());
}

#[test]
fn a_missing_middle_goes_between_the_certificates_it_links() {
    let tmp = TempDir::new("fixint-middle");
    let bundle = bundle(&tmp);
    let doc = tmp.path("request.json");
    // Leaf and CA 1, CA 2 (the leaf's issuer) missing; the root sent too.
    let sent = material("server.pem") + &material("int1-ca.pem") + &material("root-ca.pem");
    std::fs::write(&doc, json_doc(&sent.into())).unwrap();

    let o = fix_with_bundle(&doc, &bundle, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        certificate_of(&String::from_utf8_lossy(&o.stdout)),
        material("server-chain-with-root.pem"),
        "CA 2 right after the leaf it issues, before CA 1 and the root"
    );
    let log = stderr(&o);
    assert!(
        log.contains(&format!("appended the intermediate {INT2}"))
            && log.contains("as certificate 2"),
        "{log}"
    );
    assert!(
        !log.contains(&format!("appended the intermediate {INT1}")),
        "{log}"
    );
}

#[test]
fn the_root_stays_last() {
    let tmp = TempDir::new("fixint-root");
    let bundle = bundle(&tmp);
    let doc = tmp.path("request.json");
    let sent = material("server.pem") + &material("root-ca.pem");
    std::fs::write(&doc, json_doc(&sent.into())).unwrap();

    let o = fix_with_bundle(&doc, &bundle, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        certificate_of(&String::from_utf8_lossy(&o.stdout)),
        material("server-chain-with-root.pem")
    );
}

#[test]
fn toml_file_reference_is_written_inline_and_stays_toml() {
    let tmp = TempDir::new("fixint-toml");
    let bundle = bundle(&tmp);
    std::fs::write(tmp.path("leaf.pem"), material("server.pem")).unwrap();
    let head = "# ELB update\n[certificate]\ntype = \"server\"   # the usual\nname = 'web-1'\ncertificate =";
    let tail = "   # only the leaf\ndomain = \"www.example.com\"\n";
    let text = format!("{head} {{ file = \"leaf.pem\" }}{tail}");
    let doc = tmp.path("request.toml");
    std::fs::write(&doc, &text).unwrap();
    let out = tmp.path("fixed.toml");

    let o = fix_with_bundle(&doc, &bundle, &["-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.starts_with(head), "{written}");
    assert!(written.ends_with(tail), "{written}");
    let value = &written[head.len()..written.len() - tail.len()];
    let parsed: toml::Table = toml::from_str(&format!("v ={value}")).unwrap();
    assert_eq!(
        parsed["v"].as_str(),
        Some(material("server-chain.pem").as_str())
    );
    let log = stderr(&o);
    assert!(
        log.contains(&format!("appended the intermediate {INT2}")),
        "{log}"
    );
    assert!(
        log.contains("wrote it inline in place of the reference to \"leaf.pem\""),
        "{log}"
    );
    // The referenced file is never written.
    assert_eq!(
        std::fs::read_to_string(tmp.path("leaf.pem")).unwrap(),
        material("server.pem")
    );
    assert_eq!(untrusted(&out, &bundle), Vec::<String>::new());
}

#[test]
fn json_file_reference_is_written_inline() {
    let tmp = TempDir::new("fixint-json-ref");
    let bundle = bundle(&tmp);
    std::fs::write(tmp.path("leaf.pem"), material("server.pem")).unwrap();
    let doc = tmp.path("request.json");
    std::fs::write(&doc, json_doc(&serde_json::json!({"file": "leaf.pem"}))).unwrap();
    let out = tmp.path("fixed.json");

    let o = fix_with_bundle(&doc, &bundle, &["-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(certificate_of(&written), material("server-chain.pem"));
    assert_eq!(untrusted(&out, &bundle), Vec::<String>::new());
}

#[test]
fn a_complete_chain_has_nothing_to_fix() {
    let tmp = TempDir::new("fixint-nothing");
    let bundle = bundle(&tmp);
    let doc = tmp.path("request.json");
    std::fs::write(&doc, json_doc(&material("server-chain.pem").into())).unwrap();
    let out = tmp.path("fixed.json");

    let o = fix_with_bundle(&doc, &bundle, &["-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("nothing to fix"), "{}", stderr(&o));
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn without_the_bundle_nothing_is_added() {
    let tmp = TempDir::new("fixint-nobundle");
    let doc = tmp.path("request.json");
    std::fs::write(&doc, json_doc(&material("server.pem").into())).unwrap();
    // --trust alone brings no intermediate.
    let o = fix(&doc, &["--trust", TEST_ROOTS]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("nothing to fix"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

#[test]
fn a_path_to_no_anchor_adds_nothing_and_says_why() {
    let tmp = TempDir::new("fixint-untrusted");
    let bundle = bundle(&tmp);
    let doc = tmp.path("request.json");
    std::fs::write(&doc, json_doc(&material("server.pem").into())).unwrap();
    // Mozilla's roots (the default) do not include the corpus's test root.
    let o = fix(&doc, &["--intermediates", bundle.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let log = stderr(&o);
    assert!(
        log.contains("no intermediate appended: clients that trust Mozilla's root program"),
        "{log}"
    );
    assert!(log.contains("nothing to fix"), "{log}");
    assert!(o.stdout.is_empty());
}

#[test]
fn a_client_ca_field_is_not_completed() {
    let tmp = TempDir::new("fixint-client");
    let bundle = bundle(&tmp);
    let doc = tmp.path("request.json");
    let text = serde_json::to_string_pretty(&serde_json::json!({
        // A leaf where a CA belongs: check's client-cert-not-ca, not a chain to complete.
        "certificate": {"type": "client", "name": "ca", "certificate": material("server.pem")}
    }))
    .unwrap();
    std::fs::write(&doc, text).unwrap();
    let o = fix_with_bundle(&doc, &bundle, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("nothing to fix"), "{}", stderr(&o));
}

#[test]
fn the_library_completes_only_with_a_trust() {
    let catalogue = certgate::Catalogue::builtin().unwrap();
    let profile = catalogue.profile("huawei-elb-v3").unwrap();
    let text = json_doc(&material("server.pem").into());
    let request = certgate::Request::parse(&text, None).unwrap();
    let at =
        time::OffsetDateTime::parse(AT, &time::format_description::well_known::Rfc3339).unwrap();

    let plain = certgate::fix(profile, request.root(), &request);
    assert!(plain.changes.is_empty(), "{:?}", plain.changes);

    let ders = pem::parse_many(material("int1-ca.pem") + &material("int2-ca.pem"))
        .unwrap()
        .into_iter()
        .map(|p| p.into_contents())
        .collect();
    let trust = common::test_trust().with_intermediates("ca-chain.pem", ders);
    let fixed = certgate::fix_with(profile, request.root(), &request, &trust, at);
    assert_eq!(fixed.changes.len(), 2, "{:?}", fixed.changes);
    assert!(
        fixed
            .changes
            .iter()
            .all(|(p, _)| p == "/certificate/certificate")
    );
    assert_eq!(
        fixed.document["certificate"]["certificate"].as_str(),
        Some(material("server-chain.pem").as_str())
    );
    let out = certgate::apply_edits(&text, certgate::Format::Json, &fixed.edits).unwrap();
    let again = certgate::Request::parse(&out, None).unwrap();
    let report = certgate::check_with(profile, &again, at, &trust);
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.rule == "chain-untrusted"),
        "{:?}",
        report.diagnostics
    );
}
