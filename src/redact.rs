//! Private keys pasted where they do not belong (a certificate name, a domain list) must
//! never be echoed back. Rules show offending values; [`crate::report::Report::new`]
//! passes every diagnostic through [`text`], so no rule or renderer can leak one.
//!
//! What counts as key material: PEM armour `-----BEGIN <...>PRIVATE KEY-----` followed by
//! a body (the markers alone, as messages quote them, are not), and a base64 run that
//! decodes to the start of a private key (PKCS#8, encrypted PKCS#8, PKCS#1, SEC1, DSA,
//! OpenSSH) without armour. Values are usually shown escaped (`\u{a}` for a newline) and
//! shortened in the middle (`…`), so the scan accepts those separators inside a key.

use std::borrow::Cow;

use base64::Engine;

/// What replaces key material.
pub const REDACTED: &str = "<private key redacted>";

/// Base64 characters needed before a bare run is decoded (24 bytes: enough for the
/// DER headers that identify a key; the smallest key, Ed25519 PKCS#8, has 64).
const MIN_RUN: usize = 32;

/// `s` with every piece of private-key material replaced by [`REDACTED`].
pub fn text(s: &str) -> Cow<'_, str> {
    // Cheap exit for short texts: no armour and too few base64 characters for a key.
    if !s.contains("PRIVATE KEY") && s.bytes().filter(|b| is_b64(*b)).count() < MIN_RUN {
        return Cow::Borrowed(s);
    }
    let mut spans = armour_spans(s);
    spans.extend(bare_key_spans(s, &spans));
    if spans.is_empty() {
        return Cow::Borrowed(s);
    }
    spans.sort_unstable();
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for (start, end) in spans {
        if end <= at {
            continue;
        }
        let start = start.max(at);
        out.push_str(s.get(at..start).unwrap_or_default());
        if !out.ends_with(REDACTED) {
            out.push_str(REDACTED);
        }
        at = end;
    }
    out.push_str(s.get(at..).unwrap_or_default());
    Cow::Owned(out)
}

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Marker {
    Begin,
    End,
}

/// Every `-----BEGIN/END <label>PRIVATE KEY-----` in `s`: kind, start and end.
fn markers(s: &str) -> Vec<(Marker, usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = s
        .get(from..)
        .and_then(|t| t.find("-----"))
        .map(|i| i + from)
    {
        match marker_at(s, i) {
            Some((kind, end)) => {
                out.push((kind, i, end));
                from = end;
            }
            None => from = i + 1,
        }
    }
    out
}

/// The private-key marker starting at `i`, if there is one: its kind and end.
fn marker_at(s: &str, i: usize) -> Option<(Marker, usize)> {
    let rest = s.get(i..)?.strip_prefix("-----")?;
    let (kind, label) = if let Some(label) = rest.strip_prefix("BEGIN ") {
        (Marker::Begin, label)
    } else {
        (Marker::End, rest.strip_prefix("END ")?)
    };
    let len = label
        .bytes()
        .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b' ')
        .count();
    let after = label.get(len..)?;
    if !label.get(..len)?.ends_with("PRIVATE KEY") || !after.starts_with("-----") {
        return None;
    }
    Some((kind, s.len() - after.len() + 5))
}

/// Armoured keys: from a BEGIN marker with a body after it to its END marker (or the end
/// of the quoted value); an END marker with a body before it and no BEGIN in view (the
/// value was shortened) back to the start of that body.
fn armour_spans(s: &str) -> Vec<(usize, usize)> {
    let all = markers(s);
    // Positions looked up by binary search, so that a text of many markers (a key
    // pasted thousands of times into one field name) stays linear.
    let ends: Vec<(usize, usize)> = all
        .iter()
        .filter(|(k, _, _)| *k == Marker::End)
        .map(|(_, b, e)| (*b, *e))
        .collect();
    let quotes: Vec<usize> = s
        .char_indices()
        .filter(|&(i, c)| c == '"' && !escaped(s, i))
        .map(|(i, _)| i)
        .collect();
    let mut spans = Vec::new();
    let mut covered = 0;
    for &(kind, start, end) in &all {
        if start < covered {
            continue;
        }
        match kind {
            Marker::Begin if body_follows(s, end) => {
                let stop = quotes
                    .get(quotes.partition_point(|q| *q < end))
                    .copied()
                    .unwrap_or(s.len());
                let until = ends
                    .get(ends.partition_point(|(b, _)| *b < end))
                    .filter(|(_, e)| *e <= stop)
                    .map_or(stop, |(_, e)| *e);
                spans.push((start, until));
                covered = until;
            }
            Marker::End if body_precedes(s, start) => {
                spans.push((body_start(s, covered, start), end));
                covered = end;
            }
            _ => {}
        }
    }
    spans
}

