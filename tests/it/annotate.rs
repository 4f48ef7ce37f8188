//! `enrx validate --annoter DOSSIER`: the copies are read back with calamine and their parts
//! inspected (values at their place, the two sheets first, a note naming each code at its
//! cell, the fill of its severity), and opened by LibreOffice when it is installed.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook_auto};
use quick_xml::events::Event;
use rust_xlsxwriter::{DataValidation, ExcelDateTime, Format, Note, Workbook};

use crate::common::*;

/// An annotated copy, its parts read.
struct Copy {
    path: PathBuf,
    parts: HashMap<String, String>,
}

/// Every element of `xml` named `name` (local name): its attributes, and its text.
fn elements(xml: &str, name: &str) -> Vec<(HashMap<String, String>, String)> {
    let mut r = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut open: Option<(HashMap<String, String>, String, usize)> = None;
    let mut depth = 0;
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) => {
                depth += 1;
                if open.is_none() && e.local_name().as_ref() == name {
                    let attrs = e
                        .attributes()
                        .flatten()
                        .map(|a| {
                            (
                                a.key.local_name().as_ref().to_string(),
                                quick_xml::escape::unescape(&a.value).unwrap().into_owned(),
                            )
                        })
                        .collect();
                    open = Some((attrs, String::new(), depth));
                }
            }
            Event::Empty(e) if open.is_none() && e.local_name().as_ref() == name => {
                let attrs = e
                    .attributes()
                    .flatten()
                    .map(|a| {
                        (
                            a.key.local_name().as_ref().to_string(),
                            quick_xml::escape::unescape(&a.value).unwrap().into_owned(),
                        )
                    })
                    .collect();
                out.push((attrs, String::new()));
            }
            Event::Text(t) => {
                if let Some((_, text, _)) = open.as_mut() {
                    text.push_str(&quick_xml::escape::unescape(&t).unwrap());
                }
            }
            Event::GeneralRef(g) => {
                if let Some((_, text, _)) = open.as_mut() {
                    let s = quick_xml::escape::unescape(&format!("&{};", &*g))
                        .unwrap()
                        .into_owned();
                    text.push_str(&s);
                }
            }
            Event::End(_) => {
                if open.as_ref().is_some_and(|(_, _, d)| *d == depth) {
                    let (a, t, _) = open.take().unwrap();
                    out.push((a, t));
                }
                depth -= 1;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn resolve(source: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = source.split('/').collect();
    parts.pop();
    for s in target.split('/') {
        match s {
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

impl Copy {
    fn open(path: &Path) -> Copy {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut parts = HashMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut s = String::new();
            if f.read_to_string(&mut s).is_ok() {
                parts.insert(name, s);
            }
        }
        Copy {
            path: path.to_path_buf(),
            parts,
        }
    }

    fn part(&self, name: &str) -> &str {
        self.parts
            .get(name)
            .unwrap_or_else(|| panic!("{name} absent from {}", self.path.display()))
    }

    fn sheet_names(&self) -> Vec<String> {
        elements(self.part("xl/workbook.xml"), "sheet")
            .into_iter()
            .map(|(a, _)| a["name"].clone())
            .collect()
    }

    fn rels(&self, part: &str) -> Vec<HashMap<String, String>> {
        let (dir, file) = part.rsplit_once('/').unwrap();
        match self.parts.get(&format!("{dir}/_rels/{file}.rels")) {
            Some(t) => elements(t, "Relationship")
                .into_iter()
                .map(|(a, _)| a)
                .collect(),
            None => Vec::new(),
        }
    }

    fn sheet_part(&self, name: &str) -> String {
        let sheet = elements(self.part("xl/workbook.xml"), "sheet")
            .into_iter()
            .find(|(a, _)| a["name"] == name)
            .unwrap_or_else(|| panic!("no sheet {name}"))
            .0;
        let rel = self
            .rels("xl/workbook.xml")
            .into_iter()
            .find(|r| r["Id"] == sheet["id"])
            .unwrap();
        resolve("xl/workbook.xml", &rel["Target"])
    }

    /// The notes of a sheet: cell → text.
    fn notes(&self, sheet: &str) -> HashMap<String, String> {
        let part = self.sheet_part(sheet);
        let Some(rel) = self
            .rels(&part)
            .into_iter()
            .find(|r| r["Type"].ends_with("/comments"))
        else {
            return HashMap::new();
        };
        let comments = self.part(&resolve(&part, &rel["Target"]));
        elements(comments, "comment")
            .into_iter()
            .map(|(a, t)| (a["ref"].clone(), t))
            .collect()
    }

    /// The fill colour of a cell (`FFFFC7CE`), if it has one.
    fn fill(&self, sheet: &str, cell: &str) -> Option<String> {
        let part = self.sheet_part(sheet);
        let (a, _) = elements(self.part(&part), "c")
            .into_iter()
            .find(|(a, _)| a.get("r").map(String::as_str) == Some(cell))?;
        let style: usize = a.get("s")?.parse().unwrap();
        let styles = self.part("xl/styles.xml");
        let cell_xfs =
            &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap() + 10];
        let xf = &elements(cell_xfs, "xf")[style].0;
        let fill_id: usize = xf.get("fillId")?.parse().unwrap();
        let fills = &styles[styles.find("<fills").unwrap()..styles.find("</fills>").unwrap()];
        let fill = fills.split("<fill>").nth(fill_id + 1)?;
        let fg = fill.find("fgColor rgb=\"")?;
        Some(fill[fg + 13..fg + 21].to_string())
    }

    fn number_format_of(&self, sheet: &str, cell: &str) -> Option<u32> {
        let part = self.sheet_part(sheet);
        let (a, _) = elements(self.part(&part), "c")
            .into_iter()
            .find(|(a, _)| a.get("r").map(String::as_str) == Some(cell))?;
        let style: usize = a.get("s")?.parse().unwrap();
        let styles = self.part("xl/styles.xml");
        let cell_xfs =
            &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap() + 10];
        elements(cell_xfs, "xf")[style]
            .0
            .get("numFmtId")?
            .parse()
            .ok()
    }

    fn values(&self, sheet: &str) -> calamine::Range<Data> {
        let mut wb: Xlsx<_> = calamine::open_workbook(&self.path).unwrap();
        wb.worksheet_range(sheet).unwrap()
    }
}

const RED: &str = "FFFFC7CE";
const ORANGE: &str = "FFFFDDB3";
const BLUE: &str = "FFDDEBF7";

fn fill_of(severity: &str) -> &'static str {
    match severity {
        "erreur" => RED,
        "avertissement" => ORANGE,
        _ => BLUE,
    }
}

