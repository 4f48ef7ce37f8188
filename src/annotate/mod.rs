//! `enrx validate --annoter DOSSIER` (DESIGN §2, §7): for every file read, a copy of the
//! depositor's workbook with each flagged cell filled by severity and carrying a note, a first
//! sheet « Anomalies » and a sheet « Vos chiffres ». The input is never modified.
//!
//! An xlsx or xlsm is patched as a package (`package`): its members are copied unchanged but
//! for the flagged sheets, the styles, the notes and the workbook's list of sheets, so what
//! enrx does not model (formulas, validations, drawings, macros…) stays as it was. Another
//! format is first rewritten as a plain xlsx (`rewrite`), then patched the same way.

pub mod grid;
pub mod marks;
pub mod package;
pub mod rewrite;
pub mod select;
pub mod sheets;
pub mod write;

use std::collections::{BTreeMap, HashMap};
use std::io::{BufReader, Cursor, Read, Seek};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::{Counts, Diagnostic, Exclusions, Severity};
use crate::figures::Scope;
use crate::figures::contribution::{self, Contribution};
use crate::ingest::limits::Limits;
use crate::model::{DataSet, FileStatus, Referential, SheetInfo};
use package::comments::Note;
use package::{Package, PatchError, SheetMarks};
use rewrite::Source;
use select::Selection;
use sheets::Context;

pub use write::check_folder;

/// What the copies are made with.
pub struct Settings<'a> {
    /// Where the copies go.
    pub folder: &'a Path,
    /// The paths given on the command line: a file found in a folder keeps its place under it.
    pub inputs: &'a [PathBuf],
    pub referential: &'a Referential,
    pub year: i32,
    /// Whether the files were checked as a whole data set (a folder) or one by one.
    pub whole_data_set: bool,
    pub limits: &'a Limits,
    /// At most this many diagnostics of one code in one file (0: all), as every output.
    pub max_per_code: usize,
}

/// Writes a copy of every file that could be read; returns the copies' paths. A copy that
/// cannot be written fails the whole (French reason); the others are still written.
/// `exclusions`: the rows the run leaves out, exact even past `--max-anomalies` (the tally's).
pub fn annotate_all(
    ds: &mut DataSet,
    diagnostics: &[Diagnostic],
    exclusions: &Exclusions,
    settings: &Settings,
) -> Result<Vec<PathBuf>, String> {
    let paths: Vec<PathBuf> = ds.files.iter().map(|f| f.path.clone()).collect();
    let stems = write::relative_stems(&paths, settings.inputs);
    // The figures need the data set's indicator values restricted in turn: one file after
    // the other.
    let started = std::time::Instant::now();
    let contributions: Vec<Option<Contribution>> = (0..ds.files.len() as u32)
        .map(|i| {
            (ds.files[i as usize].status == FileStatus::Read).then(|| {
                contribution::of_file(
                    ds,
                    settings.referential,
                    exclusions,
                    Scope::Year(settings.year),
                    i,
                    sheets::MAX_CONVENTION_LINES,
                )
            })
        })
        .collect();
    log::debug!(
        "chiffres des copies en {} ms",
        started.elapsed().as_millis()
    );
    let ds = &*ds;
    let today = chrono::Local::now().date_naive();
    let results: Vec<Result<Option<PathBuf>, String>> = (0..ds.files.len())
        .into_par_iter()
        .map(|i| {
            let Some(contribution) = &contributions[i] else {
                log::info!("{} : illisible, pas de copie annotée", ds.files[i].display);
                return Ok(None);
            };
            let job = Job {
                ds,
                diagnostics,
                settings,
                file: i as u32,
                contribution,
                today,
            };
            let started = std::time::Instant::now();
            let copy = job.copy(&settings.folder.join(&stems[i]));
            log::debug!(
                "copie annotée de {} en {} ms",
                ds.files[i].display,
                started.elapsed().as_millis()
            );
            copy.map(Some)
        })
        .collect();
    let mut written = Vec::new();
    let mut failures = Vec::new();
    for r in results {
        match r {
            Ok(Some(p)) => written.push(p),
            Ok(None) => {}
            Err(e) => failures.push(e),
        }
    }
    if failures.is_empty() {
        Ok(written)
    } else {
        Err(failures.join(" ; "))
    }
}

/// One file's copy.
struct Job<'a> {
    ds: &'a DataSet,
    diagnostics: &'a [Diagnostic],
    settings: &'a Settings<'a>,
    file: u32,
    contribution: &'a Contribution,
    today: chrono::NaiveDate,
}

/// Why a copy failed: the package could not be patched (rewrite it), or writing failed.
enum CopyError {
    Patch(PatchError),
    Write(String),
}

