//! Certificate kinds: validity at the evaluation time, key and signature strength,
//! CA-ness and subjectAltName.

use time::{Duration, OffsetDateTime};

use super::{Ctx, Finding, plural, show};
use crate::input::cert::CertInfo;
use crate::input::key::{Curve, EXPLICIT_PARAMETERS, KeyAlgorithm};
use crate::submission::CertEntry;

/// `2026-01-01 00:00:00 UTC`; a time with a fraction of a second (an `--at` such as
/// `...00.005Z`) keeps it, so that it never reads as equal to a certificate's time.
pub fn when(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let fraction = match t.nanosecond() {
        0 => String::new(),
        n => format!(".{n:09}").trim_end_matches('0').to_string(),
    };
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}{fraction} UTC",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// A time span in the largest whole unit it holds: days, else hours, minutes or
/// seconds, else "less than a second" (never "0 hours").
fn days(d: Duration) -> String {
    let d = d.abs();
    let count = |n: i64| usize::try_from(n).unwrap_or(usize::MAX);
    if d.whole_days() > 0 {
        plural(count(d.whole_days()), "day", "days")
    } else if d.whole_hours() > 0 {
        plural(count(d.whole_hours()), "hour", "hours")
    } else if d.whole_minutes() > 0 {
        plural(count(d.whole_minutes()), "minute", "minutes")
    } else if d.whole_seconds() > 0 {
        plural(count(d.whole_seconds()), "second", "seconds")
    } else {
        "less than a second".to_string()
    }
}

fn certs<'a>(ctx: &Ctx<'a>, at: &str) -> Vec<(&'a CertEntry, &'a CertInfo)> {
    ctx.submission
        .certificates(at)
        .map(|f| f.parsed().collect())
        .unwrap_or_default()
}

fn what(ctx: &Ctx<'_>, at: &str, entry: &CertEntry, c: &CertInfo) -> String {
    format!(
        "certificate {} ({})",
        ctx.cert_no(at, entry.index),
        show(&c.name())
    )
}

/// For a certificate whose notBefore is after its notAfter: it is valid at no time.
fn inverted(c: &CertInfo) -> String {
    if c.not_before > c.not_after {
        format!(
            "; its notBefore {} is after its notAfter {}, so it is valid at no time",
            when(c.not_before),
            when(c.not_after)
        )
    } else {
        String::new()
    }
}

pub fn not_expired(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    // Certificate times have whole seconds and notAfter is inclusive: the whole last
    // second is valid, as clients (rustls-webpki, OpenSSL) compare at that precision.
    let second = ctx.at.replace_nanosecond(0).unwrap_or(ctx.at);
    certs(ctx, at)
        .into_iter()
        .filter(|(_, c)| c.not_after < second)
        .map(|(e, c)| {
            ctx.cert_finding(
                at,
                e,
                format!(
                    "{} expired on {}, {} before the evaluation time {}{}",
                    what(ctx, at, e, c),
                    when(c.not_after),
                    days(ctx.at - c.not_after),
                    when(ctx.at),
                    inverted(c)
                ),
            )
            .value(format!("notAfter {}", when(c.not_after)))
        })
        .collect()
}

pub fn not_yet_valid(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    certs(ctx, at)
        .into_iter()
        .filter(|(_, c)| c.not_before > ctx.at)
        .map(|(e, c)| {
            ctx.cert_finding(
                at,
                e,
                format!(
                    "{} is not valid until {}, {} after the evaluation time {}{}",
                    what(ctx, at, e, c),
                    when(c.not_before),
                    days(c.not_before - ctx.at),
                    when(ctx.at),
                    inverted(c)
                ),
            )
            .value(format!("notBefore {}", when(c.not_before)))
        })
        .collect()
}

pub fn unknown_critical_extension(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    certs(ctx, at)
        .into_iter()
        .flat_map(|(e, c)| {
            c.unknown_critical.iter().map(move |ext| {
                ctx.cert_finding(
                    at,
                    e,
                    format!(
                        "{} has a critical extension certgate does not recognise, {ext}; \
                         a client that does not know it must reject the certificate",
                        what(ctx, at, e, c)
                    ),
                )
                .value(ext.clone())
            })
        })
        .collect()
}

pub fn issuance(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    certs(ctx, at)
        .into_iter()
        .flat_map(|(e, c)| {
            // Encoding rules clients do not enforce first (serial number, times), then
            // the extensions' issuance rules. Each names its RFC 5280 section.
            c.tolerated_encoding
                .iter()
                .chain(c.issuance())
                .map(move |b| ctx.cert_finding(at, e, format!("{} {b}", what(ctx, at, e, c))))
        })
        .collect()
}

pub fn expiring_soon(ctx: &Ctx<'_>, at: &str, within: i64) -> Vec<Finding> {
    // A window past the last representable time (year 9999, or a huge configured
    // window) has no end: every certificate not yet expired is inside it.
    let horizon = within
        .checked_mul(86_400)
        .map(Duration::seconds)
        .and_then(|w| ctx.at.checked_add(w));
    certs(ctx, at)
        .into_iter()
        .filter(|(_, c)| c.not_after >= ctx.at && horizon.is_none_or(|h| c.not_after < h))
        .map(|(e, c)| {
            ctx.cert_finding(at, e,
                format!(
                    "{} expires on {}, {} after the evaluation time (the warning starts {within} days ahead)",
                    what(ctx, at, e, c),
                    when(c.not_after),
                    days(c.not_after - ctx.at)
                ),
            )
            .value(format!("notAfter {}", when(c.not_after)))
        })
        .collect()
}

