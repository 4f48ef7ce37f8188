//! What changed between two submissions (`enrx diff`): records matched by key and compared as
//! typed, the effect on the year's figures, the anomalies that appeared or went. The model
//! here is what the renderers show (`render::changes`).

pub mod snapshot;

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity, Tally};
use crate::figures::Report;
use crate::model::schema::ColumnKind;
use crate::model::{CellValue, SheetKind};
pub use snapshot::{Place, Record, Snapshot};

/// One side of the comparison, read and checked as `validate` reads it.
pub struct Side<'a> {
    /// The files read, as this side names them (relative to its folder).
    pub files: Vec<String>,
    pub snapshot: &'a Snapshot,
    /// The diagnostics kept (at most `--max-anomalies` of a code in a file).
    pub diagnostics: &'a [Diagnostic],
    /// Every diagnostic made, counted by code, and the codes of which some were left out.
    pub tally: &'a Tally,
    /// `Diagnostic::file` → the file as this side names it.
    pub file_names: &'a BTreeMap<String, String>,
    pub report: &'a Report,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    #[serde(rename = "ajoute")]
    Added,
    #[serde(rename = "retire")]
    Removed,
    #[serde(rename = "modifie")]
    Changed,
}

/// A field whose value differs.
#[derive(Debug, Clone, Serialize)]
pub struct FieldChange {
    #[serde(rename = "colonne")]
    pub column: &'static str,
    #[serde(skip)]
    pub kind: ColumnKind,
    #[serde(rename = "avant")]
    pub before: CellValue,
    #[serde(rename = "apres")]
    pub after: CellValue,
}

/// A record added, removed or changed.
#[derive(Debug, Clone, Serialize)]
pub struct RecordChange {
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(rename = "cle")]
    pub key: String,
    #[serde(rename = "changement")]
    pub change: Change,
    #[serde(rename = "avant")]
    pub before: Option<Place>,
    #[serde(rename = "apres")]
    pub after: Option<Place>,
    #[serde(rename = "champs")]
    pub fields: Vec<FieldChange>,
    /// The key is present more than once on a side: its occurrences are compared in order.
    #[serde(rename = "occurrences")]
    pub occurrences: Option<(usize, usize)>,
}

/// A figure of the year's report.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum FigureValue {
    Count(usize),
    Money(Decimal),
    Quantity(Decimal),
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureChange {
    #[serde(rename = "chiffre")]
    pub label: String,
    #[serde(rename = "avant")]
    pub before: FigureValue,
    #[serde(rename = "apres")]
    pub after: FigureValue,
}

/// An anomaly on one side only, identified by its code and what it is about (not its cell).
#[derive(Debug, Clone, Serialize)]
pub struct AnomalyChange {
    pub code: &'static str,
    #[serde(rename = "gravite")]
    pub severity: Severity,
    #[serde(rename = "sujet")]
    pub subject: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Changes {
    #[serde(rename = "fichiers_avant_seulement")]
    pub files_before_only: Vec<String>,
    #[serde(rename = "fichiers_apres_seulement")]
    pub files_after_only: Vec<String>,
    #[serde(rename = "enregistrements")]
    pub records: Vec<RecordChange>,
    #[serde(rename = "chiffres")]
    pub figures: Vec<FigureChange>,
    #[serde(rename = "anomalies_apparues")]
    pub anomalies_appeared: Vec<AnomalyChange>,
    #[serde(rename = "anomalies_disparues")]
    pub anomalies_gone: Vec<AnomalyChange>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.files_before_only.is_empty()
            && self.files_after_only.is_empty()
            && self.records.is_empty()
            && self.figures.is_empty()
            && self.anomalies_appeared.is_empty()
            && self.anomalies_gone.is_empty()
    }
}

/// The French name of a kind of record.
pub fn kind_label(kind: SheetKind) -> &'static str {
    match kind {
        SheetKind::Conventions => "convention",
        SheetKind::Partenaires => "partenaire",
        SheetKind::Indicateurs => "indicateur",
    }
}

