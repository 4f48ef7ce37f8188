//! The trust boundary (issue 12): whoever can write to the input folder cannot make enrx read
//! or disclose anything outside it, flood a report or drive a terminal with a crafted cell,
//! nor make it write through a link planted among its outputs. Run as root, like CI: the
//! secret file outside the input folder is readable by its owner only — the account enrx runs
//! as — so only the tool's own rules keep it out.

use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};

use crate::common::*;
use serde_json::Value;

/// Would show in diagnostics (an unknown parc, an id) if the file holding it were read.
const SECRET: &str = "SECRET-DE-ROOT-4242";

/// A file outside the input folder, readable by its owner only, that reads as a submission.
fn secret_file(w: &Workdir) -> PathBuf {
    w.write(
        "dehors/secret.csv",
        format!(
            "id;intitule;echelle;parc;partenaires;objectifs;date_debut;date_fin;montant_total;statut\n\
             {SECRET};x;locale;{SECRET};P-1;OS1;01/02/2019;31/12/2019;100;soldée\n"
        ),
    );
    let path = w.join("dehors/secret.csv");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

fn diagnostics<'a>(report: &'a Value, code: &str) -> Vec<&'a Value> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .collect()
}

/// The files read, from the closing line (« — 8 fichiers lus, »).
fn files_read(run: &Run) -> usize {
    let line = run
        .stdout
        .lines()
        .rev()
        .find(|l| l.starts_with("bilan"))
        .unwrap();
    let (_, tail) = line.split_once(" — ").unwrap();
    tail.split(' ').next().unwrap().parse().unwrap()
}

