//! Which files make up a submission: the paths given, folders walked recursively.
//!
//! An input folder may be a shared drop folder that others write to, read by a privileged
//! cron job: walking it must not lead outside it. A symbolic link whose target is outside
//! the folder it was found in, or that loops, is not followed (as rsync's `--safe-links`):
//! it is reported (F005) by its own path and never opened. Links that stay inside are
//! followed, and a file reached by several paths is read once. Files named on the command
//! line are read as given: the user chose them.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};

use crate::model::{LinkProblem, SkippedLink};
use crate::safe_open::Identity;

/// Extensions read as spreadsheets (DESIGN §3).
pub const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xlsb", "xls", "ods", "csv"];

/// Folders deeper than this under a folder given are not walked.
const MAX_DEPTH: usize = 16;

/// Hidden files, Office and LibreOffice lock files, and the tool's own output are skipped.
fn skipped(name: &str) -> bool {
    name.starts_with('.') || name.starts_with("~$") || name == "output"
}

fn has_known_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// A folder where `enrx report` writes, whatever the command line says now: it holds the
/// lock file a report created, owned by this account or by root. One planted by someone
/// else (to hide a folder from the report) does not count.
fn is_output_folder(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid cannot fail and touches no memory.
    let me = unsafe { libc::geteuid() };
    std::fs::symlink_metadata(dir.join(crate::OUTPUT_LOCK))
        .is_ok_and(|m| m.is_file() && (m.uid() == me || m.uid() == 0))
}

/// How folders are walked.
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// Follow links that lead out of the folder given too (`--suivre-liens`).
    pub follow_links: bool,
    /// Folders never read, wherever they are met (the report's output folder).
    pub exclude: Vec<PathBuf>,
}

/// The files to read and the links left out.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Sorted, each file once.
    pub files: Vec<PathBuf>,
    /// What each file of `files` was when it was found: reading checks that the file it
    /// opens is still that one, so that a file swapped for a link meanwhile is not read.
    pub identities: Vec<Identity>,
    /// Links not followed, sorted by path, each once.
    pub skipped_links: Vec<SkippedLink>,
}

/// A file found, before repeats are removed.
struct Candidate {
    path: PathBuf,
    identity: Identity,
    /// Reached through a symbolic link: another path to the same file is preferred.
    through_link: bool,
}

/// Expands the paths given into a sorted list of files without repeats. A file named
/// explicitly is kept whatever its extension (it will be reported if unreadable); in folders
/// only spreadsheet extensions are taken. A path that does not exist is an error (exit 2).
pub fn discover(paths: &[PathBuf], options: &Options) -> Result<Discovery, String> {
    let excluded: HashSet<Identity> = options
        .exclude
        .iter()
        .filter_map(|p| Identity::of_path(p).ok())
        .collect();
    let mut candidates = Vec::new();
    let mut skipped_links = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| {
            format!(
                "chemin introuvable ou inaccessible : {} ({})",
                path.display(),
                crate::io_reason(&e)
            )
        })?;
        if meta.is_dir() {
            let root = std::fs::canonicalize(path).map_err(|e| {
                format!(
                    "chemin introuvable ou inaccessible : {} ({})",
                    path.display(),
                    crate::io_reason(&e)
                )
            })?;
            let mut walk = Walk {
                root,
                follow_links: options.follow_links,
                excluded: &excluded,
                visited: HashSet::new(),
                linked_folders: VecDeque::new(),
                candidates: &mut candidates,
                skipped_links: &mut skipped_links,
            };
            walk.run(path, Identity::of(&meta));
        } else {
            candidates.push(Candidate {
                path: path.clone(),
                identity: Identity::of(&meta),
                through_link: false,
            });
        }
    }
    Ok(settle(candidates, skipped_links))
}

/// Sorts, and keeps each file once: by its own path rather than through a link, else by the
/// first path in order.
fn settle(candidates: Vec<Candidate>, mut skipped_links: Vec<SkippedLink>) -> Discovery {
    let mut best: HashMap<Identity, Candidate> = HashMap::new();
    for c in candidates {
        match best.get(&c.identity) {
            Some(kept) if (kept.through_link, &kept.path) <= (c.through_link, &c.path) => {}
            _ => {
                best.insert(c.identity, c);
            }
        }
    }
    let mut kept: Vec<Candidate> = best.into_values().collect();
    kept.sort_by(|a, b| a.path.cmp(&b.path));
    skipped_links.sort_by(|a, b| a.display.cmp(&b.display));
    skipped_links.dedup_by(|a, b| a.display == b.display);
    Discovery {
        identities: kept.iter().map(|c| c.identity).collect(),
        files: kept.into_iter().map(|c| c.path).collect(),
        skipped_links,
    }
}

