//! PKCS#12 (PFX) archives, as uploaded to Esri Portal's `update` and
//! `importExistingServerCertificate` operations.
//!
//! Two steps:
//!
//! 1. [`prescan`] walks the archive's DER with a small, bounded, non-recursive reader and
//!    reports, without the password and without any key derivation, the MAC algorithm and
//!    iteration count, every encryption scheme with its iteration count, and the bags that
//!    are visible in clear. [`Prescan::check_limits`] refuses absurd iteration counts (a
//!    crafted 1 KB file with 2^31-1 iterations) in microseconds.
//! 2. [`open`] runs the pre-scan and its limits, then decrypts with `p12-keystore`'s
//!    archive view ([`p12_keystore::Pkcs12Archive`]), which keeps certificate-only archives
//!    and every key bag (its normal `KeyStore` view drops both).
//!
//! The password is taken as a [`SecretString`]; no error, `Display` or `Debug` output in
//! this module contains it. Private keys come back as zeroizing PKCS#8 DER with a redacting
//! `Debug`. Parsing those keys is another module's job.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::input::limits::MAX_DER_DEPTH;
pub use crate::input::limits::{MAX_BAGS, MAX_ITERATIONS, MAX_TOTAL_ITERATIONS};

/// The MAC (password integrity) of an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacInfo {
    /// Digest name: `SHA-1`, `SHA-256`, ..., or `PBMAC1 (...)`, or the dotted OID.
    pub digest: String,
    /// The digest algorithm OID, dotted.
    pub digest_oid: String,
    /// The MAC iteration count (for PBMAC1: the PBKDF2 iteration count).
    pub iterations: u64,
    /// Length of the MAC salt in bytes.
    pub salt_len: usize,
    /// Length of the MAC value in bytes.
    pub mac_len: usize,
    /// Byte offset of the `macData` SEQUENCE in the file.
    pub at: usize,
    /// Whether the reader can verify this MAC.
    pub supported: bool,
}

/// Where an encryption scheme was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// A PKCS#7 `EncryptedData` in the AuthenticatedSafe (OpenSSL puts the certificates here).
    EncryptedData,
    /// A `pkcs8ShroudedKeyBag` (an encrypted private key).
    ShroudedKeyBag,
}

impl fmt::Display for Container {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Container::EncryptedData => "EncryptedData",
            Container::ShroudedKeyBag => "ShroudedKeyBag",
        })
    }
}

/// One password-based encryption found in the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectionInfo {
    pub container: Container,
    /// Byte offset of the scheme's AlgorithmIdentifier in the file.
    pub at: usize,
    /// Human name: `PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)`,
    /// `pbeWithSHAAnd3-KeyTripleDES-CBC`, `pbeWithSHAAnd40BitRC2-CBC`, ...
    pub scheme: String,
    /// The scheme OID, dotted.
    pub scheme_oid: String,
    /// The iteration count (scrypt: the cost parameter N).
    pub iterations: u64,
    /// Length of the salt in bytes.
    pub salt_len: usize,
    /// AES (PBES2) encryption: not readable by older Java and Windows Server 2016.
    pub is_aes: bool,
    /// PKCS#12 PBE with SHA-1 (3DES / RC2 / RC4), what `openssl pkcs12 -legacy` writes.
    pub is_legacy_pbe: bool,
    /// Whether the reader can decrypt this scheme.
    pub supported: bool,
    /// Iterations this derivation costs, for [`MAX_TOTAL_ITERATIONS`].
    pub work: u64,
}

/// Bags visible without the password (those in plain `Data` containers).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisibleBags {
    pub cert_bags: usize,
    /// Unencrypted `keyBag`s: a private key stored in clear.
    pub key_bags: usize,
    pub shrouded_key_bags: usize,
    /// Other bag types by name (`crlBag`, `secretBag`, `safeContentsBag`, ...).
    pub other: Vec<String>,
    /// AuthenticatedSafe entries: plain `Data` and `EncryptedData`.
    pub data_containers: usize,
    pub encrypted_containers: usize,
}

/// What the pre-scan learnt, before any key derivation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prescan {
    /// PFX version (3).
    pub version: u64,
    /// `None`: the archive has no MAC.
    pub mac: Option<MacInfo>,
    /// Every password-based encryption in the archive, in file order.
    pub bags: Vec<ProtectionInfo>,
    pub visible: VisibleBags,
    /// Sum of all derivations' work (see [`MAX_TOTAL_ITERATIONS`]), saturating.
    pub total_iterations: u64,
}

/// Every [`HostFact::code`], for profiles that list what their host reads.
pub const HOST_NOTE_CODES: [&str; 5] = [
    "aes-encryption",
    "sha256-mac",
    "no-mac",
    "clear-key",
    "weak-pbe",
];

/// A fact about an archive that some hosts cannot handle. Which host, and what to do,
/// is the rules layer's wording (`rules::esri::host_notes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostFact {
    /// A container or key is AES-encrypted (PBES2).
    AesEncryption,
    /// The MAC digest is not SHA-1 (`SHA-256`, ...).
    MacDigest { digest: String },
    /// The archive has no MAC.
    NoMac,
    /// Private keys stored unencrypted (`keyBag`).
    ClearKeys { count: usize },
    /// A container uses 40-bit RC2/RC4.
    WeakPbe,
}

impl HostFact {
    /// Stable identifier, one of [`HOST_NOTE_CODES`].
    pub fn code(&self) -> &'static str {
        match self {
            HostFact::AesEncryption => "aes-encryption",
            HostFact::MacDigest { .. } => "sha256-mac",
            HostFact::NoMac => "no-mac",
            HostFact::ClearKeys { .. } => "clear-key",
            HostFact::WeakPbe => "weak-pbe",
        }
    }
}

impl Prescan {
    /// Refuses iteration counts above [`MAX_ITERATIONS`], total work above
    /// [`MAX_TOTAL_ITERATIONS`] and schemes the reader cannot handle. No key derivation.
    pub fn check_limits(&self) -> Result<(), Pkcs12Error> {
        if let Some(mac) = &self.mac {
            if mac.iterations > MAX_ITERATIONS {
                return Err(Pkcs12Error::IterationsTooHigh {
                    where_: format!("the MAC ({}) at byte {}", mac.digest, mac.at),
                    iterations: mac.iterations,
                    cap: MAX_ITERATIONS,
                });
            }
        }
        for b in &self.bags {
            if b.iterations > MAX_ITERATIONS {
                return Err(Pkcs12Error::IterationsTooHigh {
                    where_: format!("the {} ({}) at byte {}", b.container, b.scheme, b.at),
                    iterations: b.iterations,
                    cap: MAX_ITERATIONS,
                });
            }
        }
        if self.total_iterations > MAX_TOTAL_ITERATIONS {
            return Err(Pkcs12Error::WorkTooHigh {
                derivations: self.bags.len() + usize::from(self.mac.is_some()),
                total: self.total_iterations,
                cap: MAX_TOTAL_ITERATIONS,
            });
        }
        if let Some(mac) = &self.mac {
            if !mac.supported {
                return Err(Pkcs12Error::Unsupported {
                    what: format!("MAC algorithm {} ({})", mac.digest, mac.digest_oid),
                });
            }
        }
        if let Some(b) = self.bags.iter().find(|b| !b.supported) {
            return Err(Pkcs12Error::Unsupported {
                what: format!(
                    "encryption scheme {} ({}) of the {} at byte {}",
                    b.scheme, b.scheme_oid, b.container, b.at
                ),
            });
        }
        Ok(())
    }

