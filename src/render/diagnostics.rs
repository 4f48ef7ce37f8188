//! Diagnostics as text (rustc-style), JSON and CSV (DESIGN §5).

use serde::Serialize;

use super::csv::{CsvError, Dialect, Value, write_table};
use crate::diagnostic::{Counts, Diagnostic, Severity};
use crate::text::plural;

/// How many files and data rows were read, for the closing line.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ReadCounts {
    pub fichiers: usize,
    pub lignes: usize,
}

/// Colours for a terminal; plain when piped or when NO_COLOR is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub colour: bool,
}

impl Style {
    pub fn paint(self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(self, severity: Severity, text: &str) -> String {
        match severity {
            Severity::Erreur => self.paint("1;31", text),
            Severity::Avertissement => self.paint("1;33", text),
            Severity::Info => self.paint("1;36", text),
        }
    }
}

pub fn summary_line(counts: Counts, read: ReadCounts) -> String {
    format!(
        "bilan : {}, {}, {} — {} lu{}, {}",
        plural(counts.erreurs, "erreur", "erreurs"),
        plural(counts.avertissements, "avertissement", "avertissements"),
        plural(counts.infos, "info", "infos"),
        plural(read.fichiers, "fichier", "fichiers"),
        if read.fichiers > 1 { "s" } else { "" },
        plural(read.lignes, "ligne de données", "lignes de données"),
    )
}

/// The diagnostics kept, then the closing line of `counts` (of every diagnostic made).
pub fn text(diagnostics: &[Diagnostic], counts: Counts, read: ReadCounts, style: Style) -> String {
    let mut out = String::new();
    let arrow = style.paint("1;34", "-->");
    let eq = style.paint("1;34", "=");
    for d in diagnostics {
        let head = format!("{}[{}]", d.severity.label(), d.code);
        out.push_str(&format!(
            "{}: {}\n",
            style.severity(d.severity, &head),
            style.paint("1", &d.message)
        ));
        if let Some(location) = d.location() {
            out.push_str(&format!("  {arrow} {location}\n"));
        }
        if let Some(expected) = &d.expected {
            out.push_str(&format!("  {eq} attendu : {expected}\n"));
        }
        if let Some(hint) = &d.hint {
            out.push_str(&format!("  {eq} aide : {hint}\n"));
        }
        out.push('\n');
    }
    out.push_str(&summary_line(counts, read));
    out.push('\n');
    out
}

#[derive(Serialize)]
struct JsonReport<'a> {
    outil: &'static str,
    version: &'static str,
    resume: JsonSummary,
    diagnostics: &'a [Diagnostic],
}

#[derive(Serialize)]
struct JsonSummary {
    erreurs: usize,
    avertissements: usize,
    infos: usize,
    fichiers: usize,
    lignes: usize,
}

pub fn json(diagnostics: &[Diagnostic], counts: Counts, read: ReadCounts) -> String {
    let report = JsonReport {
        outil: "enrx",
        version: env!("CARGO_PKG_VERSION"),
        resume: JsonSummary {
            erreurs: counts.erreurs,
            avertissements: counts.avertissements,
            infos: counts.infos,
            fichiers: read.fichiers,
            lignes: read.lignes,
        },
        diagnostics,
    };
    // Serialising plain strings and numbers cannot fail.
    let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
    s.push('\n');
    s
}

pub const CSV_HEADERS: &[&str] = &[
    "code", "gravite", "message", "fichier", "feuille", "cellule", "ligne", "colonne", "en_tete",
    "valeur", "attendu", "aide",
];

pub fn csv(diagnostics: &[Diagnostic], dialect: Dialect) -> Result<Vec<u8>, CsvError> {
    write_table(dialect, CSV_HEADERS, &rows(diagnostics))
}

/// The cells of the CSV table, a row per diagnostic (also the workbook's Anomalies sheet).
pub fn rows(diagnostics: &[Diagnostic]) -> Vec<Vec<Value>> {
    diagnostics
        .iter()
        .map(|d| {
            vec![
                Value::from(d.code),
                Value::from(d.severity.label()),
                Value::from(d.message.clone()),
                Value::from(d.file.clone()),
                Value::from(d.sheet.clone()),
                Value::from(d.cell.clone()),
                d.row
                    .map(|r| Value::Integer(r as i64))
                    .unwrap_or(Value::Empty),
                Value::from(d.column.clone()),
                Value::from(d.header.clone()),
                Value::from(d.value.clone()),
                Value::from(d.expected.clone()),
                Value::from(d.hint.clone()),
            ]
        })
        .collect()
}
