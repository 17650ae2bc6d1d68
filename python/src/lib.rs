//! `certgate._certgate`: the native half of the Python package. Each function takes
//! plain values (strings, lists), releases the GIL while certgate works, and returns the
//! versioned JSON report as text; `certgate/__init__.py` wraps it in typed objects.
//! A finding is never an exception: only what stops a run (an unknown profile, an
//! unreadable request) raises `ValueError`, with certgate's own message.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};

use certgate::{Catalogue, Report, Request};
use certgate::{Detected, LintInput as Input, LintOptions as Options, LintUnit, Linter};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use secrecy::SecretString;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Files larger than this are not read by `lint` (as the command line).
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

fn catalogue() -> Result<&'static Catalogue, String> {
    static CATALOGUE: std::sync::OnceLock<Result<Catalogue, String>> = std::sync::OnceLock::new();
    CATALOGUE
        .get_or_init(|| Catalogue::builtin().map_err(|e| format!("built-in catalogue: {e}")))
        .as_ref()
        .map_err(Clone::clone)
}

fn evaluation_time(at: Option<&str>) -> Result<OffsetDateTime, String> {
    match at {
        None => Ok(OffsetDateTime::now_utc()),
        Some(t) => OffsetDateTime::parse(t, &Rfc3339).map_err(|_| {
            format!("at {t:?}: give a full RFC 3339 time such as 2030-01-01T00:00:00Z")
        }),
    }
}

/// The profile, the evaluation time and the request with its references resolved:
/// what `check` and `request` both start from.
fn prepare(
    profile: &str,
    document: &str,
    at: Option<&str>,
    base_dir: &Path,
) -> Result<(&'static certgate::Profile, OffsetDateTime, Request), String> {
    let catalogue = catalogue()?;
    let profile = catalogue.profile(profile).ok_or_else(|| {
        format!(
            "unknown profile {profile:?}{}; known profiles: {}",
            certgate::did_you_mean(profile, catalogue.profiles().iter().map(|p| p.id())),
            catalogue.profile_ids().join(", ")
        )
    })?;
    let at = evaluation_time(at)?;
    let mut request = Request::parse(document, None).map_err(|e| format!("request: {e}"))?;
    certgate::resolve_references(&mut request, profile, base_dir)
        .map_err(|e| format!("request: {e}"))?;
    Ok((profile, at, request))
}

fn check_json(
    profile: &str,
    document: &str,
    at: Option<&str>,
    base_dir: &Path,
) -> Result<String, String> {
    let (profile, at, request) = prepare(profile, document, at, base_dir)?;
    let report = certgate::check(profile, &request, at);
    Ok(certgate::render::json::render(&report))
}

/// The checked request's body: `(report JSON, body JSON or None)`; the body is `None`
/// when a finding fails the request (errors; warnings too when `fail_on_warning`).
fn request_json(
    profile: &str,
    document: &str,
    at: Option<&str>,
    base_dir: &Path,
    fail_on_warning: bool,
) -> Result<(String, Option<String>), String> {
    let (profile, at, request) = prepare(profile, document, at, base_dir)?;
    let report = certgate::check(profile, &request, at).fail_on_warnings(fail_on_warning);
    let report_json = certgate::render::json::render(&report);
    if report.failed {
        return Ok((report_json, None));
    }
    let body = match certgate::request_body(profile, &request, base_dir)
        .map_err(|e| format!("request: {e}"))?
    {
        certgate::Body::Json(v) => v.to_string(),
        certgate::Body::Multipart(cmd) => serde_json::json!({ "curl": cmd }).to_string(),
        // `Body` is non-exhaustive: a body this binding cannot write is refused.
        _ => return Err("request: a body this version cannot write".to_string()),
    };
    Ok((report_json, Some(body)))
}

/// request(profile, document, at, base_dir, fail_on_warning) -> (report JSON, body JSON)
#[pyfunction]
#[pyo3(signature = (profile, document, at=None, base_dir=None, fail_on_warning=false))]
fn request(
    py: Python<'_>,
    profile: String,
    document: String,
    at: Option<String>,
    base_dir: Option<PathBuf>,
    fail_on_warning: bool,
) -> PyResult<(String, Option<String>)> {
    let base = base_dir.unwrap_or_else(|| PathBuf::from("."));
    py.detach(|| request_json(&profile, &document, at.as_deref(), &base, fail_on_warning))
        .map_err(PyValueError::new_err)
}

