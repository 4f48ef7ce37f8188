//! xlsx and xlsm workbooks, read by us rather than by calamine: the zip package is opened with
//! the `zip` crate and every part is parsed with quick-xml as it inflates, under limits counted
//! on the bytes actually inflated (`--max-expansion`, `--max-decompresse`), the cell limits
//! and the time allowed (`--max-duree`). What calamine did not give is read too: hidden rows,
//! merged ranges, formulas without a computed value; chart, dialog and macro sheets are skipped.
//!
//! The parts, in the order they are read: `_rels/.rels` (where the workbook part is),
//! `[Content_Types].xml` (each part's type), the workbook's relationships and the workbook
//! (its sheets in order, its date system), `styles.xml` (which styles are dates), the shared
//! strings, then each sheet asked for, cell by cell.

mod package;
mod sheet;
mod strings;
mod styles;
mod xml;

use std::collections::HashMap;
use std::fs::File;
use std::sync::mpsc::{SyncSender, sync_channel};

use quick_xml::events::Event;

use crate::ingest::cell::Cell;
use crate::ingest::limits::{Limits, Refusal};
use crate::model::MergedRange;
use crate::text::echo::bound;
pub use package::GRACE_BYTES;
use package::{Package, folder, resolve};
pub use sheet::CellVisitor;
pub use strings::SharedStrings;
use styles::CellFormat;
use xml::{Xml, attribute, attribute_local, is_true};

/// An open workbook: its sheets listed, its styles and shared strings read.
pub struct Workbook {
    package: Package,
    strings: SharedStrings,
    formats: Vec<CellFormat>,
    is_1904: bool,
    /// The worksheets, in the workbook's order: name and part.
    sheets: Vec<(String, String)>,
    /// Sheets that are not worksheets (charts, dialogs, macros): name and what they are.
    skipped: Vec<(String, &'static str)>,
    max_cell_chars: usize,
}

/// A relationship of the workbook part.
struct Relationship {
    kind: String,
    target: String,
    external: bool,
}

/// The last segment of a relationship type URI (`worksheet`, `chartsheet`, `styles`…).
fn kind_of(uri: &str) -> &str {
    uri.rsplit('/').next().unwrap_or(uri)
}

fn unreadable(reason: impl Into<String>) -> Refusal {
    Refusal::Unreadable(reason.into())
}

impl Workbook {
    /// Opens the workbook in `file` and reads what every sheet needs.
    pub fn open(file: &File, limits: &Limits) -> Result<Self, Refusal> {
        let mut package = Package::open(file, limits)?;
        let workbook_part = workbook_part(&mut package)?;
        let content_types = content_types(&mut package)?;
        let base = folder(&workbook_part).to_string();
        let rels_part = format!("{base}_rels/{}.rels", &workbook_part[base.len()..]);
        let rels = relationships(&mut package, &rels_part)?;
        let (declared, is_1904) = workbook_sheets(&mut package, &workbook_part)?;

        let mut sheets = Vec::new();
        let mut skipped = Vec::new();
        for (name, id) in declared {
            let rel = rels.get(&id).ok_or_else(|| {
                unreadable(format!(
                    "classeur illisible (la feuille « {} » ne renvoie à aucune partie)",
                    bound(&name)
                ))
            })?;
            let what = match kind_of(&rel.kind) {
                "worksheet" => None,
                "chartsheet" => Some("graphique"),
                "dialogsheet" => Some("boîte de dialogue"),
                "xlMacrosheet" | "xlIntlMacrosheet" => Some("macros Excel 4"),
                _ => Some("type inconnu"),
            };
            if rel.external {
                return Err(unreadable(format!(
                    "classeur refusé : la feuille « {} » renvoie à un fichier extérieur",
                    bound(&name)
                )));
            }
            let part = resolve(&base, &rel.target, &base)
                .ok_or_else(|| out_of_package(&name, &rel.target))?;
            let what = what.or_else(|| match content_types.of(&part) {
                Some(t) if t.contains("chartsheet") => Some("graphique"),
                Some(t) if t.contains("dialogsheet") => Some("boîte de dialogue"),
                Some(t) if t.contains("macrosheet") => Some("macros Excel 4"),
                _ => None,
            });
            match what {
                Some(what) => {
                    log::debug!("feuille « {name} » ignorée ({what})");
                    skipped.push((name, what));
                }
                None => sheets.push((name, part)),
            }
        }

        // Styles and shared strings: where the relationships say, else where Office puts them.
        let part_of = |kind: &str, default: &str| -> Result<String, Refusal> {
            match rels
                .values()
                .find(|r| kind_of(&r.kind) == kind && !r.external)
            {
                Some(r) => resolve(&base, &r.target, &base)
                    .ok_or_else(|| out_of_package(default, &r.target)),
                None => Ok(format!("{base}{default}")),
            }
        };
        let styles_part = part_of("styles", "styles.xml")?;
        let strings_part = part_of("sharedStrings", "sharedStrings.xml")?;
        let formats = match package.member(&styles_part)? {
            Some(m) => styles::read(&mut Xml::new(m))?,
            None => Vec::new(),
        };
        let strings = match package.member(&strings_part)? {
            Some(m) => SharedStrings::read(&mut Xml::new(m), limits)?,
            None => SharedStrings::default(),
        };
        Ok(Workbook {
            package,
            strings,
            formats,
            is_1904,
            sheets,
            skipped,
            max_cell_chars: limits.max_cell_chars,
        })
    }

