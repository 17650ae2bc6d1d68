//! PKCS#10 certificate signing requests, as Esri Portal's `generateCsr` returns them.
//!
//! [`parse_csr`] takes what the user has: the whole JSON response body (the caller
//! names its field: `{"certificateSigningRequest": "..."}` for Esri), also the published non-strict form with raw
//! line breaks inside the string), the field value with literal `\r\n` escapes (not JSON
//! decoded) or real line breaks, indented lines, `NEW CERTIFICATE REQUEST` or
//! `CERTIFICATE REQUEST` labels, bare base64, or bare DER. A failure says what is wrong and
//! where: the character (line and column of the base64 body), or the DER byte offset, the
//! structure it belongs to, and which base64 characters carry that byte.
//!
//! Signature verification is done elsewhere: [`Csr`] exposes the SPKI DER, the signature
//! algorithm, the signed bytes and the signature.
//!
//! Types live here; `unwrap` takes the pasted text down to DER (with each base64
//! character's position), `layout` walks the DER and builds the [`Csr`].

use std::fmt;
use std::ops::Range;

use base64::Engine as _;

use super::der::{self, Reader, Tlv, TlvError};

pub use crate::input::limits::MAX_CSR_INPUT_BYTES as MAX_INPUT;
use crate::input::limits::MAX_DER_DEPTH;

const OID_EXTENSION_REQUEST: &str = "1.2.840.113549.1.9.14";
const OID_CHALLENGE_PASSWORD: &str = "1.2.840.113549.1.9.7";

/// How the CSR was found in the input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsrSource {
    /// Taken from a JSON response body's `certificateSigningRequest` field.
    pub from_response_body: bool,
    /// The response body was not strict JSON (e.g. raw line breaks inside the string).
    pub lenient_json: bool,
    /// The PEM label (`NEW CERTIFICATE REQUEST`, `CERTIFICATE REQUEST`), if PEM.
    pub pem_label: Option<String>,
    /// Literal `\r`, `\n`, `\t` or `\/` escapes were in the text (a JSON value not decoded).
    pub literal_escapes: bool,
    /// Some base64 lines were indented.
    pub indented_lines: bool,
    /// Bare base64 without PEM armour.
    pub bare_base64: bool,
    /// Bare DER.
    pub der: bool,
}

/// One attribute of the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsrAttribute {
    pub oid: String,
    pub name: Option<&'static str>,
    /// A short description; a challenge password's value is never shown.
    pub summary: String,
}

/// A parsed PKCS#10 request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Csr {
    pub der: Vec<u8>,
    pub source: CsrSource,
    /// The version field (0 for v1).
    pub version: u64,
    /// Subject, RFC 4514 style as x509-parser prints it.
    pub subject: String,
    /// Byte range of the subject Name in `der`.
    pub subject_range: Range<usize>,
    /// Byte range of the SubjectPublicKeyInfo in `der`.
    pub spki_range: Range<usize>,
    /// The public key algorithm OID, dotted.
    pub public_key_algorithm_oid: String,
    /// The signature algorithm OID, dotted.
    pub signature_algorithm_oid: String,
    /// The signature AlgorithmIdentifier's parameters, DER, if present (NULL included).
    pub signature_algorithm_params: Option<Vec<u8>>,
    /// Byte range of the signed CertificationRequestInfo in `der`.
    pub signed_range: Range<usize>,
    /// The signature BIT STRING's bytes (without the unused-bits octet).
    pub signature: Vec<u8>,
    pub attributes: Vec<CsrAttribute>,
    /// DNS names and IP addresses requested in a subjectAltName extension, as text.
    pub requested_sans: Vec<String>,
}

impl Csr {
    /// The SubjectPublicKeyInfo, DER.
    pub fn spki_der(&self) -> &[u8] {
        self.der.get(self.spki_range.clone()).unwrap_or(&[])
    }
    /// The bytes the signature covers (the CertificationRequestInfo, DER).
    #[cfg(test)] // only the unit tests read it
    pub fn signed_bytes(&self) -> &[u8] {
        self.der.get(self.signed_range.clone()).unwrap_or(&[])
    }
}

