//! A minimal profile and request for the kinds' unit tests: `/cert` (certificates)
//! and `/key` (its private key), no rules.

use super::{Ctx, Frame};
use crate::catalogue::Catalogue;
use crate::request::Request;
use crate::submission::Submission;

const PROFILE: &str = r#"
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
    let catalogue = Catalogue::builtin_with(&[("unit-test.toml", PROFILE)]).unwrap();
    let profile = catalogue.profile("unit-test").unwrap();
    let body: serde_json::Map<String, serde_json::Value> = fields
        .iter()
        .map(|(k, v)| {
            (
                (*k).to_string(),
                serde_json::Value::String((*v).to_string()),
            )
        })
        .collect();
    let request = Request::parse(&serde_json::Value::Object(body).to_string(), None).unwrap();
    let submission = Submission::build(profile, &request);
    let trust = crate::trust::Trust::mozilla();
    let ctx = Ctx {
        profile,
        request: &request,
        submission: &submission,
        at: time::OffsetDateTime::UNIX_EPOCH,
        trust,
        frame: Frame::default(),
    };
    f(&ctx)
}
