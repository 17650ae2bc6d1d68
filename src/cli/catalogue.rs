//! `certgate rules` and `certgate explain`.

use clap::ValueEnum;

use std::path::{Path, PathBuf};

use certgate::Config;
use certgate::Profile;

use super::config::{self as cfg, catalogue_with};
use super::{Fatal, find_profile, write_stdout};

#[derive(Clone, Copy, ValueEnum)]
pub enum ListFormat {
    /// Text for a terminal (`text` is accepted too).
    #[value(alias = "text")]
    Human,
    Json,
    Markdown,
}

#[derive(clap::Args)]
pub struct RulesArgs {
    /// Only this profile's rules.
    #[arg(long, short)]
    pub profile: Option<String>,
    /// human (a table for the terminal), json, or markdown (as rules/README.md).
    #[arg(long, short, value_enum, default_value = "human")]
    pub format: ListFormat,
    /// Also load this user rule file (policy or new profile); repeatable.
    #[arg(long = "rules", value_name = "FILE")]
    pub rule_files: Vec<PathBuf>,
    /// Document the rule kinds (what each checks, why uploads fail, its parameters)
    /// instead of listing rules.
    #[arg(long, conflicts_with_all = ["profile", "rule_files"])]
    pub kinds: bool,
    /// List the targets (profiles: endpoint, documentation, rule count) instead of
    /// rules; `--format markdown` is README.md's targets table.
    #[arg(long, conflicts_with_all = ["profile", "kinds"])]
    pub targets: bool,
}

#[derive(clap::Args)]
pub struct ExplainArgs {
    /// A rule id, e.g. domain-count.
    pub rule: String,
    /// Only this profile's instances of the rule (`huawei-apic-v2`, or `lint`).
    #[arg(long, short)]
    pub profile: Option<String>,
    /// Also load this user rule file (policy or new profile); repeatable.
    #[arg(long = "rules", value_name = "FILE")]
    pub rule_files: Vec<PathBuf>,
    #[command(flatten)]
    pub config: super::config::ConfigArgs,
}

/// The profile `certgate lint` checks files with (`rules/lint.toml`), listed after the
/// catalogue's: its own rules (`lint-unreadable`...) are documented there.
fn lint_profile() -> Result<certgate::Linter, Fatal> {
    certgate::Linter::new().map_err(|e| Fatal(format!("rule file {e}")))
}

pub fn run_rules(args: &RulesArgs) -> Result<u8, Fatal> {
    use certgate::render::catalogue as list;
    if args.kinds {
        let text = match args.format {
            ListFormat::Human => list::kinds_text(),
            ListFormat::Json => list::kinds_json(),
            ListFormat::Markdown => list::kinds_markdown(),
        };
        write_stdout(&text)?;
        return Ok(0);
    }
    let catalogue = catalogue_with(&args.rule_files)?;
    if args.targets {
        let text = match args.format {
            ListFormat::Human => list::targets_text(&catalogue),
            ListFormat::Json => list::targets_json(&catalogue),
            ListFormat::Markdown => list::targets_markdown(&catalogue),
        };
        write_stdout(&text)?;
        return Ok(0);
    }
    let linter = lint_profile()?;
    let profiles: Vec<&certgate::Profile> = match &args.profile {
        Some(p) if p == "lint" || p.starts_with("lint@") => linter.own_profiles().to_vec(),
        Some(p) => vec![find_profile(&catalogue, p)?],
        None => catalogue
            .profiles()
            .iter()
            .chain(linter.own_profiles())
            .collect(),
    };
    let text = match args.format {
        ListFormat::Human => list::list_text_of(&profiles),
        ListFormat::Json => list::list_json_of(&profiles),
        ListFormat::Markdown => list::list_markdown_of(&profiles),
    };
    write_stdout(&text)?;
    Ok(0)
}

pub fn run_explain(args: &ExplainArgs) -> Result<u8, Fatal> {
    // The configuration `check` would use here, so that the explanation says what a run
    // in this directory enforces.
    let config_path = args.config.path_or(None);
    let settings = config_path.as_deref().map(cfg::load).transpose()?;
    let rule_files = settings.as_ref().map_or_else(
        || args.rule_files.clone(),
        |s| s.rule_files(&args.rule_files),
    );
    let catalogue = catalogue_with(&rule_files)?;
    let linter = lint_profile()?;
    let all: Vec<&certgate::Profile> = catalogue
        .profiles()
        .iter()
        .chain(linter.own_profiles())
        .collect();
    let profiles = match &args.profile {
        Some(p) if p == "lint" || p.starts_with("lint@") => linter.own_profiles().to_vec(),
        // The revision `check` would select here (certgate.toml's `[revisions]`).
        Some(p) => {
            let name = settings
                .as_ref()
                .map_or_else(|| p.clone(), |s| s.config.profile_name(p));
            vec![find_profile(&catalogue, &name)?]
        }
        None => all.clone(),
    };
    let mut text =
        certgate::render::catalogue::explain_of(&profiles, &args.rule).ok_or_else(|| {
            let has = |p: &&&Profile| p.has_rule(&args.rule);
            let elsewhere: Vec<&str> = all.iter().filter(has).map(|p| p.id()).collect();
            match &args.profile {
                Some(p) if !elsewhere.is_empty() => Fatal(format!(
                    "profile {p} has no rule {:?}; it is in: {}",
                    args.rule,
                    elsewhere.join(", ")
                )),
                _ => {
                    let ids = all.iter().flat_map(|p| p.rule_ids());
                    Fatal(format!(
                        "unknown rule {:?}{}; `certgate rules` lists them",
                        args.rule,
                        certgate::did_you_mean(&args.rule, ids)
                    ))
                }
            }
        })?;
    if let (Some(path), Some(s)) = (&config_path, &settings) {
        text.push_str(&configured_notes(&profiles, &s.config, &args.rule, path));
    }
    write_stdout(&text)?;
    Ok(0)
}

/// How a configuration changes rule `id` in each profile, as lines after the
/// explanation; empty when it changes nothing.
fn configured_notes(profiles: &[&Profile], config: &Config, id: &str, path: &Path) -> String {
    let mut lines = Vec::new();
    for p in profiles {
        let changes = config.changes(p, id);
        if !changes.is_empty() {
            lines.push(format!("  {}: {}", p.id(), changes.join("; ")));
        }
    }
    if lines.is_empty() {
        return String::new();
    }
    format!(
        "as configured by {}:\n{}\n",
        path.display(),
        lines.join("\n")
    )
}
