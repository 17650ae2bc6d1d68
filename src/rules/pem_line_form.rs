//! `pem-line-form`: the line layout of a PEM field, for targets whose parsers are
//! stricter than RFC 7468 (fixed-width base64 lines, no spaces, no blank lines, no CR).
//! The instance's parameters choose which of these the target requires.
//!
//! The field's text is read as sent (before any unescaping): a literal `\n` escape is
//! not a line break to the API either. Each damage is reported once per block, at the
//! first line that shows it, with the count of further lines like it.

use super::{Ctx, Finding, plural};
use crate::report::Item;
use crate::request::FieldValue;

/// What the instance requires (the kind's parameters).
#[derive(Debug, Clone, Copy, Default)]
pub struct Form {
    /// Base64 lines of exactly this many characters, but the last (1 to this many).
    pub line_length: Option<usize>,
    /// No space or tab at the end of any line.
    pub no_trailing_space: bool,
    /// No space or tab anywhere in a block but inside its BEGIN/END labels.
    pub no_spaces: bool,
    /// No blank line inside a block or between two blocks.
    pub no_blank_lines: bool,
    /// No carriage return (CRLF line breaks).
    pub no_cr: bool,
}

/// The damages, in the order a block's findings are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Damage {
    OneLine,
    Length,
    Blank,
    Space,
    Trailing,
    Cr,
}

/// The first line showing a damage in one block, and how many more do.
#[derive(Debug, Clone)]
struct Seen {
    line: usize,
    detail: String,
    more: usize,
}

/// Where a line is, as messages name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    /// Inside block `n` (0-based among the field's BEGIN lines).
    Block(usize),
    /// Between block `n` and the next.
    After(usize),
}

#[derive(Default)]
struct Found {
    /// (place, damage) -> first line and count; kept sorted for a stable order.
    seen: std::collections::BTreeMap<(Place, Damage), Seen>,
    /// Labels of the blocks, by index.
    labels: Vec<String>,
}

impl Found {
    fn add(&mut self, place: Place, damage: Damage, line: usize, detail: impl FnOnce() -> String) {
        self.seen
            .entry((place, damage))
            .and_modify(|s| s.more = s.more.saturating_add(1))
            .or_insert_with(|| Seen {
                line,
                detail: detail(),
                more: 0,
            });
    }
}

/// One base64 line of the block being read: its line number and length.
struct BodyLine {
    line: usize,
    len: usize,
}

