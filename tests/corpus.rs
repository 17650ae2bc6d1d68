//! Every request fixture in `corpus/<profile>/` through its profile: the human and
//! JSON reports are snapshots, and the verdicts are hard asserts beside them:
//! `fail-<rule>...` must raise `<rule>`, `pass-...` must raise no error.
//!
//! Which folders run comes from the catalogue: a folder named after a built-in profile
//! id is the fixtures of its default (newest) revision, a folder named `id@revision`
//! those of an older revision (`corpus/huawei-elb-v3@2024-07-11/`); any other folder
//! (materials, chains, hostile, ...) is not a profile's and is skipped. A new target's
//! fixtures run without a test edit.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use certgate::Catalogue;
use certgate::harness::internals::ProfileInternals;
use common::{AT, certgate, relative, root, stdout};

/// The profile whose fixture `path` (`corpus/<folder>/<name>.json`) is, as `--profile`
/// takes it: its folder, if the folder is a profile id of `catalogue` (the default
/// revision) or an `id@revision` it has.
fn fixture_profile(catalogue: &Catalogue, path: &Path) -> Option<String> {
    let folder = path.parent()?.file_name()?.to_str()?;
    catalogue
        .profiles()
        .iter()
        .any(|p| p.id() == folder || p.qualified_id() == folder)
        .then(|| folder.to_string())
}

/// `id@revision` of every revision that is not its id's default: each has its own
/// fixtures folder.
fn other_revisions(catalogue: &Catalogue) -> Vec<String> {
    catalogue
        .profiles()
        .iter()
        .filter(|p| {
            catalogue
                .profile(p.id())
                .is_some_and(|d| d.profile_meta().revision != p.profile_meta().revision)
        })
        .map(|p| p.qualified_id())
        .collect()
}

fn rule_ids(profile: &str) -> Vec<String> {
    let cat = certgate::Catalogue::builtin().unwrap();
    let mut ids: Vec<String> = cat
        .profile(profile)
        .unwrap()
        .rule_instances()
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
    let catalogue = Catalogue::builtin().unwrap();
    insta::glob!("../corpus", "*/*.{json,yaml}", |path| {
        let Some(profile) = fixture_profile(&catalogue, path) else {
            return;
        };
        let profile = profile.as_str();
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let doc = relative(path);
        let json = certgate(&[
            "check",
            "--profile",
            profile,
            &doc,
            "--at",
            AT,
            "--format",
            "json",
        ]);
        let human = certgate(&["check", "--profile", profile, &doc, "--at", AT]);
        let report: serde_json::Value = serde_json::from_slice(&json.stdout)
            .unwrap_or_else(|e| panic!("{doc}: JSON report does not parse: {e}"));
        let raised: BTreeSet<String> = common::rule_ids(&report).into_iter().collect();
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

/// Every built-in profile has its fixtures: a `pass-` one and at least one `fail-`, in
/// `corpus/<id>/` for its default revision and `corpus/<id@revision>/` for each older one.
#[test]
fn every_profile_has_a_corpus_folder() {
    let catalogue = Catalogue::builtin().unwrap();
    for id in catalogue
        .profile_ids()
        .into_iter()
        .chain(other_revisions(&catalogue))
    {
        let dir = root().join("corpus").join(&id);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("profile {id} has no corpus/{id}/ folder: {e}"))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".json"))
            .collect();
        for kind in ["pass-", "fail-"] {
            assert!(
                names.iter().any(|n| n.starts_with(kind)),
                "corpus/{id}/ has no {kind}*.json fixture"
            );
        }
    }
}

/// The runner's selection: profile folders only, from whatever catalogue it is given.
#[test]
fn runner_selects_profile_folders_only() {
    let catalogue = Catalogue::builtin().unwrap();
    let corpus = root().join("corpus");
    let mut selected = BTreeSet::new();
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let dir = entry.unwrap().path();
        let probe = dir.join("pass-x.json");
        if let Some(id) = fixture_profile(&catalogue, &probe) {
            selected.insert(id);
        }
    }
    let want: BTreeSet<String> = catalogue
        .profile_ids()
        .into_iter()
        .chain(other_revisions(&catalogue))
        .collect();
    assert_eq!(selected, want, "every profile folder runs, nothing else");
    assert!(want.contains("huawei-elb-v3@2026-01-20"), "{want:?}");
    for skipped in [
        "materials",
        "chains",
        "hostile",
        "esri",
        "gen",
        "ci",
        "lint",
        "zlint",
    ] {
        let probe = corpus.join(skipped).join("pass-x.json");
        assert_eq!(fixture_profile(&catalogue, &probe), None, "{skipped}");
    }
}

