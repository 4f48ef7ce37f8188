//! The partnership report (DESIGN §8), from the report model and the texts only.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::font::Fonts;
use super::{Bar, BarChart, Column, KeyFigure, PdfDocumentBuilder, PdfError, Table};
use crate::figures::model::{GroupFigures, ObjectiveFigures, Totals};
use crate::figures::{Report, Scope};
use crate::render::texts::{Section, Texts, fill};
use crate::text::agree;
use crate::text::french::{
    format_date, format_euros, format_euros_rounded, format_integer, format_percent,
    format_quantity, format_quantity_unit,
};

/// Long lists are capped in the PDF; the CSV files have everything.
pub const MAX_LIST_ROWS: usize = 2000;
// The report model keeps as many convention lines as the list shows, or more.
const _: () = assert!(MAX_LIST_ROWS <= crate::figures::model::LISTED);

/// The file name of the report of a scope.
pub fn file_name(scope: Scope) -> String {
    format!("rapport-partenariats-{}.pdf", scope.folder())
}

fn count(n: usize) -> String {
    format_integer(n as i64)
}

fn amount_word(report: &Report) -> &'static str {
    match report.scope {
        Scope::Year(_) => "Montant annualisé",
        Scope::Bilan { .. } => "Montant",
    }
}

/// The values of the `{placeholders}` of the texts.
fn values(report: &Report) -> BTreeMap<&'static str, String> {
    BTreeMap::from([
        ("periode", report.scope.label()),
        ("convention", report.convention_title.clone()),
        (
            "conventions_actives",
            count(report.totals.active_conventions),
        ),
        (
            "montant_annualise",
            format_euros(report.totals.amounts.total),
        ),
        ("part_region", format_euros(report.totals.amounts.region)),
        ("partenaires", count(report.totals.distinct_partners)),
        ("associations", count(report.totals.association_partners)),
        ("fichiers", count(report.submissions)),
        ("lignes_ecartees", count(report.rows_excluded)),
        ("erreurs", count(report.erreurs)),
        ("avertissements", count(report.avertissements)),
        ("annees", years_label(report)),
    ])
}

/// « 2018 – 2021 », the years the evolution shows.
fn years_label(report: &Report) -> String {
    match (report.evolution.first(), report.evolution.last()) {
        (Some(first), Some(last)) if first.year != last.year => {
            format!("{} – {}", first.year, last.year)
        }
        (Some(only), _) => only.year.to_string(),
        _ => report.scope.label(),
    }
}

/// `+3 par rapport à 2019`, `−9 (−15,3 %) par rapport à 2020` (minus signs), for the key figures.
fn change(now: Decimal, before: Decimal, year: i32, money: bool) -> String {
    let delta = now - before;
    let sign = if delta.is_sign_negative() && !delta.is_zero() {
        ""
    } else {
        "+"
    };
    let text = if money {
        format_euros_rounded(delta)
    } else {
        format_quantity(delta)
    };
    let percent = if before.is_zero() {
        String::new()
    } else {
        format!(
            " ({sign}{})",
            format_percent(delta * Decimal::from(100) / before)
        )
    };
    format!("{sign}{text}{percent} par rapport à {}", year - 1)
}

fn key_figures(report: &Report) -> Vec<KeyFigure> {
    let t = &report.totals;
    let year = report.scope.last_year();
    let previous: Option<&Totals> = report.previous.as_ref();
    let detail = |now: Decimal, before: Option<Decimal>, money: bool| {
        before.map(|b| change(now, b, year, money))
    };
    vec![
        KeyFigure {
            label: "Conventions actives".into(),
            value: count(t.active_conventions),
            detail: detail(
                Decimal::from(t.active_conventions),
                previous.map(|p| Decimal::from(p.active_conventions)),
                false,
            ),
        },
        KeyFigure {
            label: amount_word(report).into(),
            value: format_euros_rounded(t.amounts.total),
            detail: detail(t.amounts.total, previous.map(|p| p.amounts.total), true),
        },
        KeyFigure {
            label: "Part de la Région".into(),
            value: format_euros_rounded(t.amounts.region),
            detail: detail(t.amounts.region, previous.map(|p| p.amounts.region), true),
        },
        KeyFigure {
            label: "Partenaires distincts".into(),
            value: count(t.distinct_partners),
            detail: detail(
                Decimal::from(t.distinct_partners),
                previous.map(|p| Decimal::from(p.distinct_partners)),
                false,
            ),
        },
        KeyFigure {
            label: "Associations partenaires".into(),
            value: count(t.association_partners),
            detail: detail(
                Decimal::from(t.association_partners),
                previous.map(|p| Decimal::from(p.association_partners)),
                false,
            ),
        },
        KeyFigure {
            label: "Part européenne (FEDER, Interreg)".into(),
            value: format_euros_rounded(t.amounts.europe),
            detail: detail(t.amounts.europe, previous.map(|p| p.amounts.europe), true),
        },
    ]
}

