//! `synthese-Y.xlsx` (DESIGN §7): the summaries as one workbook for people. A first sheet of
//! key figures and provenance, then a sheet per summary holding the rows and figures of its CSV
//! file (the same `summaries::Table`), typed: amounts in euros, dates as dates, rates as
//! percentages; headers frozen, styled and filtered, columns as wide as their contents. The
//! long sheets stop after `MAX_SHEET_ROWS` rows with a line pointing to their CSV file.

use std::path::Path;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::csv::Value;
use super::diagnostics;
use super::summaries::{Col, Rows, Table};
use crate::diagnostic::Diagnostic;
use crate::figures::model::Totals;
use crate::figures::{Report, Scope};
use crate::text::french::{format_integer, round};

/// Rows a sheet shows at most; the rest is in its CSV file.
pub const MAX_SHEET_ROWS: usize = 50_000;

/// The euro format (en-US syntax, as the file stores it): French Excel shows « 1 234,50 € ».
pub const EUROS: &str = "#,##0.00 €";
const DATE: &str = "dd/mm/yyyy";
const PERCENT: &str = "0.0 %";

/// Excel's limit on the characters of a cell.
const MAX_CELL_CHARS: usize = 32_767;

/// The sheets of the workbook after the first, in order.
const SHEETS: [&str; 8] = [
    "Objectifs",
    "Indicateurs",
    "Parcs",
    "Échelles",
    "Partenaires",
    "Programmes",
    "Conventions",
    "Anomalies",
];

/// The headers for people of the Anomalies sheet, index-aligned with the CSV's.
const ANOMALY_LABELS: [&str; 12] = [
    "Code", "Gravité", "Message", "Fichier", "Feuille", "Cellule", "Ligne", "Colonne", "En-tête",
    "Valeur", "Attendu", "Aide",
];

/// One input file, as the manifest lists it.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub file: &'a str,
    pub sha256: Option<&'a str>,
    pub bytes: u64,
}

/// Where the figures come from: the run, the referential, the inputs.
#[derive(Debug, Clone)]
pub struct Provenance<'a> {
    /// Local time of generation.
    pub generated: NaiveDateTime,
    pub version: &'a str,
    /// The referential's path, or `intégré`.
    pub referential: &'a str,
    pub referential_sha256: &'a str,
    pub inputs: Vec<Input<'a>>,
}

/// `synthese-2020.xlsx`, `synthese-bilan-2018-2021.xlsx`.
pub fn file_name(scope: Scope) -> String {
    format!("synthese-{}.xlsx", scope.folder())
}

/// The Anomalies sheet: the table of `anomalies.csv`, built for the rows shown only.
pub fn anomalies_table<'a>(diagnostics: &[Diagnostic], max_rows: usize) -> (Table<'a>, usize) {
    let columns = diagnostics::CSV_HEADERS
        .iter()
        .zip(ANOMALY_LABELS)
        .map(|(&name, label)| Col { name, label })
        .collect();
    let shown = &diagnostics[..diagnostics.len().min(max_rows)];
    let table = Table {
        file: "anomalies.csv",
        sheet: "Anomalies",
        about: "les anomalies relevées",
        columns,
        rows: Rows::Kept(diagnostics::rows(shown)),
    };
    (table, diagnostics.len())
}

/// A text column wider than this wraps its text, its rows as high as their lines.
const MAX_WIDTH: usize = 50;

struct Formats {
    title: Format,
    section: Format,
    header: Format,
    label: Format,
    euros: Format,
    date: Format,
    datetime: Format,
    signed_percent: Format,
    integer: Format,
    small: Format,
    note: Format,
    /// The columns of the summaries' sheets.
    cell: CellFormats,
}

