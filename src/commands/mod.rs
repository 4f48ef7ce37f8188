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

pub type CommandResult = Result<Outcome, Failure>;
