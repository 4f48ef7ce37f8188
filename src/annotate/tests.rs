use super::*;
use crate::ingest::{self, discover};

/// The sample data set, read and checked as `validate` does.
pub(crate) fn sample() -> (Referential, DataSet, Vec<Diagnostic>) {
    let referential = Referential::load(None).unwrap();
    let folder = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/input"));
    let files = discover::discover(&[folder]).unwrap();
    let found = std::sync::Mutex::new(Vec::new());
    let sink = Rows {
        checks: crate::checks::RowChecks {
            referential: &referential,
            year: 2020,
            whole_data_set: true,
        },
        found: &found,
    };
    let reading = ingest::Reading {
        limits: &Limits::default(),
        referential: &referential,
        sink: &sink,
        keep_texts: false,
    };
    let ds = ingest::load(&files, reading);
    let rows = found.into_inner().unwrap();
    let diagnostics = crate::checks::run(&ds, rows, &referential, 2020, true);
    (referential, ds, diagnostics)
}

struct Rows<'a> {
    checks: crate::checks::RowChecks<'a>,
    found: &'a std::sync::Mutex<Vec<Diagnostic>>,
}

impl ingest::RowSink for Rows<'_> {
    fn chunk(&self, sheet: crate::model::SheetAt, rows: &crate::model::RowChunk) {
        let found = self.checks.run(sheet, rows);
        self.found.lock().unwrap().extend(found);
    }
}

#[test]
fn contributions_add_up_to_the_report() {
    let (referential, mut ds, diagnostics) = sample();
    let scope = Scope::Year(2020);
    let whole = crate::figures::compute::report(&ds, &referential, &diagnostics, scope);
    let exclusions = Exclusions::from(&diagnostics);
    let parts: Vec<Contribution> = (0..ds.files.len() as u32)
        .map(|file| contribution::of_file(&mut ds, &referential, &exclusions, scope, file, 5))
        .collect();
    let cents = |d| crate::text::french::round(d, 2);
    let count: usize = parts.iter().map(|c| c.totals.active_conventions).sum();
    assert!(count > 0);
    assert_eq!(count, whole.totals.active_conventions);
    let total: rust_decimal::Decimal = parts.iter().map(|c| c.totals.amounts.total).sum();
    assert_eq!(cents(total), cents(whole.totals.amounts.total));
    for (i, o) in whole.objectives.iter().enumerate() {
        let n: usize = parts
            .iter()
            .map(|c| c.objectives[i].active_conventions)
            .sum();
        let region: rust_decimal::Decimal =
            parts.iter().map(|c| c.objectives[i].amounts.region).sum();
        assert_eq!(
            (n, cents(region)),
            (o.active_conventions, cents(o.amounts.region)),
            "{}",
            o.code
        );
        for (j, ind) in o
            .indicators
            .iter()
            .enumerate()
            .filter(|(_, i)| i.source == "declare")
        {
            let declared: rust_decimal::Decimal = parts
                .iter()
                .map(|c| c.objectives[i].indicators[j].achieved)
                .sum();
            assert_eq!(declared, ind.achieved, "{}", ind.code);
        }
    }
    for (i, s) in whole.scales.iter().enumerate() {
        let n: usize = parts.iter().map(|c| c.scales[i].active_conventions).sum();
        assert_eq!(n, s.active_conventions, "{}", s.key);
    }
    for (i, p) in whole
        .parcs
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.key.is_empty())
    {
        let europe: rust_decimal::Decimal = parts.iter().map(|c| c.parcs[i].amounts.europe).sum();
        assert_eq!(cents(europe), cents(p.amounts.europe), "{}", p.key);
    }
    assert!(parts.iter().all(|c| c.conventions.len() <= 5));
    let again = crate::figures::compute::report(&ds, &referential, &diagnostics, scope);
    assert_eq!(
        again.objectives, whole.objectives,
        "the data set is given back whole"
    );
}

#[test]
fn names_of_the_added_sheets() {
    let mut taken = vec!["Conventions".to_string(), "ANOMALIES".to_string()];
    assert_eq!(unique_name(sheets::ANOMALIES, &mut taken), "Anomalies enrx");
    assert_eq!(unique_name(sheets::FIGURES, &mut taken), "Vos chiffres");
    assert_eq!(
        unique_name(sheets::ANOMALIES, &mut taken),
        "Anomalies enrx 2"
    );
}
