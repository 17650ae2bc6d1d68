//! certgate in CI: configuration, user rule files, batch runs, SARIF validated against
//! the official 2.1.0 schema, completions.

use certgate::harness::internals::ProfileInternals;
mod common;

use std::process::Command;

use common::{AT, assert_valid_sarif, certgate, check, root, stdout};

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(o), stderr(o)))
}

fn rules_of(report: &serde_json::Value) -> Vec<String> {
    common::rule_ids(report)
}

#[test]
fn the_schema_rejects_broken_sarif() {
    // The validator is not vacuous: a log without `runs`, or with a bad level, fails.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/data/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft4::new(&schema).unwrap();
    assert!(!validator.is_valid(&serde_json::json!({"version": "2.1.0"})));
    assert!(!validator.is_valid(&serde_json::json!({
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "x"}},
                  "results": [{"message": {"text": "m"}, "level": "fatal"}]}]
    })));
}

#[test]
fn sarif_of_one_document_is_schema_valid() {
    for doc in [
        "corpus/huawei-elb-v3/fail-domain-count-31.json",
        "corpus/huawei-elb-v3/pass-typical.json",
        "corpus/huawei-apic-v2/fail-chain-order.json",
    ] {
        let o = certgate(&[
            "check",
            "-p",
            if doc.contains("apic") {
                "huawei-apic-v2"
            } else {
                "huawei-elb-v3"
            },
            doc,
            "--at",
            AT,
            "--format",
            "sarif",
        ]);
        assert!(o.status.code() != Some(2), "{}", stderr(&o));
        assert_valid_sarif(&stdout(&o));
    }
}

