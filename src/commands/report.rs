//! `enrx report`: the main job. Validates every submission, then writes the year's report
//! (the PDF, the CSV summaries, the list of conventions, the anomalies and a manifest) into
//! `output/Y/`, under a lock, each file atomically, the manifest last.

use std::path::{Path, PathBuf};

use super::common::{self, Checked};
use super::{CommandResult, Failure, Outcome};
use crate::cli::ReportArgs;
use crate::diagnostic::Counts;
use crate::digest;
use crate::figures::{self, Report, Scope};
use crate::ingest::discover::Discovery;
use crate::model::Referential;
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

/// Prepares, takes the lock, skips when nothing changed, computes, renders, publishes, tells.
pub fn run(args: &ReportArgs) -> CommandResult {
    let mut job = prepare(args)?;
    let _lock = open_output(args, &job)?;
    // The output folder is never read back as input, wherever it is.
    let discovery = crate::ingest::discover::Options {
        follow_links: args.suivre_liens,
        exclude: vec![args.output.clone()],
    };
    let (found, _) = common::discover(std::slice::from_ref(&args.input), &discovery)?;
    let manifest = manifest(args, &job, &found);
    if let Some(previous_outcome) = unchanged(args, &job, &manifest) {
        return Ok(previous_outcome);
    }
    let fonts = job.fonts.take();
    let started = std::time::Instant::now();
    let checked = check(args, &job, found);
    let read = started.elapsed();
    let computed = compute(&job, &checked);
    let figured = started.elapsed();
    let outputs = render(args, &job, fonts, &computed, &manifest)?;
    let rendered = started.elapsed();
    let manifest = publish(&job, &computed, outputs, manifest)?;
    log::debug!(
        "lu et vérifié en {} ms, chiffres en {} ms, rendu en {} ms, écrit en {} ms",
        read.as_millis(),
        (figured - read).as_millis(),
        (rendered - figured).as_millis(),
        (started.elapsed() - rendered).as_millis()
    );
    tell(args, &job, &computed, &manifest);
    Ok(outcome(computed.counts.erreurs))
}

/// What the report is made from, read and checked before the output folder is touched.
struct Job {
    referential: Referential,
    scope: Scope,
    texts: Texts,
    /// The texts' TOML: with the fonts' bytes, the templates' fingerprint in the manifest.
    templates_source: String,
    /// Faces of `templates/fonts/` replacing the built-in ones; taken by [`render`].
    fonts: Option<Fonts>,
    fonts_bytes: Vec<u8>,
    /// `output/Y/` or `output/bilan-…/`.
    folder: PathBuf,
}

/// Reads the referential, the year or period, the texts and the fonts; checks the input folder.
fn prepare(args: &ReportArgs) -> Result<Job, Failure> {
    let referential = common::referential(args.referentiel.as_deref())?;
    let scope = if args.bilan {
        Scope::Bilan {
            first: *referential.years().start(),
            last: *referential.years().end(),
        }
    } else {
        Scope::Year(common::year(args.year, &referential)?)
    };
    let (texts, templates_source) = Texts::load(args.templates.as_deref())?;
    let (fonts, fonts_bytes) = template_fonts(args.templates.as_deref())?;
    if !args.input.is_dir() {
        return Err(Failure::cannot_run(format!(
            "dossier d'entrée introuvable : {} (option --input ou variable ENRX_INPUT)",
            args.input.display()
        )));
    }
    common::separate_folders(&args.input, &args.output)?;
    Ok(Job {
        folder: args.output.join(scope.folder()),
        referential,
        scope,
        texts,
        templates_source,
        fonts,
        fonts_bytes,
    })
}

/// Takes the lock on the output folder (held until dropped), creates the scope's folder and
/// removes the temporary files a killed run left there.
fn open_output(args: &ReportArgs, job: &Job) -> Result<output::OutputLock, Failure> {
    let lock = output::lock(&args.output)?;
    output::create_folder(&job.folder)?;
    output::refuse_linked_folder(&job.folder)?;
    output::remove_stale_temporaries(&job.folder);
    Ok(lock)
}

