//! The check registry (DESIGN §5): one documented rule per file, one flat table in code
//! order. Row rules run in parallel on each chunk of rows as it is read, the others on the
//! merged data set; the diagnostics are sorted into a stable order.

mod merged;
mod registry;

mod date;
mod file;
mod money;
mod objective;
mod reference;
mod structure;
mod value;

#[cfg(test)]
pub mod testing;

use rayon::prelude::*;

pub use crate::diagnostic::{Collector, Diagnostic, Exclusions, Severity, Tally};
pub use registry::{RULES, find_rule};

use crate::diagnostic::Source;
use crate::figures::compute::Active;
use crate::model::{DataSet, Origin, Referential, RowChunk, SheetAt};

/// One check: its stable code, its severity, its French documentation, and what it reads.
pub struct Rule {
    pub code: &'static str,
    /// Short English name, as in the rule's file name.
    pub name: &'static str,
    pub severity: Severity,
    /// One French line for `enrx checks`.
    pub summary: &'static str,
    /// French documentation for `enrx explain`: what it checks, why it matters, how to fix.
    pub explanation: &'static str,
    pub check: Check,
}

impl Source for Rule {
    fn code(&self) -> &'static str {
        self.code
    }
    fn severity(&self) -> Severity {
        self.severity
    }
}

/// What a rule looks at, and so when it runs: its function's argument is all it can read.
#[derive(Clone, Copy)]
pub enum Check {
    /// Each row on its own (and the referential): runs on every chunk of full rows while a
    /// sheet is read, so a million rows never sit in memory whole.
    Row(fn(&RowContext, &mut Vec<Diagnostic>)),
    /// Rows compared with each other, or files and sheets: runs once every file is read, on
    /// the small cores of every row.
    Set(fn(&Context, &mut Vec<Diagnostic>)),
    /// The whole data set (the year's figures, or every file's conventions): runs only when
    /// folders are checked, after the others, on the rows without errors.
    Aggregate(fn(&Context, &mut Vec<Diagnostic>)),
}

/// When a rule runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    Row,
    Set,
    Aggregate,
}

impl Rule {
    pub fn pass(&self) -> Pass {
        match self.check {
            Check::Row(_) => Pass::Row,
            Check::Set(_) => Pass::Set,
            Check::Aggregate(_) => Pass::Aggregate,
        }
    }
}

/// What a row rule reads: one chunk of full rows of one sheet, and the referential.
pub struct RowContext<'a> {
    pub sheet: SheetAt<'a>,
    pub rows: &'a RowChunk,
    pub referential: &'a Referential,
    pub year: i32,
    /// Folders were checked; false for files named one by one.
    pub whole_data_set: bool,
    /// The codes over `--max-anomalies` in this file: their diagnostics only count.
    pub muted: &'a [&'static str],
}

impl RowContext<'_> {
    /// Adds the diagnostic `make` builds about the record at `origin`; once its rule's code
    /// is over `--max-anomalies` in the file, only what counts of it (`Diagnostic::counted`),
    /// so a million broken rows cost their counting, not a million texts.
    pub fn push(
        &self,
        out: &mut Vec<Diagnostic>,
        rule: &Rule,
        origin: Origin,
        make: impl FnOnce() -> Diagnostic,
    ) {
        if self.muted.contains(&rule.code) {
            // A row's diagnostics of one rule come one after the other: counted as one entry.
            match out.last_mut() {
                Some(last)
                    if last.message.is_empty()
                        && last.record == Some(origin)
                        && last.code == rule.code =>
                {
                    last.weight += 1
                }
                _ => out.push(Diagnostic::counted(rule, origin)),
            }
        } else {
            out.push(make());
        }
    }
}

/// What a set or aggregate rule reads: the merged data set (cores), the referential, the
/// year of year-dependent checks.
pub struct Context<'a> {
    pub ds: &'a DataSet,
    pub referential: &'a Referential,
    pub year: i32,
    /// Rows left out of the figures; empty while the set rules run.
    pub exclusions: &'a Exclusions,
    /// Folders were checked; false for files named one by one, whose references may point
    /// to files that were not given.
    pub whole_data_set: bool,
    /// The conventions active in the year, computed once for the checks that read them.
    pub actives: std::sync::OnceLock<Vec<Active<'a>>>,
}

