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
    pub fn is_clean(&self) -> bool {
        self.issues.is_empty() && self.stray.is_empty() && !self.blocks.is_empty()
    }

    /// The blocks with this label (exact match), in text order.
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
    /// The block ordinal (0-based) the issue is about, if any.
    pub fn block_index(&self) -> Option<usize> {
        match self {
            PemIssue::MalformedBegin { index, .. }
            | PemIssue::MissingEnd { index, .. }
            | PemIssue::MalformedEnd { index, .. }
            | PemIssue::LabelMismatch { index, .. }
            | PemIssue::Empty { index, .. }
            | PemIssue::BadBase64 { index, .. } => Some(*index),
            _ => None,
        }
    }

    /// A precise human message: what is wrong and where. Same as `Display`.
    pub fn message(&self) -> String {
        self.to_string()
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

// ---------------------------------------------------------------------------------------
// Unescaping and offset mapping
// ---------------------------------------------------------------------------------------

/// Maps byte offsets of the unescaped text back to the original text.
struct OffsetMap {
    /// (offset in unescaped text, offset in original text), increasing.
    points: Vec<(usize, usize)>,
}

impl OffsetMap {
    fn to_orig(&self, p: usize) -> usize {
        let i = self.points.partition_point(|&(n, _)| n <= p);
        match i.checked_sub(1).and_then(|j| self.points.get(j)) {
            Some(&(n, o)) => o.saturating_add(p.saturating_sub(n)),
            None => p,
        }
    }
}

struct Unescaped<'a> {
    /// The original text.
    text: &'a str,
    /// The unescaped text when escapes were replaced; zeroized on drop (it may hold key
    /// bodies).
    owned: Option<Zeroizing<String>>,
    map: OffsetMap,
    escapes: usize,
    first: Option<(Range<usize>, &'static str)>,
}

/// Turns literal `\n`, `\r`, `\t`, `\/` (any run of backslashes followed by one of these
/// letters, to cover double escaping) into the characters they stand for. Base64 bodies
/// and labels never contain a backslash, so this cannot damage valid PEM.
fn unescape(text: &str) -> Unescaped<'_> {
    let bytes = text.as_bytes();
    if !bytes.contains(&b'\\') {
        return Unescaped {
            text,
            owned: None,
            map: OffsetMap { points: Vec::new() },
            escapes: 0,
            first: None,
        };
    }
    // The output is never longer than the input: no reallocation leaves copies behind.
    let mut out = String::with_capacity(text.len());
    let mut points = Vec::new();
    let mut escapes = 0usize;
    let mut first = None;
    let mut copied = 0usize; // original offset up to which text was copied
    let mut i = 0usize;
    while i < bytes.len() {
        if bytes.get(i) != Some(&b'\\') {
            i = i.saturating_add(1);
            continue;
        }
        let mut j = i;
        while bytes.get(j) == Some(&b'\\') {
            j = j.saturating_add(1);
        }
        let repl = match bytes.get(j) {
            Some(b'n') => Some(("\n", "\\n")),
            Some(b'r') => Some(("\r", "\\r")),
            Some(b't') => Some(("\t", "\\t")),
            Some(b'/') => Some(("/", "\\/")),
            _ => None,
        };
        match repl {
            Some((r, shown)) => {
                if let Some(s) = text.get(copied..i) {
                    out.push_str(s);
                }
                points.push((out.len(), i));
                out.push_str(r);
                let after = j.saturating_add(1);
                points.push((out.len(), after));
                if first.is_none() {
                    let shown = if shown == "\\r"
                        && bytes.get(after..after.saturating_add(2)) == Some(b"\\n")
                    {
                        "\\r\\n"
                    } else {
                        shown
                    };
                    first = Some((i..after, shown));
                }
                escapes = escapes.saturating_add(1);
                copied = after;
                i = after;
            }
            None => i = j,
        }
    }
    if escapes == 0 {
        return Unescaped {
            text,
            owned: None,
            map: OffsetMap { points: Vec::new() },
            escapes: 0,
            first: None,
        };
    }
    if let Some(s) = text.get(copied..) {
        out.push_str(s);
    }
    Unescaped {
        text,
        owned: Some(Zeroizing::new(out)),
        map: OffsetMap { points },
        escapes,
        first,
    }
}

// ---------------------------------------------------------------------------------------
// Scanning
// ---------------------------------------------------------------------------------------

fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let tail = hay.get(from..)?;
    // memmem (SIMD) instead of a memcmp at every position: the splitter's hot spot.
    memchr::memmem::find(tail, needle).and_then(|p| p.checked_add(from))
}

