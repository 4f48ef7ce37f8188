//! The `enrx` command: parse the command line, run the command, map the outcome to an exit code.

use std::process::ExitCode;

use enrx::cli::{self, Command};
use enrx::commands::{self, Failure, Outcome};
use enrx::{ingest, logging};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some(ingest::isolate::PROBE_COMMAND) {
        return ingest::isolate::run_probe(&args[2..]);
    }
    // A bug must still read as French and point to where it happened; a panic inside one file's
    // reader is caught there and becomes that file's F001.
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "enrx : erreur interne (panique){place} : merci de la signaler avec le fichier en cause"
        );
    }));
    logging::init();
    let cli = cli::parse();
    let result = match &cli.command {
        Command::Validate(args) => commands::validate::run(args),
        Command::Explain { code } => commands::explain::run(code),
        Command::Checks => commands::checks::run(),
        Command::Man => commands::man::run(),
        Command::Completions { shell } => commands::completions::run(*shell),
        Command::Report(args) => commands::report::run(args),
        Command::Diff(args) => commands::diff::run(args),
        Command::Template(args) => commands::template::run(args),
    };
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(Failure::CannotRun(message)) => {
            eprintln!("enrx : erreur : {message}");
            ExitCode::from(2)
        }
        Err(Failure::Locked(message)) => {
            eprintln!("enrx : {message}");
            ExitCode::from(75)
        }
    }
}
