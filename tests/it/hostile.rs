//! Hostile and broken inputs: each gives a diagnostic or exit 2, never a panic, a hang or an
//! unbounded allocation. Every case runs the real binary under a 2 GiB address-space limit
//! and a time limit.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::*;

const MEMORY_LIMIT_KIB: u64 = 2 * 1024 * 1024;
const TIME_LIMIT: Duration = Duration::from_secs(20);

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs enrx under `ulimit -v` and a deadline.
fn run_bounded(w: &Workdir, args: &[&str]) -> Outcome {
    let script = format!("ulimit -v {MEMORY_LIMIT_KIB}; exec \"$0\" \"$@\"");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_enrx"))
        .args(args)
        .current_dir(w.path())
        .env("NO_COLOR", "1")
        // Files, not pipes: a full pipe would block the child while we wait for it.
        .stdout(std::fs::File::create(w.join(".stdout")).expect("stdout file"))
        .stderr(std::fs::File::create(w.join(".stderr")).expect("stderr file"))
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            panic!("enrx {args:?} took more than {TIME_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = child.wait().expect("status");
    let o = Outcome {
        code: status.code(),
        stdout: String::from_utf8_lossy(&w.read(".stdout")).into_owned(),
        stderr: String::from_utf8_lossy(&w.read(".stderr")).into_owned(),
    };
    assert!(
        !o.stderr.contains("panicked") && !o.stderr.contains("panique"),
        "panic on {args:?}:\n{}",
        o.stderr
    );
    assert!(
        o.code.is_some(),
        "enrx {args:?} was killed by a signal:\n{}",
        o.stderr
    );
    o
}

/// Validates one file and expects `code` among the diagnostics, exit 1.
fn expect_code(w: &Workdir, file: &str, code: &str) -> Outcome {
    let o = run_bounded(w, &["validate", file]);
    assert_eq!(o.code, Some(1), "{file}: {}{}", o.stdout, o.stderr);
    assert!(
        o.stdout.contains(&format!("[{code}]")),
        "{file}: expected {code}\n{}",
        o.stdout
    );
    o
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Conventions" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// A hand-made xlsx with one sheet « Conventions » whose sheetData is `cells`.
fn crafted_xlsx(sheet_data: &str, dimension: &str, sst: Option<&[u8]>) -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>"#
    );
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    if let Some(sst) = sst {
        entries.push(("xl/sharedStrings.xml", sst));
    }
    zip_of(&entries)
}

fn valid_xlsx(w: &Workdir, rel: &str) {
    workbook(
        &w.join(rel),
        &[(
            "Conventions",
            vec![header(&CONVENTION_HEADER), convention_row("C-1", &[])],
        )],
    );
}

