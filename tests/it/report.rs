//! `enrx report` on hand-built data sets whose figures are computed by hand here, cent-exact.

use crate::common::*;

/// Three conventions and a project:
/// - C-1: locale, AVE, OS1, 01/07/2019–30/06/2020 (366 days, 29/02/2020 included),
///   36 600 €, Région 18 300 € → 2020: 182 days = 18 200,00 € (Région 9 100,00 €).
/// - C-2: territoriale, SCE, OS1;OS2;OS3, all 2020, 1 000 € (Région 100 €) → a third to each.
/// - C-3: locale, CMO, OS2, statut « fini » (V003): left out of every figure.
/// - C-4: projet: not active.
fn hand_built(w: &Workdir) {
    workbook(
        &w.join("input/parc.xlsx"),
        &[
            (
                "Conventions",
                vec![
                    header(&CONVENTION_HEADER),
                    row([
                        "C-1",
                        "Mares",
                        "locale",
                        "AVE",
                        "P-1",
                        "OS1",
                        "",
                        "",
                        "01/06/2019",
                        "01/07/2019",
                        "30/06/2020",
                        "36 600",
                        "18 300",
                        "",
                        "",
                        "soldée",
                    ]),
                    row([
                        "C-2",
                        "Appui",
                        "territoriale",
                        "SCE",
                        "P-2",
                        "OS1;OS2;OS3",
                        "",
                        "",
                        "15/12/2019",
                        "01/01/2020",
                        "31/12/2020",
                        "1000",
                        "100",
                        "",
                        "",
                        "soldée",
                    ]),
                    row([
                        "C-3",
                        "Haies",
                        "locale",
                        "CMO",
                        "P-1",
                        "OS2",
                        "",
                        "",
                        "01/01/2020",
                        "01/01/2020",
                        "31/12/2020",
                        "5000",
                        "",
                        "",
                        "",
                        "fini",
                    ]),
                    row([
                        "C-4",
                        "Projet",
                        "locale",
                        "AVE",
                        "P-1",
                        "OS2",
                        "",
                        "",
                        "",
                        "01/01/2020",
                        "31/12/2020",
                        "7000",
                        "",
                        "",
                        "",
                        "projet",
                    ]),
                ],
            ),
            (
                "Partenaires",
                vec![
                    header(&PARTNER_HEADER),
                    text_row(&[
                        "P-1",
                        "Les Blongios",
                        "association",
                        "",
                        "W595012345",
                        "59000",
                        "Lille",
                        "",
                        "",
                    ]),
                    text_row(&[
                        "P-2",
                        "PNR Scarpe-Escaut",
                        "parc",
                        "",
                        "",
                        "59230",
                        "",
                        "",
                        "",
                    ]),
                ],
            ),
            (
                "Indicateurs",
                vec![
                    header(&["indicateur", "annee", "valeur", "parc"]),
                    text_row(&["OS1-I2", "2020", "4", "AVE"]),
                    text_row(&["OS1-I2", "2020", "3,5", "SCE"]),
                    text_row(&["OS1-I2", "2019", "100", ""]),
                ],
            ),
        ],
    );
}

fn csv_rows(w: &Workdir, file: &str) -> Vec<Vec<String>> {
    read_excel_fr(&w.read(&format!("output/2020/{file}")))
}

fn row_of<'a>(rows: &'a [Vec<String>], key: &str) -> &'a Vec<String> {
    rows.iter()
        .find(|r| r[0] == key)
        .unwrap_or_else(|| panic!("no row {key} in {rows:?}"))
}

