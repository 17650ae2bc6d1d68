//! The documented public surface, named item by item: removing or renaming a
//! re-export fails this build. Keep it in step with README's "Library" section.

#![allow(unused_imports)]

// Entry points.
use certgate::{
    apply_edits, check, check_with, detect, did_you_mean, fix, fix_with, lint_catalogue_with,
    pair_files, path_display, request_body, resolve_references, set_edits, walk_files,
    write_document, yaml_documents,
};
// Types those signatures mention.
use certgate::{
    AnchorSource, Basis, Body, Catalogue, CatalogueError, Citation, Config, ConfigError, Detected,
    Diagnostic, Edit, EditError, FailOn, FileGroup, Fixed, Format, Item, LintInput, LintOptions,
    LintUnit, Linter, NotChecked, Profile, Report, Request, RequestError, RulesConfig, Severity,
    Source, Summary, Thresholds, Trust, Upload, WalkProblem, WalkedFiles, YamlDocument,
};
// Constants.
use certgate::{MAX_DOCUMENT_BYTES, MOZILLA_BUNDLE};
// Renderers: one namespace per output format.
use certgate::render::{catalogue, human, json, sarif};

#[test]
fn the_entry_points_have_their_documented_signatures() {
    let _: fn(&Profile, &Request, time::OffsetDateTime) -> Report = check;
    let _: fn(&Profile, &Request, time::OffsetDateTime, &Trust) -> Report = check_with;
    let _: fn(&Report, &str, bool) -> String = human::render;
    let _: fn(&Report) -> String = json::render;
    let _: fn(&str, &[u8]) -> Detected = detect;
    let _: fn(&[std::path::PathBuf]) -> Result<WalkedFiles, String> = walk_files;
    let _: fn(&[&'static str]) -> Vec<FileGroup> = pair_files::<&'static str>;
    let _: fn(&[String]) -> Vec<FileGroup> = pair_files::<String>;
    let _: fn(&FileGroup, &[Detected]) -> Vec<LintUnit> = FileGroup::units;
    let _: &[(&str, &str)] = certgate::NAMED_PAIRS;
    let _: fn(&std::path::Path) -> String = path_display;
    type UserFiles<'a> = &'a [(&'a str, &'a str)];
    let _: fn(UserFiles<'_>) -> Result<Catalogue, CatalogueError> = Catalogue::builtin_with;
    let _: fn() -> &'static Trust = Trust::mozilla;
    const { assert!(MAX_DOCUMENT_BYTES > 0) };
    assert!(!MOZILLA_BUNDLE.is_empty());
}

#[test]
fn a_report_reads_through_the_public_surface() {
    let catalogue = Catalogue::builtin().unwrap();
    let profile = catalogue.profile("huawei-elb-v3").unwrap();
    let request =
        Request::parse(r#"{"certificate": {"name": "web"}}"#, Some(Format::Json)).unwrap();
    let at = time::macros::datetime!(2026-06-01 0:00 UTC);
    let report = check(profile, &request, at);
    let summary: Summary = report.summary;
    assert_eq!(
        summary.errors,
        report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    );
    let _: &[NotChecked] = &report.not_checked;
    assert!(json::render(&report).contains("\"diagnostics\""));
}
