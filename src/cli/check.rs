//! `certgate check`: one request against one profile, or a batch (several documents, or
//! a manifest's uploads) with one combined report and exit code.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use certgate::{Catalogue, Profile, Report};
use certgate::{Config, FailOn};

use super::config::{self as cfg, join_clean};
use super::manifest::{Job, Outcome, run_all};
use super::{Fatal, find_profile, write_stdout};

#[derive(Clone, Copy, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
    Sarif,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// `auto`: colour only on a terminal, and never when NO_COLOR is set and not empty.
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::IsTerminal::is_terminal(&std::io::stdout())
            }
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FailOnArg {
    Error,
    Warning,
}

impl FailOnArg {
    /// The run's fail-on: the flag, else the configuration's `fail-on`, else error.
    pub fn resolve(flag: Option<FailOnArg>, config: &Config) -> FailOn {
        match flag {
            Some(FailOnArg::Error) => FailOn::Error,
            Some(FailOnArg::Warning) => FailOn::Warning,
            None => config.fail_on.unwrap_or_default(),
        }
    }
}

/// The document json and sarif write on stdout when a run cannot start; none for human.
pub fn failure_document(format: OutputFormat, msg: &str) -> Option<String> {
    match format {
        OutputFormat::Human => None,
        OutputFormat::Json => Some(certgate::render::json::failure(msg)),
        OutputFormat::Sarif => Some(certgate::render::sarif::failure(msg)),
    }
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Target profile, e.g. huawei-elb-v3 (optionally @revision).
    #[arg(long, short)]
    pub profile: Option<String>,
    /// Request documents (JSON, TOML or YAML; a YAML file of several `---` documents is
    /// a batch), or `-` for standard input.
    pub documents: Vec<String>,
    /// A manifest (certgate.toml with `[[upload]]` entries): check every upload it lists.
    #[arg(long, short, conflicts_with_all = ["documents", "profile"])]
    pub manifest: Option<PathBuf>,
    #[command(flatten)]
    pub config: super::config::ConfigArgs,
    /// A user rule file (policy or new profile), in the format of rules/*.toml; repeatable.
    #[arg(long = "rules", value_name = "FILE")]
    pub rules: Vec<PathBuf>,
    /// The least severe finding that fails the run (exit 1); default: the
    /// configuration's `fail-on`, else error.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOnArg>,
    /// Documents checked at once in a batch; default: the number of CPUs.
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
    /// Report format: human (rustc-like text), json (the versioned report) or sarif
    /// (SARIF 2.1.0 for code scanning). json and sarif write a document even when the run
    /// cannot start.
    #[arg(long, short, value_enum, default_value = "human")]
    pub format: OutputFormat,
    /// Evaluation time, a full RFC 3339 time such as 2030-01-01T00:00:00Z; default: now.
    #[arg(long)]
    pub at: Option<String>,
    #[command(flatten)]
    pub trust: super::trust::TrustArgs,
    /// Colour in human output; NO_COLOR is honoured in `auto`.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

/// `check --help` after the flags: the profiles (from the catalogue, so never stale),
/// the exit codes and the reference syntax.
pub fn after_help(profiles: &[String]) -> String {
    format!(
        "Profiles: {}\n  (`certgate rules --profile P` lists a profile's rules; `id@revision` picks another document, and certgate.toml's [revisions] pins one for a project)\n\n\
         Any string field of a request may be a reference instead of the value:\n  \
         {{\"file\": \"chain.pem\"}}   the file's content, relative to the document\n  \
         {{\"env\": \"TLS_KEY\"}}      an environment variable's value\n\n\
         Exit codes:\n  \
         0  no finding fails the run (by default: no error)\n  \
         1  at least one finding fails the run (errors; warnings too with --fail-on warning)\n  \
         2  certgate could not run: bad flags, unknown profile, unreadable or non-JSON/TOML/YAML document,\n     \
         an unresolvable reference (a batch still reports every readable document)",
        profiles.join(", ")
    )
}

pub fn run(args: &CheckArgs) -> Result<u8, Fatal> {
    run_checks(args).inspect_err(|Fatal(msg)| {
        // A run that cannot start still gives machine readers a document on stdout.
        if let Some(doc) = failure_document(args.format, msg) {
            let _ = write_stdout(&doc);
        }
    })
}

fn run_checks(args: &CheckArgs) -> Result<u8, Fatal> {
    let at = evaluation_time(args.at.as_deref())?;
    // Settings: --config, else the manifest itself, else certgate.toml found upward.
    let config_path = args.config.path_or(args.manifest.clone());
    let settings = match &config_path {
        Some(p) => cfg::load(p)?,
        None => cfg::Loaded {
            config: Config::default(),
            dir: PathBuf::new(),
        },
    };
    let manifest = match (&args.manifest, &config_path) {
        (Some(m), Some(c)) if m == c => Some(cfg::Loaded {
            config: settings.config.clone(),
            dir: settings.dir.clone(),
        }),
        (Some(m), _) => Some(cfg::load(m)?),
        (None, _) => None,
    };

    let rule_files = settings.rule_files(&args.rules);
    let config = &settings.config;
    let catalogue = match subset_catalogue(args, manifest.as_ref(), &rule_files, config) {
        Some(c) => c,
        None => cfg::catalogue_with(&rule_files)?,
    };
    config.check_rule_ids(&catalogue).map_err(|e| {
        Fatal(match &config_path {
            Some(p) => format!("{}: {e}", p.display()),
            None => e.to_string(),
        })
    })?;

    // (label, document path, profile name) in report order.
    let wanted: Vec<(String, String, String)> = match &manifest {
        Some(m) => {
            if m.config.upload.is_empty() {
                return Err(Fatal(format!(
                    "{}: the manifest lists no [[upload]]",
                    args.manifest
                        .as_deref()
                        .unwrap_or(m.dir.as_path())
                        .display()
                )));
            }
            m.config
                .upload
                .iter()
                .map(|u| {
                    let doc = join_clean(&m.dir, &u.document)
                        .to_string_lossy()
                        .replace('\\', "/");
                    (
                        u.name.clone().unwrap_or(doc.clone()),
                        doc,
                        u.profile.clone(),
                    )
                })
                .collect()
        }
        None => {
            let profile = args.profile.clone().ok_or_else(|| {
                Fatal("--profile is required (or --manifest with [[upload]] entries)".into())
            })?;
            if args.documents.is_empty() {
                return Err(Fatal(
                    "no request document given (a path, `-` for standard input, or --manifest)"
                        .into(),
                ));
            }
            args.documents
                .iter()
                .map(|d| (d.clone(), d.clone(), profile.clone()))
                .collect()
        }
    };

    let mut configured: BTreeMap<String, Profile> = BTreeMap::new();
    for (_, _, name) in &wanted {
        if !configured.contains_key(name) {
            let p = find_profile(&catalogue, &config.profile_name(name))?;
            configured.insert(name.clone(), config.apply(p));
        }
    }
    let mut jobs: Vec<Job<'_>> = Vec::new();
    for (label, doc, name) in &wanted {
        let profile = &configured[name];
        match read_parts(doc)? {
            Some(parts) => {
                let n = parts.len();
                for (i, text) in parts.into_iter().enumerate() {
                    jobs.push(Job {
                        name: if n > 1 {
                            format!("{label} (document {} of {n})", i + 1)
                        } else {
                            label.clone()
                        },
                        document: doc.clone(),
                        profile,
                        part: Some(text),
                    });
                }
            }
            None => jobs.push(Job {
                name: label.clone(),
                document: doc.clone(),
                profile,
                part: None,
            }),
        }
    }
    // One job runs inline: asking for the CPU count reads cgroup files, and a thread
    // costs more than it saves.
    let workers = match (args.jobs, jobs.len()) {
        (Some(n), _) => n,
        (None, 0 | 1) => 1,
        (None, _) => std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
    };
    let fail_on = FailOnArg::resolve(args.fail_on, config);
    let trust = args.trust.load()?;
    let results: Vec<Result<Outcome, Fatal>> = run_all(&jobs, at, workers, trust.as_ref())
        .into_iter()
        .map(|r| {
            r.map(|mut o| {
                o.report = fail_on.judge(o.report);
                o
            })
        })
        .collect();
    let batch = manifest.is_some() || results.len() > 1;
    if !batch {
        // One document that cannot be read: nothing to report but the reason.
        if let Some(Err(Fatal(msg))) = results.first() {
            return Err(Fatal(msg.clone()));
        }
    }
    let used = config_path.as_deref().filter(|_| args.manifest.is_none());
    let text = render(args, &jobs, &results, batch, fail_on, used);
    write_stdout(&text)?;
    let unreadable: Vec<&str> = results
        .iter()
        .filter_map(|r| r.as_ref().err().map(|Fatal(m)| m.as_str()))
        .collect();
    if !unreadable.is_empty() {
        // Every readable document is reported above; the run still could not finish.
        let mut err = std::io::stderr().lock();
        for msg in unreadable {
            let _ = writeln!(err, "certgate: error: {msg}");
        }
        return Ok(2);
    }
    Ok(u8::from(results.iter().flatten().any(|o| o.report.failed)))
}

/// The document(s) of `document` when they are read here, so that none is read twice: a
/// YAML stream (`.yaml`/`.yml`, or standard input that is one) split into its documents,
/// each checked and reported on its own as a batch is; any other YAML file, and standard
/// input whatever it holds, whole. `None` leaves the document to be read when it is
/// checked (not YAML, or unreadable or too large: the check says why).
fn read_parts(document: &str) -> Result<Option<Vec<Vec<u8>>>, Fatal> {
    let bytes = if document == "-" {
        super::load::read_stdin()?
    } else if super::load::is_yaml_path(document) {
        match super::load::read_document(document) {
            Some(b) => b,
            None => return Ok(None),
        }
    } else {
        return Ok(None);
    };
    // Not text: the check of the whole input says what it is.
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Ok(Some(vec![bytes]));
    };
    let opens_like_json = text.trim_start().starts_with(['{', '[']);
    let docs = certgate::yaml_documents(text);
    if docs.len() < 2 || opens_like_json {
        return Ok(Some(vec![bytes]));
    }
    Ok(Some(
        docs.iter()
            .map(|d| format!("{}{}", "\n".repeat(d.line.saturating_sub(1)), d.text).into_bytes())
            .collect(),
    ))
}

