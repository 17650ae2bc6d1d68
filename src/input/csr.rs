//! PKCS#10 certificate signing requests, as Esri Portal's `generateCsr` returns them.
//!
//! [`parse_csr`] takes what the user has: the whole JSON response body
//! (`{"certificateSigningRequest": "..."}`, also the published non-strict form with raw
//! line breaks inside the string), the field value with literal `\r\n` escapes (not JSON
//! decoded) or real line breaks, indented lines, `NEW CERTIFICATE REQUEST` or
//! `CERTIFICATE REQUEST` labels, bare base64, or bare DER. A failure says what is wrong and
//! where: the character (line and column of the base64 body), or the DER byte offset, the
//! structure it belongs to, and which base64 characters carry that byte.
//!
//! Signature verification is done elsewhere: [`Csr`] exposes the SPKI DER, the signature
//! algorithm, the signed bytes and the signature.

use std::fmt;
use std::ops::Range;

use base64::Engine as _;

use super::der::{self, Reader, Tlv, TlvError};

pub use crate::input::limits::MAX_CSR_INPUT_BYTES as MAX_INPUT;
use crate::input::limits::MAX_DER_DEPTH;

const OID_EXTENSION_REQUEST: &str = "1.2.840.113549.1.9.14";
const OID_CHALLENGE_PASSWORD: &str = "1.2.840.113549.1.9.7";

/// How the CSR was found in the input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsrSource {
    /// Taken from a JSON response body's `certificateSigningRequest` field.
    pub from_response_body: bool,
    /// The response body was not strict JSON (e.g. raw line breaks inside the string).
    pub lenient_json: bool,
    /// The PEM label (`NEW CERTIFICATE REQUEST`, `CERTIFICATE REQUEST`), if PEM.
    pub pem_label: Option<String>,
    /// Literal `\r`, `\n`, `\t` or `\/` escapes were in the text (a JSON value not decoded).
    pub literal_escapes: bool,
    /// Some base64 lines were indented.
    pub indented_lines: bool,
    /// Bare base64 without PEM armour.
    pub bare_base64: bool,
    /// Bare DER.
    pub der: bool,
}

/// One attribute of the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsrAttribute {
    pub oid: String,
    pub name: Option<&'static str>,
    /// A short description; a challenge password's value is never shown.
    pub summary: String,
}

/// A parsed PKCS#10 request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Csr {
    pub der: Vec<u8>,
    pub source: CsrSource,
    /// The version field (0 for v1).
    pub version: u64,
    /// Subject, RFC 4514 style as x509-parser prints it.
    pub subject: String,
    /// Byte range of the subject Name in `der`.
    pub subject_range: Range<usize>,
    /// Byte range of the SubjectPublicKeyInfo in `der`.
    pub spki_range: Range<usize>,
    /// The public key algorithm OID, dotted.
    pub public_key_algorithm_oid: String,
    /// The signature algorithm OID, dotted.
    pub signature_algorithm_oid: String,
    /// The signature AlgorithmIdentifier's parameters, DER, if present (NULL included).
    pub signature_algorithm_params: Option<Vec<u8>>,
    /// Byte range of the signed CertificationRequestInfo in `der`.
    pub signed_range: Range<usize>,
    /// The signature BIT STRING's bytes (without the unused-bits octet).
    pub signature: Vec<u8>,
    pub attributes: Vec<CsrAttribute>,
    /// DNS names and IP addresses requested in a subjectAltName extension, as text.
    pub requested_sans: Vec<String>,
}

impl Csr {
    /// The SubjectPublicKeyInfo, DER.
    pub fn spki_der(&self) -> &[u8] {
        self.der.get(self.spki_range.clone()).unwrap_or(&[])
    }
    /// The bytes the signature covers (the CertificationRequestInfo, DER).
    pub fn signed_bytes(&self) -> &[u8] {
        self.der.get(self.signed_range.clone()).unwrap_or(&[])
    }
    /// The subject Name, DER.
    pub fn subject_der(&self) -> &[u8] {
        self.der.get(self.subject_range.clone()).unwrap_or(&[])
    }
}

