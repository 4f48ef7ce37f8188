//! A diagnostic: what is wrong, where the user will find it, and how to fix it (DESIGN §5);
//! their counts by severity, and the records their errors leave out of the figures. A bottom
//! module: ingest hands diagnostics through, checks make them, figures and renderers read them.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Serialize;

use crate::model::{DataSet, Origin, SheetAt, SheetId};
use crate::text::echo;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Erreur,
    Avertissement,
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Erreur => "erreur",
            Severity::Avertissement => "avertissement",
            Severity::Info => "info",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub file: Option<String>,
    pub sheet: Option<String>,
    /// Excel A1 reference (`E12`), when the diagnostic is about one cell.
    pub cell: Option<String>,
    /// Excel row number as the user sees it.
    pub row: Option<u32>,
    /// Column header as written in the sheet, or the contract's column name.
    pub column: Option<String>,
    /// The column's header as the depositor typed it (« Date signature »), when the
    /// diagnostic is about a cell of a column the sheet has.
    pub header: Option<String>,
    pub value: Option<String>,
    pub expected: Option<String>,
    pub hint: Option<String>,
    /// The record this diagnostic is about: an error excludes it from the figures.
    #[serde(skip)]
    pub record: Option<Origin>,
    /// The sheet, for sorting and for sheet-wide errors.
    #[serde(skip)]
    pub sheet_index: Option<SheetId>,
    #[serde(skip)]
    pub file_index: Option<u32>,
    #[serde(skip)]
    pub col_index: Option<u16>,
    /// Set only on the line that stands for the diagnostics of its code left out in its
    /// file past `--max-anomalies`: how many there were. Such a line counts in nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub omitted: Option<usize>,
    /// How many diagnostics this one counts for: 1, but for one that only counts
    /// (`Diagnostic::counted`), which stands for every one its rule found on its record.
    #[serde(skip)]
    pub weight: usize,
}

/// `A`, `B`, … `Z`, `AA`, … from a 0-based column index.
pub fn column_letters(col: u16) -> String {
    let mut n = col as u32 + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// What makes diagnostics: a check's rule gives its code and severity.
pub trait Source {
    fn code(&self) -> &'static str;
    fn severity(&self) -> Severity;
}

/// Something that knows where a sheet is: the merged data set, or the sheet being read.
pub trait Locate {
    fn sheet_at(&self, id: SheetId) -> SheetAt<'_>;
    fn file_display(&self, file: u32) -> &str;
}

impl Locate for DataSet {
    fn sheet_at(&self, id: SheetId) -> SheetAt<'_> {
        DataSet::sheet_at(self, id)
    }
    fn file_display(&self, file: u32) -> &str {
        &self.files[file as usize].display
    }
}

impl Locate for SheetAt<'_> {
    fn sheet_at(&self, id: SheetId) -> SheetAt<'_> {
        debug_assert_eq!(id, self.id, "a chunk's rows are of its sheet");
        *self
    }
    fn file_display(&self, _: u32) -> &str {
        self.file
    }
}

/// What a submission can put in a diagnostic is bounded and escaped here, once for every
/// output (text, JSON, CSV, anomalies.csv, the PDF): `value`, the sheet and column names
/// (cells of the submission) are cut at `echo::MAX_CHARS` characters; every text has its
/// control and bidirectional characters escaped. The cell values a message quotes are
/// bounded by the rule that quotes them, with `echo::bound`: a message is a sentence of the
/// rule's, not something to parse again.
impl Diagnostic {
    pub fn new(rule: &impl Source, message: impl Into<String>) -> Self {
        Diagnostic {
            code: rule.code(),
            severity: rule.severity(),
            message: echo::escape_owned(message.into()),
            file: None,
            sheet: None,
            cell: None,
            row: None,
            column: None,
            header: None,
            value: None,
            expected: None,
            hint: None,
            record: None,
            sheet_index: None,
            file_index: None,
            col_index: None,
            omitted: None,
            weight: 1,
        }
    }

    /// What counts of a diagnostic about the record at `origin` that will not be kept (its
    /// code is over `--max-anomalies` in its file): its code, severity, place and record,
    /// without a text. Never shown: it only counts, and an error still leaves its row out.
    pub fn counted(rule: &impl Source, origin: Origin) -> Self {
        Diagnostic {
            code: rule.code(),
            severity: rule.severity(),
            message: String::new(),
            file: None,
            sheet: None,
            cell: None,
            row: Some(origin.row),
            column: None,
            value: None,
            expected: None,
            hint: None,
            record: Some(origin),
            sheet_index: Some(origin.sheet),
            file_index: Some(origin.sheet.file()),
            col_index: None,
            header: None,
            omitted: None,
            weight: 1,
        }
    }

