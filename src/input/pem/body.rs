//! Decoding one block body: RFC 1421 headers and base64.

use super::*;

// ---------------------------------------------------------------------------------------
// Body decoding
// ---------------------------------------------------------------------------------------

pub(super) enum BodyError {
    Empty,
    Bad { offset: usize, found: BadChar },
}

pub(super) fn header_line(line: &str) -> Option<(String, String)> {
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

pub(super) fn decode_body(body: &str) -> Result<(Headers, Zeroizing<Vec<u8>>), BodyError> {
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
pub(super) fn looks_like_placeholder(body: &str) -> bool {
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
