//! Files → typed rows (DESIGN §3): discovery, format sniffing (`format`), readers, merge.

pub mod cell;
pub mod columns;
pub mod csv;
pub mod discover;
pub mod format;
pub mod isolate;
pub mod limits;
pub mod ods;
pub mod rows;
pub mod shapes;
pub mod sheet;
pub mod sink;
pub mod typing;
pub mod workbook;
pub mod xlsx;

use std::fs::File;
use std::io::Seek;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::model::{DataSet, FileStatus, Referential, SheetInfo, SourceFile, UnreadTable};
use crate::safe_open::{self, Identity};
use format::Format;
use limits::{Deadline, Limits, Refusal};
use sheet::{SheetOutput, Streaming};
pub use sink::RowSink;
use workbook::WorkbookFormat;

/// What reading one file gave.
struct FileRead {
    status: FileStatus,
    windows_1252: bool,
    sheets: Vec<SheetOutput>,
}

impl FileRead {
    fn refused(r: Refusal) -> Self {
        FileRead {
            status: match r {
                Refusal::Unreadable(m) => FileStatus::Unreadable(m),
                Refusal::OverLimit(m) => FileStatus::OverLimit(m),
            },
            windows_1252: false,
            sheets: Vec::new(),
        }
    }
}

/// How files are read.
#[derive(Clone, Copy)]
pub struct Reading<'a> {
    pub limits: &'a Limits,
    /// Resolves each convention's links to the referential as it is typed.
    pub referential: &'a Referential,
    /// Takes each chunk of full rows as it is read.
    pub sink: &'a dyn RowSink,
    /// Keep the texts of the report's lists; `validate` keeps only the cores.
    pub keep_texts: bool,
    /// What each file was when discovery found it, index-aligned with the files (empty: not
    /// checked): a file that is another one when it is opened is not read.
    pub identities: &'a [Identity],
}

/// Reads every file (in parallel) and merges them into one data set, in path order, every
/// convention linked to its partners. A file that cannot be read is recorded with its
/// reason; the others are still read.
pub fn load(files: &[PathBuf], reading: Reading) -> DataSet {
    log::info!("lecture de {} fichier(s)", files.len());
    let progress = progress_bar(files);
    let reads: Vec<FileRead> = files
        .par_iter()
        .enumerate()
        .map(|(index, p)| {
            let read = read_isolated(p, index, reading);
            if let Some(bar) = &progress {
                bar.inc(1);
            }
            read
        })
        .collect();
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let mut ds = merge(files, reads);
    ds.link();
    ds
}

/// A progress bar on stderr, only on a terminal and only for runs long enough to need one
/// (many files, or many megabytes); cron and pipes never see it.
fn progress_bar(files: &[PathBuf]) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    if files.len() < 20 && bytes < 20 * 1024 * 1024 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(files.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} lecture des fichiers {bar:30} {pos}/{len} ({elapsed})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(bar)
}

/// One file's failure, even a panic inside a parser, stays that file's (F001).
fn read_isolated(path: &Path, index: usize, reading: Reading) -> FileRead {
    let start = std::time::Instant::now();
    let read = if index < crate::model::SheetId::MAX_FILES {
        read_caught(path, index as u32, reading)
    } else {
        FileRead::refused(Refusal::OverLimit(format!(
            "plus de {} fichiers dans un même lot",
            crate::model::SheetId::MAX_FILES
        )))
    };
    match &read.status {
        FileStatus::Read => log::debug!(
            "{} lu en {} ms ({} lignes)",
            path.display(),
            start.elapsed().as_millis(),
            read.sheets.iter().map(|s| s.data_rows).sum::<usize>()
        ),
        FileStatus::Unreadable(why) | FileStatus::OverLimit(why) => {
            log::info!("{} écarté : {why}", path.display())
        }
    }
    read
}

fn read_caught(path: &Path, index: u32, reading: Reading) -> FileRead {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_file(path, index, reading)
    }))
    .unwrap_or_else(|_| {
        FileRead::refused(Refusal::Unreadable(
            "le lecteur de classeurs a échoué sur ce fichier (fichier probablement corrompu)"
                .into(),
        ))
    })
}

/// Files from this size on are read and checked on two threads (`sink::pipelined`); a
/// smaller one costs less than the thread would.
const PIPELINE_BYTES: u64 = 1024 * 1024;

fn read_file(path: &Path, index: u32, reading: Reading) -> FileRead {
    let display = path.display().to_string();
    let expected = reading.identities.get(index as usize).copied();
    let file = match open(path, expected) {
        Ok(file) => file,
        Err(refusal) => return FileRead::refused(refusal),
    };
    let read = |handoff: Option<&sink::Handoff>| {
        let streaming = Streaming {
            file: &display,
            file_index: index,
            referential: Some(reading.referential),
            sink: reading.sink,
            handoff,
            keep_texts: reading.keep_texts,
            deadline: Deadline::start(reading.limits),
        };
        read_opened(path, &file, reading.limits, streaming)
    };
    let large = file.metadata().is_ok_and(|m| m.len() >= PIPELINE_BYTES);
    let read = if large {
        sink::pipelined(reading.sink, read)
    } else {
        read(None)
    };
    read.unwrap_or_else(FileRead::refused)
}

fn io_refusal(e: std::io::Error) -> Refusal {
    Refusal::Unreadable(format!("lecture impossible ({})", crate::io_reason(&e)))
}

