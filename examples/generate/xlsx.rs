//! xlsx output with rust_xlsxwriter: real date cells, euro number formats, codes as text.

use std::path::Path;

use chrono::Datelike;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::table::{Cell, Table};

/// The formats every sheet uses.
pub struct Formats {
    pub title: Format,
    pub header: Format,
    pub date: Format,
    pub money: Format,
    pub decimal: Format,
}

impl Formats {
    pub fn new() -> Self {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xDDEBD2))
                .set_border_bottom(FormatBorder::Thin),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            money: Format::new().set_num_format("#,##0.00\\ \"€\""),
            decimal: Format::new().set_num_format("0.##"),
        }
    }
}

/// A reasonable width per column, from its header.
pub fn column_width(header: &str) -> f64 {
    let h = crate::ident::slug(header);
    if h.contains("intitul") || h == "objet" || h == "nom" || h.contains("raisonsociale") {
        48.0
    } else if h.contains("commentaire") {
        40.0
    } else if h.contains("partenaire") || h.contains("email") || h.contains("courriel") {
        24.0
    } else if h.contains("montant") || h.starts_with("part") || h.contains("feder") {
        15.0
    } else if h.contains("date") || h.contains("debut") || h == "fin" {
        12.0
    } else if h.contains("siret") || h.contains("telephone") || h.contains("type") {
        20.0
    } else {
        12.0
    }
}

pub fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    f: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => {}
        Cell::Text(s) => {
            ws.write_string(row, col, s)?;
        }
        Cell::Date(d) => {
            let x = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            ws.write_datetime_with_format(row, col, &x, &f.date)?;
        }
        Cell::Money(c) => {
            ws.write_number_with_format(row, col, *c as f64 / 100.0, &f.money)?;
        }
        Cell::Int(i) => {
            ws.write_number(row, col, *i as f64)?;
        }
        Cell::Centi(v) => {
            ws.write_number_with_format(row, col, *v as f64 / 100.0, &f.decimal)?;
        }
    }
    Ok(())
}

/// Writes the title (if any), the header and prepares the columns; returns the first data row.
pub fn start_sheet(
    ws: &mut Worksheet,
    name: &str,
    title: Option<&str>,
    header: &[String],
    f: &Formats,
) -> Result<u32, XlsxError> {
    ws.set_name(name)?;
    for (i, h) in header.iter().enumerate() {
        ws.set_column_width(i as u16, column_width(h))?;
    }
    let mut row = 0;
    if let Some(t) = title {
        ws.write_string_with_format(0, 0, t, &f.title)?;
        row = 2;
    }
    for (i, h) in header.iter().enumerate() {
        ws.write_string_with_format(row, i as u16, h, &f.header)?;
    }
    ws.set_freeze_panes(row + 1, 0)?;
    Ok(row + 1)
}

/// Fixed document properties, so that the same data gives the same file.
pub fn properties(company: &str) -> Result<DocProperties, XlsxError> {
    let created = ExcelDateTime::from_ymd(2022, 1, 17)?.and_hms(9, 30, 0)?;
    Ok(DocProperties::new()
        .set_company(company)
        .set_creation_datetime(&created))
}

/// Writes whole tables as one workbook.
pub fn write_workbook(path: &Path, tables: &[&Table], company: &str) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(&properties(company)?);
    let f = Formats::new();
    for t in tables {
        let ws = wb.add_worksheet();
        let first = start_sheet(ws, t.sheet, t.title.as_deref(), &t.header, &f)?;
        for (r, row) in t.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                write_cell(ws, first + r as u32, c as u16, cell, &f)?;
            }
        }
    }
    wb.save(path)
}