    /// Whether any container or key is AES-encrypted (PBES2).
    pub fn uses_aes(&self) -> bool {
        self.bags.iter().any(|b| b.is_aes)
    }

    /// Facts about this archive that commonly make hosts refuse it, in a fixed order.
    pub fn host_facts(&self) -> Vec<HostFact> {
        let mut facts = Vec::new();
        if self.uses_aes() {
            facts.push(HostFact::AesEncryption);
        }
        match &self.mac {
            Some(mac) if mac.digest != "SHA-1" => facts.push(HostFact::MacDigest {
                digest: mac.digest.clone(),
            }),
            Some(_) => {}
            None => facts.push(HostFact::NoMac),
        }
        if self.visible.key_bags > 0 {
            facts.push(HostFact::ClearKeys {
                count: self.visible.key_bags,
            });
        }
        if self.bags.iter().any(|b| b.scheme.contains("40Bit")) {
            facts.push(HostFact::WeakPbe);
        }
        facts
    }
}

/// A private key from the archive, as PKCS#8 DER, zeroized on drop.
pub struct KeyEntry {
    pub pkcs8_der: Zeroizing<Vec<u8>>,
    /// The key algorithm OID from the PKCS#8 header, dotted.
    pub algorithm_oid: String,
    pub local_key_id: Option<Vec<u8>>,
    pub friendly_name: Option<String>,
}

impl fmt::Debug for KeyEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyEntry")
            .field(
                "pkcs8_der",
                &format_args!("<redacted {} bytes>", self.pkcs8_der.len()),
            )
            .field("algorithm_oid", &self.algorithm_oid)
            .field("local_key_id", &self.local_key_id.as_deref().map(hex))
            .field("friendly_name", &self.friendly_name)
            .finish()
    }
}

/// A certificate from the archive.
#[derive(Clone, PartialEq, Eq)]
pub struct CertEntry {
    pub der: Vec<u8>,
    pub local_key_id: Option<Vec<u8>>,
    pub friendly_name: Option<String>,
    /// Java's trusted-certificate attribute (keytool `TrustedCertificateEntry`).
    pub java_trusted: bool,
}

impl fmt::Debug for CertEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CertEntry")
            .field("der", &format_args!("<{} bytes>", self.der.len()))
            .field("local_key_id", &self.local_key_id.as_deref().map(hex))
            .field("friendly_name", &self.friendly_name)
            .field("java_trusted", &self.java_trusted)
            .finish()
    }
}

/// What kind of keystore entry the archive amounts to (rule `pkcs12-private-key-entry`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// At least one private key and at least one certificate.
    PrivateKeyEntry,
    /// Certificates only: a trusted-certificate store.
    TrustedCertificates,
    /// A private key without any certificate.
    KeyWithoutCertificate,
    /// Nothing the reader understands.
    Empty,
}

/// The decrypted entries, every bag kept in file order.
#[derive(Debug, Default)]
pub struct Contents {
    pub keys: Vec<KeyEntry>,
    pub certs: Vec<CertEntry>,
    /// Number of secret-key bags (ignored otherwise).
    pub secret_bags: usize,
}

impl Contents {
    pub fn entry_kind(&self) -> EntryKind {
        match (self.keys.is_empty(), self.certs.is_empty()) {
            (false, false) => EntryKind::PrivateKeyEntry,
            (true, false) => EntryKind::TrustedCertificates,
            (false, true) => EntryKind::KeyWithoutCertificate,
            (true, true) => EntryKind::Empty,
        }
    }

    /// More than one private key (rule `pkcs12-single-key`).
    pub fn has_multiple_keys(&self) -> bool {
        self.keys.len() > 1
    }

    /// The certificate paired with `key` by `localKeyId` (the leaf), if any.
    pub fn leaf_for(&self, key: &KeyEntry) -> Option<&CertEntry> {
        let id = key.local_key_id.as_ref()?;
        self.certs
            .iter()
            .find(|c| c.local_key_id.as_ref() == Some(id))
    }
}

/// Why an archive could not be pre-scanned or opened. Never contains the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pkcs12Error {
    /// Not a PKCS#12 archive; `hint` says what it looks like instead.
    NotPkcs12 { hint: String },
    /// The DER is damaged at byte `at`.
    Malformed { at: usize, what: String },
    /// Constructed values nest deeper than [`MAX_DER_DEPTH`].
    TooDeep { at: usize, limit: usize },
    /// More bags than [`MAX_BAGS`].
    TooManyBags { limit: usize },
    /// One derivation's iteration count exceeds the cap.
    IterationsTooHigh {
        where_: String,
        iterations: u64,
        cap: u64,
    },
    /// The sum over all derivations exceeds [`MAX_TOTAL_ITERATIONS`].
    WorkTooHigh {
        derivations: usize,
        total: u64,
        cap: u64,
    },
    /// Wrong password, found at the MAC step (nothing was decrypted).
    MacMismatch { digest: String },
    /// The MAC verified (or there is none) but a container or key did not decrypt: the
    /// password is wrong (no MAC), the bags use another password than the MAC, or the data
    /// is corrupt.
    DecryptFailed { what: String },
    /// A feature the reader does not handle.
    Unsupported { what: String },
    /// The archive decrypted but an entry inside it is invalid.
    BadEntry { what: String },
}

impl fmt::Display for Pkcs12Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pkcs12Error::NotPkcs12 { hint } => {
                write!(f, "not a PKCS#12 archive (.pfx/.p12): {hint}")
            }
            Pkcs12Error::Malformed { at, what } => {
                write!(f, "a damaged PKCS#12 archive at byte {at}: {what}")
            }
            Pkcs12Error::TooDeep { at, limit } => write!(
                f,
                "refused: DER values nest more than {limit} levels deep (at byte {at}); \
                 no real archive does this"
            ),
            Pkcs12Error::TooManyBags { limit } => {
                write!(
                    f,
                    "refused: more than {limit} bags or containers (safes, bags and nested \
                     safe contents together; real archives hold a handful)"
                )
            }
            Pkcs12Error::IterationsTooHigh {
                where_,
                iterations,
                cap,
            } => write!(
                f,
                "refused before any key derivation: {where_} asks for {iterations} iterations, \
                 above the cap of {cap} (OpenSSL writes 2048, Java keytool 10000)"
            ),
            Pkcs12Error::WorkTooHigh {
                derivations,
                total,
                cap,
            } => write!(
                f,
                "refused before any key derivation: {derivations} password derivations total \
                 {total} iterations, above the cap of {cap} per archive"
            ),
            Pkcs12Error::MacMismatch { digest } => write!(
                f,
                "wrong password: the archive's MAC (HMAC-{digest}) does not verify with it; \
                 nothing was decrypted"
            ),
            Pkcs12Error::DecryptFailed { what } => write!(f, "decryption failed: {what}"),
            Pkcs12Error::Unsupported { what } => write!(f, "unsupported: {what}"),
            Pkcs12Error::BadEntry { what } => write!(f, "invalid entry in the archive: {what}"),
        }
    }
}

impl std::error::Error for Pkcs12Error {}

impl Pkcs12Error {
    /// The rule this error belongs to; the mapping is the rules layer's
    /// ([`crate::rules::pkcs12_rule_id`]). Kept as a method for `lint`, which calls it.
    pub fn rule_id(&self) -> &'static str {
        crate::rules::pkcs12_rule_id(self)
    }
}

use crate::input::der::{self, Reader, Tlv, TlvError};

