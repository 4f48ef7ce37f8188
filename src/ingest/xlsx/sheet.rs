//! One worksheet part, streamed cell by cell: rows (and which are hidden), cells typed as
//! `Cell`, then the merged ranges after the data.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};

use super::strings::{SharedStrings, read_rich, unescape_excel};
use super::styles::CellFormat;
use super::xml::{Xml, is_true, raw_attributes};
use crate::ingest::cell::Cell;
use crate::ingest::limits::{MAX_EXCEL_COLUMNS, MAX_EXCEL_ROWS, Refusal};
use crate::model::MergedRange;

/// What takes a sheet's cells as they are read.
pub trait CellVisitor<'t> {
    /// The row (1-based, as in Excel) is marked hidden: called before its first cell that is
    /// not empty.
    fn hidden_row(&mut self, row_number: u32);
    /// One cell at 0-based (row, column), in the order of the file; `Ok(false)` when no more
    /// of this sheet is wanted.
    fn cell(&mut self, row: u32, col: u32, cell: Cell<'t>) -> Result<bool, Refusal>;
    /// The sheet's merged ranges, after its cells (only when there are some).
    fn merged_cells(&mut self, ranges: Vec<MergedRange>);
    /// Columns `first..=last` (0-based) are marked hidden: called before the cells.
    fn hidden_columns(&mut self, first: u16, last: u16);
}

/// What a sheet's cells are read with.
pub(super) struct Context<'t> {
    pub strings: &'t SharedStrings,
    pub formats: &'t [CellFormat],
    pub is_1904: bool,
    pub max_cell_chars: usize,
}

/// The time is checked every this many cells.
const TIME_CHECK_CELLS: u64 = 4096;

/// More merged ranges than this in one sheet is a crafted file.
const MAX_MERGED_RANGES: usize = 1_000_000;

/// The elements a worksheet may hold after `mergeCells` (ECMA-376 CT_Worksheet): meeting one
/// means there is no merged range to look for.
const AFTER_MERGE_CELLS: &[&str] = &[
    "phoneticPr",
    "conditionalFormatting",
    "dataValidations",
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
];

/// Reusable buffers: no allocation per cell.
#[derive(Default)]
struct Buffers {
    cell: Vec<u8>,
    inner: Vec<u8>,
    value: String,
    scratch: String,
    formula: String,
}

