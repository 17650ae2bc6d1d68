//! Certificates as nodes: names normalised and compared, key ids and usage read once,
//! and whether one certificate can have issued another.

use super::*;

pub(super) struct Node<'a> {
    pub(super) idx: usize,
    pub(super) cert: &'a X509Certificate<'a>,
    pub(super) summary: CertSummary,
    pub(super) subject_raw: &'a [u8],
    pub(super) issuer_raw: &'a [u8],
    pub(super) subject_norm: String,
    pub(super) issuer_norm: String,
    pub(super) ski: Option<Vec<u8>>,
    pub(super) aki: Option<Vec<u8>>,
    pub(super) path_len: Option<u32>,
    pub(super) key_cert_sign: Option<bool>,
    /// (serverAuth or any, names) when an EKU extension is present.
    pub(super) eku: Option<(bool, Vec<String>)>,
    pub(super) v1: bool,
}

pub(super) fn normalise(name: &str) -> String {
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

pub(super) fn name_string(name: &X509Name) -> String {
    name.to_string()
}

pub(super) fn names_match(raw_a: &[u8], norm_a: &str, raw_b: &[u8], norm_b: &str) -> bool {
    // An empty name (DER `30 00`) matches nothing.
    (raw_a.len() > 2 && raw_a == raw_b) || (!norm_a.is_empty() && norm_a == norm_b)
}

pub(super) fn build_node<'a>(
    idx: usize,
    cert: &'a X509Certificate<'a>,
    info: Option<&CertInfo>,
) -> Node<'a> {
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
pub(super) fn match_issuer(child: &Node, issuer: &Node) -> Option<MatchedBy> {
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
