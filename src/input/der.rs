//! The one bounded DER reader: tag, length and value with absolute offsets, for every
//! parser that walks DER by hand (the PKCS#12 pre-scan, the certificate encoding scan,
//! the CSR layout). Nothing here panics or allocates per value; lengths are checked
//! against the bytes that are there before any slice is taken, and nesting is walked
//! iteratively ([`too_deep`]) or by callers under a depth cap.

/// A value's header as written, before any DER strictness is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    pub tag: u8,
    /// Offset of the tag byte.
    pub at: usize,
    /// Tag, length byte and long-form length octets.
    pub header_len: usize,
    /// The declared length of the value (not checked against the data).
    pub len: usize,
    /// Octets of a long-form length (0 for the short form).
    pub length_octets: usize,
}

impl Header {
    /// Whether the length is written in its shortest form (X.690 10.1).
    pub fn is_minimal(&self) -> bool {
        self.length_octets == self.minimal_octets()
    }

    /// Octets the shortest long form needs, 0 when the short form does.
    pub fn minimal_octets(&self) -> usize {
        if self.len < 0x80 {
            0
        } else {
            (usize::BITS - self.len.leading_zeros()).div_ceil(8) as usize
        }
    }
}

/// Reads the header at the start of `rest` (whose first byte is at offset `at`), with
/// long-form lengths of at most `max_length_octets` octets (never more than a `usize`
/// holds). Non-minimal lengths are returned as they are: [`Reader`] refuses them, the
/// certificate scan reports them.
pub(crate) fn header(rest: &[u8], at: usize, max_length_octets: usize) -> Result<Header, TlvError> {
    let tag = *rest.first().ok_or(TlvError::Truncated { at })?;
    if tag & 0x1F == 0x1F {
        return Err(TlvError::HighTag { at, tag });
    }
    let first = *rest.get(1).ok_or(TlvError::Truncated { at })?;
    if first < 0x80 {
        return Ok(Header {
            tag,
            at,
            header_len: 2,
            len: usize::from(first),
            length_octets: 0,
        });
    }
    if first == 0x80 {
        return Err(TlvError::Indefinite { at });
    }
    let n = usize::from(first & 0x7F);
    if n > max_length_octets.min(std::mem::size_of::<usize>()) {
        return Err(TlvError::BadLength { at });
    }
    let bytes = rest.get(2..2 + n).ok_or(TlvError::Truncated { at })?;
    let len = bytes.iter().fold(0usize, |a, &b| (a << 8) | usize::from(b));
    Ok(Header {
        tag,
        at,
        header_len: 2 + n,
        len,
        length_octets: n,
    })
}

/// One DER value, with absolute offsets into the outermost buffer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tlv<'a> {
    pub tag: u8,
    /// Offset of the tag byte.
    pub at: usize,
    pub header_len: usize,
    pub value: &'a [u8],
}

impl<'a> Tlv<'a> {
    pub fn value_at(&self) -> usize {
        self.at + self.header_len
    }
    pub fn end(&self) -> usize {
        self.value_at() + self.value.len()
    }
    pub fn reader(&self) -> Reader<'a> {
        Reader::new(self.value, self.value_at())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TlvError {
    /// The header itself is cut off.
    Truncated { at: usize },
    /// Multi-byte tag numbers (never used in PKCS#12/PKCS#10).
    HighTag { at: usize, tag: u8 },
    /// BER indefinite length.
    Indefinite { at: usize },
    /// Length field longer than 4 bytes, or not minimally encoded.
    BadLength { at: usize },
    /// The declared length runs past the enclosing value (or the end of the data).
    Overrun {
        at: usize,
        tag: u8,
        declared: usize,
        available: usize,
    },
}

impl TlvError {
    pub fn at(&self) -> usize {
        match self {
            TlvError::Truncated { at }
            | TlvError::HighTag { at, .. }
            | TlvError::Indefinite { at }
            | TlvError::BadLength { at }
            | TlvError::Overrun { at, .. } => *at,
        }
    }
}

impl std::fmt::Display for TlvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TlvError::Truncated { .. } => f.write_str("the data ends inside a DER header"),
            TlvError::HighTag { tag, .. } => {
                write!(f, "tag 0x{tag:02X} uses the multi-byte tag form")
            }
            TlvError::Indefinite { .. } => f.write_str("BER indefinite length (0x80), not DER"),
            TlvError::BadLength { .. } => f.write_str("invalid DER length field"),
            TlvError::Overrun {
                tag,
                declared,
                available,
                ..
            } => write!(
                f,
                "{} (tag 0x{tag:02X}) says {declared} bytes follow, only {available} do",
                tag_name(*tag)
            ),
        }
    }
}

