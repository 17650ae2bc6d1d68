//! `certgate check`: one request against one profile, or a batch (several documents, or
//! a manifest's uploads) with one combined report and exit code.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::ValueEnum;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use certgate::config::{Config, FailOn};
use certgate::{Catalogue, Profile, Report};

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

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Target profile, e.g. huawei-elb-v3 (optionally @revision).
    #[arg(long, short)]
    pub profile: Option<String>,
    /// Request documents (JSON or TOML), or `-` for standard input.
    pub documents: Vec<String>,
    /// A manifest (certgate.toml with `[[upload]]` entries): check every upload it lists.
    #[arg(long, short, conflicts_with_all = ["documents", "profile"])]
    pub manifest: Option<PathBuf>,
    /// Configuration file; default: the nearest certgate.toml upward from here.
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// Ignore certgate.toml files.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
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
    #[arg(long, short, value_enum, default_value = "human")]
    pub format: OutputFormat,
    /// Evaluation time (RFC 3339); default: now.
    #[arg(long)]
    pub at: Option<String>,
    /// Colour in human output; NO_COLOR is honoured in `auto`.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

pub fn run(args: &CheckArgs) -> Result<u8, Fatal> {
    let at = evaluation_time(args.at.as_deref())?;
    // Settings: --config, else the manifest itself, else certgate.toml found upward.
    let config_path = args
        .config
        .clone()
        .or_else(|| args.manifest.clone())
        .or_else(|| cfg::discover(args.no_config));
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
            let p = find_profile(&catalogue, name)?;
            configured.insert(name.clone(), config.apply(p));
        }
    }
    let jobs: Vec<Job<'_>> = wanted
        .iter()
        .map(|(label, doc, name)| Job {
            name: label.clone(),
            document: doc.clone(),
            profile: &configured[name],
        })
        .collect();
    // One job runs inline: asking for the CPU count reads cgroup files, and a thread
    // costs more than it saves.
    let workers = match (args.jobs, jobs.len()) {
        (Some(n), _) => n,
        (None, 0 | 1) => 1,
        (None, _) => std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
    };
    let results = run_all(&jobs, at, workers);
    let mut outcomes = Vec::new();
    let mut failures = Vec::new();
    for r in results {
        match r {
            Ok(o) => outcomes.push(o),
            Err(Fatal(msg)) => failures.push(msg),
        }
    }
    if !failures.is_empty() {
        return Err(Fatal(failures.join("\ncertgate: error: ")));
    }
    let fail_on = match args.fail_on {
        Some(FailOnArg::Error) => FailOn::Error,
        Some(FailOnArg::Warning) => FailOn::Warning,
        None => config.fail_on.unwrap_or_default(),
    };
    let batch = manifest.is_some() || outcomes.len() > 1;
    let text = render(args, &jobs, &outcomes, batch, fail_on);
    write_stdout(&text)?;
    Ok(u8::from(outcomes.iter().any(|o| fail_on.fails(&o.report))))
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
    outcomes: &[Outcome],
    batch: bool,
    fail_on: FailOn,
) -> String {
    use certgate::render::sarif::{Artifact, render_many};
    match args.format {
        OutputFormat::Json if !batch => certgate::render::json::render(&outcomes[0].report),
        OutputFormat::Json => batch_json(outcomes, fail_on),
        OutputFormat::Sarif => {
            let artifacts: Vec<Artifact<'_>> = outcomes
                .iter()
                .map(|o| Artifact {
                    uri: &o.source,
                    text: Some(&o.text),
                })
                .collect();
            let items: Vec<(&Report, &Profile, &Artifact<'_>)> = outcomes
                .iter()
                .zip(jobs)
                .zip(&artifacts)
                .map(|((o, j), a)| (&o.report, j.profile, a))
                .collect();
            let id = if batch {
                "certgate/batch/".to_string()
            } else {
                format!("certgate/{}/", outcomes[0].report.profile)
            };
            render_many(&items, &id)
        }
        OutputFormat::Human => {
            let color = args.color.enabled();
            if !batch {
                let o = &outcomes[0];
                return certgate::render::human::render(&o.report, &o.source, color);
            }
            let mut out = String::new();
            for o in outcomes {
                out.push_str(&format!("== {} ({})\n", o.name, o.report.profile));
                out.push_str(&certgate::render::human::render(
                    &o.report, &o.source, color,
                ));
                out.push('\n');
            }
            let failed = outcomes.iter().filter(|o| fail_on.fails(&o.report)).count();
            let (e, w, i) = totals(outcomes);
            let n = |k: usize, word: &str| format!("{k} {word}{}", if k == 1 { "" } else { "s" });
            out.push_str(&format!(
                "{} checked: {failed} failed (fail-on {}); {}, {}, {} in all\n",
                n(outcomes.len(), "upload"),
                match fail_on {
                    FailOn::Error => "error",
                    FailOn::Warning => "warning",
                },
                n(e, "error"),
                n(w, "warning"),
                n(i, "info"),
            ));
            out
        }
    }
}

fn totals(outcomes: &[Outcome]) -> (usize, usize, usize) {
    outcomes.iter().fold((0, 0, 0), |(e, w, i), o| {
        let s = o.report.summary;
        (e + s.errors, w + s.warnings, i + s.infos)
    })
}

/// The batch JSON report: totals, then each upload's report (the single-document
/// format) with its name and document, in manifest order.
fn batch_json(outcomes: &[Outcome], fail_on: FailOn) -> String {
    let (e, w, i) = totals(outcomes);
    let reports: Vec<serde_json::Value> = outcomes
        .iter()
        .map(|o| {
            let mut v = serde_json::to_value(&o.report).unwrap_or_default();
            if let Some(map) = v.as_object_mut() {
                map.insert("name".into(), o.name.clone().into());
                map.insert("document".into(), o.source.clone().into());
                map.insert("failed".into(), fail_on.fails(&o.report).into());
            }
            v
        })
        .collect();
    let v = serde_json::json!({
        "version": 1,
        "summary": {
            "uploads": outcomes.len(),
            "failed": outcomes.iter().filter(|o| fail_on.fails(&o.report)).count(),
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
        Some(s) => OffsetDateTime::parse(s, &Rfc3339).map_err(|e| {
            Fatal(format!(
                "--at {s:?} is not an RFC 3339 time such as 2030-01-01T00:00:00Z: {e}"
            ))
        }),
    }
}