fn tlv_err(e: TlvError, inside: &str) -> Pkcs12Error {
    match e {
        TlvError::Indefinite { at } => Pkcs12Error::Unsupported {
            what: format!(
                "BER indefinite-length encoding at byte {at} (in {inside}), written by some \
                 older Windows and Java exporters; re-export it with OpenSSL"
            ),
        },
        other => Pkcs12Error::Malformed {
            at: other.at(),
            what: format!("in {inside}: {other}"),
        },
    }
}

fn expect<'a>(r: &mut Reader<'a>, tag: u8, what: &str) -> Result<Tlv<'a>, Pkcs12Error> {
    if r.is_empty() {
        return Err(Pkcs12Error::Malformed {
            at: r.position(),
            what: format!("{what} is missing"),
        });
    }
    let t = r.next().map_err(|e| tlv_err(e, what))?;
    if t.tag != tag {
        if tag == 0x04 && t.tag == 0x24 {
            return Err(Pkcs12Error::Unsupported {
                what: format!(
                    "BER constructed OCTET STRING at byte {} ({what}); re-export it with OpenSSL",
                    t.at
                ),
            });
        }
        return Err(Pkcs12Error::Malformed {
            at: t.at,
            what: format!(
                "expected {what} ({}), found {}",
                der::tag_name(tag),
                der::tag_name(t.tag)
            ),
        });
    }
    Ok(t)
}

fn expect_oid(r: &mut Reader<'_>, what: &str) -> Result<(String, usize), Pkcs12Error> {
    let t = expect(r, 0x06, what)?;
    let s = der::oid_string(t.value).ok_or_else(|| Pkcs12Error::Malformed {
        at: t.at,
        what: format!("{what}: invalid OBJECT IDENTIFIER encoding"),
    })?;
    Ok((s, t.at))
}

fn expect_uint(r: &mut Reader<'_>, what: &str) -> Result<u64, Pkcs12Error> {
    let t = expect(r, 0x02, what)?;
    der::uint(t.value).ok_or_else(|| Pkcs12Error::Malformed {
        at: t.at,
        what: format!("{what} is negative or empty"),
    })
}

fn expect_end(r: &Reader<'_>, what: &str) -> Result<(), Pkcs12Error> {
    if r.is_empty() {
        Ok(())
    } else {
        Err(Pkcs12Error::Malformed {
            at: r.position(),
            what: format!("{} unexpected bytes at the end of {what}", r.remaining()),
        })
    }
}

fn check_depth(buf: &[u8], base: usize) -> Result<(), Pkcs12Error> {
    match der::too_deep(buf, base, MAX_DER_DEPTH) {
        Some(at) => Err(Pkcs12Error::TooDeep {
            at,
            limit: MAX_DER_DEPTH,
        }),
        None => Ok(()),
    }
}

const OID_DATA: &str = "1.2.840.113549.1.7.1";
const OID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const OID_ENVELOPED_DATA: &str = "1.2.840.113549.1.7.3";
const OID_ENCRYPTED_DATA: &str = "1.2.840.113549.1.7.6";
const OID_PBES2: &str = "1.2.840.113549.1.5.13";
const OID_PBKDF2: &str = "1.2.840.113549.1.5.12";
const OID_PBMAC1: &str = "1.2.840.113549.1.5.14";
const OID_SCRYPT: &str = "1.3.6.1.4.1.11591.4.11";

fn digest_name(oid: &str) -> Option<(&'static str, bool)> {
    // (name, supported by the reader's MAC)
    Some(match oid {
        "1.3.14.3.2.26" => ("SHA-1", true),
        "2.16.840.1.101.3.4.2.4" => ("SHA-224", true),
        "2.16.840.1.101.3.4.2.1" => ("SHA-256", true),
        "2.16.840.1.101.3.4.2.2" => ("SHA-384", true),
        "2.16.840.1.101.3.4.2.3" => ("SHA-512", true),
        "2.16.840.1.101.3.4.2.5" => ("SHA-512/224", true),
        "2.16.840.1.101.3.4.2.6" => ("SHA-512/256", true),
        "1.2.840.113549.2.5" => ("MD5", false),
        "1.2.156.10197.1.401" => ("SM3", false),
        "1.2.643.7.1.1.2.2" => ("GOST R 34.11-2012 (256)", false),
        _ => return None,
    })
}

fn prf_name(oid: &str) -> Option<(&'static str, bool)> {
    Some(match oid {
        "1.2.840.113549.2.7" => ("HMAC-SHA1", true),
        "1.2.840.113549.2.8" => ("HMAC-SHA224", true),
        "1.2.840.113549.2.9" => ("HMAC-SHA256", true),
        "1.2.840.113549.2.10" => ("HMAC-SHA384", true),
        "1.2.840.113549.2.11" => ("HMAC-SHA512", true),
        "1.2.156.10197.1.401.2" => ("HMAC-SM3", false),
        _ => return None,
    })
}

fn cipher_name(oid: &str) -> Option<(&'static str, bool, bool)> {
    // (name, is_aes, supported by the reader's PBES2)
    Some(match oid {
        "2.16.840.1.101.3.4.1.2" => ("AES-128-CBC", true, true),
        "2.16.840.1.101.3.4.1.22" => ("AES-192-CBC", true, true),
        "2.16.840.1.101.3.4.1.42" => ("AES-256-CBC", true, true),
        "2.16.840.1.101.3.4.1.6" => ("AES-128-GCM", true, true),
        "2.16.840.1.101.3.4.1.46" => ("AES-256-GCM", true, true),
        "1.2.840.113549.3.7" => ("DES-EDE3-CBC", false, false),
        "1.3.14.3.2.7" => ("DES-CBC", false, false),
        "1.2.840.113549.3.2" => ("RC2-CBC", false, false),
        "1.2.156.10197.1.104.2" => ("SM4-CBC", false, false),
        _ => return None,
    })
}

fn pkcs12_pbe_name(oid: &str) -> Option<(&'static str, bool, u64)> {
    // (name, supported, derivations per decryption: key + IV, RC4 needs no IV)
    Some(match oid {
        "1.2.840.113549.1.12.1.1" => ("pbeWithSHAAnd128BitRC4", false, 1),
        "1.2.840.113549.1.12.1.2" => ("pbeWithSHAAnd40BitRC4", false, 1),
        "1.2.840.113549.1.12.1.3" => ("pbeWithSHAAnd3-KeyTripleDES-CBC", true, 2),
        "1.2.840.113549.1.12.1.4" => ("pbeWithSHAAnd2-KeyTripleDES-CBC", false, 2),
        "1.2.840.113549.1.12.1.5" => ("pbeWithSHAAnd128BitRC2-CBC", false, 2),
        "1.2.840.113549.1.12.1.6" => ("pbeWithSHAAnd40BitRC2-CBC", true, 2),
        "1.2.840.113549.1.5.3" => ("pbeWithMD5AndDES-CBC", false, 1),
        "1.2.840.113549.1.5.6" => ("pbeWithMD5AndRC2-CBC", false, 1),
        "1.2.840.113549.1.5.10" => ("pbeWithSHA1AndDES-CBC", false, 1),
        "1.2.840.113549.1.5.11" => ("pbeWithSHA1AndRC2-CBC", false, 1),
        _ => return None,
    })
}

