//! Strings: the shared-strings table (`xl/sharedStrings.xml`), parsed as it inflates and kept
//! compactly under a cap, and the rich-text strings of `<si>` and `<is>` elements.

use std::borrow::Cow;

use quick_xml::events::Event;

use super::xml::{Xml, attribute, raw_attributes};
use crate::ingest::limits::{Limits, Refusal, mib};

/// The kept text is stored in blocks of this size, never reallocated: no copy of the table
/// while it grows, and no block larger than needed.
const BLOCK_BYTES: usize = 1024 * 1024;

/// Bytes of index per string kept.
const SPAN_BYTES: u64 = std::mem::size_of::<Span>() as u64;

#[derive(Clone, Copy)]
struct Span {
    block: u32,
    start: u32,
    end: u32,
}

/// The shared strings of a workbook, by index.
#[derive(Default)]
pub struct SharedStrings {
    blocks: Vec<String>,
    spans: Vec<Span>,
}

impl SharedStrings {
    pub fn get(&self, i: usize) -> Option<&str> {
        let span = self.spans.get(i)?;
        self.blocks
            .get(span.block as usize)?
            .get(span.start as usize..span.end as usize)
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    fn push(&mut self, s: &str) {
        let fits = self
            .blocks
            .last()
            .is_some_and(|b| b.capacity() - b.len() >= s.len());
        if !fits {
            self.blocks
                .push(String::with_capacity(BLOCK_BYTES.max(s.len())));
        }
        let block_index = self.blocks.len() - 1;
        let block = &mut self.blocks[block_index];
        let start = block.len();
        block.push_str(s);
        self.spans.push(Span {
            block: block_index as u32,
            start: start as u32,
            end: block.len() as u32,
        });
    }

    /// Memory the table holds.
    fn weight(&self) -> u64 {
        self.blocks.iter().map(|b| b.capacity() as u64).sum::<u64>()
            + self.spans.capacity() as u64 * SPAN_BYTES
    }

    /// Reads the table from its part, string by string as it inflates. Each string is bounded
    /// by the cell limit, the whole table by a quarter of `--max-decompresse` in memory.
    pub(super) fn read(xml: &mut Xml, limits: &Limits) -> Result<Self, Refusal> {
        let cap = limits.max_unzipped_bytes / 4;
        let mut table = SharedStrings::default();
        let mut buf = Vec::with_capacity(1024);
        let mut inner = Vec::with_capacity(1024);
        let mut text = String::new();
        let mut scratch = String::new();
        let mut weight = 0u64;
        loop {
            match xml.next(&mut buf)? {
                Event::Start(e) if e.local_name().as_ref() == "sst" => {
                    // The count is a hint: never reserve more than the part could hold.
                    let hint = attribute(&e, "uniqueCount")
                        .and_then(|n| n.parse::<usize>().ok())
                        .unwrap_or(0);
                    table.spans.reserve(hint.min(1 << 16));
                }
                Event::Start(e) if e.local_name().as_ref() == "si" => {
                    text.clear();
                    let max = limits.max_cell_chars;
                    read_rich(xml, &mut inner, &mut text, &mut scratch, max, &|| {
                        Refusal::OverLimit(format!(
                            "un texte partagé du classeur dépasse {max} caractères"
                        ))
                    })?;
                    table.push(&text);
                    if table.spans.len() % 4096 == 0 {
                        xml.check_time()?;
                        weight = table.weight();
                    } else {
                        weight += text.len() as u64 + SPAN_BYTES;
                    }
                    if weight > cap {
                        return Err(Refusal::OverLimit(format!(
                            "la table des textes partagés dépasse {} une fois lue (limite : le \
                             quart de --max-decompresse)",
                            mib(cap)
                        )));
                    }
                }
                Event::Empty(e) if e.local_name().as_ref() == "si" => table.push(""),
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(table)
    }
}

/// Reads the string of the `<si>` or `<is>` element whose start was just read into `out`: the
/// text of its `<t>` elements, rich-text runs (`<r><t>`) concatenated, phonetic runs
/// (`<rPh>`) left out; without `xml:space="preserve"` a run's ASCII blanks at both ends are
/// trimmed; Excel's `_xHHHH_` escapes decoded (as calamine reads them). Refused past
/// `max_chars` characters.
pub(super) fn read_rich(
    xml: &mut Xml,
    buf: &mut Vec<u8>,
    out: &mut String,
    scratch: &mut String,
    max_chars: usize,
    too_long: &dyn Fn() -> Refusal,
) -> Result<(), Refusal> {
    let level = xml.depth();
    // `_xHHHH_` takes 7 bytes for a character: the most a run's raw text may take.
    let max_raw = max_chars.saturating_mul(7).max(64);
    loop {
        match xml.next(buf)? {
            Event::Start(e) => match e.local_name().as_ref() {
                "t" => {
                    let preserve =
                        raw_attributes(&e).any(|(k, v)| k == "xml:space" && v == "preserve");
                    scratch.clear();
                    xml.text_into(buf, scratch, max_raw, too_long)?;
                    let run = if preserve {
                        scratch.as_str()
                    } else {
                        scratch.trim_matches([' ', '\t', '\r', '\n'])
                    };
                    out.push_str(&unescape_excel(run));
                    if out.len() > max_chars && out.chars().count() > max_chars {
                        return Err(too_long());
                    }
                }
                "rPh" => xml.skip(buf)?,
                _ => {}
            },
            Event::End(_) if xml.depth() < level => return Ok(()),
            Event::Eof => return Err(xml.malformed("fin de fichier inattendue")),
            _ => {}
        }
    }
}

/// Decodes Excel's `_xHHHH_` escapes (a UTF-16 code unit each, surrogate pairs as two;
/// `_x005F_` escapes a literal `_`), as calamine does: a lone surrogate becomes U+FFFD.
pub(super) fn unescape_excel(s: &str) -> Cow<'_, str> {
    if !s.as_bytes().contains(&b'_') {
        return Cow::Borrowed(s);
    }
    let Some(first) = find_escape(s, 0) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    let mut next = Some(first);
    while let Some((at, unit)) = next {
        out.push_str(&s[copied..at]);
        let mut end = at + ESCAPE_LEN;
        match unit {
            0xD800..=0xDBFF => match parse_escape(s, end) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    let c =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    out.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                    end += ESCAPE_LEN;
                }
                _ => out.push(char::REPLACEMENT_CHARACTER),
            },
            0xDC00..=0xDFFF => out.push(char::REPLACEMENT_CHARACTER),
            _ => out.push(char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER)),
        }
        copied = end;
        next = find_escape(s, end);
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

const ESCAPE_LEN: usize = 7;

fn find_escape(s: &str, mut from: usize) -> Option<(usize, u16)> {
    while let Some(offset) = s.as_bytes().get(from..)?.iter().position(|&b| b == b'_') {
        let at = from + offset;
        if let Some(unit) = parse_escape(s, at) {
            return Some((at, unit));
        }
        from = at + 1;
    }
    None
}

fn parse_escape(s: &str, at: usize) -> Option<u16> {
    let b = s.as_bytes().get(at..at + ESCAPE_LEN)?;
    if b[0] != b'_' || b[1] != b'x' || b[6] != b'_' {
        return None;
    }
    let hex = std::str::from_utf8(&b[2..6]).ok()?;
    if !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u16::from_str_radix(hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_escapes() {
        assert_eq!(unescape_excel("a_x000D_b"), "a\rb");
        assert_eq!(unescape_excel("_x005F_x000D_"), "_x000D_");
        assert_eq!(unescape_excel("_xD83D__xDCF7_"), "📷");
        assert_eq!(unescape_excel("_xD83D_"), "\u{FFFD}");
        assert_eq!(unescape_excel("no_escape_x12_"), "no_escape_x12_");
        assert!(matches!(unescape_excel("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_table_keeps_strings_in_blocks() {
        let mut t = SharedStrings::default();
        t.push("un");
        t.push("");
        t.push(&"x".repeat(BLOCK_BYTES + 3));
        t.push("deux");
        assert_eq!(t.len(), 4);
        assert_eq!(t.get(0), Some("un"));
        assert_eq!(t.get(1), Some(""));
        assert_eq!(t.get(2).map(str::len), Some(BLOCK_BYTES + 3));
        assert_eq!(t.get(3), Some("deux"));
        assert_eq!(t.get(4), None);
    }
}
