//! PEM and DER kinds: the text is PEM, nothing stray around it, blocks decode.

use super::{Ctx, Finding, plural, show};
use crate::input::pem::PemIssue;
use crate::report::{Item, Severity};
use crate::submission::{BundleField, CertField, FieldMaterial, KeyField, Unreadable};

fn expected(m: &FieldMaterial) -> &'static str {
    match m {
        FieldMaterial::Certificates(_) => "CERTIFICATE",
        FieldMaterial::PrivateKey(_) => "PRIVATE KEY",
        FieldMaterial::Pkcs12(_) => "PKCS12",
        FieldMaterial::Csr(_) => "CERTIFICATE REQUEST",
        FieldMaterial::KeyAndCertificates(_) => "PRIVATE KEY and CERTIFICATE",
    }
}

pub fn well_formed(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let Some(m) = ctx.submission.get(at) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(u) = m.unreadable() {
        let message = match u {
            Unreadable::Binary {
                bytes,
                invalid_at,
                has_pem_marker: true,
            } => format!(
                "{} ({bytes} bytes) holds PEM, but byte {invalid_at} is not UTF-8 text; PEM is ASCII: remove the non-text bytes around the blocks (e.g. `openssl x509 -in file.pem -out clean.pem`)",
                ctx.words("the field's file", "the file")
            ),
            Unreadable::Binary { bytes, .. } => format!(
                "{} is {bytes} bytes of binary data, not PEM text; if it is DER, convert it: `openssl x509 -inform der -in file.der` (certificates) or `openssl pkey -inform der -in file.der` (keys)",
                ctx.words("the field's file", "the file")
            ),
            // certgate's cap, not the API's: the field is not checked, not judged.
            Unreadable::TooLarge { bytes } => {
                out.push(
                    Finding::new(
                        at,
                        format!(
                            "{} is {bytes} bytes, over the {} bytes certgate reads as one PEM {}",
                            ctx.words("the field", "the file"),
                            crate::submission::MAX_PEM_FIELD_BYTES,
                            ctx.words("field", "text"),
                        ),
                    )
                    .not_checked(),
                );
                return out;
            }
            Unreadable::NotText { found } => {
                format!(
                    "{} is {found}, not a PEM string",
                    ctx.words("the field", "the file")
                )
            }
        };
        out.push(Finding::new(at, message));
        return out;
    }
    if let Some(scan) = m.scan() {
        let base = ctx.base(at).block;
        for issue in &scan.issues {
            let finding = Finding::new(at, renumbered(issue, base).message());
            out.push(if issue.is_cap() {
                finding.not_checked()
            } else {
                finding
            });
        }
    }
    let want = expected(m);
    for w in m.wrong_blocks() {
        let hint = match (m, w.label.contains("PRIVATE KEY")) {
            (FieldMaterial::Certificates(_), true) => {
                " (a private key in the certificate field: it belongs in the key field, and this value should not be shared)"
            }
            (FieldMaterial::PrivateKey(_), false) if w.label.contains("CERTIFICATE") => {
                " (a certificate in the private key field: it belongs in the certificate field)"
            }
            _ => "",
        };
        out.push(
            Finding::new(
                at,
                format!(
                    "block {} is a {} block; this {} takes {want} blocks{hint}",
                    ctx.block_no(at, w.block),
                    show(&w.label),
                    ctx.words("field", "file")
                ),
            )
            .item(Item::Block(ctx.base(at).block.saturating_add(w.block))),
        );
    }
    if let FieldMaterial::KeyAndCertificates(b) = m {
        out.extend(bundle_parts(ctx, at, b));
    }
    if let FieldMaterial::PrivateKey(k) = m {
        if k.extra_keys > 0 {
            out.push(Finding::new(
                at,
                format!(
                    "{} holds {} after the first; it takes exactly one",
                    ctx.words("the field", "the file"),
                    plural(k.extra_keys, "more private key", "more private keys")
                ),
            ));
        }
        let has_blocks = k.scan.as_ref().is_some_and(|s| !s.blocks.is_empty());
        if has_blocks && k.key.is_none() && k.wrong_blocks.is_empty() {
            out.push(Finding::new(
                at,
                format!(
                    "{} holds no private key block",
                    ctx.words("the field", "the file")
                ),
            ));
        }
    }
    out
}

