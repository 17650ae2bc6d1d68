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

pub fn run_rules(args: &RulesArgs) -> Result<u8, Fatal> {
    let catalogue = catalogue_with(&args.rule_files)?;
    let only = match &args.profile {
        Some(p) => Some(find_profile(&catalogue, p)?),
        None => None,
    };
    use certgate::render::catalogue as list;
    let text = match args.format {
        ListFormat::Text => list::list_text(&catalogue, only),
        ListFormat::Json => list::list_json(&catalogue, only),
        ListFormat::Markdown => list::list_markdown(&catalogue, only),
    };
    write_stdout(&text)?;
    Ok(0)
}

pub fn run_explain(args: &ExplainArgs) -> Result<u8, Fatal> {
    let catalogue = catalogue_with(&args.rule_files)?;
    let text = certgate::render::catalogue::explain(&catalogue, &args.rule).ok_or_else(|| {
        Fatal(format!(
            "unknown rule {:?}; `certgate rules` lists them",
            args.rule
        ))
    })?;
    write_stdout(&text)?;
    Ok(0)
}
