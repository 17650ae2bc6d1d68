//! Kubernetes TLS Secrets: YAML manifests as typed (`certgate check -p
//! kubernetes-tls-secret secret.yaml`), a stream of several documents as a batch, and
//! YAML on standard input.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{AT, TEST_ROOTS, certgate, root, stdout};

const BATCH: &str = "corpus/kubernetes-tls-secret/batch/two-secrets.yaml";

#[test]
fn a_yaml_manifest_checks_as_typed() {
    let out = certgate(&[
        "check",
        "-p",
        "kubernetes-tls-secret",
        "corpus/kubernetes-tls-secret/pass-typical.yaml",
        "--at",
        AT,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn a_stream_of_documents_is_a_batch_reported_by_index() {
    let out = certgate(&["check", "-p", "kubernetes-tls-secret", BATCH, "--at", AT]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!("== {BATCH} (document 1 of 2)")),
        "{text}"
    );
    assert!(
        text.contains(&format!("== {BATCH} (document 2 of 2)")),
        "{text}"
    );
    assert!(text.contains("2 uploads checked: 1 failed"), "{text}");
    let json = certgate(&[
        "check",
        "-p",
        "kubernetes-tls-secret",
        BATCH,
        "--at",
        AT,
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let reports = v["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["failed"], false);
    assert_eq!(reports[1]["diagnostics"][0]["location"], "/data/tls.key");
    assert_eq!(reports[1]["document"], BATCH);
}

#[test]
fn sarif_regions_are_lines_of_the_whole_stream() {
    let out = certgate(&[
        "check",
        "-p",
        "kubernetes-tls-secret",
        BATCH,
        "--at",
        AT,
        "--format",
        "sarif",
        "--trust",
        "mozilla",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lines: Vec<u64> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64())
        .collect();
    // `tls.crt` of the first document is on line 9, of the second on line 18.
    assert_eq!(lines, vec![9, 18], "{v}");
}

#[test]
fn yaml_streams_on_standard_input_are_split_too() {
    let text = std::fs::read(root().join(BATCH)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_certgate"))
        .args([
            "check",
            "-p",
            "kubernetes-tls-secret",
            "-",
            "--at",
            AT,
            "--trust",
            TEST_ROOTS,
        ])
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let out = child.wait_with_output().unwrap();
    let s = stdout(&out);
    assert!(s.contains("- (document 2 of 2)"), "{s}");
    assert_eq!(out.status.code(), Some(1), "{s}");
}
