//! The submission: the request's declared fields decoded once into typed materials,
//! each with its location. Rules read it; nothing is parsed twice.

use std::collections::BTreeMap;

use crate::catalogue::{Applies, Encoding, FieldSpec, Material, Profile};
use crate::input::cert::{CertError, CertInfo, parse_certificate_x509};
use crate::input::chain::{ChainAnalysis, MAX_CHAIN_CERTS, Parsed, analyse_parsed};
use crate::input::csr::{Csr, CsrError, parse_csr};
use crate::input::encoded::{self, Expect, Problem};
use crate::input::key::{
    KeyAlgorithm, KeyError, ParsedKey, describe_spki, parse_private_key, parse_private_key_der,
};
use crate::input::pem::{LabelKind, PemBlock, PemScan, scan};
use crate::input::pkcs12::{Contents, Pkcs12Error, Prescan, open, prescan};
use crate::input::verify::{
    Verification, signature_algorithm_name, signature_hash_is_weak, verify_csr,
};
use crate::report::{Diagnostic, Item};
use crate::request::{FieldValue, Request};
use crate::rules::Finding;
use x509_parser::certificate::X509Certificate;

/// PEM fields larger than this are not parsed at all: twice the largest documented field
/// limit (ACM's and IAM's `CertificateChain`, 2,097,152 bytes), so that every field an API
/// accepts is read. A field over it is reported as not checked, never as an error: the
/// cap is certgate's, not the API's.
pub const MAX_PEM_FIELD_BYTES: usize = 4 * 1024 * 1024;

/// What stopped a PEM field from being scanned at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// A `{"file": ...}` source held binary data, not PEM text.
    Binary {
        bytes: usize,
        /// Offset of the first byte that is not UTF-8.
        invalid_at: usize,
        /// The bytes contain a `-----BEGIN` marker: PEM text with some non-text bytes.
        has_pem_marker: bool,
    },
    TooLarge {
        bytes: usize,
    },
    /// Not a string (a number, an object...).
    NotText {
        found: &'static str,
    },
}

/// A PEM block of the wrong kind for its field (a key in a certificate field...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongBlock {
    pub block: usize,
    pub label: String,
}

/// One certificate of a certificate field.
#[derive(Debug, Clone)]
pub struct CertEntry {
    /// Position among the field's certificate blocks (0 = first).
    pub index: usize,
    pub location: String,
    pub parsed: Result<CertInfo, CertError>,
}

#[derive(Debug)]
pub struct CertField {
    pub scan: Option<PemScan>,
    pub unreadable: Option<Unreadable>,
    pub certs: Vec<CertEntry>,
    pub wrong_blocks: Vec<WrongBlock>,
    /// Order, links and signatures of the certificates, computed once.
    pub chain: Option<ChainAnalysis>,
}

impl CertField {
    /// Certificates that parsed, with their index.
    pub fn parsed(&self) -> impl Iterator<Item = (&CertEntry, &CertInfo)> {
        self.certs
            .iter()
            .filter_map(|e| e.parsed.as_ref().ok().map(|c| (e, c)))
    }

    /// The leaf: the certificate the chain analysis puts first (so a misordered chain
    /// is reported once, by `chain-order`, not again by every leaf rule), else the
    /// first certificate. When the first certificate does not parse it is the leaf,
    /// unparsed: the next one is its issuer, not a server certificate to judge.
    pub fn leaf_entry(&self) -> Option<&CertEntry> {
        let first = self.certs.first()?;
        if first.parsed.is_err() {
            return Some(first);
        }
        let index = self.chain.as_ref().and_then(|a| a.leaf()).unwrap_or(0);
        self.certs.get(index).or(Some(first))
    }

    /// The leaf, when it parsed.
    pub fn leaf(&self) -> Option<&CertInfo> {
        self.leaf_entry().and_then(|e| e.parsed.as_ref().ok())
    }
}

