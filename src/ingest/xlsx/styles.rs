//! Which cell styles are dates: `xl/styles.xml`'s number formats (`numFmts`) and cell formats
//! (`cellXfs`), read with the rule calamine uses (its `formats.rs`, MIT), so that a date reads
//! the same as before.

use std::collections::HashMap;

use quick_xml::events::Event;

use super::xml::{Xml, attribute};
use crate::ingest::limits::Refusal;

/// What a cell's number format makes of its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellFormat {
    Other,
    /// A date or a time of day: the number is an Excel serial.
    DateTime,
    /// An elapsed time (`[h]:mm:ss`): kept as a number.
    TimeDelta,
    /// Only zeros (`00000`, Excel's « Code postal »): a whole number is shown with this many
    /// digits at least, so `2100` shows `02100`, and is read so.
    ZeroPadded(u8),
}

/// The number format of each cell style (`s` attribute of a cell), by index.
pub(super) fn read(xml: &mut Xml) -> Result<Vec<CellFormat>, Refusal> {
    let mut custom: HashMap<String, String> = HashMap::new();
    let mut formats = Vec::new();
    let mut buf = Vec::with_capacity(1024);
    // `xf` records also sit in `cellStyleXfs`: only those of `cellXfs` are the cells' styles.
    let mut in_cell_xfs = false;
    loop {
        match xml.next(&mut buf)? {
            Event::Start(e) if e.local_name().as_ref() == "cellXfs" => in_cell_xfs = true,
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "numFmt" => {
                    if let (Some(id), Some(code)) =
                        (attribute(&e, "numFmtId"), attribute(&e, "formatCode"))
                    {
                        custom.insert(id.into_owned(), code.into_owned());
                    }
                }
                "xf" if in_cell_xfs => {
                    formats.push(match attribute(&e, "numFmtId") {
                        None => CellFormat::Other,
                        Some(id) => match custom.get(id.as_ref()) {
                            Some(code) => custom_format(code),
                            None => builtin_format(&id),
                        },
                    });
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "cellXfs" => in_cell_xfs = false,
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(formats)
}

/// A built-in format by its id (ECMA-376 18.8.30).
fn builtin_format(id: &str) -> CellFormat {
    match id {
        // Dates and times: mm-dd-yy … m/d/yy h:mm, mm:ss, mmss.0.
        "14" | "15" | "16" | "17" | "18" | "19" | "20" | "21" | "22" | "45" | "47" => {
            CellFormat::DateTime
        }
        // East Asian built-in date formats.
        "27" | "28" | "29" | "30" | "31" | "32" | "33" | "34" | "35" | "36" | "50" | "51"
        | "52" | "53" | "54" | "55" | "56" | "57" | "58" => CellFormat::DateTime,
        "46" => CellFormat::TimeDelta,
        _ => CellFormat::Other,
    }
}

/// A custom format code: a date when its first section holds d, m, y, h or s outside quotes,
/// brackets and escapes (`[h]` alone is an elapsed time); zeros only, zero-padded digits.
fn custom_format(format: &str) -> CellFormat {
    let first = format.split(';').next().unwrap_or_default();
    if (2..=30).contains(&first.len()) && first.bytes().all(|b| b == b'0') {
        return CellFormat::ZeroPadded(first.len() as u8);
    }
    let mut escaped = false;
    let mut is_quote = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut ap = false;
    for s in format.chars() {
        match (s, escaped, is_quote, ap, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => is_quote = false,
            (_, _, true, _, _) => (),
            ('"', _, _, _, _) => is_quote = true,
            (';', ..) => return CellFormat::Other,
            ('[', ..) => brackets = brackets.saturating_add(1),
            (']', .., 1) if hms => return CellFormat::TimeDelta,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return CellFormat::DateTime,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return CellFormat::DateTime;
            }
            _ => {
                if !(hms && s.eq_ignore_ascii_case(&prev)) {
                    hms = prev == '[' && matches!(s, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = s;
    }
    CellFormat::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_formats() {
        for date in [
            "DD/MM/YY",
            "dd/mm/yyyy",
            "H:MM:SS;@",
            "[$-40C]d mmmm yyyy",
            "mmm-yy",
        ] {
            assert_eq!(custom_format(date), CellFormat::DateTime, "{date}");
        }
        for other in [
            "#,##0.00\\ \"€\"",
            "0.00%",
            "\"Date\" 0",
            "[Red]0",
            "General",
            "#,##0\\ [$\\u20bd-46D]",
        ] {
            assert_eq!(custom_format(other), CellFormat::Other, "{other}");
        }
        assert_eq!(custom_format("[h]:mm:ss"), CellFormat::TimeDelta);
        assert_eq!(custom_format("00000"), CellFormat::ZeroPadded(5));
        assert_eq!(
            custom_format("00000000000000;@"),
            CellFormat::ZeroPadded(14)
        );
        assert_eq!(custom_format("0"), CellFormat::Other);
        assert_eq!(custom_format("0.00"), CellFormat::Other);
        assert_eq!(builtin_format("14"), CellFormat::DateTime);
        assert_eq!(builtin_format("46"), CellFormat::TimeDelta);
        assert_eq!(builtin_format("4"), CellFormat::Other);
    }
}
