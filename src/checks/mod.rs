//! The check registry (DESIGN §5): one documented rule per file, one flat table in code
//! order, run in parallel over the merged data set and sorted into a stable order.

pub mod diagnostic;
mod registry;

mod date;
mod fields;
mod file;
mod money;
mod objective;
mod reference;
mod structure;
mod value;

#[cfg(test)]
pub mod testing;

use std::collections::HashSet;

use rayon::prelude::*;

pub use diagnostic::{Diagnostic, Severity};
pub use registry::{RULES, find_rule};

use crate::model::{DataSet, RecordRef, Referential};

/// One check: its stable code, its severity, and its French documentation.
pub struct Rule {
    pub code: &'static str,
    /// Short English name, as in the rule's file name.
    pub name: &'static str,
    pub severity: Severity,
    /// One French line for `enrx checks`.
    pub summary: &'static str,
    /// French documentation for `enrx explain`: what it checks, why it matters, how to fix.
    pub explanation: &'static str,
    pub check: fn(&Context, &mut Vec<Diagnostic>),
    pub pass: Pass,
}

/// When a rule runs. Row rules see full rows, a chunk at a time, while a sheet is read, so a
/// million rows never sit in memory whole; the others see the small cores of every row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// Looks at each row on its own (and the referential): reads `ds.convention_rows`,
    /// `ds.partner_rows` and `ds.indicators` of the chunk being read.
    Row,
    /// Compares rows with each other, or looks at files and sheets: runs once every file is
    /// read, on `ds.conventions`, `ds.partners` (cores), `ds.indicators`, `ds.files`, `ds.sheets`.
    Set,
    /// Needs the whole data set (the year's figures, or every file's conventions): runs only
    /// when folders are checked, after the others, on the rows without errors.
    Aggregate,
}

/// What a check reads: the merged data set, the referential, the year of year-dependent checks.
pub struct Context<'a> {
    pub ds: &'a DataSet,
    pub referential: &'a Referential,
    pub year: i32,
    /// Rows left out of the figures; empty while the row checks run.
    pub exclusions: &'a Exclusions,
    /// Folders were checked; false for files named one by one, whose references may point
    /// to files that were not given.
    pub whole_data_set: bool,
    /// The conventions active in the year, computed once for the checks that read them.
    pub actives: std::sync::OnceLock<Vec<crate::figures::compute::Active<'a>>>,
}

impl<'a> Context<'a> {
    /// The conventions active in the year, rows with errors left out (as the report counts).
    pub fn actives(&self) -> &[crate::figures::compute::Active<'a>] {
        self.actives.get_or_init(|| {
            crate::figures::compute::active(
                self.ds,
                self.referential,
                self.exclusions,
                crate::figures::Scope::Year(self.year),
            )
        })
    }
}

fn run_rules(ctx: &Context, pass: Pass) -> Vec<Diagnostic> {
    RULES
        .par_iter()
        .filter(|rule| rule.pass == pass)
        .flat_map_iter(|rule| {
            let mut out = Vec::new();
            (rule.check)(ctx, &mut out);
            out
        })
        .collect()
}

/// The row rules, run by the readers on each chunk of rows of a sheet (`ingest::sheet`): the
/// chunk's data set holds one file, one sheet and the chunk's full rows.
pub struct RowChecks<'a> {
    pub referential: &'a Referential,
    pub year: i32,
    pub whole_data_set: bool,
}

impl RowChecks<'_> {
    pub fn run(&self, chunk: &DataSet) -> Vec<Diagnostic> {
        let none = Exclusions::none();
        let ctx = Context {
            ds: chunk,
            referential: self.referential,
            year: self.year,
            exclusions: &none,
            whole_data_set: self.whole_data_set,
            actives: std::sync::OnceLock::new(),
        };
        run_rules(&ctx, Pass::Row)
    }
}

/// Adds to the row diagnostics (found while reading) those of the rules that compare rows,
/// files and sheets, then (for a whole data set) the checks of the year's figures over the
/// rows that have no error, as the report counts them; returns them all in a stable order.
/// A single file sent by a Parc is not the whole data set: its objectives, parcs and
/// associations are counted with the other Parcs' files.
pub fn run(
    ds: &DataSet,
    row_diagnostics: Vec<Diagnostic>,
    referential: &Referential,
    year: i32,
    whole_data_set: bool,
) -> Vec<Diagnostic> {
    let context = |exclusions| Context {
        ds,
        referential,
        year,
        exclusions,
        whole_data_set,
        actives: std::sync::OnceLock::new(),
    };
    let none = Exclusions::none();
    let mut all = row_diagnostics;
    all.extend(run_rules(&context(&none), Pass::Set));
    if whole_data_set {
        let exclusions = Exclusions::from(&all);
        all.extend(run_rules(&context(&exclusions), Pass::Aggregate));
    }
    all.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    all
}

/// The records left out of the figures: those with an error, and every record of a sheet
/// with a sheet-wide error (a missing or duplicate column). Warnings exclude nothing.
pub struct Exclusions {
    records: HashSet<RecordRef>,
    sheets: HashSet<u32>,
}

impl Exclusions {
    pub fn none() -> Self {
        Exclusions {
            records: HashSet::new(),
            sheets: HashSet::new(),
        }
    }

    pub fn from(diagnostics: &[Diagnostic]) -> Self {
        let mut records = HashSet::new();
        let mut sheets = HashSet::new();
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

    pub fn excludes(&self, record: RecordRef, sheet: u32) -> bool {
        self.records.contains(&record) || self.sheets.contains(&sheet)
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
