//! The report's writing floor: rust_xlsxwriter alone writing the rows of a `conventions.csv`
//! (as `enrx report` wrote it) into one sheet, typed as `synthese-Y.xlsx` types them (amounts
//! as numbers, `jj/mm/aaaa` as dates, the rest as text), capped at the workbook's 50 000 rows,
//! with the same options: constant memory, zip level 3, saved to memory. Nothing of enrx runs;
//! the benchmark compares `report` minus `validate` with this.
//!
//! ```text
//! cargo run --release --example xlsxwriter_floor -- output/2021/conventions.csv
//! ```

use std::path::PathBuf;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

/// Rows the workbook's Conventions sheet holds at most (`render::synthese::MAX_SHEET_ROWS`).
const MAX_ROWS: usize = enrx::render::synthese::MAX_SHEET_ROWS;

/// `12000,50` (the excel-fr dialect's amount) as a number.
fn amount(field: &str) -> Option<f64> {
    let plain = field
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b',' || b == b'-');
    if !plain || !field.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    field.replace(',', ".").parse().ok()
}

/// `31/12/2021` as an Excel date.
fn date(field: &str) -> Option<ExcelDateTime> {
    let b = field.as_bytes();
    if b.len() != 10 || b[2] != b'/' || b[5] != b'/' {
        return None;
    }
    let (d, m, y) = (
        field[0..2].parse().ok()?,
        field[3..5].parse().ok()?,
        field[6..10].parse().ok()?,
    );
    ExcelDateTime::from_ymd(y, m, d).ok()
}

fn write(csv_path: &PathBuf) -> Result<usize, XlsxError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_path(csv_path)
        .map_err(|e| XlsxError::ParameterError(e.to_string()))?;
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(3);
    let euros = Format::new().set_num_format(enrx::render::synthese::EUROS);
    let dates = Format::new().set_num_format("dd/mm/yyyy");
    let ws = wb.add_worksheet_with_constant_memory()?;
    let mut record = csv::StringRecord::new();
    let mut row = 0u32;
    while reader.read_record(&mut record).unwrap_or(false) && (row as usize) <= MAX_ROWS {
        for (col, field) in record.iter().enumerate() {
            let col = col as u16;
            if row == 0 {
                ws.write_string(row, col, field)?;
            } else if field.is_empty() {
                continue;
            } else if let Some(d) = date(field) {
                ws.write_datetime_with_format(row, col, d, &dates)?;
            } else if let Some(n) = amount(field) {
                ws.write_number_with_format(row, col, n, &euros)?;
            } else {
                ws.write_string(row, col, field)?;
            }
        }
        row += 1;
    }
    let bytes = wb.save_to_buffer()?;
    Ok(bytes.len())
}

fn main() {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: xlsxwriter_floor CONVENTIONS.csv");
        std::process::exit(2);
    };
    let started = std::time::Instant::now();
    match write(&path) {
        Ok(bytes) => println!("{bytes} octets en {} ms", started.elapsed().as_millis()),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