fn bar(label: &str, value: Decimal, value_label: String) -> Bar {
    Bar {
        label: label.to_string(),
        value: value.to_f64().unwrap_or(0.0),
        value_label,
    }
}

/// A breakdown table and its bar chart of amounts.
fn groups(
    doc: &mut PdfDocumentBuilder,
    report: &Report,
    rows: &[GroupFigures],
    key: &str,
    chart_title: &str,
) {
    let amount = amount_word(report);
    let table = Table {
        columns: vec![
            Column::left(key).max_share(0.45),
            Column::right("Conventions actives"),
            Column::right(amount),
            Column::right("Part Région"),
            Column::right("Part Europe"),
        ],
        rows: rows
            .iter()
            .map(|g| {
                let label = if g.key.is_empty() || g.key == g.label {
                    g.label.clone()
                } else {
                    format!("{} – {}", g.key, g.label)
                };
                vec![
                    label,
                    count(g.active_conventions),
                    format_euros(g.amounts.total),
                    format_euros(g.amounts.region),
                    format_euros(g.amounts.europe),
                ]
            })
            .collect(),
    };
    doc.table(&table);
    doc.bar_chart(&BarChart {
        title: chart_title.to_string(),
        bars: rows
            .iter()
            .map(|g| {
                bar(
                    if g.key.is_empty() { &g.label } else { &g.key },
                    g.amounts.total,
                    format_euros_rounded(g.amounts.total),
                )
            })
            .collect(),
    });
}

/// Builds the whole report. `generated` is the local time of generation, shown on the cover;
/// `generated_utc` goes into the PDF's metadata.
pub fn render(
    report: &Report,
    texts: &Texts,
    fonts: Option<Fonts>,
    generated: NaiveDateTime,
    generated_utc: NaiveDateTime,
) -> Result<Vec<u8>, PdfError> {
    let values = values(report);
    let title = format!("{} {}", texts.couverture.titre, report.scope.label());
    let header = fill(&texts.entete.texte, &values);
    let doc = match fonts {
        Some(fonts) => PdfDocumentBuilder::with_fonts(&title, &header, fonts),
        None => PdfDocumentBuilder::new(&title, &header),
    };
    let mut sections = Sections {
        doc,
        report,
        texts,
        values,
    };
    sections.cover(&title, generated);
    sections.key_figures();
    sections.evolution();
    sections.objectives();
    sections.breakdowns();
    sections.conventions();
    sections.anomalies();
    sections.method();
    sections.doc.finish(generated_utc)
}

/// The document being written and what it is written from, one method per section.
struct Sections<'a> {
    doc: PdfDocumentBuilder,
    report: &'a Report,
    texts: &'a Texts,
    /// The values of the texts' `{placeholders}`.
    values: BTreeMap<&'static str, String>,
}

