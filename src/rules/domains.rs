//! The ELB `domain` list: comma-separated host names, LDH labels, a leading wildcard.

use super::{Ctx, Finding, plural, show};
use crate::request::FieldValue;

/// Splits the list the way the API documents it: by commas, nothing trimmed.
fn names<'a>(ctx: &Ctx<'a>, at: &str) -> Option<Vec<&'a str>> {
    match ctx.request.field(at) {
        FieldValue::Text(s) if !s.is_empty() => Some(s.split(',').collect()),
        _ => None,
    }
}

fn item(at: &str, i: usize) -> String {
    format!("{at}/{i}")
}

/// The labels that LDH rules apply to: a leading `*.` is the wildcard rule's business.
fn plain_labels(name: &str) -> impl Iterator<Item = &str> {
    name.strip_prefix("*.").unwrap_or(name).split('.')
}

pub fn count(ctx: &Ctx<'_>, at: &str, max: usize) -> Vec<Finding> {
    let Some(list) = names(ctx, at) else {
        return Vec::new();
    };
    let n = list.iter().filter(|s| !s.is_empty()).count();
    if n <= max {
        return Vec::new();
    }
    let first_extra = list
        .iter()
        .filter(|s| !s.is_empty())
        .nth(max)
        .copied()
        .unwrap_or_default();
    vec![
        Finding::new(
            at,
            format!(
                "{} in `{}`, {} over the limit of {max}; the first one past the limit is {}",
                plural(n, "name", "names"),
                super::fields::field_name(at),
                n - max,
                show(first_extra)
            ),
        )
        .value(format!("{n} names")),
    ]
}

pub fn label_length(ctx: &Ctx<'_>, at: &str, max: usize) -> Vec<Finding> {
    let Some(list) = names(ctx, at) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, name) in list.iter().enumerate() {
        for label in plain_labels(name) {
            let n = label.chars().count();
            if n > max {
                out.push(
                    Finding::new(
                        item(at, i),
                        format!(
                            "a label of {} is {n} characters, {} over the limit of {max}",
                            show(name),
                            n - max
                        ),
                    )
                    .value(show(label)),
                );
            }
        }
    }
    out
}

/// What makes an ASCII name no host name, label by label (empty labels, characters
/// other than letters, digits and hyphens, a hyphen at an end); empty for a valid one.
/// Non-ASCII names are `domain-idn`'s finding and `*` is `domain-wildcard`'s: not here.
fn label_problems(name: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if !name.is_ascii() {
        return problems;
    }
    for label in plain_labels(name) {
        if label.contains('*') {
            continue;
        }
        if label.is_empty() {
            problems
                .push("it has an empty label (a dot at an end, or two dots in a row)".to_string());
            continue;
        }
        let mut bad: Vec<char> = label
            .chars()
            .filter(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
            .collect();
        bad.dedup();
        if !bad.is_empty() {
            let shown: Vec<String> = bad.iter().map(|c| show(&c.to_string())).collect();
            problems.push(format!(
                "label {} contains {}",
                show(label),
                shown.join(", ")
            ));
        } else if label.starts_with('-') || label.ends_with('-') {
            problems.push(format!(
                "label {} starts or ends with a hyphen",
                show(label)
            ));
        }
    }
    problems
}

pub fn label_chars(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let Some(list) = names(ctx, at) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, name) in list.iter().enumerate() {
        if name.is_empty() {
            out.push(Finding::new(
                item(at, i),
                format!(
                    "name {} of the list is empty (two commas in a row, or a comma at an end)",
                    i + 1
                ),
            ));
            continue;
        }
        let problems = label_problems(name);
        if !problems.is_empty() {
            out.push(
                Finding::new(
                    item(at, i),
                    format!(
                        "{} is not a valid host name: {}",
                        show(name),
                        problems.join("; ")
                    ),
                )
                .value(show(name)),
            );
        }
    }
    out
}

pub fn wildcard(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let Some(list) = names(ctx, at) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, name) in list.iter().enumerate() {
        if !name.contains('*') {
            continue;
        }
        let rest = name.strip_prefix("*.");
        let ok = rest.is_some_and(|r| !r.is_empty() && !r.contains('*') && !r.starts_with('.'));
        if !ok {
            let why = if rest.is_some() {
                "the wildcard label is fine but the rest of the name is empty or has another `*`"
            } else if name.starts_with('*') {
                "`*` must be the whole leftmost label, followed by a dot"
            } else {
                "`*` may appear only as the leftmost label"
            };
            out.push(
                Finding::new(
                    item(at, i),
                    format!("{} is not a valid wildcard name: {why}", show(name)),
                )
                .value(show(name)),
            );
        }
    }
    out
}