/// Every original value at its place in the copy (a workbook read by calamine).
fn assert_same_values(original: &Path, copy: &Copy) {
    let mut wb = open_workbook_auto(original).unwrap();
    for name in wb.sheet_names() {
        let before = wb.worksheet_range(&name).unwrap();
        let after = copy.values(&name);
        for (r, c, v) in before.used_cells() {
            let (r, c) = (
                r as u32 + before.start().unwrap().0,
                c as u32 + before.start().unwrap().1,
            );
            let got = after.get_value((r, c)).unwrap_or(&Data::Empty);
            let same = match (v, got) {
                (Data::DateTimeIso(iso), Data::DateTime(d)) => {
                    d.as_datetime().unwrap().format("%Y-%m-%d").to_string() == iso[..10]
                }
                (Data::Int(i), Data::Float(f)) => *i as f64 == *f,
                (a, b) => a == b,
            };
            assert!(
                same,
                "{}: {name}!({r},{c}) {v:?} became {got:?}",
                copy.path.display()
            );
        }
    }
}

/// The diagnostics `validate --format json` gives.
fn diagnostics(w: &Workdir, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["validate"];
    all.extend(args);
    all.extend(["--format", "json"]);
    let run = w.run(&all);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect(&run.stdout);
    v["diagnostics"].as_array().unwrap().clone()
}

