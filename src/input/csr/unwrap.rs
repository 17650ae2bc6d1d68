//! Unwrapping what the user pasted down to DER: the response body's field, the PEM block
//! or bare base64 with each character's position, and the base64 decoding.

use super::*;

/// The base64 body with each character's position.
pub(super) struct Body {
    chars: String,
    /// (line, column), 1-based, per character of `chars`.
    pos: Vec<(usize, usize)>,
}

impl Body {
    pub(super) fn span_for_byte(&self, n: usize) -> Option<Base64Span> {
        let g = n / 3;
        let first = 4 * g + n % 3; // 0-based
        let last = first + 1;
        let (line, column) = *self.pos.get(first)?;
        let group = self.chars.get(4 * g..(4 * g + 4).min(self.chars.len()))?;
        Some(Base64Span {
            first: first + 1,
            last: last + 1,
            line,
            column,
            group: group.to_string(),
        })
    }
}

/// The string value of `field` in a response body, and whether the body was parsed
/// leniently.
pub(super) fn field_from_body(text: &str, field: &str) -> Result<(String, bool), CsrError> {
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(text) {
        return match v.get(field) {
            Some(serde_json::Value::String(s)) => Ok((s.clone(), false)),
            Some(_) => Err(CsrError::ResponseBody {
                what: format!("\"{field}\" is not a string"),
            }),
            None => {
                let mut what = format!("there is no \"{field}\" field");
                if v.get("status").and_then(|s| s.as_str()) == Some("error") {
                    let msgs = v
                        .get("messages")
                        .and_then(|m| m.as_array())
                        .map(|a| {
                            a.iter()
                                .filter_map(|m| m.as_str())
                                .collect::<Vec<_>>()
                                .join("; ")
                        })
                        .unwrap_or_default();
                    what = format!("the API returned an error: {msgs}");
                }
                Err(CsrError::ResponseBody { what })
            }
        };
    }
    // Lenient: the published example has raw line breaks inside the string.
    let key = format!("\"{field}\"");
    let start = text.find(&key).ok_or_else(|| CsrError::ResponseBody {
        what: format!("not valid JSON and no \"{field}\" field"),
    })?;
    let rest = text.get(start + key.len()..).unwrap_or("");
    let rest = rest.trim_start();
    let rest = rest
        .strip_prefix(':')
        .ok_or_else(|| CsrError::ResponseBody {
            what: format!("no ':' after \"{field}\""),
        })?;
    let rest = rest.trim_start();
    let rest = rest
        .strip_prefix('"')
        .ok_or_else(|| CsrError::ResponseBody {
            what: format!("the value of \"{field}\" is not a string"),
        })?;
    let mut out = String::new();
    let mut chars = rest.chars();
    loop {
        match chars.next() {
            None => {
                return Err(CsrError::ResponseBody {
                    what: format!("the string value of \"{field}\" is not closed"),
                });
            }
            Some('"') => break,
            Some('\\') => match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some('b') | Some('f') => out.push(' '),
                Some('/') => out.push('/'),
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                Some('u') => {
                    let hex: String = chars.by_ref().take(4).collect();
                    match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        Some(c) => out.push(c),
                        None => out.push('\u{fffd}'),
                    }
                }
                Some(c) => {
                    out.push('\\');
                    out.push(c);
                }
                None => {}
            },
            Some(c) => out.push(c),
        }
    }
    Ok((out, true))
}

