//! `enrx diff`: the same data written otherwise is no change; real changes are named, with
//! their effect on the year's figures; exit codes are diff(1)'s.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::common::*;

/// A convention as the tests type it: id, partners, objectives, start, end, amount.
struct Conv {
    id: &'static str,
    partners: &'static str,
    objectives: &'static str,
    start: (u16, u8, u8),
    end: (u16, u8, u8),
    amount: f64,
}

const CONVENTIONS: [Conv; 3] = [
    Conv {
        id: "C-1",
        partners: "P-1;P-2",
        objectives: "OS1",
        start: (2020, 2, 1),
        end: (2020, 12, 31),
        amount: 12000.0,
    },
    Conv {
        id: "C-2",
        partners: "P-2",
        objectives: "OS1;OS3",
        start: (2020, 1, 1),
        end: (2021, 6, 30),
        amount: 30500.5,
    },
    Conv {
        id: "C-3",
        partners: "P-1",
        objectives: "OS2",
        start: (2019, 3, 15),
        end: (2020, 3, 14),
        amount: 800.0,
    },
];

const PARTNERS: [(&str, &str); 2] = [("P-1", "Les Blongios"), ("P-2", "Société d'études")];

fn xlsx(path: &std::path::Path, conventions: &[Conv]) {
    xlsx_with_parc(path, conventions, None);
}

/// `merged_parc`: the parc column as one merged range over every convention, holding it.
fn xlsx_with_parc(path: &std::path::Path, conventions: &[Conv], merged_parc: Option<&str>) {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let euros = Format::new().set_num_format("#,##0.00 €");
    let ws = wb.add_worksheet().set_name("Conventions").expect("sheet");
    let head = [
        "id",
        "intitule",
        "echelle",
        "parc",
        "partenaires",
        "objectifs",
        "date_debut",
        "date_fin",
        "montant_total",
        "statut",
    ];
    for (c, h) in head.iter().enumerate() {
        ws.write(0, c as u16, *h).expect("cell");
    }
    for (i, v) in conventions.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write(r, 0, v.id).expect("cell");
        ws.write(r, 1, format!("Convention {}", v.id))
            .expect("cell");
        ws.write(r, 2, "locale").expect("cell");
        ws.write(r, 3, "AVE").expect("cell");
        ws.write(r, 4, v.partners).expect("cell");
        ws.write(r, 5, v.objectives).expect("cell");
        let d = |(y, m, d): (u16, u8, u8)| ExcelDateTime::from_ymd(y, m, d).expect("date");
        ws.write_with_format(r, 6, d(v.start), &date).expect("cell");
        ws.write_with_format(r, 7, d(v.end), &date).expect("cell");
        ws.write_with_format(r, 8, v.amount, &euros).expect("cell");
        ws.write(r, 9, "en cours").expect("cell");
    }
    if let Some(parc) = merged_parc {
        let last = conventions.len() as u32;
        ws.merge_range(1, 3, last, 3, parc, &Format::new())
            .expect("merge");
    }
    let ws = wb.add_worksheet().set_name("Partenaires").expect("sheet");
    for (c, h) in ["id", "nom", "type", "rna"].iter().enumerate() {
        ws.write(0, c as u16, *h).expect("cell");
    }
    for (i, (id, nom)) in PARTNERS.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write(r, 0, *id).expect("cell");
        ws.write(r, 1, *nom).expect("cell");
        ws.write(r, 2, "association").expect("cell");
        ws.write(r, 3, format!("W59501234{i}")).expect("cell");
    }
    wb.save(path).expect("save");
}

/// « 30 500,50 € » as French Excel writes it to CSV.
fn french_amount(v: f64) -> String {
    let cents = (v * 100.0).round() as i64;
    let units = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(ch);
    }
    format!("{grouped},{:02} €", cents % 100)
}

/// The same data as French Excel CSV files (Windows-1252, `;`, text dates, other headers,
/// rows in another order).
fn csv(dir: &std::path::Path) {
    let mut conventions = String::from(
        "Identifiant;Intitulé;Échelle;Parc;Partenaires;Objectifs;Date début;Date fin;Montant;Statut\r\n",
    );
    for v in CONVENTIONS.iter().rev() {
        let d = |(y, m, d): (u16, u8, u8)| format!("{d:02}/{m:02}/{y}");
        // Objectives written « 1;3 », partners in another order.
        let objectives = v.objectives.replace("OS", "");
        let mut partners: Vec<&str> = v.partners.split(';').collect();
        partners.reverse();
        conventions.push_str(&format!(
            "{};Convention {};Locale;Avesnois;{};{};{};{};{};En cours\r\n",
            v.id,
            v.id,
            partners.join(","),
            objectives.replace(';', ","),
            d(v.start),
            d(v.end),
            french_amount(v.amount)
        ));
    }
    let mut partners = String::from("id_partenaire;raison sociale;Type;RNA\r\n");
    for (i, (id, nom)) in PARTNERS.iter().enumerate() {
        partners.push_str(&format!("{id};{nom};Association;W59501234{i}\r\n"));
    }
    std::fs::create_dir_all(dir).expect("folder");
    for (name, text) in [
        ("conventions.csv", conventions),
        ("partenaires.csv", partners),
    ] {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
        std::fs::write(dir.join(name), bytes).expect("write");
    }
}

