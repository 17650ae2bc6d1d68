//! huawei-elb-v3 has two revisions (issue #14, item 1): the seed's 2024-07-11 document is
//! the default (the CLI contract holds 31 names to be an error under `huawei-elb-v3`),
//! the document of 2026-01-20 is opt-in as `huawei-elb-v3@2026-01-20`, and
//! `certgate rules`/`explain` show both and what changed between them.

mod common;

use certgate::Catalogue;
use certgate::Severity;
use certgate::harness::internals::ProfileInternals;
use common::{certgate, check, stdout};

/// The rule ids a `check --format json` run raised.
fn raised(profile: &str, document: &str) -> Vec<String> {
    let out = check(profile, document, &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    common::rule_ids(&report)
}

#[test]
fn the_newest_revision_that_is_not_opt_in_is_the_default() {
    let cat = Catalogue::builtin().unwrap();
    assert_eq!(
        cat.profile("huawei-elb-v3")
            .unwrap()
            .profile_meta()
            .revision,
        "2024-07-11"
    );
    assert!(
        cat.profile("huawei-elb-v3@2026-01-20")
            .unwrap()
            .profile_meta()
            .opt_in
    );
    assert_eq!(
        cat.profile("huawei-elb-v3@2024-07-11")
            .unwrap()
            .profile_meta()
            .revision,
        "2024-07-11"
    );
    assert_eq!(
        cat.profile("huawei-elb-v3@2026-01-20")
            .unwrap()
            .profile_meta()
            .revision,
        "2026-01-20"
    );
    assert!(cat.profile("huawei-elb-v3@2025-01-01").is_none());
    // One id, two revisions; `check` loads both and picks the same default.
    assert_eq!(
        cat.profile_ids()
            .iter()
            .filter(|i| *i == "huawei-elb-v3")
            .count(),
        1
    );
    let only = Catalogue::builtin_only(&["huawei-elb-v3"]).unwrap();
    assert_eq!(only.profiles().len(), 2);
    assert_eq!(
        only.profile("huawei-elb-v3")
            .unwrap()
            .profile_meta()
            .revision,
        "2024-07-11"
    );
}

/// 31 names: accepted by today's document, refused by the 2024 one; 101 refused by both.
#[test]
fn each_selection_checks_its_own_limits() {
    let old = "corpus/huawei-elb-v3/fail-domain-count-31.json";
    assert!(!raised("huawei-elb-v3@2026-01-20", old).contains(&"domain-count".to_string()));
    assert!(raised("huawei-elb-v3", old).contains(&"domain-count".to_string()));
    assert!(raised("huawei-elb-v3@2024-07-11", old).contains(&"domain-count".to_string()));
    assert_eq!(check("huawei-elb-v3", old, &[]).status.code(), Some(1));
    let new = "corpus/huawei-elb-v3@2026-01-20/fail-domain-count-101.json";
    assert!(raised("huawei-elb-v3", new).contains(&"domain-count".to_string()));
    assert!(raised("huawei-elb-v3@2026-01-20", new).contains(&"domain-count".to_string()));
    // server_sm is a type of the 2026 document only.
    let sm = "corpus/huawei-elb-v3@2026-01-20/pass-type-server-sm.json";
    assert_eq!(
        check("huawei-elb-v3@2026-01-20", sm, &[]).status.code(),
        Some(0)
    );
    assert!(raised("huawei-elb-v3", sm).contains(&"type-enum".to_string()));
}

/// ELB does not check validity in the 2026 document: an expired certificate is a warning
/// there (the upload succeeds, clients fail), an error in the 2024 revision; the profile's
/// own rule replaces the shared one instead of doubling it.
#[test]
fn expiry_is_a_warning_in_the_2026_revision() {
    let cat = Catalogue::builtin().unwrap();
    for (name, severity) in [
        ("huawei-elb-v3@2026-01-20", Severity::Warning),
        ("huawei-elb-v3", Severity::Error),
    ] {
        let p = cat.profile(name).unwrap();
        for id in ["cert-expired", "cert-not-yet-valid"] {
            let rules: Vec<_> = p.rule_instances().iter().filter(|r| r.id == id).collect();
            assert_eq!(rules.len(), 1, "{name}: {id}");
            assert_eq!(rules[0].severity, severity, "{name}: {id}");
        }
    }
    let doc = "corpus/huawei-elb-v3/fail-cert-expired.json";
    let out = check("huawei-elb-v3@2026-01-20", doc, &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("Currently, ELB does not check certificate validity."));
    assert_eq!(
        check("huawei-elb-v3@2024-07-11", doc, &[]).status.code(),
        Some(1)
    );
}

#[test]
fn rules_lists_both_revisions_and_what_changed() {
    let all = stdout(&certgate(&["rules"]));
    assert!(all.contains("huawei-elb-v3@2026-01-20 — "), "{all}");
    assert!(all.contains("huawei-elb-v3@2024-07-11 — "), "{all}");
    assert!(all.contains("at most 100 comma-separated names (revision 2024-07-11: 30)"));
    let old = stdout(&certgate(&["rules", "-p", "huawei-elb-v3@2024-07-11"]));
    assert!(old.contains("at most 30 comma-separated names"), "{old}");
    assert!(!old.contains("huawei-elb-v3@2026-01-20"), "{old}");
    let default = stdout(&certgate(&["rules", "-p", "huawei-elb-v3"]));
    assert!(
        default.starts_with("huawei-elb-v3@2024-07-11 — "),
        "{default}"
    );
    let new = stdout(&certgate(&["rules", "-p", "huawei-elb-v3@2026-01-20"]));
    assert!(new.contains("enc-certificate-not-allowed"), "{new}");
}

#[test]
fn explain_shows_both_revisions() {
    let text = stdout(&certgate(&["explain", "domain-count"]));
    assert!(
        text.contains("at most 100 comma-separated names (revision 2024-07-11: 30)"),
        "{text}"
    );
    assert!(text.contains("at most 30 comma-separated names."), "{text}");
    assert!(text.contains("updated 2026-01-20"), "{text}");
    assert!(text.contains("updated 2024-07-11"), "{text}");
    let old = stdout(&certgate(&[
        "explain",
        "domain-count",
        "-p",
        "huawei-elb-v3@2024-07-11",
    ]));
    assert!(
        old.contains("at most 30") && !old.contains("at most 100"),
        "{old}"
    );
}

/// A report says which document it used when `id` alone would not have selected it.
#[test]
fn a_report_names_an_opt_in_revision() {
    let doc = "corpus/huawei-elb-v3/pass-typical.json";
    let profile_of = |name: &str| {
        let out = check(name, doc, &["--format", "json"]);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["profile"].as_str().unwrap().to_string()
    };
    assert_eq!(
        profile_of("huawei-elb-v3@2026-01-20"),
        "huawei-elb-v3@2026-01-20"
    );
    assert_eq!(profile_of("huawei-elb-v3"), "huawei-elb-v3");
}

/// Every rule the two revisions share unchanged (same id, place, kind, parameters,
/// severity and condition) fails the 2024 fixtures that name it under the 2026 revision
/// too: the 2026 rule file repeats them, and this holds the copy to the original.
#[test]
fn unchanged_rules_fail_the_same_fixtures_in_both_revisions() {
    let cat = Catalogue::builtin().unwrap();
    let key = |r: &certgate::harness::internals::RuleInstance| {
        format!(
            "{} {:?} {:?} {:?} {:?} {}",
            r.id, r.at, r.applies, r.severity, r.check, r.when
        )
    };
    let old = cat.profile("huawei-elb-v3@2024-07-11").unwrap();
    let new = cat.profile("huawei-elb-v3@2026-01-20").unwrap();
    let new_keys: std::collections::BTreeSet<String> =
        new.rule_instances().iter().map(key).collect();
    // Ids every instance of which is the same in both revisions.
    let mut unchanged: Vec<&str> = old
        .rule_instances()
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| {
            old.rule_instances()
                .iter()
                .filter(|r| r.id == *id)
                .all(|r| new_keys.contains(&key(r)))
        })
        .collect();
    // field-unknown reads the fields each document declares, which differ (`enc_*` are
    // members of the 2026 body): its fixture names a field that became known.
    unchanged.retain(|id| *id != "field-unknown");
    // Longest first, so that a fixture is matched to its most specific id.
    unchanged.sort_by_key(|id| std::cmp::Reverse(id.len()));
    unchanged.dedup();
    let dir = common::root().join("corpus/huawei-elb-v3");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("fail-") && n.ends_with(".json"))
        .collect();
    names.sort();
    let mut compared = 0;
    for name in names {
        let stem = name.trim_end_matches(".json");
        let Some(id) = unchanged.iter().find(|id| {
            let rest = &stem["fail-".len()..];
            rest == **id || rest.starts_with(&format!("{id}-"))
        }) else {
            continue;
        };
        let doc = format!("corpus/huawei-elb-v3/{name}");
        let got = raised("huawei-elb-v3@2026-01-20", &doc);
        assert!(
            got.iter().any(|r| r == id),
            "{doc}: {id} under the 2026 revision: {got:?}"
        );
        compared += 1;
    }
    assert!(compared >= 40, "only {compared} fixtures compared");
}

