//! The catalogue as data: ids well-formed and unique per location, every rule cited
//! from a registered document (documented rules quote their own target's page
//! verbatim), every rule exercised by fixtures.

use std::collections::BTreeSet;
use std::path::Path;

use certgate::Basis;
use certgate::Catalogue;
use certgate::harness::internals::ProfileInternals;
use certgate::harness::internals::{SourceKind, Sources};

/// The API pages are HTML flattened to text: compare with whitespace and bullets folded.
fn normalise(s: &str) -> String {
    s.replace('•', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every `[profile]` of `rules/*.toml` (but lint's own) is a built-in target: a new
/// file is one, with no list to edit.
#[test]
fn builtin_catalogue_loads_with_all_profiles() {
    let cat = Catalogue::builtin().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut ids: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter_map(|p| {
            let t: toml::Table = toml::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            Some(t.get("profile")?.get("id")?.as_str()?.to_string())
        })
        .filter(|id| id != "lint" && !id.starts_with("lint-"))
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(cat.profile_ids(), ids);
    for id in [
        "huawei-elb-v3",
        "huawei-apic-v2",
        "esri-portal-import",
        "huawei-waf-certificate",
    ] {
        assert!(ids.iter().any(|i| i == id), "{id}");
    }
}

/// Every built-in profile, `certgate lint`'s included.
fn all_profiles() -> Vec<certgate::Profile> {
    let mut all = Catalogue::builtin().unwrap().profiles().to_vec();
    all.push(certgate::Linter::new().unwrap().profile().clone());
    all
}

#[test]
fn every_rule_cites_a_registered_document_and_quotes_api_pages_verbatim() {
    let sources = Sources::builtin().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for p in all_profiles() {
        for r in p.rule_instances() {
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
            let source = sources.get(&c.source).unwrap_or_else(|| {
                panic!(
                    "{}: {} cites {:?}, which rules/sources/sources.toml does not register",
                    p.id(),
                    r.id,
                    c.source
                )
            });
            assert_eq!(c.document, Some(source.document()), "{}: {}", p.id(), r.id);
            if let Some(file) = &source.file {
                let text = std::fs::read_to_string(root.join("rules/sources").join(file))
                    .unwrap_or_else(|e| panic!("{}: {}: {file}: {e}", p.id(), r.id));
                assert!(
                    normalise(&text).contains(&normalise(&c.quote)),
                    "{}: {}: quote not found verbatim in {file}: {:?}",
                    p.id(),
                    r.id,
                    c.quote
                );
            }
        }
    }
}

/// A finding of one target never cites another target's page: an APIC or Esri finding
/// citing the ELB page (as the shared sets once did) would promise a constraint that
/// target never documented. Documented rules cite their own target's page; others cite
/// it or a standard.
#[test]
fn every_profile_cites_only_its_own_targets_documentation() {
    let sources = Sources::builtin().unwrap();
    for p in all_profiles() {
        for r in p.rule_instances() {
            let c = r.citation.as_ref().unwrap();
            let source = sources.get(&c.source).unwrap();
            let own = source.kind == SourceKind::Api && source.targets.iter().any(|t| t == p.id());
            if source.kind == SourceKind::Api {
                assert!(
                    own,
                    "{}: {} cites {}, the documentation of {:?}",
                    p.id(),
                    r.id,
                    c.source,
                    source.targets
                );
            }
            if r.basis == Basis::Documented {
                assert!(
                    own,
                    "{}: {} is documented but cites {}, not this target's documentation",
                    p.id(),
                    r.id,
                    c.source
                );
            }
        }
    }
}

/// Each API profile names its page (`seed`), whose date is the profile's `doc-updated`.
#[test]
fn every_profile_seed_is_its_targets_page() {
    let sources = Sources::builtin().unwrap();
    for p in Catalogue::builtin().unwrap().profiles() {
        let seed = sources.get(&p.profile_meta().seed).unwrap_or_else(|| {
            panic!(
                "{}: seed {:?} is not registered",
                p.id(),
                p.profile_meta().seed
            )
        });
        assert_eq!(seed.kind, SourceKind::Api, "{}", p.id());
        assert!(seed.targets.iter().any(|t| t == p.id()), "{}", p.id());
        assert_eq!(
            seed.date,
            p.profile_meta().doc_updated,
            "{}: doc-updated",
            p.id()
        );
        assert_eq!(
            p.profile_meta().document,
            Some(seed.document()),
            "{}",
            p.id()
        );
    }
}

/// The registry: loaded the same from TOML and from build.rs's JSON; every API page kept
/// as a file and every file registered; ids unique.
#[test]
fn sources_registry_matches_the_files() {
    let from_toml = Sources::from_toml(certgate::harness::internals::SOURCES_TOML).unwrap();
    let builtin = Sources::builtin().unwrap();
    assert_eq!(&from_toml, builtin);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/sources");
    let mut ids = BTreeSet::new();
    let mut registered = BTreeSet::new();
    for s in builtin.iter() {
        assert!(ids.insert(s.id.clone()), "{} registered twice", s.id);
        assert!(!s.vendor.is_empty() && !s.title.is_empty(), "{}", s.id);
        assert!(
            s.url.is_empty() || s.url.starts_with("https://"),
            "{}: {}",
            s.id,
            s.url
        );
        match s.kind {
            SourceKind::Api => {
                let file = s
                    .file
                    .clone()
                    .unwrap_or_else(|| panic!("{}: no file", s.id));
                assert_eq!(file, format!("{}.txt", s.id), "file named after the id");
                assert!(dir.join(&file).is_file(), "{}: {file} missing", s.id);
                assert!(!s.targets.is_empty(), "{}: no targets", s.id);
                registered.insert(file);
            }
            _ => assert!(s.file.is_none() && s.targets.is_empty(), "{}", s.id),
        }
    }
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n != "sources.toml")
        .collect();
    assert_eq!(
        on_disk, registered,
        "files in rules/sources/ and the registry"
    );
}

/// `[cite]` only in a profile, and only for a rule the profile includes.
#[test]
fn profile_citations_for_shared_rules_are_checked() {
    let set = r#"
[[rule]]
id = "shared"
kind = "pem-well-formed"
applies = "pem"
severity = "error"
basis = "inferred"
summary = "s"
help = "h"
citation = { source = "rfc7468", section = "2", quote = "q" }
"#;
    let profile = |cite: &str| {
        format!(
            r#"
[profile]
id = "p"
title = "t"
endpoint = "e"
seed = "s"
revision = "1"
include = ["set"]

[cite]
{cite}

[[field]]
pointer = "/c"
material = "certificates"
"#
        )
    };
    let ok = profile(r#"shared = { basis = "documented", source = "mine", quote = "Mine." }"#);
    let cat = Catalogue::from_files(&[("set.toml", set), ("p.toml", &ok)]).unwrap();
    let r = &cat.profile("p").unwrap().rule_instances()[0];
    assert_eq!(r.basis, Basis::Documented);
    let c = r.citation.as_ref().unwrap();
    assert_eq!((c.source.as_str(), c.quote.as_str()), ("mine", "Mine."));
    // An unregistered source is named as written.
    assert_eq!(c.document, None);
    assert_eq!(c.cited(), "mine");

    let typo = profile(r#"shraed = { basis = "documented", source = "mine", quote = "Mine." }"#);
    let err = Catalogue::from_files(&[("set.toml", set), ("p.toml", &typo)]).unwrap_err();
    assert!(err.to_string().contains("shraed"), "{err}");

    let in_set = format!(
        "{set}\n[cite]\nshared = {{ basis = \"documented\", source = \"x\", quote = \"y\" }}\n"
    );
    let err =
        Catalogue::from_files(&[("set.toml", &in_set), ("p.toml", &profile(""))]).unwrap_err();
    assert!(err.to_string().contains("[cite]"), "{err}");
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
    // An older revision's fixtures are its own folder (`corpus/id@revision/`, what
    // changed) and its id's folder (what it shares with the default revision).
    let own_fixtures = |p: &certgate::Profile| -> BTreeSet<String> {
        let mut names = fixtures(p.id());
        if cat.profile(p.id()).map(|d| &d.profile_meta().revision)
            != Some(&p.profile_meta().revision)
        {
            names.extend(fixtures(&p.qualified_id()));
        }
        names
    };
    let has_fail = |names: &BTreeSet<String>, id: &str| {
        let prefix = format!("fail-{id}");
        names
            .iter()
            .any(|n| n == &format!("{prefix}.json") || n.starts_with(&format!("{prefix}-")))
    };
    for p in cat.profiles() {
        let own = own_fixtures(p);
        assert!(
            own.iter().any(|n| n.starts_with("pass-")),
            "{}: no pass fixture",
            p.id()
        );
        for r in p.rule_instances() {
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
            p.profile_meta().endpoint,
            p.profile_meta().seed
        ));
        for r in p.rule_instances() {
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
        for r in p.rule_instances() {
            if let certgate::harness::internals::Check::Pattern(k) = &r.check {
                let pattern = &k.pattern;
                assert!(
                    p.compiled_pattern(pattern).is_some(),
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
    let from_toml = Catalogue::from_files(certgate::harness::internals::BUILTIN_FILES).unwrap();
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
    // The first profile (in load order) that includes the shadowed set reports it.
    let includers: Vec<String> = Catalogue::builtin()
        .unwrap()
        .profiles()
        .iter()
        .filter(|p| p.profile_meta().include.iter().any(|i| i == "pem-common"))
        .map(|p| format!("{}.toml:", p.id()))
        .collect();
    assert!(
        includers
            .iter()
            .any(|f| err.to_string().starts_with(f.as_str())),
        "{err}"
    );
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
