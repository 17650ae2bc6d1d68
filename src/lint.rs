//! Batch linting of bare materials: certificates, chains and bundles, private keys,
//! CSRs and PKCS#12 archives, found by content (PEM of any label, DER, PFX).
//!
//! Pure like the rest of the library: the caller reads the files and passes their bytes
//! and names. Certificates and keys are checked by the profile-independent rules of
//! `rules/pem-common.toml`, through the profile `rules/lint.toml`: each file's blocks
//! are routed by content into the engine's [`Submission`] (PEM as text, DER as DER;
//! no request document carries them), so every rule has exactly one implementation. Findings are located as `path#/N`, N being the
//! block's position among the file's `-----BEGIN` lines (or the entry's position in a
//! DER file or PKCS#12 archive); findings about a whole file are located at `path`.

use std::ops::Range;
use std::sync::OnceLock;

use secrecy::SecretString;
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::catalogue::{Catalogue, CatalogueError, Check, Profile};
use crate::config::Config;
use crate::input::cert::parse_certificate;
use crate::input::chain::MAX_CHAIN_CERTS;
use crate::input::csr::parse_csr;
use crate::input::key::parse_private_key_der;
use crate::input::pkcs12;
use crate::report::{Basis, Diagnostic, Item, Severity};
use crate::request::Request;
use crate::rules::{self, Base, Ctx, Finding, Frame, Speaker};
use crate::submission::{FieldMaterial, Reads, Submission};

/// The built-in profile whose rules check CSRs, and its CSR field.
const CSR_PROFILE: &str = "esri-portal-csr";
const CSR_FIELD: &str = crate::rules::CSR_RESPONSE_FIELD;

/// The lint profile's catalogue files: the shared set, then `rules/lint.toml` (not part
/// of the built-in catalogue: `lint` is no upload target).
const LINT_FILES: &[(&str, &str)] = &[
    ("pem-common.toml", include_str!("../rules/pem-common.toml")),
    (
        "pkcs12-common.toml",
        include_str!("../rules/pkcs12-common.toml"),
    ),
    LINT_TOML,
    LINT_PKCS12_TOML,
];
const LINT_TOML: (&str, &str) = ("lint.toml", include_str!("../rules/lint.toml"));
/// The archive rules: `rules/pkcs12-common.toml` as `certgate check` runs it on an Esri
/// upload, so an archive gets the same rule ids from `lint` and `check`.
const LINT_PKCS12_TOML: (&str, &str) = (
    "lint-pkcs12.toml",
    include_str!("../rules/lint-pkcs12.toml"),
);
/// The id of the archive profile in `rules/lint-pkcs12.toml`.
const ARCHIVE_PROFILE: &str = "lint-pkcs12";
const ARCHIVE: &str = "/archive";

/// The built-in catalogue with the lint profile in it, then `user_files` (`(file name,
/// TOML text)`): user policies for `"*"` or `"lint"` reach the lint profile, and those
/// for `esri-portal-csr` the CSR rules lint uses. Loads every built-in profile, so
/// [`Linter::configured`] is the faster start when there are no user files.
pub fn catalogue_with(user_files: &[(&str, &str)]) -> Result<Catalogue, CatalogueError> {
    let mut files = Vec::with_capacity(user_files.len() + 2);
    files.push(LINT_TOML);
    files.push(LINT_PKCS12_TOML);
    files.extend_from_slice(user_files);
    Catalogue::builtin_with(&files)
}

/// The rule ids of the lint profile, for validating a configuration that `check` and
/// `lint` share.
pub fn rule_ids() -> Vec<&'static str> {
    lint_profiles().map_or_else(
        |_| Vec::new(),
        |(p, a)| {
            p.rules
                .iter()
                .chain(&a.rules)
                .map(|r| r.id.as_str())
                .collect()
        },
    )
}

/// The lint profile and the archive profile as their files define them, parsed once
/// per process: [`Linter::new`] and the lint-only findings ([`own`]) share them.
fn lint_profiles() -> Result<&'static (Profile, Profile), CatalogueError> {
    static PROFILES: OnceLock<Result<(Profile, Profile), CatalogueError>> = OnceLock::new();
    PROFILES
        .get_or_init(|| {
            let catalogue = Catalogue::from_files(LINT_FILES)?;
            let find = |id: &str| catalogue.require(id).cloned();
            Ok((find("lint")?, find(ARCHIVE_PROFILE)?))
        })
        .as_ref()
        .map_err(Clone::clone)
}

fn lint_profile() -> Result<&'static Profile, CatalogueError> {
    lint_profiles().map(|(p, _)| p)
}

/// A built-in profile, loaded alone (with the shared sets it includes).
fn builtin_profile(id: &str) -> Result<Profile, CatalogueError> {
    Catalogue::builtin_only(&[id])?.require(id).cloned()
}

/// Rules of the shared set that say nothing about a file at rest.
const SKIPPED_RULES: &[&str] = &[
    // A key on disk is rightly encrypted; only an upload needs it in clear.
    "key-encrypted",
];

const CERTS: &str = "/certificates";
const KEY: &str = "/private_key";

/// Certificate files with more certificates than this are linted as bundles.
pub const MAX_CHAIN: usize = MAX_CHAIN_CERTS;

/// Certificates per segment of a bundle: small, because the chain analysis that every
/// certificates field gets is quadratic in its size, and bundles use none of it.
const BUNDLE_SEGMENT: usize = 16;

/// What a PEM block holds, from its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Certificate,
    PrivateKey,
    Csr,
    Other,
}

fn block_kind(label: &str) -> BlockKind {
    match label {
        "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => BlockKind::Certificate,
        "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => BlockKind::Csr,
        l if crate::input::key::is_private_key_label(l) => BlockKind::PrivateKey,
        _ => BlockKind::Other,
    }
}

