//! Which reader a file goes to: decided by its content, the extension only breaking ties, as a
//! spreadsheet application does. A workbook renamed to another workbook extension, or a text
//! export saved under `.xls`, is still read; a PDF, a web page or an Excel 2003 XML file named
//! like a workbook is said to be what it is.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::discover;
use super::limits::Refusal;
use super::workbook::{self, WorkbookFormat};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Workbook(WorkbookFormat),
    Csv,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// How much of the file's start is looked at.
const HEAD_BYTES: u64 = 512;

/// The format of the open `file`, named `path`.
pub fn of(path: &Path, file: &File) -> Result<Format, Refusal> {
    let mut head = Vec::with_capacity(HEAD_BYTES as usize);
    super::rewound(file)
        .and_then(|f| f.take(HEAD_BYTES).read_to_end(&mut head))
        .map_err(super::io_refusal)?;
    match sniff(path, &head)? {
        // The parts inside the archive say which workbook it is, whatever its name.
        Format::Workbook(WorkbookFormat::Xlsx | WorkbookFormat::Xlsb | WorkbookFormat::Ods) => Ok(
            Format::Workbook(zip_content(file).unwrap_or(by_extension(path))),
        ),
        format => Ok(format),
    }
}

/// The extension of a workbook format (`xlsx`, `xls`…) the file is named with, if it is.
pub fn workbook_extension(path: &Path) -> Option<String> {
    let ext = extension(path);
    WORKBOOK_EXTENSIONS.contains(&ext.as_str()).then_some(ext)
}

const WORKBOOK_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// A zip-based workbook as its extension names it.
fn by_extension(path: &Path) -> WorkbookFormat {
    match extension(path).as_str() {
        "xlsb" => WorkbookFormat::Xlsb,
        "ods" => WorkbookFormat::Ods,
        _ => WorkbookFormat::Xlsx,
    }
}

/// The workbook a zip archive holds, from the names of its parts; `None` when they say nothing
/// (the archive's own checks come later).
fn zip_content(file: &File) -> Option<WorkbookFormat> {
    let file = super::rewound(file).ok()?;
    let archive = zip::ZipArchive::new(std::io::BufReader::new(file)).ok()?;
    let has = |name: &str| {
        archive
            .file_names()
            .any(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case(name)))
    };
    if has("content.xml") && has("mimetype") {
        Some(WorkbookFormat::Ods)
    } else if has("xl/workbook.bin") {
        Some(WorkbookFormat::Xlsb)
    } else if has("xl/workbook.xml") {
        Some(WorkbookFormat::Xlsx)
    } else {
        None
    }
}

/// The format from the file's first bytes, its extension breaking ties.
fn sniff(path: &Path, head: &[u8]) -> Result<Format, Refusal> {
    let ext = extension(path);
    if head.is_empty() {
        return Err(Refusal::Unreadable("fichier vide".into()));
    }
    if head.starts_with(ZIP_MAGIC) {
        return Ok(Format::Workbook(by_extension(path)));
    }
    if head.starts_with(CFB_MAGIC) {
        return match ext.as_str() {
            // An OOXML file inside an OLE container is how Office stores an encrypted workbook.
            "xlsx" | "xlsm" | "xlsb" => Err(workbook::encrypted()),
            _ => Ok(Format::Workbook(WorkbookFormat::Xls)),
        };
    }
    if head.starts_with(b"%PDF") {
        return Err(Refusal::Unreadable(
            "c'est un document PDF, pas un tableur : envoyez le classeur d'origine".into(),
        ));
    }
    if let Some(refusal) = markup(head) {
        return Err(refusal);
    }
    match ext.as_str() {
        "csv" | "txt" => Ok(Format::Csv),
        // Text saved under a workbook's name (an application's « export Excel »): read as the
        // text it is, as a spreadsheet application opens it.
        ext if WORKBOOK_EXTENSIONS.contains(&ext) && looks_like_text(head) => Ok(Format::Csv),
        ext if WORKBOOK_EXTENSIONS.contains(&ext) => Err(Refusal::Unreadable(format!(
            "ce n'est pas un classeur {ext} valide (contenu non reconnu)"
        ))),
        _ => Err(Refusal::Unreadable(format!(
            "format non pris en charge (extensions lues : {})",
            discover::EXTENSIONS.join(", ")
        ))),
    }
}