/// Reads the worksheet part into `visitor`.
pub(super) fn read<'t>(
    xml: &mut Xml,
    ctx: &Context<'t>,
    visitor: &mut dyn CellVisitor<'t>,
) -> Result<(), Refusal> {
    let mut bufs = Buffers::default();
    let mut row_buf = Vec::with_capacity(1024);
    // Up to the data.
    loop {
        match xml.next(&mut row_buf)? {
            Event::Start(e) if e.local_name().as_ref() == "sheetData" => break,
            Event::Empty(e) if e.local_name().as_ref() == "sheetData" => {
                return merged_cells(xml, visitor);
            }
            Event::Empty(e) | Event::Start(e) if e.local_name().as_ref() == "col" => {
                if let Some((first, last)) = hidden_column_span(&e) {
                    visitor.hidden_columns(first, last);
                }
            }
            // A part without data: nothing to read.
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
    let data_level = xml.depth();
    // Excel numbers rows and cells; without numbers, they follow each other.
    let mut row_index: u32 = 0;
    let mut col_index: u32 = 0;
    let mut hidden = false;
    let mut hidden_told = false;
    let mut cells: u64 = 0;
    loop {
        let event = xml.next(&mut row_buf)?;
        let (e, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) if xml.depth() < data_level => break,
            Event::End(e) => {
                if e.local_name().as_ref() == "row" {
                    row_index = row_index.saturating_add(1);
                    col_index = 0;
                }
                continue;
            }
            Event::Eof => return Err(xml.malformed("fin de fichier inattendue")),
            _ => continue,
        };
        match e.local_name().as_ref() {
            "row" => {
                (row_index, hidden) = row_attributes(xml, &e, row_index)?;
                hidden_told = false;
                col_index = 0;
                if empty {
                    row_index = row_index.saturating_add(1);
                }
            }
            "c" => {
                let (pos, cell) =
                    read_cell(xml, ctx, &e, empty, (row_index, col_index), &mut bufs)?;
                col_index = pos.1.saturating_add(1);
                cells += 1;
                if cells.is_multiple_of(TIME_CHECK_CELLS) {
                    xml.check_time()?;
                }
                if hidden && !hidden_told && !matches!(cell, Cell::Empty) {
                    hidden_told = true;
                    visitor.hidden_row(pos.0 + 1);
                }
                if !visitor.cell(pos.0, pos.1, cell)? {
                    return Ok(());
                }
            }
            // Anything else in the data (an extension): not ours.
            _ if !empty => xml.skip(&mut bufs.inner)?,
            _ => {}
        }
    }
    merged_cells(xml, visitor)
}

/// A `<col min max hidden="1">` as 0-based columns; `None` unless hidden and within the grid.
fn hidden_column_span(e: &BytesStart) -> Option<(u16, u16)> {
    let (mut min, mut max, mut hidden) = (None, None, false);
    for (key, value) in raw_attributes(e) {
        match key {
            "min" => min = digits(value.as_bytes()),
            "max" => max = digits(value.as_bytes()),
            "hidden" => hidden = is_true(value),
            _ => {}
        }
    }
    let grid = u64::from(MAX_EXCEL_COLUMNS);
    let (min, max) = (min?, max?);
    (hidden && (1..=grid).contains(&min) && min <= max)
        .then(|| ((min - 1) as u16, (max.min(grid) - 1) as u16))
}

/// A `<row>`'s number (0-based; the next one when it has none) and whether it is hidden.
fn row_attributes(xml: &Xml, e: &BytesStart, next: u32) -> Result<(u32, bool), Refusal> {
    let mut row = next;
    let mut hidden = false;
    for (key, value) in raw_attributes(e) {
        match key {
            "r" => {
                let n = digits(value.as_bytes())
                    .filter(|&n| n >= 1)
                    .ok_or_else(|| {
                        xml.malformed(format!("numéro de ligne invalide « {} »", bound(value)))
                    })?;
                if n > u64::from(MAX_EXCEL_ROWS) {
                    return Err(off_grid(n, 1));
                }
                row = (n - 1) as u32;
            }
            "hidden" => hidden = is_true(value),
            _ => {}
        }
    }
    Ok((row, hidden))
}

fn bound(s: &str) -> Cow<'_, str> {
    crate::text::echo::bound(s)
}

fn off_grid(row: u64, col: u64) -> Refusal {
    Refusal::OverLimit(format!(
        "cellule hors de la grille d'Excel (ligne {row}, colonne {col})"
    ))
}

/// A decimal number of at most 12 digits.
fn digits(b: &[u8]) -> Option<u64> {
    if b.is_empty() || b.len() > 12 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |n, d| n * 10 + u64::from(d - b'0')))
}

/// `B12` → 0-based (11, 1), within Excel's grid.
fn cell_reference(xml: &Xml, r: &str) -> Result<(u32, u32), Refusal> {
    let b = r.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let invalid = || xml.malformed(format!("référence de cellule invalide « {} »", bound(r)));
    if letters == 0 || letters > 4 {
        return Err(invalid());
    }
    let col = b[..letters].iter().fold(0u64, |n, c| {
        n * 26 + u64::from(c.to_ascii_uppercase() - b'A') + 1
    });
    let row = digits(&b[letters..])
        .filter(|&n| n >= 1)
        .ok_or_else(invalid)?;
    if row > u64::from(MAX_EXCEL_ROWS) || col > u64::from(MAX_EXCEL_COLUMNS) {
        return Err(off_grid(row, col));
    }
    Ok(((row - 1) as u32, (col - 1) as u32))
}

