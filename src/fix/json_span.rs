//! Where a value sits in JSON text: the byte range of the value a JSON Pointer names, so
//! `fix` can replace exactly that span and leave every other byte as the user wrote it.
//!
//! The text has already been parsed by serde_json, so the scanner only walks valid JSON;
//! on anything unexpected it answers `None` rather than guessing.

use std::ops::Range;

/// The byte range of the value at `pointer` (RFC 6901) in `text`. A key that occurs
/// twice in one object resolves to its last occurrence, as serde_json keeps the last.
pub fn locate(text: &str, pointer: &str) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let mut pos = skip_ws(bytes, bom_len(bytes));
    if !pointer.is_empty() {
        for token in pointer.strip_prefix('/')?.split('/') {
            let token = unescape(token);
            pos = match bytes.get(pos)? {
                b'{' => member(text, pos, &token)?,
                b'[' => element(bytes, pos, token.parse().ok()?)?,
                _ => return None,
            };
        }
    }
    let end = value_end(bytes, pos)?;
    Some(pos..end)
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn bom_len(bytes: &[u8]) -> usize {
    if bytes.starts_with(b"\xef\xbb\xbf") {
        3
    } else {
        0
    }
}

fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while matches!(bytes.get(pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        pos += 1;
    }
    pos
}

/// The start of the value of the last member named `key` in the object at `open`.
fn member(text: &str, open: usize, key: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut found = None;
    let mut pos = skip_ws(bytes, open + 1);
    if bytes.get(pos) == Some(&b'}') {
        return None;
    }
    loop {
        let key_end = string_end(bytes, pos)?;
        let name: String = serde_json::from_str(text.get(pos..key_end)?).ok()?;
        pos = skip_ws(bytes, key_end);
        if bytes.get(pos) != Some(&b':') {
            return None;
        }
        let value = skip_ws(bytes, pos + 1);
        if name == key {
            found = Some(value);
        }
        pos = skip_ws(bytes, value_end(bytes, value)?);
        match bytes.get(pos)? {
            b',' => pos = skip_ws(bytes, pos + 1),
            b'}' => return found,
            _ => return None,
        }
    }
}

/// The start of element `index` of the array at `open`.
fn element(bytes: &[u8], open: usize, index: usize) -> Option<usize> {
    let mut pos = skip_ws(bytes, open + 1);
    if bytes.get(pos) == Some(&b']') {
        return None;
    }
    for _ in 0..index {
        pos = skip_ws(bytes, value_end(bytes, pos)?);
        match bytes.get(pos)? {
            b',' => pos = skip_ws(bytes, pos + 1),
            _ => return None,
        }
    }
    Some(pos)
}

/// One past the end of the string whose opening quote is at `pos`.
fn string_end(bytes: &[u8], pos: usize) -> Option<usize> {
    if bytes.get(pos) != Some(&b'"') {
        return None;
    }
    let mut i = pos + 1;
    loop {
        match bytes.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

/// One past the end of the value starting at `pos`. Containers are skipped with a depth
/// count, not recursion, so nesting costs no stack.
fn value_end(bytes: &[u8], pos: usize) -> Option<usize> {
    match bytes.get(pos)? {
        b'"' => string_end(bytes, pos),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = pos;
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = string_end(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        // A number, `true`, `false` or `null`: up to the next delimiter.
        _ => {
            let mut i = pos;
            while !matches!(
                bytes.get(i),
                None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            ) {
                i += 1;
            }
            (i > pos).then_some(i)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<'a>(text: &'a str, pointer: &str) -> Option<&'a str> {
        locate(text, pointer).map(|r| &text[r])
    }

    #[test]
    fn finds_values_by_pointer() {
        let t = r#" { "a" : {"b": [1, {"c":"x\"}"}, true] , "d~/e": null}, "a": {"b": [2, {"c": "last"}]} } "#;
        assert_eq!(at(t, "/a/b/1/c"), Some(r#""last""#));
        assert_eq!(at(t, "/a/b/0"), Some("2"));
        assert_eq!(at(t, "/a/b/2"), None);
        assert_eq!(at(t, ""), Some(&t[1..t.len() - 1]));
        let u = r#"{"k\u0041": {"d~/e": [null, "s"]}, "x": 1}"#;
        assert_eq!(at(u, "/kA/d~0~1e/1"), Some(r#""s""#));
        assert_eq!(at(u, "/x"), Some("1"));
        assert_eq!(at(u, "/y"), None);
        assert_eq!(at("{}", "/y"), None);
        assert_eq!(at("[]", "/0"), None);
    }

    #[test]
    fn truncated_text_gives_none() {
        for t in [r#"{"a": "#, r#"{"a": "x"#, r#"{"a": [1, "#, r#"{"a" 1}"#] {
            assert_eq!(at(t, "/a"), None, "{t}");
        }
    }
}
