//! The merged data set: every file read, every sheet recognised, every record typed.

use std::path::PathBuf;

use super::record::{
    Convention, ConventionCore, ConventionTexts, IndicatorValue, Partner, PartnerCore, PartnerLinks,
};

/// A sheet's identity, final as soon as it is read: its file's place among the files read,
/// and its place in that file. Files are read in parallel, yet no sheet (and so no record's
/// `Origin`) is ever renumbered; ids sort as the files and their sheets do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct SheetId(u32);

impl SheetId {
    const SHEET_BITS: u32 = 12;
    /// Sheets of one workbook that can be told apart; a workbook with more is refused.
    pub const MAX_SHEETS_PER_FILE: usize = 1 << Self::SHEET_BITS;
    /// Files of one run that can be told apart.
    pub const MAX_FILES: usize = 1 << (32 - Self::SHEET_BITS);

    /// The `sheet`-th sheet of the `file`-th file (both below their maximum).
    pub fn new(file: u32, sheet: u32) -> Self {
        debug_assert!((file as usize) < Self::MAX_FILES);
        debug_assert!((sheet as usize) < Self::MAX_SHEETS_PER_FILE);
        SheetId(file << Self::SHEET_BITS | sheet)
    }

    /// The file's place among the files read.
    pub fn file(self) -> u32 {
        self.0 >> Self::SHEET_BITS
    }
}

/// Where a sheet is, as messages name it: what a diagnostic needs to point at a cell, the same
/// for a sheet being read and for the merged data set.
#[derive(Debug, Clone, Copy)]
pub struct SheetAt<'a> {
    pub id: SheetId,
    /// The file as the user gave it.
    pub file: &'a str,
    /// The sheet's name; empty for a CSV file, which is its own sheet.
    pub name: &'a str,
    pub header_row: Option<u32>,
    /// The header row's texts as the depositor typed them, by column index.
    pub headers: &'a [String],
}

/// Full rows of one sheet, a chunk at a time, as a reader hands them over: the only place
/// whole rows live. The row rules read them; what is kept after is each row's core.
#[derive(Debug, Default)]
pub struct RowChunk {
    pub conventions: Vec<Convention>,
    pub partners: Vec<Partner>,
    pub indicators: Vec<IndicatorValue>,
}

impl RowChunk {
    /// An empty chunk with room for as many rows of each kind as this one holds.
    pub fn empty_like(&self) -> Self {
        RowChunk {
            conventions: Vec::with_capacity(self.conventions.len()),
            partners: Vec::with_capacity(self.partners.len()),
            indicators: Vec::with_capacity(self.indicators.len()),
        }
    }

    pub fn len(&self) -> usize {
        self.conventions.len() + self.partners.len() + self.indicators.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What kind of rows a sheet holds, recognised by its name or its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SheetKind {
    Conventions,
    Partenaires,
    Indicateurs,
}

impl SheetKind {
    pub const ALL: [SheetKind; 3] = [
        SheetKind::Conventions,
        SheetKind::Partenaires,
        SheetKind::Indicateurs,
    ];

    /// The sheet name the contract gives.
    pub fn name(self) -> &'static str {
        match self {
            SheetKind::Conventions => "Conventions",
            SheetKind::Partenaires => "Partenaires",
            SheetKind::Indicateurs => "Indicateurs",
        }
    }
}

/// How reading a file went, before any check.
#[derive(Debug, Clone, PartialEq)]
pub enum FileStatus {
    Read,
    /// Corrupt, encrypted, not a spreadsheet (F001); the reason is French.
    Unreadable(String),
    /// Over a resource limit (F002); the reason is French.
    OverLimit(String),
}

#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The path as the user gave it, for messages.
    pub display: String,
    pub status: FileStatus,
    /// A text file that was not UTF-8 and was read as Windows-1252 (F004).
    pub decoded_as_windows_1252: bool,
    /// Sheets of this file.
    pub sheets: Vec<SheetId>,
    /// Data rows read from the recognised sheets.
    pub rows: usize,
    /// Sheets not named like ours, beside sheets that are, holding a whole table: not read.
    pub unread_tables: Vec<UnreadTable>,
}

