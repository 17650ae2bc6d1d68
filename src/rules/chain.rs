//! Chain kinds: depth, order, links, duplicates, completeness and key usage of a
//! certificates field, all read from the field's one chain analysis.

use super::{Ctx, Finding, plural, show};
use crate::catalogue::UsageKind;
use crate::input::chain::{ChainAnalysis, UsageProblem};
use crate::input::verify::Verification;
use crate::report::Severity;
use crate::trust::Verdict;

fn analysis<'a>(ctx: &Ctx<'a>, at: &str) -> Option<&'a ChainAnalysis> {
    ctx.submission.certificates(at)?.chain.as_ref()
}

/// A finding about certificate `index` of the field at `at`.
fn at_cert(ctx: &Ctx<'_>, at: &str, index: usize, message: String) -> Finding {
    Finding::new(format!("{at}/{index}"), message).item(ctx.cert_item(at, index))
}

pub fn depth(ctx: &Ctx<'_>, at: &str, max: usize) -> Vec<Finding> {
    let Some(field) = ctx.submission.certificates(at) else {
        return Vec::new();
    };
    let n = field.certs.len();
    if n <= max {
        return Vec::new();
    }
    vec![
        Finding::new(
            at,
            format!(
                "{} holds {}, {} over the limit of {max} (leaf plus chain)",
                ctx.words("the field", "the file"),
                plural(n, "certificate", "certificates"),
                n - max
            ),
        )
        .value(format!("{n} certificates")),
    ]
}

pub fn duplicate(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let Some(a) = analysis(ctx, at) else {
        return Vec::new();
    };
    a.duplicates
        .iter()
        .map(|(later, first)| {
            at_cert(
                ctx,
                at,
                *later,
                format!(
                    "certificate {} repeats certificate {} ({})",
                    ctx.cert_no(at, *later),
                    ctx.cert_no(at, *first),
                    show(&a.label(*later))
                ),
            )
        })
        .collect()
}

pub fn order(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let Some(a) = analysis(ctx, at) else {
        return Vec::new();
    };
    if a.order_ok || a.proposed_order.len() < 2 {
        return Vec::new();
    }
    // A field of issuers only (a separate chain field) has no leaf to put first.
    let rule = if ctx.is_server_leaf_field(at) {
        "leaf first, then each issuer"
    } else {
        "each certificate followed by its issuer"
    };
    vec![Finding::new(
        at,
        format!(
            "the chain is not in order ({rule}); expected: {}",
            a.expected_order()
        ),
    )]
}

pub fn broken(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let Some(a) = analysis(ctx, at) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for link in &a.links {
        let message = match &link.verification {
            Verification::Valid => continue,
            Verification::Invalid => format!(
                "certificate {} ({}) names certificate {} ({}) as its issuer, but its signature does not verify with that certificate's key: a different key signed it (a forged or re-keyed intermediate)",
                ctx.cert_no(at, link.child),
                show(&link.child_subject),
                ctx.cert_no(at, link.issuer),
                show(&link.issuer_subject)
            ),
            Verification::ValidSm2EmptyId => {
                out.push(
                    at_cert(ctx, at, link.child,
                        format!(
                            "certificate {} ({}) verifies only with the empty SM2 signer ID (OpenSSL 3.0's default without -sigopt distid), not the standard ID 1234567812345678; GM/T clients may reject it",
                            ctx.cert_no(at, link.child),
                            show(&link.child_subject)
                        ),
                    )
                    .severity(Severity::Warning),
                );
                continue;
            }
            // Not a link problem: der-malformed reports the certificate's two
            // algorithms, and no key is to blame.
            Verification::Unsupported { .. }
                if a.cert(link.child)
                    .is_some_and(|c| c.signature_algorithms_differ) =>
            {
                continue;
            }
            Verification::Unsupported { algorithm, reason } => {
                out.push(
                    at_cert(ctx, at, link.child,
                        format!(
                            "certgate cannot verify the signature of certificate {} ({}) by {}: {algorithm}: {reason}; the link is not proven",
                            ctx.cert_no(at, link.child),
                            show(&link.child_subject),
                            show(&link.issuer_subject)
                        ),
                    )
                    .severity(Severity::Warning),
                );
                continue;
            }
        };
        out.push(at_cert(ctx, at, link.child, message));
    }
    for gap in a
        .gaps
        .iter()
        .filter(|g| g.on_leaf_path && g.more_certs_present)
    {
        let aki = gap
            .aki
            .as_ref()
            .map(|k| format!(", key identifier {k}"))
            .unwrap_or_default();
        out.push(at_cert(ctx, at, gap.cert,
            format!(
                "certificate {} ({}) is not followed by its issuer: {} ({}{aki}) is missing from the chain, so the certificates after it do not connect",
                ctx.cert_no(at, gap.cert),
                show(&gap.cert_subject),
                show(&gap.issuer),
                "an intermediate CA"
            ),
        ));
    }
    for c in &a.cycles {
        out.push(at_cert(ctx, at, c.cert,
            format!(
                "certificate {} ({}) and certificate {} ({}) name each other as issuer: a loop, not a chain",
                ctx.cert_no(at, c.cert),
                show(&c.cert_subject),
                ctx.cert_no(at, c.issuer),
                show(&c.issuer_subject)
            ),
        ));
    }
    out
}

