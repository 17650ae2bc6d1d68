//! `certgate fix`: the request with its chains reordered and normalised (and completed
//! from `--intermediates`), written in the document's own format with every other byte
//! kept.

mod paths;

use std::io::Write;
use std::path::{Path, PathBuf};

use certgate::Edit;
use certgate::{Format, Source};
use certgate::{Profile, Request};

use super::check::evaluation_time;
use super::load::load_request;
use super::trust::TrustArgs;
use super::{Fatal, catalogue, find_profile, write_stdout};

const AFTER_HELP: &str = "\
What changes: each certificate field whose PEM blocks all decode gets its chain leaf first,
each certificate followed by its issuer, exact duplicates dropped, and the PEM normalised
(64-column base64, LF). A certificate field given as {\"file\": ...} gets the fixed chain
inline in its place; the referenced file itself is never written. Private keys, passwords
and every other field keep their values (only a file path may be rewritten, see below).
Each change is listed on standard error.

Missing intermediates: with --intermediates FILE (the CA's chain download), each server
certificate chain that lacks an intermediate a client's path to the --trust anchors takes
from FILE gets it, right after the certificate it issues (path order, leaf first, before
any root), and the log names it (subject, issuer, key identifier, FILE). The path is
built and validated as rustls-webpki does at --at (default: now); a chain that does not
validate even with FILE gets nothing added, and standard error says why.

What is kept: the input's format (JSON stays JSON, TOML stays TOML), key order, spacing
and comments; only the changed values differ. `--to json|toml` converts instead: the
whole document is written anew (keys sorted, comments dropped). An -o path ending in
.json or .toml must match the format written, or nothing is written (exit 2).

File references: with -o in another folder, each relative {\"file\": ...} path (and the
archive path in Esri's `file`) is rewritten relative to the output's folder, or made
absolute when the two folders share nothing but the root, so the output reads back as
the input did. On standard output references are left as written, relative to the
input's folder.

Nothing to change: nothing is written (no output file is created or touched), standard
error says `certgate: nothing to fix in <document>`, and the exit code is 0.

Exit codes: 0 written, or nothing to fix; 2 could not run (unreadable document or
reference, -o of the other format, output folder missing or not writable).";

#[derive(clap::Args)]
#[command(after_help = AFTER_HELP)]
// The flags are check's; what they do here differs.
#[command(mut_arg("trust", |a| a.help(
    "Trust anchors the completed chain must reach (with --intermediates): `mozilla` (the \
     default), `system`, or a PEM file of anchors; repeatable"
)))]
#[command(mut_arg("intermediates", |a| a.help(
    "A PEM bundle of intermediates (the CA's chain download): those a chain lacks are \
     appended after the certificate they issue. Never fetched from the network"
)))]
pub struct FixArgs {
    /// The target API's profile (`certgate rules` lists them), as for `check`.
    #[arg(long, short)]
    pub profile: String,
    /// The request document (JSON or TOML), or `-` for standard input.
    pub document: String,
    /// Where to write the fixed document, in the input's format; default: standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Convert the fixed document to JSON or TOML (written anew: comments and key order
    /// are not kept); default: the input's format, edited in place.
    #[arg(long, value_name = "FORMAT", value_parser = ["json", "toml"])]
    pub to: Option<String>,
    /// Evaluation time of the completed path (with --intermediates), a full RFC 3339 time
    /// such as 2030-01-01T00:00:00Z; default: now.
    #[arg(long)]
    pub at: Option<String>,
    #[command(flatten)]
    pub trust: TrustArgs,
}

pub fn run(args: &FixArgs) -> Result<u8, Fatal> {
    let at = evaluation_time(args.at.as_deref())?;
    // Completion needs a bundle; --trust alone changes nothing a fix writes.
    let trust = match &args.trust.intermediates {
        Some(_) => args.trust.load()?,
        None => None,
    };
    let catalogue = catalogue()?;
    let profile = find_profile(&catalogue, &args.profile)?;
    let (request, source_name, text) = load_request(&args.document, profile)?;
    let input_format = input_format(&args.document, &text);
    let output_format = match args.to.as_deref() {
        Some("json") => Format::Json,
        Some("toml") => Format::Toml,
        _ => input_format,
    };
    if let Some(path) = &args.output {
        check_extension(path, input_format, output_format, args.to.is_some())?;
    }
    // A CSR profile also reads a bare CSR, which is no document to write back; it has no
    // chain either, so its fix is empty and nothing needs writing.
    let parsed = Request::parse(&text, Some(input_format));
    let original = parsed.as_ref().unwrap_or(&request);
    let fixed = match &trust {
        Some(trust) => certgate::fix_with(profile, original.root(), &request, trust, at),
        None => certgate::fix(profile, original.root(), &request),
    };
    if let (Err(e), false) = (&parsed, fixed.changes.is_empty()) {
        return Err(Fatal(format!("{source_name}: {e}")));
    }

    let mut err = std::io::stderr().lock();
    if fixed.changes.is_empty() {
        for (pointer, note) in &fixed.skipped {
            let _ = writeln!(err, "certgate fix: {source_name}#{pointer}: {note}");
        }
        let _ = writeln!(err, "certgate: nothing to fix in {source_name}");
        return Ok(0);
    }

    let mut changes = fixed.changes.clone();
    let mut edits = fixed.edits.clone();
    if let Some(path) = &args.output {
        rebase_references(
            args,
            path,
            profile,
            original,
            &source_name,
            &mut edits,
            &mut changes,
        )?;
    }
    let result = if output_format == input_format {
        certgate::apply_edits(&text, input_format, &edits)
    } else {
        let mut document = original.root().clone();
        certgate::set_edits(&mut document, &edits);
        certgate::write_document(&document, output_format)
    };
    let out = result.map_err(|e| Fatal(format!("{source_name}: {e}")))?;
    match &args.output {
        Some(path) => write_file(path, &out, &args.document)
            .map_err(|e| Fatal(format!("cannot write {}: {e}", path.display())))?,
        None => write_stdout(&out)?,
    }
    for (pointer, change) in changes.iter().chain(&fixed.skipped) {
        let _ = writeln!(err, "certgate fix: {source_name}#{pointer}: {change}");
    }
    Ok(0)
}

