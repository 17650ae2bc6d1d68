//! `certgate lint`: certificates, chains, keys, CSRs and PKCS#12 archives in files and
//! directories, checked with the profile-independent rules.

use std::path::{Path, PathBuf};

use certgate::Summary;
use certgate::{Detected, LintInput as Input, LintOptions as Options, LintUnit, Linter, detect};
use certgate::{Diagnostic, Report, Severity};
use rayon::prelude::*;
use secrecy::SecretString;
use serde::Serialize;

use super::check::{ColorChoice, FailOnArg, OutputFormat, evaluation_time, failure_document};
use super::config as cfg;
use super::{Fatal, write_stdout};

/// Files larger than this are not read (a 4,000-certificate bundle is ~6 MB).
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// First buffer of a file read: a certificate, key or short chain fits in one read.
const READ_CAPACITY: usize = 16 * 1024;

const AFTER_HELP: &str = "\
Exit codes:
  0  no finding fails the run (by default: no error)
  1  at least one finding fails the run (errors; warnings too with --fail-on warning)
  2  certgate could not run: bad flags, a path that does not exist, a broken symbolic link
     or an empty directory named, an unreadable configuration or rule file";

#[derive(clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct LintArgs {
    /// Files and directories (searched recursively; hidden entries are skipped).
    /// Symbolic links are followed; a file reached by several names is read once.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Report format: human, json (with the number of files read) or sarif. json and
    /// sarif write a document even when the run cannot start.
    #[arg(long, short, value_enum, default_value = "human")]
    pub format: OutputFormat,
    /// Evaluation time, a full RFC 3339 time such as 2030-01-01T00:00:00Z; default: now.
    #[arg(long)]
    pub at: Option<String>,
    #[command(flatten)]
    pub trust: super::trust::TrustArgs,
    /// Environment variable holding the password of PKCS#12 archives.
    #[arg(long, value_name = "NAME")]
    pub password_env: Option<String>,
    #[command(flatten)]
    pub config: super::config::ConfigArgs,
    /// A user rule file (a policy for "*" or "lint"), in the format of rules/*.toml;
    /// repeatable.
    #[arg(long = "rules", value_name = "FILE")]
    pub rules: Vec<PathBuf>,
    /// The least severe finding that fails the run (exit 1); default: the
    /// configuration's `fail-on`, else error.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOnArg>,
    /// Files linted at once; default: the number of CPUs.
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
    /// Colour in human output; NO_COLOR is honoured in `auto`.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

pub fn run(args: &LintArgs) -> Result<u8, Fatal> {
    run_lint(args).inspect_err(|Fatal(msg)| {
        // A run that cannot start still gives machine readers a document on stdout.
        if let Some(doc) = failure_document(args.format, msg) {
            let _ = write_stdout(&doc);
        }
    })
}

fn run_lint(args: &LintArgs) -> Result<u8, Fatal> {
    let at = evaluation_time(args.at.as_deref())?;
    let password = match &args.password_env {
        Some(var) => Some(SecretString::from(std::env::var(var).map_err(|_| {
            Fatal(format!(
                "--password-env {var}: the environment variable is not set"
            ))
        })?)),
        None => None,
    };
    let config_path = args.config.path_or(None);
    let settings = cfg::settings(config_path.as_deref())?;
    let mut linter = linter(&settings, &args.rules, config_path.as_deref())?;
    if let Some(t) = args.trust.load()? {
        linter = linter.with_trust(t);
    }
    let fail_on = FailOnArg::resolve(args.fail_on, &settings.config);
    let found = certgate::walk_files(&args.paths).map_err(Fatal)?;
    let pool = match args.jobs {
        Some(n) => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build()
                .map_err(|e| Fatal(format!("--jobs {n}: {e}")))?,
        ),
        None => None,
    };
    let opts = |explicit: bool| Options {
        at,
        password: password.as_ref(),
        report_unrecognised: explicit,
    };
    let work = || lint_files(&linter, &found.files, &opts);
    let (mut diagnostics, read) = match &pool {
        Some(pool) => pool.install(work),
        None => work(),
    };
    diagnostics.extend(linter.unreadable(&found));
    let report = fail_on.judge(Report::new("lint", diagnostics));
    let counts = Counts {
        read,
        duplicates: found.duplicates,
        paths: args.paths.len(),
    };
    let text = match args.format {
        OutputFormat::Json => json(&report, &counts),
        OutputFormat::Sarif => sarif(&report, &linter.profiles()),
        OutputFormat::Human => human(
            &report,
            &counts,
            config_path.as_deref(),
            args.color.enabled(),
        ),
    };
    write_stdout(&text)?;
    Ok(u8::from(report.failed))
}

/// The lint profile as this run configures it. The built-in one is the fast start;
/// user rule files, or rule ids named in the configuration (checked against every
/// profile, as `check` does), need the whole catalogue.
fn linter(
    settings: &cfg::Loaded,
    extra_rules: &[PathBuf],
    config_path: Option<&Path>,
) -> Result<Linter, Fatal> {
    let rule_files = settings.rule_files(extra_rules);
    let config = &settings.config;
    let names_rules = !config.rules.disable.is_empty() || !config.rules.severity.is_empty();
    if rule_files.is_empty() && !names_rules {
        return Linter::configured(config).map_err(|e| Fatal(format!("lint profile: {e}")));
    }
    let texts = cfg::read_rule_files(&rule_files)?;
    let files: Vec<(&str, &str)> = texts
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let catalogue =
        certgate::lint_catalogue_with(&files).map_err(|e| Fatal(format!("rule file {e}")))?;
    config.check_rule_ids(&catalogue).map_err(|e| {
        Fatal(match config_path {
            Some(p) => format!("{}: {e}", p.display()),
            None => e.to_string(),
        })
    })?;
    Linter::from_catalogue(&catalogue, config).map_err(|e| Fatal(format!("lint profile: {e}")))
}

