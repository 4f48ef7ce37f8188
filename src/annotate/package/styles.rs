//! `xl/styles.xml`: the workbook's styles with enrx's appended — the fills of the three
//! severities, the looks of the added sheets, and for each style a flagged cell had, the same
//! style with the fill of its severity (so a date stays a date).

use std::collections::HashMap;

use quick_xml::Writer;
use quick_xml::events::{BytesStart, Event};

use super::PatchError;
use super::xml::{self, attr, local, prefix_of, qualified, xml_error};
use crate::annotate::grid::Role;
use crate::diagnostic::Severity;

const PART: &str = "xl/styles.xml";

/// Light red, light orange, light blue.
pub fn fill_colour(severity: Severity) -> &'static str {
    match severity {
        Severity::Erreur => "FFFFC7CE",
        Severity::Avertissement => "FFFFDDB3",
        Severity::Info => "FFDDEBF7",
    }
}

const HEADER_FILL: &str = "FFE7E6E6";

/// A styles part for a package that has none.
pub const MINIMAL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts><fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills><borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs><cellXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/></cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>";

/// A cell format of `cellXfs`, as written: its start tag, and what follows up to its end.
#[derive(Debug, Clone)]
struct Xf {
    start: BytesStart<'static>,
    /// Children and end tag; empty for `<xf .../>`.
    rest: String,
}

/// What the styles part holds, counted.
#[derive(Debug)]
pub struct Styles {
    text: String,
    xfs: Vec<Xf>,
    fonts: u32,
    fills: u32,
    borders: u32,
    max_numfmt: u32,
    has_numfmts: bool,
}

const ADDED_FONTS: u32 = 5;
const ADDED_FILLS: u32 = 4;

