//! Splitting a text into blocks: BEGIN/END lines, labels, stray text.

use super::*;

// ---------------------------------------------------------------------------------------
// Scanning
// ---------------------------------------------------------------------------------------

pub(super) fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let tail = hay.get(from..)?;
    // memmem (SIMD) instead of a memcmp at every position: the splitter's hot spot.
    memchr::memmem::find(tail, needle).and_then(|p| p.checked_add(from))
}

/// Finds the next occurrence of a needle, remembering the last answer so that repeated
/// searches from increasing positions stay linear overall.
pub(super) struct Finder {
    pub(super) needle: &'static [u8],
    pub(super) cache: Option<(usize, Option<usize>)>,
}

impl Finder {
    pub(super) fn new(needle: &'static [u8]) -> Self {
        Finder {
            needle,
            cache: None,
        }
    }

    pub(super) fn find(&mut self, hay: &[u8], from: usize) -> Option<usize> {
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
pub(super) fn close_dashes(hay: &[u8], from: usize, window: usize) -> Result<usize, &'static str> {
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

pub(super) fn clean_label(raw: &str) -> String {
    escape_excerpt(raw.trim(), MAX_LABEL_LEN)
}

/// After a malformed BEGIN line: the end of the block's END line when an END line comes
/// before the next BEGIN line (so that the body and END line are not reported again as
/// stray text and a missing BEGIN), else `from`.
pub(super) fn skip_broken_block(
    hay: &[u8],
    from: usize,
    begins: &mut Finder,
    ends: &mut Finder,
) -> usize {
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

pub(super) fn collect_stray(
    work: &str,
    map: &OffsetMap,
    covered: &[Range<usize>],
    out: &mut PemScan,
) {
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
pub(super) fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

pub(super) fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'='
}

pub(super) fn classify_stray(s: &str) -> StrayKind {
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
pub(super) fn escape_excerpt(s: &str, max: usize) -> String {
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

pub(super) fn no_block_hint(text: &str) -> NoBlockHint {
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
