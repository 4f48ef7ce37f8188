//! Computes the report model from the checked data set (DESIGN §6).

use rustc_hash::FxHashSet;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::model::*;
use super::period::{days_inclusive, meets, overlap_days, year_bounds};
use crate::diagnostic::{Diagnostic, Exclusions, Tally};
use crate::model::referential::{Filter, IndicatorSource, Measure};
use crate::model::{ConventionCore, DataSet, Echelle, PartnerType, Referential};

/// A convention counted in the scope. Its amounts there are computed when asked: the year's
/// actives of a million rows would otherwise hold 64 bytes of amounts each.
pub struct Active<'a> {
    pub index: usize,
    pub convention: &'a ConventionCore,
    /// Days of the convention inside the scope's window, and its days in all: equal when it
    /// lies wholly inside, and over a bilan (whole amounts).
    inside: u32,
    days: u32,
}

impl Active<'_> {
    /// The convention's amounts in the scope, annualised for a year (DESIGN §6), exact.
    pub fn amounts(&self) -> Amounts {
        let c = self.convention;
        let share = |v: Decimal| {
            if self.inside == self.days {
                v
            } else {
                v * Decimal::from(self.inside) / Decimal::from(self.days)
            }
        };
        Amounts {
            total: share(c.montant_total),
            region: share(c.part_region),
            europe: share(c.part_europe),
            autres: share(c.part_autres),
        }
    }
}

/// The window of dates a scope covers, and whether amounts are annualised to it.
fn window(scope: Scope, referential: &Referential) -> (NaiveDate, NaiveDate, bool) {
    match scope {
        Scope::Year(y) => {
            let (from, to) = year_bounds(y).unwrap_or((referential.start, referential.end));
            (from, to, true)
        }
        Scope::Bilan { .. } => (referential.start, referential.end, false),
    }
}

/// Conventions active in the scope (status signée, en cours or soldée, dates meeting the
/// window), rows with errors left out.
pub fn active<'a>(
    ds: &'a DataSet,
    referential: &Referential,
    exclusions: &Exclusions,
    scope: Scope,
) -> Vec<Active<'a>> {
    let (from, to, annualised) = window(scope, referential);
    ds.conventions
        .iter()
        .enumerate()
        .filter(|(_, c)| !exclusions.excludes(c.origin))
        .filter_map(|(index, c)| {
            let statut = c.statut?;
            let (start, end) = (c.date_debut?, c.date_fin?);
            if !statut.counts_as_active() || !meets(start, end, from, to) {
                return None;
            }
            let days = days_inclusive(start, end);
            let inside = if annualised {
                overlap_days(start, end, from, to)
            } else {
                days
            };
            Some(Active {
                index,
                convention: c,
                inside: u32::try_from(inside).unwrap_or(u32::MAX),
                days: u32::try_from(days).unwrap_or(u32::MAX),
            })
        })
        .collect()
}

fn partner_type(ds: &DataSet, partner: u32) -> Option<PartnerType> {
    ds.partners.get(partner as usize).and_then(|p| p.kind)
}

fn matches(ds: &DataSet, a: &Active, filter: &Filter) -> bool {
    let c = a.convention;
    (filter.scales.is_empty() || c.echelle.is_some_and(|e| filter.scales.contains(&e)))
        && (filter.objectives.is_empty()
            || c.links
                .objectifs
                .iter()
                .any(|o| filter.objectives.contains(&o)))
        && (filter.partner_types.is_empty()
            || ds
                .partners_of(c)
                .iter()
                .any(|&p| partner_type(ds, p).is_some_and(|t| filter.partner_types.contains(&t))))
}

fn distinct_partners(ds: &DataSet, actives: &[&Active], types: &[PartnerType]) -> usize {
    actives
        .iter()
        .flat_map(|a| ds.partners_of(a.convention).iter().copied())
        .filter(|&p| types.is_empty() || partner_type(ds, p).is_some_and(|t| types.contains(&t)))
        .collect::<FxHashSet<u32>>()
        .len()
}

