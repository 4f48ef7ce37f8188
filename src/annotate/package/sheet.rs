//! A flagged worksheet, streamed: every element passes through as it was, but the flagged
//! cells get the style with their severity's fill (an empty flagged cell is written in its
//! place), and the sheet gets a `legacyDrawing` for the notes when it had none.

use std::io::{BufRead, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;

use super::PatchError;
use super::styles::MarkStyles;
use super::xml::{self, REL_NS, attr, local, prefix_for, prefix_of, qualified, xml_error};
use crate::annotate::marks::At;
use crate::diagnostic::Severity;

/// Elements that follow `legacyDrawing` in a worksheet: a new one goes before the first of them.
const AFTER_LEGACY_DRAWING: &[&str] = &[
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
    "AlternateContent",
];

/// What to do to one worksheet.
pub struct SheetPlan<'a> {
    pub part: &'a str,
    /// The flagged cells, in row then column order, with their severity.
    pub marks: &'a [(At, Severity)],
    /// The relationship of the VML drawing that holds the notes.
    pub legacy_rid: &'a str,
}

struct Rewriter<'a, W: Write> {
    w: Writer<W>,
    plan: &'a SheetPlan<'a>,
    styles: &'a mut MarkStyles,
    prefix: String,
    rel_prefix: Option<String>,
    depth: usize,
    /// The next mark not yet written.
    next: usize,
    in_sheet_data: bool,
    sheet_data_done: bool,
    legacy_done: bool,
    /// Column styles from `<cols>`: (first, last, style), columns 0-based.
    cols: Vec<(u32, u32, u32)>,
    last_row: u32,
    row: Option<Row>,
    /// The name of an unflagged row just started: its content is copied as it is.
    skip: Option<String>,
}

struct Row {
    number: u32,
    /// The row's own style, for its empty cells (when `customFormat`).
    style: Option<u32>,
    last_col: Option<u32>,
    flagged: bool,
}

/// Streams `src` to `dst` with the marks of `plan`.
pub fn rewrite<R: BufRead, W: Write>(
    src: R,
    dst: W,
    plan: &SheetPlan,
    styles: &mut MarkStyles,
) -> Result<(), PatchError> {
    let mut r = xml::reader(src);
    let mut rw = Rewriter {
        w: Writer::new(dst),
        plan,
        styles,
        prefix: String::new(),
        rel_prefix: None,
        depth: 0,
        next: 0,
        in_sheet_data: false,
        sheet_data_done: false,
        legacy_done: false,
        cols: Vec::new(),
        last_row: 0,
        row: None,
        skip: None,
    };
    let mut buf = Vec::with_capacity(4096);
    let mut row_text = Vec::with_capacity(4096);
    loop {
        let event = r
            .read_event_into(&mut buf)
            .map_err(|e| xml_error(plan.part, e))?;
        match event {
            Event::Eof => break,
            Event::Start(e) => {
                rw.start(e, false)?;
                if let Some(name) = rw.skip.take() {
                    // A row without marks: its cells are copied as they are, unparsed by us.
                    row_text.clear();
                    let text = r
                        .read_text_into(QName(&name), &mut row_text)
                        .map_err(|e| xml_error(plan.part, e))?;
                    rw.raw(&text)?;
                    rw.raw(&format!("</{name}>"))?;
                    rw.depth -= 1;
                    rw.row = None;
                }
            }
            Event::Empty(e) => rw.start(e, true)?,
            Event::End(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if name == "row" && rw.in_sheet_data {
                    rw.finish_row()?;
                } else if name == "sheetData" {
                    rw.flush_rows_before(u32::MAX)?;
                    rw.in_sheet_data = false;
                    rw.sheet_data_done = true;
                } else if rw.depth == 1 {
                    rw.ensure_legacy_drawing()?;
                }
                rw.depth = rw.depth.saturating_sub(1);
                rw.put(Event::End(e))?;
            }
            other => rw.put(other)?,
        }
        buf.clear();
    }
    if rw.next < plan.marks.len() || !rw.legacy_done {
        return Err(PatchError(format!(
            "{} : feuille sans données (sheetData) ou mal formée",
            plan.part
        )));
    }
    rw.w.into_inner()
        .flush()
        .map_err(|e| xml_error(plan.part, e))?;
    Ok(())
}

