//! Fields whose value is base64 in the request document (Kubernetes `data`, Azure
//! `pfxBlob`): decoded once, as the receiving API decodes them, and what the decoded
//! bytes are when they are not what the field should carry. Never keeps or shows the
//! content: a diagnosis holds positions and classes of characters only.

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use zeroize::Zeroizing;

/// Go's `base64.StdEncoding` (what the Kubernetes API server and Azure's Go and .NET
/// front-ends decode with): the standard alphabet, padding required, non-zero trailing
/// bits tolerated; `\r` and `\n` are skipped before decoding.
const GO_STD: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
);

/// What the decoded bytes should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// PEM text (certificates, private keys).
    Pem,
    /// A DER structure (a PKCS#12 archive).
    Der,
}

/// Why a base64 field's value is not what the field should carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Not base64 at all: the API refuses the document. `offset` counts characters of
    /// the value from 0; `found` names the character (only ever a non-base64 one).
    Invalid { offset: usize, found: Invalid },
    /// Base64 of base64: the value was encoded twice, so one decoding leaves base64 text.
    DoubleEncoded,
    /// Base64 of DER where PEM text is expected (the DER file was encoded, not the PEM).
    DerNotPem,
    /// Base64 of a PEM body without its BEGIN/END lines (the armour was cut off).
    PemWithoutArmour,
}

/// The character class that made a value invalid base64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    /// A character outside the standard alphabet, shown when it is a printable symbol.
    Char(char),
    /// A space or tab (only line breaks are skipped).
    Whitespace,
    /// A URL-safe alphabet character (`-` or `_`).
    UrlSafe(char),
    /// Padding missing, misplaced or too long; or a length that is not a multiple of 4.
    Length,
    /// PEM text (`-----BEGIN`) where its base64 belongs.
    PemText,
}

impl Problem {
    /// A sentence naming the problem, for a message that names the field before it.
    pub fn describe(&self) -> String {
        match self {
            Problem::Invalid { offset, found } => {
                let what = match found {
                    Invalid::Char(c) if c.is_ascii_graphic() => format!("the character {c:?}"),
                    Invalid::Char(c) => format!("the character U+{:04X}", u32::from(*c)),
                    Invalid::Whitespace => "a space or tab".to_string(),
                    Invalid::UrlSafe(c) => {
                        format!("{c:?}, a URL-safe base64 character (the standard alphabet has + and /)")
                    }
                    Invalid::PemText => {
                        return "is PEM text, not base64: encode it (`base64 -w0 file.pem`) or give the PEM text as a plain value".to_string();
                    }
                    Invalid::Length => {
                        return "is not base64: its length or `=` padding is wrong (truncated, or padding missing)".to_string();
                    }
                };
                format!("is not base64: {what} at position {offset}")
            }
            Problem::DoubleEncoded => {
                "is base64 of base64 (encoded twice): one decoding leaves base64 text".to_string()
            }
            Problem::DerNotPem => {
                "is base64 of binary DER, not of PEM text: the DER file was encoded instead of the PEM file".to_string()
            }
            Problem::PemWithoutArmour => {
                "decodes to a PEM body without its -----BEGIN/-----END lines".to_string()
            }
        }
    }
}

/// Decodes a base64 field as the API does. The bytes are wiped when dropped.
pub fn decode(text: &str) -> Result<Zeroizing<Vec<u8>>, Problem> {
    if let Some(offset) = text.find("-----BEGIN") {
        if text.get(..offset).is_some_and(|b| b.trim().is_empty()) {
            return Err(Problem::Invalid {
                offset: text.get(..offset).map_or(0, |b| b.chars().count()),
                found: Invalid::PemText,
            });
        }
    }
    let mut compact = Zeroizing::new(Vec::with_capacity(text.len()));
    for (offset, c) in text.chars().enumerate() {
        match c {
            '\r' | '\n' => {}
            'A'..='Z' | 'a'..='z' | '0'..='9' | '+' | '/' | '=' => {
                compact.push(c as u8);
            }
            ' ' | '\t' => {
                return Err(Problem::Invalid {
                    offset,
                    found: Invalid::Whitespace,
                });
            }
            '-' | '_' => {
                return Err(Problem::Invalid {
                    offset,
                    found: Invalid::UrlSafe(c),
                });
            }
            other => {
                return Err(Problem::Invalid {
                    offset,
                    found: Invalid::Char(other),
                });
            }
        }
    }
    GO_STD
        .decode(compact.as_slice())
        .map(Zeroizing::new)
        .map_err(|e| match e {
            // Every byte is in the alphabet: a misplaced `=` is the only invalid byte.
            base64::DecodeError::InvalidByte(i, _) => Problem::Invalid {
                offset: original_offset(text, i),
                found: Invalid::Char('='),
            },
            _ => Problem::Invalid {
                offset: text.chars().count(),
                found: Invalid::Length,
            },
        })
}