pub fn incomplete(ctx: &Ctx<'_>, at: &str, chain: Option<&str>) -> Vec<Finding> {
    let Some(a) = analysis(ctx, at) else {
        return Vec::new();
    };
    // Issuers in their own field: the server certificate is not sent alone (whether
    // they lead to it is `chain-untrusted`'s verdict, their own order `chain-broken`'s).
    if chain
        .and_then(|p| ctx.submission.certificates(p))
        .is_some_and(|f| !f.certs.is_empty())
    {
        return Vec::new();
    }
    // A gap inside the chain is `chain-broken`. A chain that stops below a root after
    // one or more intermediates is the norm (roots are omitted); only a leaf sent
    // without any issuer is worth a note, and only when the client verdict could not
    // say whether clients have that issuer (chain-untrusted says it otherwise).
    let found: Vec<Finding> = a
        .gaps
        .iter()
        .filter(|g| g.on_leaf_path && !g.more_certs_present && Some(g.cert) == a.leaf())
        .map(|g| {
            let aki = g
                .aki
                .as_ref()
                .map(|k| format!(" (key identifier {k})"))
                .unwrap_or_default();
            at_cert(ctx, at, g.cert,
                format!(
                    "{}{}{}{}{aki}: fine when that issuer is a root in the clients' trust stores; otherwise append the intermediate CA certificate(s)",
                    ctx.words(
                        "only the server certificate ",
                        "the file holds only the server certificate "
                    ),
                    show(&g.cert_subject),
                    ctx.words(" is uploaded, without its issuer ", ", without its issuer "),
                    show(&g.issuer)
                ),
            )
        })
        .collect();
    // A run without chain-untrusted (disabled in certgate.toml) keeps this note. The
    // verdict asked for here is chain-untrusted's own (`ctx.verdicts`): not run twice.
    let verdict_reported = ctx
        .profile
        .rules
        .iter()
        .any(|r| matches!(r.check, crate::catalogue::Check::ChainUntrusted(_)));
    if found.is_empty()
        || (verdict_reported
            && !matches!(
                verdict(ctx, at, None, Sent::default()),
                Some(Verdict::NotChecked { .. })
            ))
    {
        return Vec::new();
    }
    found
}

/// How the server sends a field's certificates: with the separate chain field at
/// `chain` after them, and (`chain_replaces`) only the field's first certificate when
/// that chain field is given.
#[derive(Clone, Copy, Default)]
pub struct Sent<'a> {
    pub chain: Option<&'a str>,
    pub chain_replaces: bool,
}

/// The client verdict on the certificates of the field at `at` (then those of the
/// separate chain field at `chain`) as the server sends them, with the names at `names`
/// (a comma-separated list); `None` when there is nothing to
/// judge (no field, or a server certificate that does not parse: der-malformed's finding).
fn verdict<'a>(ctx: &Ctx<'a>, at: &str, names: Option<&str>, sent: Sent<'_>) -> Option<Verdict> {
    let field = ctx.submission.certificates(at)?;
    if field.certs.first().is_none_or(|c| c.parsed.is_err()) {
        return None;
    }
    // An API with a separate chain field sends its certificates after the server's.
    let issuers = sent
        .chain
        .and_then(|p| ctx.submission.certificates(p))
        .map(|f| f.certs.as_slice())
        .unwrap_or_default();
    // Some APIs keep only the server certificate of the field once a chain is given.
    let own = if sent.chain_replaces && !issuers.is_empty() {
        field.certs.get(..1).unwrap_or_default()
    } else {
        field.certs.as_slice()
    };
    let ders: Vec<&'a [u8]> = own
        .iter()
        .chain(issuers)
        .filter_map(|c| c.parsed.as_ref().ok().map(|p| p.der.as_slice()))
        .collect();
    let listed: Vec<String> = names
        .and_then(|p| ctx.request.field(p).as_text())
        .map(|t| t.split(',').map(|n| n.trim().to_string()).collect())
        .unwrap_or_default();
    let leaf = ders.first().copied().unwrap_or_default();
    let path = ctx
        .verdicts
        .path(ders, |chain| ctx.trust.verify_path(chain, ctx.at));
    Some(path.with_names(leaf, &listed))
}

