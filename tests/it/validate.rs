//! `enrx validate` on real workbooks: every F/S/V/R/D/M/O code fires at its cell; the sample
//! data set is clean; outputs in every format; exit codes.

use crate::common::*;
use serde_json::Value;

/// The conventions of the broken workbook, one problem per row (rows as Excel numbers them).
fn broken_conventions() -> Vec<Vec<C>> {
    let mut header = header(&CONVENTION_HEADER);
    header.push(C::S("remarque"));
    let ok = |id: &'static str| -> [&'static str; 16] {
        [
            id,
            "Mares pédagogiques",
            "locale",
            "AVE",
            "P-1",
            "OS1",
            "biodiversité",
            "",
            "10/01/2019",
            "01/02/2019",
            "31/12/2019",
            "10 000,00 €",
            "5 000",
            "",
            "",
            "soldée",
        ]
    };
    let with = |id: &'static str, edits: &[(usize, &'static str)]| {
        let mut cells = ok(id);
        for &(i, v) in edits {
            cells[i] = v;
        }
        row(cells)
    };
    vec![
        header,                                // 1
        with("C-1", &[]),                      // 2 valid
        with("C-2", &[(1, "")]),               // 3 V001 B3
        with("C-3", &[(9, "31/02/2019")]),     // 4 V002 J4
        with("C-4", &[(15, "fini")]),          // 5 V003 P5
        with("C-5", &[(11, "-5")]),            // 6 V004 L6
        with("C-1", &[]),                      // 7 R001 A7
        with("C-6", &[(4, "P-9")]),            // 8 R002 E8
        with("C-7", &[(5, "OS9")]),            // 9 R003 F9
        with("C-8", &[(3, "Vosges du Nord")]), // 10 R004 D10
        with("C-9", &[(10, "01/01/2019")]),    // 11 D001 K11
        with(
            "C-10",
            &[(8, "01/01/2023"), (9, "01/02/2023"), (10, "31/12/2023")],
        ), // 12 D002 J12
        with("C-11", &[(10, "30/06/2022")]),   // 13 D003 K13
        with("C-12", &[(15, "en cours")]),     // 14 D004 P14
        with("C-13", &[(8, "01/03/2019")]),    // 15 D005 I15
        with("C-14", &[(12, "9 000"), (13, "2 000")]), // 16 M001 L16
        with("C-15", &[(11, "150 000")]),      // 17 M002 L17
        with("C-16", &[(8, ""), (11, "40 000")]), // 18 M003 I18
        with("C-17", &[(2, "européenne"), (3, "")]), // 19 O004 H19
        with(
            "C-18",
            &[
                (2, "européenne"),
                (3, ""),
                (7, "IMPACT"),
                (9, "01/01/2019"),
                (10, "30/06/2020"),
            ],
        ), // 20 O008 K20
        with("C-19", &[(4, "P-3")]),           // 21 O007 E21
    ]
}

fn broken_partners() -> Vec<Vec<C>> {
    let mut h = header(&PARTNER_HEADER);
    h.push(C::S("Nom")); // S003 J1
    vec![
        h,
        text_row(&[
            "P-1",
            "Les Blongios",
            "association",
            "",
            "W595012345",
            "59000",
            "Lille",
            "a@b.fr",
            "03 20 00 00 00",
        ]),
        text_row(&[
            "P-2",
            "Mauvais SIRET",
            "entreprise",
            "732 829 320 00075",
            "",
            "59000",
            "Lille",
            "",
            "",
        ]), // V005 D3, R005 A3
        text_row(&["P-3", "PNR Avesnois", "parc", "", "", "59550", "", "", ""]),
        text_row(&[
            "P-4",
            "Sans identifiant",
            "association",
            "",
            "",
            "59000",
            "",
            "",
            "",
        ]), // V006 E5
        text_row(&[
            "P-5",
            "Aisne Nature",
            "association",
            "",
            "W021000001",
            "2100",
            "",
            "",
            "",
        ]), // V007 F6
        text_row(&[
            "P-6",
            "Courriel faux",
            "association",
            "",
            "W595000002",
            "59000",
            "",
            "courriel.fr",
            "",
        ]), // V008 H7
        text_row(&[
            "P-7",
            "Doublon A",
            "collectivité",
            "73282932000074",
            "",
            "59000",
            "",
            "",
            "",
        ]),
        text_row(&[
            "P-8",
            "Doublon B",
            "collectivité",
            "732 829 320 00074",
            "",
            "59000",
            "",
            "",
            "",
        ]), // R006 D9
    ]
}

