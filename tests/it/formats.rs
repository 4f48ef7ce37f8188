//! Every input format, as other software writes it: xls (Excel 97-2003), xlsm, xlsx in the
//! 1904 date system, ODS and CSV variants.

use crate::common::*;

#[test]
fn legacy_xls_is_read_with_its_dates_and_amounts() {
    let w = Workdir::new();
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ancien-format.xls");
    std::fs::create_dir_all(w.join("input")).unwrap();
    std::fs::copy(fixture, w.join("input/ancien-format.xls")).unwrap();
    let run = w.run(&["validate", "input/ancien-format.xls"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("1 fichier lu, 3 lignes de données"),
        "{}",
        run.stdout
    );
    w.run(&["report", "--year", "2020"]);
    let rows = read_excel_fr(&w.read("output/2020/conventions.csv"));
    let x1 = rows.iter().find(|r| r[0] == "X-1").expect("X-1");
    assert_eq!(
        (
            x1[3].as_str(),
            x1[5].as_str(),
            x1[8].as_str(),
            x1[11].as_str()
        ),
        ("AVE", "OS1;OS3", "01/01/2020", "12000,50")
    );
    let x2 = rows.iter().find(|r| r[0] == "X-2").expect("X-2");
    assert_eq!(
        (x2[3].as_str(), x2[5].as_str()),
        ("AVE", "OS2"),
        "parc by name, objective by number"
    );
    assert_eq!(
        rows.last().unwrap().last().unwrap(),
        "5",
        "Excel row number below the title rows"
    );
}

#[test]
fn xlsm_is_read_like_xlsx() {
    let w = Workdir::new();
    workbook(
        &w.join("depot.xlsm"),
        &[(
            "Conventions",
            vec![
                header(&CONVENTION_HEADER),
                convention_row(
                    "C-1",
                    &[
                        (2, "régionale"),
                        (3, ""),
                        (8, "01/01/2020"),
                        (9, "01/01/2020"),
                        (10, "31/12/2020"),
                    ],
                ),
            ],
        )],
    );
    let run = w.run(&["validate", "depot.xlsm", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["resume"]["lignes"], 1);
    // The partner is in no file: the only error.
    assert_eq!(v["diagnostics"][0]["code"], "R002");
}

/// A minimal xlsx in the 1904 date system whose dates are bare serial numbers.
fn xlsx_1904() -> Vec<u8> {
    let conventions = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>intitule</t></is></c><c r="C1" t="inlineStr"><is><t>echelle</t></is></c><c r="D1" t="inlineStr"><is><t>partenaires</t></is></c><c r="E1" t="inlineStr"><is><t>objectifs</t></is></c><c r="F1" t="inlineStr"><is><t>date_debut</t></is></c><c r="G1" t="inlineStr"><is><t>date_fin</t></is></c><c r="H1" t="inlineStr"><is><t>montant_total</t></is></c><c r="I1" t="inlineStr"><is><t>statut</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>C-1904</t></is></c><c r="B2" t="inlineStr"><is><t>Mac</t></is></c><c r="C2" t="inlineStr"><is><t>régionale</t></is></c><c r="D2" t="inlineStr"><is><t>P-1</t></is></c><c r="E2" t="inlineStr"><is><t>OS1</t></is></c><c r="F2"><v>42035</v></c><c r="G2"><v>42368</v></c><c r="H2"><v>1000</v></c><c r="I2" t="inlineStr"><is><t>soldée</t></is></c></row>
</sheetData></worksheet>"#;
    let entries: Vec<(&str, String)> = vec![
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.into()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="1"/><sheets><sheet name="Conventions" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.into()),
        ("xl/worksheets/sheet1.xml", conventions.into()),
    ];
    let entries: Vec<(&str, &[u8])> = entries.iter().map(|(n, d)| (*n, d.as_bytes())).collect();
    zip_of(&entries)
}

#[test]
fn dates_of_the_1904_system() {
    let w = Workdir::new();
    w.write("input/mac.xlsx", xlsx_1904());
    w.write(
        "input/partenaires.csv",
        "id;nom;type\nP-1;Région;collectivité\n",
    );
    w.run(&["report", "--bilan"]);
    let rows = read_excel_fr(&w.read("output/bilan-2018-2021/conventions.csv"));
    // 42035 and 42368 are 01/02/2019 and 31/12/2019 counted from 01/01/1904 (1 462 days later than in the 1900 system).
    assert_eq!(
        (rows[1][8].as_str(), rows[1][9].as_str()),
        ("01/02/2019", "31/12/2019")
    );
}

#[test]
fn csv_variants_utf8_bom_comma_tab() {
    let w = Workdir::new();
    w.write(
        "a-partenaires.csv",
        "\u{feff}id,nom,type\r\nP-1,\"Les Blongios, asso\",association\r\n",
    );
    w.write(
        "b-partenaires.csv",
        "id\tnom\ttype\nP-2\tCPIE\tassociation\n",
    );
    w.write(
        "c-partenaires.csv",
        b"id;nom;type\r\nP-3;Soci\xe9t\xe9 d'\xe9tudes;association\r\n",
    );
    let run = w.run(&[
        "validate",
        "a-partenaires.csv",
        "b-partenaires.csv",
        "c-partenaires.csv",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["resume"]["lignes"], 3, "{}", run.stdout);
    let codes = codes(&v);
    assert!(codes.contains(&"F004"), "the Windows-1252 file is said so");
    assert!(
        !codes.contains(&"S001") && !codes.contains(&"V001"),
        "{codes:?}"
    );
    w.run(&[
        "validate",
        "c-partenaires.csv",
        "--format",
        "csv",
        "-o",
        "out.csv",
    ]);
}

/// Excel's « Texte Unicode » (UTF-16 little endian with its byte order mark, tabs) saved
/// under a .csv name, and its big-endian twin: read as text, its accents whole, no F004.
#[test]
fn csv_in_utf16_with_its_byte_order_mark() {
    let w = Workdir::new();
    let text = "id\tnom\ttype\r\nP-1\tSociété d'études\tassociation\r\n";
    let utf16 = |big_endian: bool| -> Vec<u8> {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            bytes.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        bytes
    };
    w.write("le-partenaires.csv", utf16(false));
    w.write("be-partenaires.csv", utf16(true));
    for file in ["le-partenaires.csv", "be-partenaires.csv"] {
        let run = w.run(&["validate", file, "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(v["resume"]["lignes"], 1, "{file}: {}", run.stdout);
        let codes = codes(&v);
        for code in ["F001", "F004", "S001", "V001", "V002"] {
            assert!(!codes.contains(&code), "{file}: {code} in {codes:?}");
        }
    }
    // The annotated copy reads it the same way: the name with its accents, at its cell.
    let run = w.run(&["validate", "le-partenaires.csv", "--annoter", "copies"]);
    assert!(run.code <= 1, "{}{}", run.stdout, run.stderr);
    let copy = w.join("copies/le-partenaires-annote.xlsx");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&copy).unwrap();
    let names = calamine::Reader::sheet_names(&book);
    let at_its_cell = names.iter().any(|name| {
        calamine::Reader::worksheet_range(&mut book, name).is_ok_and(|range| {
            range.get_value((1, 1)).map(|c| c.to_string()).as_deref() == Some("Société d'études")
        })
    });
    assert!(at_its_cell, "B2 of the data sheet among {names:?}");
}

#[test]
fn sample_ods_is_read() {
    let w = Workdir::new();
    w.copy_sample_input();
    let run = w.run(&[
        "validate",
        "input/pnr-caps-marais-opale.ods",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["resume"]["lignes"], 55);
}

/// What `validate` finds in one file: (code, cell) in order, and the rows read.
fn findings(w: &Workdir, file: &str) -> (Vec<(String, String)>, serde_json::Value) {
    let run = w.run(&["validate", file, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", run.stdout, run.stderr));
    let found = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| (d["code"].to_string(), d["cell"].to_string()))
        .collect();
    (found, v["resume"]["lignes"].clone())
}

#[test]
fn a_file_is_read_as_what_it_holds_whatever_its_extension() {
    let w = Workdir::new();
    w.copy_sample_input();
    // Workbooks renamed to another workbook's extension.
    for (original, renamed) in [
        ("pnr-scarpe-escaut.xlsx", "scarpe.ods"),
        ("pnr-caps-marais-opale.ods", "caps.xlsx"),
        ("pnr-baie-de-somme-2021.csv", "baie.xls"),
    ] {
        std::fs::copy(w.join("input").join(original), w.join(renamed)).expect("copy");
        let input = format!("input/{original}");
        let (expected, rows) = findings(&w, &input);
        assert!(rows.as_u64().is_some_and(|n| n > 0), "{original}");
        let (found, rows_renamed) = findings(&w, renamed);
        assert_eq!(rows_renamed, rows, "{renamed}");
        assert_eq!(found, expected, "{renamed} reads as {original}");
    }
    // Tab-separated text saved as .xls, as applications' « export Excel » do.
    w.write(
        "export.xls",
        "id\tnom\ttype\trna\nP-1\tLes Blongios\tassociation\tW595012340\n".as_bytes(),
    );
    let (found, rows) = findings(&w, "export.xls");
    assert_eq!(rows, 1);
    assert!(found.is_empty(), "{found:?}");
    // Text with no table in it under a workbook's name (an error page a browser saved) is
    // no workbook.
    w.write(
        "telechargement.xlsx",
        br#"{"error":"Not Found","status":404}"#,
    );
    let run = w.run(&["validate", "telechargement.xlsx"]);
    assert!(
        run.stdout.contains(
            "erreur[F001]: fichier illisible : ce n'est pas un classeur xlsx valide : c'est un \
             fichier texte, sans tableau reconnu"
        ),
        "{}",
        run.stdout
    );
    // A web page saved as .xls is told to be one, and how to make it a workbook.
    w.write(
        "page.xls",
        b"<html><body><table><tr><td>id</td><td>nom</td></tr></table></body></html>",
    );
    let run = w.run(&["validate", "page.xls"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains(
            "erreur[F001]: fichier illisible : c'est une page web (HTML) et non un tableur"
        ),
        "{}",
        run.stdout
    );
    // The annotated copy of a renamed workbook is made from what it holds.
    let run = w.run(&["validate", "scarpe.ods", "--annoter", "annotes"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let copy = w.join("annotes/scarpe-annote.xlsx");
    let (found, _) = findings(&w, "annotes/scarpe-annote.xlsx");
    let (expected, _) = findings(&w, "input/pnr-scarpe-escaut.xlsx");
    assert!(copy.is_file());
    assert_eq!(found, expected, "the copy reads as the original");
}
