//! Reading request documents and resolving their references: the only file and
//! environment access certgate has.

use std::io::Read;
use std::path::{Path, PathBuf};

use certgate::Format;
use certgate::{Profile, Request};

use super::Fatal;

/// Reads the document and resolves its file and environment references.
pub fn load_request(document: &str, profile: &Profile) -> Result<(Request, String, String), Fatal> {
    load_request_part(document, profile, None)
}

/// Reads standard input, at most [`certgate::MAX_DOCUMENT_BYTES`].
pub fn read_stdin() -> Result<Vec<u8>, Fatal> {
    let mut buf = Vec::new();
    std::io::stdin()
        .take(certgate::MAX_DOCUMENT_BYTES as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Fatal(format!("reading standard input: {e}")))?;
    if buf.len() > certgate::MAX_DOCUMENT_BYTES {
        return Err(Fatal(format!(
            "standard input is larger than {} bytes; certgate reads request documents of at most that size",
            certgate::MAX_DOCUMENT_BYTES
        )));
    }
    Ok(buf)
}

/// The bytes of the document file at `path`; `None` when it cannot be read or holds
/// more than [`certgate::MAX_DOCUMENT_BYTES`] ([`load_request_part`] then says why).
pub fn read_document(path: &str) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(certgate::MAX_DOCUMENT_BYTES as u64 + 1)
        .read_to_end(&mut buf)
        .ok()?;
    (buf.len() <= certgate::MAX_DOCUMENT_BYTES).then_some(buf)
}

/// Whether a document path names a YAML file.
pub fn is_yaml_path(document: &str) -> bool {
    matches!(
        Path::new(document).extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

/// [`load_request`] of a document already read: `part` is its bytes (standard input, or
/// one document of a YAML stream)
/// (the path still names the file and the folder references are relative to).
pub fn load_request_part(
    document: &str,
    profile: &Profile,
    part: Option<&[u8]>,
) -> Result<(Request, String, String), Fatal> {
    let (bytes, base, name) = if let Some(text) = part {
        let base = match document {
            "-" => PathBuf::from("."),
            d => Path::new(d)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default(),
        };
        let name = if document == "-" { "<stdin>" } else { document };
        (text.to_vec(), base, name.to_string())
    } else if document == "-" {
        (read_stdin()?, PathBuf::from("."), "<stdin>".to_string())
    } else {
        let path = Path::new(document);
        let meta =
            std::fs::metadata(path).map_err(|e| Fatal(format!("cannot read {document}: {e}")))?;
        if meta.len() > certgate::MAX_DOCUMENT_BYTES as u64 {
            return Err(Fatal(format!(
                "{document} is {} bytes; certgate reads request documents of at most {}",
                meta.len(),
                certgate::MAX_DOCUMENT_BYTES
            )));
        }
        let bytes =
            std::fs::read(path).map_err(|e| Fatal(format!("cannot read {document}: {e}")))?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        (bytes, base, document.to_string())
    };
    if let Some(what) = bare_material(&bytes) {
        if !is_csr_profile(profile) || what != "a certificate signing request" {
            return Err(Fatal(format!(
                "{name} holds {what}, not a request document: `certgate check` takes the API's \
                 request body (JSON, TOML or YAML) that names or embeds the materials; to check bare \
                 certificates, keys, CSRs and archives, run `certgate lint {name}`"
            )));
        }
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        Fatal(format!(
            "{name} is not UTF-8 text (a request document is JSON, TOML or YAML)"
        ))
    })?;
    let format = match Path::new(document).extension().and_then(|e| e.to_str()) {
        Some("toml") => Some(Format::Toml),
        Some("json") => Some(Format::Json),
        Some("yaml" | "yml") => Some(Format::Yaml),
        _ => None,
    };
    let mut request = match Request::parse(&text, format) {
        Ok(r) => r,
        Err(e) => match bare_csr_request(profile, &text) {
            Some(r) => r,
            None => return Err(Fatal(format!("{name}: {e}"))),
        },
    };
    certgate::resolve_references(&mut request, profile, &base)
        .map_err(|e| Fatal(format!("{name}: {e}")))?;
    Ok((request, name, text))
}

/// A CSR profile also takes a document that is not JSON: a bare CSR (PEM or base64), or a
/// response body that is not strict JSON (the seed's own example has raw line breaks in
/// the string). It becomes the value of the profile's CSR field.
fn bare_csr_request(profile: &Profile, text: &str) -> Option<Request> {
    let key = profile.csr_field()?.strip_prefix('/')?;
    if key.contains('/') {
        return None;
    }
    let mut body = serde_json::Map::new();
    body.insert(key.to_string(), serde_json::Value::String(text.to_string()));
    Request::from_value(serde_json::Value::Object(body)).ok()
}

fn is_csr_profile(profile: &Profile) -> bool {
    profile.csr_field().is_some()
}

/// What a document holds when it is a bare material rather than a request body: PEM
/// armour, or DER (a SEQUENCE with a long-form length, as every certificate, key and
/// PKCS#12 archive has). `None` for anything that may be JSON or TOML.
fn bare_material(bytes: &[u8]) -> Option<&'static str> {
    let start = bytes
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(bytes)
        .trim_ascii_start();
    if let Some(rest) = start.strip_prefix(b"-----BEGIN ") {
        let label_end = rest.iter().position(|&b| b == b'-').unwrap_or(rest.len());
        let label = rest.get(..label_end).unwrap_or_default();
        return Some(if label.ends_with(b"PRIVATE KEY") {
            "a PEM private key"
        } else if label.ends_with(b"CERTIFICATE REQUEST") {
            "a certificate signing request"
        } else if label == b"PKCS12" {
            "a PEM PKCS#12 archive"
        } else {
            "PEM data (a certificate or chain)"
        });
    }
    match bytes {
        [0x30, 0x80..=0x84, ..] => Some("binary DER data (a certificate, key or PKCS#12 archive)"),
        _ => None,
    }
}
