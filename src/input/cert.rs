//! Certificates: the facts the rules need, read once from the DER with x509-parser.
//! Owned values, so later layers hold no borrow of the input.

use std::fmt;

use time::OffsetDateTime;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::input::key::{KeyAlgorithm, describe_spki};
use crate::input::verify::{signature_algorithm_name, signature_hash_is_weak};

/// Certificates larger than this are refused before parsing (real ones are < 10 KB).
pub const MAX_CERT_DER_BYTES: usize = 64 * 1024;
/// DNS names read from one certificate's subjectAltName.
pub const MAX_SAN_NAMES: usize = 10_000;

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
    pub sha256_hex: String,
}

impl CertInfo {
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
    let (rest, cert) = X509Certificate::from_der(der).map_err(|e| CertError::Der {
        detail: describe_nom(&e),
    })?;
    let used = der.len().saturating_sub(rest.len());
    let own = der.get(..used).unwrap_or(der);
    let validity = cert.validity();
    let (has_san, dns_names) = match cert.subject_alternative_name() {
        Ok(Some(san)) => (
            true,
            san.value
                .general_names
                .iter()
                .filter_map(|g| match g {
                    GeneralName::DNSName(n) => Some(n.to_string()),
                    _ => None,
                })
                .take(MAX_SAN_NAMES)
                .collect(),
        ),
        Ok(None) => (false, Vec::new()),
        Err(e) => {
            return Err(CertError::Der {
                detail: format!("subjectAltName: {e}"),
            });
        }
    };
    let is_ca = match cert.basic_constraints() {
        Ok(Some(bc)) => Some(bc.value.ca),
        Ok(None) => None,
        Err(e) => {
            return Err(CertError::Der {
                detail: format!("basicConstraints: {e}"),
            });
        }
    };
    let spki_der = cert.public_key().raw.to_vec();
    let info = CertInfo {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
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
        sha256_hex: sha256_hex(own),
        der: own.to_vec(),
    };
    Ok((info, cert))
}

/// Key identifiers of a certificate, for chain building.
pub fn key_identifiers(cert: &X509Certificate<'_>) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    let mut ski = None;
    let mut aki = None;
    for ext in cert.extensions() {
        match ext.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(k) => ski = Some(k.0.to_vec()),
            ParsedExtension::AuthorityKeyIdentifier(a) => {
                aki = a.key_identifier.as_ref().map(|k| k.0.to_vec())
            }
            _ => {}
        }
    }
    (ski, aki)
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
