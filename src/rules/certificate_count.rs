//! `certificate-count`: how many certificates one field holds, for APIs that take
//! exactly one (a leaf in its own field) or a bounded bundle.

use super::fields::field_name;
use super::{Ctx, Finding, plural};

/// "exactly 1", "at most 5", "1 to 5".
fn bounds(min: usize, max: usize) -> String {
    match (min, max) {
        (lo, hi) if lo == hi => format!("exactly {hi}"),
        (0 | 1, hi) => format!("at most {hi}"),
        (lo, hi) => format!("{lo} to {hi}"),
    }
}

pub fn certificate_count(ctx: &Ctx<'_>, at: &str, min: usize, max: usize) -> Vec<Finding> {
    let Some(field) = ctx.submission.certificates(at) else {
        return Vec::new();
    };
    // Every certificate block counts, parsed or not: the API counts blocks too. A field
    // with none is the PEM kinds' finding (or `required`'s).
    let n = field.certs.len();
    if n == 0 || (min..=max).contains(&n) {
        return Vec::new();
    }
    vec![
        Finding::new(
            at,
            format!(
                "`{}` holds {}; the API takes {} in this field",
                field_name(at),
                plural(n, "certificate", "certificates"),
                bounds(min, max)
            ),
        )
        .value(plural(n, "certificate", "certificates")),
    ]
}

#[cfg(test)]
mod tests {
    use super::super::kind_tests::{body, material, run};

    const ONE: &str = "kind = \"certificate-count\"\nat = \"/cert\"\nmin = 1\nmax = 1\n";

    #[test]
    fn one_certificate_passes_exactly_one() {
        assert!(run(ONE, &body(&[("cert", &material("server.pem"))])).is_empty());
    }

    #[test]
    fn a_chain_in_a_one_certificate_field_is_reported() {
        let d = run(ONE, &body(&[("cert", &material("server-chain.pem"))]));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].location, "/cert");
        assert_eq!(
            d[0].message,
            "`cert` holds 3 certificates; the API takes exactly 1 in this field"
        );
    }

    #[test]
    fn at_most_counts_every_block() {
        let three = "kind = \"certificate-count\"\nat = \"/cert\"\nmax = 3\n";
        assert!(run(three, &body(&[("cert", &material("server-chain.pem"))])).is_empty());
        let chain = material("server-chain-with-root.pem");
        let d = run(three, &body(&[("cert", &chain)]));
        assert_eq!(
            d[0].message,
            "`cert` holds 4 certificates; the API takes at most 3 in this field"
        );
    }
}