/// Compares the two sides.
pub fn compare(before: &Side, after: &Side) -> Changes {
    let only = |a: &[String], b: &[String]| {
        let b: BTreeSet<&String> = b.iter().collect();
        a.iter().filter(|f| !b.contains(f)).cloned().collect()
    };
    let (appeared, gone) = anomalies(before, after);
    Changes {
        files_before_only: only(&before.files, &after.files),
        files_after_only: only(&after.files, &before.files),
        records: records(before.snapshot, after.snapshot),
        figures: figures(before.report, after.report),
        anomalies_appeared: appeared,
        anomalies_gone: gone,
    }
}

fn group(snapshot: &Snapshot) -> BTreeMap<(SheetKind, &str), Vec<&Record>> {
    let mut groups: BTreeMap<(SheetKind, &str), Vec<&Record>> = BTreeMap::new();
    for r in &snapshot.records {
        groups.entry((r.kind, r.key.as_str())).or_default().push(r);
    }
    groups
}

fn field_changes(a: &Record, b: &Record) -> Vec<FieldChange> {
    a.fields
        .iter()
        .zip(&b.fields)
        .filter(|((_, va), (_, vb))| va != vb)
        .map(|((spec, va), (_, vb))| FieldChange {
            column: spec.name,
            kind: spec.kind,
            before: va.clone(),
            after: vb.clone(),
        })
        .collect()
}

/// Records matched by kind and key; the occurrences of a repeated key are paired in order.
fn records(before: &Snapshot, after: &Snapshot) -> Vec<RecordChange> {
    let (b, a) = (group(before), group(after));
    let keys: BTreeSet<&(SheetKind, &str)> = b.keys().chain(a.keys()).collect();
    let mut out = Vec::new();
    for key in keys {
        let none = Vec::new();
        let olds = b.get(key).unwrap_or(&none);
        let news = a.get(key).unwrap_or(&none);
        let occurrences = (olds.len() > 1 || news.len() > 1).then_some((olds.len(), news.len()));
        for i in 0..olds.len().max(news.len()) {
            let (old, new) = (olds.get(i), news.get(i));
            let (change, fields) = match (old, new) {
                (Some(o), Some(n)) => {
                    let fields = field_changes(o, n);
                    if fields.is_empty() {
                        continue;
                    }
                    (Change::Changed, fields)
                }
                (Some(_), None) => (Change::Removed, Vec::new()),
                (None, Some(_)) => (Change::Added, Vec::new()),
                (None, None) => continue,
            };
            out.push(RecordChange {
                kind: kind_label(key.0),
                key: key.1.to_string(),
                change,
                before: old.map(|r| r.place.clone()),
                after: new.map(|r| r.place.clone()),
                fields,
                occurrences,
            });
        }
    }
    out
}

/// The year's key figures and each objective's amount and indicators, where they differ.
fn figures(before: &Report, after: &Report) -> Vec<FigureChange> {
    let mut out = Vec::new();
    let mut push = |label: String, b: FigureValue, a: FigureValue| {
        if b != a {
            out.push(FigureChange {
                label,
                before: b,
                after: a,
            });
        }
    };
    let (tb, ta) = (&before.totals, &after.totals);
    use FigureValue::{Count, Money, Quantity};
    push(
        "conventions actives".into(),
        Count(tb.active_conventions),
        Count(ta.active_conventions),
    );
    push(
        "montant annualisé".into(),
        Money(tb.amounts.total),
        Money(ta.amounts.total),
    );
    push(
        "part Région annualisée".into(),
        Money(tb.amounts.region),
        Money(ta.amounts.region),
    );
    push(
        "part Europe annualisée".into(),
        Money(tb.amounts.europe),
        Money(ta.amounts.europe),
    );
    push(
        "partenaires distincts".into(),
        Count(tb.distinct_partners),
        Count(ta.distinct_partners),
    );
    push(
        "associations partenaires".into(),
        Count(tb.association_partners),
        Count(ta.association_partners),
    );
    for (ob, oa) in before.objectives.iter().zip(&after.objectives) {
        let code = &ob.code;
        push(
            format!("{code} : conventions actives"),
            Count(ob.active_conventions),
            Count(oa.active_conventions),
        );
        push(
            format!("{code} : montant annualisé"),
            Money(ob.amounts.total),
            Money(oa.amounts.total),
        );
        for (ib, ia) in ob.indicators.iter().zip(&oa.indicators) {
            let value = |v| {
                if ib.unit.contains('€') {
                    Money(v)
                } else {
                    Quantity(v)
                }
            };
            push(
                format!("{} : réalisé", ib.code),
                value(ib.achieved),
                value(ia.achieved),
            );
        }
    }
    out
}