/// The manifest of this run as far as it is known before reading: tool, options and the
/// fingerprints of every input. The counts and outputs are filled in by [`publish`].
fn manifest(args: &ReportArgs, job: &Job, found: &Discovery) -> Manifest {
    let templates = [job.templates_source.as_bytes(), &job.fonts_bytes].concat();
    Manifest {
        outil: "enrx".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        genere_le: chrono::Local::now()
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        periode: job.scope.label(),
        referentiel: job.referential.source.clone(),
        referentiel_sha256: digest::sha256_hex(job.referential.text.as_bytes()),
        modeles_sha256: digest::sha256_hex(&templates),
        dialecte_csv: args.csv_dialect.name().into(),
        entrees: output::inputs(&found.files, &found.identities),
        lignes_lues: 0,
        lignes_ecartees: 0,
        conventions_actives: 0,
        erreurs: 0,
        avertissements: 0,
        infos: 0,
        sorties: Vec::new(),
    }
}

/// Without `--force`, when the inputs, referential, templates and options are those of the
/// report already in the folder: says so, and returns the outcome that report had.
fn unchanged(args: &ReportArgs, job: &Job, manifest: &Manifest) -> Option<Outcome> {
    if args.force {
        return None;
    }
    let previous = output::read_manifest(&job.folder)?;
    if !previous.same_inputs(manifest) {
        return None;
    }
    say(
        args.quiet,
        &format!(
            "rien n'a changé depuis le rapport du {} ({}) : rien à refaire (--force pour le refaire)",
            previous.genere_le,
            job.folder.display()
        ),
    );
    Some(outcome(previous.erreurs))
}

/// The checked data set, the report model computed from it and the active conventions in
/// the order they are listed.
struct Computed<'a> {
    checked: &'a Checked,
    report: Report,
    listing: figures::compute::Listing<'a>,
    counts: Counts,
}

/// Reads and checks every submission.
fn check(args: &ReportArgs, job: &Job, found: Discovery) -> Checked {
    log::info!(
        "rapport {} : {} fichier(s) d'entrée dans {}",
        job.scope.label(),
        found.files.len(),
        args.input.display()
    );
    common::check(
        found,
        true,
        &job.referential,
        job.scope.last_year(),
        &args.limits.limits(),
        true,
    )
}

/// The figures of the scope.
fn compute<'a>(job: &'a Job, checked: &'a Checked) -> Computed<'a> {
    let (report, listing) = figures::compute::report_and_listing(
        &checked.ds,
        &job.referential,
        &checked.diagnostics,
        &checked.tally,
        job.scope,
    );
    Computed {
        checked,
        report,
        listing,
        counts: checked.tally.counts,
    }
}

/// Every output but the manifest, as (file name, bytes): the CSV summaries, the anomalies,
/// the PDF last.
fn render(
    args: &ReportArgs,
    job: &Job,
    fonts: Option<Fonts>,
    computed: &Computed,
    manifest: &Manifest,
) -> Result<Vec<(String, Content)>, Failure> {
    let now = chrono::Local::now();
    let (report, diagnostics) = (&computed.report, &computed.checked.diagnostics);
    let tables = summaries::tables(report, &computed.listing);
    let started = std::time::Instant::now();
    // The workbook is written while the CSV files and the PDF are: on 200 000 rows each side
    // takes a few tenths of a second, and there are two cores.
    let (csv_and_pdf, workbook) = rayon::join(
        || -> Result<_, Failure> {
            let mut files = csv_files(&tables, args.csv_dialect, &job.folder)?;
            files.push((
                "anomalies.csv".into(),
                Content::Bytes(diagnostics::csv(diagnostics, args.csv_dialect)?),
            ));
            log::debug!("fichiers CSV : {} ms", started.elapsed().as_millis());
            let pdf = pdf::report::render(
                report,
                &job.texts,
                fonts,
                now.naive_local(),
                now.naive_utc(),
            )
            .map_err(|e| Failure::cannot_run(format!("impossible de produire le PDF ({e})")))?;
            log::debug!("fichiers CSV et PDF : {} ms", started.elapsed().as_millis());
            Ok((
                files,
                (pdf::report::file_name(job.scope), Content::Bytes(pdf)),
            ))
        },
        || {
            synthese_workbook(
                report,
                &tables,
                diagnostics,
                manifest,
                now.naive_local(),
                &job.folder,
            )
        },
    );
    let (mut outputs, pdf) = csv_and_pdf?;
    let (name, bytes) = workbook?;
    outputs.push((name, Content::Bytes(bytes)));
    outputs.push(pdf);
    Ok(outputs)
}

