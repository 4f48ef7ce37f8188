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

/// The report model of `scope`: every figure the CSV summaries and the PDF show.
/// `diagnostics` are those kept (the report lists them), `tally` counts every one made.
pub fn report(
    ds: &DataSet,
    referential: &Referential,
    diagnostics: &[Diagnostic],
    tally: &Tally,
    scope: Scope,
) -> Report {
    report_and_listing(ds, referential, diagnostics, tally, scope).0
}

/// The report model of `scope`, and its active conventions in the order the report lists
/// them: `conventions.csv` and the workbook read the lines from the listing as they are
/// written, the report keeps only the first [`LISTED`] (the PDF's list).
pub fn report_and_listing<'a>(
    ds: &'a DataSet,
    referential: &'a Referential,
    diagnostics: &[Diagnostic],
    tally: &Tally,
    scope: Scope,
) -> (Report, Listing<'a>) {
    let exclusions = &tally.exclusions;
    // The scope's figures on one core, the other years side by side on the other.
    let ((mut figures, listing), mut evolution) = rayon::join(
        || scope_figures(ds, referential, exclusions, scope),
        || {
            let this_year = match scope {
                Scope::Year(y) => Some(y),
                Scope::Bilan { .. } => None,
            };
            super::evolution::evolution(ds, referential, exclusions, scope, this_year)
        },
    );
    // The scope's year is one of the years side by side, computed once: by `scope_figures`.
    if let Some(y) = figures.this_year.take() {
        let at = evolution.partition_point(|f| f.year < y.year);
        evolution.insert(at, y);
    }
    let previous = match scope {
        Scope::Year(y) => evolution
            .iter()
            .find(|f| f.year == y - 1)
            .map(|f| f.totals.clone()),
        Scope::Bilan { .. } => None,
    };
    let counts = tally.counts;
    let report = Report {
        scope,
        convention_title: referential.title.clone(),
        period_start: referential.start,
        period_end: referential.end,
        submissions: ds.files.len(),
        rows_read: ds.rows_read(),
        rows_excluded: exclusions.records_in_error(),
        totals: figures.totals,
        previous,
        evolution,
        objectives: figures.objectives,
        scales: figures.scales,
        parcs: figures.parcs,
        programmes: figures.programmes,
        partner_types: figures.partner_types,
        conventions: listing.lines().take(LISTED).collect(),
        anomalies: anomaly_lines(diagnostics),
        erreurs: counts.erreurs,
        avertissements: counts.avertissements,
        infos: counts.infos,
    };
    (report, listing)
}

/// The figures of the scope itself, from its active conventions.
struct ScopeFigures {
    totals: Totals,
    /// The scope's year among the years side by side, when the scope is a year of the period.
    this_year: Option<YearFigures>,
    objectives: Vec<ObjectiveFigures>,
    scales: Vec<GroupFigures>,
    parcs: Vec<GroupFigures>,
    programmes: Vec<GroupFigures>,
    partner_types: Vec<PartnerTypeFigures>,
}

fn scope_figures<'a>(
    ds: &'a DataSet,
    referential: &'a Referential,
    exclusions: &Exclusions,
    scope: Scope,
) -> (ScopeFigures, Listing<'a>) {
    let actives = active(ds, referential, exclusions, scope);
    let tallies = tallies(referential, &actives, true);
    let totals = totals_of(ds, &actives, &tallies.all);
    let this_year = match scope {
        Scope::Year(y) if referential.years().contains(&y) => {
            Some(year_figures(referential, y, &totals, &tallies))
        }
        _ => None,
    };
    let figures = ScopeFigures {
        this_year,
        objectives: objectives(ds, referential, exclusions, &actives, scope, &tallies),
        scales: scales(&tallies),
        parcs: parcs(referential, &tallies),
        programmes: programmes(referential, &tallies),
        partner_types: partner_types(ds, &actives),
        totals,
    };
    (figures, Listing::new(ds, referential, actives))
}

/// A group's active conventions and their amounts.
#[derive(Debug, Default, Clone)]
pub struct GroupTally {
    pub n: usize,
    pub amounts: Amounts,
}

impl GroupTally {
    fn add(&mut self, amounts: &Amounts) {
        self.n += 1;
        self.amounts += amounts;
    }
}

/// Every group's tally in one pass over the actives: each convention's amounts are computed
/// once (a decimal division per part when it is annualised), not once per group. Each group
/// adds its conventions in the actives' order, so its sums are those of a pass of its own.
pub struct Tallies {
    pub all: GroupTally,
    pub objectives: Vec<GroupTally>,
    /// In the order of `Echelle::ALL`; empty unless asked for.
    pub scales: Vec<GroupTally>,
    /// The referential's parcs, then the conventions without a parc; empty unless asked for.
    pub parcs: Vec<GroupTally>,
    /// The referential's programmes; empty unless asked for.
    pub programmes: Vec<GroupTally>,
}