/// Each diagnostic with a cell has its code in the note of that cell, and the cell the fill
/// of the worst severity there.
fn assert_marked(
    copy: &Copy,
    diags: &[&serde_json::Value],
    sheet_of: &dyn Fn(&serde_json::Value) -> String,
) {
    let mut worst: HashMap<(String, String), &str> = HashMap::new();
    for d in diags {
        let Some(cell) = d["cell"].as_str() else {
            continue;
        };
        let sheet = sheet_of(d);
        let notes = copy.notes(&sheet);
        let code = d["code"].as_str().unwrap();
        let note = notes
            .get(cell)
            .unwrap_or_else(|| panic!("{}: no note at {sheet}!{cell}", copy.path.display()));
        assert!(note.contains(&format!("[{code}]")), "{note}");
        let severity = d["severity"].as_str().unwrap();
        let w = worst.entry((sheet, cell.to_string())).or_insert(severity);
        if severity == "erreur" || (severity == "avertissement" && *w == "info") {
            *w = severity;
        }
    }
    for ((sheet, cell), severity) in worst {
        assert_eq!(
            copy.fill(&sheet, &cell).as_deref(),
            Some(fill_of(severity)),
            "{sheet}!{cell}"
        );
    }
}

fn soffice() -> bool {
    let found = std::process::Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!(
            "soffice absent: the LibreOffice checks of the annotated copies are skipped \
             (.ci/run installs libreoffice-calc-nogui)"
        );
    }
    found
}

/// LibreOffice Calc opens every copy and converts it back to CSV (its first sheet).
fn libreoffice_opens(w: &Workdir, copies: &[PathBuf]) {
    if !soffice() {
        return;
    }
    let out = w.join("lo");
    std::fs::create_dir_all(&out).unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}",
        w.join("lo-profile").display()
    );
    let status = std::process::Command::new("soffice")
        .arg(&profile)
        .args([
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
        ])
        .arg(&out)
        .args(copies)
        .output()
        .unwrap();
    for copy in copies {
        let csv = out.join(copy.file_stem().unwrap()).with_extension("csv");
        let text = std::fs::read(&csv)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_else(|_| {
                panic!(
                    "LibreOffice did not convert {}: {}",
                    copy.display(),
                    String::from_utf8_lossy(&status.stderr)
                )
            });
        assert!(text.contains("Anomalies relevées par enrx"), "{text}");
    }
}

