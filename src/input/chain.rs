//! Chain analysis: builds the issuer path from certificates given in any order, checks
//! every link's signature ([`super::verify`]), and reports order, duplicates, gaps,
//! the root, key usage along the path, and certificates that do not belong.
//!
//! Pure and bounded: at most [`MAX_CHAIN_CERTS`] certificates are analysed (the rest
//! are counted in [`ChainAnalysis::truncated`]) and at most [`MAX_SIGNATURE_CHECKS`]
//! signatures are verified. Results depend only on the input bytes and their order.
//!
//! "X issues Y" means Y's issuer name equals X's subject (DER bytes equal, or the
//! normalised strings equal) and, when Y has an AKI key id and X an SKI, they are
//! equal. A name match whose key ids differ is still followed when nothing better
//! exists (so a forged issuer shows up as a broken link rather than a gap), and among
//! several candidates the one whose signature verifies wins.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use sha2::{Digest, Sha256};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::ParsedExtension;
use x509_parser::prelude::{FromDer, X509Version};
use x509_parser::x509::X509Name;

use super::cert::CertInfo;
use super::verify::{
    Verification, signature_algorithm_name, signature_algorithms_differ, verify_issued_by,
};

use crate::input::limits::MAX_REMEMBERED_SELF_SIGNATURES;
pub use crate::input::limits::{MAX_CHAIN_CERTS, MAX_SIGNATURE_CHECKS};

/// One parsed certificate of the upload, in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertSummary {
    /// Position in the input (0-based, counting unparsable items too).
    pub index: usize,
    /// Subject DN (`O=certgate test, CN=Root`).
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// Subject key identifier, upper-case hex with colons (`AB:CD:..`), as openssl prints.
    pub ski: Option<String>,
    /// Authority key identifier (key id), same format.
    pub aki: Option<String>,
    /// Subject and issuer names are equal.
    pub is_self_issued: bool,
    /// basicConstraints cA=TRUE.
    pub is_ca: bool,
    /// SHA-256 of the certificate's DER, lower-case hex without separators.
    pub fingerprint_sha256: String,
    /// Name of the certificate's signature algorithm.
    pub signature_algorithm: String,
    /// Its inner and outer signature algorithms differ: its links are not checked
    /// (an encoding error, not a wrong key).
    pub signature_algorithms_differ: bool,
}

impl CertSummary {
    /// The subject, or a stand-in when it is empty.
    pub fn label(&self) -> String {
        if self.subject.is_empty() {
            format!("certificate #{} (empty subject)", self.index)
        } else {
            self.subject.clone()
        }
    }
}

impl fmt::Display for CertSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "#{} {} (issuer {}",
            self.index,
            self.label(),
            self.issuer
        )?;
        if self.is_self_issued {
            f.write_str(", self-issued")?;
        }
        if self.is_ca {
            f.write_str(", CA")?;
        }
        write!(f, ", SHA-256 {})", self.fingerprint_sha256)
    }
}

/// How a child was matched to its issuer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchedBy {
    /// Issuer name and AKI = SKI.
    NameAndKeyId,
    /// Issuer name; one side has no key identifier.
    NameOnly,
    /// Issuer name, but AKI and SKI differ (followed only for lack of a better match).
    NameKeyIdMismatch,
}

impl fmt::Display for MatchedBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MatchedBy::NameAndKeyId => "matched by issuer name and key identifier",
            MatchedBy::NameOnly => "matched by issuer name only",
            MatchedBy::NameKeyIdMismatch => {
                "matched by issuer name only; the authority key identifier does not match"
            }
        })
    }
}

/// One child → issuer step of the proposed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub child: usize,
    pub issuer: usize,
    pub child_subject: String,
    pub issuer_subject: String,
    pub verification: Verification,
    pub matched_by: MatchedBy,
}

impl fmt::Display for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.verification {
            Verification::Invalid => write!(
                f,
                "{} is not signed by the key of {}: the signature does not verify ({})",
                self.child_subject, self.issuer_subject, self.matched_by
            ),
            v => write!(
                f,
                "{} issued by {}: {} ({})",
                self.child_subject, self.issuer_subject, v, self.matched_by
            ),
        }
    }
}

/// A certificate whose issuer is not in the upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// Index of the certificate whose issuer is missing.
    pub cert: usize,
    pub cert_subject: String,
    /// The missing issuer's DN.
    pub issuer: String,
    /// The missing issuer's key id (the certificate's AKI), when present.
    pub aki: Option<String>,
    /// The gap is at the top of the leaf's path (otherwise in an unrelated part).
    pub on_leaf_path: bool,
    /// Other certificates follow in the upload (so the missing one is presumably an
    /// intermediate between them, not an omitted root).
    pub more_certs_present: bool,
}

impl fmt::Display for Gap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the issuer of {} is not in the upload: {}",
            self.cert_subject, self.issuer
        )?;
        if let Some(aki) = &self.aki {
            write!(f, " (key identifier {aki})")?;
        }
        Ok(())
    }
}

/// A key-usage problem along the chain.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum UsageProblem {
    /// Issues a certificate of the chain but is not a CA (no basicConstraints cA=TRUE).
    IssuerNotCa { cert: usize, subject: String },
    /// Issues a certificate of the chain; keyUsage is present without keyCertSign.
    IssuerWithoutKeyCertSign { cert: usize, subject: String },
    /// The leaf has an extendedKeyUsage without serverAuth (or anyExtendedKeyUsage).
    LeafWithoutServerAuth {
        cert: usize,
        subject: String,
        ekus: Vec<String>,
    },
    /// A CA above the leaf has an extendedKeyUsage without serverAuth (or
    /// anyExtendedKeyUsage): Go and OpenSSL read it as a limit on what it issues.
    IssuerWithoutServerAuth {
        cert: usize,
        subject: String,
        ekus: Vec<String>,
    },
    /// The leaf asserts keyCertSign without being a CA (RFC 5280 4.2.1.9).
    KeyCertSignWithoutCa { cert: usize, subject: String },
    /// pathLenConstraint `limit` but `actual` intermediates below it.
    PathLenExceeded {
        cert: usize,
        subject: String,
        limit: u32,
        actual: usize,
    },
}

