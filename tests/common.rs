//! Shared helpers for the integration tests: run the real binary on corpus fixtures.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// The evaluation time every test pins: fixtures never expire.
pub const AT: &str = "2026-06-01T00:00:00Z";

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `certgate` with `args` from the repository root, NO_COLOR set; `check` and
/// `lint` judge chains against the corpus's roots ([`TEST_ROOTS`]) unless `--trust` is
/// given.
pub fn certgate(args: &[&str]) -> Output {
    let mut args = args.to_vec();
    if matches!(args.first(), Some(&"check" | &"lint")) && !args.contains(&"--trust") {
        args.extend(["--trust", TEST_ROOTS]);
    }
    Command::new(env!("CARGO_BIN_EXE_certgate"))
        .args(&args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("CERTGATE_TEST_PASSWORD", "certgate-test")
        .output()
        .expect("the certgate binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The fixture's path relative to the repository root, with `/` separators.
pub fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The corpus's own roots (corpus/gen/90-trust.sh): the client verdict judges the
/// fixtures' chains against them, not against Mozilla's roots, which trust none.
pub const TEST_ROOTS: &str = "corpus/materials/test-roots.pem";

/// [`TEST_ROOTS`] as the library takes them.
pub fn test_trust() -> certgate::Trust {
    let text = std::fs::read(root().join(TEST_ROOTS)).unwrap();
    let ders = pem::parse_many(&text)
        .unwrap()
        .into_iter()
        .map(|b| b.into_contents())
        .collect();
    let files = vec![TEST_ROOTS.to_string()];
    certgate::Trust::from_anchors(certgate::AnchorSource::Files(files), ders).0
}

/// `certgate check -p <profile> <document> --at AT --trust TEST_ROOTS <extra...>`, the
/// most common run.
pub fn check(profile: &str, document: &str, extra: &[&str]) -> Output {
    let mut args = vec!["check", "-p", profile, document, "--at", AT];
    args.extend_from_slice(extra);
    certgate(&args)
}

/// Validates a SARIF log against tests/data/sarif-schema-2.1.0.json (the OASIS SARIF
/// 2.1.0 schema, as shipped in the npm package @microsoft/jest-sarif; see
/// tests/data/README.md).
pub fn assert_valid_sarif(text: &str) {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/data/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("the SARIF schema compiles");
    let log: serde_json::Value = serde_json::from_str(text).expect("SARIF is JSON");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF fails the schema:\n{}",
        errors.join("\n")
    );
}

/// A fresh folder for one test, removed when dropped; its name carries the test binary
/// and the process, so parallel test binaries never share one.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        TempDir(tempdir(name))
    }

    /// A sub-folder, created.
    pub fn folder(&self, name: &str) -> std::path::PathBuf {
        let dir = self.0.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// A path inside it (not created).
    pub fn path(&self, name: &str) -> std::path::PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh, empty folder for one test (kept after it, for a look at what it wrote).
pub fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "certgate-{}-{name}-{}",
        env!("CARGO_CRATE_NAME"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The rule ids of a JSON report's diagnostics, in report order.
pub fn rule_ids(report: &serde_json::Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}
