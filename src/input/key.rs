//! Private keys: PKCS#8 (v1 and v2), PKCS#1 (RSA), SEC1 (EC, including SM2), Ed25519;
//! detection of encrypted keys (PKCS#8 `ENCRYPTED PRIVATE KEY` and legacy
//! `Proc-Type: 4,ENCRYPTED`), never decrypted here; and comparison of a private key with a
//! certificate's SubjectPublicKeyInfo.
//!
//! Secrets: a [`PrivateKey`] keeps only the public key derived from the private key (RSA
//! `n`/`e`, the EC point, the Ed25519 public key). The secret scalars and primes are read
//! from the caller's buffer, used to derive and cross-check the public key, and zeroized
//! before the parse function returns. `Debug` and every message show only the algorithm and
//! format; error details come from the DER decoder (tags, lengths, offsets), never key bytes.
//!
//! Nothing here panics, prints or performs I/O; work is bounded by [`MAX_KEY_DER_BYTES`]
//! and [`MAX_RSA_BITS`].

use std::borrow::Cow;
use std::fmt;

use der::asn1::{AnyRef, ObjectIdentifier, OctetStringRef};
use der::{Decode, Reader, Tag, Tagged};
use p256::elliptic_curve;
use p256::elliptic_curve::sec1::{FromEncodedPoint, ModulusSize, ToEncodedPoint};
use rsa::BigUint;
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};
use zeroize::{Zeroize, Zeroizing};

use crate::input::pem::{LabelKind, PemBlock};

/// Private keys (DER) larger than this are refused ([`KeyError::TooLarge`]).
pub use crate::input::limits::{MAX_KEY_DER_BYTES, MAX_RSA_BITS};

const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const OID_EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_SM2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.301");
const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");

/// Names (and sizes) of curves that are recognised but not supported for key matching.
const OTHER_CURVES: &[(&str, &str, u32)] = &[
    ("1.3.132.0.10", "secp256k1", 256),
    ("1.3.132.0.33", "secp224r1", 224),
    ("1.2.840.10045.3.1.1", "prime192v1", 192),
    ("1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1", 256),
    ("1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1", 384),
    ("1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1", 512),
];

/// Names of other public-key algorithms.
const OTHER_ALGORITHMS: &[(&str, &str)] = &[
    ("1.3.101.113", "Ed448"),
    ("1.3.101.110", "X25519"),
    ("1.3.101.111", "X448"),
    ("1.2.840.10040.4.1", "DSA"),
    ("1.2.840.113549.1.3.1", "DH"),
    ("1.2.840.10046.2.1", "DH (X9.42)"),
    ("1.2.643.7.1.1.1.1", "GOST R 34.10-2012 (256)"),
    ("1.2.643.7.1.1.1.2", "GOST R 34.10-2012 (512)"),
];

/// [`Curve::Other`] of an EC key whose parameters are spelled out (ECParameters) instead
/// of naming a curve.
pub const EXPLICIT_PARAMETERS: &str = "explicit parameters";

/// An elliptic curve. SM2 keys are [`KeyAlgorithm::Sm2`], never `Ec { .. }`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Curve {
    P256,
    P384,
    P521,
    /// Any other curve: its OID in dotted form, or `"explicit parameters"`.
    Other(String),
}

impl Curve {
    /// The conventional name (`P-256`, `secp256k1`) or `curve <oid>`.
    pub fn name(&self) -> Cow<'static, str> {
        match self {
            Curve::P256 => Cow::Borrowed("P-256"),
            Curve::P384 => Cow::Borrowed("P-384"),
            Curve::P521 => Cow::Borrowed("P-521"),
            Curve::Other(oid) => match OTHER_CURVES.iter().find(|(o, _, _)| o == oid) {
                Some((_, name, _)) => Cow::Borrowed(name),
                None if oid.starts_with(|c: char| c.is_ascii_digit()) => {
                    Cow::Owned(format!("curve {oid}"))
                }
                None => Cow::Owned(oid.clone()),
            },
        }
    }
}

impl fmt::Display for Curve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// A public-key algorithm with its size.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum KeyAlgorithm {
    /// RSA (rsaEncryption or RSASSA-PSS); `bits` is the modulus length.
    Rsa {
        bits: u32,
    },
    /// ECDSA/ECDH key on a named curve; `bits` is 0 when the curve is unknown.
    Ec {
        curve: Curve,
        bits: u32,
    },
    Ed25519,
    /// SM2 (id-ecPublicKey with curve 1.2.156.10197.1.301, or that OID as the algorithm).
    Sm2,
    /// Any other algorithm, by OID (dotted form).
    Other {
        oid: String,
    },
}

impl KeyAlgorithm {
    /// Key size in bits (RSA modulus, curve size; 256 for Ed25519 and SM2), if known.
    pub fn key_bits(&self) -> Option<u32> {
        match self {
            KeyAlgorithm::Rsa { bits } => Some(*bits),
            KeyAlgorithm::Ec { bits, .. } => (*bits > 0).then_some(*bits),
            KeyAlgorithm::Ed25519 | KeyAlgorithm::Sm2 => Some(256),
            KeyAlgorithm::Other { .. } => None,
        }
    }

    fn ec(curve: Curve) -> KeyAlgorithm {
        let bits = match &curve {
            Curve::P256 => 256,
            Curve::P384 => 384,
            Curve::P521 => 521,
            Curve::Other(oid) => OTHER_CURVES
                .iter()
                .find(|(o, _, _)| o == oid)
                .map_or(0, |(_, _, b)| *b),
        };
        KeyAlgorithm::Ec { curve, bits }
    }

    fn from_curve_oid(oid: &ObjectIdentifier) -> KeyAlgorithm {
        match *oid {
            OID_P256 => KeyAlgorithm::ec(Curve::P256),
            OID_P384 => KeyAlgorithm::ec(Curve::P384),
            OID_P521 => KeyAlgorithm::ec(Curve::P521),
            OID_SM2 => KeyAlgorithm::Sm2,
            other => KeyAlgorithm::ec(Curve::Other(other.to_string())),
        }
    }
}

impl fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyAlgorithm::Rsa { bits } => write!(f, "RSA-{bits}"),
            KeyAlgorithm::Ec { curve, .. } => write!(f, "EC {curve}"),
            KeyAlgorithm::Ed25519 => f.write_str("Ed25519"),
            KeyAlgorithm::Sm2 => f.write_str("SM2"),
            KeyAlgorithm::Other { oid } => match OTHER_ALGORITHMS.iter().find(|(o, _)| o == oid) {
                Some((_, name)) => f.write_str(name),
                None => write!(f, "algorithm {oid}"),
            },
        }
    }
}

/// The encoding a key was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyFormat {
    /// PKCS#8 PrivateKeyInfo / OneAsymmetricKey (`PRIVATE KEY`).
    Pkcs8,
    /// PKCS#1 RSAPrivateKey (`RSA PRIVATE KEY`).
    Pkcs1,
    /// SEC1 ECPrivateKey (`EC PRIVATE KEY`).
    Sec1,
    /// PKCS#8 EncryptedPrivateKeyInfo (`ENCRYPTED PRIVATE KEY`). Only in errors and
    /// [`EncryptedKeyInfo`]; a [`PrivateKey`] never has this format.
    EncryptedPkcs8,
}

impl KeyFormat {
    /// The PEM label for this format.
    pub fn pem_label(self) -> &'static str {
        match self {
            KeyFormat::Pkcs8 => "PRIVATE KEY",
            KeyFormat::Pkcs1 => "RSA PRIVATE KEY",
            KeyFormat::Sec1 => "EC PRIVATE KEY",
            KeyFormat::EncryptedPkcs8 => "ENCRYPTED PRIVATE KEY",
        }
    }
}

impl fmt::Display for KeyFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyFormat::Pkcs8 => "PKCS#8",
            KeyFormat::Pkcs1 => "PKCS#1",
            KeyFormat::Sec1 => "SEC1",
            KeyFormat::EncryptedPkcs8 => "encrypted PKCS#8",
        })
    }
}