/// The achieved value of a computed indicator.
fn computed(ds: &DataSet, actives: &[Active], measure: Measure, filter: &Filter) -> Decimal {
    let selected: Vec<&Active> = actives.iter().filter(|a| matches(ds, a, filter)).collect();
    match measure {
        Measure::ActiveConventions => Decimal::from(selected.len()),
        Measure::DistinctPartners => {
            Decimal::from(distinct_partners(ds, &selected, &filter.partner_types))
        }
        Measure::AnnualisedAmount => selected
            .iter()
            .map(|a| {
                let objectives = &a.convention.links.objectifs;
                if filter.objectives.is_empty() || objectives.is_empty() {
                    a.amounts().total
                } else {
                    // Only the filtered objectives' equal shares of the amount.
                    let kept = objectives
                        .iter()
                        .filter(|o| filter.objectives.contains(o))
                        .count();
                    a.amounts().total * Decimal::from(kept) / Decimal::from(objectives.len())
                }
            })
            .sum(),
    }
}

/// The sum of the declared values of an indicator for the years of the scope.
pub fn declared(
    ds: &DataSet,
    referential: &Referential,
    exclusions: &Exclusions,
    code: &str,
    years: &[i32],
) -> Decimal {
    ds.indicators
        .iter()
        .enumerate()
        .filter(|(_, v)| !exclusions.excludes(v.origin))
        .filter(|(_, v)| {
            v.annee.value().is_some_and(|y| years.contains(&y))
                && v.indicateur
                    .text()
                    .and_then(|t| referential.find_indicator(t))
                    .is_some_and(|(_, ind)| ind.code == code)
        })
        .filter_map(|(_, v)| v.valeur.value())
        .sum()
}

fn years_of(scope: Scope) -> Vec<i32> {
    match scope {
        Scope::Year(y) => vec![y],
        Scope::Bilan { first, last } => (first..=last).collect(),
    }
}

/// Every indicator of an objective, with its target and achieved value in the scope.
pub fn indicators(
    ds: &DataSet,
    referential: &Referential,
    exclusions: &Exclusions,
    actives: &[Active],
    scope: Scope,
    objective: usize,
) -> Vec<IndicatorFigures> {
    let years = years_of(scope);
    let o = &referential.objectives[objective];
    o.indicators
        .iter()
        .map(|ind| {
            let targets: Vec<Decimal> = years
                .iter()
                .filter_map(|y| ind.targets.get(y).copied())
                .collect();
            let (achieved, source, flow) = match &ind.source {
                IndicatorSource::Declared => (
                    declared(ds, referential, exclusions, &ind.code, &years),
                    "declare",
                    true,
                ),
                IndicatorSource::Computed { measure, filter } => (
                    computed(ds, actives, *measure, filter),
                    "calcule",
                    *measure == Measure::AnnualisedAmount,
                ),
            };
            // Over a bilan, flows add up year after year; counts are compared to the largest target.
            let target = if targets.is_empty() {
                None
            } else if flow {
                Some(targets.iter().copied().sum())
            } else {
                targets.iter().copied().max()
            };
            let rate = target
                .filter(|t| !t.is_zero())
                .map(|t| achieved * Decimal::from(100) / t);
            IndicatorFigures {
                code: ind.code.clone(),
                objective: o.code.clone(),
                title: ind.title.clone(),
                unit: ind.unit.clone(),
                source,
                target,
                achieved,
                rate,
            }
        })
        .collect()
}

fn sum_amounts<'a>(actives: impl Iterator<Item = &'a Active<'a>>) -> (usize, Amounts) {
    let mut n = 0;
    let mut amounts = Amounts::default();
    for a in actives {
        n += 1;
        amounts += &a.amounts();
    }
    (n, amounts)
}

