//! The request document's own shape: field types, unknown and repeated keys, a byte
//! order mark, and private keys pasted into fields that are not key fields.

mod common;

use common::{AT, certgate, check, root, stdout, tempdir};

/// Writes `text` as `dir/name` and returns the path as a string.
fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn json_report(profile: &str, doc: &str) -> (Option<i32>, serde_json::Value) {
    let o = check(profile, doc, &["-f", "json"]);
    let v = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{doc}: {e}: {}", String::from_utf8_lossy(&o.stderr)));
    (o.status.code(), v)
}

/// `(rule, location, message)` of every diagnostic.
fn findings(report: &serde_json::Value) -> Vec<(String, String, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["location"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn elb_text_fields_of_the_wrong_type_are_errors() {
    let dir = tempdir("elb-types");
    for (body, pointer, want, found) in [
        (
            r#"{"certificate": {"name": 123}}"#,
            "/certificate/name",
            "a string",
            "a number",
        ),
        (
            r#"{"certificate": {"domain": ["a.example.com"]}}"#,
            "/certificate/domain",
            "a string",
            "an array",
        ),
        (
            r#"{"certificate": {"description": false}}"#,
            "/certificate/description",
            "a string",
            "a boolean",
        ),
        (
            r#"{"certificate": ["name"]}"#,
            "/certificate",
            "an object",
            "an array",
        ),
    ] {
        let doc = write(&dir, "req.json", body);
        let (code, report) = json_report("huawei-elb-v3", &doc);
        assert_eq!(code, Some(1), "{body}");
        let f = findings(&report);
        let hit = f
            .iter()
            .find(|(rule, at, _)| rule == "field-type" && at == pointer)
            .unwrap_or_else(|| panic!("{body}: {f:?}"));
        let name = pointer.rsplit('/').next().unwrap();
        assert!(
            hit.2.contains(&format!("`{name}`")) && hit.2.contains(want) && hit.2.contains(found),
            "{body}: {}",
            hit.2
        );
    }
    // null is not a type error (the API's own responses write "domain": null).
    let doc = write(
        &dir,
        "req.json",
        r#"{"certificate": {"name": "web", "domain": null}}"#,
    );
    let (code, report) = json_report("huawei-elb-v3", &doc);
    assert_eq!(code, Some(0), "{report}");
}

#[test]
fn apic_reports_a_wrong_type_once_under_field_type() {
    let dir = tempdir("apic-types");
    let doc = write(
        &dir,
        "req.json",
        &format!(
            r#"{{"name": 123, "type": 1, "cert_content": {{"file": "{0}/corpus/materials/server-chain.pem"}},
                "private_key": {{"file": "{0}/corpus/materials/server.key"}}}}"#,
            root().display()
        ),
    );
    let (code, report) = json_report("huawei-apic-v2", &doc);
    assert_eq!(code, Some(1));
    let rules: Vec<(String, String)> = findings(&report)
        .into_iter()
        .map(|(r, at, _)| (r, at))
        .collect();
    assert_eq!(
        rules,
        [
            ("field-type".to_string(), "/name".to_string()),
            ("field-type".to_string(), "/type".to_string())
        ]
    );
}

#[test]
fn unknown_fields_are_warnings_with_a_suggestion() {
    let dir = tempdir("unknown");
    let doc = write(
        &dir,
        "req.json",
        r#"{"certificate": {"name": "web", "domian": "www.example.com", "Description": "x", "zzz": 1}, "private_key": "x"}"#,
    );
    let (code, report) = json_report("huawei-elb-v3", &doc);
    assert_eq!(code, Some(0), "warnings only");
    let f = findings(&report);
    let msg = |at: &str| {
        f.iter()
            .find(|(r, l, _)| r == "field-unknown" && l == at)
            .map(|(_, _, m)| m.clone())
            .unwrap_or_else(|| panic!("{at}: {f:?}"))
    };
    assert!(msg("/certificate/domian").ends_with("did you mean `domain`?"));
    assert!(
        msg("/certificate/Description")
            .contains("did you mean `description`? (field names are case-sensitive)")
    );
    assert!(!msg("/certificate/zzz").contains("did you mean"));
    assert!(
        msg("/private_key")
            .contains("it belongs inside `certificate` (`/certificate/private_key`)")
    );
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == "field-unknown")
            .all(|d| d["severity"] == "warning"
                && d["basis"] == "inferred"
                && d.get("value").is_none())
    );
    // Declared fields of every kind are known: no warning on a clean document.
    for (profile, doc) in [
        ("huawei-elb-v3", "corpus/huawei-elb-v3/pass-typical.json"),
        ("huawei-apic-v2", "corpus/huawei-apic-v2/pass-sm2.json"),
        (
            "esri-portal-import",
            "corpus/esri-portal-import/pass-token.json",
        ),
    ] {
        let (_, report) = json_report(profile, doc);
        assert!(
            findings(&report)
                .iter()
                .all(|(r, _, _)| r != "field-unknown"),
            "{doc}"
        );
    }
}

