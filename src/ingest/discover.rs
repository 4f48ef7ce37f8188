//! Which files make up a submission: the paths given, folders walked recursively.

use std::path::{Path, PathBuf};

/// Extensions read as spreadsheets (DESIGN §3).
pub const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xlsb", "xls", "ods", "csv"];

/// Hidden files, Office and LibreOffice lock files, and the tool's own output are skipped.
fn skipped(name: &str) -> bool {
    name.starts_with('.') || name.starts_with("~$") || name == "output"
}

fn has_known_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Expands the paths given into a sorted list of files without repeats. A file named
/// explicitly is kept whatever its extension (it will be reported if unreadable); in folders
/// only spreadsheet extensions are taken. A path that does not exist is an error (exit 2).
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| {
            format!(
                "chemin introuvable ou inaccessible : {} ({})",
                path.display(),
                crate::io_reason(&e)
            )
        })?;
        if meta.is_dir() {
            walk(path, &mut files, 0);
        } else {
            files.push(path.clone());
        }
    }
    files.sort();
    // The same file given twice (or through a folder and by name) is read once.
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())));
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, depth: usize) {
    // Deep or cyclic trees (symbolic links) stop here.
    if depth > 16 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if skipped(&name) {
            continue;
        }
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&path, files, depth + 1),
            Ok(t) if t.is_symlink() && path.is_dir() => walk(&path, files, depth + 1),
            // Only regular files: a named pipe or a device would block or never end.
            Ok(_) if path.is_file() && has_known_extension(&path) => files.push(path),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_folders_and_skips_noise() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::create_dir_all(p.join("sub")).unwrap();
        std::fs::create_dir_all(p.join("output")).unwrap();
        for f in [
            "a.xlsx",
            "sub/b.CSV",
            "notes.txt",
            ".cache.csv",
            "~$a.xlsx",
            ".~lock.a.xlsx#",
            "output/c.csv",
        ] {
            std::fs::write(p.join(f), b"x").unwrap();
        }
        let files = discover(&[p.to_path_buf(), p.join("a.xlsx")]).unwrap();
        let names: Vec<_> = files
            .iter()
            .map(|f| f.strip_prefix(p).unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["a.xlsx", "sub/b.CSV"]);
        assert!(discover(&[p.join("missing")]).is_err());
    }
}