/// PBKDF2-params: (iterations, salt length, prf name, prf supported).
fn pbkdf2_params(
    params: &mut Reader<'_>,
    what: &str,
) -> Result<(u64, usize, String, bool), Pkcs12Error> {
    let seq = expect(params, 0x30, &format!("{what} PBKDF2 parameters"))?;
    let mut r = seq.reader();
    let salt = expect(&mut r, 0x04, "PBKDF2 salt (OCTET STRING)")?;
    let iterations = expect_uint(&mut r, "PBKDF2 iteration count")?;
    if r.peek_tag() == Some(0x02) {
        expect_uint(&mut r, "PBKDF2 key length")?;
    }
    let (prf, ok) = if r.peek_tag() == Some(0x30) {
        let alg = expect(&mut r, 0x30, "PBKDF2 PRF AlgorithmIdentifier")?;
        let mut a = alg.reader();
        let (oid, _) = expect_oid(&mut a, "PBKDF2 PRF")?;
        match prf_name(&oid) {
            Some((n, ok)) => (n.to_string(), ok),
            None => (oid, false),
        }
    } else {
        ("HMAC-SHA1".to_string(), true)
    };
    expect_end(&r, "the PBKDF2 parameters")?;
    Ok((iterations, salt.value.len(), prf, ok))
}

fn scheme_info(alg: &Tlv<'_>, container: Container) -> Result<ProtectionInfo, Pkcs12Error> {
    let mut r = alg.reader();
    let (oid, _) = expect_oid(&mut r, "encryption algorithm")?;
    let mut info = ProtectionInfo {
        container,
        at: alg.at,
        scheme: oid.clone(),
        scheme_oid: oid.clone(),
        iterations: 0,
        salt_len: 0,
        is_aes: false,
        is_legacy_pbe: false,
        supported: false,
        work: 0,
    };
    if let Some((name, supported, derivations)) = pkcs12_pbe_name(&oid) {
        let p = expect(&mut r, 0x30, &format!("{name} parameters"))?;
        let mut pr = p.reader();
        let salt = expect(&mut pr, 0x04, "PBE salt (OCTET STRING)")?;
        info.iterations = expect_uint(&mut pr, "PBE iteration count")?;
        info.salt_len = salt.value.len();
        info.scheme = name.to_string();
        info.is_legacy_pbe = oid.starts_with("1.2.840.113549.1.12.1.");
        info.supported = supported;
        info.work = info.iterations.saturating_mul(derivations);
    } else if oid == OID_PBES2 {
        let p = expect(&mut r, 0x30, "PBES2 parameters")?;
        let mut pr = p.reader();
        let kdf = expect(&mut pr, 0x30, "PBES2 key derivation AlgorithmIdentifier")?;
        let enc = expect(&mut pr, 0x30, "PBES2 encryption scheme AlgorithmIdentifier")?;
        let mut kr = kdf.reader();
        let (kdf_oid, _) = expect_oid(&mut kr, "PBES2 key derivation function")?;
        let mut er = enc.reader();
        let (enc_oid, _) = expect_oid(&mut er, "PBES2 encryption scheme")?;
        let (cipher, is_aes, cipher_ok) = match cipher_name(&enc_oid) {
            Some((n, aes, ok)) => (n.to_string(), aes, ok),
            None => (enc_oid.clone(), false, false),
        };
        info.is_aes = is_aes;
        if kdf_oid == OID_PBKDF2 {
            let (iterations, salt_len, prf, prf_ok) = pbkdf2_params(&mut kr, "PBES2")?;
            info.iterations = iterations;
            info.salt_len = salt_len;
            info.work = iterations;
            info.scheme = format!("PBES2 (PBKDF2-{prf}, {cipher})");
            info.supported = prf_ok && cipher_ok;
        } else if kdf_oid == OID_SCRYPT {
            let sp = expect(&mut kr, 0x30, "scrypt parameters")?;
            let mut sr = sp.reader();
            let salt = expect(&mut sr, 0x04, "scrypt salt")?;
            let n = expect_uint(&mut sr, "scrypt cost N")?;
            let rr = expect_uint(&mut sr, "scrypt block size r")?;
            let p = expect_uint(&mut sr, "scrypt parallelism p")?;
            info.iterations = n;
            info.salt_len = salt.value.len();
            info.work = n.saturating_mul(rr).saturating_mul(p);
            info.scheme = format!("PBES2 (scrypt N={n} r={rr} p={p}, {cipher})");
            info.supported = cipher_ok;
        } else {
            info.scheme = format!("PBES2 (KDF {kdf_oid}, {cipher})");
        }
    }
    Ok(info)
}

const BAG_KEY: &str = "1.2.840.113549.1.12.10.1.1";
const BAG_SHROUDED: &str = "1.2.840.113549.1.12.10.1.2";
const BAG_CERT: &str = "1.2.840.113549.1.12.10.1.3";
const BAG_CRL: &str = "1.2.840.113549.1.12.10.1.4";
const BAG_SECRET: &str = "1.2.840.113549.1.12.10.1.5";
const BAG_SAFE_CONTENTS: &str = "1.2.840.113549.1.12.10.1.6";

struct Scan {
    bags: Vec<ProtectionInfo>,
    visible: VisibleBags,
    seen: usize,
}

impl Scan {
    fn count(&mut self) -> Result<(), Pkcs12Error> {
        self.seen += 1;
        if self.seen > MAX_BAGS {
            return Err(Pkcs12Error::TooManyBags { limit: MAX_BAGS });
        }
        Ok(())
    }
}

/// SafeContents: SEQUENCE OF SafeBag. `nesting` bounds safeContentsBag recursion.
fn scan_safe_contents(data: &Tlv<'_>, scan: &mut Scan, nesting: u8) -> Result<(), Pkcs12Error> {
    check_depth(data.value, data.value_at())?;
    let mut outer = data.reader();
    let seq = expect(&mut outer, 0x30, "SafeContents (SEQUENCE OF SafeBag)")?;
    expect_end(&outer, "the Data content")?;
    let mut r = seq.reader();
    while !r.is_empty() {
        scan.count()?;
        let bag = expect(&mut r, 0x30, "SafeBag")?;
        let mut br = bag.reader();
        let (bag_id, _) = expect_oid(&mut br, "SafeBag bagId")?;
        let value = expect(&mut br, 0xA0, "SafeBag bagValue [0]")?;
        if br.peek_tag() == Some(0x31) {
            expect(&mut br, 0x31, "SafeBag bagAttributes")?;
        }
        expect_end(&br, "the SafeBag")?;
        match bag_id.as_str() {
            BAG_KEY => scan.visible.key_bags += 1,
            BAG_CERT => scan.visible.cert_bags += 1,
            BAG_SHROUDED => {
                scan.visible.shrouded_key_bags += 1;
                let mut vr = value.reader();
                let epki = expect(&mut vr, 0x30, "EncryptedPrivateKeyInfo")?;
                let mut er = epki.reader();
                let alg = expect(&mut er, 0x30, "EncryptedPrivateKeyInfo algorithm")?;
                expect(&mut er, 0x04, "EncryptedPrivateKeyInfo encryptedData")?;
                scan.bags
                    .push(scheme_info(&alg, Container::ShroudedKeyBag)?);
            }
            BAG_SAFE_CONTENTS => {
                scan.visible
                    .other
                    .push("safeContentsBag (nested; the reader ignores its bags)".into());
                if nesting >= 2 {
                    return Err(Pkcs12Error::TooDeep {
                        at: bag.at,
                        limit: 2,
                    });
                }
                // the value is itself SafeContents
                let wrapper = Tlv {
                    tag: 0x04,
                    at: value.at,
                    header_len: value.header_len,
                    value: value.value,
                };
                scan_safe_contents(&wrapper, scan, nesting + 1)?;
            }
            BAG_CRL => scan.visible.other.push("crlBag".into()),
            BAG_SECRET => scan.visible.other.push("secretBag".into()),
            other => scan.visible.other.push(format!("bag {other}")),
        }
    }
    Ok(())
}

