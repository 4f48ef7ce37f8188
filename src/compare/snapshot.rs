//! One side of a comparison: every record read, by its key, with each field's value as typed.

use std::collections::HashMap;

use crate::model::schema::{self, Column, Spec};
use crate::model::{
    CellValue, Convention, Origin, Referential, RowChunk, SheetAt, SheetInfo, SheetKind,
};

/// Where a record was read, as the user names it: the file relative to its side's folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Place {
    #[serde(rename = "fichier")]
    pub file: String,
    #[serde(rename = "feuille")]
    pub sheet: String,
    #[serde(rename = "ligne")]
    pub row: u32,
}

/// A record of one side: its kind, its key, where it was read, every field's value.
#[derive(Debug, Clone)]
pub struct Record {
    pub kind: SheetKind,
    pub key: String,
    pub origin: Origin,
    pub place: Place,
    pub fields: Vec<(&'static Spec, CellValue)>,
}

/// Every record of one side, in the order they were read once `finish` has sorted them.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub records: Vec<Record>,
    by_origin: HashMap<Origin, usize>,
}

fn values<R>(record: &R, columns: &[&'static Column<R>]) -> Vec<(&'static Spec, CellValue)> {
    columns
        .iter()
        .map(|c| (&c.spec, (c.field)(record).value()))
        .collect()
}

fn text(value: &CellValue) -> String {
    match value {
        CellValue::Text(t) | CellValue::Invalid(t) => t.clone(),
        CellValue::Year(y) => y.to_string(),
        _ => String::new(),
    }
}

/// A convention's values, with its references as the referential codes they name: « Avesnois »
/// and « AVE », « 1;3 » and « OS1;OS3 » are the same data.
fn convention_values(c: &Convention, r: &Referential) -> Vec<(&'static Spec, CellValue)> {
    let mut fields = values(c, &schema::convention::ALL);
    for (spec, value) in &mut fields {
        let code = |name: &str| -> Option<String> {
            match spec.name {
                n if n == schema::convention::PARC.name() => {
                    r.find_parc(name).map(|i| r.parcs[i].code.clone())
                }
                n if n == schema::convention::PROGRAMME.name() => {
                    r.find_programme(name).map(|i| r.programmes[i].code.clone())
                }
                n if n == schema::convention::OBJECTIFS.name() => {
                    r.find_objective(name).map(|i| r.objectives[i].code.clone())
                }
                _ => None,
            }
        };
        match value {
            CellValue::Text(t) => {
                if let Some(c) = code(t) {
                    *t = c;
                }
            }
            CellValue::List(items) => {
                for item in items.iter_mut() {
                    if let Some(c) = code(item) {
                        *item = c;
                    }
                }
                items.sort();
                items.dedup();
            }
            _ => {}
        }
    }
    fields
}

impl Snapshot {
    /// Takes one chunk of a sheet; `file` is the file as this side names it.
    pub fn add(&mut self, sheet: SheetAt, file: &str, rows: &RowChunk, referential: &Referential) {
        let place = |row| Place {
            file: file.to_string(),
            sheet: sheet.name.to_string(),
            row,
        };
        let mut push = |kind, key: String, origin: Origin, fields| {
            self.by_origin.insert(origin, self.records.len());
            self.records.push(Record {
                kind,
                key,
                origin,
                place: place(origin.row),
                fields,
            });
        };
        for c in &rows.conventions {
            let key = c.id.text().unwrap_or_default().to_string();
            push(
                SheetKind::Conventions,
                key,
                c.origin,
                convention_values(c, referential),
            );
        }
        for p in &rows.partners {
            let key = p.id.text().unwrap_or_default().to_string();
            push(
                SheetKind::Partenaires,
                key,
                p.origin,
                values(p, &schema::partner::ALL),
            );
        }
        for v in &rows.indicators {
            let fields = values(v, &schema::indicator::ALL);
            // indicator + year + parc
            let key = [0, 1, 3]
                .iter()
                .map(|&i| text(&fields[i].1))
                .collect::<Vec<_>>()
                .join(" ");
            push(
                SheetKind::Indicateurs,
                key.trim().to_string(),
                v.origin,
                fields,
            );
        }
    }

    /// Sorts the records in the order they were read (files are read in parallel).
    pub fn finish(&mut self) {
        self.records.sort_by_key(|r| r.origin);
        self.by_origin = self
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.origin, i))
            .collect();
    }

    /// Gives the rows a vertical merge covers the value of its first cell where the reader
    /// told the merge only after handing those rows over (a streamed xlsx lists its merges
    /// after its cells), as the checks and figures read them. Call after [`Snapshot::finish`].
    pub fn fill_merges(&mut self, sheets: &[SheetInfo]) {
        for sheet in sheets {
            for merge in sheet.merges.iter().filter(|m| m.filled_after_checks) {
                let (first, last) = (merge.range.first_row, merge.range.last_row);
                let at = |row| Origin {
                    sheet: sheet.id,
                    row,
                };
                let value = self.at(at(first)).and_then(|r| {
                    r.fields
                        .iter()
                        .find(|(spec, _)| spec.name == merge.column)
                        .map(|(_, v)| v.clone())
                });
                let Some(value) = value else { continue };
                // The records are in origin order: the covered rows are one run of them.
                let start = self.records.partition_point(|r| r.origin <= at(first));
                let end = self.records.partition_point(|r| r.origin <= at(last));
                for record in &mut self.records[start..end.max(start)] {
                    for (spec, v) in &mut record.fields {
                        if spec.name == merge.column && *v == CellValue::Empty {
                            *v = value.clone();
                        }
                    }
                }
            }
        }
    }

    /// The record read at `origin`.
    pub fn at(&self, origin: Origin) -> Option<&Record> {
        self.by_origin.get(&origin).map(|&i| &self.records[i])
    }
}
