//! Merged cells the reader gave after the rows (a streamed xlsx lists its merges after its
//! cells): the rows a merge covers were checked with the cell empty, and took the merged value
//! only in their kept cores (`ingest::sheet`). Before anything else reads the row diagnostics:
//!
//! - those made at the covered cells (an empty cell's V001, a missing programme's O004, an
//!   association without RNA…) are dropped: the cell holds the merged value;
//! - those the rules that judge one cell on its own made at the merge's first cell (a wrong
//!   type, an unknown parc…) are repeated on every covered row, as if the value had been
//!   typed in each;
//! - the rules that compare a covered cell with the others of its row and read only what a
//!   core keeps (dates, amounts, status, scale, parc and programme links: D001–D004, M001,
//!   M002, O004, O008, and V001's parc of a territorial or local convention) run again on each
//!   covered row rebuilt from its core, and what they find that was not found is added. An
//!   indicator value is kept whole: its covered rows are checked again by every row rule.
//!
//! A warning found with a covered cell empty, away from it, is found again the same way: M003
//! (unsigned above 23 000 €, silenced by a status « projet »), V006 (association without RNA
//! nor SIRET, with a merged SIRET or type). What stays unchecked on a covered row is what reads
//! a cell no core keeps beside a merged one: the date of signature (M003 where no warning was
//! found, D005), a partner's RNA beside a merged type. The records left out of the figures are
//! derived afterwards, so they follow.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::{Diagnostic, RowChecks, Rule};
use super::{date, money, objective, reference, value};
use crate::diagnostic::column_letters;
use crate::model::schema::{self, Column, convention};
use crate::model::{
    Convention, ConventionCore, DataSet, Field, MergedData, Origin, Parsed, RowChunk, SheetId,
    SheetInfo, SheetKind,
};

/// The rules whose diagnostic at a cell depends on that cell's value alone.
static ONE_CELL_RULES: &[&Rule] = &[
    &value::v002_wrong_type::RULE,
    &value::v003_vocabulary::RULE,
    &value::v004_negative_amount::RULE,
    &value::v005_siret::RULE,
    &value::v006_rna::RULE,
    &value::v007_postal_code::RULE,
    &value::v008_email_phone::RULE,
    &reference::r003_unknown_objective::RULE,
    &reference::r004_unknown_parc::RULE,
    &objective::o003_unknown_indicator::RULE,
];

/// The row rules over several cells of a convention that read only what its core keeps: run
/// again on covered rows rebuilt from their cores (V001 only for its parc; M003 apart).
static CORE_RULES: &[&Rule] = &[
    &value::v001_required_empty::RULE,
    &date::d001_end_before_start::RULE,
    &date::d002_outside_period::RULE,
    &date::d003_partly_outside::RULE,
    &date::d004_status_dates::RULE,
    &money::m001_parts_exceed_total::RULE,
    &money::m002_above_ceiling::RULE,
    &objective::o004_missing_programme::RULE,
    &objective::o008_outside_programme_dates::RULE,
];

/// The convention columns those rules read.
fn read_by_core_rules(column: &str) -> bool {
    use convention as c;
    [
        &c::ECHELLE,
        &c::PARC,
        &c::PROGRAMME,
        &c::DATE_DEBUT,
        &c::DATE_FIN,
        &c::MONTANT_TOTAL,
        &c::PART_REGION,
        &c::PART_EUROPE,
        &c::PART_AUTRES,
        &c::STATUT,
    ]
    .iter()
    .any(|k| k.name() == column)
}

/// Rows rebuilt and checked at a time (full records weigh a kilobyte).
const CHUNK_ROWS: usize = 4096;