#[derive(Debug)]
pub struct KeyField {
    pub scan: Option<PemScan>,
    pub unreadable: Option<Unreadable>,
    /// The first key block, parsed.
    pub key: Option<Result<ParsedKey, KeyError>>,
    /// Blocks after the first key, or of a non-key label.
    pub wrong_blocks: Vec<WrongBlock>,
    pub extra_keys: usize,
}

/// A PEM field holding a private key and its certificates: the one text read as a
/// certificates field and as a private-key field. Blocks of neither kind are the
/// certificates' wrong blocks (reported once); the key part has none.
#[derive(Debug)]
pub struct BundleField {
    pub certs: CertField,
    pub key: KeyField,
}

/// A PKCS#12 archive field: what the pre-scan saw, what the password opened, and the
/// archive's certificates as a certificate field (so every certificate kind applies).
#[derive(Debug)]
pub struct ArchiveField {
    /// The file name the archive came from, for the `.pfx`/`.p12` extension check.
    pub file_name: Option<String>,
    /// The field is not a file at all (a number, an object...).
    pub not_a_file: Option<&'static str>,
    /// The pre-scan: facts without the password (`Err`: not a readable PKCS#12).
    pub prescan: Option<Result<Prescan, Pkcs12Error>>,
    /// Why the archive was refused before any key derivation (iteration caps,
    /// unsupported schemes).
    pub refused: Option<Pkcs12Error>,
    /// Opening with the password: `None` when it was not tried.
    pub opened: Option<Result<Contents, Pkcs12Error>>,
    /// The archive's private keys, parsed, in file order.
    pub keys: Vec<Result<ParsedKey, KeyError>>,
    /// The archive's certificates: the one paired with the first key first.
    pub certs: CertField,
    /// The position of each of `certs` among the archive's certificate entries, in
    /// file order: what [`Item::Entry`] numbers.
    pub entries: Vec<usize>,
}

impl ArchiveField {
    /// The archive entry of certificate `index` of [`ArchiveField::certs`].
    pub fn entry(&self, index: usize) -> Option<usize> {
        self.entries.get(index).copied()
    }

    pub fn contents(&self) -> Option<&Contents> {
        self.opened.as_ref().and_then(|r| r.as_ref().ok())
    }
}

/// A certificate signing request field.
#[derive(Debug)]
pub struct CsrField {
    pub parsed: Result<Csr, CsrError>,
    /// The self-signature check (`None` when the CSR did not parse).
    pub verification: Option<Verification>,
    pub key: Option<Result<KeyAlgorithm, KeyError>>,
    /// Signature algorithm name, and its weak hash if any.
    pub signature_algorithm: Option<String>,
    pub weak_hash: Option<&'static str>,
}

#[derive(Debug)]
pub enum FieldMaterial {
    Certificates(CertField),
    PrivateKey(KeyField),
    Pkcs12(Box<ArchiveField>),
    Csr(Box<CsrField>),
    KeyAndCertificates(Box<BundleField>),
}

/// What certificates are read for besides their facts, decided while each is parsed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reads {
    /// Analyse their order and links.
    pub chain: bool,
    /// Compute their issuance breaches now, from the parsed certificate (the rules run
    /// `cert-issuance`); otherwise only if asked, parsing the DER again.
    pub issuance: bool,
}

impl Reads {
    /// What `profile`'s rules read, with the chain analysis as `chain` says.
    pub fn of(profile: &Profile, chain: bool) -> Reads {
        let issuance = profile
            .rules
            .iter()
            .any(|r| matches!(r.check, crate::catalogue::Check::CertIssuance { .. }));
        Reads { chain, issuance }
    }
}

impl FieldMaterial {
    /// Certificates from PEM text (blocks of other labels become wrong blocks).
    pub fn pem_certificates(pointer: &str, text: &str, reads: Reads) -> FieldMaterial {
        FieldMaterial::Certificates(cert_field(pointer, FieldValue::Text(text), reads))
    }

    /// One DER certificate, taken as DER (no PEM text, so no PEM findings).
    pub fn der_certificate(pointer: &str, der: &[u8], reads: Reads) -> FieldMaterial {
        let (certs, chain) = parse_certs(&[der], |index| format!("{pointer}/{index}"), reads);
        FieldMaterial::Certificates(CertField {
            scan: None,
            unreadable: None,
            certs,
            wrong_blocks: Vec::new(),
            chain,
        })
    }