/// A `-----BEGIN` line of a PEM text: found by a cheap scan (no base64 decoding), to
/// decide what the file holds before the rules' full scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// Position among the text's `-----BEGIN` lines.
    pub index: usize,
    pub kind: BlockKind,
    /// From `-----BEGIN` to the end of the matching `-----END ...-----` (or of the text).
    pub span: Range<usize>,
}

/// Finds the `-----BEGIN` markers of a text.
pub fn markers(text: &str) -> Vec<Marker> {
    const BEGIN: &str = "-----BEGIN ";
    // memmem: `str::find` builds a two-way searcher on every call, several per block.
    let find = |t: &str, needle: &str| memchr::memmem::find(t.as_bytes(), needle.as_bytes());
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(rel) = text.get(from..).and_then(|t| find(t, BEGIN)) {
        let start = from + rel;
        let label_start = start + BEGIN.len();
        let rest = text.get(label_start..).unwrap_or("");
        let label_len = find(rest, "-----").unwrap_or(0);
        let label = rest.get(..label_len).unwrap_or("").trim();
        let after = label_start + label_len;
        let end = match text.get(after..).and_then(|t| find(t, "-----END ")) {
            Some(e) => {
                let end_label = after + e + "-----END ".len();
                match text.get(end_label..).and_then(|t| find(t, "-----")) {
                    Some(x) => end_label + x + 5,
                    None => text.len(),
                }
            }
            None => text.len(),
        };
        // A BEGIN inside this block (a missing END) starts the next marker.
        let next_begin = text
            .get(label_start..)
            .and_then(|t| find(t, BEGIN))
            .map(|x| label_start + x);
        let end = match next_begin {
            Some(n) if n < end => n,
            _ => end,
        };
        out.push(Marker {
            index: out.len(),
            kind: block_kind(label),
            span: start..end,
        });
        from = end.max(label_start);
    }
    out
}

/// What a file holds, decided from its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Detected {
    /// PEM text (any label), with its markers.
    Pem(Vec<Marker>),
    /// One DER certificate.
    DerCertificate,
    /// One DER private key (PKCS#8, PKCS#1 or SEC1).
    DerPrivateKey,
    /// A DER or base64 CSR.
    DerCsr,
    /// A PKCS#12 archive.
    Pkcs12,
    /// Nothing certgate reads.
    Nothing,
}

impl Detected {
    /// Holds certificates (and no private key).
    pub fn certificates_only(&self) -> bool {
        match self {
            Detected::Pem(m) => {
                m.iter().any(|m| m.kind == BlockKind::Certificate)
                    && !m.iter().any(|m| m.kind == BlockKind::PrivateKey)
            }
            Detected::DerCertificate => true,
            _ => false,
        }
    }

    /// Holds a private key and no certificate.
    pub fn key_only(&self) -> bool {
        match self {
            Detected::Pem(m) => {
                m.iter().any(|m| m.kind == BlockKind::PrivateKey)
                    && !m.iter().any(|m| m.kind == BlockKind::Certificate)
            }
            Detected::DerPrivateKey => true,
            _ => false,
        }
    }
}

/// Decides what `bytes` hold. `name` only breaks ties (`.p12`/`.pfx`).
pub fn detect(name: &str, bytes: &[u8]) -> Detected {
    if let Ok(text) = std::str::from_utf8(bytes) {
        let m = markers(text);
        if !m.is_empty() {
            return Detected::Pem(m);
        }
    }
    let lower = name.to_ascii_lowercase();
    let p12_name = lower.ends_with(".p12") || lower.ends_with(".pfx");
    if bytes.first() == Some(&0x30) {
        if !p12_name && parse_certificate(bytes).is_ok() {
            return Detected::DerCertificate;
        }
        if p12_name || pkcs12::prescan(bytes).is_ok() {
            return Detected::Pkcs12;
        }
        if parse_private_key_der(bytes).is_ok() {
            return Detected::DerPrivateKey;
        }
    }
    if p12_name {
        return Detected::Pkcs12;
    }
    if parse_csr(bytes, CSR_FIELD).is_ok() {
        return Detected::DerCsr;
    }
    Detected::Nothing
}

/// One file given to the linter.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    /// The path as shown in locations.
    pub name: &'a str,
    /// The file's contents.
    pub bytes: &'a [u8],
}

/// Evaluation settings.
pub struct Options<'a> {
    /// The evaluation time (validity, expiry).
    pub at: OffsetDateTime,
    /// The PKCS#12 password, if any.
    pub password: Option<&'a SecretString>,
    /// Report files that hold nothing certgate reads (for files named explicitly).
    pub report_unrecognised: bool,
}

/// The lint profile and its evaluation.
pub struct Linter {
    profile: Profile,
    /// PKCS#12 archives: the shared archive rules (`rules/lint-pkcs12.toml`).
    archive_profile: Profile,
    /// CSRs are checked by the built-in `esri-portal-csr` profile's rules, so lint and
    /// check share one implementation (and one set of thresholds). Loaded on the first
    /// CSR: most runs see none, and the whole built-in catalogue is read to get it.
    csr_profile: OnceLock<Result<Profile, CatalogueError>>,
    /// The run's configuration, for the CSR profile when it is loaded.
    config: Config,
    /// The client verdict's anchors; Mozilla's roots when `None`.
    trust: Option<std::sync::Arc<crate::trust::Trust>>,
}

/// A shared rule's texts as they read for a file on disk rather than a request field
/// about to be uploaded; `None` keeps the shared text.
struct Wording {
    id: &'static str,
    summary: Option<&'static str>,
    help: Option<&'static str>,
    why: Option<&'static str>,
}