/// Base64 runs outside `armoured` that decode to the start of a private key, with the
/// lines that follow them.
fn bare_key_spans(s: &str, armoured: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let bytes = s.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes.get(i).copied().is_some_and(is_b64) {
            i += 1;
            continue;
        }
        let start = i;
        let mut run_end = i;
        while bytes.get(run_end).copied().is_some_and(is_b64) {
            run_end += 1;
        }
        i = run_end;
        // `armoured` is in text order and its spans do not overlap.
        let inside = armoured
            .get(
                armoured
                    .partition_point(|(a, _)| *a <= start)
                    .wrapping_sub(1),
            )
            .is_some_and(|(_, b)| start < *b);
        if inside {
            continue;
        }
        // The first characters of the body, across line breaks and escapes, with where
        // each one is; the run may begin with a character that is not the key's (`/`
        // of a JSON Pointer, the `n` of a `\n` escape), so a few alignments are tried.
        // DER keys start with a SEQUENCE (base64 `M`), OpenSSH keys with `b3Bl`.
        let may_start = |b: &u8| matches!(b, b'M' | b'b');
        if !bytes
            .get(start..run_end.min(start + 4))
            .is_some_and(|h| h.iter().any(may_start))
        {
            continue;
        }
        let head = body_head(s, start, MIN_RUN + 3);
        let found = (0..4)
            .filter(|&off| head.get(off).is_some_and(|(_, b)| may_start(b)))
            .find(|&off| {
                let text: Vec<u8> = head
                    .iter()
                    .skip(off)
                    .take(MIN_RUN)
                    .map(|(_, b)| *b)
                    .collect();
                text.len() == MIN_RUN
                    && base64::engine::general_purpose::STANDARD
                        .decode(&text)
                        .is_ok_and(|der| looks_like_key(&der))
            });
        let Some(first) = found.and_then(|off| head.get(off)).map(|(at, _)| *at) else {
            continue;
        };
        let until = body_end(s, run_end);
        spans.push((first, until));
        i = until;
    }
    spans
}

/// Up to `n` base64 characters from `i` on, joined across separators, with their
/// positions in `s`.
fn body_head(s: &str, mut i: usize, n: usize) -> Vec<(usize, u8)> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        match s.as_bytes().get(i) {
            Some(&b) if is_b64(b) => {
                out.push((i, b));
                i += 1;
            }
            _ => match separator_at(s, i) {
                0 => break,
                k => i += k,
            },
        }
    }
    out
}

/// Whether `d` starts like a private key: DER `SEQUENCE { INTEGER 0|1, ...` (PKCS#8,
/// PKCS#1, SEC1, DSA), an EncryptedPrivateKeyInfo with a PKCS#5/PKCS#12 scheme, or an
/// OpenSSH key. Certificates, CSRs and PKCS#12 archives start otherwise.
fn looks_like_key(d: &[u8]) -> bool {
    if d.starts_with(b"openssh-key-v1") {
        return true;
    }
    let Some(rest) = sequence_body(d) else {
        return false;
    };
    match rest {
        [0x02, 0x01, 0x00 | 0x01, 0x30 | 0x02 | 0x04, ..] => true,
        [0x30, ..] => sequence_body(rest).is_some_and(|alg| {
            matches!(
                alg,
                [
                    0x06,
                    0x09 | 0x0a,
                    0x2a,
                    0x86,
                    0x48,
                    0x86,
                    0xf7,
                    0x0d,
                    0x01,
                    0x05 | 0x0c,
                    ..
                ]
            )
        }),
        _ => false,
    }
}

/// What follows a DER SEQUENCE header (short or long length form).
fn sequence_body(d: &[u8]) -> Option<&[u8]> {
    match d {
        [0x30, 0x00..=0x7f, rest @ ..]
        | [0x30, 0x81, _, rest @ ..]
        | [0x30, 0x82, _, _, rest @ ..]
        | [0x30, 0x83, _, _, _, rest @ ..] => Some(rest),
        _ => None,
    }
}