pub(crate) fn tag_name(tag: u8) -> String {
    match tag {
        0x01 => "BOOLEAN".into(),
        0x02 => "INTEGER".into(),
        0x03 => "BIT STRING".into(),
        0x04 => "OCTET STRING".into(),
        0x05 => "NULL".into(),
        0x06 => "OBJECT IDENTIFIER".into(),
        0x0C => "UTF8String".into(),
        0x13 => "PrintableString".into(),
        0x16 => "IA5String".into(),
        0x1E => "BMPString".into(),
        0x30 => "SEQUENCE".into(),
        0x31 => "SET".into(),
        t => {
            let class = match t >> 6 {
                0 => "universal",
                1 => "application",
                2 => "context",
                _ => "private",
            };
            let form = if t & 0x20 != 0 {
                "constructed"
            } else {
                "primitive"
            };
            format!("{class} [{}] {form}", t & 0x1F)
        }
    }
}

/// Reads consecutive values from `buf`, whose first byte is at absolute offset `base`.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    base: usize,
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8], base: usize) -> Self {
        Reader { buf, base, pos: 0 }
    }
    pub fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }
    /// Absolute offset of the next value.
    pub fn position(&self) -> usize {
        self.base + self.pos
    }
    /// Bytes left in this reader.
    pub fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }
    pub fn peek_tag(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }
    /// Reads the next header only: (tag, header length, declared length). Strict DER:
    /// definite lengths of at most 4 octets, in their shortest form.
    pub fn peek_header(&self) -> Result<(u8, usize, usize), TlvError> {
        let rest = self.buf.get(self.pos..).unwrap_or(&[]);
        let h = header(rest, self.position(), 4)?;
        if h.length_octets > 0 && !h.is_minimal() {
            return Err(TlvError::BadLength { at: h.at });
        }
        Ok((h.tag, h.header_len, h.len))
    }
    pub fn next(&mut self) -> Result<Tlv<'a>, TlvError> {
        let at = self.position();
        let (tag, header_len, len) = self.peek_header()?;
        let start = self.pos + header_len;
        let available = self.buf.len().saturating_sub(start);
        if len > available {
            return Err(TlvError::Overrun {
                at,
                tag,
                declared: len,
                available,
            });
        }
        let value = self
            .buf
            .get(start..start + len)
            .ok_or(TlvError::Truncated { at })?;
        self.pos = start + len;
        Ok(Tlv {
            tag,
            at,
            header_len,
            value,
        })
    }
}

/// Offset of the first constructed value nested deeper than `limit`, walking
/// iteratively (no recursion). Stops silently at the first malformed header: callers
/// report malformation themselves.
pub(crate) fn too_deep(buf: &[u8], base: usize, limit: usize) -> Option<usize> {
    let mut stack: Vec<usize> = vec![buf.len()];
    let mut pos = 0usize;
    loop {
        while stack.last() == Some(&pos) {
            stack.pop();
        }
        let end = *stack.last()?;
        if pos > end {
            return None;
        }
        let slice = buf.get(pos..end)?;
        let r = Reader::new(slice, base + pos);
        let (tag, hl, len) = r.peek_header().ok()?;
        if hl.checked_add(len)? > slice.len() {
            return None;
        }
        if tag & 0x20 != 0 {
            if stack.len() > limit {
                return Some(base + pos);
            }
            stack.push(pos + hl + len);
            pos += hl;
        } else {
            pos += hl + len;
        }
    }
}

/// Dotted form of an OID's content bytes.
pub(crate) fn oid_string(bytes: &[u8]) -> Option<String> {
    if bytes.is_empty() || bytes.last().is_some_and(|b| b & 0x80 != 0) {
        return None;
    }
    let mut arcs: Vec<u64> = Vec::new();
    let mut acc: u64 = 0;
    let mut n = 0;
    for &b in bytes {
        if n == 0 && b == 0x80 {
            return None; // non-minimal arc
        }
        acc = acc.checked_mul(128)?.checked_add(u64::from(b & 0x7F))?;
        n += 1;
        if b & 0x80 == 0 {
            arcs.push(acc);
            acc = 0;
            n = 0;
        }
    }
    let first = *arcs.first()?;
    let (a, b) = match first {
        0..=39 => (0, first),
        40..=79 => (1, first - 40),
        _ => (2, first - 80),
    };
    let mut s = format!("{a}.{b}");
    for arc in arcs.iter().skip(1) {
        s.push('.');
        s.push_str(&arc.to_string());
    }
    Some(s)
}

/// Value of a non-negative INTEGER, saturating at `u64::MAX`; `None` if negative or empty.
pub(crate) fn uint(bytes: &[u8]) -> Option<u64> {
    let first = *bytes.first()?;
    if first & 0x80 != 0 {
        return None;
    }
    let mut v: u64 = 0;
    for &b in bytes {
        v = match v.checked_mul(256) {
            Some(x) => x | u64::from(b),
            None => return Some(u64::MAX),
        };
    }
    Some(v)
}

