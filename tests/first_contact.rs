//! What a new user meets first: the verdict agrees with the exit code, machine formats
//! write a document even when the run cannot start, a batch reports what it could read,
//! and the messages say what to type.

mod common;

use std::process::{Command, Stdio};

use common::{AT, certgate, check, root, stdout, tempdir};

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).expect("stdout is JSON")
}

const WARNING_ONLY: &str = "corpus/huawei-elb-v3/fail-domain-empty.json";

#[test]
fn fail_on_warning_verdict_json_and_exit_code_agree() {
    let human = check("huawei-elb-v3", WARNING_ONLY, &["--fail-on", "warning"]);
    assert_eq!(human.status.code(), Some(1));
    let last = stdout(&human)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    assert!(!last.contains(": ok:"), "{last}");
    assert!(last.contains("failed (fail-on warning)"), "{last}");

    let j = check(
        "huawei-elb-v3",
        WARNING_ONLY,
        &["--fail-on", "warning", "-f", "json"],
    );
    assert_eq!(j.status.code(), Some(1));
    assert_eq!(json(&j)["failed"], true);

    let default = check("huawei-elb-v3", WARNING_ONLY, &["-f", "json"]);
    assert_eq!(default.status.code(), Some(0));
    assert_eq!(json(&default)["failed"], false);
    let default = check("huawei-elb-v3", WARNING_ONLY, &[]);
    assert!(
        stdout(&default)
            .trim_end()
            .ends_with("ok: 0 errors, 1 warning, 0 infos")
    );
}

#[test]
fn a_discovered_fail_on_shows_its_configuration_file() {
    let dir = tempdir("fail-on");
    std::fs::write(dir.join("certgate.toml"), "fail-on = \"warning\"\n").unwrap();
    std::fs::copy(root().join(WARNING_ONLY), dir.join("req.json")).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_certgate"))
        .args(["check", "-p", "huawei-elb-v3", "req.json", "--at", AT])
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let text = stdout(&o);
    assert!(text.starts_with("configuration: "), "{text}");
    assert!(
        text.lines().next().unwrap().ends_with("certgate.toml"),
        "{text}"
    );
    assert!(text.contains("failed (fail-on warning)"), "{text}");
}

#[test]
fn machine_formats_write_a_document_when_the_run_cannot_start() {
    for args in [
        vec![
            "check",
            "-p",
            "nope",
            "corpus/huawei-elb-v3/pass-typical.json",
        ],
        vec!["check", "-p", "huawei-elb-v3", "corpus/no-such-file.json"],
        vec![
            "check",
            "-p",
            "huawei-elb-v3",
            "corpus/huawei-elb-v3/pass-typical.json",
            "--at",
            "tomorrow",
        ],
    ] {
        let mut sarif = args.clone();
        sarif.extend(["-f", "sarif"]);
        let o = certgate(&sarif);
        assert_eq!(o.status.code(), Some(2));
        let log = json(&o);
        common::assert_valid_sarif(&stdout(&o));
        let inv = &log["runs"][0]["invocations"][0];
        assert_eq!(inv["executionSuccessful"], false);
        let note = inv["toolExecutionNotifications"][0]["message"]["text"]
            .as_str()
            .unwrap();
        assert!(stderr(&o).contains(note), "{note} / {}", stderr(&o));

        let mut j = args.clone();
        j.extend(["-f", "json"]);
        let o = certgate(&j);
        assert_eq!(o.status.code(), Some(2));
        let doc = json(&o);
        assert_eq!(doc["version"], 1);
        assert!(doc["error"].as_str().is_some_and(|e| !e.is_empty()));
    }
}

