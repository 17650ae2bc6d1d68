//! `certgate lint`: bare materials in files and directories.

use certgate::harness::internals::ProfileInternals;
mod common;

use common::{AT, certgate, stdout};

#[test]
fn small_directory_report_is_stable() {
    let out = certgate(&["lint", "corpus/lint", "--at", AT]);
    assert_eq!(out.status.code(), Some(1), "a key mismatch is an error");
    insta::assert_snapshot!("lint_small_directory", stdout(&out));
}

#[test]
fn pairs_keys_by_file_stem_and_within_a_file() {
    let out = certgate(&["lint", "corpus/lint", "--at", AT, "-f", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = report["diagnostics"].as_array().unwrap();
    let at = |rule: &str| -> Vec<String> {
        diags
            .iter()
            .filter(|d| d["rule"] == rule)
            .map(|d| d["location"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(at("key-mismatch"), ["corpus/lint/mismatch.key#/0"]);
    assert_eq!(at("cert-expired"), ["corpus/lint/expired.der#/0"]);
    assert_eq!(at("csr-signature"), ["corpus/lint/request.csr#/0"]);
    // The chain and its key in one file, and the stem pair, are clean.
    assert!(
        !diags.iter().any(
            |d| d["location"].as_str().unwrap().contains("combined") && d["severity"] != "info"
        )
    );
}

#[test]
fn clean_files_exit_zero_and_unrecognised_named_files_warn() {
    let clean = certgate(&[
        "lint",
        "corpus/lint/pair.pem",
        "corpus/lint/pair.key",
        "--at",
        AT,
    ]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    let notes = certgate(&["lint", "corpus/lint/notes.txt", "--at", AT]);
    assert_eq!(notes.status.code(), Some(0));
    assert!(stdout(&notes).contains("warning[lint-unrecognised]"));
    let missing = certgate(&["lint", "corpus/lint/nope.pem", "--at", AT]);
    assert_eq!(missing.status.code(), Some(2));
    let no_paths = certgate(&["lint"]);
    assert_eq!(no_paths.status.code(), Some(2));
}

#[test]
fn corpora_lint_deterministically() {
    let args = [
        "lint",
        "corpus/materials",
        "corpus/chains",
        "--at",
        AT,
        "-f",
        "json",
    ];
    let first = certgate(&args);
    assert_eq!(first.status.code(), Some(1));
    for _ in 0..3 {
        let again = certgate(&args);
        assert_eq!(again.stdout, first.stdout, "same input, same bytes");
    }
    // Paths given in another order give the same report.
    let swapped = certgate(&[
        "lint",
        "corpus/chains",
        "corpus/materials",
        "--at",
        AT,
        "-f",
        "json",
    ]);
    assert_eq!(swapped.stdout, first.stdout);
    let report: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    let rules: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    for expected in [
        "cert-expired",
        "cert-not-yet-valid",
        "weak-key",
        "weak-signature",
        "chain-order",
        "chain-broken",
        "no-san",
        "der-malformed",
    ] {
        assert!(rules.contains(&expected), "{expected} is found");
    }
    // P-192 and P-224 keys cannot be compared with their certificates: listed as not
    // checked, never reported as a finding.
    let skipped = locations(&report, "not_checked", "key-mismatch");
    assert_eq!(
        skipped,
        [
            "corpus/materials/ec-p192.key#/0",
            "corpus/materials/ec-p224.key#/0"
        ]
    );
}

#[test]
fn pkcs12_needs_the_password_env() {
    let without = certgate(&[
        "lint",
        "corpus/esri/materials/rsa-chain-openssl3.p12",
        "--at",
        AT,
    ]);
    assert!(stdout(&without).contains("warning[pkcs12-password]"));
    let with = certgate(&[
        "lint",
        "corpus/esri/materials/rsa-chain-openssl3.p12",
        "--password-env",
        "CERTGATE_TEST_PASSWORD",
        "--at",
        AT,
        "-f",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&with.stdout).unwrap();
    assert_eq!(report["summary"]["errors"], 0, "{}", stdout(&with));
    let sarif = certgate(&["lint", "corpus/lint", "--at", AT, "-f", "sarif"]);
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "corpus/lint/expired.der"
    );
}

/// The findings lint makes itself (about whole files) are catalogue rules of the lint
/// profile: `explain` and `rules` show them, and each finding carries its entry's help
/// and citation while its message stays lint's own.
#[test]
fn lint_own_findings_are_documented_in_the_catalogue() {
    let linter = certgate::Linter::new().unwrap();
    let entry = |id: &str| {
        linter
            .profile()
            .rule_instances()
            .iter()
            .find(|r| r.id == id && r.check.kind() == "lint-file")
            .unwrap_or_else(|| panic!("{id} is not a lint-file rule of rules/lint.toml"))
    };
    for id in [
        "lint-unreadable",
        "lint-unrecognised",
        "lint-skipped",
        // "no password given"; a damaged archive is the shared `pkcs12-required` rule's.
        "pkcs12-password",
    ] {
        let e = entry(id);
        assert!(e.citation.is_some(), "{id} has no citation");
        let explained = certgate(&["explain", id]);
        assert_eq!(explained.status.code(), Some(0), "explain {id}");
        assert!(stdout(&explained).contains("lint@1 (certgate lint"), "{id}");
    }
    let listing = stdout(&certgate(&["rules", "-p", "lint"]));
    assert!(listing.contains("lint-unreadable"), "{listing}");

    // Each kind of own finding, from real runs: the entry's severity and help.
    let opts = certgate::LintOptions {
        at: time::macros::datetime!(2026-06-01 0:00 UTC),
        password: None,
        report_unrecognised: true,
    };
    let lint =
        |name: &str, bytes: &[u8]| linter.lint_file(certgate::LintInput { name, bytes }, &opts);
    let params = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
    let p12 =
        std::fs::read(common::root().join("corpus/hostile/pkcs12-missing-content.p12")).unwrap();
    let archive =
        std::fs::read(common::root().join("corpus/esri/materials/ec-p256-chain.p12")).unwrap();
    for (id, found) in [
        ("lint-unrecognised", lint("notes.txt", b"just some notes\n")),
        ("lint-skipped", lint("params.pem", params.as_bytes())),
        ("pkcs12-password", lint("upload.p12", &archive)),
    ] {
        let d = found
            .iter()
            .find(|d| d.rule == id)
            .unwrap_or_else(|| panic!("{id}: {found:#?}"));
        let e = entry(id);
        assert_eq!(d.help, e.help, "{id}");
        assert_eq!(d.citation, e.citation, "{id}");
        if id != "pkcs12-password" {
            // (without a password, pkcs12-password is a warning: the archive is not opened)
            assert_eq!(d.severity, e.severity, "{id}");
        }
    }
    // A damaged archive is the shared archive rule's finding, as under `check`.
    let broken = lint("broken.p12", &p12);
    let d = broken
        .iter()
        .find(|d| d.rule == "pkcs12-required")
        .unwrap_or_else(|| panic!("{broken:#?}"));
    let shared = linter.own_profiles()[1]
        .rule_instances()
        .iter()
        .find(|r| r.id == "pkcs12-required")
        .unwrap();
    assert_eq!(shared.check.kind(), "pkcs12-required");
    assert_eq!((&d.help, d.severity), (&shared.help, shared.severity));
    let missing = certgate(&["lint", "corpus/lint/no-such-file.pem", "--at", AT]);
    assert_eq!(missing.status.code(), Some(2));
}

/// `lint` of `text` as the file `x.pem`, at the suite's time.
fn lint_text(text: &str) -> Vec<certgate::Diagnostic> {
    let linter = certgate::Linter::new().unwrap();
    let opts = certgate::LintOptions {
        at: time::macros::datetime!(2026-06-01 0:00 UTC),
        password: None,
        report_unrecognised: true,
    };
    linter.lint_file(
        certgate::LintInput {
            name: "x.pem",
            bytes: text.as_bytes(),
        },
        &opts,
    )
}

/// The 1-based line of the `n`th (0-based) `-----BEGIN` line of `text`.
fn begin_line(text: &str, n: usize) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("-----BEGIN"))
        .nth(n)
        .unwrap()
        .0
        + 1
}

/// A finding about a certificate carries the file's block (a typed item, not a
/// location string to parse) and the line where that block starts.
#[test]
fn findings_carry_their_block_and_its_line() {
    let text = [
        "a note before the blocks\n\n",
        include_str!("../corpus/materials/ec-p256.pem"),
        include_str!("../corpus/materials/expired.pem"),
    ]
    .concat();
    let found = lint_text(&text);
    let expired: Vec<_> = found.iter().filter(|d| d.rule == "cert-expired").collect();
    assert_eq!(expired.len(), 1, "{found:#?}");
    assert_eq!(expired[0].location, "x.pem#/1");
    assert_eq!(expired[0].item, certgate::Item::Block(1));
    assert_eq!(expired[0].line, Some(begin_line(&text, 1)));
    assert!(expired[0].message.starts_with("certificate 2 ("));
}

/// A bundle is checked in segments; messages and items still number blocks as the
/// file does, and a key block of the bundle is not reported as a wrong label of the
/// certificates (the key is checked as a key).
#[test]
fn bundle_segments_number_blocks_as_the_file_does() {
    let cert = include_str!("../corpus/materials/ec-p256.pem");
    let key = include_str!("../corpus/materials/ec-p256.key");
    let public = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n";
    let broken = "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n";
    let mut blocks: Vec<&str> = vec![cert; 70];
    blocks[40] = public;
    blocks[50] = key;
    blocks[60] = broken;
    let text = blocks.concat();
    let found = lint_text(&text);
    let malformed: Vec<_> = found
        .iter()
        .filter(|d| d.rule == "pem-malformed")
        .map(|d| (d.item, d.line, d.message.as_str()))
        .collect();
    assert!(
        malformed.iter().any(|(item, line, m)| {
            *item == certgate::Item::Block(40)
                && *line == Some(begin_line(&text, 40))
                && m.starts_with("block 41 is a \"PUBLIC KEY\" block; this file takes CERTIFICATE")
        }),
        "{malformed:#?}"
    );
    assert!(
        malformed
            .iter()
            .any(|(_, _, m)| m.starts_with("block 61 (CERTIFICATE): the body is not base64")),
        "{malformed:#?}"
    );
    assert!(
        !malformed
            .iter()
            .any(|(_, _, m)| m.contains("\"PRIVATE KEY\" block")),
        "{malformed:#?}"
    );
}

/// SARIF results of `lint` name their own file and the line of their block.
#[test]
fn sarif_results_have_the_line_of_their_block() {
    let out = certgate(&["lint", "corpus/lint", "--at", AT, "-f", "sarif"]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let mismatch = results
        .iter()
        .find(|r| r["ruleId"] == "key-mismatch")
        .unwrap();
    let physical = &mismatch["locations"][0]["physicalLocation"];
    assert_eq!(
        physical["artifactLocation"]["uri"],
        "corpus/lint/mismatch.key"
    );
    assert_eq!(physical["region"]["startLine"], 1);
    assert_eq!(
        mismatch["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "/0"
    );
    // A DER file has no lines.
    let der = results
        .iter()
        .find(|r| r["ruleId"] == "cert-expired")
        .unwrap();
    assert!(der["locations"][0]["physicalLocation"]["region"].is_null());
}

/// A finding about a certificate inside an archive is located at that entry
/// (`path#/N`, `Item::Entry(N)`), not at the whole file.
#[test]
fn archive_certificate_findings_are_located_at_their_entry() {
    let out = certgate(&[
        "lint",
        "corpus/esri/materials/expired.p12",
        "--password-env",
        "CERTGATE_TEST_PASSWORD",
        "--at",
        AT,
        "-f",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let expired = locations(&report, "diagnostics", "cert-expired");
    assert_eq!(expired, ["corpus/esri/materials/expired.p12#/0"]);

    let linter = certgate::Linter::new().unwrap();
    let bytes = std::fs::read("corpus/esri/materials/expired.p12").unwrap();
    let password = secrecy::SecretString::from("certgate-test".to_string());
    let opts = certgate::LintOptions {
        at: time::macros::datetime!(2026-06-01 0:00 UTC),
        password: Some(&password),
        report_unrecognised: true,
    };
    let diags = linter.lint_file(
        certgate::LintInput {
            name: "expired.p12",
            bytes: &bytes,
        },
        &opts,
    );
    let d = diags.iter().find(|d| d.rule == "cert-expired").unwrap();
    assert_eq!(d.item, certgate::Item::Entry(0));
}

/// Rules an unopened archive stops are listed under `not_checked`: not findings, not in
/// the summary, no effect on the exit code.
#[test]
fn unopened_archive_lists_rules_not_checked() {
    let out = certgate(&[
        "lint",
        "corpus/esri/materials/expired.p12",
        "--at",
        AT,
        "-f",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let skipped = report["not_checked"].as_array().unwrap();
    assert!(skipped.iter().any(|n| n["rule"] == "cert-expired"
        && n["location"] == "corpus/esri/materials/expired.p12"
        && n["reason"].as_str().unwrap().contains("no password given")));
    let diags = report["diagnostics"].as_array().unwrap();
    assert!(!diags.iter().any(|d| d["rule"] == "cert-expired"));
    assert_eq!(report["summary"]["errors"], 0);
    let human = certgate(&["lint", "corpus/esri/materials/expired.p12", "--at", AT]);
    assert_eq!(
        stdout(&human)
            .lines()
            .filter(|l| l.starts_with("not checked: "))
            .count(),
        1
    );
}

/// The locations of `rule`'s entries in the JSON report's list `list` (`diagnostics`
/// or `not_checked`).
fn locations<'a>(report: &'a serde_json::Value, list: &str, rule: &str) -> Vec<&'a str> {
    report[list]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == rule)
        .map(|d| d["location"].as_str().unwrap())
        .collect()
}