/// The rules of `rules/pem-common.toml` whose texts speak of a field or an upload.
const FILE_WORDING: &[Wording] = &[
    Wording {
        id: "pem-malformed",
        summary: Some(
            "A PEM file is PEM text: BEGIN/END lines with matching labels around base64.",
        ),
        help: Some(
            "Write the file again exactly as openssl writes it (`openssl x509 -in cert.pem -out fixed.pem` / `openssl pkey -in key.pem -out fixed.key`): a -----BEGIN <LABEL>----- line, base64, and a matching -----END <LABEL>----- line.",
        ),
        why: None,
    },
    Wording {
        id: "pem-stray-text",
        summary: Some(
            "Nothing but PEM blocks and whitespace in the file (no quotes, escapes or notes around them).",
        ),
        help: Some(
            "Remove the text around the PEM blocks: some readers keep it, and an upload of this file can then fail to parse.",
        ),
        why: Some(
            "Not every PEM reader tolerates text around the blocks; quotes and notes copied from a document or an example are the usual cause.",
        ),
    },
    Wording {
        id: "der-malformed",
        summary: Some("Each PEM block decodes to a valid certificate or private key."),
        help: None,
        why: Some(
            "TLS libraries and upload APIs parse the DER inside the PEM; a damaged structure is rejected.",
        ),
    },
    Wording {
        id: "chain-order",
        summary: None,
        help: None,
        why: Some(
            "A server sends the chain in the file's order; clients reject a chain whose order they cannot follow.",
        ),
    },
    Wording {
        id: "chain-duplicate",
        summary: Some("No certificate appears twice in the file."),
        help: None,
        why: None,
    },
    Wording {
        id: "cert-expired",
        summary: None,
        help: Some("Renew the certificate with its CA and replace this file with the new one."),
        why: Some(
            "Clients reject an expired certificate, and some APIs refuse an upload of this file.",
        ),
    },
    Wording {
        id: "cert-expiring-soon",
        summary: None,
        help: Some("Renew it now and replace this file with the renewed certificate."),
        why: Some("A certificate that expires within weeks is an outage scheduled in advance."),
    },
    Wording {
        id: "unknown-critical-extension",
        summary: None,
        help: None,
        why: Some(
            "A client must refuse a certificate with a critical extension it does not know. certgate knows the extensions of RFC 5280 and those common in the Web PKI, so one it does not know is unlikely to be known to TLS clients.",
        ),
    },
    Wording {
        id: "leaf-is-ca",
        summary: Some("The server certificate (the first in the file) is not a CA certificate."),
        help: Some(
            "Put the server's own certificate first in the file; a CA certificate (basicConstraints cA=TRUE) in that place usually means the chain was assembled in the wrong order or the wrong file was chosen.",
        ),
        why: None,
    },
    Wording {
        id: "chain-root-included",
        summary: Some("The file includes the self-signed root; servers need not send it."),
        help: Some(
            "Drop the root certificate (the last block) unless the server using this file must send it.",
        ),
        why: None,
    },
];

/// The CSR rules of `esri-portal-csr`, which speak of the generateCsr response.
const CSR_WORDING: &[Wording] = &[
    Wording {
        id: "csr-malformed",
        summary: Some(
            "The file is a PKCS#10 request (NEW CERTIFICATE REQUEST or CERTIFICATE REQUEST PEM, or DER).",
        ),
        help: Some(
            "Save the whole PEM block, BEGIN and END lines included, as the tool that made the request wrote it; if the message names a damaged byte, the file was changed on the way (generate the CSR again).",
        ),
        why: None,
    },
    Wording {
        id: "csr-signature",
        summary: None,
        help: Some("Generate the CSR again and send the CA the file unmodified."),
        why: None,
    },
    Wording {
        id: "weak-key",
        summary: None,
        help: Some(
            "Generate a new key (RSA of at least 2048 bits, or EC P-256) and a new request with it.",
        ),
        why: None,
    },
];

/// Replaces a profile's texts with the file wording (rules from a user's policy keep
/// their own).
fn reword(profile: &mut Profile, table: &[Wording]) {
    for r in &mut profile.rules {
        let Some(w) = table.iter().find(|w| w.id == r.id) else {
            continue;
        };
        if r.basis == Basis::Policy {
            continue;
        }
        if let Some(s) = w.summary {
            r.summary = s.to_string();
        }
        if let Some(h) = w.help {
            r.help = h.to_string();
        }
        if let Some(y) = w.why {
            r.why = Some(y.to_string());
        }
    }
}

/// The rules of `rules/pkcs12-common.toml` whose texts speak of an upload.
const ARCHIVE_WORDING: &[Wording] = &[
    Wording {
        id: "pkcs12-password",
        summary: None,
        help: Some(
            "Check the password with `openssl pkcs12 -in archive.p12 -noout` (add `-legacy` for old archives); if the MAC verifies but decryption fails, the archive was written with two passwords: re-export it with one.",
        ),
        why: Some(
            "Whatever reads the archive opens it with its password; a wrong one opens nothing.",
        ),
    },
    Wording {
        id: "pkcs12-required",
        summary: None,
        help: Some(
            "Re-export the archive: `openssl pkcs12 -export -inkey key.pem -in cert.pem -certfile chain.pem -out archive.p12`.",
        ),
        why: Some(
            "A file that is not a readable PKCS#12 archive is refused by whatever imports it.",
        ),
    },
    Wording {
        id: "cert-expiring-soon",
        summary: None,
        help: Some("Renew the certificate now and export a new archive."),
        why: Some("A certificate that expires within weeks is an outage scheduled in advance."),
    },
];

