//! Every request fixture in `corpus/<profile>/` through its profile: the human and
//! JSON reports are snapshots, and the verdicts are hard asserts beside them:
//! `fail-<rule>...` must raise `<rule>`, `pass-...` must raise no error.

mod common;

use std::collections::BTreeSet;

use common::{AT, TEST_ROOTS, certgate, relative, stdout};

fn rule_ids(profile: &str) -> Vec<String> {
    let cat = certgate::Catalogue::builtin().unwrap();
    let mut ids: Vec<String> = cat
        .profile(profile)
        .unwrap()
        .rules
        .iter()
        .map(|r| r.id.clone())
        .collect();
    // Longest first, so `fail-cert-expiring-soon` is not read as `cert-expired`-like prefixes.
    ids.sort_by_key(|s| std::cmp::Reverse(s.len()));
    ids
}

/// The rule a `fail-` fixture is named for: the longest catalogue id it starts with.
pub fn expected_rule(profile: &str, stem: &str) -> Option<String> {
    let rest = stem.strip_prefix("fail-")?;
    rule_ids(profile)
        .into_iter()
        .find(|id| rest == id || rest.starts_with(&format!("{id}-")))
}

#[test]
fn corpus_fixtures() {
    insta::glob!("../corpus", "{huawei,esri-portal}-*/*.json", |path| {
        let profile = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let doc = relative(path);
        let json = certgate(&[
            "check",
            "--profile",
            profile,
            &doc,
            "--at",
            AT,
            "--trust",
            TEST_ROOTS,
            "--format",
            "json",
        ]);
        let human = certgate(&[
            "check",
            "--profile",
            profile,
            &doc,
            "--at",
            AT,
            "--trust",
            TEST_ROOTS,
        ]);
        let report: serde_json::Value = serde_json::from_slice(&json.stdout)
            .unwrap_or_else(|e| panic!("{doc}: JSON report does not parse: {e}"));
        let raised: BTreeSet<String> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect();
        let errors = report["summary"]["errors"].as_u64().unwrap();
        if stem.starts_with("pass-") {
            assert_eq!(errors, 0, "{doc} must check clean but raised {raised:?}");
            assert_eq!(json.status.code(), Some(0), "{doc}: exit code");
        } else {
            let rule = expected_rule(profile, stem)
                .unwrap_or_else(|| panic!("{doc}: name it pass-... or fail-<rule id>-..."));
            assert!(
                raised.contains(&rule),
                "{doc} must raise {rule}, raised {raised:?}"
            );
        }
        assert_eq!(
            json.status.code(),
            human.status.code(),
            "{doc}: same exit code in both formats"
        );
        assert_eq!(
            json.status.code(),
            Some(if errors > 0 { 1 } else { 0 }),
            "{doc}: exit code"
        );
        insta::assert_snapshot!("json", stdout(&json));
        insta::assert_snapshot!("human", stdout(&human));
    });
}

/// No output of any Esri fixture, in any format, contains the test archives' password.
#[test]
fn esri_outputs_never_contain_the_password() {
    for profile in [
        "esri-portal-update",
        "esri-portal-import",
        "esri-portal-csr",
    ] {
        let dir = common::root().join("corpus").join(profile);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let doc = relative(&path);
            for format in ["human", "json", "sarif"] {
                let out = certgate(&[
                    "check",
                    "--profile",
                    profile,
                    &doc,
                    "--at",
                    AT,
                    "--format",
                    format,
                ]);
                for text in [
                    stdout(&out),
                    String::from_utf8_lossy(&out.stderr).into_owned(),
                ] {
                    assert!(
                        !text.contains("certgate-test"),
                        "{doc} ({format}) shows the password"
                    );
                }
            }
        }
    }
}
