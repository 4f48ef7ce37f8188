//! `xl/workbook.xml`: the sheets it lists, and the same part with enrx's sheets put first —
//! every index that counts sheets by their place (the active tab, the first tab shown,
//! sheet-scoped names) moved along so it still points where it did.

use quick_xml::Writer;
use quick_xml::events::{BytesStart, Event};

use super::PatchError;
use super::xml::{
    self, REL_NS, attr, attr_local, is, local, prefix_for, prefix_of, qualified, xml_error,
};

const PART: &str = "xl/workbook.xml";

#[derive(Debug, Clone)]
pub struct SheetEntry {
    pub name: String,
    pub sheet_id: u32,
    pub rid: String,
}

#[derive(Debug, Clone, Default)]
pub struct WorkbookInfo {
    pub sheets: Vec<SheetEntry>,
    /// Dates counted from 1904 (old Mac workbooks) instead of 1900.
    pub date1904: bool,
}

pub fn parse(text: &str) -> Result<WorkbookInfo, PatchError> {
    let mut r = xml::reader(text.as_bytes());
    let mut buf = Vec::new();
    let mut info = WorkbookInfo::default();
    loop {
        match r
            .read_event_into(&mut buf)
            .map_err(|e| xml_error(PART, e))?
        {
            Event::Start(e) | Event::Empty(e) if is(&e, "sheet") => {
                info.sheets.push(SheetEntry {
                    name: attr(&e, "name").unwrap_or_default(),
                    sheet_id: attr(&e, "sheetId")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0),
                    rid: attr_local(&e, "id").unwrap_or_default(),
                });
            }
            Event::Start(e) | Event::Empty(e) if is(&e, "workbookPr") => {
                info.date1904 = attr(&e, "date1904").is_some_and(|v| v == "1" || v == "true");
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(info)
}

/// A sheet enrx adds, and the filter of its table when it has one (`$A$5:$G$20`).
pub struct NewSheet {
    pub name: String,
    pub sheet_id: u32,
    pub rid: String,
    pub filter: Option<String>,
}

/// Elements that follow `definedNames` in a workbook: a missing `definedNames` goes before them.
const AFTER_DEFINED_NAMES: &[&str] = &[
    "calcPr",
    "oleSize",
    "customWorkbookViews",
    "pivotCaches",
    "smartTagPr",
    "smartTagTypes",
    "webPublishing",
    "fileRecoveryPr",
    "webPublishObjects",
    "extLst",
];

struct Rewriter<'a> {
    w: Writer<Vec<u8>>,
    added: &'a [NewSheet],
    prefix: String,
    rel: Option<String>,
    depth: usize,
    names_written: bool,
    sheets_seen: bool,
}

/// The workbook with `added` listed first, in that order.
pub fn rewrite(text: &str, added: &[NewSheet]) -> Result<Vec<u8>, PatchError> {
    let mut r = xml::reader(text.as_bytes());
    let mut buf = Vec::new();
    let mut rw = Rewriter {
        w: Writer::new(Vec::with_capacity(text.len() + 1024)),
        added,
        prefix: String::new(),
        rel: None,
        depth: 0,
        names_written: false,
        sheets_seen: false,
    };
    loop {
        let event = r
            .read_event_into(&mut buf)
            .map_err(|e| xml_error(PART, e))?;
        if matches!(event, Event::Eof) {
            break;
        }
        rw.event(event)?;
        buf.clear();
    }
    Ok(rw.w.into_inner())
}

impl Rewriter<'_> {
    fn raw(&mut self, s: &str) -> Result<(), PatchError> {
        use std::io::Write;
        self.w
            .get_mut()
            .write_all(s.as_bytes())
            .map_err(|e| xml_error(PART, e))
    }

    fn put(&mut self, e: Event) -> Result<(), PatchError> {
        self.w.write_event(e).map_err(|e| xml_error(PART, e))
    }

    fn shift(&self, e: &BytesStart, name: &str, absent_is_zero: bool) -> Option<(String, String)> {
        let n = self.added.len() as u32;
        match attr(e, name).and_then(|v| v.parse::<u32>().ok()) {
            Some(v) => Some((name.to_string(), (v + n).to_string())),
            None if absent_is_zero => Some((name.to_string(), n.to_string())),
            None => None,
        }
    }

    fn start(
        &mut self,
        e: &BytesStart,
        empty: bool,
    ) -> Result<Option<BytesStart<'static>>, PatchError> {
        let name = local(e);
        if self.depth == 0 {
            self.prefix = prefix_of(e);
            self.rel = prefix_for(e, REL_NS);
        }
        if self.depth == 1
            && self.sheets_seen
            && !self.names_written
            && AFTER_DEFINED_NAMES.contains(&name.as_str())
        {
            self.defined_names_element()?;
        }
        let _ = empty;
        Ok(match name.as_str() {
            "workbookView" => {
                let changes: Vec<(String, String)> = [
                    self.shift(e, "activeTab", true),
                    self.shift(e, "firstSheet", false),
                ]
                .into_iter()
                .flatten()
                .collect();
                let refs: Vec<(&str, Option<&str>)> = changes
                    .iter()
                    .map(|(k, v)| (k.as_str(), Some(v.as_str())))
                    .collect();
                Some(xml::with_attrs(e, &refs))
            }
            "definedName" => self
                .shift(e, "localSheetId", false)
                .map(|(k, v)| xml::with_attrs(e, &[(k.as_str(), Some(v.as_str()))])),
            _ => None,
        })
    }

    fn event(&mut self, event: Event) -> Result<(), PatchError> {
        match event {
            Event::Start(e) => {
                let changed = self.start(&e, false)?;
                self.depth += 1;
                let name = local(&e);
                match changed {
                    Some(c) => self.put(Event::Start(c))?,
                    None => self.put(Event::Start(e))?,
                }
                if name == "sheets" && self.depth == 2 {
                    self.sheets_seen = true;
                    self.new_sheets()?;
                }
            }
            Event::Empty(e) => {
                let changed = self.start(&e, true)?;
                if local(&e) == "definedNames" && self.depth == 1 {
                    self.defined_names_element()?;
                    return Ok(());
                }
                match changed {
                    Some(c) => self.put(Event::Empty(c))?,
                    None => self.put(Event::Empty(e))?,
                }
            }
            Event::End(e) => {
                let name = e.local_name().as_ref().to_string();
                if name == "definedNames" && self.depth == 2 {
                    self.filter_names()?;
                    self.names_written = true;
                }
                if self.depth == 1 && self.sheets_seen && !self.names_written {
                    self.defined_names_element()?;
                }
                self.depth = self.depth.saturating_sub(1);
                self.put(Event::End(e))?;
            }
            other => self.put(other)?,
        }
        Ok(())
    }

    fn new_sheets(&mut self) -> Result<(), PatchError> {
        let sheet = qualified(&self.prefix, "sheet");
        let id_attr = match &self.rel {
            Some(p) if !p.is_empty() => format!("{p}:id"),
            _ => format!("xmlns:enrxr=\"{REL_NS}\" enrxr:id"),
        };
        let mut s = String::new();
        for n in self.added {
            s.push_str(&format!(
                "<{sheet} name=\"{}\" sheetId=\"{}\" {id_attr}=\"{}\"/>",
                xml::esc(&n.name),
                n.sheet_id,
                xml::esc(&n.rid)
            ));
        }
        self.raw(&s)
    }

    /// The hidden names that hold the filters of the sheets added.
    fn filter_names(&mut self) -> Result<(), PatchError> {
        let el = qualified(&self.prefix, "definedName");
        let mut s = String::new();
        for (i, n) in self.added.iter().enumerate() {
            if let Some(range) = &n.filter {
                s.push_str(&format!(
                    "<{el} name=\"_xlnm._FilterDatabase\" localSheetId=\"{i}\" hidden=\"1\">{}</{el}>",
                    xml::esc_text(&format!("'{}'!{range}", n.name.replace('\'', "''")))
                ));
            }
        }
        self.raw(&s)
    }

    fn defined_names_element(&mut self) -> Result<(), PatchError> {
        self.names_written = true;
        if self.added.iter().all(|n| n.filter.is_none()) {
            return Ok(());
        }
        let el = qualified(&self.prefix, "definedNames");
        self.raw(&format!("<{el}>"))?;
        self.filter_names()?;
        self.raw(&format!("</{el}>"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn puts_the_new_sheets_first_and_moves_every_index() {
        let text = r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView activeTab="1" firstSheet="1"/></bookViews><sheets><sheet name="Conventions" sheetId="1" r:id="rId1"/><sheet name="Partenaires" sheetId="2" r:id="rId2"/></sheets><definedNames><definedName name="zone" localSheetId="1">Partenaires!$A$1</definedName><definedName name="g">Conventions!$A$1</definedName></definedNames><calcPr calcId="1"/></workbook>"#;
        let info = parse(text).unwrap();
        assert_eq!(info.sheets.len(), 2);
        assert_eq!(info.sheets[1].rid, "rId2");
        let added = [
            NewSheet {
                name: "Anomalies".into(),
                sheet_id: 3,
                rid: "rId9".into(),
                filter: Some("$A$5:$G$9".into()),
            },
            NewSheet {
                name: "Vos chiffres".into(),
                sheet_id: 4,
                rid: "rId10".into(),
                filter: None,
            },
        ];
        let out = String::from_utf8(rewrite(text, &added).unwrap()).unwrap();
        assert!(
            out.contains(r#"<workbookView activeTab="3" firstSheet="3"/>"#),
            "{out}"
        );
        assert!(out.contains(r#"<sheets><sheet name="Anomalies" sheetId="3" r:id="rId9"/><sheet name="Vos chiffres" sheetId="4" r:id="rId10"/><sheet name="Conventions""#), "{out}");
        assert!(
            out.contains(r#"<definedName name="zone" localSheetId="3">"#),
            "{out}"
        );
        assert!(out.contains(r#"<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'Anomalies'!$A$5:$G$9</definedName></definedNames>"#), "{out}");
        let info = parse(&out).unwrap();
        assert_eq!(info.sheets[0].name, "Anomalies");
    }

    #[test]
    fn adds_defined_names_and_the_active_tab_when_absent() {
        let text = r#"<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:bookViews><x:workbookView/></x:bookViews><x:sheets><x:sheet name="A" sheetId="1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"/></x:sheets><x:calcPr/></x:workbook>"#;
        let added = [NewSheet {
            name: "Anomalies".into(),
            sheet_id: 2,
            rid: "rId2".into(),
            filter: Some("$A$5:$G$6".into()),
        }];
        let out = String::from_utf8(rewrite(text, &added).unwrap()).unwrap();
        assert!(out.contains(r#"<x:workbookView activeTab="1"/>"#), "{out}");
        assert!(
            out.contains(r#"<x:sheets><x:sheet name="Anomalies" sheetId="2" xmlns:enrxr="#),
            "{out}"
        );
        assert!(out.contains(r#"</x:sheets><x:definedNames><x:definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'Anomalies'!$A$5:$G$6</x:definedName></x:definedNames><x:calcPr/>"#), "{out}");
    }
}