impl Styles {
    pub fn parse(text: String) -> Result<Styles, PatchError> {
        let mut r = xml::reader(text.as_bytes());
        let mut buf = Vec::new();
        let mut s = Styles {
            text: String::new(),
            xfs: Vec::new(),
            fonts: 0,
            fills: 0,
            borders: 0,
            max_numfmt: 163,
            has_numfmts: false,
        };
        let mut path: Vec<String> = Vec::new();
        let mut capture: Option<(Xf, Writer<Vec<u8>>, usize)> = None;
        loop {
            let event = r
                .read_event_into(&mut buf)
                .map_err(|e| xml_error(PART, e))?;
            if let Some((_, w, depth)) = capture.as_mut() {
                let ends = matches!(&event, Event::End(_)) && path.len() == *depth;
                if let Event::End(_) = &event {
                    path.pop();
                } else if let Event::Start(e) = &event {
                    path.push(local(e));
                }
                w.write_event(event.borrow())
                    .map_err(|e| xml_error(PART, e))?;
                if ends && let Some((mut xf, w, _)) = capture.take() {
                    xf.rest = String::from_utf8_lossy(&w.into_inner()).into_owned();
                    s.xfs.push(xf);
                }
                buf.clear();
                continue;
            }
            match event {
                Event::Start(e) => {
                    s.count(&e, &path);
                    path.push(local(&e));
                    if path.len() == 3 && path[1] == "cellXfs" && path[2] == "xf" {
                        let xf = Xf {
                            start: e.into_owned(),
                            rest: String::new(),
                        };
                        capture = Some((xf, Writer::new(Vec::new()), path.len()));
                    }
                }
                Event::Empty(e) => {
                    s.count(&e, &path);
                    if path.len() == 2 && path[1] == "cellXfs" && local(&e) == "xf" {
                        s.xfs.push(Xf {
                            start: e.into_owned(),
                            rest: String::new(),
                        });
                    }
                }
                Event::End(_) => {
                    path.pop();
                }
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        if s.xfs.is_empty() {
            return Err(PatchError(
                "styles sans formats de cellule (cellXfs)".into(),
            ));
        }
        s.text = text;
        Ok(s)
    }

    fn count(&mut self, e: &BytesStart, path: &[String]) {
        let name = local(e);
        if path.len() == 1 && name == "numFmts" {
            self.has_numfmts = true;
        }
        if path.len() != 2 {
            return;
        }
        match (path[1].as_str(), name.as_str()) {
            ("fonts", "font") => self.fonts += 1,
            ("fills", "fill") => self.fills += 1,
            ("borders", "border") => self.borders += 1,
            ("numFmts", "numFmt") => {
                if let Some(id) = attr(e, "numFmtId").and_then(|v| v.parse::<u32>().ok()) {
                    self.max_numfmt = self.max_numfmt.max(id);
                }
            }
            _ => {}
        }
    }

    /// The cell formats the workbook had.
    pub fn xf_count(&self) -> u32 {
        self.xfs.len() as u32
    }

    /// The style of a role of the added sheets.
    pub fn role(&self, role: Role) -> u32 {
        self.xf_count() + role.index() as u32
    }

    /// Where the styles of flagged cells begin.
    pub fn marks_base(&self) -> u32 {
        self.xf_count() + Role::ALL.len() as u32
    }

    fn fill_of(&self, severity: Severity) -> u32 {
        self.fills
            + match severity {
                Severity::Erreur => 0,
                Severity::Avertissement => 1,
                Severity::Info => 2,
            }
    }

    fn money_format(&self) -> u32 {
        self.max_numfmt + 1
    }

    fn date_format(&self) -> u32 {
        self.max_numfmt + 2
    }

    /// The styles part with enrx's styles, then one per (old style, severity) of `marks`.
    pub fn rewrite(&self, marks: &[(u32, Severity)]) -> Result<Vec<u8>, PatchError> {
        let mut r = xml::reader(self.text.as_bytes());
        let mut buf = Vec::new();
        let mut w = Writer::new(Vec::with_capacity(self.text.len() + 4096));
        let mut depth = 0usize;
        let mut prefix = String::new();
        loop {
            let event = r
                .read_event_into(&mut buf)
                .map_err(|e| xml_error(PART, e))?;
            match event {
                Event::Eof => break,
                Event::Start(e) => {
                    depth += 1;
                    if depth == 1 {
                        prefix = prefix_of(&e);
                        w.write_event(Event::Start(e))
                            .map_err(|e| xml_error(PART, e))?;
                        if !self.has_numfmts {
                            let el = qualified(&prefix, "numFmts");
                            raw(
                                &mut w,
                                &format!("<{el} count=\"2\">{}</{el}>", self.numfmts(&prefix)),
                            )?;
                        }
                        buf.clear();
                        continue;
                    }
                    let added = (depth == 2)
                        .then(|| self.added(&local(&e), &prefix, marks))
                        .flatten();
                    match added {
                        Some((n, _)) => {
                            let start = self.recount(&e, n);
                            w.write_event(Event::Start(start))
                                .map_err(|e| xml_error(PART, e))?;
                        }
                        None => w
                            .write_event(Event::Start(e))
                            .map_err(|e| xml_error(PART, e))?,
                    }
                }
                Event::Empty(e) => {
                    match (depth == 1)
                        .then(|| self.added(&local(&e), &prefix, marks))
                        .flatten()
                    {
                        Some((n, xml_added)) => {
                            let start = self.recount(&e, n);
                            let end = start.to_end().into_owned();
                            w.write_event(Event::Start(start))
                                .map_err(|e| xml_error(PART, e))?;
                            raw(&mut w, &xml_added)?;
                            w.write_event(Event::End(end))
                                .map_err(|e| xml_error(PART, e))?;
                        }
                        None => w
                            .write_event(Event::Empty(e))
                            .map_err(|e| xml_error(PART, e))?,
                    }
                }
                Event::End(e) => {
                    if depth == 2 {
                        let name = e.local_name().as_ref().to_string();
                        if let Some((_, xml_added)) = self.added(&name, &prefix, marks) {
                            raw(&mut w, &xml_added)?;
                        }
                    }
                    depth = depth.saturating_sub(1);
                    w.write_event(Event::End(e))
                        .map_err(|e| xml_error(PART, e))?;
                }
                other => w.write_event(other).map_err(|e| xml_error(PART, e))?,
            }
            buf.clear();
        }
        Ok(w.into_inner())
    }

    /// The children enrx adds to a collection of the styles part, and how many.
    fn added(&self, collection: &str, p: &str, marks: &[(u32, Severity)]) -> Option<(u32, String)> {
        Some(match collection {
            "numFmts" => (2, self.numfmts(p)),
            "fonts" => (ADDED_FONTS, fonts(p)),
            "fills" => (ADDED_FILLS, fills(p)),
            "borders" => (1, border(p)),
            "cellXfs" => (
                Role::ALL.len() as u32 + marks.len() as u32,
                format!("{}{}", self.role_xfs(p), self.mark_xfs(marks)?),
            ),
            _ => return None,
        })
    }

    fn recount(&self, e: &BytesStart, added: u32) -> BytesStart<'static> {
        let counted = match local(e).as_str() {
            "fonts" => self.fonts,
            "fills" => self.fills,
            "borders" => self.borders,
            "cellXfs" => self.xf_count(),
            _ => attr(e, "count").and_then(|c| c.parse().ok()).unwrap_or(0),
        };
        let count = (counted + added).to_string();
        xml::with_attrs(e, &[("count", Some(&count))])
    }

    fn numfmts(&self, p: &str) -> String {
        let el = qualified(p, "numFmt");
        format!(
            "<{el} numFmtId=\"{}\" formatCode=\"#,##0.00\\ &quot;€&quot;\"/><{el} numFmtId=\"{}\" formatCode=\"dd/mm/yyyy\"/>",
            self.money_format(),
            self.date_format()
        )
    }

    fn role_xfs(&self, p: &str) -> String {
        let el = qualified(p, "xf");
        let al = qualified(p, "alignment");
        let (f, l, b) = (self.fonts, self.fills, self.borders);
        Role::ALL
            .iter()
            .map(|role| {
                // (number format, font, fill, border, wrap)
                let (numfmt, font, fill, border, wrap) = match role {
                    Role::Text => (0, 0, 0, 0, true),
                    Role::Title => (0, f + 1, 0, 0, true),
                    Role::Section => (0, f + 2, 0, 0, true),
                    Role::Note => (0, f + 3, 0, 0, true),
                    Role::Header => (0, f, l + 3, b, true),
                    Role::Link => (0, f + 4, 0, 0, false),
                    Role::Money => (self.money_format(), 0, 0, 0, false),
                    Role::Count => (3, 0, 0, 0, false),
                    Role::Quantity => (0, 0, 0, 0, false),
                    Role::Percent => (10, 0, 0, 0, false),
                    Role::Date => (self.date_format(), 0, 0, 0, false),
                    Role::Severity(s) => (0, f, self.fill_of(*s), 0, false),
                };
                format!(
                    "<{el} numFmtId=\"{numfmt}\" fontId=\"{font}\" fillId=\"{fill}\" borderId=\"{border}\" xfId=\"0\" applyNumberFormat=\"1\" applyFont=\"1\" applyFill=\"1\" applyBorder=\"1\" applyAlignment=\"1\"><{al} vertical=\"top\"{}/></{el}>",
                    if wrap { " wrapText=\"1\"" } else { "" }
                )
            })
            .collect()
    }

    /// Each flagged cell's old style with the fill of its severity.
    fn mark_xfs(&self, marks: &[(u32, Severity)]) -> Option<String> {
        let mut out = String::new();
        for &(old, severity) in marks {
            let xf = self.xfs.get(old as usize).unwrap_or(&self.xfs[0]);
            let fill = self.fill_of(severity).to_string();
            let start = xml::with_attrs(
                &xf.start,
                &[("fillId", Some(&fill)), ("applyFill", Some("1"))],
            );
            if xf.rest.is_empty() {
                out.push_str(&format!("<{}/>", &*start));
            } else {
                out.push_str(&format!("<{}>{}", &*start, xf.rest));
            }
        }
        Some(out)
    }
}

fn raw(w: &mut Writer<Vec<u8>>, s: &str) -> Result<(), PatchError> {
    use std::io::Write;
    w.get_mut()
        .write_all(s.as_bytes())
        .map_err(|e| xml_error(PART, e))
}

fn fonts(p: &str) -> String {
    let font = |inner: &str| {
        let el = qualified(p, "font");
        format!(
            "<{el}>{inner}<{sz} val=\"{{}}\"/><{name} val=\"Calibri\"/><{family} val=\"2\"/></{el}>",
            sz = qualified(p, "sz"),
            name = qualified(p, "name"),
            family = qualified(p, "family"),
        )
    };
    let with_size = |inner: &str, size: u32| font(inner).replace("{}", &size.to_string());
    let b = format!("<{}/>", qualified(p, "b"));
    let i = format!("<{}/>", qualified(p, "i"));
    let u = format!("<{}/>", qualified(p, "u"));
    let colour = |rgb: &str| format!("<{} rgb=\"{rgb}\"/>", qualified(p, "color"));
    [
        with_size(&b, 11),
        with_size(&b, 14),
        with_size(&b, 12),
        with_size(&format!("{i}{}", colour("FF595959")), 10),
        with_size(&format!("{u}{}", colour("FF0563C1")), 11),
    ]
    .concat()
}

fn fills(p: &str) -> String {
    let fill = |rgb: &str| {
        format!(
            "<{f}><{pf} patternType=\"solid\"><{fg} rgb=\"{rgb}\"/><{bg} indexed=\"64\"/></{pf}></{f}>",
            f = qualified(p, "fill"),
            pf = qualified(p, "patternFill"),
            fg = qualified(p, "fgColor"),
            bg = qualified(p, "bgColor"),
        )
    };
    [
        fill(fill_colour(Severity::Erreur)),
        fill(fill_colour(Severity::Avertissement)),
        fill(fill_colour(Severity::Info)),
        fill(HEADER_FILL),
    ]
    .concat()
}

fn border(p: &str) -> String {
    let q = |n: &str| qualified(p, n);
    format!(
        "<{b}><{l}/><{r}/><{t}/><{bo} style=\"thin\"><{c} rgb=\"FF808080\"/></{bo}><{d}/></{b}>",
        b = q("border"),
        l = q("left"),
        r = q("right"),
        t = q("top"),
        bo = q("bottom"),
        c = q("color"),
        d = q("diagonal"),
    )
}

/// The styles of flagged cells, given out as they are met: (old style, severity) → new style.
#[derive(Debug, Default)]
pub struct MarkStyles {
    base: u32,
    /// How many styles the workbook had: an unknown old style is taken as the default one.
    known: u32,
    given: HashMap<(u32, Severity), u32>,
    pub order: Vec<(u32, Severity)>,
}

impl MarkStyles {
    pub fn new(styles: &Styles) -> Self {
        MarkStyles {
            base: styles.marks_base(),
            known: styles.xf_count(),
            ..Default::default()
        }
    }

