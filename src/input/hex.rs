//! Hex text for fingerprints, serials and key identifiers, without a per-byte `format!`.

fn nibble(n: u8, upper: bool) -> char {
    let c = char::from_digit(u32::from(n & 0x0f), 16).unwrap_or('0');
    if upper { c.to_ascii_uppercase() } else { c }
}

/// `0a1b...`: lower case, no separators.
pub fn lower(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(nibble(b >> 4, false));
        s.push(nibble(*b, false));
    }
    s
}

/// `0A:1B:...`: upper case, colon-separated (how openssl prints key identifiers).
pub fn upper_colon(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        s.push(nibble(b >> 4, true));
        s.push(nibble(*b, true));
    }
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_forms() {
        assert_eq!(super::lower(&[0x0a, 0xff, 0x00]), "0aff00");
        assert_eq!(super::upper_colon(&[0x0a, 0xff]), "0A:FF");
        assert_eq!(super::lower(&[]), "");
    }
}