/// What a non-PFX input looks like, for [`Pkcs12Error::NotPkcs12`].
fn sniff(der: &[u8]) -> String {
    let text_start: Vec<u8> = der
        .iter()
        .skip_while(|b| b.is_ascii_whitespace() || **b == 0xEF || **b == 0xBB || **b == 0xBF)
        .take(64)
        .copied()
        .collect();
    if text_start.starts_with(b"-----BEGIN ") {
        let label: String = text_start
            .get(11..)
            .unwrap_or(&[])
            .iter()
            .take_while(|b| **b != b'-')
            .map(|b| char::from(*b))
            .collect();
        return format!(
            "this is a PEM file (-----BEGIN {label}-----); build the archive with \
             `openssl pkcs12 -export -inkey key.pem -in cert.pem -certfile chain.pem -out cert.pfx`"
        );
    }
    if text_start.starts_with(b"MII") {
        return "this looks like base64 text: decode it to binary first (`base64 -d`)".into();
    }
    match der {
        [] => return "the file is empty".into(),
        [0xFE, 0xED, 0xFE, 0xED, ..] => {
            return "this is a Java JKS keystore; convert it with `keytool -importkeystore \
                    -srcstoretype JKS -deststoretype PKCS12`"
                .into();
        }
        [0xCE, 0xCE, 0xCE, 0xCE, ..] => {
            return "this is a Java JCEKS keystore; convert it with `keytool -importkeystore \
                    -deststoretype PKCS12`"
                .into();
        }
        [b'P', b'K', 3, 4, ..] => return "this is a ZIP archive".into(),
        _ => {}
    }
    // DER shapes
    let mut r = Reader::new(der, 0);
    if let Ok(top) = r.next() {
        if top.tag == 0x30 {
            let mut inner = top.reader();
            let first = inner.next().ok();
            let second = inner.next().ok();
            match (first, second) {
                (Some(f), _) if f.tag == 0x30 => {
                    let fr = f.reader();
                    return match fr.peek_tag() {
                        Some(0xA0) => "this is a DER X.509 certificate, not an archive: \
                                       it has no private key"
                            .into(),
                        Some(0x02) => "this is a DER certificate signing request (PKCS#10)".into(),
                        _ => "a DER SEQUENCE that is not a PFX".into(),
                    };
                }
                (Some(f), _)
                    if f.tag == 0x06
                        && der::oid_string(f.value).as_deref() == Some(OID_SIGNED_DATA) =>
                {
                    return "this is a PKCS#7 (.p7b) certificate bundle: it has no private key"
                        .into();
                }
                (Some(f), Some(s)) if f.tag == 0x02 => {
                    if s.tag == 0x30 {
                        return "this is a DER PKCS#8 private key without certificate".into();
                    }
                    if s.tag == 0x02 {
                        return "this is a DER PKCS#1 RSA private key without certificate".into();
                    }
                    if s.tag == 0x04 {
                        return "this is a DER SEC1 EC private key without certificate".into();
                    }
                }
                _ => {}
            }
        }
    }
    if der.iter().take(256).all(|b| b.is_ascii()) {
        return "this is text, not a binary PKCS#12 archive".into();
    }
    "the data is not a DER PFX structure".into()
}

/// Walks the archive's DER and reports its protection, without the password and without
/// any key derivation. Bounded: no recursion deeper than 2, at most [`MAX_BAGS`] bags,
/// nesting checked against [`MAX_DER_DEPTH`] before anything else is read.
pub fn prescan(der: &[u8]) -> Result<Prescan, Pkcs12Error> {
    if der.first() != Some(&0x30) {
        return Err(Pkcs12Error::NotPkcs12 { hint: sniff(der) });
    }
    check_depth(der, 0)?;
    let mut top = Reader::new(der, 0);
    let pfx = top.next().map_err(|e| match e {
        TlvError::Overrun {
            declared,
            available,
            ..
        } => Pkcs12Error::Malformed {
            at: 0,
            what: format!(
                "the outer SEQUENCE says {declared} bytes follow, only {available} do: \
                 the file is truncated"
            ),
        },
        e => tlv_err(e, "the PFX"),
    })?;
    if !top.is_empty() {
        return Err(Pkcs12Error::Malformed {
            at: top.position(),
            what: format!(
                "{} bytes after the end of the PFX structure",
                top.remaining()
            ),
        });
    }
    let mut r = pfx.reader();
    // Shape check first: a PFX is INTEGER, SEQUENCE(ContentInfo) [, SEQUENCE(MacData)].
    {
        let mut probe = r.clone();
        let a = probe.next().ok();
        let b = probe.next().ok();
        let is_pfx = matches!((a, b), (Some(a), Some(b)) if a.tag == 0x02 && b.tag == 0x30 && {
            let mut br = b.reader();
            br.next().ok().is_some_and(|o| o.tag == 0x06
                && der::oid_string(o.value).is_some_and(|s| s.starts_with("1.2.840.113549.1.7.")))
        });
        if !is_pfx {
            return Err(Pkcs12Error::NotPkcs12 { hint: sniff(der) });
        }
    }
    let version = expect_uint(&mut r, "PFX version")?;
    if version != 3 {
        return Err(Pkcs12Error::Unsupported {
            what: format!("PFX version {version} (only version 3 exists)"),
        });
    }
    let auth_safe = expect(&mut r, 0x30, "authSafe ContentInfo")?;
    let mut ar = auth_safe.reader();
    let (ct, ct_at) = expect_oid(&mut ar, "authSafe contentType")?;
    if ct == OID_SIGNED_DATA {
        return Err(Pkcs12Error::Unsupported {
            what: "public-key integrity mode (the authSafe is signedData, not a password MAC)"
                .into(),
        });
    }
    if ct != OID_DATA {
        return Err(Pkcs12Error::Malformed {
            at: ct_at,
            what: format!("authSafe contentType is {ct}, expected data ({OID_DATA})"),
        });
    }
    let explicit = expect(
        &mut ar,
        0xA0,
        "the authSafe's content ([0]: the archive's certificates and keys)",
    )?;
    let mut xr = explicit.reader();
    let octets = expect(&mut xr, 0x04, "authSafe OCTET STRING")?;
    check_depth(octets.value, octets.value_at())?;
    let mut or = octets.reader();
    let safes = expect(&mut or, 0x30, "AuthenticatedSafe (SEQUENCE OF ContentInfo)")?;
    expect_end(&or, "the authSafe OCTET STRING")?;

    let mut scan = Scan {
        bags: Vec::new(),
        visible: VisibleBags::default(),
        seen: 0,
    };
    let mut sr = safes.reader();
    while !sr.is_empty() {
        scan.count()?;
        let ci = expect(&mut sr, 0x30, "ContentInfo in the AuthenticatedSafe")?;
        let mut cr = ci.reader();
        let (ct, ct_at) = expect_oid(&mut cr, "ContentInfo contentType")?;
        match ct.as_str() {
            OID_DATA => {
                scan.visible.data_containers += 1;
                let x = expect(&mut cr, 0xA0, "Data content [0]")?;
                let mut xr = x.reader();
                let o = expect(&mut xr, 0x04, "Data OCTET STRING")?;
                scan_safe_contents(&o, &mut scan, 0)?;
            }
            OID_ENCRYPTED_DATA => {
                scan.visible.encrypted_containers += 1;
                let x = expect(&mut cr, 0xA0, "EncryptedData content [0]")?;
                let mut xr = x.reader();
                let ed = expect(&mut xr, 0x30, "EncryptedData")?;
                let mut er = ed.reader();
                expect_uint(&mut er, "EncryptedData version")?;
                let eci = expect(&mut er, 0x30, "EncryptedContentInfo")?;
                let mut ecr = eci.reader();
                expect_oid(&mut ecr, "EncryptedContentInfo contentType")?;
                let alg = expect(&mut ecr, 0x30, "contentEncryptionAlgorithm")?;
                scan.bags.push(scheme_info(&alg, Container::EncryptedData)?);
            }
            OID_ENVELOPED_DATA => {
                return Err(Pkcs12Error::Unsupported {
                    what: "public-key privacy mode (envelopedData content)".into(),
                });
            }
            other => {
                return Err(Pkcs12Error::Malformed {
                    at: ct_at,
                    what: format!("unknown AuthenticatedSafe content type {other}"),
                });
            }
        }
    }

    let mac = if r.is_empty() {
        None
    } else {
        let md = expect(&mut r, 0x30, "macData")?;
        let mut mr = md.reader();
        let di = expect(&mut mr, 0x30, "MAC DigestInfo")?;
        let mut dr = di.reader();
        let alg = expect(&mut dr, 0x30, "MAC digest AlgorithmIdentifier")?;
        let digest_value = expect(&mut dr, 0x04, "MAC value")?;
        let salt = expect(&mut mr, 0x04, "MAC salt")?;
        let mut iterations = if mr.peek_tag() == Some(0x02) {
            expect_uint(&mut mr, "MAC iteration count")?
        } else {
            1
        };
        expect_end(&mr, "macData")?;
        let mut alr = alg.reader();
        let (oid, _) = expect_oid(&mut alr, "MAC digest algorithm")?;
        let (digest, supported) = if oid == OID_PBMAC1 {
            let p = expect(&mut alr, 0x30, "PBMAC1 parameters")?;
            let mut pr = p.reader();
            let kdf = expect(&mut pr, 0x30, "PBMAC1 key derivation")?;
            let mut kr = kdf.reader();
            let (kdf_oid, _) = expect_oid(&mut kr, "PBMAC1 key derivation function")?;
            if kdf_oid == OID_PBKDF2 {
                let (it, _, prf, _) = pbkdf2_params(&mut kr, "PBMAC1")?;
                iterations = it;
                (format!("PBMAC1 (PBKDF2-{prf}, RFC 9579)"), false)
            } else {
                (format!("PBMAC1 (KDF {kdf_oid})"), false)
            }
        } else {
            match digest_name(&oid) {
                Some((n, ok)) => (n.to_string(), ok),
                None => (oid.clone(), false),
            }
        };
        Some(MacInfo {
            digest,
            digest_oid: oid,
            iterations,
            salt_len: salt.value.len(),
            mac_len: digest_value.value.len(),
            at: md.at,
            supported,
        })
    };
    expect_end(&r, "the PFX")?;

    let total_iterations = scan
        .bags
        .iter()
        .map(|b| b.work)
        .chain(mac.iter().map(|m| m.iterations))
        .fold(0u64, u64::saturating_add);
    Ok(Prescan {
        version,
        mac,
        bags: scan.bags,
        visible: scan.visible,
        total_iterations,
    })
}