    /// The worksheets' names, in the workbook's order (chart, dialog and macro sheets left out).
    pub fn sheet_names(&self) -> Vec<String> {
        self.sheets.iter().map(|(n, _)| n.clone()).collect()
    }

    /// The sheets left out, with what they are.
    pub fn skipped_sheets(&self) -> &[(String, &'static str)] {
        &self.skipped
    }

    /// Dates count from 1904 (old Mac workbooks) rather than 1900.
    pub fn is_1904(&self) -> bool {
        self.is_1904
    }

    /// Streams the worksheet `name`'s cells into `visitor`. A large sheet is parsed on a
    /// thread of its own while `visitor` takes its cells on this one, in the same order.
    pub fn read_sheet<'t>(
        &'t mut self,
        name: &str,
        visitor: &mut dyn CellVisitor<'t>,
    ) -> Result<(), Refusal> {
        let Workbook {
            package,
            strings,
            formats,
            is_1904,
            sheets,
            max_cell_chars,
            ..
        } = self;
        let Some((_, part)) = sheets.iter().find(|(n, _)| n == name) else {
            return Err(unreadable(format!(
                "classeur illisible (pas de feuille « {} »)",
                bound(name)
            )));
        };
        let ctx = sheet::Context {
            strings,
            formats,
            is_1904: *is_1904,
            max_cell_chars: *max_cell_chars,
        };
        let parallel = package
            .declared_size(part)
            .is_some_and(|size| size > PARALLEL_BYTES);
        if !parallel || !PARALLEL.load(std::sync::atomic::Ordering::Relaxed) {
            return read_part(package, part, name, &ctx, visitor);
        }
        std::thread::scope(|scope| {
            let (tx, rx) = sync_channel::<Vec<Item<'t>>>(CHANNEL_BATCHES);
            let ctx = &ctx;
            let reader = scope.spawn(move || {
                let mut sender = Sender {
                    batch: Vec::with_capacity(BATCH_ITEMS),
                    tx,
                };
                read_part(package, part, name, ctx, &mut sender)?;
                sender.send();
                Ok(())
            });
            let taken = take_items(&rx, visitor);
            // The reader stops at its next batch when nothing more is wanted.
            drop(rx);
            let read = reader
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            taken.and(read)
        })
    }
}

/// Sheets whose part inflates to more than this are parsed on a thread of their own.
const PARALLEL_BYTES: u64 = 1024 * 1024;

/// Whether large sheets are parsed on a thread of their own (the default); off, every sheet is
/// read on the caller's thread: the reader's bare cost, for the benchmark's floor.
pub static PARALLEL: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);
/// Cells per batch handed from the parsing thread, and batches waiting at most: a few
/// megabytes in flight.
const BATCH_ITEMS: usize = 4096;
const CHANNEL_BATCHES: usize = 4;

