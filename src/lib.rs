//! enrx: checks the spreadsheets of conventions the Parcs naturels régionaux send to ENRx and
//! writes the annual partnership report. The binary (`main.rs`) is a thin command line over
//! this library; the library is also what the tests, the fuzz target and the benchmark call.

pub mod annotate;
pub mod checks;
pub mod cli;
pub mod commands;
pub mod compare;
pub mod diagnostic;
pub mod digest;
pub mod figures;
pub mod ingest;
pub mod logging;
pub mod model;
pub mod output;
pub mod render;
pub mod safe_open;
pub mod text;

/// The lock file `report` keeps in its output folder: discovery never reads a folder that
/// holds one (it is some run's output), and `output` locks it.
pub const OUTPUT_LOCK: &str = ".enrx.lock";

/// A short French reason for an I/O error, without Rust's English wording.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "introuvable".into(),
        PermissionDenied => "permission refusée".into(),
        AlreadyExists => "existe déjà".into(),
        StorageFull => "disque plein".into(),
        ReadOnlyFilesystem => "système de fichiers en lecture seule".into(),
        IsADirectory => "c'est un dossier".into(),
        NotADirectory => "un élément du chemin n'est pas un dossier".into(),
        _ => e.to_string(),
    }
}