pub fn idn(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let Some(list) = names(ctx, at) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, name) in list.iter().enumerate() {
        let (prefix, host) = match name.strip_prefix("*.") {
            Some(h) => ("*.", h),
            None => ("", *name),
        };
        if !host.is_ascii() {
            let message = match idna::domain_to_ascii_strict(host) {
                Ok(a) => format!(
                    "{} is not ASCII; write it as its A-label {}",
                    show(name),
                    show(&format!("{prefix}{a}"))
                ),
                Err(_) => format!(
                    "{} is not ASCII, and has no valid A-label form (it breaks the IDNA rules)",
                    show(name)
                ),
            };
            out.push(Finding::new(item(at, i), message).value(show(name)));
        } else if host
            .split('.')
            .any(|l| l.len() >= 4 && l.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("xn--")))
        {
            let (_, result) = idna::domain_to_unicode(host);
            if result.is_err() {
                out.push(
                    Finding::new(
                        item(at, i),
                        format!(
                            "{} has an `xn--` label that is not valid punycode for an IDNA name",
                            show(name)
                        ),
                    )
                    .value(show(name)),
                );
            }
        }
    }
    out
}

/// RFC 6125, section 6.4.3: a SAN wildcard matches exactly one whole leftmost label.
pub fn covered_by(name: &str, san: &str) -> bool {
    let name = name.trim_end_matches('.');
    let san = san.trim_end_matches('.');
    if name.eq_ignore_ascii_case(san) {
        return true;
    }
    match (san.strip_prefix("*."), name.split_once('.')) {
        (Some(base), Some((first, rest))) => {
            !first.is_empty() && !first.contains('*') && rest.eq_ignore_ascii_case(base)
        }
        _ => false,
    }
}

pub fn in_certificate(ctx: &Ctx<'_>, at: &str, certificate: &str) -> Vec<Finding> {
    let Some(list) = names(ctx, at) else {
        return Vec::new();
    };
    let Some(leaf) = ctx
        .submission
        .certificates(certificate)
        .and_then(|c| c.leaf())
    else {
        return Vec::new();
    };
    // Compare in the A-label form that the certificate would carry.
    let ascii: Vec<String> = list
        .iter()
        .map(|name| {
            if name.is_ascii() {
                return name.to_string();
            }
            match name.strip_prefix("*.") {
                Some(h) => idna::domain_to_ascii_strict(h).map(|a| format!("*.{a}")),
                None => idna::domain_to_ascii_strict(name),
            }
            .unwrap_or_else(|_| name.to_string())
        })
        .collect();
    let asked: Vec<&str> = ascii.iter().map(String::as_str).collect();
    // The client's own matcher (the certificate read once); certgate's where
    // rustls-webpki cannot take the certificate or the name.
    let client = crate::trust::leaf_covers(&leaf.der, &asked);
    let mut out = Vec::new();
    for (i, (name, ascii)) in list.iter().zip(&ascii).enumerate() {
        // A name that is no host name is `domain-label-chars`'s one finding.
        if name.is_empty() || !label_problems(name).is_empty() {
            continue;
        }
        let covered = client
            .get(i)
            .copied()
            .flatten()
            .unwrap_or_else(|| leaf.dns_names.iter().any(|san| covered_by(ascii, san)));
        if covered {
            continue;
        }
        let have = if leaf.dns_names.is_empty() {
            "the certificate has no DNS names in subjectAltName".to_string()
        } else {
            let shown: Vec<String> = leaf.dns_names.iter().take(10).map(|s| show(s)).collect();
            let more = leaf.dns_names.len().saturating_sub(10);
            let tail = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            format!("the certificate covers {}{tail}", shown.join(", "))
        };
        out.push(
            Finding::new(
                item(at, i),
                format!("{} is not covered by the certificate: {have}", show(name)),
            )
            .value(show(name)),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::kind_tests::{body, material, run};
    use super::covered_by;

    /// A name that is no host name (here: a space after the comma) is the syntax rule's
    /// one finding; the coverage rule does not report it again.
    #[test]
    fn coverage_is_judged_for_host_names_only() {
        let rule =
            "kind = \"domain-not-in-certificate\"\nat = \"/name\"\ncertificate = \"/cert\"\n";
        let cert = material("server.pem");
        let d = run(
            rule,
            &body(&[("name", "www.example.com, example.com"), ("cert", &cert)]),
        );
        assert!(d.is_empty(), "{d:?}");
        let d = run(
            rule,
            &body(&[("name", "www.example.com,nowhere.test"), ("cert", &cert)]),
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.starts_with("\"nowhere.test\" is not covered"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn rfc6125_wildcards_match_one_label() {
        assert!(covered_by("www.example.com", "www.example.com"));
        assert!(covered_by("WWW.Example.com", "www.example.com."));
        assert!(covered_by("foo.api.example.com", "*.api.example.com"));
        assert!(!covered_by("a.b.api.example.com", "*.api.example.com"));
        assert!(!covered_by("api.example.com", "*.api.example.com"));
        assert!(covered_by("*.api.example.com", "*.api.example.com"));
        assert!(!covered_by("*.example.com", "www.example.com"));
    }
}
