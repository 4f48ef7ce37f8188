//! `enrx completions SHELL`: the shell completion script, from the clap definitions.

use super::{CommandResult, Outcome, common};
use crate::cli;

pub fn run(shell: clap_complete::Shell) -> CommandResult {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cli::command(), "enrx", &mut script);
    common::print(&script)?;
    Ok(Outcome::Clean)
}
