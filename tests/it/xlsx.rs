//! Our xlsx/xlsm reader (`enrx::ingest::xlsx`): it reads every cell as calamine read it, and
//! what calamine did not give: chart sheets skipped, hidden rows, merged ranges, formulas
//! without a computed value (V009).

use std::path::Path;

use calamine::{DataRef, Reader, SheetType, Xlsx};
use enrx::ingest::cell::Cell;
use enrx::ingest::limits::{Limits, Refusal};
use enrx::ingest::xlsx::{CellVisitor, Workbook};
use enrx::model::MergedRange;
use rust_xlsxwriter::{Chart, ChartType, Format, Formula};
use serde_json::Value;

use crate::common::*;

/// What our reader gives for one sheet.
#[derive(Default)]
struct Record {
    cells: Vec<String>,
    hidden: Vec<u32>,
    merged: Vec<MergedRange>,
}

impl<'t> CellVisitor<'t> for Record {
    fn hidden_row(&mut self, row_number: u32) {
        self.hidden.push(row_number);
    }
    fn cell(&mut self, row: u32, col: u32, cell: Cell<'t>) -> Result<bool, Refusal> {
        if cell != Cell::Empty {
            self.cells.push(format!("{row},{col} {cell:?}"));
        }
        Ok(true)
    }
    fn merged_cells(&mut self, ranges: Vec<MergedRange>) {
        self.merged = ranges;
    }
    fn hidden_columns(&mut self, first: u16, last: u16) {
        self.cells.push(format!("hidden columns {first}-{last}"));
    }
}

fn ours(path: &Path) -> Vec<(String, Record)> {
    let file = std::fs::File::open(path).unwrap();
    let mut wb = Workbook::open(&file, &Limits::default()).unwrap();
    wb.sheet_names()
        .into_iter()
        .map(|name| {
            let mut record = Record::default();
            wb.read_sheet(&name, &mut record).unwrap();
            (name, record)
        })
        .collect()
}

/// calamine's streaming reader, its values turned into cells as enrx turned them before.
fn calamine(path: &Path) -> Vec<(String, Vec<String>)> {
    let mut wb: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let is_1904 = wb.has_1904_epoch();
    let names: Vec<String> = wb
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    names
        .into_iter()
        .map(|name| {
            let mut reader = wb.worksheet_cells_reader(&name).unwrap();
            let mut cells = Vec::new();
            while let Some(c) = reader.next_cell().unwrap() {
                let (row, col) = c.get_position();
                let cell = match c.get_value() {
                    DataRef::Empty => continue,
                    DataRef::Int(i) => Cell::Number(*i as f64),
                    DataRef::Float(f) => Cell::Number(*f),
                    DataRef::String(s) => Cell::Text(s.clone().into()),
                    DataRef::SharedString(s) => Cell::Text((*s).into()),
                    DataRef::Bool(b) => Cell::Bool(*b),
                    DataRef::DateTime(d) if d.is_datetime() => Cell::Date {
                        serial: d.as_f64(),
                        is_1904,
                    },
                    DataRef::DateTime(d) => Cell::Number(d.as_f64()),
                    DataRef::DateTimeIso(s) => Cell::DateIso(s.clone().into()),
                    DataRef::DurationIso(s) => Cell::Text(s.clone().into()),
                    DataRef::Error(e) => Cell::Error(e.to_string().into()),
                };
                cells.push(format!("{row},{col} {cell:?}"));
            }
            (name, cells)
        })
        .collect()
}