impl Sections<'_> {
    /// A text of `rapport.toml` with its placeholders filled.
    fn fill(&self, template: &str) -> String {
        fill(template, &self.values)
    }

    /// A section's title (a new page) and its introduction.
    fn open(&mut self, section: &Section) {
        let title = self.fill(&section.titre);
        let introduction = self.fill(&section.introduction);
        self.doc.heading(&title, 1);
        self.doc.paragraph(&introduction);
    }

    /// The note under a capped list: « … et N autres … dans X.csv ».
    fn more(&mut self, template: &str, rest: usize) {
        let mut values = self.values.clone();
        values.insert("reste", count(rest));
        self.doc.note(&fill(template, &values));
    }

    fn cover(&mut self, title: &str, generated: NaiveDateTime) {
        let report = self.report;
        let lines = [
            self.fill(&self.texts.couverture.sous_titre),
            self.fill(&self.texts.couverture.destinataire),
            report.convention_title.clone(),
            match report.scope {
                Scope::Year(y) => format!("Année {y}"),
                Scope::Bilan { first, last } => format!("Bilan de la période {first}–{last}"),
            },
            format!(
                "{} {}, {} {}",
                count(report.submissions),
                agree(report.submissions, "fichier déposé", "fichiers déposés"),
                count(report.rows_read),
                agree(report.rows_read, "ligne lue", "lignes lues")
            ),
            format!(
                "Généré le {} à {}",
                generated.format("%d/%m/%Y"),
                generated.format("%H:%M")
            ),
        ];
        self.doc.cover(title, &lines);
    }

    fn key_figures(&mut self) {
        self.open(&self.texts.chiffres_cles);
        self.doc.key_figures(&key_figures(self.report));
    }

    /// The years side by side, under the key figures: a table (with the active conventions of
    /// each year) and the amount of each objective per year, on the key figures' page.
    fn evolution(&mut self) {
        let report = self.report;
        if report.evolution.is_empty() {
            return;
        }
        let title = self.fill(&self.texts.evolution.titre);
        let introduction = self.fill(&self.texts.evolution.introduction);
        self.doc.heading(&title, 2);
        self.doc.paragraph(&introduction);
        self.doc.table(&evolution_table(report));
        self.doc.bar_chart(&BarChart {
            title: "Montant annualisé par objectif et par année".into(),
            bars: report
                .evolution
                .iter()
                .flat_map(|y| {
                    y.objective_amounts.iter().map(move |(code, amount)| {
                        bar(
                            &format!("{} {code}", y.year),
                            *amount,
                            format_euros_rounded(*amount),
                        )
                    })
                })
                .collect(),
        });
    }

    /// The amounts by objective, then each objective with its indicators.
    fn objectives(&mut self) {
        let report = self.report;
        self.open(&self.texts.objectifs);
        self.doc.bar_chart(&BarChart {
            title: format!("{} par objectif stratégique", amount_word(report)),
            bars: report
                .objectives
                .iter()
                .map(|o| {
                    bar(
                        &o.code,
                        o.amounts.total,
                        format_euros_rounded(o.amounts.total),
                    )
                })
                .collect(),
        });
        for o in &report.objectives {
            self.objective(o);
        }
    }

    fn objective(&mut self, o: &ObjectiveFigures) {
        self.doc.heading(&format!("{} — {}", o.code, o.title), 2);
        self.doc.paragraph(&format!(
            "{} {} ; {} {}, dont {} de la Région. Indicateurs atteints : {} sur {}.",
            count(o.active_conventions),
            agree(
                o.active_conventions,
                "convention active",
                "conventions actives"
            ),
            amount_word(self.report).to_lowercase(),
            format_euros(o.amounts.total),
            format_euros(o.amounts.region),
            count(o.indicators_reached()),
            count(o.indicators.len())
        ));
        self.doc.table(&indicator_table(o));
        self.doc.bar_chart(&BarChart {
            title: format!("{} : taux d'atteinte des indicateurs", o.code),
            bars: o
                .indicators
                .iter()
                .map(|i| {
                    let rate = i.rate.unwrap_or_default();
                    bar(
                        &i.code,
                        rate,
                        i.rate
                            .map(format_percent)
                            .unwrap_or_else(|| "sans cible".into()),
                    )
                })
                .collect(),
        });
    }

    /// By scale, by parc, by partner type, by programme.
    fn breakdowns(&mut self) {
        let (report, texts) = (self.report, self.texts);
        let amount = amount_word(report);
        self.open(&texts.echelles);
        groups(
            &mut self.doc,
            report,
            &report.scales,
            "Échelle",
            &format!("{amount} par échelle"),
        );

        self.open(&texts.parcs);
        groups(
            &mut self.doc,
            report,
            &report.parcs,
            "Parc",
            &format!("{amount} par Parc"),
        );

        self.open(&texts.partenaires);
        partner_types(&mut self.doc, report);

        self.open(&texts.programmes);
        groups(
            &mut self.doc,
            report,
            &report.programmes,
            "Programme",
            &format!("{amount} par programme"),
        );
    }

    /// The active conventions, capped at [`MAX_LIST_ROWS`].
    fn conventions(&mut self) {
        let report = self.report;
        self.open(&self.texts.conventions);
        // The model keeps the first lines only; every active convention is counted in the totals.
        let shown = report.conventions.len().min(MAX_LIST_ROWS);
        let all = report.totals.active_conventions;
        self.doc.table(&Table {
            columns: vec![
                Column::left("Id").max_share(0.14).whole(),
                Column::left("Intitulé").max_share(0.42),
                Column::left("Échelle"),
                Column::left("Parc"),
                Column::left("Début"),
                Column::left("Fin"),
                Column::right(amount_word(report)),
            ],
            rows: report.conventions[..shown]
                .iter()
                .map(|c| {
                    vec![
                        c.id.clone(),
                        c.intitule.clone(),
                        c.echelle.clone(),
                        if c.parc.is_empty() {
                            c.programme.clone()
                        } else {
                            c.parc.clone()
                        },
                        format_date(c.date_debut),
                        format_date(c.date_fin),
                        format_euros(c.amounts.total),
                    ]
                })
                .collect(),
        });
        if all > shown {
            self.more(&self.texts.conventions.reste, all - shown);
        }
    }

    /// The diagnostics, capped at [`MAX_LIST_ROWS`], or a sentence saying there are none.
    fn anomalies(&mut self) {
        let (report, texts) = (self.report, self.texts);
        let title = self.fill(&texts.anomalies.titre);
        self.doc.heading(&title, 1);
        if report.anomalies.is_empty() {
            let none = self.fill(&texts.anomalies.aucune);
            self.doc.paragraph(&none);
            return;
        }
        let introduction = self.fill(&texts.anomalies.introduction);
        self.doc.paragraph(&introduction);
        let shown = report.anomalies.len().min(MAX_LIST_ROWS);
        self.doc.table(&Table {
            columns: vec![
                Column::left("Code"),
                Column::left("Gravité"),
                Column::left("Anomalie").max_share(0.45),
                Column::left("Où").max_share(0.3),
            ],
            rows: report.anomalies[..shown]
                .iter()
                .map(|a| {
                    let place = if a.location.is_empty() {
                        "ensemble des dépôts".to_string()
                    } else {
                        a.location.clone()
                    };
                    vec![a.code.clone(), a.severity.clone(), a.message.clone(), place]
                })
                .collect(),
        });
        if report.anomalies.len() > shown {
            self.more(&texts.anomalies.reste, report.anomalies.len() - shown);
        }
    }

    fn method(&mut self) {
        let title = self.fill(&self.texts.methode.titre);
        let text = self.fill(&self.texts.methode.texte);
        self.doc.heading(&title, 1);
        self.doc.paragraph(&text);
    }
}

