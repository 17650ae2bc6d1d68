//! PKCS#12 archive and CSR kinds (the Esri Portal profiles): the archive opens with its
//! password, holds one private key with its certificate, and the CSR parses and verifies.
//! No finding ever contains the password.

use super::fields::field_name;
use super::{Ctx, Finding, plural, show};
use crate::input::key::{KeyMatch, ParsedKey, key_matches_spki};
use crate::input::pkcs12::{
    EntryKind, HostFact, Pkcs12Error, Prescan, password_has_multipart_risk,
};
use crate::input::verify::Verification;
use crate::report::Severity;
use crate::request::FieldValue;
use crate::submission::ArchiveField;

/// The field of Esri's `generateCSR` response (and of the request) that holds the CSR.
pub const CSR_RESPONSE_FIELD: &str = "certificateSigningRequest";

/// The rule an archive that cannot be opened breaks: `pkcs12-password` for the password
/// steps, `pkcs12-required` otherwise.
pub fn pkcs12_rule_id(e: &Pkcs12Error) -> &'static str {
    match e {
        Pkcs12Error::MacMismatch { .. } | Pkcs12Error::DecryptFailed { .. } => "pkcs12-password",
        _ => "pkcs12-required",
    }
}

/// A host fact worded for the user: which hosts fail on it and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostNote {
    /// [`HostFact::code`], matched against a profile's `reads`.
    pub code: &'static str,
    pub text: String,
}

/// The archive's host facts, each worded with the hosts it breaks (Java, Windows).
pub fn host_notes(pre: &Prescan) -> Vec<HostNote> {
    pre.host_facts()
        .into_iter()
        .map(|fact| HostNote {
            code: fact.code(),
            text: host_note_text(&fact),
        })
        .collect()
}

fn host_note_text(fact: &HostFact) -> String {
    match fact {
        HostFact::AesEncryption => {
            "the archive is AES-encrypted (PBES2, the OpenSSL 3 default): older Java \
                   keystores (before 8u301 / 11.0.12) and Windows Server 2016 and earlier \
                   cannot read it; if the host is one of those, re-export with \
                   `openssl pkcs12 -export -legacy` (3DES, SHA-1 MAC)"
                .to_string()
        }
        HostFact::MacDigest { digest } => format!(
            "the MAC uses {digest}: Java before 8u301 / 11.0.12 fails with \
             \"Algorithm HmacPBE{} not available\"; `-legacy` writes a SHA-1 MAC",
            digest.replace('-', "")
        ),
        HostFact::NoMac => "the archive has no MAC (integrity check): the password cannot be \
                   verified before decryption, and some importers refuse such archives or \
                   treat them as password-less"
            .to_string(),
        HostFact::ClearKeys { count } => {
            format!("{count} private key(s) stored unencrypted (keyBag)")
        }
        HostFact::WeakPbe => {
            "a container uses 40-bit RC2/RC4 encryption (the legacy default for the \
                   certificates; it protects nothing)"
                .to_string()
        }
    }
}

fn archive<'a>(ctx: &Ctx<'a>, at: &str) -> Option<&'a ArchiveField> {
    ctx.submission.archive(at)
}

/// The archive's name for messages: its file name, else the field's.
fn archive_name(a: &ArchiveField, at: &str) -> String {
    match &a.file_name {
        Some(n) => show(n),
        None => format!("`{}`", field_name(at)),
    }
}

fn password_pointer(ctx: &Ctx<'_>, at: &str) -> String {
    ctx.profile
        .active_field(at, ctx.request)
        .and_then(|f| f.password.clone())
        .unwrap_or_else(|| at.to_string())
}

