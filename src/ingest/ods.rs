//! OpenDocument spreadsheets (LibreOffice Calc, the suite of many public bodies), streamed:
//! `content.xml` is inflated and read once with quick-xml, cell by cell, and its rows go to
//! the sheet builder as they come, typed and checked in chunks like any other sheet. Repeated
//! rows and cells are honoured as they are expanded, within the row and cell limits; trailing
//! empty repeats cost nothing. No dense range is ever built, so a few hundred bytes claiming
//! 16 384 × 6 000 cells cost what their cells cost.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::rc::Rc;

use quick_xml::events::{BytesRef, BytesStart, Event};

use super::cell::{Cell, ReadContext};
use super::columns::kind_from_name;
use super::limits::{Deadline, Limits, Refusal, mib};
use super::rows::{FileBudget, SheetRows};
use super::sheet::{Expect, SheetBuilder, SheetOutput, Streaming};
use crate::model::{MergedRange, SheetId};

const MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// Bytes one XML event may take (a tag with its attributes, or a run of text): a cell of
/// 32 767 characters, escaped, is well below it; a crafted tag of a gigabyte is refused.
const MAX_EVENT_BYTES: u64 = 4 * 1024 * 1024;

/// Merged ranges kept per sheet (a repeated row of merged cells could claim millions).
const MAX_MERGES: usize = 65_536;

/// Below this size an entry cannot hurt, whatever its compression ratio.
const SMALL_ENTRY: u64 = 1024 * 1024;

/// XML events between two looks at the clock.
const EVENTS_PER_CHECK: u32 = 4096;

/// Reads the ods workbook opened as `file`: every sheet to read (those named like a known
/// sheet; when none is, every sheet, recognised by its header), in document order.
pub fn read(
    file: &File,
    limits: &Limits,
    streaming: Streaming,
) -> Result<Vec<SheetOutput>, Refusal> {
    let deadline = streaming.deadline;
    let mut archive = open_archive(file)?;
    check_mimetype(&mut archive)?;
    check_not_encrypted(&mut archive, deadline)?;
    let listed = listed_sheet_names(&mut archive, deadline);
    let content = match archive.by_name("content.xml") {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => {
            return Err(Refusal::Unreadable(
                "classeur ods sans contenu (content.xml absent)".into(),
            ));
        }
        Err(_) => return Err(corrupt()),
    };
    check_expansion(&content, limits)?;
    let mut parser = Parser {
        file,
        streaming,
        budget: FileBudget::new(limits, deadline),
        listed,
        scanned: None,
        named_seen: false,
        ordinal: 0,
        nested: 0,
        sheet: None,
        row: None,
        cell: None,
        cells: Vec::new(),
        out: Vec::new(),
    };
    stream_xml(content, deadline, |event| parser.event(event))?;
    parser.finish()
}

fn corrupt() -> Refusal {
    Refusal::Unreadable("archive du classeur corrompue".into())
}

type Archive = zip::ZipArchive<BufReader<File>>;

fn open_archive(file: &File) -> Result<Archive, Refusal> {
    let handle = super::rewound(file).map_err(|e| {
        Refusal::Unreadable(format!("ouverture impossible ({})", crate::io_reason(&e)))
    })?;
    zip::ZipArchive::new(BufReader::new(handle)).map_err(|_| {
        Refusal::Unreadable("archive du classeur illisible (fichier tronqué ou corrompu)".into())
    })
}

/// The `mimetype` entry, when there is one, must say spreadsheet: a text document or a
/// presentation renamed `.ods` is said to be one.
fn check_mimetype(archive: &mut Archive) -> Result<(), Refusal> {
    let Ok(entry) = archive.by_name("mimetype") else {
        return Ok(());
    };
    let mut head = Vec::with_capacity(80);
    entry
        .take(80)
        .read_to_end(&mut head)
        .map_err(|_| corrupt())?;
    let head = head.trim_ascii();
    if head == MIMETYPE {
        return Ok(());
    }
    let kind = String::from_utf8_lossy(head);
    Err(Refusal::Unreadable(
        if let Some(other) = kind.strip_prefix("application/vnd.oasis.opendocument.") {
            format!(
                "c'est un document OpenDocument « {} », pas un classeur",
                crate::text::echo::bound(other)
            )
        } else {
            "ce n'est pas un classeur ods (type de contenu inconnu)".into()
        },
    ))
}

/// A password-protected ods has `manifest:encryption-data` in its manifest.
fn check_not_encrypted(archive: &mut Archive, deadline: Deadline) -> Result<(), Refusal> {
    let Ok(manifest) = archive.by_name("META-INF/manifest.xml") else {
        return Ok(());
    };
    let mut encrypted = false;
    let read = stream_xml(manifest, deadline, |event| {
        if let Event::Start(e) | Event::Empty(e) = event
            && e.name().as_ref() == "manifest:encryption-data"
        {
            encrypted = true;
            return Ok(Flow::Stop);
        }
        Ok(Flow::Go)
    });
    if encrypted {
        return Err(super::workbook::encrypted());
    }
    // A manifest that does not parse does not stop the content from being read.
    match read {
        Err(Refusal::OverLimit(m)) => Err(Refusal::OverLimit(m)),
        _ => Ok(()),
    }
}