fn copies_in(folder: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_sample_data_set_gets_a_copy_per_file() {
    let w = Workdir::new();
    w.copy_sample_input();
    let before: Vec<Vec<u8>> = copies_in(&w.join("input"))
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    let run = w.run(&["validate", "input", "--annoter", "annotes"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("bilan :"),
        "the usual output is still there"
    );
    let after: Vec<Vec<u8>> = copies_in(&w.join("input"))
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    assert_eq!(before, after, "inputs are never modified");
    let copies = copies_in(&w.join("annotes"));
    let names: Vec<String> = copies
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 8, "{names:?}");
    assert!(names.contains(&"pnr-caps-marais-opale-annote.xlsx".to_string()));
    assert!(names.contains(&"pnr-oise-pays-de-france-conventions-annote.xlsx".to_string()));
    let diags = diagnostics(&w, &["input"]);
    for copy_path in &copies {
        let copy = Copy::open(copy_path);
        let sheets = copy.sheet_names();
        assert_eq!(
            &sheets[..2],
            ["Anomalies", "Vos chiffres"],
            "{}",
            copy_path.display()
        );
        let original = w.join("input").join(names_original(copy_path));
        let mine: Vec<&serde_json::Value> = diags
            .iter()
            .filter(|d| {
                d["file"].as_str()
                    == Some(&format!(
                        "input/{}",
                        original.file_name().unwrap().to_string_lossy()
                    ))
            })
            .collect();
        let csv_sheet = sheets[2].clone();
        assert_marked(&copy, &mine, &|d| {
            d["sheet"]
                .as_str()
                .map(str::to_string)
                .unwrap_or(csv_sheet.clone())
        });
        let anomalies = copy.values("Anomalies");
        for d in &mine {
            let code = d["code"].as_str().unwrap();
            assert!(
                anomalies
                    .rows()
                    .any(|r| r.get(1) == Some(&Data::String(code.to_string()))),
                "{code} listed"
            );
        }
        if original.extension().is_none_or(|e| e != "csv") {
            assert_same_values(&original, &copy);
        }
    }
    let avesnois = Copy::open(&w.join("annotes/pnr-avesnois-annote.xlsx"));
    // D005 is on a date cell: filled, and still a date.
    assert_eq!(avesnois.fill("Conventions", "H17").as_deref(), Some(ORANGE));
    assert!(matches!(
        avesnois.values("Conventions").get_value((16, 7)),
        Some(Data::DateTime(_))
    ));
    let figures = avesnois.values("Vos chiffres");
    let text: Vec<String> = figures
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(
        text.iter()
            .any(|t| t.contains("restreint aux lignes de ce fichier"))
    );
    assert!(!text.iter().any(|t| t.contains("provisoires")));
    libreoffice_opens(&w, &copies);
}

/// The original of a copy of the sample: `x-annote.xlsx` → `x.<its extension>`.
fn names_original(copy: &Path) -> String {
    let stem = copy.file_stem().unwrap().to_string_lossy();
    let stem = stem.trim_end_matches("-annote");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("input");
    std::fs::read_dir(sample)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.rsplit_once('.').map(|(s, _)| s) == Some(stem))
        .unwrap()
}

/// A workbook as a Parc sends it, with problems on both sheets, a note of its own, a date
/// validation, a defined name and merged cells.
fn depositor_workbook(path: &Path) {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let ws = wb.add_worksheet().set_name("Conventions").unwrap();
    let header = CONVENTION_HEADER;
    for (c, h) in header.iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    let rows: [[&str; 16]; 3] = [
        [
            "C-1", "Mares", "locale", "AVE", "P-1", "OS1", "", "", "", "", "", "100", "", "", "",
            "soldée",
        ],
        // Two unknown partners: two R002 on E3.
        [
            "C-2", "Haies", "locale", "AVE", "P-8;P-9", "OS1", "", "", "", "", "", "100", "", "",
            "", "soldée",
        ],
        // An end before its start, on a date cell that has a note: D001 on K4.
        [
            "C-3", "", "locale", "AVE", "P-1", "OS1", "", "", "", "", "", "100", "", "", "",
            "soldée",
        ],
    ];
    for (r, cells) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                ws.write(r, c as u16, *v).unwrap();
            }
        }
        let start = ExcelDateTime::from_ymd(2019, 2, 1).unwrap();
        let end = if r == 3 {
            ExcelDateTime::from_ymd(2019, 1, 1).unwrap()
        } else {
            ExcelDateTime::from_ymd(2019, 12, 31).unwrap()
        };
        ws.write_date_with_format(r, 9, &start, &date).unwrap();
        ws.write_date_with_format(r, 10, &end, &date).unwrap();
    }
    ws.insert_note(
        3,
        10,
        &Note::new("Date à confirmer avec le Parc").set_author("Marie"),
    )
    .unwrap();
    ws.add_data_validation(
        1,
        2,
        100,
        2,
        &DataValidation::new()
            .allow_list_strings(&["locale", "territoriale"])
            .unwrap(),
    )
    .unwrap();
    ws.merge_range(10, 0, 10, 3, "Tableau arrêté au 31/12", &Format::new())
        .unwrap();
    ws.set_column_width(1, 40).unwrap();
    let ws = wb.add_worksheet().set_name("Partenaires").unwrap();
    for (c, h) in PARTNER_HEADER.iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["P-1", "Les Blongios", "association", "123", "", "2100"]
        .iter()
        .enumerate()
    {
        ws.write(1, c as u16, *v).unwrap();
    }
    wb.define_name("Partenaires!zone_partenaires", "=Partenaires!$A$1:$I$2")
        .unwrap();
    wb.define_name("montants", "=Conventions!$L$2:$L$4")
        .unwrap();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    wb.save(path).unwrap();
}