/// The built-in profiles this run names, without deserializing the rest of the
/// catalogue: most of a single check's start-up. `None` (load everything) when user rule
/// files take part, or when a name is unknown or the configuration names a rule id the
/// subset lacks: the whole catalogue then decides, with its own error messages.
fn subset_catalogue(
    args: &CheckArgs,
    manifest: Option<&cfg::Loaded>,
    rule_files: &[PathBuf],
    config: &Config,
) -> Option<Catalogue> {
    if !rule_files.is_empty() {
        return None;
    }
    let names: Vec<&str> = match manifest {
        Some(m) => m.config.upload.iter().map(|u| u.profile.as_str()).collect(),
        None => args.profile.iter().map(String::as_str).collect(),
    };
    if names.is_empty() {
        return None;
    }
    let catalogue = Catalogue::builtin_only(&names).ok()?;
    let complete = names.iter().all(|n| catalogue.profile(n).is_some())
        && config.check_rule_ids(&catalogue).is_ok();
    complete.then_some(catalogue)
}

fn render(
    args: &CheckArgs,
    jobs: &[Job<'_>],
    results: &[Result<Outcome, Fatal>],
    batch: bool,
    fail_on: FailOn,
    config: Option<&Path>,
) -> String {
    use certgate::render::sarif::{Artifact, Unchecked, render_run};
    let outcomes: Vec<&Outcome> = results.iter().flatten().collect();
    match args.format {
        OutputFormat::Json if !batch => outcomes
            .first()
            .map(|o| certgate::render::json::render(&o.report))
            .unwrap_or_default(),
        OutputFormat::Json => batch_json(jobs, results),
        OutputFormat::Sarif => {
            let artifacts: Vec<Artifact<'_>> = outcomes
                .iter()
                .map(|o| Artifact {
                    uri: &o.source,
                    text: Some(&o.text),
                })
                .collect();
            let items: Vec<(&Report, &Artifact<'_>)> =
                outcomes.iter().map(|o| &o.report).zip(&artifacts).collect();
            let mut profiles: Vec<&Profile> = Vec::new();
            for j in jobs {
                if !profiles.iter().any(|p| std::ptr::eq(*p, j.profile)) {
                    profiles.push(j.profile);
                }
            }
            let unchecked: Vec<Unchecked<'_>> = results
                .iter()
                .zip(jobs)
                .filter_map(|(r, j)| {
                    r.as_ref().err().map(|Fatal(m)| Unchecked {
                        uri: &j.document,
                        message: m,
                    })
                })
                .collect();
            let id = match outcomes.first() {
                Some(o) if !batch => format!("certgate/{}/", o.report.profile),
                _ => "certgate/batch/".to_string(),
            };
            render_run(&items, &profiles, &id, &unchecked)
        }
        OutputFormat::Human => {
            let color = args.color.enabled();
            let mut out = String::new();
            if let Some(p) = config {
                out.push_str(&format!("configuration: {}\n", p.display()));
            }
            if !batch {
                if let Some(o) = outcomes.first() {
                    out.push_str(&certgate::render::human::render(
                        &o.report, &o.source, color,
                    ));
                }
                return out;
            }
            for (r, job) in results.iter().zip(jobs) {
                match r {
                    Ok(o) => {
                        out.push_str(&format!("== {} ({})\n", o.name, o.report.profile));
                        out.push_str(&certgate::render::human::render(
                            &o.report, &o.source, color,
                        ));
                    }
                    Err(Fatal(msg)) => {
                        out.push_str(&format!("== {} ({})\n", job.name, job.profile.id()));
                        out.push_str(&format!("not checked: {msg}\n"));
                    }
                }
                out.push('\n');
            }
            let failed = outcomes.iter().filter(|o| o.report.failed).count();
            let unchecked = results.len() - outcomes.len();
            let (e, w, i) = totals(&outcomes);
            let n = |k: usize, word: &str| format!("{k} {word}{}", if k == 1 { "" } else { "s" });
            out.push_str(&format!(
                "{} checked{}: {failed} failed (fail-on {}); {}, {}, {} in all\n",
                n(outcomes.len(), "upload"),
                if unchecked > 0 {
                    format!(", {unchecked} could not be read")
                } else {
                    String::new()
                },
                match fail_on {
                    FailOn::Warning => "warning",
                    // `FailOn` is non-exhaustive; error is its default.
                    _ => "error",
                },
                n(e, "error"),
                n(w, "warning"),
                n(i, "info"),
            ));
            out
        }
    }
}

fn totals(outcomes: &[&Outcome]) -> (usize, usize, usize) {
    outcomes.iter().fold((0, 0, 0), |(e, w, i), o| {
        let s = o.report.summary;
        (e + s.errors, w + s.warnings, i + s.infos)
    })
}

/// The batch JSON report: totals, then each upload's report (the single-document
/// format) with its name and document, in manifest order. A document that could not be
/// read is an entry with its `error` and no diagnostics.
fn batch_json(jobs: &[Job<'_>], results: &[Result<Outcome, Fatal>]) -> String {
    let outcomes: Vec<&Outcome> = results.iter().flatten().collect();
    let (e, w, i) = totals(&outcomes);
    let reports: Vec<serde_json::Value> = results
        .iter()
        .zip(jobs)
        .map(|(r, job)| match r {
            Ok(o) => {
                let mut v = serde_json::to_value(&o.report).unwrap_or_default();
                if let Some(map) = v.as_object_mut() {
                    map.insert("name".into(), o.name.clone().into());
                    map.insert("document".into(), o.source.clone().into());
                }
                v
            }
            Err(Fatal(msg)) => serde_json::json!({
                "version": 1,
                "profile": job.profile.id(),
                "name": job.name,
                "document": job.document,
                "error": msg,
                "failed": true,
                "diagnostics": [],
            }),
        })
        .collect();
    let v = serde_json::json!({
        "version": 1,
        "summary": {
            "uploads": results.len(),
            "failed": results.iter().filter(|r| r.as_ref().map_or(true, |o| o.report.failed)).count(),
            "unreadable": results.len() - outcomes.len(),
            "errors": e,
            "warnings": w,
            "infos": i,
        },
        "reports": reports,
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

pub(super) fn evaluation_time(at: Option<&str>) -> Result<OffsetDateTime, Fatal> {
    match at {
        None => Ok(OffsetDateTime::now_utc()),
        Some(s) => OffsetDateTime::parse(s, &Rfc3339).map_err(|_| {
            // The parser's own words ("the 'hour' component could not be parsed") do not
            // tell a user what to type; an example does.
            let example = match s.get(..10) {
                Some(date) if s.len() == 10 => format!("{date}T00:00:00Z"),
                _ => "2030-01-01T00:00:00Z".to_string(),
            };
            Fatal(format!(
                "--at {s:?} is not a time certgate can read: give a full RFC 3339 time such as {example} (date, time and offset)"
            ))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::read_parts;

    /// A YAML file of one document is read once, here, and handed on whole to the check.
    #[test]
    fn a_yaml_file_of_one_document_is_read_once() {
        let path = "corpus/kubernetes-tls-secret/pass-typical.yaml";
        let parts = read_parts(path).ok().flatten().expect("read here");
        assert_eq!(parts, vec![std::fs::read(path).unwrap()]);
    }

    /// A stream is split; other formats and missing files are left to the check.
    #[test]
    fn streams_are_split_and_other_documents_left_to_the_check() {
        let stream = read_parts("corpus/kubernetes-tls-secret/batch/two-secrets.yaml")
            .ok()
            .flatten()
            .expect("a stream");
        assert!(stream.len() > 1, "{}", stream.len());
        assert!(
            read_parts("corpus/kubernetes-tls-secret/pass-typical.json").is_ok_and(|p| p.is_none())
        );
        assert!(read_parts("corpus/no-such-file.yaml").is_ok_and(|p| p.is_none()));
    }
}
