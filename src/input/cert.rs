//! Certificates: the facts the rules need, read once from the DER with x509-parser.
//! Owned values, so later layers hold no borrow of the input.

use std::fmt;
use std::sync::OnceLock;

use time::OffsetDateTime;
use x509_parser::der_parser::oid::Oid;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::oid_registry::{
    OID_X509_EXT_BASIC_CONSTRAINTS, OID_X509_EXT_ISSUER_ALT_NAME, OID_X509_EXT_SUBJECT_ALT_NAME,
    OidRegistry,
};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::input::der::{self, TlvError};
use crate::input::key::{KeyAlgorithm, describe_spki};
use crate::input::verify::{
    signature_algorithm_name, signature_algorithms_differ, signature_hash_is_weak,
};

use crate::input::limits::MAX_DER_DEPTH;
pub use crate::input::limits::{MAX_CERT_DER_BYTES, MAX_SAN_NAMES};

/// Why a block is not a usable certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertError {
    TooLarge { bytes: usize },
    Der { detail: String },
}

impl fmt::Display for CertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CertError::TooLarge { bytes } => write!(
                f,
                "the block is {bytes} bytes of DER, more than the {MAX_CERT_DER_BYTES} any certificate needs"
            ),
            CertError::Der { detail } => write!(f, "not a valid X.509 certificate: {detail}"),
        }
    }
}

/// The facts of one certificate.
#[derive(Debug, Clone)]
pub struct CertInfo {
    pub der: Vec<u8>,
    pub subject: String,
    pub issuer: String,
    pub serial_hex: String,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    /// basicConstraints cA, `None` when the extension is absent.
    pub is_ca: Option<bool>,
    pub self_issued: bool,
    pub has_san: bool,
    pub dns_names: Vec<String>,
    pub key: Result<KeyAlgorithm, String>,
    pub spki_der: Vec<u8>,
    /// Signature algorithm name (`sha256WithRSAEncryption`, `SM2-with-SM3`...).
    pub signature_algorithm: String,
    /// `Some("SHA-1")` etc. when the signature hash is broken.
    pub weak_hash: Option<&'static str>,
    /// Bytes after the certificate's outer SEQUENCE.
    pub trailing_bytes: usize,
    /// Ways the certificate breaks DER or RFC 5280's encoding rules while still parsing
    /// (non-minimal lengths, fractional seconds, an extension twice), each a clause that
    /// follows "certificate N (name) ...".
    pub encoding_problems: Vec<String>,
    /// Breaches of RFC 5280's encoding rules that clients tolerate (a zero or over-long
    /// serial number, GeneralizedTime for a date before 2050), worded like
    /// `encoding_problems`: `cert-issuance` reports them, as issuance rules clients do
    /// not enforce.
    pub tolerated_encoding: Vec<String>,
    /// Breaches of RFC 5280's encoding rules that some clients refuse while the APIs are
    /// not known to (a negative serial number: Go refuses it), worded like
    /// `encoding_problems`: `der-malformed` reports them as warnings.
    pub refused_by_some_clients: Vec<String>,
    /// Critical extensions certgate does not recognise, as `name (OID)` or the OID.
    pub unknown_critical: Vec<String>,
    /// Issuance rules the certificate breaks ([`CertInfo::issuance`]): computed only when
    /// `cert-issuance` runs (it may be disabled), with the certificate as parsed when
    /// the run says so ([`CertInfo::read_issuance`]), else on first use.
    issuance: OnceLock<Vec<String>>,
    pub sha256_hex: String,
}

impl CertInfo {
    /// Issuance rules (RFC 5280, Baseline Requirements) the certificate breaks while
    /// clients accept it, worded like `encoding_problems`.
    pub fn issuance(&self) -> &[String] {
        self.issuance.get_or_init(|| {
            // `der` parsed when this was made: the same certificate again.
            X509Certificate::from_der(&self.der)
                .map(|(_, cert)| crate::input::issuance::breaches(&cert, self.is_ca == Some(true)))
                .unwrap_or_default()
        })
    }

