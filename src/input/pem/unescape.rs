//! Literal `\\n` escapes and quotes undone, with a map back to the original offsets.

use super::*;

// ---------------------------------------------------------------------------------------
// Unescaping and offset mapping
// ---------------------------------------------------------------------------------------

/// Maps byte offsets of the unescaped text back to the original text.
pub(super) struct OffsetMap {
    /// (offset in unescaped text, offset in original text), increasing.
    pub(super) points: Vec<(usize, usize)>,
}

impl OffsetMap {
    pub(super) fn to_orig(&self, p: usize) -> usize {
        let i = self.points.partition_point(|&(n, _)| n <= p);
        match i.checked_sub(1).and_then(|j| self.points.get(j)) {
            Some(&(n, o)) => o.saturating_add(p.saturating_sub(n)),
            None => p,
        }
    }
}

pub(super) struct Unescaped<'a> {
    /// The original text.
    pub(super) text: &'a str,
    /// The unescaped text when escapes were replaced; zeroized on drop (it may hold key
    /// bodies).
    pub(super) owned: Option<Zeroizing<String>>,
    pub(super) map: OffsetMap,
    pub(super) escapes: usize,
    pub(super) first: Option<(Range<usize>, &'static str)>,
}

impl<'a> Unescaped<'a> {
    /// The text as it is: nothing was escaped.
    fn unchanged(text: &'a str) -> Unescaped<'a> {
        Unescaped {
            text,
            owned: None,
            map: OffsetMap { points: Vec::new() },
            escapes: 0,
            first: None,
        }
    }
}

/// Turns literal `\n`, `\r`, `\t`, `\/` (any run of backslashes followed by one of these
/// letters, to cover double escaping) into the characters they stand for. Base64 bodies
/// and labels never contain a backslash, so this cannot damage valid PEM.
pub(super) fn unescape(text: &str) -> Unescaped<'_> {
    let bytes = text.as_bytes();
    if !bytes.contains(&b'\\') {
        return Unescaped::unchanged(text);
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
        return Unescaped::unchanged(text);
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
