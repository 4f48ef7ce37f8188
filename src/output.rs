//! Writing the outputs safely for unattended runs (DESIGN §9): one run at a time per output
//! folder, every file written to a temporary file and renamed into place, the manifest last.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::digest;
use crate::safe_open::{self, Identity};

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
    #[error("le verrou {} est un lien symbolique : enrx ne le suit pas ; supprimez-le (il sera recréé)", .path.display())]
    LockIsLink { path: PathBuf },
    #[error("le verrou {} n'est pas un fichier ordinaire : supprimez-le (il sera recréé)", .path.display())]
    LockNotAFile { path: PathBuf },
    #[error("le dossier de sortie {} est un lien symbolique : enrx n'écrit pas au travers ; supprimez-le, ou donnez le dossier réel avec --output", .folder.display())]
    LinkedFolder { folder: PathBuf },
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
    let path = folder.join(crate::OUTPUT_LOCK);
    let file = open_lock_file(&path)?;
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
    let mut tmp = temporary(folder)?;
    if let Err(source) = tmp.write_all(bytes) {
        return Err(OutputError::Write {
            path: folder.join(name),
            source,
        });
    }
    persist(tmp, folder, name)
}

/// A temporary file in `folder`, for an output written as it is made; [`persist`] puts it in
/// place, dropping it removes it.
pub fn temporary(folder: &Path) -> Result<tempfile::NamedTempFile, OutputError> {
    // Readable like any file the user creates (the umask applies), not tempfile's private 0600.
    tempfile::Builder::new()
        .prefix(".enrx-")
        .suffix(".tmp")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666))
        .tempfile_in(folder)
        .map_err(|source| OutputError::CreateTemporary {
            folder: folder.to_path_buf(),
            source,
        })
}

/// Flushes and syncs a temporary file of `folder`, then renames it over `folder/name`.
pub fn persist(
    mut tmp: tempfile::NamedTempFile,
    folder: &Path,
    name: &str,
) -> Result<(), OutputError> {
    let target = folder.join(name);
    if let Err(source) = tmp.flush().and_then(|_| tmp.as_file().sync_all()) {
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
    let text = read_own_file(&folder.join("manifest.json"))?;
    serde_json::from_str(&text).ok()
}

/// The inputs as discovery found them (`identities` index-aligned with `files`): a file that
/// is no longer the one found is not hashed (reading will refuse it too, F001).
pub fn inputs(files: &[PathBuf], identities: &[Identity]) -> Vec<InputEntry> {
    files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let opened = open_as_found(f, identities.get(i).copied());
            InputEntry {
                fichier: f.display().to_string(),
                octets: opened
                    .as_ref()
                    .and_then(|file| file.metadata().ok())
                    .map_or(0, |m| m.len()),
                sha256: opened.and_then(|file| digest::sha256_reader_hex(file).ok()),
            }
        })
        .collect()
}

/// Opens the lock file without following a symbolic link: it must stay the one inode every
/// run locks, in the output folder, so a link planted there (or a pipe, or a device) is
/// refused, never followed nor replaced.
fn open_lock_file(path: &Path) -> Result<File, OutputError> {
    let path_buf = || path.to_path_buf();
    let file = safe_open::write_no_follow(path).map_err(|source| {
        if safe_open::is_link_refusal(&source) {
            OutputError::LockIsLink { path: path_buf() }
        } else {
            OutputError::OpenLock {
                path: path_buf(),
                source,
            }
        }
    })?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(OutputError::LockNotAFile { path: path_buf() });
    }
    Ok(file)
}

/// The report's folder under the output folder must be a real folder: through a symbolic
/// link planted in its place, enrx would write (and remove its temporary files) wherever it
/// leads. The output folder itself is the administrator's choice, read as given.
pub fn refuse_linked_folder(folder: &Path) -> Result<(), OutputError> {
    match std::fs::symlink_metadata(folder) {
        Ok(meta) if meta.file_type().is_symlink() => Err(OutputError::LinkedFolder {
            folder: folder.to_path_buf(),
        }),
        _ => Ok(()),
    }
}

/// The largest manifest read back.
const MAX_OWN_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// One of the tool's own files read back: not through a symbolic link, not a pipe or a
/// device, not past a size (something else planted there is as good as absent).
fn read_own_file(path: &Path) -> Option<String> {
    use std::io::Read;
    let file = safe_open::read_no_follow(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() > MAX_OWN_FILE_BYTES {
        return None;
    }
    let mut text = String::new();
    file.take(MAX_OWN_FILE_BYTES)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
}

/// A submitted file, opened only if it is still the regular file discovery found.
fn open_as_found(path: &Path, expected: Option<Identity>) -> Option<File> {
    let file = safe_open::read_only(path).ok()?;
    let meta = file.metadata().ok()?;
    let same = expected.is_none_or(|id| id == Identity::of(&meta));
    (meta.is_file() && same).then_some(file)
}