/// The data rows of a sheet between two rows (both included).
fn data_rows(ds: &DataSet, sheet: SheetId, first: u32, last: u32) -> Vec<u32> {
    fn rows<T>(records: &[T], origin: fn(&T) -> Origin, from: Origin, to: Origin) -> Vec<u32> {
        let start = records.partition_point(|r| origin(r) < from);
        let end = records.partition_point(|r| origin(r) <= to);
        records[start..end.max(start)]
            .iter()
            .map(|r| origin(r).row)
            .collect()
    }
    let from = Origin { sheet, row: first };
    let to = Origin { sheet, row: last };
    match ds.sheet(sheet).kind {
        SheetKind::Conventions => rows(&ds.conventions, |c| c.origin, from, to),
        SheetKind::Partenaires => rows(&ds.partners, |p| p.origin, from, to),
        SheetKind::Indicateurs => rows(&ds.indicators, |v| v.origin, from, to),
    }
}

fn filled_after(sheet: &SheetInfo) -> impl Iterator<Item = &MergedData> {
    sheet.merges.iter().filter(|m| m.filled_after_checks)
}

/// Corrects the row diagnostics of the cells merges filled after their rows were checked.
pub fn apply(ds: &DataSet, checks: &RowChecks, diagnostics: &mut Vec<Diagnostic>) {
    if !ds.sheets.iter().any(|s| filled_after(s).next().is_some()) {
        return;
    }
    replace_covered_cells(ds, diagnostics);
    for sheet in &ds.sheets {
        match sheet.kind {
            SheetKind::Conventions => recheck_conventions(ds, sheet, checks, diagnostics),
            SheetKind::Indicateurs => recheck_indicators(ds, sheet, checks, diagnostics),
            SheetKind::Partenaires => recheck_partners(ds, sheet, checks, diagnostics),
        }
    }
}

/// Drops the diagnostics of covered cells and repeats there those of the merge's first cell.
fn replace_covered_cells(ds: &DataSet, diagnostics: &mut Vec<Diagnostic>) {
    // (sheet, column) → its merged ranges (first row, last row), by first row.
    let mut ranges: HashMap<(SheetId, u16), Vec<(u32, u32)>> = HashMap::new();
    for sheet in &ds.sheets {
        for m in filled_after(sheet) {
            ranges
                .entry((sheet.id, m.range.first_col))
                .or_default()
                .push((m.range.first_row, m.range.last_row));
        }
    }
    for list in ranges.values_mut() {
        list.sort_unstable();
    }
    let mut heads: Vec<(Diagnostic, u32)> = Vec::new();
    diagnostics.retain(|d| {
        let (Some(sheet), Some(col), Some(row), Some(_)) =
            (d.sheet_index, d.col_index, d.row, d.record)
        else {
            return true;
        };
        let Some(list) = ranges.get(&(sheet, col)) else {
            return true;
        };
        let k = list.partition_point(|(first, _)| *first <= row);
        let Some(&(first, last)) = k.checked_sub(1).map(|k| &list[k]) else {
            return true;
        };
        if row == first {
            if ONE_CELL_RULES.iter().any(|r| r.code == d.code) {
                heads.push((d.clone(), last));
            }
            return true;
        }
        row > last
    });
    for (d, last) in heads {
        let (Some(sheet), Some(col), Some(first)) = (d.sheet_index, d.col_index, d.row) else {
            continue;
        };
        for row in data_rows(ds, sheet, first + 1, last) {
            let mut copy = d.clone();
            copy.row = Some(row);
            copy.cell = Some(format!("{}{row}", column_letters(col)));
            copy.record = Some(Origin { sheet, row });
            diagnostics.push(copy);
        }
    }
}

/// The covered data rows of a sheet's merges whose column `matters`.
fn covered_rows(ds: &DataSet, sheet: &SheetInfo, matters: fn(&str) -> bool) -> Vec<u32> {
    let mut rows = BTreeSet::new();
    for m in filled_after(sheet).filter(|m| matters(m.column)) {
        rows.extend(data_rows(
            ds,
            sheet.id,
            m.range.first_row + 1,
            m.range.last_row,
        ));
    }
    rows.into_iter().collect()
}

