//! Tolerant PEM splitter.
//!
//! API bodies carry PEM in odd shapes: one-line PEM (`-----BEGIN CERTIFICATE-----MIIC...
//! -----END CERTIFICATE-----`), CRLF, indented lines, literal `\n` / `\r\n` escapes left by
//! JSON tooling, quotes around the whole thing, several blocks in one string, RFC 1421
//! headers. [`scan`] accepts all of these, splits the text into blocks itself (so that a
//! broken block is reported on its own, with its number, label and offset, and the other
//! blocks still parse) and decodes each body with the `pem` crate.
//!
//! Nothing here panics, prints or reads files, and the work is linear in the input size
//! (callers bound it: a field is parsed only up to `submission::MAX_PEM_FIELD_BYTES`)
//! and stops after [`MAX_BLOCKS`] blocks.
//!
//! Secrets: a block's decoded bytes ([`PemBlock::der`]) are zeroized on drop and never shown
//! by `Debug`. Messages never quote a block body, except when the body is clearly not base64
//! but placeholder words (`THIS IS YOUR PRIVATE KEY`). Text outside the blocks may be quoted
//! (short excerpt, control characters escaped), unless it looks like base64.

use std::fmt;
use std::ops::Range;

use zeroize::Zeroizing;

pub use crate::input::limits::{MAX_BLOCKS, MAX_HEADERS, MAX_LABEL_LEN, MAX_STRAY};
/// Length (in characters) of the excerpts quoted in [`StrayText`] and placeholder messages.
pub const EXCERPT_CHARS: usize = 40;

/// What a PEM label says a block holds. The one classifier of labels: every module that
/// routes blocks by label asks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelKind {
    /// `CERTIFICATE`, `X509 CERTIFICATE`, `TRUSTED CERTIFICATE`.
    Certificate,
    /// `PRIVATE KEY` (PKCS#8), `RSA PRIVATE KEY`, `EC PRIVATE KEY`, `SM2 PRIVATE KEY`.
    PrivateKey,
    /// `ENCRYPTED PRIVATE KEY` (PKCS#8 EncryptedPrivateKeyInfo).
    EncryptedKey,
    /// `PUBLIC KEY`, `RSA PUBLIC KEY`.
    PublicKey,
    /// `CERTIFICATE REQUEST`, `NEW CERTIFICATE REQUEST`.
    Csr,
    /// Anything else (SSH, DSA and PGP keys, CRLs, PKCS#7, parameters...).
    Other,
}

impl LabelKind {
    /// Classifies a label (exact, as written between `BEGIN ` and the dashes).
    pub fn of(label: &str) -> LabelKind {
        match label {
            "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => LabelKind::Certificate,
            "PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY" | "SM2 PRIVATE KEY" => {
                LabelKind::PrivateKey
            }
            "ENCRYPTED PRIVATE KEY" => LabelKind::EncryptedKey,
            "PUBLIC KEY" | "RSA PUBLIC KEY" => LabelKind::PublicKey,
            "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => LabelKind::Csr,
            _ => LabelKind::Other,
        }
    }

    /// A private key, in clear or encrypted.
    pub fn is_private_key(self) -> bool {
        matches!(self, LabelKind::PrivateKey | LabelKind::EncryptedKey)
    }
}

const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"-----END ";
const DASHES: &[u8] = b"-----";

/// The result of [`scan`]: the blocks that decoded, and everything that is wrong or odd.
#[derive(Debug, Default)]
pub struct PemScan {
    /// Blocks whose framing and base64 are valid, in text order.
    pub blocks: Vec<PemBlock>,
    /// Problems that make (part of) the text unusable (rule `pem-malformed`).
    pub issues: Vec<PemIssue>,
    /// Text outside the blocks (rule `pem-stray-text`, warning level).
    pub stray: Vec<StrayText>,
    /// Literal escapes (`\n`, `\r`, `\t`, `\/`, typed as two characters) were turned into the
    /// characters they stand for before scanning.
    pub unescaped: bool,
    /// How many such escapes were turned into characters.
    pub escapes: usize,
}

impl PemScan {
    /// True when no block is broken and no text surrounds the blocks.
    #[cfg_attr(not(feature = "harness"), allow(dead_code))] // read by the fuzz harness
    pub fn is_clean(&self) -> bool {
        self.issues.is_empty() && self.stray.is_empty() && !self.blocks.is_empty()
    }