/// Reads the worksheet part `part` (the sheet `name`) into `visitor`.
fn read_part<'t>(
    package: &mut Package,
    part: &str,
    name: &str,
    ctx: &sheet::Context<'t>,
    visitor: &mut dyn CellVisitor<'t>,
) -> Result<(), Refusal> {
    let member = package.member(part)?.ok_or_else(|| {
        unreadable(format!(
            "classeur illisible (la feuille « {} » est absente de l'archive)",
            bound(name)
        ))
    })?;
    sheet::read(&mut Xml::new(member), ctx, visitor)
}

/// What the parsing thread hands over, in the sheet's order.
enum Item<'t> {
    Hidden(u32),
    HiddenColumns(u16, u16),
    Cell(u32, u32, Cell<'t>),
    Merged(Vec<MergedRange>),
}

/// The parsing thread's visitor: gathers items into batches and sends them.
struct Sender<'t> {
    batch: Vec<Item<'t>>,
    tx: SyncSender<Vec<Item<'t>>>,
}

impl<'t> Sender<'t> {
    /// Sends the batch; `false` when the other side wants no more.
    fn send(&mut self) -> bool {
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH_ITEMS));
        self.tx.send(batch).is_ok()
    }
}

impl<'t> CellVisitor<'t> for Sender<'t> {
    fn hidden_row(&mut self, row_number: u32) {
        self.batch.push(Item::Hidden(row_number));
    }

    fn cell(&mut self, row: u32, col: u32, cell: Cell<'t>) -> Result<bool, Refusal> {
        self.batch.push(Item::Cell(row, col, cell));
        Ok(self.batch.len() < BATCH_ITEMS || self.send())
    }

    fn merged_cells(&mut self, ranges: Vec<MergedRange>) {
        self.batch.push(Item::Merged(ranges));
    }

    fn hidden_columns(&mut self, first: u16, last: u16) {
        self.batch.push(Item::HiddenColumns(first, last));
    }
}

/// Hands the items received to `visitor` until the sender is done or `visitor` wants no more.
fn take_items<'t>(
    rx: &std::sync::mpsc::Receiver<Vec<Item<'t>>>,
    visitor: &mut dyn CellVisitor<'t>,
) -> Result<(), Refusal> {
    for batch in rx.iter() {
        for item in batch {
            match item {
                Item::Hidden(row) => visitor.hidden_row(row),
                Item::HiddenColumns(first, last) => visitor.hidden_columns(first, last),
                Item::Cell(row, col, cell) => {
                    if !visitor.cell(row, col, cell)? {
                        return Ok(());
                    }
                }
                Item::Merged(ranges) => visitor.merged_cells(ranges),
            }
        }
    }
    Ok(())
}

fn out_of_package(name: &str, target: &str) -> Refusal {
    unreadable(format!(
        "classeur refusé : « {} » renvoie hors du classeur (« {} »)",
        bound(name),
        bound(target)
    ))
}