pub fn totals(ds: &DataSet, actives: &[Active]) -> Totals {
    let (n, amounts) = sum_amounts(actives.iter());
    let all: Vec<&Active> = actives.iter().collect();
    Totals {
        active_conventions: n,
        amounts,
        distinct_partners: distinct_partners(ds, &all, &[]),
        association_partners: distinct_partners(ds, &all, &[PartnerType::Association]),
    }
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(";")
}

/// The report model of `scope`: every figure the CSV summaries and the PDF show.
/// `diagnostics` are those kept (the report lists them), `tally` counts every one made.
pub fn report(
    ds: &DataSet,
    referential: &Referential,
    diagnostics: &[Diagnostic],
    tally: &Tally,
    scope: Scope,
) -> Report {
    let exclusions = &tally.exclusions;
    let actives = active(ds, referential, exclusions, scope);
    let counts = tally.counts;
    Report {
        scope,
        convention_title: referential.title.clone(),
        period_start: referential.start,
        period_end: referential.end,
        submissions: ds.files.len(),
        rows_read: ds.rows_read(),
        rows_excluded: exclusions.records_in_error(),
        totals: totals(ds, &actives),
        previous: previous_totals(ds, referential, exclusions, scope),
        evolution: super::evolution::evolution(ds, referential, exclusions, scope),
        objectives: objectives(ds, referential, exclusions, &actives, scope),
        scales: scales(&actives),
        parcs: parcs(referential, &actives),
        programmes: programmes(referential, &actives),
        partner_types: partner_types(ds, &actives),
        conventions: convention_lines(ds, referential, &actives),
        anomalies: anomaly_lines(diagnostics),
        erreurs: counts.erreurs,
        avertissements: counts.avertissements,
        infos: counts.infos,
    }
}

/// Per objective: its conventions (a convention counts once for each of its objectives), its
/// equal share of their amounts, and its indicators.
fn objectives(
    ds: &DataSet,
    referential: &Referential,
    exclusions: &Exclusions,
    actives: &[Active],
    scope: Scope,
) -> Vec<ObjectiveFigures> {
    referential
        .objectives
        .iter()
        .enumerate()
        .map(|(oi, o)| {
            let mut n = 0;
            let mut amounts = Amounts::default();
            for a in actives {
                let k = a.convention.links.objectifs.len();
                if a.convention.links.objectifs.contains(&oi) {
                    n += 1;
                    amounts += &a.amounts().scaled(1, k);
                }
            }
            ObjectiveFigures {
                code: o.code.clone(),
                title: o.title.clone(),
                active_conventions: n,
                amounts,
                indicators: indicators(ds, referential, exclusions, actives, scope, oi),
            }
        })
        .collect()
}

/// A breakdown row: the active conventions `pred` selects and their amounts.
fn group(
    actives: &[Active],
    key: String,
    label: String,
    pred: impl Fn(&Active) -> bool,
) -> GroupFigures {
    let (n, amounts) = sum_amounts(actives.iter().filter(|a| pred(a)));
    GroupFigures {
        key,
        label,
        active_conventions: n,
        amounts,
    }
}

fn scales(actives: &[Active]) -> Vec<GroupFigures> {
    Echelle::ALL
        .iter()
        .map(|&e| {
            group(actives, e.label().to_string(), e.label().to_string(), |a| {
                a.convention.echelle == Some(e)
            })
        })
        .collect()
}

/// Every parc of the referential, then the conventions without a parc when there are some.
fn parcs(referential: &Referential, actives: &[Active]) -> Vec<GroupFigures> {
    let mut parcs: Vec<GroupFigures> = referential
        .parcs
        .iter()
        .enumerate()
        .map(|(pi, p)| {
            group(actives, p.code.clone(), p.name.clone(), |a| {
                a.convention.links.parc() == Some(pi)
            })
        })
        .collect();
    let without_parc = group(actives, String::new(), "ENRx (hors Parcs)".into(), |a| {
        a.convention.links.parc().is_none()
    });
    if without_parc.active_conventions > 0 {
        parcs.push(without_parc);
    }
    parcs
}

