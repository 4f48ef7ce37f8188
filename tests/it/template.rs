//! `enrx template`: the workbook has the sheets, lists and notes, and a copy filled in
//! correctly passes `validate`.

use std::io::{Read, Write};

use crate::common::*;

fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("xlsx is a zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().expect("entry name").to_string(), data)
        })
        .collect()
}

/// Cells written into the sheet XML as a user's Excel would store them (inline strings, numbers).
fn xml_row(r: u32, cells: &[&str]) -> String {
    let mut s = format!("<row r=\"{r}\">");
    for (c, v) in cells.iter().enumerate() {
        if v.is_empty() {
            continue;
        }
        let col = (b'A' + c as u8) as char;
        if let Some(n) = v.strip_prefix('#') {
            s.push_str(&format!("<c r=\"{col}{r}\"><v>{n}</v></c>"));
        } else {
            s.push_str(&format!(
                "<c r=\"{col}{r}\" t=\"inlineStr\"><is><t>{v}</t></is></c>"
            ));
        }
    }
    s + "</row>"
}

/// The template with rows added to its sheets (sheet2 = Conventions, sheet3 = Partenaires,
/// sheet4 = Indicateurs), rezipped.
fn fill(template: &[u8]) -> Vec<u8> {
    let conventions = [
        xml_row(
            2,
            &[
                "C-2020-001",
                "Animation des mares",
                "locale",
                "AVE",
                "P-0001",
                "OS1;OS3",
                "biodiversité",
                "",
                "#43831",
                "#43862",
                "#44196",
                "#12500.5",
                "#6000",
                "",
                "",
                "soldée",
            ],
        ),
        xml_row(
            3,
            &[
                "C-2020-002",
                "Appui au Parc",
                "territoriale",
                "AVE",
                "P-0002",
                "OS1",
                "",
                "",
                "#43800",
                "#43831",
                "#44196",
                "#150000",
                "#90000",
                "",
                "",
                "soldée",
            ],
        ),
    ]
    .concat();
    let partners = [
        xml_row(
            2,
            &[
                "P-0001",
                "Les Blongios",
                "association",
                "",
                "W595012345",
                "59000",
                "Lille",
                "contact@blongios.fr",
                "03 20 00 00 00",
            ],
        ),
        xml_row(
            3,
            &[
                "P-0002",
                "Parc naturel régional de l'Avesnois",
                "parc",
                "73282932000074",
                "",
                "59550",
                "Maroilles",
                "",
                "",
            ],
        ),
    ]
    .concat();
    let indicators = xml_row(2, &["OS1-I2", "#2020", "#11", "AVE", "journées d'échange"]);
    let mut out = Vec::new();
    {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
        for (name, data) in entries(template) {
            let add = match name.as_str() {
                "xl/worksheets/sheet2.xml" => Some(&conventions),
                "xl/worksheets/sheet3.xml" => Some(&partners),
                "xl/worksheets/sheet4.xml" => Some(&indicators),
                _ => None,
            };
            let data = match add {
                Some(rows) => String::from_utf8(data)
                    .unwrap()
                    .replace("</sheetData>", &format!("{rows}</sheetData>"))
                    .into_bytes(),
                None => data,
            };
            zip.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(&data).unwrap();
        }
        zip.finish().unwrap();
    }
    out
}