/// Where the workbook part is (`xl/workbook.xml` as Office writes it).
fn workbook_part(package: &mut Package) -> Result<String, Refusal> {
    let Some(member) = package.member("_rels/.rels")? else {
        if package.contains("xl/workbook.xml") {
            return Ok("xl/workbook.xml".into());
        }
        if package.contains("mimetype") && package.contains("content.xml") {
            return Err(unreadable(
                "c'est un classeur OpenDocument (ods) : enregistrez-le avec l'extension .ods",
            ));
        }
        return Err(unreadable(
            "ce n'est pas un classeur xlsx valide (partie _rels/.rels absente)",
        ));
    };
    let mut xml = Xml::new(member);
    let mut buf = Vec::new();
    let mut target = None;
    loop {
        match xml.next(&mut buf)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let is_document =
                    attribute(&e, "Type").is_some_and(|t| t.ends_with("/officeDocument"));
                if is_document && target.is_none() {
                    target = attribute(&e, "Target").map(|t| t.into_owned());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let target = target.unwrap_or_else(|| "xl/workbook.xml".into());
    let part = resolve("", &target, "").ok_or_else(|| out_of_package("_rels/.rels", &target))?;
    if part.to_ascii_lowercase().ends_with(".bin") {
        return Err(unreadable(
            "c'est un classeur binaire (xlsb) : enregistrez-le avec l'extension .xlsb",
        ));
    }
    Ok(part)
}

/// `[Content_Types].xml`: each part's type, by name or by extension.
#[derive(Default)]
struct ContentTypes {
    by_extension: HashMap<String, String>,
    by_part: HashMap<String, String>,
}

impl ContentTypes {
    fn of(&self, part: &str) -> Option<&str> {
        let part = part.to_ascii_lowercase();
        if let Some(t) = self.by_part.get(&part) {
            return Some(t);
        }
        let extension = part.rsplit_once('.').map(|(_, e)| e)?;
        self.by_extension.get(extension).map(String::as_str)
    }
}

fn content_types(package: &mut Package) -> Result<ContentTypes, Refusal> {
    let mut types = ContentTypes::default();
    let Some(member) = package.member("[Content_Types].xml")? else {
        return Ok(types);
    };
    let mut xml = Xml::new(member);
    let mut buf = Vec::new();
    loop {
        match xml.next(&mut buf)? {
            Event::Start(e) | Event::Empty(e) => {
                let Some(t) = attribute(&e, "ContentType") else {
                    continue;
                };
                match e.local_name().as_ref() {
                    "Default" => {
                        if let Some(x) = attribute(&e, "Extension") {
                            types
                                .by_extension
                                .insert(x.to_ascii_lowercase(), t.into_owned());
                        }
                    }
                    "Override" => {
                        if let Some(p) = attribute(&e, "PartName") {
                            let p = p.trim_start_matches('/').to_ascii_lowercase();
                            types.by_part.insert(p, t.into_owned());
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(types)
}

/// The relationships in `part`, by id.
fn relationships(
    package: &mut Package,
    part: &str,
) -> Result<HashMap<String, Relationship>, Refusal> {
    let mut rels = HashMap::new();
    let Some(member) = package.member(part)? else {
        return Ok(rels);
    };
    let mut xml = Xml::new(member);
    let mut buf = Vec::new();
    loop {
        match xml.next(&mut buf)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                if let Some(id) = attribute(&e, "Id") {
                    rels.insert(
                        id.into_owned(),
                        Relationship {
                            kind: attribute(&e, "Type").unwrap_or_default().into_owned(),
                            target: attribute(&e, "Target").unwrap_or_default().into_owned(),
                            external: attribute(&e, "TargetMode")
                                .is_some_and(|m| m.eq_ignore_ascii_case("External")),
                        },
                    );
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(rels)
}

/// The workbook's sheets (name, relationship id) in order, and its date system.
fn workbook_sheets(
    package: &mut Package,
    part: &str,
) -> Result<(Vec<(String, String)>, bool), Refusal> {
    let member = package.member(part)?.ok_or_else(|| {
        unreadable(format!(
            "ce n'est pas un classeur xlsx valide (partie {} absente)",
            bound(part)
        ))
    })?;
    let mut xml = Xml::new(member);
    let mut buf = Vec::new();
    let mut sheets = Vec::new();
    let mut is_1904 = false;
    loop {
        match xml.next(&mut buf)? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "sheet" => {
                    let name = attribute(&e, "name").unwrap_or_default().into_owned();
                    let id = attribute_local(&e, "id").unwrap_or_default().into_owned();
                    sheets.push((name, id));
                }
                // `x15:workbookPr` in an extension has the same local name, without the flag.
                "workbookPr" => {
                    if let Some(v) = attribute(&e, "date1904") {
                        is_1904 = is_true(&v);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((sheets, is_1904))
}
