//! What one submitted file contributes to the year's figures (the « Vos chiffres » sheet of an
//! annotated copy): the report of DESIGN §6 computed over the whole data set, its conventions
//! and declared indicator values restricted to that file's rows. Partners stay whole, so a
//! partner declared in another file still counts; rows in error are left out as in the report.

use super::compute;
use super::model::{Report, Scope};
use crate::diagnostic::{Diagnostic, Exclusions};
use crate::model::{DataSet, Referential};

/// The file's share of the report, and how many of its rows an error leaves out.
#[derive(Debug, Clone)]
pub struct Contribution {
    /// The report restricted to the file's rows; its anomaly list is left empty.
    pub report: Report,
    /// Conventions, partners and indicator values of the file that an error leaves out.
    pub rows_excluded: usize,
}

/// The contribution of the `file`-th file. The data set is restricted in place for the
/// computation and given back whole.
pub fn of_file(
    ds: &mut DataSet,
    referential: &Referential,
    diagnostics: &[Diagnostic],
    scope: Scope,
    file: u32,
) -> Contribution {
    let exclusions = Exclusions::from(diagnostics);
    let rows_excluded = ds
        .conventions
        .iter()
        .map(|c| c.origin)
        .chain(ds.partners.iter().map(|p| p.origin))
        .chain(ds.indicators.iter().map(|v| v.origin))
        .filter(|o| o.sheet.file() == file && exclusions.excludes(*o))
        .count();
    let of_file = |sheet: crate::model::SheetId| sheet.file() == file;
    // Only the file's conventions (with their texts, when kept) and indicator values.
    let conventions = std::mem::take(&mut ds.conventions);
    let texts = std::mem::take(&mut ds.convention_texts);
    let indicators = std::mem::take(&mut ds.indicators);
    for (i, c) in conventions.iter().enumerate() {
        if of_file(c.origin.sheet) {
            ds.conventions.push(c.clone());
            if let Some(t) = texts.get(i) {
                ds.convention_texts.push(t.clone());
            }
        }
    }
    ds.indicators = indicators
        .iter()
        .filter(|v| of_file(v.origin.sheet))
        .cloned()
        .collect();
    let mut report = compute::report(ds, referential, diagnostics, scope);
    ds.conventions = conventions;
    ds.convention_texts = texts;
    ds.indicators = indicators;
    report.anomalies.clear();
    Contribution {
        report,
        rows_excluded,
    }
}