    /// The blocks with this label (exact match), in text order.
    #[cfg(test)] // only the unit tests read it
    pub fn blocks_labelled<'a>(&'a self, label: &'a str) -> impl Iterator<Item = &'a PemBlock> {
        self.blocks.iter().filter(move |b| b.label == label)
    }
}

/// One decoded PEM block.
pub struct PemBlock {
    /// Ordinal (0-based) of this block's `-----BEGIN` line among all `-----BEGIN` lines of the
    /// text, broken blocks included, so that "block N" in messages (N = index + 1) is what the
    /// user counts in their text.
    pub index: usize,
    /// The label, e.g. `CERTIFICATE`, `PRIVATE KEY`.
    pub label: String,
    /// RFC 1421 headers in order (`Proc-Type`, `DEK-Info`), names and values trimmed.
    pub headers: Vec<(String, String)>,
    /// The decoded body. Zeroized on drop; never shown by `Debug`.
    pub der: Zeroizing<Vec<u8>>,
    /// Byte range of the block (from `-----BEGIN` to the end of the END line) in the text
    /// given to [`scan`] (before any unescaping).
    pub span: Range<usize>,
    /// The block had no line break in it (one-line PEM, as in the Huawei examples).
    pub one_line: bool,
}

impl PemBlock {
    /// Value of the first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The block carries `Proc-Type: 4,ENCRYPTED` (legacy OpenSSL key encryption).
    pub fn is_legacy_encrypted(&self) -> bool {
        self.header("Proc-Type")
            .is_some_and(|v| v.to_ascii_uppercase().contains("ENCRYPTED"))
    }
}

impl fmt::Debug for PemBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PemBlock")
            .field("index", &self.index)
            .field("label", &self.label)
            .field("headers", &self.headers)
            .field("der", &format_args!("<{} bytes redacted>", self.der.len()))
            .field("span", &self.span)
            .field("one_line", &self.one_line)
            .finish()
    }
}

/// What a text without any `-----BEGIN` line looks like, to help the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoBlockHint {
    /// The text is empty.
    Empty,
    /// The text is only whitespace.
    Whitespace,
    /// Bare base64 without BEGIN/END lines; `der_sequence` when it starts with `MII`/`MI`
    /// (the base64 of a DER SEQUENCE: a certificate or key).
    Base64 { der_sequence: bool },
    /// Looks like binary (DER or PKCS#12) data read as text.
    Binary,
    /// Looks like a file path or file name instead of the file's content.
    FilePath,
    /// Looks like JSON.
    Json,
    /// `BEGIN` appears, but not as `-----BEGIN <LABEL>-----`.
    BrokenMarker,
    /// Nothing recognisable.
    Other,
}

/// The character class that made a body invalid base64. Never carries body content, only
/// characters that are not in the base64 alphabet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BadChar {
    /// A space or tab inside a line (not a line break).
    Space,
    /// An ASCII control character.
    Control(char),
    /// A non-ASCII character (smart quotes, non-breaking space, ...).
    NonAscii(char),
    /// An ASCII symbol outside the base64 alphabet (`.`, `-`, `<`, `"`, ...).
    Symbol(char),
    /// `=` padding followed by more base64 characters, or more than two `=`.
    MisplacedPadding,
    /// The number of base64 characters is not a multiple of 4 (truncated or extra data).
    BadLength { chars: usize },
    /// The last character carries non-zero padding bits (edited or truncated body).
    BadFinalBits,
}

impl fmt::Display for BadChar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadChar::Space => f.write_str("spaces"),
            BadChar::Control(c) => write!(f, "a control character (U+{:04X})", u32::from(*c)),
            BadChar::NonAscii(c) => {
                write!(f, "a non-ASCII character (U+{:04X} '{}')", u32::from(*c), c)
            }
            BadChar::Symbol(c) => write!(f, "the character '{c}'"),
            BadChar::MisplacedPadding => f.write_str("'=' padding before the end of the data"),
            BadChar::BadLength { chars } => write!(
                f,
                "{chars} base64 characters, which is not a multiple of 4 (the body is truncated or has extra characters)"
            ),
            BadChar::BadFinalBits => f.write_str(
                "a last character with non-zero padding bits (the body was edited or truncated)",
            ),
        }
    }
}

