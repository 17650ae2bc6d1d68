//! `fix`: rewrites the certificate fields of a request with the chain in issuer order,
//! exact duplicates dropped and the PEM normalised (64-column base64, LF). Nothing is
//! invented: a missing intermediate is added only from a bundle the user gives
//! ([`fix_with`], `--intermediates`), where a client's path building finds it. Key
//! material is never written: private-key and secret fields are left exactly as the
//! original document has them.
//!
//! [`apply`] writes the changes into the document's own text, value by value, so every
//! byte `fix` does not report as changed stays as the user wrote it.

mod complete;
mod json_span;
mod reorder;
mod toml_doc;

use std::fmt;

use serde_json::Value;
use time::OffsetDateTime;

use crate::catalogue::{Material, Profile};
use crate::request::{Format, Request};
use crate::submission::Submission;
use crate::trust::Trust;
pub use reorder::{Change, reorder};

/// The rewritten document and what changed, field by field. The document still holds
/// the request's private keys and passwords: `Debug` leaves it out.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct Fixed {
    /// The original document with [`Fixed::edits`] applied.
    pub document: Value,
    /// `(field pointer, description)` in field order: what was changed.
    pub changes: Vec<(String, String)>,
    /// `(field pointer, reason)`: certificate fields left as they are that need the
    /// user's hand. Not changes: a document with only these has nothing to fix.
    pub skipped: Vec<(String, String)>,
    /// The new values, one per changed field, for [`apply`].
    pub edits: Vec<Edit>,
}

impl std::fmt::Debug for Fixed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fixed")
            .field("document", &format_args!("<the request, not shown>"))
            .field("changes", &self.changes)
            .field("skipped", &self.skipped)
            .field("edits", &self.edits)
            .finish()
    }
}

/// One value to write: the JSON Pointer and the new string. A `{"file": ...}` object
/// at the pointer is replaced by the string as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Where to write (a JSON Pointer).
    pub pointer: String,
    /// The new string.
    pub value: String,
}

/// Why the fixed document could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EditError {
    /// The value at the pointer could not be found or replaced in the text.
    NotFound {
        /// The edit's pointer.
        pointer: String,
    },
    /// Two edits touch the same text (a value and something inside it).
    Overlap {
        /// The second edit's pointer.
        pointer: String,
    },
    /// The text did not parse for editing, or the result cannot be written in the
    /// target format (TOML has no `null`).
    Format {
        /// The parser's or writer's message.
        detail: String,
    },
    /// The edited text does not read back as the expected document: a bug, and
    /// nothing is written rather than a document that says something else.
    Mismatch,
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::NotFound { pointer } => {
                write!(f, "cannot find the value of {pointer} in the document's text")
            }
            EditError::Overlap { pointer } => {
                write!(f, "two changes overlap at {pointer}")
            }
            EditError::Format { detail } => f.write_str(detail),
            EditError::Mismatch => f.write_str(
                "the edited text does not read back as the fixed document (a certgate bug); nothing was written",
            ),
        }
    }
}

impl std::error::Error for EditError {}

/// Fixes `original` (the request document as written, references unresolved) using
/// the materials of `resolved` (the same document with references resolved).
///
/// ```
/// use certgate::{Catalogue, Request};
///
/// let catalogue = Catalogue::builtin().expect("the built-in catalogue loads");
/// let profile = catalogue.profile("huawei-elb-v3").expect("a built-in target");
/// let request = Request::parse(r#"{"certificate": {"name": "web"}}"#, None).expect("JSON");
/// let fixed = certgate::fix(profile, request.root(), &request);
/// // Nothing to reorder or trim here: the document comes back as it was.
/// assert_eq!(&fixed.document, request.root());
/// assert!(fixed.edits.is_empty());
/// ```
pub fn fix(profile: &Profile, original: &Value, resolved: &Request) -> Fixed {
    fix_inner(profile, original, resolved, None)
}

/// [`fix`], and each server certificate chain completed from `trust`'s extra
/// intermediates (`--intermediates`): every intermediate the path a client builds at
/// `at` takes from them, and the chain lacks, is put right after the certificate it
/// issues. A chain whose path does not validate gets nothing added, with a note in
/// [`Fixed::skipped`].
pub fn fix_with(
    profile: &Profile,
    original: &Value,
    resolved: &Request,
    trust: &Trust,
    at: OffsetDateTime,
) -> Fixed {
    fix_inner(profile, original, resolved, Some((trust, at)))
}