impl<'a> Context<'a> {
    /// The conventions active in the year, rows with errors left out (as the report counts).
    pub fn actives(&self) -> &[Active<'a>] {
        self.actives.get_or_init(|| {
            crate::figures::compute::active(
                self.ds,
                self.referential,
                self.exclusions,
                crate::figures::Scope::Year(self.year),
            )
        })
    }

    /// Where the record read at `origin` is, for its diagnostics.
    pub fn at(&self, origin: Origin) -> SheetAt<'a> {
        self.ds.sheet_at(origin.sheet)
    }
}

/// The row rules with what they need besides the rows: the command adapts them to the ingest
/// sink, which hands over each chunk of each sheet.
pub struct RowChecks<'a> {
    pub referential: &'a Referential,
    pub year: i32,
    pub whole_data_set: bool,
}

impl RowChecks<'_> {
    /// The diagnostics of each row rule on the chunk; `muted`: the codes over
    /// `--max-anomalies` in the sheet's file (see `RowContext::push`).
    pub fn run(
        &self,
        sheet: SheetAt,
        rows: &RowChunk,
        muted: &[&'static str],
    ) -> Vec<Vec<Diagnostic>> {
        let ctx = RowContext {
            sheet,
            rows,
            referential: self.referential,
            year: self.year,
            whole_data_set: self.whole_data_set,
            muted,
        };
        // One rule after the other: the parallelism is the pipeline's (a core reads while
        // the other checks), and this may run outside rayon's pool while a reader holds a
        // worker of it (see `ingest::sink::pipelined`).
        RULES
            .iter()
            .filter_map(|rule| match rule.check {
                Check::Row(check) => Some(check),
                _ => None,
            })
            .map(|check| {
                let mut out = Vec::new();
                check(&ctx, &mut out);
                out
            })
            .collect()
    }
}

fn run_rules(ctx: &Context, pass: Pass) -> Vec<Diagnostic> {
    RULES
        .par_iter()
        .filter_map(|rule| match (rule.check, pass) {
            (Check::Set(check), Pass::Set) | (Check::Aggregate(check), Pass::Aggregate) => {
                Some(check)
            }
            _ => None,
        })
        .flat_map_iter(|check| {
            let mut out = Vec::new();
            check(ctx, &mut out);
            out
        })
        .collect()
}

