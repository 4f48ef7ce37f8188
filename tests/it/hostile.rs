//! Hostile and broken inputs: each gives a diagnostic or exit 2, never a panic, a hang or an
//! unbounded allocation. Every case runs the real binary under an address-space limit and a
//! time limit; the cases of a small cron host (issue 13) also check the peak memory the run
//! took, children included.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::*;

const MEMORY_LIMIT_KIB: u64 = 2 * 1024 * 1024;
const TIME_LIMIT: Duration = Duration::from_secs(20);

/// A small cron host: 1 GiB of address space, and at most 512 MiB resident at the peak (the
/// defaults end every file below it). The time limit leaves room for a loaded test machine:
/// the README gives the times measured on a quiet one.
const SMALL_HOST_KIB: u64 = 1024 * 1024;
const PEAK_LIMIT_KIB: u64 = 512 * 1024;
/// The binary `cargo test` builds is unoptimised, several times slower than a release: it
/// gets more time, and so does each file it reads (`--max-duree`) where the run reads much.
const SMALL_HOST_TIME: Duration =
    Duration::from_secs(if cfg!(debug_assertions) { 180 } else { 30 });
const FILE_TIME: &str = if cfg!(debug_assertions) { "150" } else { "30" };

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// Peak resident memory of enrx or of a child it waited for, in KiB.
    peak_kib: u64,
}

/// Runs enrx under `ulimit -v` and a deadline.
fn run_bounded(w: &Workdir, args: &[&str]) -> Outcome {
    run_within(w, args, MEMORY_LIMIT_KIB, TIME_LIMIT)
}

/// Runs enrx as a small cron host would: under its address-space limit, and checks the peak.
fn run_small_host(w: &Workdir, args: &[&str]) -> Outcome {
    let o = run_within(w, args, SMALL_HOST_KIB, SMALL_HOST_TIME);
    assert!(
        o.peak_kib <= PEAK_LIMIT_KIB,
        "enrx {args:?} took {} MiB at its peak",
        o.peak_kib / 1024
    );
    o
}

// The child is reaped by `wait4`, which gives its peak memory (`Child::wait` does not).
#[allow(clippy::zombie_processes)]
fn run_within(w: &Workdir, args: &[&str], memory_kib: u64, limit: Duration) -> Outcome {
    let script = format!("ulimit -v {memory_kib}; exec \"$0\" \"$@\"");
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
    let pid = child.id() as libc::pid_t;
    let start = Instant::now();
    // `sh` execs enrx: the child is enrx, and its usage is what `wait4` gives.
    let (status, usage) = loop {
        let mut status = 0;
        // SAFETY: a zeroed `rusage` is a valid value for wait4 to fill.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: waits for our own child, with pointers to live locals.
        let done = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if done == pid {
            break (status, usage);
        }
        assert!(done == 0, "wait4 failed");
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("enrx {args:?} took more than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let o = Outcome {
        code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        stdout: String::from_utf8_lossy(&w.read(".stdout")).into_owned(),
        stderr: String::from_utf8_lossy(&w.read(".stderr")).into_owned(),
        peak_kib: usage.ru_maxrss.max(0) as u64,
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

const ODS_NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0""#;

fn ods_cell(text: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
    )
}

/// The first row of a Conventions sheet, as an ods row.
fn ods_header() -> String {
    let cells: String = CONVENTION_HEADER.iter().map(|h| ods_cell(h)).collect();
    format!("<table:table-row>{cells}</table:table-row>")
}

/// An ods whose one sheet « Conventions » holds `rows` (XML).
fn ods_of(rows: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS}><office:body><office:spreadsheet><table:table table:name="Conventions">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", content.as_bytes()),
    ])
}

#[test]
fn ods_repeating_cells() {
    let w = Workdir::new();
    // 800 bytes claiming 16 384 × 6 000 cells (calamine built them: 2 s, 2.0 GB).
    let repeated = r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#;
    w.write("repete.ods", ods_of(repeated));
    // Without a header in its first rows, the sheet is given up after ten of them.
    let o = run_small_host(&w, &["validate", "repete.ods"]);
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("[S001]"), "{}", o.stdout);
    // Below a header, the repeats are expanded up to the cell limit.
    w.write(
        "repete-entete.ods",
        ods_of(&format!("{}{repeated}", ods_header())),
    );
    let o = run_small_host(&w, &["validate", "repete-entete.ods"]);
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout.contains("[F002]") && o.stdout.contains("cellules"),
        "{}",
        o.stdout
    );
}

