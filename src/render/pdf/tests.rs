//! Whole-document tests: pages, footers, determinism, and what PDF tools read back.

use super::{Bar, BarChart, Column, KeyFigure, PdfDocumentBuilder, Table};
use chrono::{NaiveDate, NaiveDateTime};
use std::path::{Path, PathBuf};

// The integration tests' helpers that read a PDF back: one copy for both.
#[path = "../../../tests/it/pdf_tools.rs"]
mod pdf_tools;
use pdf_tools::{assert_qpdf_check, pdftotext, tool};

fn creation() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 3, 14)
        .and_then(|date| date.and_hms_opt(9, 30, 0))
        .expect("valid date")
}

const FRENCH: &str = "L’œuvre « Cœur de Parc » a coûté 1\u{202F}234\u{202F}567,89\u{A0}€ \
    à l’ŒUVRE COMMUNE ; partenaire : Łukasz Wiśniewski, Kőrösi Csoma.";

fn sample(rows: usize) -> PdfDocumentBuilder {
    let mut doc = PdfDocumentBuilder::new("Rapport annuel 2024", "ENRx — Rapport 2024");
    doc.cover(
        "Rapport annuel des partenariats",
        &["Année 2024".to_string()],
    );
    doc.heading("Chiffres clés", 1);
    doc.paragraph(FRENCH);
    doc.key_figures(&[
        KeyFigure {
            label: "Conventions actives".into(),
            value: "3\u{202F}287".into(),
            detail: Some("+12,4\u{A0}% par rapport à 2023".into()),
        },
        KeyFigure {
            label: "Montant".into(),
            value: "1\u{202F}234,00\u{A0}€".into(),
            detail: None,
        },
    ]);
    doc.heading("Objectif 1 — Biodiversité", 1);
    doc.heading("Indicateurs", 2);
    doc.bar_chart(&BarChart {
        title: "Par parc".into(),
        bars: vec![
            Bar {
                label: "Haut-Jura".into(),
                value: 12.0,
                value_label: "12".into(),
            },
            Bar {
                label: "Vercors".into(),
                value: 0.0,
                value_label: "0".into(),
            },
        ],
    });
    doc.heading("Conventions actives", 1);
    doc.table(&Table {
        columns: vec![
            Column::left("Référence"),
            Column::left("Partenaire").max_share(0.5),
            Column::right("Montant"),
        ],
        rows: (0..rows)
            .map(|index| {
                vec![
                    format!("REF-{index:05}"),
                    format!("Syndicat mixte n°\u{A0}{index} « Les Amis »"),
                    format!("{index},00\u{A0}€"),
                ]
            })
            .collect(),
    });
    doc.note("… et 1\u{202F}234 autres conventions dans conventions.csv");
    doc
}

#[test]
fn every_page_has_its_footer_and_all_but_the_cover_the_running_header() {
    let pages = sample(300).finished_texts();
    let total = pages.len();
    assert!(total > 5, "{total} pages");
    for (index, texts) in pages.iter().enumerate() {
        let footer = format!("Page {} / {total}", index + 1);
        assert!(texts.contains(&footer), "page {}: {texts:?}", index + 1);
        let header = texts.iter().any(|text| text == "ENRx — Rapport 2024");
        assert_eq!(header, index > 0, "running header on page {}", index + 1);
    }
}

#[test]
fn an_empty_document_is_one_valid_page() {
    let pages = PdfDocumentBuilder::new("", "").finished_texts();
    assert_eq!(pages, [vec!["Page 1 / 1".to_string()]]);
    let bytes = PdfDocumentBuilder::new("", "")
        .finish(creation())
        .expect("an empty document saves");
    assert!(bytes.starts_with(b"%PDF-"));
}

#[test]
fn level_one_headings_start_pages_and_headings_stay_with_what_follows() {
    let mut doc = PdfDocumentBuilder::new("T", "");
    doc.heading("Premier", 1);
    doc.paragraph("Texte.");
    doc.heading("Second", 1);
    // Fill the page until little room is left, then a subsection with a table.
    for _ in 0..200 {
        if doc.space_left() < 40.0 {
            break;
        }
        doc.paragraph("Une ligne de texte.");
    }
    doc.heading("Sous-section", 2);
    doc.table(&Table {
        columns: vec![Column::left("Colonne")],
        rows: vec![vec!["a".into()], vec!["b".into()]],
    });
    doc.heading("Titre en fin de document", 2);
    let pages = doc.page_texts();
    let page_of = |wanted: &str| {
        pages
            .iter()
            .position(|texts| texts.iter().any(|text| text == wanted))
            .unwrap_or_else(|| panic!("{wanted} not found in {pages:?}"))
    };
    assert_eq!(page_of("Premier"), 0);
    assert_eq!(page_of("Second"), 1);
    assert_eq!(page_of("Sous-section"), page_of("Colonne"));
    assert_eq!(page_of("Sous-section"), 2);
    // A heading with nothing after it is still drawn, by `finish`.
    let pages = doc.finished_texts();
    assert!(
        pages
            .concat()
            .iter()
            .any(|text| text == "Titre en fin de document")
    );
}

#[test]
fn long_paragraphs_break_across_pages_without_lone_lines() {
    let mut doc = PdfDocumentBuilder::new("T", "");
    let text = (0..400)
        .map(|index| format!("mot{index}"))
        .collect::<Vec<_>>()
        .join(" ")
        .repeat(3);
    doc.paragraph(&text);
    doc.paragraph(&text);
    let pages = doc.page_texts();
    assert!(pages.len() >= 2);
    for texts in &pages {
        assert!(texts.len() >= 2, "a page with a single line: {texts:?}");
    }
}