/// The CSR rules as lint runs them: file wording, then the configuration.
fn csr_for_files(mut profile: Profile, config: &Config) -> Profile {
    reword(&mut profile, CSR_WORDING);
    config.apply(&profile)
}

/// Where the findings of one synthetic field land in the files.
#[derive(Clone)]
struct Origin<'a> {
    name: &'a str,
    /// File block (or entry) index of each certificate of the field, in field order.
    blocks: Vec<usize>,
    /// The block findings about the whole field are located at; `None`: the file.
    at: Option<usize>,
    /// Where the field's text starts in the file, so that messages and items number
    /// blocks and certificates as the file does.
    base: Base,
    /// Blocks of the file (file-wide index) in this text that another field or parser
    /// handles: a wrong-label finding about one of them is not this field's.
    foreign: Vec<usize>,
    /// The 1-based line of each block of the file (empty for DER).
    lines: &'a [usize],
}

impl Origin<'_> {
    /// Moves a finding of this field to its place in the file: certificates to their
    /// blocks, the rest to the field's place; the item becomes the file's block.
    fn place(&self, d: &mut Diagnostic, certificates: bool) {
        let (at, block) = match d.item {
            Item::Cert(n) if certificates => {
                let b = n
                    .checked_sub(self.base.cert)
                    .and_then(|i| self.blocks.get(i))
                    .copied()
                    .unwrap_or(n);
                (Some(b), Some(b))
            }
            Item::Block(b) => (self.at, Some(b)),
            _ => (self.at, self.at),
        };
        d.location = match at {
            Some(b) => block_location(self.name, b),
            None => self.name.to_string(),
        };
        d.item = block.map_or(Item::Field, Item::Block);
        d.line = block.and_then(|b| self.lines.get(b).copied());
    }
}

/// The lines of a PEM file's blocks ([`marker_lines`]); none for other files.
fn pem_lines(bytes: &[u8], d: &Detected) -> Vec<usize> {
    match (d, std::str::from_utf8(bytes)) {
        (Detected::Pem(m), Ok(text)) => marker_lines(text, m),
        _ => Vec::new(),
    }
}

/// The 1-based line of each marker's `-----BEGIN`, for SARIF regions: one pass over
/// the text (markers come in text order).
fn marker_lines(text: &str, m: &[Marker]) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut line = 1;
    let mut from = 0;
    m.iter()
        .map(|x| {
            let to = x.span.start.clamp(from, bytes.len());
            line += memchr::memchr_iter(b'\n', bytes.get(from..to).unwrap_or_default()).count();
            from = to;
            line
        })
        .collect()
}

impl Linter {
    /// The built-in lint profile, as built in.
    ///
    /// ```
    /// use certgate::{LintInput, LintOptions, Linter};
    ///
    /// let linter = Linter::new().expect("the built-in lint profile loads");
    /// let pem = "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n";
    /// let opts = LintOptions {
    ///     at: time::macros::datetime!(2026-06-01 0:00 UTC),
    ///     password: None,
    ///     report_unrecognised: true,
    /// };
    /// let findings = linter.lint_file(LintInput { name: "web.pem", bytes: pem.as_bytes() }, &opts);
    /// assert!(findings.iter().any(|d| d.severity == certgate::Severity::Error));
    /// assert!(findings.iter().all(|d| d.location.starts_with("web.pem")));
    /// ```
    pub fn new() -> Result<Linter, CatalogueError> {
        Linter::configured(&Config::default())
    }

    /// The built-in lint profile with `config` applied (disabled rules, severities,
    /// thresholds), to the CSR rules too.
    pub fn configured(config: &Config) -> Result<Linter, CatalogueError> {
        let (lint, archive) = lint_profiles()?;
        Ok(Linter::build(lint.clone(), archive.clone(), None, config))
    }

    /// The lint profile and the CSR rules of a catalogue made by [`catalogue_with`]
    /// (with the user's policies), with `config` applied.
    pub fn from_catalogue(
        catalogue: &Catalogue,
        config: &Config,
    ) -> Result<Linter, CatalogueError> {
        let find = |id: &str| catalogue.require(id).cloned();
        Ok(Linter::build(
            find("lint")?,
            find(ARCHIVE_PROFILE)?,
            Some(find(CSR_PROFILE)?),
            config,
        ))
    }

    fn build(
        mut profile: Profile,
        mut archive: Profile,
        csr: Option<Profile>,
        config: &Config,
    ) -> Linter {
        reword(&mut archive, ARCHIVE_WORDING);
        profile
            .rules
            .retain(|r| !SKIPPED_RULES.contains(&r.id.as_str()));
        reword(&mut profile, FILE_WORDING);
        let csr_profile = OnceLock::new();
        if let Some(p) = csr {
            let _ = csr_profile.set(Ok(csr_for_files(p, config)));
        }
        Linter {
            profile: config.apply(&profile),
            archive_profile: config.apply(&archive),
            csr_profile,
            config: config.clone(),
            trust: None,
        }
    }

    fn csr_profile(&self) -> Result<&Profile, &CatalogueError> {
        self.csr_profile
            .get_or_init(|| builtin_profile(CSR_PROFILE).map(|p| csr_for_files(p, &self.config)))
            .as_ref()
    }