struct CellFormats {
    wrap: Format,
    euros: Format,
    date: Format,
    percent: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            section: Format::new()
                .set_bold()
                .set_font_size(12)
                .set_font_color(Color::RGB(0x2E_6B_3F)),
            header: Format::new()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(0x2E_6B_3F))
                .set_border_bottom(FormatBorder::Thin)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            label: Format::new().set_align(FormatAlign::Left),
            euros: Format::new().set_num_format(EUROS),
            date: Format::new()
                .set_num_format(DATE)
                .set_align(FormatAlign::Left),
            datetime: Format::new()
                .set_num_format("dd/mm/yyyy hh:mm")
                .set_align(FormatAlign::Left),
            signed_percent: Format::new().set_num_format("+0.0 %;-0.0 %;0.0 %"),
            integer: Format::new().set_num_format("#,##0"),
            small: Format::new().set_font_size(8).set_align(FormatAlign::Left),
            note: Format::new().set_italic(),
            cell: CellFormats {
                wrap: Format::new().set_text_wrap(),
                euros: Format::new().set_num_format(EUROS),
                date: Format::new()
                    .set_num_format(DATE)
                    .set_align(FormatAlign::Left),
                percent: Format::new().set_num_format(PERCENT),
            },
        }
    }
}

/// The workbook's bytes. `tables` are the summaries (`summaries::tables`); `tempdir` holds the
/// long sheets while they are written (the output folder; `None`: the system's).
pub fn render(
    report: &Report,
    tables: &[Table],
    diagnostics: &[Diagnostic],
    provenance: &Provenance,
    tempdir: Option<&Path>,
) -> Result<Vec<u8>, XlsxError> {
    render_capped(
        report,
        tables,
        diagnostics,
        provenance,
        tempdir,
        MAX_SHEET_ROWS,
    )
}

fn render_capped<'t>(
    report: &Report,
    tables: &[Table<'t>],
    diagnostics: &[Diagnostic],
    provenance: &Provenance,
    tempdir: Option<&Path>,
    max_rows: usize,
) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut wb = Workbook::new();
    // Excel's own level: on 50 000 rows a third faster than the default 6, 14 % larger.
    wb.set_zip_compression_level(3);
    if let Some(dir) = tempdir {
        wb.set_tempdir(dir)?;
    }
    let (anomalies, anomaly_count) = anomalies_table(diagnostics, max_rows);
    // (table, rows in its CSV file), in the workbook's order.
    let mut sheets: Vec<(&Table<'t>, usize)> = SHEETS
        .iter()
        .filter_map(|name| tables.iter().find(|t| t.sheet == *name))
        .map(|t| (t, t.rows.len()))
        .collect();
    // A summary added later (Évolution) gets its sheet too, before the long lists.
    for t in tables.iter().filter(|t| !SHEETS.contains(&t.sheet)) {
        let at = sheets.len().saturating_sub(1);
        sheets.insert(at, (t, t.rows.len()));
    }
    sheets.push((&anomalies, anomaly_count));

    key_figures(
        wb.add_worksheet().set_name("Synthèse")?,
        report,
        &sheets,
        provenance,
        max_rows,
        &formats,
    )?;
    for (table, total) in &sheets {
        let ws = wb.add_worksheet_with_constant_memory()?;
        ws.set_name(table.sheet)?;
        table_sheet(ws, table, *total, max_rows, &formats)?;
    }
    wb.save_to_buffer()
}

fn excel_date(d: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year()).ok()?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8).ok()
}

fn excel_datetime(t: NaiveDateTime) -> Option<ExcelDateTime> {
    excel_date(t.date())?
        .and_hms(t.hour() as u16, t.minute() as u8, t.second())
        .ok()
}

fn number(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// A text as a cell holds it: at most Excel's 32 767 characters.
fn cell_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= MAX_CELL_CHARS {
        return text.into();
    }
    match text.char_indices().nth(MAX_CELL_CHARS - 1) {
        Some((cut, _)) => format!("{}…", &text[..cut]).into(),
        None => text.into(),
    }
}

/// Writes a value without a format of its own: its column's format (`columns_of`) applies,
/// which spares a format lookup per cell.
fn write_value(ws: &mut Worksheet, row: u32, col: u16, value: &Value) -> Result<(), XlsxError> {
    match value {
        Value::Empty => {}
        Value::Text(t) => {
            ws.write_string(row, col, cell_text(t))?;
        }
        Value::Integer(i) => {
            ws.write_number(row, col, *i as f64)?;
        }
        Value::Money(m) => {
            ws.write_number(row, col, number(round(*m, 2)))?;
        }
        Value::Number(n, places) => {
            ws.write_number(row, col, number(round(*n, *places)))?;
        }
        Value::Percent(p) => {
            ws.write_number(row, col, number(round(*p, 1) / Decimal::from(100)))?;
        }
        Value::Quantity(q) => {
            ws.write_number(row, col, number(round(*q, 2)))?;
        }
        Value::Date(d) => match excel_date(*d) {
            Some(date) => {
                ws.write_datetime(row, col, date)?;
            }
            // Before 1900 or after 9999: no Excel date, the text as the CSV file writes it.
            None => {
                ws.write_string(row, col, d.format("%d/%m/%Y").to_string())?;
            }
        },
    }
    Ok(())
}

