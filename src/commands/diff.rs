//! `enrx diff AVANT APRES`: what changed between two submissions (two files or two folders),
//! compared as typed, with the effect on the year's figures. Exit codes are diff(1)'s: 0 the
//! same, 1 different, 2 could not compare.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Mutex;

use super::{CommandResult, Outcome, common};
use crate::cli::{DiffArgs, Format};
use crate::compare::{self, Side, Snapshot};
use crate::figures::{Report, Scope, compute};
use crate::ingest::RowSink;
use crate::model::{Referential, RowChunk, SheetAt};
use crate::render::changes;
use crate::render::diagnostics::Style;

/// Collects every record of one side as the files are read.
struct SnapshotSink<'a> {
    referential: &'a Referential,
    /// The files as this side names them, by their display path.
    names: &'a BTreeMap<String, String>,
    snapshot: Mutex<Snapshot>,
}

impl RowSink for SnapshotSink<'_> {
    fn chunk(&self, sheet: SheetAt, rows: &RowChunk) {
        let name = self
            .names
            .get(sheet.file)
            .map_or(sheet.file, String::as_str);
        let mut snapshot = self.snapshot.lock().unwrap_or_else(|e| e.into_inner());
        snapshot.add(sheet, name, rows, self.referential);
    }
}

/// One side read and checked as `validate` reads it.
struct Read {
    files: Vec<String>,
    names: BTreeMap<String, String>,
    snapshot: Snapshot,
    diagnostics: Vec<crate::diagnostic::Diagnostic>,
    tally: crate::diagnostic::Tally,
    report: Report,
}

/// A file as this side names it: relative to the folder given, or its own name.
fn name_of(root: &Path, file: &Path) -> String {
    match file.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.display().to_string(),
        _ => file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| file.display().to_string()),
    }
}

fn read(
    root: &Path,
    referential: &Referential,
    year: i32,
    args: &DiffArgs,
) -> Result<Read, super::Failure> {
    let (found, whole) = common::discover(
        &[root.to_path_buf()],
        &crate::ingest::discover::Options::default(),
    )?;
    let names: BTreeMap<String, String> = found
        .files
        .iter()
        .map(|f| (f.display().to_string(), name_of(root, f)))
        .collect();
    let sink = SnapshotSink {
        referential,
        names: &names,
        snapshot: Mutex::new(Snapshot::default()),
    };
    let limits = args.limits.limits();
    let reading = common::Reading {
        referential,
        year,
        limits: &limits,
        keep_texts: false,
    };
    let checked = common::check_with(found, whole, reading, &sink);
    let mut snapshot = sink
        .snapshot
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    snapshot.finish();
    snapshot.fill_merges(&checked.ds.sheets);
    let report = compute::report(
        &checked.ds,
        referential,
        &checked.diagnostics,
        &checked.tally,
        Scope::Year(year),
    );
    let mut files: Vec<String> = names.values().cloned().collect();
    files.sort();
    Ok(Read {
        files,
        names,
        snapshot,
        diagnostics: checked.diagnostics,
        tally: checked.tally,
        report,
    })
}

impl Read {
    /// Two files given one against the other are one submission saved twice
    /// (`avesnois-v1.xlsx avesnois-v2.xlsx`): the after side's file goes by the before side's
    /// name, so it is not a file « seulement après » and the anomalies about the file match.
    /// The records keep their own file's name in where they are.
    fn named_as(&mut self, before: &Read) {
        if let ([name], [_]) = (before.files.as_slice(), self.files.as_slice()) {
            self.files = vec![name.clone()];
            for own in self.names.values_mut() {
                own.clone_from(name);
            }
        }
    }

    fn side(&self) -> Side<'_> {
        Side {
            files: self.files.clone(),
            snapshot: &self.snapshot,
            diagnostics: &self.diagnostics,
            tally: &self.tally,
            file_names: &self.names,
            report: &self.report,
        }
    }
}

pub fn run(args: &DiffArgs) -> CommandResult {
    let referential = common::referential(args.referentiel.as_deref())?;
    let year = common::year(args.year, &referential)?;
    let (before, after) = rayon::join(
        || read(&args.before, &referential, year, args),
        || read(&args.after, &referential, year, args),
    );
    let (before, mut after) = (before?, after?);
    if args.before.is_file() && args.after.is_file() {
        after.named_as(&before);
    }
    let changes = compare::compare(&before.side(), &after.side());
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let style = Style {
        colour: to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let bytes = match args.format {
        Format::Text => changes::text(&changes, year, style).into_bytes(),
        Format::Json => changes::json(&changes, year).into_bytes(),
        Format::Csv => changes::csv(&changes, args.csv_dialect)?,
    };
    match &args.output {
        Some(path) => common::write_file(path, &bytes)?,
        None => common::print(&bytes)?,
    }
    Ok(if changes.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}
