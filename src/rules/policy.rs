//! Kinds that organisations' own policies need (`--rules policy.toml`), beyond what the
//! target APIs document: a maximum validity period for the server certificate.

use super::certs::when;
use super::{Ctx, Finding, show};

/// The leaf (the server's own certificate, wherever the chain puts it) may be valid for
/// at most `max_days` days from notBefore to notAfter.
pub fn max_validity_days(ctx: &Ctx<'_>, at: &str, max_days: i64) -> Vec<Finding> {
    let Some(field) = ctx.submission.certificates(at) else {
        return Vec::new();
    };
    let Some(entry) = field.leaf_entry() else {
        return Vec::new();
    };
    let Ok(cert) = &entry.parsed else {
        return Vec::new();
    };
    let period = cert.not_after - cert.not_before;
    // A period of N days and a few seconds (notAfter at 23:59:59) still counts as N days.
    let days = period.whole_days();
    if days <= max_days {
        return Vec::new();
    }
    vec![
        ctx.cert_finding(at, entry,
            format!(
                "certificate {} ({}) is valid for {days} days, from {} to {}; the policy allows at most {max_days}",
                ctx.cert_no(at, entry.index),
                show(&cert.name()),
                when(cert.not_before),
                when(cert.not_after)
            ),
        )
        .value(format!("{days} days")),
    ]
}