    /// A finding of a lint-only rule (kind `lint-file`; see `own`) as this run
    /// configures it: `None` when the rule is disabled; a configured severity replaces
    /// `severity`, and help, rationale and citation are the configured entry's.
    pub fn finding(
        &self,
        rule: &str,
        severity: Severity,
        location: String,
        message: String,
        help: &str,
    ) -> Option<Diagnostic> {
        let built_in = lint_file_rule(rule);
        let entry = self
            .profile
            .rules
            .iter()
            .find(|r| r.id == rule && matches!(r.check, Check::LintFile {}));
        let mut d = own(rule, severity, location, message, help);
        match (built_in, entry) {
            (Some(_), None) => return None,
            (b, Some(e)) => {
                // `severity` may differ from the entry's on purpose (pkcs12-password
                // without a password); only a configured change overrides it.
                if b.is_none_or(|b| b.severity != e.severity) {
                    d.severity = e.severity;
                }
                d.help = e.help.clone();
                d.citation = e.citation.clone();
                d.basis = e.basis;
                d.why = e.why.clone();
            }
            (None, None) => {}
        }
        Some(d)
    }

    /// `lint-unreadable` findings for the entries a walk could not read
    /// ([`crate::walk_files`]): a broken link is a warning (no file went unchecked),
    /// anything else an error.
    pub fn unreadable(&self, found: &crate::walk::Found) -> Vec<Diagnostic> {
        found
            .problems
            .iter()
            .filter_map(|p| {
                let severity = if p.broken_link {
                    Severity::Warning
                } else {
                    Severity::Error
                };
                self.finding(
                    "lint-unreadable",
                    severity,
                    p.name.clone(),
                    p.reason.clone(),
                    "Check the path and its permissions.",
                )
            })
            .collect()
    }

    /// The lint profile the linter runs (as configured).
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The same linter with the client verdict's anchors (and extra intermediates).
    pub fn with_trust(mut self, trust: crate::trust::Trust) -> Linter {
        self.trust = Some(std::sync::Arc::new(trust));
        self
    }

    fn trust(&self) -> &crate::trust::Trust {
        self.trust
            .as_deref()
            .unwrap_or_else(|| crate::trust::Trust::mozilla())
    }

    /// Runs `profile`'s rules on one file's submission: lint's one way into the engine.
    fn run_rules(
        &self,
        profile: &Profile,
        request: &Request,
        submission: &Submission,
        at: OffsetDateTime,
        frame: Frame<'_>,
    ) -> Vec<Diagnostic> {
        rules::evaluate(&Ctx {
            profile,
            request,
            submission,
            at,
            trust: self.trust(),
            frame,
            verdicts: rules::Verdicts::default(),
        })
    }

    /// The profiles `certgate lint` defines (`lint`, and `lint-pkcs12` for archives),
    /// for listings: the CSR rules are a built-in profile's.
    pub fn own_profiles(&self) -> [&Profile; 2] {
        [&self.profile, &self.archive_profile]
    }

    /// Every profile whose rules lint findings can come from: the lint profile, and the
    /// CSR rules when they load (for documentation such as SARIF rule descriptors).
    pub fn profiles(&self) -> Vec<&Profile> {
        let mut all = vec![&self.profile, &self.archive_profile];
        all.extend(self.csr_profile().ok());
        all
    }

    /// A CSR through the `esri-portal-csr` rules (parses, self-signature, weak key and
    /// hash), its findings moved to the CSR's place in the file.
    fn lint_csr(&self, bytes: &[u8], location: String, opts: &Options<'_>) -> Vec<Diagnostic> {
        let profile = match self.csr_profile() {
            Ok(p) => p,
            Err(e) => {
                return vec![own(
                    "lint-internal",
                    Severity::Error,
                    location,
                    format!(
                        "the CSR was not checked: the built-in {CSR_PROFILE} profile did not load: {e}"
                    ),
                    "Report this as a certgate bug.",
                )];
            }
        };
        // The request names the CSR's place (the CSR rules check that the field is
        // there); the bytes go to the submission.
        let Some(request) = names_request(&[(CSR_FIELD, location.as_str())]) else {
            return Vec::new();
        };
        let mut submission = Submission::new();
        let pointer = format!("/{CSR_FIELD}");
        submission.insert(&pointer, FieldMaterial::csr(&pointer, bytes));
        let mut out = self.run_rules(profile, &request, &submission, opts.at, Frame::default());
        for d in &mut out {
            d.location.clone_from(&location);
        }
        out
    }

    /// Lints one file on its own.
    pub fn lint_file(&self, input: Input<'_>, opts: &Options<'_>) -> Vec<Diagnostic> {
        let detected = detect(input.name, input.bytes);
        self.lint_detected(input, &detected, None, opts)
    }

    /// Lints one file whose contents [`detect`] has already classified.
    pub fn lint_classified(
        &self,
        input: Input<'_>,
        detected: &Detected,
        opts: &Options<'_>,
    ) -> Vec<Diagnostic> {
        self.lint_detected(input, detected, None, opts)
    }

    /// Lints a certificate file together with the key file that sits beside it (same
    /// directory and file stem); the key is checked against the certificate.
    pub fn lint_pair(
        &self,
        certs: Input<'_>,
        key: Input<'_>,
        opts: &Options<'_>,
    ) -> Vec<Diagnostic> {
        let cd = detect(certs.name, certs.bytes);
        let kd = detect(key.name, key.bytes);
        self.lint_pair_classified((certs, &cd), (key, &kd), opts)
    }

