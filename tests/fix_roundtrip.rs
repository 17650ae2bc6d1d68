//! `fix` output reads back: every corpus request that `fix` changes, written to a folder
//! elsewhere, checks without exit 2, and the findings `fix` repaired are gone. A request
//! with nothing to fix leaves no file behind.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::{AT, TempDir, certgate, relative, root};

/// `(rule, location)` of every finding of a check, or `None` when it could not run.
fn findings(profile: &str, doc: &str) -> Option<BTreeSet<(String, String)>> {
    let o = certgate(&["check", "-p", profile, doc, "--at", AT, "--format", "json"]);
    if o.status.code() == Some(2) {
        return None;
    }
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    Some(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["rule"].as_str().unwrap().to_string(),
                    d["location"].as_str().unwrap().to_string(),
                )
            })
            .collect(),
    )
}

/// Every JSON request of every built-in profile's corpus folder (`corpus/<id>` and
/// `corpus/<id>@<revision>` for an opt-in revision), with the profile it is checked as.
fn requests() -> Vec<(String, PathBuf)> {
    let catalogue = certgate::Catalogue::builtin().unwrap();
    let mut out = Vec::new();
    for p in catalogue.profiles() {
        use certgate::harness::internals::ProfileInternals;
        let profile = if p.profile_meta().opt_in {
            p.qualified_id()
        } else {
            p.id().to_string()
        };
        let Ok(entries) = std::fs::read_dir(root().join("corpus").join(&profile)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) == Some("json") {
                out.push((profile.to_string(), path));
            }
        }
    }
    out.sort();
    out
}

/// The fields `fix` named as changed, and the rules its changes repair there.
fn repaired(log: &str) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for line in log.lines() {
        let Some((_, rest)) = line.split_once('#') else {
            continue;
        };
        let Some((pointer, change)) = rest.split_once(": ") else {
            continue;
        };
        if change.starts_with("reordered") {
            out.push((pointer.to_string(), "chain-order"));
        }
        if change.starts_with("dropped certificate") {
            out.push((pointer.to_string(), "chain-duplicate"));
        }
        // Normalising drops everything around the blocks.
        if change.starts_with("normalised the PEM") {
            out.push((pointer.to_string(), "pem-stray-text"));
        }
    }
    out
}

#[test]
fn fixed_corpus_requests_read_back_from_another_folder() {
    let tmp = TempDir::new("fix-roundtrip");
    let mut changed = 0;
    for (profile, path) in requests() {
        let doc = relative(&path);
        let out = tmp.0.join(path.file_name().unwrap());
        let out_str = out.to_str().unwrap();
        let fix = certgate(&["fix", "-p", &profile, &doc, "-o", out_str]);
        let log = String::from_utf8_lossy(&fix.stderr).into_owned();
        let before = findings(&profile, &doc);
        if fix.status.code() == Some(2) {
            // Only a document check cannot read either is refused.
            assert!(
                before.is_none(),
                "{doc}: fix refused a readable document: {log}"
            );
            continue;
        }
        assert_eq!(fix.status.code(), Some(0), "{doc}: {log}");
        if log.contains(&format!("certgate: nothing to fix in {doc}")) {
            assert!(
                !out.exists(),
                "{doc}: nothing to fix, yet a file was written"
            );
            continue;
        }
        changed += 1;
        let before = before.unwrap_or_else(|| panic!("{doc}: fix changed what check cannot read"));
        let after = findings(&profile, out_str)
            .unwrap_or_else(|| panic!("{doc}: the fixed document does not read back: {log}"));
        for (pointer, rule) in repaired(&log) {
            assert!(
                !after
                    .iter()
                    .any(|(r, l)| r == rule
                        && (l == &pointer || l.starts_with(&format!("{pointer}/")))),
                "{doc}: {rule} at {pointer} is still raised after fix: {after:?}"
            );
        }
        // Nothing gets worse: no rule fires on the fixed document that did not before.
        let rules = |s: &BTreeSet<(String, String)>| {
            s.iter().map(|(r, _)| r.clone()).collect::<BTreeSet<_>>()
        };
        let new: Vec<String> = rules(&after).difference(&rules(&before)).cloned().collect();
        assert!(new.is_empty(), "{doc}: fix introduced {new:?}");
        std::fs::remove_file(&out).unwrap();
    }
    assert!(
        changed >= 5,
        "only {changed} corpus requests were changed by fix"
    );
}
