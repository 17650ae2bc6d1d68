//! The API's own request body from a checked, resolved request: JSON text with exact
//! escaping for JSON APIs; for multipart uploads (a PKCS#12 field: Esri Portal), the
//! parts of a `curl` command, with the archive as a file part and secrets read from
//! environment variables, never written out.

use std::path::Path;

use serde_json::Value;

use crate::catalogue::{Material, Profile};
use crate::request::{Request, Source};

/// What `certgate request` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// The JSON body, every `{"file"}`/`{"env"}` reference replaced by its text.
    Json(Value),
    /// A multipart upload, as a shell command (`curl ... -F ...`).
    Multipart(String),
}

/// The body of `request` (resolved by [`crate::load::resolve_references`]); `original`
/// is the document as written (to see which values came from environment variables),
/// `base` the directory its file references are relative to. The error names the field.
pub fn body(
    profile: &Profile,
    request: &Request,
    original: &Request,
    base: &Path,
) -> Result<Body, String> {
    let multipart = profile
        .fields
        .iter()
        .any(|f| f.material == Material::Pkcs12);
    if !multipart {
        if let Some(r) = request.sources().first() {
            return Err(format!(
                "{}: {} holds binary data, which a JSON body cannot carry",
                r.pointer, r.source
            ));
        }
        return Ok(Body::Json(request.root().clone()));
    }
    Ok(Body::Multipart(curl(profile, request, original, base)?))
}

fn curl(
    profile: &Profile,
    request: &Request,
    original: &Request,
    base: &Path,
) -> Result<String, String> {
    let (method, path) = profile
        .meta
        .endpoint
        .split_once(' ')
        .unwrap_or(("POST", profile.meta.endpoint.as_str()));
    let env_of: Vec<(String, String)> = original
        .sources()
        .into_iter()
        .filter_map(|r| match r.source {
            Source::Env(v) => Some((r.pointer, v)),
            Source::File(_) => None,
        })
        .collect();
    let Value::Object(fields) = request.root() else {
        return Err("the request body is not an object".into());
    };
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
            Some(Material::Secret | Material::PrivateKey) => {
                let var = env_of
                    .iter()
                    .find(|(p, _)| *p == pointer)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_else(|| format!("CERTGATE_{}", key.to_ascii_uppercase()));
                format!("  --form-string \"{key}=${{{var}}}\" \\")
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
    let secrets: Vec<String> = lines
        .iter()
        .filter_map(|l| l.split("${").nth(1).and_then(|r| r.split('}').next()))
        .filter(|v| *v != "CERTGATE_API_BASE")
        .map(str::to_string)
        .collect();
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
    fn shell_quoting_escapes_expansions() {
        assert_eq!(shell_quoted("a\"b$c`d\\e"), "a\\\"b\\$c\\`d\\\\e");
    }
}
