//! Spreadsheets through calamine: xlsx/xlsm and xlsb are streamed cell by cell (no dense
//! range, so a crafted extent cannot make us allocate), xls is read as a range (in a child
//! process, `isolate`); ods has its own streaming reader (`ods`).

use std::borrow::Cow;
use std::fs::File;
use std::io::BufReader;

use calamine::{Data, DataRef, Reader, Xls, Xlsb, Xlsx};

use super::cell::{Cell, ReadContext};
use super::columns::kind_from_name;
use super::limits::{Limits, MAX_EXCEL_COLUMNS, MAX_EXCEL_ROWS, Refusal};
use super::sheet::{SheetBuilder, SheetOutput, Streaming};
use crate::model::{SheetId, SheetKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkbookFormat {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

/// The sheets to read: those named like a known sheet; when none is, every sheet, recognised
/// by its header (a single « Feuil1 » sheet of conventions is still read).
pub(super) fn sheets_to_read(
    names: &[String],
) -> Result<Vec<(u32, String, Option<SheetKind>)>, Refusal> {
    let named: Vec<_> = names
        .iter()
        .filter_map(|n| kind_from_name(n).map(|k| (n.clone(), Some(k))))
        .collect();
    let sheets = if named.is_empty() {
        names.iter().map(|n| (n.clone(), None)).collect()
    } else {
        named
    };
    if sheets.len() > SheetId::MAX_SHEETS_PER_FILE {
        return Err(Refusal::OverLimit(format!(
            "plus de {} feuilles à lire",
            SheetId::MAX_SHEETS_PER_FILE
        )));
    }
    // Each sheet's place among those read is the second part of its id.
    Ok((0..)
        .zip(sheets)
        .map(|(ordinal, (name, kind))| (ordinal, name, kind))
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

/// Streams every sheet to read of an xlsx or xlsb workbook, cell by cell. A macro because the
/// two formats' cell readers are distinct types with the same methods.
macro_rules! stream_sheets {
    ($wb:ident, $limits:ident, $streaming:ident) => {{
        let ctx = ReadContext {
            is_1904: $wb.has_1904_epoch(),
        };
        let mut out = Vec::new();
        for (ordinal, name, kind) in sheets_to_read(&$wb.sheet_names())? {
            let mut reader = $wb.worksheet_cells_reader(&name).map_err(unreadable)?;
            let builder = SheetBuilder::new(&name, ordinal, kind, ctx, $streaming);
            let mut stream = CellStream::new(builder, $limits);
            while let Some(cell) = reader.next_cell().map_err(unreadable)? {
                let (row, col) = cell.get_position();
                if !stream.push(row, col, from_ref(cell.get_value(), ctx))? {
                    break;
                }
            }
            out.push(stream.finish());
        }
        Ok(out)
    }};
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
        WorkbookFormat::Xlsx => {
            let mut wb: Xlsx<_> = Xlsx::new(open()?).map_err(unreadable)?;
            stream_sheets!(wb, limits, streaming)
        }
        WorkbookFormat::Xlsb => {
            let mut wb: Xlsb<_> = Xlsb::new(open()?).map_err(unreadable)?;
            stream_sheets!(wb, limits, streaming)
        }
        WorkbookFormat::Xls => {
            let mut wb: Xls<_> = Xls::new(open()?).map_err(|e| match e {
                calamine::XlsError::Password => encrypted(),
                other => unreadable(other),
            })?;
            let ctx = ReadContext {
                is_1904: wb.has_1904_epoch(),
            };
            read_ranges(&mut wb, ctx, limits, streaming)
        }
        WorkbookFormat::Ods => super::ods::read(file, limits, streaming),
    }
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
) -> Result<Vec<SheetOutput>, Refusal>
where
    R: Reader<RS>,
    R::Error: std::fmt::Display,
    RS: std::io::Read + std::io::Seek,
{
    let mut out = Vec::new();
    for (ordinal, name, kind) in sheets_to_read(&wb.sheet_names())? {
        let range = wb.worksheet_range(&name).map_err(unreadable)?;
        let builder = SheetBuilder::new(&name, ordinal, kind, ctx, streaming);
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