/// A sheet whose header is a whole table's (key column and two more) but whose name is not
/// one of ours, in a workbook that has sheets named like ours: not read (S010).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadTable {
    pub sheet: String,
    pub kind: SheetKind,
    /// Excel row number of its header.
    pub header_row: u32,
}

/// Why a symbolic link found in an input folder was not followed (F005).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    /// It leads out of the input folder (without `--suivre-liens`).
    LeadsOut,
    /// It leads back to itself through other links: there is nothing at its end.
    Loop,
}

/// A symbolic link met while walking an input folder and not read: it is named, never what
/// it leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedLink {
    /// The link's own path, as found under the folder the user gave.
    pub display: String,
    pub problem: LinkProblem,
}

/// A range of merged cells as the workbook declares it: Excel row numbers (1-based), column
/// indices (0-based), both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergedRange {
    pub first_row: u32,
    pub first_col: u16,
    pub last_row: u32,
    pub last_col: u16,
}

/// A vertical merge inside the data: the value of its first cell is read as the value of
/// every row it covers (S005).
#[derive(Debug, Clone, PartialEq)]
pub struct MergedData {
    pub range: MergedRange,
    /// The column its value is read in, by its contract name.
    pub column: &'static str,
    /// Data rows of the range, its first row included.
    pub rows: u32,
    /// The value as it can be told once read; `None` when only its own row kept it.
    pub value: Option<String>,
    /// The reader gave the merge after the rows (a streamed xlsx lists merges after its
    /// cells): the covered rows were checked with the cell empty, and took the value only in
    /// their cores. The diagnostics of those empty cells are to be dropped, and those of the
    /// first cell repeated on every covered row (`checks::run` does it).
    pub filled_after_checks: bool,
}

/// How far a total row adds up: a subtotal, a total, the grand total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TotalLevel {
    /// « Sous-total … »
    Subtotal,
    /// « Total … »
    Total,
    /// « Total général »
    Grand,
}

/// A total or subtotal row among the data: not a record (S006); its amounts are compared with
/// the sum of the data rows above it (S007).
#[derive(Debug, Clone, PartialEq)]
pub struct TotalRow {
    /// Excel row number.
    pub row: u32,
    /// Its label as written (cut at 200 characters).
    pub label: String,
    pub label_col: u16,
    pub level: TotalLevel,
    /// Its cells in the sheet's number columns (amounts, an indicator's value) that hold a
    /// number; a formula without a value or an error is left out.
    pub amounts: Vec<TotalAmount>,
}

/// A total row's number in one column.
#[derive(Debug, Clone, PartialEq)]
pub struct TotalAmount {
    /// The column's contract name (`montant_total`).
    pub column: &'static str,
    pub col: u16,
    pub value: rust_decimal::Decimal,
}

/// One text alone on its row under the last data row (« Données provisoires au 15/01 »): a
/// note, not a record (S009).
#[derive(Debug, Clone, PartialEq)]
pub struct NoteRow {
    pub row: u32,
    pub col: u16,
    /// The text as written (cut at 200 characters).
    pub text: String,
}

/// A column header that was found in a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderCell {
    pub name: String,
    pub col: u16,
}

