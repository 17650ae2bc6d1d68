//! Resolving a request document's references: `{"file": ...}` and `{"env": ...}`
//! values, and the archive a multipart field names. This is the file and environment
//! access the front-ends share (the command line and the Python package); the engine
//! (submission, rules) never reads a file.

use std::path::Path;

use crate::catalogue::{Material, Profile};
use crate::request::{Request, Source};

/// Reads every reference of `request` (files relative to `base`) and the archives its
/// PKCS#12 fields name; the error names the field (JSON Pointer) and what failed,
/// never a value.
pub fn resolve_references(
    request: &mut Request,
    profile: &Profile,
    base: &Path,
) -> Result<(), String> {
    for r in request.sources() {
        let content = match &r.source {
            Source::File(p) => {
                let path = base.join(p);
                std::fs::read(&path)
                    .map_err(|e| format!("{}: cannot read {}: {e}", r.pointer, path.display()))?
            }
            Source::Env(var) => std::env::var_os(var)
                .map(|v| v.into_encoded_bytes())
                .ok_or_else(|| format!("{}: environment variable {var} is not set", r.pointer))?,
        };
        let content = match (&r.source, material_at(profile, &r.pointer)) {
            // A password or name kept in a file ends with the editor's newline; like
            // `$(cat file)` in a shell, drop one (PEM and archives keep their bytes).
            (Source::File(_), Some(Material::Secret | Material::Text)) => {
                strip_one_newline(content)
            }
            _ => content,
        };
        request.resolve(&r.pointer, content);
    }
    // Archive uploads: a plain string names the file, relative to the document (an
    // encoded archive, such as a base64 `pfxBlob`, is the archive itself).
    for spec in profile.fields.iter().filter(|f| f.is_archive_file()) {
        let Some(file) = request
            .root()
            .pointer(&spec.pointer)
            .and_then(|v| v.as_str())
        else {
            continue;
        };
        if file.trim().is_empty() {
            continue;
        }
        let path = base.join(file);
        let bytes = std::fs::read(&path).map_err(|e| {
            format!(
                "{}: cannot read the archive {}: {e}",
                spec.pointer,
                path.display()
            )
        })?;
        request.attach(&spec.pointer, bytes);
    }
    Ok(())
}

fn material_at(profile: &Profile, pointer: &str) -> Option<Material> {
    profile
        .fields
        .iter()
        .find(|f| f.pointer == pointer)
        .map(|f| f.material)
}

fn strip_one_newline(mut content: Vec<u8>) -> Vec<u8> {
    if content.last() == Some(&b'\n') {
        content.pop();
        if content.last() == Some(&b'\r') {
            content.pop();
        }
    }
    content
}