/// Which base64 characters carry a damaged DER byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base64Span {
    /// 1-based index of the first and last character in the base64 body (whitespace and
    /// line breaks not counted).
    pub first: usize,
    pub last: usize,
    /// 1-based line of the base64 body (the BEGIN line not counted) and column there.
    pub line: usize,
    pub column: usize,
    /// The 4-character group those characters are in.
    pub group: String,
}

/// Why the input is not a usable CSR. The Display text is the finding's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsrError {
    Empty,
    TooLarge {
        len: usize,
        limit: usize,
    },
    NotUtf8 {
        at: usize,
    },
    /// The JSON response body has no usable `certificateSigningRequest`.
    ResponseBody {
        what: String,
    },
    /// No `-----BEGIN ...-----` line and no bare base64.
    NoPemBlock {
        hint: String,
    },
    WrongLabel {
        found: String,
    },
    MissingEnd {
        label: String,
    },
    /// The base64 body is invalid at a character.
    Base64 {
        what: String,
        /// 1-based index in the base64 body, whitespace not counted.
        index: usize,
        line: usize,
        column: usize,
    },
    /// The DER is damaged.
    Der {
        /// Size of the decoded data.
        len: usize,
        at: usize,
        /// Which part of the request: `subject RDN 1 AttributeTypeAndValue`, ...
        structure: String,
        what: String,
        /// Where the damaged byte is in the base64 text, if the input was text.
        base64: Option<Base64Span>,
        /// The outer SEQUENCE's length matches the decoded size: not a truncation.
        outer_length_consistent: bool,
    },
    /// Well-formed DER that the PKCS#10 parser rejects.
    Rejected {
        what: String,
    },
}

impl fmt::Display for CsrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsrError::Empty => f.write_str("the CSR is empty"),
            CsrError::TooLarge { len, limit } => {
                write!(
                    f,
                    "the CSR input is {len} bytes, more than the {limit} accepted"
                )
            }
            CsrError::NotUtf8 { at } => write!(
                f,
                "the CSR is neither DER nor text: invalid UTF-8 at byte {at}"
            ),
            CsrError::ResponseBody { what } => write!(f, "the response body: {what}"),
            CsrError::NoPemBlock { hint } => write!(f, "no PEM certificate request: {hint}"),
            CsrError::WrongLabel { found } => write!(
                f,
                "the PEM block is \"{found}\", not \"NEW CERTIFICATE REQUEST\" or \
                 \"CERTIFICATE REQUEST\""
            ),
            CsrError::MissingEnd { label } => {
                write!(
                    f,
                    "the PEM block has no \"-----END {label}-----\" line: truncated?"
                )
            }
            CsrError::Base64 {
                what,
                index,
                line,
                column,
            } => write!(
                f,
                "the base64 is invalid at character {index} of the body (line {line}, column \
                 {column}): {what}"
            ),
            CsrError::Der {
                len,
                at,
                structure,
                what,
                base64,
                outer_length_consistent,
            } => {
                write!(
                    f,
                    "the data decodes ({len} bytes), but the DER is damaged at byte {at}, in \
                     {structure}: {what}"
                )?;
                if let Some(b) = base64 {
                    write!(
                        f,
                        ". Byte {at} comes from base64 characters {}-{} of the body (line {}, \
                         column {}, in the group \"{}\")",
                        b.first, b.last, b.line, b.column, b.group
                    )?;
                }
                if *outer_length_consistent {
                    f.write_str(
                        ". The outer SEQUENCE's length matches the decoded size, so the \
                         request was not truncated: bytes inside it were changed",
                    )?;
                }
                Ok(())
            }
            CsrError::Rejected { what } => {
                write!(
                    f,
                    "the DER is well-formed but is not a valid PKCS#10 request: {what}"
                )
            }
        }
    }
}

impl std::error::Error for CsrError {}

