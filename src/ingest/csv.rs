//! CSV files as French Excel and others write them: UTF-8 with or without BOM, else
//! Windows-1252 (F004); `;`, `,` or tab detected from the first lines. Streamed, so a
//! million-row file never sits whole in memory.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use super::cell::{Cell, ReadContext};
use super::limits::{Deadline, Limits, MAX_EXCEL_COLUMNS, Refusal};
use super::sheet::{Expect, SheetBuilder, SheetOutput, Streaming};

pub struct CsvRead {
    pub sheet: SheetOutput,
    pub windows_1252: bool,
}

fn io_refusal(e: &std::io::Error) -> Refusal {
    Refusal::Unreadable(format!("lecture impossible ({})", crate::io_reason(e)))
}

/// Reads the CSV file opened as `file` (`path` names it: its name may tell the sheet's kind).
pub fn read(
    path: &Path,
    file: &File,
    limits: &Limits,
    streaming: Streaming,
) -> Result<CsvRead, Refusal> {
    let deadline = streaming.deadline;
    let (source, windows_1252) = open_decoded(file, deadline)?;
    let (stream, delimiter) = sniff_delimiter(source)?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut builder = SheetBuilder::new(
        "",
        0,
        Expect::of_name(&stem),
        ReadContext::default(),
        streaming,
    );
    let reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(stream);
    read_rows(reader, &mut builder, limits, delimiter, deadline)?;
    Ok(CsvRead {
        sheet: builder.finish(),
        windows_1252,
    })
}

/// The file's text as UTF-8, and whether it was decoded from Windows-1252.
fn open_decoded(file: &File, deadline: Deadline) -> Result<(Box<dyn Read>, bool), Refusal> {
    // Excel's « Texte Unicode » and some exports are UTF-16 with its byte order mark: decoded
    // as such (it says its encoding, so no F004), never taken for a binary file.
    if let Some(utf16) = utf16_by_bom(file)? {
        let file = super::rewound(file).map_err(|e| io_refusal(&e))?;
        let reader = DecodingReader::new(BufReader::with_capacity(1 << 16, file), utf16);
        return Ok((Box::new(reader), false));
    }
    let windows_1252 = !is_utf8(file, deadline)?;
    let file = super::rewound(file).map_err(|e| io_refusal(&e))?;
    let source: Box<dyn Read> = if windows_1252 {
        Box::new(DecodingReader::new(
            BufReader::with_capacity(1 << 16, file),
            encoding_rs::WINDOWS_1252,
        ))
    } else {
        Box::new(BufReader::with_capacity(1 << 16, file))
    };
    Ok((source, windows_1252))
}

/// UTF-16 (little or big endian) when the file starts with its byte order mark.
fn utf16_by_bom(file: &File) -> Result<Option<&'static encoding_rs::Encoding>, Refusal> {
    let mut start = [0u8; 2];
    let mut file = super::rewound(file).map_err(|e| io_refusal(&e))?;
    let mut read = 0;
    while read < start.len() {
        match file.read(&mut start[read..]).map_err(|e| io_refusal(&e))? {
            0 => break,
            n => read += n,
        }
    }
    Ok(match &start[..read] {
        [0xFF, 0xFE] => Some(encoding_rs::UTF_16LE),
        [0xFE, 0xFF] => Some(encoding_rs::UTF_16BE),
        _ => None,
    })
}

/// Sniffs the delimiter on the first 64 KiB, then gives the whole stream back.
fn sniff_delimiter(mut source: Box<dyn Read>) -> Result<(impl Read, u8), Refusal> {
    let mut sample = Vec::with_capacity(1 << 16);
    (&mut source)
        .take(1 << 16)
        .read_to_end(&mut sample)
        .map_err(|e| io_refusal(&e))?;
    if sample.contains(&0) {
        return Err(Refusal::Unreadable(
            "fichier binaire (octets nuls) : ce n'est pas un CSV".into(),
        ));
    }
    let delimiter = detect_delimiter(&sample);
    Ok((std::io::Cursor::new(sample).chain(source), delimiter))
}

