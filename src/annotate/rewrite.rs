//! A submission that is not an xlsx (ods, xls, xlsb, CSV — or an xlsx whose package could not
//! be patched) becomes a plain xlsx written with rust_xlsxwriter: the same sheets, each value at
//! the cell where enrx read it. The marks and enrx's sheets are then added like for any xlsx.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use calamine::{Data, DataRef, Ods, Reader, Xls, Xlsb, Xlsx};
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use crate::ingest::cell::{self, Cell, ReadContext};
use crate::ingest::columns::{kind_from_name, match_header};
use crate::ingest::format::{self as file_format, Format as FileFormat};
use crate::ingest::limits::{Limits, MAX_EXCEL_COLUMNS, MAX_EXCEL_ROWS};
use crate::ingest::workbook::WorkbookFormat;
use crate::model::SheetKind;
use crate::model::schema::{ColumnKind, specs};

/// The kinds of file a copy is rewritten from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
    Csv,
}

impl Source {
    /// As the reader decided (`ingest::format`): by content, the extension breaking ties.
    pub fn of(path: &Path) -> Source {
        let format = File::open(path)
            .ok()
            .and_then(|file| file_format::of(path, &file).ok());
        match format {
            Some(FileFormat::Workbook(WorkbookFormat::Xlsx)) => Source::Xlsx,
            Some(FileFormat::Workbook(WorkbookFormat::Xlsb)) => Source::Xlsb,
            Some(FileFormat::Workbook(WorkbookFormat::Xls)) => Source::Xls,
            Some(FileFormat::Workbook(WorkbookFormat::Ods)) => Source::Ods,
            // Only files read are annotated: what is not a workbook was read as text.
            Some(FileFormat::Csv) | None => Source::Csv,
        }
    }
}

/// A rewritten copy: the xlsx, and each sheet's name in it by its name as read.
pub struct Rewritten {
    pub bytes: Vec<u8>,
    pub names: HashMap<String, String>,
}

/// What a CSV file's one sheet was found to be.
pub struct CsvSheet {
    pub kind: Option<SheetKind>,
    pub header_row: Option<u32>,
}

fn failed(e: impl std::fmt::Display) -> String {
    format!("réécriture impossible ({e})")
}

