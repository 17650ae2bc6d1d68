//! Reading request documents and resolving their references: the only file and
//! environment access certgate has.

use std::io::Read;
use std::path::{Path, PathBuf};

use certgate::catalogue::Material;
use certgate::request::{Format, Source};
use certgate::{Profile, Request};

use super::Fatal;

/// Reads the document and resolves its file and environment references.
pub fn load_request(document: &str, profile: &Profile) -> Result<(Request, String, String), Fatal> {
    let (bytes, base, name) = if document == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(certgate::request::MAX_DOCUMENT_BYTES as u64 + 1)
            .read_to_end(&mut buf)
            .map_err(|e| Fatal(format!("reading standard input: {e}")))?;
        (buf, PathBuf::from("."), "<stdin>".to_string())
    } else {
        let path = Path::new(document);
        let meta =
            std::fs::metadata(path).map_err(|e| Fatal(format!("cannot read {document}: {e}")))?;
        if meta.len() > certgate::request::MAX_DOCUMENT_BYTES as u64 {
            return Err(Fatal(format!(
                "{document} is {} bytes; certgate reads request documents of at most {}",
                meta.len(),
                certgate::request::MAX_DOCUMENT_BYTES
            )));
        }
        let bytes =
            std::fs::read(path).map_err(|e| Fatal(format!("cannot read {document}: {e}")))?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        (bytes, base, document.to_string())
    };
    let text = String::from_utf8(bytes).map_err(|_| {
        Fatal(format!(
            "{name} is not UTF-8 text (a request document is JSON or TOML)"
        ))
    })?;
    let format = match Path::new(document).extension().and_then(|e| e.to_str()) {
        Some("toml") => Some(Format::Toml),
        Some("json") => Some(Format::Json),
        _ => None,
    };
    let mut request = match Request::parse(&text, format) {
        Ok(r) => r,
        Err(e) => match bare_csr_request(profile, &text) {
            Some(r) => r,
            None => return Err(Fatal(format!("{name}: {e}"))),
        },
    };
    for r in request.sources() {
        let content = match &r.source {
            Source::File(p) => {
                let path = base.join(p);
                std::fs::read(&path).map_err(|e| {
                    Fatal(format!(
                        "{name}: {}: cannot read {}: {e}",
                        r.pointer,
                        path.display()
                    ))
                })?
            }
            Source::Env(var) => std::env::var_os(var)
                .map(|v| v.into_encoded_bytes())
                .ok_or_else(|| {
                    Fatal(format!(
                        "{name}: {}: environment variable {var} is not set",
                        r.pointer
                    ))
                })?,
        };
        request.resolve(&r.pointer, content);
    }
    // Archive uploads: a plain string names the file, relative to the document.
    for spec in profile
        .fields
        .iter()
        .filter(|f| f.material == Material::Pkcs12)
    {
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
            Fatal(format!(
                "{name}: {}: cannot read the archive {}: {e}",
                spec.pointer,
                path.display()
            ))
        })?;
        request.attach(&spec.pointer, bytes);
    }
    Ok((request, name, text))
}

/// A CSR profile also takes a document that is not JSON: a bare CSR (PEM or base64), or a
/// response body that is not strict JSON (the seed's own example has raw line breaks in
/// the string). It becomes the value of the profile's CSR field.
fn bare_csr_request(profile: &Profile, text: &str) -> Option<Request> {
    let spec = profile
        .fields
        .iter()
        .find(|f| f.material == Material::Csr)?;
    let key = spec.pointer.strip_prefix('/')?;
    if key.contains('/') {
        return None;
    }
    let mut body = serde_json::Map::new();
    body.insert(key.to_string(), serde_json::Value::String(text.to_string()));
    Request::from_value(serde_json::Value::Object(body)).ok()
}