pub fn weak_key(ctx: &Ctx<'_>, at: &str, min_rsa: usize, min_ec: usize) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(Ok(key)) = ctx.submission.csr(at).and_then(|c| c.key.as_ref()) {
        if let Some(w) = weakness(key, min_rsa, min_ec) {
            out.push(Finding::new(at, format!("the request has {w}")).value(key.to_string()));
        }
        return out;
    }
    for (e, c) in certs(ctx, at) {
        let Ok(key) = &c.key else { continue };
        if let Some(w) = weakness(key, min_rsa, min_ec) {
            out.push(
                ctx.cert_finding(at, e, format!("{} has {w}", what(ctx, at, e, c)))
                    .value(key.to_string()),
            );
        }
    }
    out
}

fn weakness(key: &KeyAlgorithm, min_rsa: usize, min_ec: usize) -> Option<String> {
    match key {
        KeyAlgorithm::Rsa { bits } if (*bits as usize) < min_rsa => Some(format!(
            "an RSA key of {bits} bits (at least {min_rsa} required)"
        )),
        KeyAlgorithm::Ec { bits, .. } if *bits > 0 && (*bits as usize) < min_ec => Some(format!(
            "an EC key on {key} ({bits} bits; at least {min_ec} required)"
        )),
        KeyAlgorithm::Ec {
            curve: Curve::Other(c),
            ..
        } if c == EXPLICIT_PARAMETERS => Some(
            "an EC key with explicit curve parameters instead of a named curve \
             (RFC 5480 allows only named curves in certificates; TLS clients reject such keys)"
                .to_string(),
        ),
        _ => None,
    }
}

pub fn weak_signature(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(csr) = ctx.submission.csr(at) {
        if let (Some(hash), Some(alg)) = (csr.weak_hash, &csr.signature_algorithm) {
            out.push(
                Finding::new(
                    at,
                    format!("the request is signed with {hash} ({alg}); CAs refuse such requests"),
                )
                .value(hash.to_string()),
            );
        }
        return out;
    }
    for (e, c) in certs(ctx, at) {
        // A root's own signature is never checked by clients: its hash does not matter.
        if c.self_issued {
            continue;
        }
        if let Some(hash) = c.weak_hash {
            out.push(
                ctx.cert_finding(
                    at,
                    e,
                    format!(
                        "{} is signed with {hash} ({})",
                        what(ctx, at, e, c),
                        c.signature_algorithm
                    ),
                )
                .value(hash.to_string()),
            );
        }
    }
    out
}

pub fn leaf_is_ca(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let Some(field) = ctx.submission.certificates(at) else {
        return Vec::new();
    };
    // An archive without a private key has no server certificate at all: that is
    // `pkcs12-private-key-entry`'s finding.
    if let Some(a) = ctx.submission.archive(at) {
        if a.contents().is_some_and(|c| c.keys.is_empty()) {
            return Vec::new();
        }
    }
    match field.leaf_entry() {
        Some(e @ CertEntry { parsed: Ok(c), .. }) if c.is_ca == Some(true) => {
            vec![
            ctx.cert_finding(at, e,
                if c.self_issued {
                    // What `openssl req -x509` makes by default: say how to make it right.
                    format!(
                        "the server certificate, {}, is a self-signed CA certificate (basicConstraints cA=TRUE), as `openssl req -x509` makes one unless given `-addext basicConstraints=critical,CA:FALSE`",
                        show(&c.name())
                    )
                } else {
                    format!(
                        "the server certificate, {}, is a CA certificate (basicConstraints cA=TRUE)",
                        show(&c.name())
                    )
                },
            )
            .value("cA=TRUE"),
        ]
        }
        _ => Vec::new(),
    }
}

pub fn no_san(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let Some(field) = ctx.submission.certificates(at) else {
        return Vec::new();
    };
    match field.leaf_entry() {
        Some(e @ CertEntry { parsed: Ok(c), .. }) if !c.has_san => vec![ctx.cert_finding(at, e,
            format!(
                "the server certificate {} has no subjectAltName extension; clients will not match host names against its subject",
                show(&c.name())
            ),
        )],
        _ => Vec::new(),
    }
}

pub fn is_ca(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    certs(ctx, at)
        .into_iter()
        .filter(|(_, c)| c.is_ca != Some(true))
        .map(|(e, c)| {
            let state = match c.is_ca {
                Some(_) => "basicConstraints says cA=FALSE",
                None => "it has no basicConstraints extension",
            };
            ctx.cert_finding(
                at,
                e,
                format!("{} is not a CA certificate: {state}", what(ctx, at, e, c)),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::evaluate;
    use super::super::kind_tests::{body, ctx_with_rules, material, rule_block};

    /// Whether each certificate of `/cert` has its issuance breaches computed after a
    /// run of the rule `kind` on the whole server chain.
    fn issuance_computed_after(kind: &str) -> Vec<bool> {
        let rules = rule_block(
            "r",
            &format!("kind = \"{kind}\"\napplies = \"certificates\""),
        );
        let request = body(&[("cert", &material("server-chain.pem"))]);
        ctx_with_rules(&rules, &request, |ctx| {
            evaluate(ctx);
            let field = ctx
                .submission
                .certificates("/cert")
                .expect("a certificates field");
            field
                .certs
                .iter()
                .map(|c| c.parsed.as_ref().expect("parses").issuance_computed())
                .collect()
        })
    }

    /// Only `cert-issuance` reads the issuance breaches: a run without it (disabled in
    /// certgate.toml, or a profile without it) never computes them.
    #[test]
    fn issuance_breaches_are_computed_only_for_cert_issuance() {
        let without = issuance_computed_after("cert-expired");
        assert!(without.len() > 1, "{without:?}");
        assert!(without.iter().all(|c| !c), "{without:?}");
        let with = issuance_computed_after("cert-issuance");
        assert!(with.iter().all(|c| *c), "{with:?}");
    }
}
