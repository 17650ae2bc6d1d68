//! `certgate request`: the API's own body, written only when nothing fails.

mod common;

use common::{AT, certgate, root, stdout};

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("certgate-request-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    let _ = std::fs::remove_file(&p);
    p
}

#[test]
fn a_passing_document_becomes_the_json_body_with_mode_0600() {
    let out = tmp("body.json");
    let o = certgate(&[
        "request",
        "-p",
        "huawei-elb-v3",
        "corpus/huawei-elb-v3/pass-typical.json",
        "--at",
        AT,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let body: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let key = std::fs::read_to_string(root().join("corpus/materials/server.key")).unwrap();
    assert_eq!(body["certificate"]["private_key"], key.as_str());
    assert!(
        body["certificate"]["certificate"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----\n")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // Nothing about the key reaches the terminal.
    assert!(!stdout(&o).contains("PRIVATE KEY"));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("PRIVATE KEY"));
}

#[test]
fn a_failing_document_prints_the_report_and_writes_nothing() {
    let out = tmp("refused.json");
    let o = certgate(&[
        "request",
        "-p",
        "huawei-elb-v3",
        "corpus/huawei-elb-v3/fail-domain-count-31.json",
        "--at",
        AT,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("error[domain-count]"), "{}", stdout(&o));
    assert!(!out.exists());
    // --fail-on warning refuses a warning-only document too.
    let o = certgate(&[
        "request",
        "-p",
        "huawei-elb-v3",
        "corpus/huawei-elb-v3/fail-domain-empty.json",
        "--at",
        AT,
        "-o",
        out.to_str().unwrap(),
        "--fail-on",
        "warning",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.exists());
}

#[test]
fn a_multipart_upload_becomes_a_curl_command_without_its_password() {
    let o = certgate(&[
        "request",
        "-p",
        "esri-portal-import",
        "corpus/esri-portal-import/pass-openssl3-chain.json",
        "--at",
        AT,
        "--stdout",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = stdout(&o);
    assert!(text.contains("curl "), "{text}");
    assert!(text.contains("-F \"file=@"), "{text}");
    assert!(text.contains("${CERTGATE_TEST_PASSWORD}"), "{text}");
    assert!(
        !text.contains("certgate-test"),
        "the password is never written: {text}"
    );
}
