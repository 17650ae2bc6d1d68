//! `certgate check`: one request against one profile.

use clap::ValueEnum;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::load::load_request;
use super::{Fatal, catalogue, find_profile, write_stdout};

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

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Target profile, e.g. huawei-elb-v3 (optionally @revision).
    #[arg(long, short)]
    pub profile: String,
    /// The request document (JSON or TOML), or `-` for standard input.
    pub document: String,
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
    let catalogue = catalogue()?;
    let profile = find_profile(&catalogue, &args.profile)?;
    let at = evaluation_time(args.at.as_deref())?;
    let (request, source_name, doc_text) = load_request(&args.document)?;
    let report = certgate::check(profile, &request, at);
    let text = match args.format {
        OutputFormat::Json => certgate::render::json::render(&report),
        OutputFormat::Sarif => certgate::render::sarif::render(
            &report,
            profile,
            &certgate::render::sarif::Artifact {
                uri: &source_name,
                text: Some(&doc_text),
            },
        ),
        OutputFormat::Human => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                        && std::io::IsTerminal::is_terminal(&std::io::stdout())
                }
            };
            certgate::render::human::render(&report, &source_name, color)
        }
    };
    write_stdout(&text)?;
    Ok(if report.has_errors() { 1 } else { 0 })
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
