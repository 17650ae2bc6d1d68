//! The submission: the request's declared fields decoded once into typed materials,
//! each with its location. Rules read it; nothing is parsed twice.

use std::collections::BTreeMap;

use crate::catalogue::{Material, Profile};
use crate::input::cert::{CertError, CertInfo, parse_certificate};
use crate::input::chain::{ChainAnalysis, analyse};
use crate::input::key::{KeyError, ParsedKey, parse_private_key};
use crate::input::pem::{PemBlock, PemScan, scan};
use crate::request::{FieldValue, Request};

/// PEM fields larger than this are not parsed at all (the API limits are 64 KB).
pub const MAX_PEM_FIELD_BYTES: usize = 1024 * 1024;

const CERT_LABELS: &[&str] = &["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"];
const KEY_LABELS: &[&str] = &[
    "PRIVATE KEY",
    "RSA PRIVATE KEY",
    "EC PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
    "SM2 PRIVATE KEY",
];

/// What stopped a PEM field from being scanned at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// A `{"file": ...}` source held binary data, not PEM text.
    Binary {
        bytes: usize,
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
    /// first certificate.
    pub fn leaf_entry(&self) -> Option<&CertEntry> {
        let index = self.chain.as_ref().and_then(|a| a.leaf()).unwrap_or(0);
        self.certs.get(index).or_else(|| self.certs.first())
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

#[derive(Debug)]
pub enum FieldMaterial {
    Certificates(CertField),
    PrivateKey(KeyField),
}

impl FieldMaterial {
    pub fn scan(&self) -> Option<&PemScan> {
        match self {
            FieldMaterial::Certificates(c) => c.scan.as_ref(),
            FieldMaterial::PrivateKey(k) => k.scan.as_ref(),
        }
    }

    pub fn unreadable(&self) -> Option<&Unreadable> {
        match self {
            FieldMaterial::Certificates(c) => c.unreadable.as_ref(),
            FieldMaterial::PrivateKey(k) => k.unreadable.as_ref(),
        }
    }

    pub fn wrong_blocks(&self) -> &[WrongBlock] {
        match self {
            FieldMaterial::Certificates(c) => &c.wrong_blocks,
            FieldMaterial::PrivateKey(k) => &k.wrong_blocks,
        }
    }
}

/// The decoded materials of a request, by field pointer.
#[derive(Debug, Default)]
pub struct Submission {
    fields: BTreeMap<String, FieldMaterial>,
}

impl Submission {
    /// Decodes every declared PEM field that is present in the request.
    pub fn build(profile: &Profile, request: &Request) -> Submission {
        let mut fields = BTreeMap::new();
        for spec in &profile.fields {
            let value = request.field(&spec.pointer);
            if !value.is_non_empty() {
                continue;
            }
            let material = match spec.material {
                Material::Certificates => {
                    FieldMaterial::Certificates(cert_field(&spec.pointer, value))
                }
                Material::PrivateKey => FieldMaterial::PrivateKey(key_field(value)),
                Material::Text | Material::Secret => continue,
            };
            fields.insert(spec.pointer.clone(), material);
        }
        Submission { fields }
    }

    pub fn get(&self, pointer: &str) -> Option<&FieldMaterial> {
        self.fields.get(pointer)
    }

    pub fn certificates(&self, pointer: &str) -> Option<&CertField> {
        match self.fields.get(pointer) {
            Some(FieldMaterial::Certificates(c)) => Some(c),
            _ => None,
        }
    }

    pub fn private_key(&self, pointer: &str) -> Option<&KeyField> {
        match self.fields.get(pointer) {
            Some(FieldMaterial::PrivateKey(k)) => Some(k),
            _ => None,
        }
    }
}

fn readable_text<'a>(value: FieldValue<'a>) -> Result<&'a str, Unreadable> {
    match value {
        FieldValue::Text(s) if s.len() > MAX_PEM_FIELD_BYTES => {
            Err(Unreadable::TooLarge { bytes: s.len() })
        }
        FieldValue::Text(s) => Ok(s),
        FieldValue::Bytes(b) => Err(Unreadable::Binary { bytes: b.len() }),
        other => Err(Unreadable::NotText {
            found: other.type_name(),
        }),
    }
}

fn cert_field(pointer: &str, value: FieldValue<'_>) -> CertField {
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
    let mut certs = Vec::new();
    let mut wrong_blocks = Vec::new();
    for block in &scan.blocks {
        if CERT_LABELS.contains(&block.label.as_str()) {
            let index = certs.len();
            certs.push(CertEntry {
                index,
                location: format!("{pointer}/{index}"),
                parsed: parse_certificate(&block.der),
            });
        } else {
            wrong_blocks.push(wrong(block));
        }
    }
    let ders: Vec<&[u8]> = certs
        .iter()
        .map(|e| e.parsed.as_ref().map_or(&[][..], |c| c.der.as_slice()))
        .collect();
    let chain = (!ders.is_empty()).then(|| analyse(&ders));
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
        if !KEY_LABELS.contains(&block.label.as_str()) {
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

fn wrong(block: &PemBlock) -> WrongBlock {
    WrongBlock {
        block: block.index,
        label: block.label.clone(),
    }
}
