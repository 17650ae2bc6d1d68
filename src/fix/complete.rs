//! Chain completion for `certgate fix --intermediates`: the intermediates a client needs
//! from the bundle and the upload lacks (the client verdict's `missing`, found by
//! rustls-webpki's path building), each put right after the certificate it issues.

use time::OffsetDateTime;

use crate::input::cert::parse_certificate;
use crate::rules::show;
use crate::trust::{Trust, Verdict};

/// What completing one chain did.
#[derive(Debug, Default)]
pub struct Completed {
    /// The chain with the missing intermediates in place.
    pub chain: Vec<Vec<u8>>,
    /// One line per appended intermediate, for fix's log.
    pub changes: Vec<String>,
    /// Why nothing could be appended, when the bundle was of no use to this chain.
    pub note: Option<String>,
}

/// `chain` (leaf first, as fix ordered it) completed from the trust's extra
/// intermediates. A path that does not validate at `at` gets nothing appended (the
/// check reports why); a chain that lacks nothing is returned as it is.
pub fn complete(chain: Vec<Vec<u8>>, trust: &Trust, at: OffsetDateTime) -> Completed {
    let refs: Vec<&[u8]> = chain.iter().map(Vec::as_slice).collect();
    let missing = match trust.verify(&refs, at, &[]) {
        Verdict::Trusted { missing, .. } => missing,
        Verdict::Untrusted { reason, .. } => {
            return Completed {
                chain,
                changes: Vec::new(),
                note: Some(format!(
                    "no intermediate appended: clients that trust {} refuse this chain even \
                     with the intermediates given: {reason}",
                    trust.describe()
                )),
            };
        }
        Verdict::NotChecked { why } => {
            return Completed {
                chain,
                changes: Vec::new(),
                note: Some(format!("no intermediate appended: {why}")),
            };
        }
    };
    let mut out = chain;
    let mut placed = Vec::new();
    // Path order: each missing intermediate follows a certificate already in `out` (the
    // leaf, an uploaded intermediate, or one inserted in an earlier turn).
    for m in missing {
        let Some(position) = out.iter().position(|c| c.as_slice() == m.follows()) else {
            continue;
        };
        out.insert(position + 1, m.cert.der().to_vec());
        placed.push(m);
    }
    // Positions are counted in the final chain, from 1 as the reports do.
    let changes = placed
        .iter()
        .map(|m| {
            let number = out
                .iter()
                .position(|c| c.as_slice() == m.cert.der())
                .map_or(0, |i| i + 1);
            let issued =
                parse_certificate(m.follows()).map_or_else(|_| "?".to_string(), |c| c.name());
            format!(
                "appended the intermediate {} as certificate {number}, right after {}, which \
                 it issues",
                m.named(),
                show(&issued),
            )
        })
        .collect();
    Completed {
        chain: out,
        changes,
        note: None,
    }
}