/// Finds the next occurrence of a needle, remembering the last answer so that repeated
/// searches from increasing positions stay linear overall.
struct Finder {
    needle: &'static [u8],
    cache: Option<(usize, Option<usize>)>,
}

impl Finder {
    fn new(needle: &'static [u8]) -> Self {
        Finder {
            needle,
            cache: None,
        }
    }

    fn find(&mut self, hay: &[u8], from: usize) -> Option<usize> {
        if let Some((searched_from, found)) = self.cache {
            if from >= searched_from {
                match found {
                    None => return None,
                    Some(p) if p >= from => return Some(p),
                    Some(_) => {}
                }
            }
        }
        let found = find_from(hay, from, self.needle);
        self.cache = Some((from, found));
        found
    }
}

/// End of the line containing `from` (offset of the first `\n`/`\r` at or after `from`,
/// or the text length), looking at most `window` bytes ahead.
fn close_dashes(hay: &[u8], from: usize, window: usize) -> Result<usize, &'static str> {
    let limit = from.saturating_add(window).min(hay.len());
    let region = hay.get(from..limit).unwrap_or_default();
    let nl = region.iter().position(|&b| b == b'\n' || b == b'\r');
    let dashes = region.windows(DASHES.len()).position(|w| w == DASHES);
    match (dashes, nl) {
        (Some(d), Some(n)) if n < d => Err("the label is not closed by five dashes on its line"),
        (Some(d), _) => Ok(from.saturating_add(d)),
        (None, Some(_)) => Err("the label is not closed by five dashes on its line"),
        (None, None) if limit < hay.len() => Err("the label is too long"),
        (None, None) => Err("the label is not closed by five dashes"),
    }
}

fn clean_label(raw: &str) -> String {
    escape_excerpt(raw.trim(), MAX_LABEL_LEN)
}

/// After a malformed BEGIN line: the end of the block's END line when an END line comes
/// before the next BEGIN line (so that the body and END line are not reported again as
/// stray text and a missing BEGIN), else `from`.
fn skip_broken_block(hay: &[u8], from: usize, begins: &mut Finder, ends: &mut Finder) -> usize {
    let next_begin = begins.find(hay, from);
    match ends.find(hay, from) {
        Some(e) if next_begin.is_none_or(|b| e < b) => {
            let ls = e.saturating_add(END.len());
            match close_dashes(hay, ls, MAX_LABEL_LEN.saturating_add(DASHES.len())) {
                Ok(le) => le.saturating_add(DASHES.len()),
                Err(_) => ls,
            }
        }
        _ => from,
    }
}

