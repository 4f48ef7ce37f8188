//! The summaries of DESIGN §7, from the report model only: each a table of typed cells, written
//! as a CSV file (`render`) and as a sheet of the workbook `synthese-Y.xlsx` (`render::synthese`),
//! so that both hold the same rows and figures.

use super::csv::{CsvError, Dialect, Value, write_rows_to};
use crate::figures::compute::Listing;
use crate::figures::model::{Amounts, ConventionLine, GroupFigures};
use crate::figures::{Report, Scope};

/// A column of a summary: its CSV name, and its header for people (the workbook's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Col {
    pub name: &'static str,
    pub label: &'static str,
}

const fn col(name: &'static str, label: &'static str) -> Col {
    Col { name, label }
}

/// Makes a long summary's rows, in order, each when it is read.
pub type MakeRows<'a> = Box<dyn Fn() -> Box<dyn Iterator<Item = Vec<Value>> + 'a> + Sync + 'a>;

/// A summary's rows: kept, or made as they are read (the conventions: a line each, so that
/// 200 000 of them are never held at once).
pub enum Rows<'a> {
    Kept(Vec<Vec<Value>>),
    Made { count: usize, make: MakeRows<'a> },
}

impl Rows<'_> {
    pub fn len(&self) -> usize {
        match self {
            Rows::Kept(rows) => rows.len(),
            Rows::Made { count, .. } => *count,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Gives the first `max` rows, in order, to `each`.
    pub fn each<E>(
        &self,
        max: usize,
        mut each: impl FnMut(&[Value]) -> Result<(), E>,
    ) -> Result<(), E> {
        match self {
            Rows::Kept(rows) => rows.iter().take(max).try_for_each(|r| each(r)),
            Rows::Made { make, .. } => make().take(max).try_for_each(|r| each(&r)),
        }
    }
}

impl std::fmt::Debug for Rows<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rows::Kept(rows) => f.debug_tuple("Kept").field(rows).finish(),
            Rows::Made { count, .. } => f.debug_struct("Made").field("count", count).finish(),
        }
    }
}

/// One summary: its CSV file, its sheet in the workbook, its columns and rows.
#[derive(Debug)]
pub struct Table<'a> {
    pub file: &'static str,
    pub sheet: &'static str,
    /// What the sheet holds, in a few French words (the workbook's first sheet lists them).
    pub about: &'static str,
    pub columns: Vec<Col>,
    pub rows: Rows<'a>,
}

impl Table<'_> {
    pub fn names(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.name).collect()
    }

    /// The CSV file's bytes.
    pub fn csv(&self, dialect: Dialect) -> Result<Vec<u8>, CsvError> {
        self.csv_to(Vec::new(), dialect)
    }

    /// The CSV file written into `out` as its rows are made, `out` given back.
    pub fn csv_to<W: std::io::Write>(&self, out: W, dialect: Dialect) -> Result<W, CsvError> {
        write_rows_to(out, dialect, &self.names(), |write| {
            self.rows.each(usize::MAX, write)
        })
    }

    /// Whether the rows are made as they are read (a long table, better written to a file).
    pub fn is_long(&self) -> bool {
        matches!(self.rows, Rows::Made { .. })
    }
}

/// Every summary, in the CSV files' order; the conventions' rows are made from `listing`.
pub fn tables<'a>(report: &Report, listing: &'a Listing<'a>) -> Vec<Table<'a>> {
    vec![
        objectives(report),
        indicators(report),
        groups(
            report,
            &report.parcs,
            ("synthese-parcs.csv", "Parcs", "par Parc"),
            col("parc", "Parc"),
            true,
        ),
        groups(
            report,
            &report.scales,
            ("synthese-echelles.csv", "Échelles", "par échelle"),
            col("echelle", "Échelle"),
            false,
        ),
        groups(
            report,
            &report.programmes,
            ("synthese-programmes.csv", "Programmes", "par programme"),
            col("programme", "Programme"),
            true,
        ),
        partner_types(report),
        evolution(report),
        conventions(report, listing),
    ]
}

fn count(n: usize) -> Value {
    Value::Integer(n as i64)
}

