//! The two sheets a copy begins with: « Anomalies » (every kept diagnostic of the file, each
//! linked to its cell) and « Vos chiffres » (what the file brings to the year's report).

use chrono::NaiveDate;

use super::grid::{Grid, Role, Value, cell, reference, text};
use super::marks::place;
use super::select::Selection;
use crate::diagnostic::{Counts, Diagnostic, Severity};
use crate::figures::contribution::Contribution;
use crate::figures::model::{Amounts, GroupFigures};
use crate::model::Referential;
use crate::text::french::format_date;
use crate::text::plural;

/// What both sheets say about the run.
pub struct Context<'a> {
    /// The file as the user gave it.
    pub file: &'a str,
    pub today: NaiveDate,
    pub referential: &'a Referential,
    pub year: i32,
    /// Whether the file was checked with others (a folder) or alone.
    pub whole_data_set: bool,
    pub files_read: usize,
}

pub const ANOMALIES: &str = "Anomalies";
pub const FIGURES: &str = "Vos chiffres";

/// Conventions listed one by one in « Vos chiffres »; past it, a line says how many more.
pub const MAX_CONVENTION_LINES: usize = 2_000;

fn counts_line(counts: Counts) -> String {
    format!(
        "{}, {}, {}",
        plural(counts.erreurs, "erreur", "erreurs"),
        plural(counts.avertissements, "avertissement", "avertissements"),
        plural(counts.infos, "info", "infos"),
    )
}

/// « Anomalies »: a summary, then one line per kept diagnostic. `sheet_of` names the sheet of
/// the copy a diagnostic is on.
pub fn anomalies(
    name: &str,
    ctx: &Context,
    selection: &Selection,
    counts: Counts,
    sheet_of: &dyn Fn(&Diagnostic) -> Option<String>,
) -> Grid {
    let mut g = Grid::new(name, &[14.0, 8.0, 16.0, 10.0, 60.0, 36.0, 48.0]);
    g.line(
        format!("Anomalies relevées par enrx — {}", ctx.file),
        Role::Title,
    );
    g.line(
        format!(
            "{} — vérifié le {} avec enrx {}, référentiel « {} » ({})",
            counts_line(counts),
            format_date(ctx.today),
            env!("CARGO_PKG_VERSION"),
            ctx.referential.title,
            ctx.referential.source
        ),
        Role::Text,
    );
    let mut explain = String::from(
        "Chaque cellule en cause est colorée (rouge : erreur, orange : avertissement, bleu : info) \
         et porte une note ; la colonne « Cellule » y mène d'un clic. Une ligne en erreur n'est pas \
         comptée dans le rapport d'ENRx (voir la feuille « Vos chiffres »).",
    );
    if selection.data_set_wide > 0 {
        explain.push_str(&format!(
            " {} sur l'ensemble des fichiers ne figure{} pas ici.",
            plural(selection.data_set_wide, "anomalie", "anomalies"),
            if selection.data_set_wide > 1 {
                "nt"
            } else {
                ""
            }
        ));
    }
    g.line(explain, Role::Note);
    g.blank();
    let header = g.header(&[
        "Gravité", "Code", "Feuille", "Cellule", "Message", "Attendu", "Aide",
    ]);
    g.frozen_rows = header;
    if selection.kept.is_empty() && selection.truncated.is_empty() {
        g.push(vec![
            text(""),
            text(""),
            text(""),
            text(""),
            text("Aucune anomalie : ce fichier peut être envoyé tel quel."),
        ]);
    }
    for d in &selection.kept {
        g.push(anomaly_row(d, sheet_of(d)));
    }
    for (code, more) in &selection.truncated {
        let severity = selection
            .kept
            .iter()
            .find(|d| d.code == *code)
            .map(|d| d.severity)
            .unwrap_or(Severity::Info);
        g.push(vec![
            severity_cell(severity),
            text(*code),
            text(""),
            text(""),
            text(format!(
                "… et {} {code} de plus dans ce fichier, non listée{} ni marquée{} (option --max-anomalies)",
                plural(*more, "anomalie", "anomalies"),
                if *more > 1 { "s" } else { "" },
                if *more > 1 { "s" } else { "" },
            )),
        ]);
    }
    g.filter = Some((header, g.rows.len() as u32, g.width()));
    g
}

fn severity_cell(severity: Severity) -> super::grid::Cell {
    cell(Value::text(severity.label()), Role::Severity(severity))
}

