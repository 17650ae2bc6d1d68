//! Issuance rules of RFC 5280 and the CA/Browser Forum Baseline Requirements that a
//! certificate breaks while clients still accept it: rules for the CA that issued it,
//! not for the client that validates it. Each is a clause that follows
//! "certificate N (name) ...", naming the rule.

use std::net::IpAddr;

use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::oid_registry::{
    OID_X509_COMMON_NAME, OID_X509_EXT_AUTHORITY_KEY_IDENTIFIER, OID_X509_EXT_NAME_CONSTRAINTS,
    OID_X509_EXT_SUBJECT_ALT_NAME, OID_X509_EXT_SUBJECT_KEY_IDENTIFIER,
};
use x509_parser::prelude::X509Certificate;

use crate::rules::show;

/// The issuance rules `cert` breaks. `is_ca` is basicConstraints cA.
pub fn breaches(cert: &X509Certificate<'_>, is_ca: bool) -> Vec<String> {
    let mut out = Vec::new();
    let ext = |oid| cert.extensions().iter().find(|e| e.oid == oid);
    let self_issued = cert.subject().as_raw() == cert.issuer().as_raw();

    match ext(OID_X509_EXT_AUTHORITY_KEY_IDENTIFIER) {
        None if !self_issued => out.push(
            "has no authorityKeyIdentifier; RFC 5280 4.2.1.1 requires one in every \
             certificate but a self-signed one"
                .to_string(),
        ),
        Some(e) => {
            if e.critical {
                out.push(
                    "marks its authorityKeyIdentifier critical; RFC 5280 4.2.1.1 requires \
                     it non-critical"
                        .to_string(),
                );
            }
            if let ParsedExtension::AuthorityKeyIdentifier(aki) = e.parsed_extension() {
                if aki.key_identifier.is_none() && !self_issued {
                    out.push(
                        "has an authorityKeyIdentifier without keyIdentifier; RFC 5280 \
                         4.2.1.1 requires the keyIdentifier field"
                            .to_string(),
                    );
                }
            }
        }
        None => {}
    }

    match ext(OID_X509_EXT_SUBJECT_KEY_IDENTIFIER) {
        None if is_ca => out.push(
            "is a CA without subjectKeyIdentifier; RFC 5280 4.2.1.2 requires one in every \
             CA certificate"
                .to_string(),
        ),
        Some(e) if e.critical => out.push(
            "marks its subjectKeyIdentifier critical; RFC 5280 4.2.1.2 requires it \
             non-critical"
                .to_string(),
        ),
        _ => {}
    }

    let empty_subject = cert.subject().iter().next().is_none();
    if is_ca && empty_subject {
        out.push(
            "is a CA with an empty subject; RFC 5280 4.1.2.6 requires a CA's subject to be \
             a non-empty distinguished name"
                .to_string(),
        );
    }
    if let Some(san) = ext(OID_X509_EXT_SUBJECT_ALT_NAME) {
        if empty_subject && !san.critical {
            out.push(
                "has an empty subject and a non-critical subjectAltName; RFC 5280 4.2.1.6 \
                 requires subjectAltName critical when the subject is empty"
                    .to_string(),
            );
        }
        if !empty_subject && san.critical {
            out.push(
                "marks its subjectAltName critical although the subject is not empty; the \
                 Baseline Requirements (7.1.2.7.12) require it non-critical then"
                    .to_string(),
            );
        }
        if let ParsedExtension::SubjectAlternativeName(names) = san.parsed_extension() {
            if let Some(bad) = names.general_names.iter().find_map(|g| match g {
                // A non-ASCII dNSName is no IA5String: der-malformed's finding.
                GeneralName::DNSName(n) if n.is_ascii() && !preferred_syntax(n) => Some(*n),
                _ => None,
            }) {
                out.push(format!(
                    "has the subjectAltName dNSName {}, outside the preferred name syntax \
                     (letters, digits and hyphens in dot-separated labels; a leading `*.` \
                     for a wildcard) RFC 5280 4.2.1.6 requires",
                    show(bad)
                ));
            }
        }
    }

    if let Some(nc) = ext(OID_X509_EXT_NAME_CONSTRAINTS) {
        if !is_ca {
            out.push(
                "is no CA but has nameConstraints; RFC 5280 4.2.1.10 allows them only in CA \
                 certificates"
                    .to_string(),
            );
        }
        if let ParsedExtension::NameConstraints(c) = nc.parsed_extension() {
            let permitted = c.permitted_subtrees.as_deref().unwrap_or_default();
            let excluded = c.excluded_subtrees.as_deref().unwrap_or_default();
            if permitted.is_empty() && excluded.is_empty() {
                out.push(
                    "has nameConstraints with neither permittedSubtrees nor \
                     excludedSubtrees; RFC 5280 4.2.1.10 requires at least one, and \
                     neither may be empty"
                        .to_string(),
                );
            }
            let dotted = permitted
                .iter()
                .chain(excluded)
                .find_map(|s| match &s.base {
                    GeneralName::DNSName(n) if n.starts_with('.') => Some(*n),
                    _ => None,
                });
            if let Some(n) = dotted {
                out.push(format!(
                    "has the dNSName name constraint {}, with a leading period; RFC 5280 \
                     4.2.1.10 writes a DNS constraint as a domain name (`example.com` \
                     covers its subdomains; the leading period is the URI form)",
                    show(n)
                ));
            }
        }
    }

    if !is_ca {
        if let Some(cn) = cn_not_in_san(cert) {
            out.push(format!(
                "has the common name {}, which is no character-for-character copy of a \
                 subjectAltName entry, as the Baseline Requirements (7.1.4.3) require \
                 (clients ignore the common name and match subjectAltName only)",
                show(&cn)
            ));
        }
    }
    out
}