    pub fn in_file(mut self, at: &impl Locate, file: u32) -> Self {
        self.file = Some(echo::escape(at.file_display(file)).into_owned());
        self.file_index = Some(file);
        self
    }

    /// A path that is not one of the files read (a symbolic link left out): named, not indexed.
    pub fn at_path(mut self, path: &str) -> Self {
        self.file = Some(echo::escape(path).into_owned());
        self
    }

    pub fn in_sheet(self, at: &impl Locate, sheet: SheetId) -> Self {
        let info = at.sheet_at(sheet);
        let mut d = self.in_file(at, sheet.file());
        // A CSV file is its own sheet: its name would only repeat the file's.
        d.sheet = (!info.name.is_empty()).then(|| echo::bound(info.name).into_owned());
        d.sheet_index = Some(sheet);
        d
    }

    /// A whole row of a sheet.
    pub fn at_row(self, at: &impl Locate, origin: Origin) -> Self {
        let mut d = self.in_sheet(at, origin.sheet);
        d.row = Some(origin.row);
        d
    }

    /// One cell: the row of `origin`, the column `col` (or the whole row when the column is absent).
    pub fn at_cell(
        self,
        at: &impl Locate,
        origin: Origin,
        col: Option<u16>,
        column_name: &str,
    ) -> Self {
        let mut d = self.at_row(at, origin);
        if let Some(col) = col {
            d.cell = Some(format!("{}{}", column_letters(col), origin.row));
            d.col_index = Some(col);
            d.header = at
                .sheet_at(origin.sheet)
                .headers
                .get(col as usize)
                .filter(|h| !h.is_empty())
                .cloned();
        }
        d.column = Some(echo::bound(column_name).into_owned());
        d
    }

    /// A header cell of a sheet.
    pub fn at_header(
        self,
        at: &impl Locate,
        sheet: SheetId,
        col: Option<u16>,
        column_name: &str,
    ) -> Self {
        let row = at.sheet_at(sheet).header_row.unwrap_or(1);
        self.at_cell(at, Origin { sheet, row }, col, column_name)
    }

    /// The record the diagnostic is about (its origin): an error leaves it out of the figures.
    pub fn record(mut self, record: Origin) -> Self {
        self.record = Some(record);
        self
    }

    /// The value found, as the cell holds it: bounded and escaped (`echo::bound`).
    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(echo::bound_owned(value.into()));
        self
    }

    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(echo::escape_owned(expected.into()));
        self
    }

    pub fn hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint.map(echo::escape_owned);
        self
    }

    /// « fichier.xlsx, feuille Conventions, cellule E12 » — where the user will look.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?;
        let mut s = file.clone();
        if let Some(sheet) = &self.sheet {
            s.push_str(&format!(", feuille {sheet}"));
        }
        match (&self.cell, self.row) {
            (Some(cell), _) => s.push_str(&format!(", cellule {cell}")),
            (None, Some(row)) => s.push_str(&format!(", ligne {row}")),
            _ => {}
        }
        Some(s)
    }

    /// Stable order: by file, sheet, row, column, then code; data-set-wide diagnostics last;
    /// the lines standing for diagnostics left out at the end of their file.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            self.file_index.is_none(),
            self.file_index,
            self.omitted.is_some(),
            self.sheet_index,
            self.row,
            self.col_index,
            self.code,
            self.message.as_str(),
        )
    }
}

/// A quick hasher for the collector's small keys (records, file and code), made millions of
/// times for a broken sheet; not exposed to hash flooding (the keys are positions and codes).
#[derive(Default, Clone, Copy)]
pub struct QuickHash(u64);

impl std::hash::Hasher for QuickHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(n as u64);
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(n as u64);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type QuickState = std::hash::BuildHasherDefault<QuickHash>;

/// The records left out of the figures: those with an error, and every record of a sheet
/// with a sheet-wide error (a missing or duplicate column). Warnings exclude nothing.
#[derive(Debug, Default)]
pub struct Exclusions {
    records: HashSet<Origin, QuickState>,
    sheets: HashSet<SheetId>,
    /// The record noted last: a row's diagnostics come one after the other.
    last: Option<Origin>,
}

