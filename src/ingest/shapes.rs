//! What officers put in a table besides its records, told from a row's raw cells before it is
//! typed: a total or subtotal row (« Total » and `=SUM(L4:L33)`), a note under the table
//! (« Données provisoires au 15/01 »). Neither is a record: the sheet builder keeps them apart
//! (`SheetOutput::totals`, `notes`) for the structure checks S006, S007 and S009.

use super::cell::{self, Cell};
use crate::model::schema::{self, ColumnKind};
use crate::model::{Parsed, SheetKind, TotalAmount, TotalLevel, TotalRow};
use crate::text::{fold_words, trim};

/// Labels and notes are kept at most this long (characters): messages quote them bounded.
const KEPT_CHARS: usize = 200;

pub fn cut(text: &str) -> String {
    text.chars().take(KEPT_CHARS).collect()
}

/// The level of a total row's label: it starts with the word total, sous-total or « total
/// général », case and accents ignored (`TOTAL`, `Sous total AVE`, `Total général :`), and
/// nothing else (`Totaux`, `Totalement` are words of their own).
pub fn total_level(label: &str) -> Option<TotalLevel> {
    let folded = fold_words(trim(label));
    let (sub, rest) = match folded.strip_prefix("sous") {
        Some(rest) => (true, rest.trim_start_matches([' ', '-'])),
        None => (false, folded.as_str()),
    };
    let after = rest.strip_prefix("total")?;
    if after.chars().next().is_some_and(char::is_alphanumeric) {
        return None;
    }
    let words = after.trim_start_matches(|c: char| !c.is_alphanumeric());
    Some(if sub {
        TotalLevel::Subtotal
    } else if words.starts_with("general") {
        TotalLevel::Grand
    } else {
        TotalLevel::Total
    })
}

/// A formula as a CSV file may keep it (`=SOMME(L4:L33)`).
fn is_formula_text(text: &str) -> bool {
    text.starts_with('=')
}

/// Whether a non-blank cell reads as a number or a formula (what a total row holds besides its
/// label): a number cell, an error cell (a formula that failed), or a text that is a number or
/// a formula (a CSV file holds only texts).
fn is_number_or_formula(c: &Cell) -> bool {
    match c {
        Cell::Number(_) | Cell::Error(_) | Cell::FormulaWithoutValue(_) => true,
        Cell::Text(t) => {
            let t = trim(t);
            is_formula_text(t) || cell::number_text_fr(t).is_some()
        }
        _ => false,
    }
}

