//! A diagnostic: what is wrong, where the user will find it, and how to fix it (DESIGN §5).

use serde::Serialize;

use super::Rule;
use crate::model::{DataSet, Origin, RecordRef};

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
    pub value: Option<String>,
    pub expected: Option<String>,
    pub hint: Option<String>,
    /// The record this diagnostic is about: an error excludes it from the figures.
    #[serde(skip)]
    pub record: Option<RecordRef>,
    /// Index of the sheet, for sorting and for sheet-wide errors.
    #[serde(skip)]
    pub sheet_index: Option<u32>,
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

impl Diagnostic {
    pub fn new(rule: &Rule, message: impl Into<String>) -> Self {
        Diagnostic {
            code: rule.code,
            severity: rule.severity,
            message: message.into(),
            file: None,
            sheet: None,
            cell: None,
            row: None,
            column: None,
            value: None,
            expected: None,
            hint: None,
            record: None,
            sheet_index: None,
            file_index: None,
            col_index: None,
        }
    }

    pub fn in_file(mut self, ds: &DataSet, file: u32) -> Self {
        self.file = Some(ds.files[file as usize].display.clone());
        self.file_index = Some(file);
        self
    }

    pub fn in_sheet(self, ds: &DataSet, sheet: u32) -> Self {
        let info = ds.sheet(sheet);
        let mut d = self.in_file(ds, info.file);
        // A CSV file is its own sheet: its name would only repeat the file's.
        d.sheet = (!info.name.is_empty()).then(|| info.name.clone());
        d.sheet_index = Some(sheet);
        d
    }

    /// A whole row of a sheet.
    pub fn at_row(self, ds: &DataSet, origin: Origin) -> Self {
        let mut d = self.in_sheet(ds, origin.sheet);
        d.row = Some(origin.row);
        d
    }

    /// One cell: the row of `origin`, the column `col` (or the whole row when the column is absent).
    pub fn at_cell(
        self,
        ds: &DataSet,
        origin: Origin,
        col: Option<u16>,
        column_name: &str,
    ) -> Self {
        let mut d = self.at_row(ds, origin);
        if let Some(col) = col {
            d.cell = Some(format!("{}{}", column_letters(col), origin.row));
            d.col_index = Some(col);
        }
        d.column = Some(column_name.to_string());
        d
    }

    /// A header cell of a sheet.
    pub fn at_header(self, ds: &DataSet, sheet: u32, col: Option<u16>, column_name: &str) -> Self {
        let row = ds.sheet(sheet).header_row.unwrap_or(1);
        self.at_cell(ds, Origin { sheet, row }, col, column_name)
    }

    pub fn record(mut self, record: RecordRef) -> Self {
        self.record = Some(record);
        self
    }

    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    pub fn hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
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