/// The tallies of every group (`groups`: the scales, parcs and programmes too, not only the
/// whole and the objectives).
pub fn tallies(referential: &Referential, actives: &[Active], groups: bool) -> Tallies {
    let sized = |n: usize| vec![GroupTally::default(); if groups { n } else { 0 }];
    let mut t = Tallies {
        all: GroupTally::default(),
        objectives: vec![GroupTally::default(); referential.objectives.len()],
        scales: sized(Echelle::ALL.len()),
        parcs: sized(referential.parcs.len() + 1),
        programmes: sized(referential.programmes.len()),
    };
    for a in actives {
        let c = a.convention;
        let amounts = a.amounts();
        t.all.add(&amounts);
        // A convention counts for each of its objectives, its amounts split equally between
        // them (divided by one, they are themselves).
        let k = c.links.objectifs.len();
        let share = if k > 1 {
            amounts.scaled(1, k)
        } else {
            amounts.clone()
        };
        for oi in c.links.objectifs.iter() {
            if let Some(o) = t.objectives.get_mut(oi) {
                o.add(&share);
            }
        }
        if !groups {
            continue;
        }
        if let Some(i) = c
            .echelle
            .and_then(|e| Echelle::ALL.iter().position(|&x| x == e))
        {
            t.scales[i].add(&amounts);
        }
        let parc = c.links.parc().unwrap_or(referential.parcs.len());
        if let Some(p) = t.parcs.get_mut(parc) {
            p.add(&amounts);
        }
        if let Some(p) = c.links.programme().and_then(|p| t.programmes.get_mut(p)) {
            p.add(&amounts);
        }
    }
    t
}

/// The totals of the actives whose amounts are tallied in `all`.
pub fn totals_of(ds: &DataSet, actives: &[Active], all: &GroupTally) -> Totals {
    let all_actives: Vec<&Active> = actives.iter().collect();
    Totals {
        active_conventions: all.n,
        amounts: all.amounts.clone(),
        distinct_partners: distinct_partners(ds, &all_actives, &[]),
        association_partners: distinct_partners(ds, &all_actives, &[PartnerType::Association]),
    }
}

/// One year of the years side by side, from that year's totals and tallies.
pub fn year_figures(
    referential: &Referential,
    year: i32,
    totals: &Totals,
    tallies: &Tallies,
) -> YearFigures {
    YearFigures {
        year,
        totals: totals.clone(),
        objective_amounts: referential
            .objectives
            .iter()
            .zip(&tallies.objectives)
            .map(|(o, t)| (o.code.clone(), t.amounts.total))
            .collect(),
    }
}

/// Per objective: its conventions (a convention counts once for each of its objectives), its
/// equal share of their amounts, and its indicators.
pub(super) fn objectives(
    ds: &DataSet,
    referential: &Referential,
    exclusions: &Exclusions,
    actives: &[Active],
    scope: Scope,
    tallies: &Tallies,
) -> Vec<ObjectiveFigures> {
    referential
        .objectives
        .iter()
        .zip(&tallies.objectives)
        .enumerate()
        .map(|(oi, (o, t))| ObjectiveFigures {
            code: o.code.clone(),
            title: o.title.clone(),
            active_conventions: t.n,
            amounts: t.amounts.clone(),
            indicators: indicators(ds, referential, exclusions, actives, scope, oi),
        })
        .collect()
}

fn group(key: &str, label: &str, t: &GroupTally) -> GroupFigures {
    GroupFigures {
        key: key.to_string(),
        label: label.to_string(),
        active_conventions: t.n,
        amounts: t.amounts.clone(),
    }
}

fn scales(tallies: &Tallies) -> Vec<GroupFigures> {
    Echelle::ALL
        .iter()
        .zip(&tallies.scales)
        .map(|(e, t)| group(e.label(), e.label(), t))
        .collect()
}

/// Every parc of the referential, then the conventions without a parc when there are some.
pub fn parcs(referential: &Referential, tallies: &Tallies) -> Vec<GroupFigures> {
    let mut parcs: Vec<GroupFigures> = referential
        .parcs
        .iter()
        .zip(&tallies.parcs)
        .map(|(p, t)| group(&p.code, &p.name, t))
        .collect();
    if let Some(without) = tallies
        .parcs
        .get(referential.parcs.len())
        .filter(|t| t.n > 0)
    {
        parcs.push(group("", "ENRx (hors Parcs)", without));
    }
    parcs
}

fn programmes(referential: &Referential, tallies: &Tallies) -> Vec<GroupFigures> {
    referential
        .programmes
        .iter()
        .zip(&tallies.programmes)
        .map(|(p, t)| group(&p.code, &p.title, t))
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

/// The active conventions of a scope in the order the report lists them: by start date, then
/// id, file and row (a stable sort, so equal keys keep the data set's order). Their lines are
/// made as they are read, so that no list of every convention's texts is ever kept.
pub struct Listing<'a> {
    ds: &'a DataSet,
    referential: &'a Referential,
    actives: Vec<Active<'a>>,
}

impl<'a> Listing<'a> {
    fn new(ds: &'a DataSet, referential: &'a Referential, mut actives: Vec<Active<'a>>) -> Self {
        let file = |c: &ConventionCore| {
            let sheet = ds.sheet(c.origin.sheet);
            ds.files[sheet.id.file() as usize].display.as_str()
        };
        let key = |a: &Active<'a>| {
            let c = a.convention;
            (
                c.date_debut.unwrap_or(referential.start),
                c.id().unwrap_or_default(),
                file(c),
                c.origin.row,
            )
        };
        actives.sort_by(|a, b| key(a).cmp(&key(b)));
        Listing {
            ds,
            referential,
            actives,
        }
    }

    pub fn len(&self) -> usize {
        self.actives.len()
    }

    pub fn is_empty(&self) -> bool {
        self.actives.is_empty()
    }

    /// Every line, in order, each made when it is read.
    pub fn lines(&self) -> impl Iterator<Item = ConventionLine> + '_ {
        self.actives
            .iter()
            .map(|a| convention_line(self.ds, self.referential, a))
    }
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(";")
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
