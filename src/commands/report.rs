//! `enrx report`: the main job. Validates every submission, then writes the year's report
//! (the PDF, the CSV summaries, the list of conventions, the anomalies and a manifest) into
//! `output/Y/`, under a lock, each file atomically, the manifest last.

use std::path::Path;

use super::{CommandResult, Failure, Outcome, common};
use crate::cli::ReportArgs;
use crate::diagnostic::Counts;
use crate::figures::{self, Scope};
use crate::output::{self, Manifest};
use crate::render::pdf::font::Fonts;
use crate::render::texts::Texts;
use crate::render::{diagnostics, pdf, summaries, synthese};

fn say(quiet: bool, text: &str) {
    if !quiet {
        // The report is written: a closed stdout must not turn that into a failure.
        let _ = common::print(format!("{text}\n").as_bytes());
    }
}

/// Faces in `DIR/fonts/` (or `templates/fonts/`) replace the built-in ones when both are there.
/// Returns them with their bytes, for the manifest's fingerprint.
fn template_fonts(dir: Option<&Path>) -> Result<(Option<Fonts>, Vec<u8>), Failure> {
    let folder = dir.unwrap_or(Path::new("templates")).join("fonts");
    let paths = Fonts::FILES.map(|f| folder.join(f));
    if !paths.iter().all(|p| p.is_file()) {
        return Ok((None, Vec::new()));
    }
    let read = |p: &Path| {
        std::fs::read(p).map_err(|e| {
            Failure::cannot_run(format!(
                "police {} illisible ({})",
                p.display(),
                crate::io_reason(&e)
            ))
        })
    };
    let (regular, bold) = (read(&paths[0])?, read(&paths[1])?);
    let fonts = Fonts::from_bytes(&regular, &bold).map_err(|e| {
        Failure::cannot_run(format!("police de {} invalide ({e})", folder.display()))
    })?;
    Ok((Some(fonts), [regular, bold].concat()))
}

/// `synthese-Y.xlsx`: the summaries as one workbook, with the run's provenance.
fn synthese_workbook(
    report: &figures::Report,
    tables: &[summaries::Table],
    diagnostics: &[crate::diagnostic::Diagnostic],
    manifest: &Manifest,
    generated: chrono::NaiveDateTime,
    folder: &Path,
) -> Result<(String, Vec<u8>), Failure> {
    let started = std::time::Instant::now();
    let provenance = synthese::Provenance {
        generated,
        version: &manifest.version,
        referential: &manifest.referentiel,
        referential_sha256: &manifest.referentiel_sha256,
        inputs: manifest
            .entrees
            .iter()
            .map(|e| synthese::Input {
                file: &e.fichier,
                sha256: e.sha256.as_deref(),
                bytes: e.octets,
            })
            .collect(),
    };
    let bytes = synthese::render(report, tables, diagnostics, &provenance, Some(folder))
        .map_err(|e| Failure::cannot_run(format!("impossible de produire le classeur ({e})")))?;
    log::debug!(
        "classeur de synthèse : {} octets en {} ms",
        bytes.len(),
        started.elapsed().as_millis()
    );
    Ok((synthese::file_name(report.scope), bytes))
}

