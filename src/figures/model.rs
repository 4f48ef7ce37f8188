//! The report model: every figure of DESIGN §6, computed once, read by the CSV and PDF renderers.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// One year, or the whole convention period (`--bilan`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Scope {
    Year(i32),
    Bilan { first: i32, last: i32 },
}

impl Scope {
    /// `2020`, or `bilan-2018-2021`: the output folder's name.
    pub fn folder(self) -> String {
        match self {
            Scope::Year(y) => y.to_string(),
            Scope::Bilan { first, last } => format!("bilan-{first}-{last}"),
        }
    }

    /// The year itself, or the last year of a bilan.
    pub fn last_year(self) -> i32 {
        match self {
            Scope::Year(y) => y,
            Scope::Bilan { last, .. } => last,
        }
    }

    /// `2020` or `2018-2021`, for titles and file names.
    pub fn label(self) -> String {
        match self {
            Scope::Year(y) => y.to_string(),
            Scope::Bilan { first, last } => format!("{first}-{last}"),
        }
    }
}

/// Amounts of a group of conventions (annualised for a year, whole for a bilan).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Amounts {
    pub total: Decimal,
    pub region: Decimal,
    pub europe: Decimal,
    pub autres: Decimal,
}

impl std::ops::AddAssign<&Amounts> for Amounts {
    fn add_assign(&mut self, other: &Amounts) {
        self.total += other.total;
        self.region += other.region;
        self.europe += other.europe;
        self.autres += other.autres;
    }
}

impl Amounts {
    pub fn scaled(&self, numerator: usize, denominator: usize) -> Amounts {
        let f = |v: Decimal| v * Decimal::from(numerator) / Decimal::from(denominator.max(1));
        Amounts {
            total: f(self.total),
            region: f(self.region),
            europe: f(self.europe),
            autres: f(self.autres),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorFigures {
    pub code: String,
    pub objective: String,
    pub title: String,
    pub unit: String,
    /// `calcule` or `declare`.
    pub source: &'static str,
    pub target: Option<Decimal>,
    pub achieved: Decimal,
    /// achieved / target in percent, when there is a positive target.
    pub rate: Option<Decimal>,
}

impl IndicatorFigures {
    pub fn reached(&self) -> bool {
        self.target.is_none_or(|t| self.achieved >= t)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveFigures {
    pub code: String,
    pub title: String,
    pub active_conventions: usize,
    /// Each convention's amounts split equally between its objectives.
    pub amounts: Amounts,
    pub indicators: Vec<IndicatorFigures>,
}

impl ObjectiveFigures {
    pub fn indicators_reached(&self) -> usize {
        self.indicators.iter().filter(|i| i.reached()).count()
    }
}

/// A breakdown row: by parc, scale or programme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupFigures {
    pub key: String,
    pub label: String,
    pub active_conventions: usize,
    pub amounts: Amounts,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnerTypeFigures {
    pub kind: String,
    /// Distinct partners of this type in the active conventions.
    pub partners: usize,
    /// Active conventions with at least one partner of this type.
    pub active_conventions: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    pub active_conventions: usize,
    pub amounts: Amounts,
    pub distinct_partners: usize,
    pub association_partners: usize,
}

/// One year of the period, as that year's own report counts it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearFigures {
    pub year: i32,
    pub totals: Totals,
    /// Each objective's code and annualised amount, in the referential's order.
    pub objective_amounts: Vec<(String, Decimal)>,
}

/// The convention lines the report model keeps: the PDF lists at most as many.
/// `conventions.csv` and the workbook read every line from `compute::Listing`.
pub const LISTED: usize = 2_000;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConventionLine {
    pub id: String,
    pub intitule: String,
    pub echelle: String,
    pub parc: String,
    pub programme: String,
    pub objectifs: String,
    pub thematique: String,
    pub partenaires: String,
    pub date_debut: NaiveDate,
    pub date_fin: NaiveDate,
    pub statut: String,
    pub montant_total: Decimal,
    /// The amounts of the scope (annualised for a year).
    pub amounts: Amounts,
    pub file: String,
    pub sheet: String,
    pub row: u32,
}

/// A diagnostic as the report lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnomalyLine {
    pub code: String,
    pub severity: String,
    pub message: String,
    /// « fichier.xlsx, feuille Conventions, cellule E12 », or empty for the whole data set.
    pub location: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub scope: Scope,
    pub convention_title: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub submissions: usize,
    pub rows_read: usize,
    pub rows_excluded: usize,
    pub totals: Totals,
    /// The previous year's totals, when the scope is a year after the first of the data.
    pub previous: Option<Totals>,
    /// The years of the period up to this one (every year for a bilan), side by side.
    pub evolution: Vec<YearFigures>,
    pub objectives: Vec<ObjectiveFigures>,
    pub scales: Vec<GroupFigures>,
    pub parcs: Vec<GroupFigures>,
    pub programmes: Vec<GroupFigures>,
    pub partner_types: Vec<PartnerTypeFigures>,
    /// The first [`LISTED`] active conventions as the report lists them (all of them are
    /// `totals.active_conventions`).
    pub conventions: Vec<ConventionLine>,
    pub anomalies: Vec<AnomalyLine>,
    /// Diagnostics by severity, named as `checks::Counts` names them.
    pub erreurs: usize,
    pub avertissements: usize,
    pub infos: usize,
}