impl<W: Write> Rewriter<'_, W> {
    fn put(&mut self, e: Event) -> Result<(), PatchError> {
        self.w
            .write_event(e)
            .map_err(|e| xml_error(self.plan.part, e))
    }

    fn raw(&mut self, s: &str) -> Result<(), PatchError> {
        self.w
            .get_mut()
            .write_all(s.as_bytes())
            .map_err(|e| xml_error(self.plan.part, e))
    }

    fn el(&self, name: &str) -> String {
        qualified(&self.prefix, name)
    }

    fn start(&mut self, e: BytesStart, empty: bool) -> Result<(), PatchError> {
        if self.depth == 0 {
            self.prefix = prefix_of(&e);
            self.rel_prefix = prefix_for(&e, REL_NS);
        }
        enum Tag {
            Row,
            Cell,
            Col,
            Dimension,
            SheetData,
            Other,
        }
        let tag = match e.local_name().as_ref() {
            "row" => Tag::Row,
            "c" => Tag::Cell,
            "col" => Tag::Col,
            "dimension" => Tag::Dimension,
            "sheetData" => Tag::SheetData,
            _ => Tag::Other,
        };
        if self.depth == 1 {
            self.top_level(&e)?;
        }
        let e = match tag {
            Tag::Row if self.in_sheet_data => return self.row(e, empty),
            Tag::Cell if self.row.as_ref().is_some_and(|r| r.flagged) => self.cell(e)?,
            Tag::Col => {
                self.col(&e);
                e
            }
            Tag::Dimension => self.dimension(&e).unwrap_or(e),
            Tag::SheetData if !empty => {
                self.in_sheet_data = true;
                e
            }
            Tag::SheetData => {
                // `<sheetData/>`: every mark is a new row.
                let start = e.clone().into_owned();
                self.put(Event::Start(start.clone()))?;
                self.flush_rows_before(u32::MAX)?;
                self.sheet_data_done = true;
                return self.put(Event::End(start.to_end().into_owned()));
            }
            _ => e,
        };
        if !empty {
            self.depth += 1;
        }
        self.put(if empty {
            Event::Empty(e)
        } else {
            Event::Start(e)
        })
    }

    /// A child of `worksheet`: the place of `legacyDrawing`.
    fn top_level(&mut self, e: &BytesStart) -> Result<(), PatchError> {
        let name = local(e);
        if name == "legacyDrawing" {
            if xml::attr_local(e, "id").as_deref() != Some(self.plan.legacy_rid) {
                return Err(PatchError(format!(
                    "{} : dessin des notes inattendu",
                    self.plan.part
                )));
            }
            self.legacy_done = true;
        } else if self.sheet_data_done && AFTER_LEGACY_DRAWING.contains(&name.as_str()) {
            self.ensure_legacy_drawing()?;
        }
        Ok(())
    }

    fn ensure_legacy_drawing(&mut self) -> Result<(), PatchError> {
        if self.legacy_done || !self.sheet_data_done {
            return Ok(());
        }
        self.legacy_done = true;
        let id = match &self.rel_prefix {
            Some(p) if !p.is_empty() => format!("{p}:id"),
            _ => format!("xmlns:enrxr=\"{REL_NS}\" enrxr:id"),
        };
        let s = format!(
            "<{} {id}=\"{}\"/>",
            self.el("legacyDrawing"),
            xml::esc(self.plan.legacy_rid)
        );
        self.raw(&s)
    }

    fn col(&mut self, e: &BytesStart) {
        let num = |n: &str| attr(e, n).and_then(|v| v.parse::<u32>().ok());
        if let (Some(min), Some(max), Some(style)) = (num("min"), num("max"), num("style")) {
            self.cols
                .push((min.saturating_sub(1), max.saturating_sub(1), style));
        }
    }

    /// The used range, grown to hold the flagged cells.
    fn dimension(&self, e: &BytesStart) -> Option<BytesStart<'static>> {
        let reference = attr(e, "ref")?;
        let (a, b) = reference
            .split_once(':')
            .unwrap_or((&reference, &reference));
        let (a, b) = (At::parse(a)?, At::parse(b)?);
        let (mut lo, mut hi) = (a, b);
        for (m, _) in self.plan.marks {
            lo = At {
                row: lo.row.min(m.row),
                col: lo.col.min(m.col),
            };
            hi = At {
                row: hi.row.max(m.row),
                col: hi.col.max(m.col),
            };
        }
        let grown = format!("{}:{}", lo.a1(), hi.a1());
        (grown != reference).then(|| xml::with_attrs(e, &[("ref", Some(&grown))]))
    }

    fn row(&mut self, e: BytesStart, empty: bool) -> Result<(), PatchError> {
        let number = attr(&e, "r")
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(self.last_row + 1);
        self.last_row = number;
        self.flush_rows_before(number)?;
        let flagged = self
            .plan
            .marks
            .get(self.next)
            .is_some_and(|(at, _)| at.row == number);
        let custom = attr(&e, "customFormat").is_some_and(|v| v == "1" || v == "true");
        let style = if custom {
            attr(&e, "s").and_then(|v| v.parse().ok())
        } else {
            None
        };
        self.row = Some(Row {
            number,
            style,
            last_col: None,
            flagged,
        });
        if !flagged {
            if !empty {
                self.depth += 1;
                self.skip = Some(e.name().as_ref().to_string());
            }
            return self.put(if empty {
                Event::Empty(e)
            } else {
                Event::Start(e)
            });
        }
        // The row's span hint would no longer cover its cells.
        let start = xml::with_attrs(&e, &[("spans", None)]);
        self.put(Event::Start(start.clone()))?;
        if empty {
            self.finish_row()?;
            self.put(Event::End(start.to_end().into_owned()))
        } else {
            self.depth += 1;
            Ok(())
        }
    }

    /// Before a row's end tag: the flagged cells after its last one.
    fn finish_row(&mut self) -> Result<(), PatchError> {
        if let Some(row) = self.row.take()
            && row.flagged
        {
            self.flush_cells(row.number, u32::MAX, row.style)?;
        }
        Ok(())
    }

    fn cell(&mut self, e: BytesStart<'_>) -> Result<BytesStart<'static>, PatchError> {
        let Some(row) = self.row.as_mut() else {
            return Ok(e.into_owned());
        };
        let col = attr(&e, "r")
            .and_then(|r| At::parse(&r))
            .map(|at| at.col)
            .unwrap_or_else(|| row.last_col.map_or(0, |c| c + 1));
        row.last_col = Some(col);
        let (number, style) = (row.number, row.style);
        self.flush_cells(number, col, style)?;
        match self.plan.marks.get(self.next) {
            Some(&(at, severity)) if at.row == number && at.col == col => {
                self.next += 1;
                let old = attr(&e, "s").and_then(|v| v.parse().ok()).unwrap_or(0);
                let new = self.styles.get(old, severity).to_string();
                Ok(xml::with_attrs(&e, &[("s", Some(&new))]))
            }
            _ => Ok(e.into_owned()),
        }
    }

    /// Writes the flagged cells of row `number` before column `before` that the sheet lacks.
    fn flush_cells(
        &mut self,
        number: u32,
        before: u32,
        row_style: Option<u32>,
    ) -> Result<(), PatchError> {
        let mut s = String::new();
        while let Some(&(at, severity)) = self.plan.marks.get(self.next) {
            if at.row != number || at.col >= before {
                break;
            }
            self.next += 1;
            let base = row_style.or_else(|| self.col_style(at.col)).unwrap_or(0);
            let style = self.styles.get(base, severity);
            s.push_str(&format!(
                "<{} r=\"{}\" s=\"{style}\"/>",
                self.el("c"),
                at.a1()
            ));
        }
        self.raw(&s)
    }

    fn col_style(&self, col: u32) -> Option<u32> {
        self.cols
            .iter()
            .find(|(min, max, _)| (*min..=*max).contains(&col))
            .map(|c| c.2)
    }

    /// Writes the flagged rows before row `number` that the sheet lacks.
    fn flush_rows_before(&mut self, number: u32) -> Result<(), PatchError> {
        while let Some(&(at, _)) = self.plan.marks.get(self.next) {
            if at.row >= number {
                break;
            }
            let row = self.el("row");
            self.raw(&format!("<{row} r=\"{}\">", at.row))?;
            self.flush_cells(at.row, u32::MAX, None)?;
            self.raw(&format!("</{row}>"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::package::styles::Styles;

    fn run(sheet: &str, marks: &[(At, Severity)]) -> String {
        let styles = Styles::parse(
            r#"<styleSheet><cellXfs count="3"><xf/><xf/><xf/></cellXfs></styleSheet>"#.into(),
        )
        .unwrap();
        let mut mark_styles = MarkStyles::new(&styles);
        let plan = SheetPlan {
            part: "xl/worksheets/sheet1.xml",
            marks,
            legacy_rid: "rId9",
        };
        let mut out = Vec::new();
        rewrite(sheet.as_bytes(), &mut out, &plan, &mut mark_styles).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn at(row: u32, col: u32) -> At {
        At { row, col }
    }

    #[test]
    fn fills_existing_and_missing_cells() {
        let sheet = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1:C3"/><cols><col min="4" max="4" width="9" style="2"/></cols><sheetData><row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="C1" s="2"><v>43831</v></c></row><row r="3"><c r="A3"><v>1</v></c></row></sheetData><pageMargins left="0.7"/><tableParts count="0"/></worksheet>"#;
        let marks = [
            (at(1, 1), Severity::Erreur),
            (at(1, 2), Severity::Avertissement),
            (at(2, 0), Severity::Info),
            (at(3, 3), Severity::Erreur),
            (at(5, 0), Severity::Erreur),
        ];
        let out = run(sheet, &marks);
        // Base 3 + 14 role styles: marks from 17, in the order met.
        assert!(out.contains(r#"<dimension ref="A1:D5"/>"#), "{out}");
        assert!(out.contains(r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="17"/><c r="C1" s="18"><v>43831</v></c></row>"#), "{out}");
        assert!(out.contains(r#"<row r="2"><c r="A2" s="19"/></row><row r="3"><c r="A3"><v>1</v></c><c r="D3" s="20"/></row><row r="5"><c r="A5" s="17"/></row></sheetData>"#), "{out}");
        assert!(
            out.contains(
                r#"<pageMargins left="0.7"/><legacyDrawing r:id="rId9"/><tableParts count="0"/>"#
            ),
            "{out}"
        );
    }

    #[test]
    fn prefixed_sheets_cells_without_references_and_empty_rows() {
        let sheet = r#"<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row><x:c><x:v>1</x:v></x:c><x:c/></x:row><x:row r="2" s="1" customFormat="1"/></x:sheetData></x:worksheet>"#;
        let marks = [(at(1, 1), Severity::Erreur), (at(2, 4), Severity::Info)];
        let out = run(sheet, &marks);
        assert!(
            out.contains(r#"<x:row><x:c><x:v>1</x:v></x:c><x:c s="17"/></x:row>"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<x:row r="2" s="1" customFormat="1"><x:c r="E2" s="18"/></x:row>"#),
            "{out}"
        );
        assert!(out.contains(r#"</x:sheetData><x:legacyDrawing xmlns:enrxr="http://schemas.openxmlformats.org/officeDocument/2006/relationships" enrxr:id="rId9"/></x:worksheet>"#), "{out}");
    }

    #[test]
    fn keeps_an_existing_drawing_of_notes() {
        let sheet = r#"<worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData/><legacyDrawing r:id="rId9"/></worksheet>"#;
        let out = run(sheet, &[(at(1, 0), Severity::Erreur)]);
        assert_eq!(
            out,
            r#"<worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData><row r="1"><c r="A1" s="17"/></row></sheetData><legacyDrawing r:id="rId9"/></worksheet>"#
        );
    }
}