/// The sheet names `settings.xml` lists (LibreOffice writes it), to know without reading
/// `content.xml` twice whether a sheet of the workbook is named like a known one.
fn listed_sheet_names(archive: &mut Archive, deadline: Deadline) -> Option<Vec<String>> {
    let settings = archive.by_name("settings.xml").ok()?;
    if settings.size() > SMALL_ENTRY * 4 {
        return None;
    }
    let mut names = Vec::new();
    let mut in_tables = 0u32;
    let mut depth = 0u32;
    stream_xml(settings, deadline, |event| {
        match event {
            Event::Start(e) => {
                depth += 1;
                let name = e.name();
                if in_tables == 0
                    && name.as_ref() == "config:config-item-map-named"
                    && attribute(&e, "config:name")?.as_deref() == Some("Tables")
                {
                    in_tables = depth;
                } else if in_tables > 0
                    && depth == in_tables + 1
                    && name.as_ref() == "config:config-item-map-entry"
                    && let Some(n) = attribute(&e, "config:name")?
                {
                    names.push(n.into_owned());
                }
            }
            Event::End(_) => {
                if depth == in_tables {
                    return Ok(Flow::Stop);
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
        Ok(Flow::Go)
    })
    .ok()?;
    (!names.is_empty()).then_some(names)
}

/// A `content.xml` that would inflate past `--max-expansion` times its compressed size (its
/// declared size, which the zip reader holds it to) is a bomb; 0 sets no limit.
fn check_expansion<R: Read>(entry: &zip::read::ZipFile<R>, limits: &Limits) -> Result<(), Refusal> {
    let (size, packed) = (entry.size(), entry.compressed_size().max(1));
    let ratio = limits.max_expansion;
    if ratio > 0 && size > SMALL_ENTRY && size / packed >= ratio {
        return Err(Refusal::OverLimit(format!(
            "le contenu du classeur se décompresserait en {} à partir de {}, plus de {} fois sa taille (option --max-expansion)",
            mib(size),
            mib(packed),
            limits.max_expansion
        )));
    }
    Ok(())
}

/// Inflated XML that refuses to give one event more than `MAX_EVENT_BYTES`: `taken` counts
/// the bytes handed out since the caller last set it to zero (before each event).
struct Guarded<R> {
    inner: R,
    taken: Rc<std::cell::Cell<u64>>,
}

impl<R: BufRead> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.taken.set(self.taken.get() + n as u64);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Guarded<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.taken.get() > MAX_EVENT_BYTES {
            return Err(std::io::Error::other("oversized XML event"));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.taken.set(self.taken.get() + amount as u64);
        self.inner.consume(amount);
    }
}

/// What to do after an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Go,
    Stop,
    /// The current table is not wanted: pass over its bytes up to `</table:table>` without
    /// parsing them, then go on as if that end tag had been read.
    SkipTable,
}

const TABLE_END: &[u8] = b"</table:table>";

/// Hands every event of the XML entry to `each` until it says to stop or the entry ends,
/// each event bounded in size, the clock looked at as it goes.
fn stream_xml<R: Read>(
    entry: R,
    deadline: Deadline,
    mut each: impl FnMut(Event) -> Result<Flow, Refusal>,
) -> Result<(), Refusal> {
    let taken = Rc::new(std::cell::Cell::new(0));
    let source = Guarded {
        inner: BufReader::with_capacity(1 << 16, entry),
        taken: Rc::clone(&taken),
    };
    let mut xml = quick_xml::Reader::from_reader(source);
    xml.config_mut().check_end_names = false;
    let mut buf = Vec::with_capacity(4096);
    let mut events = 0u32;
    loop {
        events = events.wrapping_add(1);
        if events.is_multiple_of(EVENTS_PER_CHECK) {
            deadline.check()?;
        }
        taken.set(0);
        buf.clear();
        let event = xml.read_event_into(&mut buf).map_err(|e| {
            if taken.get() > MAX_EVENT_BYTES {
                Refusal::OverLimit(format!(
                    "un élément du contenu du classeur dépasse {}",
                    mib(MAX_EVENT_BYTES)
                ))
            } else {
                xml_error(e)
            }
        })?;
        if matches!(event, Event::Eof) {
            return Ok(());
        }
        match each(event)? {
            Flow::Go => {}
            Flow::Stop => return Ok(()),
            Flow::SkipTable => {
                if !skip_table(xml.get_mut(), &taken, deadline)? {
                    return Ok(());
                }
                let end = quick_xml::events::BytesEnd::new("table:table");
                if each(Event::End(end))? == Flow::Stop {
                    return Ok(());
                }
            }
        }
        // A buffer grown by a large event is not kept for the small ones after it.
        if buf.capacity() > 1 << 20 {
            buf = Vec::with_capacity(4096);
        }
    }
}

/// Consumes the bytes up to and with the next `</table:table>`; `false` when the entry ends
/// first.
fn skip_table(
    source: &mut impl BufRead,
    taken: &std::cell::Cell<u64>,
    deadline: Deadline,
) -> Result<bool, Refusal> {
    // The bytes of a possible `</table:table>` cut by the end of the previous buffer.
    let mut matched = 0usize;
    loop {
        deadline.check()?;
        taken.set(0);
        let chunk = source.fill_buf().map_err(xml_error)?;
        if chunk.is_empty() {
            return Ok(false);
        }
        let mut end = None;
        for (i, &b) in chunk.iter().enumerate() {
            if b == TABLE_END[matched] {
                matched += 1;
                if matched == TABLE_END.len() {
                    end = Some(i + 1);
                    break;
                }
            } else {
                matched = usize::from(b == TABLE_END[0]);
            }
        }
        let used = end.unwrap_or(chunk.len());
        source.consume(used);
        if end.is_some() {
            return Ok(true);
        }
    }
}

fn xml_error(e: impl std::fmt::Display) -> Refusal {
    Refusal::Unreadable(format!(
        "contenu du classeur illisible ({})",
        crate::text::echo::bound(&e.to_string())
    ))
}

/// The value of the attribute `key`, unescaped.
fn attribute<'a>(e: &'a BytesStart, key: &str) -> Result<Option<Cow<'a, str>>, Refusal> {
    for attr in e.attributes().with_checks(false) {
        let attr = attr.map_err(xml_error)?;
        if attr.key.as_ref() == key {
            return unescaped(attr.value).map(Some);
        }
    }
    Ok(None)
}

