//! The whole `check` of the huawei-apic-v2 profile on an arbitrary request document
//! (JSON or TOML), then the human and JSON renderers on the report.
#![no_main]
use std::sync::LazyLock;

use certgate::{Catalogue, Request};
use libfuzzer_sys::fuzz_target;

static CATALOGUE: LazyLock<Catalogue> =
    LazyLock::new(|| Catalogue::builtin().expect("the built-in catalogue loads"));

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(request) = Request::parse(text, None) else {
        return;
    };
    let profile = CATALOGUE.profile("huawei-apic-v2").expect("a known profile");
    let report = certgate::check(profile, &request, time::macros::datetime!(2026-06-01 0:00 UTC));
    let _ = report.has_errors();
    let _ = certgate::render::human::render(&report, text, false);
    let _ = certgate::render::json::render(&report);
});
