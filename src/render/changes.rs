//! What changed between two submissions (`enrx diff`) as text, JSON and CSV.

use serde::Serialize;

use super::csv::{CsvError, Dialect, Value, write_table};
use super::diagnostics::Style;
use crate::compare::{Change, Changes, FieldChange, FigureValue, Place, RecordChange};
use crate::model::CellValue;
use crate::model::schema::ColumnKind;
use crate::text::french::{format_date, format_euros, format_quantity};
use crate::text::plural;

/// A value as French readers write it, in the form of its column.
pub fn cell_text(value: &CellValue, kind: ColumnKind) -> String {
    match value {
        CellValue::Empty => "(vide)".into(),
        CellValue::Invalid(raw) => format!("« {raw} » (illisible)"),
        CellValue::Text(t) => t.clone(),
        CellValue::List(items) => items.join(";"),
        CellValue::Date(d) => format_date(*d),
        CellValue::Decimal(v) if kind == ColumnKind::Money => format_euros(*v),
        CellValue::Decimal(v) => format_quantity(*v),
        CellValue::Year(y) => y.to_string(),
        CellValue::Word(w) => (*w).to_string(),
    }
}

/// « + P-0042, − P-0007 » for a list, « old → new » for anything else.
fn field_text(f: &FieldChange) -> String {
    if let (CellValue::List(old), CellValue::List(new)) = (&f.before, &f.after) {
        let added = new
            .iter()
            .filter(|x| !old.contains(x))
            .map(|x| format!("+ {x}"));
        let removed = old
            .iter()
            .filter(|x| !new.contains(x))
            .map(|x| format!("\u{2212} {x}"));
        return added.chain(removed).collect::<Vec<_>>().join(", ");
    }
    format!(
        "{} \u{2192} {}",
        cell_text(&f.before, f.kind),
        cell_text(&f.after, f.kind)
    )
}

pub fn figure_text(v: FigureValue) -> String {
    match v {
        FigureValue::Count(n) => n.to_string(),
        FigureValue::Money(m) => format_euros(m),
        FigureValue::Quantity(q) => format_quantity(q),
    }
}

fn place_text(p: &Place) -> String {
    let sheet = if p.sheet.is_empty() {
        String::new()
    } else {
        format!(", feuille {}", p.sheet)
    };
    format!("{}{sheet}, ligne {}", p.file, p.row)
}

fn change_label(r: &RecordChange) -> &'static str {
    let feminine = r.kind == "convention";
    match (r.change, feminine) {
        (Change::Added, true) => "ajoutée",
        (Change::Added, false) => "ajouté",
        (Change::Removed, true) => "retirée",
        (Change::Removed, false) => "retiré",
        (Change::Changed, true) => "modifiée",
        (Change::Changed, false) => "modifié",
    }
}

fn record_text(out: &mut String, r: &RecordChange, style: Style) {
    let mark = match r.change {
        Change::Added => style.paint("1;32", "+"),
        Change::Removed => style.paint("1;31", "\u{2212}"),
        Change::Changed => style.paint("1;33", "~"),
    };
    let key = if r.key.is_empty() {
        "(sans identifiant)"
    } else {
        &r.key
    };
    let place = r
        .after
        .as_ref()
        .or(r.before.as_ref())
        .map(place_text)
        .unwrap_or_default();
    out.push_str(&format!(
        "{mark} {} {key} {} ({place})\n",
        r.kind,
        change_label(r)
    ));
    if let Some((b, a)) = r.occurrences {
        out.push_str(&format!(
            "    identifiant en double : {b} fois avant, {a} fois après (comparées dans l'ordre)\n"
        ));
    }
    for f in &r.fields {
        out.push_str(&format!("    {} : {}\n", f.column, field_text(f)));
    }
}

/// The closing line.
pub fn summary(c: &Changes) -> String {
    if c.is_empty() {
        return "aucune différence".into();
    }
    let count = |change| c.records.iter().filter(|r| r.change == change).count();
    format!(
        "différences : {} ({} ajout{}, {} retrait{}, {} modification{}), {}, {} apparue{}, {} disparue{}",
        plural(c.records.len(), "enregistrement", "enregistrements"),
        count(Change::Added),
        if count(Change::Added) > 1 { "s" } else { "" },
        count(Change::Removed),
        if count(Change::Removed) > 1 { "s" } else { "" },
        count(Change::Changed),
        if count(Change::Changed) > 1 { "s" } else { "" },
        plural(c.figures.len(), "chiffre changé", "chiffres changés"),
        plural(c.anomalies_appeared.len(), "anomalie", "anomalies"),
        if c.anomalies_appeared.len() > 1 {
            "s"
        } else {
            ""
        },
        c.anomalies_gone.len(),
        if c.anomalies_gone.len() > 1 { "s" } else { "" },
    )
}