/// How many certificates of the field at `at` the API drops because the chain field
/// replaces them (`chain-replaces`), when any.
fn dropped(ctx: &Ctx<'_>, at: &str, sent: Sent<'_>) -> Option<usize> {
    let given = sent
        .chain
        .and_then(|p| ctx.submission.certificates(p))
        .is_some_and(|f| !f.certs.is_empty());
    let n = ctx
        .submission
        .certificates(at)?
        .certs
        .len()
        .saturating_sub(1);
    (sent.chain_replaces && given && n > 0).then_some(n)
}

pub fn root_included(ctx: &Ctx<'_>, at: &str, issuers_only: bool) -> Vec<Finding> {
    let Some(a) = analysis(ctx, at) else {
        return Vec::new();
    };
    // The analysis takes the first certificate for a leaf, and a self-signed leaf is no
    // root sent along; in a field of issuers only, a lone self-signed one is the root.
    let lone_root = || {
        a.root_signature.as_ref()?;
        a.segments
            .first()
            .filter(|s| s.len() == 1)?
            .first()
            .copied()
    };
    a.root_included
        .or_else(|| issuers_only.then(lone_root).flatten())
        .map(|i| {
            at_cert(ctx, at, i,
                format!(
                    "certificate {} ({}) is a self-signed root; clients have it already, so servers need not send it",
                    ctx.cert_no(at, i),
                    show(&a.label(i))
                ),
            )
        })
        .into_iter()
        .collect()
}

pub fn usage(ctx: &Ctx<'_>, at: &str, kind: UsageKind) -> Vec<Finding> {
    let Some(a) = analysis(ctx, at) else {
        return Vec::new();
    };
    a.usage_problems
        .iter()
        .filter(|p| {
            matches!(
                (kind, p),
                (UsageKind::IssuerCa, UsageProblem::IssuerNotCa { .. })
                    | (
                        UsageKind::IssuerCa,
                        UsageProblem::IssuerWithoutKeyCertSign { .. }
                    )
                    | (
                        UsageKind::IssuerCa,
                        UsageProblem::KeyCertSignWithoutCa { .. }
                    )
                    | (
                        UsageKind::ServerAuth,
                        UsageProblem::LeafWithoutServerAuth { .. }
                            | UsageProblem::IssuerWithoutServerAuth { .. }
                    )
                    | (UsageKind::PathLen, UsageProblem::PathLenExceeded { .. })
            )
        })
        .map(|p| {
            let finding = at_cert(ctx, at, p.cert(), p.to_string());
            match p {
                // Lenient clients (rustls-webpki) accept such a leaf and strict ones
                // refuse it; no upload API is known to: a warning, not an error.
                UsageProblem::KeyCertSignWithoutCa { .. } => finding.severity(Severity::Warning),
                _ => finding,
            }
        })
        .collect()
}

