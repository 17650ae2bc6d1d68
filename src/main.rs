//! The certgate command line: reads files and the environment, calls the library,
//! renders, and maps the verdict to an exit code (0 clean, 1 errors, 2 could not run).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use certgate::request::{Format, Source};
use certgate::{Catalogue, Request};

#[derive(Parser)]
#[command(
    name = "certgate",
    version,
    about = "Checks a TLS certificate upload before it is sent"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a request document against a target API's profile.
    Check(CheckArgs),
    /// Write the request with its certificate chains reordered, deduplicated and
    /// normalised; private keys and secrets are left exactly as they are.
    Fix(FixArgs),
    /// List the rule catalogue.
    Rules(RulesArgs),
    /// Explain one rule: what it checks, why uploads fail, how to fix, the source.
    Explain(ExplainArgs),
}

#[derive(clap::Args)]
struct FixArgs {
    #[arg(long, short)]
    profile: String,
    /// The request document (JSON or TOML), or `-` for standard input.
    document: String,
    /// Where to write the fixed document (JSON); default: standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
    Markdown,
}

#[derive(clap::Args)]
struct RulesArgs {
    /// Only this profile's rules.
    #[arg(long, short)]
    profile: Option<String>,
    #[arg(long, short, value_enum, default_value = "text")]
    format: ListFormat,
}

#[derive(clap::Args)]
struct ExplainArgs {
    /// A rule id, e.g. domain-count.
    rule: String,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Human,
    Json,
    Sarif,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Target profile, e.g. huawei-elb-v3 (optionally @revision).
    #[arg(long, short)]
    profile: String,
    /// The request document (JSON or TOML), or `-` for standard input.
    document: String,
    #[arg(long, short, value_enum, default_value = "human")]
    format: OutputFormat,
    /// Evaluation time (RFC 3339); default: now.
    #[arg(long)]
    at: Option<String>,
    /// Colour in human output; NO_COLOR is honoured in `auto`.
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorChoice,
}

/// A reason certgate could not run: printed, then exit code 2.
struct Fatal(String);

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match cli.command {
        Command::Check(args) => run_check(&args),
        Command::Fix(args) => run_fix(&args),
        Command::Rules(args) => run_rules(&args),
        Command::Explain(args) => run_explain(&args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Fatal(msg)) => {
            let _ = writeln!(std::io::stderr(), "certgate: error: {msg}");
            ExitCode::from(2)
        }
    }
}

fn catalogue() -> Result<Catalogue, Fatal> {
    Catalogue::builtin().map_err(|e| Fatal(format!("built-in catalogue: {e}")))
}

fn find_profile<'a>(catalogue: &'a Catalogue, name: &str) -> Result<&'a certgate::Profile, Fatal> {
    catalogue.profile(name).ok_or_else(|| {
        Fatal(format!(
            "unknown profile {name:?}; known profiles: {}",
            catalogue.profile_ids().join(", ")
        ))
    })
}

fn write_stdout(text: &str) -> Result<(), Fatal> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| Fatal(format!("writing the output: {e}")))
}

fn run_rules(args: &RulesArgs) -> Result<u8, Fatal> {
    let catalogue = catalogue()?;
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

fn run_explain(args: &ExplainArgs) -> Result<u8, Fatal> {
    let catalogue = catalogue()?;
    let text = certgate::render::catalogue::explain(&catalogue, &args.rule).ok_or_else(|| {
        Fatal(format!(
            "unknown rule {:?}; `certgate rules` lists them",
            args.rule
        ))
    })?;
    write_stdout(&text)?;
    Ok(0)
}

fn run_fix(args: &FixArgs) -> Result<u8, Fatal> {
    let catalogue = catalogue()?;
    let profile = find_profile(&catalogue, &args.profile)?;
    let (request, source_name, text) = load_request(&args.document)?;
    let original = Request::parse(&text, None).map_err(|e| Fatal(format!("{source_name}: {e}")))?;
    let fixed = certgate::fix::fix(profile, original.root(), &request);
    let mut json = serde_json::to_string_pretty(&fixed.document)
        .map_err(|e| Fatal(format!("encoding the fixed document: {e}")))?;
    json.push('\n');
    match &args.output {
        Some(path) => std::fs::write(path, json)
            .map_err(|e| Fatal(format!("cannot write {}: {e}", path.display())))?,
        None => write_stdout(&json)?,
    }
    let mut err = std::io::stderr().lock();
    if fixed.changes.is_empty() {
        let _ = writeln!(err, "certgate fix: {source_name}: nothing to change");
    }
    for (pointer, change) in &fixed.changes {
        let _ = writeln!(err, "certgate fix: {source_name}#{pointer}: {change}");
    }
    Ok(0)
}

fn run_check(args: &CheckArgs) -> Result<u8, Fatal> {
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

fn evaluation_time(at: Option<&str>) -> Result<OffsetDateTime, Fatal> {
    match at {
        None => Ok(OffsetDateTime::now_utc()),
        Some(s) => OffsetDateTime::parse(s, &Rfc3339).map_err(|e| {
            Fatal(format!(
                "--at {s:?} is not an RFC 3339 time such as 2030-01-01T00:00:00Z: {e}"
            ))
        }),
    }
}

/// Reads the document and resolves its file and environment references.
fn load_request(document: &str) -> Result<(Request, String, String), Fatal> {
    let (bytes, base, name) = if document == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(certgate::request::MAX_DOCUMENT_BYTES as u64 + 1)
            .read_to_end(&mut buf)
            .map_err(|e| Fatal(format!("reading standard input: {e}")))?;
        (buf, PathBuf::from("."), "<stdin>".to_string())
    } else {
        let path = Path::new(document);
        let meta =
            std::fs::metadata(path).map_err(|e| Fatal(format!("cannot read {document}: {e}")))?;
        if meta.len() > certgate::request::MAX_DOCUMENT_BYTES as u64 {
            return Err(Fatal(format!(
                "{document} is {} bytes; certgate reads request documents of at most {}",
                meta.len(),
                certgate::request::MAX_DOCUMENT_BYTES
            )));
        }
        let bytes =
            std::fs::read(path).map_err(|e| Fatal(format!("cannot read {document}: {e}")))?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        (bytes, base, document.to_string())
    };
    let text = String::from_utf8(bytes).map_err(|_| {
        Fatal(format!(
            "{name} is not UTF-8 text (a request document is JSON or TOML)"
        ))
    })?;
    let format = match Path::new(document).extension().and_then(|e| e.to_str()) {
        Some("toml") => Some(Format::Toml),
        Some("json") => Some(Format::Json),
        _ => None,
    };
    let mut request = Request::parse(&text, format).map_err(|e| Fatal(format!("{name}: {e}")))?;
    for r in request.sources() {
        let content = match &r.source {
            Source::File(p) => {
                let path = base.join(p);
                std::fs::read(&path).map_err(|e| {
                    Fatal(format!(
                        "{name}: {}: cannot read {}: {e}",
                        r.pointer,
                        path.display()
                    ))
                })?
            }
            Source::Env(var) => std::env::var_os(var)
                .map(|v| v.into_encoded_bytes())
                .ok_or_else(|| {
                    Fatal(format!(
                        "{name}: {}: environment variable {var} is not set",
                        r.pointer
                    ))
                })?,
        };
        request.resolve(&r.pointer, content);
    }
    Ok((request, name, text))
}
