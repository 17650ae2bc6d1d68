//! Reading request documents and resolving their references: the only file and
//! environment access certgate has.

use std::io::Read;
use std::path::{Path, PathBuf};

use certgate::Request;
use certgate::request::{Format, Source};

use super::Fatal;

/// Reads the document and resolves its file and environment references.
pub fn load_request(document: &str) -> Result<(Request, String, String), Fatal> {
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
    let mut request = Request::parse(&text, format).map_err(|e| Fatal(format!("{name}: {e}")))?;
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
    Ok((request, name, text))
}