/// A convention as its core read it: what the core keeps, at the sheet's columns. A parc or
/// programme the core could not link is there when its cell was flagged (unknown, unreadable).
fn rebuilt(core: &ConventionCore, columns: &[Option<u16>], flagged: &HashSet<u16>) -> Convention {
    use convention as c;
    let col = |column: &Column<Convention>| {
        c::ALL
            .iter()
            .position(|k| std::ptr::eq(*k, column))
            .and_then(|i| columns.get(i).copied().flatten())
    };
    fn field<T>(col: Option<u16>, v: Option<T>) -> Field<T> {
        Field::new(col, v.map_or(Parsed::Empty, Parsed::Ok))
    }
    let linked = |column: &Column<Convention>, linked: bool| {
        let col = col(column);
        let there = linked || col.is_some_and(|c| flagged.contains(&c));
        field(col, there.then(crate::model::Text::default))
    };
    // An empty or unreadable amount counts as zero in a core: zero reads as empty here.
    let amount = |column, v: rust_decimal::Decimal| field(col(column), (!v.is_zero()).then_some(v));
    Convention {
        origin: core.origin,
        id: field(col(&c::ID), core.id().map(crate::model::Text::from)),
        echelle: field(col(&c::ECHELLE), core.echelle),
        parc: linked(&c::PARC, core.links.parc().is_some()),
        programme: linked(&c::PROGRAMME, core.links.programme().is_some()),
        date_debut: field(col(&c::DATE_DEBUT), core.date_debut),
        date_fin: field(col(&c::DATE_FIN), core.date_fin),
        montant_total: amount(&c::MONTANT_TOTAL, core.montant_total),
        part_region: amount(&c::PART_REGION, core.part_region),
        part_europe: amount(&c::PART_EUROPE, core.part_europe),
        part_autres: amount(&c::PART_AUTRES, core.part_autres),
        statut: field(col(&c::STATUT), core.statut),
        links: core.links.clone(),
        ..Default::default()
    }
}

