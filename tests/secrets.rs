//! No key material in any output: every request fixture, every output format, and
//! `fix`'s change log are searched for pieces of the private keys the fixtures carry.

mod common;

use std::path::Path;

use common::{AT, certgate, check, relative, root};

const KEY_FIELDS: &[&str] = &[
    "/certificate/private_key",
    "/private_key",
    "/private_key_sign",
];

/// 24-character pieces of the base64 body of every PEM block in `text`.
fn canaries(text: &str) -> Vec<String> {
    let text = text.replace("\\r", "").replace("\\n", "\n");
    let mut out = Vec::new();
    for block in text.split("-----BEGIN").skip(1) {
        let body = block.split("-----END").next().unwrap_or("");
        // Drop the rest of the BEGIN line and any headers, keep base64 only.
        let body: String = body
            .split_once("-----")
            .map_or(body, |(_, b)| b)
            .lines()
            .filter(|l| !l.contains(':'))
            .collect::<String>()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '+' || *c == '/')
            .collect();
        let chars: Vec<char> = body.chars().collect();
        for chunk in chars.chunks(24).filter(|c| c.len() == 24) {
            out.push(chunk.iter().collect());
        }
    }
    out
}

fn key_text(doc: &Path, value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Object(o) => {
            let file = o.get("file")?.as_str()?;
            std::fs::read_to_string(doc.parent()?.join(file)).ok()
        }
        _ => None,
    }
}

#[test]
fn no_private_key_material_reaches_any_output() {
    let mut checked = 0;
    for profile in ["huawei-elb-v3", "huawei-apic-v2"] {
        let dir = root().join("corpus").join(profile);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .collect();
        files.sort();
        for path in files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
        {
            let doc: serde_json::Value =
                serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
            let secrets: Vec<String> = KEY_FIELDS
                .iter()
                .filter_map(|p| doc.pointer(p))
                .filter_map(|v| key_text(path, v))
                .flat_map(|t| canaries(&t))
                .collect();
            if secrets.is_empty() {
                continue;
            }
            let rel = relative(path);
            let mut outputs = Vec::new();
            for format in ["human", "json", "sarif"] {
                let o = check(profile, &rel, &["--format", format]);
                outputs.push((
                    format,
                    String::from_utf8_lossy(&o.stdout).into_owned()
                        + &String::from_utf8_lossy(&o.stderr),
                ));
            }
            // `fix` writes the request itself (keys left as the user wrote them) to
            // stdout; its change log on stderr must hold no key.
            let o = certgate(&["fix", "-p", profile, &rel]);
            outputs.push(("fix log", String::from_utf8_lossy(&o.stderr).into_owned()));
            for (what, out) in &outputs {
                for s in &secrets {
                    assert!(
                        !out.contains(s.as_str()),
                        "{rel}: {what} output contains private key material ({s})"
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} fixtures carry keys");
}

#[test]
fn canaries_are_found_where_they_are() {
    // The detector must see a key where one is: the seed example carries its key inline.
    let path = root().join("corpus/huawei-elb-v3/pass-seed-example.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let key = key_text(&path, doc.pointer("/certificate/private_key").unwrap()).unwrap();
    let c = canaries(&key);
    assert!(c.len() > 40);
    assert!(c.iter().all(|s| text.contains(s.as_str())));
}

#[test]
fn lint_never_prints_the_keys_it_reads() {
    let dir = root().join("corpus/materials");
    let mut secrets = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()) {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "key") {
            secrets.extend(canaries(&std::fs::read_to_string(&path).unwrap()));
        }
    }
    assert!(secrets.len() > 100);
    for format in ["human", "json", "sarif"] {
        let o = certgate(&["lint", "corpus/materials", "--at", AT, "--format", format]);
        let out =
            String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
        assert!(!out.is_empty());
        for s in &secrets {
            assert!(
                !out.contains(s.as_str()),
                "lint {format} output contains private key material ({s})"
            );
        }
    }
}

/// The library's values that hold a request (the fixed document, a YAML document) never
/// show its private key through `Debug`.
#[test]
fn debug_strings_hold_no_key() {
    let key = std::fs::read_to_string(root().join("corpus/materials/server.key")).unwrap();
    let chain = std::fs::read_to_string(root().join("corpus/materials/server-chain.pem")).unwrap();
    let body = serde_json::json!({"certificate": {
        "name": "web", "type": "server", "domain": "www.example.com",
        "certificate": chain, "private_key": key,
    }});
    let request = certgate::Request::from_value(body.clone()).unwrap();
    let catalogue = certgate::Catalogue::builtin().unwrap();
    let fixed = certgate::fix(catalogue.profile("huawei-elb-v3").unwrap(), &body, &request);
    let yaml = format!(
        "stringData:\n  tls.key: |\n    {}\n",
        key.replace('\n', "\n    ")
    );
    let shown = [
        format!("{fixed:?}"),
        format!("{request:?}"),
        format!("{:?}", certgate::yaml_documents(&yaml)),
    ];
    let pieces = canaries(&key);
    assert!(!pieces.is_empty());
    for text in &shown {
        for piece in &pieces {
            assert!(!text.contains(piece.as_str()), "{text}");
        }
    }
}
