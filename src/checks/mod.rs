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
    /// Needs the whole data set (the year's figures, or every file's conventions): runs only
    /// when folders are checked, after the row checks, on the rows without errors.
    pub aggregate: bool,
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

fn run_rules(ctx: &Context, aggregate: bool) -> Vec<Diagnostic> {
    RULES
        .par_iter()
        .filter(|rule| rule.aggregate == aggregate)
        .flat_map_iter(|rule| {
            let mut out = Vec::new();
            (rule.check)(ctx, &mut out);
            out
        })
        .collect()
}

/// Runs every rule and returns the diagnostics in a stable order: the row checks first, then
/// (for a whole data set) the checks of the year's figures over the rows that have no error,
/// as the report counts them. A single file sent by a Parc is not the whole data set: its
/// objectives, parcs and associations are counted with the other Parcs' files.
pub fn run(
    ds: &DataSet,
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
    let mut all = run_rules(&context(&none), false);
    if whole_data_set {
        let exclusions = Exclusions::from(&all);
        all.extend(run_rules(&context(&exclusions), true));
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