impl UsageProblem {
    /// Index of the certificate concerned.
    pub fn cert(&self) -> usize {
        match self {
            UsageProblem::IssuerNotCa { cert, .. }
            | UsageProblem::IssuerWithoutKeyCertSign { cert, .. }
            | UsageProblem::LeafWithoutServerAuth { cert, .. }
            | UsageProblem::IssuerWithoutServerAuth { cert, .. }
            | UsageProblem::KeyCertSignWithoutCa { cert, .. }
            | UsageProblem::PathLenExceeded { cert, .. } => *cert,
        }
    }
}

impl fmt::Display for UsageProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UsageProblem::IssuerNotCa { subject, .. } => write!(
                f,
                "{subject} issues a certificate of the chain but is not a CA (basicConstraints cA=TRUE is missing)"
            ),
            UsageProblem::IssuerWithoutKeyCertSign { subject, .. } => write!(
                f,
                "{subject} issues a certificate of the chain but its keyUsage lacks keyCertSign"
            ),
            UsageProblem::LeafWithoutServerAuth { subject, ekus, .. } => write!(
                f,
                "the leaf {subject} is not valid for TLS servers: extendedKeyUsage is {} without serverAuth",
                eku_list(ekus)
            ),
            UsageProblem::IssuerWithoutServerAuth { subject, ekus, .. } => write!(
                f,
                "the CA {subject} has extendedKeyUsage {} without serverAuth: clients that apply \
                 a CA's extendedKeyUsage to the certificates below it (Go, OpenSSL) refuse \
                 the server certificate it issues",
                eku_list(ekus)
            ),
            UsageProblem::KeyCertSignWithoutCa { subject, .. } => write!(
                f,
                "the leaf {subject} asserts keyCertSign in keyUsage but is not a CA \
                 (basicConstraints cA=TRUE is missing); RFC 5280 forbids the combination and \
                 strict validators (OpenSSL -x509_strict) refuse the certificate"
            ),
            UsageProblem::PathLenExceeded {
                subject,
                limit,
                actual,
                ..
            } => write!(
                f,
                "{subject} allows {limit} intermediate CA certificate(s) below it (pathLenConstraint) but the chain has {actual}"
            ),
        }
    }
}

fn eku_list(ekus: &[String]) -> String {
    if ekus.is_empty() {
        "empty".to_string()
    } else {
        ekus.join(", ")
    }
}

/// A certificate whose issuer is already lower in its own path (a naming loop).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    pub cert: usize,
    pub cert_subject: String,
    pub issuer: usize,
    pub issuer_subject: String,
}

impl fmt::Display for Cycle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} names {} as its issuer, which is already below it in the chain (the issuers form a loop)",
            self.cert_subject, self.issuer_subject
        )
    }
}

/// The result of [`analyse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainAnalysis {
    /// Parsed certificates in the order given (within the first [`MAX_CHAIN_CERTS`]).
    pub given: Vec<CertSummary>,
    /// Input positions that are not a parsable certificate (reported elsewhere).
    pub unparsed: Vec<usize>,
    /// The first item, the server certificate, did not parse: no parsed certificate is
    /// the leaf ([`ChainAnalysis::leaf`] is `None`), and no leaf check runs.
    pub leaf_unparsed: bool,
    /// Indices (input positions), leaf first, each next one its issuer; duplicates
    /// removed. Certificates not on the leaf's path follow, grouped the same way
    /// (see `segments`).
    pub proposed_order: Vec<usize>,
    /// `proposed_order` split into issuer paths: the first is the leaf's.
    pub segments: Vec<Vec<usize>>,
    /// Given order (parsed, minus duplicates) equals `proposed_order`.
    pub order_ok: bool,
    /// (later index, index of the first copy) for byte-identical certificates.
    pub duplicates: Vec<(usize, usize)>,
    /// Consecutive pairs within each segment.
    pub links: Vec<Link>,
    /// Certificates whose issuer is absent.
    pub gaps: Vec<Gap>,
    /// Issuer loops.
    pub cycles: Vec<Cycle>,
    /// A self-issued root at the top of the leaf's path (not the leaf itself).
    pub root_included: Option<usize>,
    /// Self-signature of the certificate at the top of the leaf's path when it is
    /// self-issued (also for a self-signed leaf).
    pub root_signature: Option<Verification>,
    /// The leaf's path ends at a self-issued certificate whose self-signature is not
    /// invalid.
    pub ends_at_root: bool,
    pub usage_problems: Vec<UsageProblem>,
    /// Certificates not on the leaf's path.
    pub unrelated: Vec<usize>,
    /// More than [`MAX_CHAIN_CERTS`] items were given; only the first were analysed.
    pub truncated: bool,
    /// Number of items given.
    pub total_given: usize,
}

impl ChainAnalysis {
    /// The summary of the certificate at input position `index`.
    pub fn cert(&self, index: usize) -> Option<&CertSummary> {
        self.given.iter().find(|c| c.index == index)
    }

    /// The subject label of input position `index`.
    pub fn label(&self, index: usize) -> String {
        self.cert(index)
            .map(CertSummary::label)
            .unwrap_or_else(|| format!("certificate #{index}"))
    }

    /// The leaf (first of the proposed order); `None` when the first item given, the
    /// server certificate, does not parse: the next certificate is its issuer, not the
    /// leaf.
    pub fn leaf(&self) -> Option<usize> {
        if self.leaf_unparsed {
            return None;
        }
        self.proposed_order.first().copied()
    }

    /// `CN=leaf → CN=Intermediate B → CN=Intermediate A → CN=Root`, then the other
    /// segments (`; unrelated: ...`).
    pub fn expected_order(&self) -> String {
        let mut out = String::new();
        for (i, seg) in self.segments.iter().enumerate() {
            if i > 0 {
                out.push_str(if i == 1 {
                    "; not part of this chain: "
                } else {
                    "; "
                });
            }
            let names: Vec<String> = seg.iter().map(|ix| self.label(*ix)).collect();
            out.push_str(&names.join(" → "));
        }
        out
    }

    /// `Some("the chain is not in order: expected ...")` when the order is wrong.
    pub fn order_message(&self) -> Option<String> {
        if self.order_ok {
            None
        } else {
            Some(format!(
                "the chain is not in order: expected {}",
                self.expected_order()
            ))
        }
    }