/// Writes the whole broken submission into `input/`.
fn broken_input(w: &Workdir) {
    workbook(
        &w.join("input/broken.xlsx"),
        &[
            ("Conventions", broken_conventions()),
            ("Partenaires", broken_partners()),
            (
                "Indicateurs",
                vec![header(&["indicateur", "annee", "valeur"])],
            ), // S004
        ],
    );
    // S001: a conventions sheet without its statut column.
    workbook(
        &w.join("input/sans-statut.xlsx"),
        &[(
            "Conventions",
            vec![
                header(&CONVENTION_HEADER[..15]),
                convention_row("C-50", &[(15, "")]),
            ],
        )],
    );
    // F003: a workbook with nothing of ours in it.
    workbook(
        &w.join("input/notes.xlsx"),
        &[(
            "Feuil1",
            vec![text_row(&["Réunion du 3 mars", "ordre du jour"])],
        )],
    );
    // F001: random bytes with a spreadsheet's name.
    w.write(
        "input/corrompu.xlsx",
        b"\x00\x13garbage that is not a zip archive at all",
    );
    // F004 + O003: Windows-1252 CSV of indicator values.
    let csv =
        "indicateur;année;valeur;commentaire\r\nOS1-I9;2019;3;journ\u{e9}es\r\nOS1-I2;2030;4;\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(csv);
    w.write("input/indicateurs.csv", bytes);
}

fn diagnostics(json: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(json).expect("JSON output");
    v["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .clone()
}

fn find<'a>(ds: &'a [Value], code: &str, file: &str, cell: Option<&str>) -> Option<&'a Value> {
    ds.iter().find(|d| {
        d["code"] == code
            && d["file"].as_str().is_some_and(|f| f.ends_with(file))
            && cell.is_none_or(|c| d["cell"] == c)
    })
}

#[test]
fn every_check_fires_at_its_cell() {
    let w = Workdir::new();
    broken_input(&w);
    let run = w.run(&["validate", "--year", "2019", "--format", "json"]);
    assert_eq!(run.code, 1, "errors give exit 1\n{}", run.stderr);
    let ds = diagnostics(&run.stdout);
    let expected: &[(&str, &str, Option<&str>)] = &[
        ("F001", "corrompu.xlsx", None),
        ("F003", "notes.xlsx", None),
        ("F004", "indicateurs.csv", None),
        ("S001", "sans-statut.xlsx", None),
        ("S002", "broken.xlsx", Some("Q1")),
        ("S003", "broken.xlsx", Some("J1")),
        ("S004", "broken.xlsx", None),
        ("V001", "broken.xlsx", Some("B3")),
        ("V002", "broken.xlsx", Some("J4")),
        ("V003", "broken.xlsx", Some("P5")),
        ("V004", "broken.xlsx", Some("L6")),
        ("V005", "broken.xlsx", Some("D3")),
        ("V006", "broken.xlsx", Some("E5")),
        ("V007", "broken.xlsx", Some("F6")),
        ("V008", "broken.xlsx", Some("H7")),
        ("R001", "broken.xlsx", Some("A7")),
        ("R002", "broken.xlsx", Some("E8")),
        ("R003", "broken.xlsx", Some("F9")),
        ("R004", "broken.xlsx", Some("D10")),
        ("R005", "broken.xlsx", Some("A3")),
        ("R006", "broken.xlsx", Some("D9")),
        ("D001", "broken.xlsx", Some("K11")),
        ("D002", "broken.xlsx", Some("J12")),
        ("D003", "broken.xlsx", Some("K13")),
        ("D004", "broken.xlsx", Some("P14")),
        ("D005", "broken.xlsx", Some("I15")),
        ("M001", "broken.xlsx", Some("L16")),
        ("M002", "broken.xlsx", Some("L17")),
        ("M003", "broken.xlsx", Some("I18")),
        ("O003", "indicateurs.csv", Some("A2")),
        ("O003", "indicateurs.csv", Some("B3")),
        ("O004", "broken.xlsx", Some("H19")),
        ("O007", "broken.xlsx", Some("E21")),
        ("O008", "broken.xlsx", Some("K20")),
    ];
    let mut missing = Vec::new();
    for (code, file, cell) in expected {
        if find(&ds, code, file, *cell).is_none() {
            missing.push(format!("{code} {file} {cell:?}"));
        }
    }
    assert!(
        missing.is_empty(),
        "not reported: {missing:#?}\n{}",
        run.stdout
    );
    // Data-set-wide checks of the year: only C-1 is active for OS1 among valid rows.
    for code in ["O001", "O005", "O006"] {
        assert!(
            ds.iter().any(|d| d["code"] == code && d["file"].is_null()),
            "{code}"
        );
    }
    // The sheet and row the user sees, with a hint where one helps.
    let r002 = find(&ds, "R002", "broken.xlsx", Some("E8")).unwrap();
    assert_eq!(r002["sheet"], "Conventions");
    assert_eq!(r002["row"], 8);
    assert_eq!(r002["severity"], "erreur");
    let v003 = find(&ds, "V003", "broken.xlsx", Some("P5")).unwrap();
    assert_eq!(v003["value"], "fini");
}