    /// Computes [`CertInfo::issuance`] now from `cert`, this certificate as parsed, when a
    /// rule will read it: cheaper than parsing the DER again then.
    pub fn read_issuance(&self, cert: &X509Certificate<'_>) {
        self.issuance
            .get_or_init(|| crate::input::issuance::breaches(cert, self.is_ca == Some(true)));
    }

    /// Whether [`CertInfo::issuance`] has been computed (tests hold it lazy).
    #[cfg(test)]
    pub(crate) fn issuance_computed(&self) -> bool {
        self.issuance.get().is_some()
    }

    /// A short human name: the subject, or the serial when the subject is empty.
    pub fn name(&self) -> String {
        if self.subject.is_empty() {
            format!("(empty subject, serial {})", self.serial_hex)
        } else {
            self.subject.clone()
        }
    }
}

/// Parses one DER certificate.
pub fn parse_certificate(der: &[u8]) -> Result<CertInfo, CertError> {
    parse_certificate_x509(der).map(|(info, _)| info)
}

/// [`parse_certificate`], also returning the parsed certificate, so that the chain
/// analysis can work on it without parsing the DER again.
pub fn parse_certificate_x509(der: &[u8]) -> Result<(CertInfo, X509Certificate<'_>), CertError> {
    if der.len() > MAX_CERT_DER_BYTES {
        return Err(CertError::TooLarge { bytes: der.len() });
    }
    // Nesting is bounded before x509-parser (recursive) sees the data, and named: its
    // own error for a deep structure says only which field it expected.
    if let Some(at) = crate::input::der::too_deep(der, 0, MAX_DER_DEPTH) {
        return Err(CertError::Der {
            detail: format!(
                "values nest more than {MAX_DER_DEPTH} levels deep (at byte {at}); no certificate does this"
            ),
        });
    }
    let (rest, cert) = X509Certificate::from_der(der).map_err(|e| {
        let mut detail = describe_nom(&e);
        // x509-parser says only "invalid date": name the time and its form.
        if let Some(time) = DerScan::of(der).times.first() {
            detail = format!("{detail}: the certificate {time}");
        }
        CertError::Der { detail }
    })?;
    let used = der.len().saturating_sub(rest.len());
    let own = der.get(..used).unwrap_or(der);
    let validity = cert.validity();
    let scan = DerScan::of(own);
    let mut encoding_problems = scan.problems();
    let mut tolerated_encoding = scan.time_warnings;
    let mut refused_by_some_clients = Vec::new();
    serial_problems(
        cert.tbs_certificate.raw_serial(),
        &mut refused_by_some_clients,
        &mut tolerated_encoding,
    );
    if signature_algorithms_differ(&cert) {
        let inner = signature_algorithm_name(&cert.tbs_certificate.signature);
        let outer = signature_algorithm_name(&cert.signature_algorithm);
        // Same name: the parameters differ (a NULL present in one, absent in the other).
        let (inner, outer) = if inner == outer {
            (
                format!("{inner} {}", parameters(&cert.tbs_certificate.signature)),
                format!("{outer} {}", parameters(&cert.signature_algorithm)),
            )
        } else {
            (inner, outer)
        };
        encoding_problems.push(format!(
            "names two signature algorithms, {inner} inside the signed part \
             (tbsCertificate.signature) and {outer} outside it (signatureAlgorithm); RFC \
             5280 4.1.1.2 requires them identical, and clients refuse the certificate"
        ));
    }
    extension_problems(&cert, &mut encoding_problems);
    let duplicates = duplicate_extensions(&cert);
    let duplicated = |oid: &Oid<'_>| duplicates.iter().any(|(o, _)| o == oid);
    for (_, name) in &duplicates {
        encoding_problems.push(format!(
            "has the {name} extension more than once; RFC 5280 allows each extension once"
        ));
    }
    // With an extension twice, x509-parser refuses to pick one: the first instance is read.
    let first = |oid: &Oid<'_>| {
        cert.extensions()
            .iter()
            .find(|e| &e.oid == oid)
            .map(|e| e.parsed_extension())
    };
    let (has_san, dns_names) = match cert.subject_alternative_name() {
        Ok(Some(san)) => (true, dns_names_of(&san.value.general_names)),
        Ok(None) => (false, Vec::new()),
        Err(_) if duplicated(&OID_X509_EXT_SUBJECT_ALT_NAME) => {
            match first(&OID_X509_EXT_SUBJECT_ALT_NAME) {
                Some(ParsedExtension::SubjectAlternativeName(san)) => {
                    (true, dns_names_of(&san.general_names))
                }
                _ => (true, Vec::new()),
            }
        }
        Err(e) => {
            return Err(CertError::Der {
                detail: format!("subjectAltName: {e}"),
            });
        }
    };
    let is_ca = match cert.basic_constraints() {
        Ok(Some(bc)) => Some(bc.value.ca),
        Ok(None) => None,
        Err(_) if duplicated(&OID_X509_EXT_BASIC_CONSTRAINTS) => {
            match first(&OID_X509_EXT_BASIC_CONSTRAINTS) {
                Some(ParsedExtension::BasicConstraints(bc)) => Some(bc.ca),
                _ => None,
            }
        }
        Err(e) => {
            return Err(CertError::Der {
                detail: format!("basicConstraints: {e}"),
            });
        }
    };
    let unknown_critical = cert
        .extensions()
        .iter()
        .filter(|e| {
            e.critical
                && matches!(
                    e.parsed_extension(),
                    ParsedExtension::UnsupportedExtension { .. }
                )
        })
        .map(|e| extension_name(&e.oid))
        .collect();
    let spki_der = cert.public_key().raw.to_vec();
    let info = CertInfo {
        subject: name_text(cert.subject()),
        issuer: name_text(cert.issuer()),
        serial_hex: crate::input::hex::lower(cert.tbs_certificate.raw_serial()),
        not_before: validity.not_before.to_datetime(),
        not_after: validity.not_after.to_datetime(),
        is_ca,
        self_issued: cert.subject().as_raw() == cert.issuer().as_raw(),
        has_san,
        dns_names,
        key: describe_spki(&spki_der).map_err(|e| e.to_string()),
        spki_der,
        signature_algorithm: signature_algorithm_name(&cert.signature_algorithm),
        weak_hash: signature_hash_is_weak(&cert.signature_algorithm),
        trailing_bytes: rest.len(),
        encoding_problems,
        tolerated_encoding,
        refused_by_some_clients,
        unknown_critical,
        issuance: OnceLock::new(),
        sha256_hex: sha256_hex(own),
        der: own.to_vec(),
    };
    Ok((info, cert))
}