/// Corrects the row diagnostics (collected while reading) of the cells merges filled after
/// their rows were checked (`merged`), adds those of the rules that compare rows, files and
/// sheets, then (for a whole data set) the checks of the year's figures over the rows that
/// have no error, as the report counts them; returns the diagnostics kept, in a stable order,
/// and the tally of every one made (see `Collector`).
/// A single file sent by a Parc is not the whole data set: its objectives, parcs and
/// associations are counted with the other Parcs' files.
pub fn run(
    ds: &DataSet,
    mut collector: Collector,
    referential: &Referential,
    year: i32,
    whole_data_set: bool,
) -> (Vec<Diagnostic>, Tally) {
    let context = |exclusions| Context {
        ds,
        referential,
        year,
        exclusions,
        whole_data_set,
        actives: std::sync::OnceLock::new(),
    };
    let none = Exclusions::none();
    let row_checks = RowChecks {
        referential,
        year,
        whole_data_set,
    };
    collector.revise(|kept| merged::apply(ds, &row_checks, kept));
    collector.extend(run_rules(&context(&none), Pass::Set));
    if whole_data_set {
        let found = run_rules(&context(collector.exclusions()), Pass::Aggregate);
        collector.extend(found);
    }
    collector.finish()
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use crate::model::{Field, IndicatorValue, Parsed, Problem};

    /// Rows with one problem each, for every kind of row.
    fn troubled_rows() -> TestData {
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
        edit(&|c| {
            c.part_autres = Field::new(
                Some(14),
                Parsed::invalid("=SUM(O3:O4)", Problem::FormulaWithoutValue),
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
        for rule in RULES.iter().filter(|r| r.pass() == Pass::Row) {
            let all = troubled_rows();
            let mut together: Vec<String> = run_rule(rule, all, 2019).iter().map(summary).collect();
            let all = troubled_rows();
            let mut alone = Vec::new();
            for c in all.rows.conventions {
                alone.extend(run_rule(rule, dataset(vec![c], vec![], vec![]), 2019));
            }
            for p in all.rows.partners {
                alone.extend(run_rule(rule, dataset(vec![], vec![p], vec![]), 2019));
            }
            for v in all.rows.indicators {
                alone.extend(run_rule(rule, dataset(vec![], vec![], vec![v]), 2019));
            }
            let mut alone: Vec<String> = alone.iter().map(summary).collect();
            together.sort();
            alone.sort();
            assert_eq!(together, alone, "{}", rule.code);
        }
    }

    /// A row rule whose code is over `--max-anomalies` only counts: what it counts (code,
    /// severity, record, file) must be what it would have written.
    #[test]
    fn a_muted_rule_counts_what_it_would_write() {
        let what = |d: &Diagnostic| (d.code, d.severity, d.record, d.file_index);
        for rule in RULES.iter().filter(|r| r.pass() == Pass::Row) {
            let written: Vec<_> = run_rule(rule, troubled_rows(), 2019)
                .iter()
                .map(what)
                .collect();
            let counted = run_rule_muted(rule, troubled_rows(), 2019, &[rule.code]);
            assert!(
                counted.iter().all(|d| d.message.is_empty()),
                "{}",
                rule.code
            );
            let counted: Vec<_> = counted.iter().map(what).collect();
            assert_eq!(written, counted, "{}", rule.code);
        }
    }

    #[test]
    fn a_muted_rule_counts_a_row_once_with_its_weight() {
        let mut c = convention("C-1");
        c.intitule = Field::new(Some(1), Parsed::Empty);
        c.statut = Field::new(Some(15), Parsed::Empty);
        c.montant_total = Field::new(Some(11), Parsed::Empty);
        let rule = find_rule("V001").unwrap();
        let data = || dataset(vec![c.clone()], vec![], vec![]);
        assert_eq!(run_rule(rule, data(), 2019).len(), 3);
        let counted = run_rule_muted(rule, data(), 2019, &["V001"]);
        assert_eq!(counted.len(), 1);
        assert_eq!(counted[0].weight, 3);
        let mut collector = Collector::new(1);
        collector.extend(run_rule(rule, data(), 2019).into_iter().take(1));
        collector.extend(counted);
        let (kept, tally) = collector.finish();
        assert_eq!(tally.counts.erreurs, 4);
        assert_eq!(tally.per_code["V001"], 4);
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[1].omitted, Some(3));
    }

    /// Rows whose every cell is a crafted 30 000-character text with terminal escapes and
    /// a bidirectional override, in sheets whose names and headers are crafted too.
    fn crafted_rows() -> TestData {
        fn crafted() -> String {
            format!("\x1b[2J{}\u{202e}P-1", "x".repeat(30_000))
        }
        fn bad<T>(col: u16, problem: Problem) -> Field<T> {
            Field::new(Some(col), Parsed::invalid(crafted(), problem))
        }
        let text = |col| Field::new(Some(col), Parsed::Ok(crafted().into()));
        let wrong = Problem::WrongType {
            expected: "une date",
        };
        let mut c = convention(&crafted());
        c.intitule = text(1);
        c.echelle = bad(2, Problem::NotInVocabulary);
        c.parc = text(3);
        c.partenaires = ok(4, vec![crafted().into()]);
        c.objectifs = ok(5, vec![crafted().into()]);
        c.thematique = text(6);
        c.programme = text(7);
        c.date_debut = bad(9, wrong.clone());
        c.montant_total = bad(11, Problem::FormulaError);
        c.part_autres = bad(14, Problem::FormulaWithoutValue);
        c.statut = bad(15, Problem::NotInVocabulary);
        let mut twin = convention(&crafted());
        twin.partenaires = ok(4, vec![format!("{}3", crafted()).into()]);
        let mut p = partner(&crafted());
        p.nom = text(1);
        p.kind = bad(2, Problem::NotInVocabulary);
        p.siret = text(3);
        p.rna = text(4);
        p.code_postal = text(5);
        p.email = text(7);
        p.telephone = text(8);
        let mut q = partner(&format!("{}2", crafted()));
        q.siret = ok(3, "732 829 320 00074".into());
        q.rna = Field::new(Some(4), Parsed::Empty);
        let mut r = partner(&format!("{}4", crafted()));
        r.siret = ok(3, "73282932000074".into());
        let mut v = indicator("OS1-I1", 2019, "1");
        v.indicateur = text(0);
        v.parc = text(3);
        let mut data = dataset(vec![c, twin], vec![p, q, r], vec![v]);
        for sheet in &mut data.ds.sheets {
            sheet.name = crafted();
            let header = crate::model::HeaderCell {
                name: crafted(),
                col: 20,
            };
            sheet.unknown_columns = vec![header.clone()];
            sheet.duplicate_columns = vec![header.clone()];
            sheet.hidden_columns = vec![header];
            sheet.totals = vec![crate::model::TotalRow {
                row: 30,
                label: crafted(),
                label_col: 0,
                level: crate::model::TotalLevel::Total,
                amounts: vec![],
            }];
            sheet.notes = vec![crate::model::NoteRow {
                row: 31,
                col: 0,
                text: crafted(),
            }];
            sheet.merges = vec![crate::model::MergedData {
                range: crate::model::MergedRange {
                    first_row: 2,
                    first_col: 3,
                    last_row: 3,
                    last_col: 3,
                },
                column: crate::model::schema::convention::PARC.name(),
                rows: 2,
                value: Some(crafted()),
                filled_after_checks: false,
            }];
            if sheet.kind == crate::model::SheetKind::Indicateurs {
                sheet.data_rows = 0;
            }
        }
        data
    }

    /// Whatever a submission holds, every text of every diagnostic is bounded and escaped
    /// (`text::echo`): a rule that quoted a cell without `echo::bound` would fail here.
    #[test]
    fn crafted_cells_are_echoed_bounded_and_escaped() {
        use crate::text::echo::is_unsafe;
        let mut fired = std::collections::BTreeSet::new();
        for rule in RULES.iter() {
            for d in run_rule(rule, crafted_rows(), 2019) {
                fired.insert(d.code);
                let texts = [
                    Some(&d.message),
                    d.value.as_ref(),
                    d.hint.as_ref(),
                    d.sheet.as_ref(),
                    d.column.as_ref(),
                ];
                for t in texts.into_iter().flatten() {
                    assert!(
                        t.chars().count() < 1_000,
                        "{}: {} characters",
                        d.code,
                        t.chars().count()
                    );
                    assert!(!t.chars().any(is_unsafe), "{}: {t:?}", d.code);
                }
                if let Some(e) = &d.expected {
                    assert!(!e.chars().any(is_unsafe), "{}: {e:?}", d.code);
                }
            }
        }
        // Every rule that quotes a cell of the submission.
        for code in [
            "S002", "S003", "S004", "S005", "S006", "S008", "S009", "V002", "V003", "V005", "V006",
            "V007", "V008", "V009", "R001", "R002", "R003", "R004", "R005", "R006", "O003",
        ] {
            assert!(fired.contains(code), "{code} did not fire: {fired:?}");
        }
    }

    #[test]
    fn the_troubled_rows_trouble_every_row_rule() {
        let fired: Vec<&str> = RULES
            .iter()
            .filter(|r| r.pass() == Pass::Row)
            .filter(|r| !run_rule(r, troubled_rows(), 2019).is_empty())
            .map(|r| r.code)
            .collect();
        let row_rules = RULES.iter().filter(|r| r.pass() == Pass::Row).count();
        assert_eq!(fired.len(), row_rules, "only {fired:?} fired");
    }
}