/// Pre-scans, checks limits, then verifies the MAC and decrypts every bag.
///
/// Telling the password steps apart: `p12-keystore` verifies the MAC before it decrypts
/// anything, and reports a MAC mismatch as its own error type. So a MAC error is
/// [`Pkcs12Error::MacMismatch`]; any later decryption error (bad padding, PBES2 failure,
/// or decrypted bytes that are not DER: with a wrong key, padding passes by chance about
/// once in 256) is [`Pkcs12Error::DecryptFailed`], and its text says whether the MAC had
/// verified or the archive has none.
///
/// Call [`prescan`] separately to keep the facts when this fails.
pub fn open(der: &[u8], password: &SecretString) -> Result<(Prescan, Contents), Pkcs12Error> {
    let pre = prescan(der)?;
    pre.check_limits()?;
    let archive = p12_keystore::Pkcs12Archive::from_pkcs12(der, password.expose_secret())
        .map_err(|e| map_reader_error(e, &pre))?;
    let mut contents = Contents {
        secret_bags: archive.secrets.len(),
        ..Contents::default()
    };
    for k in archive.keys {
        contents.keys.push(KeyEntry {
            pkcs8_der: Zeroizing::new(k.key.as_der().to_vec()),
            algorithm_oid: k.key.oid().to_string(),
            local_key_id: k.local_key_id.map(|id| id.0),
            friendly_name: k.friendly_name,
        });
    }
    for c in archive.certs {
        contents.certs.push(CertEntry {
            der: c.cert.as_der().to_vec(),
            local_key_id: c.local_key_id,
            friendly_name: c.friendly_name,
            java_trusted: c.trusted,
        });
    }
    Ok((pre, contents))
}

fn map_reader_error(e: p12_keystore::error::Error, pre: &Prescan) -> Pkcs12Error {
    use p12_keystore::error::Error as E;
    let after_mac = match &pre.mac {
        Some(m) => format!(
            "the MAC (HMAC-{}) verified, so the password opens the archive's integrity check \
             but not this content: it was encrypted with another password, or it is corrupt",
            m.digest
        ),
        None => "the archive has no MAC, so decryption is the first password check: the \
                 password is wrong, or the data is corrupt"
            .to_string(),
    };
    let encrypted: Vec<String> = pre
        .bags
        .iter()
        .map(|b| format!("{} ({}) at byte {}", b.container, b.scheme, b.at))
        .collect();
    let which = if encrypted.is_empty() {
        "no encrypted content".to_string()
    } else {
        encrypted.join(", ")
    };
    match e {
        E::MacError(_) => Pkcs12Error::MacMismatch {
            digest: pre
                .mac
                .as_ref()
                .map(|m| m.digest.clone())
                .unwrap_or_else(|| "?".into()),
        },
        E::Pkcs5Error(_) | E::UnpadError | E::InvalidLength => Pkcs12Error::DecryptFailed {
            what: format!("decrypting one of [{which}] failed; {after_mac}"),
        },
        E::DerError(_) | E::InvalidPrivateKey if !pre.bags.is_empty() => {
            Pkcs12Error::DecryptFailed {
                what: format!(
                    "one of [{which}] decrypted to bytes that are not a valid structure; \
                     {after_mac}"
                ),
            }
        }
        E::X509Error(err) => Pkcs12Error::BadEntry {
            what: format!("a certificate bag does not hold a valid X.509 certificate ({err})"),
        },
        E::UnsupportedCertificateType => Pkcs12Error::BadEntry {
            what: "a certificate bag holds a non-X.509 certificate type".into(),
        },
        E::UnsupportedEncryptionScheme | E::UnsupportedMacAlgorithm | E::UnsupportedContentType => {
            Pkcs12Error::Unsupported {
                what: format!("the reader refused: {e}"),
            }
        }
        E::InvalidParameters => Pkcs12Error::Unsupported {
            what: "the reader refused the encryption parameters".into(),
        },
        other => Pkcs12Error::Malformed {
            at: 0,
            what: format!("the reader rejected the archive: {other}"),
        },
    }
}

/// Why a password may be damaged on its way through multipart/form tooling (curl `-F`,
/// hand-built `application/x-www-form-urlencoded`, shells), or `None`. The answer never
/// contains any of the password's characters. See [`password_multipart_risks`] for all.
pub fn password_has_multipart_risk(password: &SecretString) -> Option<&'static str> {
    password_multipart_risks(password).into_iter().next()
}

