//! Runs one rule instance on one request, for the unit tests of the generic kinds.

use crate::Catalogue;
use crate::report::Diagnostic;

/// The PEM text of a file under `corpus/materials/`.
pub fn material(name: &str) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/materials/");
    std::fs::read_to_string(format!("{path}{name}")).expect("a committed material")
}

/// The findings of `rule` (a `[[rule]]` body: `kind`, `at` or `applies`, parameters)
/// on `body`, in a profile declaring `/name` (text), `/cert` and `/chain`
/// (certificates) and `/key` (private key of `/cert`).
pub fn run(rule: &str, body: &str) -> Vec<Diagnostic> {
    let profile = format!(
        "[profile]\nid = \"t\"\ntitle = \"t\"\nendpoint = \"POST /\"\n\
         seed = \"rfc5280\"\nrevision = \"1\"\n\n\
         [[field]]\npointer = \"/name\"\nmaterial = \"text\"\n\n\
         [[field]]\npointer = \"/cert\"\nmaterial = \"certificates\"\nserver-leaf = {{}}\n\n\
         [[field]]\npointer = \"/chain\"\nmaterial = \"certificates\"\n\n\
         [[field]]\npointer = \"/key\"\nmaterial = \"private-key\"\ncertificate = \"/cert\"\n\n\
         [[rule]]\nid = \"under-test\"\nseverity = \"error\"\nbasis = \"inferred\"\n\
         summary = \"s\"\nhelp = \"h\"\n\
         citation = {{ source = \"rfc5280\", section = \"4\", quote = \"q\" }}\n{rule}"
    );
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
