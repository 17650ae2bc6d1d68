//! `certgate fix`: the request with its chains reordered and normalised.

use std::io::Write;
use std::path::PathBuf;

use certgate::Request;

use super::load::load_request;
use super::{Fatal, catalogue, find_profile, write_stdout};

#[derive(clap::Args)]
pub struct FixArgs {
    #[arg(long, short)]
    pub profile: String,
    /// The request document (JSON or TOML), or `-` for standard input.
    pub document: String,
    /// Where to write the fixed document (JSON); default: standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn run(args: &FixArgs) -> Result<u8, Fatal> {
    let catalogue = catalogue()?;
    let profile = find_profile(&catalogue, &args.profile)?;
    let (request, source_name, text) = load_request(&args.document, profile)?;
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
