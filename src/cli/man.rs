//! `certgate man`: a man page per command (clap_mangen renders the synopsis and options
//! from the same definitions `--help` uses; exit status, configuration and examples are
//! written here, once per command).

use std::path::{Path, PathBuf};

use clap::CommandFactory;

use super::{Cli, Fatal, write_stdout};

#[derive(clap::Args)]
pub struct ManArgs {
    /// The command whose page to print (check, lint, fix, rules, explain, completions,
    /// man); default: the certgate(1) overview.
    pub command: Option<String>,
    /// Write every page (certgate.1, certgate-check.1, ...) into this directory instead of
    /// printing one, e.g. `certgate man --out-dir /usr/local/share/man/man1`.
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub out_dir: Option<PathBuf>,
}

pub fn run(args: &ManArgs) -> Result<u8, Fatal> {
    if let Some(dir) = &args.out_dir {
        let mut written = Vec::new();
        for name in std::iter::once(None).chain(commands().into_iter().map(Some)) {
            let page = render(name.as_deref())?;
            let file = dir.join(format!("{}.1", page_name(name.as_deref())));
            write_file(&file, &page)?;
            written.push(file.display().to_string());
        }
        write_stdout(&format!("{}\n", written.join("\n")))?;
        return Ok(0);
    }
    write_stdout(&render(args.command.as_deref())?)?;
    Ok(0)
}

fn write_file(path: &Path, text: &str) -> Result<(), Fatal> {
    std::fs::write(path, text).map_err(|e| Fatal(format!("writing {}: {e}", path.display())))
}

/// The subcommands that get a page of their own.
fn commands() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| s.get_name().to_string())
        .collect()
}

fn page_name(command: Option<&str>) -> String {
    match command {
        Some(c) => format!("certgate-{c}"),
        None => "certgate".into(),
    }
}

/// One page, roff.
pub fn render(command: Option<&str>) -> Result<String, Fatal> {
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let cmd = match command {
        None => root.clone(),
        Some(name) => root
            .find_subcommand(name)
            .cloned()
            .ok_or_else(|| {
                Fatal(format!(
                    "no command {name:?}; commands: {}",
                    commands().join(", ")
                ))
            })?
            .display_name(page_name(Some(name)))
            .bin_name(format!("certgate {name}")),
    };
    let man = clap_mangen::Man::new(cmd.clone())
        .title(page_name(command).to_uppercase())
        .source(format!("certgate {}", env!("CARGO_PKG_VERSION")))
        .manual("certgate manual");
    let mut out = Vec::new();
    let io = |e: std::io::Error| Fatal(format!("rendering the man page: {e}"));
    man.render_title(&mut out).map_err(io)?;
    man.render_name_section(&mut out).map_err(io)?;
    man.render_synopsis_section(&mut out).map_err(io)?;
    man.render_description_section(&mut out).map_err(io)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut out).map_err(io)?;
    }
    if command.is_none() {
        man.render_subcommands_section(&mut out).map_err(io)?;
    }
    let mut text = String::from_utf8_lossy(&out).into_owned();
    for (heading, body) in sections(command) {
        text.push_str(&format!(".SH \"{heading}\"\n"));
        for para in body {
            // Commands and configuration are shown as typed: not filled, indented.
            if para.starts_with("certgate ") || para.contains('\n') {
                text.push_str(&format!(
                    ".PP\n.RS 4\n.nf\n{}\n.fi\n.RE\n",
                    roff_lines(para)
                ));
            } else {
                text.push_str(&format!(".PP\n{}\n", roff(para)));
            }
        }
    }
    if command == Some("check") {
        text.push_str(".SH PROFILES\n");
        let catalogue = super::catalogue()?;
        for p in catalogue.profiles() {
            text.push_str(&format!(
                ".TP\n\\fB{}\\fR\n{}\n",
                roff(&p.qualified_id()),
                roff(p.title())
            ));
        }
    }
    Ok(text)
}

/// Plain text as roff: backslashes and hyphens escaped, no line starting a request;
/// lines kept apart.
fn roff(text: &str) -> String {
    text.lines()
        .map(roff_line)
        .collect::<Vec<_>>()
        .join("\n.br\n")
}

/// Lines for a no-fill block.
fn roff_lines(text: &str) -> String {
    text.lines().map(roff_line).collect::<Vec<_>>().join("\n")
}

fn roff_line(line: &str) -> String {
    let l = line.replace('\\', "\\e").replace('-', "\\-");
    if l.starts_with('.') || l.starts_with('\'') {
        format!("\\&{l}")
    } else {
        l
    }
}

const CHECK_EXIT: &[&str] = &[
    "0  no finding fails the run: no error, or no warning either under --fail-on warning.",
    "1  a finding fails the run: an error (the API will refuse the upload), or a warning under --fail-on warning.",
    "2  certgate could not run: bad flags, an unknown profile, a request document that is missing or not JSON/TOML, an unreadable configuration. With --format json or sarif a document is still written, saying why.",
];