/// Hands every record to `builder` until it wants no more, within the limits.
fn read_rows(
    mut reader: csv::Reader<impl Read>,
    builder: &mut SheetBuilder,
    limits: &Limits,
    delimiter: u8,
    deadline: Deadline,
) -> Result<(), Refusal> {
    let mut record = csv::ByteRecord::new();
    let mut row: u32 = 0;
    let mut last_row_unclosed = false;
    let mut cell_count: u64 = 0;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(Refusal::Unreadable(format!(
                    "CSV illisible ligne {} ({e})",
                    row + 1
                )));
            }
        }
        row = row.saturating_add(1);
        if row.is_multiple_of(1024) {
            deadline.check()?;
        }
        if !builder.wants_rows() {
            break;
        }
        check_size(&record, row, builder.data_rows(), &mut cell_count, limits)?;
        // A row of empty fields (`;;;;`), as a spreadsheet exports its unused rows: skipped
        // without looking at its fields one by one.
        if record.as_slice().iter().all(u8::is_ascii_whitespace) {
            last_row_unclosed = false;
            continue;
        }
        let cells = cells_of(&record, row, limits, delimiter)?;
        last_row_unclosed = cells.iter().rev().find_map(|c| match c {
            Cell::Text(t) => Some(looks_like_unclosed_quote(t, delimiter)),
            _ => None,
        }) == Some(true);
        builder.push_row(row, &cells);
    }
    if last_row_unclosed {
        return Err(unclosed_quote(row));
    }
    Ok(())
}

/// F002 past the row limit, the columns of a spreadsheet, or the cell limit (`cell_count`
/// counts the cells read so far).
fn check_size(
    record: &csv::ByteRecord,
    row: u32,
    data_rows: usize,
    cell_count: &mut u64,
    limits: &Limits,
) -> Result<(), Refusal> {
    if data_rows >= limits.max_rows {
        return Err(Refusal::OverLimit(format!(
            "plus de {} lignes (option --max-lignes)",
            limits.max_rows
        )));
    }
    if record.len() > MAX_EXCEL_COLUMNS as usize {
        return Err(Refusal::OverLimit(format!(
            "{} colonnes à la ligne {row} (un tableur en a au plus {MAX_EXCEL_COLUMNS})",
            record.len()
        )));
    }
    *cell_count += record.len() as u64;
    if *cell_count > limits.max_cells {
        return Err(Refusal::OverLimit(format!(
            "plus de {} cellules (option --max-cellules)",
            limits.max_cells
        )));
    }
    Ok(())
}

/// A record's fields as cells; a field past the cell size limit is F002, or F001 when it
/// looks like an unclosed quote that swallowed the rest of the file.
fn cells_of<'r>(
    record: &'r csv::ByteRecord,
    row: u32,
    limits: &Limits,
    delimiter: u8,
) -> Result<Vec<Cell<'r>>, Refusal> {
    let mut cells: Vec<Cell> = Vec::with_capacity(record.len());
    // The text was decoded to UTF-8 before: the record is checked once, its fields are
    // slices of it (a field that is not, or not at a character's edge, is read lossily).
    let whole = std::str::from_utf8(record.as_slice()).ok();
    for (i, field) in record.iter().enumerate() {
        let text = match whole.zip(record.range(i)).and_then(|(w, at)| w.get(at)) {
            Some(text) => Cow::Borrowed(text),
            None => String::from_utf8_lossy(field),
        };
        // A cell has at least as many bytes as characters: most need no count.
        if field.len() > limits.max_cell_chars && text.chars().count() > limits.max_cell_chars {
            return Err(if looks_like_unclosed_quote(&text, delimiter) {
                unclosed_quote(row)
            } else {
                Refusal::OverLimit(format!(
                    "une cellule de la ligne {row} dépasse {} caractères",
                    limits.max_cell_chars
                ))
            });
        }
        cells.push(if text.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::Text(text)
        });
    }
    Ok(cells)
}

fn unclosed_quote(row: u32) -> Refusal {
    Refusal::Unreadable(format!(
        "guillemet ouvert et jamais refermé vers la ligne {row} : la suite du fichier est illisible"
    ))
}

/// A field that swallowed several lines holding the delimiter: an unclosed quote.
fn looks_like_unclosed_quote(text: &str, delimiter: u8) -> bool {
    text.matches('\n').count() >= 3 && text.as_bytes().contains(&delimiter)
}

/// Strict UTF-8 over the whole file (never guessed from a sample), streamed in chunks.
fn is_utf8(file: &File, deadline: Deadline) -> Result<bool, Refusal> {
    let mut file = super::rewound(file).map_err(|e| io_refusal(&e))?;
    let mut buf = vec![0u8; 1 << 16];
    let mut carry = 0usize;
    loop {
        deadline.check()?;
        let n = file.read(&mut buf[carry..]).map_err(|e| io_refusal(&e))?;
        let end = carry + n;
        if n == 0 {
            return Ok(carry == 0);
        }
        match std::str::from_utf8(&buf[..end]) {
            Ok(_) => carry = 0,
            Err(e) if e.error_len().is_none() => {
                // An incomplete sequence at the end of the chunk: keep it for the next read.
                let valid = e.valid_up_to();
                buf.copy_within(valid..end, 0);
                carry = end - valid;
            }
            Err(_) => return Ok(false),
        }
    }
}

/// Decodes Windows-1252 or UTF-16 to UTF-8 on the fly (a byte order mark is dropped).
struct DecodingReader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    output: Vec<u8>,
    pos: usize,
    done: bool,
}