/// The public half of a private key, derived at parse time.
#[derive(Clone, PartialEq, Eq)]
enum PublicMaterial {
    /// Big-endian, without leading zeros.
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
    P256(p256::PublicKey),
    P384(p384::PublicKey),
    P521(p521::PublicKey),
    Sm2(sm2::PublicKey),
    Ed25519([u8; 32]),
    /// The key parsed but its public key cannot be derived here (reason).
    Unsupported(String),
}

/// A plaintext private key. Holds only its algorithm, format and derived public key: the
/// secret material is zeroized before parsing returns, so there is nothing secret to leak
/// or to zeroize later. `Debug` shows the algorithm and format only.
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKey {
    algorithm: KeyAlgorithm,
    format: KeyFormat,
    public: PublicMaterial,
}

impl PrivateKey {
    /// The key's algorithm and size.
    pub fn algorithm(&self) -> KeyAlgorithm {
        self.algorithm.clone()
    }

    /// The encoding the key was found in.
    pub fn format(&self) -> KeyFormat {
        self.format
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("algorithm", &format_args!("{}", self.algorithm))
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

/// How an encrypted key is protected (read from the DER or PEM headers, not decrypted).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncryptedKeyInfo {
    /// [`KeyFormat::EncryptedPkcs8`], or the label's format for legacy PEM encryption.
    pub format: KeyFormat,
    /// True for legacy OpenSSL PEM encryption (`Proc-Type: 4,ENCRYPTED` + `DEK-Info`).
    pub legacy_pem: bool,
    /// `PBES2`, `PBES1`, a PKCS#12 PBE name, `legacy PEM`, or `algorithm <oid>`.
    pub scheme: String,
    /// Key derivation, e.g. `PBKDF2-HMAC-SHA256`, `scrypt (N=16384, r=8, p=1)`.
    pub kdf: Option<String>,
    /// Cipher, e.g. `AES-256-CBC`.
    pub cipher: Option<String>,
    /// Iteration count (PBKDF2 / PBES1), when stated.
    pub iterations: Option<u64>,
}

impl fmt::Display for EncryptedKeyInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.legacy_pem {
            write!(
                f,
                "a passphrase-protected {} key (legacy OpenSSL PEM encryption, Proc-Type: 4,ENCRYPTED",
                self.format
            )?;
        } else {
            write!(f, "a passphrase-protected PKCS#8 key ({}", self.scheme)?;
        }
        let mut parts = Vec::new();
        if let Some(k) = &self.kdf {
            parts.push(k.clone());
        }
        if let Some(i) = self.iterations {
            parts.push(format!("{i} iterations"));
        }
        if let Some(c) = &self.cipher {
            parts.push(c.clone());
        }
        if parts.is_empty() {
            f.write_str(")")
        } else {
            write!(f, ": {})", parts.join(", "))
        }
    }
}

/// The outcome of parsing a key block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParsedKey {
    Plain(PrivateKey),
    Encrypted(EncryptedKeyInfo),
}

/// Why a key could not be read. Messages never contain key material.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyError {
    /// The block is not a private key (a certificate, public key, CSR, ...).
    NotAKey { label: String },
    /// A private key in a format that is not supported (OpenSSH, DSA, PuTTY, PGP).
    UnsupportedFormat { label: String, hint: &'static str },
    /// The label says one format but the DER is another.
    WrongContent { label: String, found: KeyFormat },
    /// The DER does not decode as `what`.
    Malformed { what: &'static str, detail: String },
    /// Bare DER that is none of PKCS#8, PKCS#1, SEC1, encrypted PKCS#8.
    UnknownDer { detail: String },
    /// The key decodes but its parts do not agree (corrupt or edited).
    Inconsistent {
        algorithm: KeyAlgorithm,
        detail: &'static str,
    },
    /// The key decodes but is not a valid key (e.g. EC scalar zero or out of range).
    InvalidKey {
        algorithm: KeyAlgorithm,
        detail: &'static str,
    },
    /// Larger than [`MAX_KEY_DER_BYTES`] or [`MAX_RSA_BITS`].
    TooLarge {
        what: &'static str,
        size: usize,
        limit: usize,
    },
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::NotAKey { label } => {
                let what = match (LabelKind::of(label), label.as_str()) {
                    (LabelKind::Certificate, _) => {
                        "a certificate, not a private key: the certificate goes in the certificate \
                         field and the private key (\"-----BEGIN PRIVATE KEY-----\") here"
                    }
                    (LabelKind::PublicKey, _) => {
                        "a public key, not the private key: the private key is needed here"
                    }
                    (LabelKind::Csr, _) => "a certificate signing request (CSR), not a private key",
                    (_, "PKCS7" | "CMS") => "a PKCS#7 bundle, not a private key",
                    (_, "EC PARAMETERS") => {
                        "EC curve parameters only (as written by `openssl ecparam` without \
                         -noout), not the key; the EC PRIVATE KEY block is needed"
                    }
                    (_, "X509 CRL") => "a certificate revocation list, not a private key",
                    (_, _) => {
                        "not a private key (expected PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY \
                         or ENCRYPTED PRIVATE KEY)"
                    }
                };
                write!(f, "the {label} block is {what}")
            }
            KeyError::UnsupportedFormat { label, hint } => {
                write!(f, "{label} keys are not supported: {hint}")
            }
            KeyError::WrongContent { label, found } => write!(
                f,
                "the block is labelled \"{label}\" but contains a {found} key; the label for it is \
                 \"{}\" (or convert it with `openssl pkey`)",
                found.pem_label()
            ),
            KeyError::Malformed { what, detail } => {
                write!(f, "the key is not a valid {what}: {detail}")
            }
            KeyError::UnknownDer { detail } => write!(
                f,
                "the data is not a PKCS#8, PKCS#1 or SEC1 private key ({detail})"
            ),
            KeyError::Inconsistent { algorithm, detail } => write!(
                f,
                "the {algorithm} private key is inconsistent: {detail} (the key is corrupt or was edited)"
            ),
            KeyError::InvalidKey { algorithm, detail } => {
                write!(f, "the {algorithm} private key is invalid: {detail}")
            }
            KeyError::TooLarge { what, size, limit } => {
                write!(f, "the {what} is too large ({size}; the limit is {limit})")
            }
        }
    }
}

impl std::error::Error for KeyError {}

/// Whether a PEM label is one of the private-key labels [`parse_private_key`] reads
/// ([`LabelKind::is_private_key`]).
pub fn is_private_key_label(label: &str) -> bool {
    LabelKind::of(label).is_private_key()
}

