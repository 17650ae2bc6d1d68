//! Private-key kinds: encryption, key/certificate match, declared algorithm.

use super::{Ctx, Finding, show};
use crate::input::key::{KeyAlgorithm, KeyMatch, ParsedKey, PrivateKey, key_matches_spki};
use crate::request::FieldValue;

fn plain_key<'a>(ctx: &Ctx<'a>, at: &str) -> Option<&'a PrivateKey> {
    match ctx.submission.private_key(at)?.key.as_ref()? {
        Ok(ParsedKey::Plain(k)) => Some(k),
        _ => None,
    }
}

pub fn encrypted(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    match ctx.submission.private_key(at).and_then(|k| k.key.as_ref()) {
        Some(Ok(ParsedKey::Encrypted(info))) => vec![Finding::new(
            at,
            format!("the private key is encrypted: {info}; the API takes an unencrypted key"),
        )],
        _ => Vec::new(),
    }
}

pub fn matches_certificate(ctx: &Ctx<'_>, at: &str, certificate: Option<&str>) -> Vec<Finding> {
    let Some(key) = plain_key(ctx, at) else {
        return Vec::new();
    };
    // A key-and-certificates field pairs its key with its own certificates.
    let own = ctx.submission.certificates(at).map(|_| at);
    let cert_ptr = certificate.or_else(|| {
        ctx.profile
            .active_field(at, ctx.request)
            .and_then(|f| f.certificate.as_deref())
            .or(own)
    });
    let Some((cert_ptr, field)) = cert_ptr.and_then(|p| Some((p, ctx.submission.certificates(p)?)))
    else {
        return Vec::new();
    };
    let Some(leaf) = field.leaf() else {
        return Vec::new();
    };
    match key_matches_spki(key, &leaf.spki_der) {
        KeyMatch::Match => Vec::new(),
        // A certificate whose key cannot be read is `der-malformed`'s finding.
        KeyMatch::Invalid(_) => Vec::new(),
        // Not a finding: nothing is known to be wrong, and nothing was compared.
        KeyMatch::Unsupported(why) => vec![
            Finding::new(
                at,
                format!("certgate cannot compare this private key with the certificate: {why}"),
            )
            .not_checked(),
        ],
        KeyMatch::Mismatch { key: k, cert: c } => {
            let mut message = format!(
                "the private key ({k}) does not belong to the server certificate {} (whose key is {c})",
                show(&leaf.name())
            );
            // The usual cause: the key is right, the chain order is not.
            let other = field
                .parsed()
                .find(|(_, cert)| matches!(key_matches_spki(key, &cert.spki_der), KeyMatch::Match));
            if let Some((e, cert)) = other {
                message.push_str(&format!(
                    "; it matches certificate {} ({}), which is not the leaf of this chain",
                    ctx.cert_no(cert_ptr, e.index),
                    show(&cert.name())
                ));
            }
            vec![Finding::new(at, message)]
        }
    }
}

/// The `algorithm_type` value a key calls for.
fn declared_for(key: &KeyAlgorithm) -> Option<&'static str> {
    match key {
        KeyAlgorithm::Rsa { .. } => Some("RSA"),
        KeyAlgorithm::Sm2 => Some("SM2"),
        KeyAlgorithm::Ec { .. } => Some("ECC"),
        _ => None,
    }
}

pub fn algorithm_matches(
    ctx: &Ctx<'_>,
    at: &str,
    certificate: &str,
    default: &str,
) -> Vec<Finding> {
    let declared = match ctx.request.field(at) {
        FieldValue::Text(s) => s,
        FieldValue::Absent | FieldValue::Null => default,
        _ => return Vec::new(),
    };
    if !["RSA", "ECC", "SM2"].contains(&declared) {
        // Not a valid value at all: `algorithm-enum` says so.
        return Vec::new();
    }
    let Some(leaf) = ctx
        .submission
        .certificates(certificate)
        .and_then(|f| f.leaf())
    else {
        return Vec::new();
    };
    let Ok(key) = &leaf.key else {
        return Vec::new();
    };
    let implicit = if ctx.request.field(at).is_present() {
        String::new()
    } else {
        format!(" (absent, so {default})")
    };
    match declared_for(key) {
        Some(want) if want == declared => Vec::new(),
        Some(want) => vec![
            Finding::new(
                at,
                format!(
                    "`{}` is {declared}{implicit}, but the certificate in `{}` has an {key} key: use \"{want}\"",
                    super::fields::field_name(at),
                    certificate.trim_start_matches('/')
                ),
            )
            .value(declared.to_string()),
        ],
        None => vec![
            Finding::new(
                at,
                format!(
                    "the certificate in `{}` has an {key} key, which is none of RSA, ECC or SM2",
                    certificate.trim_start_matches('/')
                ),
            )
            .value(declared.to_string()),
        ],
    }
}
