//! A sheet enrx adds (a `Grid`) written as worksheet XML, with inline strings so the shared
//! strings of the depositor's workbook are left as they were.

use chrono::NaiveDate;

use super::styles::Styles;
use super::xml::{esc, t_element};
use crate::annotate::grid::{Grid, Value};
use crate::annotate::marks::At;

/// Excel's serial number of a date, in the workbook's date system.
pub fn serial(date: NaiveDate, date1904: bool) -> f64 {
    let epoch = if date1904 {
        NaiveDate::from_ymd_opt(1904, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)
    };
    epoch.map_or(0.0, |e| (date - e).num_days() as f64)
}

fn range(first: At, last: At) -> String {
    format!("{}:{}", first.a1(), last.a1())
}

pub fn worksheet(grid: &Grid, styles: &Styles, date1904: bool) -> String {
    let mut s = String::with_capacity(256 + grid.rows.len() * 200);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>");
    let last_row = grid.rows.len().max(1) as u32;
    let last_col = grid.width().max(1) as u32 - 1;
    s.push_str(&format!(
        "<dimension ref=\"{}\"/>",
        range(
            At { row: 1, col: 0 },
            At {
                row: last_row,
                col: last_col
            }
        )
    ));
    s.push_str(&view(grid));
    let links = sheet_data(&mut s, grid, styles, date1904);
    s.push_str(&after_data(grid, &links));
    s.push_str("<pageMargins left=\"0.4\" right=\"0.4\" top=\"0.5\" bottom=\"0.5\" header=\"0.3\" footer=\"0.3\"/><pageSetup paperSize=\"9\" orientation=\"landscape\" fitToWidth=\"1\" fitToHeight=\"0\"/></worksheet>");
    s
}

/// The frozen header, and the columns' widths.
fn view(grid: &Grid) -> String {
    let mut s = String::from("<sheetViews><sheetView workbookViewId=\"0\">");
    if grid.frozen_rows > 0 {
        let top = At {
            row: grid.frozen_rows + 1,
            col: 0,
        }
        .a1();
        s.push_str(&format!(
            "<pane ySplit=\"{}\" topLeftCell=\"{top}\" activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\" activeCell=\"{top}\" sqref=\"{top}\"/>",
            grid.frozen_rows
        ));
    }
    s.push_str("</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/><cols>");
    for (i, w) in grid.widths.iter().enumerate() {
        s.push_str(&format!(
            "<col min=\"{n}\" max=\"{n}\" width=\"{w}\" customWidth=\"1\"/>",
            n = i + 1
        ));
    }
    s.push_str("</cols>");
    s
}

/// The rows; returns the links to write after them: (cell, target, text).
fn sheet_data(
    s: &mut String,
    grid: &Grid,
    styles: &Styles,
    date1904: bool,
) -> Vec<(String, String, String)> {
    s.push_str("<sheetData>");
    let mut links = Vec::new();
    for (i, cells) in grid.rows.iter().enumerate() {
        let row = i as u32 + 1;
        match grid.heights.iter().find(|(r, _)| *r == row) {
            Some((_, h)) => s.push_str(&format!("<row r=\"{row}\" ht=\"{h}\" customHeight=\"1\">")),
            None => s.push_str(&format!("<row r=\"{row}\">")),
        }
        for (j, c) in cells.iter().enumerate() {
            let r = At { row, col: j as u32 }.a1();
            let style = styles.role(c.role);
            let inline = |t: &str| {
                format!(
                    "<c r=\"{r}\" s=\"{style}\" t=\"inlineStr\"><is>{}</is></c>",
                    t_element("t", t)
                )
            };
            let xml = match &c.value {
                Value::Empty => format!("<c r=\"{r}\" s=\"{style}\"/>"),
                Value::Text(t) if t.is_empty() => format!("<c r=\"{r}\" s=\"{style}\"/>"),
                Value::Text(t) => inline(t),
                Value::Number(n) => format!("<c r=\"{r}\" s=\"{style}\"><v>{n}</v></c>"),
                Value::Date(d) => format!(
                    "<c r=\"{r}\" s=\"{style}\"><v>{}</v></c>",
                    serial(*d, date1904)
                ),
                Value::Link { text, target } => {
                    links.push((r.clone(), target.clone(), text.clone()));
                    inline(text)
                }
            };
            s.push_str(&xml);
        }
        s.push_str("</row>");
    }
    s.push_str("</sheetData>");
    links
}

/// The filter, the cells that span columns, the links.
fn after_data(grid: &Grid, links: &[(String, String, String)]) -> String {
    let mut s = String::new();
    if let Some((first, last, cols)) = grid.filter {
        s.push_str(&format!(
            "<autoFilter ref=\"{}\"/>",
            range(
                At { row: first, col: 0 },
                At {
                    row: last.max(first),
                    col: cols.max(1) as u32 - 1
                }
            )
        ));
    }
    if !grid.spans.is_empty() {
        s.push_str(&format!("<mergeCells count=\"{}\">", grid.spans.len()));
        for (row, n) in &grid.spans {
            let last = At {
                row: *row,
                col: (*n).max(1) as u32 - 1,
            };
            s.push_str(&format!(
                "<mergeCell ref=\"{}\"/>",
                range(At { row: *row, col: 0 }, last)
            ));
        }
        s.push_str("</mergeCells>");
    }
    if !links.is_empty() {
        s.push_str("<hyperlinks>");
        for (r, target, text) in links {
            s.push_str(&format!(
                "<hyperlink ref=\"{r}\" location=\"{}\" display=\"{}\"/>",
                esc(target),
                esc(text)
            ));
        }
        s.push_str("</hyperlinks>");
    }
    s
}

/// The filter's range as a defined name writes it (`$A$5:$G$20`).
pub fn filter_range(grid: &Grid) -> Option<String> {
    let (first, last, cols) = grid.filter?;
    let a = At { row: first, col: 0 };
    let b = At {
        row: last.max(first),
        col: cols.max(1) as u32 - 1,
    };
    let abs = |at: At| {
        let a1 = at.a1();
        let split = a1.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
        format!("${}${}", &a1[..split], &a1[split..])
    };
    Some(format!("{}:{}", abs(a), abs(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials() {
        let d = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        assert_eq!(serial(d, false), 43831.0);
        assert_eq!(serial(d, true), 43831.0 - 1462.0);
    }
}
