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

mod open;
mod prescan;

pub use open::open;
pub use prescan::prescan;

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
        let deep = crate::input::der::nested_sequences(50_000);
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