/// The format a value asks of its column: euros, dates, percentages.
fn value_format(value: &Value, f: &CellFormats) -> Option<Format> {
    match value {
        Value::Money(_) => Some(f.euros.clone()),
        Value::Date(_) => Some(f.date.clone()),
        Value::Percent(_) => Some(f.percent.clone()),
        _ => None,
    }
}

/// About how many characters a value shows, for the column's width.
fn shown_chars(value: &Value) -> usize {
    fn digits(d: Decimal) -> usize {
        let integer = d.trunc().abs().to_u128().unwrap_or(0);
        let n = integer.checked_ilog10().map_or(1, |l| l as usize + 1);
        n + (n - 1) / 3 + usize::from(d.is_sign_negative())
    }
    match value {
        Value::Empty => 0,
        Value::Text(t) => t.chars().count(),
        Value::Integer(i) => digits(Decimal::from(*i)),
        Value::Money(m) => digits(*m) + 5,
        Value::Number(n, places) => digits(*n) + *places as usize + 1,
        Value::Percent(_) => 7,
        Value::Quantity(q) => digits(*q) + 3,
        Value::Date(_) => 10,
    }
}

/// A column's width, and whether it wraps its text.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Width {
    chars: usize,
    wrap: bool,
}

/// Each column's width and format, from one pass over the rows shown: widths fit the header
/// (on two lines, with the filter's button) and the values, a text longer than `MAX_WIDTH`
/// wraps; the format is that of the column's first value that needs one, or the wrapping's.
fn columns_of(
    columns: &[Col],
    rows: &Rows,
    max_rows: usize,
    f: &CellFormats,
) -> (Vec<Width>, Vec<Option<Format>>) {
    let mut values = vec![0usize; columns.len()];
    let mut formats: Vec<Option<Format>> = vec![None; columns.len()];
    let _ = rows.each(max_rows, |row| {
        for ((value, longest), format) in row.iter().zip(&mut values).zip(&mut formats) {
            *longest = (*longest).max(shown_chars(value));
            if format.is_none() {
                *format = value_format(value, f);
            }
        }
        Ok::<(), std::convert::Infallible>(())
    });
    let widths: Vec<Width> = columns
        .iter()
        .zip(values)
        .map(|(col, values)| {
            let chars = col.label.chars().count();
            let longest_word = col
                .label
                .split_whitespace()
                .map(|w| w.chars().count())
                .max()
                .unwrap_or(0);
            let header = longest_word.max(chars.div_ceil(2)) + 3;
            let chars = header.max(values) + 2;
            Width {
                chars: chars.clamp(6, MAX_WIDTH),
                wrap: chars > MAX_WIDTH,
            }
        })
        .collect();
    for (w, format) in widths.iter().zip(&mut formats) {
        if w.wrap {
            *format = Some(f.wrap.clone());
        }
    }
    (widths, formats)
}

/// The lines the highest wrapped cell of a row takes.
fn row_lines(row: &[Value], widths: &[Width]) -> usize {
    row.iter()
        .zip(widths)
        .filter(|(_, w)| w.wrap)
        .map(|(v, w)| match v {
            // About 1.2 characters of text per unit of width in Calibri, a little less in
            // the fonts LibreOffice falls back to.
            Value::Text(t) => crate::text::wrapped_lines(t, w.chars * 11 / 10),
            _ => 1,
        })
        .max()
        .unwrap_or(1)
}

/// Landscape A4, one page wide, the header row on every page.
fn print_setup(ws: &mut Worksheet, landscape: bool) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    if landscape {
        ws.set_landscape();
        ws.set_repeat_rows(0, 0)?;
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_header("&C&A");
    ws.set_footer("&CPage &P / &N");
    Ok(())
}