/// The character offset in `text` of the `i`-th base64 character (line breaks skipped).
fn original_offset(text: &str, i: usize) -> usize {
    text.chars()
        .enumerate()
        .filter(|(_, c)| !matches!(c, '\r' | '\n'))
        .nth(i)
        .map_or(0, |(o, _)| o)
}

/// What is wrong with correctly decoded bytes for a field that should hold `expect`;
/// `None` when they look like it (the material rules judge the rest).
pub fn diagnose(decoded: &[u8], expect: Expect) -> Option<Problem> {
    let start = decoded.trim_ascii_start();
    let is_der = |b: &[u8]| matches!(b, [0x30, 0x80..=0x84, ..]);
    match expect {
        Expect::Pem if start.starts_with(b"-----BEGIN") => None,
        Expect::Pem if is_der(decoded) => Some(Problem::DerNotPem),
        Expect::Der if is_der(decoded) => None,
        _ => {
            // Base64 text inside: decode once more to tell double encoding from a PEM
            // body without its armour.
            let text = std::str::from_utf8(decoded).ok()?;
            let inner = decode(text.trim()).ok()?;
            let inner_start = inner.trim_ascii_start();
            if inner_start.starts_with(b"-----BEGIN") || (expect == Expect::Der && is_der(&inner)) {
                Some(Problem::DoubleEncoded)
            } else if expect == Expect::Pem && is_der(&inner) {
                Some(Problem::PemWithoutArmour)
            } else {
                None
            }
        }
    }
}

/// `bytes` as a base64 field takes them: standard base64 with padding, on one line (what
/// [`decode`] reads back).
pub fn encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(b: &[u8]) -> String {
        encode(b)
    }

    const PEM: &[u8] = b"-----BEGIN CERTIFICATE-----\nMIIBAA==\n-----END CERTIFICATE-----\n";

    #[test]
    fn standard_base64_with_line_breaks_decodes() {
        let text = b64(PEM);
        let (a, b) = text.split_at(10);
        let wrapped = format!("{a}\n{b}\r\n");
        assert_eq!(decode(&wrapped).unwrap().as_slice(), PEM);
        assert_eq!(diagnose(PEM, Expect::Pem), None);
    }

    #[test]
    fn invalid_characters_are_located() {
        assert_eq!(
            decode("QUJD RA=="),
            Err(Problem::Invalid {
                offset: 4,
                found: Invalid::Whitespace
            })
        );
        assert_eq!(
            decode("ab-d"),
            Err(Problem::Invalid {
                offset: 2,
                found: Invalid::UrlSafe('-')
            })
        );
        assert!(matches!(
            decode("QUJDRA"),
            Err(Problem::Invalid {
                found: Invalid::Length,
                ..
            })
        ));
        assert!(matches!(decode("QU=DRA=="), Err(Problem::Invalid { .. })));
        assert!(matches!(
            decode("\n-----BEGIN CERTIFICATE-----"),
            Err(Problem::Invalid {
                offset: 1,
                found: Invalid::PemText
            })
        ));
    }

    #[test]
    fn double_encoding_der_and_missing_armour_are_named() {
        let twice = b64(b64(PEM).as_bytes());
        let once = decode(&twice).unwrap();
        assert_eq!(diagnose(&once, Expect::Pem), Some(Problem::DoubleEncoded));
        let der = [0x30, 0x82, 0x01, 0x00, 0x02];
        assert_eq!(diagnose(&der, Expect::Pem), Some(Problem::DerNotPem));
        assert_eq!(diagnose(&der, Expect::Der), None);
        let body = b64(&der);
        assert_eq!(
            diagnose(body.as_bytes(), Expect::Pem),
            Some(Problem::PemWithoutArmour)
        );
        assert_eq!(
            diagnose(body.as_bytes(), Expect::Der),
            Some(Problem::DoubleEncoded)
        );
        assert_eq!(diagnose(b"hello", Expect::Pem), None);
    }
}