/// A web page or an Excel 2003 XML workbook: what applications' « export Excel » often give,
/// that no reader of ours reads, but that a spreadsheet application converts in two clicks.
fn markup(head: &[u8]) -> Option<Refusal> {
    let text = String::from_utf8_lossy(head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head));
    let text = text.trim_start().to_ascii_lowercase();
    if !text.starts_with('<') {
        return None;
    }
    if text.contains("urn:schemas-microsoft-com:office:spreadsheet") {
        return Some(Refusal::Unreadable(
            "c'est un classeur « XML 2003 » d'Excel, format que enrx ne lit pas : ouvrez-le \
             dans Excel ou LibreOffice et enregistrez-le en classeur xlsx"
                .into(),
        ));
    }
    if ["<html", "<!doctype html", "<table"]
        .iter()
        .any(|tag| text.contains(tag))
    {
        return Some(Refusal::Unreadable(
            "c'est une page web (HTML) et non un tableur : ouvrez-la dans Excel ou LibreOffice \
             et enregistrez-la en classeur xlsx"
                .into(),
        ));
    }
    None
}

/// UTF-16 with its byte order mark (Excel's « Texte Unicode »), or no control byte but tabs
/// and line ends: text, whatever its encoding (a binary file has some in its first bytes).
fn looks_like_text(head: &[u8]) -> bool {
    head.starts_with(&[0xFF, 0xFE])
        || head.starts_with(&[0xFE, 0xFF])
        || head
            .iter()
            .all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_first() {
        let p = Path::new("x.xlsx");
        assert_eq!(
            sniff(p, b"PK\x03\x04rest").unwrap(),
            Format::Workbook(WorkbookFormat::Xlsx)
        );
        assert!(sniff(p, CFB_MAGIC).is_err(), "an encrypted xlsx");
        assert!(matches!(sniff(p, b"%PDF-1.7"), Err(Refusal::Unreadable(m)) if m.contains("PDF")));
        assert!(matches!(sniff(p, b""), Err(Refusal::Unreadable(m)) if m.contains("vide")));
        assert_eq!(
            sniff(Path::new("a.xls"), CFB_MAGIC).unwrap(),
            Format::Workbook(WorkbookFormat::Xls)
        );
        assert_eq!(sniff(Path::new("a.csv"), b"id;nom").unwrap(), Format::Csv);
    }

    #[test]
    fn text_under_a_workbook_name_is_read_as_text() {
        for name in ["export.xls", "export.xlsx", "export.ods"] {
            let p = Path::new(name);
            assert_eq!(sniff(p, b"id\tintitule\r\nC-1\tx").unwrap(), Format::Csv);
            assert_eq!(sniff(p, "id;intitulé".as_bytes()).unwrap(), Format::Csv);
            // Windows-1252 « é » is not a control byte.
            assert_eq!(sniff(p, b"id;intitul\xe9").unwrap(), Format::Csv);
            assert_eq!(sniff(p, b"\xFF\xFEi\0d\0\t\0").unwrap(), Format::Csv);
        }
        let binary = sniff(Path::new("x.xls"), b"\x09\x08\x10\x00\x00\x06\x05\x00");
        assert!(matches!(binary, Err(Refusal::Unreadable(m)) if m.contains("contenu non reconnu")));
    }

    #[test]
    fn web_pages_and_excel_2003_xml_are_named() {
        let page = b"\xEF\xBB\xBF\r\n<!DOCTYPE html><html><body><table><tr><td>id</td>";
        let told = sniff(Path::new("export.xls"), page);
        assert!(matches!(told, Err(Refusal::Unreadable(m)) if m.contains("page web (HTML)")));
        let bare = sniff(Path::new("export.xls"), b"<table border=1><tr><td>id</td>");
        assert!(matches!(bare, Err(Refusal::Unreadable(m)) if m.contains("page web")));
        let xml = b"<?xml version=\"1.0\"?>\n<?mso-application progid=\"Excel.Sheet\"?>\n\
                    <Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">";
        let told = sniff(Path::new("export.xls"), xml);
        assert!(matches!(told, Err(Refusal::Unreadable(m)) if m.contains("XML 2003")));
        // A CSV whose first field starts with « < » is still a CSV.
        assert_eq!(sniff(Path::new("a.csv"), b"<id>;nom").unwrap(), Format::Csv);
    }

    #[test]
    fn a_workbook_under_another_workbook_name_is_read_as_what_it_holds() {
        let dir = tempfile::tempdir().unwrap();
        let xlsx = dir.path().join("depot.ods");
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.add_worksheet().write(0, 0, "id").unwrap();
        wb.save(&xlsx).unwrap();
        let file = File::open(&xlsx).unwrap();
        assert_eq!(
            of(&xlsx, &file).unwrap(),
            Format::Workbook(WorkbookFormat::Xlsx)
        );
        let ods = dir.path().join("depot.xlsx");
        let mut zip = zip::ZipWriter::new(File::create(&ods).unwrap());
        let stored = zip::write::SimpleFileOptions::default();
        zip.start_file("mimetype", stored).unwrap();
        std::io::Write::write_all(&mut zip, b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        zip.start_file("content.xml", stored).unwrap();
        zip.finish().unwrap();
        let file = File::open(&ods).unwrap();
        assert_eq!(
            of(&ods, &file).unwrap(),
            Format::Workbook(WorkbookFormat::Ods)
        );
    }
}