/// A problem that makes (part of) the text unusable. Offsets (`at`) are byte offsets in the
/// text given to [`scan`]; `index` is the 0-based ordinal of the block's `-----BEGIN` line
/// (messages say "block index+1").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PemIssue {
    /// There is no `-----BEGIN` line at all.
    NoBlock { hint: NoBlockHint },
    /// More than [`MAX_BLOCKS`] BEGIN lines; scanning stopped.
    TooManyBlocks { limit: usize },
    /// The BEGIN line is not `-----BEGIN <LABEL>-----` on one line.
    MalformedBegin {
        index: usize,
        at: usize,
        reason: &'static str,
    },
    /// A BEGIN line without END line (before the end of the text or the next BEGIN line).
    MissingEnd {
        index: usize,
        label: String,
        at: usize,
        /// Another BEGIN line follows before any END line.
        next_begin: bool,
    },
    /// The END line is not closed by five dashes.
    MalformedEnd {
        index: usize,
        label: String,
        at: usize,
    },
    /// An END line with no BEGIN line before it.
    MissingBegin { label: String, at: usize },
    /// BEGIN and END labels differ.
    LabelMismatch {
        index: usize,
        begin: String,
        end: String,
        at: usize,
    },
    /// Nothing between the BEGIN and END lines.
    Empty {
        index: usize,
        label: String,
        at: usize,
    },
    /// The body is not valid base64.
    BadBase64 {
        index: usize,
        label: String,
        /// Byte offset of the first bad character from the start of the body (the first
        /// byte after the BEGIN line's closing dashes), in the unescaped text.
        offset_in_body: usize,
        /// Byte offset of that character in the text given to [`scan`].
        at: usize,
        found: BadChar,
        /// The body looks like placeholder words, not data.
        placeholder: bool,
        /// Set only when `placeholder`: the start of the body, quoted for the user.
        excerpt: Option<String>,
    },
}

impl PemIssue {
    /// A precise human message: what is wrong and where. Same as `Display`.
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// Whether this is certgate's own cap on the scan, not a fault of the text: what lies
    /// past it was not read, so it is "not checked", never a finding.
    pub fn is_cap(&self) -> bool {
        matches!(self, PemIssue::TooManyBlocks { .. })
    }
}

fn what_it_should_be(label: &str) -> &'static str {
    if label.contains("KEY") {
        "a key"
    } else if label.contains("REQUEST") {
        "a certificate request"
    } else if label.contains("CERTIFICATE") {
        "a certificate"
    } else {
        "real data"
    }
}

impl fmt::Display for PemIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PemIssue::NoBlock { hint } => {
                f.write_str("no PEM block found: there is no \"-----BEGIN <LABEL>-----\" line")?;
                match hint {
                    NoBlockHint::Empty => f.write_str(" (the text is empty)"),
                    NoBlockHint::Whitespace => f.write_str(" (the text is only whitespace)"),
                    NoBlockHint::Base64 { der_sequence: true } => f.write_str(
                        "; the text looks like bare base64 of DER data (a certificate or key) without its \
                         -----BEGIN/-----END lines: add them, e.g. \"-----BEGIN CERTIFICATE-----\" before and \
                         \"-----END CERTIFICATE-----\" after",
                    ),
                    NoBlockHint::Base64 { der_sequence: false } => f.write_str(
                        "; the text looks like bare base64 without -----BEGIN/-----END lines",
                    ),
                    NoBlockHint::Binary => f.write_str(
                        "; the text looks like binary data (DER or PKCS#12), not PEM text: convert it with \
                         openssl (e.g. `openssl x509 -inform DER -outform PEM`)",
                    ),
                    NoBlockHint::FilePath => f.write_str(
                        "; the text looks like a file name or path: put the file's content here, not its name",
                    ),
                    NoBlockHint::Json => f.write_str("; the text looks like JSON, not PEM"),
                    NoBlockHint::BrokenMarker => f.write_str(
                        "; \"BEGIN\" appears, but not as \"-----BEGIN <LABEL>-----\" (five dashes on each side)",
                    ),
                    NoBlockHint::Other => Ok(()),
                }
            }
            PemIssue::TooManyBlocks { limit } => write!(
                f,
                "more than {limit} PEM blocks; the blocks after block {limit} were not read"
            ),
            PemIssue::MalformedBegin { index, at, reason } => write!(
                f,
                "block {} (at offset {at}): the BEGIN line is malformed: {reason}",
                index.saturating_add(1)
            ),
            PemIssue::MissingEnd {
                index,
                label,
                at,
                next_begin,
            } => {
                write!(
                    f,
                    "block {} ({label}): \"-----BEGIN {label}-----\" at offset {at} has no matching \
                     \"-----END {label}-----\" line",
                    index.saturating_add(1)
                )?;
                if *next_begin {
                    f.write_str(" before the next BEGIN line")
                } else {
                    f.write_str(" (the PEM is truncated or its END line is damaged)")
                }
            }
            PemIssue::MalformedEnd { index, label, at } => write!(
                f,
                "block {} ({label}): the END line at offset {at} is not closed by five dashes \
                 (expected \"-----END {label}-----\")",
                index.saturating_add(1)
            ),
            PemIssue::MissingBegin { label, at } => write!(
                f,
                "\"-----END {label}-----\" at offset {at} has no BEGIN line before it (the start of \
                 the PEM is missing)"
            ),
            PemIssue::LabelMismatch {
                index,
                begin,
                end,
                at,
            } => write!(
                f,
                "block {} (at offset {at}): BEGIN and END labels differ: \"-----BEGIN {begin}-----\" \
                 is closed by \"-----END {end}-----\"",
                index.saturating_add(1)
            ),
            PemIssue::Empty { index, label, at } => write!(
                f,
                "block {} ({label}, at offset {at}): there is nothing between the BEGIN and END lines",
                index.saturating_add(1)
            ),
            PemIssue::BadBase64 {
                index,
                label,
                offset_in_body,
                found,
                placeholder,
                excerpt,
                ..
            } => {
                write!(
                    f,
                    "block {} ({label}): the body is not base64: it contains {found} (at offset \
                     {offset_in_body} of the body)",
                    index.saturating_add(1)
                )?;
                if *placeholder {
                    match excerpt {
                        Some(e) => write!(
                            f,
                            "; it looks like placeholder text (\"{e}\"), not {}",
                            what_it_should_be(label)
                        ),
                        None => write!(
                            f,
                            "; it looks like placeholder text, not {}",
                            what_it_should_be(label)
                        ),
                    }
                } else {
                    Ok(())
                }
            }
        }
    }
}

