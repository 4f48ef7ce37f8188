//! A realistic sample of the partnership report, to look at the PDF layer's output.
//!
//! ```sh
//! cargo run --release --example pdf_demo -- /tmp/demo.pdf
//! pdftoppm -png -r 50 /tmp/demo.pdf /tmp/page
//! ```
//!
use chrono::NaiveDate;
use enrx::render::pdf::{Bar, BarChart, Column, KeyFigure, PdfDocumentBuilder, Table};
use enrx::text::french::{format_date, format_euros, format_integer, format_percent};
use rust_decimal::Decimal;
use std::time::Instant;

const PARCS: [&str; 9] = [
    "Ballons des Vosges",
    "Haut-Jura",
    "Vercors",
    "Camargue",
    "Volcans d’Auvergne",
    "Brière",
    "Millevaches en Limousin",
    "Pyrénées ariégeoises",
    "Scarpe-Escaut",
];

const PARTNERS: [&str; 8] = [
    "Communauté de communes du Pays de Gex",
    "Association « Les Amis de la Forêt »",
    "Chambre d’agriculture",
    "Œuvre départementale des jardins",
    "Łukasz Wiśniewski Conseil SARL",
    "Syndicat mixte d’aménagement de la vallée de l’Ardèche et de ses affluents",
    "Office de tourisme intercommunal",
    "Université Grenoble Alpes – laboratoire d’écologie alpine (LECA)",
];

/// A small deterministic pseudo-random sequence, so the demo is the same on every run.
struct Sequence(u64);

impl Sequence {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % bound.max(1)
    }
}

fn euros(cents: i64) -> String {
    format_euros(Decimal::new(cents, 2))
}

fn main() -> Result<(), String> {
    let output = std::env::args()
        .nth(1)
        .ok_or("usage : pdf_demo <fichier.pdf>")?;
    let started = Instant::now();
    let bytes = build()?;
    let elapsed = started.elapsed();
    std::fs::write(&output, &bytes).map_err(|e| format!("écriture de {output} : {e}"))?;
    eprintln!(
        "{output} : {} octets, généré en {} ms",
        bytes.len(),
        elapsed.as_millis()
    );
    Ok(())
}

