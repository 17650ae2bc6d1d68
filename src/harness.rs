//! The bodies of certgate's fuzz targets, as plain functions of arbitrary bytes.
//!
//! `fuzz/` calls them from its cargo-fuzz targets and `tests/regressions.rs` replays
//! every saved crash input through them, so an input replays through exactly the code
//! that found it. Use them in your own harness (AFL, honggfuzz, a corpus sweep): none
//! of them may panic on any input, which is the property being fuzzed.

use std::sync::OnceLock;

use secrecy::SecretString;
use time::OffsetDateTime;

use crate::{Catalogue, Request};

/// Every target, by the name used in `fuzz/Cargo.toml` and `fuzz/regressions/<target>/`.
pub const TARGETS: &[&str] = &["pem", "cert", "key", "pkcs12", "csr", "check"];

/// The fixed evaluation time of the `check` target (fuzzing must be deterministic).
const AT: OffsetDateTime = time::macros::datetime!(2026-06-01 0:00 UTC);

/// Runs target `name` on `data`; `false` if there is no such target.
pub fn run(name: &str, data: &[u8]) -> bool {
    let body: fn(&[u8]) = match name {
        "pem" => pem,
        "cert" => cert,
        "key" => key,
        "pkcs12" => pkcs12,
        "csr" => csr,
        "check" => check,
        _ => return false,
    };
    body(data);
    true
}

/// The PEM splitter on arbitrary text (lossy UTF-8), with every message built.
pub fn pem(data: &[u8]) {
    let scan = crate::input::pem::scan(&String::from_utf8_lossy(data));
    scan.issues.iter().for_each(|i| drop(i.message()));
    scan.stray.iter().for_each(|s| drop(s.message()));
    let _ = scan.is_clean();
}

/// The certificate parser on DER.
pub fn cert(data: &[u8]) {
    if let Ok(info) = crate::input::cert::parse_certificate(data) {
        let _ = info.name();
    }
}

/// The private-key parser on DER (PKCS#8, PKCS#1, SEC1, encrypted PKCS#8).
pub fn key(data: &[u8]) {
    let _ = crate::input::key::parse_private_key_der(data);
}

/// The CSR parser (PEM or DER).
pub fn csr(data: &[u8]) {
    let _ = crate::input::csr::parse_csr(data, crate::rules::CSR_RESPONSE_FIELD);
}

/// PKCS#12: byte 0 is the password length (mod 32), then the password, then the archive.
pub fn pkcs12(data: &[u8]) {
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let (password, der) = rest.split_at(usize::from(n % 32).min(rest.len()));
    let password = SecretString::from(String::from_utf8_lossy(password).into_owned());
    if let Ok(pre) = crate::input::pkcs12::prescan(der) {
        let _ = pre.check_limits();
        let _ = pre.host_facts();
    }
    let _ = crate::input::pkcs12::open(der, &password);
    let _ = crate::input::pkcs12::password_multipart_risks(&password);
}

/// The whole `check` of one profile on a request document (JSON or TOML), then every
/// renderer on the report. The input's first line names the profile (`huawei-elb-v3`,
/// or `id@revision`), so seeds and saved crashes keep their meaning when profiles are
/// added; the rest is the document (see [`check_input`]).
pub fn check(data: &[u8]) {
    let Some(newline) = data.iter().position(|&b| b == b'\n') else {
        return;
    };
    let (name, rest) = data.split_at(newline);
    let rest = rest.get(1..).unwrap_or_default();
    let (Ok(name), Ok(text)) = (std::str::from_utf8(name), std::str::from_utf8(rest)) else {
        return;
    };
    let Ok(request) = Request::parse(text, None) else {
        return;
    };
    let Some(profile) = builtin().and_then(|c| c.profile(name)) else {
        return;
    };
    let report = crate::check(profile, &request, AT);
    let _ = report.has_errors();
    let _ = crate::render::human::render(&report, text, false);
    let _ = crate::render::json::render(&report);
    let artifact = crate::render::sarif::Artifact {
        uri: "request.json",
        text: Some(text),
    };
    let _ = crate::render::sarif::render(&report, profile, &artifact);
}

/// The [`check`] input for `profile` and `document`, for building seeds.
pub fn check_input(profile: &str, document: &[u8]) -> Vec<u8> {
    let mut data = Vec::with_capacity(profile.len() + 1 + document.len());
    data.extend_from_slice(profile.as_bytes());
    data.push(b'\n');
    data.extend_from_slice(document);
    data
}

/// Loaded once: the fuzzer calls [`check`] millions of times.
fn builtin() -> Option<&'static Catalogue> {
    static CATALOGUE: OnceLock<Option<Catalogue>> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue::builtin().ok()).as_ref()
}

/// **Unstable internals, not part of certgate's API**: the pieces certgate's own
/// integration tests and benchmarks read (the built-in rule files, the kind registry,
/// rule instances, the decoders). Anything here may change or disappear in any release;
/// a library user has [`crate::check`], [`crate::Linter`] and the crate root's types.
#[doc(hidden)]
pub mod internals {
    pub use crate::catalogue::{BUILTIN_FILES, Check, ProfileMeta, RuleInstance};
    pub use crate::input::{cert, chain, key, pem, pkcs12, verify};
    pub use crate::lint::{markers, rule_ids as lint_rule_ids};
    pub use crate::rules::kinds::KINDS;
    pub use crate::sources::{SOURCES_TOML, SourceKind, Sources};
    pub use crate::submission::MAX_PEM_FIELD_BYTES;
    pub use crate::trust::leaf_covers;

    use crate::Profile;
    use regex::Regex;

    /// A profile's data as the catalogue holds it.
    pub trait ProfileInternals {
        /// The profile's metadata (id, revision, seed document, includes).
        fn profile_meta(&self) -> &ProfileMeta;
        /// The profile's rule instances.
        fn rule_instances(&self) -> &[RuleInstance];
        /// The compiled regex of a `pattern` rule.
        fn compiled_pattern(&self, source: &str) -> Option<&Regex>;
    }

    impl ProfileInternals for Profile {
        fn profile_meta(&self) -> &ProfileMeta {
            &self.meta
        }
        fn rule_instances(&self) -> &[RuleInstance] {
            &self.rules
        }
        fn compiled_pattern(&self, source: &str) -> Option<&Regex> {
            self.pattern(source)
        }
    }
}
