//! The check registry (DESIGN §5): one documented rule per file, one flat table in code
//! order. Row rules run in parallel on each chunk of rows as it is read, the others on the
//! merged data set; the diagnostics are sorted into a stable order.

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

/// What a check reads: the data set (a chunk of one sheet for a row rule, the merged data set
/// for the others), the referential, the year of year-dependent checks.
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

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use crate::model::{Field, IndicatorValue, Parsed, Problem};

    /// Rows with one problem each, for every kind of row.
    fn troubled_rows() -> DataSet {
        let mut conventions = vec![convention("C-1")];
        let mut edit = |f: &dyn Fn(&mut crate::model::Convention)| {
            let mut c = convention(&format!("C-{}", conventions.len() + 1));
            f(&mut c);
            conventions.push(c);
        };
        edit(&|c| c.date_fin = ok(10, date("2019-01-15")));
        edit(&|c| c.parc = text(3, "XYZ"));
        edit(&|c| c.objectifs = ok(5, vec!["OS9".into()]));
        edit(&|c| c.part_region = ok(12, money("-500")));
        edit(&|c| c.part_europe = ok(13, money("9000")));
        edit(&|c| c.date_signature = ok(8, date("2019-03-01")));
        edit(&|c| c.montant_total = Field::new(Some(11), Parsed::Empty));
        edit(&|c| c.programme = text(7, "IMPAKT"));
        edit(&|c| {
            c.statut = Field::new(Some(15), Parsed::invalid("fini", Problem::NotInVocabulary))
        });
        edit(&|c| {
            c.date_debut = Field::new(
                Some(9),
                Parsed::invalid(
                    "32/01/2019",
                    Problem::WrongType {
                        expected: "une date",
                    },
                ),
            )
        });
        edit(&|c| c.date_debut = ok(9, date("2017-01-01")));
        edit(&|c| {
            c.date_debut = ok(9, date("2022-02-01"));
            c.date_fin = ok(10, date("2022-12-31"));
        });
        edit(&|c| c.montant_total = ok(11, money("100000.01")));
        edit(&|c| {
            c.montant_total = ok(11, money("30000"));
            c.date_signature = Field::new(Some(8), Parsed::Empty);
        });
        edit(&|c| c.echelle = ok(2, crate::model::Echelle::Europeenne));
        edit(&|c| {
            c.echelle = ok(2, crate::model::Echelle::Europeenne);
            c.programme = text(7, "IMPACT");
            c.date_debut = ok(9, date("2019-01-01"));
            c.date_fin = ok(10, date("2020-06-30"));
        });
        let mut partners = vec![partner("P-1")];
        for (i, f) in [
            (|p: &mut crate::model::Partner| p.siret = text(3, "732 829 320 00075"))
                as fn(&mut crate::model::Partner),
            |p| p.rna = text(4, "595012345"),
            |p| p.code_postal = text(5, "2100"),
            |p| p.email = text(7, "contact.blongios.fr"),
        ]
        .into_iter()
        .enumerate()
        {
            let mut p = partner(&format!("P-{}", i + 2));
            f(&mut p);
            partners.push(p);
        }
        let indicators: Vec<IndicatorValue> = vec![
            indicator("OS1-I1", 2019, "3"),
            indicator("OS9-I9", 2019, "-1"),
        ];
        dataset(conventions, partners, indicators)
    }

    fn summary(d: &Diagnostic) -> String {
        format!("{} {:?} {:?} {:?}", d.code, d.message, d.column, d.value)
    }

    /// The streaming reader runs the row rules a chunk at a time: each must say the same of a
    /// row whether it sees it alone or among others.
    #[test]
    fn row_rules_look_at_one_row_at_a_time() {
        for rule in RULES.iter().filter(|r| r.pass == Pass::Row) {
            let all = troubled_rows();
            let mut together: Vec<String> = run_rule(rule, all, 2019).iter().map(summary).collect();
            let all = troubled_rows();
            let mut alone = Vec::new();
            for c in all.convention_rows {
                alone.extend(run_rule(rule, dataset(vec![c], vec![], vec![]), 2019));
            }
            for p in all.partner_rows {
                alone.extend(run_rule(rule, dataset(vec![], vec![p], vec![]), 2019));
            }
            for v in all.indicators {
                alone.extend(run_rule(rule, dataset(vec![], vec![], vec![v]), 2019));
            }
            let mut alone: Vec<String> = alone.iter().map(summary).collect();
            together.sort();
            alone.sort();
            assert_eq!(together, alone, "{}", rule.code);
        }
    }

    #[test]
    fn the_troubled_rows_trouble_every_row_rule() {
        let fired: Vec<&str> = RULES
            .iter()
            .filter(|r| r.pass == Pass::Row)
            .filter(|r| !run_rule(r, troubled_rows(), 2019).is_empty())
            .map(|r| r.code)
            .collect();
        let row_rules = RULES.iter().filter(|r| r.pass == Pass::Row).count();
        assert_eq!(fired.len(), row_rules, "only {fired:?} fired");
    }
}
