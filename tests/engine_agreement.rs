//! `check` and `lint` judge the same material with the same rules: every committed
//! archive through `esri-portal-import` and through `lint`, every committed chain through
//! `huawei-elb-v3` and through `lint`, and the rule ids they raise compared on the rules
//! both run (one implementation per rule id, issue #12).

use certgate::harness::internals::ProfileInternals;
mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{AT, root, tempdir};

const PASSWORD: &str = "certgate-test";

fn ids(out: &std::process::Output) -> BTreeSet<String> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    v["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|d| d["rule"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn run(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_certgate"))
        .args(args)
        .args(["--at", AT, "--format", "json", "--no-config"])
        .current_dir(dir)
        .env("CERTGATE_TEST_PASSWORD", PASSWORD)
        .output()
        .unwrap()
}

fn files(dir: &str, ext: &[&str]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| ext.iter().any(|e| x == *e)))
        .collect();
    out.sort();
    out
}

/// The rule ids of a profile's instances.
fn profile_ids(profile: &str) -> BTreeSet<String> {
    let c = certgate::Catalogue::builtin().unwrap();
    c.profile(profile)
        .unwrap()
        .rule_instances()
        .iter()
        .map(|r| r.id.clone())
        .collect()
}

fn lint_ids() -> BTreeSet<String> {
    let l = certgate::Linter::new().unwrap();
    l.own_profiles()
        .iter()
        .flat_map(|p| p.rule_instances().iter().map(|r| r.id.clone()))
        .collect()
}

#[test]
fn archives_get_the_same_rule_ids_from_check_and_lint() {
    // Shared by both: the archive rules. Not compared: `pkcs12-host-compat` depends on
    // the target's host by design (lint knows none, and says what any host may trip on).
    let shared: BTreeSet<String> = profile_ids("esri-portal-import")
        .intersection(&lint_ids())
        .filter(|id| *id != "pkcs12-host-compat")
        .cloned()
        .collect();
    assert!(shared.contains("pkcs12-iterations") && shared.contains("leaf-is-ca"));
    let dir = tempdir("p12");
    let mut compared = 0;
    for archive in files("corpus/esri/materials", &["p12", "pfx", "bin"]) {
        let path = archive.to_str().unwrap();
        let request = serde_json::json!({
            "alias": "a",
            "file": path,
            "password": { "env": "CERTGATE_TEST_PASSWORD" },
        });
        let doc = dir.join("request.json");
        std::fs::write(&doc, request.to_string()).unwrap();
        let check = run(
            &["check", "-p", "esri-portal-import", doc.to_str().unwrap()],
            &dir,
        );
        let lint = run(
            &["lint", path, "--password-env", "CERTGATE_TEST_PASSWORD"],
            &dir,
        );
        let c: BTreeSet<_> = ids(&check).intersection(&shared).cloned().collect();
        let l: BTreeSet<_> = ids(&lint).intersection(&shared).cloned().collect();
        assert_eq!(c, l, "{path}: check (left) and lint (right) disagree");
        compared += 1;
    }
    assert!(compared >= 20, "only {compared} archives compared");
}

#[test]
fn chains_get_the_same_rule_ids_from_check_and_lint() {
    // Shared by both: pem-common's certificate and chain rules. Not compared: rules about
    // a private key (the chain files carry none), and requests' own field rules.
    let shared: BTreeSet<String> = profile_ids("huawei-elb-v3")
        .intersection(&lint_ids())
        .filter(|id| !matches!(id.as_str(), "key-mismatch" | "key-encrypted"))
        .cloned()
        .collect();
    assert!(shared.contains("chain-order") && shared.contains("no-san"));
    let dir = tempdir("chains");
    let mut compared = 0;
    for chain in files("corpus/chains", &["pem"]) {
        let name = chain.file_name().unwrap().to_str().unwrap();
        if name.starts_with("csr-") {
            continue;
        }
        let path = chain.to_str().unwrap();
        let request = serde_json::json!({
            "certificate": { "type": "server", "certificate": { "file": path } }
        });
        let doc = dir.join("request.json");
        std::fs::write(&doc, request.to_string()).unwrap();
        let check = run(
            &["check", "-p", "huawei-elb-v3", doc.to_str().unwrap()],
            &dir,
        );
        let lint = run(&["lint", path], &dir);
        let c: BTreeSet<_> = ids(&check).intersection(&shared).cloned().collect();
        let l: BTreeSet<_> = ids(&lint).intersection(&shared).cloned().collect();
        assert_eq!(c, l, "{path}: check (left) and lint (right) disagree");
        compared += 1;
    }
    assert!(compared >= 20, "only {compared} chains compared");
}
