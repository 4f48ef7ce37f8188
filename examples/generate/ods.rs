//! OpenDocument spreadsheet written by hand: a zip with `mimetype` first and stored, the
//! manifest, `content.xml` (one `table:table` per sheet), `styles.xml` and `meta.xml`.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

use crate::table::{Cell, DateText, MoneyText, Table, centi_text, date_text, money_text};

const MIMETYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";

const NS: &str = concat!(
    r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
    r#"xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" "#,
    r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" "#,
    r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
    r#"xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" "#,
    r#"xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" "#,
    r#"xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" "#,
    r#"xmlns:dc="http://purl.org/dc/elements/1.1/" "#,
    r#"office:version="1.2""#
);

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Text content of a cell paragraph; runs of spaces need `text:s` in ODF.
fn paragraph(s: &str) -> String {
    let mut out = String::new();
    let mut spaces = 0usize;
    let flush = |out: &mut String, n: &mut usize| {
        match *n {
            0 => {}
            1 => out.push(' '),
            k => {
                out.push(' ');
                let _ = write!(out, r#"<text:s text:c="{}"/>"#, k - 1);
            }
        }
        *n = 0;
    };
    for c in s.chars() {
        if c == ' ' {
            spaces += 1;
        } else {
            flush(&mut out, &mut spaces);
            out.push_str(&escape(&c.to_string()));
        }
    }
    flush(&mut out, &mut spaces);
    format!("<text:p>{out}</text:p>")
}

fn cell_xml(out: &mut String, cell: &Cell, style: Option<&str>) {
    let style_attr = style
        .map(|s| format!(r#" table:style-name="{s}""#))
        .unwrap_or_default();
    match cell {
        Cell::Empty => out.push_str("<table:table-cell/>"),
        Cell::Text(s) => {
            let _ = write!(
                out,
                r#"<table:table-cell{style_attr} office:value-type="string">{}</table:table-cell>"#,
                paragraph(s)
            );
        }
        Cell::Date(d) => {
            let _ = write!(
                out,
                r#"<table:table-cell table:style-name="ceDate" office:value-type="date" office:date-value="{}">{}</table:table-cell>"#,
                date_text(*d, DateText::Iso),
                paragraph(&date_text(*d, DateText::French))
            );
        }
        Cell::Money(c) => {
            let _ = write!(
                out,
                r#"<table:table-cell table:style-name="ceEuro" office:value-type="currency" office:currency="EUR" office:value="{}">{}</table:table-cell>"#,
                money_text(*c, MoneyText::Dot),
                paragraph(&money_text(*c, MoneyText::FrenchEuro))
            );
        }
        Cell::Int(i) => {
            let _ = write!(
                out,
                r#"<table:table-cell office:value-type="float" office:value="{i}">{}</table:table-cell>"#,
                paragraph(&i.to_string())
            );
        }
        Cell::Centi(v) => {
            let _ = write!(
                out,
                r#"<table:table-cell office:value-type="float" office:value="{}">{}</table:table-cell>"#,
                centi_text(*v, false),
                paragraph(&centi_text(*v, true))
            );
        }
    }
}

fn content_xml(tables: &[&Table]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {NS}>
<office:font-face-decls/>
<office:automatic-styles>
<style:style style:name="coWide" style:family="table-column"><style:table-column-properties style:column-width="8cm"/></style:style>
<style:style style:name="coNarrow" style:family="table-column"><style:table-column-properties style:column-width="2.8cm"/></style:style>
<number:date-style style:name="NDate"><number:day number:style="long"/><number:text>/</number:text><number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/></number:date-style>
<number:currency-style style:name="NEuro"><number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1" number:grouping="true"/><number:text> </number:text><number:currency-symbol number:language="fr" number:country="FR">€</number:currency-symbol></number:currency-style>
<style:style style:name="ceDate" style:family="table-cell" style:data-style-name="NDate"/>
<style:style style:name="ceEuro" style:family="table-cell" style:data-style-name="NEuro"/>
<style:style style:name="ceHead" style:family="table-cell"><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="ceTitle" style:family="table-cell"><style:text-properties fo:font-size="14pt" fo:font-weight="bold"/></style:style>
</office:automatic-styles>
<office:body>
<office:spreadsheet>
"#
    );
    for t in tables {
        let _ = writeln!(out, r#"<table:table table:name="{}">"#, escape(t.sheet));
        for h in &t.header {
            let slug = crate::ident::slug(h);
            let style = if slug.contains("intitul") || slug == "nom" || slug == "objet" {
                "coWide"
            } else {
                "coNarrow"
            };
            let _ = write!(out, r#"<table:table-column table:style-name="{style}"/>"#);
        }
        out.push('\n');
        if let Some(title) = &t.title {
            out.push_str("<table:table-row>");
            cell_xml(&mut out, &Cell::Text(title.clone()), Some("ceTitle"));
            out.push_str(
                "</table:table-row>\n<table:table-row><table:table-cell/></table:table-row>\n",
            );
        }
        out.push_str("<table:table-row>");
        for h in &t.header {
            cell_xml(&mut out, &Cell::Text(h.clone()), Some("ceHead"));
        }
        out.push_str("</table:table-row>\n");
        for row in &t.rows {
            out.push_str("<table:table-row>");
            for cell in row {
                cell_xml(&mut out, cell, None);
            }
            out.push_str("</table:table-row>\n");
        }
        out.push_str("</table:table>\n");
    }
    out.push_str("</office:spreadsheet>\n</office:body>\n</office:document-content>\n");
    out
}

fn manifest_xml() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="{MIMETYPE}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"#
    )
}

fn styles_xml() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {NS}>
<office:styles>
<style:default-style style:family="table-cell"><style:text-properties fo:font-size="10pt" fo:language="fr" fo:country="FR"/></style:default-style>
</office:styles>
</office:document-styles>
"#
    )
}

fn meta_xml(title: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta {NS}>
<office:meta>
<meta:generator>enrx generate</meta:generator>
<dc:title>{}</dc:title>
<dc:language>fr-FR</dc:language>
<meta:creation-date>2022-01-17T09:30:00</meta:creation-date>
</office:meta>
</office:document-meta>
"#,
        escape(title)
    )
}

pub fn write_ods(path: &Path, tables: &[&Table], title: &str) -> std::io::Result<()> {
    let file = std::fs::File::create(path)?;
    let mut zip = ZipWriter::new(std::io::BufWriter::new(file));
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let parts: [(&str, String, SimpleFileOptions); 5] = [
        ("mimetype", MIMETYPE.to_string(), stored),
        ("META-INF/manifest.xml", manifest_xml(), deflated),
        ("content.xml", content_xml(tables), deflated),
        ("styles.xml", styles_xml(), deflated),
        ("meta.xml", meta_xml(title), deflated),
    ];
    for (name, body, options) in parts {
        zip.start_file(name, options)
            .map_err(std::io::Error::other)?;
        zip.write_all(body.as_bytes())?;
    }
    zip.finish().map_err(std::io::Error::other)?.flush()?;
    Ok(())
}