#[test]
fn a_workbook_keeps_everything_and_gets_its_marks() {
    let w = Workdir::new();
    depositor_workbook(&w.join("depot/parc.xlsx"));
    let run = w.run(&["validate", "depot/parc.xlsx", "--annoter", "annotes"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let copy = Copy::open(&w.join("annotes/parc-annote.xlsx"));
    assert_eq!(
        copy.sheet_names(),
        ["Anomalies", "Vos chiffres", "Conventions", "Partenaires"]
    );
    assert_same_values(&w.join("depot/parc.xlsx"), &copy);
    let diags = diagnostics(&w, &["depot/parc.xlsx"]);
    let all: Vec<&serde_json::Value> = diags.iter().collect();
    assert!(
        all.iter().any(|d| d["sheet"] == "Partenaires"),
        "problems on both sheets"
    );
    assert_marked(&copy, &all, &|d| d["sheet"].as_str().unwrap().to_string());

    let notes = copy.notes("Conventions");
    // Two diagnostics on one cell share its note.
    assert_eq!(notes["E3"].matches("[R002]").count(), 2, "{}", notes["E3"]);
    // The depositor's note is kept, ours after it.
    let k4 = &notes["K4"];
    assert!(
        k4.starts_with("Marie:") || k4.contains("Date à confirmer"),
        "{k4}"
    );
    assert!(
        k4.find("Date à confirmer").unwrap() < k4.find("[D001]").unwrap(),
        "{k4}"
    );
    assert!(
        notes["B4"].contains("[V001]"),
        "an empty cell gets its note"
    );
    // A flagged date keeps its date format.
    assert_eq!(copy.fill("Conventions", "K4").as_deref(), Some(RED));
    let format = copy.number_format_of("Conventions", "K4").unwrap();
    assert!(format >= 164, "custom date format kept: {format}");
    assert!(matches!(
        copy.values("Conventions").get_value((3, 10)),
        Some(Data::DateTime(_))
    ));

    // What enrx does not model stays.
    let sheet = copy.part(&copy.sheet_part("Conventions"));
    assert!(
        sheet.contains("<dataValidations") && sheet.contains("<mergeCells"),
        "{sheet}"
    );
    assert!(sheet.contains("width=\"40.7109375\""), "column width kept");
    let workbook = copy.part("xl/workbook.xml");
    let names = elements(workbook, "definedName");
    let zone = names
        .iter()
        .find(|(a, _)| a["name"] == "zone_partenaires")
        .unwrap();
    assert_eq!(
        zone.0["localSheetId"], "3",
        "the sheet-scoped name still points at Partenaires"
    );
    assert!(
        names
            .iter()
            .any(|(a, t)| a["name"] == "montants" && t == "Conventions!$L$2:$L$4")
    );
    let view = &elements(workbook, "workbookView")[0].0;
    assert_eq!(view["activeTab"], "2", "the depositor's active tab");

    // « Anomalies »: a summary, the table with a link per cell, a frozen header and a filter.
    let anomalies = copy.values("Anomalies");
    assert!(
        anomalies
            .get_value((1, 0))
            .unwrap()
            .to_string()
            .contains("erreur")
    );
    let sheet = copy.part(&copy.sheet_part("Anomalies"));
    assert!(
        sheet.contains("state=\"frozen\"") && sheet.contains("<autoFilter"),
        "{sheet}"
    );
    assert!(sheet.contains("location=\"'Conventions'!E3\""), "{sheet}");
    // Checked alone: the figures are provisional.
    let figures = copy.values("Vos chiffres");
    assert!(
        figures
            .rows()
            .any(|r| r.iter().any(|c| c.to_string().contains("provisoires")))
    );
    libreoffice_opens(&w, &[w.join("annotes/parc-annote.xlsx")]);
}

#[test]
fn a_clean_file_gets_its_copy_too() {
    let w = Workdir::new();
    workbook(
        &w.join("propre.xlsx"),
        &[
            (
                "Conventions",
                vec![
                    header(&CONVENTION_HEADER),
                    convention_row(
                        "C-1",
                        &[
                            (2, "régionale"),
                            (3, ""),
                            (9, "01/01/2020"),
                            (10, "31/12/2020"),
                        ],
                    ),
                ],
            ),
            (
                "Partenaires",
                vec![
                    header(&PARTNER_HEADER),
                    text_row(&["P-1", "Région", "collectivité"]),
                ],
            ),
        ],
    );
    let run = w.run(&[
        "validate",
        "propre.xlsx",
        "--annoter",
        "annotes",
        "--year",
        "2020",
    ]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let copy = Copy::open(&w.join("annotes/propre-annote.xlsx"));
    let anomalies = copy.values("Anomalies");
    assert!(anomalies.rows().any(|r| {
        r.iter()
            .any(|c| c.to_string().starts_with("Aucune anomalie"))
    }));
    let figures = copy.values("Vos chiffres");
    let objectives = figures
        .rows()
        .find(|r| r.first() == Some(&Data::String("OS1".into())))
        .unwrap();
    assert_eq!(
        objectives[2],
        Data::Float(1.0),
        "one active convention in 2020"
    );
    assert_eq!(objectives[3], Data::Float(100.0), "its annualised amount");
}

#[test]
fn a_windows_1252_csv_becomes_a_typed_xlsx() {
    let w = Workdir::new();
    w.write(
        "depot/conventions-avesnois.csv",
        b"id;intitule;echelle;parc;partenaires;objectifs;date_debut;date_fin;montant_total;statut\r\n\
C-1;Mares p\xe9dagogiques;locale;AVE;P-1;OS1;01/02/2020;31/12/2020;1 234,50 \x80;sign\xe9e\r\n\
C-2;=HYPERLINK(\"x\");locale;AVE;P-1;OS1;01/02/2020;pas de date;0100;sign\xe9e\r\n"
            .as_slice(),
    );
    w.write(
        "depot/partenaires.csv",
        "id;nom;type\nP-1;CPIE;association\n",
    );
    let run = w.run(&[
        "validate",
        "depot",
        "--annoter",
        "annotes",
        "--year",
        "2020",
    ]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let copy = Copy::open(&w.join("annotes/conventions-avesnois-annote.xlsx"));
    assert_eq!(&copy.sheet_names()[2..], ["Conventions"]);
    let v = copy.values("Conventions");
    assert_eq!(
        v.get_value((1, 1)),
        Some(&Data::String("Mares pédagogiques".into()))
    );
    assert!(
        matches!(v.get_value((1, 6)), Some(Data::DateTime(_))),
        "{:?}",
        v.get_value((1, 6))
    );
    assert_eq!(v.get_value((1, 8)), Some(&Data::Float(1234.5)));
    assert_eq!(
        v.get_value((2, 1)),
        Some(&Data::String("=HYPERLINK(\"x\")".into()))
    );
    assert_eq!(
        v.get_value((2, 7)),
        Some(&Data::String("pas de date".into())),
        "kept as typed"
    );
    assert_eq!(v.get_value((2, 0)), Some(&Data::String("C-2".into())));
    assert!(
        !copy.part(&copy.sheet_part("Conventions")).contains("<f>"),
        "never a formula"
    );
    let notes = copy.notes("Conventions");
    assert!(notes["H3"].contains("[V002]"), "{notes:?}");
    assert!(
        copy.values("Anomalies")
            .rows()
            .any(|r| r.get(1) == Some(&Data::String("F004".into())))
    );
    assert!(
        copy.part(&copy.sheet_part("Anomalies"))
            .contains("location=\"'Conventions'!H3\"")
    );
    libreoffice_opens(&w, &[w.join("annotes/conventions-avesnois-annote.xlsx")]);
}

/// The same package with the content type of a workbook with macros.
fn macro_enabled(xlsx: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut entries = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name == "[Content_Types].xml" {
            bytes = String::from_utf8(bytes)
                .unwrap()
                .replace(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
                .into_bytes();
        }
        entries.push((name, bytes));
    }
    let entries: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    zip_of(&entries)
}

#[test]
fn sub_folders_keep_their_place_and_an_xlsm_stays_an_xlsm() {
    let w = Workdir::new();
    let sheets = |id: &str| {
        vec![(
            "Conventions",
            vec![header(&CONVENTION_HEADER), convention_row(id, &[])],
        )]
    };
    workbook(&w.join("input/a/x.xlsx"), &sheets("C-1"));
    workbook(&w.join("input/b/x.xlsx"), &sheets("C-2"));
    // A workbook with macros (its content type says so) and one merely named .xlsm.
    workbook(&w.join("y.xlsx"), &sheets("C-3"));
    w.write("input/b/y.xlsm", macro_enabled(&w.read("y.xlsx")));
    workbook(&w.join("input/b/z.xlsm"), &sheets("C-4"));
    w.run(&["validate", "input", "--annoter", "annotes"]);
    for p in [
        "annotes/a/x-annote.xlsx",
        "annotes/b/x-annote.xlsx",
        "annotes/b/y-annote.xlsm",
        "annotes/b/z-annote.xlsx",
    ] {
        assert!(w.join(p).is_file(), "{p}");
    }
}

#[test]
fn the_folder_may_not_lie_in_an_input_folder() {
    let w = Workdir::new();
    w.copy_sample_input();
    let run = w.run(&["validate", "input", "--annoter", "input/annotes"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("annot"), "{}", run.stderr);
    assert!(!w.join("input/annotes").exists());
}

#[test]
fn ten_thousand_rows_with_two_thousand_flagged_cells() {
    let w = Workdir::new();
    let mut rows = vec![header(&CONVENTION_HEADER)];
    for i in 0..10_000 {
        let id = format!("C-{i}");
        // One row in five names an unknown objective.
        let objective = if i % 5 == 0 { "OS9" } else { "OS1" };
        let mut r = convention_row(&id, &[(5, objective)]);
        r[0] = C::T(id);
        rows.push(r);
    }
    workbook(
        &w.join("gros.xlsx"),
        &[
            ("Conventions", rows),
            (
                "Partenaires",
                vec![
                    header(&PARTNER_HEADER),
                    text_row(&["P-1", "Région", "collectivité"]),
                ],
            ),
        ],
    );
    let start = std::time::Instant::now();
    let run = w.run(&[
        "validate",
        "gros.xlsx",
        "--annoter",
        "annotes",
        "--max-anomalies",
        "0",
        "--format",
        "json",
    ]);
    eprintln!(
        "10 000 rows, 2 000 flagged: {:?} (debug build)",
        start.elapsed()
    );
    assert_eq!(run.code, 1);
    let copy = Copy::open(&w.join("annotes/gros-annote.xlsx"));
    let notes = copy.notes("Conventions");
    assert_eq!(
        notes.values().filter(|n| n.contains("[R003]")).count(),
        2000
    );
    assert_eq!(copy.fill("Conventions", "F2").as_deref(), Some(RED));
    assert_eq!(copy.fill("Conventions", "F3"), None);
    let vml = copy
        .parts
        .iter()
        .find(|(n, _)| n.ends_with(".vml"))
        .unwrap()
        .1;
    assert_eq!(vml.matches("<v:shape ").count(), 2000);
    assert!(vml.contains("data=\"1,2\""), "two blocks of shape ids");
    assert_same_values(&w.join("gros.xlsx"), &copy);
}

#[test]
fn the_sample_ods_is_rewritten_with_its_sheets() {
    let w = Workdir::new();
    w.copy_sample_input();
    let run = w.run(&[
        "validate",
        "input/pnr-caps-marais-opale.ods",
        "--annoter",
        "annotes",
    ]);
    assert!(run.code <= 1, "{}", run.stderr);
    let copy = Copy::open(&w.join("annotes/pnr-caps-marais-opale-annote.xlsx"));
    let ods = open_workbook_auto(w.join("input/pnr-caps-marais-opale.ods")).unwrap();
    let mut expected = vec!["Anomalies".to_string(), "Vos chiffres".to_string()];
    expected.extend(ods.sheet_names());
    assert_eq!(copy.sheet_names(), expected);
    assert_same_values(&w.join("input/pnr-caps-marais-opale.ods"), &copy);
}

/// A workbook whose package the patch does not expect (a legacy drawing without notes, which
/// it would have to share): the copy is rewritten value by value, with a warning in the log.
#[test]
fn a_package_that_cannot_be_patched_is_rewritten() {
    let w = Workdir::new();
    let sheet = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>intitule</t></is></c><c r="C1" t="inlineStr"><is><t>echelle</t></is></c><c r="D1" t="inlineStr"><is><t>partenaires</t></is></c><c r="E1" t="inlineStr"><is><t>objectifs</t></is></c><c r="F1" t="inlineStr"><is><t>date_debut</t></is></c><c r="G1" t="inlineStr"><is><t>date_fin</t></is></c><c r="H1" t="inlineStr"><is><t>montant_total</t></is></c><c r="I1" t="inlineStr"><is><t>statut</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>C-1</t></is></c><c r="B2" t="inlineStr"><is><t>Mares</t></is></c><c r="C2" t="inlineStr"><is><t>régionale</t></is></c><c r="D2" t="inlineStr"><is><t>P-1</t></is></c><c r="E2" t="inlineStr"><is><t>OS9</t></is></c><c r="F2" t="inlineStr"><is><t>01/01/2020</t></is></c><c r="G2" t="inlineStr"><is><t>31/12/2020</t></is></c><c r="H2"><v>1000</v></c><c r="I2" t="inlineStr"><is><t>soldée</t></is></c></row>
</sheetData><legacyDrawing r:id="rId1"/></worksheet>"#;
    let entries: Vec<(&str, &str)> = vec![
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Conventions" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", sheet),
        (
            "xl/worksheets/_rels/sheet1.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing" Target="../drawings/vmlDrawing1.vml"/></Relationships>"#,
        ),
        (
            "xl/drawings/vmlDrawing1.vml",
            r#"<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/></o:shapelayout></xml>"#,
        ),
    ];
    let entries: Vec<(&str, &[u8])> = entries.iter().map(|(n, d)| (*n, d.as_bytes())).collect();
    w.write("etrange.xlsx", zip_of(&entries));
    let run = w.run(&["validate", "etrange.xlsx", "--annoter", "annotes"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("recopié valeur par valeur"),
        "{}",
        run.stderr
    );
    let copy = Copy::open(&w.join("annotes/etrange-annote.xlsx"));
    assert_eq!(
        copy.sheet_names(),
        ["Anomalies", "Vos chiffres", "Conventions"]
    );
    assert!(copy.notes("Conventions")["E2"].contains("[R003]"));
    assert_same_values(&w.join("etrange.xlsx"), &copy);
}