/// A summary's sheet: header, rows (at most `max_rows`), then the pointer to its CSV file.
fn table_sheet(
    ws: &mut Worksheet,
    table: &Table,
    total: usize,
    max_rows: usize,
    f: &Formats,
) -> Result<(), XlsxError> {
    let shown = table.rows.len().min(max_rows);
    let last_col = table.columns.len().saturating_sub(1) as u16;
    let (widths, formats) = columns_of(&table.columns, &table.rows, max_rows, &f.cell);
    for (c, (width, format)) in widths.iter().zip(&formats).enumerate() {
        ws.set_column_width(c as u16, width.chars as f64)?;
        if let Some(format) = format {
            ws.set_column_format(c as u16, format)?;
        }
    }
    let wraps = widths.iter().any(|w| w.wrap);
    ws.set_freeze_panes(1, 0)?;
    ws.set_row_height(0, 30)?;
    print_setup(ws, true)?;
    for (c, col) in table.columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, col.label, &f.header)?;
    }
    let mut r = 0u32;
    table.rows.each(max_rows, |row| {
        r += 1;
        if wraps {
            // Spreadsheets do not fit rows to their wrapped text when they open a file.
            let lines = row_lines(row, &widths);
            if lines > 1 {
                ws.set_row_height(r, 15.0 * lines as f64)?;
            }
        }
        for (c, value) in row.iter().enumerate() {
            write_value(ws, r, c as u16, value)?;
        }
        Ok::<(), XlsxError>(())
    })?;
    ws.autofilter(0, 0, shown as u32, last_col)?;
    if total > shown {
        ws.write_string_with_format(
            shown as u32 + 2,
            0,
            format!(
                "… et {} {}, dans le fichier {} (le classeur en montre {}).",
                format_integer((total - shown) as i64),
                crate::text::agree(total - shown, "autre ligne", "autres lignes"),
                table.file,
                format_integer(shown as i64)
            ),
            &f.note,
        )?;
    }
    Ok(())
}

/// The first sheet: the report's key figures, then where they come from.
fn key_figures(
    ws: &mut Worksheet,
    report: &Report,
    sheets: &[(&Table, usize)],
    provenance: &Provenance,
    max_rows: usize,
    f: &Formats,
) -> Result<(), XlsxError> {
    for (c, width) in [44.0, 18.0, 26.0, 36.0].into_iter().enumerate() {
        ws.set_column_width(c as u16, width)?;
    }
    print_setup(ws, false)?;
    let r = title_block(ws, report, f)?;
    let r = key_figure_table(ws, report, r, f)?;
    let r = file_counts(ws, report, r, f)?;
    let r = provenance_block(ws, report, provenance, r, f)?;
    let r = input_files(ws, provenance, r, f)?;
    sheet_list(ws, sheets, max_rows, r, f)
}

/// Title, convention and year; returns the next free row.
fn title_block(ws: &mut Worksheet, report: &Report, f: &Formats) -> Result<u32, XlsxError> {
    let mut r = 0u32;
    ws.write_string_with_format(
        r,
        0,
        format!("Synthèse des partenariats {}", report.scope.label()),
        &f.title,
    )?;
    r += 1;
    ws.write_string(r, 0, &report.convention_title)?;
    r += 1;
    ws.write_string(
        r,
        0,
        match report.scope {
            Scope::Year(y) => format!("Année {y}"),
            Scope::Bilan { first, last } => format!("Bilan de la période {first}–{last}"),
        },
    )?;
    Ok(r + 2)
}

/// Key figures, beside the previous year's where the data covers it.
fn key_figure_table(
    ws: &mut Worksheet,
    report: &Report,
    mut r: u32,
    f: &Formats,
) -> Result<u32, XlsxError> {
    ws.write_string_with_format(r, 0, "Chiffres clés", &f.section)?;
    r += 1;
    let (now_label, before_label) = match report.scope {
        Scope::Year(y) => (y.to_string(), (y - 1).to_string()),
        Scope::Bilan { first, last } => (format!("{first}–{last}"), String::new()),
    };
    let previous = report.previous.as_ref();
    let mut headers = vec!["Chiffre clé".to_string(), now_label];
    if previous.is_some() {
        headers.extend([before_label, "Évolution".to_string()]);
    }
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(r, c as u16, h, &f.header)?;
    }
    r += 1;
    for (label, pick, money) in key_figure_rows(report) {
        let format = if money { &f.euros } else { &f.integer };
        let now = pick(&report.totals);
        ws.write_string_with_format(r, 0, label, &f.label)?;
        ws.write_number_with_format(r, 1, number(round(now, 2)), format)?;
        if let Some(before) = previous.map(pick) {
            ws.write_number_with_format(r, 2, number(round(before, 2)), format)?;
            if !before.is_zero() {
                let change = round((now - before) / before, 3);
                ws.write_number_with_format(r, 3, number(change), &f.signed_percent)?;
            }
        }
        r += 1;
    }
    Ok(r + 1)
}