/// Parses a PEM private-key block: `PRIVATE KEY` (PKCS#8), `RSA PRIVATE KEY` (PKCS#1),
/// `EC PRIVATE KEY` (SEC1), `ENCRYPTED PRIVATE KEY`, and legacy `Proc-Type: 4,ENCRYPTED`
/// blocks. Encrypted keys are described, not decrypted.
pub fn parse_private_key(block: &PemBlock) -> Result<ParsedKey, KeyError> {
    let label = block.label.as_str();
    let format = match label {
        "PRIVATE KEY" => KeyFormat::Pkcs8,
        "RSA PRIVATE KEY" => KeyFormat::Pkcs1,
        "EC PRIVATE KEY" => KeyFormat::Sec1,
        "ENCRYPTED PRIVATE KEY" => KeyFormat::EncryptedPkcs8,
        // GmSSL-style label: the body is SEC1 or PKCS#8 with the SM2 curve.
        "SM2 PRIVATE KEY" => sniff(&block.der).unwrap_or(KeyFormat::Sec1),
        "OPENSSH PRIVATE KEY" | "SSH2 ENCRYPTED PRIVATE KEY" => {
            return Err(KeyError::UnsupportedFormat {
                label: label.to_string(),
                hint: "this is an SSH key file; convert it to PKCS#8 with \
                       `ssh-keygen -p -m PKCS8 -f <file>` (or `openssl pkey`)",
            });
        }
        "DSA PRIVATE KEY" => {
            return Err(KeyError::UnsupportedFormat {
                label: label.to_string(),
                hint: "DSA keys cannot be used for TLS server certificates; use RSA or EC",
            });
        }
        "PGP PRIVATE KEY BLOCK" => {
            return Err(KeyError::UnsupportedFormat {
                label: label.to_string(),
                hint: "this is an OpenPGP key, not an X.509/PKCS key",
            });
        }
        _ => {
            return Err(KeyError::NotAKey {
                label: label.to_string(),
            });
        }
    };
    if block.is_legacy_encrypted() {
        let cipher = block.header("DEK-Info").map(|v| {
            let name = v.split(',').next().unwrap_or_default().trim();
            name.chars()
                .filter(|c| c.is_ascii_graphic())
                .take(40)
                .collect::<String>()
        });
        return Ok(ParsedKey::Encrypted(EncryptedKeyInfo {
            format,
            legacy_pem: true,
            scheme: "legacy PEM".to_string(),
            kdf: Some("EVP_BytesToKey-MD5".to_string()),
            cipher,
            iterations: None,
        }));
    }
    let der: &[u8] = &block.der;
    check_size(der)?;
    let attempt = match format {
        KeyFormat::Pkcs8 => parse_pkcs8(der).map(ParsedKey::Plain),
        KeyFormat::Pkcs1 => parse_pkcs1(der).map(ParsedKey::Plain),
        KeyFormat::Sec1 => parse_sec1(der).map(ParsedKey::Plain),
        KeyFormat::EncryptedPkcs8 => encrypted_info(der).map(ParsedKey::Encrypted),
    };
    match attempt {
        Ok(k) => Ok(k),
        Err(Attempt::Failed(e)) => Err(e),
        Err(Attempt::NotThisFormat(e)) => {
            if let Some(found) = sniff(der).filter(|f| *f != format) {
                return Err(KeyError::WrongContent {
                    label: label.to_string(),
                    found,
                });
            }
            Err(KeyError::Malformed {
                what: structure_name(format),
                detail: e.to_string(),
            })
        }
    }
}

/// Parses a bare DER private key (e.g. from a PKCS#12 archive): PKCS#8, then PKCS#1, then
/// SEC1; an EncryptedPrivateKeyInfo is reported as [`ParsedKey::Encrypted`].
pub fn parse_private_key_der(der: &[u8]) -> Result<ParsedKey, KeyError> {
    check_size(der)?;
    let first = match parse_pkcs8(der) {
        Ok(k) => return Ok(ParsedKey::Plain(k)),
        Err(Attempt::Failed(e)) => return Err(e),
        Err(Attempt::NotThisFormat(e)) => e,
    };
    for parse in [parse_pkcs1, parse_sec1] {
        match parse(der) {
            Ok(k) => return Ok(ParsedKey::Plain(k)),
            Err(Attempt::Failed(e)) => return Err(e),
            Err(Attempt::NotThisFormat(_)) => {}
        }
    }
    match encrypted_info(der) {
        Ok(info) => Ok(ParsedKey::Encrypted(info)),
        Err(Attempt::Failed(e)) => Err(e),
        Err(Attempt::NotThisFormat(_)) => Err(KeyError::UnknownDer {
            detail: format!("as PKCS#8: {first}"),
        }),
    }
}

/// The algorithm and size of a SubjectPublicKeyInfo (a certificate's or CSR's public key).
pub fn describe_spki(spki_der: &[u8]) -> Result<KeyAlgorithm, KeyError> {
    spki_public(spki_der).map(|(alg, _)| alg)
}

/// Whether a private key belongs to a SubjectPublicKeyInfo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyMatch {
    /// Same public key.
    Match,
    /// Different public keys (the algorithms may be equal).
    Mismatch {
        key: KeyAlgorithm,
        cert: KeyAlgorithm,
    },
    /// The comparison cannot be made for this algorithm (reason).
    Unsupported(String),
    /// The SubjectPublicKeyInfo is malformed (reason); the certificate parser reports it.
    Invalid(String),
}

impl fmt::Display for KeyMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyMatch::Match => f.write_str("the private key matches the certificate"),
            KeyMatch::Mismatch { key, cert } if key == cert => write!(
                f,
                "the private key does not belong to the certificate: both are {key}, but the \
                 public keys differ"
            ),
            KeyMatch::Mismatch { key, cert } => write!(
                f,
                "the private key does not belong to the certificate: the key is {key} but the \
                 certificate's public key is {cert}"
            ),
            KeyMatch::Unsupported(r) => write!(f, "the key cannot be compared: {r}"),
            KeyMatch::Invalid(r) => {
                write!(f, "the certificate's public key cannot be read: {r}")
            }
        }
    }
}

/// Compares the public key derived from `key` with the SubjectPublicKeyInfo `spki_der`
/// (RSA `n` and `e`; EC points compared as points, compressed or uncompressed; Ed25519 and
/// SM2 public keys).
pub fn key_matches_spki(key: &PrivateKey, spki_der: &[u8]) -> KeyMatch {
    let (cert_alg, cert_pub) = match spki_public(spki_der) {
        Ok(x) => x,
        Err(e) => return KeyMatch::Invalid(e.to_string()),
    };
    let mismatch = || KeyMatch::Mismatch {
        key: key.algorithm.clone(),
        cert: cert_alg.clone(),
    };
    let verdict = |same: bool| if same { KeyMatch::Match } else { mismatch() };
    let bad_point = |curve: &str| {
        KeyMatch::Invalid(format!(
            "the certificate's public key is not a valid {curve} point"
        ))
    };
    match (&key.public, cert_pub) {
        (PublicMaterial::Rsa { n, e }, SpkiPublic::Rsa { n: cn, e: ce }) => {
            verdict(n.as_slice() == cn && e.as_slice() == ce)
        }
        (PublicMaterial::P256(pk), SpkiPublic::Ec(OID_P256, point)) => {
            match p256::PublicKey::from_sec1_bytes(point) {
                Ok(c) => verdict(*pk == c),
                Err(_) => bad_point("P-256"),
            }
        }
        (PublicMaterial::P384(pk), SpkiPublic::Ec(OID_P384, point)) => {
            match p384::PublicKey::from_sec1_bytes(point) {
                Ok(c) => verdict(*pk == c),
                Err(_) => bad_point("P-384"),
            }
        }
        (PublicMaterial::P521(pk), SpkiPublic::Ec(OID_P521, point)) => {
            match p521::PublicKey::from_sec1_bytes(point) {
                Ok(c) => verdict(*pk == c),
                Err(_) => bad_point("P-521"),
            }
        }
        (PublicMaterial::Sm2(pk), SpkiPublic::Ec(OID_SM2, point)) => {
            match sm2::PublicKey::from_sec1_bytes(point) {
                Ok(c) => verdict(*pk == c),
                Err(_) => bad_point("SM2"),
            }
        }
        (PublicMaterial::Ed25519(a), SpkiPublic::Ed25519(b)) => verdict(a.as_slice() == b),
        (PublicMaterial::Unsupported(reason), _) if key.algorithm == cert_alg => {
            KeyMatch::Unsupported(reason.clone())
        }
        _ => mismatch(),
    }
}

// ---------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------

enum Attempt {
    /// The outer structure is not this format.
    NotThisFormat(der::Error),
    /// The structure is this format, but the key in it is bad.
    Failed(KeyError),
}

impl From<KeyError> for Attempt {
    fn from(e: KeyError) -> Self {
        Attempt::Failed(e)
    }
}

fn check_size(der: &[u8]) -> Result<(), KeyError> {
    if der.len() > MAX_KEY_DER_BYTES {
        return Err(KeyError::TooLarge {
            what: "private key (bytes)",
            size: der.len(),
            limit: MAX_KEY_DER_BYTES,
        });
    }
    Ok(())
}

