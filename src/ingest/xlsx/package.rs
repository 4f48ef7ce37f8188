//! The zip package of an xlsx/xlsm workbook: its members, each read through a guard that counts
//! the bytes actually inflated as they stream (a member's declared size may lie), and the path
//! rules for the relationships between its parts.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use zip::ZipArchive;
use zip::read::ZipFile;

use crate::ingest::limits::{Limits, Refusal, mib};
use crate::text::echo::bound;

/// A member may inflate this much before its expansion ratio is checked. Chosen from real
/// workbooks (README « Lecture des classeurs xlsx »): past 100 Kio every member measured in
/// Excel-, LibreOffice- and rust_xlsxwriter-written files inflates 3 to 12 times, 44 at most
/// for rows of nothing but formatting; only parts of identical repeated records (`styles.xml`
/// after years of copy-and-paste between workbooks: up to 64 000 cell formats, a few Mio, 300
/// times and more) go past 100, and they stay under 8 Mio. Inflating is streamed, so the grace
/// costs time (a few milliseconds), not memory.
pub const GRACE_BYTES: u64 = 8 * 1024 * 1024;

/// What one workbook may cost, shared by all its members: total inflated bytes, time, and the
/// refusal that stopped a read (a reader can only return an `io::Error` through quick-xml).
pub(super) struct Budget {
    start: Instant,
    max_duration: Duration,
    max_total: u64,
    max_expansion: u64,
    /// One XML event (a tag, a run of text) may not take more than this: quick-xml buffers a
    /// whole event before it hands it over.
    pub max_event: u64,
    total: Cell<u64>,
    tripped: RefCell<Option<Refusal>>,
}

impl Budget {
    pub fn new(limits: &Limits) -> Self {
        Budget {
            start: Instant::now(),
            max_duration: limits.max_duration,
            max_total: limits.max_unzipped_bytes,
            max_expansion: limits.max_expansion,
            max_event: (limits.max_cell_chars as u64)
                .saturating_mul(8)
                .max(1024 * 1024),
            total: Cell::new(0),
            tripped: RefCell::new(None),
        }
    }

    /// Past the time allowed for one file.
    pub fn check_time(&self) -> Result<(), Refusal> {
        if self.start.elapsed() > self.max_duration {
            return Err(Refusal::OverLimit(format!(
                "lecture interrompue après {} s (option --max-duree)",
                self.max_duration.as_secs()
            )));
        }
        Ok(())
    }

    /// Remembers why a read stops, for the caller to find behind quick-xml's I/O error.
    fn trip(&self, refusal: Refusal) -> io::Error {
        *self.tripped.borrow_mut() = Some(refusal);
        io::Error::other("limite de lecture atteinte")
    }

    /// The refusal a member's guard recorded, if any.
    pub fn take_trip(&self) -> Option<Refusal> {
        self.tripped.borrow_mut().take()
    }
}

/// Counts the bytes the zip reader takes from the file: while a member streams, how much of
/// its compressed data has been consumed.
struct Counted<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: Seek> Seek for Counted<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

type Archive = ZipArchive<Counted<BufReader<File>>>;

pub(super) struct Package {
    archive: Archive,
    /// Bytes read from the file so far (an `Arc` only so that a sheet can be parsed on a
    /// thread of its own).
    consumed: Arc<AtomicU64>,
    /// Member index by normalised name (case-insensitive, `/` separators), as Office finds them.
    index: HashMap<String, usize>,
    pub budget: Budget,
}

/// A member name as looked up: `\` read as `/`, no leading `/`, ASCII case folded.
fn normalise(name: &str) -> String {
    name.replace('\\', "/")
        .trim_start_matches('/')
        .to_ascii_lowercase()
}

fn corrupt() -> Refusal {
    Refusal::Unreadable("archive du classeur illisible (fichier tronqué ou corrompu)".into())
}

impl Package {
    pub fn open(file: &File, limits: &Limits) -> Result<Self, Refusal> {
        let budget = Budget::new(limits);
        let handle = crate::ingest::rewound(file).map_err(|e| {
            Refusal::Unreadable(format!("ouverture impossible ({})", crate::io_reason(&e)))
        })?;
        let consumed = Arc::new(AtomicU64::new(0));
        let reader = Counted {
            inner: BufReader::with_capacity(64 * 1024, handle),
            count: Arc::clone(&consumed),
        };
        let archive = ZipArchive::new(reader).map_err(|_| corrupt())?;
        if archive.len() > MAX_MEMBERS {
            return Err(Refusal::OverLimit(format!(
                "l'archive contient {} éléments (limite {})",
                archive.len(),
                MAX_MEMBERS
            )));
        }
        if archive.has_duplicate_names() {
            return Err(duplicate_names());
        }
        let mut index = HashMap::with_capacity(archive.len());
        for (i, name) in archive.file_names_raw().enumerate() {
            let name = String::from_utf8_lossy(name);
            if index.insert(normalise(&name), i).is_some() {
                return Err(duplicate_names());
            }
        }
        Ok(Package {
            archive,
            consumed,
            index,
            budget,
        })
    }

    pub fn contains(&self, name: &str) -> bool {
        self.index.contains_key(&normalise(name))
    }

    /// The size the member `name` declares once inflated (it may lie: a hint only).
    pub fn declared_size(&mut self, name: &str) -> Option<u64> {
        let &i = self.index.get(&normalise(name))?;
        self.archive.by_index_raw(i).ok().map(|f| f.size())
    }