/// The columns of `kind` whose schema kind is one of `kinds`, where the sheet has them.
fn mapped<'c>(
    kind: SheetKind,
    columns: &'c [Option<u16>],
    kinds: &'c [ColumnKind],
) -> impl Iterator<Item = (&'static schema::Spec, u16)> + 'c {
    schema::specs(kind)
        .iter()
        .zip(columns)
        .filter(move |(spec, _)| kinds.contains(&spec.kind))
        .filter_map(|(spec, col)| col.map(|c| (*spec, c)))
}

/// A text that starts with an ASCII letter is neither a number (only `e` may start one read
/// as scientific) nor a total label unless that letter is the `s` of « sous-total » or the `t`
/// of « total »: such a cell (a convention's id) tells a data row at once, nothing folded.
fn cannot_be_in_total_row(cell: &Cell) -> bool {
    let Cell::Text(t) = cell else { return false };
    trim(t).bytes().next().is_some_and(|b| {
        b.is_ascii_alphabetic() && !matches!(b.to_ascii_lowercase(), b's' | b't' | b'e')
    })
}

/// A total or subtotal row: its only text is one label that starts with the word total (in
/// any column, the id column included), its other non-empty cells are numbers or formulas
/// (at least one), and it has no date — a real convention always has dates, so one titled
/// « Total rénovation… » stays a convention.
pub fn total_row(
    row: u32,
    cells: &[Cell],
    kind: SheetKind,
    columns: &[Option<u16>],
) -> Option<TotalRow> {
    let mut label = None;
    let mut numbers = 0;
    for (col, c) in cells.iter().enumerate() {
        if c.is_blank() {
            continue;
        }
        if cannot_be_in_total_row(c) {
            return None;
        }
        let col = u16::try_from(col).ok()?;
        if mapped(kind, columns, &[ColumnKind::Date]).any(|(_, date)| date == col) {
            return None;
        }
        if is_number_or_formula(c) {
            numbers += 1;
            continue;
        }
        let Cell::Text(text) = c else {
            // A date, a boolean: not a total row.
            return None;
        };
        if label.is_some() {
            return None;
        }
        let text = trim(text);
        label = Some((col, total_level(text)?, text));
    }
    let (label_col, level, text) = label?;
    if numbers == 0 {
        return None;
    }
    let amounts = mapped(kind, columns, &[ColumnKind::Money, ColumnKind::Number])
        .filter_map(|(spec, col)| match cell::number(cells.get(col as usize)?) {
            Parsed::Ok(value) => Some(TotalAmount {
                column: spec.name,
                col,
                value,
            }),
            _ => None,
        })
        .collect();
    Some(TotalRow {
        row,
        label: cut(text),
        label_col,
        level,
        amounts,
    })
}

/// A row that may be a note under the table: one non-empty cell, a text that is not a number
/// nor a date. In the column of the record's id (or indicator code) a lone word is more likely
/// a row begun and left (`C-2020-099`): there, only a text with a space counts.
pub fn note_candidate<'c>(
    cells: &'c [Cell<'c>],
    columns: &[Option<u16>],
) -> Option<(u16, &'c Cell<'c>)> {
    let mut found = None;
    for (col, c) in cells.iter().enumerate() {
        if c.is_blank() {
            continue;
        }
        if found.is_some() {
            return None;
        }
        found = Some((u16::try_from(col).ok()?, c));
    }
    let (col, c) = found?;
    let Cell::Text(text) = c else { return None };
    let text = trim(text);
    let is_date = matches!(cell::date(c, cell::ReadContext::default()), Parsed::Ok(_));
    if is_number_or_formula(c) || is_date {
        return None;
    }
    let id_column = columns.first().copied().flatten();
    if id_column == Some(col) && !text.contains(char::is_whitespace) {
        return None;
    }
    Some((col, c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn t(s: &str) -> Cell<'static> {
        Cell::Text(Cow::Owned(s.to_string()))
    }

    #[test]
    fn total_labels() {
        for (label, level) in [
            ("Total", TotalLevel::Total),
            ("TOTAL", TotalLevel::Total),
            ("total :", TotalLevel::Total),
            ("Total 2020", TotalLevel::Total),
            ("Total AVE", TotalLevel::Total),
            ("Sous-total", TotalLevel::Subtotal),
            ("SOUS TOTAL Avesnois", TotalLevel::Subtotal),
            ("sous-total:", TotalLevel::Subtotal),
            ("Total général", TotalLevel::Grand),
            ("TOTAL GENERAL", TotalLevel::Grand),
            ("  Total général des conventions", TotalLevel::Grand),
        ] {
            assert_eq!(total_level(label), Some(level), "{label}");
        }
        for label in ["Totaux", "Totalement", "Le total", "Sous-titre", "", "C-1"] {
            assert_eq!(total_level(label), None, "{label}");
        }
    }

    /// The convention columns in the contract's order, as the template lays them out.
    fn columns() -> Vec<Option<u16>> {
        (0..16).map(Some).collect()
    }

    fn cells(set: &[(usize, Cell<'static>)]) -> Vec<Cell<'static>> {
        let mut row = vec![Cell::Empty; 24];
        for (i, c) in set {
            row[*i] = c.clone();
        }
        row
    }

    #[test]
    fn a_total_row_under_the_data() {
        let row = cells(&[
            (0, t("Total")),
            (11, Cell::Number(343_826.37)),
            (12, Cell::Error(Cow::Borrowed("#REF!"))),
        ]);
        let total = total_row(34, &row, SheetKind::Conventions, &columns()).unwrap();
        assert_eq!((total.row, total.label_col), (34, 0));
        assert_eq!(total.level, TotalLevel::Total);
        assert_eq!(total.amounts.len(), 1, "the error cell has no value");
        assert_eq!(
            total.amounts[0].column,
            schema::convention::MONTANT_TOTAL.name()
        );
        assert_eq!(total.amounts[0].value.to_string(), "343826.37");
        // As a CSV file writes it: every cell a text.
        let row = cells(&[
            (1, t("Sous-total AVE")),
            (11, t("1 234,50 €")),
            (12, t("=L4")),
        ]);
        let total = total_row(9, &row, SheetKind::Conventions, &columns()).unwrap();
        assert_eq!(total.level, TotalLevel::Subtotal);
        assert_eq!(total.amounts[0].value.to_string(), "1234.50");
    }

    #[test]
    fn what_is_not_a_total_row() {
        let conventions = |set: &[(usize, Cell<'static>)]| {
            total_row(5, &cells(set), SheetKind::Conventions, &columns())
        };
        // A convention titled « Total… » has dates.
        assert!(
            conventions(&[
                (1, t("Total rénovation du bâti")),
                (9, t("01/02/2019")),
                (11, Cell::Number(10.0)),
            ])
            .is_none()
        );
        // Two texts; no number; a word that only begins like it.
        assert!(
            conventions(&[(0, t("Total")), (2, t("locale")), (11, Cell::Number(1.0))]).is_none()
        );
        assert!(conventions(&[(0, t("Total"))]).is_none());
        assert!(conventions(&[(0, t("Totaux")), (11, Cell::Number(1.0))]).is_none());
        let date = Cell::Date {
            serial: 43_497.0,
            is_1904: false,
        };
        assert!(conventions(&[(0, t("Total")), (11, Cell::Number(1.0)), (20, date)]).is_none());
    }

    #[test]
    fn notes_under_the_table() {
        let cols = columns();
        let note = |set: &[(usize, Cell<'static>)]| {
            let row = cells(set);
            note_candidate(&row, &cols).map(|(col, c)| (col, c.display()))
        };
        assert_eq!(
            note(&[(0, t("Données provisoires au 15/01"))]),
            Some((0, "Données provisoires au 15/01".to_string()))
        );
        assert_eq!(
            note(&[(1, t("Provisoire"))]),
            Some((1, "Provisoire".into()))
        );
        // A row begun and left, a number, a date, two cells.
        assert_eq!(note(&[(0, t("C-2020-099"))]), None);
        assert_eq!(note(&[(1, t("12,5"))]), None);
        assert_eq!(note(&[(1, t("15/01/2020"))]), None);
        assert_eq!(note(&[(1, Cell::Number(3.0))]), None);
        assert_eq!(note(&[(1, t("a")), (2, t("b"))]), None);
    }
}