/// An ods whose `content.xml` is `head`, then `row` repeated up to `bytes`, then the end.
fn ods_streamed(path: &std::path::Path, head: &str, row: &str, bytes: usize) {
    use std::io::Write;
    let file = std::fs::File::create(path).expect("ods");
    let mut z = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let options = zip::write::SimpleFileOptions::default();
    z.start_file("mimetype", zip::write::SimpleFileOptions::default())
        .unwrap();
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    z.start_file("content.xml", options.large_file(true))
        .unwrap();
    write!(
        z,
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS}><office:body><office:spreadsheet><table:table table:name="Conventions">{head}"#
    )
    .unwrap();
    let block = row.repeat((1 << 20) / row.len());
    for _ in 0..bytes / block.len() {
        z.write_all(block.as_bytes()).unwrap();
    }
    z.write_all(b"</table:table></office:spreadsheet></office:body></office:document-content>")
        .unwrap();
    z.finish().unwrap().into_inner().unwrap();
}

#[test]
fn ods_content_bomb() {
    let w = Workdir::new();
    // A gigabyte of one-cell rows below a header, deflated to a few megabytes (calamine read
    // it whole: 88 s). Refused before it is inflated: past 100 times its compressed size.
    let row = format!("<table:table-row>{}</table:table-row>", ods_cell("C-1"));
    ods_streamed(&w.join("bombe.ods"), &ods_header(), &row, 1 << 30);
    let size = std::fs::metadata(w.join("bombe.ods")).unwrap().len();
    assert!(size < 16 << 20, "{size} bytes");
    let o = run_small_host(&w, &["validate", "bombe.ods"]);
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("--max-expansion"), "{}", o.stdout);
    // With the guard lifted, it is read as a stream: each row is a broken convention, until
    // Excel's grid ends, in bounded memory and output.
    let o = run_small_host(
        &w,
        &[
            "validate",
            "bombe.ods",
            "--max-expansion",
            "100000",
            "--max-duree",
            FILE_TIME,
        ],
    );
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("[F002]"), "{}", o.stdout);
    assert!(
        o.stdout.len() < 1 << 20,
        "{} bytes of output",
        o.stdout.len()
    );
}

#[test]
fn sparse_files_over_the_size_limit() {
    let w = Workdir::new();
    for name in ["creux.xlsx", "creux.ods", "creux.csv"] {
        let file = std::fs::File::create(w.join(name)).unwrap();
        file.set_len(600 * 1024 * 1024).unwrap();
        let o = run_small_host(&w, &["validate", name]);
        assert_eq!(o.code, Some(1), "{name}: {}{}", o.stdout, o.stderr);
        assert!(
            o.stdout.contains("[F002]") && o.stdout.contains("600,0 Mio"),
            "{}",
            o.stdout
        );
    }
}

#[test]
fn three_million_empty_csv_rows() {
    let w = Workdir::new();
    let mut csv = format!("{}\n", CONVENTION_HEADER.join(";"));
    csv.push_str(&format!("{}\n", ";".repeat(15)).repeat(3_000_000));
    csv.push_str("C-1;x;locale;AVE;P-1;OS1;;;;01/02/2019;31/12/2019;-100;;;;soldée\n");
    w.write("conventions-vides.csv", csv);
    let o = run_small_host(
        &w,
        &[
            "validate",
            "conventions-vides.csv",
            "--max-duree",
            FILE_TIME,
        ],
    );
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("1 ligne de données"), "{}", o.stdout);
    assert!(o.stdout.contains("cellule L3000002"), "{}", o.stdout);
}

