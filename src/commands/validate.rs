//! `enrx validate`: every problem of the files given, at the cell, in French.

use std::io::IsTerminal;
use std::path::PathBuf;

use super::{CommandResult, Failure, Outcome, common};
use crate::annotate;
use crate::cli::{Format, ValidateArgs};
use crate::render::diagnostics::{self, ReadCounts, Style};

pub fn run(args: &ValidateArgs) -> CommandResult {
    let referential = common::referential(args.referentiel.as_deref())?;
    let year = common::year(args.year, &referential)?;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("input")]
    } else {
        args.paths.clone()
    };
    if let Some(folder) = &args.annoter {
        annotate::check_folder(folder, &paths).map_err(Failure::CannotRun)?;
    }
    let options = crate::ingest::discover::Options {
        follow_links: args.suivre_liens,
        exclude: Vec::new(),
    };
    let (found, whole) = common::discover(&paths, &options)?;
    let mut checked = common::check(
        found,
        whole,
        &referential,
        year,
        &args.limits.limits(),
        false,
    );
    let read = ReadCounts {
        fichiers: checked.files.len(),
        lignes: checked.ds.rows_read(),
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let style = Style {
        colour: to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let bytes = match args.format {
        Format::Text => {
            diagnostics::text(&checked.diagnostics, checked.tally.counts, read, style).into_bytes()
        }
        Format::Json => {
            diagnostics::json(&checked.diagnostics, checked.tally.counts, read).into_bytes()
        }
        Format::Csv => diagnostics::csv(&checked.diagnostics, args.csv_dialect)?,
    };
    match &args.output {
        Some(path) => common::write_file(path, &bytes)?,
        None => common::print(&bytes)?,
    }
    if let Some(folder) = &args.annoter {
        let settings = annotate::Settings {
            folder,
            inputs: &paths,
            referential: &referential,
            year,
            whole_data_set: whole,
            limits: &args.limits.limits(),
            // Every diagnostic until --max-anomalies bounds every output.
            max_per_code: 0,
        };
        annotate::annotate_all(
            &mut checked.ds,
            &checked.diagnostics,
            &checked.tally.exclusions,
            &settings,
        )
        .map_err(Failure::CannotRun)?;
    }
    let counts = checked.tally.counts;
    Ok(
        if counts.erreurs > 0 || (args.deny_warnings && counts.avertissements > 0) {
            Outcome::Findings
        } else {
            Outcome::Clean
        },
    )
}
