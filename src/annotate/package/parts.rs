//! The package around the parts: zip members found by part name, relationships, content types.

use std::collections::HashMap;
use std::io::{Read, Seek};

use quick_xml::events::Event;
use zip::ZipArchive;

use super::PatchError;
use super::xml::{self, attr, is, xml_error};

/// The members of the archive by their part name, case-insensitively (OPC names are).
pub struct Members {
    by_name: HashMap<String, usize>,
    pub names: Vec<String>,
}

impl Members {
    pub fn of<R: Read + Seek>(zip: &ZipArchive<R>) -> Result<Self, PatchError> {
        let mut by_name = HashMap::new();
        let mut names = Vec::with_capacity(zip.len());
        for i in 0..zip.len() {
            let name = zip
                .name_for_index(i)
                .and_then(Result::ok)
                .ok_or_else(|| PatchError("nom d'élément illisible dans l'archive".into()))?
                .into_owned();
            by_name.insert(name.to_ascii_lowercase(), i);
            names.push(name);
        }
        Ok(Members { by_name, names })
    }

    pub fn index(&self, part: &str) -> Option<usize> {
        self.by_name.get(&part.to_ascii_lowercase()).copied()
    }

    pub fn contains(&self, part: &str) -> bool {
        self.index(part).is_some()
    }
}

/// A whole member as text (the package's small XML parts).
pub fn read_text<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    members: &Members,
    part: &str,
) -> Result<Option<String>, PatchError> {
    let Some(i) = members.index(part) else {
        return Ok(None);
    };
    let mut file = zip
        .by_index(i)
        .map_err(|e| PatchError(format!("{part} illisible ({e})")))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(|e| PatchError(format!("{part} illisible ({e})")))?;
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(PatchError(format!("{part} est en UTF-16")));
    }
    let text =
        String::from_utf8(bytes).map_err(|_| PatchError(format!("{part} n'est pas en UTF-8")))?;
    Ok(Some(text.trim_start_matches('\u{feff}').to_string()))
}

