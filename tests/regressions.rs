//! Replays every input under `fuzz/regressions/<target>/` through the library code its
//! fuzz target exercises. Inputs that once crashed a target stay here; none may panic.
//! The file layout is `fuzz/regressions/<target>/<name>`, target as in `fuzz/Cargo.toml`.

use std::fs;
use std::path::{Path, PathBuf};

use certgate::{Catalogue, Request};
use secrecy::SecretString;

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != ".gitkeep"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = fs::read(&p).expect("a readable fixture");
            (p, bytes)
        })
        .collect()
}

/// The body of each fuzz target, as a function of its input bytes.
fn run(target: &str, data: &[u8]) {
    match target {
        "pem" => {
            let scan = certgate::input::pem::scan(&String::from_utf8_lossy(data));
            scan.issues.iter().for_each(|i| drop(i.message()));
            scan.stray.iter().for_each(|s| drop(s.message()));
        }
        "cert" => {
            if let Ok(info) = certgate::input::cert::parse_certificate(data) {
                let _ = info.name();
            }
        }
        "key" => drop(certgate::input::key::parse_private_key_der(data)),
        "csr" => drop(certgate::input::csr::parse_csr(data)),
        "pkcs12" => {
            let Some((&n, rest)) = data.split_first() else {
                return;
            };
            let (password, der) = rest.split_at(usize::from(n % 32).min(rest.len()));
            let password = SecretString::from(String::from_utf8_lossy(password).into_owned());
            if let Ok(pre) = certgate::input::pkcs12::prescan(der) {
                let _ = pre.check_limits();
                let _ = pre.host_notes();
            }
            let _ = certgate::input::pkcs12::open(der, &password);
            let _ = certgate::input::pkcs12::password_multipart_risks(&password);
        }
        "check_elb" | "check_apic" => {
            let Ok(text) = std::str::from_utf8(data) else {
                return;
            };
            let Ok(request) = Request::parse(text, None) else {
                return;
            };
            let catalogue = Catalogue::builtin().expect("the built-in catalogue loads");
            let id = if target == "check_elb" {
                "huawei-elb-v3"
            } else {
                "huawei-apic-v2"
            };
            let profile = catalogue.profile(id).expect("a known profile");
            let report = certgate::check(
                profile,
                &request,
                time::macros::datetime!(2026-06-01 0:00 UTC),
            );
            let _ = certgate::render::human::render(&report, text, false);
            let _ = certgate::render::json::render(&report);
        }
        other => panic!("fuzz/regressions/{other}: no such fuzz target"),
    }
}

fn replay(target: &str) {
    for (path, data) in inputs(target) {
        let outcome = std::panic::catch_unwind(|| run(target, &data));
        assert!(outcome.is_ok(), "{} panics", path.display());
    }
}

#[test]
fn regressions_name_known_targets() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    for entry in fs::read_dir(dir).expect("fuzz/regressions exists") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                [
                    "pem",
                    "cert",
                    "key",
                    "pkcs12",
                    "csr",
                    "check_elb",
                    "check_apic"
                ]
                .contains(&name.as_str()),
                "fuzz/regressions/{name} is not a fuzz target"
            );
        }
    }
}

#[test]
fn pem() {
    replay("pem");
}

#[test]
fn cert() {
    replay("cert");
}

#[test]
fn key() {
    replay("key");
}

#[test]
fn pkcs12() {
    replay("pkcs12");
}

#[test]
fn csr() {
    replay("csr");
}

#[test]
fn check_elb() {
    replay("check_elb");
}

#[test]
fn check_apic() {
    replay("check_apic");
}