#[test]
fn a_batch_reports_every_readable_document_and_lists_the_unreadable() {
    let args = [
        "check",
        "-p",
        "huawei-elb-v3",
        "corpus/huawei-elb-v3/pass-typical.json",
        "corpus/no-such-file.json",
        "corpus/huawei-elb-v3/fail-domain-count-31.json",
        "--at",
        AT,
    ];
    let mut j = args.to_vec();
    j.extend(["-f", "json"]);
    let o = certgate(&j);
    assert_eq!(o.status.code(), Some(2));
    let doc = json(&o);
    assert_eq!(doc["summary"]["uploads"], 3);
    assert_eq!(doc["summary"]["unreadable"], 1);
    let reports = doc["reports"].as_array().unwrap();
    assert_eq!(reports[0]["failed"], false);
    assert!(
        reports[1]["error"]
            .as_str()
            .unwrap()
            .contains("no-such-file.json")
    );
    assert_eq!(reports[2]["diagnostics"][0]["rule"], "domain-count");

    let mut s = args.to_vec();
    s.extend(["-f", "sarif"]);
    let o = certgate(&s);
    assert_eq!(o.status.code(), Some(2));
    common::assert_valid_sarif(&stdout(&o));
    let log = json(&o);
    let run = &log["runs"][0];
    assert!(
        run["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["ruleId"] == "domain-count")
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);

    let o = certgate(&args);
    assert_eq!(o.status.code(), Some(2));
    let text = stdout(&o);
    assert!(
        text.contains("not checked: cannot read corpus/no-such-file.json"),
        "{text}"
    );
    assert!(
        text.contains("2 uploads checked, 1 could not be read"),
        "{text}"
    );
}

#[test]
fn bare_materials_given_to_check_point_to_lint() {
    for (file, what) in [
        ("corpus/materials/ec-p256-chain.pem", "PEM data"),
        ("corpus/materials/ec-p224.key", "a PEM private key"),
        (
            "corpus/esri/materials/rsa-chain-openssl3.p12",
            "binary DER data",
        ),
    ] {
        let o = check("huawei-elb-v3", file, &[]);
        assert_eq!(o.status.code(), Some(2));
        let err = stderr(&o);
        assert!(err.contains(what), "{err}");
        assert!(err.contains(&format!("certgate lint {file}")), "{err}");
        assert!(!err.contains("invalid number"), "{err}");
    }
}

#[test]
fn a_date_without_a_time_gets_an_example_to_type() {
    let o = certgate(&[
        "check",
        "-p",
        "huawei-elb-v3",
        "corpus/huawei-elb-v3/pass-typical.json",
        "--at",
        "2026-06-01",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("give a full RFC 3339 time such as 2026-06-01T00:00:00Z"),
        "{err}"
    );
    assert!(!err.contains("component"), "{err}");
}

#[test]
fn oversized_standard_input_is_named_honestly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_certgate"))
        .args(["check", "-p", "huawei-elb-v3", "-", "--at", AT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..17 {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let o = child.wait_with_output().unwrap();
    let _ = writer.join();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("standard input is larger than 16777216 bytes"),
        "{err}"
    );
    assert!(!err.contains("16777217"), "{err}");
}

#[test]
fn a_password_file_loses_its_trailing_newline() {
    let dir = tempdir("password-newline");
    std::fs::write(dir.join("password.txt"), "certgate-test\n").unwrap();
    let archive = root().join("corpus/esri/materials/rsa-chain-openssl3.p12");
    let doc = serde_json::json!({
        "alias": "portal",
        "file": {"file": archive.to_string_lossy()},
        "password": {"file": "password.txt"},
        "f": "json"
    });
    std::fs::write(dir.join("import.json"), doc.to_string()).unwrap();
    for newline in ["\n", "\r\n"] {
        std::fs::write(dir.join("password.txt"), format!("certgate-test{newline}")).unwrap();
        let o = certgate(&[
            "check",
            "-p",
            "esri-portal-import",
            dir.join("import.json").to_str().unwrap(),
            "--at",
            AT,
            "-f",
            "json",
        ]);
        let rules = common::rule_ids(&json(&o));
        assert!(!rules.iter().any(|r| r == "pkcs12-password"), "{rules:?}");
    }
    // Only one newline goes: a password that ends in a blank line is kept as written.
    std::fs::write(dir.join("password.txt"), "certgate-test\n\n").unwrap();
    let o = certgate(&[
        "check",
        "-p",
        "esri-portal-import",
        dir.join("import.json").to_str().unwrap(),
        "--at",
        AT,
        "-f",
        "json",
    ]);
    assert!(stdout(&o).contains("pkcs12-password"), "{}", stdout(&o));
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_certgate"))
        .args(["rules", "-f", "json"])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end at once, as `| head -0` does.
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn check_help_lists_profiles_exit_codes_and_references() {
    let o = certgate(&["check", "--help"]);
    let text = stdout(&o);
    for id in ["huawei-elb-v3", "huawei-apic-v2", "esri-portal-import"] {
        assert!(text.contains(id), "{text}");
    }
    assert!(text.contains("Exit codes:"), "{text}");
    assert!(text.contains(r#"{"file": "chain.pem"}"#), "{text}");
    assert!(text.contains(r#"{"env": "TLS_KEY"}"#), "{text}");
    // Every flag has a help line: no option line is only its name and defaults.
    for line in text.lines().filter(|l| l.trim_start().starts_with('-')) {
        let after = line.trim_start().split("  ").skip(1).collect::<String>();
        assert!(!after.trim().starts_with('['), "flag without help: {line}");
        assert!(!after.trim().is_empty(), "flag without help: {line}");
    }
}

#[test]
fn times_and_windows_past_year_9999_do_not_panic() {
    // The expiring-soon window ends after the last representable time.
    let o = certgate(&[
        "check",
        "-p",
        // The 2024 revision: expiry is an error there (ELB 2026-01-20 does not check it).
        "huawei-elb-v3@2024-07-11",
        "corpus/huawei-elb-v3/pass-typical.json",
        "--at",
        "9999-12-20T00:00:00Z",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("cert-expired"), "{}", stdout(&o));
    let o = certgate(&[
        "lint",
        "corpus/materials/ec-p256-chain.pem",
        "--at",
        "9999-12-31T23:59:59Z",
    ]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));

    let dir = tempdir("huge-window");
    for days in ["3000000", "9223372036854775807"] {
        std::fs::write(
            dir.join("certgate.toml"),
            format!("[thresholds]\nexpiring-soon-days = {days}\n"),
        )
        .unwrap();
        let config = dir.join("certgate.toml");
        let o = check(
            "huawei-elb-v3",
            "corpus/huawei-elb-v3/pass-typical.json",
            &["--config", config.to_str().unwrap(), "-f", "json"],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        // Every certificate of the chain expires within a window that never ends.
        let rules = json(&o)["diagnostics"].to_string();
        assert!(rules.contains("cert-expiring-soon"), "{rules}");
    }
}

/// Each SARIF result's descriptor must say something true of that result: the 255-character
/// `name` alert must not be described as "`certificate` is at most 65,536 characters".
#[test]
fn sarif_descriptors_fit_every_instance_of_their_rule_id() {
    let o = check(
        "huawei-elb-v3",
        "corpus/huawei-elb-v3/fail-field-too-long-name-256.json",
        &["-f", "sarif"],
    );
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    common::assert_valid_sarif(&text);
    let log: serde_json::Value = serde_json::from_str(&text).unwrap();
    let run = &log["runs"][0];
    let rules = run["rules"]
        .as_array()
        .or(run["tool"]["driver"]["rules"].as_array());
    let rules = rules.expect("descriptors");
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        ids.len(),
        unique.len(),
        "one descriptor per rule id: {ids:?}"
    );
    let result = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "field-too-long")
        .expect("a field-too-long result");
    assert!(
        result["message"]["text"].as_str().unwrap().contains("name"),
        "{result}"
    );
    let d = &rules[result["ruleIndex"].as_u64().unwrap() as usize];
    assert_eq!(d["id"], "field-too-long");
    let short = d["shortDescription"]["text"].as_str().unwrap();
    assert!(!short.contains("65,536"), "{short}");
    assert!(!short.contains("`certificate`"), "{short}");
    let full = d["fullDescription"]["text"].as_str().unwrap();
    assert!(full.contains("255") && full.contains("65,536"), "{full}");
}

#[test]
fn man_has_a_page_per_command_with_exit_status_and_examples() {
    for command in ["check", "lint", "fix", "request", "rules", "explain"] {
        let o = certgate(&["man", command]);
        assert_eq!(o.status.code(), Some(0), "{command}");
        let page = stdout(&o);
        let title = format!(".TH CERTGATE-{}", command.to_uppercase());
        assert!(
            page.starts_with(".ie") && page.contains(&title),
            "{command}: {page}"
        );
        assert!(page.contains(".SH \"EXIT STATUS\""), "{command}");
        assert!(page.contains(".SH \"EXAMPLES\""), "{command}");
        assert!(page.contains(&format!("certgate {command}")), "{command}");
    }
    let check = stdout(&certgate(&["man", "check"]));
    assert!(check.contains(".SH \"CONFIGURATION\"") && check.contains("certgate.toml"));
    assert!(
        check.contains("huawei\\-elb\\-v3@2024\\-07\\-11"),
        "profiles listed"
    );

    let dir = tempdir("man");
    let o = certgate(&["man", "--out-dir", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for page in [
        "certgate.1",
        "certgate-check.1",
        "certgate-lint.1",
        "certgate-man.1",
    ] {
        let text = std::fs::read_to_string(dir.join(page)).expect(page);
        assert!(text.contains(".SH \"EXIT STATUS\""), "{page}");
    }
    let o = certgate(&["man", "chek"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("commands: check"), "{}", stderr(&o));
}

#[test]
fn bash_completion_offers_profile_names() {
    let o = certgate(&["completions", "bash"]);
    assert_eq!(o.status.code(), Some(0));
    let script = stdout(&o);
    for id in [
        "huawei-elb-v3",
        "huawei-apic-v2",
        "esri-portal-import",
        "lint",
    ] {
        assert!(script.contains(id), "{id}");
    }
}

#[test]
fn explain_takes_a_profile_and_typos_get_a_suggestion() {
    let o = certgate(&["explain", "key-mismatch", "--profile", "huawei-apic-v2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("huawei-apic-v2"), "{text}");
    assert!(!text.contains("lint@1 (certgate lint"), "{text}");

    let o = certgate(&["explain", "domain-count", "--profile", "huawei-apic-v2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("it is in: huawei-elb-v3"),
        "{}",
        stderr(&o)
    );

    let o = certgate(&["explain", "domain-cuont"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `domain-count`?"),
        "{}",
        stderr(&o)
    );

    let o = certgate(&["check", "-p", "huawei-elb-v2", "x.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `huawei-elb-v3`?"),
        "{}",
        stderr(&o)
    );

    let dir = tempdir("typo-config");
    std::fs::write(
        dir.join("certgate.toml"),
        "[rules]\ndisable = [\"chain-root-inclded\"]\n",
    )
    .unwrap();
    std::fs::copy(root().join(WARNING_ONLY), dir.join("req.json")).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_certgate"))
        .args(["check", "-p", "huawei-elb-v3", "req.json", "--at", AT])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `chain-root-included`?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn rules_takes_the_human_format_word_like_check() {
    let human = certgate(&["rules", "--format", "human", "-p", "huawei-elb-v3"]);
    assert_eq!(human.status.code(), Some(0), "{}", stderr(&human));
    assert!(stdout(&human).contains("domain-count"));
    let text = certgate(&["rules", "--format", "text", "-p", "huawei-elb-v3"]);
    assert_eq!(stdout(&text), stdout(&human), "`text` stays an alias");
}

/// An OpenSSL 3 archive (AES, SHA-256 MAC) is read by every Portal the update endpoint
/// exists in, so `fail-on = "warning"` stays usable there; the import endpoint (10.8+)
/// still warns, naming the Portal versions whose Java cannot read it.
#[test]
fn host_compat_warns_only_where_the_targets_host_cannot_read_the_archive() {
    let env = ("CERTGATE_TEST_PASSWORD", "certgate-test");
    let run = |profile: &str, doc: &str| {
        Command::new(env!("CARGO_BIN_EXE_certgate"))
            .args([
                "check",
                "-p",
                profile,
                doc,
                "--at",
                AT,
                "--fail-on",
                "warning",
            ])
            .args(["-f", "json"])
            .current_dir(root())
            .env(env.0, env.1)
            .output()
            .unwrap()
    };
    let update = run(
        "esri-portal-update",
        "corpus/esri-portal-update/pass-openssl3-chain.json",
    );
    assert_eq!(update.status.code(), Some(0), "{}", stdout(&update));
    let import = run(
        "esri-portal-import",
        "corpus/esri-portal-import/pass-openssl3-chain.json",
    );
    assert_eq!(import.status.code(), Some(1));
    let report = json(&import);
    let host: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "pkcs12-host-compat")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(host.len(), 2, "{host:?}");
    assert!(
        host.iter().all(|m| m.contains("Portal 10.8 to 10.9.1")),
        "{host:?}"
    );
}

/// The archive holds the intermediate: the missing certificate is the root, named as
/// the intermediate's issuer, not as the leaf's.
#[test]
fn issuer_import_names_the_certificate_whose_issuer_is_missing() {
    let o = Command::new(env!("CARGO_BIN_EXE_certgate"))
        .args([
            "check",
            "-p",
            "esri-portal-import",
            "--at",
            AT,
            "-f",
            "json",
        ])
        .arg("corpus/esri-portal-import/fail-issuer-import-required-no-root.json")
        .current_dir(root())
        .env("CERTGATE_TEST_PASSWORD", "certgate-test")
        .output()
        .unwrap();
    let report = json(&o);
    let d = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "issuer-import-required")
        .expect("issuer-import-required");
    let m = d["message"].as_str().unwrap();
    assert!(
        m.contains("holds its issuer \"CN=certgate Test Intermediate, O=certgate test\""),
        "{m}"
    );
    assert!(
        m.contains("not that certificate's issuer \"CN=certgate Test Root"),
        "{m}"
    );
}

/// `lint --format sarif`: every result, CSR rules included, points to its descriptor.
#[test]
fn lint_sarif_results_all_have_descriptors() {
    let o = certgate(&[
        "lint",
        "corpus/esri/materials/csr-weak-rsa1024-sha1.pem",
        "corpus/esri/materials/csr-tampered.pem",
        "--at",
        AT,
        "-f",
        "sarif",
    ]);
    let text = stdout(&o);
    common::assert_valid_sarif(&text);
    let log: serde_json::Value = serde_json::from_str(&text).unwrap();
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert!(
        results.iter().any(|r| r["ruleId"] == "csr-signature"),
        "{text}"
    );
    for r in results {
        let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[i]["id"], r["ruleId"], "{r}");
    }
}