/// `depth` nested DER SEQUENCEs around a NULL, built inside out with definite lengths:
/// hostile input for the DER walkers' depth limits (tests of this module and `csr`).
#[cfg(test)]
pub(crate) fn nested_sequences(depth: usize) -> Vec<u8> {
    let mut deep: Vec<u8> = vec![0x05, 0x00];
    for _ in 0..depth {
        let len = deep.len();
        let mut h = vec![0x30];
        if len < 0x80 {
            h.push(len as u8);
        } else {
            let bytes = (len as u32).to_be_bytes();
            let skip = bytes.iter().take_while(|b| **b == 0).count();
            h.push(0x80 | (4 - skip) as u8);
            h.extend(bytes.iter().skip(skip));
        }
        h.extend_from_slice(&deep);
        deep = h;
    }
    deep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_forms() {
        let mut r = Reader::new(&[0x02, 0x01, 0x05, 0x04, 0x81, 0x80], 10);
        let t = r.next().unwrap();
        assert_eq!((t.tag, t.at, t.value), (0x02, 10, &[0x05][..]));
        // 0x81 0x80 declares 128 bytes; none follow.
        assert_eq!(
            r.next().unwrap_err(),
            TlvError::Overrun {
                at: 13,
                tag: 0x04,
                declared: 128,
                available: 0
            }
        );
    }

    #[test]
    fn hostile_lengths_are_errors_not_panics() {
        // Every long form up to 8 octets of 0xFF, and 0x80 (indefinite) / 0xFF (127 octets).
        for n in 1u8..=8 {
            let mut d = vec![0x30, 0x80 | n];
            d.extend(std::iter::repeat_n(0xFF, usize::from(n)));
            let r = Reader::new(&d, 0);
            let e = r.clone().next().unwrap_err();
            if n > 4 {
                assert_eq!(e, TlvError::BadLength { at: 0 });
            } else {
                assert!(matches!(e, TlvError::Overrun { .. }), "{e:?}");
            }
            // The lenient header reads the length without touching the data.
            let h = header(&d, 0, usize::MAX).unwrap();
            assert_eq!(h.header_len, 2 + usize::from(n));
            assert_eq!(too_deep(&d, 0, 4), None);
        }
        assert_eq!(
            header(&[0x30, 0xFF, 0, 0], 0, usize::MAX),
            Err(TlvError::BadLength { at: 0 })
        );
        assert_eq!(
            Reader::new(&[0x30, 0x80, 0, 0], 3).next().unwrap_err(),
            TlvError::Indefinite { at: 3 }
        );
        assert_eq!(
            Reader::new(&[0x1F, 0x01], 0).next().unwrap_err(),
            TlvError::HighTag { at: 0, tag: 0x1F }
        );
        for cut in [&[][..], &[0x30], &[0x30, 0x82, 0x01]] {
            assert!(matches!(
                Reader::new(cut, 0).next(),
                Err(TlvError::Truncated { at: 0 })
            ));
        }
    }

    #[test]
    fn non_minimal_lengths() {
        // 0x81 0x05: five bytes written in the long form.
        let d = [0x04, 0x81, 0x05, 1, 2, 3, 4, 5];
        assert_eq!(
            Reader::new(&d, 0).next().unwrap_err(),
            TlvError::BadLength { at: 0 }
        );
        let h = header(&d, 0, usize::MAX).unwrap();
        assert!(!h.is_minimal());
        assert_eq!((h.len, h.minimal_octets()), (5, 0));
        // Leading zero octet.
        let h = header(&[0x04, 0x82, 0x00, 0x80], 0, 4).unwrap();
        assert!(!h.is_minimal());
        assert_eq!(h.minimal_octets(), 1);
    }

    #[test]
    fn depth_is_bounded_without_recursion() {
        let deep = nested_sequences(100_000);
        assert!(too_deep(&deep, 0, 32).is_some());
        assert_eq!(too_deep(&[0x30, 0x03, 0x30, 0x01, 0x05], 0, 32), None);
    }

    #[test]
    fn oids_and_integers() {
        assert_eq!(
            oid_string(&[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01]).as_deref(),
            Some("1.2.840.113549.1.7.1")
        );
        assert_eq!(oid_string(&[0x2A, 0x80, 0x01]), None);
        assert_eq!(oid_string(&[0x2A, 0x86]), None);
        assert_eq!(oid_string(&[0xFF; 40]), None);
        assert_eq!(uint(&[0x00, 0x80]), Some(128));
        assert_eq!(uint(&[0x80]), None);
        assert_eq!(uint(&[0x7F; 20]), Some(u64::MAX));
    }
}