/// Parses a CSR from a response body (the string value of `response_field`, which the
/// caller names: decoding knows no vendor's field), a field value, PEM, bare base64 or
/// DER.
pub fn parse_csr(input: &[u8], response_field: &str) -> Result<Csr, CsrError> {
    if input.len() > MAX_INPUT {
        return Err(CsrError::TooLarge {
            len: input.len(),
            limit: MAX_INPUT,
        });
    }
    let mut source = CsrSource::default();
    if input.first() == Some(&0x30) {
        source.der = true;
        return parse_der(input.to_vec(), source, None);
    }
    let text = std::str::from_utf8(input).map_err(|e| CsrError::NotUtf8 {
        at: e.valid_up_to(),
    })?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(CsrError::Empty);
    }
    let owned;
    let text = if text.trim_start().starts_with('{') {
        source.from_response_body = true;
        let (value, lenient) = field_from_body(text, response_field)?;
        source.lenient_json = lenient;
        owned = value;
        owned.as_str()
    } else {
        text
    };
    let (body, label) = pem_body(text, &mut source)?;
    source.pem_label = label;
    let der = decode_body(&body)?;
    parse_der(der, source, Some(&body))
}

mod layout;
mod unwrap;

use layout::*;
use unwrap::*;

#[cfg(test)]
mod tests {
    use super::*;

    /// The Esri response's field, as the Esri profile passes it.
    fn parse_csr(input: &[u8]) -> Result<Csr, CsrError> {
        super::parse_csr(input, crate::rules::CSR_RESPONSE_FIELD)
    }

    const SEED: &[u8] = corpus_bytes!("esri/materials", "esri-generatecsr-example.json");