    /// One message per duplicate.
    pub fn duplicate_messages(&self) -> Vec<String> {
        self.duplicates
            .iter()
            .map(|(later, first)| {
                format!(
                    "certificate #{later} ({}) is a duplicate of certificate #{first}",
                    self.label(*later)
                )
            })
            .collect()
    }

    /// One message per certificate off the leaf's path.
    pub fn unrelated_messages(&self) -> Vec<String> {
        self.unrelated
            .iter()
            .map(|ix| {
                format!(
                    "certificate #{ix} ({}) is not on the issuer path of the leaf {}",
                    self.label(*ix),
                    self.leaf().map(|l| self.label(l)).unwrap_or_default()
                )
            })
            .collect()
    }

    /// `Some(message)` for a self-signed root included in the upload.
    pub fn root_message(&self) -> Option<String> {
        self.root_included.map(|ix| {
            format!(
                "the self-signed root {} is included; clients already have their roots, so it can usually be left out",
                self.label(ix)
            )
        })
    }

    /// `Some(message)` when the analysis stopped at [`MAX_CHAIN_CERTS`].
    pub fn truncated_message(&self) -> Option<String> {
        self.truncated.then(|| {
            format!(
                "{} certificates given; only the first {MAX_CHAIN_CERTS} were analysed",
                self.total_given
            )
        })
    }

    /// The first gap on the leaf's path, when other certificates are present above it
    /// (a missing intermediate rather than an omitted root).
    pub fn missing_intermediate(&self) -> Option<&Gap> {
        self.gaps
            .iter()
            .find(|g| g.on_leaf_path && g.more_certs_present)
    }
}

// ---------------------------------------------------------------------------------

struct Node<'a> {
    idx: usize,
    cert: &'a X509Certificate<'a>,
    summary: CertSummary,
    subject_raw: &'a [u8],
    issuer_raw: &'a [u8],
    subject_norm: String,
    issuer_norm: String,
    ski: Option<Vec<u8>>,
    aki: Option<Vec<u8>>,
    path_len: Option<u32>,
    key_cert_sign: Option<bool>,
    /// (serverAuth or any, names) when an EKU extension is present.
    eku: Option<(bool, Vec<String>)>,
    v1: bool,
}

fn normalise(name: &str) -> String {
    // ASCII names (nearly all): one pass, one allocation, the same result.
    if name.is_ascii() {
        let mut out = String::with_capacity(name.len());
        for word in name.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        }
        return out;
    }
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn name_string(name: &X509Name) -> String {
    name.to_string()
}

fn names_match(raw_a: &[u8], norm_a: &str, raw_b: &[u8], norm_b: &str) -> bool {
    // An empty name (DER `30 00`) matches nothing.
    (raw_a.len() > 2 && raw_a == raw_b) || (!norm_a.is_empty() && norm_a == norm_b)
}

fn build_node<'a>(idx: usize, cert: &'a X509Certificate<'a>, info: Option<&CertInfo>) -> Node<'a> {
    let subject_raw = cert.tbs_certificate.subject.as_raw();
    let issuer_raw = cert.tbs_certificate.issuer.as_raw();
    // The certificate parser already formatted these; formatting names again cost more
    // than the rest of the node.
    let (subject, issuer, fingerprint_sha256, signature_algorithm) = match info {
        Some(i) => (
            i.subject.clone(),
            i.issuer.clone(),
            i.sha256_hex.clone(),
            i.signature_algorithm.clone(),
        ),
        None => (
            name_string(cert.subject()),
            name_string(cert.issuer()),
            crate::input::hex::lower(&Sha256::digest(cert.as_raw())),
            signature_algorithm_name(&cert.signature_algorithm),
        ),
    };
    let mut ski = None;
    let mut aki = None;
    let mut is_ca = false;
    let mut path_len = None;
    let mut key_cert_sign = None;
    let mut eku = None;
    // First occurrence of each extension wins (duplicates are someone else's finding).
    let mut seen = BTreeSet::new();
    for ext in cert.extensions() {
        if !seen.insert(ext.oid.as_bytes()) {
            continue;
        }
        match ext.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(k) => ski = Some(k.0.to_vec()),
            ParsedExtension::AuthorityKeyIdentifier(a) => {
                aki = a.key_identifier.as_ref().map(|k| k.0.to_vec());
            }
            ParsedExtension::BasicConstraints(bc) => {
                is_ca = bc.ca;
                path_len = if bc.ca { bc.path_len_constraint } else { None };
            }
            ParsedExtension::KeyUsage(ku) => key_cert_sign = Some(ku.key_cert_sign()),
            ParsedExtension::ExtendedKeyUsage(e) => {
                let mut names = Vec::new();
                let flags = [
                    (e.any, "anyExtendedKeyUsage"),
                    (e.server_auth, "serverAuth"),
                    (e.client_auth, "clientAuth"),
                    (e.code_signing, "codeSigning"),
                    (e.email_protection, "emailProtection"),
                    (e.time_stamping, "timeStamping"),
                    (e.ocsp_signing, "OCSPSigning"),
                ];
                for (on, name) in flags {
                    if on {
                        names.push(name.to_string());
                    }
                }
                names.extend(e.other.iter().map(|o| o.to_id_string()));
                eku = Some((e.server_auth || e.any, names));
            }
            _ => {}
        }
    }
    let subject_norm = normalise(&subject);
    let issuer_norm = normalise(&issuer);
    let is_self_issued = names_match(subject_raw, &subject_norm, issuer_raw, &issuer_norm);
    let summary = CertSummary {
        index: idx,
        subject,
        issuer,
        ski: ski.as_deref().map(crate::input::hex::upper_colon),
        aki: aki.as_deref().map(crate::input::hex::upper_colon),
        is_self_issued,
        is_ca,
        fingerprint_sha256,
        signature_algorithm,
        signature_algorithms_differ: signature_algorithms_differ(cert),
    };
    let v1 = cert.version() == X509Version::V1;
    Node {
        idx,
        cert,
        summary,
        subject_raw,
        issuer_raw,
        subject_norm,
        issuer_norm,
        ski,
        aki,
        path_len,
        key_cert_sign,
        eku,
        v1,
    }
}