/// No output of any fixture whose profile takes a secret (the Esri archives'
/// password), in any format, contains the test archives' password.
#[test]
fn outputs_never_contain_the_password() {
    let catalogue = Catalogue::builtin().unwrap();
    for profile in catalogue
        .profile_ids()
        .into_iter()
        .chain(other_revisions(&catalogue))
    {
        let profile = profile.as_str();
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

/// Adding a target needs no Rust and no test edit: a profile file (here
/// tests/data/new-target/rules/demo-lb-v1.toml, loaded beside the built-in files as
/// build.rs would list it) and its fixtures folder are picked up by the runner's
/// selection, its fixtures get their verdicts, and strategies are derived for it.
#[test]
fn a_new_target_is_picked_up_without_code_changes() {
    let data = root().join("tests/data/new-target");
    let text = std::fs::read_to_string(data.join("rules/demo-lb-v1.toml")).unwrap();
    let catalogue = Catalogue::builtin_with(&[("demo-lb-v1.toml", &text)]).unwrap();
    let profile = catalogue
        .profile("demo-lb-v1")
        .expect("the new profile loads");
    let dir = data.join("corpus/demo-lb-v1");
    let mut fixtures: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    fixtures.sort();
    for path in &fixtures {
        assert_eq!(
            fixture_profile(&catalogue, path).as_deref(),
            Some("demo-lb-v1"),
            "{}",
            path.display()
        );
        // The runner's verdict, through the library (the CLI loads user files the same way).
        let doc = std::fs::read_to_string(path).unwrap();
        let mut request = certgate::Request::parse(&doc, None).unwrap();
        for r in request.sources() {
            let certgate::Source::File(f) = &r.source else {
                panic!("{}: only file references", path.display())
            };
            request.resolve(&r.pointer, std::fs::read(dir.join(f)).unwrap());
        }
        let at = time::macros::datetime!(2026-06-01 0:00 UTC);
        let report = certgate::check(profile, &request, at);
        let stem = path.file_stem().unwrap().to_str().unwrap();
        if stem.starts_with("pass-") {
            assert!(!report.has_errors(), "{stem}: {:#?}", report.diagnostics);
        } else {
            let rule = stem.strip_prefix("fail-").unwrap();
            assert!(
                report.diagnostics.iter().any(|d| rule.starts_with(&d.rule)),
                "{stem}: {:#?}",
                report.diagnostics
            );
        }
    }
    // The built-in runner would select the folder too once the file is in rules/: it is
    // the same function over the catalogue.
    assert_eq!(
        fixture_profile(
            &Catalogue::builtin().unwrap(),
            &dir.join("pass-typical.json")
        ),
        None
    );
    #[cfg(feature = "proptest")]
    {
        use certgate::strategies::{self, Base, Expect};
        use proptest::test_runner::{Config, TestRunner};
        let base = Base::from_corpus(profile, &dir).expect("a base from pass-typical.json");
        let covered: BTreeSet<(String, String)> = strategies::covered(profile, &base)
            .into_iter()
            .map(|l| (l.rule, l.pointer))
            .collect();
        for (rule, pointer) in [
            ("field-required", "/chain"),
            ("label-pattern", "/label"),
            ("hosts-count", "/hosts"),
            ("hosts-label-length", "/hosts"),
            ("mode-enum", "/mode"),
        ] {
            assert!(
                covered.contains(&(rule.to_string(), pointer.to_string())),
                "{rule} {pointer}: {covered:?}"
            );
        }
        let at = time::macros::datetime!(2026-06-01 0:00 UTC);
        let mut runner = TestRunner::new(Config {
            failure_persistence: None,
            ..Config::with_cases(16)
        });
        for strategy in [
            strategies::valid_of(profile, &base).unwrap(),
            strategies::past_of(profile, &base).unwrap(),
        ] {
            runner
                .run(&strategy, |case| {
                    let report = certgate::check(profile, &case.to_request(), at);
                    match &case.expect {
                        Expect::Accept => proptest::prop_assert!(!report.has_errors()),
                        Expect::Reject { rule, .. } => proptest::prop_assert!(
                            report.diagnostics.iter().any(|d| &d.rule == rule)
                        ),
                    }
                    Ok(())
                })
                .unwrap();
        }
    }
}