fn ods_cell(value: &str, kind: &str) -> String {
    match kind {
        "date" => format!(
            "<table:table-cell office:value-type=\"date\" office:date-value=\"{value}\"><text:p>{value}</text:p></table:table-cell>"
        ),
        "float" => format!(
            "<table:table-cell office:value-type=\"float\" office:value=\"{value}\"><text:p>{value}</text:p></table:table-cell>"
        ),
        _ => format!(
            "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
            value.replace('&', "&amp;").replace('\'', "&apos;")
        ),
    }
}

fn ods_table(name: &str, rows: &[Vec<String>]) -> String {
    let rows: String = rows
        .iter()
        .map(|r| format!("<table:table-row>{}</table:table-row>", r.concat()))
        .collect();
    format!("<table:table table:name=\"{name}\">{rows}</table:table>")
}

/// The same data as an OpenDocument spreadsheet with date and float cells.
fn ods(path: &std::path::Path) {
    let s = |v: &str| ods_cell(v, "string");
    let iso = |(y, m, d): (u16, u8, u8)| format!("{y}-{m:02}-{d:02}");
    let mut conventions = vec![
        [
            "id",
            "intitule",
            "echelle",
            "parc",
            "partenaires",
            "objectifs",
            "date_debut",
            "date_fin",
            "montant_total",
            "statut",
        ]
        .iter()
        .map(|h| s(h))
        .collect::<Vec<_>>(),
    ];
    for v in &CONVENTIONS {
        conventions.push(vec![
            s(v.id),
            s(&format!("Convention {}", v.id)),
            s("locale"),
            s("AVE"),
            s(v.partners),
            s(v.objectives),
            ods_cell(&iso(v.start), "date"),
            ods_cell(&iso(v.end), "date"),
            ods_cell(&v.amount.to_string(), "float"),
            s("en cours"),
        ]);
    }
    let mut partners = vec![
        ["id", "nom", "type", "rna"]
            .iter()
            .map(|h| s(h))
            .collect::<Vec<_>>(),
    ];
    for (i, (id, nom)) in PARTNERS.iter().enumerate() {
        partners.push(vec![
            s(id),
            s(nom),
            s("association"),
            s(&format!("W59501234{i}")),
        ]);
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet>{}{}</office:spreadsheet></office:body></office:document-content>",
        ods_table("Conventions", &conventions),
        ods_table("Partenaires", &partners)
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest \
        xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
        <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
        <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
    let bytes = zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", content.as_bytes()),
        ("META-INF/manifest.xml", manifest.as_bytes()),
    ]);
    std::fs::write(path, bytes).expect("write");
}

fn diff_json(w: &Workdir, before: &str, after: &str) -> (i32, serde_json::Value) {
    let run = w.run(&["diff", before, after, "--year", "2020", "--format", "json"]);
    let json = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", run.stdout, run.stderr));
    (run.code, json)
}

