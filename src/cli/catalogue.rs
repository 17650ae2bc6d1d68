//! `certgate rules` and `certgate explain`.

use clap::ValueEnum;

use std::path::PathBuf;

use super::config::catalogue_with;
use super::{Fatal, find_profile, write_stdout};

#[derive(Clone, Copy, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
    Markdown,
}

#[derive(clap::Args)]
pub struct RulesArgs {
    /// Only this profile's rules.
    #[arg(long, short)]
    pub profile: Option<String>,
    #[arg(long, short, value_enum, default_value = "text")]
    pub format: ListFormat,
    /// Also load this user rule file (policy or new profile); repeatable.
    #[arg(long = "rules", value_name = "FILE")]
    pub rule_files: Vec<PathBuf>,
}

#[derive(clap::Args)]
pub struct ExplainArgs {
    /// A rule id, e.g. domain-count.
    pub rule: String,
    /// Also load this user rule file (policy or new profile); repeatable.
    #[arg(long = "rules", value_name = "FILE")]
    pub rule_files: Vec<PathBuf>,
}

/// The profile `certgate lint` checks files with (`rules/lint.toml`), listed after the
/// catalogue's: its own rules (`lint-unreadable`...) are documented there.
fn lint_profile() -> Result<certgate::lint::Linter, Fatal> {
    certgate::lint::Linter::new().map_err(|e| Fatal(format!("rule file {e}")))
}

pub fn run_rules(args: &RulesArgs) -> Result<u8, Fatal> {
    let catalogue = catalogue_with(&args.rule_files)?;
    let linter = lint_profile()?;
    let profiles: Vec<&certgate::Profile> = match &args.profile {
        Some(p) if p == "lint" || p.starts_with("lint@") => vec![linter.profile()],
        Some(p) => vec![find_profile(&catalogue, p)?],
        None => catalogue
            .profiles()
            .iter()
            .chain([linter.profile()])
            .collect(),
    };
    use certgate::render::catalogue as list;
    let text = match args.format {
        ListFormat::Text => list::list_text_of(&profiles),
        ListFormat::Json => list::list_json_of(&profiles),
        ListFormat::Markdown => list::list_markdown_of(&profiles),
    };
    write_stdout(&text)?;
    Ok(0)
}

pub fn run_explain(args: &ExplainArgs) -> Result<u8, Fatal> {
    let catalogue = catalogue_with(&args.rule_files)?;
    let linter = lint_profile()?;
    let profiles: Vec<&certgate::Profile> = catalogue
        .profiles()
        .iter()
        .chain([linter.profile()])
        .collect();
    let text = certgate::render::catalogue::explain_of(&profiles, &args.rule).ok_or_else(|| {
        Fatal(format!(
            "unknown rule {:?}; `certgate rules` lists them",
            args.rule
        ))
    })?;
    write_stdout(&text)?;
    Ok(0)
}
