//! The certgate command line: reads files and the environment, calls the library,
//! renders, and maps the verdict to an exit code (0 clean, 1 errors, 2 could not run).

mod catalogue;
mod check;
mod completions;
mod config;
mod fix;
mod lint;
mod load;
mod man;
mod manifest;
mod request;
mod trust;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use certgate::Catalogue;

/// `certgate --version`: the version and the root bundle the client verdict uses by
/// default (a root store ages: say which one).
fn long_version() -> String {
    format!(
        "{}\ntrust anchors (default): Mozilla's root program, {}",
        env!("CARGO_PKG_VERSION"),
        certgate::MOZILLA_BUNDLE
    )
}

#[derive(Parser)]
#[command(
    name = "certgate",
    version,
    long_version = long_version(),
    about = "Checks a TLS certificate upload before it is sent"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a request document against a target API's profile.
    Check(check::CheckArgs),
    /// Write the request with its certificate chains reordered, deduplicated, normalised
    /// and (with --intermediates) completed; private keys and secrets are left exactly as
    /// they are.
    Fix(fix::FixArgs),
    /// Lint certificates, chains, keys, CSRs and PKCS#12 archives in files and
    /// directories with the profile-independent rules.
    Lint(lint::LintArgs),
    /// Resolve a document's file and env references, check it as `check` does, and
    /// only if nothing fails write the API's own body (JSON, or a curl command for
    /// multipart uploads) with mode 0600.
    Request(request::RequestArgs),
    /// List the rule catalogue.
    Rules(catalogue::RulesArgs),
    /// Explain one rule: what it checks, why uploads fail, how to fix, the source.
    Explain(catalogue::ExplainArgs),
    /// Print a shell completion script (e.g. `certgate completions bash > /etc/bash_completion.d/certgate`).
    Completions(completions::CompletionsArgs),
    /// Print a man page (roff): `certgate man check > certgate-check.1`, or write every
    /// page with `certgate man --out-dir DIR`.
    Man(man::ManArgs),
}

/// A reason certgate could not run: printed, then exit code 2.
pub struct Fatal(pub String);

pub fn main() -> ExitCode {
    let cli = match parse() {
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
        Command::Check(args) => check::run(&args),
        Command::Fix(args) => fix::run(&args),
        Command::Request(args) => request::run(&args),
        Command::Lint(args) => lint::run(&args),
        Command::Rules(args) => catalogue::run_rules(&args),
        Command::Explain(args) => catalogue::run_explain(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => man::run(&args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Fatal(msg)) => {
            let _ = writeln!(std::io::stderr(), "certgate: error: {msg}");
            ExitCode::from(2)
        }
    }
}

/// Parses the command line. Help text that names the profiles reads the catalogue, so
/// that is done only when help is asked for (loading it costs a check's start-up).
fn parse() -> Result<Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    let wants_help = std::env::args_os().any(|a| a == "--help" || a == "-h" || a == "help");
    let mut command = Cli::command();
    if wants_help && let Ok(c) = Catalogue::builtin() {
        let ids = c.profile_ids();
        let text = check::after_help(&ids);
        command = command.mut_subcommand("check", |sub| sub.after_help(text));
    }
    Cli::from_arg_matches(&command.try_get_matches()?)
}

pub fn catalogue() -> Result<Catalogue, Fatal> {
    Catalogue::builtin().map_err(|e| Fatal(format!("built-in catalogue: {e}")))
}

pub fn find_profile<'a>(
    catalogue: &'a Catalogue,
    name: &str,
) -> Result<&'a certgate::Profile, Fatal> {
    catalogue.profile(name).ok_or_else(|| {
        let ids = catalogue.profile_ids();
        let bare = name.split('@').next().unwrap_or(name);
        let hint = certgate::did_you_mean(bare, catalogue.profiles().iter().map(|p| p.id()));
        Fatal(format!(
            "unknown profile {name:?}{hint}; known profiles: {}",
            ids.join(", ")
        ))
    })
}

pub fn write_stdout(text: &str) -> Result<(), Fatal> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        // The reader went away (`certgate rules -f json | head`): what it read is all it
        // wanted, which is no error of ours.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Fatal(format!("writing the output: {e}"))),
    }
}
