//! The certgate command line: reads files and the environment, calls the library,
//! renders, and maps the verdict to an exit code (0 clean, 1 errors, 2 could not run).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use certgate::catalogue::Material;
use certgate::request::{Format, Source};
use certgate::{Catalogue, Profile, Request};

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
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Fatal(msg)) => {
            let _ = writeln!(std::io::stderr(), "certgate: error: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run_check(args: &CheckArgs) -> Result<u8, Fatal> {
    let catalogue = Catalogue::builtin().map_err(|e| Fatal(format!("built-in catalogue: {e}")))?;
    let profile = catalogue.profile(&args.profile).ok_or_else(|| {
        Fatal(format!(
            "unknown profile {:?}; known profiles: {}",
            args.profile,
            catalogue.profile_ids().join(", ")
        ))
    })?;
    let at = evaluation_time(args.at.as_deref())?;
    let (request, source_name, doc_text) = load_request(&args.document, profile)?;
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
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| Fatal(format!("writing the report: {e}")))?;
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
fn load_request(document: &str, profile: &Profile) -> Result<(Request, String, String), Fatal> {
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
    let mut request = match Request::parse(&text, format) {
        Ok(r) => r,
        Err(e) => match bare_csr_request(profile, &text) {
            Some(r) => r,
            None => return Err(Fatal(format!("{name}: {e}"))),
        },
    };
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
    // Archive uploads: a plain string names the file, relative to the document.
    for spec in profile
        .fields
        .iter()
        .filter(|f| f.material == Material::Pkcs12)
    {
        let Some(file) = request
            .root()
            .pointer(&spec.pointer)
            .and_then(|v| v.as_str())
        else {
            continue;
        };
        if file.trim().is_empty() {
            continue;
        }
        let path = base.join(file);
        let bytes = std::fs::read(&path).map_err(|e| {
            Fatal(format!(
                "{name}: {}: cannot read the archive {}: {e}",
                spec.pointer,
                path.display()
            ))
        })?;
        request.attach(&spec.pointer, bytes);
    }
    Ok((request, name, text))
}

/// A CSR profile also takes a document that is not JSON: a bare CSR (PEM or base64), or a
/// response body that is not strict JSON (the seed's own example has raw line breaks in
/// the string). It becomes the value of the profile's CSR field.
fn bare_csr_request(profile: &Profile, text: &str) -> Option<Request> {
    let spec = profile
        .fields
        .iter()
        .find(|f| f.material == Material::Csr)?;
    let key = spec.pointer.strip_prefix('/')?;
    if key.contains('/') {
        return None;
    }
    let mut body = serde_json::Map::new();
    body.insert(key.to_string(), serde_json::Value::String(text.to_string()));
    Request::from_value(serde_json::Value::Object(body)).ok()
}
