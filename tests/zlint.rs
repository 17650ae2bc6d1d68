//! Real hostile certificates that no one here wrote (a selection of zlint's test data,
//! `corpus/zlint/`): each goes through the ELB profile as the certificate field, and the
//! findings (rule, severity, location) are snapshotted: that list is the expected result.

use std::fmt::Write;

use certgate::{Catalogue, Request};

#[test]
fn zlint_selection_checks_without_panic_and_with_stable_findings() {
    let cat = Catalogue::builtin().unwrap();
    let profile = cat.profile("huawei-elb-v3").unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/zlint");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pem"))
        .collect();
    files.sort();
    assert!(files.len() >= 20);
    let mut out = String::new();
    for path in files {
        // As the CLI would pass a `{"file": ...}` field: bytes that are not UTF-8 stay bytes.
        let bytes = std::fs::read(&path).unwrap();
        let doc = serde_json::json!({"certificate": {"type": "client", "certificate": ""}});
        let mut request = Request::from_value(doc).unwrap();
        request.resolve("/certificate/certificate", bytes.clone());
        let at = time::macros::datetime!(2026-06-01 0:00 UTC);
        let a = certgate::check(profile, &request, at);
        let b = certgate::check(profile, &request, at);
        assert_eq!(a, b, "{}: not deterministic", path.display());
        let name = path.file_name().unwrap().to_string_lossy();
        let _ = writeln!(out, "{name}");
        for d in &a.diagnostics {
            let _ = writeln!(out, "  {} {} {}", d.severity, d.rule, d.location);
        }
        // The PEM block alone: several files' text dumps hold bytes that are not UTF-8,
        // which stops them at the PEM layer; the certificate itself must be seen too.
        let Some(block) = pem_block(&bytes) else {
            continue;
        };
        let mut request = Request::from_value(serde_json::json!(
            {"certificate": {"type": "client", "certificate": block}}
        ))
        .unwrap();
        request.resolve("/certificate/certificate", block.as_bytes().to_vec());
        let _ = writeln!(out, "  (the PEM block alone)");
        for d in &certgate::check(profile, &request, at).diagnostics {
            if d.severity.as_str() != "info" {
                let _ = writeln!(out, "    {} {} {}", d.severity, d.rule, d.message);
            }
        }
    }
    insta::assert_snapshot!(out);
}

/// The text from the first `-----BEGIN` line to the end of its `-----END ...-----` line.
fn pem_block(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let start = text.find("-----BEGIN ")?;
    let end_at = start + text.get(start..)?.find("-----END ")?;
    let end = end_at + 9 + text.get(end_at + 9..)?.find("-----")? + 5;
    Some(format!("{}\n", text.get(start..end)?))
}