pub fn run(args: &ReportArgs) -> CommandResult {
    let referential = common::referential(args.referentiel.as_deref())?;
    let scope = if args.bilan {
        Scope::Bilan {
            first: *referential.years().start(),
            last: *referential.years().end(),
        }
    } else {
        Scope::Year(common::year(args.year, &referential)?)
    };
    let (texts, texts_source) =
        Texts::load(args.templates.as_deref()).map_err(Failure::CannotRun)?;
    let (fonts, fonts_bytes) = template_fonts(args.templates.as_deref())?;
    let check_year = match scope {
        Scope::Year(y) => y,
        Scope::Bilan { last, .. } => last,
    };
    if !args.input.is_dir() {
        return Err(Failure::cannot_run(format!(
            "dossier d'entrée introuvable : {} (option --input ou variable ENRX_INPUT)",
            args.input.display()
        )));
    }
    let folder = args.output.join(scope.folder());
    let _lock = output::lock(&args.output)?;
    std::fs::create_dir_all(&folder).map_err(|e| {
        Failure::cannot_run(format!(
            "impossible de créer le dossier de sortie {} ({})",
            folder.display(),
            crate::io_reason(&e)
        ))
    })?;
    output::remove_stale_temporaries(&folder);

    let (files, _) = common::discover(std::slice::from_ref(&args.input))?;
    let mut manifest = Manifest {
        outil: "enrx".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        genere_le: chrono::Local::now()
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        periode: scope.label(),
        referentiel: referential.source.clone(),
        referentiel_sha256: output::sha256_hex(referential.text.as_bytes()),
        modeles_sha256: output::sha256_hex(&[texts_source.as_bytes(), &fonts_bytes].concat()),
        dialecte_csv: args.csv_dialect.name().into(),
        entrees: output::inputs(&files),
        lignes_lues: 0,
        lignes_ecartees: 0,
        conventions_actives: 0,
        erreurs: 0,
        avertissements: 0,
        infos: 0,
        sorties: Vec::new(),
    };
    if !args.force
        && let Some(previous) = output::read_manifest(&folder)
        && previous.same_inputs(&manifest)
    {
        say(
            args.quiet,
            &format!(
                "rien n'a changé depuis le rapport du {} ({}) : rien à refaire (--force pour le refaire)",
                previous.genere_le,
                folder.display()
            ),
        );
        return Ok(if previous.erreurs > 0 {
            Outcome::Findings
        } else {
            Outcome::Clean
        });
    }

    log::info!(
        "rapport {} : {} fichier(s) d'entrée dans {}",
        scope.label(),
        files.len(),
        args.input.display()
    );
    let checked = common::check(
        files,
        true,
        &referential,
        check_year,
        &args.limits.limits(),
        true,
    );
    let files = &checked.files;
    let report = figures::compute::report(&checked.ds, &referential, &checked.diagnostics, scope);

    let tables = summaries::tables(&report);
    let now = chrono::Local::now();
    // The workbook is written while the CSV files are: on 200 000 rows each takes a few
    // tenths of a second, and there are two cores.
    let (csv_files, workbook) = rayon::join(
        || {
            let mut files: Vec<(String, Vec<u8>)> = summaries::csv_files(&tables, args.csv_dialect)
                .into_iter()
                .map(|(name, bytes)| (name.to_string(), bytes))
                .collect();
            files.push((
                "anomalies.csv".into(),
                diagnostics::csv(&checked.diagnostics, args.csv_dialect),
            ));
            files
        },
        || {
            synthese_workbook(
                &report,
                &tables,
                &checked.diagnostics,
                &manifest,
                now.naive_local(),
                &folder,
            )
        },
    );
    let mut outputs = csv_files;
    outputs.push(workbook?);
    let pdf = pdf::report::render(&report, &texts, fonts, now.naive_local(), now.naive_utc())
        .map_err(|e| Failure::cannot_run(format!("impossible de produire le PDF ({e})")))?;
    outputs.push((pdf::report::file_name(scope), pdf));
    for (name, bytes) in &outputs {
        output::write_atomic(&folder, name, bytes)?;
    }

    let counts = Counts::of(&checked.diagnostics);
    manifest.lignes_lues = report.rows_read;
    manifest.lignes_ecartees = report.rows_excluded;
    manifest.conventions_actives = report.totals.active_conventions;
    manifest.erreurs = counts.erreurs;
    manifest.avertissements = counts.avertissements;
    manifest.infos = counts.infos;
    manifest.sorties = outputs.iter().map(|(n, _)| n.clone()).collect();
    let json = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    // The manifest last: its presence says the outputs beside it are complete.
    output::write_atomic(&folder, "manifest.json", &json)?;
    output::sync_folder(&folder);
    log::info!(
        "{} fichiers écrits dans {}",
        manifest.sorties.len() + 1,
        folder.display()
    );

    say(
        args.quiet,
        &format!(
            "rapport {} écrit dans {} : {}, {} fichiers CSV, {}, manifest.json\n{} ; {}",
            scope.label(),
            folder.display(),
            pdf::report::file_name(scope),
            outputs.iter().filter(|(n, _)| n.ends_with(".csv")).count(),
            synthese::file_name(scope),
            crate::text::plural(
                report.totals.active_conventions,
                "convention active",
                "conventions actives"
            ),
            diagnostics::summary_line(
                counts,
                diagnostics::Scope {
                    fichiers: files.len(),
                    lignes: report.rows_read
                }
            )
        ),
    );
    if counts.erreurs > 0 {
        say(
            args.quiet,
            &format!(
                "{} des chiffres à cause d'erreurs : voir {}",
                crate::text::plural(report.rows_excluded, "ligne écartée", "lignes écartées"),
                folder.join("anomalies.csv").display()
            ),
        );
    }
    Ok(if counts.erreurs > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
