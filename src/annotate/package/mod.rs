//! Annotating an xlsx or xlsm package in place: every member of the depositor's archive is
//! copied as it was (still compressed), except the few parts that change — the flagged
//! sheets (streamed: a 200 000-row sheet is never held whole), the styles, the workbook and
//! its relationships, the content types, and the notes — and the two sheets enrx adds.

pub mod comments;
pub mod new_sheet;
pub mod parts;
pub mod sheet;
pub mod styles;
pub mod workbook;
pub mod xml;

use std::collections::BTreeMap;
use std::io::{BufReader, Read, Seek, Write};

use zip::ZipArchive;
use zip::write::{SimpleFileOptions, ZipWriter};

use crate::annotate::grid::Grid;
use crate::annotate::marks::At;
use crate::diagnostic::Severity;
use comments::Note;
use parts::{ContentTypes, Members, Relationship, types};
use styles::{MarkStyles, Styles};
use workbook::WorkbookInfo;

/// Why a package could not be patched (French, for the log; the copy is then rewritten).
#[derive(Debug, Clone, PartialEq)]
pub struct PatchError(pub String);

impl std::fmt::Display for PatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The marks of one sheet: its flagged cells in order, and their notes.
pub struct SheetMarks {
    pub cells: Vec<(At, Severity)>,
    pub notes: Vec<Note>,
}

/// An opened package: its members and the small parts every copy changes.
pub struct Package<R: Read + Seek> {
    zip: ZipArchive<R>,
    members: Members,
    content_types: ContentTypes,
    workbook_part: String,
    workbook_text: String,
    workbook: WorkbookInfo,
    rels_part: String,
    rels_text: String,
    rels: Vec<Relationship>,
    /// The styles part, when the workbook has one.
    styles_part: Option<String>,
    styles: Styles,
}

fn read_required<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    members: &Members,
    part: &str,
) -> Result<String, PatchError> {
    parts::read_text(zip, members, part)?
        .ok_or_else(|| PatchError(format!("élément {part} absent du classeur")))
}

impl<R: Read + Seek> Package<R> {
    pub fn open(reader: R) -> Result<Self, PatchError> {
        let mut zip =
            ZipArchive::new(reader).map_err(|e| PatchError(format!("archive illisible ({e})")))?;
        let members = Members::of(&zip)?;
        let content_types =
            ContentTypes::parse(read_required(&mut zip, &members, "[Content_Types].xml")?)?;
        let root_rels = read_required(&mut zip, &members, "_rels/.rels")?;
        let workbook_part = parts::relationships(&root_rels, "_rels/.rels")?
            .into_iter()
            .find(|r| r.is("officeDocument"))
            .map(|r| parts::resolve("", &r.target))
            .ok_or_else(|| PatchError("pas de classeur principal dans l'archive".into()))?;
        let workbook_text = read_required(&mut zip, &members, &workbook_part)?;
        let workbook = workbook::parse(&workbook_text)?;
        let rels_part = parts::rels_of(&workbook_part);
        let rels_text = read_required(&mut zip, &members, &rels_part)?;
        let rels = parts::relationships(&rels_text, &rels_part)?;
        let styles_part = rels
            .iter()
            .find(|r| r.is("styles"))
            .map(|r| parts::resolve(&workbook_part, &r.target))
            .filter(|p| members.contains(p));
        let styles_text = match &styles_part {
            Some(p) => read_required(&mut zip, &members, p)?,
            None => styles::MINIMAL.to_string(),
        };
        Ok(Package {
            styles: Styles::parse(styles_text)?,
            zip,
            members,
            content_types,
            workbook_part,
            workbook_text,
            workbook,
            rels_part,
            rels_text,
            rels,
            styles_part,
        })
    }

    pub fn sheet_names(&self) -> Vec<String> {
        self.workbook
            .sheets
            .iter()
            .map(|s| s.name.clone())
            .collect()
    }

    /// A workbook with macros, which Excel opens only under an .xlsm name.
    pub fn is_macro_enabled(&self) -> bool {
        self.content_types.of(&self.workbook_part) == Some(types::CT_MACRO_WORKBOOK)
    }

    pub fn date1904(&self) -> bool {
        self.workbook.date1904
    }

    /// The worksheet part of a sheet, by its name.
    fn sheet_part(&self, name: &str) -> Option<String> {
        let entry = self.workbook.sheets.iter().find(|s| s.name == name)?;
        let rel = self
            .rels
            .iter()
            .find(|r| r.id == entry.rid && !r.external)?;
        rel.is("worksheet")
            .then(|| parts::resolve(&self.workbook_part, &rel.target))
            .filter(|p| self.members.contains(p))
    }