    /// A private key from PEM text: the first key block, the rest wrong or extra blocks.
    pub fn pem_private_key(text: &str) -> FieldMaterial {
        FieldMaterial::PrivateKey(key_field(FieldValue::Text(text)))
    }

    /// One DER private key (PKCS#8, PKCS#1 or SEC1), taken as DER.
    pub fn der_private_key(der: &[u8]) -> FieldMaterial {
        FieldMaterial::PrivateKey(KeyField {
            scan: None,
            unreadable: None,
            key: Some(parse_private_key_der(der)),
            wrong_blocks: Vec::new(),
            extra_keys: 0,
        })
    }

    /// A PKCS#12 archive's bytes, opened with `password` when one is given.
    pub fn pkcs12(
        pointer: &str,
        file_name: Option<&str>,
        bytes: &[u8],
        password: Option<&str>,
        reads: Reads,
    ) -> FieldMaterial {
        FieldMaterial::Pkcs12(Box::new(archive_field(
            pointer,
            file_name,
            FieldValue::Bytes(bytes),
            password,
            reads,
        )))
    }

    /// A CSR: PEM, bare base64 or DER, or a response body holding it in the field
    /// `pointer` names.
    pub fn csr(pointer: &str, bytes: &[u8]) -> FieldMaterial {
        FieldMaterial::Csr(Box::new(csr_field(pointer, FieldValue::Bytes(bytes))))
    }

    pub fn scan(&self) -> Option<&PemScan> {
        match self {
            FieldMaterial::Certificates(c) => c.scan.as_ref(),
            FieldMaterial::KeyAndCertificates(b) => b.certs.scan.as_ref(),
            FieldMaterial::PrivateKey(k) => k.scan.as_ref(),
            FieldMaterial::Pkcs12(_) | FieldMaterial::Csr(_) => None,
        }
    }

    pub fn unreadable(&self) -> Option<&Unreadable> {
        match self {
            FieldMaterial::Certificates(c) => c.unreadable.as_ref(),
            FieldMaterial::KeyAndCertificates(b) => b.certs.unreadable.as_ref(),
            FieldMaterial::PrivateKey(k) => k.unreadable.as_ref(),
            FieldMaterial::Pkcs12(_) | FieldMaterial::Csr(_) => None,
        }
    }

    pub fn wrong_blocks(&self) -> &[WrongBlock] {
        match self {
            FieldMaterial::Certificates(c) => &c.wrong_blocks,
            FieldMaterial::KeyAndCertificates(b) => &b.certs.wrong_blocks,
            FieldMaterial::PrivateKey(k) => &k.wrong_blocks,
            FieldMaterial::Pkcs12(_) | FieldMaterial::Csr(_) => &[],
        }
    }
}

/// The decoded materials of a request, by field pointer.
#[derive(Debug, Default)]
pub struct Submission {
    fields: BTreeMap<String, FieldMaterial>,
    /// What decoding an encoded field found wrong, by the field's pointer.
    decodings: BTreeMap<String, Problem>,
}

impl Submission {
    /// Decodes every declared PEM field that is present in the request.
    pub fn build(profile: &Profile, request: &Request) -> Submission {
        Submission::build_with(profile, request, Reads::of(profile, true))
    }