/// The client verdict (`crate::trust`): the path a client builds from the certificates
/// as the server sends them (field order) to the run's trust anchors.
pub fn chain_trusted(ctx: &Ctx<'_>, at: &str, names: Option<&str>, sent: Sent<'_>) -> Vec<Finding> {
    // A server certificate that does not parse is der-malformed's finding; clients
    // would refuse it too, for the same reason.
    let Some(verdict) = verdict(ctx, at, names, sent) else {
        return Vec::new();
    };
    let names_at = names.unwrap_or_default();
    let anchors = ctx.trust.describe();
    match verdict {
        Verdict::Trusted {
            missing,
            mismatched,
        } => {
            let mut out: Vec<Finding> = missing
                .iter()
                .map(|m| {
                    Finding::new(
                        at,
                        format!(
                            "clients that trust {anchors} build the path only with the \
                             intermediate {}, which the chain lacks: servers must send it, \
                             so append it",
                            m.named()
                        ),
                    )
                    .value(m.cert.subject.clone())
                })
                .collect();
            out.extend(mismatched.iter().map(|n| {
                Finding::new(
                    names_at,
                    format!(
                        "clients connecting to {} refuse the validated server certificate: \
                         its names do not cover it",
                        show(n)
                    ),
                )
                .value(n.clone())
            }));
            out
        }
        Verdict::Untrusted { reason, stop } => {
            let mut message = format!("clients that trust {anchors} refuse this chain: {reason}");
            if let Some(s) = stop {
                message.push_str(&format!(
                    "; the path stops at {}{}, whose issuer {} is neither sent nor a trust \
                     anchor",
                    show(&s.subject),
                    s.aki
                        .as_ref()
                        .map(|k| format!(" (authority key identifier {k})"))
                        .unwrap_or_default(),
                    show(&s.issuer)
                ));
            }
            if let Some(dropped) = dropped(ctx, at, sent) {
                message.push_str(&format!(
                    " (the API keeps only the first certificate of `{}` when `{}` is given, \
                     so the {} after it are not sent)",
                    super::fields::field_name(at),
                    super::fields::field_name(sent.chain.unwrap_or_default()),
                    plural(dropped, "certificate", "certificates")
                ));
            }
            vec![Finding::new(at, message)]
        }
        Verdict::NotChecked { why } => vec![
            Finding::new(at, format!("client verdict not computed: {why}"))
                .severity(Severity::Info)
                .not_checked(),
        ],
    }
}

#[cfg(test)]
mod root_included_tests {
    use super::super::kind_tests::{body, material, run};

    const CHAIN_FIELD: &str = "kind = \"chain-root-included\"\nat = \"/chain\"\n";
    const ISSUERS_ONLY: &str =
        "kind = \"chain-root-included\"\nat = \"/chain\"\nissuers-only = true\n";

    fn request(chain: &str) -> String {
        body(&[("cert", &material("server.pem")), ("chain", chain)])
    }

    #[test]
    fn issuers_without_their_root_pass() {
        let issuers = material("int2-ca.pem") + &material("int1-ca.pem");
        assert!(run(ISSUERS_ONLY, &request(&issuers)).is_empty());
        assert!(run(ISSUERS_ONLY, &request(&material("int1-ca.pem"))).is_empty());
    }

    #[test]
    fn issuers_with_their_root_are_reported_at_the_root() {
        let issuers = material("int2-ca.pem") + &material("int1-ca.pem") + &material("root-ca.pem");
        for rule in [CHAIN_FIELD, ISSUERS_ONLY] {
            let d = run(rule, &request(&issuers));
            assert_eq!(d.len(), 1, "{rule}");
            assert_eq!(d[0].location, "/chain/2");
            assert!(
                d[0].message.contains("is a self-signed root"),
                "{}",
                d[0].message
            );
        }
    }

    #[test]
    fn a_lone_root_is_a_root_only_in_a_field_of_issuers() {
        let root = material("root-ca.pem");
        // Alone in a field whose first certificate may be a self-signed leaf: not reported.
        assert!(run(CHAIN_FIELD, &request(&root)).is_empty());
        let d = run(ISSUERS_ONLY, &request(&root));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].location, "/chain/0");
        // A lone certificate that is not self-issued is no root.
        assert!(run(ISSUERS_ONLY, &request(&material("int2-ca.pem"))).is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::super::evaluate;
    use super::super::kind_tests::{body, ctx_with_rules, material, rule_block};

    /// A server certificate sent alone: chain-untrusted reports the verdict and
    /// chain-incomplete asks whether it was computed, from one path validation.
    #[test]
    fn a_leaf_sent_alone_is_validated_once() {
        let rules = [
            rule_block("untrusted", "kind = \"chain-untrusted\"\napplies = \"server-leaf\"\nnames = \"/name\"\nchain = \"/chain\""),
            rule_block("incomplete", "kind = \"chain-incomplete\"\napplies = \"server-leaf\"\nchain = \"/chain\""),
        ]
        .concat();
        let request = body(&[
            ("name", "www.example.com"),
            ("cert", &material("server.pem")),
        ]);
        ctx_with_rules(&rules, &request, |ctx| {
            let ids: Vec<String> = evaluate(ctx).into_iter().map(|d| d.rule).collect();
            // Issued by the test roots, not Mozilla's: a verdict, so no chain-incomplete.
            assert_eq!(ids, ["untrusted"]);
            assert_eq!(ctx.verdicts.validations(), 1);
        });
    }
}