#[derive(Debug, Clone)]
pub struct SheetInfo {
    pub id: SheetId,
    pub name: String,
    pub kind: SheetKind,
    /// The Excel row number of the header row; `None` when no header was found.
    pub header_row: Option<u32>,
    /// The header row's texts as the depositor typed them, by column index ("" where blank).
    pub headers: Vec<String>,
    /// Required columns absent from the header (S001), by their contract names.
    pub missing_columns: Vec<&'static str>,
    /// Headers that match no known column (S002).
    pub unknown_columns: Vec<HeaderCell>,
    /// Headers naming a column already seen in the sheet (S003).
    pub duplicate_columns: Vec<HeaderCell>,
    /// Where each known column sits (0-based), index-aligned with the schema's columns.
    pub columns: Vec<Option<u16>>,
    pub data_rows: usize,
    /// Data rows the workbook marks hidden; they are read like the others (S008).
    pub hidden_rows: usize,
    /// The first hidden data rows (Excel row numbers), to name them.
    pub hidden_row_numbers: Vec<u32>,
    /// Known columns the workbook marks hidden, read like the others (S008).
    pub hidden_columns: Vec<HeaderCell>,
    /// Vertical merges inside the data (S005).
    pub merges: Vec<MergedData>,
    /// Total and subtotal rows, in row order (S006, S007).
    pub totals: Vec<TotalRow>,
    /// Notes under the table (S009).
    pub notes: Vec<NoteRow>,
}

/// The rows read: every convention and partner as a small core (what the checks across rows
/// and the figures read), the indicator values whole. Full rows live only in the `RowChunk`
/// a reader hands over. Sheets are sorted by id.
#[derive(Debug, Default)]
pub struct DataSet {
    pub files: Vec<SourceFile>,
    pub sheets: Vec<SheetInfo>,
    pub conventions: Vec<ConventionCore>,
    pub partners: Vec<PartnerCore>,
    pub indicators: Vec<IndicatorValue>,
    /// The texts of the report's lists, index-aligned with `conventions`, when the report
    /// asked for them; empty for `validate`.
    pub convention_texts: Vec<ConventionTexts>,
    /// Partner id → index of its first definition.
    pub partner_index: rustc_hash::FxHashMap<String, u32>,
    /// The partners of every convention, one after the other (see `partners_of`).
    pub partner_links: Vec<u32>,
    /// Symbolic links of the input folders that were not followed, in path order: not files
    /// of the data set (they count in no total), only reported (F005).
    pub skipped_links: Vec<SkippedLink>,
}

impl DataSet {
    /// The sheet of that id (every record's sheet is in the data set).
    pub fn sheet(&self, id: SheetId) -> &SheetInfo {
        match self.sheets.binary_search_by_key(&id, |s| s.id) {
            Ok(i) => &self.sheets[i],
            Err(_) => panic!("sheet {id:?} is not in the data set"),
        }
    }

    pub fn file_of_sheet(&self, id: SheetId) -> &SourceFile {
        &self.files[id.file() as usize]
    }

    /// Where a sheet is, for diagnostics.
    pub fn sheet_at(&self, id: SheetId) -> SheetAt<'_> {
        let sheet = self.sheet(id);
        SheetAt {
            id,
            file: &self.files[id.file() as usize].display,
            name: &sheet.name,
            header_row: sheet.header_row,
            headers: &sheet.headers,
        }
    }

    pub fn rows_read(&self) -> usize {
        self.files.iter().map(|f| f.rows).sum()
    }

    /// Resolves every convention's partners once every file is read, so that the checks and
    /// the figures read the same links.
    pub fn link(&mut self) {
        self.partner_index.clear();
        for (i, p) in self.partners.iter().enumerate() {
            if let Some(id) = p.id() {
                self.partner_index.entry(id.to_string()).or_insert(i as u32);
            }
        }
        self.partner_links.clear();
        for c in &mut self.conventions {
            let start = self.partner_links.len();
            for id in c.partner_ids() {
                if let Some(&i) = self.partner_index.get(id)
                    && !self.partner_links[start..].contains(&i)
                {
                    self.partner_links.push(i);
                }
            }
            c.partners = PartnerLinks {
                start: start as u32,
                len: (self.partner_links.len() - start) as u32,
            };
        }
    }

    /// Indices in `partners` of a convention's known partners (first definition of each id).
    pub fn partners_of(&self, c: &ConventionCore) -> &[u32] {
        let start = c.partners.start as usize;
        self.partner_links
            .get(start..start + c.partners.len as usize)
            .unwrap_or_default()
    }
}