#[test]
fn empty_and_not_spreadsheets() {
    let w = Workdir::new();
    w.write("vide.xlsx", b"");
    w.write("vide.csv", b"");
    w.write(
        "aleatoire.xlsx",
        (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect::<Vec<_>>(),
    );
    w.write(
        "document.xlsx",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
    );
    w.write(
        "chiffre.xlsx",
        [
            &[0xD0u8, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..],
            &[0u8; 1024][..],
        ]
        .concat(),
    );
    assert!(
        expect_code(&w, "vide.xlsx", "F001")
            .stdout
            .contains("fichier vide")
    );
    expect_code(&w, "vide.csv", "F001");
    expect_code(&w, "aleatoire.xlsx", "F001");
    assert!(
        expect_code(&w, "document.xlsx", "F001")
            .stdout
            .contains("PDF")
    );
    assert!(
        expect_code(&w, "chiffre.xlsx", "F001")
            .stdout
            .contains("mot de passe")
    );
}

#[test]
fn truncated_xlsx() {
    let w = Workdir::new();
    valid_xlsx(&w, "entier.xlsx");
    let bytes = w.read("entier.xlsx");
    w.write("tronque.xlsx", &bytes[..bytes.len() / 2]);
    expect_code(&w, "tronque.xlsx", "F001");
}

#[test]
fn zip_bomb_shared_strings() {
    let w = Workdir::new();
    // 64 MiB of shared strings compress to a few hundred KiB; refused before parsing under a 16 MiB limit.
    let mut sst = String::from(
        r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>"#,
    );
    sst.push_str(&"a".repeat(64 * 1024 * 1024));
    sst.push_str("</t></si></sst>");
    w.write("bombe.xlsx", crafted_xlsx("", "A1", Some(sst.as_bytes())));
    let o = run_bounded(&w, &["validate", "bombe.xlsx", "--max-decompresse", "16"]);
    assert_eq!(o.code, Some(1));
    assert!(o.stdout.contains("[F002]"), "{}", o.stdout);
}

#[test]
fn lying_shared_string_count() {
    let w = Workdir::new();
    let sst = br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1000000000" uniqueCount="1000000000"><si><t>x</t></si></sst>"#;
    w.write(
        "sst.xlsx",
        crafted_xlsx(
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#,
            "A1",
            Some(sst),
        ),
    );
    expect_code(&w, "sst.xlsx", "F002");
}

#[test]
fn huge_dimension_and_far_cells() {
    let w = Workdir::new();
    let cells = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>intitule</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#;
    w.write("loin.xlsx", crafted_xlsx(cells, "A1:XFD1048576", None));
    let o = run_bounded(&w, &["validate", "loin.xlsx"]);
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
    let past = r#"<row r="1"><c r="A4000000000"><v>1</v></c></row>"#;
    w.write("hors-grille.xlsx", crafted_xlsx(past, "A1", None));
    let o = run_bounded(&w, &["validate", "hors-grille.xlsx"]);
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
}

#[test]
fn ods_without_content() {
    let w = Workdir::new();
    w.write(
        "sans-contenu.ods",
        zip_of(&[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            ("META-INF/manifest.xml", b"<manifest/>"),
        ]),
    );
    expect_code(&w, "sans-contenu.ods", "F001");
}

#[test]
fn ods_repeating_cells() {
    let w = Workdir::new();
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Conventions"><table:table-row table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    w.write(
        "repete.ods",
        zip_of(&[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            ("content.xml", content.as_bytes()),
        ]),
    );
    let o = run_bounded(&w, &["validate", "repete.ods"]);
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout.contains("[F002]") || o.stdout.contains("[F001]"),
        "{}",
        o.stdout
    );
}

#[test]
fn hostile_csv() {
    let w = Workdir::new();
    w.write("nul.csv", b"id;nom;type\nP-1;A\x00B;association\n");
    expect_code(&w, "nul.csv", "F001");
    // Invalid UTF-8 is read as Windows-1252 (F004), never rejected.
    w.write(
        "partenaires-latin.csv",
        b"id;nom;type\nP-1;Soci\xe9t\xe9;association\n",
    );
    let o = run_bounded(&w, &["validate", "partenaires-latin.csv"]);
    assert!(o.stdout.contains("[F004]"), "{}", o.stdout);
    let mut big = b"id;nom;type\nP-1;".to_vec();
    big.extend(std::iter::repeat_n(b'x', 10 * 1024 * 1024));
    big.extend(b";association\n");
    w.write("partenaires-gros.csv", big);
    expect_code(&w, "partenaires-gros.csv", "F002");
    let wide = (0..100_000)
        .map(|i| format!("c{i}"))
        .collect::<Vec<_>>()
        .join(";");
    w.write(
        "partenaires-large.csv",
        format!("id;nom;type;{wide}\nP-1;A;association\n"),
    );
    let o = run_bounded(&w, &["validate", "partenaires-large.csv"]);
    assert!(o.code == Some(0) || o.code == Some(1), "{}", o.stderr);
    let mut quotes = String::from("id;nom;type\nP-1;\"ouvert;association\n");
    for i in 0..50 {
        quotes.push_str(&format!("P-{i};Nom;association\n"));
    }
    w.write("partenaires-guillemet.csv", quotes);
    let o = expect_code(&w, "partenaires-guillemet.csv", "F001");
    assert!(o.stdout.contains("guillemet"), "{}", o.stdout);
}

#[test]
fn formulas_errors_and_injection_payloads() {
    let w = Workdir::new();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("Conventions").unwrap();
    for (c, h) in CONVENTION_HEADER.iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    let cells = [
        "C-1",
        "=cmd|' /C calc'!A0",
        "locale",
        "AVE",
        "P-1",
        "OS1",
        "@SUM(1)",
        "",
        "",
        "01/02/2019",
        "31/12/2019",
        "",
        "",
        "",
        "",
        "soldée",
    ];
    for (c, v) in cells.iter().enumerate() {
        if !v.is_empty() {
            ws.write_string(1, c as u16, *v).unwrap();
        }
    }
    ws.write_formula(
        1,
        11,
        rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!"),
    )
    .unwrap();
    ws.write_formula(1, 12, rust_xlsxwriter::Formula::new("=2+2").set_result("4"))
        .unwrap();
    wb.save(w.join("formules.xlsx")).unwrap();
    let o = run_bounded(&w, &["validate", "formules.xlsx", "--format", "csv"]);
    assert_eq!(o.code, Some(1));
    assert!(
        o.stdout.contains("V002") && o.stdout.contains("#DIV/0!"),
        "{}",
        o.stdout
    );
}