/// An output made: its bytes, or a temporary file of the folder it was written to as it was
/// made (`conventions.csv`: never held whole in memory).
enum Content {
    Bytes(Vec<u8>),
    File(tempfile::NamedTempFile),
}

/// The summary CSV files, in order; a long one is written to a temporary file of `folder`.
fn csv_files(
    tables: &[summaries::Table],
    dialect: crate::render::csv::Dialect,
    folder: &Path,
) -> Result<Vec<(String, Content)>, Failure> {
    tables
        .iter()
        .map(|t| {
            let content = if t.is_long() {
                Content::File(t.csv_to(output::temporary(folder)?, dialect)?)
            } else {
                Content::Bytes(t.csv(dialect)?)
            };
            Ok((t.file.to_string(), content))
        })
        .collect()
}

/// Writes every output atomically, then the completed manifest last: its presence says the
/// outputs beside it are whole. Returns the manifest as written.
fn publish(
    job: &Job,
    computed: &Computed,
    outputs: Vec<(String, Content)>,
    mut manifest: Manifest,
) -> Result<Manifest, Failure> {
    let folder = &job.folder;
    let mut names = Vec::with_capacity(outputs.len());
    for (name, content) in outputs {
        match content {
            Content::Bytes(bytes) => output::write_atomic(folder, &name, &bytes)?,
            Content::File(file) => output::persist(file, folder, &name)?,
        }
        names.push(name);
    }
    let (report, counts) = (&computed.report, computed.counts);
    manifest.lignes_lues = report.rows_read;
    manifest.lignes_ecartees = report.rows_excluded;
    manifest.conventions_actives = report.totals.active_conventions;
    manifest.erreurs = counts.erreurs;
    manifest.avertissements = counts.avertissements;
    manifest.infos = counts.infos;
    manifest.sorties = names;
    let json = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    output::write_atomic(folder, "manifest.json", &json)?;
    output::sync_folder(folder);
    log::info!(
        "{} fichiers écrits dans {}",
        manifest.sorties.len() + 1,
        folder.display()
    );
    Ok(manifest)
}

/// What was written and found, unless `--quiet`.
fn tell(args: &ReportArgs, job: &Job, computed: &Computed, manifest: &Manifest) {
    let (report, counts) = (&computed.report, computed.counts);
    say(
        args.quiet,
        &format!(
            "rapport {} écrit dans {} : {}, {} fichiers CSV, {}, manifest.json\n{} ; {}",
            job.scope.label(),
            job.folder.display(),
            pdf::report::file_name(job.scope),
            manifest
                .sorties
                .iter()
                .filter(|n| n.ends_with(".csv"))
                .count(),
            synthese::file_name(job.scope),
            crate::text::plural(
                report.totals.active_conventions,
                "convention active",
                "conventions actives"
            ),
            diagnostics::summary_line(
                counts,
                diagnostics::ReadCounts {
                    fichiers: computed.checked.files.len(),
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
                job.folder.join("anomalies.csv").display()
            ),
        );
    }
}

/// Exit 1 when there are error diagnostics, else 0.
fn outcome(errors: usize) -> Outcome {
    if errors > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}