    pub fn get(&mut self, old: u32, severity: Severity) -> u32 {
        let old = if old < self.known { old } else { 0 };
        if let Some(&id) = self.given.get(&(old, severity)) {
            return id;
        }
        let id = self.base + self.order.len() as u32;
        self.order.push((old, severity));
        self.given.insert((old, severity), id);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES: &str = r#"<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><fonts count="1"><font><sz val="11"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"><alignment horizontal="left"/></xf></cellXfs></styleSheet>"#;

    #[test]
    fn a_flagged_date_keeps_its_format() {
        let s = Styles::parse(STYLES.to_string()).unwrap();
        assert_eq!(s.xf_count(), 2);
        let mut marks = MarkStyles::new(&s);
        assert_eq!(marks.get(1, Severity::Erreur), 2 + 14);
        assert_eq!(marks.get(1, Severity::Erreur), 2 + 14);
        assert_eq!(marks.get(0, Severity::Info), 2 + 15);
        assert_eq!(
            marks.get(99, Severity::Info),
            2 + 15,
            "unknown style: the default one"
        );
        let out = String::from_utf8(s.rewrite(&marks.order).unwrap()).unwrap();
        assert!(out.contains(r#"<cellXfs count="18">"#), "{out}");
        assert!(out.contains(r#"<fills count="6">"#), "{out}");
        assert!(out.contains(r#"<numFmts count="3">"#), "{out}");
        assert!(
            out.contains(r##"<numFmt numFmtId="165" formatCode="#,##0.00\ &quot;€&quot;"/>"##),
            "{out}"
        );
        assert!(
            out.contains(r#"<xf numFmtId="164" fontId="0" borderId="0" xfId="0" applyNumberFormat="1" fillId="2" applyFill="1"><alignment horizontal="left"/></xf>"#),
            "{out}"
        );
        assert!(out.contains("FFFFC7CE"));
        // The rewritten part parses again, with every style counted.
        let again =
            Styles::parse(String::from_utf8(s.rewrite(&marks.order).unwrap()).unwrap()).unwrap();
        assert_eq!(again.xf_count(), 18);
        assert_eq!(again.fills, 6);
    }
}