/// What an anomaly is about, the same on both sides whatever the cell: the record's kind, key
/// and column; else the file; else, for the data-set-wide checks, their message up to its
/// figures (« indicateur OS1-I2 sous sa cible en 2020 » : the figures after the colon change).
fn subject(side: &Side, d: &Diagnostic) -> String {
    if let Some(r) = d.record.and_then(|o| side.snapshot.at(o)) {
        let column = d
            .column
            .as_deref()
            .map(|c| format!(", {c}"))
            .unwrap_or_default();
        return format!("{} {}{column}", kind_label(r.kind), r.key);
    }
    if let Some(file) = &d.file {
        let name = side.file_names.get(file).unwrap_or(file);
        let sheet = d
            .sheet
            .as_deref()
            .map(|s| format!(", feuille {s}"))
            .unwrap_or_default();
        let column = d
            .column
            .as_deref()
            .map(|c| format!(", {c}"))
            .unwrap_or_default();
        return format!("fichier {name}{sheet}{column}");
    }
    d.message
        .split(" : ")
        .next()
        .unwrap_or(&d.message)
        .to_string()
}

fn anomaly_keys<'d>(side: &Side<'d>) -> BTreeMap<(&'static str, String), &'d Diagnostic> {
    side.diagnostics
        .iter()
        .filter(|d| d.omitted.is_none())
        .map(|d| ((d.code, subject(side, d)), d))
        .collect()
}

/// Anomalies that appeared or went, by code and subject; a code whose list was cut short
/// (`--max-anomalies`) on either side cannot be compared one by one: only its counts are.
fn anomalies(before: &Side, after: &Side) -> (Vec<AnomalyChange>, Vec<AnomalyChange>) {
    let truncated: BTreeSet<&'static str> = before
        .tally
        .truncated
        .union(&after.tally.truncated)
        .copied()
        .collect();
    let (b, a) = (anomaly_keys(before), anomaly_keys(after));
    let only = |x: &BTreeMap<(&'static str, String), &Diagnostic>,
                y: &BTreeMap<(&'static str, String), &Diagnostic>| {
        x.iter()
            .filter(|((code, _), _)| !truncated.contains(code))
            .filter(|(k, _)| !y.contains_key(*k))
            .map(|((code, subject), d)| AnomalyChange {
                code,
                severity: d.severity,
                subject: subject.clone(),
                message: d.message.clone(),
            })
            .collect()
    };
    let (mut appeared, mut gone): (Vec<AnomalyChange>, Vec<AnomalyChange>) =
        (only(&a, &b), only(&b, &a));
    for code in truncated {
        let count = |side: &Side| side.tally.per_code.get(code).copied().unwrap_or(0);
        let (n_before, n_after) = (count(before), count(after));
        if n_before == n_after {
            continue;
        }
        let severity = before
            .diagnostics
            .iter()
            .chain(after.diagnostics)
            .find(|d| d.code == code)
            .map_or(Severity::Erreur, |d| d.severity);
        let change = AnomalyChange {
            code,
            severity,
            subject: format!(
                "{} avant, {} après",
                crate::text::french::format_integer(n_before as i64),
                crate::text::french::format_integer(n_after as i64)
            ),
            message: "liste tronquée par --max-anomalies : seuls les nombres sont comparés".into(),
        };
        if n_after > n_before {
            appeared.push(change);
        } else {
            gone.push(change);
        }
    }
    (appeared, gone)
}
