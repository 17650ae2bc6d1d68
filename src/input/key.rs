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
//!
//! Types live here; the work is split by noun: `private` (plain PKCS#8, PKCS#1, SEC1
//! keys), `encrypted` (encrypted keys, described) and `algorithm` (SubjectPublicKeyInfo
//! algorithms and key matching).

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
    #[cfg(test)] // only the unit tests read it
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

// ---------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------

// --- encrypted PKCS#8 -------------------------------------------------------------------

mod algorithm;
mod encrypted;
mod private;

use algorithm::*;
pub use algorithm::{describe_spki, key_matches_spki};
use encrypted::*;
use private::*;
pub use private::{parse_private_key, parse_private_key_der};

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