/// A distinguished name as text; x509-parser's own rendering of a name it cannot
/// decode is an error string, replaced by a plain statement.
fn name_text(name: &x509_parser::x509::X509Name<'_>) -> String {
    let text = name.to_string();
    if text.starts_with("<X509Error") {
        "(a name whose values do not decode)".to_string()
    } else {
        text
    }
}

fn dns_names_of(names: &[GeneralName<'_>]) -> Vec<String> {
    names
        .iter()
        .filter_map(|g| match g {
            GeneralName::DNSName(n) => Some(n.to_string()),
            _ => None,
        })
        .take(MAX_SAN_NAMES)
        .collect()
}

/// `subjectAltName (2.5.29.17)`, or the dotted OID when it has no known name.
fn extension_name(oid: &Oid<'_>) -> String {
    let registry = OidRegistry::default().with_x509();
    match registry.get(oid) {
        Some(entry) => format!("{} ({oid})", entry.sn()),
        None => oid.to_id_string(),
    }
}

/// How an AlgorithmIdentifier's parameters read: `without parameters`, `with NULL
/// parameters`, or `with parameters 0x...`.
fn parameters(alg: &x509_parser::x509::AlgorithmIdentifier<'_>) -> String {
    match &alg.parameters {
        None => "without parameters".to_string(),
        Some(p) if p.tag() == x509_parser::der_parser::asn1_rs::Tag::Null => {
            "with NULL parameters".to_string()
        }
        Some(p) => {
            let data: &[u8] = p.data;
            let head = data.get(..16).unwrap_or(data);
            format!(
                "with parameters 0x{}{}",
                crate::input::hex::lower(head),
                if head.len() < data.len() { "…" } else { "" }
            )
        }
    }
}

/// Extension values that are not what RFC 5280 4.1 says they are, "the DER encoding of
/// an ASN.1 value": not one DER value, or (for the extensions x509-parser knows: AIA,
/// AKI, SKI, keyUsage, EKU, CRL distribution points, policies...) not of the
/// extension's type. A lenient parser skips such an extension; clients refuse the
/// certificate. subjectAltName and basicConstraints fail the whole certificate earlier.
fn extension_problems(cert: &X509Certificate<'_>, problems: &mut Vec<String>) {
    for ext in cert.extensions() {
        let mut reader = crate::input::der::Reader::new(ext.value, 0);
        let single = match reader.next() {
            Ok(_) if reader.is_empty() => Ok(()),
            Ok(_) => Err(format!(
                "is one DER value followed by {}",
                plural_bytes(reader.remaining())
            )),
            Err(e) => Err(format!("is not DER ({e})")),
        };
        let shown = || {
            let head = ext.value.get(..16).unwrap_or(ext.value);
            format!(
                "0x{}{}",
                crate::input::hex::lower(head),
                if head.len() < ext.value.len() {
                    "…"
                } else {
                    ""
                }
            )
        };
        let problem = match (single, ext.parsed_extension()) {
            (Err(why), _) => Some(format!("its value {} {why}", shown())),
            (Ok(()), ParsedExtension::ParseError { .. }) => Some(format!(
                "its value {} does not parse as that extension",
                shown()
            )),
            _ => None,
        };
        if let Some(problem) = problem {
            problems.push(format!(
                "has a malformed {} extension: {problem}; RFC 5280 requires the DER \
                 encoding of the extension's type, and clients refuse the certificate",
                extension_name(&ext.oid)
            ));
        }
        if ext.oid == OID_X509_EXT_SUBJECT_ALT_NAME || ext.oid == OID_X509_EXT_ISSUER_ALT_NAME {
            if let Some(p) = non_ascii_general_name(ext.value) {
                problems.push(format!("has a {} with a {p}", extension_name(&ext.oid)));
            }
        }
    }
}

/// The first rfc822Name, dNSName or URI (IA5Strings: ASCII only) of a GeneralNames
/// value that holds a byte above 0x7F, as a clause. x509-parser reads them as UTF-8.
fn non_ascii_general_name(value: &[u8]) -> Option<String> {
    let mut outer = crate::input::der::Reader::new(value, 0);
    let names = outer.next().ok()?;
    let mut reader = names.reader();
    while let Ok(name) = reader.next() {
        let kind = match name.tag {
            0x81 => "rfc822Name",
            0x82 => "dNSName",
            0x86 => "uniformResourceIdentifier",
            _ => continue,
        };
        if !name.value.is_ascii() {
            return Some(format!(
                "{kind} that is not ASCII ({}); it is an IA5String, which holds ASCII only \
                 (RFC 5280 4.2.1.6: an internationalised name is written as its A-label, \
                 xn--...), and clients refuse the certificate",
                crate::rules::show(&String::from_utf8_lossy(name.value))
            ));
        }
    }
    None
}

/// Extensions that appear more than once: each OID once, in order of first appearance.
fn duplicate_extensions<'a>(cert: &'a X509Certificate<'_>) -> Vec<(Oid<'a>, String)> {
    let exts = cert.extensions();
    let mut out: Vec<(Oid<'a>, String)> = Vec::new();
    for (i, e) in exts.iter().enumerate() {
        let later = exts.iter().skip(i + 1).any(|x| x.oid == e.oid);
        if later && !out.iter().any(|(o, _)| o == &e.oid) {
            out.push((e.oid.clone(), extension_name(&e.oid)));
        }
    }
    out
}

/// RFC 5280 4.1.2.2: the serial number is a positive integer of at most 20 octets.
/// Negative serials are refused by some clients (Go since 1.23); zero and longer ones
/// are tolerated (rustls-webpki and OpenSSL read them), so they go with the issuance
/// rules clients do not enforce.
fn serial_problems(raw: &[u8], refused: &mut Vec<String>, tolerated: &mut Vec<String>) {
    let hex = crate::input::hex::lower(raw);
    if raw.first().is_some_and(|b| b & 0x80 != 0) {
        refused.push(format!(
            "has a negative serial number (0x{hex}); RFC 5280 requires a positive integer, \
             and some clients (Go) refuse the certificate"
        ));
        return;
    }
    let magnitude = match raw {
        [0, rest @ ..] if !rest.is_empty() => rest,
        _ => raw,
    };
    if magnitude.iter().all(|b| *b == 0) {
        tolerated.push("has the serial number 0; RFC 5280 requires a positive integer".to_string());
    } else if magnitude.len() > 20 {
        tolerated.push(format!(
            "has a serial number of {} octets (0x{hex}); RFC 5280 allows at most 20",
            magnitude.len()
        ));
    }
}

/// DER rules a lenient parser lets through, checked over the certificate's constructed
/// values (not inside OCTET or BIT STRINGs): lengths in their shortest form (X.690
/// 10.1) and times as RFC 5280 4.1.2.5 writes them (`YYMMDDHHMMSSZ`,
/// `YYYYMMDDHHMMSSZ`: seconds, no fractions, UTC; UTCTime through 2049). The first
/// length problem, and every time problem.
#[derive(Default)]
struct DerScan {
    length: Option<String>,
    times: Vec<String>,
    /// The first UTF8String that is not UTF-8.
    utf8: Option<String>,
    /// GeneralizedTime before 2050: RFC 5280 says UTCTime, clients accept either.
    time_warnings: Vec<String>,
    seen_times: usize,
}

impl DerScan {
    fn of(der: &[u8]) -> DerScan {
        let mut scan = DerScan::default();
        scan.walk(der, 0, 0);
        scan
    }

    /// Problems clients refuse, as clauses after "certificate N (name) ".
    fn problems(&self) -> Vec<String> {
        self.length
            .iter()
            .chain(&self.times)
            .chain(&self.utf8)
            .cloned()
            .collect()
    }

    fn walk(&mut self, buf: &[u8], base: usize, depth: usize) {
        let mut i = 0usize;
        loop {
            let rest = buf.get(i..).unwrap_or(&[]);
            // Lenient: any long form a `usize` holds, so that a non-minimal length is
            // reported rather than stopping the scan. High tag numbers (none in a
            // certificate's structure), truncation: stop.
            let h = match der::header(rest, base + i, usize::MAX) {
                Ok(h) => h,
                Err(TlvError::Indefinite { at }) => {
                    if self.length.is_none() {
                        self.length = Some(format!(
                            "is not DER: the value at byte {at} has an indefinite length (X.690 10.1)"
                        ));
                    }
                    return;
                }
                Err(_) => return,
            };
            let (tag, len) = (h.tag, h.len);
            if !h.is_minimal() && self.length.is_none() {
                let minimal = h.minimal_octets();
                let shortest = if minimal == 0 {
                    "the one-byte short form".to_string()
                } else {
                    plural_bytes(minimal + 1)
                };
                self.length = Some(format!(
                    "is not DER: the length of the value at byte {} is {len}, written in {} \
                     where DER requires {shortest} (X.690 10.1)",
                    base + i,
                    plural_bytes(h.header_len - 1),
                ));
            }
            let start = i + h.header_len;
            let Some(value) = start.checked_add(len).and_then(|end| buf.get(start..end)) else {
                return;
            };
            if tag & 0x20 != 0 {
                if depth < MAX_DER_DEPTH {
                    self.walk(value, base + start, depth + 1);
                }
            } else if tag == 0x17 || tag == 0x18 {
                self.time(tag, value);
            } else if tag == 0x0C && self.utf8.is_none() && std::str::from_utf8(value).is_err() {
                let shown = value.get(..16).unwrap_or(value);
                self.utf8 = Some(format!(
                    "has a UTF8String at byte {} that is not UTF-8 (0x{}{}); clients that \
                     decode names (Go) refuse the certificate",
                    base + i,
                    crate::input::hex::lower(shown),
                    if shown.len() < value.len() { "…" } else { "" }
                ));
            }
            i = start + len;
        }
    }

    fn time(&mut self, tag: u8, value: &[u8]) {
        self.seen_times += 1;
        let which = match self.seen_times {
            1 => "notBefore",
            2 => "notAfter",
            _ => "a time",
        };
        // Shown only in a finding: built when there is one.
        let text = || crate::rules::show(&String::from_utf8_lossy(value));
        let (kind, form, ok) = if tag == 0x17 {
            ("UTCTime", "YYMMDDHHMMSSZ", 13)
        } else {
            ("GeneralizedTime", "YYYYMMDDHHMMSSZ", 15)
        };
        let digits = value.len() == ok
            && value.iter().take(ok - 1).all(u8::is_ascii_digit)
            && value.last() == Some(&b'Z');
        if !digits {
            self.times.push(format!(
                "has {which} written as {kind} {}; RFC 5280 requires {form} (whole \
                 seconds, no fractions, UTC)",
                text()
            ));
        } else if tag == 0x18 && value.get(..4).is_some_and(|y| y < b"2050".as_slice()) {
            self.time_warnings.push(format!(
                "has {which} written as GeneralizedTime {}; RFC 5280 requires UTCTime \
                 for dates through 2049",
                text()
            ));
        }
    }
}

fn plural_bytes(n: usize) -> String {
    if n == 1 {
        "1 byte".to_string()
    } else {
        format!("{n} bytes")
    }
}

fn describe_nom(e: &x509_parser::nom::Err<x509_parser::error::X509Error>) -> String {
    match e {
        x509_parser::nom::Err::Incomplete(_) => "the DER ends early (truncated)".to_string(),
        x509_parser::nom::Err::Error(x) | x509_parser::nom::Err::Failure(x) => x.to_string(),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    crate::input::hex::lower(&sha2::Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serial(raw: &[u8]) -> (Vec<String>, Vec<String>) {
        let (mut e, mut w) = (Vec::new(), Vec::new());
        serial_problems(raw, &mut e, &mut w);
        (e, w)
    }

    #[test]
    fn serial_numbers() {
        assert_eq!(serial(&[0x10, 0x03]), (vec![], vec![]));
        // 20 octets plus the sign byte: the value has 20 octets, allowed.
        let mut twenty = vec![0x00, 0x80];
        twenty.extend([0x11; 19]);
        assert_eq!(serial(&twenty), (vec![], vec![]));
        assert!(serial(&[0x00]).1[0].contains("serial number 0"));
        assert!(serial(&[0xff]).0[0].contains("negative serial number (0xff)"));
        assert!(serial(&[0x01; 21]).1[0].contains("21 octets"));
    }

    fn leaf_der(text: &str) -> Vec<u8> {
        pem::parse_many(text).unwrap()[0].contents().to_vec()
    }

    /// Issuance breaches are computed only when asked: from the parsed certificate when
    /// a run reads them, else from the DER on first use, with the same result.
    #[test]
    fn issuance_breaches_are_computed_when_asked() {
        let der = leaf_der(corpus_text!("issuance", "key-identifiers.pem"));
        let lazy = parse_certificate(&der).unwrap();
        assert!(!lazy.issuance_computed());
        let (eager, cert) = parse_certificate_x509(&der).unwrap();
        eager.read_issuance(&cert);
        assert!(eager.issuance_computed());
        assert!(!eager.issuance().is_empty());
        assert_eq!(lazy.issuance(), eager.issuance());
    }

    #[test]
    fn extension_values_are_one_der_value_of_their_type() {
        let der = leaf_der(corpus_text!("limbo-misses", "leaf-aia-malformed.pem"));
        let problems = parse_certificate(&der).unwrap().encoding_problems;
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("is not DER"), "{problems:?}");
        // The same 9 bytes as an OCTET STRING: DER, but not an AuthorityInfoAccessSyntax
        // (the signature breaks; the encoding is what is judged here).
        let at = der.windows(9).position(|w| w == b"malformed").unwrap();
        let mut wrong_type = der.clone();
        wrong_type[at..at + 9].copy_from_slice(b"\x04\x07invalid");
        let problems = parse_certificate(&wrong_type).unwrap().encoding_problems;
        assert!(
            problems
                .iter()
                .any(|p| p.contains("does not parse as that extension")),
            "{problems:?}"
        );
        // One DER value followed by more.
        let mut trailing = der.clone();
        trailing[at..at + 9].copy_from_slice(b"\x05\x00\x05\x00\x05\x00\x05\x00\x00");
        let problems = parse_certificate(&trailing).unwrap().encoding_problems;
        assert!(
            problems.iter().any(|p| p.contains("followed by 7 bytes")),
            "{problems:?}"
        );
        let good = leaf_der(corpus_text!("limbo-misses", "leaf-keycertsign-not-ca.pem"));
        assert!(
            parse_certificate(&good)
                .unwrap()
                .encoding_problems
                .is_empty()
        );
    }

    #[test]
    fn ia5_general_names_must_be_ascii() {
        // SEQUENCE { dNSName "a.b", rfc822Name "é@x" (UTF-8) }
        let names = b"\x30\x0b\x82\x03a.b\x81\x04\xc3\xa9@x";
        let p = non_ascii_general_name(names).unwrap();
        assert!(
            p.starts_with("rfc822Name that is not ASCII (\"é@x\")"),
            "{p}"
        );
        assert_eq!(non_ascii_general_name(b"\x30\x05\x82\x03a.b"), None);
        // Other kinds (an iPAddress) and garbage are not this check's business.
        assert_eq!(
            non_ascii_general_name(b"\x30\x06\x87\x04\xc0\xa8\x00\x01"),
            None
        );
        assert_eq!(non_ascii_general_name(b"\xff"), None);
    }

    #[test]
    fn der_scan_finds_long_lengths_indefinite_lengths_and_bad_times() {
        // SEQUENCE { INTEGER 1 } with the length of the INTEGER as 0x81 0x01.
        let scan = DerScan::of(&[0x30, 0x04, 0x02, 0x81, 0x01, 0x01]);
        assert!(scan.problems()[0].contains("value at byte 2 is 1, written in 2 bytes"));
        let scan = DerScan::of(&[0x30, 0x80, 0x00, 0x00]);
        assert!(scan.problems()[0].contains("indefinite length"));
        let mut times = vec![0x30, 32];
        times.extend(b"\x17\x0d250101000000Z");
        times.extend(b"\x18\x0f20490101000000Z");
        let scan = DerScan::of(&times);
        assert!(scan.problems().is_empty());
        assert!(scan.time_warnings[0].contains("notAfter written as GeneralizedTime"));
        let scan = DerScan::of(b"\x30\x0f\x17\x0d2501010000+01");
        assert!(scan.problems()[0].contains("notBefore written as UTCTime"));
        // A declared length of 2^64-1: the value is not there, and the scan stops without
        // overflowing an offset.
        let scan = DerScan::of(&[0x30, 0x88, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
        assert!(scan.problems().is_empty());
        let scan = DerScan::of(&[0x30, 0x88, 0, 0, 0, 0, 0, 0, 0, 1, 5]);
        assert!(scan.problems()[0].contains("written in 9 bytes"));
    }
}
