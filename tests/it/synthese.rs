//! `synthese-Y.xlsx`: the summaries as one workbook. Read back with calamine, every cell of
//! every sheet is the CSV file's; amounts, dates and rates are typed; the headers are frozen
//! and filtered; the first sheet has the key figures and the provenance.

use std::io::Read;

use calamine::{Data, Reader, Xlsx};

use crate::common::*;

/// The workbook's sheets after « Synthèse », with their CSV files.
const SHEETS: [(&str, &str); 9] = [
    ("Objectifs", "synthese-objectifs.csv"),
    ("Indicateurs", "synthese-indicateurs.csv"),
    ("Parcs", "synthese-parcs.csv"),
    ("Échelles", "synthese-echelles.csv"),
    ("Partenaires", "synthese-partenaires.csv"),
    ("Programmes", "synthese-programmes.csv"),
    ("Évolution", "synthese-evolution.csv"),
    ("Conventions", "conventions.csv"),
    ("Anomalies", "anomalies.csv"),
];

/// The sample data set, and a file with what the CSV files neutralise and an error row.
fn input(w: &Workdir) {
    w.copy_sample_input();
    let mut conventions = vec![header(&CONVENTION_HEADER)];
    conventions.push(convention_row(
        "X-1",
        &[
            (1, "=HYPERLINK(\"http://x\")"),
            (4, "P-X1"),
            (9, "01/02/2020"),
            (10, "31/12/2020"),
        ],
    ));
    conventions.push(convention_row("X-2", &[(4, "P-X1"), (15, "fini")]));
    workbook(
        &w.join("input/zz-extra.xlsx"),
        &[
            ("Conventions", conventions),
            (
                "Partenaires",
                vec![
                    header(&PARTNER_HEADER),
                    text_row(&[
                        "P-X1",
                        "-Asso",
                        "association",
                        "",
                        "W595012345",
                        "59000",
                        "",
                        "",
                        "",
                    ]),
                ],
            ),
        ],
    );
}

fn open(bytes: Vec<u8>) -> Xlsx<std::io::Cursor<Vec<u8>>> {
    calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("the workbook opens")
}

fn rows(book: &mut Xlsx<std::io::Cursor<Vec<u8>>>, sheet: &str) -> Vec<Vec<Data>> {
    let range = book.worksheet_range(sheet).expect(sheet);
    range.rows().map(|r| r.to_vec()).collect()
}

/// Whether a workbook cell holds what the excel-fr CSV cell says, typed.
fn same(csv: &str, cell: &Data, column: &str) -> bool {
    match cell {
        Data::Empty => csv.is_empty(),
        Data::String(s) => csv == s || csv == format!("'{s}"),
        Data::Float(f) => {
            let f = if column == "taux" { f * 100.0 } else { *f };
            let places = csv.split_once(',').map_or(0, |(_, d)| d.len());
            format!("{f:.places$}").replace('.', ",") == csv
        }
        Data::Int(i) => csv == i.to_string(),
        Data::DateTime(d) => {
            d.as_datetime().map(|d| d.format("%d/%m/%Y").to_string()) == Some(csv.to_string())
        }
        other => panic!("unexpected cell {other:?}"),
    }
}

fn entries(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("xlsx is a zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut text = String::new();
            f.read_to_string(&mut text).unwrap();
            (f.name().expect("entry name").to_string(), text)
        })
        .collect()
}