/// A sheet name Excel accepts, unique in the workbook (names of other formats may be longer
/// or hold characters Excel forbids).
fn excel_name(name: &str, taken: &mut Vec<String>) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'').trim();
    let base: String = if clean.is_empty() {
        "Feuille".into()
    } else {
        clean.chars().take(31).collect()
    };
    let mut candidate = base.clone();
    let mut n = 2;
    while taken
        .iter()
        .any(|t| t.to_lowercase() == candidate.to_lowercase())
    {
        let suffix = format!(" ({n})");
        candidate = format!(
            "{}{suffix}",
            base.chars()
                .take(31 - suffix.chars().count())
                .collect::<String>()
        );
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

/// The formats cells are written with.
struct Formats {
    date: Format,
    datetime: Format,
    money: Format,
    /// A whole number of 12 digits or more (a SIRET in a number cell): all its digits, not
    /// `5,42022E+12`.
    digits: Format,
}

impl Formats {
    fn new() -> Self {
        Formats {
            date: Format::new().set_num_format("dd/mm/yyyy"),
            datetime: Format::new().set_num_format("dd/mm/yyyy hh:mm"),
            money: Format::new().set_num_format("#,##0.00\\ \"€\""),
            digits: Format::new().set_num_format("0"),
        }
    }
}

/// Widths of the columns written, from their longest text.
#[derive(Default)]
struct Widths(Vec<usize>);

impl Widths {
    fn see(&mut self, col: u16, chars: usize) {
        let col = col as usize;
        if self.0.len() <= col {
            self.0.resize(col + 1, 0);
        }
        self.0[col] = self.0[col].max(chars);
    }

    fn apply(&self, ws: &mut Worksheet) -> Result<(), String> {
        for (col, &chars) in self.0.iter().enumerate() {
            let width = (chars as f64 + 2.0).clamp(8.0, 50.0);
            ws.set_column_width(col as u16, width).map_err(failed)?;
        }
        Ok(())
    }
}

pub fn csv(path: &Path, sheet: &CsvSheet, limits: &Limits) -> Result<Rewritten, String> {
    let mut wb = Workbook::new();
    let name = excel_name(
        sheet.kind.map(SheetKind::name).unwrap_or_else(|| {
            path.file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("Feuille")
        }),
        &mut Vec::new(),
    );
    let formats = Formats::new();
    let mut widths = Widths::default();
    let ws = wb.add_worksheet_with_constant_memory().map_err(failed)?;
    ws.set_name(&name).map_err(failed)?;
    let mut reader = crate::ingest::csv::records(path).map_err(|e| failed(format!("{e:?}")))?;
    let mut record = csv::StringRecord::new();
    let mut columns: Vec<Option<ColumnKind>> = Vec::new();
    let mut row: u32 = 0;
    let mut cells: u64 = 0;
    while reader.read_record(&mut record).map_err(failed)? {
        row += 1;
        if row > MAX_EXCEL_ROWS || record.len() > MAX_EXCEL_COLUMNS as usize {
            return Err(failed("fichier plus grand qu'une feuille de tableur"));
        }
        cells += record.len() as u64;
        if cells > limits.max_cells {
            return Err(failed("trop de cellules"));
        }
        let header = sheet.header_row == Some(row);
        for (j, field) in record.iter().enumerate() {
            let col = j as u16;
            if field.is_empty() {
                continue;
            }
            let kind = columns
                .get(j)
                .copied()
                .flatten()
                .filter(|_| sheet.header_row < Some(row));
            write_csv_cell(ws, row - 1, col, field, kind, &formats)?;
            widths.see(col, field.chars().count().min(60));
        }
        if header && let Some(kind) = sheet.kind {
            columns = record
                .iter()
                .map(|h| match_header(kind, h).map(|i| specs(kind)[i].kind))
                .collect();
        }
    }
    widths.apply(ws)?;
    Ok(Rewritten {
        bytes: wb.save_to_buffer().map_err(failed)?,
        names: HashMap::from([(String::new(), name)]),
    })
}

/// A CSV field typed by its column: dates as dates, amounts and numbers as numbers when they
/// read as such, everything else (codes, a value that does not read, `=…`) as the text it is.
fn write_csv_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    field: &str,
    kind: Option<ColumnKind>,
    formats: &Formats,
) -> Result<(), String> {
    let value = Cell::Text(field.into());
    let typed = match kind {
        Some(ColumnKind::Date) => ok(cell::date(&value, ReadContext::default()))
            .map(|d| ws.write_number_with_format(row, col, date_serial(d), &formats.date)),
        Some(ColumnKind::Money) => ok(cell::number(&value))
            .and_then(|d| rust_decimal::prelude::ToPrimitive::to_f64(&d))
            .map(|n| ws.write_number_with_format(row, col, n, &formats.money)),
        Some(ColumnKind::Number | ColumnKind::Year) => ok(cell::number(&value))
            .and_then(|d| rust_decimal::prelude::ToPrimitive::to_f64(&d))
            .map(|n| ws.write_number(row, col, n)),
        _ => None,
    };
    match typed {
        Some(result) => result.map(|_| ()).map_err(failed),
        None => ws.write_string(row, col, field).map(|_| ()).map_err(failed),
    }
}

fn ok<T>(parsed: crate::model::Parsed<T>) -> Option<T> {
    match parsed {
        crate::model::Parsed::Ok(v) => Some(v),
        _ => None,
    }
}

fn date_serial(d: chrono::NaiveDate) -> f64 {
    crate::annotate::package::new_sheet::serial(d, false)
}