/// Where a symbolic link leads.
enum LinkEnd {
    /// Somewhere that may be read (inside the folder, or anywhere with `--suivre-liens`).
    Readable,
    /// Not to be read.
    Refused(LinkProblem),
    /// Nowhere (its target does not exist, or cannot be reached): nothing to read.
    Broken,
}

/// Walking one folder given: each folder under it once (by identity), real folders before
/// those reached through links, so that files keep their own paths.
struct Walk<'a> {
    /// The folder given, every link resolved: what « inside » means.
    root: PathBuf,
    follow_links: bool,
    excluded: &'a HashSet<Identity>,
    visited: HashSet<Identity>,
    /// Folders reached through a link, walked once the real tree is.
    linked_folders: VecDeque<(PathBuf, usize)>,
    candidates: &'a mut Vec<Candidate>,
    skipped_links: &'a mut Vec<SkippedLink>,
}

impl Walk<'_> {
    fn run(&mut self, top: &Path, identity: Identity) {
        self.visited.insert(identity);
        self.folder(top, 0, false);
        while let Some((path, depth)) = self.linked_folders.pop_front() {
            if let Ok(id) = Identity::of_path(&path)
                && !self.excluded.contains(&id)
                && !is_output_folder(&path)
                && self.visited.insert(id)
            {
                self.folder(&path, depth, true);
            }
        }
    }

    fn folder(&mut self, dir: &Path, depth: usize, through_link: bool) {
        if depth > MAX_DEPTH {
            return;
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if skipped(&name.to_string_lossy()) {
                continue;
            }
            let path = entry.path();
            // The entry itself, not what a link leads to.
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_symlink() {
                self.link(path, depth);
            } else if kind.is_dir() {
                match entry.metadata().map(|m| Identity::of(&m)) {
                    Ok(id) if self.excluded.contains(&id) || is_output_folder(&path) => {
                        log::info!("{} ignoré : dossier de sortie d'enrx", path.display());
                    }
                    Ok(id) if self.visited.insert(id) => {
                        self.folder(&path, depth + 1, through_link)
                    }
                    _ => {}
                }
            } else if kind.is_file() && has_known_extension(&path) {
                // Only regular files: a named pipe or a device would block or never end.
                if let Ok(meta) = entry.metadata() {
                    self.candidates.push(Candidate {
                        path,
                        identity: Identity::of(&meta),
                        through_link,
                    });
                }
            }
        }
    }

    fn link(&mut self, path: PathBuf, depth: usize) {
        match self.link_end(&path) {
            LinkEnd::Refused(problem) => {
                log::info!("{} : lien symbolique non suivi", path.display());
                self.skipped_links.push(SkippedLink {
                    display: path.display().to_string(),
                    problem,
                });
            }
            LinkEnd::Broken => log::info!("{} : lien symbolique cassé, ignoré", path.display()),
            LinkEnd::Readable => match std::fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => self.linked_folders.push_back((path, depth + 1)),
                Ok(meta) if meta.is_file() && has_known_extension(&path) => {
                    self.candidates.push(Candidate {
                        path,
                        identity: Identity::of(&meta),
                        through_link: true,
                    });
                }
                _ => {}
            },
        }
    }

    fn link_end(&self, path: &Path) -> LinkEnd {
        match std::fs::canonicalize(path) {
            Ok(target) if self.follow_links || target.starts_with(&self.root) => LinkEnd::Readable,
            Ok(_) => LinkEnd::Refused(LinkProblem::LeadsOut),
            Err(e) if crate::safe_open::is_link_refusal(&e) => LinkEnd::Refused(LinkProblem::Loop),
            Err(_) => LinkEnd::Broken,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn names(found: &Discovery, root: &Path) -> Vec<String> {
        found
            .files
            .iter()
            .map(|f| f.strip_prefix(root).unwrap().to_string_lossy().into_owned())
            .collect()
    }

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
        let found = discover(&[p.to_path_buf(), p.join("a.xlsx")], &Options::default()).unwrap();
        assert_eq!(names(&found, p), vec!["a.xlsx", "sub/b.CSV"]);
        assert_eq!(found.identities.len(), 2);
        assert!(found.skipped_links.is_empty());
        assert!(discover(&[p.join("missing")], &Options::default()).is_err());
    }

    #[test]
    fn links_out_of_the_folder_and_loops_are_listed_not_followed() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.csv"), b"id;nom\nx;y\n").unwrap();
        std::fs::create_dir(outside.path().join("more")).unwrap();
        std::fs::write(outside.path().join("more/other.csv"), b"x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::create_dir(p.join("sub")).unwrap();
        std::fs::write(p.join("sub/real.csv"), b"x").unwrap();
        symlink(
            outside.path().join("secret.csv"),
            p.join("conventions-pnr.csv"),
        )
        .unwrap();
        symlink(outside.path().join("more"), p.join("ailleurs")).unwrap();
        symlink(p.join("boucle-b.csv"), p.join("boucle-a.csv")).unwrap();
        symlink(p.join("boucle-a.csv"), p.join("boucle-b.csv")).unwrap();
        // Inside: a link to a file, a link to a folder, a link back up (a cycle of folders).
        symlink(p.join("sub/real.csv"), p.join("alias.csv")).unwrap();
        symlink(p.join("sub"), p.join("raccourci")).unwrap();
        symlink("..", p.join("sub/haut")).unwrap();
        symlink(p.join("nowhere.csv"), p.join("casse.csv")).unwrap();

        let found = discover(&[p.to_path_buf()], &Options::default()).unwrap();
        assert_eq!(
            names(&found, p),
            vec!["sub/real.csv"],
            "inside links read once"
        );
        let skipped: Vec<_> = found
            .skipped_links
            .iter()
            .map(|l| {
                (
                    l.display
                        .strip_prefix(&*p.to_string_lossy())
                        .unwrap()
                        .to_string(),
                    l.problem,
                )
            })
            .collect();
        assert_eq!(
            skipped,
            vec![
                ("/ailleurs".to_string(), LinkProblem::LeadsOut),
                ("/boucle-a.csv".to_string(), LinkProblem::Loop),
                ("/boucle-b.csv".to_string(), LinkProblem::Loop),
                ("/conventions-pnr.csv".to_string(), LinkProblem::LeadsOut),
            ]
        );

        let follow = Options {
            follow_links: true,
            ..Options::default()
        };
        let found = discover(&[p.to_path_buf()], &follow).unwrap();
        assert_eq!(
            names(&found, p),
            vec!["ailleurs/other.csv", "conventions-pnr.csv", "sub/real.csv"]
        );
        assert_eq!(
            found.skipped_links.len(),
            2,
            "loops still cannot be followed"
        );
    }

    #[test]
    fn a_link_named_on_the_command_line_is_read_as_given() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("a.csv"), b"x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("lien.csv");
        symlink(outside.path().join("a.csv"), &link).unwrap();
        let found = discover(std::slice::from_ref(&link), &Options::default()).unwrap();
        assert_eq!(found.files, vec![link]);
        assert!(found.skipped_links.is_empty());
    }

    #[test]
    fn a_folder_holding_a_report_lock_is_an_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::create_dir_all(p.join("rapports/2021")).unwrap();
        std::fs::write(p.join("rapports/.enrx.lock"), b"").unwrap();
        std::fs::write(p.join("rapports/2021/conventions.csv"), b"x").unwrap();
        std::fs::write(p.join("a.csv"), b"x").unwrap();
        let found = discover(&[p.to_path_buf()], &Options::default()).unwrap();
        assert_eq!(names(&found, p), vec!["a.csv"]);
        // The folder given is read even so: it was chosen.
        let found = discover(&[p.join("rapports/2021")], &Options::default()).unwrap();
        assert_eq!(found.files.len(), 1);
    }

    #[test]
    fn excluded_folders_are_not_read_wherever_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::create_dir_all(p.join("sorties/2021")).unwrap();
        std::fs::write(p.join("sorties/2021/conventions.csv"), b"x").unwrap();
        std::fs::write(p.join("a.csv"), b"x").unwrap();
        symlink(p.join("sorties"), p.join("vers-sorties")).unwrap();
        let options = Options {
            exclude: vec![p.join("sorties")],
            ..Options::default()
        };
        let found = discover(&[p.to_path_buf()], &options).unwrap();
        assert_eq!(names(&found, p), vec!["a.csv"]);
    }
}