/// check(profile, document, at, base_dir) -> report JSON
#[pyfunction]
#[pyo3(signature = (profile, document, at=None, base_dir=None))]
fn check(
    py: Python<'_>,
    profile: String,
    document: String,
    at: Option<String>,
    base_dir: Option<PathBuf>,
) -> PyResult<String> {
    let base = base_dir.unwrap_or_else(|| PathBuf::from("."));
    py.detach(|| check_json(&profile, &document, at.as_deref(), &base))
        .map_err(PyValueError::new_err)
}

fn lint_json(
    paths: &[PathBuf],
    password: Option<&SecretString>,
    at: Option<&str>,
) -> Result<String, String> {
    let at = evaluation_time(at)?;
    let linter = Linter::new().map_err(|e| format!("lint profile: {e}"))?;
    // The command line's walk: links followed once, each file once, hidden entries
    // skipped; a file named explicitly is reported even when it holds nothing known.
    let found = certgate::walk_files(paths)?;
    let files: Vec<PathBuf> = found.files.iter().map(|(n, _)| PathBuf::from(n)).collect();
    let mut contents: Vec<(String, Vec<u8>)> = Vec::with_capacity(files.len());
    for f in &files {
        let name = f.display().to_string();
        let size = std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
        if size > MAX_FILE_BYTES {
            return Err(format!(
                "{name} is {size} bytes; lint reads files of at most {MAX_FILE_BYTES}"
            ));
        }
        let bytes = std::fs::read(f).map_err(|e| format!("{name}: {e}"))?;
        contents.push((name, bytes));
    }
    let opts = |explicit: bool| Options {
        at,
        password,
        report_unrecognised: explicit,
    };
    let named = |i: usize| found.files.get(i).is_some_and(|(_, e)| *e);
    // As the command line does (`certgate::pair_files`): a certificate file and a key
    // file of one directory with the same stem (`server.pem` + `server.key`), or with
    // conventional names (`fullchain.pem` + `privkey.pem`), are checked together.
    let names: Vec<&str> = contents.iter().map(|(n, _)| n.as_str()).collect();
    let mut diagnostics = Vec::new();
    for group in certgate::pair_files(&names) {
        let input = |g: usize| {
            let i = *group.files.get(g)?;
            let (name, bytes) = contents.get(i)?;
            Some((i, Input { name, bytes }))
        };
        let detected: Vec<Detected> = (0..group.files.len())
            .map(|g| {
                input(g).map_or(Detected::Nothing, |(_, f)| {
                    certgate::detect(f.name, f.bytes)
                })
            })
            .collect();
        for unit in group.units(&detected) {
            match unit {
                LintUnit::File(g) => {
                    if let Some((i, file)) = input(g) {
                        diagnostics.extend(linter.lint_file(file, &opts(named(i))));
                    }
                }
                LintUnit::Pair { certs, key } => {
                    if let (Some((_, c)), Some((_, k))) = (input(certs), input(key)) {
                        diagnostics.extend(linter.lint_pair(c, k, &opts(true)));
                    }
                }
            }
        }
    }
    // Entries that could not be read, as the command line reports them.
    diagnostics.extend(linter.unreadable(&found));
    Ok(certgate::render::json::render(&Report::new(
        "lint",
        diagnostics,
    )))
}

/// lint(paths, password, at) -> report JSON
#[pyfunction]
#[pyo3(signature = (paths, password=None, at=None))]
fn lint(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    password: Option<String>,
    at: Option<String>,
) -> PyResult<String> {
    let password = password.map(SecretString::from);
    py.detach(|| lint_json(&paths, password.as_ref(), at.as_deref()))
        .map_err(PyValueError::new_err)
}

/// The built-in profile ids, e.g. `huawei-elb-v3`.
#[pyfunction]
fn profiles() -> PyResult<Vec<String>> {
    Ok(catalogue().map_err(PyValueError::new_err)?.profile_ids())
}

/// What a rule checks, why uploads fail, how to fix it and its source, as text.
#[pyfunction]
fn explain(rule_id: &str) -> PyResult<String> {
    let catalogue = catalogue().map_err(PyValueError::new_err)?;
    let linter = Linter::new().map_err(|e| PyValueError::new_err(format!("lint profile: {e}")))?;
    let profiles: Vec<&certgate::Profile> = catalogue
        .profiles()
        .iter()
        .chain(linter.own_profiles())
        .collect();
    certgate::render::catalogue::explain_of(&profiles, rule_id).ok_or_else(|| {
        let ids = profiles.iter().flat_map(|p| p.rule_ids());
        PyValueError::new_err(format!(
            "unknown rule {rule_id:?}{}",
            certgate::did_you_mean(rule_id, ids)
        ))
    })
}

#[pymodule]
fn _certgate(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(lint, m)?)?;
    m.add_function(wrap_pyfunction!(request, m)?)?;
    m.add_function(wrap_pyfunction!(profiles, m)?)?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
