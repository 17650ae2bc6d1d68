//! YAML request documents (Kubernetes manifests): one document parsed into the same
//! JSON value the rules read, and a multi-document stream cut into its documents.

use serde_json::Value;

use super::RequestError;

/// One document of a YAML stream: its place, the line it starts on, and its text. The
/// text may hold a private key (a Secret's `stringData`): `Debug` shows its length only.
#[derive(Clone, PartialEq, Eq)]
pub struct YamlDocument<'a> {
    /// 1-based position among the stream's non-empty documents.
    pub index: usize,
    /// 1-based line of the stream where the document's text starts.
    pub line: usize,
    /// The document's text.
    pub text: &'a str,
}

impl std::fmt::Debug for YamlDocument<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("YamlDocument")
            .field("index", &self.index)
            .field("line", &self.line)
            .field("text", &format_args!("<{} bytes>", self.text.len()))
            .finish()
    }
}

/// Cuts a YAML stream at its document markers (`---` or `...` at the start of a line,
/// which YAML forbids inside a document's content). Documents holding only comments
/// and blank lines are left out, as `kubectl apply` leaves them out.
pub fn documents<'a>(text: &'a str) -> Vec<YamlDocument<'a>> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut start_line = 1usize;
    let mut offset = 0usize;
    let push = |from: usize, to: usize, line: usize, out: &mut Vec<YamlDocument<'a>>| {
        let Some(doc) = text.get(from..to) else {
            return;
        };
        let has_content = doc.lines().any(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#') && !t.starts_with("%")
        });
        if has_content {
            out.push(YamlDocument {
                index: out.len() + 1,
                line,
                text: doc,
            });
        }
    };
    for (line_no, line) in (1usize..).zip(text.split_inclusive('\n')) {
        let marker = ["---", "..."].iter().any(|m| {
            line.strip_prefix(m)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
        });
        if marker {
            push(start, offset, start_line, &mut out);
            // `--- key: value` starts the document on the marker's own line.
            let rest_at = offset + 3;
            start = if line.starts_with("---") {
                rest_at
            } else {
                offset + line.len()
            };
            start_line = line_no;
        }
        offset += line.len();
    }
    push(start, text.len(), start_line, &mut out);
    out
}

/// Parses one YAML document into a JSON value. Error messages carry no snippet of the
/// document (it holds private keys), only where parsing stopped.
pub fn parse(text: &str) -> Result<Value, RequestError> {
    let mut options = serde_saphyr::Options::default();
    options.with_snippet = false;
    serde_saphyr::from_str_with_options::<Value>(text, options).map_err(|e| {
        let detail = match e.location() {
            Some(l) => format!(
                "{} (line {}, column {})",
                first_words(&e),
                l.line(),
                l.column()
            ),
            None => first_words(&e),
        };
        RequestError::Syntax {
            format: "YAML",
            detail,
        }
    })
}

/// The parser's message up to its first line break, without quoted text that may be
/// the document's content.
fn first_words(e: &serde_saphyr::Error) -> String {
    let s = e.to_string();
    let line = s.lines().next().unwrap_or_default();
    match line.find(['"', '`', '\'']) {
        Some(i) => line
            .get(..i)
            .unwrap_or_default()
            .trim_end()
            .trim_end_matches(':')
            .to_string(),
        None => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_a_document_s_text() {
        let t = "stringData:\n  tls.key: |\n    -----BEGIN PRIVATE KEY-----\n    c2VjcmV0\n";
        let shown = format!("{:?}", documents(t));
        assert!(
            !shown.contains("c2VjcmV0") && !shown.contains("PRIVATE"),
            "{shown}"
        );
        assert!(shown.contains("bytes>"), "{shown}");
    }

    #[test]
    fn a_stream_is_cut_at_its_markers() {
        let t = "# comment\n---\na: 1\n---\nb: 2\n...\n---\n# only a comment\n";
        let d = documents(t);
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].index, d[0].line), (1, 2));
        assert_eq!(parse(d[0].text).unwrap(), serde_json::json!({"a": 1}));
        assert_eq!((d[1].index, d[1].line), (2, 4));
        assert_eq!(parse(d[1].text).unwrap(), serde_json::json!({"b": 2}));
        assert_eq!(documents("a: 1\n").len(), 1);
        assert_eq!(documents("a: |\n  --- not a marker\n").len(), 1);
    }

    #[test]
    fn errors_show_no_content() {
        let e = parse("key: \"MIIsecret\nother: [").unwrap_err().to_string();
        assert!(!e.contains("MIIsecret"), "{e}");
        let dup = parse("a: 1\na: 2\n").unwrap_err().to_string();
        assert!(dup.contains("YAML"), "{dup}");
    }
}
