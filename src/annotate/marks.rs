//! Where each diagnostic is marked in a copy, and the note it writes there.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Severity};

/// A cell of a sheet: Excel row number (1-based) and column (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct At {
    pub row: u32,
    pub col: u32,
}

impl At {
    /// `E12`.
    pub fn a1(self) -> String {
        format!(
            "{}{}",
            crate::diagnostic::column_letters(self.col.min(u16::MAX as u32) as u16),
            self.row
        )
    }

    /// Reads `E12` (also `$E$12`).
    pub fn parse(reference: &str) -> Option<At> {
        let s = reference.trim().replace('$', "");
        let split = s.find(|c: char| c.is_ascii_digit())?;
        let (letters, digits) = s.split_at(split);
        if letters.is_empty()
            || letters.len() > 3
            || !letters.chars().all(|c| c.is_ascii_alphabetic())
        {
            return None;
        }
        let mut col: u32 = 0;
        for c in letters.chars() {
            col = col * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1);
        }
        let row: u32 = digits.parse().ok()?;
        (row >= 1 && col >= 1).then_some(At { row, col: col - 1 })
    }
}

/// The cell a diagnostic marks: its cell; for a whole row or a missing column (S001), the
/// first cell of that row; for a sheet, its first cell; for a whole file, none.
pub fn place(d: &Diagnostic) -> Option<At> {
    if let Some(at) = d.cell.as_deref().and_then(At::parse) {
        return Some(at);
    }
    match (d.row, d.col_index) {
        (Some(row), Some(col)) => Some(At {
            row,
            col: col as u32,
        }),
        (Some(row), None) => Some(At { row, col: 0 }),
        (None, _) if d.sheet_index.is_some() || d.sheet.is_some() => Some(At { row: 1, col: 0 }),
        _ => None,
    }
}

/// What a flagged cell gets: the fill of its worst severity, and one note with every
/// diagnostic on it.
#[derive(Debug, Clone)]
pub struct Mark<'d> {
    pub severity: Severity,
    pub diagnostics: Vec<&'d Diagnostic>,
}

/// The marks of every sheet of a copy, by the sheet's name in the copy.
pub type Marks<'d> = BTreeMap<String, BTreeMap<At, Mark<'d>>>;

/// Places the kept diagnostics; `sheet_of` names the sheet of the copy a diagnostic is on.
pub fn build<'d>(
    kept: &[&'d Diagnostic],
    sheet_of: impl Fn(&Diagnostic) -> Option<String>,
) -> Marks<'d> {
    let mut marks: Marks = BTreeMap::new();
    for &d in kept {
        let (Some(sheet), Some(at)) = (sheet_of(d), place(d)) else {
            continue;
        };
        marks
            .entry(sheet)
            .or_default()
            .entry(at)
            .and_modify(|m: &mut Mark<'d>| {
                m.severity = m.severity.min(d.severity);
                m.diagnostics.push(d);
            })
            .or_insert_with(|| Mark {
                severity: d.severity,
                diagnostics: vec![d],
            });
    }
    marks
}

/// One diagnostic in a note: its first line, then its details, as the text output words them.
pub struct NoteEntry {
    pub head: String,
    pub details: String,
}

pub fn note(diagnostics: &[&Diagnostic]) -> Vec<NoteEntry> {
    diagnostics
        .iter()
        .map(|d| {
            let mut details = Vec::new();
            if let Some(e) = &d.expected {
                details.push(format!("attendu : {e}"));
            }
            if let Some(h) = &d.hint {
                details.push(format!("aide : {h}"));
            }
            NoteEntry {
                head: format!("[{}] {}", d.code, d.message),
                details: details.join("\n"),
            }
        })
        .collect()
}

/// The note as plain text.
pub fn note_text(diagnostics: &[&Diagnostic]) -> String {
    note(diagnostics)
        .iter()
        .map(|e| {
            if e.details.is_empty() {
                e.head.clone()
            } else {
                format!("{}\n{}", e.head, e.details)
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert_eq!(At::parse("E12"), Some(At { row: 12, col: 4 }));
        assert_eq!(At::parse("$AA$3"), Some(At { row: 3, col: 26 }));
        assert_eq!(At::parse("12"), None);
        assert_eq!(At::parse("E0"), None);
        assert_eq!(At { row: 12, col: 4 }.a1(), "E12");
    }
}