pub fn text(c: &Changes, year: i32, style: Style) -> String {
    let mut out = String::new();
    for f in &c.files_before_only {
        out.push_str(&format!("fichier seulement avant : {f}\n"));
    }
    for f in &c.files_after_only {
        out.push_str(&format!("fichier seulement après : {f}\n"));
    }
    for r in &c.records {
        record_text(&mut out, r, style);
    }
    if !c.figures.is_empty() {
        out.push_str(&format!("\nchiffres {year} :\n"));
        for f in &c.figures {
            out.push_str(&format!(
                "    {} : {} \u{2192} {}\n",
                f.label,
                figure_text(f.before),
                figure_text(f.after)
            ));
        }
    }
    for (title, list) in [
        ("anomalies apparues", &c.anomalies_appeared),
        ("anomalies disparues", &c.anomalies_gone),
    ] {
        if !list.is_empty() {
            out.push_str(&format!("\n{title} :\n"));
            for a in list {
                let head = format!("{}[{}] {}", a.severity.label(), a.code, a.message);
                if a.message.starts_with(&a.subject) {
                    out.push_str(&format!("    {head}\n"));
                } else {
                    out.push_str(&format!("    {head} ({})\n", a.subject));
                }
            }
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&summary(c));
    out.push('\n');
    out
}

#[derive(Serialize)]
struct JsonOut<'a> {
    outil: &'static str,
    version: &'static str,
    annee: i32,
    identiques: bool,
    #[serde(flatten)]
    changes: &'a Changes,
}

/// Values in JSON: typed where JSON has the type, French text for the rest.
pub fn json(c: &Changes, year: i32) -> String {
    let out = JsonOut {
        outil: "enrx",
        version: env!("CARGO_PKG_VERSION"),
        annee: year,
        identiques: c.is_empty(),
        changes: c,
    };
    serde_json::to_string_pretty(&out).unwrap_or_default() + "\n"
}

fn csv_value(v: &CellValue, kind: ColumnKind) -> Value {
    match v {
        CellValue::Empty => Value::Empty,
        CellValue::Date(d) => Value::Date(*d),
        CellValue::Decimal(m) if kind == ColumnKind::Money => Value::Money(*m),
        CellValue::Decimal(q) => Value::Quantity(*q),
        CellValue::Year(y) => Value::Integer(i64::from(*y)),
        other => Value::Text(cell_text(other, kind)),
    }
}

fn figure_value(v: FigureValue) -> Value {
    match v {
        FigureValue::Count(n) => Value::Integer(n as i64),
        FigureValue::Money(m) => Value::Money(m),
        FigureValue::Quantity(q) => Value::Quantity(q),
    }
}

/// One CSV line: what, its key, the change, the column, before, after, where before and after.
struct Line {
    what: &'static str,
    key: String,
    change: &'static str,
    column: Value,
    before: Value,
    after: Value,
    places: (String, String),
}

impl Line {
    fn new(what: &'static str, key: impl Into<String>, change: &'static str) -> Self {
        Line {
            what,
            key: key.into(),
            change,
            column: Value::Empty,
            before: Value::Empty,
            after: Value::Empty,
            places: Default::default(),
        }
    }

    fn cells(self) -> Vec<Value> {
        vec![
            self.what.into(),
            self.key.into(),
            self.change.into(),
            self.column,
            self.before,
            self.after,
            self.places.0.into(),
            self.places.1.into(),
        ]
    }
}

fn change_word(change: Change) -> &'static str {
    match change {
        Change::Added => "ajoute",
        Change::Removed => "retire",
        Change::Changed => "modifie",
    }
}

fn record_lines(r: &RecordChange, lines: &mut Vec<Line>) {
    let place = |p: &Option<Place>| p.as_ref().map(place_text).unwrap_or_default();
    let line = || Line {
        places: (place(&r.before), place(&r.after)),
        ..Line::new(r.kind, r.key.as_str(), change_word(r.change))
    };
    if r.fields.is_empty() {
        lines.push(line());
    }
    for f in &r.fields {
        lines.push(Line {
            column: f.column.into(),
            before: csv_value(&f.before, f.kind),
            after: csv_value(&f.after, f.kind),
            ..line()
        });
    }
}

/// One line per field change (and per file, record added or removed, figure, anomaly).
pub fn csv(c: &Changes, dialect: Dialect) -> Result<Vec<u8>, CsvError> {
    let mut lines = Vec::new();
    for f in &c.files_before_only {
        lines.push(Line::new("fichier", f.as_str(), "retire"));
    }
    for f in &c.files_after_only {
        lines.push(Line::new("fichier", f.as_str(), "ajoute"));
    }
    for r in &c.records {
        record_lines(r, &mut lines);
    }
    for f in &c.figures {
        lines.push(Line {
            before: figure_value(f.before),
            after: figure_value(f.after),
            ..Line::new("chiffre", f.label.as_str(), "modifie")
        });
    }
    for a in &c.anomalies_appeared {
        lines.push(Line {
            after: a.message.as_str().into(),
            ..Line::new("anomalie", format!("{} {}", a.code, a.subject), "ajoute")
        });
    }
    for a in &c.anomalies_gone {
        lines.push(Line {
            before: a.message.as_str().into(),
            ..Line::new("anomalie", format!("{} {}", a.code, a.subject), "retire")
        });
    }
    let rows: Vec<Vec<Value>> = lines.into_iter().map(Line::cells).collect();
    let headers = [
        "type",
        "cle",
        "changement",
        "colonne",
        "avant",
        "apres",
        "lieu_avant",
        "lieu_apres",
    ];
    write_table(dialect, &headers, &rows)
}