#[test]
fn repeated_json_keys_are_a_finding_not_a_parse_failure() {
    let dir = tempdir("duplicates");
    let doc = write(
        &dir,
        "req.json",
        r#"{"certificate": {"name": "a", "name": "b", "name": "c", "domain": "www.example.com"}}"#,
    );
    let (code, report) = json_report("huawei-elb-v3", &doc);
    assert_eq!(code, Some(1));
    let f = findings(&report);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "duplicate-key");
    assert_eq!(f[0].1, "/certificate/name");
    assert!(f[0].2.contains("`name` is written 3 times"), "{}", f[0].2);
}

#[test]
fn toml_refuses_repeated_keys_itself() {
    let dir = tempdir("toml-duplicates");
    let doc = write(
        &dir,
        "req.toml",
        "[certificate]\nname = \"a\"\nname = \"b\"\n",
    );
    let o = check("huawei-elb-v3", &doc, &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("not valid TOML") && err.contains("duplicate key"),
        "{err}"
    );
}

#[test]
fn a_utf8_byte_order_mark_is_skipped() {
    let dir = tempdir("bom");
    let json =
        r#"{"certificate": {"name": "My Certificate", "description": "Update my Certificate."}}"#;
    let toml =
        "[certificate]\nname = \"My Certificate\"\ndescription = \"Update my Certificate.\"\n";
    for (name, text) in [
        ("plain.json", json.to_string()),
        ("bom.json", format!("\u{feff}{json}")),
        ("bom.toml", format!("\u{feff}{toml}")),
        // Without an extension JSON is tried first, then TOML: both skip the mark.
        ("bom-json", format!("\u{feff}{json}")),
        ("bom-toml", format!("\u{feff}{toml}")),
    ] {
        let doc = write(&dir, name, &text);
        let o = check("huawei-elb-v3", &doc, &[]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{name}: {}{}",
            stdout(&o),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(stdout(&o).contains("ok: 0 errors, 0 warnings"), "{name}");
    }
    // The library takes the mark too.
    let r = certgate::Request::parse(&format!("\u{feff}{json}"), None).unwrap();
    assert_eq!(r.root()["certificate"]["name"], "My Certificate");
}

#[test]
fn unresolved_references_are_not_type_errors() {
    // A library user may check a document whose references nobody resolved.
    let cat = certgate::Catalogue::builtin().unwrap();
    let profile = cat.profile("huawei-apic-v2").unwrap();
    let request = certgate::Request::parse(
        r#"{"name": "cert_demo", "cert_content": {"file": "chain.pem"}, "private_key": {"env": "KEY"}}"#,
        None,
    )
    .unwrap();
    let report = certgate::check(
        profile,
        &request,
        time::macros::datetime!(2026-06-01 0:00 UTC),
    );
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.rule != "field-type" && d.rule != "field-unknown"),
        "{:#?}",
        report.diagnostics
    );
}

#[test]
fn field_types_are_checked_when_rule_files_load() {
    let profile = |field: &str| {
        format!(
            "[profile]\nid = \"acme\"\ntitle = \"t\"\nendpoint = \"e\"\nseed = \"s\"\nrevision = \"1\"\n\n[[field]]\n{field}\n"
        )
    };
    for bad in [
        "pointer = \"/cert\"\nmaterial = \"certificates\"\ntype = \"boolean\"",
        "pointer = \"/body\"\nmaterial = \"object\"\ntype = \"string\"",
        "pointer = \"/name\"\nmaterial = \"text\"\ntype = \"object\"",
        "pointer = \"name\"\nmaterial = \"text\"",
    ] {
        let text = profile(bad);
        assert!(
            certgate::Catalogue::builtin_with(&[("acme.toml", &text)]).is_err(),
            "{bad}"
        );
    }
    let ok = profile("pointer = \"/flag\"\nmaterial = \"text\"\ntype = \"string-or-boolean\"");
    assert!(certgate::Catalogue::builtin_with(&[("acme.toml", &ok)]).is_ok());
    let integer = profile("pointer = \"/id\"\nmaterial = \"text\"\ntype = \"integer\"");
    assert!(certgate::Catalogue::builtin_with(&[("acme.toml", &integer)]).is_ok());
    let unknown = profile("pointer = \"/flag\"\nmaterial = \"text\"\ntype = \"number\"");
    assert!(certgate::Catalogue::builtin_with(&[("acme.toml", &unknown)]).is_err());
}