impl Job<'_> {
    fn path(&self) -> &Path {
        &self.ds.files[self.file as usize].path
    }

    fn display(&self) -> &str {
        &self.ds.files[self.file as usize].display
    }

    /// Writes the copy at `stem` + its extension; an xlsx is patched, anything else (or an
    /// xlsx that cannot be) rewritten first.
    fn copy(&self, stem: &Path) -> Result<PathBuf, String> {
        let source = Source::of(self.path());
        if source == Source::Xlsx {
            let patched = std::fs::File::open(self.path())
                .map_err(|e| PatchError(crate::io_reason(&e)))
                .and_then(|f| Package::open(BufReader::with_capacity(1 << 16, f)));
            match patched.map(|pkg| self.write(pkg, None, stem)) {
                Ok(Ok(path)) => return Ok(path),
                Ok(Err(CopyError::Write(e))) => return Err(e),
                Ok(Err(CopyError::Patch(e))) | Err(e) => log::warn!(
                    "{} : classeur recopié valeur par valeur, sa structure n'a pas pu être gardée ({e})",
                    self.display()
                ),
            }
        }
        let rewritten = match source {
            Source::Csv => rewrite::csv(self.path(), &self.csv_sheet(), self.settings.limits),
            other => rewrite::workbook(self.path(), other, self.settings.limits),
        }
        .map_err(|e| format!("{} : {e}", self.display()))?;
        let pkg = Package::open(Cursor::new(rewritten.bytes))
            .map_err(|e| format!("{} : {e}", self.display()))?;
        match self.write(pkg, Some(&rewritten.names), stem) {
            Ok(path) => Ok(path),
            Err(CopyError::Write(e)) => Err(e),
            Err(CopyError::Patch(e)) => Err(format!(
                "{} : copie annotée impossible ({e})",
                self.display()
            )),
        }
    }

    /// What the reader found of a CSV file's one sheet.
    fn csv_sheet(&self) -> rewrite::CsvSheet {
        let sheet = self.sheets().next();
        rewrite::CsvSheet {
            kind: sheet.map(|s| s.kind),
            header_row: sheet.and_then(|s| s.header_row),
        }
    }

    fn sheets(&self) -> impl Iterator<Item = &SheetInfo> {
        let file = self.file;
        self.ds.sheets.iter().filter(move |s| s.id.file() == file)
    }

    /// The name in the copy of a sheet named `read` when read (`renamed`: by a rewrite).
    fn copy_name(renamed: Option<&HashMap<String, String>>, read: &str) -> String {
        match renamed {
            Some(map) => map.get(read).cloned().unwrap_or_else(|| read.to_string()),
            None => read.to_string(),
        }
    }

    /// The sheet of the copy a diagnostic is on.
    fn sheet_of(
        &self,
        d: &Diagnostic,
        renamed: Option<&HashMap<String, String>>,
    ) -> Option<String> {
        let read = match d.sheet_index {
            Some(id) => self
                .ds
                .sheets
                .binary_search_by_key(&id, |s| s.id)
                .ok()
                .map(|i| self.ds.sheets[i].name.clone()),
            None => d.sheet.clone(),
        }?;
        Some(Self::copy_name(renamed, &read))
    }

    fn write<R: Read + Seek + Send>(
        &self,
        pkg: Package<R>,
        renamed: Option<&HashMap<String, String>>,
        stem: &Path,
    ) -> Result<PathBuf, CopyError> {
        let selection = select::of_file(self.diagnostics, self.file, self.settings.max_per_code);
        let mut names = pkg.sheet_names();
        let anomalies = unique_name(sheets::ANOMALIES, &mut names);
        let figures = unique_name(sheets::FIGURES, &mut names);
        let sheet_of = |d: &Diagnostic| self.sheet_of(d, renamed);
        let grids = [
            sheets::anomalies(
                &anomalies,
                &self.context(),
                &selection,
                self.counts(),
                &sheet_of,
            ),
            sheets::figures(&figures, &self.context(), self.contribution, &|read| {
                Self::copy_name(renamed, read)
            }),
        ];
        let marks = sheet_marks(&selection, &sheet_of);
        let ext = if pkg.is_macro_enabled() {
            "xlsm"
        } else {
            "xlsx"
        };
        // Built from the name's own bytes: a file name that is not UTF-8 keeps them.
        let mut name = stem.as_os_str().to_os_string();
        name.push(format!(".{ext}"));
        let path = PathBuf::from(name);
        let seed = self.display().to_string();
        match write::atomically(&path, |w| pkg.write(w, &marks, &grids, &seed)) {
            Ok(Ok(())) => Ok(path),
            Ok(Err(e)) => Err(CopyError::Patch(e)),
            Err(e) => Err(CopyError::Write(e)),
        }
    }

    fn context(&self) -> Context<'_> {
        Context {
            file: self.display(),
            today: self.today,
            referential: self.settings.referential,
            year: self.settings.year,
            whole_data_set: self.settings.whole_data_set,
            files_read: self.ds.files.len(),
        }
    }

    /// Every diagnostic of the file, kept or not, by severity.
    fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for d in self
            .diagnostics
            .iter()
            .filter(|d| d.file_index == Some(self.file))
        {
            match d.severity {
                Severity::Erreur => c.erreurs += 1,
                Severity::Avertissement => c.avertissements += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
    }
}

/// The marks of each sheet of the copy: flagged cells in order, and their notes.
fn sheet_marks(
    selection: &Selection,
    sheet_of: &dyn Fn(&Diagnostic) -> Option<String>,
) -> BTreeMap<String, SheetMarks> {
    marks::build(&selection.kept, sheet_of)
        .into_iter()
        .map(|(name, cells)| {
            let sheet = SheetMarks {
                cells: cells.iter().map(|(at, m)| (*at, m.severity)).collect(),
                notes: cells
                    .iter()
                    .map(|(at, m)| Note {
                        at: *at,
                        entries: marks::note(&m.diagnostics),
                        text: marks::note_text(&m.diagnostics),
                    })
                    .collect(),
            };
            (name, sheet)
        })
        .collect()
}

/// `base`, or `base enrx` (then numbered) when the workbook already has a sheet of that name.
fn unique_name(base: &str, taken: &mut Vec<String>) -> String {
    let free = |n: &str| !taken.iter().any(|t| t.to_lowercase() == n.to_lowercase());
    let name = std::iter::once(base.to_string())
        .chain(std::iter::once(format!("{base} enrx")))
        .chain((2..).map(|n| format!("{base} enrx {n}")))
        .find(|n| free(n))
        .unwrap_or_default();
    taken.push(name.clone());
    name
}

#[cfg(test)]
mod tests;
