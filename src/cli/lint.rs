//! `certgate lint`: certificates, chains, keys, CSRs and PKCS#12 archives in files and
//! directories, checked with the profile-independent rules.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use certgate::Report;
use certgate::lint::{Detected, Input, Linter, Options, detect};
use rayon::prelude::*;
use secrecy::SecretString;

use super::check::{ColorChoice, OutputFormat, evaluation_time};
use super::{Fatal, write_stdout};

/// Files larger than this are not read (a 4,000-certificate bundle is ~6 MB).
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// First buffer of a file read: a certificate, key or short chain fits in one read.
const READ_CAPACITY: usize = 16 * 1024;

#[derive(clap::Args)]
pub struct LintArgs {
    /// Files and directories (searched recursively; hidden entries are skipped).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[arg(long, short, value_enum, default_value = "human")]
    pub format: OutputFormat,
    /// Evaluation time (RFC 3339); default: now.
    #[arg(long)]
    pub at: Option<String>,
    /// Environment variable holding the password of PKCS#12 archives.
    #[arg(long, value_name = "NAME")]
    pub password_env: Option<String>,
    /// Colour in human output; NO_COLOR is honoured in `auto`.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

/// One unit of work: a file, or a certificate file with the key file beside it.
enum Unit {
    File(usize),
    Pair { certs: usize, key: usize },
}

pub fn run(args: &LintArgs) -> Result<u8, Fatal> {
    let at = evaluation_time(args.at.as_deref())?;
    let password = match &args.password_env {
        Some(var) => Some(SecretString::from(std::env::var(var).map_err(|_| {
            Fatal(format!(
                "--password-env {var}: the environment variable is not set"
            ))
        })?)),
        None => None,
    };
    let linter = Linter::new().map_err(|e| Fatal(format!("lint profile: {e}")))?;
    let mut files: Vec<(String, bool)> = Vec::new();
    for p in &args.paths {
        collect(p, true, &mut files)?;
    }
    files.sort();
    files.dedup_by(|a, b| a.0 == b.0);

    let progress = progress_bar(files.len());
    let opts = |explicit: bool| Options {
        at,
        password: password.as_ref(),
        report_unrecognised: explicit,
    };
    // Files sharing a directory and stem may pair (`server.pem` + `server.key`); each
    // group is read, classified and linted in one task, so only the files in flight
    // are in memory.
    let results: Vec<Vec<certgate::Diagnostic>> = groups(&files)
        .par_iter()
        .map(|group| {
            let contents: Vec<Result<Vec<u8>, String>> =
                group.iter().map(|&i| read(&files[i].0)).collect();
            let detected: Vec<Detected> = group
                .iter()
                .zip(&contents)
                .map(|(&i, c)| match c {
                    Ok(bytes) => detect(&files[i].0, bytes),
                    Err(_) => Detected::Nothing,
                })
                .collect();
            let input = |g: usize| -> Option<(Input<'_>, bool)> {
                let (name, explicit) = &files[*group.get(g)?];
                let bytes = contents.get(g)?.as_ref().ok()?;
                Some((Input { name, bytes }, *explicit))
            };
            let mut out = Vec::new();
            for unit in pair(&detected) {
                match unit {
                    Unit::File(g) => match input(g) {
                        Some((inp, explicit)) => {
                            out.extend(linter.lint_classified(inp, &detected[g], &opts(explicit)))
                        }
                        None => {
                            if let Some(Err(e)) = contents.get(g) {
                                out.push(unreadable(&files[group[g]].0, e));
                            }
                        }
                    },
                    Unit::Pair { certs, key } => {
                        if let (Some((c, _)), Some((k, _))) = (input(certs), input(key)) {
                            out.extend(linter.lint_pair_classified(
                                (c, &detected[certs]),
                                (k, &detected[key]),
                                &opts(false),
                            ));
                        }
                    }
                }
            }
            if let Some(p) = &progress {
                p.inc(group.len() as u64);
            }
            out
        })
        .collect();
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    let report = Report::new("lint", results.into_iter().flatten().collect());
    let text = match args.format {
        OutputFormat::Json => certgate::render::json::render(&report),
        OutputFormat::Sarif => sarif(&report, linter.profile()),
        OutputFormat::Human => {
            let color = args.color.enabled();
            let mut text = certgate::render::human::render(&report, "", color);
            // The renderer's verdict line speaks of an upload; lint has its own.
            let body_end = text.trim_end_matches('\n').rfind('\n').map_or(0, |i| i + 1);
            text.truncate(body_end);
            let s = report.summary;
            text.push_str(&format!(
                "certgate lint: {} in {}: {}, {}, {}\n",
                plural(files.len(), "file", "files"),
                plural(args.paths.len(), "path", "paths"),
                plural(s.errors, "error", "errors"),
                plural(s.warnings, "warning", "warnings"),
                plural(s.infos, "info", "infos"),
            ));
            text
        }
    };
    write_stdout(&text)?;
    Ok(if report.has_errors() { 1 } else { 0 })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn progress_bar(len: usize) -> Option<indicatif::ProgressBar> {
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) || len < 2 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}")
    {
        bar.set_style(style);
    }
    Some(bar)
}

