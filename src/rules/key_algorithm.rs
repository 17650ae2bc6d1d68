//! `key-algorithm`: the server certificate's key (or a private key) is of an
//! algorithm and size the API lists, for APIs that take only some RSA sizes and curves.

use super::fields::field_name;
use super::{Ctx, Finding, show};
use crate::input::key::{KeyAlgorithm, ParsedKey};

/// Which keys an instance accepts.
pub struct Accepted<'a> {
    /// RSA of any size (the API names the algorithm, not the sizes).
    pub rsa_any_size: bool,
    pub rsa_bits: &'a [usize],
    pub ec_curves: &'a [String],
    /// Who takes only these keys, in the message ("the API", or a service).
    pub service: &'a str,
}

/// "RSA-2048, RSA-4096 or EC P-256".
fn accepted(a: &Accepted<'_>) -> String {
    let rsa: Vec<String> = if a.rsa_any_size {
        vec!["RSA (any size)".to_string()]
    } else {
        a.rsa_bits.iter().map(|b| format!("RSA-{b}")).collect()
    };
    let all: Vec<String> = rsa
        .into_iter()
        .chain(a.ec_curves.iter().map(|c| format!("EC {c}")))
        .collect();
    match all.split_last() {
        None => "no RSA or EC key".to_string(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

fn allowed(key: &KeyAlgorithm, a: &Accepted<'_>) -> bool {
    match key {
        KeyAlgorithm::Rsa { bits } => {
            a.rsa_any_size || a.rsa_bits.iter().any(|b| *b as u64 == u64::from(*bits))
        }
        KeyAlgorithm::Ec { curve, .. } => a.ec_curves.iter().any(|c| *c == curve.name()),
        _ => false,
    }
}

pub fn key_algorithm(
    ctx: &Ctx<'_>,
    at: &str,
    accepts: &Accepted<'_>,
    note: Option<&str>,
) -> Vec<Finding> {
    // A private-key field: its key. A certificates field: its server certificate's key,
    // the one the API pairs with the private key.
    let (what, key, finding) = if let Some(k) = ctx.submission.private_key(at) {
        let Some(Ok(ParsedKey::Plain(key))) = k.key.as_ref() else {
            return Vec::new();
        };
        (
            "the private key".to_string(),
            key.algorithm(),
            Finding::new(at, ""),
        )
    } else if let Some(field) = ctx.submission.certificates(at) {
        let Some((entry, cert)) = field
            .leaf_entry()
            .and_then(|e| Some((e, e.parsed.as_ref().ok()?)))
        else {
            return Vec::new();
        };
        // A key certgate cannot read is `der-malformed`'s finding.
        let Ok(key) = &cert.key else {
            return Vec::new();
        };
        (
            format!(
                "the key of certificate {} ({})",
                ctx.cert_no(at, entry.index),
                show(&cert.name())
            ),
            key.clone(),
            ctx.cert_finding(at, entry, ""),
        )
    } else {
        return Vec::new();
    };
    if allowed(&key, accepts) {
        return Vec::new();
    }
    let mut message = format!(
        "`{}`: {what} is {key}; {} takes {}",
        field_name(at),
        accepts.service,
        accepted(accepts)
    );
    if let Some(n) = note {
        message.push_str(". ");
        message.push_str(n);
    }
    let mut finding = finding.value(key.to_string());
    finding.message = message;
    vec![finding]
}

#[cfg(test)]
mod tests {
    use super::super::kind_tests::{body, material, run};

    const RULE: &str = "kind = \"key-algorithm\"\nat = \"/cert\"\nrsa-bits = [2048, 4096]\n\
                        ec-curves = [\"P-256\", \"P-384\"]\n";

    #[test]
    fn listed_algorithms_pass() {
        assert!(run(RULE, &body(&[("cert", &material("server.pem"))])).is_empty());
        assert!(run(RULE, &body(&[("cert", &material("ec-p256.pem"))])).is_empty());
        assert!(run(RULE, &body(&[("cert", &material("ec-p384.pem"))])).is_empty());
    }

    #[test]
    fn an_unlisted_curve_or_size_is_named() {
        let d = run(RULE, &body(&[("cert", &material("ec-p521.pem"))]));
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message
                .starts_with("`cert`: the key of certificate 1 ("),
            "{}",
            d[0].message
        );
        assert!(
            d[0].message
                .ends_with(") is EC P-521; the API takes RSA-2048, RSA-4096, EC P-256 or EC P-384"),
            "{}",
            d[0].message
        );
        let d = run(RULE, &body(&[("cert", &material("rsa1024.pem"))]));
        assert!(d[0].message.contains(") is RSA-1024;"), "{}", d[0].message);
        let d = run(RULE, &body(&[("cert", &material("ed25519.pem"))]));
        assert!(d[0].message.contains(") is Ed25519;"), "{}", d[0].message);
    }

    #[test]
    fn a_private_key_field_is_checked_by_its_own_key() {
        let rule = "kind = \"key-algorithm\"\nat = \"/key\"\nrsa-bits = [2048]\nec-curves = []\n";
        assert!(run(rule, &body(&[("key", &material("server.key"))])).is_empty());
        let d = run(rule, &body(&[("key", &material("ec-p256.key"))]));
        assert_eq!(
            d[0].message,
            "`key`: the private key is EC P-256; the API takes RSA-2048"
        );
    }

    #[test]
    fn a_service_that_uses_the_stored_key_is_named_instead_of_the_api() {
        let rule = "kind = \"key-algorithm\"\nat = \"/key\"\nrsa-bits = [2048]\nec-curves = []\n\
                    service = \"CloudFront\"\n";
        let d = run(rule, &body(&[("key", &material("ec-p256.key"))]));
        assert_eq!(
            d[0].message,
            "`key`: the private key is EC P-256; CloudFront takes RSA-2048"
        );
    }
}
