//! Fuzzes the streaming ODS reader. The first byte picks what the rest is: most often the
//! `content.xml` of a workbook (wrapped here in a zip with its `mimetype`, stored, so the
//! mutations reach the XML parser and its cell and repeat logic), sometimes `settings.xml`
//! beside a fixed content, sometimes the whole `.ods` file as bytes. The whole path
//! `validate` takes, row checks included.

#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;

use enrx::ingest::limits::Limits;

const CONTENT: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Feuil1"><table:table-row><table:table-cell office:value-type="string"><text:p>id</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>nom</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>type</text:p></table:table-cell></table:table-row></table:table><table:table table:name="Partenaires"><table:table-row><table:table-cell office:value-type="string"><text:p>id</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;

fn ods(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
        let stored =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, data) in entries {
            z.start_file(*name, stored).expect("entry");
            z.write_all(data).expect("write");
        }
        z.finish().expect("zip");
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let mimetype: (&str, &[u8]) = ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet");
    let file = match selector % 8 {
        0 => body.to_vec(),
        1 => ods(&[mimetype, ("settings.xml", body), ("content.xml", CONTENT)]),
        _ => ods(&[mimetype, ("content.xml", body)]),
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("depot.ods");
    std::fs::write(&path, file).expect("write");
    let limits = Limits {
        max_rows: 10_000,
        max_cells: 200_000,
        max_unzipped_bytes: 16 * 1024 * 1024,
        max_duration: std::time::Duration::from_secs(10),
        max_anomalies: 50,
        ..Limits::default()
    };
    let referential = enrx::model::Referential::parse(enrx::model::referential::BUILT_IN, "intégré")
        .expect("built-in referential");
    let Ok(found) = enrx::ingest::discover::discover(&[path], &Default::default()) else {
        return;
    };
    let _ = enrx::commands::common::check(found, true, &referential, 2020, &limits, selector % 2 == 0);
});