/// A key-and-certificates field holds one private key and at least one certificate.
fn bundle_parts(ctx: &Ctx<'_>, at: &str, b: &BundleField) -> Vec<Finding> {
    let mut out = Vec::new();
    let field = ctx.words("the field", "the file");
    if b.key.key.is_none() {
        out.push(Finding::new(
            at,
            format!(
                "{field} holds no private key block; it takes the private key as well as the certificates"
            ),
        ));
    }
    if b.certs.certs.is_empty() {
        out.push(Finding::new(
            at,
            format!(
                "{field} holds no CERTIFICATE block; it takes the certificates as well as the private key"
            ),
        ));
    }
    if b.key.extra_keys > 0 {
        out.push(Finding::new(
            at,
            format!(
                "{field} holds {} after the first; it takes exactly one",
                plural(b.key.extra_keys, "more private key", "more private keys")
            ),
        ));
    }
    out
}

pub fn stray_text(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let Some(scan) = ctx.submission.get(at).and_then(|m| m.scan()) else {
        return Vec::new();
    };
    let mut out: Vec<Finding> = scan
        .stray
        .iter()
        .map(|s| Finding::new(at, s.message()).value(show(&s.excerpt)))
        .collect();
    if scan.unescaped && out.is_empty() {
        out.push(
            Finding::new(
                at,
                format!(
                    "{} contains literal \\n or \\r\\n escapes instead of line breaks; they were read as line breaks",
                    ctx.words("the field", "the file")
                ),
            )
            .severity(Severity::Info),
        );
    }
    out
}

pub fn der_well_formed(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    match ctx.submission.get(at) {
        Some(FieldMaterial::Certificates(f)) => certs_well_formed(ctx, at, f, &mut out),
        Some(FieldMaterial::PrivateKey(k)) => key_well_formed(at, k, &mut out),
        Some(FieldMaterial::KeyAndCertificates(b)) => {
            key_well_formed(at, &b.key, &mut out);
            certs_well_formed(ctx, at, &b.certs, &mut out);
        }
        _ => {}
    }
    out
}

fn key_well_formed(at: &str, k: &KeyField, out: &mut Vec<Finding>) {
    if let Some(Err(e)) = &k.key {
        out.push(Finding::new(
            at,
            format!("the private key does not parse: {e}"),
        ));
    }
}

fn certs_well_formed(ctx: &Ctx<'_>, at: &str, f: &CertField, out: &mut Vec<Finding>) {
    for e in &f.certs {
        match &e.parsed {
            Err(err) => out.push(ctx.cert_finding(
                at,
                e,
                format!("certificate {}: {err}", ctx.cert_no(at, e.index)),
            )),
            Ok(c) => {
                if c.trailing_bytes > 0 {
                    out.push(ctx.cert_finding(
                        at,
                        e,
                        format!(
                            "certificate {} ({}) is followed by {} inside its PEM block",
                            ctx.cert_no(at, e.index),
                            show(&c.name()),
                            plural(
                                c.trailing_bytes,
                                "byte of extra data",
                                "bytes of extra data"
                            )
                        ),
                    ));
                }
                for problem in &c.encoding_problems {
                    out.push(ctx.cert_finding(
                        at,
                        e,
                        format!(
                            "certificate {} ({}) {problem}",
                            ctx.cert_no(at, e.index),
                            show(&c.name())
                        ),
                    ));
                }
                // Some clients refuse these; no API is known to: a warning, whatever the
                // instance's severity.
                for problem in &c.refused_by_some_clients {
                    out.push(
                        ctx.cert_finding(
                            at,
                            e,
                            format!(
                                "certificate {} ({}) {problem}",
                                ctx.cert_no(at, e.index),
                                show(&c.name())
                            ),
                        )
                        .severity(Severity::Warning),
                    );
                }
            }
        }
    }
}

/// `issue` with its block numbers counted from `base` (the blocks before the field's
/// text in the file it was cut from).
fn renumbered(issue: &PemIssue, base: usize) -> PemIssue {
    let mut issue = issue.clone();
    if base == 0 {
        return issue;
    }
    match &mut issue {
        PemIssue::MalformedBegin { index, .. }
        | PemIssue::MissingEnd { index, .. }
        | PemIssue::MalformedEnd { index, .. }
        | PemIssue::LabelMismatch { index, .. }
        | PemIssue::Empty { index, .. }
        | PemIssue::BadBase64 { index, .. } => *index = index.saturating_add(base),
        // "the blocks after block {limit}" names a block of the text.
        PemIssue::TooManyBlocks { .. }
        | PemIssue::NoBlock { .. }
        | PemIssue::MissingBegin { .. } => {}
    }
    issue
}