/// Reads a `<c>` element whose start (`e`) was just read: its position and its value.
fn read_cell<'t>(
    xml: &mut Xml,
    ctx: &Context<'t>,
    e: &BytesStart,
    empty: bool,
    next: (u32, u32),
    bufs: &mut Buffers,
) -> Result<((u32, u32), Cell<'t>), Refusal> {
    let mut pos = next;
    let mut style = None;
    let mut kind = None;
    for (key, value) in raw_attributes(e) {
        match key {
            "r" => pos = cell_reference(xml, value)?,
            "s" => style = Some(value),
            "t" => kind = Some(value),
            _ => {}
        }
    }
    if empty {
        return Ok((pos, Cell::Empty));
    }
    let mut value: Option<Cell<'t>> = None;
    let mut formula = false;
    let level = xml.depth();
    loop {
        let (child, child_empty) = match xml.next(&mut bufs.cell)? {
            Event::Start(c) => (c, false),
            Event::Empty(c) => (c, true),
            Event::End(_) if xml.depth() < level => break,
            Event::Eof => return Err(xml.malformed("fin de fichier inattendue")),
            _ => continue,
        };
        match child.local_name().as_ref() {
            "v" if child_empty => value = Some(Cell::Empty),
            // An inline string's value is its `<is>`.
            "v" if matches!(kind, Some("inlineStr" | "is")) => {
                xml.skip(&mut bufs.inner)?;
                value = Some(Cell::Empty);
            }
            "v" => {
                bufs.value.clear();
                let max = ctx.max_cell_chars.saturating_mul(7).max(64);
                xml.text_into(&mut bufs.inner, &mut bufs.value, max, &|| {
                    too_long(pos.0, ctx.max_cell_chars)
                })?;
                value = Some(typed_value(xml, ctx, &bufs.value, style, kind)?);
            }
            "is" if child_empty => value = Some(Cell::Text(Cow::Borrowed(""))),
            "is" => {
                let mut text = String::new();
                let max = ctx.max_cell_chars;
                read_rich(
                    xml,
                    &mut bufs.inner,
                    &mut text,
                    &mut bufs.scratch,
                    max,
                    &|| too_long(pos.0, max),
                )?;
                value = Some(Cell::Text(Cow::Owned(text)));
            }
            "f" => {
                formula = true;
                if !child_empty {
                    // Kept only for a formula without value, to show it.
                    bufs.formula.clear();
                    xml.text_into(&mut bufs.inner, &mut bufs.formula, 64 * 1024, &|| {
                        too_long(pos.0, ctx.max_cell_chars)
                    })?;
                }
            }
            _ if !child_empty => xml.skip(&mut bufs.inner)?,
            _ => {}
        }
    }
    // A formula's value is never blank once a spreadsheet computed it: an empty text result
    // is `t="str"` with an empty `<v>`. A blank `<v/>` is what openpyxl writes, uncomputed.
    let uncomputed = |v: &Option<Cell>| match v {
        None => true,
        Some(Cell::Empty) => !matches!(kind, Some("str" | "inlineStr" | "is")),
        Some(_) => false,
    };
    let cell = if formula && uncomputed(&value) {
        Cell::FormulaWithoutValue(Cow::Owned(formula_text(&bufs.formula)))
    } else {
        value.unwrap_or(Cell::Empty)
    };
    Ok((pos, cell))
}

fn too_long(row: u32, max: usize) -> Refusal {
    Refusal::OverLimit(format!(
        "une cellule de la ligne {} dépasse {max} caractères",
        row + 1
    ))
}

/// A formula as the user would type it, cut short: `=SUM(L3:L4)`.
fn formula_text(f: &str) -> String {
    const SHOWN: usize = 200;
    let f = f.trim();
    if f.is_empty() {
        return "=…".to_string();
    }
    let mut shown: String = f.chars().take(SHOWN).collect();
    if shown.len() < f.len() {
        shown.push('…');
    }
    format!("={shown}")
}

