//! Replays every input under `fuzz/regressions/<target>/` through `certgate::harness`,
//! the same functions the fuzz targets call. Inputs that once crashed a target stay
//! here; none may panic. The layout is `fuzz/regressions/<target>/<name>`.

use std::fs;
use std::path::{Path, PathBuf};

use certgate::harness::TARGETS;

fn regressions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions")
}

fn inputs(target: &str) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(regressions().join(target)) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != ".gitkeep"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_saved_input_replays_without_panic() {
    let mut replayed = 0;
    for target in TARGETS {
        for path in inputs(target) {
            let data = fs::read(&path).expect("a readable fixture");
            let outcome = std::panic::catch_unwind(|| certgate::harness::run(target, &data));
            assert_eq!(outcome.ok(), Some(true), "{} panics", path.display());
            replayed += 1;
        }
    }
    // The directory holds one input per target that ever crashed; an empty replay
    // would mean the layout moved and nothing is being checked.
    assert!(replayed >= 5, "only {replayed} regression inputs found");
}

#[test]
fn regressions_name_known_targets() {
    for entry in fs::read_dir(regressions()).expect("fuzz/regressions exists") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                TARGETS.contains(&name.as_str()),
                "fuzz/regressions/{name} is not a fuzz target (targets: {TARGETS:?})"
            );
        }
    }
}

#[test]
fn fuzz_manifest_lists_every_harness_target() {
    let manifest = fs::read_to_string(regressions().join("../Cargo.toml")).unwrap();
    for target in TARGETS {
        assert!(
            manifest.contains(&format!(
                "name = \"{target}\"\npath = \"fuzz_targets/{target}.rs\""
            )),
            "fuzz/Cargo.toml has no [[bin]] for {target}"
        );
    }
    assert!(!certgate::harness::run("no-such-target", b""));
}

/// The `check` target reads the profile's name from the first line, for every built-in
/// profile (no index into a list that grows).
#[test]
fn check_input_names_each_profile() {
    let catalogue = certgate::Catalogue::builtin().unwrap();
    for p in catalogue.profiles() {
        for name in [p.id().to_string(), p.qualified_id()] {
            let data = certgate::harness::check_input(&name, b"{}");
            assert!(data.starts_with(format!("{name}\n").as_bytes()));
            assert!(certgate::harness::run("check", &data));
        }
    }
    assert!(certgate::harness::run("check", b"no-such-profile\n{}"));
    assert!(certgate::harness::run("check", b"no newline"));
}
