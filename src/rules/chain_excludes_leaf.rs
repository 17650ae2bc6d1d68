//! `chain-excludes-leaf`: a chain field, beside a field of its own for the server
//! certificate, does not repeat that certificate.

use super::fields::field_name;
use super::{Ctx, Finding, show};

pub fn chain_excludes_leaf(ctx: &Ctx<'_>, at: &str, certificate: &str) -> Vec<Finding> {
    let (Some(chain), Some(leaf)) = (
        ctx.submission.certificates(at),
        ctx.submission
            .certificates(certificate)
            .and_then(|f| f.leaf()),
    ) else {
        return Vec::new();
    };
    chain
        .parsed()
        .filter(|(_, c)| c.der == leaf.der)
        .map(|(e, c)| {
            ctx.cert_finding(
                at,
                e,
                format!(
                    "`{}` holds the server certificate of `{}` as its certificate {} ({}): \
                     the chain must hold only its issuers",
                    field_name(at),
                    field_name(certificate),
                    ctx.cert_no(at, e.index),
                    show(&c.name())
                ),
            )
            .value(c.name())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::kind_tests::{body, material, run};

    const RULE: &str = "kind = \"chain-excludes-leaf\"\nat = \"/chain\"\ncertificate = \"/cert\"\n";

    #[test]
    fn issuers_only_pass() {
        let chain = material("int2-ca.pem") + &material("int1-ca.pem");
        let b = body(&[("cert", &material("server.pem")), ("chain", &chain)]);
        assert!(run(RULE, &b).is_empty());
    }

    #[test]
    fn the_leaf_in_the_chain_is_reported_where_it_is() {
        let b = body(&[
            ("cert", &material("server.pem")),
            ("chain", &material("server-chain.pem")),
        ]);
        let d = run(RULE, &b);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.starts_with(
                "`chain` holds the server certificate of `cert` as its certificate 1 ("
            ),
            "{}",
            d[0].message
        );
        assert!(
            d[0].message
                .ends_with("the chain must hold only its issuers")
        );
    }
}
