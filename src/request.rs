//! The request document: the API's own body (JSON or TOML), with `{"file": ...}` and
//! `{"env": ...}` references that the caller resolves. The library never reads files or
//! the environment itself; it lists the references and takes the resolved bytes.

mod duplicates;
pub mod yaml;

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;
use zeroize::Zeroize;

/// Largest request document accepted, in bytes (checked before parsing).
pub const MAX_DOCUMENT_BYTES: usize = 16 * 1024 * 1024;
/// Deepest JSON/TOML nesting accepted; request bodies are two or three levels deep.
pub const MAX_DOCUMENT_DEPTH: usize = 32;

/// A request document's syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// JSON.
    Json,
    /// TOML.
    Toml,
    /// One YAML document (a stream of several is cut with [`yaml::documents`] first).
    Yaml,
}

/// Why a request document could not be read at all (the CLI's exit code 2).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestError {
    /// Larger than [`MAX_DOCUMENT_BYTES`].
    TooLarge {
        /// The document's size.
        bytes: usize,
        /// The cap.
        limit: usize,
    },
    /// Nested deeper than the cap.
    TooDeep {
        /// The cap, in levels.
        limit: usize,
    },
    /// Not valid in its syntax.
    Syntax {
        /// `JSON`, `TOML` or `YAML`.
        format: &'static str,
        /// The parser's message.
        detail: String,
    },
    /// Valid, but not an object at the top.
    NotAnObject {
        /// What it is instead.
        found: &'static str,
    },
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::TooLarge { bytes, limit } => write!(
                f,
                "the request document is {bytes} bytes; certgate reads at most {limit}"
            ),
            RequestError::TooDeep { limit } => write!(
                f,
                "the request document nests deeper than {limit} levels; API bodies are flat"
            ),
            RequestError::Syntax { format, detail } => {
                write!(f, "the request document is not valid {format}: {detail}")
            }
            RequestError::NotAnObject { found } => write!(
                f,
                "the request document must be an object with the API's fields, found {found}"
            ),
        }
    }
}

impl std::error::Error for RequestError {}

/// Where a field's value comes from when it is not inline.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Source {
    /// A path, relative to the request document.
    File(String),
    /// An environment variable name.
    Env(String),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::File(p) => write!(f, "file {p:?}"),
            Source::Env(n) => write!(f, "environment variable {n}"),
        }
    }
}

/// A reference found in the document: the field's JSON Pointer and its source.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SourceRef {
    /// The field's JSON Pointer.
    pub pointer: String,
    /// Where its value comes from.
    pub source: Source,
}