/// Every risk [`password_has_multipart_risk`] knows, in a fixed order.
pub fn password_multipart_risks(password: &SecretString) -> Vec<&'static str> {
    let p = password.expose_secret();
    let mut out = Vec::new();
    if p.is_empty() {
        out.push(
            "the password is empty: OpenSSL, Java and Windows disagree on how an empty \
             password is encoded in the PKCS#12 key derivation",
        );
        return out;
    }
    if !p.is_ascii() {
        out.push(
            "the password has non-ASCII characters: the client and the server may encode it \
             differently (UTF-8 vs Latin-1), and PKCS#12 encodes it as UTF-16",
        );
    }
    if p.chars().any(|c| c.is_control()) {
        out.push(
            "the password has a line break, tab or other control character, which form \
             tooling and copy-paste alter",
        );
    }
    if p.starts_with(char::is_whitespace) || p.ends_with(char::is_whitespace) {
        out.push("the password starts or ends with whitespace, which form tooling trims");
    }
    if p.contains(['&', '+', '%', '=']) {
        out.push(
            "the password has '&', '+', '%' or '=', which break a hand-built URL-encoded \
             form body (+ becomes a space, & splits the field)",
        );
    }
    if p.contains([';', ',']) {
        out.push(
            "the password has ';' or ',', which curl -F reads as a field option separator \
             (use --form-string)",
        );
    }
    if p.starts_with(['@', '<']) {
        out.push(
            "the password starts with '@' or '<', which makes curl -F read a file instead \
             (use --form-string)",
        );
    }
    if p.contains(['"', '\'', '\\', '`', '$', '!']) {
        out.push(
            "the password has quotes, a backslash, '$', '`' or '!', which shells and \
             quoted form values alter unless escaped",
        );
    }
    out
}