#[test]
fn a_cell_of_invisible_characters() {
    let w = Workdir::new();
    let invisible = "\u{200b}\u{200f}\u{200e}\u{2060}\u{feff}\u{202e}";
    workbook(
        &w.join("invisible.xlsx"),
        &[(
            "Conventions",
            vec![
                header(&CONVENTION_HEADER),
                convention_row("C-1", &[(1, invisible)]),
                convention_row("C-2\u{200f}", &[]),
            ],
        )],
    );
    let o = run_small_host(&w, &["validate", "invisible.xlsx"]);
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
    // It looks empty, and is: a required cell left blank.
    assert!(
        o.stdout.contains("[V001]") && o.stdout.contains("cellule B2"),
        "{}",
        o.stdout
    );
    for format in ["text", "csv", "json"] {
        let o = run_small_host(&w, &["validate", "invisible.xlsx", "--format", format]);
        assert!(
            !o.stdout.contains('\u{202e}') && !o.stdout.contains('\u{200f}'),
            "{format}: {:?}",
            o.stdout
        );
    }
}

#[test]
fn formulas_in_file_and_sheet_names() {
    let w = Workdir::new();
    let sheet = "=SOMME(A1;A2)";
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    // Excel forbids none of these characters in a sheet name but « [ ] : * ? / \ ».
    ws.set_name(sheet).unwrap();
    write_rows(
        ws,
        &[
            header(&CONVENTION_HEADER),
            convention_row("C-1", &[(11, "-5")]),
        ],
    );
    std::fs::create_dir_all(w.join("input")).unwrap();
    wb.save(w.join("input/+cmd.xlsx")).unwrap();
    w.write(
        "input/=1+2.csv",
        format!(
            "{}\nC-2;x;locale;AVE;P-9;OS1;;;;01/02/2019;31/12/2019;-7;;;;soldée\n",
            CONVENTION_HEADER.join(";")
        ),
    );
    // A negative number is a number; any other text starting so is a formula to Excel.
    let neutral = |rows: Vec<Vec<String>>| {
        for field in rows.iter().flatten() {
            let negative =
                field.starts_with('-') && field[1..].starts_with(|c: char| c.is_ascii_digit());
            assert!(
                negative || !field.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula came back: {field:?}"
            );
        }
    };
    for path in ["input/+cmd.xlsx", "input/=1+2.csv"] {
        let name = path.trim_start_matches("input/");
        std::fs::copy(w.join(path), w.join(name)).unwrap();
        let o = run_small_host(&w, &["validate", name, "--format", "csv"]);
        assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
        assert!(o.stdout.contains(&format!("'{name}")), "{}", o.stdout);
        neutral(read_excel_fr(o.stdout.as_bytes()));
        // rfc4180 is for programs: text is written raw.
        let o = run_small_host(
            &w,
            &[
                "validate",
                name,
                "--format",
                "csv",
                "--csv-dialect",
                "rfc4180",
            ],
        );
        assert!(o.stdout.contains(&format!(",{name},")), "{}", o.stdout);
    }
    let o = run_small_host(&w, &["validate", "+cmd.xlsx", "--format", "csv"]);
    assert!(o.stdout.contains(&format!("'{sheet}")), "{}", o.stdout);
    let o = run_small_host(
        &w,
        &[
            "report", "--input", "input", "--output", "sortie", "--year", "2019",
        ],
    );
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
    for entry in std::fs::read_dir(w.join("sortie/2019")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            neutral(read_excel_fr(&std::fs::read(&path).unwrap()));
        }
    }
}