#[test]
fn template_has_sheets_lists_and_notes() {
    let w = Workdir::new();
    let run = w.run(&["template", "-o", "modele.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = entries(&w.read("modele.xlsx"));
    let workbook = String::from_utf8(
        files
            .iter()
            .find(|(n, _)| n == "xl/workbook.xml")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    for sheet in [
        "Instructions",
        "Conventions",
        "Partenaires",
        "Indicateurs",
        "Listes",
    ] {
        assert!(workbook.contains(&format!("name=\"{sheet}\"")), "{sheet}");
    }
    let conventions = String::from_utf8(
        files
            .iter()
            .find(|(n, _)| n == "xl/worksheets/sheet2.xml")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    assert!(
        conventions.contains("<pane ySplit=\"1\""),
        "header row frozen"
    );
    assert!(conventions.contains("<dataValidation"), "drop-down lists");
    assert!(
        conventions.contains("Listes!$A$2:$A$6"),
        "échelle list from the hidden sheet"
    );
    assert!(
        files.iter().any(|(n, _)| n.starts_with("xl/comments")),
        "notes on headers"
    );
    // The template itself validates: sheets without rows are only warnings.
    let run = w.run(&["validate", "modele.xlsx", "--year", "2020"]);
    assert!(!run.stdout.contains("erreur["), "{}", run.stdout);
}

#[test]
fn a_filled_template_passes_validate() {
    let w = Workdir::new();
    assert_eq!(w.run(&["template", "-o", "modele.xlsx"]).code, 0);
    w.write("rempli.xlsx", fill(&w.read("modele.xlsx")));
    let run = w.run(&[
        "validate",
        "rempli.xlsx",
        "--year",
        "2020",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["resume"]["erreurs"], 0, "{}", run.stdout);
    assert_eq!(v["resume"]["lignes"], 5);
}

#[test]
fn completions_print_a_script() {
    let w = Workdir::new();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = w.run(&["completions", shell]);
        assert_eq!(run.code, 0);
        assert!(
            run.stdout.contains("validate") && run.stdout.contains("report"),
            "{shell}"
        );
    }
}

#[test]
fn template_headers_are_the_labels_people_expect() {
    use calamine::{Reader, Xlsx};
    use enrx::ingest::columns::match_header;
    use enrx::model::SheetKind;
    use enrx::model::schema::specs;

    let w = Workdir::new();
    assert_eq!(w.run(&["template", "-o", "modele.xlsx"]).code, 0);
    let bytes = w.read("modele.xlsx");
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone()))
        .expect("template opens");
    for kind in SheetKind::ALL {
        let range = book.worksheet_range(kind.name()).expect("sheet");
        let headers: Vec<String> = (0..specs(kind).len())
            .map(|c| {
                range
                    .get_value((0, c as u32))
                    .map(|v| v.to_string())
                    .unwrap_or_default()
            })
            .collect();
        for (c, spec) in specs(kind).iter().enumerate() {
            assert_eq!(headers[c], spec.label, "{kind:?} column {c}");
            assert_eq!(
                match_header(kind, &headers[c]),
                Some(c),
                "« {} » is read as {}",
                headers[c],
                spec.name
            );
        }
    }
    let files = entries(&bytes);
    let text = |name: &str| {
        String::from_utf8(files.iter().find(|(n, _)| n == name).unwrap().1.clone()).unwrap()
    };
    assert!(text("xl/worksheets/sheet2.xml").contains("<c r=\"A1\""));
    for expected in ["Montant total (€)", "Part Région (€)", "Date de début"] {
        assert!(
            text("xl/sharedStrings.xml").contains(expected),
            "{expected}"
        );
    }
    // The canonical name is in the header's note.
    let notes: String = files
        .iter()
        .filter(|(n, _)| n.starts_with("xl/comments"))
        .map(|(_, d)| String::from_utf8_lossy(d).into_owned())
        .collect();
    assert!(notes.contains("messages d'enrx : date_debut"), "{notes}");
    assert!(notes.contains("messages d'enrx : montant_total"), "{notes}");
    // A valid OOXML number format (en-US syntax), shown « 1 234,50 € » by French Excel.
    let styles = text("xl/styles.xml");
    assert!(styles.contains("formatCode=\"#,##0.00 €\""), "{styles}");
    assert!(!styles.contains("# ##0,00"), "{styles}");
}

#[test]
fn template_prints_on_few_pages_with_nothing_cut() {
    let w = Workdir::new();
    assert_eq!(w.run(&["template", "-o", "modele.xlsx"]).code, 0);
    let files = entries(&w.read("modele.xlsx"));
    let text = |name: &str| {
        String::from_utf8(files.iter().find(|(n, _)| n == name).unwrap().1.clone()).unwrap()
    };
    // The data sheets: landscape, one page wide, the header row on every page.
    for sheet in 2..=4 {
        let xml = text(&format!("xl/worksheets/sheet{sheet}.xml"));
        assert!(xml.contains("orientation=\"landscape\""), "sheet{sheet}");
        assert!(
            xml.contains("<pageSetUpPr fitToPage=\"1\"/>"),
            "sheet{sheet}"
        );
        assert!(xml.contains("fitToHeight=\"0\""), "sheet{sheet}");
    }
    let workbook = text("xl/workbook.xml");
    assert_eq!(
        workbook.matches("_xlnm.Print_Titles").count(),
        3,
        "{workbook}"
    );
    for sheet in ["Conventions", "Partenaires", "Indicateurs"] {
        assert!(workbook.contains(&format!("{sheet}!$1:$1")), "{sheet}");
    }
    // The instructions: wrapped in one column, each row as high as its text.
    let instructions = text("xl/worksheets/sheet1.xml");
    assert!(
        instructions.contains("customHeight=\"1\""),
        "{instructions}"
    );
    assert!(!instructions.contains("r=\"B"), "one column only");
    assert!(text("xl/styles.xml").contains("wrapText=\"1\""));

    let Some(pdf) = crate::office::print_to_pdf(&w.join("modele.xlsx")) else {
        return;
    };
    if !crate::pdf_tools::tool("pdftotext") {
        return;
    }
    let printed = crate::pdf_tools::pdftotext(&pdf, None);
    // One page of instructions and one per data sheet (was 11, the instructions cut).
    assert_eq!(crate::office::pages(&printed), 4, "{printed}");
    // Every word of the instructions is on paper, the end of each line too (compared without
    // spaces and punctuation: pdftotext joins the words LibreOffice broke at a hyphen).
    let squash = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
    };
    let on_paper = squash(&crate::pdf_tools::pdftotext(&pdf, Some(1)));
    for expected in [
        "enrx validate mon-fichier.xlsx",
        "doivent être remplies.",
        "pour les échelles nationale et européenne.",
        "(P-0001;P-0002).",
        "ces colonnes sont en format Texte.",
        "citez son identifiant.",
        "(et par Parc si besoin).",
        "au-dessus des en-têtes.",
        "indique la cellule et la correction.",
        "Région Hauts-de-France 2018/2021",
    ] {
        assert!(
            on_paper.contains(&squash(expected)),
            "« {expected} » not printed:\n{on_paper}"
        );
    }
    for label in [
        "Identifiant",
        "Montant total",
        "Statut",
        "Téléphone",
        "Commentaire",
    ] {
        assert!(printed.contains(label), "{label}");
    }
}

/// One value per column, valid and recognisable, as a person types it (text cells).
fn sample_value(name: &str) -> &'static str {
    match name {
        "id" => "X-1",
        "intitule" => "Inventaire des mares",
        "echelle" => "locale",
        "parc" => "AVE",
        "partenaires" => "P-9",
        "objectifs" => "OS2",
        "thematique" => "biodiversité",
        "programme" => "",
        "date_signature" => "05/01/2020",
        "date_debut" => "01/02/2020",
        "date_fin" => "31/12/2020",
        "montant_total" => "9000",
        "part_region" => "4000",
        "part_europe" => "1000",
        "part_autres" => "500",
        "statut" => "en cours",
        "nom" => "Les Blongios",
        "type" => "association",
        "siret" => "",
        "rna" => "W595012345",
        "code_postal" => "59000",
        "commune" => "Lille",
        "email" => "contact@blongios.fr",
        "telephone" => "03 20 00 00 00",
        "indicateur" => "OS1-I2",
        "annee" => "2020",
        "valeur" => "4",
        "commentaire" => "ras",
        other => panic!("no sample value for the column {other}: add one"),
    }
}