/// The sheets of a workbook calamine reads, all of them, values at their cells.
pub fn workbook(path: &Path, source: Source, limits: &Limits) -> Result<Rewritten, String> {
    let open = || File::open(path).map(BufReader::new).map_err(failed);
    let mut out = Output::new();
    match source {
        Source::Xlsx => {
            let mut wb: Xlsx<_> = Xlsx::new(open()?).map_err(failed)?;
            out.is_1904 = wb.has_1904_epoch();
            // Only the sheets the reader streamed (those named like ours, else all): a sheet it
            // did not read could hold a cell reference that makes calamine abort (PITFALLS).
            let names = wb.sheet_names();
            let named: Vec<String> = names
                .iter()
                .filter(|n| kind_from_name(n).is_some())
                .cloned()
                .collect();
            for name in if named.is_empty() { names } else { named } {
                let mut reader = wb.worksheet_cells_reader(&name).map_err(failed)?;
                out.sheet(&name)?;
                while let Some(c) = reader.next_cell().map_err(failed)? {
                    let (r, col) = c.get_position();
                    out.cell(r, col, &data_of(c.get_value()), limits)?;
                }
            }
        }
        Source::Xlsb => {
            let mut wb: Xlsb<_> = Xlsb::new(open()?).map_err(failed)?;
            out.is_1904 = wb.has_1904_epoch();
            for name in wb.sheet_names() {
                let mut reader = wb.worksheet_cells_reader(&name).map_err(failed)?;
                out.sheet(&name)?;
                while let Some(c) = reader.next_cell().map_err(failed)? {
                    let (r, col) = c.get_position();
                    out.cell(r, col, &data_of(c.get_value()), limits)?;
                }
            }
        }
        Source::Xls => {
            let mut wb: Xls<_> = Xls::new(open()?).map_err(failed)?;
            out.is_1904 = wb.has_1904_epoch();
            out.ranges(&mut wb, limits)?;
        }
        Source::Ods => {
            let mut wb: Ods<_> = Ods::new(open()?).map_err(failed)?;
            out.ranges(&mut wb, limits)?;
        }
        Source::Csv => return Err(failed("un CSV n'est pas un classeur")),
    }
    out.finish()
}

fn data_of(value: &DataRef) -> Data {
    match value {
        DataRef::Int(i) => Data::Int(*i),
        DataRef::Float(f) => Data::Float(*f),
        DataRef::String(s) => Data::String(s.clone()),
        DataRef::SharedString(s) => Data::String(s.to_string()),
        DataRef::Bool(b) => Data::Bool(*b),
        DataRef::DateTime(d) => Data::DateTime(*d),
        DataRef::DateTimeIso(s) => Data::DateTimeIso(s.clone()),
        DataRef::DurationIso(s) => Data::DurationIso(s.clone()),
        DataRef::Error(e) => Data::Error(e.clone()),
        DataRef::Empty => Data::Empty,
    }
}

/// The workbook being written, one sheet after the other.
struct Output {
    wb: Workbook,
    formats: Formats,
    names: HashMap<String, String>,
    taken: Vec<String>,
    widths: Vec<Widths>,
    cells: u64,
    is_1904: bool,
}

impl Output {
    fn new() -> Self {
        Output {
            wb: Workbook::new(),
            formats: Formats::new(),
            names: HashMap::new(),
            taken: Vec::new(),
            widths: Vec::new(),
            cells: 0,
            is_1904: false,
        }
    }

    fn sheet(&mut self, name: &str) -> Result<(), String> {
        let excel = excel_name(name, &mut self.taken);
        self.names.insert(name.to_string(), excel.clone());
        let ws = self
            .wb
            .add_worksheet_with_constant_memory()
            .map_err(failed)?;
        ws.set_name(&excel).map_err(failed)?;
        self.widths.push(Widths::default());
        Ok(())
    }

