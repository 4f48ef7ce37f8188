//! Writing the outputs safely for unattended runs (DESIGN §9): one run at a time per output
//! folder, every file written to a temporary file and renamed into place, the manifest last.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::digest;

/// Why an output could not be written; the messages are the French ones the user reads.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// Another run holds the lock on the output folder (exit 75: cron can retry).
    #[error("un autre « enrx report » est en cours sur {} : réessayez plus tard", .folder.display())]
    Locked { folder: PathBuf },
    #[error("impossible de créer le dossier de sortie {} ({})", .path.display(), crate::io_reason(.source))]
    CreateFolder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("impossible d'ouvrir le verrou {} ({})", .path.display(), crate::io_reason(.source))]
    OpenLock {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("impossible de verrouiller {} ({})", .path.display(), crate::io_reason(.source))]
    Lock {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("impossible d'écrire dans {} ({})", .folder.display(), crate::io_reason(.source))]
    CreateTemporary {
        folder: PathBuf,
        source: std::io::Error,
    },
    #[error("impossible d'écrire {} ({})", .path.display(), crate::io_reason(.source))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("impossible de remplacer {} ({})", .path.display(), crate::io_reason(.source))]
    Replace {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Creates the output folder and its parents when missing.
pub fn create_folder(folder: &Path) -> Result<(), OutputError> {
    std::fs::create_dir_all(folder).map_err(|source| OutputError::CreateFolder {
        path: folder.to_path_buf(),
        source,
    })
}

/// Holds the lock on an output folder until dropped.
pub struct OutputLock {
    _file: File,
}

/// Takes the lock, or says another run holds it (exit 75) — never waits.
pub fn lock(folder: &Path) -> Result<OutputLock, OutputError> {
    create_folder(folder)?;
    let path = folder.join(".enrx.lock");
    let file = match File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
    {
        Ok(file) => file,
        Err(source) => return Err(OutputError::OpenLock { path, source }),
    };
    match file.try_lock() {
        Ok(()) => Ok(OutputLock { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => Err(OutputError::Locked {
            folder: folder.to_path_buf(),
        }),
        Err(std::fs::TryLockError::Error(source)) => Err(OutputError::Lock { path, source }),
    }
}

/// Writes `bytes` to `folder/name` atomically: a temporary file in the same folder, flushed
/// and synced, then renamed over the old file. A killed run leaves the old file whole.
pub fn write_atomic(folder: &Path, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
    let target = folder.join(name);
    // Readable like any file the user creates (the umask applies), not tempfile's private 0600.
    let mut tmp = tempfile::Builder::new()
        .prefix(".enrx-")
        .suffix(".tmp")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666))
        .tempfile_in(folder)
        .map_err(|source| OutputError::CreateTemporary {
            folder: folder.to_path_buf(),
            source,
        })?;
    if let Err(source) = tmp
        .write_all(bytes)
        .and_then(|_| tmp.flush())
        .and_then(|_| tmp.as_file().sync_all())
    {
        return Err(OutputError::Write {
            path: target,
            source,
        });
    }
    match tmp.persist(&target) {
        Ok(_) => Ok(()),
        Err(e) => Err(OutputError::Replace {
            path: target,
            source: e.error,
        }),
    }
}

/// Removes temporary files a killed run left behind (we hold the lock: nobody else writes here).
pub fn remove_stale_temporaries(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(".enrx-") && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Makes the renames durable.
pub fn sync_folder(folder: &Path) {
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InputEntry {
    pub fichier: String,
    pub sha256: Option<String>,
    pub octets: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub outil: String,
    pub version: String,
    pub genere_le: String,
    pub periode: String,
    pub referentiel: String,
    pub referentiel_sha256: String,
    pub modeles_sha256: String,
    pub dialecte_csv: String,
    pub entrees: Vec<InputEntry>,
    pub lignes_lues: usize,
    pub lignes_ecartees: usize,
    pub conventions_actives: usize,
    pub erreurs: usize,
    pub avertissements: usize,
    pub infos: usize,
    pub sorties: Vec<String>,
}

impl Manifest {
    /// Same inputs, referential, templates, tool and options as `other`.
    pub fn same_inputs(&self, other: &Manifest) -> bool {
        self.version == other.version
            && self.periode == other.periode
            && self.referentiel_sha256 == other.referentiel_sha256
            && self.modeles_sha256 == other.modeles_sha256
            && self.dialecte_csv == other.dialecte_csv
            && self.entrees == other.entrees
    }
}

pub fn read_manifest(folder: &Path) -> Option<Manifest> {
    let text = std::fs::read_to_string(folder.join("manifest.json")).ok()?;
    serde_json::from_str(&text).ok()
}

pub fn inputs(files: &[PathBuf]) -> Vec<InputEntry> {
    files
        .iter()
        .map(|f| InputEntry {
            fichier: f.display().to_string(),
            sha256: digest::sha256_file_hex(f).ok(),
            octets: std::fs::metadata(f).map(|m| m.len()).unwrap_or(0),
        })
        .collect()
}