/// A chain change in words, the certificates numbered from 1 and named as the reports do.
/// `leaf_first`: the field starts with the server certificate (not a field of issuers).
fn described(change: &Change, names: &[String], leaf_first: bool) -> String {
    let name = |i: &usize| names.get(*i).map_or("?", String::as_str).to_string();
    match change {
        Change::Reordered { order } => format!(
            "reordered {}: {}",
            // A field of issuers only has no leaf to put first.
            if leaf_first {
                "leaf first, each certificate followed by its issuer"
            } else {
                "so that each certificate is followed by its issuer"
            },
            order
                .iter()
                .map(|i| format!("{} ({})", i + 1, name(i)))
                .collect::<Vec<_>>()
                .join(" → ")
        ),
        Change::DroppedDuplicate {
            index,
            duplicate_of,
        } => format!(
            "dropped certificate {} ({}), a copy of certificate {}",
            index + 1,
            name(index),
            duplicate_of + 1
        ),
        other => other.to_string(),
    }
}

fn fix_inner(
    profile: &Profile,
    original: &Value,
    resolved: &Request,
    completion: Option<(&Trust, OffsetDateTime)>,
) -> Fixed {
    let submission = Submission::build(profile, resolved);
    let mut document = original.clone();
    let mut changes = Vec::new();
    let mut skipped = Vec::new();
    let mut edits = Vec::new();
    // A text holding a private key with its certificates is never rewritten (`fix` writes
    // no key material): say what a reorder would have done, for the user's hand.
    for spec in profile
        .fields
        .iter()
        .filter(|f| f.material == Material::KeyAndCertificates)
    {
        let Some(field) = submission.certificates(&spec.pointer) else {
            continue;
        };
        let ders: Vec<&[u8]> = field.parsed().map(|(_, c)| c.der.as_slice()).collect();
        let (_, would) = reorder(&ders);
        if would.is_empty() {
            continue;
        }
        let names: Vec<String> = field.parsed().map(|(_, c)| c.name()).collect();
        let what: Vec<String> = would.iter().map(|c| described(c, &names, true)).collect();
        skipped.push((
            spec.pointer.clone(),
            format!(
                "left unchanged: it holds a private key, which `fix` never writes; do by hand \
                 what it would have done to the certificates: {}",
                what.join("; ")
            ),
        ));
    }
    for spec in profile
        .fields
        .iter()
        .filter(|f| f.material == Material::Certificates)
    {
        let Some(field) = submission.certificates(&spec.pointer) else {
            continue;
        };
        // Only a field whose every certificate block decodes is rewritten: anything
        // else would drop text the user still has to repair by hand.
        let scan_clean = field.scan.as_ref().is_some_and(|s| s.issues.is_empty());
        if !scan_clean
            || !field.wrong_blocks.is_empty()
            || field.certs.iter().any(|c| c.parsed.is_err())
        {
            skipped.push((
                spec.pointer.clone(),
                "left unchanged: it has PEM or DER errors to fix by hand first".to_string(),
            ));
            continue;
        }
        let ders: Vec<&[u8]> = field.parsed().map(|(_, c)| c.der.as_slice()).collect();
        let (ordered, chain_changes) = reorder(&ders);
        let ordered: Vec<Vec<u8>> = ordered.into_iter().map(<[u8]>::to_vec).collect();
        let reordered_text = encode(&ordered);
        // Only where the client verdict runs: a server certificate's chain.
        let server_chain = spec
            .server_leaf
            .as_ref()
            .is_some_and(|c| c.holds(profile, resolved));
        let (text, appended) = match completion {
            Some((trust, at)) if server_chain && trust.has_intermediates() => {
                let done = complete::complete(ordered, trust, at);
                if let Some(note) = done.note {
                    skipped.push((spec.pointer.clone(), note));
                }
                (encode(&done.chain), done.changes)
            }
            _ => (reordered_text.clone(), Vec::new()),
        };
        // Where the value stands and how it is written: the plain alternative when the
        // request gives it (it wins, as the API server merges them), else the field
        // itself, base64 again when it is declared so (a Secret's `data`).
        let (target, base64) = match spec.plain_given(resolved) {
            Some(p) => (p.to_string(), false),
            None => (
                spec.pointer.clone(),
                spec.encoding == Some(crate::catalogue::Encoding::Base64),
            ),
        };
        let before = match resolved.field(&target).as_text() {
            Some(t) if base64 => match crate::input::encoded::decode(t)
                .ok()
                .and_then(|b| String::from_utf8(b.to_vec()).ok())
            {
                Some(pem) => pem,
                None => continue,
            },
            Some(t) => t.to_string(),
            None => continue,
        };
        if before == text {
            continue;
        }
        let names: Vec<String> = field.parsed().map(|(_, c)| c.name()).collect();
        for c in &chain_changes {
            let text = described(c, &names, spec.server_leaf.is_some());
            changes.push((target.clone(), text));
        }
        changes.extend(appended.into_iter().map(|a| (target.clone(), a)));
        let reference = original
            .pointer(&target)
            .and_then(|v| v.get("file"))
            .and_then(Value::as_str);
        let normalised = match reference {
            // The referenced file is never written: the fixed chain goes into the
            // document, which then no longer depends on that file.
            Some(path) => Some(format!(
                "normalised the PEM (64-column base64, LF line ends) and wrote it inline in place of the reference to {path:?}, which is left as it is"
            )),
            // A chain that only gained intermediates was normalised already.
            None if before != reordered_text => Some(
                "normalised the PEM (64-column base64, LF line ends, nothing around the blocks)"
                    .to_string(),
            ),
            None => None,
        };
        changes.extend(normalised.map(|n| (target.clone(), n)));
        let text = if base64 {
            changes.push((
                target.clone(),
                "wrote the fixed PEM back as base64 (one line, as the field takes it)".to_string(),
            ));
            crate::input::encoded::encode(text.as_bytes())
        } else {
            text
        };
        if let Some(slot) = document.pointer_mut(&target) {
            *slot = Value::String(text.clone());
        }
        edits.push(Edit {
            pointer: target,
            value: text,
        });
    }
    Fixed {
        document,
        changes,
        skipped,
        edits,
    }
}