impl Exclusions {
    pub fn none() -> Self {
        Exclusions::default()
    }

    pub fn from(diagnostics: &[Diagnostic]) -> Self {
        let mut exclusions = Exclusions::none();
        for d in diagnostics {
            exclusions.note(d);
        }
        exclusions
    }

    /// Takes into account one diagnostic as it is made, whether it is kept or not.
    pub fn note(&mut self, d: &Diagnostic) {
        if d.severity != Severity::Erreur || d.omitted.is_some() {
            return;
        }
        match (d.record, d.sheet_index) {
            (Some(r), _) if self.last != Some(r) => {
                self.records.insert(r);
                self.last = Some(r);
            }
            (Some(_), _) => {}
            (None, Some(s)) if d.row.is_none() || d.code.starts_with('S') => {
                self.sheets.insert(s);
            }
            _ => {}
        }
    }

    /// Whether the record read at `origin` is left out.
    pub fn excludes(&self, origin: Origin) -> bool {
        self.records.contains(&origin) || self.sheets.contains(&origin.sheet)
    }

    /// The records an error is about (the rows the report says it leaves out).
    pub fn records_in_error(&self) -> usize {
        self.records.len()
    }
}

/// Counts by severity, for the closing line and the exit code.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub erreurs: usize,
    pub avertissements: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut c = Counts::default();
        for d in diagnostics {
            c.add(d);
        }
        c
    }

    /// Counts one diagnostic; a line standing for left-out ones counts in nothing.
    pub fn add(&mut self, d: &Diagnostic) {
        if d.omitted.is_some() {
            return;
        }
        match d.severity {
            Severity::Erreur => self.erreurs += d.weight,
            Severity::Avertissement => self.avertissements += d.weight,
            Severity::Info => self.infos += d.weight,
        }
    }
}

/// What every diagnostic made adds up to, kept or not (`Collector`): the exit code, the
/// closing line, the rows left out of the figures and `enrx diff` read this, never the
/// list of diagnostics kept.
#[derive(Debug, Default)]
pub struct Tally {
    pub counts: Counts,
    pub exclusions: Exclusions,
    /// Diagnostics made, by code.
    pub per_code: BTreeMap<&'static str, usize>,
    /// The codes of which some diagnostics were left out (in at least one file).
    pub truncated: BTreeSet<&'static str>,
}

impl Tally {
    /// The tally of a whole list of diagnostics (none left out).
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut collector = Collector::new(0);
        collector.extend(diagnostics.iter().cloned());
        collector.finish().1
    }
}

/// How many diagnostics of one code were made in one file, and where that file is.
struct Seen {
    made: usize,
    severity: Severity,
    file: Option<String>,
}

/// Gathers diagnostics as the checks make them: keeps the first `bound` of each code in each
/// file (`--max-anomalies`; 0 keeps every one) and counts the others; counts, exclusions and
/// figures per code stay exact whatever is kept (a row in error is left out of the figures
/// when its diagnostic is made, kept or not). `finish` adds one line per code left out in a
/// file: « … et 998 000 autres V001 dans ce fichier ».
pub struct Collector {
    bound: usize,
    kept: Vec<Diagnostic>,
    seen: HashMap<(Option<u32>, &'static str), Seen, QuickState>,
    /// Per file, the codes already at the bound: their rules may only count (`muted`).
    full: HashMap<u32, Vec<&'static str>>,
    tally: Tally,
}

impl Collector {
    pub fn new(bound: usize) -> Self {
        Collector {
            bound,
            kept: Vec::new(),
            seen: HashMap::default(),
            full: HashMap::new(),
            tally: Tally::default(),
        }
    }

    /// The codes of which no more diagnostics are kept in the file `file_index`: a rule may
    /// make only what counts of them (`Diagnostic::counted`).
    pub fn muted(&self, file_index: u32) -> &[&'static str] {
        self.full.get(&file_index).map_or(&[], Vec::as_slice)
    }

    pub fn add(&mut self, d: Diagnostic) {
        self.extend(std::iter::once(d));
    }

