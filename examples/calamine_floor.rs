//! The benchmark's floor: the bare cost of parsing every cell of the files given, with calamine
//! (workbooks, dense ranges of every sheet) and the csv crate (CSV), doing nothing with them.
//! `enrx validate` and `enrx report` are measured as ratios to this.
//!
//! `cargo run --release --example calamine_floor -- FILE_OR_FOLDER...`

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, open_workbook_auto};

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

fn cells_of(path: &Path) -> usize {
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
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
        return n;
    }
    let Ok(mut workbook) = open_workbook_auto(path) else {
        return 0;
    };
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
    let args: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let total: usize = files(&args).iter().map(|f| cells_of(f)).sum();
    println!("{total} cellules");
}
