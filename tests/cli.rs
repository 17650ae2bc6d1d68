//! The CLI's other subcommands and contracts: exit codes, determinism, `rules`,
//! `explain`, `fix`, SARIF.

mod common;

use common::{AT, certgate, check, root, stdout};

#[test]
fn exit_codes_follow_the_contract() {
    let clean = check(
        "huawei-elb-v3",
        "corpus/huawei-elb-v3/pass-typical.json",
        &[],
    );
    assert_eq!(clean.status.code(), Some(0));
    let failing = check(
        "huawei-elb-v3",
        "corpus/huawei-elb-v3/fail-domain-count-31.json",
        &[],
    );
    assert_eq!(failing.status.code(), Some(1));
    let unknown = certgate(&[
        "check",
        "-p",
        "nope",
        "corpus/huawei-elb-v3/pass-typical.json",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    let err = String::from_utf8_lossy(&unknown.stderr);
    // The list names every profile id (sorted); targets are added often, so check a few.
    assert!(err.contains("known profiles: "), "{err}");
    for id in [
        "esri-portal-csr",
        "huawei-apic-v2",
        "huawei-elb-v3",
        "alibaba-clb-upload",
    ] {
        assert!(err.contains(id), "{err}");
    }
    let bad_flag = certgate(&["check", "--frobnicate"]);
    assert_eq!(bad_flag.status.code(), Some(2));
    let bad_time = certgate(&[
        "check",
        "-p",
        "huawei-elb-v3",
        "corpus/huawei-elb-v3/pass-typical.json",
        "--at",
        "yesterday",
    ]);
    assert_eq!(bad_time.status.code(), Some(2));
    let missing = certgate(&["check", "-p", "huawei-elb-v3", "corpus/no-such-file.json"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn same_input_gives_byte_identical_output() {
    for format in ["human", "json", "sarif"] {
        let args = [
            "check",
            "-p",
            "huawei-elb-v3",
            "corpus/huawei-elb-v3/fail-chain-order-shuffled.json",
            "--at",
            AT,
            "--format",
            format,
        ];
        let a = certgate(&args);
        let b = certgate(&args);
        assert_eq!(a.stdout, b.stdout, "{format} output differs between runs");
        assert!(!a.stdout.is_empty());
    }
}

#[test]
fn sarif_has_rules_results_and_regions() {
    let o = check(
        "huawei-elb-v3",
        "corpus/huawei-elb-v3/fail-domain-count-31.json",
        &["--format", "sarif"],
    );
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert!(
        run["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "domain-count")
    );
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "domain-count");
    assert_eq!(result["level"], "error");
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "corpus/huawei-elb-v3/fail-domain-count-31.json"
    );
    assert!(loc["region"]["startLine"].as_u64().unwrap() > 1);
}

#[test]
fn rules_and_explain_render_the_catalogue() {
    let text = certgate(&["rules", "-p", "huawei-elb-v3"]);
    assert_eq!(text.status.code(), Some(0));
    insta::assert_snapshot!("rules_elb", stdout(&text));
    let explain = certgate(&["explain", "domain-count"]);
    insta::assert_snapshot!("explain_domain_count", stdout(&explain));
    let explain = certgate(&["explain", "key-mismatch"]);
    insta::assert_snapshot!("explain_key_mismatch", stdout(&explain));
    assert_eq!(
        certgate(&["explain", "no-such-rule"]).status.code(),
        Some(2)
    );
    let json: serde_json::Value =
        serde_json::from_slice(&certgate(&["rules", "--format", "json"]).stdout).unwrap();
    assert!(json.as_array().unwrap().len() >= 2);
}

#[test]
fn explain_says_when_a_conditional_rule_runs() {
    let explain = stdout(&certgate(&["explain", "chain-root-included"]));
    let iam = explain
        .split("\n\n")
        .find(|s| s.starts_with("aws-iam-upload@") && s.contains("warning at /CertificateChain\n"))
        .expect("aws-iam-upload's CloudFront chain-root-included");
    assert!(
        iam.contains("\n  when: path starts with /cloudfront/\n"),
        "{iam}"
    );
    // An instance that always runs has no `when` line.
    assert!(
        !explain
            .split("\n\n")
            .any(|s| s.starts_with("huawei-elb-v3@") && s.contains("when:")),
        "{explain}"
    );
}

#[test]
fn rules_readme_is_generated_from_the_catalogue() {
    let generated = stdout(&certgate(&["rules", "--format", "markdown"]));
    let committed = std::fs::read_to_string(root().join("rules/README.md")).unwrap();
    assert!(
        generated == committed,
        "rules/README.md is stale: run `cargo run -- rules --format markdown > rules/README.md`"
    );
}

/// README's targets table is the catalogue's: a new rule file appears in it, or this
/// fails, so a user always finds their target there.
#[test]
fn readme_targets_table_is_generated_from_the_catalogue() {
    let generated = stdout(&certgate(&["rules", "--targets", "--format", "markdown"]));
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let committed = readme
        .split_once("<!-- targets:begin -->\n")
        .and_then(|(_, rest)| rest.split_once("<!-- targets:end -->"))
        .map(|(table, _)| table)
        .expect("README.md has the targets markers");
    assert!(
        generated == committed,
        "README.md's targets table is stale: replace it with `cargo run -- rules --targets --format markdown`"
    );
    let catalogue = certgate::Catalogue::builtin().unwrap();
    for p in catalogue.profiles() {
        assert!(
            committed.contains(&format!("`{}`", p.report_name())),
            "{} is missing from the table",
            p.report_name()
        );
    }
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&certgate(&["rules", "--targets", "-f", "json"]))).unwrap();
    assert_eq!(
        json.as_array().map(Vec::len),
        Some(catalogue.profiles().len())
    );
}

#[test]
fn fix_reorders_a_shuffled_chain_and_leaves_keys_alone() {
    let dir = root().join("corpus/huawei-elb-v3");
    // Written next to the fixtures so relative references still resolve.
    let fixed_path = dir.join(format!(".fixed-{}.json", std::process::id()));
    let o = certgate(&[
        "fix",
        "-p",
        "huawei-elb-v3",
        "corpus/huawei-elb-v3/fail-chain-order.json",
        "-o",
        fixed_path.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let changes = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(changes.contains("reordered"), "{changes}");
    let fixed: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&fixed_path).unwrap()).unwrap();
    // The key stays a file reference: fix never writes key material.
    assert_eq!(
        fixed["certificate"]["private_key"],
        serde_json::json!({"file": "../materials/server.key"})
    );
    let check = certgate(&[
        "check",
        "-p",
        "huawei-elb-v3",
        fixed_path.to_str().unwrap(),
        "--at",
        AT,
        "--format",
        "json",
    ]);
    let _ = std::fs::remove_file(&fixed_path);
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let rules: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(!rules.contains(&"chain-order"), "{rules:?}");
    assert_eq!(check.status.code(), Some(0), "{rules:?}");
}

#[test]
fn fix_output_is_snapshotted() {
    // The shuffled 5-chain: the fixed document and the change log, as a user sees them.
    let o = certgate(&[
        "fix",
        "-p",
        "huawei-elb-v3",
        "corpus/huawei-elb-v3/fail-chain-order-shuffled.json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    insta::assert_snapshot!("fix_shuffled_log", String::from_utf8_lossy(&o.stderr));
    insta::assert_snapshot!("fix_shuffled_document", stdout(&o));
}

#[test]
fn profiles_are_selected_by_id_or_revision() {
    let doc = "corpus/huawei-elb-v3/pass-typical.json";
    let pinned = check("huawei-elb-v3@2024-07-11", doc, &[]);
    assert_eq!(pinned.status.code(), Some(0));
    let unknown = check("huawei-elb-v3@1999-01-01", doc, &[]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn man_page_and_completions_render() {
    let man = certgate(&["man"]);
    assert_eq!(man.status.code(), Some(0));
    let text = stdout(&man);
    assert!(
        text.contains(".TH CERTGATE 1") && text.contains("certgate\\-check(1)"),
        "{text}"
    );
    let bash = certgate(&["completions", "bash"]);
    assert!(stdout(&bash).contains("certgate"));
}

/// `rules --format json` gives each instance's condition, as `explain` words it.
#[test]
fn rules_json_carries_each_instances_condition() {
    let o = certgate(&["rules", "--profile", "aws-iam-upload", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rules = v[0]["rules"].as_array().unwrap();
    let when = |id: &str| -> Vec<serde_json::Value> {
        rules
            .iter()
            .filter(|r| r["id"] == id)
            .map(|r| r["when"].clone())
            .collect()
    };
    assert_eq!(
        when("key-algorithm"),
        [serde_json::json!("path starts with /cloudfront/")]
    );
    assert!(when("field-required").iter().all(|w| w.is_null()));
}