fn structure_name(format: KeyFormat) -> &'static str {
    match format {
        KeyFormat::Pkcs8 => "PKCS#8 PrivateKeyInfo",
        KeyFormat::Pkcs1 => "PKCS#1 RSAPrivateKey",
        KeyFormat::Sec1 => "SEC1 ECPrivateKey",
        KeyFormat::EncryptedPkcs8 => "PKCS#8 EncryptedPrivateKeyInfo",
    }
}

/// Which key structure the DER has, if any (structure only).
fn sniff(der: &[u8]) -> Option<KeyFormat> {
    if pkcs8::PrivateKeyInfo::try_from(der).is_ok() {
        Some(KeyFormat::Pkcs8)
    } else if pkcs1::RsaPrivateKey::try_from(der).is_ok() {
        Some(KeyFormat::Pkcs1)
    } else if sec1::EcPrivateKey::try_from(der).is_ok() {
        Some(KeyFormat::Sec1)
    } else if generic_encrypted(der).is_ok() {
        Some(KeyFormat::EncryptedPkcs8)
    } else {
        None
    }
}

fn der_detail(e: der::Error) -> String {
    e.to_string()
}

fn parse_pkcs8(der: &[u8]) -> Result<PrivateKey, Attempt> {
    let pki = pkcs8::PrivateKeyInfo::try_from(der).map_err(|e| match e {
        pkcs8::Error::Asn1(d) => Attempt::NotThisFormat(d),
        other => Attempt::Failed(KeyError::Malformed {
            what: "PKCS#8 PrivateKeyInfo",
            detail: other.to_string(),
        }),
    })?;
    let oid = pki.algorithm.oid;
    let (algorithm, public) = match oid {
        OID_RSA | OID_RSA_PSS => rsa_from_pkcs1(pki.private_key).map_err(|e| match e {
            Attempt::NotThisFormat(d) => Attempt::Failed(KeyError::Malformed {
                what: "RSA key inside PKCS#8 (PKCS#1 RSAPrivateKey)",
                detail: der_detail(d),
            }),
            f => f,
        })?,
        OID_EC | OID_SM2 => {
            let outer_curve = if oid == OID_SM2 {
                Some(OID_SM2)
            } else {
                match pki.algorithm.parameters {
                    None => None,
                    Some(any) => match curve_param(any) {
                        Ok(c) => Some(c),
                        Err(alg) => {
                            return Ok(PrivateKey {
                                algorithm: alg,
                                format: KeyFormat::Pkcs8,
                                public: PublicMaterial::Unsupported(
                                    "EC keys with explicit curve parameters are not supported"
                                        .into(),
                                ),
                            });
                        }
                    },
                }
            };
            ec_from_sec1(pki.private_key, outer_curve, pki.public_key).map_err(|e| match e {
                Attempt::NotThisFormat(d) => Attempt::Failed(KeyError::Malformed {
                    what: "EC key inside PKCS#8 (SEC1 ECPrivateKey)",
                    detail: der_detail(d),
                }),
                f => f,
            })?
        }
        OID_ED25519 => ed25519_from_pkcs8(pki.private_key, pki.public_key)?,
        other => {
            let algorithm = KeyAlgorithm::Other {
                oid: other.to_string(),
            };
            let reason = format!("{algorithm} keys are not supported for key matching");
            (algorithm, PublicMaterial::Unsupported(reason))
        }
    };
    Ok(PrivateKey {
        algorithm,
        format: KeyFormat::Pkcs8,
        public,
    })
}

/// The namedCurve OID from ecPublicKey parameters; `Err(algorithm)` for explicit or
/// absent parameters.
fn curve_param(any: AnyRef<'_>) -> Result<ObjectIdentifier, KeyAlgorithm> {
    if any.tag() == Tag::ObjectIdentifier {
        if let Ok(oid) = any.decode_as::<ObjectIdentifier>() {
            return Ok(oid);
        }
    }
    Err(KeyAlgorithm::ec(Curve::Other(EXPLICIT_PARAMETERS.into())))
}

fn parse_pkcs1(der: &[u8]) -> Result<PrivateKey, Attempt> {
    let (algorithm, public) = rsa_from_pkcs1(der)?;
    Ok(PrivateKey {
        algorithm,
        format: KeyFormat::Pkcs1,
        public,
    })
}

fn parse_sec1(der: &[u8]) -> Result<PrivateKey, Attempt> {
    let (algorithm, public) = ec_from_sec1(der, None, None)?;
    Ok(PrivateKey {
        algorithm,
        format: KeyFormat::Sec1,
        public,
    })
}

fn bit_len(be: &[u8]) -> Option<u32> {
    let first = be.iter().position(|&b| b != 0)?;
    let rest = be.get(first..)?;
    let top = rest.first()?;
    let len = u32::try_from(rest.len()).ok()?;
    len.checked_mul(8)?.checked_sub(top.leading_zeros())
}

fn strip_zeros(be: &[u8]) -> &[u8] {
    let first = be.iter().position(|&b| b != 0).unwrap_or(be.len());
    be.get(first..).unwrap_or_default()
}

fn rsa_from_pkcs1(der: &[u8]) -> Result<(KeyAlgorithm, PublicMaterial), Attempt> {
    let k = pkcs1::RsaPrivateKey::try_from(der).map_err(|e| match e {
        pkcs1::Error::Asn1(d) => Attempt::NotThisFormat(d),
        _ => Attempt::Failed(KeyError::Malformed {
            what: "PKCS#1 RSAPrivateKey",
            detail: e.to_string(),
        }),
    })?;
    let n = strip_zeros(k.modulus.as_bytes());
    let e = strip_zeros(k.public_exponent.as_bytes());
    let max_bytes = MAX_RSA_BITS / 8;
    if n.len() > max_bytes {
        return Err(KeyError::TooLarge {
            what: "RSA modulus (bits)",
            size: n.len().saturating_mul(8),
            limit: MAX_RSA_BITS,
        }
        .into());
    }
    let bits = bit_len(n).unwrap_or(0);
    let algorithm = KeyAlgorithm::Rsa { bits };
    if bits < 16 || e.is_empty() {
        return Err(KeyError::InvalidKey {
            algorithm,
            detail: "the modulus or the public exponent is zero or too small",
        }
        .into());
    }
    if k.other_prime_infos.is_none() {
        rsa_consistency(&k, n, e, &algorithm)?;
    }
    Ok((
        algorithm,
        PublicMaterial::Rsa {
            n: n.to_vec(),
            e: e.to_vec(),
        },
    ))
}

/// Checks n = p·q and e·d ≡ 1 (mod p−1) and (mod q−1). Secret numbers are zeroized.
fn rsa_consistency(
    k: &pkcs1::RsaPrivateKey<'_>,
    n: &[u8],
    e: &[u8],
    algorithm: &KeyAlgorithm,
) -> Result<(), KeyError> {
    let inconsistent = |detail| KeyError::Inconsistent {
        algorithm: algorithm.clone(),
        detail,
    };
    let two = BigUint::from(2u32);
    let one = BigUint::from(1u32);
    let mut p = BigUint::from_bytes_be(k.prime1.as_bytes());
    let mut q = BigUint::from_bytes_be(k.prime2.as_bytes());
    let mut d = BigUint::from_bytes_be(k.private_exponent.as_bytes());
    let e = BigUint::from_bytes_be(e);
    let result = (|| {
        if p < two || q < two {
            return Err(inconsistent("a prime factor is 0 or 1"));
        }
        let mut product = &p * &q;
        let same_n = product == BigUint::from_bytes_be(n);
        product.zeroize();
        if !same_n {
            return Err(inconsistent(
                "the modulus is not the product of the two primes",
            ));
        }
        let mut ed = &e * &d;
        let mut pm1 = &p - &one;
        let mut qm1 = &q - &one;
        let mut r1 = &ed % &pm1;
        let mut r2 = &ed % &qm1;
        let ok = r1 == one && r2 == one;
        for x in [&mut ed, &mut pm1, &mut qm1, &mut r1, &mut r2] {
            x.zeroize();
        }
        if !ok {
            return Err(inconsistent(
                "the private exponent does not match the public exponent",
            ));
        }
        Ok(())
    })();
    p.zeroize();
    q.zeroize();
    d.zeroize();
    result
}