/// What a piece of text outside the blocks is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrayKind {
    /// Only quote characters (`'`, `"`, `` ` ``, possibly backslash-escaped), as in the
    /// `'-----BEGIN ...-----'` examples of the Huawei APIC documentation.
    Quotes,
    /// Literal escapes (`\n`, `\r\n`, ...) left by JSON tooling; they were turned into line
    /// breaks ([`PemScan::unescaped`]). The span is that of the first escape.
    JsonEscapes,
    /// Something that looks like base64 outside any block (not quoted in the excerpt).
    Base64Like,
    /// Any other text.
    Other,
}

/// Text found outside the PEM blocks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StrayText {
    /// Byte range in the text given to [`scan`] (surrounding whitespace excluded).
    pub span: Range<usize>,
    pub kind: StrayKind,
    /// At most [`EXCERPT_CHARS`] characters, control characters escaped; empty for
    /// [`StrayKind::Base64Like`].
    pub excerpt: String,
}

impl StrayText {
    /// A human message: what the text is and where. Same as `Display`.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for StrayText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.span.start;
        let len = self.span.end.saturating_sub(self.span.start);
        match self.kind {
            StrayKind::Quotes => write!(
                f,
                "quote characters around the PEM (\"{}\" at offset {at}): the value must be the PEM \
                 text itself, without quotes",
                self.excerpt
            ),
            StrayKind::JsonEscapes => write!(
                f,
                "literal escape sequences such as \"{}\" (first at offset {at}) instead of line \
                 breaks: the PEM was escaped twice by JSON tooling; they were read as line breaks",
                self.excerpt
            ),
            StrayKind::Base64Like => write!(
                f,
                "{len} bytes of base64-like text outside any BEGIN/END block at offset {at} \
                 (ignored; not quoted here)"
            ),
            StrayKind::Other => write!(
                f,
                "text outside the PEM blocks at offset {at} (ignored): \"{}\"",
                self.excerpt
            ),
        }
    }
}

/// Byte offset to (line, column), both 1-based, column counted in characters. For renderers.
#[cfg(test)] // only the unit tests read it
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut line = 1usize;
    let mut col = 1usize;
    for (i, c) in text.char_indices() {
        if i >= offset {
            break;
        }
        if c == '\n' {
            line = line.saturating_add(1);
            col = 1;
        } else {
            col = col.saturating_add(1);
        }
    }
    (line, col)
}

mod body;
mod scan;
mod unescape;