/// A `<v>` value by the cell's type (`t`) and style (`s`).
fn typed_value<'t>(
    xml: &Xml,
    ctx: &Context<'t>,
    v: &str,
    style: Option<&str>,
    kind: Option<&str>,
) -> Result<Cell<'t>, Refusal> {
    Ok(match kind {
        Some("s") => {
            if v.is_empty() {
                return Ok(Cell::Empty);
            }
            let i: usize = v.trim().parse().unwrap_or(0);
            let s = ctx.strings.get(i).ok_or_else(|| {
                xml.malformed(format!(
                    "texte partagé n° {i} absent de la table ({} textes)",
                    ctx.strings.len()
                ))
            })?;
            Cell::Text(Cow::Borrowed(s))
        }
        Some("b") => match v.trim() {
            "" => Cell::Empty,
            "0" => Cell::Bool(false),
            "1" => Cell::Bool(true),
            t if t.eq_ignore_ascii_case("false") => Cell::Bool(false),
            t if t.eq_ignore_ascii_case("true") => Cell::Bool(true),
            t => Cell::Text(Cow::Owned(t.to_string())),
        },
        Some("d") => Cell::DateIso(Cow::Owned(v.to_string())),
        Some("e") => Cell::Error(Cow::Owned(v.to_string())),
        Some("str") => Cell::Text(Cow::Owned(unescape_excel(v).into_owned())),
        Some("n") | None => {
            if v.is_empty() {
                return Ok(Cell::Empty);
            }
            let Ok(n) = v.parse::<f64>() else {
                return Ok(Cell::Text(Cow::Owned(v.to_string())));
            };
            // A cell without a style has the default one, never a date; one whose style is
            // not in the table neither.
            let format = match style {
                Some(s) => ctx
                    .formats
                    .get(s.parse::<usize>().unwrap_or(0))
                    .copied()
                    .unwrap_or(CellFormat::Other),
                None => CellFormat::Other,
            };
            match format {
                CellFormat::DateTime => Cell::Date {
                    serial: n,
                    is_1904: ctx.is_1904,
                },
                CellFormat::ZeroPadded(width) if n >= 0.0 && n.fract() == 0.0 && n < 1e15 => {
                    Cell::Text(Cow::Owned(format!(
                        "{:0width$}",
                        n as u64,
                        width = width as usize
                    )))
                }
                CellFormat::ZeroPadded(_) | CellFormat::TimeDelta | CellFormat::Other => {
                    Cell::Number(n)
                }
            }
        }
        Some(_) => Cell::Text(Cow::Owned(v.to_string())),
    })
}

/// After the data: the merged ranges, handed to the visitor.
fn merged_cells(xml: &mut Xml, visitor: &mut dyn CellVisitor) -> Result<(), Refusal> {
    let mut ranges = Vec::new();
    let mut inside = false;
    let mut buf = Vec::with_capacity(256);
    loop {
        match xml.next(&mut buf)? {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.local_name();
                match name.as_ref() {
                    "mergeCells" => inside = true,
                    "mergeCell" if inside => {
                        if let Some(r) = super::xml::attribute(&e, "ref")
                            && let Some(range) = merged_range(xml, &r)
                        {
                            if ranges.len() >= MAX_MERGED_RANGES {
                                return Err(Refusal::OverLimit(format!(
                                    "plus de {MAX_MERGED_RANGES} plages de cellules fusionnées dans une feuille"
                                )));
                            }
                            ranges.push(range);
                        }
                    }
                    n if AFTER_MERGE_CELLS.contains(&n) => break,
                    _ => {}
                }
            }
            Event::End(e) if e.local_name().as_ref() == "mergeCells" => break,
            Event::Eof => break,
            _ => {}
        }
    }
    if !ranges.is_empty() {
        visitor.merged_cells(ranges);
    }
    Ok(())
}

/// `A2:A5` as a range (Excel row numbers, 0-based columns); a malformed one is left out.
fn merged_range(xml: &Xml, r: &str) -> Option<MergedRange> {
    let (first, last) = r.split_once(':').unwrap_or((r, r));
    let (r1, c1) = cell_reference(xml, first).ok()?;
    let (r2, c2) = cell_reference(xml, last).ok()?;
    Some(MergedRange {
        first_row: r1.min(r2) + 1,
        first_col: c1.min(c2) as u16,
        last_row: r1.max(r2) + 1,
        last_col: c1.max(c2) as u16,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_formulas_shown() {
        assert_eq!(digits(b"1048576"), Some(1_048_576));
        assert_eq!(digits(b""), None);
        assert_eq!(digits(b"12a"), None);
        assert_eq!(digits(b"4000000000000"), None);
        assert_eq!(formula_text("SUM(L3:L4)"), "=SUM(L3:L4)");
        assert_eq!(formula_text(""), "=…");
    }
}