#[test]
fn a_link_to_a_file_outside_is_listed_once_and_not_read() {
    let w = Workdir::new();
    w.copy_sample_input();
    let secret = secret_file(&w);
    symlink(&secret, w.join("input/conventions-pnr.csv")).unwrap();
    // A folder outside, through a link: not walked either.
    symlink(w.join("dehors"), w.join("input/archives")).unwrap();

    let run = w.run(&["validate", "input", "--year", "2021"]);
    assert_eq!(run.code, 0, "an info only: {}{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains(SECRET), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "info[F005]: lien symbolique vers l'extérieur du dossier d'entrée : ignoré\n  --> input/conventions-pnr.csv"
        ),
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.matches("[F005]").count(), 2, "{}", run.stdout);
    assert_eq!(files_read(&run), 8);

    let run = w.run(&["validate", "input", "--year", "2021", "--format", "json"]);
    assert!(!run.stdout.contains(SECRET));
    let report = json(&run);
    let links = diagnostics(&report, "F005");
    assert_eq!(links.len(), 2);
    assert_eq!(links[1]["file"], "input/conventions-pnr.csv");
    assert_eq!(links[1]["severity"], "info");
    assert_eq!(links[1]["value"], Value::Null);

    let run = w.run(&["report", "--year", "2021"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for file in ["anomalies.csv", "manifest.json", "conventions.csv"] {
        let text = w.read_text(&format!("output/2021/{file}"));
        assert!(!text.contains(SECRET), "{file}");
        assert!(
            !text.contains("dehors"),
            "{file}: not even the target's path"
        );
    }
    assert!(
        w.read_text("output/2021/anomalies.csv")
            .contains("F005;info;lien symbolique vers l'extérieur du dossier d'entrée : ignoré;input/conventions-pnr.csv")
    );
    assert!(
        !w.read_text("output/2021/manifest.json")
            .contains("conventions-pnr"),
        "a link not read is not an input"
    );
}

#[test]
fn suivre_liens_follows_links_out_of_the_folder() {
    let w = Workdir::new();
    w.copy_sample_input();
    symlink(secret_file(&w), w.join("input/conventions-pnr.csv")).unwrap();
    let run = w.run(&["validate", "input", "--year", "2021", "--suivre-liens"]);
    assert_eq!(run.code, 1, "the outside file is read: {}", run.stdout);
    assert!(!run.stdout.contains("[F005]"));
    assert!(run.stdout.contains(&format!("parc inconnu « {SECRET} »")));
    assert_eq!(files_read(&run), 9);
}

#[test]
fn a_link_loop_is_listed_and_the_run_ends() {
    let w = Workdir::new();
    w.copy_sample_input();
    symlink("boucle-b.csv", w.join("input/boucle-a.csv")).unwrap();
    symlink("boucle-a.csv", w.join("input/boucle-b.csv")).unwrap();
    symlink("boucle-c.xlsx", w.join("input/boucle-c.xlsx")).unwrap();
    // A folder that leads back to its parent: inside, walked once.
    symlink("..", w.join("input/remonter")).unwrap();
    for extra in [&[][..], &["--suivre-liens"][..]] {
        let mut args = vec!["validate", "input", "--year", "2021"];
        args.extend_from_slice(extra);
        let run = w.run(&args);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        for link in ["boucle-a.csv", "boucle-b.csv", "boucle-c.xlsx"] {
            assert_eq!(
                run.stdout
                    .matches(&format!(
                        "info[F005]: lien symbolique en boucle (il ne mène à aucun fichier) : ignoré\n  --> input/{link}\n"
                    ))
                    .count(),
                1,
                "{link}: {}",
                run.stdout
            );
        }
        assert_eq!(files_read(&run), 8, "each file once: {}", run.stdout);
    }
}

#[test]
fn a_link_inside_the_folder_is_read_once() {
    let w = Workdir::new();
    w.copy_sample_input();
    std::fs::create_dir(w.join("input/pnr")).unwrap();
    std::fs::rename(
        w.join("input/pnr-avesnois.xlsx"),
        w.join("input/pnr/pnr-avesnois.xlsx"),
    )
    .unwrap();
    // The same workbook by a second name, and the whole sub-folder by a second name.
    symlink("pnr/pnr-avesnois.xlsx", w.join("input/avesnois.xlsx")).unwrap();
    symlink("pnr", w.join("input/raccourci")).unwrap();
    let run = w.run(&["validate", "input", "--year", "2021"]);
    assert_eq!(run.code, 0, "no id repeated (R001): {}", run.stdout);
    assert!(!run.stdout.contains("[F005]"), "{}", run.stdout);
    assert!(!run.stdout.contains("[R001]"));
    assert_eq!(files_read(&run), 8);
    // Its diagnostics name it by its own path, not the links'.
    assert!(
        run.stdout.contains("--> input/pnr/pnr-avesnois.xlsx"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_link_named_on_the_command_line_is_read_as_given() {
    let w = Workdir::new();
    std::fs::create_dir_all(w.join("input")).unwrap();
    symlink(secret_file(&w), w.join("input/conventions-pnr.csv")).unwrap();
    let run = w.run(&["validate", "input/conventions-pnr.csv", "--year", "2021"]);
    assert!(!run.stdout.contains("[F005]"), "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!("parc inconnu « {SECRET} »")),
        "the user chose it: {}",
        run.stdout
    );
    assert!(run.stdout.contains("--> input/conventions-pnr.csv"));
}

/// A workbook with one convention whose `parc` cell holds `parc`, and its partner.
fn one_convention(w: &Workdir, parc: &str) {
    let mut conventions = vec![header(&CONVENTION_HEADER)];
    let mut row = convention_row("C-1", &[]);
    row[3] = C::T(parc.to_string());
    conventions.push(row);
    let partners = vec![
        header(&PARTNER_HEADER),
        text_row(&["P-1", "Les Blongios", "association", "", "W595012345"]),
    ];
    workbook(
        &w.join("input/pnr.xlsx"),
        &[("Conventions", conventions), ("Partenaires", partners)],
    );
}

#[test]
fn a_30000_character_cell_is_read_and_echoed_bounded() {
    let w = Workdir::new();
    let cell = "Z".repeat(30_000);
    one_convention(&w, &cell);
    let bounded = format!("{}… (30\u{202f}000 caractères)", "Z".repeat(200));

    let run = w.run(&["validate", "input/pnr.xlsx", "--year", "2019"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(!run.stdout.contains("[F002]"), "under Excel's limit: read");
    assert!(
        run.stdout
            .contains(&format!("erreur[R004]: parc inconnu « {bounded} »")),
        "{}",
        run.stdout
    );
    assert!(run.stdout.len() < 5_000, "{} bytes", run.stdout.len());

    let run = w.run(&[
        "validate",
        "input/pnr.xlsx",
        "--year",
        "2019",
        "--format",
        "json",
    ]);
    let report = json(&run);
    let d = diagnostics(&report, "R004");
    assert_eq!(d[0]["value"], bounded.as_str());
    assert_eq!(report["resume"]["lignes"], 2, "the row is read");
    assert!(run.stdout.len() < 5_000);

    let run = w.run(&[
        "validate",
        "input/pnr.xlsx",
        "--year",
        "2019",
        "--format",
        "csv",
    ]);
    let rows = read_excel_fr(run.stdout.as_bytes());
    let r004 = rows.iter().find(|r| r[0] == "R004").unwrap();
    assert_eq!(r004[9], bounded, "valeur, after colonne and en_tete");
    assert!(run.stdout.len() < 5_000);

    std::fs::create_dir_all(w.join("input")).unwrap();
    let run = w.run(&["report", "--year", "2019"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let anomalies = w.read_text("output/2019/anomalies.csv");
    assert!(anomalies.contains(&bounded));
    assert!(!anomalies.contains(&"Z".repeat(201)));
}

#[test]
fn ansi_escapes_and_bidi_overrides_are_echoed_escaped() {
    let w = Workdir::new();
    // A zero-width space inside the text stays (invisible characters around a cell's text are
    // trimmed as blanks).
    one_convention(&w, "\x1b[2J\x1b[31mAV\u{200b}E\u{202e}fdp.exe");
    let escaped = "\\u{1b}[2J\\u{1b}[31mAV\u{200b}E\\u{202e}fdp.exe";
    for format in ["text", "json", "csv"] {
        let run = w.run(&[
            "validate",
            "input/pnr.xlsx",
            "--year",
            "2019",
            "--format",
            format,
        ]);
        assert_eq!(run.code, 1, "{}", run.stdout);
        for c in ['\x1b', '\u{202e}'] {
            assert!(!run.stdout.contains(c), "{format}: {:?}", run.stdout);
        }
        // JSON writes the backslash of the escape as `\\`.
        let shown = if format == "json" {
            escaped.replace('\\', "\\\\")
        } else {
            escaped.to_string()
        };
        assert!(run.stdout.contains(&shown), "{format}: {}", run.stdout);
    }
    let run = w.run(&["validate", "input/pnr.xlsx", "--year", "2019"]);
    assert!(
        run.stdout
            .contains(&format!("erreur[R004]: parc inconnu « {escaped} »"))
    );

    let run = w.run(&["report", "--year", "2019"]);
    assert_eq!(run.code, 1);
    let anomalies = w.read_text("output/2019/anomalies.csv");
    assert!(!anomalies.contains('\x1b') && !anomalies.contains('\u{202e}'));
    assert!(anomalies.contains(escaped));
}

#[test]
fn an_output_folder_inside_the_input_is_never_read_back() {
    let w = Workdir::new();
    w.copy_sample_input();
    let args = [
        "report",
        "--year",
        "2021",
        "--input",
        "input",
        "--output",
        "input/sorties",
        "--force",
    ];
    for _ in 0..2 {
        let run = w.run(&args);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        assert!(
            run.stdout.contains("50 conventions actives"),
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains("8 fichiers lus"), "{}", run.stdout);
    }
    let manifest: Value =
        serde_json::from_str(&w.read_text("input/sorties/2021/manifest.json")).unwrap();
    let inputs = manifest["entrees"].as_array().unwrap();
    assert_eq!(inputs.len(), 8);
    assert!(
        inputs
            .iter()
            .all(|e| !e["fichier"].as_str().unwrap().contains("sorties"))
    );
    // Nor by validate, nor by a report told of another output folder: the folder holds the
    // lock a report made.
    let run = w.run(&["validate", "input", "--year", "2021"]);
    assert_eq!(files_read(&run), 8, "{}", run.stdout);
    let run = w.run(&[
        "report", "--year", "2021", "--input", "input", "--output", "ailleurs",
    ]);
    assert!(run.stdout.contains("8 fichiers lus"), "{}", run.stdout);
}

#[test]
fn an_input_folder_inside_the_output_is_refused() {
    let w = Workdir::new();
    w.copy_sample_input();
    std::fs::rename(w.join("input"), w.join("partage")).unwrap();
    std::fs::create_dir(w.join("partage/depots")).unwrap();
    for entry in std::fs::read_dir(w.join("partage")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::rename(
                &path,
                w.join("partage/depots").join(path.file_name().unwrap()),
            )
            .unwrap();
        }
    }
    for output in ["partage", "partage/depots", "./partage/."] {
        let run = w.run(&[
            "report",
            "--year",
            "2021",
            "--input",
            "partage/depots",
            "--output",
            output,
        ]);
        assert_eq!(run.code, 2, "{output}: {}", run.stderr);
        assert!(run.stderr.contains("dossier de sortie"), "{}", run.stderr);
        assert!(!w.join("partage/2021").exists() && !w.join("partage/depots/2021").exists());
        assert!(!w.join("partage/.enrx.lock").exists(), "nothing created");
    }
}

/// Files outside the output folder, with what they held.
fn victims(w: &Workdir, names: &[String]) -> Vec<(PathBuf, String)> {
    names
        .iter()
        .map(|name| {
            let content = format!("à ne pas écraser : {name}\n");
            w.write(&format!("etc/{name}"), &content);
            (w.join(&format!("etc/{name}")), content)
        })
        .collect()
}

fn output_names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn links_planted_at_output_paths_are_replaced_not_written_through() {
    let w = Workdir::new();
    w.copy_sample_input();
    let run = w.run(&["report", "--year", "2021"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let folder = w.join("output/2021");
    let names = output_names(&folder);
    // Every file of the folder is an output the manifest lists (written the same way).
    let manifest: Value = serde_json::from_str(&w.read_text("output/2021/manifest.json")).unwrap();
    let mut listed: Vec<String> = manifest["sorties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .chain(["manifest.json".to_string()])
        .collect();
    listed.sort();
    assert_eq!(names, listed);
    assert!(names.contains(&"rapport-partenariats-2021.pdf".to_string()));

    let targets = victims(&w, &names);
    for (name, (target, _)) in names.iter().zip(&targets) {
        std::fs::remove_file(folder.join(name)).unwrap();
        symlink(target, folder.join(name)).unwrap();
    }
    let run = w.run(&["report", "--year", "2021", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (name, (target, content)) in names.iter().zip(&targets) {
        assert_eq!(&std::fs::read_to_string(target).unwrap(), content, "{name}");
        let meta = std::fs::symlink_metadata(folder.join(name)).unwrap();
        assert!(meta.file_type().is_file(), "{name} is a new file");
    }
    assert_eq!(output_names(&folder), names, "no temporary file left");
}

#[test]
fn a_link_at_the_lock_path_is_exit_2_and_never_followed() {
    let w = Workdir::new();
    w.copy_sample_input();
    std::fs::create_dir(w.join("output")).unwrap();
    w.write("etc/verrou", "intact\n");
    symlink(w.join("etc/verrou"), w.join("output/.enrx.lock")).unwrap();
    let run = w.run(&["report", "--year", "2021"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("output/.enrx.lock est un lien symbolique"),
        "{}",
        run.stderr
    );
    assert_eq!(w.read_text("etc/verrou"), "intact\n");
    assert!(!w.join("output/2021").exists());

    // A link to nothing: nothing is created where it leads.
    std::fs::remove_file(w.join("output/.enrx.lock")).unwrap();
    symlink(w.join("etc/nouveau"), w.join("output/.enrx.lock")).unwrap();
    assert_eq!(w.run(&["report", "--year", "2021"]).code, 2);
    assert!(!w.join("etc/nouveau").exists());

    // Removed, the lock is a plain file again and stays one across runs.
    std::fs::remove_file(w.join("output/.enrx.lock")).unwrap();
    assert_eq!(w.run(&["report", "--year", "2021"]).code, 0);
    assert!(
        std::fs::symlink_metadata(w.join("output/.enrx.lock"))
            .unwrap()
            .is_file()
    );
}

#[test]
fn a_link_planted_as_the_year_folder_is_exit_2() {
    let w = Workdir::new();
    w.copy_sample_input();
    std::fs::create_dir_all(w.join("output")).unwrap();
    std::fs::create_dir_all(w.join("etc")).unwrap();
    symlink(w.join("etc"), w.join("output/2021")).unwrap();
    let run = w.run(&["report", "--year", "2021"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("est un lien symbolique"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_dir(w.join("etc")).unwrap().count(),
        0,
        "nothing written where it leads"
    );
}

#[test]
fn a_file_named_with_o_is_opened_as_given() {
    let w = Workdir::new();
    w.copy_sample_input();
    let run = w.run(&["validate", "input", "--year", "2021", "-o", "/dev/stdout"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("bilan : 0 erreur"), "{}", run.stdout);
    // A link the user names is written through: his choice.
    w.write("etc/anomalies.txt", "");
    symlink(w.join("etc/anomalies.txt"), w.join("lien.txt")).unwrap();
    assert_eq!(
        w.run(&["validate", "input", "--year", "2021", "-o", "lien.txt"])
            .code,
        0
    );
    assert!(
        w.read_text("etc/anomalies.txt")
            .contains("bilan : 0 erreur")
    );
}