    /// [`Linter::lint_pair`] for files [`detect`] has already classified.
    pub fn lint_pair_classified(
        &self,
        (certs, cd): (Input<'_>, &Detected),
        (key, kd): (Input<'_>, &Detected),
        opts: &Options<'_>,
    ) -> Vec<Diagnostic> {
        if !cd.certificates_only() || !kd.key_only() {
            let mut out = self.lint_detected(certs, cd, None, opts);
            out.extend(self.lint_detected(key, kd, None, opts));
            return out;
        }
        let key_lines = pem_lines(key.bytes, kd);
        match self.key_source(key, kd, &key_lines) {
            Some((text, origin)) => self.lint_detected(certs, cd, Some((text, origin)), opts),
            None => {
                let mut out = self.lint_detected(certs, cd, None, opts);
                out.extend(self.lint_detected(key, kd, None, opts));
                out
            }
        }
    }

    /// The key field's text and origin for a key-only file (`lines`: its blocks' lines).
    fn key_source<'a>(
        &self,
        key: Input<'a>,
        d: &Detected,
        lines: &'a [usize],
    ) -> Option<(Source<'a>, Origin<'a>)> {
        match d {
            Detected::Pem(m) => {
                let text = std::str::from_utf8(key.bytes).ok()?;
                let first = m.iter().find(|m| m.kind == BlockKind::PrivateKey)?;
                Some((
                    Source::Pem(text),
                    Origin {
                        name: key.name,
                        blocks: Vec::new(),
                        at: Some(first.index),
                        base: Base::default(),
                        foreign: Vec::new(),
                        lines,
                    },
                ))
            }
            Detected::DerPrivateKey => Some((
                Source::Der(key.bytes),
                Origin {
                    name: key.name,
                    blocks: Vec::new(),
                    at: None,
                    base: Base::default(),
                    foreign: Vec::new(),
                    lines: &[],
                },
            )),
            _ => None,
        }
    }

    fn lint_detected<'a>(
        &self,
        input: Input<'a>,
        detected: &Detected,
        paired_key: Option<(Source<'a>, Origin<'a>)>,
        opts: &Options<'_>,
    ) -> Vec<Diagnostic> {
        match detected {
            Detected::Pem(m) => match std::str::from_utf8(input.bytes) {
                Ok(text) => self.lint_pem(input.name, text, m, paired_key, opts),
                Err(_) => Vec::new(),
            },
            Detected::DerCertificate => {
                let origin = Origin {
                    name: input.name,
                    blocks: vec![0],
                    at: None,
                    base: Base::default(),
                    foreign: Vec::new(),
                    lines: &[],
                };
                self.evaluate(
                    Some((Source::Der(input.bytes), origin)),
                    paired_key,
                    false,
                    opts,
                )
            }
            Detected::DerPrivateKey => match self.key_source(input, detected, &[]) {
                Some(k) => self.evaluate(None, Some(k), false, opts),
                None => Vec::new(),
            },
            Detected::DerCsr => self.lint_csr(input.bytes, input.name.to_string(), opts),
            Detected::Pkcs12 => self.lint_pkcs12(input, opts),
            Detected::Nothing => {
                if opts.report_unrecognised {
                    self.finding(
                        "lint-unrecognised",
                        Severity::Warning,
                        input.name.to_string(),
                        format!(
                            "{} bytes that are not PEM, a DER certificate, key or CSR, or a PKCS#12 archive",
                            input.bytes.len()
                        ),
                        "Check that this is the file you meant: certgate lint reads certificates, chains, private keys, CSRs and PKCS#12 archives.",
                    )
                    .into_iter()
                    .collect()
                } else {
                    Vec::new()
                }
            }
        }
    }