/// Every column of the schema goes through the template's header (which matches it back), the
/// typing of a row filled under that header, and `conventions.csv`: a column added to the
/// schema and forgotten somewhere fails here.
#[test]
fn every_schema_column_round_trips_through_template_typing_and_conventions_csv() {
    use calamine::{Reader, Xlsx};
    use enrx::ingest::columns::match_header;
    use enrx::model::SheetKind;
    use enrx::model::schema::specs;

    let w = Workdir::new();
    assert_eq!(w.run(&["template", "-o", "modele.xlsx"]).code, 0);
    let mut book: Xlsx<_> = calamine::open_workbook(w.join("modele.xlsx")).expect("template");
    let mut sheets = Vec::new();
    for kind in SheetKind::ALL {
        let range = book
            .worksheet_range(kind.name())
            .expect("sheet of the template");
        let headers: Vec<String> = (0..range.width())
            .map(|c| range.get((0, c)).map(|v| v.to_string()).unwrap_or_default())
            .collect();
        assert_eq!(
            headers.len(),
            specs(kind).len(),
            "{kind:?}: one header per column"
        );
        for (i, (header, spec)) in headers.iter().zip(specs(kind)).enumerate() {
            assert_eq!(
                match_header(kind, header),
                Some(i),
                "{kind:?}: « {header} » is {}",
                spec.name
            );
        }
        let values: Vec<&str> = specs(kind)
            .iter()
            .map(|s| match (kind, s.name) {
                (SheetKind::Partenaires, "id") => "P-9",
                (_, name) => sample_value(name),
            })
            .collect();
        let header_cells: Vec<C> = headers.into_iter().map(C::T).collect();
        sheets.push((kind.name(), vec![header_cells, text_row(&values)]));
    }
    workbook(&w.join("input/rempli.xlsx"), &sheets);
    let check = w.run(&["validate", "input", "--year", "2020", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&check.stdout).expect("json");
    let errors: Vec<&serde_json::Value> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "erreur")
        .collect();
    assert!(
        errors.is_empty(),
        "every column typed without error: {errors:?}"
    );
    assert_eq!(w.run(&["report", "--year", "2020", "-q"]).code, 0);
    let rows = read_excel_fr(&w.read("output/2020/conventions.csv"));
    let (header, row) = (&rows[0], &rows[1]);
    // Columns the list shows otherwise: the parts annualised, the signature date not at all.
    let elsewhere = [
        "date_signature",
        "part_region",
        "part_europe",
        "part_autres",
    ];
    for spec in specs(SheetKind::Conventions) {
        match header.iter().position(|h| h == spec.name) {
            Some(i) => {
                let expected = match spec.name {
                    "montant_total" => "9000,00",
                    "partenaires" => "P-9",
                    name => sample_value(name),
                };
                assert_eq!(row[i], expected, "conventions.csv, column {}", spec.name);
            }
            None => assert!(
                elsewhere.contains(&spec.name),
                "{} is not in conventions.csv",
                spec.name
            ),
        }
    }
}
