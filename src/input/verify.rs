//! Signature verification in pure Rust (RustCrypto), for certificate links and CSR
//! self-signatures.
//!
//! Supported: RSA PKCS#1 v1.5 with SHA-1/224/256/384/512, RSASSA-PSS (MGF1 with the
//! same hash as the message, any salt length that fits, trailer field 1), ECDSA on
//! P-256/P-384/P-521 with SHA-1/224/256/384/512 (any curve with any hash: the digest is
//! computed with the signature's hash and verified as a prehash), Ed25519, and SM2 with
//! SM3 (signer id `1234567812345678` first, then the empty id that OpenSSL 3.0 uses when
//! none is given, reported as [`Verification::ValidSm2EmptyId`]).
//!
//! Everything else (MD5, MD2, DSA, Ed448, brainpool curves, PSS with a different MGF1
//! hash, ...) is [`Verification::Unsupported`], never a silent pass.
//!
//! Cost cap: RSA moduli above [`MAX_RSA_BITS`] (16384) bits are not verified
//! (Unsupported), so that an upload cannot make certgate do arbitrarily large modular
//! exponentiations. Public exponents above 2^33 - 1 are rejected by the `rsa` crate and
//! are also reported as Unsupported.
//!
//! Nothing here panics, allocates without bound, or does I/O.

use std::fmt;

use der::{Decode, Reader, SliceReader, asn1::UintRef};
use rsa::{BigUint, Pkcs1v15Sign, Pss, RsaPublicKey};
use sha2::Digest;
use signature::Verifier;
use signature::hazmat::PrehashVerifier;
use spki::SubjectPublicKeyInfoRef;
use x509_parser::certificate::X509Certificate;
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::signature_algorithm::RsaSsaPssParams;
use x509_parser::x509::AlgorithmIdentifier;

use crate::input::limits::MAX_RSA_BITS;

/// The SM2 signer id (GB/T 32918) used when none is agreed: `1234567812345678`.
pub const SM2_DEFAULT_ID: &str = "1234567812345678";

/// Outcome of checking one signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// The signature verifies with the given public key.
    Valid,
    /// SM2: the signature verifies only with the empty signer id (what OpenSSL 3.0
    /// uses when no `distid` is given), not with the default `1234567812345678`.
    /// Other SM2 implementations will reject it.
    ValidSm2EmptyId,
    /// The signature does not verify with the given public key (wrong key, altered
    /// data, malformed signature, or a key that cannot make this kind of signature).
    Invalid,
    /// certgate cannot check this signature.
    Unsupported {
        /// Human name (`md5WithRSAEncryption`) or dotted OID of the algorithm.
        algorithm: String,
        /// Why it cannot be checked.
        reason: String,
    },
}

impl Verification {
    /// `Valid` or `ValidSm2EmptyId`.
    #[cfg_attr(not(feature = "harness"), allow(dead_code))] // read by the benchmark
    pub fn is_valid(&self) -> bool {
        matches!(self, Verification::Valid | Verification::ValidSm2EmptyId)
    }

    /// `Invalid`.
    pub fn is_invalid(&self) -> bool {
        matches!(self, Verification::Invalid)
    }