    /// Forgets what was found in the rows of a file that was not read whole (refused past a
    /// limit, or unreadable half-way): its rows count in nothing, and its F001 or F002 says
    /// why.
    pub fn forget_file(&mut self, file: u32) {
        self.kept.retain(|d| d.file_index != Some(file));
        let tally = &mut self.tally;
        self.seen.retain(|&(f, _), seen| {
            if f != Some(file) {
                return true;
            }
            let counted = match seen.severity {
                Severity::Erreur => &mut tally.counts.erreurs,
                Severity::Avertissement => &mut tally.counts.avertissements,
                Severity::Info => &mut tally.counts.infos,
            };
            *counted -= seen.made;
            false
        });
        self.full.remove(&file);
        let exclusions = &mut tally.exclusions;
        exclusions.records.retain(|o| o.sheet.file() != file);
        exclusions.sheets.retain(|s| s.file() != file);
        exclusions.last = None;
    }

    /// Takes diagnostics as they are made; those of one code in one file often come in a
    /// run (a rule's diagnostics on a chunk), looked up once.
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        let bound = self.bound;
        let mut diagnostics = diagnostics.into_iter().peekable();
        while let Some(first) = diagnostics.next() {
            let key = (first.file_index, first.code);
            let seen = self.seen.entry(key).or_insert_with(|| Seen {
                made: 0,
                severity: first.severity,
                file: first.file_index.and(first.file.clone()),
            });
            let mut next = Some(first);
            while let Some(d) = next {
                self.tally.counts.add(&d);
                self.tally.exclusions.note(&d);
                seen.made += d.weight;
                if bound == 0 || seen.made <= bound {
                    debug_assert!(!d.message.is_empty(), "one that only counts is never kept");
                    if seen.made == bound
                        && let Some(file) = d.file_index
                    {
                        // The next ones of this code in this file only count.
                        self.full.entry(file).or_default().push(d.code);
                    }
                    self.kept.push(d);
                }
                next = diagnostics.next_if(|n| (n.file_index, n.code) == key);
            }
        }
    }

    /// Lets `revise` change the kept diagnostics (the merged cells of a sheet, known only once
    /// its rows were checked, cancel some and repeat others): their counts and exclusions are
    /// taken back, then what `revise` leaves is taken as if made now. Records excluded only by
    /// diagnostics past the bound stay excluded.
    pub fn revise(&mut self, revise: impl FnOnce(&mut Vec<Diagnostic>)) {
        let mut kept = std::mem::take(&mut self.kept);
        let kept_errors: std::collections::HashSet<Origin> = kept
            .iter()
            .filter(|d| d.severity == Severity::Erreur)
            .filter_map(|d| d.record)
            .collect();
        for d in &kept {
            let counted = match d.severity {
                Severity::Erreur => &mut self.tally.counts.erreurs,
                Severity::Avertissement => &mut self.tally.counts.avertissements,
                Severity::Info => &mut self.tally.counts.infos,
            };
            *counted = counted.saturating_sub(1);
            if let Some(seen) = self.seen.get_mut(&(d.file_index, d.code)) {
                seen.made = seen.made.saturating_sub(1);
            }
        }
        let exclusions = &mut self.tally.exclusions;
        exclusions.records.retain(|o| !kept_errors.contains(o));
        exclusions.last = None;
        revise(&mut kept);
        // Taken back as they are: they were within the bound, and the few a merge repeats
        // on covered rows are kept beside them.
        for d in kept {
            self.tally.counts.add(&d);
            self.tally.exclusions.note(&d);
            let seen = self
                .seen
                .entry((d.file_index, d.code))
                .or_insert_with(|| Seen {
                    made: 0,
                    severity: d.severity,
                    file: d.file_index.and(d.file.clone()),
                });
            seen.made += 1;
            self.kept.push(d);
        }
    }

    /// The records left out of the figures so far.
    pub fn exclusions(&self) -> &Exclusions {
        &self.tally.exclusions
    }

    /// The diagnostics kept, with one line per code left out in a file, in a stable order;
    /// and the tally of all.
    pub fn finish(mut self) -> (Vec<Diagnostic>, Tally) {
        let bound = self.bound;
        let mut summaries: Vec<Diagnostic> = self
            .seen
            .into_iter()
            .inspect(|((_, code), seen)| {
                *self.tally.per_code.entry(code).or_insert(0) += seen.made;
            })
            .filter(|(_, seen)| bound > 0 && seen.made > bound)
            .map(|((file_index, code), seen)| {
                self.tally.truncated.insert(code);
                omitted_line(
                    code,
                    seen.severity,
                    file_index,
                    seen.file,
                    seen.made - bound,
                )
            })
            .collect();
        self.kept.append(&mut summaries);
        self.kept.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        (self.kept, self.tally)
    }
}