pub fn pkcs12_required(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let name = field_name(at);
    match ctx.request.field(at) {
        FieldValue::Absent => return vec![Finding::new(at, format!("`{name}` is missing"))],
        v if !v.is_non_empty() => return vec![Finding::new(at, format!("`{name}` is empty"))],
        _ => {}
    }
    let Some(a) = archive(ctx, at) else {
        return Vec::new();
    };
    if let Some(found) = a.not_a_file {
        return vec![Finding::new(
            at,
            format!("`{name}` is {found}, not the name of a .pfx/.p12 file"),
        )];
    }
    let file = archive_name(a, at);
    let mut out = Vec::new();
    match &a.prescan {
        Some(Err(e)) => {
            out.push(Finding::new(at, format!("{file} is {e}")));
            return out;
        }
        None => return out,
        Some(Ok(_)) => {}
    }
    if let Some(e @ Pkcs12Error::Unsupported { .. }) = &a.refused {
        out.push(
            Finding::new(
                at,
                format!("certgate cannot open {file} to check it further: {e}"),
            )
            .severity(Severity::Warning),
        );
    }
    if let Some(Err(e)) = &a.opened {
        if pkcs12_rule_id(e) == "pkcs12-required" {
            out.push(Finding::new(at, format!("{file}: {e}")));
        }
    }
    if let Some(n) = &a.file_name {
        let lower = n.to_ascii_lowercase();
        if !lower.ends_with(".pfx") && !lower.ends_with(".p12") {
            out.push(
                Finding::new(
                    at,
                    format!(
                        "{file} is a PKCS#12 archive, but its name does not end in .pfx or \
                         .p12, the extensions the API documents"
                    ),
                )
                .value(show(n))
                .severity(Severity::Warning),
            );
        }
    }
    out
}

pub fn pkcs12_password(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let Some(a) = archive(ctx, at) else {
        return Vec::new();
    };
    let pw = password_pointer(ctx, at);
    let message = match &a.opened {
        Some(Err(Pkcs12Error::MacMismatch { digest })) => format!(
            "the password does not open {}: the first step, the integrity check (MAC, \
             HMAC-{digest}), fails with it, so nothing was decrypted",
            archive_name(a, at)
        ),
        Some(Err(Pkcs12Error::DecryptFailed { what })) => format!(
            "the password does not open {}: the decryption step failed ({what})",
            archive_name(a, at)
        ),
        _ => return Vec::new(),
    };
    vec![Finding::new(pw, message)]
}

pub fn pkcs12_iterations(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    match archive(ctx, at).and_then(|a| a.refused.as_ref()) {
        Some(e @ (Pkcs12Error::IterationsTooHigh { .. } | Pkcs12Error::WorkTooHigh { .. })) => {
            vec![Finding::new(at, e.to_string())]
        }
        _ => Vec::new(),
    }
}

pub fn pkcs12_protection(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let Some(a) = archive(ctx, at) else {
        return Vec::new();
    };
    let Some(Ok(pre)) = &a.prescan else {
        return Vec::new();
    };
    let mac = match &pre.mac {
        Some(m) => format!("a MAC (HMAC-{}, {} iterations)", m.digest, m.iterations),
        None => "no MAC".to_string(),
    };
    // Identical neighbours once, with a count: a crafted archive may repeat one safe
    // hundreds of times.
    let mut runs: Vec<(String, usize)> = Vec::new();
    for b in &pre.bags {
        let s = format!("{} {} ({} iterations)", b.container, b.scheme, b.iterations);
        match runs.last_mut() {
            Some((last, n)) if *last == s => *n += 1,
            _ => runs.push((s, 1)),
        }
    }
    let schemes: Vec<String> = runs
        .into_iter()
        .map(|(s, n)| if n == 1 { s } else { format!("{s}, {n} times") })
        .collect();
    let enc = if schemes.is_empty() {
        "nothing encrypted".to_string()
    } else {
        schemes.join("; ")
    };
    vec![Finding::new(
        at,
        format!("{} has {mac}; encryption: {enc}", archive_name(a, at)),
    )]
}

/// What in the archive the target's host cannot read: every host note except those the
/// profile says its host reads.
pub fn pkcs12_host_compat(
    ctx: &Ctx<'_>,
    at: &str,
    host: Option<&str>,
    reads: &[String],
) -> Vec<Finding> {
    let Some(a) = archive(ctx, at) else {
        return Vec::new();
    };
    let Some(Ok(pre)) = &a.prescan else {
        return Vec::new();
    };
    host_notes(pre)
        .into_iter()
        .filter(|n| !reads.iter().any(|r| r == n.code))
        .map(|n| {
            let text = match host {
                Some(h) => format!("{}; on this target: {h}", n.text),
                None => n.text,
            };
            Finding::new(at, text).value(n.code)
        })
        .collect()
}

