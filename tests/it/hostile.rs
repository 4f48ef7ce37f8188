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
