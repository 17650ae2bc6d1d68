//! Fields whose value is encoded in the document (`base64-field`): what decoding found
//! wrong, from the submission, which decodes each such field once.

use super::fields::field_name;
use super::{Ctx, Finding};
use crate::input::encoded::Problem;

fn code(p: &Problem) -> &'static str {
    match p {
        Problem::Invalid { .. } => "not-base64",
        Problem::DoubleEncoded => "double-encoded",
        Problem::DerNotPem => "der-not-pem",
        Problem::PemWithoutArmour => "pem-without-armour",
    }
}

/// Reports the decoding problem of the field at `at` when its code is among `problems`
/// (every code when the list is empty).
pub fn base64_field(ctx: &Ctx<'_>, at: &str, problems: &[String]) -> Vec<Finding> {
    let Some(problem) = ctx.submission.decoding(at) else {
        return Vec::new();
    };
    let c = code(problem);
    if !problems.is_empty() && !problems.iter().any(|p| p == c) {
        return Vec::new();
    }
    vec![Finding::new(
        at,
        format!("`{}` {}", field_name(at), problem.describe()),
    )]
}

#[cfg(test)]
mod tests {
    use crate::catalogue::Catalogue;
    use crate::request::Request;

    /// A one-field profile whose `/data/crt` is base64 of a certificate field.
    fn run(value: &str, problems: &str) -> Vec<String> {
        let rules = format!(
            r#"
[profile]
id = "demo-b64"
title = "demo"
endpoint = "PUT /demo"
seed = "rfc4648"
revision = "1"

[[field]]
pointer = "/data/crt"
material = "certificates"
encoding = "base64"

[[rule]]
id = "data-base64"
kind = "base64-field"
at = "/data/crt"
problems = {problems}
severity = "error"
basis = "inferred"
summary = "s"
help = "h"
why = "w"
"#
        );
        let catalogue = Catalogue::from_files(&[("demo.toml", rules.as_str())]).unwrap();
        let profile = catalogue.profile("demo-b64").unwrap();
        let request = Request::from_value(serde_json::json!({"data": {"crt": value}})).unwrap();
        let report = crate::check(profile, &request, time::OffsetDateTime::UNIX_EPOCH);
        report
            .diagnostics
            .iter()
            .filter(|d| d.rule == "data-base64")
            .map(|d| d.message.clone())
            .collect()
    }

    #[test]
    fn each_problem_is_reported_when_selected() {
        let not_b64 = run("QUJD RA==", "[]");
        assert_eq!(not_b64.len(), 1);
        assert!(not_b64[0].contains("`crt` is not base64: a space or tab at position 4"));
        // base64("MIIB"): a PEM body without armour.
        assert!(run("TUlJQkFBPT0=", "[]")[0].contains("without its -----BEGIN"));
        assert!(run("TUlJQkFBPT0=", r#"["not-base64"]"#).is_empty());
        assert!(run("TUlJQkFBPT0=", r#"["pem-without-armour"]"#).len() == 1);
    }

    #[test]
    fn clean_base64_of_pem_is_not_reported() {
        // base64("-----BEGIN CERTIFICATE-----\n")
        assert!(run("LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==", "[]").is_empty());
    }
}
