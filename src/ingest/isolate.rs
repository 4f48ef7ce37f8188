//! Workbooks that calamine must load whole (xls, ods) are first read in a child process of our
//! own binary, under an address-space and a time limit. A crafted file can make calamine abort
//! on a failed allocation — an abort, not a panic, that `catch_unwind` cannot stop — and would
//! take the whole batch with it; in the child it only costs that file (F002).

use std::fs::File;
use std::os::fd::AsFd;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::limits::{Limits, Refusal};

/// The hidden subcommand the child runs.
pub const PROBE_COMMAND: &str = "__lecture-isolee";

/// Reads the file opened as `file` (named `path`) in a child process, which gets the
/// descriptor as its standard input rather than opening the path again; `Ok` when it could be
/// read within the limits (the caller then reads it itself), otherwise why not. Without a
/// shell to set the limit, reads in-process.
pub fn probe(path: &Path, file: &File, limits: &Limits) -> Result<(), Refusal> {
    let Ok(exe) = std::env::current_exe() else {
        return Ok(());
    };
    let Ok(input) = file.try_clone() else {
        return Ok(());
    };
    let kib = limits.max_memory_bytes / 1024;
    let child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {kib} 2>/dev/null; exec \"$0\" \"$@\""))
        .arg(exe)
        .arg(PROBE_COMMAND)
        .arg(path)
        .arg(limits.max_rows.to_string())
        .arg(limits.max_cells.to_string())
        .stdin(Stdio::from(input))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        return Ok(());
    };
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > limits.max_read_time => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Refusal::OverLimit(format!(
                    "lecture interrompue au bout de {} s (classeur trop lourd ou piégé)",
                    limits.max_read_time.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => return Ok(()),
        }
    };
    if status.success() {
        Ok(())
    } else {
        // The child reports refusals itself when the parent reads the file again; a death by
        // signal or a failed allocation is the limit.
        match status.code() {
            Some(EXIT_REFUSED) => Ok(()),
            _ => Err(Refusal::OverLimit(format!(
                "la lecture de ce classeur dépasse la mémoire autorisée ({} Mio, option --max-memoire)",
                limits.max_memory_bytes / (1024 * 1024)
            ))),
        }
    }
}

/// The child refused the file for a reason the parent will find again.
pub const EXIT_REFUSED: i32 = 3;

/// The child's side: read the file with the limits given, say nothing, exit 0 or 3.
pub fn run_probe(args: &[String]) -> std::process::ExitCode {
    let (Some(path), Some(rows), Some(cells)) = (args.first(), args.get(1), args.get(2)) else {
        return std::process::ExitCode::from(2);
    };
    let limits = Limits {
        max_rows: rows.parse().unwrap_or(Limits::default().max_rows),
        max_cells: cells.parse().unwrap_or(Limits::default().max_cells),
        ..Limits::default()
    };
    // The file the parent opened and checked, as our standard input.
    let Ok(file) = std::io::stdin()
        .as_fd()
        .try_clone_to_owned()
        .map(File::from)
    else {
        return std::process::ExitCode::from(2);
    };
    match super::read_in_process(Path::new(path), &file, &limits) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(_) => std::process::ExitCode::from(EXIT_REFUSED as u8),
    }
}
