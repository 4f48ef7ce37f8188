//! The steps `validate` and `report` share: referential, discovery, ingest, checks.

use std::path::{Path, PathBuf};

use std::sync::Mutex;

use super::Failure;
use crate::checks::{self, Collector, Diagnostic, RowChecks, Tally};
use crate::ingest::discover::{self, Discovery};
use crate::ingest::{self, RowSink, limits::Limits};
use crate::model::{DataSet, Referential, RowChunk, SheetAt};

pub fn referential(path: Option<&Path>) -> Result<Referential, Failure> {
    Referential::load(path).map_err(|e| Failure::cannot_run(e.to_string()))
}

/// The year asked for, or the default one; a year outside the period cannot be reported on.
pub fn year(asked: Option<i32>, referential: &Referential) -> Result<i32, Failure> {
    let today = chrono::Local::now().date_naive();
    let year = asked.unwrap_or_else(|| referential.default_year(today));
    if !referential.years().contains(&year) {
        return Err(Failure::cannot_run(format!(
            "l'année {year} est hors de la période du référentiel ({} – {})",
            referential.years().start(),
            referential.years().end()
        )));
    }
    Ok(year)
}

/// The data set and its diagnostics, in a stable order: those kept (at most
/// `--max-anomalies` of a code in a file, then a line saying how many more), and the exact
/// tally of all (counts, rows left out of the figures, counts per code).
pub struct Checked {
    pub files: Vec<PathBuf>,
    pub ds: DataSet,
    pub diagnostics: Vec<Diagnostic>,
    pub tally: Tally,
}

/// The files to read (and the links left out), and whether they are a whole data set:
/// folders are; files named one by one are checked for themselves (a Parc's own workbook
/// before it is sent).
pub fn discover(
    paths: &[PathBuf],
    options: &discover::Options,
) -> Result<(Discovery, bool), Failure> {
    let found = discover::discover(paths, options).map_err(Failure::CannotRun)?;
    if found.files.is_empty() {
        // Nothing to check is not a clean result: from cron it often means a missing mount,
        // and a report of zeros would replace the last good one.
        let links = match found.skipped_links.len() {
            0 => String::new(),
            n => format!(
                " ({} non suivi{} : --suivre-liens pour les lire)",
                crate::text::plural(n, "lien symbolique", "liens symboliques"),
                if n > 1 { "s" } else { "" }
            ),
        };
        return Err(Failure::cannot_run(format!(
            "aucun tableur (xlsx, xlsm, xls, xlsb, ods, csv) dans {}{links}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok((found, paths.iter().any(|p| p.is_dir())))
}

/// The report's folders, before anything is created: the input folder may hold the output
/// folder (discovery leaves it out), not the other way round — enrx writes there, and would
/// read what it wrote; the same folder for both is refused too.
pub fn separate_folders(input: &Path, output: &Path) -> Result<(), Failure> {
    let input_real = std::fs::canonicalize(input).map_err(|e| {
        Failure::cannot_run(format!(
            "dossier d'entrée inaccessible : {} ({})",
            input.display(),
            crate::io_reason(&e)
        ))
    })?;
    let output_real = resolve_existing_part(output);
    if input_real.starts_with(&output_real) {
        return Err(Failure::cannot_run(format!(
            "le dossier d'entrée {} est {} le dossier de sortie {} : enrx y écrit ses rapports \
             et les relirait comme des dépôts ; choisissez deux dossiers séparés \
             (le dossier de sortie peut être dans le dossier d'entrée, pas l'inverse)",
            input.display(),
            if input_real == output_real {
                "aussi"
            } else {
                "dans"
            },
            output.display()
        )));
    }
    Ok(())
}

/// `path` with every link resolved as far as it exists (a folder that is yet to be created
/// is resolved through its nearest existing parent).
fn resolve_existing_part(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(&existing) {
            return rest
                .into_iter()
                .rev()
                .fold(real, |acc, part| acc.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                };
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// `keep_texts` keeps the texts the report's lists show; `validate` keeps only the small
/// cores, so a million rows are checked in bounded memory.
pub fn check(
    found: Discovery,
    whole_data_set: bool,
    referential: &Referential,
    year: i32,
    limits: &Limits,
    keep_texts: bool,
) -> Checked {
    let reading = Reading {
        referential,
        year,
        limits,
        keep_texts,
    };
    check_with(found, whole_data_set, reading, &())
}

/// What `check_with` reads with.
pub struct Reading<'a> {
    pub referential: &'a Referential,
    pub year: i32,
    pub limits: &'a Limits,
    pub keep_texts: bool,
}

/// As `check`, and every chunk of full rows also goes to `also` after its checks.
pub fn check_with(
    found: Discovery,
    whole_data_set: bool,
    Reading {
        referential,
        year,
        limits,
        keep_texts,
    }: Reading,
    also: &dyn RowSink,
) -> Checked {
    let sink = CheckingSink {
        checks: RowChecks {
            referential,
            year,
            whole_data_set,
        },
        found: Mutex::new(Collector::new(limits.max_anomalies)),
        also,
    };
    let Discovery {
        files,
        identities,
        skipped_links,
    } = found;
    let reading = ingest::Reading {
        limits,
        referential,
        sink: &sink,
        keep_texts,
        identities: &identities,
    };
    let mut ds = ingest::load(&files, reading);
    ds.skipped_links = skipped_links;
    let mut collector = sink.found.into_inner().unwrap_or_else(|e| e.into_inner());
    for (index, file) in ds.files.iter().enumerate() {
        if !matches!(file.status, crate::model::FileStatus::Read) {
            collector.forget_file(index as u32);
        }
    }
    let (diagnostics, tally) = checks::run(&ds, collector, referential, year, whole_data_set);
    Checked {
        files,
        ds,
        diagnostics,
        tally,
    }
}

/// Runs the row checks on every chunk of rows as the files are read.
struct CheckingSink<'a> {
    checks: RowChecks<'a>,
    found: Mutex<Collector>,
    also: &'a dyn RowSink,
}

impl RowSink for CheckingSink<'_> {
    fn chunk(&self, sheet: SheetAt, rows: &RowChunk) {
        // A panic while holding the lock cannot leave the collector half-written: keep it.
        let lock = || self.found.lock().unwrap_or_else(|e| e.into_inner());
        let muted = lock().muted(sheet.id.file()).to_vec();
        let found = self.checks.run(sheet, rows, &muted);
        if found.iter().any(|f| !f.is_empty()) {
            let mut collector = lock();
            for diagnostics in found {
                collector.extend(diagnostics);
            }
        }
        self.also.chunk(sheet, rows);
    }
}

/// Writes `bytes` to `path`, or says in French why it could not.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes).map_err(|e| {
        Failure::cannot_run(format!(
            "impossible d'écrire {} ({})",
            path.display(),
            crate::io_reason(&e)
        ))
    })
}

/// Writes to stdout; a closed pipe (`enrx checks | head`) ends quietly, like any Unix tool.
pub fn print(bytes: &[u8]) -> Result<(), Failure> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::cannot_run(format!(
            "écriture impossible sur la sortie standard ({})",
            crate::io_reason(&e)
        ))),
        _ => Ok(()),
    }
}