fn ec_from_sec1(
    der: &[u8],
    outer_curve: Option<ObjectIdentifier>,
    outer_public: Option<&[u8]>,
) -> Result<(KeyAlgorithm, PublicMaterial), Attempt> {
    let ec = sec1::EcPrivateKey::try_from(der).map_err(|e| match e {
        sec1::Error::Asn1(d) => Attempt::NotThisFormat(d),
        other => Attempt::Failed(KeyError::Malformed {
            what: "SEC1 ECPrivateKey",
            detail: other.to_string(),
        }),
    })?;
    let inner_curve = ec.parameters.and_then(|p| p.named_curve());
    let curve = match (outer_curve, inner_curve) {
        (Some(a), Some(b)) if a != b => {
            return Err(KeyError::Inconsistent {
                algorithm: KeyAlgorithm::from_curve_oid(&a),
                detail: "the curve named inside the key differs from the curve of its algorithm identifier",
            }
            .into());
        }
        (Some(a), _) => a,
        (None, Some(b)) => b,
        (None, None) => {
            return Err(KeyError::Malformed {
                what: "SEC1 ECPrivateKey",
                detail: "no curve is named (neither in the key nor in its algorithm identifier)"
                    .into(),
            }
            .into());
        }
    };
    let algorithm = KeyAlgorithm::from_curve_oid(&curve);
    let embedded = ec.public_key.or(outer_public);
    let scalar = ec.private_key;
    let public = match curve {
        OID_P256 => {
            PublicMaterial::P256(derive_ec::<p256::NistP256>(scalar, embedded, &algorithm)?)
        }
        OID_P384 => {
            PublicMaterial::P384(derive_ec::<p384::NistP384>(scalar, embedded, &algorithm)?)
        }
        OID_P521 => {
            PublicMaterial::P521(derive_ec::<p521::NistP521>(scalar, embedded, &algorithm)?)
        }
        OID_SM2 => PublicMaterial::Sm2(derive_ec::<sm2::Sm2>(scalar, embedded, &algorithm)?),
        _ => PublicMaterial::Unsupported(format!(
            "{algorithm} keys are not supported for key matching"
        )),
    };
    Ok((algorithm, public))
}

/// Derives the public key from a big-endian scalar and checks it against the public key
/// embedded in the key file, if any.
fn derive_ec<C>(
    scalar: &[u8],
    embedded: Option<&[u8]>,
    algorithm: &KeyAlgorithm,
) -> Result<elliptic_curve::PublicKey<C>, KeyError>
where
    C: elliptic_curve::CurveArithmetic,
    elliptic_curve::FieldBytesSize<C>: ModulusSize,
    elliptic_curve::AffinePoint<C>: FromEncodedPoint<C> + ToEncodedPoint<C>,
{
    use elliptic_curve::generic_array::typenum::Unsigned;
    let invalid = |detail| KeyError::InvalidKey {
        algorithm: algorithm.clone(),
        detail,
    };
    let size = <elliptic_curve::FieldBytesSize<C> as Unsigned>::USIZE;
    let scalar = strip_zeros(scalar);
    let pad = size
        .checked_sub(scalar.len())
        .ok_or_else(|| invalid("the private scalar is longer than the curve order"))?;
    let mut buf = Zeroizing::new(vec![0u8; size]);
    let tail = buf
        .get_mut(pad..)
        .ok_or_else(|| invalid("the private scalar is longer than the curve order"))?;
    tail.copy_from_slice(scalar);
    let sk = elliptic_curve::SecretKey::<C>::from_slice(&buf)
        .map_err(|_| invalid("the private scalar is zero or not below the curve order"))?;
    let pk = sk.public_key();
    drop(sk);
    if let Some(bytes) = embedded {
        let stored = elliptic_curve::PublicKey::<C>::from_sec1_bytes(bytes).map_err(|_| {
            KeyError::Inconsistent {
                algorithm: algorithm.clone(),
                detail: "the public key stored in the key file is not a point on the curve",
            }
        })?;
        if stored != pk {
            return Err(KeyError::Inconsistent {
                algorithm: algorithm.clone(),
                detail: "the public key stored in the key file does not match the private key",
            });
        }
    }
    Ok(pk)
}

fn ed25519_from_pkcs8(
    private_key: &[u8],
    public_key: Option<&[u8]>,
) -> Result<(KeyAlgorithm, PublicMaterial), Attempt> {
    let algorithm = KeyAlgorithm::Ed25519;
    let inner = OctetStringRef::from_der(private_key).map_err(|e| {
        Attempt::Failed(KeyError::Malformed {
            what: "Ed25519 private key (CurvePrivateKey OCTET STRING)",
            detail: der_detail(e),
        })
    })?;
    let seed: [u8; 32] = inner.as_bytes().try_into().map_err(|_| {
        Attempt::Failed(KeyError::InvalidKey {
            algorithm: algorithm.clone(),
            detail: "the private key is not 32 bytes long",
        })
    })?;
    let seed = Zeroizing::new(seed);
    let sk = ed25519_dalek::SigningKey::from_bytes(&seed);
    let pk = sk.verifying_key().to_bytes();
    drop(sk);
    if let Some(stored) = public_key {
        if stored != pk.as_slice() {
            return Err(KeyError::Inconsistent {
                algorithm,
                detail: "the public key stored in the key file does not match the private key",
            }
            .into());
        }
    }
    Ok((algorithm, PublicMaterial::Ed25519(pk)))
}

/// A certificate's public key, as far as it is needed for matching.
enum SpkiPublic<'a> {
    Rsa {
        n: &'a [u8],
        e: &'a [u8],
    },
    /// Curve OID and SEC1 point encoding (compressed or not).
    Ec(ObjectIdentifier, &'a [u8]),
    Ed25519(&'a [u8]),
    Other,
}

fn spki_public(spki_der: &[u8]) -> Result<(KeyAlgorithm, SpkiPublic<'_>), KeyError> {
    let malformed = |detail: String| KeyError::Malformed {
        what: "SubjectPublicKeyInfo",
        detail,
    };
    let spki = SubjectPublicKeyInfoRef::try_from(spki_der).map_err(|e| malformed(e.to_string()))?;
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| malformed("the public key BIT STRING has unused bits".into()))?;
    let AlgorithmIdentifierRef { oid, parameters } = spki.algorithm;
    match oid {
        OID_RSA | OID_RSA_PSS => {
            let pk = pkcs1::RsaPublicKey::try_from(bits).map_err(|e| KeyError::Malformed {
                what: "RSA public key (PKCS#1 RSAPublicKey in the SubjectPublicKeyInfo)",
                detail: e.to_string(),
            })?;
            let n = strip_zeros(pk.modulus.as_bytes());
            let e = strip_zeros(pk.public_exponent.as_bytes());
            let bits = bit_len(n).unwrap_or(0);
            Ok((KeyAlgorithm::Rsa { bits }, SpkiPublic::Rsa { n, e }))
        }
        OID_EC => {
            let curve = match parameters {
                Some(any) => match curve_param(any) {
                    Ok(c) => c,
                    Err(alg) => return Ok((alg, SpkiPublic::Other)),
                },
                None => {
                    return Ok((
                        KeyAlgorithm::ec(Curve::Other("no curve parameters".into())),
                        SpkiPublic::Other,
                    ));
                }
            };
            Ok((
                KeyAlgorithm::from_curve_oid(&curve),
                SpkiPublic::Ec(curve, bits),
            ))
        }
        OID_SM2 => Ok((KeyAlgorithm::Sm2, SpkiPublic::Ec(OID_SM2, bits))),
        OID_ED25519 => Ok((KeyAlgorithm::Ed25519, SpkiPublic::Ed25519(bits))),
        other => Ok((
            KeyAlgorithm::Other {
                oid: other.to_string(),
            },
            SpkiPublic::Other,
        )),
    }
}