/// Opens a file to read, once: every reader reads this descriptor, never the path again. It
/// must be a regular file and, when discovery saw it, the same file (a file swapped for a
/// symbolic link to somewhere else in the meantime is not read).
fn open(path: &Path, expected: Option<Identity>) -> Result<File, Refusal> {
    let file = safe_open::read_only(path).map_err(io_refusal)?;
    let meta = file.metadata().map_err(io_refusal)?;
    if !meta.is_file() {
        return Err(Refusal::Unreadable(
            "ce n'est pas un fichier ordinaire (dossier, tube ou périphérique)".into(),
        ));
    }
    if expected.is_some_and(|id| id != Identity::of(&meta)) {
        return Err(Refusal::Unreadable(
            "le fichier a été remplacé par un autre pendant la vérification : relancez-la".into(),
        ));
    }
    Ok(file)
}

/// Another handle on an open file, at its start (readers take turns on one descriptor).
fn rewound(file: &File) -> std::io::Result<File> {
    let mut handle = file.try_clone()?;
    handle.rewind()?;
    Ok(handle)
}

/// Reads the file opened as `file`; `path` names it (its extension breaks ties of format).
fn read_opened(
    path: &Path,
    file: &File,
    limits: &Limits,
    streaming: Streaming,
) -> Result<FileRead, Refusal> {
    let meta = file.metadata().map_err(io_refusal)?;
    if meta.len() > limits.max_file_bytes {
        return Err(Refusal::OverLimit(format!(
            "fichier de {} (limite {}, option --max-taille)",
            limits::mib(meta.len()),
            limits::mib(limits.max_file_bytes)
        )));
    }
    let read = match format::of(path, file)? {
        Format::Csv => {
            let read = csv::read(path, file, limits, streaming)?;
            // Text under a workbook's name with no table in it is no export of a sheet (an
            // error page saved by a browser, a message): not a workbook, as it first seemed.
            if let Some(ext) = format::workbook_extension(path)
                && read.sheet.kind.is_none()
            {
                return Err(Refusal::Unreadable(format!(
                    "ce n'est pas un classeur {ext} valide : c'est un fichier texte, sans tableau \
                     reconnu"
                )));
            }
            FileRead {
                status: FileStatus::Read,
                windows_1252: read.windows_1252,
                sheets: vec![read.sheet],
            }
        }
        Format::Workbook(format) => {
            if format != WorkbookFormat::Xls {
                limits::precheck_zip(file, limits)?;
            }
            let isolated = match format {
                WorkbookFormat::Xls => isolate::read_xls(file, limits, streaming),
                _ => None,
            };
            FileRead {
                status: FileStatus::Read,
                windows_1252: false,
                sheets: match isolated {
                    Some(sheets) => sheets?,
                    None => workbook::read(file, format, limits, streaming)?,
                },
            }
        }
    };
    // A sheet that ran out of the file's time stopped early: the file is not read whole.
    if read.sheets.iter().any(|s| s.out_of_time) {
        return Err(streaming.deadline.refusal());
    }
    Ok(read)
}

/// Moves `more` to the end of `all`; the first sheet's rows are taken over without a copy
/// (a million conventions weigh a gigabyte).
fn append<T>(all: &mut Vec<T>, more: &mut Vec<T>) {
    if all.is_empty() {
        std::mem::swap(all, more);
    } else {
        all.append(more);
    }
}

/// Puts the files' sheets and rows together, in path order: sheets and records keep the ids
/// they were read with.
fn merge(paths: &[PathBuf], reads: Vec<FileRead>) -> DataSet {
    let mut ds = DataSet::default();
    for (path, read) in paths.iter().zip(reads) {
        let mut file = SourceFile {
            path: path.clone(),
            display: path.display().to_string(),
            status: read.status,
            decoded_as_windows_1252: read.windows_1252,
            sheets: Vec::new(),
            rows: 0,
            unread_tables: Vec::new(),
        };
        for mut out in read.sheets {
            if let Some((kind, header_row)) = out.unread_table {
                file.unread_tables.push(UnreadTable {
                    sheet: out.name,
                    kind,
                    header_row,
                });
                continue;
            }
            // Sheets recognised neither by name nor by header are not ours (instructions, lists…).
            let Some(kind) = out.kind else { continue };
            file.sheets.push(out.id);
            file.rows += out.data_rows;
            append(&mut ds.conventions, &mut out.conventions);
            append(&mut ds.convention_texts, &mut out.convention_texts);
            append(&mut ds.partners, &mut out.partners);
            append(&mut ds.indicators, &mut out.indicators);
            ds.sheets.push(SheetInfo {
                id: out.id,
                name: out.name,
                kind,
                header_row: out.header_row,
                headers: out.headers,
                missing_columns: out.missing_columns,
                unknown_columns: out.unknown_columns,
                duplicate_columns: out.duplicate_columns,
                columns: out.columns,
                data_rows: out.data_rows,
                hidden_rows: out.hidden_rows,
                hidden_row_numbers: out.hidden_row_numbers,
                hidden_columns: out.hidden_columns,
                merges: out.merges,
                totals: out.totals,
                notes: out.notes,
            });
        }
        ds.files.push(file);
    }
    ds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_swapped_for_a_link_after_discovery_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let found = dir.path().join("conventions.csv");
        let secret = dir.path().join("secret.csv");
        std::fs::write(&found, b"id;nom\n").unwrap();
        std::fs::write(&secret, b"id;nom\nSECRET;x\n").unwrap();
        let identity = Identity::of_path(&found).unwrap();
        assert!(open(&found, Some(identity)).is_ok());
        std::fs::remove_file(&found).unwrap();
        std::os::unix::fs::symlink(&secret, &found).unwrap();
        assert!(matches!(
            open(&found, Some(identity)),
            Err(Refusal::Unreadable(m)) if m.contains("remplacé")
        ));
    }
}