impl<R: Read> DecodingReader<R> {
    fn new(inner: R, encoding: &'static encoding_rs::Encoding) -> Self {
        DecodingReader {
            inner,
            decoder: encoding.new_decoder_with_bom_removal(),
            input: vec![0; 1 << 15],
            output: Vec::new(),
            pos: 0,
            done: false,
        }
    }
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pos >= self.output.len() && !self.done {
            let n = self.inner.read(&mut self.input)?;
            let last = n == 0;
            let room = self
                .decoder
                .max_utf8_buffer_length(n)
                .unwrap_or(n.saturating_mul(3))
                .max(16);
            self.output.clear();
            self.output.resize(room, 0);
            let (_, _, written, _) =
                self.decoder
                    .decode_to_utf8(&self.input[..n], &mut self.output, last);
            self.output.truncate(written);
            self.pos = 0;
            self.done = last;
        }
        let available = &self.output[self.pos.min(self.output.len())..];
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.pos += n;
        Ok(n)
    }
}

/// The delimiter that splits the first lines into the most consistent number of fields (≥ 2).
pub fn detect_delimiter(sample: &[u8]) -> u8 {
    let mut best = (b';', 0usize, 0usize);
    for delimiter in [b';', b',', b'\t', b'|'] {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample);
        let counts: Vec<usize> = reader
            .byte_records()
            .take(20)
            .filter_map(Result::ok)
            .filter(|r| r.iter().any(|f| !f.is_empty()))
            .map(|r| r.len())
            .collect();
        let Some(&max) = counts.iter().max() else {
            continue;
        };
        if max < 2 {
            continue;
        }
        // Rows agreeing on the widest field count; title rows above the header may be shorter.
        let agreeing = counts.iter().filter(|&&c| c == max).count();
        if (agreeing, max) > (best.1, best.2) {
            best = (delimiter, agreeing, max);
        }
    }
    best.0
}

/// The records of a CSV file as `read` sees them (decoded, delimiter detected, the record
/// numbered n is Excel row n), for the annotated copy that puts each value at its cell.
pub fn records(path: &Path) -> Result<csv::Reader<Box<dyn Read>>, Refusal> {
    let file = File::open(path).map_err(|e| io_refusal(&e))?;
    let (source, _) = open_decoded(&file, Deadline::NONE)?;
    let (stream, delimiter) = sniff_delimiter(source)?;
    let stream: Box<dyn Read> = Box::new(stream);
    Ok(csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(stream))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_delimiters() {
        assert_eq!(
            detect_delimiter(b"id;nom;type\nP-1;Les Blongios, asso;association\n"),
            b';'
        );
        assert_eq!(
            detect_delimiter(b"id,nom,type\nP-1,\"A; B\",association\n"),
            b','
        );
        assert_eq!(detect_delimiter(b"id\tnom\tmontant\nP-1\tx\t1,5\n"), b'\t');
        assert_eq!(detect_delimiter(b""), b';');
        assert_eq!(detect_delimiter(b"one line"), b';');
    }

    #[test]
    fn decodes_windows_1252_in_a_stream() {
        let bytes = b"Intitul\xe9;\x80 1\xa0234\n".to_vec();
        let mut out = String::new();
        DecodingReader::new(&bytes[..], encoding_rs::WINDOWS_1252)
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "Intitulé;€ 1\u{a0}234\n");
    }

    /// « Texte Unicode » as Excel saves it: UTF-16 with its byte order mark, tabs.
    fn utf16_file(big_endian: bool, text: &str) -> File {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            let pair = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            bytes.extend(pair);
        }
        let mut file = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut file, &bytes).unwrap();
        file
    }

    #[test]
    fn reads_utf16_by_its_byte_order_mark() {
        let text = "id\tnom\tmontant\nP-1\tÉtang d'Amaury\t1 234,50 €\n";
        for big_endian in [false, true] {
            let file = utf16_file(big_endian, text);
            let (mut source, windows_1252) = open_decoded(&file, Deadline::NONE).unwrap();
            let mut out = String::new();
            source.read_to_string(&mut out).unwrap();
            assert_eq!(out, text, "big endian: {big_endian}");
            assert!(!windows_1252);
        }
    }

    #[test]
    fn a_file_without_a_byte_order_mark_is_not_utf16() {
        let mut file = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut file, b"id;nom\nP-1;\xc9tang\n").unwrap();
        assert!(utf16_by_bom(&file).unwrap().is_none());
        let (mut source, windows_1252) = open_decoded(&file, Deadline::NONE).unwrap();
        let mut out = String::new();
        source.read_to_string(&mut out).unwrap();
        assert_eq!(out, "id;nom\nP-1;Étang\n");
        assert!(windows_1252);
    }
}
