//! One file per subcommand.

pub mod checks;
pub mod common;
pub mod completions;
pub mod diff;
pub mod explain;
pub mod man;
pub mod report;
pub mod template;
pub mod validate;

use crate::output::OutputError;
use crate::render::csv::CsvError;
use crate::render::texts::TextsError;

/// How a command ended: the exit codes of DESIGN §2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 0: done, no error diagnostic.
    Clean,
    /// 1: done, error diagnostics found (or warnings with --deny-warnings).
    Findings,
}

/// A command that could not run (exit 2), or found the output folder locked (exit 75).
#[derive(Debug)]
pub enum Failure {
    CannotRun(String),
    Locked(String),
}

impl Failure {
    pub fn cannot_run(message: impl Into<String>) -> Self {
        Failure::CannotRun(message.into())
    }
}

/// A locked output folder is exit 75; any other output error is exit 2.
impl From<OutputError> for Failure {
    fn from(e: OutputError) -> Self {
        match e {
            OutputError::Locked { .. } => Failure::Locked(e.to_string()),
            _ => Failure::CannotRun(e.to_string()),
        }
    }
}

impl From<CsvError> for Failure {
    fn from(e: CsvError) -> Self {
        Failure::CannotRun(e.to_string())
    }
}

impl From<TextsError> for Failure {
    fn from(e: TextsError) -> Self {
        Failure::CannotRun(e.to_string())
    }
}

pub type CommandResult = Result<Outcome, Failure>;