/// A part's folder (`xl/worksheets` for `xl/worksheets/sheet1.xml`).
pub fn folder(part: &str) -> &str {
    part.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// The relationships part of a part (`xl/worksheets/_rels/sheet1.xml.rels`).
pub fn rels_of(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// A relationship's target as a part name, resolved from the part that holds it.
pub fn resolve(source: &str, target: &str) -> String {
    let target = target.split('#').next().unwrap_or(target);
    let mut segments: Vec<&str> = if let Some(absolute) = target.strip_prefix('/') {
        return normalise(absolute.split('/').collect());
    } else {
        folder(source)
            .split('/')
            .filter(|s| !s.is_empty())
            .collect()
    };
    segments.extend(target.split('/'));
    normalise(segments)
}

fn normalise(segments: Vec<&str>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for s in segments {
        match s {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

/// `target` written relative to the folder of `source` (`../comments1.xml`).
pub fn relative(source: &str, target: &str) -> String {
    let from: Vec<&str> = folder(source)
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let to: Vec<&str> = target.split('/').collect();
    let common = from
        .iter()
        .zip(&to)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to.len().saturating_sub(1));
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(to[common..].iter().map(|s| s.to_string()));
    parts.join("/")
}

#[derive(Debug, Clone)]
pub struct Relationship {
    pub id: String,
    pub kind: String,
    pub target: String,
    pub external: bool,
}

impl Relationship {
    /// The last segment of the type (`worksheet`, `comments`, `vmlDrawing`).
    pub fn is(&self, kind: &str) -> bool {
        self.kind.rsplit('/').next() == Some(kind)
    }
}

pub fn relationships(text: &str, part: &str) -> Result<Vec<Relationship>, PatchError> {
    let mut r = xml::reader(text.as_bytes());
    let mut buf = Vec::new();
    let mut out = Vec::new();
    loop {
        match r
            .read_event_into(&mut buf)
            .map_err(|e| xml_error(part, e))?
        {
            Event::Start(e) | Event::Empty(e) if is(&e, "Relationship") => {
                out.push(Relationship {
                    id: attr(&e, "Id").unwrap_or_default(),
                    kind: attr(&e, "Type").unwrap_or_default(),
                    target: attr(&e, "Target").unwrap_or_default(),
                    external: attr(&e, "TargetMode").is_some_and(|m| m == "External"),
                });
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// An id not used by `rels` (`rId7`).
pub fn fresh_id(taken: &[String]) -> String {
    (1..)
        .map(|n| format!("rId{n}"))
        .find(|id| !taken.contains(id))
        .unwrap_or_else(|| "rIdEnrx".into())
}

pub const EMPTY_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"></Relationships>";

/// `xml` with `addition` inserted just before the end tag of its root element.
pub fn append_to_root(xml_text: &str, addition: &str, part: &str) -> Result<String, PatchError> {
    let end = xml_text
        .rfind("</")
        .ok_or_else(|| xml_error(part, "élément racine sans fin"))?;
    let mut out = String::with_capacity(xml_text.len() + addition.len());
    out.push_str(&xml_text[..end]);
    out.push_str(addition);
    out.push_str(&xml_text[end..]);
    Ok(out)
}

pub fn relationship_xml(id: &str, kind: &str, target: &str) -> String {
    format!(
        "<Relationship Id=\"{}\" Type=\"{}\" Target=\"{}\"/>",
        xml::esc(id),
        xml::esc(kind),
        xml::esc(target)
    )
}

pub mod types {
    //! Relationship types and content types of the parts enrx adds or reads.
    const DOC: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    pub fn worksheet() -> String {
        format!("{DOC}/worksheet")
    }
    pub fn comments() -> String {
        format!("{DOC}/comments")
    }
    pub fn vml_drawing() -> String {
        format!("{DOC}/vmlDrawing")
    }
    pub fn styles() -> String {
        format!("{DOC}/styles")
    }
    pub const PERSON: &str = "http://schemas.microsoft.com/office/2017/10/relationships/person";
    pub const THREADED: &str =
        "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment";
    pub const CT_WORKSHEET: &str =
        "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
    pub const CT_COMMENTS: &str =
        "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml";
    pub const CT_VML: &str = "application/vnd.openxmlformats-officedocument.vmlDrawing";
    pub const CT_STYLES: &str =
        "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml";
    pub const CT_PERSON: &str = "application/vnd.ms-excel.person+xml";
    pub const CT_MACRO_WORKBOOK: &str = "application/vnd.ms-excel.sheet.macroEnabled.main+xml";
}

/// `[Content_Types].xml`: the defaults by extension and the overrides by part.
pub struct ContentTypes {
    pub text: String,
    defaults: HashMap<String, String>,
    overrides: HashMap<String, String>,
}

impl ContentTypes {
    pub fn parse(text: String) -> Result<Self, PatchError> {
        const PART: &str = "[Content_Types].xml";
        let mut defaults = HashMap::new();
        let mut overrides = HashMap::new();
        let mut r = xml::reader(text.as_bytes());
        let mut buf = Vec::new();
        loop {
            match r
                .read_event_into(&mut buf)
                .map_err(|e| xml_error(PART, e))?
            {
                Event::Start(e) | Event::Empty(e) if is(&e, "Default") => {
                    if let (Some(ext), Some(ct)) = (attr(&e, "Extension"), attr(&e, "ContentType"))
                    {
                        defaults.insert(ext.to_ascii_lowercase(), ct);
                    }
                }
                Event::Start(e) | Event::Empty(e) if is(&e, "Override") => {
                    if let (Some(p), Some(ct)) = (attr(&e, "PartName"), attr(&e, "ContentType")) {
                        overrides.insert(p.trim_start_matches('/').to_ascii_lowercase(), ct);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        Ok(ContentTypes {
            text,
            defaults,
            overrides,
        })
    }

    /// The content type of a part.
    pub fn of(&self, part: &str) -> Option<&str> {
        let lower = part.to_ascii_lowercase();
        self.overrides.get(&lower).map(String::as_str).or_else(|| {
            let ext = lower.rsplit_once('.').map(|(_, e)| e)?;
            self.defaults.get(ext).map(String::as_str)
        })
    }

    /// The content types part with an override for each part added that needs one.
    pub fn with(&self, added: &[(String, &str)]) -> Result<String, PatchError> {
        let mut addition = String::new();
        for (part, ct) in added {
            if self.of(part) != Some(*ct) {
                addition.push_str(&format!(
                    "<Override PartName=\"/{}\" ContentType=\"{}\"/>",
                    xml::esc(part),
                    ct
                ));
            }
        }
        if addition.is_empty() {
            return Ok(self.text.clone());
        }
        append_to_root(&self.text, &addition, "[Content_Types].xml")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(
            resolve("xl/workbook.xml", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/worksheets/sheet1.xml", "../comments1.xml"),
            "xl/comments1.xml"
        );
        assert_eq!(
            resolve("xl/workbook.xml", "/xl/styles.xml"),
            "xl/styles.xml"
        );
        assert_eq!(rels_of("xl/workbook.xml"), "xl/_rels/workbook.xml.rels");
        assert_eq!(
            relative("xl/worksheets/sheet1.xml", "xl/comments1.xml"),
            "../comments1.xml"
        );
        assert_eq!(
            relative("xl/worksheets/sheet1.xml", "xl/drawings/vmlDrawing1.vml"),
            "../drawings/vmlDrawing1.vml"
        );
        assert_eq!(
            relative("xl/workbook.xml", "xl/worksheets/sheet9.xml"),
            "worksheets/sheet9.xml"
        );
        assert_eq!(fresh_id(&["rId1".into(), "rId2".into()]), "rId3");
    }
}
