//! `certgate completions SHELL` (clap_complete).

use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, Fatal, write_stdout};

#[derive(clap::Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell.
    pub shell: Shell,
}

pub fn run(args: &CompletionsArgs) -> Result<u8, Fatal> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut with_profile_names()?, "certgate", &mut out);
    write_stdout(&String::from_utf8_lossy(&out))?;
    Ok(0)
}

/// The command line with `--profile` completing to the built-in profile names (and
/// `lint`, which `rules` and `explain` take). Only the completion script lists them:
/// parsing still accepts profiles that `--rules` files define.
fn with_profile_names() -> Result<clap::Command, Fatal> {
    let catalogue = super::catalogue()?;
    let mut names: Vec<String> = catalogue
        .profiles()
        .iter()
        .map(|p| p.id().to_string())
        .collect();
    names.extend(catalogue.profiles().iter().map(|p| p.qualified_id()));
    let mut command = Cli::command();
    for sub in ["check", "fix", "rules", "explain"] {
        let mut values = names.clone();
        if matches!(sub, "rules" | "explain") {
            values.push("lint".into());
        }
        command = command.mut_subcommand(sub, |c| {
            c.mut_arg("profile", |a| {
                a.value_parser(clap::builder::PossibleValuesParser::new(values))
            })
        });
    }
    Ok(command)
}