/// Finds the PEM block (or bare base64) and returns its base64 body with positions.
pub(super) fn pem_body(
    text: &str,
    source: &mut CsrSource,
) -> Result<(Body, Option<String>), CsrError> {
    // Literal escapes from a value that was never JSON-decoded (or was encoded twice).
    let mut norm = String::with_capacity(text.len());
    let mut it = text.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\\' {
            let rep = match it.peek() {
                Some('r') => Some('\r'),
                Some('n') => Some('\n'),
                Some('t') => Some('\t'),
                Some('/') => Some('/'),
                _ => None,
            };
            if let Some(r) = rep {
                it.next();
                norm.push(r);
                source.literal_escapes = true;
                continue;
            }
        }
        norm.push(c);
    }

    const BEGIN: &str = "-----BEGIN ";
    let (body_text, label) = match norm.find(BEGIN) {
        Some(b) => {
            let after = norm.get(b + BEGIN.len()..).unwrap_or("");
            let close = after.find("-----").ok_or_else(|| CsrError::NoPemBlock {
                hint: "the BEGIN line is not closed with \"-----\"".into(),
            })?;
            let label = after.get(..close).unwrap_or("").trim().to_string();
            if crate::input::pem::LabelKind::of(&label) != crate::input::pem::LabelKind::Csr {
                return Err(CsrError::WrongLabel { found: label });
            }
            let body_start = after.get(close + 5..).unwrap_or("");
            let end_marker = format!("-----END {label}-----");
            let end = match body_start.find(&end_marker) {
                Some(e) => e,
                None => {
                    if let Some(e) = body_start.find("-----END ") {
                        let found: String = body_start
                            .get(e + 9..)
                            .unwrap_or("")
                            .chars()
                            .take_while(|c| *c != '-')
                            .collect();
                        return Err(CsrError::NoPemBlock {
                            hint: format!(
                                "BEGIN {label} is closed by END {}, not END {label}",
                                found.trim()
                            ),
                        });
                    }
                    return Err(CsrError::MissingEnd { label });
                }
            };
            (body_start.get(..end).unwrap_or("").to_string(), Some(label))
        }
        None => {
            let compact: String = norm.chars().filter(|c| !c.is_whitespace()).collect();
            if compact.starts_with("MII") || compact.starts_with("MI") {
                source.bare_base64 = true;
                (norm.clone(), None)
            } else {
                let hint = if norm.contains("-----BEGIN") {
                    "a BEGIN line is there but malformed".to_string()
                } else if norm.contains("CERTIFICATE REQUEST") {
                    "the text mentions a certificate request but has no \"-----BEGIN\" line"
                        .to_string()
                } else {
                    "the text has no \"-----BEGIN NEW CERTIFICATE REQUEST-----\" line and is \
                     not base64"
                        .to_string()
                };
                return Err(CsrError::NoPemBlock { hint });
            }
        }
    };

    let mut body = Body {
        chars: String::new(),
        pos: Vec::new(),
    };
    let mut line_no = 0;
    for raw_line in body_text.split('\n') {
        let line = raw_line.trim_end_matches(['\r', ' ', '\t']);
        let trimmed = line.trim_start_matches([' ', '\t', '\r']);
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.len() != line.len() {
            source.indented_lines = true;
        }
        line_no += 1;
        for (col, c) in trimmed.chars().enumerate() {
            if c == ' ' || c == '\t' {
                continue;
            }
            let index = body.pos.len() + 1;
            let ok = c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '=';
            if !ok {
                let shown = if c.is_control() || c.is_whitespace() {
                    format!("U+{:04X}", u32::from(c))
                } else {
                    format!("'{c}' (U+{:04X})", u32::from(c))
                };
                let extra = match c {
                    '-' | '_' => ": this is the URL-safe base64 alphabet, PEM uses '+' and '/'",
                    ':' => ": PEM headers (Proc-Type, ...) do not belong in a CSR",
                    '\\' => ": an escape sequence that is not \\r, \\n or \\t",
                    '"' => ": a JSON quote: the value was cut out of the response wrongly",
                    _ => "",
                };
                return Err(CsrError::Base64 {
                    what: format!("{shown} is not a base64 character{extra}"),
                    index,
                    line: line_no,
                    column: col + 1,
                });
            }
            body.chars.push(c);
            body.pos.push((line_no, col + 1));
        }
    }
    if body.chars.is_empty() {
        return Err(CsrError::NoPemBlock {
            hint: "the PEM block is empty".into(),
        });
    }
    Ok((body, label))
}

pub(super) fn decode_body(body: &Body) -> Result<Vec<u8>, CsrError> {
    let at = |i: usize| body.pos.get(i).copied().unwrap_or((0, 0));
    // '=' only as the last one or two characters
    if let Some(p) = body.chars.find('=') {
        let tail = body.chars.get(p..).unwrap_or("");
        if tail.chars().any(|c| c != '=') || tail.len() > 2 {
            let (line, column) = at(p);
            return Err(CsrError::Base64 {
                what: "padding '=' in the middle of the data: two encodings were joined, or \
                       characters were lost"
                    .into(),
                index: p + 1,
                line,
                column,
            });
        }
    }
    let n = body.chars.len();
    if n % 4 != 0 {
        let (line, column) = at(n - 1);
        return Err(CsrError::Base64 {
            what: format!(
                "the body has {n} characters, not a multiple of 4: {} character(s) missing or \
                 extra (the text was cut or padding removed)",
                n % 4
            ),
            index: n,
            line,
            column,
        });
    }
    base64::engine::general_purpose::STANDARD
        .decode(body.chars.as_bytes())
        .map_err(|e| {
            let i = match e {
                base64::DecodeError::InvalidByte(i, _) => i,
                base64::DecodeError::InvalidLastSymbol(i, _) => i,
                _ => n.saturating_sub(1),
            };
            let (line, column) = at(i);
            CsrError::Base64 {
                what: format!("{e}"),
                index: i + 1,
                line,
                column,
            }
        })
}