/// A workbook of every kind of cell, written with shared strings (rust_xlsxwriter's default).
fn every_kind_of_cell(path: &Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let datetime = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    let elapsed = Format::new().set_num_format("[h]:mm:ss");
    let euros = Format::new().set_num_format("#,##0.00\\ \"€\"");
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet().set_name("Conventions").unwrap();
    let texts = [
        "id",
        "  espaces autour  ",
        "a_x000D_b",
        "ligne 1\nligne 2",
        "é € « » 😀",
        "<&>\"'",
        "",
    ];
    for (c, t) in texts.iter().enumerate() {
        ws.write_string(0, c as u16, *t).unwrap();
    }
    ws.write_number(1, 0, 1.5).unwrap();
    ws.write_number(1, 1, -3.0).unwrap();
    ws.write_number(1, 2, 1e20).unwrap();
    ws.write_number_with_format(1, 3, 43497.0, &date).unwrap();
    ws.write_number_with_format(1, 4, 43497.75, &datetime)
        .unwrap();
    ws.write_number_with_format(1, 5, 1.25, &elapsed).unwrap();
    ws.write_number_with_format(1, 6, 1234.5, &euros).unwrap();
    ws.write_boolean(2, 0, true).unwrap();
    ws.write_boolean(2, 1, false).unwrap();
    ws.write_formula(2, 2, Formula::new("=1+1").set_result("2"))
        .unwrap();
    ws.write_formula(2, 3, Formula::new("=\"a\"&\"b\"").set_result("ab"))
        .unwrap();
    ws.write_formula(2, 4, Formula::new("=1/0").set_result("#DIV/0!"))
        .unwrap();
    ws.write_rich_string(2, 5, &[(&bold, "gras "), (&Format::new(), "et pas")])
        .unwrap();
    ws.write_blank(2, 6, &bold).unwrap();
    ws.set_row_hidden(2).unwrap();
    ws.merge_range(4, 0, 5, 0, "fusion", &Format::new())
        .unwrap();
    ws.write_string(6, 3, "après la fusion").unwrap();
    let ws = wb.add_worksheet().set_name("Feuil2").unwrap();
    ws.write_string(1_048_575, 16_383, "tout au bout").unwrap();
    wb.save(path).unwrap();
}

#[test]
fn reads_every_cell_as_calamine_did() {
    let w = Workdir::new();
    w.copy_sample_input();
    every_kind_of_cell(&w.join("tout.xlsx"));
    let mut files = vec![w.join("tout.xlsx")];
    for entry in std::fs::read_dir(w.join("input")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "xlsx") {
            files.push(path);
        }
    }
    assert!(files.len() >= 4, "{files:?}");
    // More workbooks to compare, kept out of the repository (LibreOffice's, calamine's own
    // test files…): every xlsx/xlsm of the folder $ENRX_COMPARE_XLSX.
    let extra = std::env::var_os("ENRX_COMPARE_XLSX").map(std::path::PathBuf::from);
    for entry in extra.iter().flat_map(|d| std::fs::read_dir(d).unwrap()) {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "xlsx" || e == "xlsm") {
            compare_if_calamine_reads(&path);
        }
    }
    for path in files {
        let ours: Vec<(String, Vec<String>)> = ours(&path)
            .into_iter()
            .map(|(name, r)| (name, r.cells))
            .collect();
        let cells: usize = ours.iter().map(|(_, c)| c.len()).sum();
        assert!(cells > 20, "{}: {cells} cells", path.display());
        assert_eq!(ours, calamine(&path), "{}", path.display());
    }
}

/// Compares our reader with calamine on a workbook calamine reads without error (ours may
/// read more: a chart sheet, an unknown error value).
fn compare_if_calamine_reads(path: &Path) {
    let Ok(theirs) = std::panic::catch_unwind(|| calamine(path)) else {
        eprintln!("{}: calamine cannot read it, not compared", path.display());
        return;
    };
    let file = std::fs::File::open(path).unwrap();
    let mut wb = match Workbook::open(&file, &Limits::default()) {
        Ok(wb) => wb,
        Err(e) => panic!("{}: {e:?}", path.display()),
    };
    for (name, cells) in theirs {
        let mut record = Record::default();
        wb.read_sheet(&name, &mut record)
            .unwrap_or_else(|e| panic!("{} {name}: {e:?}", path.display()));
        assert_eq!(record.cells, cells, "{} {name}", path.display());
    }
    eprintln!("{}: same cells", path.display());
}

#[test]
fn hidden_rows_and_merged_ranges() {
    let w = Workdir::new();
    every_kind_of_cell(&w.join("tout.xlsx"));
    let sheets = ours(&w.join("tout.xlsx"));
    let (name, first) = &sheets[0];
    assert_eq!(name, "Conventions");
    // Row 3 (Excel's numbering) is hidden; row numbers and columns as `MergedRange` has them.
    assert_eq!(first.hidden, [3]);
    assert_eq!(
        first.merged,
        [MergedRange {
            first_row: 5,
            first_col: 0,
            last_row: 6,
            last_col: 0
        }]
    );
    assert!(sheets[1].1.hidden.is_empty() && sheets[1].1.merged.is_empty());
}