    fn ranges<R, RS>(&mut self, wb: &mut R, limits: &Limits) -> Result<(), String>
    where
        R: Reader<RS>,
        R::Error: std::fmt::Display,
        RS: std::io::Read + std::io::Seek,
    {
        for name in wb.sheet_names() {
            let range = wb.worksheet_range(&name).map_err(failed)?;
            self.sheet(&name)?;
            let Some((row0, col0)) = range.start() else {
                continue;
            };
            for (i, row) in range.rows().enumerate() {
                for (j, value) in row.iter().enumerate() {
                    if !matches!(value, Data::Empty) {
                        self.cell(row0 + i as u32, col0 + j as u32, value, limits)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// A value at 0-based (row, col) of the last sheet added.
    fn cell(&mut self, row: u32, col: u32, value: &Data, limits: &Limits) -> Result<(), String> {
        if row >= MAX_EXCEL_ROWS || col >= MAX_EXCEL_COLUMNS {
            return Err(failed("cellule hors de la grille"));
        }
        self.cells += 1;
        if self.cells > limits.max_cells {
            return Err(failed("trop de cellules"));
        }
        let col = col as u16;
        let index = self.widths.len().saturating_sub(1);
        let ws = self
            .wb
            .worksheets_mut()
            .last_mut()
            .ok_or_else(|| failed("pas de feuille"))?;
        let f = &self.formats;
        let shown = match value {
            Data::Empty => return Ok(()),
            Data::String(s) => {
                ws.write_string(row, col, s).map_err(failed)?;
                s.chars().count()
            }
            Data::Int(i) => {
                ws.write_number(row, col, *i as f64).map_err(failed)?;
                10
            }
            Data::Float(n) if n.fract() == 0.0 && n.abs() >= 1e11 && n.abs() < 1e15 => {
                ws.write_number_with_format(row, col, *n, &f.digits)
                    .map_err(failed)?;
                15
            }
            Data::Float(n) => {
                ws.write_number(row, col, *n).map_err(failed)?;
                10
            }
            Data::Bool(b) => {
                ws.write_boolean(row, col, *b).map_err(failed)?;
                5
            }
            Data::DateTime(d) if d.is_datetime() => {
                let serial = d.as_f64() + if self.is_1904 { 1462.0 } else { 0.0 };
                let format = if serial.fract() == 0.0 {
                    &f.date
                } else {
                    &f.datetime
                };
                ws.write_number_with_format(row, col, serial, format)
                    .map_err(failed)?;
                10
            }
            Data::DateTime(d) => {
                ws.write_number(row, col, d.as_f64()).map_err(failed)?;
                10
            }
            Data::DateTimeIso(s) => {
                match ok(cell::date(&Cell::DateIso(s.into()), ReadContext::default())) {
                    Some(d) => ws
                        .write_number_with_format(row, col, date_serial(d), &f.date)
                        .map_err(failed)?,
                    None => ws.write_string(row, col, s).map_err(failed)?,
                };
                10
            }
            Data::DurationIso(s) => {
                ws.write_string(row, col, s).map_err(failed)?;
                s.len()
            }
            Data::Error(e) => {
                ws.write_string(row, col, e.to_string()).map_err(failed)?;
                6
            }
        };
        if let Some(w) = self.widths.get_mut(index) {
            w.see(col, shown.min(60));
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Rewritten, String> {
        let widths = std::mem::take(&mut self.widths);
        for (ws, w) in self.wb.worksheets_mut().iter_mut().zip(&widths) {
            w.apply(ws)?;
        }
        Ok(Rewritten {
            bytes: self.wb.save_to_buffer().map_err(failed)?,
            names: self.names,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_excel_accepts() {
        let mut taken = Vec::new();
        assert_eq!(excel_name("Conventions", &mut taken), "Conventions");
        assert_eq!(excel_name("conventions", &mut taken), "conventions (2)");
        assert_eq!(excel_name("a/b:c", &mut taken), "a_b_c");
        let long = "Une feuille au nom bien trop long pour Excel";
        let n = excel_name(long, &mut taken);
        assert_eq!(n.chars().count(), 31);
        assert_eq!(excel_name("", &mut taken), "Feuille");
    }

    #[test]
    fn a_siret_in_a_number_cell_shows_all_its_digits() {
        let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Partenaires"><table:table-row><table:table-cell office:value-type="float" office:value="5420224000013"><text:p>5420224000013</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="2100"><text:p>2100</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ods");
        let mut zip = zip::ZipWriter::new(File::create(&path).unwrap());
        let stored = zip::write::SimpleFileOptions::default();
        zip.start_file("mimetype", stored).unwrap();
        std::io::Write::write_all(&mut zip, b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        zip.start_file("content.xml", stored).unwrap();
        std::io::Write::write_all(&mut zip, content.as_bytes()).unwrap();
        zip.start_file("META-INF/manifest.xml", stored).unwrap();
        std::io::Write::write_all(
            &mut zip,
            br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
        )
        .unwrap();
        zip.finish().unwrap();
        let copy = workbook(&path, Source::Ods, &Limits::default()).unwrap();
        let mut xlsx = zip::ZipArchive::new(std::io::Cursor::new(copy.bytes)).unwrap();
        let mut sheet = String::new();
        std::io::Read::read_to_string(
            &mut xlsx.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut sheet,
        )
        .unwrap();
        // The SIRET gets a style (the « 0 » format), the postal code none.
        assert!(sheet.contains(r#"s="1"><v>5420224000013</v>"#), "{sheet}");
        assert!(sheet.contains(r#"<c r="B1"><v>2100</v>"#), "{sheet}");
        let mut styles = String::new();
        std::io::Read::read_to_string(&mut xlsx.by_name("xl/styles.xml").unwrap(), &mut styles)
            .unwrap();
        assert!(
            styles.contains(r#"formatCode="0""#) && styles.contains(r#"<xf numFmtId="164""#),
            "{styles}"
        );
    }
}