#[test]
fn hostile_text_does_not_panic() {
    let mut doc = PdfDocumentBuilder::new("\u{0}titre\n", "\t");
    let long_word = "x".repeat(10_000);
    for text in [
        "",
        " ",
        "\n\n\n",
        "\t\r\n\u{7}\u{FEFF}",
        long_word.as_str(),
        "中文 العربية 🌿 emoji",
        "\u{202F}\u{A0}\u{202F}",
        "e\u{301}\u{301}\u{301}",
    ] {
        doc.cover(text, &[text.to_string()]);
        doc.heading(text, 1);
        doc.heading(text, 0);
        doc.heading(text, 9);
        doc.paragraph(text);
        doc.note(text);
        doc.key_figures(&[KeyFigure {
            label: text.into(),
            value: text.into(),
            detail: Some(text.into()),
        }]);
        doc.table(&Table {
            columns: vec![Column::left(text), Column::right(text).max_share(f32::NAN)],
            rows: vec![vec![text.into(), text.into()]],
        });
        doc.bar_chart(&BarChart {
            title: text.into(),
            bars: vec![Bar {
                label: text.into(),
                value: f64::MAX,
                value_label: text.into(),
            }],
        });
    }
    doc.key_figures(&[]);
    let bytes = doc.finish(creation()).expect("the document saves");
    assert!(bytes.len() > 1000);
}

#[test]
fn same_calls_give_the_same_bytes() {
    let first = sample(50).finish(creation()).expect("saves");
    let second = sample(50).finish(creation()).expect("saves");
    assert!(first == second, "two identical documents differ");
    let text = String::from_utf8_lossy(&first);
    assert!(
        text.contains("/CreationDate(D:20250314093000"),
        "no creation date"
    );
    assert!(text.contains("/BaseFont/EnrxSans"), "font name not set");
    let later = creation() + chrono::Duration::seconds(1);
    let third = sample(50).finish(later).expect("saves");
    assert!(first != third);
}

#[test]
fn the_fonts_are_embedded_subset_and_compressed() {
    let bytes = sample(0).finish(creation()).expect("saves");
    // Two faces of ~59 KB each, deflated: the document stays small.
    assert!(bytes.len() < 120_000, "{} bytes", bytes.len());
}

fn write_sample(dir: &Path, rows: usize) -> PathBuf {
    let path = dir.join("rapport.pdf");
    let bytes = sample(rows).finish(creation()).expect("saves");
    std::fs::write(&path, bytes).expect("temporary file written");
    path
}

#[test]
fn pdftotext_reads_back_the_french_text_and_the_page_numbers() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = write_sample(dir.path(), 300);
    if !tool("pdftotext") {
        return;
    }
    let text = pdftotext(&path, None);
    for expected in [
        "é",
        "«",
        "»",
        "€",
        "œ",
        "Œ",
        "Ł",
        "ő",
        "’",
        "—",
        "Chiffres clés",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from the extracted text"
        );
    }
    assert!(text.contains("Cœur de Parc"), "words broken in extraction");
    // pdftotext ends each page with a form feed.
    let pages: Vec<&str> = text
        .split('\u{C}')
        .filter(|page| !page.trim().is_empty())
        .collect();
    let total = pages.len();
    assert!(total > 5);
    for (index, page) in pages.iter().enumerate() {
        let footer = format!("Page {} / {total}", index + 1);
        assert!(page.contains(&footer), "{footer:?} missing on its page");
    }
    // The header row is on every page of the table.
    let table_pages = pages.iter().filter(|page| page.contains("REF-")).count();
    let with_header = pages
        .iter()
        .filter(|page| page.contains("REF-") && page.contains("Référence"))
        .count();
    assert!(table_pages > 3);
    assert_eq!(table_pages, with_header);
}

#[test]
fn qpdf_finds_no_error() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = write_sample(dir.path(), 300);
    if tool("qpdf") {
        assert_qpdf_check(&path);
    }
}

/// An identifier column kept whole is never cut at its hyphens, however long the text
/// columns beside it (the conventions list once showed « C- » above « 2020-028 »).
#[test]
fn a_whole_column_keeps_each_identifier_on_one_line() {
    let long = "Convention annuelle ENRx / Parc naturel régional Scarpe-Escaut 2021 : équipe \
        ad hoc et compétences transversales, animation, suivi et évaluation";
    let mut doc = PdfDocumentBuilder::new("Conventions", "ENRx");
    doc.table(&Table {
        columns: vec![
            Column::left("Id").max_share(0.14).whole(),
            Column::left("Intitulé").max_share(0.42),
            Column::left("Échelle"),
            Column::left("Parc"),
            Column::left("Début"),
            Column::left("Fin"),
            Column::right("Montant annualisé"),
        ],
        rows: (0..5)
            .map(|i| {
                [
                    format!("C-2020-02{i}"),
                    long.into(),
                    "territoriale".into(),
                    "RENOUER".into(),
                ]
                .into_iter()
                .chain(["01/01/2021", "31/12/2021", "337 960,75 €"].map(String::from))
                .collect()
            })
            .collect(),
    });
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("ids.pdf");
    std::fs::write(&path, doc.finish(creation()).expect("saves")).expect("written");
    if !tool("pdftotext") {
        return;
    }
    let text = pdftotext(&path, None);
    for i in 0..5 {
        assert!(text.contains(&format!("C-2020-02{i}")), "{text}");
    }
}
