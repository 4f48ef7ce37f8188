//! `enrx man`: the manual page, from the same clap definitions as `--help`.

use super::{CommandResult, Failure, Outcome, common};
use crate::cli;

pub fn run() -> CommandResult {
    let mut page = Vec::new();
    clap_mangen::Man::new(cli::command())
        .render(&mut page)
        .map_err(|e| Failure::cannot_run(format!("page de manuel : {e}")))?;
    common::print(&page)?;
    Ok(Outcome::Clean)
}
