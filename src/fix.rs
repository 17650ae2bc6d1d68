//! `fix`: rewrites the certificate fields of a request with the chain in issuer order,
//! exact duplicates dropped and the PEM normalised (64-column base64, LF). Nothing is
//! invented (a missing intermediate stays missing) and key material is never written:
//! private-key and secret fields are left exactly as the original document has them.

use serde_json::Value;

use crate::catalogue::{Material, Profile};
use crate::input::chain::{Change, reorder};
use crate::request::Request;
use crate::submission::Submission;

/// The rewritten document and what changed, field by field.
#[derive(Debug, Clone, PartialEq)]
pub struct Fixed {
    pub document: Value,
    /// `(field pointer, description)` in field order.
    pub changes: Vec<(String, String)>,
}

/// Fixes `original` (the request document as written, references unresolved) using
/// the materials of `resolved` (the same document with references resolved).
pub fn fix(profile: &Profile, original: &Value, resolved: &Request) -> Fixed {
    let submission = Submission::build(profile, resolved);
    let mut document = original.clone();
    let mut changes = Vec::new();
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
            changes.push((
                spec.pointer.clone(),
                "left unchanged: it has PEM or DER errors to fix by hand first".to_string(),
            ));
            continue;
        }
        let ders: Vec<&[u8]> = field.parsed().map(|(_, c)| c.der.as_slice()).collect();
        let (ordered, chain_changes) = reorder(&ders);
        let text: String = ordered
            .iter()
            .map(|der| {
                pem::encode_config(
                    &pem::Pem::new("CERTIFICATE", der.to_vec()),
                    pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF),
                )
            })
            .collect();
        let before = match resolved.field(&spec.pointer).as_text() {
            Some(t) => t.to_string(),
            None => continue,
        };
        if before == text {
            continue;
        }
        let names: Vec<String> = field.parsed().map(|(_, c)| c.name()).collect();
        for c in &chain_changes {
            let text = match c {
                // Name the certificates, numbered from 1 as the reports do.
                Change::Reordered { order } => format!(
                    "reordered leaf first, each certificate followed by its issuer: {}",
                    order
                        .iter()
                        .map(|i| format!(
                            "{} ({})",
                            i + 1,
                            names.get(*i).map_or("?", String::as_str)
                        ))
                        .collect::<Vec<_>>()
                        .join(" → ")
                ),
                Change::DroppedDuplicate {
                    index,
                    duplicate_of,
                } => format!(
                    "dropped certificate {} ({}), a copy of certificate {}",
                    index + 1,
                    names.get(*index).map_or("?", String::as_str),
                    duplicate_of + 1
                ),
                other => other.to_string(),
            };
            changes.push((spec.pointer.clone(), text));
        }
        let was_reference = original
            .pointer(&spec.pointer)
            .is_some_and(Value::is_object);
        changes.push((
            spec.pointer.clone(),
            if was_reference {
                "normalised the PEM (64-column base64, LF line ends) and wrote it inline in place of the file reference".to_string()
            } else {
                "normalised the PEM (64-column base64, LF line ends, nothing around the blocks)".to_string()
            },
        ));
        if let Some(slot) = document.pointer_mut(&spec.pointer) {
            *slot = Value::String(text);
        }
    }
    Fixed { document, changes }
}