fn money(amounts: &Amounts) -> [Value; 4] {
    [
        Value::Money(amounts.total),
        Value::Money(amounts.region),
        Value::Money(amounts.europe),
        Value::Money(amounts.autres),
    ]
}

/// The four amount columns; a bilan's amounts are whole, not annualised.
fn amount_columns(report: &Report) -> [Col; 4] {
    let names = [
        "montant_annualise",
        "part_region_annualisee",
        "part_europe_annualisee",
        "part_autres_annualisee",
    ];
    let labels = match report.scope {
        Scope::Year(_) => [
            "Montant annualisé (€)",
            "Part Région annualisée (€)",
            "Part Europe annualisée (€)",
            "Part autres annualisée (€)",
        ],
        Scope::Bilan { .. } => [
            "Montant (€)",
            "Part Région (€)",
            "Part Europe (€)",
            "Part autres (€)",
        ],
    };
    [0, 1, 2, 3].map(|i| col(names[i], labels[i]))
}

fn objectives<'a>(report: &Report) -> Table<'a> {
    let mut columns = vec![
        col("objectif", "Objectif"),
        col("intitule", "Intitulé"),
        col("conventions_actives", "Conventions actives"),
    ];
    columns.extend(amount_columns(report));
    columns.extend([
        col("indicateurs_atteints", "Indicateurs atteints"),
        col("indicateurs_total", "Indicateurs"),
    ]);
    let rows = report
        .objectives
        .iter()
        .map(|o| {
            let mut row = vec![
                Value::from(o.code.as_str()),
                Value::from(o.title.as_str()),
                count(o.active_conventions),
            ];
            row.extend(money(&o.amounts));
            row.extend([count(o.indicators_reached()), count(o.indicators.len())]);
            row
        })
        .collect();
    Table {
        file: "synthese-objectifs.csv",
        sheet: "Objectifs",
        about: "par objectif stratégique",
        columns,
        rows: Rows::Kept(rows),
    }
}

fn indicators<'a>(report: &Report) -> Table<'a> {
    let columns = vec![
        col("indicateur", "Indicateur"),
        col("objectif", "Objectif"),
        col("intitule", "Intitulé"),
        col("unite", "Unité"),
        col("source", "Source"),
        col("cible", "Cible"),
        col("realise", "Réalisé"),
        col("taux", "Taux d'atteinte"),
        col("atteint", "Atteint"),
    ];
    let rows = report
        .objectives
        .iter()
        .flat_map(|o| &o.indicators)
        .map(|i| {
            vec![
                Value::from(i.code.as_str()),
                Value::from(i.objective.as_str()),
                Value::from(i.title.as_str()),
                Value::from(i.unit.as_str()),
                Value::from(i.source),
                i.target.map(Value::Quantity).unwrap_or(Value::Empty),
                Value::Quantity(i.achieved),
                i.rate.map(Value::Percent).unwrap_or(Value::Empty),
                Value::from(if i.reached() { "oui" } else { "non" }),
            ]
        })
        .collect();
    Table {
        file: "synthese-indicateurs.csv",
        sheet: "Indicateurs",
        about: "par indicateur : cible, réalisé, taux",
        columns,
        rows: Rows::Kept(rows),
    }
}

fn groups<'a>(
    report: &Report,
    groups: &[GroupFigures],
    (file, sheet, about): (&'static str, &'static str, &'static str),
    key: Col,
    with_label: bool,
) -> Table<'a> {
    let mut columns = vec![key];
    if with_label {
        columns.push(col("nom", "Nom"));
    }
    columns.push(col("conventions_actives", "Conventions actives"));
    columns.extend(amount_columns(report));
    let rows = groups
        .iter()
        .map(|g| {
            let mut row = vec![Value::from(g.key.as_str())];
            if with_label {
                row.push(Value::from(g.label.as_str()));
            }
            row.push(count(g.active_conventions));
            row.extend(money(&g.amounts));
            row
        })
        .collect();
    Table {
        file,
        sheet,
        about,
        columns,
        rows: Rows::Kept(rows),
    }
}

