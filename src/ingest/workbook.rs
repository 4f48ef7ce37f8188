//! Spreadsheets: xlsx/xlsm through our own streamed reader (`ingest::xlsx`), ods through
//! its own (`ods`), the others through calamine: xlsb streamed cell by cell (no dense range,
//! so a crafted extent cannot make us allocate), xls read as a range in a child process
//! (`isolate`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;

use calamine::{Data, DataRef, Reader, SheetType, Xls, Xlsb};

use super::cell::{Cell, ReadContext};
use super::columns::kind_from_name;
use super::limits::{Limits, MAX_EXCEL_COLUMNS, MAX_EXCEL_ROWS, Refusal};
use super::sheet::{Expect, SheetBuilder, SheetOutput, Streaming};
use super::xlsx::{self, CellVisitor};
use crate::model::{MergedRange, SheetId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkbookFormat {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

/// The sheets to read: those named like a known sheet, the others beside them only looked at
/// for a whole table to tell about (S010); when none is named so, every sheet, recognised by its
/// header (a single « Feuil1 » sheet of conventions is still read).
pub(super) fn sheets_to_read(names: &[String]) -> Result<Vec<(u32, String, Expect)>, Refusal> {
    let too_many = || {
        Refusal::OverLimit(format!(
            "plus de {} feuilles à lire",
            SheetId::MAX_SHEETS_PER_FILE
        ))
    };
    let named = names.iter().filter(|n| kind_from_name(n).is_some()).count();
    let others = if named == 0 {
        Expect::ByHeader
    } else {
        Expect::WholeTable
    };
    // Past the sheets a file's ids can tell apart, the named ones are read, not the others.
    let mut room = SheetId::MAX_SHEETS_PER_FILE
        .checked_sub(named)
        .ok_or_else(too_many)?;
    let mut sheets = Vec::new();
    for name in names {
        let expect = kind_from_name(name).map_or(others, Expect::Named);
        if expect == Expect::ByHeader && room == 0 {
            return Err(too_many());
        }
        if expect != Expect::WholeTable || room > 0 {
            if !matches!(expect, Expect::Named(_)) {
                room -= 1;
            }
            sheets.push((name.clone(), expect));
        }
    }
    // Each sheet's place among those read is the second part of its id.
    Ok((0..)
        .zip(sheets)
        .map(|(ordinal, (name, expect))| (ordinal, name, expect))
        .collect())
}

/// The parser's reason may quote the file (a sheet name, a tag): echoed bounded.
pub(super) fn unreadable(e: impl std::fmt::Display) -> Refusal {
    let reason = e.to_string();
    Refusal::Unreadable(format!(
        "classeur illisible ({})",
        crate::text::echo::bound(&reason)
    ))
}

/// Streams every sheet to read of an xlsx or xlsm workbook, cell by cell, through our reader.
fn read_xlsx(
    file: &File,
    limits: &Limits,
    streaming: Streaming,
) -> Result<Vec<SheetOutput>, Refusal> {
    let mut wb = xlsx::Workbook::open(file, limits)?;
    let ctx = ReadContext {
        is_1904: wb.is_1904(),
    };
    let mut out = Vec::new();
    for (ordinal, name, kind) in sheets_to_read(&wb.sheet_names())? {
        let builder = SheetBuilder::new(&name, ordinal, kind, ctx, streaming);
        let mut stream = CellStream::new(builder, limits);
        wb.read_sheet(&name, &mut stream)?;
        out.push(stream.finish());
    }
    Ok(out)
}

/// Streams every worksheet to read of an xlsb workbook, cell by cell; chart and dialog sheets
/// have no cells to stream.
fn read_xlsb(
    wb: &mut Xlsb<BufReader<File>>,
    limits: &Limits,
    streaming: Streaming,
) -> Result<Vec<SheetOutput>, Refusal> {
    let ctx = ReadContext {
        is_1904: wb.has_1904_epoch(),
    };
    let worksheets: Vec<String> = wb
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    let mut out = Vec::new();
    for (ordinal, name, kind) in sheets_to_read(&worksheets)? {
        let mut reader = wb.worksheet_cells_reader(&name).map_err(unreadable)?;
        let builder = SheetBuilder::new(&name, ordinal, kind, ctx, streaming);
        let mut stream = CellStream::new(builder, limits);
        while let Some(cell) = reader.next_cell().map_err(unreadable)? {
            let (row, col) = cell.get_position();
            if !stream.push(row, col, from_ref(cell.get_value(), ctx))? {
                break;
            }
        }
        out.push(stream.finish());
    }
    Ok(out)
}

/// Reads the workbook opened as `file`.
pub fn read(
    file: &File,
    format: WorkbookFormat,
    limits: &Limits,
    streaming: Streaming,
) -> Result<Vec<SheetOutput>, Refusal> {
    let open = || {
        super::rewound(file).map(BufReader::new).map_err(|e| {
            Refusal::Unreadable(format!("ouverture impossible ({})", crate::io_reason(&e)))
        })
    };
    match format {
        WorkbookFormat::Xlsx => read_xlsx(file, limits, streaming),
        WorkbookFormat::Xlsb => {
            let mut wb: Xlsb<_> = Xlsb::new(open()?).map_err(unreadable)?;
            read_xlsb(&mut wb, limits, streaming)
        }
        WorkbookFormat::Xls => {
            let mut wb: Xls<_> = Xls::new(open()?).map_err(|e| match e {
                calamine::XlsError::Password => encrypted(),
                other => unreadable(other),
            })?;
            let ctx = ReadContext {
                is_1904: wb.has_1904_epoch(),
            };
            let merges = xls_merges(&wb);
            read_ranges(&mut wb, ctx, limits, streaming, &merges)
        }
        WorkbookFormat::Ods => super::ods::read(file, limits, streaming),
    }
}

/// The merged ranges of each sheet of an xls workbook (known before its rows are read).
pub(super) fn xls_merges<RS: std::io::Read + std::io::Seek>(
    wb: &Xls<RS>,
) -> HashMap<String, Vec<MergedRange>> {
    let to_range = |d: &calamine::Dimensions| {
        Some(MergedRange {
            first_row: d.start.0.checked_add(1)?,
            first_col: u16::try_from(d.start.1).ok()?,
            last_row: d.end.0.checked_add(1)?,
            last_col: u16::try_from(d.end.1).ok()?,
        })
    };
    wb.sheet_names()
        .into_iter()
        .filter_map(|name| {
            let ranges = wb.merge_cells_by_sheet_name(&name).ok()?;
            Some((name, ranges.iter().filter_map(to_range).collect()))
        })
        .collect()
}

pub fn encrypted() -> Refusal {
    Refusal::Unreadable(
        "classeur chiffré (protégé par un mot de passe) : enregistrez-le sans mot de passe".into(),
    )
}

fn read_ranges<R, RS>(
    wb: &mut R,
    ctx: ReadContext,
    limits: &Limits,
    streaming: Streaming,
    merges: &HashMap<String, Vec<MergedRange>>,
) -> Result<Vec<SheetOutput>, Refusal>
where
    R: Reader<RS>,
    R::Error: std::fmt::Display,
    RS: std::io::Read + std::io::Seek,
{
    let mut out = Vec::new();
    for (ordinal, name, kind) in sheets_to_read(&wb.sheet_names())? {
        let range = wb.worksheet_range(&name).map_err(unreadable)?;
        let mut builder = SheetBuilder::new(&name, ordinal, kind, ctx, streaming);
        if let Some(ranges) = merges.get(&name) {
            builder.merged_cells(ranges.clone());
        }
        let mut stream = CellStream::new(builder, limits);
        if let Some((row0, col0)) = range.start() {
            'rows: for (i, row) in range.rows().enumerate() {
                streaming.deadline.check()?;
                for (j, value) in row.iter().enumerate() {
                    if matches!(value, Data::Empty) {
                        continue;
                    }
                    let (r, c) = (row0 + i as u32, col0 + j as u32);
                    if !stream.push(r, c, from_data(value, ctx))? {
                        break 'rows;
                    }
                }
            }
        }
        out.push(stream.finish());
    }
    Ok(out)
}

/// Gathers cells (in row order) into rows for the sheet builder, checking the limits.
struct CellStream<'l, 'a, 's> {
    builder: SheetBuilder<'s>,
    limits: &'l Limits,
    row: Option<u32>,
    cells: Vec<Cell<'a>>,
    cell_count: u64,
}

