//! The catalogue as data: ids well-formed and unique per location, every rule cited
//! (documented rules quote their seed verbatim), every rule exercised by fixtures.

use std::collections::BTreeSet;
use std::path::Path;

use certgate::Catalogue;
use certgate::report::Basis;

/// Seeds are HTML pages flattened to text: compare with whitespace and bullets folded.
fn normalise(s: &str) -> String {
    s.replace('•', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn builtin_catalogue_loads_with_all_profiles() {
    let cat = Catalogue::builtin().unwrap();
    assert_eq!(
        cat.profile_ids(),
        [
            "esri-portal-csr",
            "esri-portal-import",
            "esri-portal-update",
            "huawei-apic-v2",
            "huawei-elb-v3"
        ]
    );
}

#[test]
fn every_rule_has_a_citation_and_documented_ones_quote_their_seed() {
    let cat = Catalogue::builtin().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for p in cat.profiles() {
        for r in &p.rules {
            let c = r
                .citation
                .as_ref()
                .unwrap_or_else(|| panic!("{}: {} has no citation", p.id(), r.id));
            assert!(
                !c.quote.trim().is_empty(),
                "{}: {} cites nothing",
                p.id(),
                r.id
            );
            if c.source.ends_with(".txt") {
                let seed = std::fs::read_to_string(root.join("rules/sources").join(&c.source))
                    .unwrap_or_else(|e| panic!("{}: {}: seed {}: {e}", p.id(), r.id, c.source));
                assert!(
                    normalise(&seed).contains(&normalise(&c.quote)),
                    "{}: {}: quote not found verbatim in {}: {:?}",
                    p.id(),
                    r.id,
                    c.source,
                    c.quote
                );
            } else {
                assert_eq!(
                    r.basis,
                    Basis::Inferred,
                    "{}: {} documented but cites no seed",
                    p.id(),
                    r.id
                );
            }
            if r.basis == Basis::Documented {
                assert!(
                    c.source.ends_with(".txt"),
                    "{}: {} documented rules cite the seed",
                    p.id(),
                    r.id
                );
            }
        }
    }
}

#[test]
fn every_rule_has_a_failing_and_the_profile_passing_fixtures() {
    let cat = Catalogue::builtin().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixtures = |profile: &str| -> BTreeSet<String> {
        let dir = root.join("corpus").join(profile);
        std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".json"))
            .collect()
    };
    let has_fail = |names: &BTreeSet<String>, id: &str| {
        let prefix = format!("fail-{id}");
        names
            .iter()
            .any(|n| n == &format!("{prefix}.json") || n.starts_with(&format!("{prefix}-")))
    };
    for p in cat.profiles() {
        let own = fixtures(p.id());
        assert!(
            own.iter().any(|n| n.starts_with("pass-")),
            "{}: no pass fixture",
            p.id()
        );
        for r in &p.rules {
            // Rules shared by several profiles (`applies`) need a failing fixture in one
            // of them; a profile's own rules (`at`) need one in the profile's folder.
            let found = if r.at.is_some() {
                has_fail(&own, &r.id)
            } else {
                cat.profiles()
                    .iter()
                    .any(|q| has_fail(&fixtures(q.id()), &r.id))
            };
            assert!(
                found,
                "{}: rule {} has no fail-{}*.json fixture",
                p.id(),
                r.id,
                r.id
            );
        }
    }
}

#[test]
fn catalogue_listing_is_stable() {
    let cat = Catalogue::builtin().unwrap();
    let mut out = String::new();
    for p in cat.profiles() {
        out.push_str(&format!(
            "{} ({}, {})\n",
            p.qualified_id(),
            p.meta.endpoint,
            p.meta.seed
        ));
        for r in &p.rules {
            let at =
                r.at.clone()
                    .unwrap_or_else(|| format!("{:?}", r.applies.unwrap()).to_lowercase());
            out.push_str(&format!(
                "  {:<26} {:<8} {:<10} {}\n",
                r.id,
                r.severity.as_str(),
                format!("{:?}", r.basis).to_lowercase(),
                at
            ));
        }
    }
    insta::assert_snapshot!(out);
}

#[test]
fn every_builtin_pattern_compiles() {
    let cat = Catalogue::builtin().unwrap();
    for p in cat.profiles() {
        for r in &p.rules {
            if let certgate::catalogue::Check::Pattern { pattern, .. } = &r.check {
                assert!(
                    p.pattern(pattern).is_some(),
                    "{}: {}: {pattern}",
                    p.id(),
                    r.id
                );
            }
        }
    }
}

/// `Catalogue::builtin` loads the JSON form build.rs made of rules/*.toml and skips
/// validation; loading the TOML through `from_files` validates (a bad built-in rule fails
/// here) and must give the same catalogue, field for field.
#[test]
fn builtin_json_form_matches_the_validated_toml() {
    let from_toml = Catalogue::from_files(certgate::catalogue::BUILTIN_FILES).unwrap();
    let from_json = Catalogue::builtin().unwrap();
    assert_eq!(format!("{from_toml:#?}"), format!("{from_json:#?}"));
    assert!(!from_json.profiles().is_empty());
}

/// A user file that shadows a built-in shared set's stem gets the built-in profiles that
/// include it validated, as any user rule is.
#[test]
fn user_files_are_validated_even_beside_builtins() {
    let bad_policy = r#"
[policy]
profiles = ["huawei-elb-v3"]

[[rule]]
id = "Bad_Id"
kind = "max-validity-days"
days = 90
severity = "error"
basis = "documented"
summary = "s"
help = "h"
applies = "certificates"
citation = { source = "policy.md", quote = "q" }
"#;
    let err = Catalogue::builtin_with(&[("policy.toml", bad_policy)]).unwrap_err();
    assert!(err.to_string().contains("kebab-case"), "{err}");
    let shadow = r#"
[[rule]]
id = "bad pattern"
kind = "pattern"
at = "/x"
pattern = "("
min-chars = 1
max-chars = 2
describe = "d"
severity = "error"
basis = "documented"
summary = "s"
help = "h"
"#;
    let err = Catalogue::builtin_with(&[("pem-common.toml", shadow)]).unwrap_err();
    assert!(err.to_string().starts_with("huawei-elb-v3.toml:"), "{err}");
}

/// `certgate check` loads only the profiles it needs; each must be the very profile the
/// whole catalogue has.
#[test]
fn builtin_only_gives_the_same_profiles_as_the_whole_catalogue() {
    let all = Catalogue::builtin().unwrap();
    for id in all.profile_ids() {
        let only = Catalogue::builtin_only(&[id.as_str()]).unwrap();
        let want: Vec<_> = all.profiles().iter().filter(|p| p.id() == id).collect();
        let got: Vec<_> = only.profiles().iter().collect();
        assert_eq!(format!("{got:#?}"), format!("{want:#?}"), "{id}");
        let qualified = want[0].qualified_id();
        let only = Catalogue::builtin_only(&[qualified.as_str()]).unwrap();
        assert_eq!(only.profile_ids(), std::slice::from_ref(&id));
    }
    let two = Catalogue::builtin_only(&["huawei-elb-v3", "esri-portal-import@10.8"]).unwrap();
    assert_eq!(two.profile_ids(), ["esri-portal-import", "huawei-elb-v3"]);
    assert!(
        Catalogue::builtin_only(&["no-such-profile"])
            .unwrap()
            .profiles()
            .is_empty()
    );
}