use body::*;
pub use scan::scan;
use scan::*;
use unescape::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_kinds() {
        assert_eq!(LabelKind::of("SM2 PRIVATE KEY"), LabelKind::PrivateKey);
        assert!(LabelKind::of("SM2 PRIVATE KEY").is_private_key());
        assert!(LabelKind::of("ENCRYPTED PRIVATE KEY").is_private_key());
        assert_eq!(LabelKind::of("TRUSTED CERTIFICATE"), LabelKind::Certificate);
        assert_eq!(LabelKind::of("NEW CERTIFICATE REQUEST"), LabelKind::Csr);
        assert_eq!(LabelKind::of("RSA PUBLIC KEY"), LabelKind::PublicKey);
        for other in [
            "OPENSSH PRIVATE KEY",
            "DSA PRIVATE KEY",
            "X509 CRL",
            "private key",
        ] {
            assert_eq!(LabelKind::of(other), LabelKind::Other, "{other}");
        }
    }

    // A small, valid PEM (the DER is a 6-byte SEQUENCE, not a real certificate).
    const SMALL: &str = "-----BEGIN CERTIFICATE-----\nMAQCAgEA\n-----END CERTIFICATE-----\n";

    fn only_block(s: &PemScan) -> &PemBlock {
        assert_eq!(s.blocks.len(), 1, "{s:?}");
        &s.blocks[0]
    }

    #[test]
    fn normal_multiline() {
        let s = scan(SMALL);
        assert!(s.is_clean(), "{s:?}");
        let b = only_block(&s);
        assert_eq!(b.label, "CERTIFICATE");
        assert_eq!(&b.der[..], &[0x30, 4, 2, 2, 1, 0]);
        assert_eq!(b.span, 0..SMALL.trim_end().len());
        assert!(!b.one_line);
        assert!(!s.unescaped);
    }

    #[test]
    fn one_line_seed_002_shape() {
        // The one-line certificate of the Huawei ELB documentation example (seed 002).
        let seed = include_str!("testdata/keys/seed002.crt.txt");
        let s = scan(seed);
        assert!(s.is_clean(), "{s:?}");
        assert!(only_block(&s).one_line);
        assert_eq!(only_block(&s).span, 0..seed.trim_end().len());
        let one = "-----BEGIN CERTIFICATE-----MAQCAgEA-----END CERTIFICATE-----";
        let s = scan(one);
        assert!(s.is_clean(), "{s:?}");
        assert!(only_block(&s).one_line);
    }

    #[test]
    fn crlf_indentation_blank_lines() {
        let t = "\r\n  -----BEGIN CERTIFICATE-----\r\n    MAQC\r\n\r\n    AgEA\r\n  -----END CERTIFICATE-----\r\n";
        let s = scan(t);
        assert!(s.is_clean(), "{s:?}");
        assert_eq!(&only_block(&s).der[..], &[0x30, 4, 2, 2, 1, 0]);
        let lone_cr = "-----BEGIN CERTIFICATE-----\rMAQCAgEA\r-----END CERTIFICATE-----";
        assert!(scan(lone_cr).is_clean());
    }

    #[test]
    fn literal_escapes_are_unescaped_and_spans_map_back() {
        let t =
            "-----BEGIN CERTIFICATE-----\\r\\nMAQC\\r\\nAgEA\\r\\n-----END CERTIFICATE-----\\r\\n";
        let s = scan(t);
        assert!(s.issues.is_empty(), "{s:?}");
        assert!(s.unescaped);
        assert_eq!(s.escapes, 8);
        let b = only_block(&s);
        assert_eq!(&b.der[..], &[0x30, 4, 2, 2, 1, 0]);
        assert_eq!(b.span, 0..t.len() - 4);
        assert_eq!(s.stray.len(), 1);
        assert_eq!(s.stray[0].kind, StrayKind::JsonEscapes);
        assert_eq!(s.stray[0].span, 27..29);
        assert_eq!(s.stray[0].excerpt, "\\r\\n");
        // Double escaping and escaped slashes.
        let t2 = "-----BEGIN CERTIFICATE-----\\\\nMAQC\\/gEA\\\\n-----END CERTIFICATE-----";
        let s2 = scan(t2);
        assert!(s2.issues.is_empty(), "{s2:?}");
        assert_eq!(&only_block(&s2).der[..], &[0x30, 4, 2, 0xfe, 1, 0]);
    }

    #[test]
    fn seed_004_escapes_plus_newlines_and_spaces() {
        // The Esri CSR example: literal \r\n, then a real line break and a leading space.
        let t = include_str!("testdata/keys/seed004.csr.txt");
        let s = scan(t);
        assert!(s.issues.is_empty(), "{s:?}");
        let b = only_block(&s);
        assert_eq!(b.label, "NEW CERTIFICATE REQUEST");
        assert_eq!(b.der.first(), Some(&0x30));
        assert!(s.unescaped);
        assert!(
            s.stray.iter().all(|x| x.kind == StrayKind::JsonEscapes),
            "{s:?}"
        );
    }

    #[test]
    fn quotes_are_stray_and_block_parses() {
        let t = "'-----BEGIN CERTIFICATE-----MAQCAgEA-----END CERTIFICATE-----'";
        let s = scan(t);
        assert!(s.issues.is_empty(), "{s:?}");
        assert_eq!(only_block(&s).span, 1..t.len() - 1);
        assert_eq!(s.stray.len(), 2);
        assert!(s.stray.iter().all(|x| x.kind == StrayKind::Quotes));
        assert_eq!(s.stray[0].span, 0..1);
        assert!(s.stray[0].message().contains("quote"));
    }

    #[test]
    fn seed_003_placeholder() {
        let t = "'-----BEGIN PRIVATE KEY-----THIS IS YOUR PRIVATE KEY-----END PRIVATE KEY-----'";
        let s = scan(t);
        assert!(s.blocks.is_empty());
        assert_eq!(s.issues.len(), 1, "{s:?}");
        let msg = s.issues[0].message();
        match &s.issues[0] {
            PemIssue::BadBase64 {
                index: 0,
                label,
                offset_in_body: 4,
                at: 32,
                found: BadChar::Space,
                placeholder: true,
                excerpt: Some(e),
            } => {
                assert_eq!(label, "PRIVATE KEY");
                assert_eq!(e, "THIS IS YOUR PRIVATE KEY");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            msg,
            "block 1 (PRIVATE KEY): the body is not base64: it contains spaces (at offset 4 of the body); \
             it looks like placeholder text (\"THIS IS YOUR PRIVATE KEY\"), not a key"
        );
        assert!(s.stray.iter().all(|x| x.kind == StrayKind::Quotes));
        let c = scan("-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----");
        assert!(matches!(
            &c.issues[..],
            [PemIssue::BadBase64 {
                found: BadChar::Symbol('.'),
                placeholder: true,
                ..
            }]
        ));
        assert!(c.issues[0].message().ends_with("not a certificate"));
    }

    #[test]
    fn bad_base64_never_echoes_body() {
        let t = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nMIIEvQ!BADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
        let s = scan(t);
        let msg = s.issues[0].message();
        assert!(!msg.contains("MIIE"), "{msg}");
        assert!(matches!(
            &s.issues[..],
            [PemIssue::BadBase64 {
                found: BadChar::Symbol('!'),
                offset_in_body: 40,
                placeholder: false,
                excerpt: None,
                ..
            }]
        ));
        assert_eq!(&t[s.issues[0].clone().at_for_test()..][..1], "!");
    }

    impl PemIssue {
        fn at_for_test(self) -> usize {
            match self {
                PemIssue::BadBase64 { at, .. } => at,
                _ => usize::MAX,
            }
        }
    }

    #[test]
    fn bad_length_and_padding() {
        let s = scan("-----BEGIN CERTIFICATE-----\nMAQCAgE\n-----END CERTIFICATE-----");
        assert!(matches!(
            &s.issues[..],
            [PemIssue::BadBase64 {
                found: BadChar::BadLength { chars: 7 },
                ..
            }]
        ));
        let s = scan("-----BEGIN CERTIFICATE-----\nMA==CAgE\n-----END CERTIFICATE-----");
        assert!(matches!(
            &s.issues[..],
            [PemIssue::BadBase64 {
                found: BadChar::MisplacedPadding,
                ..
            }]
        ));
        let s = scan("-----BEGIN CERTIFICATE-----\nMAQCAgEB\n-----END CERTIFICATE-----");
        assert!(s.issues.is_empty());
        let s = scan("-----BEGIN CERTIFICATE-----\nMAQCAgF=\n-----END CERTIFICATE-----");
        assert!(
            matches!(
                &s.issues[..],
                [PemIssue::BadBase64 {
                    found: BadChar::BadFinalBits,
                    ..
                }]
            ),
            "{s:?}"
        );
    }

    #[test]
    fn space_joined_lines_are_accepted() {
        let line = "A".repeat(64);
        let t =
            format!("-----BEGIN CERTIFICATE----- {line} {line} MAQCAgEA -----END CERTIFICATE-----");
        let s = scan(&t);
        assert!(s.issues.is_empty(), "{s:?}");
    }

    #[test]
    fn headers_are_exposed() {
        let t = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,A7462850F9BB19C99B5DB4FC2CADDC07\n\nMAQCAgEA\n-----END RSA PRIVATE KEY-----\n";
        let s = scan(t);
        assert!(s.is_clean(), "{s:?}");
        let b = only_block(&s);
        assert_eq!(b.headers.len(), 2);
        assert_eq!(
            b.header("dek-info"),
            Some("AES-128-CBC,A7462850F9BB19C99B5DB4FC2CADDC07")
        );
        assert!(b.is_legacy_encrypted());
        let crlf = t.replace('\n', "\r\n");
        assert!(only_block(&scan(&crlf)).is_legacy_encrypted());
    }

    #[test]
    fn missing_end() {
        let s = scan("-----BEGIN CERTIFICATE-----\nMAQCAgEA\n");
        assert_eq!(
            s.issues,
            vec![PemIssue::MissingEnd {
                index: 0,
                label: "CERTIFICATE".into(),
                at: 0,
                next_begin: false
            }]
        );
        assert!(s.stray.is_empty());
        let two = format!("-----BEGIN CERTIFICATE-----\nMAQCAgEA\n{SMALL}");
        let s = scan(&two);
        assert_eq!(s.blocks.len(), 1);
        assert_eq!(s.blocks[0].index, 1);
        assert!(matches!(
            &s.issues[..],
            [PemIssue::MissingEnd {
                index: 0,
                next_begin: true,
                ..
            }]
        ));
        let s = scan("-----BEGIN CERTIFICATE-----\nMAQCAgEA\n-----END CERTIFICATE");
        assert!(
            matches!(&s.issues[..], [PemIssue::MalformedEnd { .. }]),
            "{s:?}"
        );
    }

    #[test]
    fn missing_begin_and_malformed_begin() {
        let s = scan("MAQCAgEA\n-----END CERTIFICATE-----\n");
        assert_eq!(
            s.issues,
            vec![PemIssue::MissingBegin {
                label: "CERTIFICATE".into(),
                at: 9
            }]
        );
        let t = format!("{SMALL}MAQCAgEA\n-----END CERTIFICATE-----\n");
        let s = scan(&t);
        assert_eq!(s.blocks.len(), 1);
        assert!(
            matches!(&s.issues[..], [PemIssue::MissingBegin { label, .. }] if label == "CERTIFICATE"),
            "{s:?}"
        );
        let s = scan("-----BEGIN CERTIFICATE\nMAQCAgEA\n-----END CERTIFICATE-----\n");
        assert!(
            matches!(&s.issues[0], PemIssue::MalformedBegin { index: 0, .. }),
            "{s:?}"
        );
    }

    #[test]
    fn malformed_begin_swallows_its_block() {
        let t = format!("-----BEGIN CERTIFICATE\nMAQCAgEA\n-----END CERTIFICATE-----\n{SMALL}");
        let s = scan(&t);
        assert_eq!(s.issues.len(), 1, "{s:?}");
        assert!(matches!(
            &s.issues[0],
            PemIssue::MalformedBegin {
                index: 0,
                at: 0,
                ..
            }
        ));
        assert!(s.stray.is_empty(), "{s:?}");
        assert_eq!(s.blocks.len(), 1);
        assert_eq!(s.blocks[0].index, 1);
    }

    #[test]
    fn byte_order_mark_is_not_stray() {
        let t = format!("\u{feff}{SMALL}");
        let s = scan(&t);
        assert!(s.is_clean(), "{s:?}");
        assert_eq!(s.blocks[0].span.start, 3);
    }

    #[test]
    fn label_mismatch() {
        let s = scan("-----BEGIN CERTIFICATE-----\nMAQCAgEA\n-----END PRIVATE KEY-----\n");
        assert_eq!(
            s.issues,
            vec![PemIssue::LabelMismatch {
                index: 0,
                begin: "CERTIFICATE".into(),
                end: "PRIVATE KEY".into(),
                at: 0
            }]
        );
        assert!(
            s.issues[0]
                .message()
                .contains("\"-----END PRIVATE KEY-----\"")
        );
    }

    #[test]
    fn empty_and_garbage() {
        assert_eq!(
            scan("").issues,
            vec![PemIssue::NoBlock {
                hint: NoBlockHint::Empty
            }]
        );
        assert_eq!(
            scan(" \n").issues,
            vec![PemIssue::NoBlock {
                hint: NoBlockHint::Whitespace
            }]
        );
        assert_eq!(
            scan("MIIC4TCCAcmgAwIBAgICEREwDQYJKoZIhvcNAQELBQAw").issues,
            vec![PemIssue::NoBlock {
                hint: NoBlockHint::Base64 { der_sequence: true }
            }]
        );
        assert_eq!(
            scan("/etc/ssl/server.pem").issues,
            vec![PemIssue::NoBlock {
                hint: NoBlockHint::FilePath
            }]
        );
        assert_eq!(
            scan("----BEGIN CERTIFICATE----").issues,
            vec![PemIssue::NoBlock {
                hint: NoBlockHint::BrokenMarker
            }]
        );
        assert_eq!(
            scan("0\u{1}\u{2}abc").issues,
            vec![PemIssue::NoBlock {
                hint: NoBlockHint::Binary
            }]
        );
        assert_eq!(
            scan("hello world").issues,
            vec![PemIssue::NoBlock {
                hint: NoBlockHint::Other
            }]
        );
        let s = scan("-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----");
        assert!(matches!(&s.issues[..], [PemIssue::Empty { index: 0, .. }]));
        for m in scan("").issues {
            assert!(m.message().starts_with("no PEM block found"));
        }
    }

    #[test]
    fn two_blocks_and_stray_text() {
        let t = format!(
            "subject=CN = x\n{SMALL}\n\n{}\n",
            SMALL.replace("CERTIFICATE", "PRIVATE KEY")
        );
        let s = scan(&t);
        assert!(s.issues.is_empty(), "{s:?}");
        assert_eq!(s.blocks.len(), 2);
        assert_eq!(s.blocks[1].label, "PRIVATE KEY");
        assert_eq!(s.blocks[1].index, 1);
        assert_eq!(s.blocks_labelled("PRIVATE KEY").count(), 1);
        assert_eq!(s.stray.len(), 1);
        assert_eq!(s.stray[0].kind, StrayKind::Other);
        assert_eq!(s.stray[0].excerpt, "subject=CN = x");
        assert_eq!(s.stray[0].span, 0..14);
    }

    #[test]
    fn base64_stray_is_not_quoted() {
        let t = format!("{SMALL}MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ\n");
        let s = scan(&t);
        assert_eq!(s.stray.len(), 1);
        assert_eq!(s.stray[0].kind, StrayKind::Base64Like);
        assert!(s.stray[0].excerpt.is_empty());
        assert!(!s.stray[0].message().contains("MIIE"));
    }

    #[test]
    fn too_many_blocks_is_bounded() {
        let t = SMALL.repeat(MAX_BLOCKS + 5);
        let s = scan(&t);
        assert_eq!(s.blocks.len(), MAX_BLOCKS);
        assert_eq!(
            s.issues,
            vec![PemIssue::TooManyBlocks { limit: MAX_BLOCKS }]
        );
        // Many BEGIN lines without END stay linear (this would time out if quadratic).
        let t = "-----BEGIN X-----".repeat(MAX_BLOCKS);
        assert_eq!(scan(&t).issues.len(), MAX_BLOCKS);
    }

    #[test]
    fn debug_redacts_der() {
        let s = scan(SMALL);
        let d = format!("{:?}", s);
        assert!(d.contains("6 bytes redacted"), "{d}");
        assert!(!d.contains("48, 4"), "{d}");
    }

    #[test]
    fn never_panics_on_odd_inputs() {
        let inputs = [
            "-----BEGIN ",
            "-----BEGIN -----",
            "-----BEGIN X-----",
            "-----END ",
            "-----END X-----",
            "-----BEGIN X----------END X-----",
            "\\",
            "\\\\",
            "\\n",
            "é-----BEGIN é-----é-----END é-----é",
            "-----BEGIN X-----\n: \n\n-----END X-----",
            "-----BEGIN X-----=-----END X-----",
            "-----BEGIN X-----\u{feff}MAQCAgEA-----END X-----",
        ];
        for i in inputs {
            let s = scan(i);
            for issue in &s.issues {
                let _ = issue.message();
            }
            for st in &s.stray {
                let _ = st.message();
            }
        }
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }
}