impl<'l, 'a, 's> CellStream<'l, 'a, 's> {
    fn new(builder: SheetBuilder<'s>, limits: &'l Limits) -> Self {
        CellStream {
            builder,
            limits,
            row: None,
            cells: Vec::new(),
            cell_count: 0,
        }
    }

    /// Adds a cell at 0-based (row, col); `false` when the sheet needs no more rows.
    fn push(&mut self, row: u32, col: u32, cell: Cell<'a>) -> Result<bool, Refusal> {
        if row >= MAX_EXCEL_ROWS || col >= MAX_EXCEL_COLUMNS {
            return Err(Refusal::OverLimit(format!(
                "cellule hors de la grille d'Excel (ligne {}, colonne {})",
                row as u64 + 1,
                col as u64 + 1
            )));
        }
        if let Cell::Text(t) = &cell
            && t.len() > self.limits.max_cell_chars
            && t.chars().count() > self.limits.max_cell_chars
        {
            return Err(Refusal::OverLimit(format!(
                "une cellule de la ligne {} dépasse {} caractères",
                row + 1,
                self.limits.max_cell_chars
            )));
        }
        self.cell_count += 1;
        if self.cell_count > self.limits.max_cells {
            return Err(Refusal::OverLimit(format!(
                "plus de {} cellules (option --max-cellules)",
                self.limits.max_cells
            )));
        }
        if self.row != Some(row) {
            self.flush();
            if !self.builder.wants_rows() {
                return Ok(false);
            }
            if self.builder.data_rows() >= self.limits.max_rows {
                return Err(Refusal::OverLimit(format!(
                    "plus de {} lignes (option --max-lignes)",
                    self.limits.max_rows
                )));
            }
            self.row = Some(row);
        }
        let col = col as usize;
        if self.cells.len() <= col {
            self.cells.resize(col + 1, Cell::Empty);
        }
        self.cells[col] = cell;
        Ok(true)
    }