    fn build_with(profile: &Profile, request: &Request, reads: Reads) -> Submission {
        let mut fields = BTreeMap::new();
        let mut decodings = BTreeMap::new();
        // A field declared under a condition is decoded only in the form that holds.
        for spec in profile.active_fields(request) {
            // An encoded value is decoded once, here; the rules see the decoded bytes.
            let decoded = match decode_field(spec, request) {
                Decoded::Plain => None,
                Decoded::Bytes(b) => Some(b),
                Decoded::Problem(p) => {
                    decodings.insert(spec.pointer.clone(), p);
                    None
                }
            };
            let (pointer, value) = match (spec.plain_given(request), &decoded) {
                (Some(p), _) => (p, request.field(p)),
                (None, Some(bytes)) => (
                    spec.pointer.as_str(),
                    match std::str::from_utf8(bytes) {
                        Ok(text) => FieldValue::Text(text),
                        Err(_) => FieldValue::Bytes(bytes),
                    },
                ),
                // Undecodable: `base64-field` reports it; the encoded text is no material.
                (None, None) if decodings.contains_key(&spec.pointer) => continue,
                (None, None) => (spec.pointer.as_str(), request.field(&spec.pointer)),
            };
            // A decoded archive has no file name to judge.
            let file_name = match decoded {
                Some(_) => None,
                None => request.file_name(pointer),
            };
            if !value.is_non_empty() {
                continue;
            }
            let material = match spec.material {
                Material::Certificates => {
                    FieldMaterial::Certificates(cert_field(pointer, value, reads))
                }
                Material::PrivateKey => FieldMaterial::PrivateKey(key_field(value)),
                Material::KeyAndCertificates => {
                    FieldMaterial::KeyAndCertificates(Box::new(bundle_field(pointer, value, reads)))
                }
                Material::Pkcs12 => {
                    let password = spec
                        .password
                        .as_deref()
                        .and_then(|p| request.field(p).as_text());
                    FieldMaterial::Pkcs12(Box::new(archive_field(
                        pointer, file_name, value, password, reads,
                    )))
                }
                Material::Csr => FieldMaterial::Csr(Box::new(csr_field(&spec.pointer, value))),
                Material::Text | Material::Secret | Material::Object => continue,
            };
            fields.insert(spec.pointer.clone(), material);
        }
        Submission { fields, decodings }
    }

    /// What decoding the encoded field at `pointer` found wrong, if anything.
    pub fn decoding(&self, pointer: &str) -> Option<&Problem> {
        self.decodings.get(pointer)
    }

    /// An empty submission, for a front-end whose materials are files rather than a
    /// request document (`certgate lint`): it adds each decoded material with
    /// [`Submission::insert`].
    pub fn new() -> Submission {
        Submission::default()
    }

    /// Adds (or replaces) the material of the field at `pointer`.
    pub fn insert(&mut self, pointer: &str, material: FieldMaterial) {
        self.fields.insert(pointer.to_string(), material);
    }

    pub fn get(&self, pointer: &str) -> Option<&FieldMaterial> {
        self.fields.get(pointer)
    }

    pub fn certificates(&self, pointer: &str) -> Option<&CertField> {
        match self.fields.get(pointer) {
            Some(FieldMaterial::Certificates(c)) => Some(c),
            Some(FieldMaterial::KeyAndCertificates(b)) => Some(&b.certs),
            Some(FieldMaterial::Pkcs12(a)) => Some(&a.certs),
            _ => None,
        }
    }

    pub fn archive(&self, pointer: &str) -> Option<&ArchiveField> {
        match self.fields.get(pointer) {
            Some(FieldMaterial::Pkcs12(a)) => Some(a),
            _ => None,
        }
    }

    pub fn csr(&self, pointer: &str) -> Option<&CsrField> {
        match self.fields.get(pointer) {
            Some(FieldMaterial::Csr(c)) => Some(c),
            _ => None,
        }
    }

    /// Types the findings about an archive's certificates: the rules number them as a
    /// certificate field does ([`Item::Cert`], the paired leaf first); an archive's
    /// certificate is an entry of the file ([`Item::Entry`], in file order).
    pub fn type_entries(&self, diagnostics: &mut [Diagnostic]) {
        for d in diagnostics {
            let Item::Cert(n) = d.item else { continue };
            if let Some(entry) = self.archive(&d.location).and_then(|a| a.entry(n)) {
                d.item = Item::Entry(entry);
            }
        }
    }