fn programmes(referential: &Referential, actives: &[Active]) -> Vec<GroupFigures> {
    referential
        .programmes
        .iter()
        .enumerate()
        .map(|(pi, p)| {
            group(actives, p.code.clone(), p.title.clone(), |a| {
                a.convention.links.programme() == Some(pi)
            })
        })
        .collect()
}

fn partner_types(ds: &DataSet, actives: &[Active]) -> Vec<PartnerTypeFigures> {
    PartnerType::ALL
        .iter()
        .map(|&t| {
            let with: Vec<&Active> = actives
                .iter()
                .filter(|a| {
                    ds.partners_of(a.convention)
                        .iter()
                        .any(|&p| partner_type(ds, p) == Some(t))
                })
                .collect();
            PartnerTypeFigures {
                kind: t.label().to_string(),
                partners: distinct_partners(ds, &with, &[t]),
                active_conventions: with.len(),
            }
        })
        .collect()
}

/// The active conventions as `conventions.csv` and the PDF list them, by start date.
fn convention_lines(
    ds: &DataSet,
    referential: &Referential,
    actives: &[Active],
) -> Vec<ConventionLine> {
    let mut conventions: Vec<ConventionLine> = actives
        .iter()
        .map(|a| convention_line(ds, referential, a))
        .collect();
    conventions.sort_by(|a, b| {
        (a.date_debut, &a.id, &a.file, a.row).cmp(&(b.date_debut, &b.id, &b.file, b.row))
    });
    conventions
}

fn convention_line(ds: &DataSet, referential: &Referential, a: &Active) -> ConventionLine {
    let c = a.convention;
    let texts = ds.convention_texts.get(a.index);
    let sheet = ds.sheet(c.origin.sheet);
    ConventionLine {
        id: c.id().unwrap_or_default().to_string(),
        intitule: texts.map(|t| t.intitule.to_string()).unwrap_or_default(),
        echelle: c.echelle.map(|e| e.label().to_string()).unwrap_or_default(),
        parc: c
            .links
            .parc()
            .map(|p| referential.parcs[p].code.clone())
            .unwrap_or_default(),
        programme: c
            .links
            .programme()
            .map(|p| referential.programmes[p].code.clone())
            .unwrap_or_default(),
        objectifs: join(
            c.links
                .objectifs
                .iter()
                .map(|o| referential.objectives[o].code.clone()),
        ),
        thematique: texts.map(|t| t.thematique.to_string()).unwrap_or_default(),
        partenaires: join(c.partner_ids().map(str::to_string)),
        date_debut: c.date_debut.unwrap_or(referential.start),
        date_fin: c.date_fin.unwrap_or(referential.end),
        statut: c.statut.map(|s| s.label().to_string()).unwrap_or_default(),
        montant_total: c.montant_total,
        amounts: a.amounts(),
        file: ds.files[sheet.id.file() as usize].display.clone(),
        sheet: sheet.name.clone(),
        row: c.origin.row,
    }
}

/// The previous year's totals, for a year whose previous year is in the period.
fn previous_totals(
    ds: &DataSet,
    referential: &Referential,
    exclusions: &Exclusions,
    scope: Scope,
) -> Option<Totals> {
    match scope {
        Scope::Year(y) if referential.years().contains(&(y - 1)) => {
            let prev = active(ds, referential, exclusions, Scope::Year(y - 1));
            Some(totals(ds, &prev))
        }
        _ => None,
    }
}

fn anomaly_lines(diagnostics: &[Diagnostic]) -> Vec<AnomalyLine> {
    diagnostics
        .iter()
        .map(|d| AnomalyLine {
            code: d.code.to_string(),
            severity: d.severity.label().to_string(),
            message: d.message.clone(),
            location: d.location().unwrap_or_default(),
        })
        .collect()
}