/// Which base64 characters carry a damaged DER byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base64Span {
    /// 1-based index of the first and last character in the base64 body (whitespace and
    /// line breaks not counted).
    pub first: usize,
    pub last: usize,
    /// 1-based line of the base64 body (the BEGIN line not counted) and column there.
    pub line: usize,
    pub column: usize,
    /// The 4-character group those characters are in.
    pub group: String,
}

/// Why the input is not a usable CSR. The Display text is the finding's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsrError {
    Empty,
    TooLarge {
        len: usize,
        limit: usize,
    },
    NotUtf8 {
        at: usize,
    },
    /// The JSON response body has no usable `certificateSigningRequest`.
    ResponseBody {
        what: String,
    },
    /// No `-----BEGIN ...-----` line and no bare base64.
    NoPemBlock {
        hint: String,
    },
    WrongLabel {
        found: String,
    },
    MissingEnd {
        label: String,
    },
    /// The base64 body is invalid at a character.
    Base64 {
        what: String,
        /// 1-based index in the base64 body, whitespace not counted.
        index: usize,
        line: usize,
        column: usize,
    },
    /// The DER is damaged.
    Der {
        /// Size of the decoded data.
        len: usize,
        at: usize,
        /// Which part of the request: `subject RDN 1 AttributeTypeAndValue`, ...
        structure: String,
        what: String,
        /// Where the damaged byte is in the base64 text, if the input was text.
        base64: Option<Base64Span>,
        /// The outer SEQUENCE's length matches the decoded size: not a truncation.
        outer_length_consistent: bool,
    },
    /// Well-formed DER that the PKCS#10 parser rejects.
    Rejected {
        what: String,
    },
}

impl fmt::Display for CsrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsrError::Empty => f.write_str("the CSR is empty"),
            CsrError::TooLarge { len, limit } => {
                write!(
                    f,
                    "the CSR input is {len} bytes, more than the {limit} accepted"
                )
            }
            CsrError::NotUtf8 { at } => write!(
                f,
                "the CSR is neither DER nor text: invalid UTF-8 at byte {at}"
            ),
            CsrError::ResponseBody { what } => write!(f, "the response body: {what}"),
            CsrError::NoPemBlock { hint } => write!(f, "no PEM certificate request: {hint}"),
            CsrError::WrongLabel { found } => write!(
                f,
                "the PEM block is \"{found}\", not \"NEW CERTIFICATE REQUEST\" or \
                 \"CERTIFICATE REQUEST\""
            ),
            CsrError::MissingEnd { label } => {
                write!(
                    f,
                    "the PEM block has no \"-----END {label}-----\" line: truncated?"
                )
            }
            CsrError::Base64 {
                what,
                index,
                line,
                column,
            } => write!(
                f,
                "the base64 is invalid at character {index} of the body (line {line}, column \
                 {column}): {what}"
            ),
            CsrError::Der {
                len,
                at,
                structure,
                what,
                base64,
                outer_length_consistent,
            } => {
                write!(
                    f,
                    "the data decodes ({len} bytes), but the DER is damaged at byte {at}, in \
                     {structure}: {what}"
                )?;
                if let Some(b) = base64 {
                    write!(
                        f,
                        ". Byte {at} comes from base64 characters {}-{} of the body (line {}, \
                         column {}, in the group \"{}\")",
                        b.first, b.last, b.line, b.column, b.group
                    )?;
                }
                if *outer_length_consistent {
                    f.write_str(
                        ". The outer SEQUENCE's length matches the decoded size, so the \
                         request was not truncated: bytes inside it were changed",
                    )?;
                }
                Ok(())
            }
            CsrError::Rejected { what } => {
                write!(
                    f,
                    "the DER is well-formed but is not a valid PKCS#10 request: {what}"
                )
            }
        }
    }
}

impl std::error::Error for CsrError {}

/// The base64 body with each character's position.
struct Body {
    chars: String,
    /// (line, column), 1-based, per character of `chars`.
    pos: Vec<(usize, usize)>,
}