#[test]
fn the_same_data_as_xlsx_ods_and_csv_is_no_change() {
    let w = Workdir::new();
    std::fs::create_dir_all(w.join("xlsx")).expect("folder");
    std::fs::create_dir_all(w.join("ods")).expect("folder");
    xlsx(&w.join("xlsx/depot.xlsx"), &CONVENTIONS);
    ods(&w.join("ods/depot.ods"));
    csv(&w.join("csv"));
    for side in ["xlsx", "ods", "csv"] {
        let check = w.run(&["validate", side, "--year", "2020"]);
        assert!(
            !check.stdout.contains("erreur["),
            "{side}: {}",
            check.stdout
        );
    }
    for (a, b) in [
        ("xlsx", "csv"),
        ("csv", "ods"),
        ("ods", "xlsx"),
        ("xlsx", "xlsx"),
    ] {
        let (code, json) = diff_json(&w, a, b);
        assert_eq!(
            json["enregistrements"],
            serde_json::json!([]),
            "{a} / {b}: {json}"
        );
        assert_eq!(json["chiffres"], serde_json::json!([]), "{a} / {b}");
        if a == b {
            assert_eq!(code, 0, "{a} against itself");
            assert_eq!(json["identiques"], true);
        }
    }
    // Files named otherwise on each side are named, but no data changed.
    let run = w.run(&["diff", "xlsx", "csv"]);
    assert!(
        run.stdout.contains("fichier seulement avant : depot.xlsx"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("fichier seulement après : conventions.csv")
    );
    assert!(!run.stdout.contains("convention C-"), "{}", run.stdout);
}

#[test]
fn a_merged_column_is_the_value_of_every_row_it_covers() {
    let w = Workdir::new();
    for side in ["plain", "merged", "moved"] {
        std::fs::create_dir_all(w.join(side)).expect("folder");
    }
    xlsx(&w.join("plain/depot.xlsx"), &CONVENTIONS);
    xlsx_with_parc(&w.join("merged/depot.xlsx"), &CONVENTIONS, Some("AVE"));
    xlsx_with_parc(&w.join("moved/depot.xlsx"), &CONVENTIONS, Some("CMO"));
    // « AVE » merged over the three rows is « AVE » on each: the same data, the same
    // figures; only the merge's own note (S005) appears or goes.
    for (a, b) in [
        ("plain", "merged"),
        ("merged", "plain"),
        ("merged", "merged"),
    ] {
        let (code, json) = diff_json(&w, a, b);
        assert_eq!(
            json["enregistrements"],
            serde_json::json!([]),
            "{a} / {b}: {json}"
        );
        assert_eq!(json["chiffres"], serde_json::json!([]), "{a} / {b}: {json}");
        let notes = [&json["anomalies_apparues"], &json["anomalies_disparues"]]
            .iter()
            .flat_map(|list| list.as_array().cloned().unwrap_or_default())
            .map(|d| d["code"].as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>();
        let expected: &[&str] = if a == b { &[] } else { &["S005"] };
        assert_eq!(notes, expected, "{a} / {b}: {json}");
        assert_eq!(code, i32::from(a != b), "{a} / {b}: {json}");
    }
    // The merged value changed: every row it covers changed parc, not only its first.
    let (code, json) = diff_json(&w, "merged", "moved");
    assert_eq!(code, 1, "{json}");
    let changed: Vec<String> = json["enregistrements"]
        .as_array()
        .expect("records")
        .iter()
        .filter(|r| r["champs"].to_string().contains("\"CMO\""))
        .map(|r| r["cle"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(changed, ["C-1", "C-2", "C-3"], "{json}");
}

#[test]
fn real_changes_are_named_with_their_effect_on_the_figures() {
    let w = Workdir::new();
    std::fs::create_dir_all(w.join("avant")).expect("folder");
    std::fs::create_dir_all(w.join("apres")).expect("folder");
    xlsx(&w.join("avant/depot.xlsx"), &CONVENTIONS);
    let [c1, c2, _c3] = CONVENTIONS;
    let changed = [
        Conv {
            amount: 14500.0,
            ..c1
        },
        Conv {
            partners: "P-1",
            ..c2
        },
        Conv {
            id: "C-4",
            partners: "P-1",
            objectives: "OS3",
            start: (2020, 6, 1),
            end: (2020, 12, 31),
            amount: 1000.0,
        },
    ];
    xlsx(&w.join("apres/depot.xlsx"), &changed);
    let (code, json) = diff_json(&w, "avant", "apres");
    assert_eq!(code, 1);
    let records = json["enregistrements"].as_array().expect("records");
    let summary: Vec<String> = records
        .iter()
        .map(|r| format!("{} {} {}", r["type"], r["cle"], r["changement"]).replace('"', ""))
        .collect();
    assert_eq!(
        summary,
        [
            "convention C-1 modifie",
            "convention C-2 modifie",
            "convention C-3 retire",
            "convention C-4 ajoute"
        ]
    );
    assert_eq!(records[0]["champs"][0]["colonne"], "montant_total");
    assert_eq!(records[0]["champs"][0]["avant"], 12000.0);
    assert_eq!(records[0]["champs"][0]["apres"], 14500.0);
    assert_eq!(records[1]["champs"][0]["colonne"], "partenaires");
    let figures: Vec<&str> = json["chiffres"]
        .as_array()
        .expect("figures")
        .iter()
        .filter_map(|f| f["chiffre"].as_str())
        .collect();
    assert!(figures.contains(&"montant annualisé"), "{figures:?}");
    assert!(
        figures.contains(&"OS3 : conventions actives"),
        "{figures:?}"
    );
    // The text form, as a person reads it.
    let text = w.run(&["diff", "avant", "apres", "--year", "2020"]).stdout;
    assert!(
        text.contains("montant_total : 12\u{202f}000,00\u{a0}€ \u{2192} 14\u{202f}500,00\u{a0}€"),
        "{text}"
    );
    assert!(text.contains("partenaires : + P-1, \u{2212} P-2"), "{text}");
    assert!(text.contains("+ convention C-4 ajoutée"), "{text}");
    // CSV: one line per field change, for French Excel.
    let csv = w
        .run(&[
            "diff", "avant", "apres", "--year", "2020", "--format", "csv",
        ])
        .stdout;
    let rows = read_excel_fr(csv.as_bytes());
    assert_eq!(
        rows[0][..6],
        ["type", "cle", "changement", "colonne", "avant", "apres"]
    );
    assert!(rows.iter().any(|r| r[..6]
        == [
            "convention",
            "C-1",
            "modifie",
            "montant_total",
            "12000,00",
            "14500,00"
        ]));
}

#[test]
fn a_date_typed_as_text_is_no_change_and_a_broken_file_is() {
    let w = Workdir::new();
    csv(&w.join("avant"));
    csv(&w.join("apres"));
    // The same start date, typed ISO instead of French.
    let path = w.join("apres/conventions.csv");
    let text = std::fs::read(&path).expect("read");
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&text);
    let text = text.replace("01/02/2020", "2020-02-01");
    std::fs::write(&path, encoding_rs::WINDOWS_1252.encode(&text).0).expect("write");
    assert_eq!(diff_json(&w, "avant", "apres").0, 0);
    // A broken file on one side: exit 1, F001 named, the rest compared.
    w.write("apres/casse.xlsx", b"PK\x03\x04 not a workbook");
    let (code, json) = diff_json(&w, "avant", "apres");
    assert_eq!(code, 1);
    let appeared = json["anomalies_apparues"].to_string();
    assert!(
        appeared.contains("F001") && appeared.contains("casse.xlsx"),
        "{appeared}"
    );
    assert_eq!(json["enregistrements"], serde_json::json!([]));
    // The same broken file on both sides is no change.
    w.write("avant/casse.xlsx", b"PK\x03\x04 not a workbook");
    assert_eq!(diff_json(&w, "avant", "apres").0, 0);
    // A path that does not exist: diff cannot run.
    assert_eq!(w.run(&["diff", "avant", "nulle-part"]).code, 2);
}

#[test]
fn two_files_named_otherwise_are_one_submission_saved_twice() {
    let w = Workdir::new();
    // The parc merged over the rows: S005, an anomaly about the file, on both sides.
    xlsx_with_parc(&w.join("avesnois-v1.xlsx"), &CONVENTIONS, Some("AVE"));
    xlsx_with_parc(&w.join("avesnois-v2.xlsx"), &CONVENTIONS, Some("AVE"));
    let (code, json) = diff_json(&w, "avesnois-v1.xlsx", "avesnois-v2.xlsx");
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["identiques"], true);
    assert_eq!(json["fichiers_avant_seulement"], serde_json::json!([]));
    assert_eq!(json["fichiers_apres_seulement"], serde_json::json!([]));
    assert_eq!(json["anomalies_apparues"], serde_json::json!([]), "{json}");
    assert_eq!(json["anomalies_disparues"], serde_json::json!([]), "{json}");
    let text = w.run(&["diff", "avesnois-v1.xlsx", "avesnois-v2.xlsx"]);
    assert_eq!(text.stdout, "aucune différence\n");

    // A real change is told where it is, in the file that holds it.
    let [c1, c2, c3] = CONVENTIONS;
    let changed = [
        Conv {
            amount: 14500.0,
            ..c1
        },
        c2,
        c3,
    ];
    xlsx_with_parc(&w.join("avesnois-v2.xlsx"), &changed, Some("AVE"));
    let text = w.run(&[
        "diff",
        "avesnois-v1.xlsx",
        "avesnois-v2.xlsx",
        "--year",
        "2020",
    ]);
    assert_eq!(text.code, 1);
    assert!(
        !text.stdout.contains("fichier seulement"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("~ convention C-1 modifiée (avesnois-v2.xlsx, feuille Conventions, ligne 2)"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("0 anomalie apparue, 0 disparue"),
        "{}",
        text.stdout
    );

    // Two folders still match their files by name.
    std::fs::create_dir_all(w.join("avant")).expect("folder");
    std::fs::create_dir_all(w.join("apres")).expect("folder");
    std::fs::copy(w.join("avesnois-v1.xlsx"), w.join("avant/avesnois-v1.xlsx")).expect("copy");
    std::fs::copy(w.join("avesnois-v1.xlsx"), w.join("apres/avesnois-v2.xlsx")).expect("copy");
    let folders = w.run(&["diff", "avant", "apres"]);
    assert_eq!(folders.code, 1);
    assert!(
        folders
            .stdout
            .contains("fichier seulement après : avesnois-v2.xlsx"),
        "{}",
        folders.stdout
    );
}
