//! The client verdict: whether a TLS client would accept the chain a server sends.
//!
//! Path building and validation are rustls-webpki's, the code rustls clients run (with
//! its budgets, name constraints and EKU checks), not certgate's own: certgate's chain
//! analysis says *why* a chain is wrong, this says whether a client accepts it. The
//! anchors are data given by the caller (Mozilla's roots are compiled in; the operating
//! system's store and PEM files are read by the command line), so the engine stays pure.

use std::sync::OnceLock;

use rustls_pki_types::{CertificateDer, ServerName, TrustAnchor, UnixTime};
use time::OffsetDateTime;
use webpki::{ALL_VERIFICATION_ALGS, EndEntityCert, KeyUsage, anchor_from_trusted_cert};
use x509_parser::prelude::{FromDer, ParsedExtension, X509Certificate};

/// The compiled-in Mozilla root bundle (`webpki-root-certs`) and the day that version
/// was published on crates.io (the crate itself carries no date), shown with every
/// trust finding because a root store ages. A test holds it to Cargo.lock.
pub const MOZILLA_BUNDLE: &str = "webpki-root-certs 1.0.12, published 2026-11-10";

/// Where the trust anchors come from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AnchorSource {
    /// Mozilla's root program, compiled in.
    Mozilla,
    /// The operating system's store, as the command line read it.
    System,
    /// PEM files of anchors (private PKIs).
    Files(Vec<String>),
}

/// Trust anchors and the extra intermediates a client could use.
pub struct Trust {
    source: AnchorSource,
    anchors: Vec<TrustAnchor<'static>>,
    intermediates: Vec<CertificateDer<'static>>,
    /// The file the intermediates came from (`--intermediates`), for messages.
    intermediates_file: Option<String>,
}

impl std::fmt::Debug for Trust {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trust")
            .field("source", &self.source)
            .field("anchors", &self.anchors.len())
            .field("intermediates", &self.intermediates.len())
            .finish()
    }
}

