mod checks;
mod ingest;
mod model;
mod render;
mod text;

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

fn main() {}