/// RFC 1034's preferred name syntax as RFC 5280 4.2.1.6 applies it: dot-separated
/// labels of letters, digits and inner hyphens; a leading `*` label for a wildcard.
fn preferred_syntax(name: &str) -> bool {
    let name = name.strip_prefix("*.").unwrap_or(name);
    !name.is_empty()
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// The first common name that copies no subjectAltName entry: a dNSName byte for byte,
/// or an iPAddress in its canonical text (dotted decimal; RFC 5952 for IPv6, which is
/// how Rust prints an address). `None` without a subjectAltName (no-san's finding).
fn cn_not_in_san(cert: &X509Certificate<'_>) -> Option<String> {
    let san = cert.subject_alternative_name().ok()??;
    let entries: Vec<String> = san
        .value
        .general_names
        .iter()
        .filter_map(|g| match g {
            GeneralName::DNSName(n) => Some((*n).to_string()),
            GeneralName::IPAddress(b) => ip_text(b),
            _ => None,
        })
        .collect();
    cert.subject()
        .iter_by_oid(&OID_X509_COMMON_NAME)
        .filter_map(|a| a.as_str().ok())
        .find(|cn| !entries.iter().any(|e| e == cn))
        .map(str::to_string)
}

fn ip_text(bytes: &[u8]) -> Option<String> {
    let ip: IpAddr = match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes).ok()?.into(),
        16 => <[u8; 16]>::try_from(bytes).ok()?.into(),
        _ => return None,
    };
    Some(ip.to_string())
}

#[cfg(test)]
mod tests {
    use super::preferred_syntax;

    #[test]
    fn preferred_name_syntax() {
        assert!(preferred_syntax("www.example.com"));
        assert!(preferred_syntax("*.example.com"));
        assert!(preferred_syntax("xn--bcher-kva.example"));
        assert!(!preferred_syntax("foo_bar.example.com"));
        assert!(!preferred_syntax("-a.example.com"));
        assert!(!preferred_syntax("a..example.com"));
        assert!(!preferred_syntax("*"));
        assert!(!preferred_syntax("w*.example.com"));
    }
}
