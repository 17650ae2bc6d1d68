//! The unit tests' fixtures for the generic kinds: one rule instance run on one
//! request ([`run`]), or a rule context on a minimal request ([`ctx_with`]).

use super::{Ctx, Frame};
use crate::Catalogue;
use crate::report::Diagnostic;
use crate::request::Request;
use crate::submission::Submission;

/// The PEM text of a file under `corpus/materials/`.
pub fn material(name: &str) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/materials/");
    std::fs::read_to_string(format!("{path}{name}")).expect("a committed material")
}

/// The findings of `rule` (a `[[rule]]` body: `kind`, `at` or `applies`, parameters)
/// on `body`, in a profile declaring `/name` (text), `/cert` and `/chain`
/// (certificates) and `/key` (private key of `/cert`).
pub fn run(rule: &str, body: &str) -> Vec<Diagnostic> {
    let profile = profile_with(&rule_block("under-test", rule));
    let catalogue = Catalogue::from_files(&[("t.toml", &profile)]).expect("the test profile loads");
    let profile = catalogue.profile("t").expect("the test profile");
    let request = crate::Request::parse(body, None).expect("a JSON body");
    let at = time::macros::datetime!(2026-06-01 0:00 UTC);
    crate::check(profile, &request, at)
        .diagnostics
        .into_iter()
        .filter(|d| d.rule == "under-test")
        .collect()
}

/// The test profile of [`run`] with the `[[rule]]` blocks `rules`.
fn profile_with(rules: &str) -> String {
    format!(
        "[profile]\nid = \"t\"\ntitle = \"t\"\nendpoint = \"POST /\"\n\
         seed = \"rfc5280\"\nrevision = \"1\"\n\n\
         [[field]]\npointer = \"/name\"\nmaterial = \"text\"\n\n\
         [[field]]\npointer = \"/cert\"\nmaterial = \"certificates\"\nserver-leaf = {{}}\n\n\
         [[field]]\npointer = \"/chain\"\nmaterial = \"certificates\"\n\n\
         [[field]]\npointer = \"/key\"\nmaterial = \"private-key\"\ncertificate = \"/cert\"\n\n\
         {rules}"
    )
}

/// A `[[rule]]` block with id `id` and the body `rule` (`kind`, `at` or `applies`,
/// parameters).
pub fn rule_block(id: &str, rule: &str) -> String {
    format!(
        "[[rule]]\nid = \"{id}\"\nseverity = \"error\"\nbasis = \"inferred\"\n\
         summary = \"s\"\nhelp = \"h\"\n\
         citation = {{ source = \"rfc5280\", section = \"4\", quote = \"q\" }}\n{rule}\n"
    )
}

/// Runs `f` on the context of [`run`]'s profile with the `[[rule]]` blocks `rules`
/// (see [`rule_block`]) and the JSON `body`, at [`run`]'s time, with Mozilla's roots.
pub fn ctx_with_rules<T>(rules: &str, body: &str, f: impl FnOnce(&Ctx<'_>) -> T) -> T {
    let catalogue =
        Catalogue::from_files(&[("t.toml", &profile_with(rules))]).expect("the test profile loads");
    let profile = catalogue.profile("t").expect("the test profile");
    let request = Request::parse(body, None).expect("a JSON body");
    let submission = Submission::build(profile, &request);
    let ctx = Ctx {
        profile,
        request: &request,
        submission: &submission,
        at: time::macros::datetime!(2026-06-01 0:00 UTC),
        trust: crate::trust::Trust::mozilla(),
        frame: Frame::default(),
        verdicts: Default::default(),
    };
    f(&ctx)
}

/// A JSON body with the given fields, each a JSON string.
pub fn body(fields: &[(&str, &str)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = fields
        .iter()
        .map(|(k, v)| {
            (
                (*k).to_string(),
                serde_json::Value::String((*v).to_string()),
            )
        })
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// A minimal profile for [`ctx_with`]: `/cert` (certificates) and `/key` (its private
/// key), no rules.
const CTX_PROFILE: &str = r#"
[profile]
id = "unit-test"
title = "unit test"
endpoint = "POST /"
seed = "unit test"
revision = "1"

[[field]]
pointer = "/cert"
material = "certificates"
server-leaf = {}

[[field]]
pointer = "/key"
material = "private-key"
certificate = "/cert"
"#;

/// Runs `f` on a context whose request holds `key` in `/key` (and nothing in `/cert`).
pub fn ctx_with<T>(key: &str, f: impl FnOnce(&Ctx<'_>) -> T) -> T {
    ctx_with_fields(&[("key", key)], f)
}

/// Runs `f` on a context whose request holds the given top-level string fields.
pub fn ctx_with_fields<T>(fields: &[(&str, &str)], f: impl FnOnce(&Ctx<'_>) -> T) -> T {
    let catalogue = Catalogue::builtin_with(&[("unit-test.toml", CTX_PROFILE)]).unwrap();
    let profile = catalogue.profile("unit-test").unwrap();
    let request = Request::parse(&body(fields), None).unwrap();
    let submission = Submission::build(profile, &request);
    let trust = crate::trust::Trust::mozilla();
    let ctx = Ctx {
        profile,
        request: &request,
        submission: &submission,
        at: time::OffsetDateTime::UNIX_EPOCH,
        trust,
        frame: Frame::default(),
        verdicts: Default::default(),
    };
    f(&ctx)
}