fn hex(b: &[u8]) -> String {
    crate::input::hex::lower(b)
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

    const PASS: &str = "certgate-test";
    const CANARY: &str = "canary-Zq7!wX";

    fn pw(s: &str) -> SecretString {
        SecretString::from(s.to_string())
    }

    fn open_ok(der: &[u8]) -> (Prescan, Contents) {
        match open(der, &pw(PASS)) {
            Ok(x) => x,
            Err(e) => panic!("open failed: {e}"),
        }
    }

    const AES: &str = "PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)";

    #[test]
    fn openssl3_default_with_chain() {
        let der = corpus_bytes!("esri/materials", "rsa-chain-openssl3.p12");
        let (pre, c) = open_ok(der);
        let mac = pre.mac.as_ref().expect("mac");
        assert_eq!(mac.digest, "SHA-256");
        assert_eq!(mac.iterations, 2048);
        assert_eq!(mac.salt_len, 8);
        assert_eq!(pre.bags.len(), 2);
        assert_eq!(pre.bags[0].container, Container::EncryptedData);
        assert_eq!(pre.bags[1].container, Container::ShroudedKeyBag);
        assert!(
            pre.bags
                .iter()
                .all(|b| b.scheme == AES && b.iterations == 2048 && b.is_aes)
        );
        assert_eq!(pre.total_iterations, 3 * 2048);
        assert!(pre.uses_aes());
        let codes: Vec<_> = pre.host_facts().iter().map(HostFact::code).collect();
        assert_eq!(codes, ["aes-encryption", "sha256-mac"]);
        assert_eq!(c.keys.len(), 1);
        assert_eq!(c.certs.len(), 3);
        assert_eq!(c.entry_kind(), EntryKind::PrivateKeyEntry);
        assert!(!c.has_multiple_keys());
        assert_eq!(c.keys[0].algorithm_oid, "1.2.840.113549.1.1.1");
        assert_eq!(c.keys[0].friendly_name.as_deref(), Some("portal"));
        let leaf = c.leaf_for(&c.keys[0]).expect("leaf paired by localKeyId");
        let (_, cert) = x509_parser::parse_x509_certificate(&leaf.der).expect("x509");
        assert_eq!(cert.subject().to_string(), "CN=portal.example.com");
        // redacting Debug
        let dbg = format!("{:?}", c.keys[0]);
        assert!(dbg.contains("redacted"));
        assert!(dbg.len() < 400);
    }

    #[test]
    fn pbes2_with_the_hmac_sha1_prf_opens() {
        // OpenSSL 1.1 and Java/Windows exporters write AES with PBKDF2-HMAC-SHA1; OpenSSL
        // opens these, so a wrong-password verdict would be false.
        let (pre, c) = open_ok(corpus_bytes!("esri/materials", "rsa-chain-pbes2-sha1.p12"));
        assert!(
            pre.bags
                .iter()
                .all(|b| b.scheme == "PBES2 (PBKDF2-HMAC-SHA1, AES-256-CBC)")
        );
        assert_eq!((c.keys.len(), c.certs.len()), (1, 3));
    }

    #[test]
    fn nochain_has_only_the_leaf() {
        let (_, c) = open_ok(corpus_bytes!("esri/materials", "rsa-nochain-openssl3.p12"));
        assert_eq!((c.keys.len(), c.certs.len()), (1, 1));
    }

    #[test]
    fn legacy_3des_rc2_sha1() {
        let (pre, c) = open_ok(corpus_bytes!("esri/materials", "rsa-chain-legacy.p12"));
        assert_eq!(pre.mac.as_ref().map(|m| m.digest.as_str()), Some("SHA-1"));
        let schemes: Vec<_> = pre.bags.iter().map(|b| b.scheme.as_str()).collect();
        assert_eq!(
            schemes,
            [
                "pbeWithSHAAnd40BitRC2-CBC",
                "pbeWithSHAAnd3-KeyTripleDES-CBC"
            ]
        );
        assert!(pre.bags.iter().all(|b| b.is_legacy_pbe && !b.is_aes));
        assert!(!pre.uses_aes());
        let codes: Vec<_> = pre.host_facts().iter().map(HostFact::code).collect();
        assert_eq!(codes, ["weak-pbe"]);
        assert_eq!((c.keys.len(), c.certs.len()), (1, 3));
    }

    #[test]
    fn ec_and_sm2_keys() {
        let (_, c) = open_ok(corpus_bytes!("esri/materials", "ec-p256-chain.p12"));
        assert_eq!(c.keys[0].algorithm_oid, "1.2.840.10045.2.1");
        assert_eq!(c.certs.len(), 3);
        let (_, c) = open_ok(corpus_bytes!("esri/materials", "sm2-selfsigned.p12"));
        assert_eq!(c.keys.len(), 1);
        assert_eq!(c.certs.len(), 1);
        // OpenSSL 3.0 writes SM2 keys with the id-ecPublicKey OID and the SM2 curve
        assert!(
            ["1.2.840.10045.2.1", "1.2.156.10197.1.301"]
                .contains(&c.keys[0].algorithm_oid.as_str())
        );
    }

    #[test]
    fn certificate_only_store() {
        let (pre, c) = open_ok(corpus_bytes!("esri/materials", "certs-only.p12"));
        assert_eq!(pre.visible.shrouded_key_bags, 0);
        assert!(c.keys.is_empty());
        assert_eq!(c.certs.len(), 2);
        assert_eq!(c.entry_kind(), EntryKind::TrustedCertificates);
    }

    #[test]
    fn keytool_archives() {
        let (pre, c) = open_ok(corpus_bytes!("esri/materials", "keytool-rsa.p12"));
        assert_eq!(pre.mac.as_ref().map(|m| m.iterations), Some(10000));
        assert!(pre.bags.iter().all(|b| b.iterations == 10000));
        assert_eq!((c.keys.len(), c.certs.len()), (1, 1));
        assert_eq!(c.keys[0].friendly_name.as_deref(), Some("portal"));
        let (pre, c) = open_ok(corpus_bytes!("esri/materials", "keytool-two-keys.p12"));
        assert_eq!(pre.visible.shrouded_key_bags, 2);
        assert_eq!(c.keys.len(), 2);
        assert!(c.has_multiple_keys());
        assert!(c.keys.iter().all(|k| c.leaf_for(k).is_some()));
    }

    #[test]
    fn no_mac() {
        let der = corpus_bytes!("esri/materials", "rsa-nomac.p12");
        let (pre, c) = open_ok(der);
        assert!(pre.mac.is_none());
        assert!(pre.host_facts().contains(&HostFact::NoMac));
        assert_eq!(c.keys.len(), 1);
        // wrong password: found at decryption, not at a MAC
        match open(der, &pw(CANARY)) {
            Err(Pkcs12Error::DecryptFailed { what }) => {
                assert!(what.contains("no MAC"), "{what}");
                assert!(!what.contains(CANARY));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn wrong_password_is_a_mac_mismatch_and_never_echoed() {
        let der = corpus_bytes!("esri/materials", "ec-canary-password.p12");
        let e = open(der, &pw(PASS)).expect_err("wrong password");
        assert_eq!(
            e,
            Pkcs12Error::MacMismatch {
                digest: "SHA-256".into()
            }
        );
        for text in [e.to_string(), format!("{e:?}")] {
            assert!(!text.contains(PASS) && !text.contains(CANARY), "{text}");
        }
        // the canary opens it
        let (_, c) = open(der, &pw(CANARY)).expect("right password");
        assert_eq!(c.keys.len(), 1);
    }

    #[test]
    fn mac_ok_but_bags_use_another_password() {
        let e = open(corpus_bytes!("esri/materials", "ec-twopass.p12"), &pw(PASS))
            .expect_err("twopass");
        match &e {
            Pkcs12Error::DecryptFailed { what } => {
                assert!(what.contains("MAC (HMAC-SHA-256) verified"), "{what}");
                assert!(what.contains("EncryptedData"), "{what}");
            }
            other => panic!("{other:?}"),
        }
        assert!(!e.to_string().contains(PASS));
    }

    #[test]
    fn absurd_iterations_refused_fast() {
        for (der, what) in [
            (
                corpus_bytes!("esri/materials", "iter-2p31-all.p12"),
                "the MAC (SHA-256)",
            ),
            (
                corpus_bytes!("esri/materials", "iter-2p31-mac.p12"),
                "the MAC (SHA-256)",
            ),
        ] {
            assert!(der.len() < 2000);
            // Refused by the pre-scan, before any key derivation (so it cannot hang: with
            // 2^31-1 iterations a derivation would take minutes). Timing is not asserted
            // here; the speed of this path is a benchmark's business.
            let pre = prescan(der).expect("prescan reads the facts");
            assert_eq!(pre.mac.as_ref().map(|m| m.iterations), Some(2_147_483_647));
            let e = open(der, &pw(PASS)).expect_err("refused");
            match &e {
                Pkcs12Error::IterationsTooHigh {
                    where_,
                    iterations,
                    cap,
                } => {
                    assert!(where_.starts_with(what), "{where_}");
                    assert_eq!((*iterations, *cap), (2_147_483_647, MAX_ITERATIONS));
                }
                other => panic!("{other:?}"),
            }
            assert!(e.to_string().contains("2147483647"));
        }
        let pre = prescan(corpus_bytes!("esri/materials", "iter-2p31-all.p12")).expect("prescan");
        assert!(pre.bags.iter().all(|b| b.iterations == 2_147_483_647));
    }

    #[test]
    fn total_work_cap() {
        let mut pre =
            prescan(corpus_bytes!("esri/materials", "rsa-chain-openssl3.p12")).expect("prescan");
        for b in &mut pre.bags {
            b.iterations = MAX_ITERATIONS;
            b.work = MAX_ITERATIONS;
        }
        pre.bags.extend(pre.bags.clone());
        pre.bags.extend(pre.bags.clone());
        pre.total_iterations = pre.bags.iter().map(|b| b.work).sum();
        assert!(matches!(
            pre.check_limits(),
            Err(Pkcs12Error::WorkTooHigh { derivations: 9, .. })
        ));
    }

    #[test]
    fn not_pkcs12_hints() {
        let hint = |d: &[u8]| match prescan(d) {
            Err(Pkcs12Error::NotPkcs12 { hint }) => hint,
            other => panic!("{other:?}"),
        };
        assert!(hint(corpus_bytes!("esri/materials", "csr-rsa.pem")).contains("PEM file"));
        assert!(
            hint(corpus_bytes!("esri/materials", "csr-rsa.der"))
                .contains("certificate signing request")
        );
        assert!(hint(b"").contains("empty"));
        assert!(hint(&[0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2]).contains("JKS"));
        let (_, c) = open_ok(corpus_bytes!("esri/materials", "rsa-nochain-openssl3.p12"));
        assert!(hint(&c.certs[0].der).contains("X.509 certificate"));
        assert!(hint(&c.keys[0].pkcs8_der).contains("PKCS#8"));
    }

    #[test]
    fn hostile_inputs_do_not_panic_or_recurse() {
        let deep = nested_sequences(50_000);
        assert!(matches!(prescan(&deep), Err(Pkcs12Error::TooDeep { .. })));
        assert!(open(&deep, &pw(PASS)).is_err());

        // every truncation and many single-byte corruptions of a real archive
        let der = corpus_bytes!("esri/materials", "rsa-chain-legacy.p12");
        for n in 0..der.len() {
            let _ = prescan(&der[..n]);
        }
        for i in (0..der.len()).step_by(7) {
            let mut d = der.to_vec();
            d[i] ^= 0xA5;
            let _ = prescan(&d);
        }
        for junk in [
            &[0x30, 0x80][..],
            &[0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF],
            &[0x30],
        ] {
            assert!(prescan(junk).is_err());
        }
    }

    #[test]
    fn truncated_archive_is_malformed_with_offset() {
        let der = corpus_bytes!("esri/materials", "rsa-chain-openssl3.p12");
        match prescan(&der[..der.len() - 10]) {
            Err(Pkcs12Error::Malformed { at: 0, what }) => assert!(what.contains("truncated")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ber_indefinite_length_is_unsupported_not_malformed() {
        let ber = [0x30, 0x80, 0x02, 0x01, 0x03, 0x00, 0x00];
        match prescan(&ber) {
            Err(Pkcs12Error::Unsupported { what }) => assert!(what.contains("BER"), "{what}"),
            other => panic!("{other:?}"),
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        #[test]
        fn prescan_never_panics(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600)) {
            let _ = prescan(&data);
            let mut d = data.clone();
            d.insert(0, 0x30);
            let _ = prescan(&d);
        }
    }

    #[test]
    fn multipart_risks() {
        assert_eq!(password_has_multipart_risk(&pw(PASS)), None);
        for p in [
            "pa&ss",
            "p+w",
            "100%",
            "a;b",
            "\"q\"",
            " lead",
            "trail ",
            "a\nb",
            "pässword",
            "@file",
            "",
        ] {
            let r = password_has_multipart_risk(&pw(p)).unwrap_or_else(|| panic!("{p:?}"));
            if p.len() > 2 {
                assert!(!r.contains(p), "{r}");
            }
        }
    }
}