/// The document's format: its extension, else what it parses as (JSON first), as
/// `check` reads it.
fn input_format(document: &str, text: &str) -> Format {
    match Path::new(document).extension().and_then(|e| e.to_str()) {
        Some("toml") => Format::Toml,
        Some("json") => Format::Json,
        Some("yaml" | "yml") => Format::Yaml,
        _ if serde_json::from_str::<serde_json::Value>(text).is_ok() => Format::Json,
        _ => Format::Toml,
    }
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Json => "JSON",
        Format::Toml => "TOML",
        Format::Yaml => "YAML",
        // `Format` is non-exhaustive: a future syntax is named generically.
        _ => "the document's format",
    }
}

/// An output path whose extension names the other format is refused before anything is
/// written: a `.json` file holding TOML would not read back.
fn check_extension(path: &Path, input: Format, output: Format, asked: bool) -> Result<(), Fatal> {
    let named = match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
        Some(e) if e.eq_ignore_ascii_case("toml") => Format::Toml,
        _ => return Ok(()),
    };
    if named == output {
        return Ok(());
    }
    let (out, other) = (format_name(output), format_name(named));
    Err(Fatal(if asked {
        format!(
            "--to {} writes {out}, but {} names a {other} file; give a .{} path",
            out.to_lowercase(),
            path.display(),
            out.to_lowercase()
        )
    } else {
        format!(
            "the document is {out} and fix writes it as {out}, but {} names a {other} file: \
             give a .{} path, or add `--to {}` to convert it (the whole document is written \
             anew: comments and key order are not kept)",
            path.display(),
            format_name(input).to_lowercase(),
            other.to_lowercase()
        )
    }))
}

/// Relative file references, rewritten for a document written to another folder. A
/// reference that cannot be rewritten stops the run: the output would not read back.
fn rebase_references(
    args: &FixArgs,
    output: &Path,
    profile: &Profile,
    original: &Request,
    source_name: &str,
    edits: &mut Vec<Edit>,
    changes: &mut Vec<(String, String)>,
) -> Result<(), Fatal> {
    let from =
        paths::input_folder(&args.document).map_err(|e| Fatal(format!("{source_name}: {e}")))?;
    let to = paths::output_folder(output)
        .map_err(|e| Fatal(format!("cannot write {}: {e}", output.display())))?;
    if from == to {
        return Ok(());
    }
    for (field, pointer, reference) in references(profile, original) {
        // A reference the fix replaced with the chain itself has nothing left to rewrite.
        let replaced = edits
            .iter()
            .any(|e| field == e.pointer || field.starts_with(&format!("{}/", e.pointer)));
        if replaced {
            continue;
        }
        match paths::rebase(&reference, &from, &to) {
            Ok(Some(new)) => {
                let how = if Path::new(&new).is_absolute() {
                    "absolute: the output's folder shares only the root with the input's"
                } else {
                    "relative to the output's folder"
                };
                changes.push((
                    field,
                    format!("rewrote the file path {reference:?} as {new:?}, {how}"),
                ));
                edits.push(Edit {
                    pointer,
                    value: new,
                });
            }
            Ok(None) => {}
            Err(e) => {
                return Err(Fatal(format!(
                    "{source_name}#{field}: the file path {reference:?} cannot be rewritten for {}: {e}; \
                     write the output in the document's folder, or make the path absolute",
                    output.display()
                )));
            }
        }
    }
    Ok(())
}

/// `(field, pointer of the path string, path)` for every file the document names:
/// `{"file": ...}` references and the archive path of a PKCS#12 field.
fn references(profile: &Profile, original: &Request) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = original
        .sources()
        .into_iter()
        .filter_map(|r| match r.source {
            Source::File(path) => Some((r.pointer.clone(), format!("{}/file", r.pointer), path)),
            _ => None,
        })
        .collect();
    for pointer in profile.archive_file_fields() {
        if let Some(path) = original.root().pointer(pointer).and_then(|v| v.as_str()) {
            if !path.trim().is_empty() {
                out.push((pointer.to_string(), pointer.to_string(), path.to_string()));
            }
        }
    }
    out
}

/// Writes the fixed document. A new file gets the input's permission bits, so a
/// document holding an inline key that was private to its owner stays so.
fn write_file(path: &Path, text: &str, document: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if document != "-" {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        if let Ok(meta) = std::fs::metadata(document) {
            options.mode(meta.permissions().mode() & 0o777);
        }
    }
    #[cfg(not(unix))]
    let _ = document;
    options.open(path)?.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_paths_and_file_references_are_listed() {
        let catalogue = certgate::Catalogue::builtin().unwrap();
        let profile = catalogue.profile("esri-portal-import").unwrap();
        let doc = Request::parse(
            r#"{"file": "portal.pfx", "password": {"env": "P"}, "alias": {"file": "alias.txt"}}"#,
            None,
        )
        .unwrap();
        let listed: Vec<(String, String, String)> = [
            ("/alias", "/alias/file", "alias.txt"),
            ("/file", "/file", "portal.pfx"),
        ]
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
        assert_eq!(references(profile, &doc), listed);
    }
}