/// Can `issuer` have issued `child` (by name and key id)? `None` when not.
fn match_issuer(child: &Node, issuer: &Node) -> Option<MatchedBy> {
    if child.idx == issuer.idx
        || !names_match(
            child.issuer_raw,
            &child.issuer_norm,
            issuer.subject_raw,
            &issuer.subject_norm,
        )
    {
        return None;
    }
    Some(match (&child.aki, &issuer.ski) {
        (Some(a), Some(s)) if a == s => MatchedBy::NameAndKeyId,
        (Some(_), Some(_)) => MatchedBy::NameKeyIdMismatch,
        _ => MatchedBy::NameOnly,
    })
}

/// Memoised, budgeted signature checks over node positions.
struct Checker<'n, 'a> {
    nodes: &'n [Node<'a>],
    memo: BTreeMap<(usize, usize), Verification>,
    checks: usize,
}

impl Checker<'_, '_> {
    fn verify(&mut self, child: usize, issuer: usize) -> Verification {
        if let Some(v) = self.memo.get(&(child, issuer)) {
            return v.clone();
        }
        let v = match (self.nodes.get(child), self.nodes.get(issuer)) {
            (Some(c), Some(i)) if self.checks < MAX_SIGNATURE_CHECKS => {
                // Counted whether or not the result was remembered, so that the budget,
                // and with it the output, never depends on what ran before.
                self.checks += 1;
                if child == issuer {
                    self_signature(c)
                } else {
                    verify_issued_by(c.cert, i.cert)
                }
            }
            (Some(c), Some(_)) => Verification::Unsupported {
                algorithm: c.summary.signature_algorithm.clone(),
                reason: format!(
                    "not checked: more than {MAX_SIGNATURE_CHECKS} signature checks in one upload"
                ),
            },
            _ => Verification::Invalid,
        };
        self.memo.insert((child, issuer), v.clone());
        v
    }
}

/// Self-signatures already checked in this process, by SHA-256 of the certificate.
/// The same root (or self-signed CA) comes with every chain of a directory, and its
/// self-signature depends on its bytes alone; bounded so a hostile corpus cannot grow it.
static SELF_SIGNATURES: std::sync::Mutex<BTreeMap<String, Verification>> =
    std::sync::Mutex::new(BTreeMap::new());

fn self_signature(node: &Node) -> Verification {
    let key = &node.summary.fingerprint_sha256;
    if let Ok(memo) = SELF_SIGNATURES.lock() {
        if let Some(v) = memo.get(key) {
            return v.clone();
        }
    }
    // Verified outside the lock: other workers are not held up by it.
    let v = verify_issued_by(node.cert, node.cert);
    if let Ok(mut memo) = SELF_SIGNATURES.lock() {
        if memo.len() < MAX_REMEMBERED_SELF_SIGNATURES {
            memo.insert(key.clone(), v.clone());
        }
    }
    v
}

fn verification_rank(v: &Verification) -> u8 {
    match v {
        Verification::Valid | Verification::ValidSm2EmptyId => 0,
        Verification::Unsupported { .. } => 1,
        Verification::Invalid => 2,
    }
}

/// How a path ends (positions are into `nodes`).
enum End {
    Root,
    Gap,
    Cycle(usize),
    /// The issuer is already in an earlier segment.
    Joins,
}

/// `match_issuer` for every (child, issuer) pair of nodes, computed once: path building
/// asks the same questions many times (quadratic per segment picked).
struct IssuerMatrix {
    n: usize,
    cells: Vec<Option<MatchedBy>>,
}

impl IssuerMatrix {
    fn new(nodes: &[Node]) -> IssuerMatrix {
        let cells = nodes
            .iter()
            .flat_map(|c| nodes.iter().map(move |i| match_issuer(c, i)))
            .collect();
        IssuerMatrix {
            n: nodes.len(),
            cells,
        }
    }

    /// Can node `issuer` have issued node `child`?
    fn get(&self, child: usize, issuer: usize) -> Option<MatchedBy> {
        if child >= self.n || issuer >= self.n {
            return None;
        }
        self.cells
            .get(child.saturating_mul(self.n).saturating_add(issuer))
            .copied()
            .flatten()
    }
}

/// Picks the bottom of a path among `pool` (node positions, given order): a
/// certificate that issues no other certificate of the pool, non-CA first.
fn pick_bottom(nodes: &[Node], matrix: &IssuerMatrix, pool: &[usize]) -> Option<usize> {
    let issues_none: Vec<usize> = pool
        .iter()
        .copied()
        .filter(|&x| !pool.iter().any(|&y| matrix.get(y, x).is_some()))
        .collect();
    let non_ca = |x: &usize| nodes.get(*x).is_some_and(|n| !n.summary.is_ca);
    issues_none
        .iter()
        .copied()
        .find(non_ca)
        .or_else(|| issues_none.first().copied())
        .or_else(|| pool.iter().copied().find(non_ca))
        .or_else(|| pool.first().copied())
}

/// Follows issuers from `start` within `available`; returns the path (positions) and
/// how it ends.
fn build_path(
    checker: &mut Checker,
    matrix: &IssuerMatrix,
    start: usize,
    available: &BTreeSet<usize>,
    all: &[usize],
) -> (Vec<usize>, End) {
    let nodes = checker.nodes;
    let mut path = vec![start];
    let mut on_path: BTreeSet<usize> = BTreeSet::from([start]);
    let mut current = start;
    // Each step adds a new node, so this terminates within `all.len()` steps.
    loop {
        let Some(node) = nodes.get(current) else {
            return (path, End::Gap);
        };
        if node.summary.is_self_issued {
            let own = checker.verify(current, current);
            if !own.is_invalid() {
                return (path, End::Root);
            }
        }
        let candidates: Vec<(usize, MatchedBy)> = all
            .iter()
            .filter_map(|&p| matrix.get(current, p).map(|m| (p, m)))
            .collect();
        if candidates.is_empty() {
            return (
                path,
                if node.summary.is_self_issued {
                    End::Root
                } else {
                    End::Gap
                },
            );
        }
        let open: Vec<(usize, MatchedBy)> = candidates
            .iter()
            .copied()
            .filter(|(p, _)| available.contains(p) && !on_path.contains(p))
            .collect();
        if open.is_empty() {
            if let Some((p, _)) = candidates.iter().find(|(p, _)| on_path.contains(p)) {
                return (path, End::Cycle(*p));
            }
            return (path, End::Joins);
        }
        let best = if open.len() == 1 {
            open.first().map(|(p, _)| *p)
        } else {
            let mut ranked: Vec<(u8, MatchedBy, usize)> = open
                .iter()
                .map(|&(p, m)| (verification_rank(&checker.verify(current, p)), m, p))
                .collect();
            ranked.sort();
            ranked.first().map(|(_, _, p)| *p)
        };
        let Some(next) = best else {
            return (path, End::Gap);
        };
        path.push(next);
        on_path.insert(next);
        current = next;
    }
}