pub fn check(ctx: &Ctx<'_>, at: &str, form: Form) -> Vec<Finding> {
    let FieldValue::Text(text) = ctx.request.field(at) else {
        // Not text: `pem-malformed` says what it is.
        return Vec::new();
    };
    let found = scan(text, form);
    let words = ctx.words("field", "file");
    let base = ctx.base(at).block;
    found
        .seen
        .iter()
        .map(|((place, damage), s)| {
            let (index, whence) = match *place {
                Place::Block(n) => (
                    n,
                    format!(
                        "block {} ({})",
                        ctx.block_no(at, n),
                        found.labels.get(n).map_or("?", String::as_str)
                    ),
                ),
                Place::After(n) => (
                    n,
                    format!(
                        "between blocks {} and {}",
                        ctx.block_no(at, n),
                        ctx.block_no(at, n.saturating_add(1))
                    ),
                ),
            };
            let wanted = match damage {
                Damage::OneLine | Damage::Length => format!(
                    "this {words} takes base64 lines of exactly {} characters but the last",
                    form.line_length.unwrap_or_default()
                ),
                Damage::Blank => {
                    format!("this {words} takes no blank lines inside or between blocks")
                }
                Damage::Space => format!("this {words} takes no spaces in a block"),
                Damage::Trailing => format!("this {words} takes no spaces at the end of a line"),
                Damage::Cr => {
                    format!("this {words} takes LF line breaks, without carriage returns")
                }
            };
            let more = if s.more > 0 {
                format!(" ({} like it)", plural(s.more, "more line", "more lines"))
            } else {
                String::new()
            };
            Finding::new(
                at,
                format!("{whence}, line {}: {}{more}; {wanted}", s.line, s.detail),
            )
            .item(Item::Block(base.saturating_add(index)))
            .value(s.detail.clone())
        })
        .collect()
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// The BEGIN label of a line, if it is a BEGIN line.
fn begin_label(content: &str) -> Option<&str> {
    let rest = content.trim().strip_prefix("-----BEGIN ")?;
    Some(rest.split("-----").next().unwrap_or(rest))
}

fn is_end(content: &str) -> bool {
    content.trim_start().starts_with("-----END ")
}

fn scan(text: &str, form: Form) -> Found {
    let mut found = Found::default();
    // The block being read, and its base64 lines so far.
    let mut open: Option<usize> = None;
    let mut body: Vec<BodyLine> = Vec::new();
    let mut in_headers = false;
    let mut headers_seen = false;
    let mut blocks = 0usize;
    for (i, raw) in text.split('\n').enumerate() {
        let line = i.saturating_add(1);
        let content = raw.trim_end_matches('\r');
        let place = match open {
            Some(n) => Some(Place::Block(n)),
            None => blocks.checked_sub(1).map(Place::After),
        };
        // Between blocks only blank lines are this kind's business (other text is
        // `pem-stray-text`'s); before the first block and after the last, nothing.
        if let Some(label) = begin_label(content) {
            let n = blocks;
            blocks = blocks.saturating_add(1);
            found.labels.push(label.to_string());
            line_damages(&mut found, Place::Block(n), line, raw, true, form);
            if content.contains("-----END ") {
                if form.line_length.is_some() {
                    found.add(Place::Block(n), Damage::OneLine, line, || {
                        if content.contains("\\n") {
                            "the block is one line, with literal \\n escapes instead of line breaks"
                                .to_string()
                        } else {
                            "the block is one line, without line breaks".to_string()
                        }
                    });
                }
                open = None;
            } else {
                open = Some(n);
                body.clear();
                in_headers = true;
                headers_seen = false;
            }
            continue;
        }
        match place {
            Some(Place::Block(n)) if is_end(content) => {
                line_damages(&mut found, Place::Block(n), line, raw, true, form);
                if let Some(width) = form.line_length {
                    lengths(&mut found, n, &body, width);
                }
                open = None;
            }
            Some(Place::Block(n)) => {
                let p = Place::Block(n);
                if in_headers && content.contains(':') {
                    // An RFC 1421 header (`Proc-Type: 4,ENCRYPTED`) and the blank line
                    // after it are the format's own.
                    headers_seen = true;
                    line_damages(&mut found, p, line, raw, true, form);
                    continue;
                }
                let was_headers = in_headers;
                in_headers = false;
                if content.trim().is_empty() {
                    if form.no_blank_lines && !(was_headers && headers_seen) {
                        found.add(p, Damage::Blank, line, || blank(content));
                    }
                } else {
                    body.push(BodyLine {
                        line,
                        len: content.trim_matches(is_space).chars().count(),
                    });
                }
                line_damages(&mut found, p, line, raw, false, form);
            }
            Some(Place::After(n)) if content.trim().is_empty() => {
                if form.no_blank_lines && followed_by_block(text, i) {
                    found.add(Place::After(n), Damage::Blank, line, || blank(content));
                }
                if form.no_cr && raw.contains('\r') && followed_by_block(text, i) {
                    found.add(Place::After(n), Damage::Cr, line, || {
                        "the line ends with a carriage return (CRLF)".to_string()
                    });
                }
            }
            _ => {}
        }
    }
    if let (Some(n), Some(width)) = (open, form.line_length) {
        // A block without END is `pem-malformed`'s; its lines are still measured.
        lengths(&mut found, n, &body, width);
    }
    found
}

fn blank(content: &str) -> String {
    if content.is_empty() {
        "a blank line".to_string()
    } else {
        format!(
            "a blank line of {}",
            plural(content.chars().count(), "space", "spaces")
        )
    }
}

/// Whether a BEGIN line follows line index `i` (blank lines after the last block are
/// outside every block).
fn followed_by_block(text: &str, i: usize) -> bool {
    text.split('\n')
        .skip(i.saturating_add(1))
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| begin_label(l.trim_end_matches('\r')).is_some())
}

/// Spaces and carriage returns on one line of block `place`. `armour`: a BEGIN/END or
/// header line, whose inner spaces are its own.
fn line_damages(found: &mut Found, place: Place, line: usize, raw: &str, armour: bool, form: Form) {
    let content = raw.trim_end_matches('\r');
    if form.no_cr && raw.contains('\r') {
        found.add(place, Damage::Cr, line, || {
            if raw.ends_with('\r') {
                "the line ends with a carriage return (CRLF)".to_string()
            } else {
                "the line holds a carriage return".to_string()
            }
        });
    }
    let trailing = content.len() - content.trim_end_matches(is_space).len();
    if form.no_trailing_space && trailing > 0 && !content.trim().is_empty() {
        found.add(place, Damage::Trailing, line, || {
            format!("the line ends with {}", plural(trailing, "space", "spaces"))
        });
    }
    if form.no_spaces && !content.trim().is_empty() {
        let leading = content.len() - content.trim_start_matches(is_space).len();
        let inner = !armour && content.trim_matches(is_space).contains(is_space);
        if leading > 0 || trailing > 0 || inner {
            found.add(place, Damage::Space, line, || {
                let mut parts = Vec::new();
                if leading > 0 {
                    parts.push(format!(
                        "starts with {}",
                        plural(leading, "space", "spaces")
                    ));
                }
                if inner {
                    parts.push("has spaces inside its base64".to_string());
                }
                if trailing > 0 {
                    parts.push(format!("ends with {}", plural(trailing, "space", "spaces")));
                }
                format!("the line {}", parts.join(" and "))
            });
        }
    }
}