    fn unsupported(algorithm: impl Into<String>, reason: impl Into<String>) -> Self {
        Verification::Unsupported {
            algorithm: algorithm.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Verification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verification::Valid => f.write_str("signature verified"),
            Verification::ValidSm2EmptyId => f.write_str(
                "SM2 signature verified only with the empty signer id (OpenSSL's default \
                 when no distid is given), not with the standard id 1234567812345678",
            ),
            Verification::Invalid => f.write_str("signature does not verify"),
            Verification::Unsupported { algorithm, reason } => {
                write!(
                    f,
                    "signature not checked: certgate cannot verify {algorithm} ({reason})"
                )
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// Algorithm identification

mod oids {
    pub const MD2_RSA: &str = "1.2.840.113549.1.1.2";
    pub const MD4_RSA: &str = "1.2.840.113549.1.1.3";
    pub const MD5_RSA: &str = "1.2.840.113549.1.1.4";
    pub const SHA1_RSA: &str = "1.2.840.113549.1.1.5";
    pub const SHA1_RSA_OIW: &str = "1.3.14.3.2.29";
    pub const RSA_PSS: &str = "1.2.840.113549.1.1.10";
    pub const SHA256_RSA: &str = "1.2.840.113549.1.1.11";
    pub const SHA384_RSA: &str = "1.2.840.113549.1.1.12";
    pub const SHA512_RSA: &str = "1.2.840.113549.1.1.13";
    pub const SHA224_RSA: &str = "1.2.840.113549.1.1.14";
    pub const SHA512_224_RSA: &str = "1.2.840.113549.1.1.15";
    pub const SHA512_256_RSA: &str = "1.2.840.113549.1.1.16";
    pub const ECDSA_SHA1: &str = "1.2.840.10045.4.1";
    pub const ECDSA_SHA224: &str = "1.2.840.10045.4.3.1";
    pub const ECDSA_SHA256: &str = "1.2.840.10045.4.3.2";
    pub const ECDSA_SHA384: &str = "1.2.840.10045.4.3.3";
    pub const ECDSA_SHA512: &str = "1.2.840.10045.4.3.4";
    pub const DSA_SHA1: &str = "1.2.840.10040.4.3";
    pub const DSA_SHA224: &str = "2.16.840.1.101.3.4.3.1";
    pub const DSA_SHA256: &str = "2.16.840.1.101.3.4.3.2";
    pub const ED25519: &str = "1.3.101.112";
    pub const ED448: &str = "1.3.101.113";
    pub const SM2_SM3: &str = "1.2.156.10197.1.501";

    pub const MD5: &str = "1.2.840.113549.2.5";
    pub const SHA1: &str = "1.3.14.3.2.26";
    pub const SHA256: &str = "2.16.840.1.101.3.4.2.1";
    pub const SHA384: &str = "2.16.840.1.101.3.4.2.2";
    pub const SHA512: &str = "2.16.840.1.101.3.4.2.3";
    pub const SHA224: &str = "2.16.840.1.101.3.4.2.4";
    pub const MGF1: &str = "1.2.840.113549.1.1.8";

    pub const RSA_KEY: &str = "1.2.840.113549.1.1.1";
    pub const EC_KEY: &str = "1.2.840.10045.2.1";
    pub const P256: &str = "1.2.840.10045.3.1.7";
    pub const P384: &str = "1.3.132.0.34";
    pub const P521: &str = "1.3.132.0.35";
    pub const SM2_CURVE: &str = "1.2.156.10197.1.301";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hash {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn from_oid(oid: &str) -> Option<Hash> {
        match oid {
            oids::SHA1 => Some(Hash::Sha1),
            oids::SHA224 => Some(Hash::Sha224),
            oids::SHA256 => Some(Hash::Sha256),
            oids::SHA384 => Some(Hash::Sha384),
            oids::SHA512 => Some(Hash::Sha512),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Hash::Sha1 => "SHA-1",
            Hash::Sha224 => "SHA-224",
            Hash::Sha256 => "SHA-256",
            Hash::Sha384 => "SHA-384",
            Hash::Sha512 => "SHA-512",
        }
    }

    fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha1 => sha1::Sha1::digest(data).to_vec(),
            Hash::Sha224 => sha2::Sha224::digest(data).to_vec(),
            Hash::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Hash::Sha384 => sha2::Sha384::digest(data).to_vec(),
            Hash::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }

    fn pkcs1v15(self) -> Pkcs1v15Sign {
        match self {
            Hash::Sha1 => Pkcs1v15Sign::new::<sha1::Sha1>(),
            Hash::Sha224 => Pkcs1v15Sign::new::<sha2::Sha224>(),
            Hash::Sha256 => Pkcs1v15Sign::new::<sha2::Sha256>(),
            Hash::Sha384 => Pkcs1v15Sign::new::<sha2::Sha384>(),
            Hash::Sha512 => Pkcs1v15Sign::new::<sha2::Sha512>(),
        }
    }

    fn pss(self, salt_len: usize) -> Pss {
        match self {
            Hash::Sha1 => Pss::new_with_salt::<sha1::Sha1>(salt_len),
            Hash::Sha224 => Pss::new_with_salt::<sha2::Sha224>(salt_len),
            Hash::Sha256 => Pss::new_with_salt::<sha2::Sha256>(salt_len),
            Hash::Sha384 => Pss::new_with_salt::<sha2::Sha384>(salt_len),
            Hash::Sha512 => Pss::new_with_salt::<sha2::Sha512>(salt_len),
        }
    }
}

/// A signature scheme certgate can verify.
enum Scheme {
    RsaPkcs1(Hash),
    RsaPss { hash: Hash, salt_len: usize },
    Ecdsa(Hash),
    Ed25519,
    Sm2Sm3,
}

/// Parsed RSASSA-PSS-params, or why they cannot be used.
struct PssParams {
    hash: Option<Hash>,
    hash_oid: String,
    mgf_ok: bool,
    mgf_hash: Option<Hash>,
    salt_len: u32,
    trailer: u32,
}

fn pss_params(alg: &AlgorithmIdentifier) -> Option<PssParams> {
    let (hash_oid, mgf, salt_len, trailer) = match alg.parameters.as_ref() {
        // RFC 4055 defaults when the parameters are absent.
        None => (
            oids::SHA1.to_string(),
            Some((oids::MGF1.to_string(), oids::SHA1.to_string())),
            20,
            1,
        ),
        Some(any) => {
            let params = RsaSsaPssParams::try_from(any).ok()?;
            let mgf = params
                .mask_gen_algorithm()
                .ok()
                .map(|m| (m.mgf.to_id_string(), m.hash.to_id_string()));
            (
                params.hash_algorithm_oid().to_id_string(),
                mgf,
                params.salt_length(),
                params.trailer_field(),
            )
        }
    };
    let (mgf_ok, mgf_hash) = match &mgf {
        Some((m, h)) => (m == oids::MGF1, Hash::from_oid(h)),
        None => (false, None),
    };
    Some(PssParams {
        hash: Hash::from_oid(&hash_oid),
        hash_oid,
        mgf_ok,
        mgf_hash,
        salt_len,
        trailer,
    })
}

fn hash_display_name(oid: &str) -> String {
    match Hash::from_oid(oid) {
        Some(h) => h.name().to_string(),
        None if oid == oids::MD5 => "MD5".to_string(),
        None => oid.to_string(),
    }
}

/// The dotted form of an OID, as `Oid::to_id_string` writes it, in one allocation
/// (that one builds a string per arc and joins them: a visible cost per certificate).
pub(crate) fn oid_string(oid: &x509_parser::der_parser::oid::Oid<'_>) -> String {
    use std::fmt::Write as _;
    let Some(arcs) = oid.iter() else {
        return oid.to_id_string();
    };
    let mut out = String::with_capacity(32);
    for (i, arc) in arcs.enumerate() {
        if i > 0 {
            out.push('.');
        }
        // Writing to a String cannot fail.
        let _ = write!(out, "{arc}");
    }
    out
}

/// Human name of a signature algorithm: `sha256WithRSAEncryption`, `ecdsa-with-SHA384`,
/// `SM2-with-SM3`, `RSASSA-PSS (SHA-256)`, `md5WithRSAEncryption`, `Ed25519`, ...;
/// the dotted OID when unknown.
pub fn signature_algorithm_name(alg: &AlgorithmIdentifier) -> String {
    let oid = oid_string(&alg.algorithm);
    let name = match oid.as_str() {
        oids::MD2_RSA => "md2WithRSAEncryption",
        oids::MD4_RSA => "md4WithRSAEncryption",
        oids::MD5_RSA => "md5WithRSAEncryption",
        oids::SHA1_RSA | oids::SHA1_RSA_OIW => "sha1WithRSAEncryption",
        oids::SHA224_RSA => "sha224WithRSAEncryption",
        oids::SHA256_RSA => "sha256WithRSAEncryption",
        oids::SHA384_RSA => "sha384WithRSAEncryption",
        oids::SHA512_RSA => "sha512WithRSAEncryption",
        oids::SHA512_224_RSA => "sha512-224WithRSAEncryption",
        oids::SHA512_256_RSA => "sha512-256WithRSAEncryption",
        oids::ECDSA_SHA1 => "ecdsa-with-SHA1",
        oids::ECDSA_SHA224 => "ecdsa-with-SHA224",
        oids::ECDSA_SHA256 => "ecdsa-with-SHA256",
        oids::ECDSA_SHA384 => "ecdsa-with-SHA384",
        oids::ECDSA_SHA512 => "ecdsa-with-SHA512",
        oids::DSA_SHA1 => "dsa-with-SHA1",
        oids::DSA_SHA224 => "dsa-with-SHA224",
        oids::DSA_SHA256 => "dsa-with-SHA256",
        oids::ED25519 => "Ed25519",
        oids::ED448 => "Ed448",
        oids::SM2_SM3 => "SM2-with-SM3",
        oids::RSA_PSS => {
            return match pss_params(alg) {
                Some(p) => format!("RSASSA-PSS ({})", hash_display_name(&p.hash_oid)),
                None => "RSASSA-PSS (malformed parameters)".to_string(),
            };
        }
        _ => return oid,
    };
    name.to_string()
}

/// `Some("MD5")`, `Some("SHA-1")` (or `MD2`/`MD4`) when the signature's hash is broken
/// for certificate signatures; `None` otherwise (including unknown algorithms).
pub fn signature_hash_is_weak(alg: &AlgorithmIdentifier) -> Option<&'static str> {
    match oid_string(&alg.algorithm).as_str() {
        oids::MD2_RSA => Some("MD2"),
        oids::MD4_RSA => Some("MD4"),
        oids::MD5_RSA => Some("MD5"),
        oids::SHA1_RSA | oids::SHA1_RSA_OIW | oids::ECDSA_SHA1 | oids::DSA_SHA1 => Some("SHA-1"),
        oids::RSA_PSS => match pss_params(alg) {
            Some(p) if p.hash_oid == oids::SHA1 => Some("SHA-1"),
            Some(p) if p.hash_oid == oids::MD5 => Some("MD5"),
            _ => None,
        },
        _ => None,
    }
}

fn scheme(alg: &AlgorithmIdentifier) -> Result<Scheme, Verification> {
    let oid = oid_string(&alg.algorithm);
    let unsupported =
        |reason: &str| Verification::unsupported(signature_algorithm_name(alg), reason);
    match oid.as_str() {
        oids::SHA1_RSA | oids::SHA1_RSA_OIW => Ok(Scheme::RsaPkcs1(Hash::Sha1)),
        oids::SHA224_RSA => Ok(Scheme::RsaPkcs1(Hash::Sha224)),
        oids::SHA256_RSA => Ok(Scheme::RsaPkcs1(Hash::Sha256)),
        oids::SHA384_RSA => Ok(Scheme::RsaPkcs1(Hash::Sha384)),
        oids::SHA512_RSA => Ok(Scheme::RsaPkcs1(Hash::Sha512)),
        oids::ECDSA_SHA1 => Ok(Scheme::Ecdsa(Hash::Sha1)),
        oids::ECDSA_SHA224 => Ok(Scheme::Ecdsa(Hash::Sha224)),
        oids::ECDSA_SHA256 => Ok(Scheme::Ecdsa(Hash::Sha256)),
        oids::ECDSA_SHA384 => Ok(Scheme::Ecdsa(Hash::Sha384)),
        oids::ECDSA_SHA512 => Ok(Scheme::Ecdsa(Hash::Sha512)),
        oids::ED25519 => Ok(Scheme::Ed25519),
        oids::SM2_SM3 => Ok(Scheme::Sm2Sm3),
        oids::RSA_PSS => {
            let p =
                pss_params(alg).ok_or_else(|| unsupported("malformed RSASSA-PSS parameters"))?;
            let hash = p.hash.ok_or_else(|| {
                unsupported("the PSS hash algorithm is not one of SHA-1/224/256/384/512")
            })?;
            if !p.mgf_ok {
                return Err(unsupported("the PSS mask generation function is not MGF1"));
            }
            if p.mgf_hash != Some(hash) {
                return Err(unsupported("the MGF1 hash differs from the message hash"));
            }
            if p.trailer != 1 {
                return Err(unsupported("the PSS trailer field is not 1"));
            }
            let salt_len = usize::try_from(p.salt_len)
                .ok()
                .filter(|s| *s <= MAX_RSA_BITS / 8)
                .ok_or_else(|| {
                    unsupported("the PSS salt length is larger than any supported key")
                })?;
            Ok(Scheme::RsaPss { hash, salt_len })
        }
        oids::MD2_RSA | oids::MD4_RSA | oids::MD5_RSA => Err(unsupported(
            "the hash is broken and not implemented in certgate",
        )),
        oids::DSA_SHA1 | oids::DSA_SHA224 | oids::DSA_SHA256 => {
            Err(unsupported("DSA signatures are not implemented"))
        }
        oids::ED448 => Err(unsupported("Ed448 signatures are not implemented")),
        _ => Err(unsupported("unknown signature algorithm")),
    }
}

// ---------------------------------------------------------------------------------
// Verification

/// Verifies `signature` over `signed` with the public key in `issuer_spki_der` (a DER
/// SubjectPublicKeyInfo) using the algorithm `sig_alg`.
pub fn verify_signed_data(
    issuer_spki_der: &[u8],
    sig_alg: &AlgorithmIdentifier,
    signed: &[u8],
    signature: &[u8],
) -> Verification {
    let scheme = match scheme(sig_alg) {
        Ok(s) => s,
        Err(v) => return v,
    };
    let Ok(spki) = SubjectPublicKeyInfoRef::from_der(issuer_spki_der) else {
        return Verification::unsupported(
            signature_algorithm_name(sig_alg),
            "the issuer's public key cannot be decoded",
        );
    };
    let Some(key_bytes) = spki.subject_public_key.as_bytes() else {
        return Verification::Invalid;
    };
    let key_alg = spki.algorithm.oid.to_string();
    let curve = spki.algorithm.parameters_oid().ok().map(|o| o.to_string());

    match scheme {
        Scheme::RsaPkcs1(hash) => {
            if key_alg != oids::RSA_KEY {
                return key_mismatch();
            }
            verify_rsa(
                sig_alg,
                key_bytes,
                hash.pkcs1v15(),
                &hash.digest(signed),
                signature,
            )
        }
        Scheme::RsaPss { hash, salt_len } => {
            if key_alg != oids::RSA_KEY && key_alg != oids::RSA_PSS {
                return key_mismatch();
            }
            verify_rsa(
                sig_alg,
                key_bytes,
                hash.pss(salt_len),
                &hash.digest(signed),
                signature,
            )
        }
        Scheme::Ecdsa(hash) => {
            if key_alg != oids::EC_KEY {
                return key_mismatch();
            }
            let digest = hash.digest(signed);
            match curve.as_deref() {
                Some(oids::P256) => verify_ecdsa_p256(key_bytes, &digest, signature),
                Some(oids::P384) => verify_ecdsa_p384(key_bytes, &digest, signature),
                Some(oids::P521) => verify_ecdsa_p521(key_bytes, &digest, signature),
                Some(other) => Verification::unsupported(
                    signature_algorithm_name(sig_alg),
                    format!("elliptic curve {} is not implemented", curve_name(other)),
                ),
                None => Verification::unsupported(
                    signature_algorithm_name(sig_alg),
                    "the issuer's EC key has no named curve",
                ),
            }
        }
        Scheme::Ed25519 => {
            if key_alg != oids::ED25519 {
                return key_mismatch();
            }
            verify_ed25519(key_bytes, signed, signature)
        }
        Scheme::Sm2Sm3 => {
            let is_sm2 = key_alg == oids::SM2_CURVE
                || (key_alg == oids::EC_KEY && curve.as_deref() == Some(oids::SM2_CURVE));
            if !is_sm2 {
                return key_mismatch();
            }
            verify_sm2(key_bytes, signed, signature)
        }
    }
}

/// The certificate's two signature algorithm fields (tbsCertificate.signature, inside
/// the signed bytes, and signatureAlgorithm, outside) differ, which RFC 5280 4.1.1.2
/// forbids.
pub fn signature_algorithms_differ(cert: &X509Certificate) -> bool {
    cert.tbs_certificate.signature != cert.signature_algorithm
}

/// Verifies that `issuer`'s key signed `child` (TBS bytes and signature value).
///
/// A child whose two algorithm fields differ is not checked (`Unsupported`): which of
/// them the signature was made with is undefined, and "does not verify" would blame
/// the issuer's key for what is the child's encoding error (`der-malformed`).
pub fn verify_issued_by(child: &X509Certificate, issuer: &X509Certificate) -> Verification {
    if signature_algorithms_differ(child) {
        return Verification::unsupported(
            signature_algorithm_name(&child.signature_algorithm),
            format!(
                "the certificate names {} inside its signed part and {} outside it",
                signature_algorithm_name(&child.tbs_certificate.signature),
                signature_algorithm_name(&child.signature_algorithm)
            ),
        );
    }
    if child.signature_value.unused_bits != 0 {
        return Verification::Invalid;
    }
    verify_signed_data(
        issuer.public_key().raw,
        &child.signature_algorithm,
        child.tbs_certificate.as_ref(),
        &child.signature_value.data,
    )
}

/// Verifies a PKCS#10 request's self-signature with its own public key.
pub fn verify_csr(csr: &X509CertificationRequest) -> Verification {
    if csr.signature_value.unused_bits != 0 {
        return Verification::Invalid;
    }
    verify_signed_data(
        csr.certification_request_info.subject_pki.raw,
        &csr.signature_algorithm,
        csr.certification_request_info.raw,
        &csr.signature_value.data,
    )
}

fn curve_name(oid: &str) -> String {
    match oid {
        "1.3.36.3.3.2.8.1.1.7" => "brainpoolP256r1".to_string(),
        "1.3.36.3.3.2.8.1.1.11" => "brainpoolP384r1".to_string(),
        "1.3.36.3.3.2.8.1.1.13" => "brainpoolP512r1".to_string(),
        "1.3.132.0.10" => "secp256k1".to_string(),
        oids::SM2_CURVE => "SM2".to_string(),
        _ => oid.to_string(),
    }
}

/// The signature algorithm cannot have been made with this kind of key, so the
/// issuer did not make this signature.
fn key_mismatch() -> Verification {
    Verification::Invalid
}

fn verify_rsa<S: rsa::traits::SignatureScheme>(
    sig_alg: &AlgorithmIdentifier,
    key_bytes: &[u8],
    scheme: S,
    digest: &[u8],
    signature: &[u8],
) -> Verification {
    let Ok(key) = pkcs1::RsaPublicKey::from_der(key_bytes) else {
        return Verification::Invalid;
    };
    let n = key.modulus.as_bytes();
    let e = key.public_exponent.as_bytes();
    let bits = n.len().saturating_mul(8);
    if bits > MAX_RSA_BITS + 8 || modulus_bits(n) > MAX_RSA_BITS {
        return Verification::unsupported(
            signature_algorithm_name(sig_alg),
            format!("RSA keys above {MAX_RSA_BITS} bits are not verified (cost cap)"),
        );
    }
    let key = match RsaPublicKey::new_with_max_size(
        BigUint::from_bytes_be(n),
        BigUint::from_bytes_be(e),
        MAX_RSA_BITS,
    ) {
        Ok(k) => k,
        Err(_) => {
            return Verification::unsupported(
                signature_algorithm_name(sig_alg),
                "the issuer's RSA key is outside what certgate verifies (exponent or modulus)",
            );
        }
    };
    match key.verify(scheme, digest, signature) {
        Ok(()) => Verification::Valid,
        Err(_) => Verification::Invalid,
    }
}

/// Bit length of a big-endian unsigned integer (leading zero bytes ignored).
fn modulus_bits(n: &[u8]) -> usize {
    let mut iter = n.iter().skip_while(|b| **b == 0);
    match iter.next() {
        None => 0,
        Some(first) => {
            let rest = iter.count();
            rest.saturating_mul(8)
                .saturating_add(8 - first.leading_zeros() as usize)
        }
    }
}

/// Left-pads a digest shorter than the curve's field to the field size: the same
/// integer (X9.62 uses the whole digest when it is shorter than the order), which
/// `ecdsa`'s `bits2field` would otherwise refuse when it is less than half the field
/// (SHA-256 or SHA-224 with P-521).
fn pad_prehash(digest: &[u8], field_len: usize) -> Vec<u8> {
    if digest.len() >= field_len {
        return digest.to_vec();
    }
    let mut out = vec![0u8; field_len - digest.len()];
    out.extend_from_slice(digest);
    out
}

/// ECDSA verification of a prehash on one curve (`$curve` is the curve crate).
macro_rules! ecdsa_verifier {
    ($fn_name:ident, $curve:ident, $field_len:expr) => {
        fn $fn_name(point: &[u8], digest: &[u8], signature: &[u8]) -> Verification {
            let Ok(key) = $curve::ecdsa::VerifyingKey::from_sec1_bytes(point) else {
                return Verification::Invalid;
            };
            let Ok(sig) = $curve::ecdsa::Signature::from_der(signature) else {
                return Verification::Invalid;
            };
            match key.verify_prehash(&pad_prehash(digest, $field_len), &sig) {
                Ok(()) => Verification::Valid,
                Err(_) => Verification::Invalid,
            }
        }
    };
}

ecdsa_verifier!(verify_ecdsa_p256, p256, 32);
ecdsa_verifier!(verify_ecdsa_p384, p384, 48);
ecdsa_verifier!(verify_ecdsa_p521, p521, 66);

fn verify_ed25519(key_bytes: &[u8], signed: &[u8], signature: &[u8]) -> Verification {
    let Ok(key_arr) = <[u8; 32]>::try_from(key_bytes) else {
        return Verification::Invalid;
    };
    let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(&key_arr) else {
        return Verification::Invalid;
    };
    let Ok(sig) = ed25519_dalek::Signature::from_slice(signature) else {
        return Verification::Invalid;
    };
    match key.verify(signed, &sig) {
        Ok(()) => Verification::Valid,
        Err(_) => Verification::Invalid,
    }
}

/// Decodes an SM2 signature `SEQUENCE { r INTEGER, s INTEGER }`.
fn sm2_signature(der_sig: &[u8]) -> Option<sm2::dsa::Signature> {
    let mut reader = SliceReader::new(der_sig).ok()?;
    let (r, s) = reader
        .sequence(|seq| {
            let r = UintRef::decode(seq)?;
            let s = UintRef::decode(seq)?;
            Ok((r, s))
        })
        .ok()?;
    reader.finish(()).ok()?;
    let r = left_pad_32(r.as_bytes())?;
    let s = left_pad_32(s.as_bytes())?;
    sm2::dsa::Signature::from_scalars(r, s).ok()
}

fn left_pad_32(bytes: &[u8]) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    let start = 32usize.checked_sub(bytes.len())?;
    out.get_mut(start..)?.copy_from_slice(bytes);
    Some(out)
}

fn verify_sm2(point: &[u8], signed: &[u8], signature: &[u8]) -> Verification {
    let Some(sig) = sm2_signature(signature) else {
        return Verification::Invalid;
    };
    for (id, outcome) in [
        (SM2_DEFAULT_ID, Verification::Valid),
        ("", Verification::ValidSm2EmptyId),
    ] {
        let Ok(key) = sm2::dsa::VerifyingKey::from_sec1_bytes(id, point) else {
            return Verification::Invalid;
        };
        if key.verify(signed, &sig).is_ok() {
            return outcome;
        }
    }
    Verification::Invalid
}

#[cfg(test)]
mod tests {
    use super::*;
    use x509_parser::prelude::FromDer;

    fn certs(pem_text: &str) -> Vec<Vec<u8>> {
        pem::parse_many(pem_text)
            .unwrap_or_default()
            .into_iter()
            .map(|p| p.into_contents())
            .collect()
    }

    fn parse(der: &[u8]) -> X509Certificate<'_> {
        X509Certificate::from_der(der).map(|(_, c)| c).unwrap()
    }

    /// Verifies bundle[i] against bundle[j] for each (i, j).
    fn check(pem_text: &str, pairs: &[(usize, usize)]) -> Vec<Verification> {
        let ders = certs(pem_text);
        pairs
            .iter()
            .map(|(i, j)| verify_issued_by(&parse(&ders[*i]), &parse(&ders[*j])))
            .collect()
    }

    #[test]
    fn rsa_pkcs1_sha256_chain() {
        let v = check(
            corpus_text!("chains", "rsa-4chain-in-order.pem"),
            &[(0, 1), (1, 2), (2, 3), (3, 3)],
        );
        assert!(v.iter().all(|v| *v == Verification::Valid), "{v:?}");
    }

    #[test]
    fn rsa_pkcs1_other_hashes() {
        // root, then leaves signed with SHA-224, SHA-384, SHA-512
        let text = corpus_text!("chains", "rsa-pkcs1-hashes.pem");
        let v = check(text, &[(1, 0), (2, 0), (3, 0)]);
        assert!(v.iter().all(|v| *v == Verification::Valid), "{v:?}");
        let ders = certs(text);
        let names: Vec<String> = ders[1..]
            .iter()
            .map(|d| signature_algorithm_name(&parse(d).signature_algorithm))
            .collect();
        assert_eq!(
            names,
            [
                "sha224WithRSAEncryption",
                "sha384WithRSAEncryption",
                "sha512WithRSAEncryption"
            ]
        );
    }

    #[test]
    fn sha1_verifies_and_is_weak() {
        let text = corpus_text!("chains", "sha1-leaf.pem");
        assert_eq!(check(text, &[(0, 1)]), [Verification::Valid]);
        let ders = certs(text);
        let leaf = parse(&ders[0]);
        assert_eq!(
            signature_hash_is_weak(&leaf.signature_algorithm),
            Some("SHA-1")
        );
        assert_eq!(
            signature_algorithm_name(&leaf.signature_algorithm),
            "sha1WithRSAEncryption"
        );
        assert_eq!(
            signature_hash_is_weak(&parse(&ders[1]).signature_algorithm),
            None
        );
    }

    #[test]
    fn md5_is_unsupported_and_weak() {
        let text = corpus_text!("chains", "md5-leaf.pem");
        let v = check(text, &[(0, 1)]);
        match &v[0] {
            Verification::Unsupported { algorithm, .. } => {
                assert_eq!(algorithm, "md5WithRSAEncryption")
            }
            other => panic!("expected Unsupported, got {other:?}"),
        }
        let ders = certs(text);
        assert_eq!(
            signature_hash_is_weak(&parse(&ders[0]).signature_algorithm),
            Some("MD5")
        );
        assert!(
            v[0].to_string()
                .contains("cannot verify md5WithRSAEncryption")
        );
    }

    #[test]
    fn forged_link_is_invalid() {
        // leaf was signed by the real Intermediate B; the bundle carries a forgery with
        // the same DN and SKI but another key.
        let v = check(corpus_text!("chains", "forged-link.pem"), &[(0, 1), (1, 2)]);
        assert_eq!(v, [Verification::Invalid, Verification::Valid]);
    }

    #[test]
    fn rsa_pss() {
        let text = corpus_text!("chains", "rsa-pss-chain.pem");
        let v = check(text, &[(0, 1), (1, 2), (2, 2)]);
        assert!(v.iter().all(|v| *v == Verification::Valid), "{v:?}");
        let ders = certs(text);
        assert_eq!(
            signature_algorithm_name(&parse(&ders[0]).signature_algorithm),
            "RSASSA-PSS (SHA-384)"
        );
        assert_eq!(
            signature_algorithm_name(&parse(&ders[1]).signature_algorithm),
            "RSASSA-PSS (SHA-256)"
        );
        // wrong key: the PSS leaf against the root
        assert_eq!(check(text, &[(0, 2)]), [Verification::Invalid]);
    }

    #[test]
    fn ecdsa_p521_p384_p256_sha512() {
        let text = corpus_text!("chains", "p521-chain.pem");
        let v = check(text, &[(0, 1), (1, 2), (2, 2)]);
        assert!(v.iter().all(|v| *v == Verification::Valid), "{v:?}");
        let ders = certs(text);
        assert_eq!(
            signature_algorithm_name(&parse(&ders[0]).signature_algorithm),
            "ecdsa-with-SHA512"
        );
        assert_eq!(check(text, &[(0, 2)]), [Verification::Invalid]);
    }

    #[test]
    fn ecdsa_p521_with_sha256_short_digest() {
        let v = check(
            corpus_text!("chains", "p521-sha256-chain.pem"),
            &[(0, 1), (1, 1)],
        );
        assert!(v.iter().all(|v| *v == Verification::Valid), "{v:?}");
    }

    #[test]
    fn ecdsa_p256_sha384_and_p384_sha224() {
        let v = check(
            corpus_text!("chains", "ecdsa-mixed-hashes.pem"),
            &[(0, 1), (1, 2), (2, 2)],
        );
        assert!(v.iter().all(|v| *v == Verification::Valid), "{v:?}");
    }

    #[test]
    fn ed25519() {
        let text = corpus_text!("chains", "ed25519-chain.pem");
        let v = check(text, &[(0, 1), (1, 1)]);
        assert!(v.iter().all(|v| *v == Verification::Valid), "{v:?}");
        assert_eq!(check(text, &[(0, 0)]), [Verification::Invalid]);
    }

    #[test]
    fn sm2_default_and_empty_id() {
        let v = check(corpus_text!("chains", "sm2-chain.pem"), &[(0, 1), (1, 1)]);
        assert_eq!(v, [Verification::Valid, Verification::Valid]);
        let v = check(corpus_text!("chains", "sm2-chain-empty-id.pem"), &[(0, 1)]);
        assert_eq!(v, [Verification::ValidSm2EmptyId]);
        assert!(v[0].to_string().contains("empty signer id"));
        // leaf against itself: wrong key
        let v = check(corpus_text!("chains", "sm2-chain.pem"), &[(0, 0)]);
        assert_eq!(v, [Verification::Invalid]);
    }

    #[test]
    fn key_type_mismatch_is_invalid() {
        // an RSA-signed leaf checked against an Ed25519 key
        let rsa = certs(corpus_text!("chains", "rsa-4chain-in-order.pem"));
        let ed = certs(corpus_text!("chains", "ed25519-chain.pem"));
        assert_eq!(
            verify_issued_by(&parse(&rsa[0]), &parse(&ed[1])),
            Verification::Invalid
        );
        assert_eq!(
            verify_issued_by(&parse(&ed[0]), &parse(&rsa[1])),
            Verification::Invalid
        );
    }

    #[test]
    fn tampered_data_and_garbage_never_panic() {
        let ders = certs(corpus_text!("chains", "rsa-4chain-in-order.pem"));
        let leaf = parse(&ders[0]);
        let int = parse(&ders[1]);
        let spki = int.public_key().raw;
        let tbs = leaf.tbs_certificate.as_ref();
        let sig = &leaf.signature_value.data;
        assert_eq!(
            verify_signed_data(spki, &leaf.signature_algorithm, tbs, sig),
            Verification::Valid
        );
        let mut bad = tbs.to_vec();
        if let Some(b) = bad.last_mut() {
            *b ^= 1;
        }
        assert_eq!(
            verify_signed_data(spki, &leaf.signature_algorithm, &bad, sig),
            Verification::Invalid
        );
        // truncated/garbage keys and signatures, under every scheme
        for text in [
            corpus_text!("chains", "p521-chain.pem"),
            corpus_text!("chains", "sm2-chain.pem"),
            corpus_text!("chains", "ed25519-chain.pem"),
            corpus_text!("chains", "rsa-pss-chain.pem"),
        ] {
            let ders = certs(text);
            let c = parse(&ders[0]);
            let k = parse(&ders[1]);
            let spki = k.public_key().raw;
            for cut in [0, 1, 10, spki.len() / 2] {
                let v = verify_signed_data(
                    &spki[..cut],
                    &c.signature_algorithm,
                    b"x",
                    &c.signature_value.data,
                );
                assert!(!v.is_valid());
            }
            for sig in [&b""[..], &[0x30, 0x00], &[0xff; 200]] {
                let v = verify_signed_data(spki, &c.signature_algorithm, b"x", sig);
                assert!(!v.is_valid());
            }
        }
    }

    fn csr_verification(text: &str) -> Verification {
        let der = certs(text).into_iter().next().unwrap();
        let (_, csr) = X509CertificationRequest::from_der(&der).unwrap();
        verify_csr(&csr)
    }

    #[test]
    fn csr_self_signature() {
        assert_eq!(
            csr_verification(corpus_text!("chains", "csr-rsa.pem")),
            Verification::Valid
        );
        assert_eq!(
            csr_verification(corpus_text!("chains", "csr-sm2.pem")),
            Verification::Valid
        );
        assert_eq!(
            csr_verification(corpus_text!("chains", "csr-sm2-empty-id.pem")),
            Verification::ValidSm2EmptyId
        );
    }

    /// A DER SPKI for an RSA key with the given modulus.
    fn rsa_spki(modulus: &[u8]) -> Vec<u8> {
        use der::Encode;
        let key = pkcs1::RsaPublicKey {
            modulus: UintRef::new(modulus).unwrap(),
            public_exponent: UintRef::new(&[1, 0, 1]).unwrap(),
        }
        .to_der()
        .unwrap();
        SubjectPublicKeyInfoRef {
            algorithm: spki::AlgorithmIdentifierRef {
                oid: der::asn1::ObjectIdentifier::new_unwrap(oids::RSA_KEY),
                parameters: Some(der::asn1::AnyRef::NULL),
            },
            subject_public_key: der::asn1::BitStringRef::from_bytes(&key).unwrap(),
        }
        .to_der()
        .unwrap()
    }

    #[test]
    fn rsa_cost_cap() {
        let ders = certs(corpus_text!("chains", "rsa-4chain-in-order.pem"));
        let leaf = parse(&ders[0]);
        let sig = &leaf.signature_value.data;
        let over = rsa_spki(&[0xff; MAX_RSA_BITS / 8 + 1]);
        match verify_signed_data(&over, &leaf.signature_algorithm, b"x", sig) {
            Verification::Unsupported { reason, .. } => assert!(reason.contains("cost cap")),
            other => panic!("{other:?}"),
        }
        // at the cap: checked (and wrong)
        let at = rsa_spki(&[0xff; MAX_RSA_BITS / 8]);
        assert_eq!(
            verify_signed_data(&at, &leaf.signature_algorithm, b"x", sig),
            Verification::Invalid
        );
    }

    #[test]
    fn modulus_bits_counts() {
        assert_eq!(modulus_bits(&[0, 0, 1]), 1);
        assert_eq!(modulus_bits(&[0x80, 0]), 16);
        assert_eq!(modulus_bits(&[]), 0);
        assert_eq!(pad_prehash(&[1, 2], 4), [0, 0, 1, 2]);
        assert_eq!(pad_prehash(&[1, 2, 3], 2), [1, 2, 3]);
    }
}