/// Analyses the certificates of one upload, in the order given (DER each; items that
/// do not parse are listed in `unparsed` and otherwise ignored).
pub fn analyse(certs: &[&[u8]]) -> ChainAnalysis {
    let parsed: Vec<Option<X509Certificate<'_>>> = certs
        .iter()
        .take(MAX_CHAIN_CERTS)
        .map(|der| X509Certificate::from_der(der).ok().map(|(_, c)| c))
        .collect();
    let given: Vec<Option<Parsed<'_>>> = parsed
        .iter()
        .map(|c| c.as_ref().map(|cert| Parsed { cert, info: None }))
        .collect();
    analyse_parsed(&given, certs.len())
}

/// A certificate already parsed for [`analyse_parsed`].
#[derive(Clone, Copy)]
pub struct Parsed<'a> {
    pub cert: &'a X509Certificate<'a>,
    /// What [`crate::input::cert::parse_certificate`] read from the same DER: its
    /// names, fingerprint and signature algorithm are reused, not recomputed.
    pub info: Option<&'a CertInfo>,
}

/// [`analyse`] for certificates the caller has parsed already (`None`: an item that did
/// not parse). `total_given` counts every item given, also those beyond
/// [`MAX_CHAIN_CERTS`], which the caller may leave out of `certs`.
pub fn analyse_parsed(certs: &[Option<Parsed<'_>>], total_given: usize) -> ChainAnalysis {
    let truncated = total_given > MAX_CHAIN_CERTS;
    let mut unparsed = Vec::new();
    let mut nodes: Vec<Node> = Vec::new();
    for (idx, item) in certs.iter().take(MAX_CHAIN_CERTS).enumerate() {
        match item {
            Some(p) => nodes.push(build_node(idx, p.cert, p.info)),
            None => unparsed.push(idx),
        }
    }

    // Duplicates (byte-identical), by position in `nodes`.
    let mut duplicates = Vec::new();
    let mut unique: Vec<usize> = Vec::new();
    for (p, n) in nodes.iter().enumerate() {
        let first = unique.iter().copied().find(|&q| {
            nodes
                .get(q)
                .is_some_and(|m| m.summary.fingerprint_sha256 == n.summary.fingerprint_sha256)
        });
        match first.and_then(|q| nodes.get(q)) {
            Some(m) => duplicates.push((n.idx, m.idx)),
            None => unique.push(p),
        }
    }

    let matrix = IssuerMatrix::new(&nodes);
    let mut checker = Checker {
        nodes: &nodes,
        memo: BTreeMap::new(),
        checks: 0,
    };
    let mut available: BTreeSet<usize> = unique.iter().copied().collect();
    let mut segments_pos: Vec<(Vec<usize>, End)> = Vec::new();
    while !available.is_empty() {
        let pool: Vec<usize> = unique
            .iter()
            .copied()
            .filter(|p| available.contains(p))
            .collect();
        let Some(bottom) = pick_bottom(&nodes, &matrix, &pool) else {
            break;
        };
        let (path, end) = build_path(&mut checker, &matrix, bottom, &available, &unique);
        for p in &path {
            available.remove(p);
        }
        segments_pos.push((path, end));
    }

    let idx_of = |p: usize| nodes.get(p).map(|n| n.idx).unwrap_or(usize::MAX);
    let subject_of = |p: usize| nodes.get(p).map(|n| n.summary.label()).unwrap_or_default();

    let mut links = Vec::new();
    let mut gaps = Vec::new();
    let mut cycles = Vec::new();
    let mut root_included = None;
    let mut root_signature = None;
    let mut ends_at_root = false;
    let segment_count = segments_pos.len();
    for (s, (path, end)) in segments_pos.iter().enumerate() {
        for pair in path.windows(2) {
            let (Some(&c), Some(&i)) = (pair.first(), pair.get(1)) else {
                continue;
            };
            let (Some(cn), Some(inode)) = (nodes.get(c), nodes.get(i)) else {
                continue;
            };
            links.push(Link {
                child: cn.idx,
                issuer: inode.idx,
                child_subject: cn.summary.label(),
                issuer_subject: inode.summary.label(),
                verification: checker.verify(c, i),
                matched_by: matrix.get(c, i).unwrap_or(MatchedBy::NameOnly),
            });
        }
        let Some(&top) = path.last() else { continue };
        match end {
            End::Root => {
                if s == 0 {
                    let v = checker.verify(top, top);
                    ends_at_root = !v.is_invalid();
                    root_signature = Some(v);
                    if path.len() > 1 {
                        root_included = Some(idx_of(top));
                    }
                }
            }
            End::Gap => {
                if let Some(n) = nodes.get(top) {
                    gaps.push(Gap {
                        cert: n.idx,
                        cert_subject: n.summary.label(),
                        issuer: n.summary.issuer.clone(),
                        aki: n.summary.aki.clone(),
                        on_leaf_path: s == 0,
                        more_certs_present: s == 0 && segment_count > 1,
                    });
                }
            }
            End::Cycle(p) => cycles.push(Cycle {
                cert: idx_of(top),
                cert_subject: subject_of(top),
                issuer: idx_of(*p),
                issuer_subject: subject_of(*p),
            }),
            End::Joins => {}
        }
    }

    // Key usage along the chain.
    let mut problems = BTreeSet::new();
    for (path, _) in &segments_pos {
        for &i in path.iter().skip(1) {
            let Some(n) = nodes.get(i) else { continue };
            let exempt_v1_root = n.v1 && n.summary.is_self_issued;
            if !n.summary.is_ca && !exempt_v1_root {
                problems.insert(UsageProblem::IssuerNotCa {
                    cert: n.idx,
                    subject: n.summary.label(),
                });
            }
            if n.key_cert_sign == Some(false) {
                problems.insert(UsageProblem::IssuerWithoutKeyCertSign {
                    cert: n.idx,
                    subject: n.summary.label(),
                });
            }
        }
    }
    let leaf_unparsed = unparsed.first() == Some(&0);
    if let Some((leaf_path, _)) = segments_pos.first() {
        let leaf = leaf_path.first().and_then(|p| nodes.get(*p));
        if let Some(leaf) = leaf.filter(|_| !leaf_unparsed) {
            if let Some((false, ekus)) = &leaf.eku {
                problems.insert(UsageProblem::LeafWithoutServerAuth {
                    cert: leaf.idx,
                    subject: leaf.summary.label(),
                    ekus: ekus.clone(),
                });
            }
            if leaf.key_cert_sign == Some(true) && !leaf.summary.is_ca {
                problems.insert(UsageProblem::KeyCertSignWithoutCa {
                    cert: leaf.idx,
                    subject: leaf.summary.label(),
                });
            }
        }
        // A CA's EKU constrains the path below it for Go and OpenSSL (RFC 5280 leaves
        // it to applications; CA/B Forum intermediates carry serverAuth).
        for n in leaf_path.iter().skip(1).filter_map(|p| nodes.get(*p)) {
            if let Some((false, ekus)) = &n.eku {
                problems.insert(UsageProblem::IssuerWithoutServerAuth {
                    cert: n.idx,
                    subject: n.summary.label(),
                    ekus: ekus.clone(),
                });
            }
        }
        // Intermediates below position k: non-self-issued certificates at 1..k.
        let mut below = 0usize;
        for (k, &p) in leaf_path.iter().enumerate() {
            let Some(n) = nodes.get(p) else { continue };
            if k > 0 {
                if let Some(limit) = n.path_len {
                    if below > limit as usize {
                        problems.insert(UsageProblem::PathLenExceeded {
                            cert: n.idx,
                            subject: n.summary.label(),
                            limit,
                            actual: below,
                        });
                    }
                }
                if !n.summary.is_self_issued {
                    below += 1;
                }
            }
        }
    }
    let mut usage_problems: Vec<UsageProblem> = problems.into_iter().collect();
    usage_problems.sort_by_key(|p| p.cert());

    let segments: Vec<Vec<usize>> = segments_pos
        .iter()
        .map(|(path, _)| path.iter().map(|p| idx_of(*p)).collect())
        .collect();
    let proposed_order: Vec<usize> = segments.iter().flatten().copied().collect();
    let unrelated: Vec<usize> = segments.iter().skip(1).flatten().copied().collect();
    let given_unique: Vec<usize> = unique.iter().map(|p| idx_of(*p)).collect();
    let order_ok = given_unique == proposed_order;
    // The nodes are done with: their summaries move out rather than being copied.
    let given: Vec<CertSummary> = nodes.into_iter().map(|n| n.summary).collect();

    ChainAnalysis {
        given,
        unparsed,
        leaf_unparsed,
        proposed_order,
        segments,
        order_ok,
        duplicates,
        links,
        gaps,
        cycles,
        root_included,
        root_signature,
        ends_at_root,
        usage_problems,
        unrelated,
        truncated,
        total_given,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_normalisation_matches_the_general_one() {
        for name in [
            "CN=Root",
            "  O=certgate  Test,\tCN=ROOT \x0b CA ",
            "",
            " \r\n ",
            "CN=A\x0cB",
        ] {
            let general = name
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            assert_eq!(normalise(name), general, "{name:?}");
        }
        assert_eq!(normalise("CN=ΣΑΣ  X"), "cn=σας x");
    }

    fn ders(text: &str) -> Vec<Vec<u8>> {
        pem::parse_many(text)
            .unwrap_or_default()
            .into_iter()
            .map(|p| p.into_contents())
            .collect()
    }

    fn run(text: &str) -> ChainAnalysis {
        let d = ders(text);
        let refs: Vec<&[u8]> = d.iter().map(Vec::as_slice).collect();
        analyse(&refs)
    }

    fn all_links_valid(a: &ChainAnalysis) -> bool {
        a.links
            .iter()
            .all(|l| l.verification == Verification::Valid)
    }

    #[test]
    fn in_order_chain() {
        let a = run(corpus_text!("chains", "rsa-4chain-in-order.pem"));
        assert!(a.order_ok);
        assert_eq!(a.proposed_order, [0, 1, 2, 3]);
        assert_eq!(a.links.len(), 3);
        assert!(all_links_valid(&a));
        assert!(
            a.links
                .iter()
                .all(|l| l.matched_by == MatchedBy::NameAndKeyId)
        );
        assert!(a.ends_at_root);
        assert_eq!(a.root_included, Some(3));
        assert_eq!(a.root_signature, Some(Verification::Valid));
        assert!(a.gaps.is_empty() && a.duplicates.is_empty() && a.unrelated.is_empty());
        assert!(a.usage_problems.is_empty(), "{:?}", a.usage_problems);
        assert_eq!(a.order_message(), None);
        assert!(a.root_message().is_some_and(|m| m.contains("CN=Root")));
        let leaf = &a.given[0];
        assert!(leaf.ski.is_some() && leaf.aki.is_some() && !leaf.is_ca && !leaf.is_self_issued);
        assert_eq!(leaf.fingerprint_sha256.len(), 64);
        assert_eq!(leaf.aki, a.given[1].ski);
    }

    #[test]
    fn reversed_chain() {
        let a = run(corpus_text!("chains", "rsa-4chain-reversed.pem"));
        assert!(!a.order_ok);
        assert_eq!(a.proposed_order, [3, 2, 1, 0]);
        assert!(all_links_valid(&a));
        assert_eq!(
            a.order_message().unwrap_or_default(),
            "the chain is not in order: expected O=certgate test, CN=www.example.com → \
             O=certgate test, CN=Intermediate B → O=certgate test, CN=Intermediate A → \
             O=certgate test, CN=Root"
        );
    }

    #[test]
    fn shuffled_five_chain() {
        // given: i2, leaf, root, i3, i1
        let a = run(corpus_text!("chains", "shuffled-5chain.pem"));
        assert!(!a.order_ok);
        assert_eq!(a.proposed_order, [1, 3, 0, 4, 2]);
        assert_eq!(a.links.len(), 4);
        assert!(all_links_valid(&a));
        assert!(a.ends_at_root);
        assert!(a.unrelated.is_empty());
        assert_eq!(
            a.expected_order(),
            "CN=five.example.com → CN=Five Intermediate 3 → CN=Five Intermediate 2 → \
             CN=Five Intermediate 1 → CN=Five Root"
        );
    }

    #[test]
    fn duplicate_leaf() {
        // leaf, intB, leaf, intA, root
        let a = run(corpus_text!("chains", "duplicate-leaf.pem"));
        assert_eq!(a.duplicates, [(2, 0)]);
        assert_eq!(a.proposed_order, [0, 1, 3, 4]);
        assert!(a.order_ok);
        assert!(all_links_valid(&a));
        assert!(a.duplicate_messages()[0].contains("#2"));
    }

    #[test]
    fn forged_link_is_broken_not_gap() {
        // leaf, forged Intermediate B (same DN and SKI, other key), intA, root
        let a = run(corpus_text!("chains", "forged-link.pem"));
        assert_eq!(a.proposed_order, [0, 1, 2, 3]);
        let first = &a.links[0];
        assert_eq!((first.child, first.issuer), (0, 1));
        assert_eq!(first.verification, Verification::Invalid);
        assert_eq!(first.matched_by, MatchedBy::NameAndKeyId);
        assert!(
            first
                .to_string()
                .contains("is not signed by the key of O=certgate test, CN=Intermediate B")
        );
        assert_eq!(a.links[1].verification, Verification::Valid);
        assert!(a.gaps.is_empty());
    }

    #[test]
    fn forged_and_real_issuer_both_present_prefers_the_valid_one() {
        let forged = ders(corpus_text!("chains", "forged-link.pem"));
        let real = ders(corpus_text!("chains", "rsa-4chain-in-order.pem"));
        // leaf, forged B, real B, A, root
        let list: Vec<&[u8]> = vec![&real[0], &forged[1], &real[1], &real[2], &real[3]];
        let a = analyse(&list);
        assert_eq!(a.proposed_order, [0, 2, 3, 4, 1]);
        assert!(all_links_valid(&a));
        assert_eq!(a.unrelated, [1]);
    }

    #[test]
    fn missing_intermediate() {
        // leaf, intA, root: Intermediate B is missing
        let a = run(corpus_text!("chains", "missing-intermediate.pem"));
        assert_eq!(a.gaps.len(), 1);
        let gap = &a.gaps[0];
        assert_eq!(gap.cert, 0);
        assert_eq!(gap.issuer, "O=certgate test, CN=Intermediate B");
        assert!(gap.aki.is_some());
        assert!(gap.on_leaf_path && gap.more_certs_present);
        assert_eq!(a.missing_intermediate(), Some(gap));
        assert!(gap.to_string().contains("key identifier"));
        assert!(!a.ends_at_root);
        assert_eq!(a.segments, [vec![0], vec![1, 2]]);
        assert_eq!(a.unrelated, [1, 2]);
        assert!(a.order_ok);
    }

    #[test]
    fn no_root() {
        let a = run(corpus_text!("chains", "no-root.pem"));
        assert!(!a.ends_at_root);
        assert_eq!(a.root_included, None);
        assert_eq!(a.gaps.len(), 1);
        assert_eq!(a.gaps[0].cert, 2);
        assert_eq!(a.gaps[0].issuer, "O=certgate test, CN=Root");
        assert!(!a.gaps[0].more_certs_present);
        assert_eq!(a.missing_intermediate(), None);
        assert!(all_links_valid(&a));
    }

    #[test]
    fn algorithm_chains_verify() {
        for (text, links) in [
            (corpus_text!("chains", "sm2-chain.pem"), 1),
            (corpus_text!("chains", "p521-chain.pem"), 2),
            (corpus_text!("chains", "p521-sha256-chain.pem"), 1),
            (corpus_text!("chains", "ecdsa-mixed-hashes.pem"), 2),
            (corpus_text!("chains", "rsa-pss-chain.pem"), 2),
            (corpus_text!("chains", "ed25519-chain.pem"), 1),
        ] {
            let a = run(text);
            assert_eq!(a.links.len(), links, "{}", a.expected_order());
            assert!(all_links_valid(&a), "{:?}", a.links);
            assert!(a.ends_at_root && a.order_ok);
            assert_eq!(a.root_signature, Some(Verification::Valid));
        }
    }

    #[test]
    fn sm2_empty_id_link() {
        let a = run(corpus_text!("chains", "sm2-chain-empty-id.pem"));
        assert_eq!(a.links[0].verification, Verification::ValidSm2EmptyId);
        assert!(a.links[0].to_string().contains("empty signer id"));
    }

    #[test]
    fn md5_link_is_unsupported_not_passed() {
        let a = run(corpus_text!("chains", "md5-leaf.pem"));
        assert!(matches!(
            a.links[0].verification,
            Verification::Unsupported { .. }
        ));
        assert!(
            a.links[0]
                .to_string()
                .contains("cannot verify md5WithRSAEncryption")
        );
        let a = run(corpus_text!("chains", "sha1-leaf.pem"));
        assert_eq!(a.links[0].verification, Verification::Valid);
        assert_eq!(a.given[0].signature_algorithm, "sha1WithRSAEncryption");
    }

    #[test]
    fn pathlen_violation() {
        let a = run(corpus_text!("chains", "pathlen-violation.pem"));
        assert_eq!(
            a.usage_problems,
            [UsageProblem::PathLenExceeded {
                cert: 2,
                subject: "CN=Pathlen0 Root".into(),
                limit: 0,
                actual: 1
            }]
        );
        assert!(
            a.usage_problems[0]
                .to_string()
                .contains("allows 0 intermediate")
        );
    }

    #[test]
    fn ca_without_keycertsign_and_not_ca() {
        let a = run(corpus_text!("chains", "ca-without-keycertsign.pem"));
        assert_eq!(
            a.usage_problems,
            [UsageProblem::IssuerWithoutKeyCertSign {
                cert: 1,
                subject: "CN=No KeyCertSign Intermediate".into()
            }]
        );
        let a = run(corpus_text!("chains", "issuer-not-ca.pem"));
        assert_eq!(
            a.usage_problems,
            [UsageProblem::IssuerNotCa {
                cert: 1,
                subject: "CN=Not CA Intermediate".into()
            }]
        );
        assert!(all_links_valid(&a));
    }

    #[test]
    fn leaf_client_auth_only() {
        let a = run(corpus_text!("chains", "leaf-eku-clientauth.pem"));
        assert_eq!(a.proposed_order[0], 0);
        match a.usage_problems.as_slice() {
            [UsageProblem::LeafWithoutServerAuth { cert: 0, ekus, .. }] => {
                assert_eq!(ekus, &["clientAuth"])
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn limbo_misses_in_the_analysis() {
        let a = run(corpus_text!(
            "limbo-misses",
            "intermediate-eku-clientauth.pem"
        ));
        match a.usage_problems.as_slice() {
            [UsageProblem::IssuerWithoutServerAuth { cert: 1, ekus, .. }] => {
                assert_eq!(ekus, &["clientAuth"])
            }
            other => panic!("{other:?}"),
        }
        let a = run(corpus_text!("limbo-misses", "leaf-keycertsign-not-ca.pem"));
        assert!(matches!(
            a.usage_problems.as_slice(),
            [UsageProblem::KeyCertSignWithoutCa { cert: 0, .. }]
        ));
        // The link is not checked (and not blamed on the issuer's key).
        let a = run(corpus_text!(
            "limbo-misses",
            "leaf-signature-algorithms-differ.pem"
        ));
        assert!(a.given[0].signature_algorithms_differ);
        match &a.links[0].verification {
            Verification::Unsupported { reason, .. } => {
                assert!(
                    reason.contains("names sha256WithRSAEncryption inside"),
                    "{reason}"
                )
            }
            other => panic!("{other:?}"),
        }
        // An unparsed first item: no parsed certificate is the leaf.
        let d = ders(corpus_text!("limbo-misses", "leaf-keycertsign-not-ca.pem"));
        let a = analyse(&[b"not a certificate", &d[1]]);
        assert!(a.leaf_unparsed);
        assert_eq!(a.leaf(), None);
        assert_eq!(a.proposed_order, [1]);
        let a = analyse(&[&d[0], b"not a certificate", &d[1]]);
        assert!(!a.leaf_unparsed);
        assert_eq!(a.leaf(), Some(0));
    }

    #[test]
    fn mutual_issuer_cycle_terminates() {
        // leaf (issuer Cycle A), Cycle A (issuer Cycle B), Cycle B (issuer Cycle A)
        let a = run(corpus_text!("chains", "mutual-issuer-cycle.pem"));
        assert_eq!(a.proposed_order, [0, 1, 2]);
        assert_eq!(a.cycles.len(), 1);
        assert_eq!((a.cycles[0].cert, a.cycles[0].issuer), (2, 1));
        assert!(a.cycles[0].to_string().contains("loop"));
        assert!(!a.ends_at_root);
        assert!(a.gaps.is_empty());
        assert!(all_links_valid(&a));
        // only the two certificates naming each other
        let d = ders(corpus_text!("chains", "mutual-issuer-cycle.pem"));
        let a = analyse(&[&d[1], &d[2]]);
        assert_eq!(a.proposed_order.len(), 2);
        assert_eq!(a.cycles.len(), 1);
    }

    #[test]
    fn unrelated_extra_certificate() {
        let a = run(corpus_text!("chains", "unrelated-extra.pem"));
        assert_eq!(a.unrelated, [4]);
        assert_eq!(a.proposed_order, [0, 1, 2, 3, 4]);
        assert!(a.order_ok);
        assert!(a.unrelated_messages()[0].contains("CN=Ed25519 Root"));
        assert!(
            a.expected_order()
                .contains("not part of this chain: CN=Ed25519 Root")
        );
    }

    #[test]
    fn self_signed_leaf_alone() {
        let d = ders(corpus_text!("chains", "ed25519-chain.pem"));
        let a = analyse(&[&d[1]]);
        assert!(a.ends_at_root);
        assert_eq!(a.root_included, None);
        assert!(a.links.is_empty());
    }

    #[test]
    fn garbage_and_truncation() {
        let d = ders(corpus_text!("chains", "rsa-4chain-reversed.pem"));
        let mut list: Vec<&[u8]> = vec![b"not a cert", &[]];
        list.extend(d.iter().map(Vec::as_slice));
        let a = analyse(&list);
        assert_eq!(a.unparsed, [0, 1]);
        assert_eq!(a.proposed_order, [5, 4, 3, 2]);
        assert!(analyse(&[]).proposed_order.is_empty());

        let many: Vec<&[u8]> = std::iter::repeat_n(d[0].as_slice(), MAX_CHAIN_CERTS + 3).collect();
        let a = analyse(&many);
        assert!(a.truncated);
        assert_eq!(a.duplicates.len(), MAX_CHAIN_CERTS - 1);
        assert!(a.truncated_message().is_some());
    }

    #[test]
    fn mutated_inputs_never_panic() {
        // Deterministic byte flips across every certificate of a few chains.
        for text in [
            corpus_text!("chains", "shuffled-5chain.pem"),
            corpus_text!("chains", "sm2-chain.pem"),
            corpus_text!("chains", "p521-chain.pem"),
            corpus_text!("chains", "rsa-pss-chain.pem"),
        ] {
            let d = ders(text);
            for (ci, cert) in d.iter().enumerate() {
                for pos in (0..cert.len()).step_by(37) {
                    let mut list = d.clone();
                    if let Some(b) = list[ci].get_mut(pos) {
                        *b ^= 0x5a;
                    }
                    let refs: Vec<&[u8]> = list.iter().map(Vec::as_slice).collect();
                    let a = analyse(&refs);
                    assert!(
                        a.proposed_order.len() + a.unparsed.len() + a.duplicates.len() == d.len()
                    );
                    let _ = (
                        a.expected_order(),
                        a.order_message(),
                        a.duplicate_messages(),
                    );
                }
            }
        }
    }

    #[test]
    fn deterministic() {
        let a = run(corpus_text!("chains", "shuffled-5chain.pem"));
        let b = run(corpus_text!("chains", "shuffled-5chain.pem"));
        assert_eq!(a, b);
    }
}