/// A « Feuil1 » of conventions beside a chart sheet: the chart sheet is no worksheet and
/// is skipped (calamine refused the whole file: « Expecting a worksheet, got chartsheet »).
#[test]
fn chart_sheets_are_skipped() {
    let w = Workdir::new();
    let path = w.join("graphique.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("Feuil1").unwrap();
    write_rows(
        ws,
        &[
            header(&CONVENTION_HEADER),
            convention_row("C-1", &[(11, "100")]),
        ],
    );
    let mut chart = Chart::new(ChartType::Column);
    chart.add_series().set_values("Feuil1!$L$2:$L$2");
    wb.add_chartsheet()
        .set_name("Graph1")
        .unwrap()
        .insert_chart(0, 0, &chart)
        .unwrap();
    wb.save(&path).unwrap();

    let file = std::fs::File::open(&path).unwrap();
    let opened = Workbook::open(&file, &Limits::default()).unwrap();
    assert_eq!(opened.sheet_names(), ["Feuil1"]);
    assert_eq!(
        opened.skipped_sheets(),
        [("Graph1".to_string(), "graphique")]
    );

    let run = w.run(&["validate", "graphique.xlsx", "--format", "json"]);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["resume"]["lignes"], 1, "{}", run.stdout);
    let codes = codes(&v);
    assert!(!codes.contains(&"F001"), "{codes:?}");
}

/// The parts of a one-sheet xlsx whose sheet data is `rows`, with inline strings.
pub fn hand_made_xlsx(sheet_data: &str) -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#
    );
    zip_of(&[
        (
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Conventions" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ])
}

/// The inline-string cells of row `r` (empty strings left out), from column A.
pub fn inline_cells(r: u32, cells: &[&str]) -> String {
    let mut xml = String::new();
    for (c, text) in cells.iter().enumerate() {
        if !text.is_empty() {
            let col = (b'A' + c as u8) as char;
            xml.push_str(&format!(
                r#"<c r="{col}{r}" t="inlineStr"><is><t>{text}</t></is></c>"#
            ));
        }
    }
    xml
}

/// openpyxl and some exporters write formulas without their value: V009 (a warning), and V001
/// when the column is required; never V002, never an empty cell read silently. No `<v>` at
/// all, or openpyxl's blank `<v />`; a formula whose computed value is an empty text
/// (`t="str"`, empty `<v>`, as Excel writes it) has its value.
#[test]
fn formula_without_value_is_v009() {
    let w = Workdir::new();
    let values = [
        "C-1",
        "Mares",
        "régionale",
        "",
        "P-1",
        "OS1",
        "",
        "",
        "",
        "01/02/2019",
        "31/12/2019",
    ];
    let row2 = format!(
        r#"<row r="2">{}<c r="L2"><f>SUM(L3:L4)</f></c><c r="M2"><f t="shared" si="0"/></c><c r="N2"><f>M2/2</f><v /></c><c r="O2" t="str"><f>IF(1,"","x")</f><v></v></c><c r="P2" t="inlineStr"><is><t>soldée</t></is></c></row>"#,
        inline_cells(2, &values)
    );
    let data = format!(
        r#"<row r="1">{}</row>{row2}"#,
        inline_cells(1, &CONVENTION_HEADER)
    );
    w.write("formules.xlsx", hand_made_xlsx(&data));
    let run = w.run(&["validate", "formules.xlsx", "--format", "json"]);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let found: Vec<(String, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["cell"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let has = |code: &str, cell: &str| found.contains(&(code.to_string(), cell.to_string()));
    assert!(
        has("V009", "L2") && has("V009", "M2") && has("V009", "N2"),
        "{found:?}"
    );
    assert!(!has("V009", "O2"), "a computed empty text: {found:?}");
    assert!(has("V001", "L2"), "montant_total is required: {found:?}");
    assert!(!found.iter().any(|(c, _)| c == "V002"), "{found:?}");
    let v009 = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "V009")
        .unwrap();
    assert_eq!(v009["value"], "=SUM(L3:L4)", "{v009}");
    assert_eq!(v009["severity"], "avertissement", "{v009}");
}

/// Past the time allowed for a file (`Limits::max_duration`, `--max-duree`) the read stops
/// with F002, wherever it is: here at once.
#[test]
fn the_time_allowed_is_checked_as_the_parts_stream() {
    let w = Workdir::new();
    every_kind_of_cell(&w.join("tout.xlsx"));
    let file = std::fs::File::open(w.join("tout.xlsx")).unwrap();
    let limits = Limits {
        max_duration: std::time::Duration::ZERO,
        ..Limits::default()
    };
    match Workbook::open(&file, &limits) {
        Err(Refusal::OverLimit(why)) => {
            assert!(why.contains("lecture interrompue après 0 s"), "{why}");
            assert!(why.contains("--max-duree"), "{why}");
        }
        Err(other) => panic!("{other:?}"),
        Ok(_) => panic!("read past the time allowed"),
    }
}