fn partner_types<'a>(report: &Report) -> Table<'a> {
    let rows = report
        .partner_types
        .iter()
        .map(|t| {
            vec![
                Value::from(t.kind.as_str()),
                count(t.partners),
                count(t.active_conventions),
            ]
        })
        .collect();
    Table {
        file: "synthese-partenaires.csv",
        sheet: "Partenaires",
        about: "par type de partenaire",
        columns: vec![
            col("type", "Type de partenaire"),
            col("partenaires", "Partenaires distincts"),
            col("conventions_actives", "Conventions actives"),
        ],
        rows: Rows::Kept(rows),
    }
}

/// One row per year of the period up to the report's (every year for a bilan), each as that
/// year's own report computes it.
fn evolution<'a>(report: &Report) -> Table<'a> {
    let mut columns = vec![
        col("annee", "Année"),
        col("conventions_actives", "Conventions actives"),
        col("montant_annualise", "Montant annualisé (€)"),
        col("part_region_annualisee", "Part Région annualisée (€)"),
        col("part_europe_annualisee", "Part Europe annualisée (€)"),
        col("partenaires_distincts", "Partenaires distincts"),
        col("associations", "Associations"),
    ];
    // One column per objective of the referential; Col holds static names, so these few
    // bytes are leaked once per report built.
    if let Some(first) = report.evolution.first() {
        columns.extend(first.objective_amounts.iter().map(|(code, _)| {
            let name: &'static str = Box::leak(format!("montant_{code}").into_boxed_str());
            let label: &'static str = Box::leak(format!("Montant {code} (€)").into_boxed_str());
            col(name, label)
        }));
    }
    let rows = report
        .evolution
        .iter()
        .map(|y| {
            let t = &y.totals;
            let mut row = vec![
                Value::Integer(i64::from(y.year)),
                count(t.active_conventions),
                Value::Money(t.amounts.total),
                Value::Money(t.amounts.region),
                Value::Money(t.amounts.europe),
                count(t.distinct_partners),
                count(t.association_partners),
            ];
            row.extend(y.objective_amounts.iter().map(|(_, m)| Value::Money(*m)));
            row
        })
        .collect();
    Table {
        file: "synthese-evolution.csv",
        sheet: "Évolution",
        about: "les années de la période côte à côte",
        columns,
        rows: Rows::Kept(rows),
    }
}

fn conventions<'a>(report: &Report, listing: &'a Listing<'a>) -> Table<'a> {
    let mut columns = vec![
        col("id", "Identifiant"),
        col("intitule", "Intitulé"),
        col("echelle", "Échelle"),
        col("parc", "Parc"),
        col("programme", "Programme"),
        col("objectifs", "Objectifs"),
        col("thematique", "Thématique"),
        col("partenaires", "Partenaires"),
        col("date_debut", "Date de début"),
        col("date_fin", "Date de fin"),
        col("statut", "Statut"),
        col("montant_total", "Montant total (€)"),
    ];
    columns.extend(amount_columns(report));
    columns.extend([
        col("fichier", "Fichier"),
        col("feuille", "Feuille"),
        col("ligne", "Ligne"),
    ]);
    Table {
        file: "conventions.csv",
        sheet: "Conventions",
        about: "les conventions actives, avec leur fichier et leur ligne",
        columns,
        rows: Rows::Made {
            count: listing.len(),
            make: Box::new(move || Box::new(listing.lines().map(convention_row))),
        },
    }
}

/// A convention's row, its texts moved into the cells.
fn convention_row(c: ConventionLine) -> Vec<Value> {
    let mut row: Vec<Value> = Vec::with_capacity(19);
    row.extend([
        c.id.into(),
        c.intitule.into(),
        c.echelle.into(),
        c.parc.into(),
        c.programme.into(),
        c.objectifs.into(),
        c.thematique.into(),
        c.partenaires.into(),
        Value::Date(c.date_debut),
        Value::Date(c.date_fin),
        c.statut.into(),
        Value::Money(c.montant_total),
    ]);
    row.extend(money(&c.amounts));
    row.extend([c.file.into(), c.sheet.into(), Value::Integer(c.row as i64)]);
    row
}
