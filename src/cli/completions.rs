//! `certgate completions SHELL` (clap_complete) and `certgate man` (clap_mangen).

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

/// `certgate man`: the man page (roff), e.g. `certgate man > certgate.1`.
pub fn run_man() -> Result<u8, Fatal> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| Fatal(format!("rendering the man page: {e}")))?;
    write_stdout(&String::from_utf8_lossy(&out))?;
    Ok(0)
}