    /// The rules that could not run because an archive was not opened (no password, a
    /// wrong one, or refused before any key derivation): each as a "not checked"
    /// diagnostic of the rule, at the archive. Rules that read only what the archive
    /// shows unopened still ran.
    pub fn not_checked(&self, profile: &Profile, request: &Request) -> Vec<Diagnostic> {
        /// Kinds that judge an archive from its pre-scan or from the opening itself.
        const BEFORE_OPENING: &[&str] = &[
            "pkcs12-required",
            "pkcs12-password",
            "pkcs12-iterations",
            "pkcs12-protection",
            "pkcs12-host-compat",
        ];
        let mut out = Vec::new();
        for (pointer, material) in &self.fields {
            let FieldMaterial::Pkcs12(a) = material else {
                continue;
            };
            if !matches!(a.prescan, Some(Ok(_))) {
                continue;
            }
            let reason = match (&a.refused, &a.opened) {
                (Some(e), _) | (None, Some(Err(e))) => {
                    format!("the archive was not opened ({e}), so its contents were not read")
                }
                (None, None) => {
                    "the archive was not opened (no password given), so its contents were not read"
                        .to_string()
                }
                (None, Some(Ok(_))) => continue,
            };
            for rule in &profile.rules {
                let targets = match (&rule.at, rule.applies) {
                    (Some(at), _) => at == pointer,
                    (None, Some(Applies::Pkcs12)) => true,
                    _ => false,
                };
                if !targets
                    || BEFORE_OPENING.contains(&rule.check.kind())
                    || !rule.when.holds(profile, request)
                {
                    continue;
                }
                let finding = Finding::new(pointer, reason.clone()).not_checked();
                out.push(crate::rules::diagnostic(rule, finding));
            }
        }
        out
    }

    pub fn private_key(&self, pointer: &str) -> Option<&KeyField> {
        match self.fields.get(pointer) {
            Some(FieldMaterial::PrivateKey(k)) => Some(k),
            Some(FieldMaterial::KeyAndCertificates(b)) => Some(&b.key),
            _ => None,
        }
    }
}

/// An encoded field's value after decoding.
enum Decoded {
    /// Not encoded, absent, or not a string: used as it is.
    Plain,
    Bytes(zeroize::Zeroizing<Vec<u8>>),
    Problem(Problem),
}

/// Decodes a field declared with an `encoding`. A value the API cannot decode is a
/// problem even when a plain alternative wins (the API decodes every value); what the
/// decoded bytes are only matters when they are used.
fn decode_field(spec: &FieldSpec, request: &Request) -> Decoded {
    let Some(Encoding::Base64) = spec.encoding else {
        return Decoded::Plain;
    };
    let Some(text) = request.field(&spec.pointer).as_text() else {
        return Decoded::Plain;
    };
    let bytes = match encoded::decode(text) {
        Ok(b) => b,
        Err(p) => return Decoded::Problem(p),
    };
    let plain_wins = spec.plain_given(request).is_some();
    let expect = if spec.material == Material::Pkcs12 {
        Expect::Der
    } else {
        Expect::Pem
    };
    match encoded::diagnose(&bytes, expect) {
        Some(p) if !plain_wins && spec.material != Material::Text => Decoded::Problem(p),
        _ => Decoded::Bytes(bytes),
    }
}

fn readable_text<'a>(value: FieldValue<'a>) -> Result<&'a str, Unreadable> {
    match value {
        FieldValue::Text(s) if s.len() > MAX_PEM_FIELD_BYTES => {
            Err(Unreadable::TooLarge { bytes: s.len() })
        }
        FieldValue::Text(s) => Ok(s),
        FieldValue::Bytes(b) => Err(Unreadable::Binary {
            bytes: b.len(),
            invalid_at: std::str::from_utf8(b).err().map_or(0, |e| e.valid_up_to()),
            has_pem_marker: b.windows(10).any(|w| w == b"-----BEGIN"),
        }),
        other => Err(Unreadable::NotText {
            found: other.type_name(),
        }),
    }
}