fn read(name: &str) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    // Per-file syscalls dominate small files: one open, the reads, one close. The size
    // cap is enforced by reading at most one byte more than it allows; only a file over
    // the cap costs an fstat (for the size the message gives).
    let file = std::fs::File::open(name).map_err(|e| e.to_string())?;
    let mut bytes = Vec::with_capacity(READ_CAPACITY);
    (&file)
        .take(MAX_FILE_BYTES.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    let read = bytes.len() as u64;
    if read > MAX_FILE_BYTES {
        let len = file.metadata().map_or(read, |m| m.len().max(read));
        return Err(format!(
            "{len} bytes; certgate lint reads files of at most {MAX_FILE_BYTES}"
        ));
    }
    Ok(bytes)
}

fn unreadable(name: &str, e: &str) -> certgate::Diagnostic {
    certgate::lint::own(
        "lint-unreadable",
        certgate::Severity::Error,
        name.to_string(),
        format!("cannot read the file: {e}"),
        "Check the path and its permissions.",
    )
}

/// Regular files under `path` (sorted later); `explicit` marks paths named on the
/// command line.
fn collect(path: &Path, explicit: bool, out: &mut Vec<(String, bool)>) -> Result<(), Fatal> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Fatal(format!("cannot read {}: {e}", path.display())))?;
    if meta.is_dir() {
        let entries = std::fs::read_dir(path)
            .map_err(|e| Fatal(format!("cannot read {}: {e}", path.display())))?;
        for entry in entries.flatten() {
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if hidden {
                continue;
            }
            let p = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => collect(&p, false, out)?,
                Ok(t) if t.is_file() => out.push((display(&p), false)),
                _ => {}
            }
        }
    } else {
        out.push((display(path), explicit));
    }
    Ok(())
}

fn display(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Indexes of the files, grouped by directory and file stem, in path order.
fn groups(files: &[(String, bool)]) -> Vec<Vec<usize>> {
    let mut by_stem: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, (name, _)) in files.iter().enumerate() {
        let p = Path::new(name);
        let key = (
            p.parent().map(display).unwrap_or_default(),
            p.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        by_stem.entry(key).or_default().push(i);
    }
    by_stem.into_values().collect()
}

/// Within one group: pairs the certificate file with the key file when there is
/// exactly one of each; every other file is linted alone.
fn pair(detected: &[Detected]) -> Vec<Unit> {
    let certs: Vec<usize> = (0..detected.len())
        .filter(|&i| detected[i].certificates_only())
        .collect();
    let keys: Vec<usize> = (0..detected.len())
        .filter(|&i| detected[i].key_only())
        .collect();
    let mut units = Vec::new();
    let mut paired = vec![false; detected.len()];
    if let ([c], [k]) = (certs.as_slice(), keys.as_slice()) {
        paired[*c] = true;
        paired[*k] = true;
        units.push(Unit::Pair { certs: *c, key: *k });
    }
    units.extend((0..detected.len()).filter(|i| !paired[*i]).map(Unit::File));
    units
}

/// SARIF with each result located in its own file.
fn sarif(report: &Report, profile: &certgate::Profile) -> String {
    let text = certgate::render::sarif::render(
        report,
        profile,
        &certgate::render::sarif::Artifact {
            uri: "",
            text: None,
        },
    );
    let Ok(mut log) = serde_json::from_str::<serde_json::Value>(&text) else {
        return text;
    };
    if let Some(results) = log
        .pointer_mut("/runs/0/results")
        .and_then(|r| r.as_array_mut())
    {
        for (r, d) in results.iter_mut().zip(&report.diagnostics) {
            let (file, fragment) = match d.location.split_once('#') {
                Some((f, x)) => (f, x),
                None => (d.location.as_str(), ""),
            };
            if let Some(loc) = r.pointer_mut("/locations/0/physicalLocation/artifactLocation") {
                *loc = serde_json::json!({ "uri": file });
            }
            if let Some(l) = r.pointer_mut("/locations/0/logicalLocations/0/fullyQualifiedName") {
                *l = serde_json::Value::String(fragment.to_string());
            }
        }
    }
    let mut out = serde_json::to_string_pretty(&log).unwrap_or(text);
    out.push('\n');
    out
}