    /// Writes the annotated copy: `marks` by sheet name, `added` sheets put first.
    pub fn write<W: Write + Seek>(
        mut self,
        out: W,
        marks: &BTreeMap<String, SheetMarks>,
        added: &[Grid],
        seed: &str,
    ) -> Result<(), PatchError>
    where
        R: Send,
    {
        let plan = plan::make(&mut self, marks, added, seed)?;
        let mut zip_out = ZipWriter::new(out);
        let zerr = |e: zip::result::ZipError| PatchError(format!("écriture de la copie ({e})"));
        write_part(
            &mut zip_out,
            "[Content_Types].xml",
            plan.content_types.as_bytes(),
        )?;
        let mut mark_styles = MarkStyles::new(&self.styles);
        for i in 0..self.members.names.len() {
            let name = self.members.names[i].clone();
            let lower = name.to_ascii_lowercase();
            if lower == "[content_types].xml" || plan.is_deferred(&lower) {
                continue;
            }
            if let Some(bytes) = plan.replaced.get(&lower) {
                write_part(&mut zip_out, &name, bytes)?;
            } else if let Some(sheet) = plan
                .sheets
                .iter()
                .find(|s| s.part.eq_ignore_ascii_case(&name))
            {
                let cells = &marks[&sheet.name].cells;
                let sheet_plan = sheet::SheetPlan {
                    part: &sheet.part,
                    marks: cells,
                    legacy_rid: &sheet.legacy_rid,
                };
                zip_out
                    .start_file(name.as_str(), big_part_options())
                    .map_err(zerr)?;
                let src = BufReader::with_capacity(1 << 16, self.zip.by_index(i).map_err(zerr)?);
                let started = std::time::Instant::now();
                let styles = &mut mark_styles;
                piped(&mut zip_out, move |dst| {
                    sheet::rewrite(src, dst, &sheet_plan, styles)
                })?;
                log::debug!("{name} réécrite en {} ms", started.elapsed().as_millis());
            } else {
                let file = self.zip.by_index_raw(i).map_err(zerr)?;
                zip_out.raw_copy_file(file).map_err(zerr)?;
            }
        }
        for (part, bytes) in &plan.new_parts {
            write_part(&mut zip_out, part, bytes)?;
        }
        let styles_part = self
            .styles_part
            .clone()
            .unwrap_or_else(|| "xl/styles.xml".into());
        write_part(
            &mut zip_out,
            &styles_part,
            &self.styles.rewrite(&mark_styles.order)?,
        )?;
        zip_out.finish().map_err(zerr)?;
        Ok(())
    }
}

/// The flagged sheets' parts are large: compressed fast.
fn big_part_options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(BIG_PART_LEVEL))
        .large_file(false)
}

/// Deflate level of the rewritten sheets (1 fastest, 9 smallest): 3 compresses a generated
/// 148 MB sheet to 20,4 MB (6: 18,1 MB) in half the time of 6 (README « Copies annotées »).
pub const BIG_PART_LEVEL: i64 = 3;

/// Bytes handed from the parsing thread to the compressing one at a time.
const CHUNK: usize = 256 * 1024;

/// Runs `produce` on another thread and writes what it writes to `sink`: a flagged sheet is
/// parsed on one core while the other compresses it.
fn piped<W: Write>(
    sink: &mut W,
    produce: impl FnOnce(&mut ChunkSender) -> Result<(), PatchError> + Send,
) -> Result<(), PatchError> {
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
        let producer = scope.spawn(move || {
            let mut w = ChunkSender {
                tx,
                buf: Vec::with_capacity(CHUNK),
            };
            let produced = produce(&mut w);
            produced.and_then(|_| w.send().map_err(|e| PatchError(format!("écriture ({e})"))))
        });
        let mut written = Ok(());
        for chunk in rx {
            if let Err(e) = sink.write_all(&chunk) {
                // Dropping the receiver stops the producer at its next chunk.
                written = Err(PatchError(format!("écriture de la copie ({e})")));
                break;
            }
        }
        let produced = producer
            .join()
            .unwrap_or_else(|_| Err(PatchError("lecteur de feuille interrompu".into())));
        written.and(produced)
    })
}

/// The writing end of `piped`.
pub struct ChunkSender {
    tx: std::sync::mpsc::SyncSender<Vec<u8>>,
    buf: Vec<u8>,
}

impl ChunkSender {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        self.tx
            .send(chunk)
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }
}

impl Write for ChunkSender {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn write_part<W: Write + Seek>(
    zip: &mut ZipWriter<W>,
    name: &str,
    bytes: &[u8],
) -> Result<(), PatchError> {
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file(name, options)
        .and_then(|_| zip.write_all(bytes).map_err(Into::into))
        .map_err(|e| PatchError(format!("écriture de {name} ({e})")))
}

mod plan;