const CONFIGURATION: &[&str] = &[
    "certgate reads the nearest certgate.toml in the working directory or one of its parents (--config FILE names one; --no-config ignores them):",
    "fail-on = \"warning\"            exit 1 on warnings too (default: \"error\")\nrules-files = [\"policy.toml\"]  user rule files, relative to certgate.toml\n[rules]\ndisable = [\"chain-root-included\"]\nseverity = { cert-expiring-soon = \"error\" }\n[thresholds]\nexpiring-soon-days = 45\nmin-rsa-bits = 3072",
    "The human report names the configuration file it used on its first line; certgate explain RULE shows what it changes for that rule.",
];

/// The hand-written sections of a page: (heading, paragraphs).
fn sections(command: Option<&str>) -> Vec<(&'static str, Vec<&'static str>)> {
    match command {
        None => vec![
            ("EXIT STATUS", CHECK_EXIT.to_vec()),
            ("CONFIGURATION", CONFIGURATION.to_vec()),
            (
                "EXAMPLES",
                vec![
                    "certgate check -p huawei-elb-v3 request.json",
                    "certgate lint /etc/ssl/certs",
                    "certgate explain domain-count",
                ],
            ),
            (
                "SEE ALSO",
                vec![
                    "certgate-check(1), certgate-lint(1), certgate-fix(1), certgate-rules(1), certgate-explain(1), certgate-completions(1), certgate-man(1)",
                ],
            ),
        ],
        Some("check") => vec![
            ("EXIT STATUS", CHECK_EXIT.to_vec()),
            ("CONFIGURATION", CONFIGURATION.to_vec()),
            (
                "REQUEST DOCUMENTS",
                vec![
                    "A request document is the JSON or TOML body the target API takes, field names as in its documentation. Any string field may instead be {\"file\": \"relative/path\"} (the file's text, relative to the document) or {\"env\": \"NAME\"} (an environment variable), so PEM files and passwords stay out of the document. `certgate rules` lists the profiles and their rules.",
                ],
            ),
            (
                "EXAMPLES",
                vec![
                    "certgate check -p huawei-elb-v3 request.json",
                    "certgate check -p huawei-apic-v2 request.toml --format json --at 2026-06-01T00:00:00Z",
                    "certgate check --manifest certgate.toml --format sarif > certgate.sarif",
                ],
            ),
        ],
        Some("lint") => vec![
            (
                "EXIT STATUS",
                vec![
                    "0  no finding fails the run.",
                    "1  a file has an error finding (or a warning under fail-on warning).",
                    "2  certgate could not run: bad flags, a path that does not exist, a folder that holds no files.",
                ],
            ),
            ("CONFIGURATION", CONFIGURATION.to_vec()),
            (
                "EXAMPLES",
                vec![
                    "certgate lint server.pem server.key",
                    "certgate lint /etc/ssl/certs --format json",
                    "certgate lint bundle.p12 --password-env P12_PASSWORD",
                ],
            ),
        ],
        Some("fix") => vec![
            (
                "EXIT STATUS",
                vec![
                    "0  the fixed document was written, or there was nothing to fix.",
                    "2  certgate could not run: bad flags, an unknown profile, an unreadable request document, an output it cannot write.",
                ],
            ),
            (
                "EXAMPLES",
                vec![
                    "certgate fix -p huawei-elb-v3 request.json -o fixed.json",
                    "certgate check -p huawei-elb-v3 fixed.json",
                ],
            ),
        ],
        Some("request") => vec![
            (
                "EXIT STATUS",
                vec![
                    "0  the body was written.",
                    "1  a finding fails the request (an error; a warning too under --fail-on warning): the report is printed and nothing is written.",
                    "2  certgate could not run: bad flags, an unknown profile, an unreadable document or reference, a body it cannot write, a terminal without --stdout.",
                ],
            ),
            ("CONFIGURATION", CONFIGURATION.to_vec()),
            (
                "EXAMPLES",
                vec![
                    "certgate request -p huawei-elb-v3 request.json -o body.json",
                    "certgate request -p esri-portal-import upload.json -o import.sh",
                ],
            ),
        ],
        Some("rules") | Some("explain") => vec![
            (
                "EXIT STATUS",
                vec![
                    "0  printed.",
                    "2  an unknown profile or rule id, or an unreadable rule file.",
                ],
            ),
            ("CONFIGURATION", CONFIGURATION.to_vec()),
            (
                "EXAMPLES",
                vec![
                    "certgate rules -p huawei-elb-v3",
                    "certgate rules --format markdown > rules.md",
                    "certgate explain domain-count",
                    "certgate explain key-mismatch --profile huawei-apic-v2",
                ],
            ),
        ],
        Some(_) => vec![(
            "EXIT STATUS",
            vec![
                "0  printed.",
                "2  bad flags or an output that cannot be written.",
            ],
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::roff;

    #[test]
    fn roff_escapes_hyphens_and_leading_dots() {
        assert_eq!(roff("a-b"), "a\\-b");
        assert_eq!(roff(".x\n'y"), "\\&.x\n.br\n\\&'y");
    }
}
