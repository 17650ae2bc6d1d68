//! The API's own request body from a checked, resolved request: JSON text with exact
//! escaping for JSON APIs; for multipart uploads (a PKCS#12 field: Esri Portal), the
//! parts of a `curl` command, with the archive as a file part and secrets read from
//! environment variables, never written out.

use std::path::Path;

use serde_json::Value;

use crate::catalogue::{Material, Profile};
use crate::request::{Request, Source};

/// What `certgate request` writes. It holds the private key: its `Debug` shows only the
/// body's keys.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Body {
    /// The JSON body, every `{"file"}`/`{"env"}` reference replaced by its text.
    Json(Value),
    /// A multipart upload, as a shell command (`curl ... -F ...`).
    Multipart(String),
}

/// The body of `request` (resolved by [`crate::load::resolve_references`], which
/// records where each value came from); `base` is the directory its file references are
/// relative to. The error names the field.
pub fn body(profile: &Profile, request: &Request, base: &Path) -> Result<Body, String> {
    let multipart = profile.fields.iter().any(|f| f.is_archive_file());
    if !multipart {
        if let Some(r) = request.sources().first() {
            return Err(format!(
                "{}: {} holds binary data, which a JSON body cannot carry",
                r.pointer, r.source
            ));
        }
        return Ok(Body::Json(request.root().clone()));
    }
    Ok(Body::Multipart(curl(profile, request, base)?))
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Body::Json(Value::Object(o)) => f
                .debug_tuple("Json")
                .field(&o.keys().collect::<Vec<_>>())
                .finish(),
            Body::Json(_) => f.write_str("Json(..)"),
            // Secrets are `${VAR}` references in the command, never values.
            Body::Multipart(cmd) => f.debug_tuple("Multipart").field(cmd).finish(),
        }
    }
}

fn curl(profile: &Profile, request: &Request, base: &Path) -> Result<String, String> {
    let (method, path) = profile
        .meta
        .endpoint
        .split_once(' ')
        .unwrap_or(("POST", profile.meta.endpoint.as_str()));
    let Value::Object(fields) = request.root() else {
        return Err("the request body is not an object".into());
    };
    // Secrets come from the environment: the variables the parts name, for the header.
    let mut secrets: Vec<String> = Vec::new();
    let mut lines = vec![
        format!("# {} ({})", profile.meta.title, profile.qualified_id()),
        "# Set CERTGATE_API_BASE to the API's base URL (e.g. https://host/portal/portaladmin)."
            .to_string(),
        format!(
            "curl --fail-with-body -X {method} \"${{CERTGATE_API_BASE}}{}\" \\",
            path.replace('"', "")
        ),
    ];
    for (key, value) in fields {
        let pointer = format!("/{}", crate::request::escape_token(key));
        let spec = profile.field_spec(&pointer);
        let material = spec.map(|s| s.material);
        let part = match material {
            Some(Material::Pkcs12) => {
                let file = request.file_name(&pointer).unwrap_or_default();
                let full = base.join(file);
                format!(
                    "  -F \"{key}=@{}\" \\",
                    shell_quoted(&full.display().to_string())
                )
            }
            Some(Material::Secret | Material::PrivateKey | Material::KeyAndCertificates) => {
                let var = match request.origin(&pointer) {
                    Some(Source::Env(v)) => v.clone(),
                    _ => format!("CERTGATE_{}", key.to_ascii_uppercase()),
                };
                let part = format!("  --form-string \"{key}=${{{var}}}\" \\");
                secrets.push(var);
                part
            }
            _ => {
                let text = match value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                format!("  --form-string \"{key}={}\" \\", shell_quoted(&text))
            }
        };
        lines.push(part);
    }
    if let Some(last) = lines.last_mut() {
        if let Some(stripped) = last.strip_suffix(" \\") {
            *last = stripped.to_string();
        }
    }
    if !secrets.is_empty() {
        lines.insert(
            2,
            format!(
                "# Secrets come from the environment, never from this file: {}.",
                secrets.join(", ")
            ),
        );
    }
    Ok(lines.join("\n") + "\n")
}

/// Text inside double quotes in a POSIX shell: `"`, `\`, `$` and `` ` `` escaped.
fn shell_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::shell_quoted;

    #[test]
    fn debug_shows_no_value() {
        let body =
            super::Body::Json(serde_json::json!({"private_key": "-----BEGIN PRIVATE KEY-----"}));
        let shown = format!("{body:?}");
        assert!(
            shown.contains("private_key") && !shown.contains("BEGIN"),
            "{shown}"
        );
    }

    #[test]
    fn shell_quoting_escapes_expansions() {
        assert_eq!(shell_quoted("a\"b$c`d\\e"), "a\\\"b\\$c\\`d\\\\e");
    }
}