/// Scans a text for PEM blocks. Never fails: problems are in [`PemScan::issues`] and
/// [`PemScan::stray`].
pub fn scan(text: &str) -> PemScan {
    let mut out = PemScan::default();
    let un = unescape(text);
    let work: &str = match &un.owned {
        Some(owned) => owned.as_str(),
        None => un.text,
    };
    let hay = work.as_bytes();
    let map = &un.map;
    out.escapes = un.escapes;
    out.unescaped = un.escapes > 0;

    let mut begins = Finder::new(BEGIN);
    let mut ends = Finder::new(END);
    // Regions (in unescaped coordinates) that belong to blocks, good or broken.
    let mut covered: Vec<Range<usize>> = Vec::new();
    let mut pos = 0usize;
    let mut ordinal = 0usize;

    while let Some(begin_at) = begins.find(hay, pos) {
        if ordinal >= MAX_BLOCKS {
            out.issues
                .push(PemIssue::TooManyBlocks { limit: MAX_BLOCKS });
            covered.push(begin_at..hay.len());
            break;
        }
        let index = ordinal;
        ordinal = ordinal.saturating_add(1);
        let at = map.to_orig(begin_at);
        let label_start = begin_at.saturating_add(BEGIN.len());
        let label_end =
            match close_dashes(hay, label_start, MAX_LABEL_LEN.saturating_add(DASHES.len())) {
                Ok(e) => e,
                Err(reason) => {
                    out.issues
                        .push(PemIssue::MalformedBegin { index, at, reason });
                    let stop = skip_broken_block(hay, label_start, &mut begins, &mut ends);
                    covered.push(begin_at..stop);
                    pos = stop;
                    continue;
                }
            };
        let label = clean_label(work.get(label_start..label_end).unwrap_or_default());
        if label.is_empty() {
            out.issues.push(PemIssue::MalformedBegin {
                index,
                at,
                reason: "the label is empty",
            });
            let stop = skip_broken_block(hay, label_start, &mut begins, &mut ends);
            covered.push(begin_at..stop);
            pos = stop;
            continue;
        }
        let body_start = label_end.saturating_add(DASHES.len());
        let next_begin = begins.find(hay, body_start);
        let next_end = ends.find(hay, body_start);
        let end_at = match (next_end, next_begin) {
            (Some(e), Some(b)) if b < e => None,
            (Some(e), _) => Some(e),
            (None, _) => None,
        };
        let Some(end_at) = end_at else {
            out.issues.push(PemIssue::MissingEnd {
                index,
                label,
                at,
                next_begin: next_begin.is_some(),
            });
            let stop = next_begin.unwrap_or(hay.len());
            covered.push(begin_at..stop);
            pos = stop;
            continue;
        };
        let end_label_start = end_at.saturating_add(END.len());
        let end_label_end = match close_dashes(
            hay,
            end_label_start,
            MAX_LABEL_LEN.saturating_add(DASHES.len()),
        ) {
            Ok(e) => e,
            Err(_) => {
                out.issues.push(PemIssue::MalformedEnd {
                    index,
                    label,
                    at: map.to_orig(end_at),
                });
                covered.push(begin_at..end_label_start);
                pos = end_label_start;
                continue;
            }
        };
        let block_end = end_label_end.saturating_add(DASHES.len());
        covered.push(begin_at..block_end);
        pos = block_end;
        let end_label = clean_label(work.get(end_label_start..end_label_end).unwrap_or_default());
        if end_label != label {
            out.issues.push(PemIssue::LabelMismatch {
                index,
                begin: label,
                end: end_label,
                at,
            });
            continue;
        }
        let body = work.get(body_start..end_at).unwrap_or_default();
        match decode_body(body) {
            Ok((headers, der)) => out.blocks.push(PemBlock {
                index,
                label,
                headers,
                der,
                span: at..map.to_orig(block_end),
                // memchr: a char-set `contains` goes character by character.
                one_line: memchr::memchr2(
                    b'\n',
                    b'\r',
                    hay.get(begin_at..block_end).unwrap_or_default(),
                )
                .is_none(),
            }),
            Err(BodyError::Empty) => out.issues.push(PemIssue::Empty { index, label, at }),
            Err(BodyError::Bad { offset, found }) => {
                let placeholder = looks_like_placeholder(body);
                let excerpt = placeholder.then(|| {
                    let collapsed: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
                    escape_excerpt(&collapsed, EXCERPT_CHARS)
                });
                out.issues.push(PemIssue::BadBase64 {
                    index,
                    label,
                    offset_in_body: offset,
                    at: map.to_orig(body_start.saturating_add(offset)),
                    found,
                    placeholder,
                    excerpt,
                });
            }
        }
    }

    if ordinal == 0 && find_from(hay, 0, END).is_none() {
        out.issues.push(PemIssue::NoBlock {
            hint: no_block_hint(text),
        });
    } else {
        collect_stray(work, map, &covered, &mut out);
    }
    if let Some((span, shown)) = un.first {
        if out.stray.len() < MAX_STRAY {
            out.stray.push(StrayText {
                span,
                kind: StrayKind::JsonEscapes,
                excerpt: shown.to_string(),
            });
        }
    }
    out.stray.sort_by_key(|s| s.span.start);
    out
}

fn collect_stray(work: &str, map: &OffsetMap, covered: &[Range<usize>], out: &mut PemScan) {
    let mut gaps = Vec::new();
    let mut prev = 0usize;
    for r in covered {
        if r.start > prev {
            gaps.push(prev..r.start);
        }
        prev = prev.max(r.end);
    }
    if prev < work.len() {
        gaps.push(prev..work.len());
    }
    let hay = work.as_bytes();
    for gap in gaps {
        let Some(raw) = work.get(gap.clone()) else {
            continue;
        };
        let trimmed = raw.trim_matches(is_blank);
        if trimmed.is_empty() {
            continue;
        }
        let lead = raw
            .len()
            .saturating_sub(raw.trim_start_matches(is_blank).len());
        let mut start = gap.start.saturating_add(lead);
        let end = start.saturating_add(trimmed.len());
        // An END line with no BEGIN line: the text before it is the rest of a broken block,
        // reported by the issue (and never quoted), not stray text.
        while let Some(e) = find_from(hay, start, END) {
            if e >= end {
                break;
            }
            let ls = e.saturating_add(END.len());
            let (label, next) =
                match close_dashes(hay, ls, MAX_LABEL_LEN.saturating_add(DASHES.len())) {
                    Ok(le) if le <= end => (
                        clean_label(work.get(ls..le).unwrap_or_default()),
                        le.saturating_add(DASHES.len()),
                    ),
                    _ => (String::new(), ls),
                };
            out.issues.push(PemIssue::MissingBegin {
                label,
                at: map.to_orig(e),
            });
            start = next.min(end);
        }
        let Some(rest) = work.get(start..end) else {
            continue;
        };
        let trimmed = rest.trim_matches(is_blank);
        if trimmed.is_empty() {
            continue;
        }
        let start = start.saturating_add(
            rest.len()
                .saturating_sub(rest.trim_start_matches(is_blank).len()),
        );
        let end = start.saturating_add(trimmed.len());
        if out.stray.len() >= MAX_STRAY {
            continue;
        }
        let kind = classify_stray(trimmed);
        let excerpt = match kind {
            StrayKind::Base64Like => String::new(),
            _ => escape_excerpt(trimmed, EXCERPT_CHARS),
        };
        out.stray.push(StrayText {
            span: map.to_orig(start)..map.to_orig(end),
            kind,
            excerpt,
        });
    }
}