#[test]
fn the_workbook_holds_every_cell_of_the_csv_files_typed() {
    let w = Workdir::new();
    input(&w);
    let run = w.run(&["report", "--year", "2020"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("9 fichiers CSV, synthese-2020.xlsx, manifest.json"),
        "{}",
        run.stdout
    );
    let bytes = w.read("output/2020/synthese-2020.xlsx");
    let mut book = open(bytes.clone());
    let mut names = vec!["Synthèse"];
    names.extend(SHEETS.map(|(s, _)| s));
    assert_eq!(book.sheet_names(), names);

    let mut compared = 0;
    for (sheet, file) in SHEETS {
        let csv = read_excel_fr(&w.read(&format!("output/2020/{file}")));
        let xlsx = rows(&mut book, sheet);
        assert_eq!(xlsx.len(), csv.len(), "{sheet}: as many rows as {file}");
        assert_eq!(
            xlsx[0].len(),
            csv[0].len(),
            "{sheet}: as many columns as {file}"
        );
        // Headers for people: « Montant annualisé (€) » for `montant_annualise`.
        assert!(
            xlsx[0]
                .iter()
                .all(|h| matches!(h, Data::String(s) if !s.contains('_'))),
            "{sheet}: {:?}",
            xlsx[0]
        );
        for (r, (x, c)) in xlsx.iter().zip(&csv).enumerate().skip(1) {
            for (i, name) in csv[0].iter().enumerate() {
                let cell = x.get(i).unwrap_or(&Data::Empty);
                assert!(
                    same(&c[i], cell, name),
                    "{sheet} row {r} column {name}: {cell:?} in the workbook, « {} » in {file}",
                    c[i]
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 1_000, "{compared} cells compared");

    // Typed: euros, dates, percentages; a text that looks like a formula stays a text.
    let conventions = rows(&mut book, "Conventions");
    let x1 = conventions
        .iter()
        .find(|r| r[0] == Data::String("X-1".into()))
        .unwrap();
    assert_eq!(x1[1], Data::String("=HYPERLINK(\"http://x\")".into()));
    assert!(matches!(x1[8], Data::DateTime(_)), "{:?}", x1[8]);
    assert!(
        matches!(x1[11], Data::Float(f) if f == 100.0),
        "{:?}",
        x1[11]
    );
    let indicators = rows(&mut book, "Indicateurs");
    assert!(
        indicators[1..]
            .iter()
            .any(|r| matches!(r[7], Data::Float(f) if f > 0.5 && f < 3.0))
    );
    let anomalies = rows(&mut book, "Anomalies");
    assert!(
        anomalies
            .iter()
            .any(|r| r[0] == Data::String("V003".into()))
    );

    let files = entries(&bytes);
    let text = |name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
            .unwrap()
    };
    let styles = text("xl/styles.xml");
    for format in ["#,##0.00 €", "dd/mm/yyyy", "0.0 %"] {
        assert!(
            styles.contains(&format!("formatCode=\"{format}\"")),
            "{format}: {styles}"
        );
    }
    for i in 2..=9 {
        let xml = text(&format!("xl/worksheets/sheet{i}.xml"));
        assert!(
            xml.contains("<pane ySplit=\"1\""),
            "sheet{i}: frozen header"
        );
        assert!(xml.contains("<autoFilter ref=\"A1:"), "sheet{i}: filters");
        assert!(xml.contains("customWidth=\"1\""), "sheet{i}: widths");
    }

    // The first sheet: key figures (with 2019 beside them) and provenance.
    let first = rows(&mut book, "Synthèse");
    let find = |label: &str| {
        first
            .iter()
            .find(|r| r[0] == Data::String(label.into()))
            .unwrap_or_else(|| panic!("{label} in {first:?}"))
    };
    let manifest: serde_json::Value =
        serde_json::from_slice(&w.read("output/2020/manifest.json")).unwrap();
    let active = find("Conventions actives");
    assert_eq!(
        active[1],
        Data::Float(manifest["conventions_actives"].as_f64().unwrap())
    );
    assert!(
        matches!(active[2], Data::Float(_)),
        "the previous year: {active:?}"
    );
    assert!(matches!(find("Montant annualisé (€)")[1], Data::Float(_)));
    assert_eq!(
        find("Erreurs")[1],
        Data::Float(manifest["erreurs"].as_f64().unwrap())
    );
    assert!(matches!(find("Généré le")[1], Data::DateTime(_)));
    assert_eq!(find("Référentiel")[1], Data::String("intégré".into()));
    assert_eq!(
        find("SHA-256 du référentiel")[1],
        Data::String(manifest["referentiel_sha256"].as_str().unwrap().into())
    );
    let input = find("input/zz-extra.xlsx");
    assert_eq!(
        input[2],
        Data::String(
            manifest["entrees"].as_array().unwrap().last().unwrap()["sha256"]
                .as_str()
                .unwrap()
                .into()
        )
    );

    // Listed in the manifest, written like the others (no temporary file left).
    let outputs: Vec<&str> = manifest["sorties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(outputs.contains(&"synthese-2020.xlsx"), "{outputs:?}");
    let leftovers: Vec<_> = std::fs::read_dir(w.join("output/2020"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != ".enrx.lock")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // --csv-dialect does not change the workbook.
    let run = w.run(&[
        "report",
        "--year",
        "2020",
        "--csv-dialect",
        "rfc4180",
        "--output",
        "rfc",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mut other = open(w.read("rfc/2020/synthese-2020.xlsx"));
    let mut book = open(bytes);
    for (sheet, _) in SHEETS {
        assert_eq!(rows(&mut other, sheet), rows(&mut book, sheet), "{sheet}");
    }
}

#[test]
fn a_bilan_has_its_workbook() {
    let w = Workdir::new();
    w.copy_sample_input();
    assert_eq!(w.run(&["report", "--bilan"]).code, 0);
    let mut book = open(w.read("output/bilan-2018-2021/synthese-bilan-2018-2021.xlsx"));
    let objectives = rows(&mut book, "Objectifs");
    assert_eq!(
        objectives[0][3],
        Data::String("Montant (€)".into()),
        "a bilan's amounts are whole"
    );
}

#[test]
fn the_workbook_prints() {
    let w = Workdir::new();
    w.copy_sample_input();
    assert_eq!(w.run(&["report", "--year", "2021"]).code, 0);
    std::fs::copy(
        w.join("output/2021/synthese-2021.xlsx"),
        w.join("synthese.xlsx"),
    )
    .unwrap();
    let Some(pdf) = crate::office::print_to_pdf(&w.join("synthese.xlsx")) else {
        return;
    };
    if !crate::pdf_tools::tool("pdftotext") {
        return;
    }
    let text = crate::pdf_tools::pdftotext(&pdf, None);
    // The first page, then a page per sheet: each one page wide.
    assert_eq!(crate::office::pages(&text), 10, "{text}");
    let first = crate::pdf_tools::pdftotext(&pdf, Some(1));
    for expected in [
        "Chiffres clés",
        "Provenance",
        "input/pnr-avesnois.xlsx",
        "conventions.csv",
    ] {
        assert!(first.contains(expected), "{expected}: {first}");
    }
    let squash = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
    };
    // The objectives' long titles wrap in their column instead of being cut.
    let objectives = squash(&crate::pdf_tools::pdftotext(&pdf, Some(2)));
    assert!(
        objectives.contains(&squash("Parcs naturels régionaux Hauts-de-France")),
        "{objectives}"
    );
}
