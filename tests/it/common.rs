//! Test helpers: a fresh folder per test, workbooks written with rust_xlsxwriter, and the real
//! binary run in that folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rust_xlsxwriter::{Workbook, Worksheet};

pub struct Workdir {
    dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Workdir {
    pub fn new() -> Self {
        Workdir {
            dir: tempfile::tempdir().expect("temporary folder"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folder");
        }
        std::fs::write(path, bytes).expect("write fixture");
    }

    pub fn read(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn read_text(&self, rel: &str) -> String {
        String::from_utf8(self.read(rel)).expect("UTF-8 output")
    }

    /// Copies the repository's sample data set into `input/`.
    pub fn copy_sample_input(&self) {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("input");
        std::fs::create_dir_all(self.join("input")).expect("input/");
        for entry in std::fs::read_dir(src).expect("input/") {
            let entry = entry.expect("entry");
            std::fs::copy(entry.path(), self.join("input").join(entry.file_name())).ok();
        }
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let output: Output = Command::new(env!("CARGO_BIN_EXE_enrx"))
            .args(args)
            .current_dir(self.path())
            .env_remove("ENRX_INPUT")
            .env_remove("ENRX_OUTPUT")
            .env_remove("ENRX_REFERENTIEL")
            .env("NO_COLOR", "1")
            .output()
            .expect("run enrx");
        let run = Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        assert!(
            !run.stderr.contains("panicked") && !run.stderr.contains("panique"),
            "enrx panicked:\n{}",
            run.stderr
        );
        run
    }
}

/// A cell of a test workbook.
#[derive(Clone)]
pub enum C {
    S(&'static str),
    T(String),
    Empty,
}

pub fn write_rows(ws: &mut Worksheet, rows: &[Vec<C>]) {
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                C::S(s) => {
                    ws.write(r, c, *s).expect("cell");
                }
                C::T(s) => {
                    ws.write(r, c, s.as_str()).expect("cell");
                }
                C::Empty => {}
            }
        }
    }
}

/// Writes a workbook with the given sheets (name, rows) to `path`.
pub fn workbook(path: &Path, sheets: &[(&str, Vec<Vec<C>>)]) {
    let mut wb = Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet().set_name(*name).expect("sheet name");
        write_rows(ws, rows);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("folder");
    }
    wb.save(path).expect("save workbook");
}

pub const CONVENTION_HEADER: [&str; 16] = [
    "id",
    "intitule",
    "echelle",
    "parc",
    "partenaires",
    "objectifs",
    "thematique",
    "programme",
    "date_signature",
    "date_debut",
    "date_fin",
    "montant_total",
    "part_region",
    "part_europe",
    "part_autres",
    "statut",
];

pub const PARTNER_HEADER: [&str; 9] = [
    "id",
    "nom",
    "type",
    "siret",
    "rna",
    "code_postal",
    "commune",
    "email",
    "telephone",
];

pub fn header(names: &[&'static str]) -> Vec<C> {
    names.iter().map(|n| C::S(n)).collect()
}

/// A convention row from its 16 cells as text ("" for empty).
/// A valid local convention of 2019 (AVE, partner P-1, OS1, 100 €, soldée) with some cells
/// changed: `(column index, value)`.
pub fn convention_row(id: &str, edits: &[(usize, &str)]) -> Vec<C> {
    let mut cells = [
        id,
        "x",
        "locale",
        "AVE",
        "P-1",
        "OS1",
        "",
        "",
        "",
        "01/02/2019",
        "31/12/2019",
        "100",
        "",
        "",
        "",
        "soldée",
    ];
    for &(i, v) in edits {
        cells[i] = v;
    }
    row(cells)
}

pub fn row(cells: [&str; 16]) -> Vec<C> {
    cells
        .iter()
        .map(|c| {
            if c.is_empty() {
                C::Empty
            } else {
                C::T(c.to_string())
            }
        })
        .collect()
}

pub fn text_row(cells: &[&str]) -> Vec<C> {
    cells
        .iter()
        .map(|c| {
            if c.is_empty() {
                C::Empty
            } else {
                C::T(c.to_string())
            }
        })
        .collect()
}

/// Reads a `;`-separated UTF-8-with-BOM CSV as French Excel would.
pub fn read_excel_fr(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "excel-fr CSV starts with a BOM"
    );
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(&bytes[3..]);
    reader
        .records()
        .map(|r| r.expect("CSV record").iter().map(str::to_string).collect())
        .collect()
}

/// A French decimal (`1234,56`) as cents.
pub fn cents(s: &str) -> i64 {
    let (units, frac) = s.split_once(',').unwrap_or((s, "00"));
    let sign = if units.starts_with('-') { -1 } else { 1 };
    sign * (units.trim_start_matches('-').parse::<i64>().expect("units") * 100
        + frac.parse::<i64>().expect("cents"))
}

/// A zip archive from (name, content) pairs, deflated.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
        for (name, data) in entries {
            z.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut z, data).unwrap();
        }
        z.finish().unwrap();
    }
    out
}

/// The codes of the diagnostics of `validate --format json`'s output, in order.
pub fn codes(json: &serde_json::Value) -> Vec<&str> {
    json["diagnostics"]
        .as_array()
        .map(|list| list.iter().filter_map(|d| d["code"].as_str()).collect())
        .unwrap_or_default()
}