impl Trust {
    /// Mozilla's root program (the default), shared by the whole process.
    pub fn mozilla() -> &'static Trust {
        static MOZILLA: OnceLock<Trust> = OnceLock::new();
        MOZILLA.get_or_init(|| Trust::from_anchors(AnchorSource::Mozilla, Trust::mozilla_ders()).0)
    }

    /// The certificates of Mozilla's root program, as DER (to combine with others).
    pub fn mozilla_ders() -> Vec<Vec<u8>> {
        webpki_root_certs::TLS_SERVER_ROOT_CERTS
            .iter()
            .map(|c| c.as_ref().to_vec())
            .collect()
    }

    /// Anchors from certificates (DER); the second value lists the ones that cannot be
    /// anchors, by position and why.
    ///
    /// ```
    /// use certgate::{AnchorSource, Trust};
    ///
    /// let (trust, refused) =
    ///     Trust::from_anchors(AnchorSource::Files(vec!["roots.pem".into()]), vec![b"not DER".to_vec()]);
    /// assert!(trust.is_empty());
    /// assert_eq!(refused.len(), 1);
    /// assert_eq!(refused[0].0, 0);
    /// ```
    pub fn from_anchors(source: AnchorSource, ders: Vec<Vec<u8>>) -> (Trust, Vec<(usize, String)>) {
        let mut anchors = Vec::new();
        let mut refused = Vec::new();
        for (i, der) in ders.into_iter().enumerate() {
            let cert = CertificateDer::from(der.as_slice());
            match anchor_from_trusted_cert(&cert) {
                Ok(a) => anchors.push(a.to_owned()),
                Err(e) => refused.push((i, format!("{e:?}"))),
            }
        }
        let trust = Trust {
            source,
            anchors,
            intermediates: Vec::new(),
            intermediates_file: None,
        };
        (trust, refused)
    }

    /// The same anchors with intermediates a client may fetch or hold (`--intermediates`:
    /// the CA's chain download), never fetched from the network.
    pub fn with_intermediates(mut self, file: &str, ders: Vec<Vec<u8>>) -> Trust {
        self.intermediates = ders.into_iter().map(CertificateDer::from).collect();
        self.intermediates_file = Some(file.to_string());
        self
    }

    /// Whether there are extra intermediates (`--intermediates`) a chain could lack.
    pub fn has_intermediates(&self) -> bool {
        !self.intermediates.is_empty()
    }

    /// How many anchors there are.
    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    /// Whether there are no anchors.
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    /// The anchor set in words, for messages: "Mozilla's root program
    /// (webpki-root-certs 1.0.12, published 2026-11-10, 150 roots)".
    pub fn describe(&self) -> String {
        let n = self.anchors.len();
        match &self.source {
            AnchorSource::Mozilla => {
                format!("Mozilla's root program ({MOZILLA_BUNDLE}, {n} roots)")
            }
            AnchorSource::System => format!("the operating system's store ({n} roots)"),
            AnchorSource::Files(names) => format!(
                "the anchors of {} ({n} certificate{})",
                names.join(", "),
                if n == 1 { "" } else { "s" }
            ),
        }
    }

    /// The path a client builds from `chain` (leaf first, as the server sends it) plus
    /// the extra intermediates, at `at`; then each of `names` against the validated leaf.
    pub fn verify(&self, chain: &[&[u8]], at: OffsetDateTime, names: &[String]) -> Verdict {
        let leaf = chain.first().copied().unwrap_or_default();
        self.verify_path(chain, at).with_names(leaf, names)
    }

    /// [`Trust::verify`] without names (a `Trusted` verdict's `mismatched` is empty): the
    /// costly part, which depends only on the certificates (the rules cache it per run).
    pub(crate) fn verify_path(&self, chain: &[&[u8]], at: OffsetDateTime) -> Verdict {
        let Some((leaf, rest)) = chain.split_first() else {
            return Verdict::NotChecked {
                why: "no certificate".into(),
            };
        };
        let leaf_der = CertificateDer::from(*leaf);
        let ee = match EndEntityCert::try_from(&leaf_der) {
            Ok(ee) => ee,
            Err(e) => {
                return Verdict::Untrusted {
                    reason: format!("clients cannot read the server certificate ({})", words(&e)),
                    stop: None,
                };
            }
        };
        let mut pool: Vec<CertificateDer<'_>> =
            rest.iter().map(|d| CertificateDer::from(*d)).collect();
        pool.extend(self.intermediates.iter().cloned());
        let seconds = u64::try_from(at.unix_timestamp()).unwrap_or(0);
        let time = UnixTime::since_unix_epoch(std::time::Duration::from_secs(seconds));
        let verified = ee.verify_for_usage(
            ALL_VERIFICATION_ALGS,
            &self.anchors,
            &pool,
            time,
            KeyUsage::server_auth(),
            None,
            None,
        );
        let path = match verified {
            Ok(p) => p,
            Err(e) => {
                let debug = format!("{e:?}");
                if debug.starts_with("UnsupportedSignatureAlgorithm") {
                    let algorithms = algorithm_names(chain);
                    // SM2 is a national standard some clients implement: not judged.
                    // MD5 and SHA-1 signatures are what browsers and TLS libraries refuse.
                    if algorithms.contains("SM2") || algorithms.contains("SM3") {
                        return Verdict::NotChecked {
                            why: format!(
                                "the chain is signed with {algorithms}, which rustls-webpki \
                                 does not verify: clients built on it refuse the chain, and \
                                 clients with SM2 support were not checked"
                            ),
                        };
                    }
                    return Verdict::Untrusted {
                        reason: format!(
                            "a signature uses an algorithm clients no longer accept \
                             ({algorithms})"
                        ),
                        stop: None,
                    };
                }
                if let Some(reason) = self_signed(leaf, &e) {
                    return Verdict::Untrusted { reason, stop: None };
                }
                return Verdict::Untrusted {
                    reason: words(&e),
                    stop: self.stop(chain, &e),
                };
            }
        };
        // Intermediates the client found only in the extra bundle: the upload lacks them.
        // In path order, each with the certificate it issues (the one before it on the
        // path), so that `fix` can put it in its place.
        let mut missing: Vec<Missing> = Vec::new();
        let mut previous: Vec<u8> = leaf.to_vec();
        for c in path.intermediate_certificates() {
            let der = c.der().as_ref().to_vec();
            if !rest.contains(&der.as_slice()) {
                missing.push(Missing {
                    cert: describe_cert(&der),
                    file: self.intermediates_file.clone().unwrap_or_default(),
                    follows: previous.clone(),
                });
            }
            previous = der;
        }
        Verdict::Trusted {
            missing,
            mismatched: Vec::new(),
        }
    }

    /// Where the path stops when no anchor is reached: the last certificate reached by
    /// issuer name from the leaf through the uploaded and extra certificates.
    fn stop(&self, chain: &[&[u8]], e: &webpki::Error) -> Option<Described> {
        if !matches!(e, webpki::Error::UnknownIssuer) {
            return None;
        }
        let pool: Vec<&[u8]> = chain
            .iter()
            .copied()
            .chain(self.intermediates.iter().map(|c| c.as_ref()))
            .collect();
        let parsed: Vec<Described> = pool.iter().filter_map(|d| describe_cert_opt(d)).collect();
        let mut current = parsed.first()?.clone();
        for _ in 0..parsed.len() {
            match parsed
                .iter()
                .find(|c| c.subject_raw == current.issuer_raw && c.der != current.der)
            {
                Some(next) if !next.self_issued => current = next.clone(),
                _ => break,
            }
        }
        Some(current)
    }
}

