//! `certgate completions SHELL`: shell completion scripts (clap_complete).

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
    clap_complete::generate(args.shell, &mut Cli::command(), "certgate", &mut out);
    write_stdout(&String::from_utf8_lossy(&out))?;
    Ok(0)
}