pub fn password_multipart(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let FieldValue::Text(p) = ctx.request.field(at) else {
        return Vec::new();
    };
    let secret = secrecy::SecretString::from(p.to_string());
    match password_has_multipart_risk(&secret) {
        Some(risk) => vec![Finding::new(at, risk)],
        None => Vec::new(),
    }
}

const EXPORT: &str = "`openssl pkcs12 -export -inkey key.pem -in cert.pem -certfile chain.pem \
                      -out upload.pfx`";

pub fn pkcs12_private_key_entry(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let Some(a) = archive(ctx, at) else {
        return Vec::new();
    };
    let Some(c) = a.contents() else {
        return Vec::new();
    };
    let file = archive_name(a, at);
    let message = match c.entry_kind() {
        EntryKind::PrivateKeyEntry => return Vec::new(),
        EntryKind::TrustedCertificates => format!(
            "{file} holds {} and no private key: it is a trusted-certificate store \
             (TrustedCertificateEntry), not a PrivateKeyEntry; export the server certificate \
             with its key: {EXPORT}",
            plural(c.certs.len(), "certificate", "certificates")
        ),
        EntryKind::KeyWithoutCertificate => format!(
            "{file} holds a private key but no certificate; export the key with its \
             certificate: {EXPORT}"
        ),
        EntryKind::Empty => format!(
            "{file} holds neither a private key nor a certificate; export them with {EXPORT}"
        ),
    };
    vec![Finding::new(at, message)]
}

pub fn pkcs12_single_key(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let Some(a) = archive(ctx, at) else {
        return Vec::new();
    };
    let Some(c) = a.contents() else {
        return Vec::new();
    };
    if !c.has_multiple_keys() {
        return Vec::new();
    }
    let names: Vec<String> = c
        .keys
        .iter()
        .map(|k| k.friendly_name.as_deref().map_or("(no alias)".into(), show))
        .collect();
    vec![
        Finding::new(
            at,
            format!(
                "{} holds {} ({}); which one the server uses is undefined",
                archive_name(a, at),
                plural(c.keys.len(), "private key", "private keys"),
                names.join(", ")
            ),
        )
        .value(c.keys.len().to_string()),
    ]
}

pub fn pkcs12_key_match(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let Some(a) = archive(ctx, at) else {
        return Vec::new();
    };
    let key = match a.keys.first() {
        Some(Ok(ParsedKey::Plain(k))) => k,
        Some(Ok(ParsedKey::Encrypted(_))) | None => return Vec::new(),
        Some(Err(e)) => {
            return vec![
                Finding::new(
                    at,
                    format!(
                        "the archive's private key does not parse ({e}), so certgate cannot \
                         compare it with the certificate"
                    ),
                )
                .severity(Severity::Warning),
            ];
        }
    };
    let Some(leaf) = a.certs.leaf() else {
        return Vec::new();
    };
    match key_matches_spki(key, &leaf.spki_der) {
        KeyMatch::Match | KeyMatch::Invalid(_) => Vec::new(),
        KeyMatch::Unsupported(why) => vec![
            Finding::new(
                at,
                format!(
                    "certgate cannot compare the archive's private key with its certificate: {why}"
                ),
            )
            .not_checked(),
        ],
        KeyMatch::Mismatch { key: k, cert: c } => vec![Finding::new(
            at,
            format!(
                "the archive's private key ({k}) does not belong to its server certificate {} \
                 (whose key is {c}); the archive pairs a key with another certificate",
                show(&leaf.name())
            ),
        )],
    }
}

/// Whether `importCertificateChain` asks for the archive's issuers to be imported
/// (default `true`; an invalid value is `import-chain-param`'s finding).
fn imports_chain(ctx: &Ctx<'_>, pointer: &str) -> bool {
    match ctx.request.field(pointer) {
        FieldValue::Text(s) => !s.trim().eq_ignore_ascii_case("false"),
        FieldValue::Other(v) => v.as_bool() != Some(false),
        _ => true,
    }
}