/// What a client concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A path to an anchor was built and validated; `missing` lists the intermediates
    /// it needed from the extra bundle, `mismatched` the names the leaf does not cover.
    Trusted {
        missing: Vec<Missing>,
        mismatched: Vec<String>,
    },
    /// No valid path: why, and where the path stops when no anchor was reached.
    Untrusted {
        reason: String,
        stop: Option<Described>,
    },
    /// The validator cannot judge this chain (an algorithm it lacks).
    NotChecked { why: String },
}

impl Verdict {
    /// This path verdict with each of `names` that the validated server certificate
    /// (`leaf`, DER) does not cover as clients check it; other verdicts are unchanged.
    pub(crate) fn with_names(self, leaf: &[u8], names: &[String]) -> Verdict {
        let Verdict::Trusted { missing, .. } = self else {
            return self;
        };
        let wanted: Vec<&str> = names
            .iter()
            .map(String::as_str)
            .filter(|n| !n.is_empty())
            .collect();
        let mismatched = wanted
            .iter()
            .zip(leaf_covers(leaf, &wanted))
            .filter(|(_, covered)| *covered != Some(true))
            .map(|(n, _)| (*n).to_string())
            .collect();
        Verdict::Trusted {
            missing,
            mismatched,
        }
    }
}

/// An intermediate a client needed from the `--intermediates` bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    pub cert: Described,
    pub file: String,
    /// The DER of the certificate it issues: the one before it on the path.
    follows: Vec<u8>,
}

impl Missing {
    /// The certificate it issues (the server certificate or another intermediate), as
    /// DER: the missing intermediate goes right after it in the chain.
    pub fn follows(&self) -> &[u8] {
        &self.follows
    }

    /// `"<subject>" (issued by "<issuer>", key identifier …) from "<file>"`, as the
    /// client verdict and `fix` both name it.
    pub fn named(&self) -> String {
        use crate::rules::show;
        format!(
            "{} (issued by {}{}) from {}",
            show(&self.cert.subject),
            show(&self.cert.issuer),
            self.cert
                .aki
                .as_ref()
                .map(|k| format!(", key identifier {k}"))
                .unwrap_or_default(),
            show(&self.file)
        )
    }
}

/// A certificate as messages name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    pub subject: String,
    pub issuer: String,
    /// The authority key identifier, hex with colons, when present.
    pub aki: Option<String>,
    subject_raw: Vec<u8>,
    issuer_raw: Vec<u8>,
    self_issued: bool,
    der: Vec<u8>,
}

impl Described {
    /// The certificate itself, as DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }
}

fn describe_cert(der: &[u8]) -> Described {
    describe_cert_opt(der).unwrap_or(Described {
        subject: "(unreadable)".into(),
        issuer: String::new(),
        aki: None,
        subject_raw: Vec::new(),
        issuer_raw: Vec::new(),
        self_issued: false,
        der: der.to_vec(),
    })
}

fn describe_cert_opt(der: &[u8]) -> Option<Described> {
    let (_, c) = X509Certificate::from_der(der).ok()?;
    let aki = c
        .extensions()
        .iter()
        .find_map(|e| match e.parsed_extension() {
            ParsedExtension::AuthorityKeyIdentifier(a) => a.key_identifier.as_ref().map(|k| {
                k.0.iter()
                    .map(|b| format!("{b:02X}"))
                    .collect::<Vec<_>>()
                    .join(":")
            }),
            _ => None,
        });
    Some(Described {
        subject: c.subject().to_string(),
        issuer: c.issuer().to_string(),
        aki,
        subject_raw: c.subject().as_raw().to_vec(),
        issuer_raw: c.issuer().as_raw().to_vec(),
        self_issued: c.subject().as_raw() == c.issuer().as_raw(),
        der: der.to_vec(),
    })
}