// --- encrypted PKCS#8 -------------------------------------------------------------------

/// Reads the outer EncryptedPrivateKeyInfo structure without interpreting the scheme.
fn generic_encrypted(der: &[u8]) -> der::Result<ObjectIdentifier> {
    let mut reader = der::SliceReader::new(der)?;
    let oid = reader.sequence(|r| {
        let alg = AlgorithmIdentifierRef::decode(r)?;
        let _data = OctetStringRef::decode(r)?;
        Ok(alg.oid)
    })?;
    reader.finish(oid)
}

fn pkcs12_pbe_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "1.2.840.113549.1.12.1.1" => "PKCS#12 PBE-SHA1-RC4-128",
        "1.2.840.113549.1.12.1.2" => "PKCS#12 PBE-SHA1-RC4-40",
        "1.2.840.113549.1.12.1.3" => "PKCS#12 PBE-SHA1-3DES",
        "1.2.840.113549.1.12.1.4" => "PKCS#12 PBE-SHA1-2DES",
        "1.2.840.113549.1.12.1.5" => "PKCS#12 PBE-SHA1-RC2-128",
        "1.2.840.113549.1.12.1.6" => "PKCS#12 PBE-SHA1-RC2-40",
        "1.2.840.113549.1.5.13" => "PBES2",
        "1.2.840.113549.1.5.3" => "PBES1 (MD5, DES-CBC)",
        "1.2.840.113549.1.5.10" => "PBES1 (SHA-1, DES-CBC)",
        _ => return None,
    })
}