#[test]
fn figures_are_cent_exact() {
    let w = Workdir::new();
    hand_built(&w);
    let run = w.run(&["report", "--year", "2020"]);
    assert_eq!(run.code, 1, "C-3 is an error\n{}{}", run.stdout, run.stderr);

    let objectives = csv_rows(&w, "synthese-objectifs.csv");
    assert_eq!(
        objectives[0][..5],
        [
            "objectif",
            "intitule",
            "conventions_actives",
            "montant_annualise",
            "part_region_annualisee"
        ]
    );
    // OS1: C-1 (18 200) + a third of C-2 (333,333…) = 18 533,33; Région 9 100 + 33,333… = 9 133,33.
    let os1 = row_of(&objectives, "OS1");
    assert_eq!(
        (os1[2].as_str(), cents(&os1[3]), cents(&os1[4])),
        ("2", 1_853_333, 913_333)
    );
    let os2 = row_of(&objectives, "OS2");
    assert_eq!(
        (os2[2].as_str(), cents(&os2[3]), cents(&os2[4])),
        ("1", 33_333, 3_333)
    );
    let os3 = row_of(&objectives, "OS3");
    assert_eq!((os3[2].as_str(), cents(&os3[3])), ("1", 33_333));

    let scales = csv_rows(&w, "synthese-echelles.csv");
    assert_eq!(cents(&row_of(&scales, "locale")[2]), 1_820_000);
    assert_eq!(
        row_of(&scales, "locale")[1],
        "1",
        "C-3 (error) and C-4 (projet) are not counted"
    );
    assert_eq!(cents(&row_of(&scales, "territoriale")[2]), 100_000);

    let parcs = csv_rows(&w, "synthese-parcs.csv");
    assert_eq!(
        row_of(&parcs, "CMO")[2],
        "0",
        "the error row of CMO is left out"
    );
    assert_eq!(cents(&row_of(&parcs, "AVE")[3]), 1_820_000);

    let types = csv_rows(&w, "synthese-partenaires.csv");
    assert_eq!(row_of(&types, "association")[1..], ["1", "1"]);
    assert_eq!(row_of(&types, "parc")[1..], ["1", "1"]);

    // OS1-I2 is declared: 4 + 3,5 in 2020 against a target of 10 → 75 %.
    let indicators = csv_rows(&w, "synthese-indicateurs.csv");
    let i2 = row_of(&indicators, "OS1-I2");
    assert_eq!(
        (
            i2[5].as_str(),
            i2[6].as_str(),
            i2[7].as_str(),
            i2[8].as_str()
        ),
        ("10", "7,5", "75,0", "non")
    );
    // OS1-I1 counts active territorial conventions: C-2 only.
    assert_eq!(row_of(&indicators, "OS1-I1")[6], "1");

    let conventions = csv_rows(&w, "conventions.csv");
    let ids: Vec<&str> = conventions[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, ["C-1", "C-2"]);
    let c1 = row_of(&conventions, "C-1");
    assert_eq!(
        (c1[8].as_str(), c1[9].as_str()),
        ("01/07/2019", "30/06/2020")
    );
    assert_eq!(cents(&c1[12]), 1_820_000);
    assert_eq!(c1[c1.len() - 1], "2", "source row");

    let anomalies = csv_rows(&w, "anomalies.csv");
    assert!(anomalies.iter().any(|r| r[0] == "V003" && r[5] == "P4"));

    let manifest: serde_json::Value =
        serde_json::from_slice(&w.read("output/2020/manifest.json")).unwrap();
    assert_eq!(manifest["conventions_actives"], 2);
    assert_eq!(manifest["erreurs"], 1);
    assert_eq!(manifest["entrees"][0]["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn bilan_counts_each_convention_once_with_whole_amounts() {
    let w = Workdir::new();
    hand_built(&w);
    let run = w.run(&["report", "--bilan"]);
    assert_eq!(run.code, 1);
    let rows = read_excel_fr(&w.read("output/bilan-2018-2021/synthese-echelles.csv"));
    assert_eq!(
        row_of(&rows, "locale")[1..3],
        ["1".to_string(), "36600,00".to_string()]
    );
    assert_eq!(
        row_of(&rows, "territoriale")[1..3],
        ["1".to_string(), "1000,00".to_string()]
    );
}

#[test]
fn same_inputs_give_byte_identical_csv() {
    let w = Workdir::new();
    w.copy_sample_input();
    assert_eq!(w.run(&["report", "--year", "2020"]).code, 0);
    let names = [
        "synthese-objectifs.csv",
        "synthese-indicateurs.csv",
        "synthese-parcs.csv",
        "synthese-echelles.csv",
        "synthese-partenaires.csv",
        "synthese-programmes.csv",
        "conventions.csv",
        "anomalies.csv",
    ];
    let first: Vec<Vec<u8>> = names
        .iter()
        .map(|n| w.read(&format!("output/2020/{n}")))
        .collect();
    let run = w.run(&["report", "--year", "2020"]);
    assert!(run.stdout.contains("rien n'a changé"), "{}", run.stdout);
    assert_eq!(w.run(&["report", "--year", "2020", "--force"]).code, 0);
    for (n, bytes) in names.iter().zip(&first) {
        assert_eq!(&w.read(&format!("output/2020/{n}")), bytes, "{n} changed");
    }
}

#[test]
fn rfc4180_dialect_reads_back_the_same_numbers() {
    let w = Workdir::new();
    hand_built(&w);
    w.run(&["report", "--year", "2020"]);
    let fr = csv_rows(&w, "synthese-objectifs.csv");
    w.run(&[
        "report",
        "--year",
        "2020",
        "--csv-dialect",
        "rfc4180",
        "--force",
    ]);
    let bytes = w.read("output/2020/synthese-objectifs.csv");
    assert!(!bytes.starts_with("\u{feff}".as_bytes()));
    let mut reader = csv::Reader::from_reader(&bytes[..]);
    for (record, fr_row) in reader.records().zip(&fr[1..]) {
        let record = record.unwrap();
        assert_eq!(record[3].replace('.', ","), fr_row[3]);
    }
}

#[test]
fn formula_injection_is_neutralised_in_excel_fr() {
    let w = Workdir::new();
    hand_built(&w);
    workbook(
        &w.join("input/piege.xlsx"),
        &[(
            "Conventions",
            vec![
                header(&CONVENTION_HEADER),
                convention_row(
                    "C-9",
                    &[
                        (1, "=HYPERLINK(\"http://x\",\"clic\")"),
                        (8, "01/01/2020"),
                        (9, "01/01/2020"),
                        (10, "31/12/2020"),
                    ],
                ),
            ],
        )],
    );
    w.run(&["report", "--year", "2020"]);
    let conventions = csv_rows(&w, "conventions.csv");
    assert_eq!(
        row_of(&conventions, "C-9")[1],
        "'=HYPERLINK(\"http://x\",\"clic\")"
    );
}

#[test]
fn quiet_prints_nothing_and_env_variables_are_read() {
    let w = Workdir::new();
    hand_built(&w);
    std::fs::rename(w.join("input"), w.join("depots")).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_enrx"))
        .args(["report", "--year", "2020", "-q"])
        .current_dir(w.path())
        .env("ENRX_INPUT", "depots")
        .env("ENRX_OUTPUT", "rapports")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(w.join("rapports/2020/manifest.json").is_file());
}

#[test]
fn unwritable_output_is_exit_2() {
    let w = Workdir::new();
    hand_built(&w);
    w.write("sortie", "un fichier, pas un dossier");
    let run = w.run(&["report", "--year", "2020", "--output", "sortie"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("sortie"), "{}", run.stderr);
}

#[test]
fn a_second_run_on_a_locked_output_exits_75() {
    let w = Workdir::new();
    hand_built(&w);
    std::fs::create_dir_all(w.join("output")).unwrap();
    let lock = std::fs::File::create(w.join("output/.enrx.lock")).unwrap();
    lock.try_lock().unwrap();
    let run = w.run(&["report", "--year", "2020"]);
    assert_eq!(run.code, 75, "{}", run.stderr);
    assert!(run.stderr.contains("un autre « enrx report » est en cours"));
    drop(lock);
    assert_eq!(w.run(&["report", "--year", "2020"]).code, 1);
}

#[test]
fn injection_payloads_in_every_text_column_are_neutralised() {
    let w = Workdir::new();
    let payloads = ["=1+1", "+33 1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"];
    let mut conventions = vec![header(&CONVENTION_HEADER)];
    let mut partners = vec![header(&PARTNER_HEADER)];
    for (i, p) in payloads.iter().enumerate() {
        let id: &'static str = Box::leak(format!("{p}C{i}").into_boxed_str());
        let pid: &'static str = Box::leak(format!("{p}P{i}").into_boxed_str());
        let title: &'static str = Box::leak(format!("{p} titre").into_boxed_str());
        conventions.push(row([
            id,
            title,
            "locale",
            "AVE",
            pid,
            "OS1",
            "biodiversité",
            "",
            "01/01/2020",
            "01/01/2020",
            "31/12/2020",
            "100",
            "",
            "",
            "",
            "soldée",
        ]));
        partners.push(text_row(&[
            pid,
            &format!("{p} nom"),
            "association",
            "",
            "W595012345",
            "59000",
            &format!("{p}ville"),
            "",
            "",
        ]));
    }
    workbook(
        &w.join("input/piege.xlsx"),
        &[("Conventions", conventions), ("Partenaires", partners)],
    );
    w.run(&["report", "--year", "2020"]);
    assert_eq!(
        csv_rows(&w, "conventions.csv").len(),
        1 + payloads.len(),
        "every payload row is counted"
    );
    for file in ["conventions.csv", "anomalies.csv"] {
        let rows = csv_rows(&w, file);
        assert!(rows.len() > 1, "{file} has rows");
        for row in &rows {
            for cell in row {
                let number = cell.replace(',', ".").parse::<f64>().is_ok();
                assert!(
                    number || !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{file}: unneutralised cell {cell:?}"
                );
            }
        }
    }
}

#[test]
fn inputs_are_never_modified() {
    let w = Workdir::new();
    w.copy_sample_input();
    let snapshot = || {
        let mut files: Vec<_> = std::fs::read_dir(w.join("input"))
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let meta = e.metadata().unwrap();
                (
                    e.file_name(),
                    std::fs::read(e.path()).unwrap(),
                    meta.modified().unwrap(),
                    meta.permissions().readonly(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let before = snapshot();
    w.run(&["report", "--year", "2020"]);
    w.run(&["validate", "--format", "csv", "-o", "anomalies.csv"]);
    assert_eq!(snapshot(), before);
}

#[test]
fn an_empty_input_folder_writes_nothing_and_exits_2() {
    let w = Workdir::new();
    hand_built(&w);
    assert_eq!(w.run(&["report", "--year", "2020"]).code, 1);
    let before = w.read("output/2020/conventions.csv");
    std::fs::remove_file(w.join("input/parc.xlsx")).unwrap();
    let run = w.run(&["report", "--year", "2020", "--force"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("aucun tableur"), "{}", run.stderr);
    assert_eq!(
        w.read("output/2020/conventions.csv"),
        before,
        "the last report is kept"
    );
    assert_eq!(w.run(&["validate"]).code, 2);
}

/// Each year's row of `synthese-evolution.csv` is that year's own report, to the cent: its
/// objectives' amounts and conventions, whichever year's report it is read from.
#[test]
fn evolution_rows_equal_each_years_own_report() {
    let w = Workdir::new();
    w.copy_sample_input();
    let mut own = Vec::new();
    for year in 2018..=2021 {
        let y = year.to_string();
        let run = w.run(&["report", "--year", &y, "--force", "-q"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let objectives = read_excel_fr(&w.read(&format!("output/{y}/synthese-objectifs.csv")));
        let evolution = read_excel_fr(&w.read(&format!("output/{y}/synthese-evolution.csv")));
        let years: Vec<&str> = evolution[1..].iter().map(|r| r[0].as_str()).collect();
        let expected: Vec<String> = (2018..=year).map(|y| y.to_string()).collect();
        assert_eq!(years, expected, "the {y} report shows the years up to {y}");
        own.push((objectives, evolution.last().cloned().expect("a row")));
    }
    let last = read_excel_fr(&w.read("output/2021/synthese-evolution.csv"));
    let header = &last[0];
    for (i, (objectives, own_row)) in own.iter().enumerate() {
        let row = &last[i + 1];
        assert_eq!(row, own_row, "{} in the 2021 report and in its own", row[0]);
        let mut total = 0;
        for o in &objectives[1..] {
            let column = header
                .iter()
                .position(|h| *h == format!("montant_{}", o[0]))
                .expect("a column per objective");
            assert_eq!(row[column], o[3], "{} {}", row[0], o[0]);
            total += cents(&o[3]);
        }
        assert_eq!(
            cents(&row[2]),
            total,
            "{}: objectives add up to the total",
            row[0]
        );
    }
    let text =
        crate::pdf_tools::pdftotext(&w.join("output/2021/rapport-partenariats-2021.pdf"), None);
    if !text.is_empty() {
        assert!(text.contains("Évolution 2018 – 2021"), "{text}");
        // Amounts as written: « 2 466 555,06 € », whatever spaces pdftotext gives back.
        let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        for row in &last[1..] {
            assert!(text.contains(&row[0]));
            let shown: String = row[2].chars().filter(|c| !c.is_whitespace()).collect();
            let (units, decimals) = shown.split_once(',').expect("decimal comma");
            let mut grouped = String::new();
            for (i, c) in units.chars().enumerate() {
                if i > 0 && (units.len() - i).is_multiple_of(3) {
                    grouped.push(' ');
                }
                grouped.push(c);
            }
            let written = format!("{grouped},{decimals}€").replace(' ', "");
            assert!(squeezed.contains(&written), "{} not in the PDF", row[2]);
        }
    }
}

#[test]
fn manifest_speaks_the_command_line_s_words() {
    let w = Workdir::new();
    w.copy_sample_input();
    for (dialect, folder) in [("excel-fr", "a"), ("rfc4180", "b")] {
        let run = w.run(&[
            "report",
            "--year",
            "2020",
            "--output",
            folder,
            "--csv-dialect",
            dialect,
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let manifest: serde_json::Value =
            serde_json::from_slice(&w.read(&format!("{folder}/2020/manifest.json"))).unwrap();
        assert_eq!(manifest["dialecte_csv"], dialect);
        assert_eq!(manifest["periode"], "2020");
        assert_eq!(manifest["referentiel"], "intégré");
        // No Rust name anywhere: every value is a word, a number, a path, a date or a digest.
        let text = String::from_utf8(w.read(&format!("{folder}/2020/manifest.json"))).unwrap();
        for leak in ["ExcelFr", "Rfc4180", "Some(", "None", "Year(", "Bilan {"] {
            assert!(!text.contains(leak), "{leak} in {text}");
        }
    }
    let run = w.run(&["report", "--bilan", "--output", "a"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let manifest: serde_json::Value =
        serde_json::from_slice(&w.read("a/bilan-2018-2021/manifest.json")).unwrap();
    assert_eq!(manifest["periode"], "2018-2021");
}
