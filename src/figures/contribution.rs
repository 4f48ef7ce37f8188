//! What one submitted file contributes to the year's figures (the « Vos chiffres » sheet of an
//! annotated copy): the figures of DESIGN §6 over the whole data set, counting only that
//! file's conventions and declared indicator values. Partners stay whole, so a partner
//! declared in another file still counts; rows in error are left out as in the report.
//!
//! Built from the report's own pieces (`compute::active`, `compute::tallies`, `indicators`),
//! grouped in one pass as `compute::report` groups them, and without the
//! report's full list of conventions: a 200 000-row file's share costs little time and memory.

use super::compute::{self, Active, Tallies};
use super::model::{ConventionLine, GroupFigures, ObjectiveFigures, Scope, Totals};
use crate::diagnostic::Exclusions;
use crate::model::{DataSet, Echelle, Referential};

/// The file's share of the figures, and how many of its rows an error leaves out.
#[derive(Debug, Clone)]
pub struct Contribution {
    pub totals: Totals,
    pub objectives: Vec<ObjectiveFigures>,
    pub scales: Vec<GroupFigures>,
    pub parcs: Vec<GroupFigures>,
    /// The first active conventions by start date (at most the number asked for).
    pub conventions: Vec<ConventionLine>,
    /// Conventions, partners and indicator values of the file that an error leaves out.
    pub rows_excluded: usize,
}

/// The contribution of the `file`-th file, listing at most `max_lines` conventions. The data
/// set's indicator values are restricted to the file's for the computation and given back.
pub fn of_file(
    ds: &mut DataSet,
    referential: &Referential,
    exclusions: &Exclusions,
    scope: Scope,
    file: u32,
    max_lines: usize,
) -> Contribution {
    let rows_excluded = ds
        .conventions
        .iter()
        .map(|c| c.origin)
        .chain(ds.partners.iter().map(|p| p.origin))
        .chain(ds.indicators.iter().map(|v| v.origin))
        .filter(|o| o.sheet.file() == file && exclusions.excludes(*o))
        .count();
    let all_values = std::mem::take(&mut ds.indicators);
    ds.indicators = all_values
        .iter()
        .filter(|v| v.origin.sheet.file() == file)
        .cloned()
        .collect();
    let ds_view: &DataSet = ds;
    let actives: Vec<Active> = compute::active(ds_view, referential, exclusions, scope)
        .into_iter()
        .filter(|a| a.convention.origin.sheet.file() == file)
        .collect();
    let tallies = compute::tallies(referential, &actives, true);
    let contribution = Contribution {
        totals: compute::totals_of(ds_view, &actives, &tallies.all),
        objectives: compute::objectives(
            ds_view,
            referential,
            exclusions,
            &actives,
            scope,
            &tallies,
        ),
        scales: scales(&tallies),
        parcs: compute::parcs(referential, &tallies),
        conventions: lines(ds_view, referential, &actives, max_lines),
        rows_excluded,
    };
    ds.indicators = all_values;
    contribution
}

fn scales(tallies: &Tallies) -> Vec<GroupFigures> {
    Echelle::ALL
        .iter()
        .zip(&tallies.scales)
        .map(|(e, t)| GroupFigures {
            key: e.label().to_string(),
            label: e.label().to_string(),
            active_conventions: t.n,
            amounts: t.amounts.clone(),
        })
        .collect()
}

/// The first `max` active conventions by start date, as the report lists them.
fn lines(
    ds: &DataSet,
    referential: &Referential,
    actives: &[Active],
    max: usize,
) -> Vec<ConventionLine> {
    let mut order: Vec<&Active> = actives.iter().collect();
    order.sort_by(|a, b| {
        (
            a.convention.date_debut,
            a.convention.id(),
            a.convention.origin,
        )
            .cmp(&(
                b.convention.date_debut,
                b.convention.id(),
                b.convention.origin,
            ))
    });
    let parcs: Vec<String> = referential.parcs.iter().map(|p| p.code.clone()).collect();
    let programmes: Vec<String> = referential
        .programmes
        .iter()
        .map(|p| p.code.clone())
        .collect();
    let code = |list: &[String], i: Option<usize>| {
        i.and_then(|i| list.get(i)).cloned().unwrap_or_default()
    };
    order
        .into_iter()
        .take(max)
        .map(|a| {
            let c = a.convention;
            let texts = ds.convention_texts.get(a.index);
            ConventionLine {
                id: c.id().unwrap_or_default().to_string(),
                intitule: texts.map(|t| t.intitule.to_string()).unwrap_or_default(),
                echelle: c.echelle.map(|e| e.label().to_string()).unwrap_or_default(),
                parc: code(&parcs, c.links.parc()),
                programme: code(&programmes, c.links.programme()),
                objectifs: c
                    .links
                    .objectifs
                    .iter()
                    .map(|o| referential.objectives[o].code.clone())
                    .collect::<Vec<_>>()
                    .join(";"),
                thematique: texts.map(|t| t.thematique.to_string()).unwrap_or_default(),
                partenaires: c.partner_ids().collect::<Vec<_>>().join(";"),
                date_debut: c.date_debut.unwrap_or(referential.start),
                date_fin: c.date_fin.unwrap_or(referential.end),
                statut: c.statut.map(|s| s.label().to_string()).unwrap_or_default(),
                montant_total: c.montant_total,
                amounts: a.amounts(),
                file: ds.files[c.origin.sheet.file() as usize].display.clone(),
                sheet: ds.sheet(c.origin.sheet).name.clone(),
                row: c.origin.row,
            }
        })
        .collect()
}