fn recheck_conventions(
    ds: &DataSet,
    sheet: &SheetInfo,
    checks: &RowChecks,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let rows = covered_rows(ds, sheet, read_by_core_rules);
    if rows.is_empty() {
        return;
    }
    let origins: HashSet<Origin> = rows
        .iter()
        .map(|&row| Origin {
            sheet: sheet.id,
            row,
        })
        .collect();
    let mut flagged: HashMap<Origin, HashSet<u16>> = HashMap::new();
    let mut found: HashSet<(Origin, &'static str, Option<u16>)> = HashSet::new();
    for d in diagnostics.iter() {
        if let Some(record) = d.record.filter(|r| origins.contains(r)) {
            found.insert((record, d.code, d.col_index));
            if let Some(col) = d.col_index {
                flagged.entry(record).or_default().insert(col);
            }
        }
    }
    let parc_col = schema::convention::ALL
        .iter()
        .position(|k| std::ptr::eq(*k, &convention::PARC))
        .and_then(|i| sheet.columns.get(i).copied().flatten());
    let none = HashSet::new();
    let cores = rows.iter().filter_map(|&row| {
        let origin = Origin {
            sheet: sheet.id,
            row,
        };
        let i = ds
            .conventions
            .binary_search_by_key(&origin, |c| c.origin)
            .ok()?;
        let flagged = flagged.get(&origin).unwrap_or(&none);
        Some(rebuilt(&ds.conventions[i], &sheet.columns, flagged))
    });
    // M003 fired only on an empty date of signature, which a rebuilt row has too: for those
    // rows, what it says again with the merged status, amount or dates is exact.
    let unsigned = money::m003_unsigned_above_threshold::RULE.code;
    let unsigned_before: HashSet<Origin> = found
        .iter()
        .filter(|(_, code, _)| *code == unsigned)
        .map(|(origin, _, _)| *origin)
        .collect();
    let mut unsigned_again = HashSet::new();
    let at = ds.sheet_at(sheet.id);
    let mut chunk = RowChunk::default();
    let mut cores = cores.peekable();
    while cores.peek().is_some() {
        chunk.conventions.clear();
        chunk.conventions.extend(cores.by_ref().take(CHUNK_ROWS));
        for d in checks.run(at, &chunk, &[]).into_iter().flatten() {
            let Some(record) = d.record else { continue };
            if d.code == unsigned {
                unsigned_again.insert(record);
                continue;
            }
            let wanted = CORE_RULES.iter().any(|r| r.code == d.code)
                && (d.code != value::v001_required_empty::RULE.code || d.col_index == parc_col);
            if wanted && found.insert((record, d.code, d.col_index)) {
                diagnostics.push(d);
            }
        }
    }
    diagnostics.retain(|d| {
        d.code != unsigned
            || d.record
                .is_none_or(|r| !unsigned_before.contains(&r) || unsigned_again.contains(&r))
    });
}

/// A partner's « association sans RNA ni SIRET » (V006) fired on an empty RNA and SIRET: with
/// a merged SIRET or type, it holds only if it fires again on the row as its core read it.
fn recheck_partners(
    ds: &DataSet,
    sheet: &SheetInfo,
    checks: &RowChecks,
    diagnostics: &mut Vec<Diagnostic>,
) {
    use schema::partner as p;
    let rows = covered_rows(ds, sheet, |c| c == p::SIRET.name() || c == p::TYPE.name());
    if rows.is_empty() {
        return;
    }
    let rna = value::v006_rna::RULE.code;
    let origins: HashSet<Origin> = rows
        .iter()
        .map(|&row| Origin {
            sheet: sheet.id,
            row,
        })
        .collect();
    // The missing-identifier V006 quotes no value (an invalid RNA does).
    let missing: Vec<Origin> = diagnostics
        .iter()
        .filter(|d| d.code == rna && d.value.is_none())
        .filter_map(|d| d.record.filter(|r| origins.contains(r)))
        .collect();
    if missing.is_empty() {
        return;
    }
    let col = |column: &Column<crate::model::Partner>| {
        p::ALL
            .iter()
            .position(|k| std::ptr::eq(*k, column))
            .and_then(|i| sheet.columns.get(i).copied().flatten())
    };
    let partners: Vec<crate::model::Partner> = missing
        .iter()
        .filter_map(|origin| {
            let i = ds
                .partners
                .binary_search_by_key(origin, |p| p.origin)
                .ok()?;
            let core = &ds.partners[i];
            let siret = core.siret.clone();
            Some(crate::model::Partner {
                origin: *origin,
                kind: Field::new(col(&p::TYPE), core.kind.map_or(Parsed::Empty, Parsed::Ok)),
                siret: Field::new(col(&p::SIRET), siret.map_or(Parsed::Empty, Parsed::Ok)),
                rna: Field::new(col(&p::RNA), Parsed::Empty),
                ..Default::default()
            })
        })
        .collect();
    let at = ds.sheet_at(sheet.id);
    let mut still = HashSet::new();
    for part in partners.chunks(CHUNK_ROWS) {
        let chunk = RowChunk {
            partners: part.to_vec(),
            ..Default::default()
        };
        for d in checks.run(at, &chunk, &[]).into_iter().flatten() {
            if d.code == rna
                && let Some(r) = d.record
            {
                still.insert(r);
            }
        }
    }
    let gone: HashSet<Origin> = missing.into_iter().filter(|o| !still.contains(o)).collect();
    diagnostics.retain(|d| {
        d.code != rna || d.value.is_some() || d.record.is_none_or(|r| !gone.contains(&r))
    });
}

/// Indicator values are kept whole and took the merged value: their covered rows are checked
/// again by every row rule, in place of what was found with the cells empty.
fn recheck_indicators(
    ds: &DataSet,
    sheet: &SheetInfo,
    checks: &RowChecks,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let rows = covered_rows(ds, sheet, |_| true);
    if rows.is_empty() {
        return;
    }
    let origins: HashSet<Origin> = rows
        .iter()
        .map(|&row| Origin {
            sheet: sheet.id,
            row,
        })
        .collect();
    diagnostics.retain(|d| d.record.is_none_or(|r| !origins.contains(&r)));
    let at = ds.sheet_at(sheet.id);
    let values: Vec<_> = ds
        .indicators
        .iter()
        .filter(|v| origins.contains(&v.origin))
        .collect();
    for part in values.chunks(CHUNK_ROWS) {
        let chunk = RowChunk {
            indicators: part.iter().map(|v| (*v).clone()).collect(),
            ..Default::default()
        };
        diagnostics.extend(checks.run(at, &chunk, &[]).into_iter().flatten());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::RULES;
    use crate::checks::testing::*;
    use crate::diagnostic::Exclusions;
    use crate::model::schema::convention;
    use crate::model::{ConventionCore, Field, MergedData, MergedRange, Parsed};

    /// Rows 2 to 4 with the parc and the statut merged over them, as a streamed xlsx gives
    /// them: the covered cells empty when the rows were checked, the merges given after.
    #[test]
    fn covered_cells_lose_their_empty_cell_errors_and_take_the_first_cell_s() {
        let mut rows = vec![convention("C-1"), convention("C-2"), convention("C-3")];
        rows[0].parc = text(3, "XYZ");
        for c in &mut rows[1..] {
            c.parc = Field::new(Some(3), Parsed::Empty);
            c.statut = Field::new(Some(15), Parsed::Empty);
        }
        let data = dataset(rows, vec![partner("P-1")], vec![]);
        let mut all = Vec::new();
        for rule in RULES.iter().filter(|r| r.pass() == super::super::Pass::Row) {
            all.extend(run_rule(rule, dataset_clone(&data), 2019));
        }
        let mut ds = data.ds;
        ds.conventions = data
            .rows
            .conventions
            .iter()
            .map(ConventionCore::of)
            .collect();
        // What the sheet builder does once the merges are known.
        let first = ds.conventions[0].clone();
        for c in &mut ds.conventions[1..] {
            c.copy_column(&first, convention::PARC.name());
            c.copy_column(&first, convention::STATUT.name());
        }
        for (col, name) in [
            (3, convention::PARC.name()),
            (15, convention::STATUT.name()),
        ] {
            ds.sheets[0].merges.push(MergedData {
                range: MergedRange {
                    first_row: 2,
                    first_col: col,
                    last_row: 4,
                    last_col: col,
                },
                column: name,
                rows: 3,
                value: None,
                filled_after_checks: true,
            });
        }
        let before: Vec<_> = all.iter().map(|d| (d.code, d.cell.clone())).collect();
        assert!(before.contains(&("V001", Some("D3".into()))), "{before:?}");
        assert!(before.contains(&("V001", Some("P4".into()))), "{before:?}");
        apply(&ds, &checks(&referential()), &mut all);
        let mut after: Vec<_> = all
            .iter()
            .map(|d| (d.code, d.cell.clone().unwrap()))
            .collect();
        after.sort();
        // R004 judges the parc alone: repeated from D2. D004 (en cours after its end)
        // compares the statut with the dates: found again on each covered row.
        assert_eq!(
            after,
            [
                ("D004", "P2".into()),
                ("D004", "P3".into()),
                ("D004", "P4".into()),
                ("R004", "D2".into()),
                ("R004", "D3".into()),
                ("R004", "D4".into())
            ]
        );
        let exclusions = Exclusions::from(&all);
        assert!(ds.conventions.iter().all(|c| exclusions.excludes(c.origin)));
    }

    /// Pass 1 of `rows` as a run gives it, the merges of `(column, col)` over every row given
    /// after, and the cores filled as the sheet builder fills them.
    fn merged_after(
        rows: Vec<crate::model::Convention>,
        merged: &[(&'static str, u16)],
    ) -> (DataSet, Vec<Diagnostic>) {
        let data = dataset(rows, vec![partner("P-1")], vec![]);
        let mut all = Vec::new();
        for rule in RULES.iter().filter(|r| r.pass() == super::super::Pass::Row) {
            all.extend(run_rule(rule, dataset_clone(&data), 2019));
        }
        let mut ds = data.ds;
        let referential = referential();
        ds.conventions = data
            .rows
            .conventions
            .iter()
            .map(|c| {
                let mut c = c.clone();
                c.links = crate::model::ConventionLinks::resolve(&c, &referential);
                ConventionCore::of(&c)
            })
            .collect();
        let first = ds.conventions[0].clone();
        let last_row = ds.conventions.last().unwrap().origin.row;
        for &(name, col) in merged {
            for c in &mut ds.conventions[1..] {
                c.copy_column(&first, name);
            }
            ds.sheets[0].merges.push(MergedData {
                range: MergedRange {
                    first_row: 2,
                    first_col: col,
                    last_row,
                    last_col: col,
                },
                column: name,
                rows: last_row - 1,
                value: None,
                filled_after_checks: true,
            });
        }
        (ds, all)
    }

    /// « Échelle » merged over rows that lack a parc, or a programme: the covered rows are
    /// asked for them as if the scale had been typed in each.
    #[test]
    fn a_merged_scale_asks_covered_rows_for_their_parc_or_programme() {
        let mut rows = vec![convention("C-1"), convention("C-2")];
        rows[1].echelle = Field::new(Some(2), Parsed::Empty);
        rows[1].parc = Field::new(Some(3), Parsed::Empty);
        let (ds, mut all) = merged_after(rows, &[(convention::ECHELLE.name(), 2)]);
        apply(&ds, &checks(&referential()), &mut all);
        let found: Vec<_> = all
            .iter()
            .map(|d| (d.code, d.cell.clone().unwrap()))
            .collect();
        assert!(found.contains(&("V001", "D3".into())), "{found:?}");
        assert!(!found.iter().any(|(_, cell)| cell == "C3"), "{found:?}");

        let mut rows = vec![convention("C-1"), convention("C-2")];
        rows[0].echelle = ok(2, crate::model::Echelle::Nationale);
        rows[0].programme = text(7, "FNPNR");
        rows[1].echelle = Field::new(Some(2), Parsed::Empty);
        let (ds, mut all) = merged_after(rows, &[(convention::ECHELLE.name(), 2)]);
        apply(&ds, &checks(&referential()), &mut all);
        let found: Vec<_> = all
            .iter()
            .map(|d| (d.code, d.cell.clone().unwrap()))
            .collect();
        assert!(found.contains(&("O004", "H3".into())), "{found:?}");
        assert!(!found.contains(&("O004", "H2".into())), "{found:?}");
    }

    /// Warnings found with the covered cell empty, away from it, that the merged value
    /// silences: M003 under a merged « projet », V006 beside a merged SIRET.
    #[test]
    fn warnings_an_empty_cell_raised_elsewhere_go_with_the_merged_value() {
        let mut rows = vec![convention("C-1"), convention("C-2")];
        for c in &mut rows {
            c.montant_total = ok(11, money("90000"));
            c.part_region = Field::new(Some(12), Parsed::Empty);
            c.date_signature = Field::new(Some(8), Parsed::Empty);
        }
        rows[0].statut = ok(15, crate::model::Statut::Projet);
        rows[1].statut = Field::new(Some(15), Parsed::Empty);
        let (ds, mut all) = merged_after(rows, &[(convention::STATUT.name(), 15)]);
        let unsigned = |all: &[Diagnostic]| all.iter().any(|d| d.code == "M003");
        assert!(unsigned(&all));
        apply(&ds, &checks(&referential()), &mut all);
        assert!(!unsigned(&all), "{all:?}");

        use crate::model::schema::partner as p;
        let mut partners = vec![partner("P-1"), partner("P-2")];
        for q in &mut partners {
            q.rna = Field::new(Some(4), Parsed::Empty);
        }
        partners[0].siret = text(3, "73282932000074");
        let data = dataset(vec![], partners, vec![]);
        let mut all = run_rule(
            &value::v006_rna::RULE,
            dataset(vec![], data.rows.partners.clone(), vec![]),
            2019,
        );
        assert_eq!(all.len(), 1, "{all:?}");
        let mut ds = data.ds;
        ds.partners = data
            .rows
            .partners
            .iter()
            .map(crate::model::PartnerCore::of)
            .collect();
        let first = ds.partners[0].clone();
        ds.partners[1].copy_column(&first, p::SIRET.name());
        ds.sheets[1].merges.push(MergedData {
            range: MergedRange {
                first_row: 2,
                first_col: 3,
                last_row: 3,
                last_col: 3,
            },
            column: p::SIRET.name(),
            rows: 2,
            value: None,
            filled_after_checks: true,
        });
        apply(&ds, &checks(&referential()), &mut all);
        assert!(all.is_empty(), "{all:?}");
    }

    /// Indicator values are kept whole: their covered rows are checked again with the value.
    #[test]
    fn covered_indicator_values_are_checked_again_whole() {
        use crate::model::schema::indicator as i;
        let mut second = indicator("OS1-I2", 2019, "4");
        second.indicateur = Field::new(Some(0), Parsed::Empty);
        for (code, expected) in [("OS1-I2", vec![]), ("OS9-I9", vec!["A2", "A3"])] {
            let data = dataset(
                vec![],
                vec![],
                vec![indicator(code, 2019, "3"), second.clone()],
            );
            let mut all = Vec::new();
            for rule in RULES.iter().filter(|r| r.pass() == super::super::Pass::Row) {
                let again = dataset(vec![], vec![], data.rows.indicators.clone());
                all.extend(run_rule(rule, again, 2019));
            }
            assert!(all.iter().any(|d| d.code == "V001"), "{all:?}");
            let mut ds = data.ds;
            ds.indicators = data.rows.indicators;
            let first = ds.indicators[0].clone();
            ds.indicators[1].copy_column(&first, i::INDICATEUR.name());
            let sheet = ds
                .sheets
                .iter_mut()
                .find(|s| s.kind == SheetKind::Indicateurs)
                .unwrap();
            sheet.merges.push(MergedData {
                range: MergedRange {
                    first_row: 2,
                    first_col: 0,
                    last_row: 3,
                    last_col: 0,
                },
                column: i::INDICATEUR.name(),
                rows: 2,
                value: None,
                filled_after_checks: true,
            });
            apply(&ds, &checks(&referential()), &mut all);
            let mut cells: Vec<String> = all.iter().map(|d| d.cell.clone().unwrap()).collect();
            cells.sort();
            assert_eq!(cells, expected, "{code}: {all:?}");
        }
    }

    fn checks(referential: &crate::model::Referential) -> RowChecks<'_> {
        RowChecks {
            referential,
            year: 2019,
            whole_data_set: true,
        }
    }

    fn dataset_clone(data: &TestData) -> TestData {
        dataset(
            data.rows.conventions.clone(),
            data.rows.partners.clone(),
            vec![],
        )
    }

    #[test]
    fn diagnostics_outside_merges_stay() {
        let data = dataset(vec![convention("C-1")], vec![], vec![]);
        let mut c = convention("C-2");
        c.parc = Field::new(Some(3), Parsed::Empty);
        let mut all = run_rule(
            &crate::checks::value::v001_required_empty::RULE,
            dataset(vec![convention("C-1"), c], vec![], vec![]),
            2019,
        );
        assert_eq!(all.len(), 1);
        apply(&data.ds, &checks(&referential()), &mut all);
        assert_eq!(all.len(), 1);
    }
}