type Pick = fn(&Totals) -> Decimal;

/// Each key figure: its label, how to read it from the totals, whether it is money.
fn key_figure_rows(report: &Report) -> [(&'static str, Pick, bool); 7] {
    let amount = match report.scope {
        Scope::Year(_) => "Montant annualisé (€)",
        Scope::Bilan { .. } => "Montant (€)",
    };
    [
        (
            "Conventions actives",
            |t| t.active_conventions.into(),
            false,
        ),
        (amount, |t| t.amounts.total, true),
        ("Part de la Région (€)", |t| t.amounts.region, true),
        (
            "Part européenne (FEDER, Interreg) (€)",
            |t| t.amounts.europe,
            true,
        ),
        ("Part des autres financeurs (€)", |t| t.amounts.autres, true),
        (
            "Partenaires distincts",
            |t| t.distinct_partners.into(),
            false,
        ),
        (
            "Associations partenaires",
            |t| t.association_partners.into(),
            false,
        ),
    ]
}

/// Files, rows and anomalies counted.
fn file_counts(
    ws: &mut Worksheet,
    report: &Report,
    mut r: u32,
    f: &Formats,
) -> Result<u32, XlsxError> {
    ws.write_string_with_format(r, 0, "Fichiers et anomalies", &f.section)?;
    r += 1;
    for (label, n) in [
        ("Fichiers déposés", report.submissions),
        ("Lignes de données lues", report.rows_read),
        ("Lignes écartées pour erreur", report.rows_excluded),
        ("Erreurs", report.erreurs),
        ("Avertissements", report.avertissements),
        ("Infos", report.infos),
    ] {
        ws.write_string_with_format(r, 0, label, &f.label)?;
        ws.write_number_with_format(r, 1, n as f64, &f.integer)?;
        r += 1;
    }
    Ok(r + 1)
}

/// When, by what tool, from which referential and convention.
fn provenance_block(
    ws: &mut Worksheet,
    report: &Report,
    provenance: &Provenance,
    mut r: u32,
    f: &Formats,
) -> Result<u32, XlsxError> {
    ws.write_string_with_format(r, 0, "Provenance", &f.section)?;
    r += 1;
    ws.write_string(r, 0, "Généré le")?;
    match excel_datetime(provenance.generated) {
        Some(t) => ws.write_datetime_with_format(r, 1, t, &f.datetime)?,
        None => ws.write_string(r, 1, provenance.generated.to_string())?,
    };
    r += 1;
    ws.write_string(r, 0, "Outil")?;
    ws.write_string(r, 1, format!("enrx {}", provenance.version))?;
    r += 1;
    ws.write_string(r, 0, "Référentiel")?;
    ws.write_string(r, 1, provenance.referential)?;
    r += 1;
    ws.write_string(r, 0, "SHA-256 du référentiel")?;
    ws.merge_range(r, 1, r, 3, provenance.referential_sha256, &f.small)?;
    r += 1;
    ws.write_string(r, 0, "Convention")?;
    ws.write_string(r, 1, &report.convention_title)?;
    r += 1;
    ws.write_string(r, 0, "Période de la convention")?;
    for (c, d) in [(1, report.period_start), (2, report.period_end)] {
        if let Some(date) = excel_date(d) {
            ws.write_date_with_format(r, c, date, &f.date)?;
        }
    }
    Ok(r + 2)
}

/// Each input file with its size and fingerprint.
fn input_files(
    ws: &mut Worksheet,
    provenance: &Provenance,
    mut r: u32,
    f: &Formats,
) -> Result<u32, XlsxError> {
    ws.write_string_with_format(r, 0, "Fichiers d'entrée", &f.section)?;
    r += 1;
    for (c, h) in ["Fichier", "Octets"].into_iter().enumerate() {
        ws.write_string_with_format(r, c as u16, h, &f.header)?;
    }
    ws.merge_range(r, 2, r, 3, "SHA-256", &f.header)?;
    r += 1;
    for input in &provenance.inputs {
        ws.write_string(r, 0, cell_text(input.file))?;
        ws.write_number_with_format(r, 1, input.bytes as f64, &f.integer)?;
        ws.merge_range(r, 2, r, 3, input.sha256.unwrap_or("—"), &f.small)?;
        r += 1;
    }
    Ok(r + 1)
}

/// The sheets of the workbook, their rows and CSV files.
fn sheet_list(
    ws: &mut Worksheet,
    sheets: &[(&Table, usize)],
    max_rows: usize,
    mut r: u32,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(r, 0, "Feuilles de ce classeur", &f.section)?;
    r += 1;
    for (c, h) in ["Feuille", "Lignes", "Fichier CSV", "Contenu"]
        .into_iter()
        .enumerate()
    {
        ws.write_string_with_format(r, c as u16, h, &f.header)?;
    }
    r += 1;
    for (table, total) in sheets {
        ws.write_string(r, 0, table.sheet)?;
        ws.write_number_with_format(r, 1, *total as f64, &f.integer)?;
        ws.write_string(r, 2, table.file)?;
        let about = if *total > max_rows {
            format!(
                "{} ; les {} premières ici",
                table.about,
                format_integer(max_rows as i64)
            )
        } else {
            table.about.to_string()
        };
        ws.write_string(r, 3, about)?;
        r += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::model::Amounts;

    fn report() -> Report {
        Report {
            scope: Scope::Year(2020),
            convention_title: "Convention".into(),
            period_start: NaiveDate::from_ymd_opt(2018, 1, 1).unwrap(),
            period_end: NaiveDate::from_ymd_opt(2021, 12, 31).unwrap(),
            submissions: 1,
            rows_read: 5,
            rows_excluded: 0,
            totals: Totals::default(),
            previous: Some(Totals {
                active_conventions: 2,
                amounts: Amounts::default(),
                distinct_partners: 0,
                association_partners: 0,
            }),
            objectives: vec![],
            scales: vec![],
            parcs: vec![],
            programmes: vec![],
            partner_types: vec![],
            conventions: vec![],
            anomalies: vec![],
            erreurs: 0,
            avertissements: 0,
            infos: 0,
            evolution: vec![],
        }
    }

    #[test]
    fn long_sheets_stop_with_a_line_to_their_csv_file() {
        use calamine::{Reader, Xlsx};
        let table = Table {
            file: "conventions.csv",
            sheet: "Conventions",
            about: "x",
            columns: vec![Col {
                name: "id",
                label: "Identifiant",
            }],
            rows: Rows::Kept(
                (0..5)
                    .map(|i| vec![Value::Text(format!("C-{i}"))])
                    .collect(),
            ),
        };
        let provenance = Provenance {
            generated: NaiveDate::from_ymd_opt(2021, 3, 4)
                .unwrap()
                .and_hms_opt(10, 30, 0)
                .unwrap(),
            version: "0",
            referential: "intégré",
            referential_sha256: "abc",
            inputs: vec![],
        };
        let bytes =
            render_capped(&report(), &[table], &[], &provenance, None, 3).expect("workbook");
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(book.sheet_names(), ["Synthèse", "Conventions", "Anomalies"]);
        let range = book.worksheet_range("Conventions").unwrap();
        let cells: Vec<String> = range.rows().map(|r| r[0].to_string()).collect();
        assert_eq!(
            cells,
            [
                "Identifiant",
                "C-0",
                "C-1",
                "C-2",
                "",
                "… et 2 autres lignes, dans le fichier conventions.csv (le classeur en montre 3)."
            ]
        );
    }

    #[test]
    fn texts_fit_in_a_cell() {
        let long = "é".repeat(MAX_CELL_CHARS + 10);
        assert_eq!(cell_text(&long).chars().count(), MAX_CELL_CHARS);
        assert_eq!(cell_text("court"), "court");
    }

    #[test]
    fn anomaly_labels_follow_the_csv_headers() {
        assert_eq!(ANOMALY_LABELS.len(), diagnostics::CSV_HEADERS.len());
    }
}