#[test]
fn sarif_of_a_manifest_is_schema_valid_and_stable() {
    let o = certgate(&[
        "check",
        "--manifest",
        "corpus/ci/manifest.toml",
        "--at",
        AT,
        "--format",
        "sarif",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = stdout(&o);
    assert_valid_sarif(&text);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(
        uris.contains(&"corpus/huawei-elb-v3/fail-domain-count-31.json"),
        "{uris:?}"
    );
    insta::assert_snapshot!("manifest_sarif", text);
}

#[test]
fn manifest_with_mixed_results() {
    let o = certgate(&["check", "--manifest", "corpus/ci/manifest.toml", "--at", AT]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    insta::assert_snapshot!("manifest_human", stdout(&o));

    let j = json(&certgate(&[
        "check",
        "--manifest",
        "corpus/ci/manifest.toml",
        "--at",
        AT,
        "--format",
        "json",
    ]));
    assert_eq!(j["summary"]["uploads"], 4);
    assert_eq!(j["summary"]["failed"], 1);
    let reports = j["reports"].as_array().unwrap();
    let names: Vec<&str> = reports
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "elb-web",
            "elb-too-many-domains",
            "apic-rsa",
            "elb-expiring"
        ],
        "reports follow the manifest order"
    );
    assert_eq!(
        reports[1]["document"],
        "corpus/huawei-elb-v3/fail-domain-count-31.json"
    );
    assert!(rules_of(&reports[1]).contains(&"domain-count".to_string()));
    assert_eq!(reports[3]["summary"]["warnings"], 1);
    assert_eq!(reports[3]["failed"], false);

    // --fail-on warning fails the expiring upload too.
    let w = json(&certgate(&[
        "check",
        "--manifest",
        "corpus/ci/manifest.toml",
        "--at",
        AT,
        "--format",
        "json",
        "--fail-on",
        "warning",
    ]));
    assert_eq!(w["summary"]["failed"], 2);
}

#[test]
fn batch_output_does_not_depend_on_scheduling() {
    let run = |jobs: &str| {
        certgate(&[
            "check",
            "--manifest",
            "corpus/ci/manifest.toml",
            "--at",
            AT,
            "--format",
            "json",
            "--jobs",
            jobs,
        ])
        .stdout
    };
    let one = run("1");
    assert!(!one.is_empty());
    for _ in 0..3 {
        assert_eq!(run("2"), one);
        assert_eq!(run("8"), one);
    }
}

#[test]
fn several_documents_on_the_command_line() {
    let o = certgate(&[
        "check",
        "-p",
        "huawei-elb-v3",
        "--at",
        AT,
        "--format",
        "json",
        "corpus/huawei-elb-v3/pass-typical.json",
        "corpus/huawei-elb-v3/fail-domain-count-31.json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let j = json(&o);
    assert_eq!(j["summary"]["uploads"], 2);
    assert_eq!(
        j["reports"][0]["document"],
        "corpus/huawei-elb-v3/pass-typical.json"
    );
    let clean = certgate(&[
        "check",
        "-p",
        "huawei-elb-v3",
        "--at",
        AT,
        "corpus/huawei-elb-v3/pass-typical.json",
        "corpus/huawei-elb-v3/pass-domain-count-30.json",
    ]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert!(stdout(&clean).contains("2 uploads checked: 0 failed"));
}

#[test]
fn manifest_errors_exit_2_and_name_the_document() {
    let o = certgate(&[
        "check",
        "--manifest",
        "corpus/ci/manifest-missing.toml",
        "--at",
        AT,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("corpus/ci/no-such-request.json"),
        "{}",
        stderr(&o)
    );
    let none = certgate(&["check", "--manifest", "corpus/ci/strict.toml", "--at", AT]);
    assert_eq!(none.status.code(), Some(2));
    assert!(stderr(&none).contains("no [[upload]]"), "{}", stderr(&none));
    let missing = certgate(&["check", "--manifest", "corpus/ci/nope.toml"]);
    assert_eq!(missing.status.code(), Some(2));
    // A manifest brings its own profiles: --profile and documents conflict with it.
    let both = certgate(&[
        "check",
        "--manifest",
        "corpus/ci/manifest.toml",
        "-p",
        "huawei-elb-v3",
    ]);
    assert_eq!(both.status.code(), Some(2));
    assert_eq!(
        certgate(&["check", "corpus/huawei-elb-v3/pass-typical.json"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        certgate(&["check", "-p", "huawei-elb-v3"]).status.code(),
        Some(2)
    );
}

#[test]
fn config_thresholds_severities_and_disabled_rules() {
    let check = |config: Option<&str>, doc: &str| {
        let mut args = vec![
            "check",
            "-p",
            "huawei-elb-v3",
            doc,
            "--at",
            AT,
            "--format",
            "json",
        ];
        if let Some(c) = config {
            args.extend(["--config", c]);
        }
        let o = certgate(&args);
        (o.status.code(), rules_of(&json(&o)), json(&o))
    };
    // min-rsa-bits = 3072: the corpus's RSA-2048 leaf is now weak.
    let (code, rules, _) = check(None, "corpus/huawei-elb-v3/pass-typical.json");
    assert_eq!(code, Some(0));
    assert!(!rules.contains(&"weak-key".to_string()));
    let (code, rules, _) = check(
        Some("corpus/ci/strict.toml"),
        "corpus/huawei-elb-v3/pass-typical.json",
    );
    assert_eq!(code, Some(1));
    assert!(rules.contains(&"weak-key".to_string()), "{rules:?}");
    // expiring-soon-days = 120: a leaf ending in August 2026 now warns, and fail-on
    // warning fails the run.
    let doc = "corpus/huawei-elb-v3/pass-cert-expiring-soon-2026-08.json";
    assert!(
        !check(None, doc)
            .1
            .contains(&"cert-expiring-soon".to_string())
    );
    let (code, rules, _) = check(Some("corpus/ci/strict.toml"), doc);
    assert!(
        rules.contains(&"cert-expiring-soon".to_string()),
        "{rules:?}"
    );
    assert_eq!(code, Some(1));
    // Disabled rules are gone.
    let doc = "corpus/huawei-elb-v3/pass-chain-with-root.json";
    assert!(
        check(None, doc)
            .1
            .contains(&"chain-root-included".to_string())
    );
    assert!(
        !check(Some("corpus/ci/strict.toml"), doc)
            .1
            .contains(&"chain-root-included".to_string())
    );
    // Severity overrides: no-san is a warning built in, an error here.
    let doc = "corpus/huawei-elb-v3/fail-no-san.json";
    let sev = |j: &serde_json::Value| {
        j["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["rule"] == "no-san")
            .map(|d| d["severity"].as_str().unwrap().to_string())
    };
    assert_eq!(sev(&check(None, doc).2).as_deref(), Some("warning"));
    assert_eq!(
        sev(&check(Some("corpus/ci/strict.toml"), doc).2).as_deref(),
        Some("error")
    );
}

#[test]
fn fail_on_flag_overrides_the_default() {
    let base = [
        "check",
        "-p",
        "huawei-elb-v3",
        "corpus/huawei-elb-v3/fail-cert-expiring-soon.json",
        "--at",
        AT,
    ];
    assert_eq!(certgate(&base).status.code(), Some(0));
    let mut warn = base.to_vec();
    warn.extend(["--fail-on", "warning"]);
    assert_eq!(certgate(&warn).status.code(), Some(1));
    // The flag beats the configuration's fail-on = "warning".
    let mut cfg = base.to_vec();
    cfg.extend(["--config", "corpus/ci/strict.toml", "--fail-on", "error"]);
    let o = certgate(&cfg);
    assert_eq!(
        o.status.code(),
        Some(1),
        "weak-key is an error under strict.toml"
    );
    let mut bad = base.to_vec();
    bad.extend(["--fail-on", "info"]);
    assert_eq!(certgate(&bad).status.code(), Some(2));
}

#[test]
fn unknown_rule_ids_in_the_config_are_named() {
    let o = check(
        "huawei-elb-v3",
        "corpus/huawei-elb-v3/pass-typical.json",
        &["--config", "corpus/ci/unknown-ids.toml"],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("chain-root-inclued (did you mean `chain-root-included`?), domain-cont"),
        "{e}"
    );
    assert!(!e.contains("no-san"), "{e}");
    assert!(e.contains("corpus/ci/unknown-ids.toml"), "{e}");
}

#[test]
fn certgate_toml_is_found_upward_from_the_working_directory() {
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_certgate"))
            .args([
                "check",
                "-p",
                "huawei-elb-v3",
                "../../../huawei-elb-v3/fail-cert-expiring-soon.json",
                "--at",
                AT,
            ])
            .args(extra)
            .current_dir(root().join("corpus/ci/discover/nested"))
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    // discover/certgate.toml says fail-on = "warning": the expiring leaf fails.
    assert_eq!(run(&[]).status.code(), Some(1), "{}", stderr(&run(&[])));
    assert_eq!(run(&["--no-config"]).status.code(), Some(0));
}

#[test]
fn policy_files_add_and_override_rules() {
    let o = check(
        "huawei-elb-v3",
        "corpus/huawei-elb-v3/pass-typical.json",
        &["--rules", "corpus/ci/acme-policy.toml"],
    );
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("policy_human", stdout(&o));
    let j = json(&check(
        "huawei-apic-v2",
        "corpus/huawei-apic-v2/pass-rsa.json",
        &["--rules", "corpus/ci/acme-policy.toml", "--format", "json"],
    ));
    let policy: Vec<&serde_json::Value> = j["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["basis"] == "policy")
        .collect();
    assert_eq!(
        policy.len(),
        4,
        "validity + three RSA-2048 certificates: {policy:?}"
    );
    assert!(
        policy
            .iter()
            .any(|d| d["rule"] == "acme-max-validity" && d["value"] == "5478 days")
    );
    // The same through the configuration's rules-files.
    let c = check(
        "huawei-elb-v3",
        "corpus/huawei-elb-v3/pass-typical.json",
        &["--config", "corpus/ci/with-policy.toml", "--format", "json"],
    );
    assert!(rules_of(&json(&c)).contains(&"acme-max-validity".to_string()));
    // rules and explain see user rule files too.
    let listing = stdout(&certgate(&[
        "rules",
        "-p",
        "huawei-elb-v3",
        "--rules",
        "corpus/ci/acme-policy.toml",
    ]));
    assert!(listing.contains("acme-max-validity"), "{listing}");
    let explain = certgate(&[
        "explain",
        "acme-max-validity",
        "--rules",
        "corpus/ci/acme-policy.toml",
    ]);
    assert_eq!(explain.status.code(), Some(0));
    assert!(stdout(&explain).contains("ACME security policy 4.7"));
}

#[test]
fn policy_override_replaces_the_builtin_rule() {
    let policy = std::fs::read_to_string(root().join("corpus/ci/acme-policy.toml")).unwrap();
    let mut files = certgate::harness::internals::BUILTIN_FILES.to_vec();
    files.push(("acme-policy.toml", &policy));
    let catalogue = certgate::Catalogue::from_files(&files).unwrap();
    for p in catalogue.profiles() {
        let weak: Vec<_> = p
            .rule_instances()
            .iter()
            .filter(|r| r.id == "weak-key")
            .collect();
        // One instance per shared set the profile includes (Key Vault's two forms take
        // both pkcs12-common and pem-common): the policy overrides each.
        assert!(!weak.is_empty(), "{}", p.id());
        assert!(weak.len() <= 2, "{}", p.id());
        for w in &weak {
            assert!(matches!(
                &w.check,
                certgate::harness::internals::Check::WeakKey(k) if k.min_rsa_bits == 3072
            ));
        }
        assert!(
            p.rule_instances()
                .iter()
                .any(|r| r.id == "acme-max-validity")
        );
    }
}

#[test]
fn bad_policy_files_are_reported() {
    for (file, needle) in [
        (
            "corpus/ci/bad-policy-no-citation.toml",
            "needs a `citation`",
        ),
        (
            "corpus/ci/bad-policy-unknown-profile.toml",
            "unknown profile \"huawei-elb-v9\"",
        ),
        ("corpus/ci/no-such-policy.toml", "cannot read rule file"),
    ] {
        let o = check(
            "huawei-elb-v3",
            "corpus/huawei-elb-v3/pass-typical.json",
            &["--rules", file],
        );
        assert_eq!(o.status.code(), Some(2), "{file}");
        assert!(stderr(&o).contains(needle), "{file}: {}", stderr(&o));
    }
}

#[test]
fn a_user_profile_is_a_new_target() {
    let pass = check(
        "acme-lb-v1",
        "corpus/ci/acme-lb-pass.json",
        &["--rules", "corpus/ci/acme-lb.toml", "--format", "json"],
    );
    assert_eq!(
        pass.status.code(),
        Some(0),
        "{}{}",
        stdout(&pass),
        stderr(&pass)
    );
    let fail = check(
        "acme-lb-v1",
        "corpus/ci/acme-lb-fail-label.json",
        &["--rules", "corpus/ci/acme-lb.toml", "--format", "json"],
    );
    assert_eq!(fail.status.code(), Some(1));
    let j = json(&fail);
    assert_eq!(j["diagnostics"][0]["rule"], "field-too-long");
    assert_eq!(j["diagnostics"][0]["location"], "/label");
    // Without the rule file the profile is unknown.
    let o = certgate(&["check", "-p", "acme-lb-v1", "corpus/ci/acme-lb-pass.json"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = certgate(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        assert!(stdout(&o).contains("manifest"), "{shell}");
    }
    assert_eq!(certgate(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn help_lists_the_ci_flags() {
    let o = certgate(&["check", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    let h = stdout(&o);
    for flag in [
        "--manifest",
        "--config",
        "--no-config",
        "--rules",
        "--fail-on",
        "--jobs",
    ] {
        assert!(h.contains(flag), "{flag} missing from check --help");
    }
}

#[test]
fn pre_commit_hook_is_declared() {
    let hooks = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    assert!(hooks.contains("id: certgate"));
    assert!(hooks.contains("entry: certgate check"));
}

#[test]
fn explain_shows_what_the_configuration_changes() {
    let o = certgate(&["explain", "weak-key", "--config", "corpus/ci/strict.toml"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    // Profiles are listed by id after the heading.
    let configured = text
        .split_once("as configured by corpus/ci/strict.toml:\n")
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        configured.contains("  huawei-elb-v3: min-rsa-bits = 3072 (built-in 2048)\n"),
        "{text}"
    );
    // certgate lint reads certgate.toml too.
    assert!(
        text.contains("  lint: min-rsa-bits = 3072 (built-in 2048)\n"),
        "{text}"
    );
    let o = certgate(&["explain", "no-san", "--config", "corpus/ci/strict.toml"]);
    assert!(
        stdout(&o).contains("  huawei-elb-v3: severity error (built-in warning)"),
        "{}",
        stdout(&o)
    );
    let o = certgate(&[
        "explain",
        "chain-root-included",
        "--config",
        "corpus/ci/strict.toml",
    ]);
    assert!(
        stdout(&o).contains("  huawei-elb-v3: disabled"),
        "{}",
        stdout(&o)
    );
    // Nothing changed, or no configuration: no such section.
    let o = certgate(&[
        "explain",
        "domain-count",
        "--config",
        "corpus/ci/strict.toml",
    ]);
    assert!(!stdout(&o).contains("as configured"), "{}", stdout(&o));
    let o = certgate(&["explain", "weak-key", "--no-config"]);
    assert!(!stdout(&o).contains("as configured"), "{}", stdout(&o));
}