/// Whitespace, or a byte-order mark (left by Windows editors at the start of files).
fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'='
}

fn classify_stray(s: &str) -> StrayKind {
    if s.chars()
        .all(|c| matches!(c, '\'' | '"' | '`' | '\\') || c.is_whitespace())
    {
        return StrayKind::Quotes;
    }
    let total = s.len();
    let b64 = s
        .bytes()
        .filter(|&b| is_b64(b) || b.is_ascii_whitespace() || b == b'-')
        .count();
    if total >= 16 && b64.saturating_mul(10) >= total.saturating_mul(9) {
        let longest_run = s
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '='))
            .map(str::len)
            .max()
            .unwrap_or(0);
        if longest_run >= 16 {
            return StrayKind::Base64Like;
        }
    }
    StrayKind::Other
}

/// Escapes control characters and truncates to `max` characters (adding "...").
fn escape_excerpt(s: &str, max: usize) -> String {
    // The common case (a label such as CERTIFICATE) needs no escaping: one copy.
    if s.len() <= max && s.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return s.to_string();
    }
    let mut out = String::new();
    for (n, c) in s.chars().enumerate() {
        if n >= max {
            out.push_str("...");
            break;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:04x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

fn no_block_hint(text: &str) -> NoBlockHint {
    let t = text.trim();
    if text.is_empty() {
        return NoBlockHint::Empty;
    }
    if t.is_empty() {
        return NoBlockHint::Whitespace;
    }
    if t.to_ascii_uppercase().contains("BEGIN") && t.contains("--") {
        return NoBlockHint::BrokenMarker;
    }
    let controls = t
        .chars()
        .filter(|c| c.is_control() && !c.is_whitespace())
        .count();
    if controls > 0 || t.contains('\u{fffd}') {
        return NoBlockHint::Binary;
    }
    if (t.starts_with('{') && t.ends_with('}')) || (t.starts_with('[') && t.ends_with(']')) {
        return NoBlockHint::Json;
    }
    let compact: String = t.split_whitespace().collect();
    if compact.len() >= 16 && compact.bytes().all(is_b64) {
        return NoBlockHint::Base64 {
            der_sequence: compact.starts_with("MI"),
        };
    }
    let lower = t.to_ascii_lowercase();
    let exts = [
        ".pem", ".crt", ".cer", ".key", ".der", ".p12", ".pfx", ".csr", ".txt",
    ];
    if !t.contains('\n')
        && t.len() < 4096
        && (exts.iter().any(|e| lower.ends_with(e))
            || t.starts_with('/')
            || t.starts_with("./")
            || t.starts_with("~/")
            || lower.get(1..3) == Some(":\\"))
    {
        return NoBlockHint::FilePath;
    }
    NoBlockHint::Other
}

// ---------------------------------------------------------------------------------------
// Body decoding
// ---------------------------------------------------------------------------------------

enum BodyError {
    Empty,
    Bad { offset: usize, found: BadChar },
}

fn header_line(line: &str) -> Option<(String, String)> {
    let (name, value) = line.split_once(':')?;
    let name = name.trim();
    if name.is_empty()
        || name.len() > 64
        || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return None;
    }
    Some((name.to_string(), escape_excerpt(value.trim(), 256)))
}

/// Splits headers from the base64 body, validates the base64 character by character (to
/// report the exact offset and class of the first bad character) and decodes it with the
/// `pem` crate.
type Headers = Vec<(String, String)>;

fn decode_body(body: &str) -> Result<(Headers, Zeroizing<Vec<u8>>), BodyError> {
    let sep = if body.contains('\n') { '\n' } else { '\r' };
    let mut headers = Vec::new();
    let mut b64 = Zeroizing::new(String::with_capacity(body.len()));
    let mut in_headers = true;
    let mut seen_content = false;
    let mut padding = 0usize;
    // Space-separated chunks of base64 on one line are accepted when they look like lines
    // joined by spaces (each chunk but the last a multiple of 4 and at least 40 chars long).
    let mut chunk_len = 0usize;
    let mut pending_space: Option<usize> = None;
    let mut line_start = 0usize;
    for line in body.split(sep) {
        let this_start = line_start;
        line_start = line_start.saturating_add(line.len()).saturating_add(1);
        let trimmed = line.trim();
        if in_headers {
            if trimmed.is_empty() {
                if seen_content {
                    in_headers = false;
                }
                continue;
            }
            if let Some(h) = header_line(trimmed) {
                seen_content = true;
                if headers.len() < MAX_HEADERS {
                    headers.push(h);
                }
                continue;
            }
            in_headers = false;
        }
        // Fast path for the usual line (base64 letters only, no padding seen yet): the
        // same outcome as the loop below, without a push per character.
        // A fold without early exit (`&`, not `&&`): the compiler can vectorise it, and
        // nearly every line passes anyway.
        if padding == 0
            && trimmed.bytes().fold(true, |ok, b| {
                ok & (b.is_ascii_alphanumeric() | (b == b'+') | (b == b'/'))
            })
        {
            b64.push_str(trimmed);
            pending_space = None;
            chunk_len = 0;
            continue;
        }
        let lead = line.len().saturating_sub(line.trim_start().len());
        let mut prev_space = false;
        for (i, c) in trimmed.char_indices() {
            let offset = this_start.saturating_add(lead).saturating_add(i);
            let bad = |found| Err(BodyError::Bad { offset, found });
            match c {
                ' ' | '\t' | '\r' => {
                    if !prev_space {
                        pending_space = Some(offset);
                    }
                    prev_space = true;
                    continue;
                }
                'A'..='Z' | 'a'..='z' | '0'..='9' | '+' | '/' => {
                    if padding > 0 {
                        return bad(BadChar::MisplacedPadding);
                    }
                }
                '=' => {
                    padding = padding.saturating_add(1);
                    if padding > 2 {
                        return bad(BadChar::MisplacedPadding);
                    }
                }
                c if !c.is_ascii() => return bad(BadChar::NonAscii(c)),
                c if c.is_ascii_control() => return bad(BadChar::Control(c)),
                c => return bad(BadChar::Symbol(c)),
            }
            if prev_space {
                if let Some(sp) = pending_space.take() {
                    if chunk_len < 40 || chunk_len % 4 != 0 {
                        return Err(BodyError::Bad {
                            offset: sp,
                            found: BadChar::Space,
                        });
                    }
                }
                chunk_len = 0;
                prev_space = false;
            }
            chunk_len = chunk_len.saturating_add(1);
            b64.push(c);
        }
        // A line break ends a chunk.
        pending_space = None;
        chunk_len = 0;
    }
    if b64.is_empty() {
        return Err(BodyError::Empty);
    }
    if b64.len() % 4 != 0 {
        return Err(BodyError::Bad {
            offset: body.trim_end().len(),
            found: BadChar::BadLength { chars: b64.len() },
        });
    }
    // Decode the cleaned body directly, with the engine the pem crate uses (standard
    // alphabet, canonical padding and final bits): building a one-block text for
    // `pem::parse` to split and filter again cost more than the decoding itself.
    use base64::Engine as _;
    match base64::engine::general_purpose::STANDARD.decode(b64.as_bytes()) {
        Ok(der) => Ok((headers, Zeroizing::new(der))),
        Err(_) => Err(BodyError::Bad {
            offset: body.trim_end().len(),
            found: BadChar::BadFinalBits,
        }),
    }
}

/// Placeholder words such as `THIS IS YOUR PRIVATE KEY`, `...`, `<paste here>`.
fn looks_like_placeholder(body: &str) -> bool {
    let t = body.trim();
    if t.len() > 512 {
        return false;
    }
    let upper = t.to_ascii_uppercase();
    let markers = [
        "YOUR",
        "HERE",
        "PASTE",
        "INSERT",
        "REPLACE",
        "PLACEHOLDER",
        "EXAMPLE",
        "CONTENT",
        "TODO",
        "XXX",
        "...",
        "\u{2026}",
        "<",
        ">",
    ];
    if markers.iter().any(|m| upper.contains(m)) {
        return true;
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    words.len() >= 2
        && words
            .iter()
            .all(|w| w.len() <= 16 && w.chars().all(|c| c.is_alphabetic() || c == '-' || c == '_'))
}

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