/// Base64 lines of block `n` that are not `width` long (the last: 1 to `width`).
fn lengths(found: &mut Found, n: usize, body: &[BodyLine], width: usize) {
    let last = body.len().saturating_sub(1);
    for (i, b) in body.iter().enumerate() {
        let bad = if i == last {
            b.len > width
        } else {
            b.len != width
        };
        if bad {
            found.add(Place::Block(n), Damage::Length, b.line, || {
                format!(
                    "a base64 line of {}",
                    plural(b.len, "character", "characters")
                )
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::kind_tests::ctx_with;

    const PKCS1: &str = include_str!("../../corpus/materials/server-pkcs1.key");

    fn all() -> Form {
        Form {
            line_length: Some(64),
            no_trailing_space: true,
            no_spaces: true,
            no_blank_lines: true,
            no_cr: true,
        }
    }

    fn run(text: &str, form: Form) -> Vec<String> {
        ctx_with(text, |ctx| check(ctx, "/key", form))
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    /// The key rewrapped at `width` columns.
    fn rewrapped(width: usize) -> String {
        let lines: Vec<&str> = PKCS1.lines().collect();
        let b64: String = lines[1..lines.len() - 1].concat();
        let mut out = format!("{}\n", lines[0]);
        for chunk in b64.as_bytes().chunks(width) {
            out.push_str(std::str::from_utf8(chunk).unwrap());
            out.push('\n');
        }
        out.push_str(lines[lines.len() - 1]);
        out.push('\n');
        out
    }

    #[test]
    fn openssl_output_passes_every_requirement() {
        assert_eq!(run(PKCS1, all()), Vec::<String>::new());
    }

    #[test]
    fn lines_of_another_width_are_named_with_their_block_and_line() {
        let m = run(&rewrapped(76), all());
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with("block 1 (RSA PRIVATE KEY), line 2: a base64 line of 76 characters ("),
            "{}",
            m[0]
        );
        assert!(
            m[0].contains("exactly 64 characters but the last"),
            "{}",
            m[0]
        );
        // Only the width that is required is checked.
        let form = Form {
            line_length: None,
            ..all()
        };
        assert!(run(&rewrapped(76), form).is_empty());
    }

    #[test]
    fn a_short_last_line_passes_and_a_long_one_does_not() {
        let text = rewrapped(64);
        assert!(run(&text, all()).is_empty());
        let lines: Vec<&str> = text.lines().collect();
        let n = lines.len();
        // Join the last two base64 lines: the last is now over 64.
        let joined = format!(
            "{}\n{}{}\n{}\n",
            lines[..n - 3].join("\n"),
            lines[n - 3],
            lines[n - 2],
            lines[n - 1]
        );
        let m = run(&joined, all());
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].contains(&format!("line {}: a base64 line of", n - 2)),
            "{}",
            m[0]
        );
    }

    #[test]
    fn trailing_spaces_blank_lines_and_cr_are_each_named() {
        let spaced = PKCS1.replacen("\n", "  \n", 2);
        let m = run(&spaced, all());
        assert!(
            m.iter()
                .any(|m| m.contains("line 1: the line ends with 2 spaces")),
            "{m:?}"
        );
        assert!(
            m.iter().any(|m| m.contains("(1 more line like it)")),
            "{m:?}"
        );
        let form = Form {
            no_trailing_space: false,
            no_spaces: false,
            ..all()
        };
        assert!(run(&spaced, form).is_empty());

        let blank = PKCS1.replacen("\n", "\n\n", 2);
        let m = run(&blank, all());
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with(
                "block 1 (RSA PRIVATE KEY), line 2: a blank line (1 more line like it)"
            ),
            "{}",
            m[0]
        );

        let crlf = PKCS1.replace('\n', "\r\n");
        let m = run(&crlf, all());
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].contains("line 1: the line ends with a carriage return (CRLF)"),
            "{}",
            m[0]
        );
        let form = Form {
            no_cr: false,
            ..all()
        };
        assert!(run(&crlf, form).is_empty());
    }

    #[test]
    fn blank_lines_between_blocks_count_and_after_the_last_do_not() {
        let two = format!("{PKCS1}\n{PKCS1}\n\n");
        let m = run(&two, all());
        assert_eq!(m.len(), 1, "{m:?}");
        let line = PKCS1.lines().count() + 1;
        assert!(
            m[0].starts_with(&format!(
                "between blocks 1 and 2, line {line}: a blank line"
            )),
            "{}",
            m[0]
        );
        assert!(run(&format!("{PKCS1}{PKCS1}\n\n"), all()).is_empty());
    }

    #[test]
    fn one_line_pem_and_literal_escapes_are_named() {
        let one = PKCS1.trim_end().replace('\n', "\\n");
        let m = run(&one, all());
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("literal \\n escapes"), "{}", m[0]);
        let one = PKCS1.trim_end().replace('\n', "");
        assert!(run(&one, all())[0].contains("one line, without line breaks"));
    }

    #[test]
    fn indented_lines_are_spaces() {
        let indented = PKCS1.replace('\n', "\n  ");
        let m = run(indented.trim_end(), all());
        assert!(
            m.iter()
                .any(|m| m.contains("the line starts with 2 spaces")),
            "{m:?}"
        );
    }
}