fn cert_field(pointer: &str, value: FieldValue<'_>, reads: Reads) -> CertField {
    let text = match readable_text(value) {
        Ok(t) => t,
        Err(u) => {
            return CertField {
                scan: None,
                unreadable: Some(u),
                certs: Vec::new(),
                wrong_blocks: Vec::new(),
                chain: None,
            };
        }
    };
    let scan = scan(text);
    let mut ders = Vec::new();
    let mut wrong_blocks = Vec::new();
    for block in &scan.blocks {
        if LabelKind::of(&block.label) == LabelKind::Certificate {
            ders.push(block.der.as_slice());
        } else {
            wrong_blocks.push(wrong(block));
        }
    }
    let (certs, chain) = parse_certs(&ders, |index| format!("{pointer}/{index}"), reads);
    CertField {
        scan: Some(scan),
        unreadable: None,
        certs,
        wrong_blocks,
        chain,
    }
}

fn key_field(value: FieldValue<'_>) -> KeyField {
    let text = match readable_text(value) {
        Ok(t) => t,
        Err(u) => {
            return KeyField {
                scan: None,
                unreadable: Some(u),
                key: None,
                wrong_blocks: Vec::new(),
                extra_keys: 0,
            };
        }
    };
    let scan = scan(text);
    let mut key = None;
    let mut wrong_blocks = Vec::new();
    let mut extra_keys = 0;
    for block in &scan.blocks {
        if !LabelKind::of(&block.label).is_private_key() {
            wrong_blocks.push(wrong(block));
        } else if key.is_none() {
            key = Some(parse_private_key(block));
        } else {
            extra_keys += 1;
        }
    }
    KeyField {
        scan: Some(scan),
        unreadable: None,
        key,
        wrong_blocks,
        extra_keys,
    }
}

/// One PEM text read twice: its certificate blocks as a certificates field, its first
/// private-key block as the key (later ones counted as extra keys); any other block is
/// a wrong block of the certificates.
fn bundle_field(pointer: &str, value: FieldValue<'_>, reads: Reads) -> BundleField {
    let text = match readable_text(value) {
        Ok(t) => t,
        Err(u) => {
            return BundleField {
                certs: CertField {
                    scan: None,
                    unreadable: Some(u),
                    certs: Vec::new(),
                    wrong_blocks: Vec::new(),
                    chain: None,
                },
                key: KeyField {
                    scan: None,
                    unreadable: None,
                    key: None,
                    wrong_blocks: Vec::new(),
                    extra_keys: 0,
                },
            };
        }
    };
    let scan = scan(text);
    let mut ders = Vec::new();
    let mut wrong_blocks = Vec::new();
    let mut key = None;
    let mut extra_keys = 0;
    for block in &scan.blocks {
        let kind = LabelKind::of(&block.label);
        if kind == LabelKind::Certificate {
            ders.push(block.der.as_slice());
        } else if !kind.is_private_key() {
            wrong_blocks.push(wrong(block));
        } else if key.is_none() {
            key = Some(parse_private_key(block));
        } else {
            extra_keys += 1;
        }
    }
    let (certs, chain) = parse_certs(&ders, |index| format!("{pointer}/{index}"), reads);
    BundleField {
        certs: CertField {
            scan: Some(scan),
            unreadable: None,
            certs,
            wrong_blocks,
            chain,
        },
        key: KeyField {
            scan: None,
            unreadable: None,
            key,
            wrong_blocks: Vec::new(),
            extra_keys,
        },
    }
}

fn wrong(block: &PemBlock) -> WrongBlock {
    WrongBlock {
        block: block.index,
        label: block.label.clone(),
    }
}

