//! `certgate fix` as a user runs it: the document's own text is edited (only the fixed
//! values change), its format is kept, file paths follow the output to another folder,
//! and nothing is written when there is nothing to fix.

mod common;

use std::path::Path;
use std::process::Output;

use common::{AT, TempDir, certgate, root};

fn material(name: &str) -> String {
    std::fs::read_to_string(root().join("corpus/materials").join(name)).unwrap()
}

fn fix(doc: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["fix", "-p", "huawei-elb-v3", doc.to_str().unwrap()];
    args.extend_from_slice(extra);
    certgate(&args)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn check_json(doc: &Path) -> (Option<i32>, Vec<String>) {
    let o = certgate(&[
        "check",
        "-p",
        "huawei-elb-v3",
        doc.to_str().unwrap(),
        "--at",
        AT,
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rules = report["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| d["rule"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default();
    (o.status.code(), rules)
}

#[test]
fn json_keeps_every_byte_but_the_fixed_values() {
    let tmp = TempDir::new("fix-json-bytes");
    let a = tmp.folder("a");
    let b = tmp.folder("b");
    std::fs::write(a.join("key.pem"), material("server.key")).unwrap();
    // Odd spacing, tabs, CRLF, an unusual key order, an escaped key and a value that
    // serde_json would print differently (`1.50`, `\u00e9`).
    let head = "{\r\n\t\"certificate\" :{  \"type\":\"server\" ,\"name\"   :  \"caf\\u00e9-1\",\n   \"certificate\":";
    let middle = ",\n\n\t\"private_key\": {\"file\" :  ";
    let tail = "}, \"domain\":\"www.example.com\"},\"x\": [1.50, {\"k\": null}]   }\n";
    let chain = serde_json::to_string(&material("server-chain-reversed.pem")).unwrap();
    let text = format!("{head}{chain}{middle}\"key.pem\"{tail}");
    let doc = a.join("request.json");
    std::fs::write(&doc, &text).unwrap();
    let out = b.join("fixed.json");

    let o = fix(&doc, &["-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written = std::fs::read_to_string(&out).unwrap();
    let fixed_chain = serde_json::to_string(&material("server-chain.pem")).unwrap();
    assert_eq!(
        written,
        format!("{head}{fixed_chain}{middle}\"../a/key.pem\"{tail}"),
        "only the chain and the key's path may change"
    );
    let log = stderr(&o);
    assert!(log.contains("reordered"), "{log}");
    assert!(
        log.contains(
            r#"rewrote the file path "key.pem" as "../a/key.pem", relative to the output's folder"#
        ),
        "{log}"
    );
    let (code, rules) = check_json(&out);
    assert_eq!(code, Some(0), "{rules:?}");
    assert!(!rules.iter().any(|r| r == "chain-order"), "{rules:?}");
}

#[test]
fn toml_stays_toml_with_its_comments() {
    let tmp = TempDir::new("fix-toml");
    let a = tmp.folder("a");
    std::fs::write(a.join("chain.pem"), material("server-chain-reversed.pem")).unwrap();
    let head = "# ELB update, kept by hand\n[certificate]\ntype   =  \"server\"   # the usual\nname = 'web-1'\n  # the chain, wrong way round\ncertificate =";
    let tail = "   # from the CA\nprivate_key.file = \"key.pem\"\n\n[certificate.extra]\nz = 1\na = [ 2,1 ]\n";
    let text = format!("{head} {{ file = \"chain.pem\" }}{tail}");
    std::fs::write(a.join("key.pem"), material("server.key")).unwrap();
    let doc = a.join("request.toml");
    std::fs::write(&doc, &text).unwrap();
    let out = a.join("fixed.toml");

    let o = fix(&doc, &["-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.starts_with(head), "{written}");
    assert!(written.ends_with(tail), "{written}");
    // Between them: the fixed chain as one TOML string, in place of the reference.
    let value = &written[head.len()..written.len() - tail.len()];
    let parsed: toml::Table = toml::from_str(&format!("v ={value}")).unwrap();
    assert_eq!(
        parsed["v"].as_str(),
        Some(material("server-chain.pem").as_str())
    );
    // Same folder: the key's path stays as written; the chain file is not touched.
    assert_eq!(
        std::fs::read_to_string(a.join("chain.pem")).unwrap(),
        material("server-chain-reversed.pem")
    );
    let log = stderr(&o);
    assert!(
        log.contains(
            r#"wrote it inline in place of the reference to "chain.pem", which is left as it is"#
        ),
        "{log}"
    );
    let (code, rules) = check_json(&out);
    assert_eq!(code, Some(0), "{rules:?}");
}

#[test]
fn output_format_follows_the_input_unless_asked() {
    let tmp = TempDir::new("fix-formats");
    let a = tmp.folder("a");
    let toml_doc = a.join("request.toml");
    let json_doc = a.join("request.json");
    let chain = material("server-chain-reversed.pem");
    let mut table = toml::Table::new();
    let mut cert = toml::Table::new();
    cert.insert("type".into(), "server".into());
    cert.insert("certificate".into(), chain.clone().into());
    table.insert("certificate".into(), cert.into());
    std::fs::write(&toml_doc, toml::to_string(&table).unwrap()).unwrap();
    let json = serde_json::json!({"certificate": {"type": "server", "certificate": chain}});
    std::fs::write(&json_doc, json.to_string()).unwrap();

    // TOML to a .json path: refused, nothing written.
    let out = a.join("out.json");
    let o = fix(&toml_doc, &["-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--to json"), "{}", stderr(&o));
    assert!(!out.exists());
    // JSON to a .toml path: the same.
    let out_toml = a.join("out.toml");
    let o = fix(&json_doc, &["-o", out_toml.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!out_toml.exists());
    // `--to` that contradicts the path is refused too.
    let o = fix(
        &json_doc,
        &["-o", out_toml.to_str().unwrap(), "--to", "json"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(!out_toml.exists());

    // TOML on standard output is TOML.
    let o = fix(&toml_doc, &[]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(toml::from_str::<toml::Table>(&text).is_ok(), "{text}");
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_err());

    // Asked for, it converts, and the result reads back.
    let o = fix(&toml_doc, &["-o", out.to_str().unwrap(), "--to", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let converted: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(
        converted["certificate"]["certificate"].as_str(),
        Some(material("server-chain.pem").as_str())
    );
    let o = fix(
        &json_doc,
        &["-o", out_toml.to_str().unwrap(), "--to", "toml"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (code, rules) = check_json(&out_toml);
    assert_ne!(code, Some(2));
    assert!(!rules.iter().any(|r| r == "chain-order"), "{rules:?}");
}

#[test]
fn nothing_to_fix_writes_nothing() {
    let tmp = TempDir::new("fix-nothing");
    let a = tmp.folder("a");
    let doc = root().join("corpus/huawei-elb-v3/pass-typical.json");
    let new = a.join("new.json");
    let o = fix(&doc, &["-o", new.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(!new.exists(), "no file is created");
    assert!(
        stderr(&o).contains(&format!("certgate: nothing to fix in {}", doc.display())),
        "{}",
        stderr(&o)
    );
    // An existing output is not touched either.
    let old = a.join("old.json");
    std::fs::write(&old, "previous content").unwrap();
    let before = std::fs::metadata(&old).unwrap().modified().unwrap();
    let o = fix(&doc, &["-o", old.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&old).unwrap(), "previous content");
    assert_eq!(std::fs::metadata(&old).unwrap().modified().unwrap(), before);
    // Nor is anything printed on standard output.
    let o = fix(&doc, &[]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
}

#[test]
fn paths_on_standard_output_stay_as_written() {
    let o = certgate(&[
        "fix",
        "-p",
        "huawei-elb-v3",
        "corpus/huawei-elb-v3/fail-chain-order.json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        doc["certificate"]["private_key"],
        serde_json::json!({"file": "../materials/server.key"})
    );
}

/// `-o` into a folder that does not exist is refused with the reason, nothing written.
#[test]
fn missing_output_folder_is_refused() {
    let tmp = TempDir::new("fix-missing-folder");
    let out = tmp.0.join("no/such/folder/out.json");
    let o = certgate(&[
        "fix",
        "-p",
        "huawei-elb-v3",
        "corpus/huawei-elb-v3/fail-chain-order.json",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("cannot write") && err.contains("no/such/folder"),
        "{err}"
    );
    assert!(!out.exists());
}

/// A new output file is no more readable than the input: an inline key stays private.
#[cfg(unix)]
#[test]
fn a_new_output_keeps_the_input_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = TempDir::new("fix-mode");
    let a = tmp.folder("a");
    let doc = a.join("request.json");
    let json = serde_json::json!({"certificate": {"type": "server",
        "certificate": material("server-chain-reversed.pem"),
        "private_key": material("server.key")}});
    std::fs::write(&doc, json.to_string()).unwrap();
    std::fs::set_permissions(&doc, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = tmp.folder("b").join("fixed.json");
    let o = fix(&doc, &["-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

/// A separate chain field in the wrong order (ACM's `CertificateChain`): `check` says
/// so, and `fix` puts each certificate before its issuer without speaking of a leaf.
#[test]
fn a_chain_field_of_issuers_is_reordered_without_a_leaf() {
    const DOC: &str = "corpus/aws-acm-import/fail-chain-order-issuers-reversed.json";
    let tmp = TempDir::new("fix-chain-field");
    let out = tmp.folder("out").join("fixed.json");
    let acm = |args: &[&str]| {
        let mut all = vec![args[0], "-p", "aws-acm-import"];
        all.extend_from_slice(&args[1..]);
        certgate(&all)
    };
    let before = acm(&["check", DOC, "--at", AT, "--format", "json"]);
    assert_eq!(before.status.code(), Some(1));
    let o = acm(&["fix", DOC, "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let log = stderr(&o);
    assert!(
        log.contains("#/CertificateChain: reordered so that each certificate is followed by its issuer: 2 (CN=certgate Test Intermediate CA 2"),
        "{log}"
    );
    assert!(!log.contains("leaf first"), "{log}");
    let after = acm(&[
        "check",
        out.to_str().unwrap(),
        "--at",
        AT,
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&after.stdout).unwrap();
    assert_eq!(after.status.code(), Some(0), "{report}");
    assert_eq!(report["diagnostics"], serde_json::json!([]), "{report}");
}

/// Key Vault's PEM form holds the private key with the certificates: `fix` writes no key
/// material, so it leaves the text alone and says what to do by hand.
#[test]
fn a_text_holding_the_key_is_not_rewritten_but_the_reorder_is_named() {
    let tmp = TempDir::new("fix-key-and-certificates");
    let dir = tmp.folder("a");
    let value = material("server.key") + &material("server-chain-reversed.pem");
    let doc = dir.join("kv.json");
    let text = serde_json::json!({
        "value": value,
        "policy": {"secret_props": {"contentType": "application/x-pem-file"}}
    })
    .to_string();
    std::fs::write(&doc, &text).unwrap();
    let out = dir.join("fixed.json");
    let o = certgate(&[
        "fix",
        "-p",
        "azure-keyvault-import",
        doc.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let log = stderr(&o);
    assert!(
        log.contains("#/value: left unchanged: it holds a private key, which `fix` never writes; do by hand what it would have done to the certificates: reordered leaf first, each certificate followed by its issuer: 3 (CN=www.example.com"),
        "{log}"
    );
    assert!(log.contains("nothing to fix"), "{log}");
    assert!(!out.exists(), "nothing is written");
    assert!(!log.contains("PRIVATE KEY"), "{log}");
}

/// A Kubernetes Secret in JSON: `data` values are base64, so `fix` writes the fixed
/// chain back as base64 (not PEM text, which the API server would refuse), leaves a
/// clean Secret alone, and edits `stringData` as plain PEM where that is what is given.
#[test]
fn a_secrets_base64_data_is_fixed_as_base64() {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let tmp = TempDir::new("fix-secret-data");
    let dir = tmp.folder("a");
    let secret = |field: &str, crt: String, key: String| {
        serde_json::json!({
            "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
            "metadata": {"name": "web"},
            field: {"tls.crt": crt, "tls.key": key},
        })
        .to_string()
    };
    let fix_to = |name: &str, text: String| {
        let doc = dir.join(format!("{name}.json"));
        std::fs::write(&doc, text).unwrap();
        let out = dir.join(format!("{name}-fixed.json"));
        let o = certgate(&[
            "fix",
            "-p",
            "kubernetes-tls-secret",
            doc.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        (out, stderr(&o))
    };
    let key = material("server.key");

    let (out, log) = fix_to(
        "reversed",
        secret(
            "data",
            b64(&material("server-chain-reversed.pem")),
            b64(&key),
        ),
    );
    assert!(
        log.contains("#/data/tls.crt: wrote the fixed PEM back as base64"),
        "{log}"
    );
    let fixed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let crt = fixed["data"]["tls.crt"].as_str().unwrap();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(crt)
        .unwrap();
    assert_eq!(
        String::from_utf8(decoded).unwrap(),
        material("server-chain.pem")
    );
    assert_eq!(
        fixed["data"]["tls.key"],
        b64(&key),
        "the key is never rewritten"
    );

    let (out, log) = fix_to(
        "clean",
        secret("data", b64(&material("server-chain.pem")), b64(&key)),
    );
    assert!(log.contains("nothing to fix"), "{log}");
    assert!(!out.exists());

    let (out, log) = fix_to(
        "string-data",
        secret(
            "stringData",
            material("server-chain-reversed.pem"),
            key.clone(),
        ),
    );
    assert!(log.contains("#/stringData/tls.crt: reordered"), "{log}");
    let fixed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(fixed["stringData"]["tls.crt"], material("server-chain.pem"));
    assert!(fixed.get("data").is_none());
}