fn unescaped(raw: Cow<'_, str>) -> Result<Cow<'_, str>, Refusal> {
    Ok(match raw {
        Cow::Borrowed(t) => quick_xml::escape::unescape(t).map_err(xml_error)?,
        Cow::Owned(t) => Cow::Owned(
            quick_xml::escape::unescape(&t)
                .map_err(xml_error)?
                .into_owned(),
        ),
    })
}

/// A count attribute (`number-rows-repeated`, …): at least 1; what does not parse is 1.
fn count(e: &BytesStart, key: &str) -> Result<u64, Refusal> {
    Ok(attribute(e, key)?
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1))
}

/// The sheet being read: its rows (`None` when it is not read), where the next row is.
struct SheetState<'s> {
    rows: Option<SheetRows<'s>>,
    /// 0-based index of the next row.
    row_index: u64,
    merges: Vec<MergedRange>,
}

impl SheetState<'_> {
    fn wanted(&self) -> bool {
        self.rows.as_ref().is_some_and(SheetRows::wants_rows)
    }
}

/// The row being read.
struct RowState {
    repeat: u64,
    hidden: bool,
    /// Cells holding something, each counted once.
    filled: u64,
    /// 0-based column of the next cell.
    col: u64,
}

/// The cell being read.
struct CellState {
    repeat: u64,
    /// The value its attributes give; `None` when it is in its text.
    value: Option<Cell<'static>>,
    /// Its text is its value (a string without `office:string-value`, or an error).
    collect: bool,
    /// A whole number: its text is kept, for a code shown with its leading zeros (`02100`,
    /// a postal code in the « 00000 » format), which is read as shown.
    shown_digits: bool,
    is_error: bool,
    text: String,
    chars: usize,
    paragraphs: u32,
    /// Depth inside an `office:annotation` (a comment: not the cell's text).
    annotation: u32,
    spans: (u64, u64),
}

struct Parser<'s, 'l> {
    file: &'s File,
    streaming: Streaming<'s>,
    budget: FileBudget<'l>,
    /// Sheet names from `settings.xml`, when it lists them.
    listed: Option<Vec<String>>,
    /// Sheet names from a scan of `content.xml`, when they were needed and not listed.
    scanned: Option<Vec<String>>,
    /// A sheet named like a known one was met.
    named_seen: bool,
    /// Sheets read so far (the next one's place in its file).
    ordinal: u32,
    /// Depth of tables inside a table (skipped).
    nested: u32,
    sheet: Option<SheetState<'s>>,
    row: Option<RowState>,
    cell: Option<CellState>,
    /// The cells of the current row, at their columns (reused from row to row).
    cells: Vec<Cell<'static>>,
    out: Vec<SheetOutput>,
}