fn encrypted_info(der: &[u8]) -> Result<EncryptedKeyInfo, Attempt> {
    let mut info = EncryptedKeyInfo {
        format: KeyFormat::EncryptedPkcs8,
        legacy_pem: false,
        scheme: String::new(),
        kdf: None,
        cipher: None,
        iterations: None,
    };
    match pkcs8::EncryptedPrivateKeyInfo::try_from(der) {
        Ok(epki) => {
            match epki.encryption_algorithm {
                pkcs8::pkcs5::EncryptionScheme::Pbes1(alg) => {
                    use pkcs8::pkcs5::pbes1::{DigestAlgorithm, SymmetricCipher};
                    info.scheme = "PBES1".into();
                    let digest = match alg.encryption.digest() {
                        DigestAlgorithm::Md2 => "MD2",
                        DigestAlgorithm::Md5 => "MD5",
                        DigestAlgorithm::Sha1 => "SHA-1",
                    };
                    info.kdf = Some(format!("PBKDF1-{digest}"));
                    info.cipher = Some(
                        match alg.encryption.cipher() {
                            SymmetricCipher::DesCbc => "DES-CBC",
                            SymmetricCipher::Rc2Cbc => "RC2-CBC",
                        }
                        .into(),
                    );
                    info.iterations = Some(u64::from(alg.parameters.iteration_count));
                }
                pkcs8::pkcs5::EncryptionScheme::Pbes2(params) => {
                    use pkcs8::pkcs5::pbes2::{EncryptionScheme as Enc, Kdf, Pbkdf2Prf};
                    info.scheme = "PBES2".into();
                    match params.kdf {
                        Kdf::Pbkdf2(p) => {
                            let prf = match p.prf {
                                Pbkdf2Prf::HmacWithSha1 => "SHA1",
                                Pbkdf2Prf::HmacWithSha224 => "SHA224",
                                Pbkdf2Prf::HmacWithSha256 => "SHA256",
                                Pbkdf2Prf::HmacWithSha384 => "SHA384",
                                Pbkdf2Prf::HmacWithSha512 => "SHA512",
                                _ => "(other PRF)",
                            };
                            info.kdf = Some(format!("PBKDF2-HMAC-{prf}"));
                            info.iterations = Some(u64::from(p.iteration_count));
                        }
                        Kdf::Scrypt(s) => {
                            info.kdf = Some(format!(
                                "scrypt (N={}, r={}, p={})",
                                s.cost_parameter, s.block_size, s.parallelization
                            ));
                        }
                        other => info.kdf = Some(format!("KDF {}", other.oid())),
                    }
                    // DES variants exist only with pkcs5's `des-insecure` feature (which
                    // feature unification may turn on): name them by OID.
                    #[allow(unreachable_patterns)]
                    let cipher = match params.encryption {
                        Enc::Aes128Cbc { .. } => "AES-128-CBC".to_string(),
                        Enc::Aes192Cbc { .. } => "AES-192-CBC".to_string(),
                        Enc::Aes256Cbc { .. } => "AES-256-CBC".to_string(),
                        other => match other.oid().to_string().as_str() {
                            "1.2.840.113549.3.7" => "DES-EDE3-CBC".to_string(),
                            "1.3.14.3.2.7" => "DES-CBC".to_string(),
                            oid => format!("cipher {oid}"),
                        },
                    };
                    info.cipher = Some(cipher);
                }
                other => info.scheme = format!("algorithm {}", other.oid()),
            }
            Ok(info)
        }
        Err(first) => match generic_encrypted(der) {
            Ok(oid) => {
                let dotted = oid.to_string();
                info.scheme = match pkcs12_pbe_name(&dotted) {
                    Some(name) if dotted == "1.2.840.113549.1.5.13" => {
                        format!("{name}, with a KDF or cipher not recognised here")
                    }
                    Some(name) => name.to_string(),
                    None => format!("algorithm {dotted}"),
                };
                Ok(info)
            }
            Err(_) => Err(match first {
                pkcs8::Error::Asn1(d) => Attempt::NotThisFormat(d),
                other => Attempt::Failed(KeyError::Malformed {
                    what: "PKCS#8 EncryptedPrivateKeyInfo",
                    detail: other.to_string(),
                }),
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::pem::scan;

    macro_rules! data {
        ($name:literal) => {
            include_str!(concat!("testdata/keys/", $name))
        };
    }

    fn block(text: &str) -> PemBlock {
        let mut s = scan(text);
        assert!(s.issues.is_empty(), "{s:?}");
        assert_eq!(s.blocks.len(), 1);
        s.blocks.remove(0)
    }

    fn plain(text: &str) -> PrivateKey {
        match parse_private_key(&block(text)) {
            Ok(ParsedKey::Plain(k)) => k,
            other => panic!("{other:?}"),
        }
    }

    fn spki_of_cert(text: &str) -> Vec<u8> {
        let b = block(text);
        let (_, cert) = x509_parser::parse_x509_certificate(&b.der).expect("certificate");
        cert.tbs_certificate.subject_pki.raw.to_vec()
    }

    fn spki_of_pub(text: &str) -> Vec<u8> {
        let b = block(text);
        assert_eq!(b.label, "PUBLIC KEY");
        b.der.to_vec()
    }

    const RSA2048: &str = data!("rsa2048.pkcs8.pem");
    const RSA2048_P1: &str = data!("rsa2048.pkcs1.pem");
    const RSA2048_CRT: &str = data!("rsa2048.crt.pem");
    const RSA1024: &str = data!("rsa1024.pkcs8.pem");
    const RSA1024_P1: &str = data!("rsa1024.pkcs1.pem");
    const RSA1024_CRT: &str = data!("rsa1024.crt.pem");
    const P256: &str = data!("p256.pkcs8.pem");
    const P256_SEC1: &str = data!("p256.sec1.pem");
    const P256_CRT: &str = data!("p256.crt.pem");
    const P256_COMPRESSED: &str = data!("p256.compressed.pub.pem");
    const P256B: &str = data!("p256b.pkcs8.pem");
    const P256B_CRT: &str = data!("p256b.crt.pem");
    const P384: &str = data!("p384.pkcs8.pem");
    const P384_SEC1: &str = data!("p384.sec1.pem");
    const P384_CRT: &str = data!("p384.crt.pem");
    const P384_COMPRESSED: &str = data!("p384.compressed.pub.pem");
    const P521: &str = data!("p521.pkcs8.pem");
    const P521_SEC1: &str = data!("p521.sec1.pem");
    const P521_CRT: &str = data!("p521.crt.pem");
    const P521_COMPRESSED: &str = data!("p521.compressed.pub.pem");
    const ED25519: &str = data!("ed25519.pkcs8.pem");
    const ED25519_CRT: &str = data!("ed25519.crt.pem");
    const ED25519B_PUB: &str = data!("ed25519b.pub.pem");
    const SM2: &str = data!("sm2.pkcs8.pem");
    const SM2_SEC1: &str = data!("sm2.sec1.pem");
    const SM2_CRT: &str = data!("sm2.crt.pem");
    const SM2B_PUB: &str = data!("sm2b.pub.pem");

    #[test]
    fn sm2_private_key_label_is_a_key_label() {
        assert!(is_private_key_label("SM2 PRIVATE KEY"));
        // GmSSL writes SEC1 or PKCS#8 under this label: both are read as SM2 keys.
        for (text, format) in [(SM2_SEC1, KeyFormat::Sec1), (SM2, KeyFormat::Pkcs8)] {
            let label = if format == KeyFormat::Sec1 {
                "EC PRIVATE KEY"
            } else {
                "PRIVATE KEY"
            };
            let k = plain(&text.replace(label, "SM2 PRIVATE KEY"));
            assert_eq!(k.algorithm().to_string(), "SM2");
            assert_eq!(k.format(), format);
        }
    }

    #[test]
    fn algorithms_and_formats() {
        let cases: &[(&str, &str, KeyFormat)] = &[
            (RSA2048, "RSA-2048", KeyFormat::Pkcs8),
            (RSA2048_P1, "RSA-2048", KeyFormat::Pkcs1),
            (RSA1024, "RSA-1024", KeyFormat::Pkcs8),
            (RSA1024_P1, "RSA-1024", KeyFormat::Pkcs1),
            (P256, "EC P-256", KeyFormat::Pkcs8),
            (P256_SEC1, "EC P-256", KeyFormat::Sec1),
            (P384, "EC P-384", KeyFormat::Pkcs8),
            (P384_SEC1, "EC P-384", KeyFormat::Sec1),
            (P521, "EC P-521", KeyFormat::Pkcs8),
            (P521_SEC1, "EC P-521", KeyFormat::Sec1),
            (ED25519, "Ed25519", KeyFormat::Pkcs8),
            (SM2, "SM2", KeyFormat::Pkcs8),
            (SM2_SEC1, "SM2", KeyFormat::Sec1),
        ];
        for (text, name, format) in cases {
            let k = plain(text);
            assert_eq!(k.algorithm().to_string(), *name);
            assert_eq!(k.format(), *format, "{name}");
            let dbg = format!("{k:?}");
            assert_eq!(
                dbg,
                format!("PrivateKey {{ algorithm: {name}, format: {format:?}, .. }}")
            );
        }
        assert_eq!(
            plain(P521).algorithm(),
            KeyAlgorithm::Ec {
                curve: Curve::P521,
                bits: 521
            }
        );
        assert_eq!(plain(RSA1024).algorithm().key_bits(), Some(1024));
    }

    #[test]
    fn matching_certificates() {
        let pairs: &[(&str, &str)] = &[
            (RSA2048, RSA2048_CRT),
            (RSA2048_P1, RSA2048_CRT),
            (RSA1024_P1, RSA1024_CRT),
            (P256, P256_CRT),
            (P256_SEC1, P256_CRT),
            (P384_SEC1, P384_CRT),
            (P521, P521_CRT),
            (P521_SEC1, P521_CRT),
            (ED25519, ED25519_CRT),
            (SM2, SM2_CRT),
            (SM2_SEC1, SM2_CRT),
        ];
        for (k, c) in pairs {
            let key = plain(k);
            let spki = spki_of_cert(c);
            assert_eq!(key_matches_spki(&key, &spki), KeyMatch::Match, "{key:?}");
            assert_eq!(describe_spki(&spki), Ok(key.algorithm()));
        }
        // Compressed points in the SubjectPublicKeyInfo.
        for (k, p) in [
            (P256, P256_COMPRESSED),
            (P384, P384_COMPRESSED),
            (P521_SEC1, P521_COMPRESSED),
        ] {
            assert_eq!(
                key_matches_spki(&plain(k), &spki_of_pub(p)),
                KeyMatch::Match
            );
        }
    }

    #[test]
    fn mismatching_certificates() {
        let same_alg: &[(&str, &str)] = &[
            (P256, P256B_CRT),
            (P256B, P256_CRT),
            (ED25519, ED25519B_PUB),
            (SM2, SM2B_PUB),
            (SM2_SEC1, SM2B_PUB),
        ];
        for (k, c) in same_alg {
            let spki = if c.contains("CERTIFICATE") {
                spki_of_cert(c)
            } else {
                spki_of_pub(c)
            };
            let key = plain(k);
            let m = key_matches_spki(&key, &spki);
            assert_eq!(
                m,
                KeyMatch::Mismatch {
                    key: key.algorithm(),
                    cert: key.algorithm()
                }
            );
            assert!(m.to_string().contains("public keys differ"), "{m}");
        }
        let cross: &[(&str, &str)] = &[
            (RSA2048, RSA1024_CRT),
            (RSA1024, RSA2048_CRT),
            (RSA2048, P256_CRT),
            (P256, P384_CRT),
            (P384, P521_CRT),
            (P521, SM2_CRT),
            (SM2, P256_CRT),
            (ED25519, SM2_CRT),
            (P256, ED25519_CRT),
        ];
        for (k, c) in cross {
            let key = plain(k);
            let spki = spki_of_cert(c);
            let cert = describe_spki(&spki).expect("spki");
            assert_eq!(
                key_matches_spki(&key, &spki),
                KeyMatch::Mismatch {
                    key: key.algorithm(),
                    cert
                }
            );
        }
        let m = key_matches_spki(&plain(RSA2048), &spki_of_cert(P256_CRT));
        assert_eq!(
            m.to_string(),
            "the private key does not belong to the certificate: the key is RSA-2048 but the \
             certificate's public key is EC P-256"
        );
        assert!(matches!(
            key_matches_spki(&plain(P256), b"\x30\x00"),
            KeyMatch::Invalid(_)
        ));
    }

    #[test]
    fn sm2_algorithm_oid_form_in_spki() {
        // Some SM2 certificates use 1.2.156.10197.1.301 as the algorithm itself.
        use der::Encode;
        let spki = spki_of_cert(SM2_CRT);
        let parsed = SubjectPublicKeyInfoRef::try_from(spki.as_slice()).expect("spki");
        let alt = SubjectPublicKeyInfoRef {
            algorithm: AlgorithmIdentifierRef {
                oid: OID_SM2,
                parameters: None,
            },
            subject_public_key: parsed.subject_public_key,
        }
        .to_der()
        .expect("encode");
        assert_eq!(describe_spki(&alt), Ok(KeyAlgorithm::Sm2));
        assert_eq!(key_matches_spki(&plain(SM2), &alt), KeyMatch::Match);
    }

    #[test]
    fn pkcs8_v2_with_public_key() {
        use der::Encode;
        let b = block(ED25519);
        let pub_der = spki_of_cert(ED25519_CRT);
        let spki = SubjectPublicKeyInfoRef::try_from(pub_der.as_slice()).expect("spki");
        let pubkey = spki.subject_public_key.as_bytes().expect("bits");
        let v1 = pkcs8::PrivateKeyInfo::try_from(&b.der[..]).expect("pkcs8");
        let v2 = pkcs8::PrivateKeyInfo {
            public_key: Some(pubkey),
            ..v1.clone()
        }
        .to_der()
        .expect("der");
        match parse_private_key_der(&v2) {
            Ok(ParsedKey::Plain(k)) => assert_eq!(k.algorithm(), KeyAlgorithm::Ed25519),
            other => panic!("{other:?}"),
        }
        let other = spki_of_pub(ED25519B_PUB);
        let other = SubjectPublicKeyInfoRef::try_from(other.as_slice()).expect("spki");
        let wrong = pkcs8::PrivateKeyInfo {
            public_key: Some(other.subject_public_key.as_bytes().expect("bits")),
            ..v1
        }
        .to_der()
        .expect("der");
        assert!(matches!(
            parse_private_key_der(&wrong),
            Err(KeyError::Inconsistent { .. })
        ));
    }

    #[test]
    fn bare_der_entry_point() {
        for (text, format) in [
            (RSA2048, KeyFormat::Pkcs8),
            (RSA2048_P1, KeyFormat::Pkcs1),
            (P256_SEC1, KeyFormat::Sec1),
            (SM2_SEC1, KeyFormat::Sec1),
        ] {
            let b = block(text);
            match parse_private_key_der(&b.der) {
                Ok(ParsedKey::Plain(k)) => assert_eq!(k.format(), format),
                other => panic!("{other:?}"),
            }
        }
        let b = block(data!("p256.enc-pbes2.pem"));
        assert!(matches!(
            parse_private_key_der(&b.der),
            Ok(ParsedKey::Encrypted(_))
        ));
        let e = parse_private_key_der(b"\x30\x03\x02\x01\x05").unwrap_err();
        assert!(matches!(e, KeyError::UnknownDer { .. }), "{e:?}");
        assert!(parse_private_key_der(b"").is_err());
    }

    #[test]
    fn encrypted_keys() {
        let info = |text| match parse_private_key(&block(text)) {
            Ok(ParsedKey::Encrypted(i)) => i,
            other => panic!("{other:?}"),
        };
        let i = info(data!("p256.enc-pbes2.pem"));
        assert_eq!(i.scheme, "PBES2");
        assert_eq!(i.kdf.as_deref(), Some("PBKDF2-HMAC-SHA256"));
        assert_eq!(i.cipher.as_deref(), Some("AES-256-CBC"));
        assert_eq!(i.iterations, Some(2048));
        assert_eq!(
            i.to_string(),
            "a passphrase-protected PKCS#8 key (PBES2: PBKDF2-HMAC-SHA256, 2048 iterations, AES-256-CBC)"
        );
        let i = info(data!("p256.enc-scrypt.pem"));
        assert!(
            i.kdf
                .as_deref()
                .is_some_and(|k| k.starts_with("scrypt (N=")),
            "{i:?}"
        );
        let i = info(data!("rsa2048.enc-pbe-sha1-3des.pem"));
        assert_eq!(i.scheme, "PKCS#12 PBE-SHA1-3DES");
        let i = info(data!("rsa2048.legacy-enc.pem"));
        assert!(i.legacy_pem);
        assert_eq!(i.format, KeyFormat::Pkcs1);
        assert_eq!(i.cipher.as_deref(), Some("AES-128-CBC"));
        assert!(i.to_string().contains("Proc-Type: 4,ENCRYPTED"));
        let i = info(data!("p256.legacy-enc.pem"));
        assert_eq!(
            (i.format, i.cipher.as_deref()),
            (KeyFormat::Sec1, Some("DES-EDE3-CBC"))
        );
    }

    #[test]
    fn seed_002_one_line_key_and_cert_match() {
        // The one-line strings of the Huawei ELB documentation example (seed 002), verbatim.
        let key_text = data!("seed002.key.txt").trim_end();
        let cert_text = data!("seed002.crt.txt").trim_end();
        assert!(!key_text.contains('\n'));
        let key = plain(key_text);
        assert_eq!(key.algorithm(), KeyAlgorithm::Rsa { bits: 2048 });
        assert_eq!(
            key_matches_spki(&key, &spki_of_cert(cert_text)),
            KeyMatch::Match
        );
    }

    #[test]
    fn not_a_key_and_wrong_content() {
        let e = parse_private_key(&block(RSA2048_CRT)).unwrap_err();
        assert_eq!(
            e,
            KeyError::NotAKey {
                label: "CERTIFICATE".into()
            }
        );
        assert!(
            e.to_string()
                .starts_with("the CERTIFICATE block is a certificate, not a private key")
        );
        let e = parse_private_key(&block(P256_COMPRESSED)).unwrap_err();
        assert!(e.to_string().contains("a public key, not the private key"));
        // A PKCS#8 body under an RSA PRIVATE KEY label, and the other way round.
        let relabelled = RSA2048.replace("PRIVATE KEY", "RSA PRIVATE KEY");
        let e = parse_private_key(&block(&relabelled)).unwrap_err();
        assert_eq!(
            e,
            KeyError::WrongContent {
                label: "RSA PRIVATE KEY".into(),
                found: KeyFormat::Pkcs8
            }
        );
        let relabelled = P256_SEC1.replace("EC PRIVATE KEY", "PRIVATE KEY");
        let e = parse_private_key(&block(&relabelled)).unwrap_err();
        assert_eq!(
            e,
            KeyError::WrongContent {
                label: "PRIVATE KEY".into(),
                found: KeyFormat::Sec1
            }
        );
        assert!(e.to_string().contains("\"EC PRIVATE KEY\""));
        let ssh =
            "-----BEGIN OPENSSH PRIVATE KEY-----\nMAQCAgEA\n-----END OPENSSH PRIVATE KEY-----";
        assert!(matches!(
            parse_private_key(&block(ssh)),
            Err(KeyError::UnsupportedFormat { .. })
        ));
    }

    #[test]
    fn malformed_der_messages_have_no_secrets() {
        let b = block(RSA2048);
        // Truncate the DER: still a block, but not a key.
        let mut cut = block(RSA2048);
        let keep = b.der.len() / 2;
        cut.der.truncate(keep);
        let e = parse_private_key(&cut).unwrap_err();
        assert!(
            matches!(
                e,
                KeyError::Malformed {
                    what: "PKCS#8 PrivateKeyInfo",
                    ..
                }
            ),
            "{e:?}"
        );
        let msg = format!("{e} {e:?}");
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD.encode(&b.der[40..80]);
        assert!(!msg.contains(&b64[..16]), "{msg}");
        // Corrupt the RSA modulus: inconsistent key.
        let mut bad = block(RSA2048_P1);
        if let Some(x) = bad.der.get_mut(20) {
            *x ^= 0x01;
        }
        let e = parse_private_key(&bad).unwrap_err();
        assert!(matches!(e, KeyError::Inconsistent { .. }), "{e:?}");
        assert!(e.to_string().contains("modulus is not the product"), "{e}");
    }

    #[test]
    fn other_algorithms_parse_but_do_not_match() {
        let x = plain(data!("x25519.pkcs8.pem"));
        assert_eq!(x.algorithm().to_string(), "X25519");
        let ed448 = plain(data!("ed448.pkcs8.pem"));
        assert_eq!(ed448.algorithm().to_string(), "Ed448");
        assert!(matches!(
            key_matches_spki(&x, &spki_of_cert(ED25519_CRT)),
            KeyMatch::Mismatch { .. }
        ));
    }

    #[test]
    fn placeholder_key_from_seed_003() {
        let s =
            scan("'-----BEGIN PRIVATE KEY-----THIS IS YOUR PRIVATE KEY-----END PRIVATE KEY-----'");
        assert!(s.blocks.is_empty());
        assert!(matches!(
            &s.issues[..],
            [crate::input::pem::PemIssue::BadBase64 {
                placeholder: true,
                ..
            }]
        ));
    }

    #[test]
    fn garbage_never_panics() {
        let b = block(RSA2048);
        for len in 0..b.der.len().min(200) {
            let _ = parse_private_key_der(&b.der[..len]);
            let _ = describe_spki(&b.der[..len]);
        }
        for i in 0..b.der.len().min(300) {
            let mut d = b.der.to_vec();
            d[i] ^= 0xff;
            let _ = parse_private_key_der(&d);
        }
        let spki = spki_of_cert(P256_CRT);
        for i in 0..spki.len() {
            let mut d = spki.clone();
            d[i] ^= 0x55;
            let _ = key_matches_spki(&plain(P256), &d);
        }
    }
}
