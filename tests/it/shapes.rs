//! Workbooks shaped the way officers shape them (issue 14): a total row under the data, a note
//! under the table, dates written in words, merged cells, hidden rows. Each shape is read as
//! the screen shows it, with one info (or a warning when a total does not add up), never as a
//! row of errors.

use std::path::{Path, PathBuf};
use std::process::Command;

use rust_xlsxwriter::{Format, Formula, Workbook};
use serde_json::Value;

use crate::common::*;

fn diagnostics(run: &Run) -> Vec<Value> {
    let v: Value = serde_json::from_str(&run.stdout).expect("JSON output");
    v["diagnostics"].as_array().expect("diagnostics").clone()
}

/// (code, cell) of every diagnostic, in the output's order.
fn codes(ds: &[Value]) -> Vec<(String, String)> {
    ds.iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["cell"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn partners_csv(w: &Workdir) {
    w.write(
        "input/partenaires.csv",
        "id;nom;type;rna\nP-1;Les Blongios;association;W595012345\n",
    );
}

/// A CSV file as French Excel saves a sheet with a total row, a note under it, and dates as
/// the cells showed them (`j-mmm-aa`, in words).
#[test]
fn a_csv_with_a_total_row_a_note_and_dates_in_words() {
    let w = Workdir::new();
    partners_csv(&w);
    let header = CONVENTION_HEADER.join(";");
    w.write(
        "input/conventions.csv",
        format!(
            "{header}\n\
             C-1;Mares;locale;AVE;P-1;OS1;;;;1er février 2019;15-déc.-19;100;;;;soldée\n\
             C-2;Haies;locale;AVE;P-1;OS1;;;;3 sept. 2019;31 décembre 2019;250,50;;;;soldée\n\
             C-3;Vergers;locale;AVE;P-1;OS1;;;;février 2019;31/12/2019;10;;;;soldée\n\
             Total;;;;;;;;;;;350,50;;;;\n\
             ;;;;;;;;;;;;;;;\n\
             Données provisoires au 15/01;;;;;;;;;;;;;;;\n"
        ),
    );
    let run = w.run(&[
        "validate",
        "input/conventions.csv",
        "input/partenaires.csv",
        "--year",
        "2019",
        "--format",
        "json",
    ]);
    let ds = diagnostics(&run);
    let found = codes(&ds);
    assert_eq!(
        found,
        [
            ("V002".into(), "J4".into()),
            ("S006".into(), "A5".into()),
            ("S007".into(), "L5".into()),
            ("S009".into(), "A7".into()),
        ],
        "{}",
        run.stdout
    );
    assert_eq!(ds[0]["value"], "février 2019", "a month is not a day");
    assert_eq!(
        ds[1]["message"],
        "ligne de total « Total » laissée hors des données"
    );
    assert_eq!(ds[1]["severity"], "info");
    assert_eq!(
        ds[2]["message"],
        "le total 350,50\u{a0}€ ne correspond pas à la somme des lignes, 360,50\u{a0}€ : \
         une ligne est peut-être hors de la formule"
    );
    assert_eq!(ds[2]["severity"], "avertissement");
    assert_eq!(ds[2]["hint"], "écart de \u{2212}10,00\u{a0}€");
    assert_eq!(ds[3]["value"], "Données provisoires au 15/01");
    assert_eq!(run.code, 1, "C-3's date is still an error");

    w.run(&["report", "--year", "2019"]);
    let rows = read_excel_fr(&w.read("output/2019/conventions.csv"));
    let dates: Vec<(&str, &str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[8].as_str(), r[9].as_str()))
        .collect();
    assert_eq!(
        dates,
        [
            ("C-1", "01/02/2019", "15/12/2019"),
            ("C-2", "03/09/2019", "31/12/2019")
        ]
    );
}

/// The same total, right: an info and no warning; subtotals and a grand total add up too.
#[test]
fn totals_and_subtotals_that_add_up() {
    let w = Workdir::new();
    partners_csv(&w);
    let header = CONVENTION_HEADER.join(";");
    let row = |id: &str, amount: &str| {
        format!("{id};x;locale;AVE;P-1;OS1;;;;01/02/2019;31/12/2019;{amount};;;;soldée\n")
    };
    w.write(
        "input/conventions.csv",
        format!(
            "{header}\n{}{}Sous-total AVE;;;;;;;;;;;300;;;;\n{}SOUS-TOTAL CMO;;;;;;;;;;;=L6;;;;\n\
             ;TOTAL GÉNÉRAL;;;;;;;;;;1 300,00 €;;;;\n",
            row("C-1", "100"),
            row("C-2", "200"),
            row("C-3", "1000"),
        ),
    );
    let run = w.run(&[
        "validate",
        "input/conventions.csv",
        "input/partenaires.csv",
        "--format",
        "json",
    ]);
    assert_eq!(
        codes(&diagnostics(&run)),
        [
            ("S006".into(), "A4".into()),
            ("S006".into(), "A6".into()),
            ("S006".into(), "B7".into()),
        ],
        "{}",
        run.stdout
    );
    assert_eq!(run.code, 0);
}

/// The classic: a row added below the range of `=SUM(L2:L3)`, in a workbook whose formulas
/// carry their computed values (as Excel and LibreOffice save them).
#[test]
fn an_xlsx_total_row_whose_formula_misses_a_row() {
    let w = Workdir::new();
    partners_csv(&w);
    let path = w.join("input/parc.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Conventions").unwrap();
    write_rows(
        ws,
        &[
            header(&CONVENTION_HEADER),
            convention_row("C-1", &[]),
            convention_row("C-2", &[]),
            convention_row("C-3", &[]),
        ],
    );
    for (row, amount) in [(1, 100.0), (2, 200.0), (3, 300.0)] {
        ws.write_number(row, 11, amount).unwrap();
    }
    ws.write(4, 0, "Total").unwrap();
    ws.write_formula(4, 11, Formula::new("=SUM(L2:L3)").set_result("300"))
        .unwrap();
    wb.save(&path).unwrap();
    let run = w.run(&[
        "validate",
        "input/parc.xlsx",
        "input/partenaires.csv",
        "--format",
        "json",
    ]);
    let ds = diagnostics(&run);
    assert_eq!(
        codes(&ds),
        [("S006".into(), "A5".into()), ("S007".into(), "L5".into())],
        "{}",
        run.stdout
    );
    assert_eq!(
        ds[1]["expected"],
        "600,00\u{a0}€, la somme des lignes 2 à 4"
    );
    assert_eq!(run.code, 0, "a warning");
}

/// A workbook of conventions as an officer shapes it: « Parc » merged over the five rows of
/// one Parc and « Statut » over the rows that share it, a total row below them with
/// `=SUM(L2:L6)` (no cached value: a re-save computes it).
fn merged_workbook(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Conventions").unwrap();
    let mut rows = vec![header(&CONVENTION_HEADER)];
    for n in 1..=5 {
        let id: &'static str = Box::leak(format!("C-{n}").into_boxed_str());
        let mut r = convention_row(id, &[(3, ""), (15, "")]);
        r[11] = C::Empty;
        rows.push(r);
    }
    rows.push(convention_row("C-6", &[(3, "CMO")]));
    write_rows(ws, &rows);
    for row in 1..=6u32 {
        ws.write_number(row, 11, 100.0 * f64::from(row)).unwrap();
    }
    let plain = Format::new();
    ws.merge_range(1, 3, 5, 3, "AVE", &plain).unwrap();
    ws.merge_range(1, 15, 3, 15, "soldée", &plain).unwrap();
    ws.merge_range(4, 15, 6, 15, "soldée", &plain).unwrap();
    ws.write(7, 0, "Total").unwrap();
    ws.write_formula(7, 11, "=SUM(L2:L7)").unwrap();
    wb.save(path).unwrap();
}

/// What the merged workbook gives, whatever the format it is read in.
fn assert_merges_read(w: &Workdir, file: &str, total_computed: bool) {
    let run = w.run(&[
        "validate",
        file,
        "input/partenaires.csv",
        "--format",
        "json",
    ]);
    let ds = diagnostics(&run);
    let mut expected: Vec<(String, String)> = vec![
        ("S005".into(), "D2".into()),
        ("S005".into(), "P2".into()),
        ("S005".into(), "P5".into()),
        ("S006".into(), "A8".into()),
    ];
    if !total_computed {
        expected.push(("S007".into(), "L8".into()));
    }
    assert_eq!(codes(&ds), expected, "{}", run.stdout);
    assert_eq!(
        ds[0]["message"],
        "cellule fusionnée D2:D6 : « AVE » repris sur 5 lignes ; mieux vaut défusionner et recopier"
    );
    assert_eq!(run.code, 0);
    // The parc is in the figures: five conventions of the Avesnois, one of the Caps et Marais.
    w.run(&["report", "--input", "input", "--year", "2019"]);
    let rows = read_excel_fr(&w.read("output/2019/conventions.csv"));
    let parcs: Vec<&str> = rows[1..].iter().map(|r| r[3].as_str()).collect();
    assert_eq!(parcs, ["AVE", "AVE", "AVE", "AVE", "AVE", "CMO"]);
}

/// LibreOffice converts `source` to `format` (`xls`, `xlsx`: a re-save computes formulas),
/// written in `out_dir`; `None`, with a notice, where soffice is not installed.
fn soffice_convert(source: &Path, format: &str, out_dir: &Path) -> Option<PathBuf> {
    if Command::new("soffice").arg("--version").output().is_err() {
        eprintln!("soffice absent: the LibreOffice-saved workbook checks are skipped");
        return None;
    }
    std::fs::create_dir_all(out_dir).unwrap();
    // A profile of its own: two soffice processes sharing one would wait on each other. It
    // recalculates an xlsx's formulas on load, as a person's re-save computes them.
    let profile = out_dir.join(".soffice-profile");
    std::fs::create_dir_all(profile.join("user")).unwrap();
    std::fs::write(
        profile.join("user/registrymodifications.xcu"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
    )
    .unwrap();
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--calc", "--convert-to", format, "--outdir"])
        .arg(out_dir)
        .arg(source)
        .output()
        .expect("soffice");
    let stem = source.file_stem().unwrap().to_string_lossy();
    let converted = out_dir.join(format!("{stem}.{format}"));
    assert!(
        out.status.success() && converted.is_file(),
        "soffice could not convert {}: {}",
        source.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(profile).ok();
    Some(converted)
}

/// Merged cells as Excel 97-2003 keeps them (the reader knows them before the rows: each
/// covered cell takes the value), with the total computed by LibreOffice.
#[test]
fn merged_cells_in_an_xls_saved_by_libreoffice() {
    let w = Workdir::new();
    partners_csv(&w);
    merged_workbook(&w.join("made/parc.xlsx"));
    let Some(xls) = soffice_convert(&w.join("made/parc.xlsx"), "xls", &w.join("input")) else {
        return;
    };
    assert!(xls.ends_with("input/parc.xls"));
    assert_merges_read(&w, "input/parc.xls", true);
}

/// The same workbook as xlsx: merges come after the cells in the file, so the rows are
/// checked before they are known, and corrected after.
#[test]
fn merged_cells_in_an_xlsx() {
    let w = Workdir::new();
    partners_csv(&w);
    merged_workbook(&w.join("input/parc.xlsx"));
    // rust_xlsxwriter leaves the SUM without a value: 0 (or V009 once formulas without a
    // value are told apart), so the total does not match.
    assert_merges_read(&w, "input/parc.xlsx", false);
}

/// A row hidden to « delete » it still counts, and the officer is told so.
#[test]
fn hidden_rows_and_columns_in_an_xlsx() {
    let w = Workdir::new();
    partners_csv(&w);
    let path = w.join("input/parc.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Conventions").unwrap();
    write_rows(
        ws,
        &[
            header(&CONVENTION_HEADER),
            convention_row("C-1", &[]),
            convention_row("C-2", &[]),
            convention_row("C-3", &[]),
        ],
    );
    ws.set_row_hidden(2).unwrap();
    ws.set_column_hidden(14).unwrap();
    wb.save(&path).unwrap();
    let run = w.run(&[
        "validate",
        "input/parc.xlsx",
        "input/partenaires.csv",
        "--format",
        "json",
    ]);
    let ds = diagnostics(&run);
    assert_eq!(
        codes(&ds),
        [("S008".into(), String::new())],
        "{}",
        run.stdout
    );
    assert_eq!(
        ds[0]["message"],
        "1 ligne masquée lue comme des données (ligne 3) ; \
         colonne masquée « part_autres » lue comme les autres"
    );
    assert_eq!(ds[0]["row"], 3);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["resume"]["lignes"], 4, "the hidden row is read");
}

/// `enrx explain` documents the new codes.
#[test]
fn the_shape_codes_are_explained() {
    let w = Workdir::new();
    for code in ["S005", "S006", "S007", "S008", "S009"] {
        let run = w.run(&["explain", code]);
        assert_eq!(run.code, 0, "{code}");
        assert!(run.stdout.starts_with(code), "{}", run.stdout);
        assert!(run.stdout.contains("## Comment corriger"), "{code}");
    }
}

#[test]
fn a_whole_table_in_a_sheet_not_named_like_ours_is_told_not_read() {
    let w = Workdir::new();
    let partners = vec![
        header(&PARTNER_HEADER),
        text_row(&["P-1", "Les Blongios", "association", "", "W595012345"]),
    ];
    let lists = vec![
        text_row(&["echelle", "parc", "statut", "type", "objectifs"]),
        text_row(&["locale", "AVE", "soldée", "association", "OS1"]),
    ];
    let conventions = vec![header(&CONVENTION_HEADER), convention_row("C-1", &[])];
    workbook(
        &w.join("depot.xlsx"),
        &[
            ("Conventions", conventions.clone()),
            ("Feuil1", partners.clone()),
            ("Listes", lists.clone()),
        ],
    );
    let run = w.run(&["validate", "depot.xlsx", "--format", "json"]);
    let found = diagnostics(&run);
    assert_eq!(
        codes(&found),
        [
            ("S010".to_string(), String::new()),
            ("R002".to_string(), "E2".to_string())
        ],
        "Feuil1 told, not read (its partner stays unknown); Listes left alone: {}",
        run.stdout
    );
    assert_eq!(found[0]["sheet"], "Feuil1");
    assert!(
        found[1]["hint"].as_str().is_some_and(|h| h
            .starts_with("la feuille « Feuil1 » de ce fichier contient un tableau de partenaires")),
        "R002 says where its partner is: {}",
        found[1]
    );
    assert_eq!(found[0]["row"], 1);
    assert_eq!(
        found[0]["message"],
        "feuille Feuil1 non lue : elle contient un tableau de partenaires (en-tête ligne 1)"
    );
    // Renamed as the hint says, it is read.
    workbook(
        &w.join("depot.xlsx"),
        &[
            ("Conventions", conventions.clone()),
            ("Partenaires 2020", partners.clone()),
            ("Listes", lists),
        ],
    );
    let run = w.run(&["validate", "depot.xlsx", "--format", "json"]);
    assert_eq!(codes(&diagnostics(&run)), [], "{}", run.stdout);
    // No sheet named like ours: each is recognised by its header, as before.
    workbook(
        &w.join("depot.xlsx"),
        &[("Feuil1", conventions), ("Feuil2", partners)],
    );
    let run = w.run(&["validate", "depot.xlsx", "--format", "json"]);
    assert_eq!(codes(&diagnostics(&run)), [], "{}", run.stdout);
}