/// A field as the rules see it.
#[derive(Debug, Clone, Copy)]
pub enum FieldValue<'a> {
    Absent,
    Null,
    Text(&'a str),
    /// Bytes from a `{"file": ...}` source that are not UTF-8 (a DER file, an archive).
    Bytes(&'a [u8]),
    Other(&'a Value),
}

impl<'a> FieldValue<'a> {
    pub fn is_present(&self) -> bool {
        !matches!(self, FieldValue::Absent | FieldValue::Null)
    }

    /// Present and not an empty or all-whitespace string.
    pub fn is_non_empty(&self) -> bool {
        match self {
            FieldValue::Absent | FieldValue::Null => false,
            FieldValue::Text(s) => !s.trim().is_empty(),
            FieldValue::Bytes(b) => !b.is_empty(),
            FieldValue::Other(_) => true,
        }
    }

    pub fn as_text(&self) -> Option<&'a str> {
        match self {
            FieldValue::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The raw bytes of a text or binary field.
    pub fn as_bytes(&self) -> Option<&'a [u8]> {
        match self {
            FieldValue::Text(s) => Some(s.as_bytes()),
            FieldValue::Bytes(b) => Some(b),
            _ => None,
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            FieldValue::Absent => "nothing",
            FieldValue::Null => "null",
            FieldValue::Text(_) => "a string",
            FieldValue::Bytes(_) => "binary data",
            FieldValue::Other(v) => json_type(v),
        }
    }
}

/// A parsed request document. Holds private keys and passwords: its `Debug` shows only
/// the field names, and every string is wiped when it is dropped.
#[derive(Clone, Default)]
pub struct Request {
    root: Value,
    binary: BTreeMap<String, Vec<u8>>,
    /// Keys written more than once in one JSON object: the key's pointer and how many
    /// times it appears. `root` holds the last value, as serde_json keeps it.
    duplicates: Vec<DuplicateKey>,
    /// Where each resolved value came from (the reference [`Request::resolve`]
    /// replaced), by pointer: a body writer must not print what came from `{"env"}`.
    origins: BTreeMap<String, Source>,
}

/// A key that appears more than once in one object of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The JSON Pointer of the key (the value the document keeps is the last one).
    pub pointer: String,
    pub count: usize,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut pointers = Vec::new();
        collect_leaf_pointers(&self.root, String::new(), &mut pointers);
        f.debug_struct("Request")
            .field("fields", &pointers)
            .field("binary", &self.binary.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Drop for Request {
    fn drop(&mut self) {
        wipe(&mut self.root);
        for bytes in self.binary.values_mut() {
            bytes.zeroize();
        }
    }
}

impl Request {
    /// Parses a document. With `format` unset, JSON is tried first, then TOML, then
    /// YAML (unless the text opens like JSON, whose own error is then the useful one).
    /// A leading UTF-8 byte order mark (Windows editors write one) is skipped.
    ///
    /// ```
    /// use certgate::{Format, Request, RequestError};
    ///
    /// let request = Request::parse("[certificate]\nname = \"web\"\n", Some(Format::Toml)).unwrap();
    /// assert_eq!(request.root()["certificate"]["name"], "web");
    /// assert!(matches!(Request::parse("[1]", None), Err(RequestError::NotAnObject { .. })));
    /// ```
    pub fn parse(text: &str, format: Option<Format>) -> Result<Request, RequestError> {
        if text.len() > MAX_DOCUMENT_BYTES {
            return Err(RequestError::TooLarge {
                bytes: text.len(),
                limit: MAX_DOCUMENT_BYTES,
            });
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let (root, json) = match format {
            Some(Format::Json) => (parse_json(text)?, true),
            Some(Format::Toml) => (parse_toml(text)?, false),
            Some(Format::Yaml) => (yaml::parse(text)?, false),
            None => match parse_json(text) {
                Ok(v) => (v, true),
                Err(json_err) => match parse_toml(text) {
                    Ok(v) => (v, false),
                    Err(_) if !text.trim_start().starts_with(['{', '[']) => {
                        match yaml::parse(text) {
                            Ok(v) if v.is_object() => (v, false),
                            // The JSON error is the more useful one for what most
                            // documents are.
                            _ => return Err(json_err),
                        }
                    }
                    Err(_) => return Err(json_err),
                },
            },
        };
        let mut request = Request::from_value(root)?;
        // TOML refuses a repeated key itself (a syntax error); JSON parsers keep one.
        if json {
            request.duplicates = duplicates::scan(text);
        }
        Ok(request)
    }

    /// Wraps an already parsed JSON value (for library users building requests in code).
    pub fn from_value(root: Value) -> Result<Request, RequestError> {
        if !root.is_object() {
            return Err(RequestError::NotAnObject {
                found: json_type(&root),
            });
        }
        if depth(&root, 0) > MAX_DOCUMENT_DEPTH {
            return Err(RequestError::TooDeep {
                limit: MAX_DOCUMENT_DEPTH,
            });
        }
        Ok(Request {
            root,
            binary: BTreeMap::new(),
            duplicates: Vec::new(),
            origins: BTreeMap::new(),
        })
    }

    /// Keys the JSON document writes more than once in one object, in document order.
    pub(crate) fn duplicate_keys(&self) -> &[DuplicateKey] {
        &self.duplicates
    }

    /// Whether the value at `pointer` is a `{"file": ...}` / `{"env": ...}` reference
    /// the caller has not replaced with its content (a binary file, or a library user
    /// that resolves nothing).
    pub(crate) fn is_reference(&self, pointer: &str) -> bool {
        self.root.pointer(pointer).and_then(as_source).is_some()
    }

    /// The document as parsed (references not replaced).
    pub fn root(&self) -> &Value {
        &self.root
    }

    /// The reference a resolved value at `pointer` came from, if it came from one.
    pub(crate) fn origin(&self, pointer: &str) -> Option<&Source> {
        self.origins.get(pointer)
    }

    /// Every `{"file": "..."}` / `{"env": "..."}` reference in the document, in
    /// document order.
    pub fn sources(&self) -> Vec<SourceRef> {
        let mut out = Vec::new();
        collect_sources(&self.root, String::new(), &mut out);
        out
    }

    /// Replaces the reference at `pointer` with the resolved content. UTF-8 content
    /// becomes a string field; anything else is kept as bytes.
    pub fn resolve(&mut self, pointer: &str, content: Vec<u8>) {
        if let Some(source) = self.root.pointer(pointer).and_then(as_source) {
            self.origins.insert(pointer.to_string(), source);
        }
        match String::from_utf8(content) {
            Ok(text) => {
                if let Some(slot) = self.root.pointer_mut(pointer) {
                    wipe(slot);
                    *slot = Value::String(text);
                }
            }
            // The reference stays in the document (it names the file, which
            // `file_name` reports); the bytes take precedence in `field`.
            Err(e) => {
                self.binary.insert(pointer.to_string(), e.into_bytes());
            }
        }
    }

    /// Attaches bytes at `pointer` whatever their encoding (archive uploads). The
    /// document's own value (the file name) stays readable through `file_name`.
    pub fn attach(&mut self, pointer: &str, bytes: Vec<u8>) {
        self.binary.insert(pointer.to_string(), bytes);
    }

    /// The file name a binary field came from: the document's string at `pointer`, or
    /// the path of its `{"file": ...}` reference.
    pub(crate) fn file_name(&self, pointer: &str) -> Option<&str> {
        match self.root.pointer(pointer)? {
            Value::String(s) => Some(s),
            Value::Object(o) if o.len() == 1 => o.get("file")?.as_str(),
            _ => None,
        }
    }

    /// The field at a JSON Pointer.
    pub(crate) fn field(&self, pointer: &str) -> FieldValue<'_> {
        if let Some(b) = self.binary.get(pointer) {
            return FieldValue::Bytes(b);
        }
        match self.root.pointer(pointer) {
            None => FieldValue::Absent,
            Some(Value::Null) => FieldValue::Null,
            Some(Value::String(s)) => FieldValue::Text(s),
            Some(v) => FieldValue::Other(v),
        }
    }

    /// Whether text of a field arrived as bytes that were kept verbatim.
    pub(crate) fn is_binary(&self, pointer: &str) -> bool {
        self.binary.contains_key(pointer)
    }
}

fn parse_json(text: &str) -> Result<Value, RequestError> {
    // serde_json stops at 128 levels on its own, so deep input cannot overflow the stack.
    serde_json::from_str(text).map_err(|e| RequestError::Syntax {
        format: "JSON",
        detail: e.to_string(),
    })
}

fn parse_toml(text: &str) -> Result<Value, RequestError> {
    toml::from_str::<Value>(text).map_err(|e| RequestError::Syntax {
        format: "TOML",
        detail: e.message().to_string(),
    })
}

pub(crate) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn depth(v: &Value, d: usize) -> usize {
    if d > MAX_DOCUMENT_DEPTH {
        return d;
    }
    match v {
        Value::Array(a) => a.iter().map(|x| depth(x, d + 1)).max().unwrap_or(d + 1),
        Value::Object(o) => o.values().map(|x| depth(x, d + 1)).max().unwrap_or(d + 1),
        _ => d,
    }
}

/// Escapes one JSON Pointer reference token (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn as_source(v: &Value) -> Option<Source> {
    let o = v.as_object()?;
    if o.len() != 1 {
        return None;
    }
    match o.iter().next()? {
        (k, Value::String(s)) if k == "file" => Some(Source::File(s.clone())),
        (k, Value::String(s)) if k == "env" => Some(Source::Env(s.clone())),
        _ => None,
    }
}

fn collect_sources(v: &Value, at: String, out: &mut Vec<SourceRef>) {
    if let Some(source) = as_source(v) {
        out.push(SourceRef {
            pointer: at,
            source,
        });
        return;
    }
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                collect_sources(x, format!("{at}/{}", escape_token(k)), out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                collect_sources(x, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn collect_leaf_pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                collect_leaf_pointers(x, format!("{at}/{}", escape_token(k)), out);
            }
        }
        _ => out.push(at),
    }
}

fn wipe(v: &mut Value) {
    match v {
        Value::String(s) => s.zeroize(),
        Value::Array(a) => a.iter_mut().for_each(wipe),
        Value::Object(o) => o.values_mut().for_each(wipe),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_toml_give_the_same_fields() {
        let j = Request::parse(r#"{"certificate": {"name": "x"}}"#, None).unwrap();
        let t = Request::parse("[certificate]\nname = \"x\"\n", None).unwrap();
        assert_eq!(j.root(), t.root());
        assert!(matches!(
            j.field("/certificate/name"),
            FieldValue::Text("x")
        ));
    }

    #[test]
    fn yaml_gives_the_same_fields_by_format_and_by_sniffing() {
        let j = Request::parse(r#"{"data": {"tls.crt": "QUJD"}}"#, None).unwrap();
        let y = Request::parse("data:\n  tls.crt: QUJD\n", Some(Format::Yaml)).unwrap();
        let sniffed = Request::parse("data:\n  tls.crt: QUJD\n", None).unwrap();
        assert_eq!(j.root(), y.root());
        assert_eq!(j.root(), sniffed.root());
        // Broken JSON stays a JSON error, not a YAML reading of it.
        assert!(matches!(
            Request::parse("{\"a\": ", None),
            Err(RequestError::Syntax { format: "JSON", .. })
        ));
    }

    #[test]
    fn sources_are_listed_and_resolved() {
        let mut r = Request::parse(
            r#"{"a": {"file": "x.pem"}, "b": {"env": "PW"}, "c": {"file": 1}}"#,
            None,
        )
        .unwrap();
        let s = r.sources();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].pointer, "/a");
        assert_eq!(s[1].source, Source::Env("PW".into()));
        r.resolve("/a", b"text".to_vec());
        r.resolve("/b", vec![0xff, 0xfe]);
        assert!(matches!(r.field("/a"), FieldValue::Text("text")));
        assert!(matches!(r.field("/b"), FieldValue::Bytes(_)));
    }

    #[test]
    fn debug_shows_no_values() {
        let r = Request::parse(r#"{"password": "hunter2"}"#, None).unwrap();
        let d = format!("{r:?}");
        assert!(d.contains("/password") && !d.contains("hunter2"));
    }

    #[test]
    fn non_objects_and_garbage_are_refused() {
        assert!(matches!(
            Request::parse("[1]", None),
            Err(RequestError::NotAnObject { .. })
        ));
        assert!(matches!(
            Request::parse("this is { not json", None),
            Err(RequestError::Syntax { .. })
        ));
    }
}