fn build() -> Result<Vec<u8>, String> {
    let mut sequence = Sequence(2024);
    let generated = NaiveDate::from_ymd_opt(2025, 3, 14)
        .and_then(|date| date.and_hms_opt(9, 30, 0))
        .ok_or("date invalide")?;

    let mut doc = PdfDocumentBuilder::new(
        "Rapport annuel des partenariats 2024",
        "ENRx — Rapport annuel des partenariats 2024 · Convention cadre 2021-2027",
    );
    doc.cover(
        "Rapport annuel des partenariats des Parcs naturels régionaux",
        &[
            "Année 2024".to_string(),
            "Convention cadre Région – Parcs 2021-2027".to_string(),
            format!("Généré le {} à 09:30", format_date(generated.date())),
            format!("{} déclarations reçues de 9 parcs", format_integer(27)),
        ],
    );

    doc.heading("Chiffres clés", 1);
    doc.paragraph(&format!(
        "En 2024, les neuf Parcs naturels régionaux ont déclaré {} conventions de \
         partenariat, dont {} actives sur l’année. Les montants sont annualisés : une \
         convention de trois ans compte pour le tiers de son montant total, au prorata des \
         jours compris dans l’année.",
        format_integer(3456),
        format_integer(3287)
    ));
    doc.key_figures(&[
        KeyFigure {
            label: "Conventions actives".into(),
            value: format_integer(3287),
            detail: Some("+12,4\u{A0}% par rapport à 2023".into()),
        },
        KeyFigure {
            label: "Montant annualisé".into(),
            value: euros(123_456_789),
            detail: Some("+85\u{202F}300,00\u{A0}€ par rapport à 2023".into()),
        },
        KeyFigure {
            label: "Part de la Région (annualisée)".into(),
            value: euros(45_678_901),
            detail: Some("37,0\u{A0}% du total".into()),
        },
        KeyFigure {
            label: "Partenaires distincts".into(),
            value: format_integer(1_012),
            detail: None,
        },
        KeyFigure {
            label: "Indicateurs atteints".into(),
            value: "18 / 24".into(),
            detail: Some("75,0\u{A0}% des cibles".into()),
        },
        KeyFigure {
            label: "Anomalies bloquantes".into(),
            value: format_integer(169),
            detail: Some("lignes exclues des totaux, voir anomalies.csv".into()),
        },
    ]);

    let objectives = [
        (
            "Objectif 1 — Préserver la biodiversité et les continuités écologiques",
            "Trames vertes et bleues, zones humides, œuvres de restauration des milieux : les \
             partenariats de cet objectif associent surtout des collectivités et des \
             associations naturalistes.",
        ),
        (
            "Objectif 2 — Accompagner la transition énergétique des territoires",
            "Rénovation du bâti, sobriété, énergies renouvelables citoyennes : l’objectif \
             progresse, mais deux indicateurs restent en deçà de leur cible « 2024 ».",
        ),
        (
            "Objectif 3 — Développer une économie locale et un tourisme durables",
            "Circuits courts, marque « Valeurs Parc naturel régional », mobilité douce pour \
             les visiteurs : la plupart des conventions sont portées par des offices de \
             tourisme et des chambres consulaires.",
        ),
    ];
    for (number, (title, intro)) in objectives.iter().enumerate() {
        doc.heading(title, 1);
        doc.paragraph(intro);
        doc.heading("Indicateurs", 2);
        let mut rows = Vec::new();
        for index in 0..(6 + number * 2) {
            let target = 50 + sequence.next(400) as i64;
            let achieved = target * (40 + sequence.next(90) as i64) / 100;
            let rate = Decimal::new(achieved * 1000 / target.max(1), 1);
            rows.push(vec![
                format!("I{}.{}", number + 1, index + 1),
                format!(
                    "Nombre de {} accompagnés dans le cadre des conventions",
                    [
                        "hectares",
                        "projets",
                        "entreprises",
                        "communes",
                        "actions de sensibilisation"
                    ][index % 5]
                ),
                format_integer(target),
                format_integer(achieved),
                format_percent(rate),
            ]);
        }
        doc.table(&Table {
            columns: vec![
                Column::left("Code"),
                Column::left("Indicateur").max_share(0.7),
                Column::right("Cible"),
                Column::right("Réalisé"),
                Column::right("Taux"),
            ],
            rows,
        });
        doc.heading("Montant annualisé par parc", 2);
        let bars = PARCS
            .iter()
            .map(|parc| {
                let cents = (sequence.next(9_000_000) as i64 + 100_000) * 100;
                Bar {
                    label: (*parc).to_string(),
                    value: cents as f64,
                    value_label: euros(cents),
                }
            })
            .collect();
        doc.bar_chart(&BarChart {
            title: format!("Objectif {} : montant annualisé par parc", number + 1),
            bars,
        });
    }

    doc.heading("Répartition par échelle", 1);
    doc.table(&Table {
        columns: vec![
            Column::left("Échelle"),
            Column::right("Conventions actives"),
            Column::right("Montant annualisé"),
        ],
        rows: vec![
            vec!["Communale".into(), format_integer(1204), euros(31_245_678)],
            vec![
                "Intercommunale".into(),
                format_integer(987),
                euros(49_812_000),
            ],
            vec![
                "Départementale".into(),
                format_integer(612),
                euros(24_500_111),
            ],
            vec!["Régionale".into(), format_integer(484), euros(17_900_000)],
        ],
    });
    doc.bar_chart(&BarChart {
        title: "Conventions par échelle".into(),
        bars: vec![
            Bar {
                label: "Communale".into(),
                value: 1204.0,
                value_label: format_integer(1204),
            },
            Bar {
                label: "Intercommunale".into(),
                value: 987.0,
                value_label: format_integer(987),
            },
            Bar {
                label: "Départementale".into(),
                value: 612.0,
                value_label: format_integer(612),
            },
            Bar {
                label: "Régionale".into(),
                value: 484.0,
                value_label: format_integer(484),
            },
            Bar {
                label: "Européenne".into(),
                value: 0.0,
                value_label: format_integer(0),
            },
        ],
    });
    doc.bar_chart(&BarChart {
        title: "Conventions par programme européen".into(),
        bars: Vec::new(),
    });

    doc.heading("Conventions actives", 1);
    doc.paragraph(&format!(
        "La liste ci-dessous est limitée aux {} premières conventions, classées par parc \
         puis par référence ; la liste complète figure dans conventions.csv.",
        format_integer(2000)
    ));
    let start = NaiveDate::from_ymd_opt(2021, 1, 1).ok_or("date invalide")?;
    let rows = (0..2000)
        .map(|index| {
            let parc = PARCS[index % PARCS.len()];
            let partner = PARTNERS[sequence.next(PARTNERS.len() as u64) as usize];
            let begins = start + chrono::Days::new(sequence.next(1200));
            let ends = begins + chrono::Days::new(180 + sequence.next(900));
            let cents = (sequence.next(25_000_000) + 50_000) as i64;
            vec![
                format!("{}-{:05}", &parc[..3].to_uppercase(), index + 1),
                parc.to_string(),
                partner.to_string(),
                format!("{} – {}", format_date(begins), format_date(ends)),
                euros(cents),
            ]
        })
        .collect();
    doc.table(&Table {
        columns: vec![
            Column::left("Référence"),
            Column::left("Parc").max_share(0.2),
            Column::left("Partenaire").max_share(0.4),
            Column::left("Période"),
            Column::right("Montant"),
        ],
        rows,
    });
    doc.note(&format!(
        "… et {} autres conventions dans conventions.csv.",
        format_integer(1287)
    ));

    doc.heading("Anomalies", 1);
    doc.paragraph(
        "Une ligne portant une erreur est exclue de tous les totaux ; les avertissements \
         n’excluent rien. Chaque anomalie indique le fichier, la feuille et la cellule.",
    );
    doc.table(&Table {
        columns: vec![
            Column::left("Code"),
            Column::left("Emplacement").max_share(0.35),
            Column::left("Message"),
        ],
        rows: vec![
            vec![
                "D001".into(),
                "vosges-2024.xlsx, feuille Conventions, cellule E12".into(),
                "La date de fin (31/12/2023) précède la date de début (01/01/2024).".into(),
            ],
            vec![
                "M003".into(),
                "camargue.xlsx, feuille Conventions, cellule H7".into(),
                "Montant illisible : « 12 000 euros HT » ; écrivez un nombre, par exemple \
                 12000 ou 12 000,00."
                    .into(),
            ],
            vec![
                "P002".into(),
                "brière.csv, ligne 1 204".into(),
                "Partenaire inconnu : « Zakład Usług Leśnych Łódź » (aucun identifiant SIRET)."
                    .into(),
            ],
        ],
    });
    doc.note(&format!(
        "… et {} autres anomalies dans anomalies.csv.",
        format_integer(166)
    ));

    doc.finish(generated).map_err(|e| e.to_string())
}