fn anomaly_row(d: &Diagnostic, sheet: Option<String>) -> Vec<super::grid::Cell> {
    let at = place(d);
    let location = match (&sheet, at) {
        (Some(sheet), Some(at)) => {
            let shown = match (&d.cell, d.row) {
                (None, Some(row)) if d.col_index.is_none() => format!("ligne {row}"),
                _ => at.a1(),
            };
            cell(
                Value::Link {
                    text: shown,
                    target: reference(sheet, &at.a1()),
                },
                Role::Link,
            )
        }
        _ => text(""),
    };
    vec![
        severity_cell(d.severity),
        text(d.code),
        text(sheet.unwrap_or_default()),
        location,
        text(d.message.clone()),
        text(d.expected.clone().unwrap_or_default()),
        text(d.hint.clone().unwrap_or_default()),
    ]
}

const FIGURE_WIDTHS: [f64; 9] = [16.0, 44.0, 16.0, 18.0, 18.0, 18.0, 18.0, 18.0, 12.0];

/// « Vos chiffres »: the file's share of the year's report. `sheet_of` names the copy's sheet
/// for a sheet name as read (empty for a CSV file).
pub fn figures(
    name: &str,
    ctx: &Context,
    contribution: &Contribution,
    sheet_of: &dyn Fn(&str) -> String,
) -> Grid {
    let mut g = Grid::new(name, &FIGURE_WIDTHS);
    let y = ctx.year;
    g.line(
        format!("Vos chiffres {y} — ce que ce fichier apporte au rapport d'ENRx"),
        Role::Title,
    );
    g.line(introduction(ctx), Role::Note);
    if !ctx.whole_data_set {
        g.line(
            "Fichier vérifié seul : les références aux fichiers des autres déposants \
             (partenaires déclarés ailleurs, identifiants en double) n'ont pas pu être vérifiées ; \
             ces chiffres sont provisoires.",
            Role::Text,
        );
    }
    g.line(
        format!(
            "Lignes en erreur laissées de côté, comme dans le rapport : {} (voir la feuille « Anomalies »).",
            contribution.rows_excluded
        ),
        Role::Text,
    );
    let c = contribution;
    g.line(
        format!(
            "Partenaires distincts de ces conventions : {}, dont {}.",
            c.totals.distinct_partners,
            plural(c.totals.association_partners, "association", "associations")
        ),
        Role::Text,
    );
    objectives_table(&mut g, contribution, y);
    groups_table(&mut g, "Par échelle", "Échelle", &c.scales, &c.totals, y);
    groups_table(&mut g, "Par Parc", "Parc", &c.parcs, &c.totals, y);
    indicators_table(&mut g, contribution, y);
    conventions_table(&mut g, contribution, y, sheet_of);
    g
}

fn introduction(ctx: &Context) -> String {
    let over = if ctx.whole_data_set {
        format!(
            "sur l'ensemble des {} fournis, restreint aux lignes de ce fichier",
            plural(ctx.files_read, "fichier", "fichiers")
        )
    } else {
        "sur ce seul fichier".to_string()
    };
    format!(
        "Calculé {over}, avec les définitions du rapport (« enrx report --year {y} ») : une \
         convention signée, en cours ou soldée est active en {y} si ses dates rencontrent l'année ; \
         ses montants sont annualisés au prorata de ses jours dans l'année et partagés également \
         entre ses objectifs.",
        y = ctx.year
    )
}

fn amount_cells(n: usize, a: &Amounts) -> Vec<super::grid::Cell> {
    vec![
        cell(Value::count(n), Role::Count),
        cell(Value::money(a.total), Role::Money),
        cell(Value::money(a.region), Role::Money),
        cell(Value::money(a.europe), Role::Money),
    ]
}

fn amount_header(g: &mut Grid, first: &str, second: &str, y: i32) {
    let titles = [
        first.to_string(),
        second.to_string(),
        format!("Conventions actives en {y}"),
        "Montant annualisé".into(),
        "Part Région annualisée".into(),
        "Part Europe annualisée".into(),
    ];
    let refs: Vec<&str> = titles.iter().map(String::as_str).collect();
    g.header(&refs);
}

fn section(g: &mut Grid, title: &str) {
    g.blank();
    g.line(title, Role::Section);
}