/// The years side by side: conventions, amounts, each objective's amount.
fn evolution_table(report: &Report) -> Table {
    let mut columns = vec![
        Column::left("Année"),
        Column::right("Conventions"),
        Column::right("Montant annualisé"),
        Column::right("Part Région"),
    ];
    if let Some(first) = report.evolution.first() {
        columns.extend(
            first
                .objective_amounts
                .iter()
                .map(|(code, _)| Column::right(code)),
        );
    }
    Table {
        columns,
        rows: report
            .evolution
            .iter()
            .map(|y| {
                let mut row = vec![
                    y.year.to_string(),
                    count(y.totals.active_conventions),
                    format_euros(y.totals.amounts.total),
                    format_euros(y.totals.amounts.region),
                ];
                row.extend(y.objective_amounts.iter().map(|(_, m)| format_euros(*m)));
                row
            })
            .collect(),
    }
}

/// An objective's indicators: target, achieved, rate.
fn indicator_table(o: &ObjectiveFigures) -> Table {
    Table {
        columns: vec![
            Column::left("Indicateur"),
            Column::left("Intitulé").max_share(0.45),
            Column::right("Cible"),
            Column::right("Réalisé"),
            Column::right("Taux"),
        ],
        rows: o
            .indicators
            .iter()
            .map(|i| {
                let quantity = |q: Decimal| {
                    if i.unit == "€" {
                        format_euros(q)
                    } else {
                        format_quantity_unit(q, &i.unit)
                    }
                };
                vec![
                    i.code.clone(),
                    i.title.clone(),
                    i.target.map(quantity).unwrap_or_else(|| "—".into()),
                    quantity(i.achieved),
                    i.rate.map(format_percent).unwrap_or_else(|| "—".into()),
                ]
            })
            .collect(),
    }
}

/// Partners by type: a table and a bar chart of distinct partners.
fn partner_types(doc: &mut PdfDocumentBuilder, report: &Report) {
    doc.table(&Table {
        columns: vec![
            Column::left("Type de partenaire"),
            Column::right("Partenaires distincts"),
            Column::right("Conventions actives"),
        ],
        rows: report
            .partner_types
            .iter()
            .map(|t| {
                vec![
                    t.kind.clone(),
                    count(t.partners),
                    count(t.active_conventions),
                ]
            })
            .collect(),
    });
    doc.bar_chart(&BarChart {
        title: "Partenaires distincts par type".into(),
        bars: report
            .partner_types
            .iter()
            .map(|t| bar(&t.kind, Decimal::from(t.partners), count(t.partners)))
            .collect(),
    });
}
