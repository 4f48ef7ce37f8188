//! The benchmark's floors: the bare cost of parsing every cell of the files given, doing
//! nothing with them. `enrx validate` and `enrx report` are measured as ratios to these.
//!
//! ```text
//! cargo run --release --example calamine_floor -- [--mode MODE] FILE_OR_FOLDER...
//! ```
//!
//! Modes, for workbooks (CSV files are always parsed with the csv crate):
//! - `range` (default): calamine, a dense range of every sheet;
//! - `stream`: calamine's streaming cell reader (`worksheet_cells_reader`, xlsx and xlsb; the
//!   others as ranges);
//! - `enrx`: enrx's own xlsx/xlsm reader (`enrx::ingest::xlsx`) on one thread, cells counted
//!   and dropped; the other formats as in `stream`;
//! - `enrx-pipeline`: the same, a large sheet parsed on a thread of its own as `enrx` does.

use std::path::{Path, PathBuf};

use calamine::{Data, DataRef, Reader, Sheets, open_workbook_auto};
use enrx::ingest::cell::Cell;
use enrx::ingest::limits::{Limits, Refusal};
use enrx::ingest::xlsx::{CellVisitor, Workbook};
use enrx::model::MergedRange;

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Range,
    Stream,
    Enrx,
}

fn files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
                .map(|rd| rd.flatten().map(|e| e.path()).collect())
                .unwrap_or_default();
            entries.sort();
            out.extend(files(&entries));
        } else if p.is_file() {
            out.push(p.clone());
        }
    }
    out
}

fn csv_cells(path: &Path) -> usize {
    let Ok(mut reader) = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_path(path)
    else {
        return 0;
    };
    let mut record = csv::ByteRecord::new();
    let mut n = 0;
    while reader.read_byte_record(&mut record).unwrap_or(false) {
        n += record.len();
    }
    n
}

/// Counts the cells that hold something.
struct Count(usize);

impl<'t> CellVisitor<'t> for Count {
    fn hidden_row(&mut self, _row_number: u32) {}
    fn cell(&mut self, _row: u32, _col: u32, cell: Cell<'t>) -> Result<bool, Refusal> {
        if !matches!(cell, Cell::Empty) {
            self.0 += 1;
        }
        Ok(true)
    }
    fn merged_cells(&mut self, _ranges: Vec<MergedRange>) {}
    fn hidden_columns(&mut self, _first: u16, _last: u16) {}
}

fn enrx_cells(path: &Path) -> usize {
    let Ok(file) = std::fs::File::open(path) else {
        return 0;
    };
    let Ok(mut wb) = Workbook::open(&file, &Limits::default()) else {
        return 0;
    };
    let mut count = Count(0);
    for name in wb.sheet_names() {
        let _ = wb.read_sheet(&name, &mut count);
    }
    count.0
}

fn streamed_cells(workbook: &mut Sheets<std::io::BufReader<std::fs::File>>) -> Option<usize> {
    let mut n = 0;
    match workbook {
        Sheets::Xlsx(wb) => {
            for name in wb.sheet_names() {
                let Ok(mut reader) = wb.worksheet_cells_reader(&name) else {
                    continue;
                };
                while let Ok(Some(cell)) = reader.next_cell() {
                    if !matches!(cell.get_value(), DataRef::Empty) {
                        n += 1;
                    }
                }
            }
        }
        Sheets::Xlsb(wb) => {
            for name in wb.sheet_names() {
                let Ok(mut reader) = wb.worksheet_cells_reader(&name) else {
                    continue;
                };
                while let Ok(Some(cell)) = reader.next_cell() {
                    if !matches!(cell.get_value(), DataRef::Empty) {
                        n += 1;
                    }
                }
            }
        }
        _ => return None,
    }
    Some(n)
}

fn cells_of(path: &Path, mode: Mode) -> usize {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if extension == "csv" {
        return csv_cells(path);
    }
    if mode == Mode::Enrx && matches!(extension.as_str(), "xlsx" | "xlsm") {
        return enrx_cells(path);
    }
    let Ok(mut workbook) = open_workbook_auto(path) else {
        return 0;
    };
    if mode != Mode::Range
        && let Some(n) = streamed_cells(&mut workbook)
    {
        return n;
    }
    let mut n = 0;
    for name in workbook.sheet_names() {
        if let Ok(range) = workbook.worksheet_range(&name) {
            n += range
                .used_cells()
                .filter(|(_, _, c)| !matches!(c, Data::Empty))
                .count();
        }
    }
    n
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut mode = Mode::Range;
    if let Some(i) = args.iter().position(|a| a == "--mode") {
        mode = match args.get(i + 1).map(String::as_str) {
            Some("range") => Mode::Range,
            Some("stream") => Mode::Stream,
            Some("enrx") => {
                enrx::ingest::xlsx::PARALLEL.store(false, std::sync::atomic::Ordering::Relaxed);
                Mode::Enrx
            }
            Some("enrx-pipeline") => Mode::Enrx,
            other => {
                eprintln!(
                    "calamine_floor: mode inconnu {other:?} (range, stream, enrx, enrx-pipeline)"
                );
                std::process::exit(2);
            }
        };
        args.drain(i..(i + 2).min(args.len()));
    }
    let paths: Vec<PathBuf> = args.iter().map(PathBuf::from).collect();
    let total: usize = files(&paths).iter().map(|f| cells_of(f, mode)).sum();
    println!("{total} cellules");
}