/// Parses certificates and analyses their chain once, for PEM fields and archives alike.
fn parse_certs(
    ders: &[&[u8]],
    location: impl Fn(usize) -> String,
    reads: Reads,
) -> (Vec<CertEntry>, Option<ChainAnalysis>) {
    // Each DER is parsed once: the chain analysis (and the issuance breaches, when a
    // rule reads them) work on the same parsed certificates.
    let parsed: Vec<Result<(CertInfo, X509Certificate<'_>), CertError>> =
        ders.iter().map(|der| parse_certificate_x509(der)).collect();
    if reads.issuance {
        for (info, cert) in parsed.iter().flatten() {
            info.read_issuance(cert);
        }
    }
    let chain = (reads.chain && !parsed.is_empty()).then(|| {
        let given: Vec<Option<Parsed<'_>>> = parsed
            .iter()
            .take(MAX_CHAIN_CERTS)
            .map(|r| {
                r.as_ref().ok().map(|(info, cert)| Parsed {
                    cert,
                    info: Some(info),
                })
            })
            .collect();
        analyse_parsed(&given, parsed.len())
    });
    let certs: Vec<CertEntry> = parsed
        .into_iter()
        .enumerate()
        .map(|(index, r)| CertEntry {
            index,
            location: location(index),
            parsed: r.map(|(info, _)| info),
        })
        .collect();
    (certs, chain)
}

fn archive_field(
    pointer: &str,
    file_name: Option<&str>,
    value: FieldValue<'_>,
    password: Option<&str>,
    reads: Reads,
) -> ArchiveField {
    let mut field = ArchiveField {
        file_name: file_name.map(str::to_string),
        not_a_file: None,
        prescan: None,
        refused: None,
        opened: None,
        keys: Vec::new(),
        certs: CertField {
            scan: None,
            unreadable: None,
            certs: Vec::new(),
            wrong_blocks: Vec::new(),
            chain: None,
        },
        entries: Vec::new(),
    };
    let Some(bytes) = value.as_bytes() else {
        field.not_a_file = Some(value.type_name());
        return field;
    };
    let pre = prescan(bytes);
    let limits = pre.as_ref().ok().map(Prescan::check_limits);
    field.prescan = Some(pre);
    match limits {
        Some(Ok(())) => {}
        Some(Err(e)) => {
            field.refused = Some(e);
            return field;
        }
        None => return field,
    }
    let Some(password) = password else {
        return field;
    };
    let secret = secrecy::SecretString::from(password.to_string());
    let contents = match open(bytes, &secret) {
        Ok((_, contents)) => contents,
        Err(e) => {
            field.opened = Some(Err(e));
            return field;
        }
    };
    field.keys = contents
        .keys
        .iter()
        .map(|k| parse_private_key_der(&k.pkcs8_der))
        .collect();
    // The leaf is the certificate paired with the first key; the rest keep file order.
    let paired = contents
        .keys
        .first()
        .and_then(|k| contents.leaf_for(k))
        .and_then(|leaf| contents.certs.iter().position(|c| c == leaf));
    let order: Vec<usize> = paired
        .into_iter()
        .chain((0..contents.certs.len()).filter(|i| Some(*i) != paired))
        .collect();
    let ders: Vec<&[u8]> = order
        .iter()
        .filter_map(|i| contents.certs.get(*i).map(|c| c.der.as_slice()))
        .collect();
    let reads = Reads {
        chain: true,
        ..reads
    };
    let (certs, chain) = parse_certs(&ders, |_| pointer.to_string(), reads);
    field.certs.certs = certs;
    field.entries = order;
    field.certs.chain = chain;
    field.opened = Some(Ok(contents));
    field
}

/// `pointer`'s last token names the field a response body holds the CSR in.
fn csr_field(pointer: &str, value: FieldValue<'_>) -> CsrField {
    let field_name = pointer.rsplit('/').next().unwrap_or(pointer);
    let parsed = match value.as_bytes() {
        Some(b) => parse_csr(b, field_name),
        None => Err(CsrError::ResponseBody {
            what: format!("`{field_name}` is {}, not a string", value.type_name()),
        }),
    };
    let mut field = CsrField {
        parsed,
        verification: None,
        key: None,
        signature_algorithm: None,
        weak_hash: None,
    };
    let Ok(csr) = &field.parsed else {
        return field;
    };
    field.key = Some(describe_spki(csr.spki_der()));
    use x509_parser::prelude::FromDer;
    if let Ok((_, req)) =
        x509_parser::certification_request::X509CertificationRequest::from_der(&csr.der)
    {
        field.verification = Some(verify_csr(&req));
        field.signature_algorithm = Some(signature_algorithm_name(&req.signature_algorithm));
        field.weak_hash = signature_hash_is_weak(&req.signature_algorithm);
    }
    field
}
