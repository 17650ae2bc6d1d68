//! The registry of rule kinds: every kind documented and used, `rules --kinds` in its
//! three formats, former kind names still loading, and parameter overrides in
//! certgate.toml.

mod common;

use certgate::Catalogue;
use certgate::harness::internals::BUILTIN_FILES;
use certgate::harness::internals::KINDS;
use certgate::harness::internals::ProfileInternals;
use common::{AT, certgate, root, stdout, tempdir};

/// The `kind = "..."` names written in a TOML text.
fn kinds_in(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("kind = \""))
        .filter_map(|l| l.split('"').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_kind_is_documented_and_has_an_instance_or_a_policy_example() {
    let catalogue = Catalogue::builtin().unwrap();
    let linter = certgate::Linter::new().unwrap();
    let built_in: Vec<&str> = catalogue
        .profiles()
        .iter()
        .chain([linter.profile()])
        .flat_map(|p| p.rule_instances().iter().map(|r| r.check.kind()))
        .collect();
    // Documented policy examples: the README's policy section and corpus/ci/*.toml.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut examples = kinds_in(&readme);
    for entry in std::fs::read_dir(root().join("corpus/ci")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            examples.extend(kinds_in(&std::fs::read_to_string(&path).unwrap()));
        }
    }
    let mut problems = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    for k in KINDS {
        for n in std::iter::once(&k.name).chain(k.aliases) {
            if !names.insert(*n) {
                problems.push(format!("{n}: named twice (as a kind or a former name)"));
            }
        }
        for (part, text) in [("what", k.what), ("why", k.why)] {
            if text.trim().len() < 10 || !text.ends_with('.') {
                problems.push(format!("{}: `{part}` is not a sentence: {text:?}", k.name));
            }
        }
        for p in k.parameters {
            if p.meaning.trim().len() < 10 || p.ty == "value" {
                problems.push(format!(
                    "{}: parameter {} lacks a meaning or a documented type",
                    k.name, p.name
                ));
            }
        }
        if !built_in.contains(&k.name) && !examples.iter().any(|e| e == k.name) {
            problems.push(format!(
                "{}: no built-in instance and no policy example (README or corpus/ci)",
                k.name
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn rules_kinds_documents_every_kind_in_three_formats() {
    let human = certgate(&["rules", "--kinds"]);
    assert_eq!(human.status.code(), Some(0));
    let text = stdout(&human);
    for k in KINDS {
        assert!(text.contains(&format!("\n{}", k.name)) || text.starts_with(k.name));
    }
    assert!(
        text.contains("pem-malformed (formerly pem-well-formed)"),
        "{text}"
    );
    assert!(text.contains("    days (integer, required): "), "{text}");

    let json = certgate(&["rules", "--kinds", "--format", "json"]);
    assert_eq!(json.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), KINDS.len());
    let max_chars = list.iter().find(|k| k["name"] == "max-chars").unwrap();
    assert!(
        max_chars["doc"]
            .as_str()
            .unwrap()
            .contains("Why uploads fail")
    );
    let params = max_chars["parameters"].as_array().unwrap();
    assert_eq!(params[0]["name"], "max");
    assert_eq!(params[0]["type"], "non-negative integer");
    assert_eq!(params[0]["required"], true);
    assert_eq!(params[1]["name"], "note");
    assert_eq!(params[1]["required"], false);
    assert!(!params[1]["meaning"].as_str().unwrap().is_empty());

    let md = certgate(&["rules", "--kinds", "--format", "markdown"]);
    assert_eq!(md.status.code(), Some(0));
    let md = stdout(&md);
    assert!(md.contains("## `weak-key`"), "{md}");
    assert!(
        md.contains("| `min-rsa-bits` | non-negative integer | yes |"),
        "{md}"
    );
}

/// A user policy file with one rule of `kind`, for every profile.
fn policy_with(kind: &str, params: &str) -> String {
    format!(
        "[policy]\nprofiles = [\"*\"]\n\n[[rule]]\nid = \"my-rule\"\nkind = \"{kind}\"\n\
         applies = \"certificates\"\n{params}severity = \"warning\"\nbasis = \"policy\"\n\
         summary = \"s\"\nhelp = \"h\"\ncitation = {{ source = \"my policy\", quote = \"q\" }}\n"
    )
}

#[test]
fn former_kind_names_still_load() {
    let params = |name: &str| match name {
        "domain-not-in-certificate" => "certificate = \"/certificate/certificate\"\n",
        "cert-expiring-soon" => "days = 10\n",
        "algorithm-mismatch" => "certificate = \"/c\"\ndefault = \"RSA\"\n",
        "issuer-import-required" => "chain-param = \"importChain\"\n",
        _ => "",
    };
    let mut tried = 0;
    for k in KINDS {
        for alias in k.aliases {
            let policy = policy_with(alias, params(k.name));
            let mut files = BUILTIN_FILES.to_vec();
            files.push(("policy.toml", &policy));
            let cat = Catalogue::from_files(&files)
                .unwrap_or_else(|e| panic!("{alias} does not load: {e}"));
            let r = cat.profiles()[0]
                .rule_instances()
                .iter()
                .find(|r| r.id == "my-rule")
                .unwrap();
            assert_eq!(r.check.kind(), k.name, "{alias}");
            tried += 1;
        }
    }
    assert!(tried >= 3);
}

#[test]
fn unknown_kinds_and_parameters_are_refused_with_the_name() {
    let load = |policy: String| {
        let mut files = BUILTIN_FILES.to_vec();
        files.push(("policy.toml", &policy));
        Catalogue::from_files(&files).unwrap_err().to_string()
    };
    let e = load(policy_with("weak-kye", ""));
    assert!(e.contains("unknown rule kind `weak-kye`"), "{e}");
    assert!(e.contains("did you mean `weak-key`"), "{e}");
    let e = load(policy_with("cert-expiring-soon", "days = 10\nweeks = 2\n"));
    assert!(e.contains("unknown field `weeks`"), "{e}");
    let e = load(policy_with("no-san", "days = 10\n"));
    assert!(e.contains("takes no parameters"), "{e}");
}

fn json_rules(o: &std::process::Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(&stdout(o)).unwrap();
    common::rule_ids(&v)
}

#[test]
fn parameters_override_instances_in_both_forms() {
    let dir = tempdir("params");
    let doc = "corpus/huawei-elb-v3/pass-cert-expiring-soon-2026-08.json";
    let run = |config: &str| {
        let path = dir.join("certgate.toml");
        std::fs::write(&path, config).unwrap();
        let p = path.to_str().unwrap().to_string();
        certgate(&[
            "check",
            "-p",
            "huawei-elb-v3",
            doc,
            "--at",
            AT,
            "--format",
            "json",
            "--config",
            &p,
        ])
    };
    // Built in: 30 days, so a leaf ending in August 2026 is fine on 1 June.
    let o = run("");
    assert!(!json_rules(&o).contains(&"cert-expiring-soon".to_string()));
    // The generic form.
    let o = run("[parameters]\ncert-expiring-soon = { days = 120 }\n");
    assert!(
        json_rules(&o).contains(&"cert-expiring-soon".to_string()),
        "{}",
        stdout(&o)
    );
    // The older form.
    let o = run("[thresholds]\nexpiring-soon-days = 120\n");
    assert!(json_rules(&o).contains(&"cert-expiring-soon".to_string()));
    // `explain` shows the change by the parameter's name.
    let path = dir.join("certgate.toml");
    std::fs::write(&path, "[parameters]\ncert-expiring-soon = { days = 45 }\n").unwrap();
    let o = certgate(&[
        "explain",
        "cert-expiring-soon",
        "--config",
        path.to_str().unwrap(),
    ]);
    assert!(
        stdout(&o).contains("  huawei-elb-v3: days = 45 (built-in 30)"),
        "{}",
        stdout(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_parameter_exits_2_naming_rule_parameter_and_type() {
    let dir = tempdir("bad-params");
    let doc = "corpus/huawei-elb-v3/pass-typical.json";
    let run = |config: &str| {
        let path = dir.join("certgate.toml");
        std::fs::write(&path, config).unwrap();
        let p = path.to_str().unwrap().to_string();
        certgate(&[
            "check",
            "-p",
            "huawei-elb-v3",
            doc,
            "--at",
            AT,
            "--config",
            &p,
        ])
    };
    let o = run("[parameters]\ncert-expiring-soon = { days = \"soon\" }\n");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cert-expiring-soon"), "{err}");
    assert!(err.contains("`days`"), "{err}");
    assert!(err.contains("takes an integer"), "{err}");

    let o = run("[parameters]\nweak-key = { min-rsa-bit = 3072 }\n");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("weak-key"), "{err}");
    assert!(err.contains("no parameter `min-rsa-bit`"), "{err}");
    assert!(err.contains("did you mean `min-rsa-bits`"), "{err}");

    let o = run("[parameters]\nno-such-rule = { days = 3 }\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-such-rule"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn pattern_names_where_any_user_pattern_stops_matching() {
    let message = |pattern: &str, name: &str| {
        let policy = format!(
            "[policy]\nprofiles = [\"huawei-elb-v3\"]\n\n[[rule]]\nid = \"prod-name\"\n\
             kind = \"pattern\"\nat = \"/certificate/name\"\npattern = '{pattern}'\n\
             min-chars = 1\nmax-chars = 64\ndescribe = \"our naming form\"\n\
             severity = \"error\"\nbasis = \"policy\"\nsummary = \"s\"\nhelp = \"h\"\n\
             citation = {{ source = \"naming policy\", quote = \"q\" }}\n"
        );
        let mut files = BUILTIN_FILES.to_vec();
        files.push(("policy.toml", &policy));
        let cat = Catalogue::from_files(&files).unwrap();
        let profile = cat.profile("huawei-elb-v3").unwrap();
        let body = format!(r#"{{"certificate": {{"name": "{name}"}}}}"#);
        let request = certgate::Request::parse(&body, None).unwrap();
        let at = time::macros::datetime!(2026-06-01 0:00 UTC);
        certgate::check(profile, &request, at)
            .diagnostics
            .into_iter()
            .find(|d| d.rule == "prod-name")
            .map(|d| d.message)
    };
    let m = message("^prod-[a-z0-9-]+$", "prod-Web").unwrap();
    assert_eq!(
        m,
        "`name` must be our naming form: character 6 (\"W\") cannot follow \"prod-\""
    );
    let m = message("^prod-[a-z0-9-]+$", "staging-web").unwrap();
    assert!(m.ends_with("it cannot start with \"s\""), "{m}");
    let m = message("^prod-[a-z0-9-]+$", "prod-").unwrap();
    assert!(m.ends_with("it ends before the form is complete"), "{m}");
    let m = message(r"^[a-z]+-[0-9]{2}$", "web-1x").unwrap();
    assert!(
        m.ends_with("character 6 (\"x\") cannot follow \"web-1\""),
        "{m}"
    );
    // Unanchored: it may match anywhere, so no position is claimed.
    let m = message("prod", "web").unwrap();
    assert!(m.ends_with("it does not match prod"), "{m}");
    assert_eq!(message("^prod-[a-z0-9-]+$", "prod-web-01"), None);
}