/// Whether the certificate `der` covers each of `names` as rustls clients check it
/// (RFC 6125 wildcards, subjectAltName only, IP addresses by value), the certificate
/// read once; `None` for a name when rustls-webpki cannot read the certificate or the
/// name is no host name, so the caller falls back to its own matcher instead of calling
/// every name uncovered.
pub fn leaf_covers(der: &[u8], names: &[&str]) -> Vec<Option<bool>> {
    let der = CertificateDer::from(der);
    match EndEntityCert::try_from(&der) {
        Ok(ee) => names.iter().map(|n| valid_for(&ee, n)).collect(),
        Err(_) => vec![None; names.len()],
    }
}

/// Whether the validated leaf covers `name` as a client checks it; a wildcard entry
/// (`*.example.com`) stands for the hosts it covers, checked with one of them. `None`
/// when `name` is no host name a client could connect to.
fn valid_for(ee: &EndEntityCert<'_>, name: &str) -> Option<bool> {
    let host = match name.strip_prefix("*.") {
        Some(rest) => format!("certgate-wildcard-probe.{rest}"),
        None => name.to_string(),
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let sn = ServerName::try_from(host.as_str()).ok()?;
    Some(ee.verify_is_valid_for_subject_name(&sn).is_ok())
}

fn algorithm_names(chain: &[&[u8]]) -> String {
    let mut names: Vec<String> = chain
        .iter()
        .filter_map(|d| X509Certificate::from_der(d).ok())
        .map(|(_, c)| crate::input::verify::signature_algorithm_name(&c.signature_algorithm))
        .collect();
    names.dedup();
    names.join(", ")
}

/// The refusal of a self-signed server certificate (one that names itself as issuer and
/// whose signature its own key verifies), in words that say so: "no path to a trust
/// anchor" and "send the intermediates" mislead for the most common test certificate.
/// `None` for any other certificate or error.
fn self_signed(leaf: &[u8], e: &webpki::Error) -> Option<String> {
    let ca = match e {
        webpki::Error::UnknownIssuer => false,
        webpki::Error::CaUsedAsEndEntity => true,
        _ => return None,
    };
    let (_, cert) = X509Certificate::from_der(leaf).ok()?;
    if cert.subject().as_raw() != cert.issuer().as_raw()
        || !crate::input::verify::verify_issued_by(&cert, &cert).is_valid()
    {
        return None;
    }
    Some(if ca {
        "the server certificate is self-signed and a CA certificate (basicConstraints \
         cA=TRUE): clients refuse a CA certificate as a server certificate, and trust a \
         self-signed one only where it is installed"
            .into()
    } else {
        "the server certificate is self-signed: only clients that have it installed as \
         trusted accept it; use a certificate from a CA the clients trust, or, for a \
         private deployment, check with `--trust` naming this certificate"
            .into()
    })
}

/// A validation error as a client's refusal, in words.
fn words(e: &webpki::Error) -> String {
    use webpki::Error as E;
    match e {
        E::UnknownIssuer => "no path from the server certificate to a trust anchor".into(),
        E::CertExpired { .. } => "a certificate of the path has expired".into(),
        E::CertNotValidYet { .. } => "a certificate of the path is not valid yet".into(),
        E::InvalidSignatureForPublicKey => {
            "a signature on the path does not verify with its issuer's key".into()
        }
        E::CaUsedAsEndEntity => "the server certificate is a CA certificate".into(),
        E::EndEntityUsedAsCa => "a certificate that is not a CA issues another".into(),
        E::PathLenConstraintViolated => "a CA's pathLenConstraint is exceeded".into(),
        E::NameConstraintViolation => "a name is outside a CA's name constraints".into(),
        E::MaximumPathDepthExceeded => "the path is longer than clients build".into(),
        E::MaximumSignatureChecksExceeded | E::MaximumPathBuildCallsExceeded => {
            "building the path takes more work than clients allow".into()
        }
        E::BadDer | E::BadDerTime => "a certificate is not valid DER".into(),
        E::ExtensionValueInvalid => "a certificate has an invalid extension value".into(),
        E::UnsupportedCriticalExtension => {
            "a certificate has a critical extension clients do not know".into()
        }
        E::UnsupportedCertVersion => "a certificate is not X.509 version 3".into(),
        E::CertDistrusted => "a certificate of the path is distrusted".into(),
        other => {
            let d = format!("{other:?}");
            if d.starts_with("RequiredEkuNotFound") {
                "a certificate of the path does not allow TLS server authentication \
                 (its extendedKeyUsage lacks serverAuth)"
                    .into()
            } else {
                format!("the path does not validate ({d})")
            }
        }
    }
}
