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
    let mut total = rust_decimal::Decimal::ZERO;
    let mut count = 0;
    for file in 0..ds.files.len() as u32 {
        let c = contribution::of_file(&mut ds, &referential, &diagnostics, scope, file);
        total += c.report.totals.amounts.total;
        count += c.report.totals.active_conventions;
    }
    assert!(count > 0);
    assert_eq!(count, whole.totals.active_conventions);
    let cents = |d| crate::text::french::round(d, 2);
    assert_eq!(cents(total), cents(whole.totals.amounts.total));
    let again = crate::figures::compute::report(&ds, &referential, &diagnostics, scope);
    assert_eq!(
        again.totals, whole.totals,
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