// ------------------------------------------------------------------ redaction

/// 24-character pieces of the base64 body of `key` (a PEM text), as tests/secrets.rs
/// looks for them.
fn canaries(key: &str) -> Vec<String> {
    let body: String = key
        .lines()
        .filter(|l| !l.contains("-----") && !l.contains(':'))
        .collect::<String>()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '+' || *c == '/')
        .collect();
    let chars: Vec<char> = body.chars().collect();
    chars
        .chunks(24)
        .filter(|c| c.len() == 24)
        .map(|c| c.iter().collect())
        .collect()
}

fn material(name: &str) -> String {
    std::fs::read_to_string(root().join("corpus/materials").join(name)).unwrap()
}

/// Every output format of `check` for the document, stdout and stderr together.
fn outputs(profile: &str, doc: &str) -> Vec<(&'static str, String)> {
    ["human", "json", "sarif"]
        .into_iter()
        .map(|format| {
            let o = check(profile, doc, &["--format", format]);
            (format, stdout(&o) + &String::from_utf8_lossy(&o.stderr))
        })
        .collect()
}

#[test]
fn private_keys_pasted_into_other_fields_never_reach_any_output() {
    let dir = tempdir("redaction");
    let chain = root().join("corpus/materials/server-chain.pem");
    let chain = chain.to_string_lossy();
    let mut checked = 0;
    for key_file in [
        "server.key",
        "server-pkcs1.key",
        "ec-p256-sec1.key",
        "server-encrypted-pkcs8.key",
    ] {
        let pem = material(key_file);
        let one_line: String = pem.lines().collect();
        let bare: String = pem.lines().filter(|l| !l.contains("-----")).collect();
        let canaries = canaries(&pem);
        assert!(canaries.len() > 3, "{key_file}");
        for (shape, value) in [("pem", &pem), ("one-line", &one_line), ("bare", &bare)] {
            let docs = [
                (
                    "huawei-elb-v3",
                    serde_json::json!({"certificate": {"name": value}}),
                ),
                (
                    "huawei-elb-v3",
                    serde_json::json!({"certificate": {"description": value}}),
                ),
                (
                    "huawei-elb-v3",
                    serde_json::json!({"certificate": {
                    "certificate": {"file": chain}, "domain": value}}),
                ),
                (
                    "huawei-elb-v3",
                    serde_json::json!({"certificate": {"domain": format!("www.example.com,{value}")}}),
                ),
                (
                    "huawei-apic-v2",
                    serde_json::json!({"name": value,
                    "cert_content": {"file": chain}, "private_key": {"file": chain}}),
                ),
                // A key as a key: the unknown-field warning names it.
                (
                    "huawei-apic-v2",
                    serde_json::json!({"name": "cert_demo", value.as_str(): "x"}),
                ),
            ];
            for (i, (profile, doc)) in docs.iter().enumerate() {
                let path = write(
                    &dir,
                    &format!("{key_file}-{shape}-{i}.json"),
                    &doc.to_string(),
                );
                let mut redacted = false;
                for (format, out) in outputs(profile, &path) {
                    for c in &canaries {
                        assert!(
                            !out.contains(c.as_str()),
                            "{key_file} ({shape}) in {doc}: {format} output shows key material {c}:\n{out}"
                        );
                    }
                    redacted |= out.contains("<private key redacted>");
                }
                // Where a finding shows the value, it says what was taken out (ELB's
                // name and description findings give lengths only).
                if i > 1 {
                    assert!(
                        redacted,
                        "{key_file} ({shape}) in doc {i}: nothing says it was redacted"
                    );
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 4 * 3 * 6);
}

#[test]
fn redaction_keeps_messages_that_only_name_key_markers() {
    // pem-malformed quotes BEGIN/END lines without any key material: those stay.
    let dir = tempdir("markers");
    let doc = write(
        &dir,
        "req.json",
        r#"{"certificate": {"certificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "private_key": "-----BEGIN PRIVATE KEY-----\n"}}"#,
    );
    let o = certgate(&["check", "-p", "huawei-elb-v3", &doc, "--at", AT]);
    let out = stdout(&o);
    assert!(out.contains("\"-----BEGIN PRIVATE KEY-----\""), "{out}");
    assert!(!out.contains("redacted"), "{out}");
}