    fn flush(&mut self) {
        if let Some(row) = self.row.take() {
            self.builder.push_row(row + 1, &self.cells);
            self.cells.clear();
        }
    }

    fn finish(mut self) -> SheetOutput {
        self.flush();
        self.builder.finish()
    }
}

impl<'a> CellVisitor<'a> for CellStream<'_, 'a, '_> {
    fn hidden_row(&mut self, row_number: u32) {
        // The row before is complete: the builder knows whether it was the header.
        if self.row != Some(row_number - 1) {
            self.flush();
        }
        self.builder.hidden_row(row_number);
    }

    fn cell(&mut self, row: u32, col: u32, cell: Cell<'a>) -> Result<bool, Refusal> {
        self.push(row, col, cell)
    }

    fn merged_cells(&mut self, ranges: Vec<MergedRange>) {
        self.flush();
        self.builder.merged_cells(ranges);
    }

    fn hidden_columns(&mut self, first: u16, last: u16) {
        self.builder.hidden_columns(first, last);
    }
}

fn from_ref<'a>(value: &DataRef<'a>, ctx: ReadContext) -> Cell<'a> {
    match value {
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::String(s) => Cell::Text(Cow::Owned(s.clone())),
        DataRef::SharedString(s) => Cell::Text(Cow::Borrowed(s)),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) if dt.is_datetime() => Cell::Date {
            serial: dt.as_f64(),
            is_1904: ctx.is_1904,
        },
        DataRef::DateTime(dt) => Cell::Number(dt.as_f64()),
        DataRef::DateTimeIso(s) => Cell::DateIso(Cow::Owned(s.clone())),
        DataRef::DurationIso(s) => Cell::Text(Cow::Owned(s.clone())),
        DataRef::Error(e) => Cell::Error(Cow::Owned(e.to_string())),
        DataRef::Empty => Cell::Empty,
    }
}

pub(super) fn from_data(value: &Data, ctx: ReadContext) -> Cell<'_> {
    match value {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => Cell::Text(Cow::Borrowed(s)),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => Cell::Date {
            serial: dt.as_f64(),
            is_1904: ctx.is_1904,
        },
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) => Cell::DateIso(Cow::Borrowed(s)),
        Data::DurationIso(s) => Cell::Text(Cow::Borrowed(s)),
        Data::Error(e) => Cell::Error(Cow::Owned(e.to_string())),
        Data::Empty => Cell::Empty,
    }
}