#[test]
fn random_bytes_under_every_extension_beside_a_good_file() {
    let w = Workdir::new();
    valid_xlsx(&w, "input/bon.xlsx");
    let noise = |seed: u32, len: usize| -> Vec<u8> {
        let mut x = seed.wrapping_mul(2654435761).max(1);
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                (x >> 11) as u8
            })
            .collect()
    };
    const CFB: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let mut made = 0;
    for (i, ext) in ["xlsx", "xlsm", "xls", "xlsb", "ods", "csv"]
        .iter()
        .enumerate()
    {
        let i = i as u32;
        w.write(&format!("input/bruit-{ext}.{ext}"), noise(i + 1, 64 * 1024));
        // The right magic bytes, then noise: the parsers themselves have to say no.
        w.write(
            &format!("input/zip-{ext}.{ext}"),
            [b"PK\x03\x04".as_slice(), &noise(i + 11, 64 * 1024)].concat(),
        );
        w.write(
            &format!("input/ole-{ext}.{ext}"),
            [CFB, &noise(i + 21, 64 * 1024)].concat(),
        );
        made += 3;
    }
    let o = run_small_host(&w, &["validate", "input", "--format", "json"]);
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
    let json: serde_json::Value = serde_json::from_str(&o.stdout).expect("JSON");
    let diagnostics = json["diagnostics"].as_array().unwrap();
    let refused: std::collections::BTreeSet<&str> = diagnostics
        .iter()
        .filter(|d| matches!(d["code"].as_str(), Some("F001" | "F002")))
        .filter_map(|d| d["file"].as_str())
        .collect();
    // Every noisy file is refused but the CSV ones, which are text to a CSV reader.
    for f in &refused {
        assert!(!f.contains("bon.xlsx"), "{f}");
    }
    assert!(refused.len() >= made - 3, "{refused:?}");
    assert_eq!(json["resume"]["fichiers"], made + 1);
    // The good file is still read: its one convention is there.
    assert!(
        json["resume"]["lignes"].as_u64().unwrap() >= 1,
        "{}",
        json["resume"]
    );
}

#[test]
fn a_million_broken_rows() {
    let w = Workdir::new();
    let mut csv = format!("{}\n", CONVENTION_HEADER.join(";"));
    for i in 0..1_000_000 {
        csv.push_str(&format!("C-{i};;;;;;;;;;;;;;;\n"));
    }
    w.write("conventions-cassees.csv", csv);
    let o = run_small_host(
        &w,
        &[
            "validate",
            "conventions-cassees.csv",
            "--format",
            "json",
            "--max-duree",
            FILE_TIME,
        ],
    );
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    assert!(
        o.stdout.len() < 4 << 20,
        "{} bytes of output",
        o.stdout.len()
    );
    let json: serde_json::Value = serde_json::from_str(&o.stdout).expect("JSON");
    // Eight required cells empty on each row (the parc is not required without a scale):
    // counted exactly, a thousand kept of each code, then one line for the others.
    assert_eq!(json["resume"]["erreurs"], 8_000_000);
    assert_eq!(json["resume"]["lignes"], 1_000_000);
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1001);
    assert_eq!(diagnostics[1000]["omitted"], 7_999_000);
    assert_eq!(
        diagnostics[1000]["message"],
        "… et 7\u{202f}999\u{202f}000 autres V001 dans ce fichier"
    );
}

#[test]
fn a_file_past_its_time_is_over_limit_and_the_others_go_on() {
    let w = Workdir::new();
    valid_xlsx(&w, "input/bon.xlsx");
    let mut csv = format!("{}\n", CONVENTION_HEADER.join(";"));
    for i in 0..2_000_000 {
        csv.push_str(&format!(
            "C-{i};x;locale;AVE;P-1;OS1;;;;01/02/2019;31/12/2019;100;;;;soldée\n"
        ));
    }
    w.write("input/conventions-longues.csv", csv);
    let o = run_small_host(&w, &["validate", "input", "--max-duree", "1"]);
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout.contains("[F002]") && o.stdout.contains("--max-duree"),
        "{}",
        o.stdout
    );
    // Only the good file's row is counted: the other's rows count in nothing.
    assert!(
        o.stdout.contains("2 fichiers lus, 1 ligne de données"),
        "{}",
        o.stdout
    );
}

#[test]
fn an_xls_past_the_memory_of_its_reader() {
    let w = Workdir::new();
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ancien-format.xls");
    std::fs::copy(&fixture, w.join("ancien-format.xls")).unwrap();
    let o = run_small_host(&w, &["validate", "ancien-format.xls"]);
    assert!(!o.stdout.contains("[F002]"), "{}", o.stdout);
    let o = run_small_host(&w, &["validate", "ancien-format.xls", "--max-memoire", "1"]);
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout.contains("[F002]") && o.stdout.contains("--max-memoire"),
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