/// The length of a separator inside a shown key at `i`: whitespace, `…`, and the escapes
/// values and locations are shown with (`\u{a}`, `\n`, `\\r`, `~1`...).
fn separator_at(s: &str, i: usize) -> usize {
    let t = s.get(i..).unwrap_or_default();
    let Some(c) = t.chars().next() else {
        return 0;
    };
    if c.is_whitespace() || c == '…' {
        return c.len_utf8();
    }
    // `~1` is how a JSON Pointer (a location) writes the key's `/`.
    for esc in ["\\u{a}", "\\u{d}", "\\u{9}", "~1", "~0"] {
        if t.starts_with(esc) {
            return esc.len();
        }
    }
    let slashes = t.bytes().take_while(|b| *b == b'\\').count();
    if slashes > 0 && matches!(t.as_bytes().get(slashes), Some(b'n' | b'r' | b't')) {
        return slashes + 1;
    }
    0
}

fn skip_separators(s: &str, mut i: usize) -> usize {
    loop {
        match separator_at(s, i) {
            0 => return i,
            n => i += n,
        }
    }
}

/// A key body (base64, or a `Proc-Type:` header) comes after the marker ending at `i`.
fn body_follows(s: &str, i: usize) -> bool {
    let j = skip_separators(s, i);
    s.as_bytes().get(j).copied().is_some_and(is_b64)
}

/// A key body ends just before the marker starting at `i`.
fn body_precedes(s: &str, i: usize) -> bool {
    let t = s.get(..i).unwrap_or_default();
    let t = t.trim_end_matches(|c: char| c.is_whitespace() || c == '…');
    let t = ["\\u{a}", "\\u{d}", "\\n", "\\r"]
        .iter()
        .find_map(|e| t.strip_suffix(e))
        .unwrap_or(t)
        .trim_end_matches('\\');
    t.bytes().last().is_some_and(|b| is_b64(b) || b == b'=')
}

/// Where the key body that ends at `i` starts: back over base64, armour, headers and
/// separators to a quote (the start of a shown value), or to `floor` (the end of the
/// previous span, or the start of the text).
fn body_start(s: &str, floor: usize, i: usize) -> usize {
    let mut start = i;
    let Some(before) = s.get(floor..i) else {
        return i;
    };
    for (at, c) in before.char_indices().rev().map(|(k, c)| (k + floor, c)) {
        let keyish = c.is_ascii_alphanumeric()
            || matches!(
                c,
                '+' | '/' | '=' | '-' | '\\' | '{' | '}' | '…' | ':' | ','
            )
            || c.is_whitespace();
        if !keyish {
            break;
        }
        start = at;
    }
    start
}

/// Where a bare key's body that has a run ending at `i` ends: over further lines joined
/// by separators, and a trailing END marker.
fn body_end(s: &str, mut i: usize) -> usize {
    loop {
        let j = skip_separators(s, i);
        let bytes = s.as_bytes();
        if bytes
            .get(j)
            .copied()
            .is_some_and(|b| is_b64(b) || b == b'=')
        {
            let mut k = j;
            while bytes
                .get(k)
                .copied()
                .is_some_and(|b| is_b64(b) || b == b'=')
            {
                k += 1;
            }
            i = k;
            continue;
        }
        return match marker_at(s, j) {
            Some((Marker::End, end)) => end,
            _ => i,
        };
    }
}

/// Whether the character at `i` follows an odd number of backslashes.
fn escaped(s: &str, i: usize) -> bool {
    s.get(..i)
        .unwrap_or_default()
        .bytes()
        .rev()
        .take_while(|b| *b == b'\\')
        .count()
        % 2
        == 1
}

#[cfg(test)]
mod tests {
    use super::{REDACTED, text};

    // The ELB seed's example key (public documentation), whole and as pieces.
    const KEY_B64: &str = "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDQVAbOLe5xNf4M253Wn9vhdUzojetjv4J+B7kYwsMhRcgdcJ8KCnX1nfzTvI2ksXlTQ2o9BkpStnPetB4s32ZiJRMlk+61iUUMNsHwK2WBX57JT3JgmyVbH8GbmRY0";
    const EC_SEC1: &str =
        "MHcCAQEEIBx8ijWwxs4sS9C2t+9lOMlNfRPVSC2mm9FQXUBr9CsKoAoGCCqGSM49AwEHoUQDQgAE";
    const CERT_B64: &str =
        "MIIC4TCCAcmgAwIBAgICEREwDQYJKoZIhvcNAQELBQAwFzEVMBMGA1UEAxMMTXlDb21wYW55IENBMB4X";

    fn clean(out: &str) {
        for piece in [
            "MIIEvgIBADAN",
            "Q2o9BkpStnPetB4s",
            "gyVbH8GbmRY0",
            "MHcCAQEEIBx8",
            "oUQDQgAE",
        ] {
            assert!(!out.contains(piece), "{out}");
        }
    }

