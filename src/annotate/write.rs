//! Where the copies go (`DOSSIER/<relative path>/<name>-annote.xlsx`), the refusal of a folder
//! inside an input folder, and the atomic write of each copy.

use std::collections::HashSet;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Component, Path, PathBuf};

/// A path made absolute and free of `.`/`..`, through the symbolic links of its part that
/// exists (the folder may not exist yet).
fn resolved(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut existing = absolute.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = std::fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.into_iter().rev() {
        match Path::new(&name).components().next() {
            Some(Component::ParentDir) => {
                out.pop();
            }
            Some(Component::CurDir) | None => {}
            _ => out.push(name),
        }
    }
    out
}

/// The copies' folder must not lie inside a folder being checked: the next run would read the
/// copies as submissions.
pub fn check_folder(folder: &Path, inputs: &[PathBuf]) -> Result<(), String> {
    let target = resolved(folder);
    for input in inputs.iter().filter(|p| p.is_dir()) {
        let input_resolved = resolved(input);
        if target.starts_with(&input_resolved) {
            return Err(format!(
                "le dossier des copies annotées {} est dans le dossier vérifié {} : la prochaine \
                 vérification lirait les copies comme des fichiers déposés ; choisissez un dossier \
                 en dehors (par ex. --annoter annotes)",
                folder.display(),
                input.display()
            ));
        }
    }
    Ok(())
}

/// Each file's copy, relative to the copies' folder, without its extension: its path under
/// the input folder it was found in (or its name, for a file named on the command line),
/// `-annote` added; two files that would share a copy get their extension in its name.
pub fn relative_stems(files: &[PathBuf], inputs: &[PathBuf]) -> Vec<PathBuf> {
    let folders: Vec<&PathBuf> = inputs.iter().filter(|p| p.is_dir()).collect();
    let mut taken: HashSet<String> = HashSet::new();
    files
        .iter()
        .map(|file| {
            let relative = folders
                .iter()
                .filter_map(|d| file.strip_prefix(d).ok())
                .max_by_key(|r| r.components().count())
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from(file.file_name().unwrap_or_default()));
            let stem = relative.file_stem().unwrap_or_default();
            let ext = relative
                .extension()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let dir = relative.parent().map(Path::to_path_buf).unwrap_or_default();
            // Names are built on the stem's own bytes (a name that is not UTF-8 keeps them).
            let named = |tail: String| {
                let mut name = stem.to_os_string();
                name.push(tail);
                name
            };
            let mut candidates = vec![named("-annote".into())];
            candidates.push(named(format!("-{ext}-annote")));
            candidates.extend(
                (2..)
                    .take(1000)
                    .map(|n| named(format!("-{ext}-{n}-annote"))),
            );
            let name = candidates
                .into_iter()
                .find(|c| taken.insert(dir.join(c).to_string_lossy().to_lowercase()))
                .unwrap_or_default();
            dir.join(name)
        })
        .collect()
}

/// Writes `path` atomically: a temporary file beside it, filled by `fill`, synced, renamed.
/// A failure or a killed run leaves no half-written copy.
pub fn atomically<E>(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<File>) -> Result<(), E>,
) -> Result<Result<(), E>, String> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let cannot = |what: &str, e: std::io::Error| {
        format!("{what} {} ({})", path.display(), crate::io_reason(&e))
    };
    std::fs::create_dir_all(folder).map_err(|e| cannot("impossible de créer le dossier de", e))?;
    let tmp = tempfile::Builder::new()
        .prefix(".enrx-")
        .suffix(".tmp")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666))
        .tempfile_in(folder)
        .map_err(|e| cannot("impossible d'écrire", e))?;
    let (file, tmp_path) = tmp.into_parts();
    let mut w = BufWriter::with_capacity(1 << 16, file);
    if let Err(e) = fill(&mut w) {
        return Ok(Err(e));
    }
    let file = w
        .into_inner()
        .map_err(|e| cannot("impossible d'écrire", e.into_error()))?;
    file.sync_all()
        .map_err(|e| cannot("impossible d'écrire", e))?;
    tmp_path
        .persist(path)
        .map_err(|e| cannot("impossible de remplacer", e.error))?;
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_keep_their_place_and_never_collide() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("input");
        std::fs::create_dir_all(input.join("sub")).unwrap();
        let files = vec![
            input.join("a.xlsx"),
            input.join("a.csv"),
            input.join("sub/a.xlsx"),
            dir.path().join("other/a.xlsx"),
        ];
        let stems = relative_stems(&files, std::slice::from_ref(&input));
        let s: Vec<String> = stems
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            s,
            ["a-annote", "a-csv-annote", "sub/a-annote", "a-xlsx-annote"]
        );
    }

    #[test]
    fn a_name_that_is_not_utf8_keeps_its_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"partenaires-r\xe9sum\xe9.csv");
        let input = PathBuf::from("input");
        let stems = relative_stems(&[input.join(name)], std::slice::from_ref(&input));
        assert_eq!(
            stems[0].as_os_str().as_bytes(),
            b"partenaires-r\xe9sum\xe9-annote"
        );
    }

    #[test]
    fn refuses_a_folder_inside_an_input_folder() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("input");
        std::fs::create_dir_all(&input).unwrap();
        let inputs = [input.clone()];
        assert!(check_folder(&input.join("annotes"), &inputs).is_err());
        assert!(check_folder(&input, &inputs).is_err());
        assert!(check_folder(&input.join("x/../y"), &inputs).is_err());
        assert!(check_folder(&dir.path().join("annotes"), &inputs).is_ok());
        assert!(check_folder(&input.join(".."), &inputs).is_ok());
    }
}
