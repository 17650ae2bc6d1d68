//! `certgate lint` on the command line: what it reads (symbolic links, duplicates, empty
//! and missing paths) and the settings it shares with `check` (certgate.toml, --rules,
//! --fail-on, --jobs).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::{AT, certgate, root, stdout};

/// A fresh, empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("lint_cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_fixture(from: &str, to: &Path) {
    std::fs::copy(root().join(from), to).unwrap();
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `certgate lint` from `dir`, NO_COLOR set, killed after a minute (a walk that loops
/// would never end).
fn lint_in(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_certgate"))
        .arg("lint")
        .args(args)
        .arg("--trust")
        .arg(common::root().join(common::TEST_ROOTS))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("certgate lint {args:?} did not finish within a minute");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

fn rules_at(report: &serde_json::Value) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["location"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[cfg(unix)]
mod links {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn a_linked_directory_and_linked_files_are_followed() {
        let dir = scratch("followed");
        std::fs::create_dir_all(dir.join("store/real")).unwrap();
        std::fs::create_dir_all(dir.join("elsewhere")).unwrap();
        copy_fixture(
            "corpus/lint/expired.der",
            &dir.join("elsewhere/expired.der"),
        );
        copy_fixture(
            "corpus/lint/request.csr",
            &dir.join("store/real/request.csr"),
        );
        symlink("../elsewhere", dir.join("store/linked")).unwrap();
        symlink("real/request.csr", dir.join("store/request-link.csr")).unwrap();
        let o = lint_in(&dir, &["store", "--at", AT, "-f", "json", "--no-config"]);
        let report = json(&o);
        let found = rules_at(&report);
        // The expired certificate is reached only through the directory link.
        assert!(
            found.contains(&("cert-expired".into(), "store/linked/expired.der#/0".into())),
            "{found:?}"
        );
        // The CSR is reached twice and reported once, under its own name.
        let csr: Vec<_> = found.iter().filter(|(r, _)| r == "csr-signature").collect();
        assert_eq!(
            csr,
            [&(
                "csr-signature".to_string(),
                "store/real/request.csr#/0".to_string()
            )]
        );
        assert_eq!(report["summary"]["files"], 2);
        assert_eq!(report["summary"]["duplicates"], 1);
        assert_eq!(o.status.code(), Some(1));
    }

    #[test]
    fn a_link_loop_ends_and_each_file_is_read_once() {
        let dir = scratch("loop");
        std::fs::create_dir_all(dir.join("certs/sub")).unwrap();
        copy_fixture("corpus/lint/pair.pem", &dir.join("certs/server.pem"));
        symlink(".", dir.join("certs/self")).unwrap();
        symlink("../..", dir.join("certs/sub/up")).unwrap();
        symlink("server.pem", dir.join("certs/0a1b2c3d.0")).unwrap();
        symlink("0a1b2c3d.0", dir.join("certs/0a1b2c3d.1")).unwrap();
        let o = lint_in(&dir, &["certs", "--at", AT, "-f", "json", "--no-config"]);
        let report = json(&o);
        assert_eq!(report["summary"]["files"], 1, "{}", stdout(&o));
        assert_eq!(report["summary"]["duplicates"], 2);
        let found = rules_at(&report);
        // One file's findings, under the name no link leads through.
        assert_eq!(
            found,
            [(
                "chain-untrusted".to_string(),
                "certs/server.pem".to_string()
            )]
        );
        let human = lint_in(&dir, &["certs", "--at", AT, "--no-config"]);
        assert!(
            stdout(&human).ends_with(
                "certgate lint: ok: 1 file read in 1 path (2 duplicate paths skipped): 0 errors, 1 warning, 0 infos\n"
            ),
            "{}",
            stdout(&human)
        );
    }

    #[test]
    fn broken_links_are_reported_in_directories_and_fatal_when_named() {
        let dir = scratch("broken");
        std::fs::create_dir_all(dir.join("certs")).unwrap();
        copy_fixture("corpus/lint/pair.pem", &dir.join("certs/server.pem"));
        symlink("gone.pem", dir.join("certs/old.pem")).unwrap();
        let o = lint_in(&dir, &["certs", "--at", AT, "-f", "json", "--no-config"]);
        assert_eq!(o.status.code(), Some(0), "a warning does not fail the run");
        let report = json(&o);
        let broken: Vec<&serde_json::Value> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == "lint-unreadable")
            .collect();
        assert_eq!(broken.len(), 1, "{report:#}");
        assert_eq!(broken[0]["location"], "certs/old.pem");
        assert_eq!(broken[0]["severity"], "warning");
        assert!(
            broken[0]["message"]
                .as_str()
                .unwrap()
                .starts_with("broken symbolic link to gone.pem"),
            "{report:#}"
        );
        assert_eq!(report["summary"]["files"], 1);

        let named = lint_in(&dir, &["certs/old.pem", "--at", AT, "--no-config"]);
        assert_eq!(named.status.code(), Some(2));
        assert!(
            stderr(&named).contains("certs/old.pem is a broken symbolic link (to gone.pem)"),
            "{}",
            stderr(&named)
        );
    }
}

#[test]
fn the_summary_says_how_many_files_were_read() {
    let human = certgate(&["lint", "corpus/lint", "--at", AT]);
    assert!(
        stdout(&human).ends_with(
            "certgate lint: failed: 9 files read in 1 path: 3 errors, 3 warnings, 0 infos\n"
        ),
        "{}",
        stdout(&human)
    );
    let report = json(&certgate(&[
        "lint",
        "corpus/lint",
        "--at",
        AT,
        "-f",
        "json",
    ]));
    assert_eq!(report["summary"]["files"], 9);
    assert_eq!(report["summary"]["duplicates"], 0);
    assert_eq!(report["summary"]["errors"], 3);
    assert_eq!(report["failed"], true);
    // The same file named twice, or named and inside a directory named, is read once.
    let twice = json(&certgate(&[
        "lint",
        "corpus/lint",
        "corpus/lint/pair.pem",
        "corpus/lint/pair.pem",
        "--at",
        AT,
        "-f",
        "json",
    ]));
    assert_eq!(twice["summary"]["files"], 9);
    assert_eq!(twice["summary"]["duplicates"], 1);
    assert_eq!(twice["diagnostics"], report["diagnostics"]);
}

#[test]
fn nothing_to_lint_is_exit_2() {
    let dir = scratch("empty");
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    std::fs::write(dir.join("empty/.hidden.pem"), "x").unwrap();
    let o = lint_in(&dir, &["empty", "--no-config"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("empty: the directory holds no files to lint"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).is_empty());
    // json still writes a document.
    let o = lint_in(&dir, &["empty", "-f", "json", "--no-config"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(json(&o)["error"].as_str().unwrap().contains("no files"));

    let missing = lint_in(&dir, &["no-such-dir", "--no-config"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("no-such-dir: no such file or directory"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn fail_on_warning_fails_the_run_and_the_verdict_says_so() {
    // notes.txt, named explicitly, is a lint-unrecognised warning.
    let args = ["lint", "corpus/lint/notes.txt", "--at", AT];
    let default = certgate(&args);
    assert_eq!(default.status.code(), Some(0));
    assert!(
        stdout(&default)
            .ends_with("certgate lint: ok: 1 file read in 1 path: 0 errors, 1 warning, 0 infos\n"),
        "{}",
        stdout(&default)
    );
    let strict = certgate(&[&args[..], &["--fail-on", "warning"]].concat());
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        stdout(&strict).ends_with(
            "certgate lint: failed (fail-on warning): 1 file read in 1 path: 0 errors, 1 warning, 0 infos\n"
        ),
        "{}",
        stdout(&strict)
    );
    let report = json(&certgate(
        &[&args[..], &["--fail-on", "warning", "-f", "json"]].concat(),
    ));
    assert_eq!(report["failed"], true);
    let lenient = json(&certgate(&[&args[..], &["-f", "json"]].concat()));
    assert_eq!(lenient["failed"], false);
}

#[test]
fn certgate_toml_applies_to_lint() {
    let dir = scratch("config");
    std::fs::write(
        dir.join("certgate.toml"),
        // (chain-untrusted off: pair.pem's lone leaf is a client-verdict warning, and
        // these lines are about fail-on)
        "fail-on = \"warning\"\n[rules]\ndisable = [\"cert-expired\", \"chain-untrusted\"]\nseverity = { lint-unrecognised = \"error\" }\n",
    )
    .unwrap();
    let expired = root().join("corpus/lint/expired.der");
    let notes = root().join("corpus/lint/notes.txt");
    // Found upward from the working directory.
    let nested = dir.join("nested");
    std::fs::create_dir_all(&nested).unwrap();
    let o = lint_in(&nested, &[path(&expired), path(&notes), "--at", AT]);
    let text = stdout(&o);
    assert!(
        text.starts_with(&format!(
            "configuration: {}\n",
            dir.join("certgate.toml").display()
        )),
        "{text}"
    );
    assert!(!text.contains("cert-expired"), "disabled: {text}");
    assert!(text.contains("error[lint-unrecognised]"), "{text}");
    assert_eq!(o.status.code(), Some(1));

    // --no-config: the built-in rules.
    let o = lint_in(&nested, &[path(&expired), "--at", AT, "--no-config"]);
    assert!(stdout(&o).contains("error[cert-expired]"), "{}", stdout(&o));

    // --config names it; its fail-on makes a warning fail, --fail-on error beats it.
    let config = dir.join("certgate.toml");
    let only_info = root().join("corpus/lint/pair.pem");
    let o = certgate(&[
        "lint",
        path(&only_info),
        "--at",
        AT,
        "--config",
        path(&config),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    std::fs::write(
        dir.join("warn.toml"),
        "fail-on = \"warning\"\n[rules]\ndisable = [\"chain-untrusted\"]\nseverity = { chain-incomplete = \"warning\" }\n",
    )
    .unwrap();
    let warn = dir.join("warn.toml");
    let o = certgate(&["lint", path(&only_info), "--at", AT, "-c", path(&warn)]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("warning[chain-incomplete]"));
    let o = certgate(&[
        "lint",
        path(&only_info),
        "--at",
        AT,
        "-c",
        path(&warn),
        "--fail-on",
        "error",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    // A thresholds change reaches lint's rules (and the CSR's).
    std::fs::write(dir.join("rsa.toml"), "[thresholds]\nmin-rsa-bits = 3072\n").unwrap();
    let o = json(&certgate(&[
        "lint",
        "corpus/lint/pair.pem",
        "--at",
        AT,
        "-c",
        path(&dir.join("rsa.toml")),
        "-f",
        "json",
    ]));
    assert!(rules_at(&o).iter().any(|(r, _)| r == "weak-key"), "{o:#}");
}

#[test]
fn a_configuration_is_checked_and_shared_with_check() {
    let dir = scratch("shared-config");
    // A rule id lint alone has: check accepts it too (one certgate.toml for both).
    std::fs::write(
        dir.join("certgate.toml"),
        "[rules]\ndisable = [\"lint-unrecognised\"]\n",
    )
    .unwrap();
    let config = dir.join("certgate.toml");
    let o = certgate(&[
        "lint",
        "corpus/lint/notes.txt",
        "--at",
        AT,
        "-c",
        path(&config),
        "-f",
        "json",
    ]);
    assert_eq!(json(&o)["summary"]["warnings"], 0, "{}", stdout(&o));
    let document = "corpus/huawei-elb-v3/pass-cert-expiring-soon-2026-08.json";
    let checked = certgate(&[
        "check",
        "-p",
        "huawei-elb-v3",
        document,
        "--at",
        AT,
        "-c",
        path(&config),
    ]);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));

    // An unknown id is exit 2, naming it.
    std::fs::write(
        dir.join("typo.toml"),
        "[rules]\ndisable = [\"cert-expird\"]\n",
    )
    .unwrap();
    let o = certgate(&["lint", "corpus/lint", "-c", path(&dir.join("typo.toml"))]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cert-expird"), "{}", stderr(&o));
}

#[test]
fn a_user_policy_applies_to_lint() {
    // acme-policy.toml ("*"): RSA-3072 and at most 90 days of validity.
    let o = certgate(&[
        "lint",
        "corpus/lint/pair.pem",
        "--at",
        AT,
        "--rules",
        "corpus/ci/acme-policy.toml",
        "-f",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let report = json(&o);
    let diags = report["diagnostics"].as_array().unwrap();
    for rule in ["weak-key", "acme-max-validity"] {
        let d = diags
            .iter()
            .find(|d| d["rule"] == rule)
            .unwrap_or_else(|| panic!("{rule}: {report:#}"));
        assert_eq!(d["basis"], "policy", "{rule}");
        assert_eq!(d["severity"], "error", "{rule}");
    }
    // Without it, the file passes.
    let plain = certgate(&["lint", "corpus/lint/pair.pem", "--at", AT]);
    assert_eq!(plain.status.code(), Some(0));
    // A rule file that does not load is exit 2.
    let bad = certgate(&[
        "lint",
        "corpus/lint",
        "--rules",
        "corpus/ci/bad-policy-no-citation.toml",
    ]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn jobs_sets_the_pool_and_changes_nothing_in_the_report() {
    let base = [
        "lint",
        "corpus/lint",
        "corpus/materials",
        "--at",
        AT,
        "-f",
        "json",
    ];
    let default = certgate(&base);
    for jobs in ["1", "3"] {
        let o = certgate(&[&base[..], &["--jobs", jobs]].concat());
        assert_eq!(o.status.code(), default.status.code(), "--jobs {jobs}");
        assert_eq!(o.stdout, default.stdout, "--jobs {jobs}");
    }
}

/// What lint prints speaks of files, not of an upload under way, an API or generateCsr
/// ("an upload of this file" is how it speaks of one).
#[test]
fn lint_speaks_of_files() {
    let o = certgate(&[
        "lint",
        "corpus/lint",
        "corpus/materials",
        "corpus/chains",
        "--at",
        AT,
    ]);
    let text = stdout(&o);
    for line in text.lines() {
        // Quoted text (names, stray text) is the files' own.
        if line.starts_with("  --> ") || line.contains("= doc: ") || line.contains("= value:") {
            continue;
        }
        let words = line
            .split('"')
            .step_by(2)
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        for banned in [
            "the upload",
            "is uploaded",
            "upload the",
            "the api",
            "generatecsr",
            "the field",
            "this field",
        ] {
            assert!(!words.contains(banned), "{banned:?} in {line:?}");
        }
    }
    assert!(
        text.contains("the file holds only the server certificate"),
        "{text}"
    );
}

/// certbot's live folder: `privkey.pem` is checked against `fullchain.pem` (the file
/// servers are told to serve), although their stems differ.
#[test]
fn certbots_privkey_is_checked_against_its_fullchain() {
    let dir = scratch("certbot");
    copy_fixture("corpus/materials/server.pem", &dir.join("cert.pem"));
    copy_fixture(
        "corpus/materials/server-chain.pem",
        &dir.join("fullchain.pem"),
    );
    copy_fixture("corpus/materials/server.key", &dir.join("privkey.pem"));
    let args = ["fullchain.pem", "privkey.pem", "--at", AT, "-f", "json"];
    let o = lint_in(&dir, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        !rules_at(&json(&o)).iter().any(|(r, _)| r == "key-mismatch"),
        "{}",
        stdout(&o)
    );
    // Another key in its place is the mismatch a server would fail on.
    copy_fixture("corpus/materials/int1-ca.key", &dir.join("privkey.pem"));
    let o = lint_in(&dir, &args);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let found = rules_at(&json(&o));
    assert!(
        found
            .iter()
            .any(|(r, at)| r == "key-mismatch" && at.starts_with("privkey.pem")),
        "{found:?}"
    );
}
