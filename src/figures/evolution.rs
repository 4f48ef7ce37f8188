//! The years of the period side by side (DESIGN §7 `synthese-evolution.csv`, §8 « Évolution »):
//! each year computed exactly as that year's own report computes it.

use rust_decimal::Decimal;

use super::compute::{active, totals};
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

pub fn evolution(
    ds: &DataSet,
    referential: &Referential,
    exclusions: &Exclusions,
    scope: Scope,
) -> Vec<YearFigures> {
    years(referential, scope)
        .map(|year| {
            let actives = active(ds, referential, exclusions, Scope::Year(year));
            // A convention's amount is split equally between its objectives, as in the report.
            let mut by_objective = vec![Decimal::ZERO; referential.objectives.len()];
            for a in &actives {
                let k = a.convention.links.objectifs.len();
                for o in a.convention.links.objectifs.iter() {
                    if let Some(sum) = by_objective.get_mut(o) {
                        *sum += a.amounts().scaled(1, k).total;
                    }
                }
            }
            YearFigures {
                year,
                totals: totals(ds, &actives),
                objective_amounts: referential
                    .objectives
                    .iter()
                    .map(|o| o.code.clone())
                    .zip(by_objective)
                    .collect(),
            }
        })
        .collect()
}