fn objectives_table(g: &mut Grid, contribution: &Contribution, y: i32) {
    let r = contribution;
    section(g, "Par objectif stratégique");
    amount_header(g, "Objectif", "Intitulé", y);
    for o in &r.objectives {
        let mut row = vec![text(o.code.clone()), text(o.title.clone())];
        row.extend(amount_cells(o.active_conventions, &o.amounts));
        g.push(row);
    }
    total_row(g, &r.totals);
    g.line(
        "Une convention à plusieurs objectifs compte pour chacun ; ses montants sont partagés \
         également entre eux, si bien que les montants des objectifs font le total.",
        Role::Note,
    );
}

fn total_row(g: &mut Grid, totals: &crate::figures::model::Totals) {
    let mut row = vec![
        cell(Value::text("Total"), Role::Header),
        cell(Value::text("ce fichier"), Role::Header),
    ];
    row.extend(amount_cells(totals.active_conventions, &totals.amounts));
    g.push(row);
}

fn groups_table(
    g: &mut Grid,
    title: &str,
    first: &str,
    groups: &[GroupFigures],
    totals: &crate::figures::model::Totals,
    y: i32,
) {
    section(g, title);
    amount_header(g, first, "", y);
    for group in groups {
        let (key, label) = if group.key.is_empty() {
            ("—".to_string(), group.label.clone())
        } else if group.key == group.label {
            (group.key.clone(), String::new())
        } else {
            (group.key.clone(), group.label.clone())
        };
        let mut row = vec![text(key), text(label)];
        row.extend(amount_cells(group.active_conventions, &group.amounts));
        g.push(row);
    }
    total_row(g, totals);
}

fn indicators_table(g: &mut Grid, contribution: &Contribution, y: i32) {
    section(g, "Indicateurs alimentés par ce fichier");
    g.header(&[
        "Indicateur",
        "Intitulé",
        "Unité",
        "Source",
        "Apport de ce fichier",
        &format!("Cible {y} (ENRx)"),
    ]);
    let mut any = false;
    for o in &contribution.objectives {
        for i in o.indicators.iter().filter(|i| !i.achieved.is_zero()) {
            any = true;
            let role = if i.unit.contains('€') || i.unit.contains("euro") {
                Role::Money
            } else {
                Role::Quantity
            };
            g.push(vec![
                text(i.code.clone()),
                text(i.title.clone()),
                text(i.unit.clone()),
                text(if i.source == "declare" {
                    "déclaré"
                } else {
                    "calculé"
                }),
                cell(Value::decimal(i.achieved), role),
                i.target
                    .map(|t| cell(Value::decimal(t), role))
                    .unwrap_or_else(|| text("")),
            ]);
        }
    }
    if !any {
        g.push(vec![
            text(""),
            text("Ce fichier n'alimente aucun indicateur cette année."),
        ]);
    }
}

fn conventions_table(
    g: &mut Grid,
    contribution: &Contribution,
    y: i32,
    sheet_of: &dyn Fn(&str) -> String,
) {
    let lines = &contribution.conventions;
    let total = contribution.totals.active_conventions;
    section(g, &format!("Conventions actives en {y} ({total})"));
    g.header(&[
        "Identifiant",
        "Échelle · Parc · Objectifs",
        "Début",
        "Fin",
        "Montant total",
        "Montant annualisé",
        "Part Région annualisée",
        "Part Europe annualisée",
        "Ligne",
    ]);
    for c in lines {
        let what = [c.echelle.as_str(), c.parc.as_str(), c.objectifs.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" · ");
        let sheet = sheet_of(&c.sheet);
        g.push(vec![
            text(c.id.clone()),
            text(what),
            cell(Value::Date(c.date_debut), Role::Date),
            cell(Value::Date(c.date_fin), Role::Date),
            cell(Value::money(c.montant_total), Role::Money),
            cell(Value::money(c.amounts.total), Role::Money),
            cell(Value::money(c.amounts.region), Role::Money),
            cell(Value::money(c.amounts.europe), Role::Money),
            cell(
                Value::Link {
                    text: c.row.to_string(),
                    target: reference(&sheet, &format!("A{}", c.row)),
                },
                Role::Link,
            ),
        ]);
    }
    if total > lines.len() {
        g.line(
            format!(
                "… et {} autres conventions actives (la liste s'arrête à {}).",
                total - lines.len(),
                lines.len()
            ),
            Role::Note,
        );
    }
}