impl Body {
    fn span_for_byte(&self, n: usize) -> Option<Base64Span> {
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

/// Parses a CSR from a response body (its `certificateSigningRequest`), a field value,
/// PEM, bare base64 or DER. The field name is the Esri profile's
/// ([`crate::rules::CSR_RESPONSE_FIELD`]); callers that know their profile use
/// [`parse_csr_in`].
pub fn parse_csr(input: &[u8]) -> Result<Csr, CsrError> {
    parse_csr_in(input, crate::rules::CSR_RESPONSE_FIELD)
}

/// Parses a CSR from a response body (the string value of `response_field`), a field
/// value, PEM, bare base64 or DER.
pub fn parse_csr_in(input: &[u8], response_field: &str) -> Result<Csr, CsrError> {
    if input.len() > MAX_INPUT {
        return Err(CsrError::TooLarge {
            len: input.len(),
            limit: MAX_INPUT,
        });
    }
    let mut source = CsrSource::default();
    if input.first() == Some(&0x30) {
        source.der = true;
        return parse_der(input.to_vec(), source, None);
    }
    let text = std::str::from_utf8(input).map_err(|e| CsrError::NotUtf8 {
        at: e.valid_up_to(),
    })?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(CsrError::Empty);
    }
    let owned;
    let text = if text.trim_start().starts_with('{') {
        source.from_response_body = true;
        let (value, lenient) = field_from_body(text, response_field)?;
        source.lenient_json = lenient;
        owned = value;
        owned.as_str()
    } else {
        text
    };
    let (body, label) = pem_body(text, &mut source)?;
    source.pem_label = label;
    let der = decode_body(&body)?;
    parse_der(der, source, Some(&body))
}

/// The string value of `field` in a response body, and whether the body was parsed
/// leniently.
fn field_from_body(text: &str, field: &str) -> Result<(String, bool), CsrError> {
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
fn pem_body(text: &str, source: &mut CsrSource) -> Result<(Body, Option<String>), CsrError> {
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
            if super::pem::LabelKind::of(&label) != super::pem::LabelKind::Csr {
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

fn decode_body(body: &Body) -> Result<Vec<u8>, CsrError> {
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

/// Where the schema walk failed.
struct Diag {
    at: usize,
    structure: String,
    what: String,
}

/// The offsets the walk found.
struct Layout {
    cri: Range<usize>,
    version: u64,
    subject: Range<usize>,
    spki: Range<usize>,
    spki_alg_oid: String,
    sig_alg_oid: String,
    sig_alg_params: Option<Range<usize>>,
    signature: Range<usize>,
}

struct Parent<'s> {
    name: &'s str,
    at: usize,
    end: usize,
}

fn take<'a>(r: &mut Reader<'a>, tag: u8, name: &str, parent: &Parent<'_>) -> Result<Tlv<'a>, Diag> {
    let at = r.position();
    if r.is_empty() {
        return Err(Diag {
            at,
            structure: name.to_string(),
            what: format!(
                "it is missing: {} (byte {} to {}) ends here",
                parent.name, parent.at, parent.end
            ),
        });
    }
    let overrun = |declared: usize, available: usize, t: u8| {
        format!(
            "{} (tag 0x{t:02X}) says {declared} bytes follow, but only {available} remain in \
             {} (which starts at byte {} and ends at byte {})",
            der::tag_name(t),
            parent.name,
            parent.at,
            parent.end
        )
    };
    match r.peek_header() {
        Ok((t, hl, len)) if t != tag => {
            let mut what = format!(
                "expected {} (tag 0x{tag:02X}), found tag 0x{t:02X} ({})",
                der::tag_name(tag),
                der::tag_name(t)
            );
            let available = r.remaining().saturating_sub(hl);
            if len > available {
                what.push_str(&format!(
                    "; its length ({len} bytes) also runs past the end of {} ({available} \
                     bytes left)",
                    parent.name
                ));
            }
            Err(Diag {
                at,
                structure: name.to_string(),
                what,
            })
        }
        Ok(_) => r.next().map_err(|e| Diag {
            at,
            structure: name.to_string(),
            what: match e {
                TlvError::Overrun {
                    declared,
                    available,
                    tag,
                    ..
                } => overrun(declared, available, tag),
                other => other.to_string(),
            },
        }),
        Err(e) => Err(Diag {
            at,
            structure: name.to_string(),
            what: e.to_string(),
        }),
    }
}

fn take_any<'a>(r: &mut Reader<'a>, name: &str, parent: &Parent<'_>) -> Result<Tlv<'a>, Diag> {
    let tag = r.peek_tag().unwrap_or(0);
    take(r, tag, name, parent)
}

fn end(r: &Reader<'_>, parent: &Parent<'_>) -> Result<(), Diag> {
    if r.is_empty() {
        Ok(())
    } else {
        Err(Diag {
            at: r.position(),
            structure: parent.name.to_string(),
            what: format!(
                "{} unexpected bytes before its end at byte {}",
                r.remaining(),
                parent.end
            ),
        })
    }
}

fn oid_of(t: &Tlv<'_>, name: &str) -> Result<String, Diag> {
    der::oid_string(t.value).ok_or_else(|| Diag {
        at: t.at,
        structure: name.to_string(),
        what: "invalid OBJECT IDENTIFIER encoding".into(),
    })
}

fn parent_of<'s>(t: &Tlv<'_>, name: &'s str) -> Parent<'s> {
    Parent {
        name,
        at: t.at,
        end: t.end(),
    }
}

/// Walks CertificationRequest's structure; no recursion (the shape is fixed).
fn walk(der: &[u8]) -> Result<Layout, Diag> {
    let whole = Parent {
        name: "the decoded data",
        at: 0,
        end: der.len(),
    };
    let mut top = Reader::new(der, 0);
    let cr = take(&mut top, 0x30, "the CertificationRequest SEQUENCE", &whole)?;
    if !top.is_empty() {
        return Err(Diag {
            at: top.position(),
            structure: "the decoded data".into(),
            what: format!(
                "{} bytes after the end of the CertificationRequest",
                top.remaining()
            ),
        });
    }
    let p_cr = parent_of(&cr, "the CertificationRequest");
    let mut r = cr.reader();
    let cri = take(&mut r, 0x30, "certificationRequestInfo", &p_cr)?;
    let p_cri = parent_of(&cri, "certificationRequestInfo");
    let mut ri = cri.reader();
    let version = take(&mut ri, 0x02, "the version INTEGER", &p_cri)?;
    let version_value = der::uint(version.value).ok_or_else(|| Diag {
        at: version.at,
        structure: "the version INTEGER".into(),
        what: "negative or empty".into(),
    })?;
    let name = take(&mut ri, 0x30, "the subject Name", &p_cri)?;
    let p_name = parent_of(&name, "the subject Name");
    let mut nr = name.reader();
    let mut i = 0;
    while !nr.is_empty() {
        i += 1;
        let rdn_name = format!("subject RDN {i}");
        let rdn = take(&mut nr, 0x31, &format!("{rdn_name} (SET)"), &p_name)?;
        let rdn_label = format!("the SET of {rdn_name}");
        let p_rdn = parent_of(&rdn, &rdn_label);
        let mut rr = rdn.reader();
        while !rr.is_empty() {
            let atv_name = format!("the AttributeTypeAndValue of {rdn_name}");
            let atv = take(&mut rr, 0x30, &atv_name, &p_rdn)?;
            let p_atv = parent_of(&atv, &atv_name);
            let mut ar = atv.reader();
            let t = take(
                &mut ar,
                0x06,
                &format!("the attribute type of {rdn_name}"),
                &p_atv,
            )?;
            oid_of(&t, &format!("the attribute type of {rdn_name}"))?;
            take_any(
                &mut ar,
                &format!("the attribute value of {rdn_name}"),
                &p_atv,
            )?;
            end(&ar, &p_atv)?;
        }
    }
    let spki = take(&mut ri, 0x30, "the subjectPublicKeyInfo", &p_cri)?;
    let p_spki = parent_of(&spki, "the subjectPublicKeyInfo");
    let mut sr = spki.reader();
    let alg = take(&mut sr, 0x30, "the public key AlgorithmIdentifier", &p_spki)?;
    let p_alg = parent_of(&alg, "the public key AlgorithmIdentifier");
    let mut alr = alg.reader();
    let alg_oid = take(&mut alr, 0x06, "the public key algorithm OID", &p_alg)?;
    let spki_alg_oid = oid_of(&alg_oid, "the public key algorithm OID")?;
    take(&mut sr, 0x03, "the subjectPublicKey BIT STRING", &p_spki)?;
    end(&sr, &p_spki)?;
    let attrs = take(&mut ri, 0xA0, "the attributes [0]", &p_cri)?;
    let p_attrs = parent_of(&attrs, "the attributes [0]");
    let mut atr = attrs.reader();
    let mut j = 0;
    while !atr.is_empty() {
        j += 1;
        let an = format!("attribute {j}");
        let a = take(&mut atr, 0x30, &an, &p_attrs)?;
        let p_a = parent_of(&a, &an);
        let mut aar = a.reader();
        let t = take(&mut aar, 0x06, &format!("the type of {an}"), &p_a)?;
        oid_of(&t, &an)?;
        take(&mut aar, 0x31, &format!("the values SET of {an}"), &p_a)?;
        end(&aar, &p_a)?;
    }
    end(&ri, &p_cri)?;
    let sig_alg = take(&mut r, 0x30, "the signatureAlgorithm", &p_cr)?;
    let p_sa = parent_of(&sig_alg, "the signatureAlgorithm");
    let mut sar = sig_alg.reader();
    let sa_oid = take(&mut sar, 0x06, "the signature algorithm OID", &p_sa)?;
    let sig_alg_oid = oid_of(&sa_oid, "the signature algorithm OID")?;
    let sig_alg_params = if sar.is_empty() {
        None
    } else {
        let p = take_any(&mut sar, "the signature algorithm parameters", &p_sa)?;
        Some(p.at..p.end())
    };
    end(&sar, &p_sa)?;
    let sig = take(&mut r, 0x03, "the signature BIT STRING", &p_cr)?;
    match sig.value.first() {
        Some(0) => {}
        _ => {
            return Err(Diag {
                at: sig.at,
                structure: "the signature BIT STRING".into(),
                what: "empty, or its unused-bits octet is not 0".into(),
            });
        }
    }
    end(&r, &p_cr)?;
    Ok(Layout {
        cri: cri.at..cri.end(),
        version: version_value,
        subject: name.at..name.end(),
        spki: spki.at..spki.end(),
        spki_alg_oid,
        sig_alg_oid,
        sig_alg_params,
        signature: sig.value_at() + 1..sig.end(),
    })
}

fn parse_der(der: Vec<u8>, source: CsrSource, body: Option<&Body>) -> Result<Csr, CsrError> {
    // Nesting is bounded before anything recursive (x509-parser) sees the data.
    if let Some(at) = der::too_deep(&der, 0, MAX_DER_DEPTH) {
        return Err(CsrError::Der {
            len: der.len(),
            at,
            structure: "the decoded data".into(),
            what: format!("values nest more than {MAX_DER_DEPTH} levels deep"),
            base64: body.and_then(|b| b.span_for_byte(at)),
            outer_length_consistent: false,
        });
    }
    let layout = walk(&der).map_err(|d| {
        let outer_length_consistent = Reader::new(&der, 0)
            .peek_header()
            .is_ok_and(|(t, hl, len)| t == 0x30 && hl + len == der.len());
        CsrError::Der {
            len: der.len(),
            at: d.at,
            structure: d.structure,
            what: d.what,
            base64: body.and_then(|b| b.span_for_byte(d.at)),
            outer_length_consistent,
        }
    })?;
    let (subject, attributes, requested_sans) = {
        use x509_parser::prelude::FromDer;
        let (_, req) = x509_parser::certification_request::X509CertificationRequest::from_der(&der)
            .map_err(|e| CsrError::Rejected {
                what: e.to_string(),
            })?;
        let info = &req.certification_request_info;
        let mut attributes = Vec::new();
        for a in info.iter_attributes() {
            let oid = a.oid.to_id_string();
            let (name, summary) = match oid.as_str() {
                OID_EXTENSION_REQUEST => (Some("extensionRequest"), String::new()),
                OID_CHALLENGE_PASSWORD => (
                    Some("challengePassword"),
                    "present (value not shown)".to_string(),
                ),
                "1.2.840.113549.1.9.2" => (Some("unstructuredName"), String::new()),
                _ => (None, format!("{} bytes", a.value.len())),
            };
            attributes.push(CsrAttribute { oid, name, summary });
        }
        let mut sans = Vec::new();
        let mut ext_names = Vec::new();
        if let Some(exts) = req.requested_extensions() {
            use x509_parser::extensions::{GeneralName, ParsedExtension};
            for e in exts {
                match e {
                    ParsedExtension::SubjectAlternativeName(san) => {
                        ext_names.push("subjectAltName");
                        for n in &san.general_names {
                            match n {
                                GeneralName::DNSName(d) => sans.push(format!("DNS:{d}")),
                                GeneralName::IPAddress(ip) => sans.push(format!(
                                    "IP:{}",
                                    ip.iter()
                                        .map(|b| b.to_string())
                                        .collect::<Vec<_>>()
                                        .join(".")
                                )),
                                other => sans.push(format!("{other}")),
                            }
                        }
                    }
                    ParsedExtension::KeyUsage(_) => ext_names.push("keyUsage"),
                    ParsedExtension::ExtendedKeyUsage(_) => ext_names.push("extendedKeyUsage"),
                    ParsedExtension::BasicConstraints(_) => ext_names.push("basicConstraints"),
                    _ => ext_names.push("other"),
                }
            }
        }
        for a in attributes.iter_mut() {
            if a.oid == OID_EXTENSION_REQUEST {
                a.summary = format!("requested extensions: {}", ext_names.join(", "));
            }
        }
        (info.subject.to_string(), attributes, sans)
    };
    let signature = der.get(layout.signature.clone()).unwrap_or(&[]).to_vec();
    let signature_algorithm_params = layout
        .sig_alg_params
        .as_ref()
        .and_then(|r| der.get(r.clone()))
        .map(<[u8]>::to_vec);
    Ok(Csr {
        source,
        version: layout.version,
        subject,
        subject_range: layout.subject,
        spki_range: layout.spki,
        public_key_algorithm_oid: layout.spki_alg_oid,
        signature_algorithm_oid: layout.sig_alg_oid,
        signature_algorithm_params,
        signed_range: layout.cri,
        signature,
        attributes,
        requested_sans,
        der,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &[u8] = corpus_bytes!("esri/materials", "esri-generatecsr-example.json");

    fn ok(input: &[u8]) -> Csr {
        match parse_csr(input) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        }
    }

    fn verify_rsa_sha(csr: &Csr) -> bool {
        use rsa::pkcs8::DecodePublicKey;
        use rsa::signature::Verifier;
        let Ok(key) = rsa::RsaPublicKey::from_public_key_der(csr.spki_der()) else {
            return false;
        };
        let Ok(sig) = rsa::pkcs1v15::Signature::try_from(csr.signature.as_slice()) else {
            return false;
        };
        match csr.signature_algorithm_oid.as_str() {
            "1.2.840.113549.1.1.11" => rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key)
                .verify(csr.signed_bytes(), &sig)
                .is_ok(),
            "1.2.840.113549.1.1.5" => rsa::pkcs1v15::VerifyingKey::<sha1::Sha1>::new(key)
                .verify(csr.signed_bytes(), &sig)
                .is_ok(),
            _ => false,
        }
    }

    #[test]
    fn good_rsa_csr_pem_and_der() {
        let c = ok(corpus_bytes!("esri/materials", "csr-rsa.pem"));
        assert_eq!(c.source.pem_label.as_deref(), Some("CERTIFICATE REQUEST"));
        assert_eq!(c.subject, "O=certgate test, CN=portal.example.com");
        assert_eq!(c.public_key_algorithm_oid, "1.2.840.113549.1.1.1");
        assert_eq!(c.signature_algorithm_oid, "1.2.840.113549.1.1.11");
        assert_eq!(c.requested_sans, ["DNS:portal.example.com"]);
        assert_eq!(c.attributes.len(), 1);
        assert_eq!(c.attributes[0].name, Some("extensionRequest"));
        assert!(c.spki_der().starts_with(&[0x30, 0x82]));
        assert!(verify_rsa_sha(&c), "the exposed parts verify");
        let d = ok(corpus_bytes!("esri/materials", "csr-rsa.der"));
        assert!(d.source.der);
        assert_eq!(d.der, c.der);
    }

    #[test]
    fn good_ec_csr() {
        use p256::ecdsa::signature::Verifier;
        use p256::pkcs8::DecodePublicKey;
        let c = ok(corpus_bytes!("esri/materials", "csr-ec.pem"));
        assert_eq!(c.public_key_algorithm_oid, "1.2.840.10045.2.1");
        assert_eq!(c.signature_algorithm_oid, "1.2.840.10045.4.3.2");
        assert_eq!(c.signature_algorithm_params, None);
        let key = p256::ecdsa::VerifyingKey::from_public_key_der(c.spki_der()).expect("spki");
        let sig = p256::ecdsa::Signature::from_der(&c.signature).expect("sig");
        assert!(key.verify(c.signed_bytes(), &sig).is_ok());
    }

    #[test]
    fn tampered_csr_parses_but_does_not_verify() {
        let c = ok(corpus_bytes!("esri/materials", "csr-tampered.pem"));
        assert!(c.subject.contains("portam.example.com"));
        assert!(!verify_rsa_sha(&c));
    }

    #[test]
    fn weak_csr_parses() {
        let c = ok(corpus_bytes!("esri/materials", "csr-weak-rsa1024-sha1.pem"));
        assert_eq!(c.signature_algorithm_oid, "1.2.840.113549.1.1.5");
        assert_eq!(c.signature.len(), 128);
        assert!(verify_rsa_sha(&c));
    }

    /// The seed's example exactly as published: a body with raw line breaks inside the
    /// JSON string (so not strict JSON), literal `\r\n` escapes and indented lines.
    #[test]
    fn seed_example_body_gets_a_precise_finding() {
        let e = parse_csr(SEED).expect_err("the published example is damaged");
        let CsrError::Der {
            len,
            at,
            structure,
            what,
            base64,
            outer_length_consistent,
        } = &e
        else {
            panic!("{e}")
        };
        assert_eq!(*len, 380);
        assert_eq!(*at, 14);
        assert_eq!(structure, "the AttributeTypeAndValue of subject RDN 1");
        assert!(what.contains("found tag 0xF0"), "{what}");
        assert!(
            what.contains("28 bytes") && what.contains("27 bytes left"),
            "{what}"
        );
        let b = base64.as_ref().expect("span");
        assert_eq!((b.first, b.last, b.line, b.column), (19, 20, 1, 19));
        assert_eq!(b.group, "MR3w");
        assert!(outer_length_consistent);
        let msg = e.to_string();
        assert!(msg.contains("damaged at byte 14"), "{msg}");
        assert!(msg.contains("not truncated"), "{msg}");
    }

    /// The same value in each form a user may paste: JSON-decoded (real CR LF, then the
    /// raw line break and a space), not decoded (literal backslash escapes), strict JSON.
    #[test]
    fn seed_value_in_every_form_gives_the_same_finding() {
        let text = std::str::from_utf8(SEED).expect("utf8");
        let start = text.find("\"-----BEGIN").expect("start") + 1;
        let stop = text.rfind("\"\n}").expect("stop");
        let literal = &text[start..stop];
        assert!(literal.contains("\\r\\n\n "));
        let decoded = literal.replace("\\r\\n", "\r\n");
        let strict = format!(
            "{{\"certificateSigningRequest\": {}}}",
            serde_json::to_string(&decoded).expect("json")
        );
        let expected = parse_csr(SEED).expect_err("damaged");
        for input in [literal.to_string(), decoded, strict] {
            let e = parse_csr(input.as_bytes()).expect_err("damaged");
            assert_eq!(e, expected, "{input:?}");
        }
    }

    /// The damage is exactly five base64 characters replaced by the digits 1-5 (body
    /// positions 9, 16, 19, 38, 46). Restoring them gives a CSR whose signature verifies:
    /// everything else in the example is intact.
    #[test]
    fn seed_repaired_verifies() {
        let text = std::str::from_utf8(SEED).expect("utf8");
        let repaired = text
            .replacen("MIIBeDCB1gIBADA2MR3w", "MIIBeDCB4gIBADA5MR4w", 1)
            .replacen("ZWxmU4lnbmVkQ5Vy", "ZWxmU2lnbmVkQ2Vy", 1);
        let c = ok(repaired.as_bytes());
        assert!(c.source.from_response_body && c.source.lenient_json);
        // the \r\n escapes were JSON escapes of the body, decoded with it
        assert!(!c.source.literal_escapes && c.source.indented_lines);
        let start = repaired.find("-----BEGIN").expect("begin");
        let stop = repaired.rfind("\"\n}").expect("end");
        let value = ok(&repaired.as_bytes()[start..stop]);
        assert!(value.source.literal_escapes && !value.source.from_response_body);
        assert_eq!(value.der, c.der);
        assert_eq!(
            c.source.pem_label.as_deref(),
            Some("NEW CERTIFICATE REQUEST")
        );
        assert_eq!(c.subject, "O=SelfSignedCertificate, CN=GRID2.ESRI.COM");
        assert_eq!(c.signature_algorithm_oid, "1.2.840.113549.1.1.5");
        assert_eq!(c.signed_range, 4..233);
        assert!(verify_rsa_sha(&c));
    }

    #[test]
    fn text_errors_are_located() {
        let pem = std::str::from_utf8(corpus_bytes!("esri/materials", "csr-ec.pem")).expect("utf8");
        // an invalid character on line 2
        let mut lines: Vec<String> = pem.lines().map(str::to_string).collect();
        lines[2].replace_range(5..6, "*");
        let e = parse_csr(lines.join("\n").as_bytes()).expect_err("bad char");
        match &e {
            CsrError::Base64 {
                line,
                column,
                index,
                ..
            } => {
                assert_eq!((*line, *column, *index), (2, 6, 64 + 6));
            }
            other => panic!("{other:?}"),
        }
        // truncated: END line missing
        let cut = &pem[..pem.len() - 40];
        assert!(matches!(
            parse_csr(cut.as_bytes()),
            Err(CsrError::MissingEnd { .. })
        ));
        // wrong label
        let cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        assert!(matches!(
            parse_csr(cert.as_bytes()),
            Err(CsrError::WrongLabel { .. })
        ));
        // one character lost: length not a multiple of 4
        let mut l2 = lines.clone();
        l2[1].remove(10);
        assert!(matches!(
            parse_csr(l2.join("\n").as_bytes()),
            Err(CsrError::Base64 { .. })
        ));
        // bare base64 without armour
        let clean: Vec<&str> = pem.lines().collect();
        let bare: String = clean[1..clean.len() - 1].concat();
        assert!(ok(bare.as_bytes()).source.bare_base64);
        // an API error body
        let err = br#"{"status":"error","messages":["Certificate not found."],"code":404}"#;
        match parse_csr(err) {
            Err(CsrError::ResponseBody { what }) => assert!(what.contains("not found")),
            other => panic!("{other:?}"),
        }
        assert_eq!(parse_csr(b"   "), Err(CsrError::Empty));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        #[test]
        fn parse_csr_never_panics(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600), text in ".{0,300}") {
            let _ = parse_csr(&data);
            let _ = parse_csr(text.as_bytes());
            let _ = parse_csr(format!("-----BEGIN CERTIFICATE REQUEST-----\\r\\n{text}").as_bytes());
            let _ = parse_csr(format!("{{\"certificateSigningRequest\": \"{text}").as_bytes());
        }
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        let der = ok(corpus_bytes!("esri/materials", "csr-rsa.pem")).der;
        for n in 0..der.len() {
            let _ = parse_csr(&der[..n]);
        }
        for i in 0..der.len() {
            let mut d = der.clone();
            d[i] ^= 0x5A;
            let _ = parse_csr(&d);
        }
        let deep = crate::input::pkcs12::nested_sequences(50_000);
        assert!(parse_csr(&deep).is_err());
        for junk in [
            &b"{"[..],
            b"{\"certificateSigningRequest\": \"",
            b"-----BEGIN ",
            b"\\",
            b"\xff\xfe",
        ] {
            assert!(parse_csr(junk).is_err());
        }
    }
}