/// Lints every file on the current rayon pool: the findings, and how many files were
/// read.
fn lint_files<'p>(
    linter: &Linter,
    files: &[(String, bool)],
    opts: &(impl Fn(bool) -> Options<'p> + Sync),
) -> (Vec<Diagnostic>, usize) {
    let progress = progress_bar(files.len());
    // Files sharing a directory and stem may pair (`server.pem` + `server.key`); each
    // group is read, classified and linted in one task, so only the files in flight
    // are in memory.
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    let results: Vec<(Vec<Diagnostic>, usize)> = certgate::pair_files(&names)
        .par_iter()
        .map(|unit_group| {
            let group = &unit_group.files;
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
            for unit in unit_group.units(&detected) {
                match unit {
                    LintUnit::File(g) => match input(g) {
                        Some((inp, explicit)) => {
                            out.extend(linter.lint_classified(inp, &detected[g], &opts(explicit)))
                        }
                        None => {
                            if let Some(Err(e)) = contents.get(g) {
                                out.extend(unreadable(linter, &files[group[g]].0, e));
                            }
                        }
                    },
                    LintUnit::Pair { certs, key } => {
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
            (out, contents.iter().filter(|c| c.is_ok()).count())
        })
        .collect();
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    let read = results.iter().map(|(_, n)| n).sum();
    (results.into_iter().flat_map(|(d, _)| d).collect(), read)
}

/// What the summary says besides the findings.
struct Counts {
    /// Files read (a file reached by several names once).
    read: usize,
    /// Names that led to a file already read.
    duplicates: usize,
    /// Paths named on the command line.
    paths: usize,
}

/// The JSON report: the check report's fields, with the number of files read (and of
/// duplicate names skipped) in the summary.
fn json(report: &Report, counts: &Counts) -> String {
    #[derive(Serialize)]
    struct LintSummary {
        files: usize,
        duplicates: usize,
        #[serde(flatten)]
        findings: Summary,
    }
    #[derive(Serialize)]
    struct LintReport<'a> {
        version: u32,
        profile: &'a str,
        summary: LintSummary,
        failed: bool,
        diagnostics: &'a [Diagnostic],
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        not_checked: &'a [certgate::NotChecked],
    }
    let doc = LintReport {
        version: report.version,
        profile: &report.profile,
        summary: LintSummary {
            files: counts.read,
            duplicates: counts.duplicates,
            findings: report.summary,
        },
        failed: report.failed,
        diagnostics: &report.diagnostics,
        not_checked: &report.not_checked,
    };
    match serde_json::to_string_pretty(&doc) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        Err(_) => certgate::render::json::render(report),
    }
}

/// The human report: the findings, then lint's own verdict line (the renderer's speaks
/// of an upload).
fn human(report: &Report, counts: &Counts, config: Option<&Path>, color: bool) -> String {
    let mut text = String::new();
    if let Some(p) = config {
        text.push_str(&format!("configuration: {}\n", p.display()));
    }
    let rendered = certgate::render::human::render(report, "", color);
    let body_end = rendered
        .trim_end_matches('\n')
        .rfind('\n')
        .map_or(0, |i| i + 1);
    for line in rendered.get(..body_end).unwrap_or("").split_inclusive('\n') {
        // The renderer's note speaks of an API's documentation; lint has none.
        match line.split_once(API_NOTE) {
            Some((indent, rest)) if indent.starts_with("   ") => {
                text.push_str(indent);
                text.push_str(FILE_NOTE);
                text.push_str(rest);
            }
            _ => text.push_str(line),
        }
    }
    let s = report.summary;
    let verdict = match (report.failed, s.errors > 0) {
        (true, true) => paint(color, anstyle::AnsiColor::Red, "failed"),
        (true, false) => paint(
            color,
            anstyle::AnsiColor::Yellow,
            "failed (fail-on warning)",
        ),
        (false, _) => paint(color, anstyle::AnsiColor::Green, "ok"),
    };
    let duplicates = if counts.duplicates > 0 {
        format!(
            " ({} skipped)",
            plural(counts.duplicates, "duplicate path", "duplicate paths")
        )
    } else {
        String::new()
    };
    text.push_str(&format!(
        "certgate lint: {verdict}: {} read in {}{duplicates}: {}, {}, {}\n",
        plural(counts.read, "file", "files"),
        plural(counts.paths, "path", "paths"),
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
        plural(s.infos, "info", "infos"),
    ));
    text
}

const API_NOTE: &str = "note: inferred, not stated by the API documentation";
const FILE_NOTE: &str = "note: inferred, not a documented constraint";

fn paint(color: bool, c: anstyle::AnsiColor, text: &str) -> String {
    if !color {
        return text.to_string();
    }
    let style = anstyle::Style::new().fg_color(Some(c.into())).bold();
    format!("{style}{text}{style:#}")
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

fn unreadable(linter: &Linter, name: &str, e: &str) -> Option<Diagnostic> {
    linter.finding(
        "lint-unreadable",
        Severity::Error,
        name.to_string(),
        format!("cannot read the file: {e}"),
        "Check the path and its permissions.",
    )
}

/// SARIF with each result located in its own file (and block).
fn sarif(report: &Report, profiles: &[&certgate::Profile]) -> String {
    certgate::render::sarif::render_files(report, profiles, "certgate/lint/")
}
