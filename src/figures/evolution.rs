//! The years of the period side by side (DESIGN §7 `synthese-evolution.csv`, §8 « Évolution »):
//! each year computed exactly as that year's own report computes it.

use super::compute::{active, tallies, totals_of, year_figures};
use super::model::{Scope, YearFigures};
use crate::diagnostic::Exclusions;
use crate::model::{DataSet, Referential};

/// The years shown: those of the period up to the report's year, or every year for a bilan.
fn years(referential: &Referential, scope: Scope) -> impl Iterator<Item = i32> {
    let last = match scope {
        Scope::Year(y) => y,
        Scope::Bilan { last, .. } => last,
    };
    referential.years().filter(move |&y| y <= last)
}

/// Every year shown but `skip` (the report's own year, which the report computes), in order.
pub fn evolution(
    ds: &DataSet,
    referential: &Referential,
    exclusions: &Exclusions,
    scope: Scope,
    skip: Option<i32>,
) -> Vec<YearFigures> {
    years(referential, scope)
        .filter(|&year| Some(year) != skip)
        .map(|year| {
            let actives = active(ds, referential, exclusions, Scope::Year(year));
            // Only the whole and the objectives: a year's line needs no other group.
            let t = tallies(referential, &actives, false);
            year_figures(referential, year, &totals_of(ds, &actives, &t.all), &t)
        })
        .collect()
}