#[test]
fn valid_rows_of_the_broken_workbook_raise_nothing() {
    let w = Workdir::new();
    broken_input(&w);
    let run = w.run(&["validate", "--year", "2019", "--format", "json"]);
    let ds = diagnostics(&run.stdout);
    // Row 2 (C-1) is valid: only its id is reported again at row 7, never row 2 itself.
    assert!(
        !ds.iter().any(|d| d["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("broken.xlsx"))
            && d["sheet"] == "Conventions"
            && d["row"] == 2),
        "row 2 is valid:\n{}",
        run.stdout
    );
    // Partner P-1 is valid and cited.
    assert!(
        !ds.iter()
            .any(|d| d["sheet"] == "Partenaires" && d["row"] == 2)
    );
}

#[test]
fn sample_input_is_clean() {
    let w = Workdir::new();
    w.copy_sample_input();
    let run = w.run(&["validate"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("bilan : 0 erreur"), "{}", run.stdout);
    assert!(
        run.stdout.contains("8 fichiers lus, 321 lignes de données"),
        "{}",
        run.stdout
    );
}

#[test]
fn text_output_points_at_the_cell() {
    let w = Workdir::new();
    broken_input(&w);
    let run = w.run(&["validate", "input/broken.xlsx", "--year", "2019"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains(
        "erreur[R002]: partenaire inconnu « P-9 »\n  --> input/broken.xlsx, feuille Conventions, cellule E8\n"
    ), "{}", run.stdout);
    assert!(
        run.stdout.contains("= aide : valeurs proches : soldée") || run.stdout.contains("[V003]")
    );
    assert!(!run.stdout.contains("\x1b["), "no colour when piped");
    // One file alone: its partners may be declared in another file, and the hint says so;
    // « cited by no convention » needs every file, so it is left for folders.
    assert!(
        run.stdout.contains("vérifiez les fichiers ensemble"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("[R005]"), "{}", run.stdout);
    let last = run.stdout.trim_end().lines().last().unwrap();
    assert!(last.starts_with("bilan : "), "{last}");
}

#[test]
fn csv_output_and_output_file() {
    let w = Workdir::new();
    broken_input(&w);
    let run = w.run(&[
        "validate",
        "--year",
        "2019",
        "--format",
        "csv",
        "-o",
        "anomalies.csv",
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    let rows = read_excel_fr(&w.read("anomalies.csv"));
    assert_eq!(rows[0][..4], ["code", "gravite", "message", "fichier"]);
    assert!(rows.iter().any(|r| r[0] == "R002" && r[5] == "E8"));
}

#[test]
fn warnings_only_exit_zero_unless_denied() {
    let w = Workdir::new();
    w.copy_sample_input();
    // The sample has warnings (O002) in 2020 but no error.
    assert_eq!(w.run(&["validate", "--year", "2020"]).code, 0);
    assert_eq!(
        w.run(&["validate", "--year", "2020", "--deny-warnings"])
            .code,
        1
    );
}

#[test]
fn a_corrupt_file_does_not_stop_the_others() {
    let w = Workdir::new();
    w.copy_sample_input();
    w.write("input/zz-corrompu.xlsx", b"PK\x03\x04 truncated");
    let run = w.run(&["validate"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("erreur[F001]"));
    assert!(
        run.stdout.contains("9 fichiers lus, 321 lignes de données"),
        "{}",
        run.stdout
    );
}

#[test]
fn limits_give_f002() {
    let w = Workdir::new();
    let mut csv = String::from("id;nom;type\n");
    for i in 0..20 {
        csv.push_str(&format!("P-{i};Asso {i};association\n"));
    }
    w.write("input/partenaires.csv", csv);
    let run = w.run(&["validate", "--max-lignes", "5"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("erreur[F002]"), "{}", run.stdout);
}

#[test]
fn bad_arguments_and_referential_exit_2() {
    let w = Workdir::new();
    let run = w.run(&["validate", "absent/"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("chemin introuvable"), "{}", run.stderr);
    w.write("ref.toml", "[convention]\ntitre = 3\n");
    let run = w.run(&["validate", "--referentiel", "ref.toml", "."]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("ref.toml invalide, ligne"),
        "{}",
        run.stderr
    );
    let run = w.run(&["validate", "--year", "2030", "."]);
    assert_eq!(run.code, 2);
}

#[test]
fn explain_and_checks() {
    let w = Workdir::new();
    let run = w.run(&["explain", "r002"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("R002 — partenaire inconnu (erreur)"));
    assert!(run.stdout.contains("## Comment corriger"));
    let run = w.run(&["explain", "R02"]);
    assert_eq!(run.code, 2);
    let run = w.run(&["checks"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout
            .lines()
            .filter(|l| l.len() > 4 && l.as_bytes()[1].is_ascii_digit())
            .count(),
        46
    );
}

/// 10 000 rows are checked in several chunks as they stream (`ingest::sheet`): the row
/// checks give each problem its own row, the checks across rows see every chunk, and
/// `validate` (cores only) and `report` (full rows kept) agree on what is wrong.
#[test]
fn a_large_file_is_checked_across_chunks() {
    // Over 1 MiB: read on one thread and checked on another (the pipeline), in five chunks.
    const ROWS: u32 = 20_000;
    let w = Workdir::new();
    let mut csv = CONVENTION_HEADER.join(";") + "\n";
    for n in 1..=ROWS {
        let excel_row = n + 1;
        let id = match excel_row {
            6001 => "C-00001".to_string(),
            _ => format!("C-{n:05}"),
        };
        let parc = if excel_row == 5 { "XYZ" } else { "AVE" };
        let fin = if excel_row == 19_000 {
            "15/01/2019"
        } else {
            "31/12/2019"
        };
        csv += &format!("{id};Mares {n};locale;{parc};P-1;OS1;;;;01/02/2019;{fin};100;;;;soldée\n");
    }
    assert!(csv.len() > 1024 * 1024);
    w.write("depot/conventions.csv", csv);
    w.write(
        "depot/partenaires.csv",
        "id;nom;type\nP-1;Les Blongios;association\n",
    );

    let run = w.run(&["validate", "depot", "--year", "2019", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let ds = diagnostics(&run.stdout);
    let errors: Vec<(&str, &str)> = ds
        .iter()
        .filter(|d| d["severity"] == "erreur")
        .map(|d| (d["code"].as_str().unwrap(), d["cell"].as_str().unwrap()))
        .collect();
    assert_eq!(
        errors,
        [("R004", "D5"), ("R001", "A6001"), ("D001", "K19000")]
    );
    let r001 = find(&ds, "R001", "depot/conventions.csv", Some("A6001")).unwrap();
    assert_eq!(
        r001["hint"],
        "première occurrence : depot/conventions.csv, cellule A2"
    );

    let run = w.run(&[
        "report", "--input", "depot", "--output", "out", "--year", "2019",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let listed = read_excel_fr(&w.read("out/2019/conventions.csv"));
    assert_eq!(
        listed.len(),
        1 + ROWS as usize - 3,
        "the three rows in error are left out"
    );
    assert!(
        listed
            .iter()
            .any(|r| r.contains(&"Mares 19998".to_string()))
    );
    let anomalies = read_excel_fr(&w.read("out/2019/anomalies.csv"));
    let errors: Vec<(&str, &str)> = anomalies[1..]
        .iter()
        .filter(|r| r[1] == "erreur")
        .map(|r| (r[0].as_str(), r[5].as_str()))
        .collect();
    assert_eq!(
        errors,
        [("R004", "D5"), ("R001", "A6001"), ("D001", "K19000")]
    );
}

#[test]
fn diagnostics_give_the_header_as_the_depositor_typed_it() {
    // Headers typed by a person: a title row above, a line break in one, spaces around another.
    let w = Workdir::new();
    let typed = [
        "Identifiant",
        "Intitulé",
        "Échelle",
        "Parc",
        "Partenaires",
        "Objectifs",
        "Thématique",
        "Programme",
        "Date signature",
        "Date\ndébut",
        "  Date de fin ",
        "Montant total (€)",
        "Part Région",
        "FEDER",
        "Part autres",
        "Statut",
    ];
    let mut conventions = vec![
        text_row(&["Conventions 2019 du Parc"]),
        typed.map(C::S).to_vec(),
    ];
    // Signed after it started (D005, on date_signature) and a date that is not one (V002).
    conventions.push(convention_row("C-1", &[(8, "15/03/2019")]));
    conventions.push(convention_row("C-2", &[(9, "le 1er mars")]));
    workbook(
        &w.join("depot.xlsx"),
        &[
            ("Conventions", conventions),
            (
                "Partenaires",
                vec![
                    header(&["id", "nom", "type"]),
                    text_row(&["P-1", "Les Blongios", "association"]),
                ],
            ),
        ],
    );
    let run = w.run(&[
        "validate",
        "depot.xlsx",
        "--year",
        "2019",
        "--format",
        "csv",
    ]);
    let rows = read_excel_fr(run.stdout.as_bytes());
    assert_eq!(
        rows[0],
        [
            "code", "gravite", "message", "fichier", "feuille", "cellule", "ligne", "colonne",
            "en_tete", "valeur", "attendu", "aide"
        ]
    );
    let by_code = |code: &str| {
        rows.iter()
            .find(|r| r[0] == code)
            .unwrap_or_else(|| panic!("{code} in {rows:?}"))
    };
    let d005 = by_code("D005");
    assert_eq!(
        (&d005[5][..], &d005[7][..], &d005[8][..]),
        ("I3", "date_signature", "Date signature")
    );
    assert_eq!(
        d005[9], "15/03/2019",
        "valeur stays where it was, after en_tete"
    );
    let v002 = by_code("V002");
    assert_eq!(
        (&v002[5][..], &v002[7][..], &v002[8][..]),
        ("J4", "date_debut", "Date début")
    );
    // A diagnostic about no cell of a column has no header.
    let r005 = rows.iter().filter(|r| r[0] != "code" && r[5].is_empty());
    assert!(
        r005.clone().all(|r| r[8].is_empty()),
        "{:?}",
        r005.collect::<Vec<_>>()
    );

    let run = w.run(&[
        "validate",
        "depot.xlsx",
        "--year",
        "2019",
        "--format",
        "json",
    ]);
    let ds = diagnostics(&run.stdout);
    let d005 = ds.iter().find(|d| d["code"] == "D005").unwrap();
    assert_eq!(d005["column"], "date_signature");
    assert_eq!(d005["header"], "Date signature");
    assert_eq!(d005.as_object().unwrap().len(), 12, "{d005}");
    // In the text, after `column`.
    let squashed: String = run.stdout.split_whitespace().collect();
    assert!(
        squashed.contains("\"column\":\"date_signature\",\"header\":\"Datesignature\",\"value\""),
        "{}",
        run.stdout
    );

    // The report's anomalies.csv is the same table.
    w.write("input/depot.xlsx", w.read("depot.xlsx"));
    w.run(&["report", "--year", "2019"]);
    let anomalies = read_excel_fr(&w.read("output/2019/anomalies.csv"));
    assert_eq!(anomalies[0][8], "en_tete");
    assert!(
        anomalies
            .iter()
            .any(|r| r[0] == "V002" && r[8] == "Date début")
    );
}

#[test]
fn identifiers_saved_as_numbers_are_read_or_told_what_happened_to_them() {
    let w = Workdir::new();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("Partenaires").expect("sheet");
    for (c, h) in PARTNER_HEADER.iter().enumerate() {
        ws.write(0, c as u16, *h).expect("cell");
    }
    // Number cells, as Excel keeps a SIRET typed without the Text format.
    let rows: [(&str, f64, f64); 2] = [
        ("P-1", 73282932000074.0, 320000000.0),
        ("P-2", 5420224000013.0, 322408381.0),
    ];
    for (i, (id, siret, phone)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write(r, 0, *id).expect("cell");
        ws.write(r, 1, "Société d'études").expect("cell");
        ws.write(r, 2, "entreprise").expect("cell");
        ws.write(r, 3, *siret).expect("cell");
        ws.write(r, 5, "59000").expect("cell");
        ws.write(r, 8, *phone).expect("cell");
    }
    wb.save(w.join("partenaires.xlsx")).expect("save");
    let run = w.run(&["validate", "partenaires.xlsx", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let found: Vec<(&str, &str, &str)> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or(""),
                d["cell"].as_str().unwrap_or(""),
                d["hint"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "V008",
                "I2",
                "zéro initial perdu ? vouliez-vous dire 0320000000 ? (saisissez-le en texte)"
            ),
            (
                "V005",
                "D3",
                "vouliez-vous dire 05420224000013 ? (saisissez-le en texte pour garder le zéro)"
            ),
            (
                "V008",
                "I3",
                "zéro initial perdu ? vouliez-vous dire 0322408381 ? (saisissez-le en texte)"
            ),
        ],
        "in row order; P-1's SIRET, a number cell, is read: {}",
        run.stdout
    );

    // Excel's CSV of that number cell in the General format.
    w.write(
        "partenaires.csv",
        "id;nom;type;siret;code_postal\nP-1;Société d'études;entreprise;7,32829E+13;59000\n\
         P-2;Autre;entreprise;73282932000074.0;59000\n"
            .as_bytes(),
    );
    let run = w.run(&["validate", "partenaires.csv"]);
    assert!(
        run.stdout.contains(
            "erreur[V005]: SIRET/SIREN invalide « 7,32829E+13 » : écrit en notation \
             scientifique : Excel l'a arrondi, ses derniers chiffres sont perdus"
        ),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("cellule D3"),
        "a float's digits: {}",
        run.stdout
    );
}

#[test]
fn a_partner_cited_by_its_name_is_told_its_id() {
    let w = Workdir::new();
    w.write(
        "input/partenaires.csv",
        "id;nom;type;rna\nP-0042;Les Blongios;association;W595012345\n".as_bytes(),
    );
    w.write(
        "input/conventions.csv",
        "id;intitule;echelle;parc;partenaires;objectifs;date_debut;date_fin;montant_total;statut\n\
         C-1;Suivi;locale;AVE;LES BLONGIOS;OS1;01/02/2019;31/12/2019;100;soldée\n\
         C-2;Suivi;locale;AVE;P-0043;OS1;01/02/2019;31/12/2019;100;soldée\n"
            .as_bytes(),
    );
    let run = w.run(&["validate", "input"]);
    assert!(
        run.stdout.contains(
            "erreur[R002]: partenaire inconnu « LES BLONGIOS »\n  --> input/conventions.csv, \
             cellule E2\n  = attendu : l'id d'une ligne d'une feuille Partenaires\n  = aide : \
             c'est le nom du partenaire P-0042 : écrivez son identifiant, P-0042\n"
        ),
        "{}",
        run.stdout
    );
    // An id that names no partner keeps its nearest ids.
    assert!(
        run.stdout
            .contains("= aide : identifiants proches : P-0042"),
        "{}",
        run.stdout
    );
}

#[test]
fn vocabulary_words_are_read_in_either_gender() {
    let w = Workdir::new();
    w.write(
        "partenaires.csv",
        "id;nom;type;rna\nP-1;Les Blongios;association;W595012345\n".as_bytes(),
    );
    w.write(
        "conventions.csv",
        "id;intitule;echelle;parc;partenaires;objectifs;date_debut;date_fin;montant_total;statut\n\
         C-1;Suivi;Régional;;P-1;OS1;01/02/2019;31/12/2019;100;soldé\n\
         C-2;Suivi;local;AVE;P-1;OS1;01/02/2019;31/12/2019;100;Résilié\n\
         C-3;Suivi;locale;AVE;P-1;OS1;01/02/2019;31/12/2019;100;terminée\n"
            .as_bytes(),
    );
    let run = w.run(&["validate", ".", "--year", "2019", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let v003: Vec<&str> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "V003")
        .filter_map(|d| d["cell"].as_str())
        .collect();
    assert_eq!(v003, ["J4"], "only « terminée »: {}", run.stdout);
}

#[test]
fn codes_joined_otherwise_than_by_semicolons_are_told_how_to_write_them() {
    let w = Workdir::new();
    w.write(
        "partenaires.csv",
        "id;nom;type;rna\nP-1;A;association;W595012345\nP-2;B;association;W595012346\n".as_bytes(),
    );
    w.write(
        "conventions.csv",
        "id;intitule;echelle;parc;partenaires;objectifs;date_debut;date_fin;montant_total;statut\n\
         C-1;Suivi;locale;AVE;P-1 / P-2;OS1 et OS3;01/02/2019;31/12/2019;100;soldée\n\
         C-2;Suivi;locale;AVE;P-1;Objectif 2;01/02/2019;31/12/2019;100;soldée\n"
            .as_bytes(),
    );
    let run = w.run(&["validate", ".", "--year", "2019"]);
    for told in [
        "erreur[R002]: partenaire inconnu « P-1 / P-2 »\n  --> ./conventions.csv, cellule E2\n  \
         = attendu : l'id d'une ligne d'une feuille Partenaires\n  = aide : plusieurs \
         partenaires ? séparez-les par des points-virgules : P-1;P-2\n",
        "= aide : plusieurs objectifs ? séparez-les par des points-virgules : OS1;OS3\n",
    ] {
        assert!(run.stdout.contains(told), "{told}\n{}", run.stdout);
    }
    assert!(
        !run.stdout.contains("cellule F3"),
        "« Objectif 2 » is OS2: {}",
        run.stdout
    );
}

#[test]
fn a_date_that_does_not_exist_is_told_why() {
    let w = Workdir::new();
    w.write(
        "conventions.csv",
        "id;intitule;echelle;parc;partenaires;objectifs;date_debut;date_fin;montant_total;statut\n\
         C-1;Suivi;locale;AVE;P-1;OS1;29/02/2019;31/12/2019;100;soldée\n\
         C-2;Suivi;locale;AVE;P-1;OS1;02/01/2019;12/31/2019;100;soldée\n"
            .as_bytes(),
    );
    let run = w.run(&["validate", "conventions.csv", "--year", "2019"]);
    for told in [
        "erreur[V002]: « 29/02/2019 » n'est pas une date (jj/mm/aaaa) (colonne date_debut)\n  \
         --> conventions.csv, cellule G2\n  = attendu : une date (jj/mm/aaaa)\n  = aide : le 29 \
         février 2019 n'existe pas (2019 n'est pas bissextile) : le mois a 28 jours\n",
        "= aide : le mois vient d'abord, comme dans un logiciel en anglais : vouliez-vous dire \
         31/12/2019 ? (si tout le fichier est écrit ainsi, ses autres dates ont été lues le jour \
         d'abord : vérifiez-les)\n",
    ] {
        assert!(run.stdout.contains(told), "{told}\n{}", run.stdout);
    }
}

#[test]
fn codes_shown_with_their_leading_zeros_are_read_as_shown() {
    let w = Workdir::new();
    let mut wb = rust_xlsxwriter::Workbook::new();
    // Excel's « Code postal » format, and a SIRET given its fourteen digits the same way.
    let postal = rust_xlsxwriter::Format::new().set_num_format("00000");
    let siret = rust_xlsxwriter::Format::new().set_num_format("00000000000000");
    let ws = wb.add_worksheet().set_name("Partenaires").expect("sheet");
    for (c, h) in PARTNER_HEADER.iter().enumerate() {
        ws.write(0, c as u16, *h).expect("cell");
    }
    ws.write(1, 0, "P-1").expect("cell");
    ws.write(1, 1, "Aisne Nature").expect("cell");
    ws.write(1, 2, "entreprise").expect("cell");
    ws.write_with_format(1, 3, 5420224000013.0, &siret)
        .expect("cell");
    ws.write_with_format(1, 5, 2100.0, &postal).expect("cell");
    // The same numbers without the format: the zero is lost, and told.
    ws.write(2, 0, "P-2").expect("cell");
    ws.write(2, 1, "Autre").expect("cell");
    ws.write(2, 2, "entreprise").expect("cell");
    ws.write(2, 5, 2100.0).expect("cell");
    wb.save(w.join("partenaires.xlsx")).expect("save");
    let run = w.run(&["validate", "partenaires.xlsx", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let found: Vec<(&str, &str)> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or(""),
                d["cell"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(found, [("V007", "F3")], "{}", run.stdout);
}