#[test]
fn same_path_twice_and_fifo_and_many_files() {
    let w = Workdir::new();
    valid_xlsx(&w, "input/a.xlsx");
    let o = run_bounded(&w, &["validate", "input/a.xlsx", "input/a.xlsx", "input"]);
    assert!(o.stdout.contains("1 fichier lu"), "{}", o.stdout);
    // A named pipe in the folder is not a file: it is skipped, never read (which would hang).
    let fifo = w.join("input/tube.csv");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if made {
        let o = run_bounded(&w, &["validate", "input"]);
        assert!(o.stdout.contains("1 fichier lu"), "{}", o.stdout);
        std::fs::remove_file(&fifo).unwrap();
    }
    for i in 0..3000 {
        w.write(&format!("input/lot/f{i:04}.csv"), "id;nom;type\n");
    }
    let o = run_bounded(&w, &["validate", "input"]);
    assert!(
        o.stdout.contains("3001 fichiers lus"),
        "{}",
        o.stdout.lines().last().unwrap_or("")
    );
}

#[test]
fn unreadable_file() {
    let w = Workdir::new();
    valid_xlsx(&w, "input/secret.xlsx");
    let path = w.join("input/secret.xlsx");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::File::open(&path).is_ok() {
        // Running as root: permissions do not apply; nothing to test here.
        return;
    }
    expect_code(&w, "input", "F001");
}

// ---- Our xlsx reader (`ingest::xlsx`) against crafted packages. Each hostile file sits beside
// a good one, which must still be read; sizes are those of the files that cost calamine 36 s
// and 3.4 GB (shared strings) or 16 s and 4.3 GB (sheet) when ENRX_BOMB_MIB says so
// (1024), smaller by default to keep the tests quick: the limits trip at the same place.