    fn lint_pem<'a>(
        &self,
        name: &'a str,
        text: &str,
        m: &[Marker],
        paired_key: Option<(Source<'a>, Origin<'a>)>,
        opts: &Options<'_>,
    ) -> Vec<Diagnostic> {
        let lines = marker_lines(text, m);
        // A finding located at block `index` of this file.
        let at_block = |mut d: Diagnostic, index: usize| {
            d.item = Item::Block(index);
            d.line = lines.get(index).copied();
            d
        };
        let mut out = Vec::new();
        for c in m.iter().filter(|m| m.kind == BlockKind::Csr) {
            let bytes = text.get(c.span.clone()).unwrap_or("").as_bytes();
            out.extend(
                self.lint_csr(bytes, block_location(name, c.index), opts)
                    .into_iter()
                    .map(|d| at_block(d, c.index)),
            );
        }
        let cert_markers: Vec<&Marker> = m
            .iter()
            .filter(|m| m.kind == BlockKind::Certificate)
            .collect();
        let first_key = m.iter().find(|m| m.kind == BlockKind::PrivateKey);
        if cert_markers.is_empty() && first_key.is_none() {
            for o in m.iter().filter(|m| m.kind == BlockKind::Other) {
                let label = text
                    .get(o.span.start + "-----BEGIN ".len()..o.span.end)
                    .and_then(|t| t.split("-----").next())
                    .unwrap_or("");
                out.extend(self.finding(
                    "lint-skipped",
                    Severity::Info,
                    block_location(name, o.index),
                    format!(
                        "block {} is a {} block, which certgate lint does not check",
                        o.index + 1,
                        crate::rules::show(label.trim())
                    ),
                    "Nothing to do: certgate lint checks certificates, private keys, CSRs and PKCS#12 archives.",
                ).map(|d| at_block(d, o.index)));
            }
            return out;
        }
        if cert_markers.is_empty() {
            if let Some(k) = first_key {
                // Keys (and unknown blocks): the whole text is the key field, so that
                // stray text and broken blocks are reported once.
                let foreign = m
                    .iter()
                    .filter(|m| m.kind == BlockKind::Csr)
                    .map(|m| m.index)
                    .collect();
                let origin = Origin {
                    name,
                    blocks: Vec::new(),
                    at: Some(k.index),
                    base: Base::default(),
                    foreign,
                    lines: &lines,
                };
                out.extend(self.evaluate(None, Some((Source::Pem(text), origin)), false, opts));
            }
            return out;
        }
        let key = paired_key.or_else(|| {
            let k = first_key?;
            let slice = text.get(k.span.clone())?;
            Some((
                Source::Pem(slice),
                Origin {
                    name,
                    blocks: Vec::new(),
                    at: Some(k.index),
                    base: Base {
                        block: k.index,
                        cert: 0,
                    },
                    foreign: Vec::new(),
                    lines: &lines,
                },
            ))
        });
        if cert_markers.len() <= MAX_CHAIN {
            let foreign = m
                .iter()
                .filter(|m| matches!(m.kind, BlockKind::PrivateKey | BlockKind::Csr))
                .map(|m| m.index)
                .collect();
            let origin = Origin {
                name,
                blocks: cert_markers.iter().map(|m| m.index).collect(),
                at: None,
                base: Base::default(),
                foreign,
                lines: &lines,
            };
            out.extend(self.evaluate(Some((Source::Pem(text), origin)), key, false, opts));
            return out;
        }
        // A bundle: segments of BUNDLE_SEGMENT certificates, per-certificate rules
        // only, in parallel.
        use rayon::prelude::*;
        let chunks: Vec<&[&Marker]> = cert_markers.chunks(BUNDLE_SEGMENT).collect();
        let starts: Vec<usize> = chunks
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == 0 {
                    0
                } else {
                    c.first().map_or(0, |m| m.span.start)
                }
            })
            .collect();
        let parts: Vec<Vec<Diagnostic>> = chunks
            .par_iter()
            .enumerate()
            .map(|(i, chunk)| {
                let start = starts.get(i).copied().unwrap_or(0);
                let end = starts.get(i + 1).copied().unwrap_or(text.len());
                let seg = text.get(start..end).unwrap_or("");
                let first_block = if i == 0 {
                    0
                } else {
                    chunk.first().map_or(0, |m| m.index)
                };
                let last_block = m
                    .iter()
                    .find(|x| x.span.start >= end)
                    .map_or(m.len(), |x| x.index);
                let foreign = m
                    .iter()
                    .filter(|x| {
                        (first_block..last_block).contains(&x.index)
                            && matches!(x.kind, BlockKind::PrivateKey | BlockKind::Csr)
                    })
                    .map(|x| x.index)
                    .collect();
                let origin = Origin {
                    name,
                    blocks: chunk.iter().map(|m| m.index).collect(),
                    at: None,
                    base: Base {
                        block: first_block,
                        cert: i * BUNDLE_SEGMENT,
                    },
                    foreign,
                    lines: &lines,
                };
                let key = if i == 0 { key.clone() } else { None };
                self.evaluate(Some((Source::Pem(seg), origin)), key, true, opts)
            })
            .collect();
        out.extend(parts.into_iter().flatten());
        out.extend(
            self.bundle_duplicates(name, text, &cert_markers)
                .into_iter()
                .map(|(d, index)| at_block(d, index)),
        );
        out
    }

    /// A bundle gets no chain analysis (its certificates are unrelated), but a
    /// certificate repeated anywhere in it is still a `chain-duplicate`: found across
    /// the whole file by the block's base64 text (one encoding per DER). Each finding
    /// comes with its block.
    fn bundle_duplicates(
        &self,
        name: &str,
        text: &str,
        certs: &[&Marker],
    ) -> Vec<(Diagnostic, usize)> {
        let Some(rule) = self
            .profile
            .rules
            .iter()
            .find(|r| matches!(r.check, crate::catalogue::Check::ChainDuplicate { .. }))
        else {
            return Vec::new();
        };
        // Grouped by a hash of the base64 text without its line breaks (computed in
        // parallel, nothing copied); only certificates with equal hashes are compared
        // in full, each with the first of its group, so a hostile bundle stays linear.
        use rayon::prelude::*;
        use std::hash::Hasher;
        let lines = |m: &Marker| {
            text.get(m.span.clone())
                .unwrap_or("")
                .lines()
                .filter(|l| !l.trim_start().starts_with("-----"))
                .map(str::trim)
        };
        let hashes: Vec<u64> = certs
            .par_iter()
            .map(|m| {
                let mut h = std::hash::DefaultHasher::new();
                lines(m).for_each(|l| h.write(l.as_bytes()));
                h.finish()
            })
            .collect();
        let same = |a: &Marker, b: &Marker| {
            lines(a)
                .flat_map(str::bytes)
                .eq(lines(b).flat_map(str::bytes))
        };
        let mut first: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
        let mut out = Vec::new();
        for (pos, (m, h)) in certs.iter().zip(&hashes).enumerate() {
            let e = *first.entry(*h).or_insert(pos);
            if e == pos || !certs.get(e).is_some_and(|em| same(em, m)) {
                continue;
            }
            let finding = Finding::new(
                block_location(name, m.index),
                format!("certificate {} repeats certificate {}", pos + 1, e + 1),
            );
            out.push((rules::diagnostic(rule, finding), m.index));
        }
        out
    }

    /// An archive through the shared archive rules (`rules/lint-pkcs12.toml`): the
    /// request holds the file (and the password, when one is given), exactly as an Esri
    /// upload's does under `certgate check`.
    fn lint_pkcs12(&self, input: Input<'_>, opts: &Options<'_>) -> Vec<Diagnostic> {
        use secrecy::ExposeSecret;
        let name = input.name;
        // The request names the file (the archive rules check that it is there and read
        // its extension); the bytes and the password go to the submission only.
        let Some(request) = names_request(&[(ARCHIVE.trim_start_matches('/'), name)]) else {
            return Vec::new();
        };
        let mut submission = Submission::new();
        submission.insert(
            ARCHIVE,
            FieldMaterial::pkcs12(
                ARCHIVE,
                Some(name),
                input.bytes,
                opts.password.map(|p| p.expose_secret()),
                Reads::of(&self.archive_profile, true),
            ),
        );
        let mut out = self.run_rules(
            &self.archive_profile,
            &request,
            &submission,
            opts.at,
            Frame::default(),
        );
        submission.type_entries(&mut out);
        out.extend(submission.not_checked(&self.archive_profile, &request));
        // Every finding is about the archive file; one about a certificate in it is
        // located at that entry.
        for d in &mut out {
            d.location = match d.item {
                Item::Entry(n) => block_location(name, n),
                _ => name.to_string(),
            };
        }
        let readable = submission
            .archive(ARCHIVE)
            .is_some_and(|a| matches!(a.prescan, Some(Ok(_))) && a.refused.is_none());
        if opts.password.is_none() && readable {
            out.extend(self.finding(
                "pkcs12-password",
                Severity::Warning,
                name.to_string(),
                "a PKCS#12 archive; not opened: no password given".into(),
                "Pass the archive's password in an environment variable named by --password-env.",
            ));
        }
        out
    }

    /// Runs the lint profile on one file's materials: the certificates and the key are
    /// decoded straight into the engine's [`Submission`], PEM as text and DER as DER.
    fn evaluate(
        &self,
        certs: Option<(Source<'_>, Origin<'_>)>,
        key: Option<(Source<'_>, Origin<'_>)>,
        bundle: bool,
        opts: &Options<'_>,
    ) -> Vec<Diagnostic> {
        let mut submission = Submission::new();
        let reads = Reads::of(&self.profile, !bundle);
        if let Some((source, _)) = &certs {
            let material = match *source {
                Source::Pem(text) => FieldMaterial::pem_certificates(CERTS, text, reads),
                Source::Der(der) => FieldMaterial::der_certificate(CERTS, der, reads),
            };
            submission.insert(CERTS, material);
        }
        if let Some((source, _)) = &key {
            let material = match *source {
                Source::Pem(text) => FieldMaterial::pem_private_key(text),
                Source::Der(der) => FieldMaterial::der_private_key(der),
            };
            submission.insert(KEY, material);
        }
        let (cert_origin, key_origin) = (certs.map(|(_, o)| o), key.map(|(_, o)| o));
        let leafless = submission.certificates(CERTS).is_some_and(|f| {
            f.parsed().next().is_some() && f.parsed().all(|(_, c)| c.is_ca == Some(true))
        });
        // The request holds no material, only the profile's variable: a chain (the
        // server-leaf rules apply) or a bundle of unrelated certificates.
        let kind = if bundle || leafless {
            "bundle"
        } else {
            "chain"
        };
        let Some(request) = names_request(&[("kind", kind)]) else {
            return Vec::new();
        };
        // Each field's messages and items number blocks and certificates as its file
        // does, in the words of a file.
        let bases: Vec<(&str, Base)> = [(CERTS, &cert_origin), (KEY, &key_origin)]
            .into_iter()
            .filter_map(|(p, o)| Some((p, o.as_ref()?.base)))
            .collect();
        let frame = Frame {
            speaker: Speaker::File,
            bases: &bases,
        };
        let mut out = self.run_rules(&self.profile, &request, &submission, opts.at, frame);
        out.retain_mut(|d| {
            let (origin, certificates) = if d.location.starts_with(CERTS) {
                (cert_origin.as_ref(), true)
            } else if d.location.starts_with(KEY) {
                (key_origin.as_ref(), false)
            } else {
                return true;
            };
            let Some(o) = origin else { return true };
            // A block of another label in this text is another part's to check.
            if matches!(d.item, Item::Block(b) if o.foreign.contains(&b)) {
                return false;
            }
            o.place(d, certificates);
            true
        });
        out
    }
}