/// A project adopts the 2026 document with `[revisions]` in certgate.toml: the bare id
/// selects it for `check` (documents and manifests) and `request`, an explicit
/// `@revision` still wins, and a pin to a missing revision or profile is exit 2.
#[test]
fn certgate_toml_pins_the_revision_a_bare_id_selects() {
    let dir = common::tempdir("revisions");
    let doc = dir.join("elb31.json");
    let names: Vec<String> = (0..31).map(|i| format!("a{i}.example.com")).collect();
    std::fs::write(
        &doc,
        serde_json::json!({"certificate": {"domain": names.join(",")}}).to_string(),
    )
    .unwrap();
    let config = dir.join("certgate.toml");
    let run = |args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--config", config.to_str().unwrap(), "--at", common::AT]);
        certgate(&all)
    };
    let doc = doc.to_str().unwrap();
    std::fs::write(&config, "[revisions]\nhuawei-elb-v3 = \"2026-01-20\"\n").unwrap();
    let o = run(&["check", "-p", "huawei-elb-v3", doc, "-f", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["profile"], "huawei-elb-v3@2026-01-20");
    let o = run(&["check", "-p", "huawei-elb-v3@2024-07-11", doc, "-f", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    // A manifest's uploads name the bare id too.
    std::fs::write(
        &config,
        format!(
            "[revisions]\nhuawei-elb-v3 = \"2026-01-20\"\n\n[[upload]]\nprofile = \"huawei-elb-v3\"\ndocument = {doc:?}\n"
        ),
    )
    .unwrap();
    let o = certgate(&[
        "check",
        "--manifest",
        config.to_str().unwrap(),
        "--at",
        common::AT,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // `request` writes the body under the same selection.
    let body = dir.join("body.json");
    let o = run(&[
        "request",
        "-p",
        "huawei-elb-v3",
        doc,
        "-o",
        body.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(body.exists());
    // `explain` shows the instance such a run enforces.
    let o = certgate(&[
        "explain",
        "domain-count",
        "-p",
        "huawei-elb-v3",
        "--config",
        config.to_str().unwrap(),
    ]);
    let text = stdout(&o);
    assert!(text.contains("huawei-elb-v3@2026-01-20 ("), "{text}");
    assert!(!text.contains("huawei-elb-v3 ("), "{text}");

    std::fs::write(&config, "[revisions]\nhuawei-elb-v3 = \"2025-01-01\"\n").unwrap();
    let o = run(&["check", "-p", "huawei-elb-v3", doc]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("[revisions] huawei-elb-v3 = \"2025-01-01\": the profile has no such revision; its revisions: 2026-01-20, 2024-07-11"),
        "{err}"
    );
    std::fs::write(&config, "[revisions]\nhuawei-elbv3 = \"2026-01-20\"\n").unwrap();
    let o = run(&["check", "-p", "huawei-elb-v3", doc]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("did you mean `huawei-elb-v3`"), "{err}");
}
