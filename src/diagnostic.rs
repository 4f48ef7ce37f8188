//! A diagnostic: what is wrong, where the user will find it, and how to fix it (DESIGN §5);
//! their counts by severity, and the records their errors leave out of the figures. A bottom
//! module: ingest hands diagnostics through, checks make them, figures and renderers read them.

use rustc_hash::FxHashSet;

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

    /// Stable order: by file, sheet, row, column, then code; data-set-wide diagnostics last.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            self.file_index.is_none(),
            self.file_index,
            self.sheet_index,
            self.row,
            self.col_index,
            self.code,
            self.message.as_str(),
        )
    }
}

/// The records left out of the figures: those with an error, and every record of a sheet
/// with a sheet-wide error (a missing or duplicate column). Warnings exclude nothing.
pub struct Exclusions {
    // Positions, not text a depositor chooses: a fast hasher is safe here.
    records: FxHashSet<Origin>,
    sheets: FxHashSet<SheetId>,
}

impl Exclusions {
    pub fn none() -> Self {
        Exclusions {
            records: FxHashSet::default(),
            sheets: FxHashSet::default(),
        }
    }

    pub fn from(diagnostics: &[Diagnostic]) -> Self {
        let mut records = FxHashSet::default();
        let mut sheets = FxHashSet::default();
        for d in diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Erreur)
        {
            match (d.record, d.sheet_index) {
                (Some(r), _) => {
                    records.insert(r);
                }
                (None, Some(s)) if d.row.is_none() || d.code.starts_with('S') => {
                    sheets.insert(s);
                }
                _ => {}
            }
        }
        Exclusions { records, sheets }
    }

    /// Whether the record read at `origin` is left out.
    pub fn excludes(&self, origin: Origin) -> bool {
        self.records.contains(&origin) || self.sheets.contains(&origin.sheet)
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
            match d.severity {
                Severity::Erreur => c.erreurs += 1,
                Severity::Avertissement => c.avertissements += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
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
}