    #[test]
    fn armoured_keys_in_shown_values_are_redacted() {
        let shown = format!(
            "`name` is \"-----BEGIN PRIVATE KEY-----\\u{{a}}{}\\u{{a}}-----END PRIVATE KEY-----\\u{{a}}\"; use letters",
            &KEY_B64[..64]
        );
        let out = text(&shown);
        clean(&out);
        assert_eq!(
            out,
            format!("`name` is \"{REDACTED}\\u{{a}}\"; use letters")
        );
        // One line, as in the ELB documentation's example.
        let one =
            format!("\"-----BEGIN RSA PRIVATE KEY-----{KEY_B64}-----END RSA PRIVATE KEY-----\"");
        assert_eq!(text(&one), format!("\"{REDACTED}\""));
        // Shortened in the middle: BEGIN in the head, END in the tail.
        let cut = format!(
            "\"-----BEGIN ENCRYPTED PRIVATE KEY-----\\u{{a}}MIIFHDBOBgkqhkiG…{}\\u{{a}}-----END ENCRYPTED PRIVATE KEY-----\" (3000 characters)",
            &KEY_B64[100..]
        );
        let out = text(&cut);
        clean(&out);
        assert!(out.ends_with("\" (3000 characters)"), "{out}");
        // No END in view: up to the end of the quoted value.
        let open = format!(
            "value \"-----BEGIN EC PRIVATE KEY-----\\u{{a}}{EC_SEC1}…\" (900 characters) rest"
        );
        assert_eq!(
            text(&open),
            format!("value \"{REDACTED}\" (900 characters) rest")
        );
        // Only the END in view (garbage before the key filled the head).
        let tail = format!(
            "\"garbage…{}\\u{{a}}-----END PRIVATE KEY-----\"",
            &KEY_B64[120..]
        );
        clean(&text(&tail));
    }

    #[test]
    fn bare_base64_keys_are_redacted_and_certificates_are_not() {
        let out = text(&format!("domain \"{KEY_B64}\" is not a host name")).into_owned();
        assert_eq!(out, format!("domain \"{REDACTED}\" is not a host name"));
        let out = text(&format!("x: \"{EC_SEC1}\\u{{a}}AAAA\\u{{a}}\"")).into_owned();
        clean(&out);
        let lines = format!("\"\\n{}\\n{}\"", &KEY_B64[..64], &KEY_B64[64..]);
        clean(&text(&lines));
        let cert = format!("label \"{CERT_B64}\"");
        assert_eq!(text(&cert), cert);
        // OpenSSH keys, whose base64 starts "openssh-key-v1".
        let ssh = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW";
        assert_eq!(text(ssh), REDACTED);
        // A key used as a JSON key: its location escapes `/` as `~1`.
        let pointer = format!("/{}", KEY_B64.replace('/', "~1"));
        assert_eq!(text(&pointer), format!("/{REDACTED}"));
    }

    #[test]
    fn many_markers_and_runs_stay_linear() {
        // A document key of a key pasted many times: no quadratic rescans (this takes
        // milliseconds; a quadratic scan would take minutes).
        let one = format!(
            "-----BEGIN PRIVATE KEY-----{}-----END PRIVATE KEY-----",
            &KEY_B64[..40]
        );
        let many = one.repeat(20_000);
        assert_eq!(text(&many), REDACTED);
        let tails = format!("{}-----END PRIVATE KEY-----", &KEY_B64[..40]).repeat(20_000);
        assert_eq!(text(&tails), REDACTED);
        let bare = format!("{KEY_B64} ").repeat(5_000);
        assert!(!text(&bare).contains("MIIEvgIBADAN"));
        let words = "word ".repeat(200_000);
        assert_eq!(text(&words), words);
    }

    #[test]
    fn messages_that_name_the_markers_are_kept() {
        for m in [
            "block 1 (PRIVATE KEY): \"-----BEGIN PRIVATE KEY-----\" at offset 0 has no matching \"-----END PRIVATE KEY-----\" line",
            "\"-----END RSA PRIVATE KEY-----\" at offset 12 has no BEGIN line before it",
            "block 1 (at offset 0): BEGIN and END labels differ: \"-----BEGIN PRIVATE KEY-----\" is closed by \"-----END EC PRIVATE KEY-----\"",
            "block 2 is a \"PRIVATE KEY\" block; this field takes CERTIFICATE blocks",
            "`name` must be 4 to 50 characters",
            "-----BEGIN PRIVATE KEY-----",
        ] {
            assert_eq!(text(m), m);
        }
    }
}
