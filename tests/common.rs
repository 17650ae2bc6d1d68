//! Shared helpers for the integration tests: run the real binary on corpus fixtures.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// The evaluation time every test pins: fixtures never expire.
pub const AT: &str = "2026-06-01T00:00:00Z";

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `certgate` with `args` from the repository root, NO_COLOR set.
pub fn certgate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_certgate"))
        .args(args)
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

/// `certgate check -p <profile> <document> --at AT <extra...>`, the most common run.
pub fn check(profile: &str, document: &str, extra: &[&str]) -> Output {
    let mut args = vec!["check", "-p", profile, document, "--at", AT];
    args.extend_from_slice(extra);
    certgate(&args)
}
