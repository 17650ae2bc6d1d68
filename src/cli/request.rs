//! `certgate request`: resolves a document's references, checks the result exactly as
//! `check` does, and only when nothing fails writes the API's own body (mode 0600): the
//! JSON body, or for multipart uploads the `curl` command with secrets from the
//! environment. A failing request prints the report and writes nothing.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::check::{ColorChoice, FailOnArg, evaluation_time};
use super::config::{self as cfg, catalogue_with};
use super::load::load_request;
use super::{Fatal, find_profile, write_stdout};

#[derive(clap::Args)]
pub struct RequestArgs {
    /// Target profile, e.g. huawei-elb-v3.
    #[arg(long, short)]
    pub profile: String,
    /// The request document (JSON or TOML) with `{"file"}` / `{"env"}` references.
    pub document: String,
    /// Where to write the body (created with mode 0600: it holds the private key).
    #[arg(long, short, value_name = "FILE", required_unless_present = "stdout")]
    pub output: Option<PathBuf>,
    /// Write the body to standard output, even a terminal.
    #[arg(long, conflicts_with = "output")]
    pub stdout: bool,
    /// Evaluation time, a full RFC 3339 time such as 2030-01-01T00:00:00Z; default: now.
    #[arg(long)]
    pub at: Option<String>,
    #[command(flatten)]
    pub config: super::config::ConfigArgs,
    /// Also load this user rule file (policy); repeatable.
    #[arg(long = "rules", value_name = "FILE")]
    pub rules: Vec<PathBuf>,
    /// The least severe finding that stops the body being written: error (default) or
    /// warning.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOnArg>,
    #[command(flatten)]
    pub trust: super::trust::TrustArgs,
    /// Colour in the report; NO_COLOR is honoured in `auto`.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

pub fn run(args: &RequestArgs) -> Result<u8, Fatal> {
    let at = evaluation_time(args.at.as_deref())?;
    let config_path = args.config.path_or(None);
    let settings = cfg::settings(config_path.as_deref())?;
    let catalogue = catalogue_with(&settings.rule_files(&args.rules))?;
    settings
        .config
        .check_rule_ids(&catalogue)
        .map_err(|e| Fatal(e.to_string()))?;
    let profile = settings.config.apply(find_profile(
        &catalogue,
        &settings.config.profile_name(&args.profile),
    )?);
    let (request, _, _) = load_request(&args.document, &profile)?;
    let trust = args.trust.load()?;
    let trust = trust.as_ref().unwrap_or_else(|| certgate::Trust::mozilla());
    let fail_on = FailOnArg::resolve(args.fail_on, &settings.config);
    let report = fail_on.judge(certgate::check_with(&profile, &request, at, trust));
    if report.failed {
        let color = args.color.enabled();
        write_stdout(&certgate::render::human::render(
            &report,
            &args.document,
            color,
        ))?;
        eprintln!("certgate: nothing written: the request would fail");
        return Ok(1);
    }
    let base = Path::new(&args.document)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let body = certgate::request_body(&profile, &request, &base)
        .map_err(|e| Fatal(format!("{}: {e}", args.document)))?;
    let out = match body {
        certgate::Body::Json(v) => {
            let mut s = serde_json::to_string_pretty(&v)
                .map_err(|e| Fatal(format!("writing the body: {e}")))?;
            s.push('\n');
            s
        }
        certgate::Body::Multipart(cmd) => cmd,
        // `Body` is non-exhaustive: a body this binary cannot write is refused.
        _ => {
            return Err(Fatal(format!(
                "{}: a body this version cannot write",
                args.document
            )));
        }
    };
    match &args.output {
        Some(path) => {
            write_private(path, &out)?;
            eprintln!(
                "certgate: wrote {} ({} bytes, mode 0600); {} errors, {} warnings, {} infos",
                path.display(),
                out.len(),
                report.summary.errors,
                report.summary.warnings,
                report.summary.infos
            );
        }
        None => {
            if std::io::stdout().is_terminal() && !args.stdout {
                return Err(Fatal("refusing to print the body (it holds the private key) to a terminal: give -o FILE or --stdout".into()));
            }
            write_stdout(&out)?;
        }
    }
    Ok(0)
}

/// Creates (or truncates) `path` readable by its owner only, then writes `text`.
fn write_private(path: &Path, text: &str) -> Result<(), Fatal> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| Fatal(format!("writing {}: {e}", path.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o600));
    }
    file.write_all(text.as_bytes())
        .map_err(|e| Fatal(format!("writing {}: {e}", path.display())))
}