pub fn issuer_import(ctx: &Ctx<'_>, at: &str, chain_param: &str) -> Vec<Finding> {
    let Some(a) = archive(ctx, at) else {
        return Vec::new();
    };
    let Some(leaf) = a.certs.leaf() else {
        return Vec::new();
    };
    if leaf.self_issued {
        return Vec::new();
    }
    // Walk up from the leaf through the archive's certificates by issuer name.
    let in_archive: Vec<_> = a.certs.parsed().map(|(_, c)| c).collect();
    let mut current = leaf;
    let mut found = Vec::new();
    let mut missing = None;
    for _ in 0..in_archive.len() + 1 {
        match in_archive
            .iter()
            .find(|c| c.subject == current.issuer && c.der != current.der)
        {
            Some(issuer) => {
                found.push(issuer.name());
                if issuer.self_issued {
                    break;
                }
                current = issuer;
            }
            None => {
                missing = Some(current.issuer.clone());
                break;
            }
        }
    }
    let mut out = Vec::new();
    if let Some(dn) = missing {
        // Name the certificate whose issuer is missing: the leaf's own issuer, or, when
        // the archive holds part of the chain, the issuer of the last one it holds.
        let message = if found.is_empty() {
            format!(
                "the server certificate {} is CA-signed and the archive does not hold its \
                 issuer {}: import that certificate first (Import Root or Intermediate \
                 Certificate)",
                show(&leaf.name()),
                show(&dn)
            )
        } else {
            let last = found.last().map(|n| show(n)).unwrap_or_default();
            format!(
                "the server certificate {} is CA-signed and the archive holds its issuer {} \
                 but not that certificate's issuer {}: import it first (Import Root or \
                 Intermediate Certificate)",
                show(&leaf.name()),
                last,
                show(&dn)
            )
        };
        out.push(Finding::new(at, message).value(dn));
    }
    if !found.is_empty() && !imports_chain(ctx, chain_param) {
        let names: Vec<String> = found.iter().map(|n| show(n)).collect();
        out.push(Finding::new(
            at,
            format!(
                "`{}` is false, so the issuers inside the archive ({}) are not imported: import \
                 them first (Import Root or Intermediate Certificate), or leave `{}` at true",
                field_name(chain_param),
                names.join(", "),
                field_name(chain_param)
            ),
        ));
    }
    out
}

pub fn csr_well_formed(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    if !ctx.request.field(at).is_non_empty() {
        return vec![Finding::new(
            at,
            format!("`{}` is missing or empty", field_name(at)),
        )];
    }
    match ctx.submission.csr(at).map(|c| &c.parsed) {
        Some(Err(e)) => vec![Finding::new(at, e.to_string())],
        _ => Vec::new(),
    }
}

pub fn csr_signature(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let Some(c) = ctx.submission.csr(at) else {
        return Vec::new();
    };
    if c.parsed.is_err() {
        return Vec::new();
    }
    match &c.verification {
        Some(Verification::Invalid) => vec![Finding::new(
            at,
            "the request's self-signature does not verify with the public key inside it: the \
             request was changed after it was signed",
        )],
        Some(v @ Verification::Unsupported { .. }) => vec![
            Finding::new(
                at,
                format!("certgate cannot verify the request's signature: {v}"),
            )
            .severity(Severity::Warning),
        ],
        Some(_) => Vec::new(),
        None => vec![
            Finding::new(
                at,
                "certgate cannot verify the request's signature: the request could not be \
                 decoded for verification",
            )
            .severity(Severity::Warning),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_steps_belong_to_pkcs12_password() {
        let mac = Pkcs12Error::MacMismatch {
            digest: "SHA-256".into(),
        };
        assert_eq!(pkcs12_rule_id(&mac), "pkcs12-password");
        let bad = Pkcs12Error::DecryptFailed { what: "x".into() };
        assert_eq!(pkcs12_rule_id(&bad), "pkcs12-password");
        let other = Pkcs12Error::TooManyBags { limit: 1 };
        assert_eq!(pkcs12_rule_id(&other), "pkcs12-required");
    }

    #[test]
    fn host_notes_word_every_fact_with_its_code() {
        let facts = [
            HostFact::AesEncryption,
            HostFact::MacDigest {
                digest: "SHA-256".into(),
            },
            HostFact::NoMac,
            HostFact::ClearKeys { count: 2 },
            HostFact::WeakPbe,
        ];
        let codes: Vec<_> = facts.iter().map(HostFact::code).collect();
        assert_eq!(codes, crate::input::pkcs12::HOST_NOTE_CODES);
        assert!(host_note_text(&facts[1]).contains("\"Algorithm HmacPBESHA256 not available\""));
        assert!(host_note_text(&facts[3]).starts_with("2 private key(s)"));
    }
}