    fn ok(input: &[u8]) -> Csr {
        match parse_csr(input) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        }
    }

    /// Decoding names no vendor field: the caller's field is read, no other.
    #[test]
    fn response_body_field_is_the_callers() {
        let pem = std::str::from_utf8(corpus_bytes!("chains", "csr-rsa.pem")).unwrap();
        let body = serde_json::json!({ "csr": pem }).to_string();
        assert!(super::parse_csr(body.as_bytes(), "csr").is_ok());
        assert!(super::parse_csr(body.as_bytes(), "certificateSigningRequest").is_err());
    }

    fn verify_rsa_sha(csr: &Csr) -> bool {
        use rsa::pkcs8::DecodePublicKey;
        use rsa::signature::Verifier;
        let Ok(key) = rsa::RsaPublicKey::from_public_key_der(csr.spki_der()) else {
            return false;
        };
        let Ok(sig) = rsa::pkcs1v15::Signature::try_from(csr.signature.as_slice()) else {
            return false;
        };
        match csr.signature_algorithm_oid.as_str() {
            "1.2.840.113549.1.1.11" => rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key)
                .verify(csr.signed_bytes(), &sig)
                .is_ok(),
            "1.2.840.113549.1.1.5" => rsa::pkcs1v15::VerifyingKey::<sha1::Sha1>::new(key)
                .verify(csr.signed_bytes(), &sig)
                .is_ok(),
            _ => false,
        }
    }

    #[test]
    fn good_rsa_csr_pem_and_der() {
        let c = ok(corpus_bytes!("esri/materials", "csr-rsa.pem"));
        assert_eq!(c.source.pem_label.as_deref(), Some("CERTIFICATE REQUEST"));
        assert_eq!(c.subject, "O=certgate test, CN=portal.example.com");
        assert_eq!(c.public_key_algorithm_oid, "1.2.840.113549.1.1.1");
        assert_eq!(c.signature_algorithm_oid, "1.2.840.113549.1.1.11");
        assert_eq!(c.requested_sans, ["DNS:portal.example.com"]);
        assert_eq!(c.attributes.len(), 1);
        assert_eq!(c.attributes[0].name, Some("extensionRequest"));
        assert!(c.spki_der().starts_with(&[0x30, 0x82]));
        assert!(verify_rsa_sha(&c), "the exposed parts verify");
        let d = ok(corpus_bytes!("esri/materials", "csr-rsa.der"));
        assert!(d.source.der);
        assert_eq!(d.der, c.der);
    }

    #[test]
    fn good_ec_csr() {
        use p256::ecdsa::signature::Verifier;
        use p256::pkcs8::DecodePublicKey;
        let c = ok(corpus_bytes!("esri/materials", "csr-ec.pem"));
        assert_eq!(c.public_key_algorithm_oid, "1.2.840.10045.2.1");
        assert_eq!(c.signature_algorithm_oid, "1.2.840.10045.4.3.2");
        assert_eq!(c.signature_algorithm_params, None);
        let key = p256::ecdsa::VerifyingKey::from_public_key_der(c.spki_der()).expect("spki");
        let sig = p256::ecdsa::Signature::from_der(&c.signature).expect("sig");
        assert!(key.verify(c.signed_bytes(), &sig).is_ok());
    }

    #[test]
    fn tampered_csr_parses_but_does_not_verify() {
        let c = ok(corpus_bytes!("esri/materials", "csr-tampered.pem"));
        assert!(c.subject.contains("portam.example.com"));
        assert!(!verify_rsa_sha(&c));
    }

    #[test]
    fn weak_csr_parses() {
        let c = ok(corpus_bytes!("esri/materials", "csr-weak-rsa1024-sha1.pem"));
        assert_eq!(c.signature_algorithm_oid, "1.2.840.113549.1.1.5");
        assert_eq!(c.signature.len(), 128);
        assert!(verify_rsa_sha(&c));
    }

    /// The seed's example exactly as published: a body with raw line breaks inside the
    /// JSON string (so not strict JSON), literal `\r\n` escapes and indented lines.
    #[test]
    fn seed_example_body_gets_a_precise_finding() {
        let e = parse_csr(SEED).expect_err("the published example is damaged");
        let CsrError::Der {
            len,
            at,
            structure,
            what,
            base64,
            outer_length_consistent,
        } = &e
        else {
            panic!("{e}")
        };
        assert_eq!(*len, 380);
        assert_eq!(*at, 14);
        assert_eq!(structure, "the AttributeTypeAndValue of subject RDN 1");
        assert!(what.contains("found tag 0xF0"), "{what}");
        assert!(
            what.contains("28 bytes") && what.contains("27 bytes left"),
            "{what}"
        );
        let b = base64.as_ref().expect("span");
        assert_eq!((b.first, b.last, b.line, b.column), (19, 20, 1, 19));
        assert_eq!(b.group, "MR3w");
        assert!(outer_length_consistent);
        let msg = e.to_string();
        assert!(msg.contains("damaged at byte 14"), "{msg}");
        assert!(msg.contains("not truncated"), "{msg}");
    }

    /// The same value in each form a user may paste: JSON-decoded (real CR LF, then the
    /// raw line break and a space), not decoded (literal backslash escapes), strict JSON.
    #[test]
    fn seed_value_in_every_form_gives_the_same_finding() {
        let text = std::str::from_utf8(SEED).expect("utf8");
        let start = text.find("\"-----BEGIN").expect("start") + 1;
        let stop = text.rfind("\"\n}").expect("stop");
        let literal = &text[start..stop];
        assert!(literal.contains("\\r\\n\n "));
        let decoded = literal.replace("\\r\\n", "\r\n");
        let strict = format!(
            "{{\"certificateSigningRequest\": {}}}",
            serde_json::to_string(&decoded).expect("json")
        );
        let expected = parse_csr(SEED).expect_err("damaged");
        for input in [literal.to_string(), decoded, strict] {
            let e = parse_csr(input.as_bytes()).expect_err("damaged");
            assert_eq!(e, expected, "{input:?}");
        }
    }

    /// The damage is exactly five base64 characters replaced by the digits 1-5 (body
    /// positions 9, 16, 19, 38, 46). Restoring them gives a CSR whose signature verifies:
    /// everything else in the example is intact.
    #[test]
    fn seed_repaired_verifies() {
        let text = std::str::from_utf8(SEED).expect("utf8");
        let repaired = text
            .replacen("MIIBeDCB1gIBADA2MR3w", "MIIBeDCB4gIBADA5MR4w", 1)
            .replacen("ZWxmU4lnbmVkQ5Vy", "ZWxmU2lnbmVkQ2Vy", 1);
        let c = ok(repaired.as_bytes());
        assert!(c.source.from_response_body && c.source.lenient_json);
        // the \r\n escapes were JSON escapes of the body, decoded with it
        assert!(!c.source.literal_escapes && c.source.indented_lines);
        let start = repaired.find("-----BEGIN").expect("begin");
        let stop = repaired.rfind("\"\n}").expect("end");
        let value = ok(&repaired.as_bytes()[start..stop]);
        assert!(value.source.literal_escapes && !value.source.from_response_body);
        assert_eq!(value.der, c.der);
        assert_eq!(
            c.source.pem_label.as_deref(),
            Some("NEW CERTIFICATE REQUEST")
        );
        assert_eq!(c.subject, "O=SelfSignedCertificate, CN=GRID2.ESRI.COM");
        assert_eq!(c.signature_algorithm_oid, "1.2.840.113549.1.1.5");
        assert_eq!(c.signed_range, 4..233);
        assert!(verify_rsa_sha(&c));
    }

    #[test]
    fn text_errors_are_located() {
        let pem = std::str::from_utf8(corpus_bytes!("esri/materials", "csr-ec.pem")).expect("utf8");
        // an invalid character on line 2
        let mut lines: Vec<String> = pem.lines().map(str::to_string).collect();
        lines[2].replace_range(5..6, "*");
        let e = parse_csr(lines.join("\n").as_bytes()).expect_err("bad char");
        match &e {
            CsrError::Base64 {
                line,
                column,
                index,
                ..
            } => {
                assert_eq!((*line, *column, *index), (2, 6, 64 + 6));
            }
            other => panic!("{other:?}"),
        }
        // truncated: END line missing
        let cut = &pem[..pem.len() - 40];
        assert!(matches!(
            parse_csr(cut.as_bytes()),
            Err(CsrError::MissingEnd { .. })
        ));
        // wrong label
        let cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        assert!(matches!(
            parse_csr(cert.as_bytes()),
            Err(CsrError::WrongLabel { .. })
        ));
        // one character lost: length not a multiple of 4
        let mut l2 = lines.clone();
        l2[1].remove(10);
        assert!(matches!(
            parse_csr(l2.join("\n").as_bytes()),
            Err(CsrError::Base64 { .. })
        ));
        // bare base64 without armour
        let clean: Vec<&str> = pem.lines().collect();
        let bare: String = clean[1..clean.len() - 1].concat();
        assert!(ok(bare.as_bytes()).source.bare_base64);
        // an API error body
        let err = br#"{"status":"error","messages":["Certificate not found."],"code":404}"#;
        match parse_csr(err) {
            Err(CsrError::ResponseBody { what }) => assert!(what.contains("not found")),
            other => panic!("{other:?}"),
        }
        assert_eq!(parse_csr(b"   "), Err(CsrError::Empty));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        #[test]
        fn parse_csr_never_panics(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600), text in ".{0,300}") {
            let _ = parse_csr(&data);
            let _ = parse_csr(text.as_bytes());
            let _ = parse_csr(format!("-----BEGIN CERTIFICATE REQUEST-----\\r\\n{text}").as_bytes());
            let _ = parse_csr(format!("{{\"certificateSigningRequest\": \"{text}").as_bytes());
        }
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        let der = ok(corpus_bytes!("esri/materials", "csr-rsa.pem")).der;
        for n in 0..der.len() {
            let _ = parse_csr(&der[..n]);
        }
        for i in 0..der.len() {
            let mut d = der.clone();
            d[i] ^= 0x5A;
            let _ = parse_csr(&d);
        }
        let deep = crate::input::der::nested_sequences(50_000);
        assert!(parse_csr(&deep).is_err());
        for junk in [
            &b"{"[..],
            b"{\"certificateSigningRequest\": \"",
            b"-----BEGIN ",
            b"\\",
            b"\xff\xfe",
        ] {
            assert!(parse_csr(junk).is_err());
        }
    }
}