/// The line that stands for `omitted` diagnostics of `code` left out in a file (or in the
/// data set when `file_index` is `None`).
fn omitted_line(
    code: &'static str,
    severity: Severity,
    file_index: Option<u32>,
    file: Option<String>,
    omitted: usize,
) -> Diagnostic {
    let number = crate::text::french::format_integer(omitted as i64);
    let message = match (omitted, file_index.is_some()) {
        (1, true) => format!("… et 1 autre {code} dans ce fichier"),
        (1, false) => format!("… et 1 autre {code}"),
        (_, true) => format!("… et {number} autres {code} dans ce fichier"),
        (_, false) => format!("… et {number} autres {code}"),
    };
    Diagnostic {
        code,
        severity,
        message,
        file,
        file_index,
        omitted: Some(omitted),
        ..Diagnostic::new(&Omitted, String::new())
    }
}

/// The source of a line standing for left-out diagnostics (its code and severity are those
/// of the diagnostics it stands for).
struct Omitted;

impl Source for Omitted {
    fn code(&self) -> &'static str {
        ""
    }
    fn severity(&self) -> Severity {
        Severity::Info
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(4), "E");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16383), "XFD");
    }

    struct Rule(&'static str, Severity);

    impl Source for Rule {
        fn code(&self) -> &'static str {
            self.0
        }
        fn severity(&self) -> Severity {
            self.1
        }
    }

    fn in_error(code: &'static str, file: u32, row: u32) -> Diagnostic {
        let mut d = Diagnostic::new(&Rule(code, Severity::Erreur), format!("ligne {row}"));
        d.file = Some(format!("f{file}.csv"));
        d.file_index = Some(file);
        d.row = Some(row);
        d.record = Some(Origin {
            sheet: SheetId::new(file, 0),
            row,
        });
        d
    }

    #[test]
    fn a_bound_per_code_and_file_keeps_the_tally_exact() {
        let mut c = Collector::new(3);
        for row in 2..2002 {
            c.add(in_error("V001", 0, row));
            c.add(in_error("V001", 1, row));
        }
        c.add(in_error("V002", 0, 5));
        let warning = Diagnostic::new(&Rule("O001", Severity::Avertissement), "objectif");
        for _ in 0..5 {
            c.add(warning.clone());
        }
        assert!(c.exclusions().excludes(Origin {
            sheet: SheetId::new(1, 0),
            row: 2001
        }));
        let (kept, tally) = c.finish();
        assert_eq!(tally.counts.erreurs, 4001);
        assert_eq!(tally.counts.avertissements, 5);
        assert_eq!(tally.exclusions.records_in_error(), 4000);
        assert_eq!(tally.per_code["V001"], 4000);
        assert_eq!(
            tally.truncated.iter().copied().collect::<Vec<_>>(),
            ["O001", "V001"]
        );
        // 3 + 1 V002 + 1 line in file 0, 3 + 1 in file 1, 3 + 1 data-set-wide.
        assert_eq!(kept.len(), 13);
        let lines: Vec<&Diagnostic> = kept.iter().filter(|d| d.omitted.is_some()).collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(
            lines[0].message,
            "… et 1\u{202f}997 autres V001 dans ce fichier"
        );
        assert_eq!(lines[0].file.as_deref(), Some("f0.csv"));
        assert_eq!(lines[2].message, "… et 2 autres O001");
        // The line closes its file's diagnostics; it counts in nothing.
        assert_eq!(kept[4].omitted, Some(1997));
        assert_eq!(Counts::of(&kept[4..5]), Counts::default());
        assert_eq!(Tally::of(&kept).counts.erreurs, 7);
    }

    #[test]
    fn a_file_not_read_whole_leaves_nothing_behind() {
        let mut c = Collector::new(2);
        for row in 2..10 {
            c.add(in_error("V001", 0, row));
            c.add(in_error("V001", 1, row));
        }
        c.forget_file(0);
        let (kept, tally) = c.finish();
        assert!(kept.iter().all(|d| d.file_index == Some(1)));
        assert_eq!(tally.counts.erreurs, 8);
        assert_eq!(tally.per_code["V001"], 8);
        assert_eq!(tally.exclusions.records_in_error(), 8);
    }

    #[test]
    fn no_bound_keeps_every_one() {
        let mut c = Collector::new(0);
        for row in 0..5000 {
            c.add(in_error("V001", 0, row));
        }
        let (kept, tally) = c.finish();
        assert_eq!(kept.len(), 5000);
        assert!(tally.truncated.is_empty());
    }
}