impl<'s> Parser<'s, '_> {
    fn event(&mut self, event: Event) -> Result<Flow, Refusal> {
        match event {
            Event::Start(e) => self.start(&e, false)?,
            Event::Empty(e) => self.start(&e, true)?,
            Event::End(e) => self.end(e.name().as_ref())?,
            Event::Text(t) if self.collecting() => self.push_text(&t.xml10_content())?,
            Event::CData(t) if self.collecting() => self.push_text(&t.xml10_content())?,
            Event::GeneralRef(r) if self.collecting() => self.entity(&r)?,
            _ => {}
        }
        // A table not read, or one that wants no more rows, is passed over unparsed.
        let between_rows = self.nested == 0 && self.row.is_none() && self.cell.is_none();
        Ok(match &self.sheet {
            Some(sheet) if between_rows && !sheet.wanted() => Flow::SkipTable,
            _ => Flow::Go,
        })
    }

    /// Whether the text met now is a cell's value.
    fn collecting(&self) -> bool {
        self.nested == 0
            && self
                .cell
                .as_ref()
                .is_some_and(|c| (c.collect || c.shown_digits) && c.annotation == 0)
    }

    fn start(&mut self, e: &BytesStart, empty: bool) -> Result<(), Refusal> {
        let name = e.name();
        let name = name.as_ref();
        if self.nested > 0 {
            if name == "table:table" && !empty {
                self.nested += 1;
            }
            return Ok(());
        }
        match name {
            "table:table" if self.sheet.is_some() => {
                if !empty {
                    self.nested += 1;
                }
            }
            "table:table" => {
                self.begin_sheet(e)?;
                if empty {
                    self.end_sheet();
                }
            }
            "table:table-row" if self.row.is_none() => {
                let Some(sheet) = self.sheet.as_mut().filter(|s| s.wanted()) else {
                    return Ok(());
                };
                let repeat = count(e, "table:number-rows-repeated")?;
                if empty {
                    sheet.row_index = sheet.row_index.saturating_add(repeat);
                    return Ok(());
                }
                let hidden = matches!(
                    attribute(e, "table:visibility")?.as_deref(),
                    Some("collapse" | "filter")
                );
                self.cells.clear();
                self.row = Some(RowState {
                    repeat,
                    hidden,
                    filled: 0,
                    col: 0,
                });
            }
            "table:table-cell" | "table:covered-table-cell"
                if self.row.is_some() && self.cell.is_none() =>
            {
                self.begin_cell(e)?;
                if empty {
                    self.end_cell()?;
                }
            }
            _ => {
                let row = self.row_index();
                if let Some(cell) = self.cell.as_mut().filter(|c| c.collect) {
                    Self::cell_markup(cell, &self.budget, row, e, name, empty)?;
                }
            }
        }
        Ok(())
    }

    fn row_index(&self) -> u64 {
        self.sheet.as_ref().map_or(0, |s| s.row_index)
    }

    /// Markup inside a cell whose text is its value: paragraphs, spaces, tabs, line breaks,
    /// comments.
    fn cell_markup(
        cell: &mut CellState,
        budget: &FileBudget,
        row: u64,
        e: &BytesStart,
        name: &str,
        empty: bool,
    ) -> Result<(), Refusal> {
        if name == "office:annotation" {
            if !empty {
                cell.annotation += 1;
            }
            return Ok(());
        }
        if cell.annotation > 0 {
            return Ok(());
        }
        match name {
            "text:p" => {
                if cell.paragraphs > 0 {
                    push_str(cell, budget, row, "\n")?;
                }
                cell.paragraphs += 1;
            }
            "text:s" => {
                let n = count(e, "text:c")?;
                let n = usize::try_from(n).unwrap_or(usize::MAX);
                budget.cell_chars(cell.chars.saturating_add(n), row)?;
                cell.text.extend(std::iter::repeat_n(' ', n));
                cell.chars += n;
            }
            "text:tab" => push_str(cell, budget, row, "\t")?,
            "text:line-break" => push_str(cell, budget, row, "\n")?,
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &str) -> Result<(), Refusal> {
        if self.nested > 0 {
            if name == "table:table" {
                self.nested -= 1;
            }
            return Ok(());
        }
        match name {
            "table:table" if self.sheet.is_some() => {
                if self.row.is_some() {
                    self.cell = None;
                    self.end_row()?;
                }
                self.end_sheet();
            }
            "table:table-row" if self.row.is_some() => {
                self.cell = None;
                self.end_row()?;
            }
            "table:table-cell" | "table:covered-table-cell" if self.cell.is_some() => {
                self.end_cell()?;
            }
            "office:annotation" => {
                if let Some(cell) = self.cell.as_mut() {
                    cell.annotation = cell.annotation.saturating_sub(1);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Whether the workbook has a sheet named like a known one (then the others are read only
    /// when their header is a whole table's).
    fn has_named_sheet(&mut self, current: &str) -> Result<bool, Refusal> {
        if self.named_seen {
            return Ok(true);
        }
        if let Some(listed) = &self.listed
            && listed.iter().any(|n| n == current)
        {
            return Ok(listed.iter().any(|n| kind_from_name(n).is_some()));
        }
        if self.scanned.is_none() {
            self.scanned = Some(scan_sheet_names(self.file, self.streaming.deadline)?);
        }
        Ok(self
            .scanned
            .iter()
            .flatten()
            .any(|n| kind_from_name(n).is_some()))
    }

    fn begin_sheet(&mut self, e: &BytesStart) -> Result<(), Refusal> {
        let name = attribute(e, "table:name")?.map(Cow::into_owned);
        let read = match &name {
            None => None,
            Some(name) => match kind_from_name(name) {
                Some(kind) => {
                    self.named_seen = true;
                    Some(Expect::Named(kind))
                }
                None if self.has_named_sheet(name)? => Some(Expect::WholeTable),
                None => Some(Expect::ByHeader),
            },
        };
        // Past the sheets a file's ids can tell apart, a sheet that is not named is not read.
        let full = self.ordinal as usize >= SheetId::MAX_SHEETS_PER_FILE;
        let read = read.filter(|expect| !(full && *expect == Expect::WholeTable));
        let rows = match (name, read) {
            (Some(name), Some(kind)) => {
                if full {
                    return Err(Refusal::OverLimit(format!(
                        "plus de {} feuilles à lire",
                        SheetId::MAX_SHEETS_PER_FILE
                    )));
                }
                let builder = SheetBuilder::new(
                    &name,
                    self.ordinal,
                    kind,
                    ReadContext::default(),
                    self.streaming,
                );
                self.ordinal += 1;
                Some(SheetRows::new(builder))
            }
            _ => None,
        };
        self.sheet = Some(SheetState {
            rows,
            row_index: 0,
            merges: Vec::new(),
        });
        Ok(())
    }

    fn end_sheet(&mut self) {
        if let Some(SheetState {
            rows: Some(mut rows),
            merges,
            ..
        }) = self.sheet.take()
        {
            if !merges.is_empty() {
                rows.builder().merged_cells(merges);
            }
            self.out.push(rows.finish());
        }
    }

    fn begin_cell(&mut self, e: &BytesStart) -> Result<(), Refusal> {
        let mut value: Option<Cell<'static>> = None;
        let (mut is_string, mut is_error) = (false, false);
        let (mut repeat, mut rows_spanned, mut cols_spanned) = (1, 1, 1);
        // The first attribute that gives a value wins, as calamine reads them.
        for attr in e.attributes().with_checks(false) {
            let attr = attr.map_err(xml_error)?;
            let key = attr.key.as_ref();
            let parse_count = |v: Cow<str>| -> Result<u64, Refusal> {
                Ok(unescaped(v)?.trim().parse::<u64>().unwrap_or(1).max(1))
            };
            match key {
                "office:value" if value.is_none() => {
                    let text = unescaped(attr.value)?;
                    value = Some(match text.trim().parse::<f64>() {
                        Ok(n) if n.is_finite() => Cell::Number(n),
                        _ => Cell::Text(Cow::Owned(text.into_owned())),
                    });
                }
                "office:string-value" | "office:time-value" if value.is_none() => {
                    value = Some(Cell::Text(Cow::Owned(unescaped(attr.value)?.into_owned())));
                }
                "office:date-value" if value.is_none() => {
                    value = Some(Cell::DateIso(Cow::Owned(
                        unescaped(attr.value)?.into_owned(),
                    )));
                }
                "office:boolean-value" if value.is_none() => {
                    let v = unescaped(attr.value)?;
                    value = Some(Cell::Bool(v.eq_ignore_ascii_case("true")));
                }
                "office:value-type" if value.is_none() => {
                    is_string = attr.value.as_ref() == "string";
                }
                "calcext:value-type" => is_error = attr.value.as_ref() == "error",
                "table:number-columns-repeated" => repeat = parse_count(attr.value)?,
                "table:number-rows-spanned" => rows_spanned = parse_count(attr.value)?,
                "table:number-columns-spanned" => cols_spanned = parse_count(attr.value)?,
                _ => {}
            }
        }
        let collect = (value.is_none() && is_string)
            || (is_error && matches!(&value, Some(Cell::Text(t)) if t.is_empty()));
        let shown_digits = matches!(value, Some(Cell::Number(n)) if n >= 0.0 && n.fract() == 0.0);
        self.cell = Some(CellState {
            repeat,
            value,
            collect,
            shown_digits,
            is_error,
            text: String::new(),
            chars: 0,
            paragraphs: 0,
            annotation: 0,
            spans: (rows_spanned, cols_spanned),
        });
        Ok(())
    }

    fn end_cell(&mut self) -> Result<(), Refusal> {
        let (Some(cell), Some(row), Some(sheet)) =
            (self.cell.take(), self.row.as_mut(), self.sheet.as_mut())
        else {
            return Ok(());
        };
        let value = if cell.collect {
            if cell.is_error {
                Cell::Error(Cow::Owned(cell.text))
            } else {
                Cell::Text(Cow::Owned(cell.text))
            }
        } else if cell.shown_digits && shows_leading_zeros(&cell.text, cell.value.as_ref()) {
            Cell::Text(Cow::Owned(cell.text))
        } else {
            cell.value.unwrap_or(Cell::Empty)
        };
        let (first, repeat) = (row.col, cell.repeat);
        row.col = row.col.saturating_add(repeat);
        if cell.spans != (1, 1) {
            merged(sheet, row, first, repeat, cell.spans);
        }
        if matches!(value, Cell::Empty) {
            return Ok(());
        }
        let last = first.saturating_add(repeat - 1);
        FileBudget::in_grid(sheet.row_index, last)?;
        self.budget.cells(repeat)?;
        // Within the grid's columns.
        let (first, last) = (first as usize, last as usize);
        if self.cells.len() <= last {
            self.cells.resize(last + 1, Cell::Empty);
        }
        for slot in &mut self.cells[first..last] {
            *slot = value.clone();
        }
        self.cells[last] = value;
        row.filled += repeat;
        Ok(())
    }

    fn end_row(&mut self) -> Result<(), Refusal> {
        let (Some(row), Some(sheet)) = (self.row.take(), self.sheet.as_mut()) else {
            return Ok(());
        };
        if let Some(rows) = sheet.rows.as_mut() {
            rows.push(
                &mut self.budget,
                sheet.row_index,
                &self.cells,
                row.filled,
                row.repeat,
                row.hidden,
            )?;
        }
        sheet.row_index = sheet.row_index.saturating_add(row.repeat);
        Ok(())
    }

    fn push_text(&mut self, text: &str) -> Result<(), Refusal> {
        let row = self.row_index();
        if let Some(cell) = self.cell.as_mut() {
            push_str(cell, &self.budget, row, text)?;
        }
        Ok(())
    }

    /// `&amp;`, `&#233;`… in a cell's text.
    fn entity(&mut self, r: &BytesRef) -> Result<(), Refusal> {
        let name: &str = r;
        let resolved = match quick_xml::escape::resolve_xml_entity(name) {
            Some(s) => Cow::Borrowed(s),
            None => match r.resolve_char_ref().map_err(xml_error)? {
                Some(c) => Cow::Owned(c.to_string()),
                None => {
                    return Err(xml_error(format!(
                        "entité inconnue &{};",
                        crate::text::echo::bound(name)
                    )));
                }
            },
        };
        self.push_text(&resolved)
    }

    fn finish(mut self) -> Result<Vec<SheetOutput>, Refusal> {
        if self.row.is_some() {
            self.end_row()?;
        }
        self.end_sheet();
        Ok(self.out)
    }
}

/// `02100` shown for the number 2100: digits only, a leading zero, the same number.
fn shows_leading_zeros(text: &str, value: Option<&Cell>) -> bool {
    let Some(Cell::Number(n)) = value else {
        return false;
    };
    text.len() >= 2
        && text.starts_with('0')
        && text.bytes().all(|b| b.is_ascii_digit())
        && text.parse::<u64>().is_ok_and(|shown| shown as f64 == *n)
}

fn push_str(
    cell: &mut CellState,
    budget: &FileBudget,
    row: u64,
    text: &str,
) -> Result<(), Refusal> {
    let chars = cell.chars.saturating_add(text.chars().count());
    budget.cell_chars(chars, row)?;
    cell.text.push_str(text);
    cell.chars = chars;
    Ok(())
}

/// The merged ranges a spanning cell starts, for each of its repeats (within `MAX_MERGES`).
fn merged(sheet: &mut SheetState, row: &RowState, first_col: u64, repeat: u64, spans: (u64, u64)) {
    let (rows_spanned, cols_spanned) = spans;
    for r in 0..row.repeat {
        for c in 0..repeat {
            if sheet.merges.len() >= MAX_MERGES {
                return;
            }
            let (top, left) = (sheet.row_index + r, first_col + c);
            let (bottom, right) = (top + rows_spanned - 1, left + cols_spanned - 1);
            if FileBudget::in_grid(bottom, right).is_err() {
                return;
            }
            // Within the grid, so within u32 and u16.
            sheet.merges.push(MergedRange {
                first_row: top as u32 + 1,
                first_col: left as u16,
                last_row: bottom as u32 + 1,
                last_col: right as u16,
            });
        }
    }
}

/// The names of the sheets of `content.xml`, in order, read on their own: needed only when a
/// sheet that no name recognises comes before any that one does and `settings.xml` does not
/// list them.
fn scan_sheet_names(file: &File, deadline: Deadline) -> Result<Vec<String>, Refusal> {
    let mut archive = open_archive(file)?;
    let content = archive.by_name("content.xml").map_err(|_| corrupt())?;
    let mut names = Vec::new();
    let mut depth = 0u32;
    stream_xml(content, deadline, |event| {
        match event {
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                if depth == 0
                    && let Some(n) = attribute(&e, "table:name")?
                {
                    names.push(n.into_owned());
                }
                depth += 1;
            }
            Event::Empty(e) if depth == 0 && e.name().as_ref() == "table:table" => {
                if let Some(n) = attribute(&e, "table:name")? {
                    names.push(n.into_owned());
                }
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
        Ok(Flow::Go)
    })?;
    Ok(names)
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::Mutex;

    use super::*;
    use crate::ingest::RowSink;
    use crate::model::{AnyField, Partner, RowChunk, SheetAt, SheetKind};

    const NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0""#;

    fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut z = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
            for (name, data) in entries {
                z.start_file(*name, zip::write::SimpleFileOptions::default())
                    .unwrap();
                z.write_all(data).unwrap();
            }
            z.finish().unwrap();
        }
        out
    }

    fn content(tables: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
        )
    }

    fn cell(text: &str) -> String {
        format!(
            r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
        )
    }

    fn row(cells: &[&str]) -> String {
        let cells: String = cells.iter().map(|c| cell(c)).collect();
        format!("<table:table-row>{cells}</table:table-row>")
    }

    fn partners_table(name: &str, rows: &str) -> String {
        format!(
            r#"<table:table table:name="{name}">{}{rows}</table:table>"#,
            row(&["id", "nom", "type"])
        )
    }

    /// Keeps every partner row read.
    #[derive(Default)]
    struct Kept(Mutex<Vec<Partner>>);

    impl RowSink for Kept {
        fn chunk(&self, _: SheetAt, rows: &RowChunk) {
            self.0.lock().unwrap().extend(rows.partners.iter().cloned());
        }
    }

    fn read_with(
        bytes: &[u8],
        limits: &Limits,
        deadline: Deadline,
    ) -> (Result<Vec<SheetOutput>, Refusal>, Vec<Partner>) {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(bytes).unwrap();
        let kept = Kept::default();
        let streaming = Streaming {
            file: "test.ods",
            file_index: 0,
            referential: None,
            sink: &kept,
            keep_texts: false,
            handoff: None,
            deadline,
        };
        let read = read(&file, limits, streaming);
        (read, kept.0.into_inner().unwrap())
    }

    fn read_ods(entries: &[(&str, &[u8])]) -> (Result<Vec<SheetOutput>, Refusal>, Vec<Partner>) {
        read_with(&zip(entries), &Limits::default(), Deadline::NONE)
    }

    fn noms(partners: &[Partner]) -> Vec<String> {
        partners
            .iter()
            .map(|p| match p.nom.invalid() {
                Some((raw, _)) => format!("invalide {raw}"),
                None => p.nom.text().unwrap_or_default().to_string(),
            })
            .collect()
    }

    #[test]
    fn reads_every_kind_of_cell() {
        let rows = [
            format!(
                r#"<table:table-row>{}<table:table-cell office:value-type="string"><text:p>Les <text:span>Blongios</text:span><text:s text:c="2"/>&amp; co</text:p><text:p>ligne 2</text:p><office:annotation><text:p>un commentaire</text:p></office:annotation></table:table-cell>{}</table:table-row>"#,
                cell("P-1"),
                cell("association")
            ),
            format!(
                r#"<table:table-row>{}<table:table-cell office:value-type="float" office:value="1234.5"><text:p>1 234,5</text:p></table:table-cell></table:table-row>"#,
                cell("P-2")
            ),
            format!(
                r#"<table:table-row>{}<table:table-cell office:value-type="date" office:date-value="2019-02-01"><text:p>01/02/2019</text:p></table:table-cell></table:table-row>"#,
                cell("P-3")
            ),
            format!(
                r#"<table:table-row>{}<table:table-cell office:value-type="string" office:string-value="" calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell></table:table-row>"#,
                cell("P-4")
            ),
            format!(
                r#"<table:table-row>{}<table:table-cell office:value-type="string" office:string-value="attribut"><text:p>affiché</text:p></table:table-cell></table:table-row>"#,
                cell("P-5")
            ),
            // A number shown with leading zeros (a « 00000 » format) reads as shown; one shown
            // otherwise as its value.
            format!(
                r#"<table:table-row>{}<table:table-cell office:value-type="float" office:value="2100"><text:p>02100</text:p></table:table-cell></table:table-row>"#,
                cell("P-6")
            ),
            format!(
                r#"<table:table-row>{}<table:table-cell office:value-type="float" office:value="2100"><text:p>2 100</text:p></table:table-cell></table:table-row>"#,
                cell("P-7")
            ),
        ]
        .concat();
        let xml = content(&partners_table("Partenaires", &rows));
        let (read, partners) = read_ods(&[("mimetype", MIMETYPE), ("content.xml", xml.as_bytes())]);
        let sheets = read.unwrap();
        assert_eq!(sheets.len(), 1);
        assert_eq!(sheets[0].data_rows, 7);
        assert_eq!(sheets[0].header_row, Some(1));
        assert_eq!(
            noms(&partners),
            [
                "Les Blongios  & co\nligne 2",
                "1234.5",
                "2019-02-01",
                "invalide #DIV/0!",
                "attribut",
                "02100",
                "2100"
            ]
        );
        assert_eq!(partners[4].origin.row, 6);
    }

    #[test]
    fn repeats_are_expanded_and_trailing_empty_ones_cost_nothing() {
        let rows = r#"<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="2" office:value-type="string"><text:p>P-9</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>association</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16000"/></table:table-row><table:table-row table:number-rows-repeated="1048570" table:visibility="collapse"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#;
        let xml = content(&partners_table("Partenaires", rows));
        let (read, partners) = read_ods(&[("content.xml", xml.as_bytes())]);
        let sheets = read.unwrap();
        assert_eq!(sheets[0].data_rows, 3);
        assert_eq!(sheets[0].hidden_rows, 0);
        assert_eq!(
            partners.iter().map(|p| p.origin.row).collect::<Vec<_>>(),
            [2, 3, 4]
        );
        assert_eq!(noms(&partners), ["P-9", "P-9", "P-9"]);
    }

    #[test]
    fn hidden_rows_are_counted() {
        let rows = format!(
            r#"<table:table-row table:visibility="collapse" table:number-rows-repeated="2">{}</table:table-row>"#,
            [cell("P-1"), cell("Nom"), cell("association")].concat()
        );
        let xml = content(&partners_table("Partenaires", &rows));
        let (read, _) = read_ods(&[("content.xml", xml.as_bytes())]);
        assert_eq!(read.unwrap()[0].hidden_rows, 2);
    }

    #[test]
    fn only_sheets_named_like_ours_when_there_are_some() {
        let lists = partners_table("Listes", &row(&["P-0", "Liste", "association"]));
        let ours = partners_table("Partenaires", &row(&["P-1", "Nom", "association"]));
        let xml = content(&format!("{lists}{ours}"));
        // Without settings.xml the names are found by a scan of the content. « Listes » holds
        // a whole table: told (S010), not read.
        let (read, partners) = read_ods(&[("content.xml", xml.as_bytes())]);
        let sheets = read.unwrap();
        assert_eq!(sheets.iter().filter(|s| s.kind.is_some()).count(), 1);
        assert_eq!(
            sheets[0].unread_table,
            Some((SheetKind::Partenaires, 1)),
            "{}",
            sheets[0].name
        );
        assert_eq!(noms(&partners), ["Nom"]);
        let settings = r#"<?xml version="1.0"?><office:document-settings xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0"><office:settings><config:config-item-set config:name="ooo:view-settings"><config:config-item-map-indexed config:name="Views"><config:config-item-map-entry><config:config-item-map-named config:name="Tables"><config:config-item-map-entry config:name="Listes"/><config:config-item-map-entry config:name="Partenaires"/></config:config-item-map-named></config:config-item-map-entry></config:config-item-map-indexed></config:config-item-set></office:settings></office:document-settings>"#;
        let (read, partners) = read_ods(&[
            ("settings.xml", settings.as_bytes()),
            ("content.xml", xml.as_bytes()),
        ]);
        assert_eq!(read.unwrap().iter().filter(|s| s.kind.is_some()).count(), 1);
        assert_eq!(noms(&partners), ["Nom"]);
        // No sheet named like ours: each is read, recognised by its header.
        let other = partners_table("Feuil2", &row(&["P-2", "Autre", "association"]));
        let xml = content(&format!("{lists}{other}"));
        let (read, partners) = read_ods(&[("content.xml", xml.as_bytes())]);
        assert_eq!(read.unwrap().len(), 2);
        assert_eq!(noms(&partners), ["Liste", "Autre"]);
    }

    #[test]
    fn a_sheet_without_header_is_passed_over() {
        let junk: String = (0..50).map(|i| row(&[&format!("x{i}"), "y"])).collect();
        let ours = partners_table("Partenaires", &row(&["P-1", "Nom", "association"]));
        let xml = content(&format!(
            r#"<table:table table:name="Partenaires anciens">{junk}</table:table>{ours}"#
        ));
        let (read, partners) = read_ods(&[("content.xml", xml.as_bytes())]);
        let sheets = read.unwrap();
        assert_eq!(sheets.len(), 2);
        assert_eq!(sheets[0].header_row, None);
        assert_eq!(noms(&partners), ["Nom"]);
    }

    fn refused(entries: &[(&str, &[u8])], limits: &Limits) -> Refusal {
        match read_with(&zip(entries), limits, Deadline::NONE).0 {
            Err(r) => r,
            Ok(_) => panic!("read"),
        }
    }

    #[test]
    fn limits_hold_as_repeats_are_expanded() {
        let rows = r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#;
        let xml = content(&partners_table("Partenaires", rows));
        let r = refused(&[("content.xml", xml.as_bytes())], &Limits::default());
        assert!(
            matches!(&r, Refusal::OverLimit(m) if m.contains("cellules")),
            "{r:?}"
        );
        let rows = format!(
            r#"<table:table-row table:number-rows-repeated="100">{}</table:table-row>"#,
            [cell("P-1"), cell("Nom"), cell("association")].concat()
        );
        let xml = content(&partners_table("Partenaires", &rows));
        let limits = Limits {
            max_rows: 50,
            ..Limits::default()
        };
        let r = refused(&[("content.xml", xml.as_bytes())], &limits);
        assert!(
            matches!(&r, Refusal::OverLimit(m) if m.contains("lignes")),
            "{r:?}"
        );
        let past = r#"<table:table-row table:number-rows-repeated="1048576"/><table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#;
        let xml = content(&partners_table("Partenaires", past));
        let r = refused(&[("content.xml", xml.as_bytes())], &Limits::default());
        assert!(
            matches!(&r, Refusal::OverLimit(m) if m.contains("grille")),
            "{r:?}"
        );
    }

    #[test]
    fn crafted_texts_and_tags_are_bounded() {
        let spaces = format!(
            r#"<table:table-row>{}<table:table-cell office:value-type="string"><text:p>a<text:s text:c="4000000000"/></text:p></table:table-cell></table:table-row>"#,
            cell("P-1")
        );
        let xml = content(&partners_table("Partenaires", &spaces));
        let r = refused(&[("content.xml", xml.as_bytes())], &Limits::default());
        assert!(
            matches!(&r, Refusal::OverLimit(m) if m.contains("caractères")),
            "{r:?}"
        );
        let tag = format!(
            r#"<table:table table:name="{}"></table:table>"#,
            "N".repeat(5 * 1024 * 1024)
        );
        let xml = content(&tag);
        let limits = Limits {
            max_expansion: u64::MAX,
            ..Limits::default()
        };
        let r = refused(&[("content.xml", xml.as_bytes())], &limits);
        assert!(
            matches!(&r, Refusal::OverLimit(m) if m.contains("élément")),
            "{r:?}"
        );
    }

    #[test]
    fn a_bomb_is_refused_before_it_is_inflated() {
        let rows = row(&["P-1", "Nom", "association"]).repeat(200_000);
        let xml = content(&partners_table("Partenaires", &rows));
        let r = refused(&[("content.xml", xml.as_bytes())], &Limits::default());
        assert!(
            matches!(&r, Refusal::OverLimit(m) if m.contains("--max-expansion")),
            "{r:?}"
        );
        let limits = Limits {
            max_expansion: 10_000,
            ..Limits::default()
        };
        let (read, _) = read_with(
            &zip(&[("content.xml", xml.as_bytes())]),
            &limits,
            Deadline::NONE,
        );
        assert_eq!(read.unwrap()[0].data_rows, 200_000);
    }

    #[test]
    fn out_of_time_is_over_limit() {
        let xml = content(&partners_table(
            "Partenaires",
            &row(&["P-1", "Nom", "association"]),
        ));
        let limits = Limits {
            max_duration: std::time::Duration::from_nanos(1),
            ..Limits::default()
        };
        let (read, _) = read_with(
            &zip(&[("content.xml", xml.as_bytes())]),
            &limits,
            Deadline::start(&limits),
        );
        assert!(matches!(read, Err(Refusal::OverLimit(m)) if m.contains("--max-duree")));
    }

    #[test]
    fn not_a_spreadsheet() {
        let r = refused(
            &[("mimetype", b"application/vnd.oasis.opendocument.text")],
            &Limits::default(),
        );
        assert!(
            matches!(&r, Refusal::Unreadable(m) if m.contains("text")),
            "{r:?}"
        );
        let r = refused(&[("mimetype", MIMETYPE)], &Limits::default());
        assert!(
            matches!(&r, Refusal::Unreadable(m) if m.contains("content.xml")),
            "{r:?}"
        );
        let manifest = br#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>"#;
        let r = refused(
            &[("META-INF/manifest.xml", manifest), ("content.xml", b"x")],
            &Limits::default(),
        );
        assert!(
            matches!(&r, Refusal::Unreadable(m) if m.contains("mot de passe")),
            "{r:?}"
        );
    }

    #[test]
    fn merged_ranges_follow_repeats() {
        let mut sheet = SheetState {
            rows: None,
            row_index: 4,
            merges: Vec::new(),
        };
        let row = RowState {
            repeat: 2,
            hidden: false,
            filled: 0,
            col: 0,
        };
        merged(&mut sheet, &row, 1, 1, (1, 3));
        assert_eq!(
            sheet.merges,
            [
                MergedRange {
                    first_row: 5,
                    first_col: 1,
                    last_row: 5,
                    last_col: 3
                },
                MergedRange {
                    first_row: 6,
                    first_col: 1,
                    last_row: 6,
                    last_col: 3
                }
            ]
        );
    }
}