    /// The member `name` (looked up as Office does), `None` when the archive has none.
    pub fn member(&mut self, name: &str) -> Result<Option<Member<'_>>, Refusal> {
        let Some(&i) = self.index.get(&normalise(name)) else {
            return Ok(None);
        };
        let Package {
            archive,
            consumed,
            budget,
            ..
        } = self;
        let file = archive.by_index(i).map_err(|e| {
            Refusal::Unreadable(format!(
                "élément « {} » de l'archive illisible ({})",
                bound(name),
                bound(&e.to_string())
            ))
        })?;
        Ok(Some(Member {
            file,
            name: name.to_string(),
            budget,
            consumed,
            start: consumed.load(Ordering::Relaxed),
            inflated: 0,
            mark: 0,
        }))
    }
}

/// Members in one archive: Office writes a few dozen; the check before reading (precheck_zip)
/// allows 10 000, and so does this reader on its own.
const MAX_MEMBERS: usize = 10_000;

fn duplicate_names() -> Refusal {
    Refusal::Unreadable(
        "deux éléments de l'archive portent le même nom : classeur corrompu ou piégé".into(),
    )
}

/// One member, inflating as it is read, under the budget.
pub(super) struct Member<'a> {
    file: ZipFile<'a, Counted<BufReader<File>>>,
    name: String,
    budget: &'a Budget,
    consumed: &'a AtomicU64,
    /// `consumed` when the member was opened.
    start: u64,
    inflated: u64,
    /// `inflated` when the current XML event began.
    mark: u64,
}

impl Member<'_> {
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn budget(&self) -> &Budget {
        self.budget
    }

    /// A new XML event begins.
    pub fn mark(&mut self) {
        self.mark = self.inflated;
    }

    fn check(&self) -> Option<Refusal> {
        let b = self.budget;
        if b.total.get() > b.max_total {
            return Some(Refusal::OverLimit(format!(
                "le classeur décompressé dépasse {} (option --max-decompresse)",
                mib(b.max_total)
            )));
        }
        let compressed = self
            .consumed
            .load(Ordering::Relaxed)
            .saturating_sub(self.start)
            .max(1);
        if b.max_expansion > 0
            && self.inflated > GRACE_BYTES
            && self.inflated > compressed.saturating_mul(b.max_expansion)
        {
            return Some(Refusal::OverLimit(format!(
                "l'élément « {} » gonfle plus de {} fois à la décompression (bombe de \
                 décompression ?) ; si le fichier est sûr, relevez la limite avec l'option \
                 --max-expansion",
                bound(&self.name),
                b.max_expansion
            )));
        }
        if self.inflated - self.mark > b.max_event {
            return Some(Refusal::OverLimit(format!(
                "un seul élément XML de « {} » dépasse {} : aucune cellule ne contient autant de \
                 texte",
                bound(&self.name),
                mib(b.max_event)
            )));
        }
        b.check_time().err()
    }
}

impl Read for Member<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        self.inflated += n as u64;
        let b = self.budget;
        b.total.set(b.total.get() + n as u64);
        if let Some(refusal) = self.check() {
            return Err(b.trip(refusal));
        }
        Ok(n)
    }
}

/// The folder of a part (`xl/` for `xl/workbook.xml`, empty at the root).
pub(super) fn folder(part: &str) -> &str {
    match part.rfind('/') {
        Some(i) => &part[..=i],
        None => "",
    }
}

/// Resolves a relationship's target against the folder of the part whose relationships name it
/// (`source_folder`), as a member name: `.` and `..` applied, an absolute target taken from
/// the archive's root. `None` when it climbs out of the archive or, resolved, is not inside
/// `within` (the workbook's folder for its sheets).
pub(super) fn resolve(source_folder: &str, target: &str, within: &str) -> Option<String> {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{source_folder}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for segment in joined.split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let path = parts.join("/");
    path.to_ascii_lowercase()
        .starts_with(&within.to_ascii_lowercase())
        .then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_inside_the_workbook_folder_only() {
        assert_eq!(
            resolve("xl/", "worksheets/sheet1.xml", "xl/").as_deref(),
            Some("xl/worksheets/sheet1.xml")
        );
        assert_eq!(
            resolve("xl/", "/xl/worksheets/sheet1.xml", "xl/").as_deref(),
            Some("xl/worksheets/sheet1.xml")
        );
        assert_eq!(
            resolve("xl/", "./worksheets/../worksheets/s.xml", "xl/").as_deref(),
            Some("xl/worksheets/s.xml")
        );
        assert_eq!(resolve("xl/", "../../etc/passwd", "xl/"), None);
        assert_eq!(resolve("xl/", "../docProps/app.xml", "xl/"), None);
        assert_eq!(resolve("xl/", "/etc/passwd", "xl/"), None);
        assert_eq!(resolve("xl/", "..\\..\\x.xml", "xl/"), None);
        assert_eq!(
            resolve("", "xl/workbook.xml", "").as_deref(),
            Some("xl/workbook.xml")
        );
        assert_eq!(resolve("", "../workbook.xml", ""), None);
    }

    #[test]
    fn folders() {
        assert_eq!(folder("xl/workbook.xml"), "xl/");
        assert_eq!(folder("workbook.xml"), "");
    }
}
