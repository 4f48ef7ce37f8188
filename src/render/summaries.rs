//! The CSV summaries of DESIGN §7, from the report model only.

use super::csv::{CsvError, Dialect, Value, write_table};
use crate::figures::Report;
use crate::figures::model::{Amounts, GroupFigures};

/// (file name, bytes) of every summary CSV, in a fixed order.
pub fn render(report: &Report, dialect: Dialect) -> Result<Vec<(&'static str, Vec<u8>)>, CsvError> {
    Ok(vec![
        ("synthese-objectifs.csv", objectives(report, dialect)?),
        ("synthese-indicateurs.csv", indicators(report, dialect)?),
        (
            "synthese-parcs.csv",
            groups(&report.parcs, "parc", true, dialect)?,
        ),
        (
            "synthese-echelles.csv",
            groups(&report.scales, "echelle", false, dialect)?,
        ),
        (
            "synthese-programmes.csv",
            groups(&report.programmes, "programme", true, dialect)?,
        ),
        ("synthese-partenaires.csv", partner_types(report, dialect)?),
        ("synthese-evolution.csv", evolution(report, dialect)?),
        ("conventions.csv", conventions(report, dialect)?),
    ])
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

const AMOUNT_HEADERS: [&str; 4] = [
    "montant_annualise",
    "part_region_annualisee",
    "part_europe_annualisee",
    "part_autres_annualisee",
];

/// One row per year of the period up to the report's (every year for a bilan).
fn evolution(report: &Report, dialect: Dialect) -> Result<Vec<u8>, CsvError> {
    let objective_headers: Vec<String> = report
        .evolution
        .first()
        .map(|y| {
            y.objective_amounts
                .iter()
                .map(|(code, _)| format!("montant_{code}"))
                .collect()
        })
        .unwrap_or_default();
    let mut headers = vec![
        "annee",
        "conventions_actives",
        "montant_annualise",
        "part_region_annualisee",
        "part_europe_annualisee",
        "partenaires_distincts",
        "associations",
    ];
    headers.extend(objective_headers.iter().map(String::as_str));
    let rows: Vec<Vec<Value>> = report
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
    write_table(dialect, &headers, &rows)
}

fn objectives(report: &Report, dialect: Dialect) -> Result<Vec<u8>, CsvError> {
    let mut headers = vec!["objectif", "intitule", "conventions_actives"];
    headers.extend(AMOUNT_HEADERS);
    headers.extend(["indicateurs_atteints", "indicateurs_total"]);
    let rows: Vec<Vec<Value>> = report
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
    write_table(dialect, &headers, &rows)
}

fn indicators(report: &Report, dialect: Dialect) -> Result<Vec<u8>, CsvError> {
    let headers = [
        "indicateur",
        "objectif",
        "intitule",
        "unite",
        "source",
        "cible",
        "realise",
        "taux",
        "atteint",
    ];
    let rows: Vec<Vec<Value>> = report
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
                i.rate.map(|r| Value::Number(r, 1)).unwrap_or(Value::Empty),
                Value::from(if i.reached() { "oui" } else { "non" }),
            ]
        })
        .collect();
    write_table(dialect, &headers, &rows)
}

fn groups(
    groups: &[GroupFigures],
    key: &'static str,
    with_label: bool,
    dialect: Dialect,
) -> Result<Vec<u8>, CsvError> {
    let mut headers = vec![key];
    if with_label {
        headers.push("nom");
    }
    headers.push("conventions_actives");
    headers.extend(AMOUNT_HEADERS);
    let rows: Vec<Vec<Value>> = groups
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
    write_table(dialect, &headers, &rows)
}

fn partner_types(report: &Report, dialect: Dialect) -> Result<Vec<u8>, CsvError> {
    let rows: Vec<Vec<Value>> = report
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
    write_table(
        dialect,
        &["type", "partenaires", "conventions_actives"],
        &rows,
    )
}

fn conventions(report: &Report, dialect: Dialect) -> Result<Vec<u8>, CsvError> {
    // The schema's names, so a column reads the same in the workbooks and in this list.
    use crate::model::schema::convention::*;
    let mut headers: Vec<&str> = [
        &ID,
        &INTITULE,
        &ECHELLE,
        &PARC,
        &PROGRAMME,
        &OBJECTIFS,
        &THEMATIQUE,
        &PARTENAIRES,
        &DATE_DEBUT,
        &DATE_FIN,
        &STATUT,
        &MONTANT_TOTAL,
    ]
    .iter()
    .map(|c| c.name())
    .collect();
    headers.extend(AMOUNT_HEADERS);
    headers.extend(["fichier", "feuille", "ligne"]);
    let rows: Vec<Vec<Value>> = report
        .conventions
        .iter()
        .map(|c| {
            let mut row: Vec<Value> = vec![
                c.id.as_str().into(),
                c.intitule.as_str().into(),
                c.echelle.as_str().into(),
                c.parc.as_str().into(),
                c.programme.as_str().into(),
                c.objectifs.as_str().into(),
                c.thematique.as_str().into(),
                c.partenaires.as_str().into(),
                Value::Date(c.date_debut),
                Value::Date(c.date_fin),
                c.statut.as_str().into(),
                Value::Money(c.montant_total),
            ];
            row.extend(money(&c.amounts));
            row.extend([
                c.file.as_str().into(),
                c.sheet.as_str().into(),
                Value::Integer(c.row as i64),
            ]);
            row
        })
        .collect();
    write_table(dialect, &headers, &rows)
}
