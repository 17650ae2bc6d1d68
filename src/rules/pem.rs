//! PEM and DER kinds: the text is PEM, nothing stray around it, blocks decode.

use super::{Ctx, Finding, plural, show};
use crate::report::Severity;
use crate::submission::{FieldMaterial, Unreadable};

fn expected(m: &FieldMaterial) -> &'static str {
    match m {
        FieldMaterial::Certificates(_) => "CERTIFICATE",
        FieldMaterial::PrivateKey(_) => "PRIVATE KEY",
        FieldMaterial::Pkcs12(_) => "PKCS12",
        FieldMaterial::Csr(_) => "CERTIFICATE REQUEST",
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
                "the field's file ({bytes} bytes) holds PEM, but byte {invalid_at} is not UTF-8 text; PEM is ASCII: remove the non-text bytes around the blocks (e.g. `openssl x509 -in file.pem -out clean.pem`)"
            ),
            Unreadable::Binary { bytes, .. } => format!(
                "the field's file is {bytes} bytes of binary data, not PEM text; if it is DER, convert it: `openssl x509 -inform der -in file.der` (certificates) or `openssl pkey -inform der -in file.der` (keys)"
            ),
            Unreadable::TooLarge { bytes } => format!(
                "the field is {bytes} bytes; certgate does not parse PEM fields over {} bytes",
                crate::submission::MAX_PEM_FIELD_BYTES
            ),
            Unreadable::NotText { found } => {
                format!("the field is {found}, not a PEM string")
            }
        };
        out.push(Finding::new(at, message));
        return out;
    }
    if let Some(scan) = m.scan() {
        for issue in &scan.issues {
            out.push(Finding::new(at, issue.message()));
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
        out.push(Finding::new(
            at,
            format!(
                "block {} is a {} block; this field takes {want} blocks{hint}",
                w.block + 1,
                show(&w.label)
            ),
        ));
    }
    if let FieldMaterial::PrivateKey(k) = m {
        if k.extra_keys > 0 {
            out.push(Finding::new(
                at,
                format!(
                    "the field holds {} after the first; it takes exactly one",
                    plural(k.extra_keys, "more private key", "more private keys")
                ),
            ));
        }
        let has_blocks = k.scan.as_ref().is_some_and(|s| !s.blocks.is_empty());
        if has_blocks && k.key.is_none() && k.wrong_blocks.is_empty() {
            out.push(Finding::new(at, "the field holds no private key block"));
        }
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
                "the field contains literal \\n or \\r\\n escapes instead of line breaks; they were read as line breaks",
            )
            .severity(Severity::Info),
        );
    }
    out
}

pub fn der_well_formed(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    match ctx.submission.get(at) {
        Some(FieldMaterial::Certificates(f)) => {
            for e in &f.certs {
                match &e.parsed {
                    Err(err) => out.push(Finding::new(
                        &e.location,
                        format!("certificate {}: {err}", e.index + 1),
                    )),
                    Ok(c) => {
                        if c.trailing_bytes > 0 {
                            out.push(Finding::new(
                                &e.location,
                                format!(
                                    "certificate {} ({}) is followed by {} inside its PEM block",
                                    e.index + 1,
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
                            out.push(Finding::new(
                                &e.location,
                                format!(
                                    "certificate {} ({}) {problem}",
                                    e.index + 1,
                                    show(&c.name())
                                ),
                            ));
                        }
                        for problem in &c.encoding_warnings {
                            out.push(
                                Finding::new(
                                    &e.location,
                                    format!(
                                        "certificate {} ({}) {problem}",
                                        e.index + 1,
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
        Some(FieldMaterial::PrivateKey(k)) => {
            if let Some(Err(e)) = &k.key {
                out.push(Finding::new(
                    at,
                    format!("the private key does not parse: {e}"),
                ));
            }
        }
        _ => {}
    }
    out
}