/// Certificates as PEM: 64-column base64, LF line ends, nothing around the blocks.
fn encode(ders: &[Vec<u8>]) -> String {
    ders.iter()
        .map(|der| {
            pem::encode_config(
                &pem::Pem::new("CERTIFICATE", der.clone()),
                pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF),
            )
        })
        .collect()
}

/// Writes `edits` into `text`, a document in `format`: each value is replaced where it
/// stands and every other byte is kept (JSON by span, TOML through `toml_edit`). The
/// result is read back and compared with the expected document before it is returned.
pub fn apply(text: &str, format: Format, edits: &[Edit]) -> Result<String, EditError> {
    let out = match format {
        Format::Json => apply_json(text, edits)?,
        Format::Toml => {
            let pairs: Vec<(&str, &str)> = edits
                .iter()
                .map(|e| (e.pointer.as_str(), e.value.as_str()))
                .collect();
            toml_doc::apply(text, &pairs).map_err(|detail| EditError::Format { detail })?
        }
        Format::Yaml => return Err(yaml_unsupported()),
    };
    let mut expected = parse(text, format)?;
    set_all(&mut expected, edits);
    if parse(&out, format)? != expected {
        return Err(EditError::Mismatch);
    }
    Ok(out)
}

/// Sets each edit's value in a parsed document (the whole-document path: conversion
/// from one format to the other).
pub fn set_all(document: &mut Value, edits: &[Edit]) {
    for e in edits {
        if let Some(slot) = document.pointer_mut(&e.pointer) {
            *slot = Value::String(e.value.clone());
        }
    }
}

/// `document` written in `format` from scratch: pretty JSON with sorted keys, or TOML.
/// For converting between formats; comments and the original layout are not kept.
pub fn render(document: &Value, format: Format) -> Result<String, EditError> {
    match format {
        Format::Json => serde_json::to_string_pretty(document)
            .map(|s| s + "\n")
            .map_err(|e| EditError::Format {
                detail: e.to_string(),
            }),
        Format::Toml => toml::to_string_pretty(document).map_err(|e| EditError::Format {
            detail: format!("cannot write the document as TOML: {e}"),
        }),
        Format::Yaml => Err(yaml_unsupported()),
    }
}

/// `fix` does not write YAML: a Kubernetes manifest's `data` is base64, which the
/// PEM repairs would have to re-encode, and its comments would be lost.
fn yaml_unsupported() -> EditError {
    EditError::Format {
        detail:
            "certgate fix does not write YAML documents; `certgate check` reports what to change"
                .into(),
    }
}

fn apply_json(text: &str, edits: &[Edit]) -> Result<String, EditError> {
    let mut spans = Vec::new();
    for e in edits {
        let span = json_span::locate(text, &e.pointer).ok_or_else(|| EditError::NotFound {
            pointer: e.pointer.clone(),
        })?;
        let literal = serde_json::to_string(&e.value).map_err(|err| EditError::Format {
            detail: err.to_string(),
        })?;
        spans.push((span, literal, &e.pointer));
    }
    spans.sort_by_key(|(span, _, _)| span.start);
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for (span, literal, pointer) in spans {
        let Some(kept) = text.get(done..span.start) else {
            return Err(EditError::Overlap {
                pointer: pointer.clone(),
            });
        };
        out.push_str(kept);
        out.push_str(&literal);
        done = span.end;
    }
    out.push_str(text.get(done..).unwrap_or_default());
    Ok(out)
}

fn parse(text: &str, format: Format) -> Result<Value, EditError> {
    let parsed = match format {
        Format::Json => serde_json::from_str(text).map_err(|e| e.to_string()),
        // The message only: toml's Display quotes the line, which may hold a key.
        Format::Toml => toml::from_str(text).map_err(|e: toml::de::Error| e.message().to_string()),
        Format::Yaml => crate::request::yaml::parse(text).map_err(|e| e.to_string()),
    };
    parsed.map_err(|detail| EditError::Format { detail })
}