fn block_location(name: &str, index: usize) -> String {
    format!("{name}#/{index}")
}

/// A request of top-level text fields only: the names and variables the profile's
/// conditions and presence checks read. The materials are never in it.
fn names_request(fields: &[(&str, &str)]) -> Option<Request> {
    let map: Map<String, Value> = fields
        .iter()
        .map(|(k, v)| ((*k).to_string(), Value::String((*v).to_string())))
        .collect();
    Request::from_value(Value::Object(map)).ok()
}

/// A file's material as it is on disk: PEM text, or DER bytes taken as DER.
#[derive(Clone, Copy)]
enum Source<'t> {
    Pem(&'t str),
    Der(&'t [u8]),
}

/// A finding of a lint-only rule (archives, unrecognised and unreadable files): the
/// message is the caller's; help, rationale and citation come from the rule's entry in
/// `rules/lint.toml` (kind `lint-file`), `help` only if it has none.
pub fn own(
    rule: &str,
    severity: Severity,
    location: String,
    message: String,
    help: &str,
) -> Diagnostic {
    match lint_file_rule(rule) {
        Some(entry) => rules::diagnostic(entry, Finding::new(location, message).severity(severity)),
        None => Diagnostic::new(rule, severity, location, message, help.to_string()),
    }
}

/// The `lint-file` rule `id` of the lint profile.
fn lint_file_rule(id: &str) -> Option<&'static crate::catalogue::RuleInstance> {
    lint_profile()
        .ok()?
        .rules
        .iter()
        .find(|r| r.id == id && matches!(r.check, crate::catalogue::Check::LintFile {}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_find_labels_and_spans() {
        let t = "x\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nAA\n-----END PRIVATE KEY-----\n";
        let m = markers(t);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].kind, BlockKind::Certificate);
        assert_eq!(m[1].kind, BlockKind::PrivateKey);
        assert!(t[m[0].span.clone()].ends_with("-----END CERTIFICATE-----"));
    }
}
