//! CSV as French Excel writes it: `;`, CRLF, and Windows-1252 or UTF-8 (with or without BOM).

use std::io::Write;
use std::path::Path;

use crate::table::{DateText, MoneyText, Table, cell_text};

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Encoding {
    Windows1252,
    Utf8Bom,
}

#[derive(Clone, Copy)]
pub struct Dialect {
    pub encoding: Encoding,
    pub dates: DateText,
    pub money: MoneyText,
}

pub fn writer<W: Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(w)
}

/// Encodes UTF-8 text as Windows-1252; every character must exist there.
pub fn to_windows_1252(s: &str) -> Result<Vec<u8>, String> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(s);
    if unmappable {
        let bad: String = s
            .chars()
            .filter(|c| {
                let mut b = [0u8; 4];
                encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut b)).2
            })
            .collect();
        return Err(format!("not representable in Windows-1252: {bad:?}"));
    }
    Ok(bytes.into_owned())
}

pub fn write_table(path: &Path, t: &Table, d: Dialect) -> Result<(), Box<dyn std::error::Error>> {
    let mut w = writer(Vec::new());
    w.write_record(&t.header)?;
    for row in &t.rows {
        w.write_record(row.iter().map(|c| cell_text(c, d.dates, d.money)))?;
    }
    let utf8 = String::from_utf8(w.into_inner().map_err(|e| e.to_string())?)?;
    let bytes = match d.encoding {
        Encoding::Windows1252 => to_windows_1252(&utf8)?,
        Encoding::Utf8Bom => {
            let mut b = "\u{feff}".as_bytes().to_vec();
            b.extend_from_slice(utf8.as_bytes());
            b
        }
    };
    std::fs::write(path, bytes)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_text_fits_windows_1252() {
        let b = to_windows_1252("Oise – Pays de France ; 12\u{a0}345,50\u{a0}€ ; Œuvre").unwrap();
        assert!(b.contains(&0x96)); // en dash
        assert!(b.contains(&0x80)); // euro
        assert!(b.contains(&0xA0)); // no-break space
        assert!(to_windows_1252("\u{202f}").is_err());
    }
}
