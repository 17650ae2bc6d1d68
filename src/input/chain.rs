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
//!
//! Types live here; `names` turns certificates into comparable nodes, `path` builds the
//! paths and the analysis.

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
            "the issuer of {} is not among the certificates given: {}",
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
    #[cfg(test)] // only the unit tests read it
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
    #[cfg(test)] // only the unit tests read it
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
    #[cfg(test)] // only the unit tests read it
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
    #[cfg(test)] // only the unit tests read it
    pub fn root_message(&self) -> Option<String> {
        self.root_included.map(|ix| {
            format!(
                "the self-signed root {} is included; clients already have their roots, so it can usually be left out",
                self.label(ix)
            )
        })
    }

    /// `Some(message)` when the analysis stopped at [`MAX_CHAIN_CERTS`].
    #[cfg(test)] // only the unit tests read it
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
    #[cfg(test)] // only the unit tests read it
    pub fn missing_intermediate(&self) -> Option<&Gap> {
        self.gaps
            .iter()
            .find(|g| g.on_leaf_path && g.more_certs_present)
    }
}

// ---------------------------------------------------------------------------------

/// A certificate already parsed for [`analyse_parsed`].
#[derive(Clone, Copy)]
pub struct Parsed<'a> {
    pub cert: &'a X509Certificate<'a>,
    /// What [`crate::input::cert::parse_certificate`] read from the same DER: its
    /// names, fingerprint and signature algorithm are reused, not recomputed.
    pub info: Option<&'a CertInfo>,
}

mod names;
mod path;

use names::*;
pub use path::{analyse, analyse_parsed};

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

    use crate::input::test_ders as ders;

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