/// Inflated size of the bombs, in MiB.
fn bomb_mib() -> usize {
    std::env::var("ENRX_BOMB_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

/// A zip of `small` members and one member `big`: `head`, then `body` repeated up to `size`
/// bytes, then `tail`, deflated as it is written (never held whole in memory).
fn zip_with_big_member(
    small: &[(&str, &[u8])],
    big: &str,
    (head, body, tail): (&str, &str, &str),
    size: usize,
) -> Vec<u8> {
    use std::io::Write;
    let mut out = Vec::new();
    {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
        let options = zip::write::SimpleFileOptions::default();
        for (name, data) in small {
            z.start_file(*name, options).unwrap();
            z.write_all(data).unwrap();
        }
        z.start_file(big, options).unwrap();
        z.write_all(head.as_bytes()).unwrap();
        let chunk = body.repeat((1 << 20) / body.len() + 1);
        let mut written = head.len();
        while written < size {
            z.write_all(chunk.as_bytes()).unwrap();
            written += chunk.len();
        }
        z.write_all(tail.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    out
}

/// The package parts of a one-sheet workbook « Conventions », the sheet itself and the shared
/// strings left to the caller.
fn package_parts() -> Vec<(&'static str, &'static [u8])> {
    vec![
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
    ]
}

const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_TAIL: &str = "</sheetData></worksheet>";

/// Validates the folder `input` (a good workbook and `bad`) under the bounds; expects `code`
/// for `bad` with `reason` in its message, and the good workbook's row read.
/// Within seconds: run_bounded's deadline (README « Reading xlsx and xlsm » has the times of
/// the release build).
fn refused_beside_a_good_one(w: &Workdir, bad: &str, code: &str, reason: &str) {
    valid_xlsx(w, "input/bon.xlsx");
    let o = run_bounded(w, &["validate", "input", "--format", "json"]);
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("JSON");
    let diagnostics = v["diagnostics"].as_array().unwrap();
    let on_bad: Vec<&serde_json::Value> = diagnostics
        .iter()
        .filter(|d| d["file"].as_str().unwrap_or("").ends_with(bad))
        .collect();
    assert!(
        on_bad
            .iter()
            .any(|d| d["code"] == code && d["message"].as_str().unwrap().contains(reason)),
        "{bad}: expected {code} « {reason} »: {on_bad:?}"
    );
    assert_eq!(v["resume"]["fichiers"], 2, "{}", o.stdout);
    assert_eq!(
        v["resume"]["lignes"], 1,
        "the good file is read: {}",
        o.stdout
    );
}

#[test]
fn shared_strings_bomb() {
    let size = bomb_mib() << 20;
    let head = r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;
    let sheet = format!(r#"{SHEET_HEAD}<row r="1"><c r="A1" t="s"><v>0</v></c></row>{SHEET_TAIL}"#);
    let mut parts = package_parts();
    parts.push(("xl/worksheets/sheet1.xml", sheet.as_bytes()));
    // Many small strings (the table kept in memory), then one endless string (one XML event).
    let w = Workdir::new();
    w.write(
        "input/textes.xlsx",
        zip_with_big_member(
            &parts,
            "xl/sharedStrings.xml",
            (head, "<si><t>Convention de partenariat</t></si>", "</sst>"),
            size,
        ),
    );
    refused_beside_a_good_one(&w, "textes.xlsx", "F002", "--max-expansion");
    let w = Workdir::new();
    w.write(
        "input/texte.xlsx",
        zip_with_big_member(
            &parts,
            "xl/sharedStrings.xml",
            (&format!("{head}<si><t>"), "a", "</t></si></sst>"),
            size,
        ),
    );
    // One XML event is bounded on its own: the endless string is refused at 1 MiB, before its
    // expansion ratio counts; so it is with --max-expansion 0 (no ratio).
    refused_beside_a_good_one(&w, "texte.xlsx", "F002", "un seul élément XML");
    let o = run_bounded(
        &w,
        &["validate", "input/texte.xlsx", "--max-expansion", "0"],
    );
    assert_eq!(o.code, Some(1));
    assert!(
        o.stdout.contains("[F002]") && o.stdout.contains("un seul élément XML"),
        "{}",
        o.stdout
    );
}

#[test]
fn worksheet_bomb_after_a_real_header() {
    let size = (bomb_mib() * 3 / 2) << 20;
    let header: String = CONVENTION_HEADER
        .iter()
        .enumerate()
        .map(|(c, h)| {
            format!(
                r#"<c r="{}1" t="inlineStr"><is><t>{h}</t></is></c>"#,
                (b'A' + c as u8) as char
            )
        })
        .collect();
    let head = format!(r#"{SHEET_HEAD}<row r="1">{header}</row>"#);
    let row = r#"<row><c t="inlineStr"><is><t>C-X</t></is></c><c t="inlineStr"><is><t>x</t></is></c><c t="inlineStr"><is><t>locale</t></is></c></row>"#;
    let w = Workdir::new();
    let mut parts = package_parts();
    parts.retain(|(name, _)| *name != "xl/_rels/workbook.xml.rels");
    parts.push(("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()));
    w.write(
        "input/lignes.xlsx",
        zip_with_big_member(
            &parts,
            "xl/worksheets/sheet1.xml",
            (&head, row, SHEET_TAIL),
            size,
        ),
    );
    refused_beside_a_good_one(&w, "lignes.xlsx", "F002", "--max-expansion");
}

#[test]
fn entity_expansion_is_refused() {
    let w = Workdir::new();
    let laughs = r#"<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>"#;
    w.write(
        "input/rires.xlsx",
        crafted_xlsx(
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#,
            "A1",
            Some(laughs.as_bytes()),
        ),
    );
    refused_beside_a_good_one(&w, "rires.xlsx", "F001", "DOCTYPE");
    // Without a DTD, an entity of its own is unknown: refused, never expanded.
    let w = Workdir::new();
    let sst = r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>"#;
    w.write(
        "input/entite.xlsx",
        crafted_xlsx(
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#,
            "A1",
            Some(sst.as_bytes()),
        ),
    );
    refused_beside_a_good_one(&w, "entite.xlsx", "F001", "entité inconnue");
}

#[test]
fn deeply_nested_elements() {
    let w = Workdir::new();
    let depth = 400_000;
    let cells = format!(
        r#"<row r="1"><c r="A1" t="inlineStr"><is>{}{}</is></c></row>"#,
        "<x>".repeat(depth),
        "</x>".repeat(depth)
    );
    w.write("input/gigogne.xlsx", crafted_xlsx(&cells, "A1", None));
    refused_beside_a_good_one(&w, "gigogne.xlsx", "F001", "imbriqués");
}

#[test]
fn sixty_thousand_members() {
    let w = Workdir::new();
    let names: Vec<String> = (0..60_000).map(|i| format!("xl/media/m{i}.bin")).collect();
    let mut entries = package_parts();
    let sheet = format!("{SHEET_HEAD}{SHEET_TAIL}");
    entries.push(("xl/worksheets/sheet1.xml", sheet.as_bytes()));
    entries.extend(names.iter().map(|n| (n.as_str(), &b""[..])));
    w.write("input/membres.xlsx", zip_of(&entries));
    refused_beside_a_good_one(&w, "membres.xlsx", "F002", "éléments (limite 10 000)");
}

#[test]
fn duplicate_member_names() {
    let w = Workdir::new();
    let sheet = format!(
        r#"{SHEET_HEAD}<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>{SHEET_TAIL}"#
    );
    let mut entries = package_parts();
    entries.push(("xl/worksheets/sheet1.xml", sheet.as_bytes()));
    entries.push(("xl/worksheets/sheetX.xml", sheet.as_bytes()));
    let mut bytes = zip_of(&entries);
    // The second member renamed as the first, in its local and central headers alike.
    let (from, to) = (b"xl/worksheets/sheetX.xml", b"xl/worksheets/sheet1.xml");
    let mut at = 0;
    while let Some(i) = bytes[at..].windows(from.len()).position(|s| s == from) {
        bytes[at + i..at + i + to.len()].copy_from_slice(to);
        at += i + to.len();
    }
    w.write("input/doublon.xlsx", bytes);
    refused_beside_a_good_one(&w, "doublon.xlsx", "F001", "même nom");
}

#[test]
fn relationship_targets_out_of_the_package() {
    for (file, target) in [
        ("remonte.xlsx", "../../etc/passwd"),
        ("absolu.xlsx", "/etc/passwd"),
        ("hors-xl.xlsx", "/docProps/app.xml"),
    ] {
        let w = Workdir::new();
        let rels = WORKBOOK_RELS.replace("worksheets/sheet1.xml", target);
        let sheet = format!("{SHEET_HEAD}{SHEET_TAIL}");
        let mut entries = package_parts();
        entries.retain(|(name, _)| *name != "xl/_rels/workbook.xml.rels");
        entries.push(("xl/_rels/workbook.xml.rels", rels.as_bytes()));
        entries.push(("xl/worksheets/sheet1.xml", sheet.as_bytes()));
        entries.push(("docProps/app.xml", b"<Properties/>"));
        w.write(&format!("input/{file}"), zip_of(&entries));
        refused_beside_a_good_one(&w, file, "F001", "hors du classeur");
    }
}

/// `--max-expansion` raises the limit for a file one trusts (and 0 lifts it).
#[test]
fn max_expansion_option() {
    let w = Workdir::new();
    let header: String = CONVENTION_HEADER
        .iter()
        .enumerate()
        .map(|(c, h)| {
            format!(
                r#"<c r="{}1" t="inlineStr"><is><t>{h}</t></is></c>"#,
                (b'A' + c as u8) as char
            )
        })
        .collect();
    let head = format!(r#"{SHEET_HEAD}<row r="1">{header}</row>"#);
    let mut parts = package_parts();
    parts.push(("xl/sharedStrings.xml", b"<sst/>"));
    // 10 MiB of an element nobody reads, after a header: more than 100 times its compressed
    // size, past the grace.
    w.write(
        "repetitif.xlsx",
        zip_with_big_member(
            &parts,
            "xl/worksheets/sheet1.xml",
            (&head, "<x/>", SHEET_TAIL),
            10 << 20,
        ),
    );
    let o = run_bounded(&w, &["validate", "repetitif.xlsx"]);
    assert!(
        o.stdout.contains("[F002]") && o.stdout.contains("100 fois"),
        "{}",
        o.stdout
    );
    for limit in ["100000", "0"] {
        let o = run_bounded(
            &w,
            &["validate", "repetitif.xlsx", "--max-expansion", limit],
        );
        assert_eq!(o.code, Some(0), "--max-expansion {limit}: {}", o.stdout);
    }
}
