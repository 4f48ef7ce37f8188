//! `--max-anomalies`: at most N diagnostics of one code in one file are kept and shown, then
//! one line says how many more there were; the counts, the exit code, the bilan line and the
//! rows left out of the figures stay exact, in every output (DESIGN §2, §7).

use crate::common::*;
use crate::pdf_tools;

/// `missing` conventions without intitulé (V001), one with a negative amount (V004), and
/// their partner.
fn broken(w: &Workdir, rel: &str, missing: usize) {
    // Ids of their own in each file.
    let p = rel.rsplit('/').next().unwrap_or(rel).replace('.', "-");
    let partner = format!("P-{p}");
    let mut rows = vec![header(&CONVENTION_HEADER)];
    for i in 0..missing {
        rows.push(convention_row(
            &format!("C-{p}-{i}"),
            &[(1, ""), (4, &partner)],
        ));
    }
    rows.push(convention_row(
        &format!("C-{p}-N"),
        &[(4, &partner), (11, "-100")],
    ));
    let partners = vec![
        header(&PARTNER_HEADER),
        text_row(&[&partner, "Les Blongios", "association", "", "W595012345"]),
    ];
    workbook(
        &w.join(rel),
        &[("Conventions", rows), ("Partenaires", partners)],
    );
}

#[test]
fn validate_keeps_n_of_a_code_and_counts_every_one() {
    let w = Workdir::new();
    broken(&w, "depot.xlsx", 5);
    let run = w.run(&["validate", "depot.xlsx", "--max-anomalies", "2"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout.matches("[V001]").count(), 3, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("erreur[V001]: … et 3 autres V001 dans ce fichier\n  --> depot.xlsx\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("[V004]"), "{}", run.stdout);
    let bilan = |out: &str| out.lines().last().unwrap_or_default().to_string();
    let all = w.run(&["validate", "depot.xlsx", "--max-anomalies", "0"]);
    assert_eq!(bilan(&run.stdout), bilan(&all.stdout));
    assert!(
        bilan(&run.stdout).starts_with("bilan : 7 erreurs"),
        "{}",
        run.stdout
    );

    let run = w.run(&[
        "validate",
        "depot.xlsx",
        "--max-anomalies",
        "2",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(json["resume"]["erreurs"], 7);
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 5, "{diagnostics:?}");
    let line = diagnostics
        .iter()
        .find(|d| d["omitted"] == 3)
        .expect("the line");
    assert_eq!(line["code"], "V001");
    assert_eq!(line["severity"], "erreur");
    assert_eq!(line["file"], "depot.xlsx");
    let shown = diagnostics.iter().filter(|d| d["omitted"].is_null());
    assert_eq!(shown.count(), 4, "two V001, V004 and M001");

    let run = w.run(&[
        "validate",
        "depot.xlsx",
        "--max-anomalies",
        "2",
        "--format",
        "csv",
    ]);
    let rows = read_excel_fr(run.stdout.as_bytes());
    assert_eq!(rows.len(), 6, "header and five lines");
    assert!(
        rows.iter()
            .any(|r| r[0] == "V001" && r[2].contains("3 autres"))
    );

    // 0 keeps every one; the default (1 000) keeps these few.
    for args in [&["--max-anomalies", "0"][..], &[]] {
        let mut all = vec!["validate", "depot.xlsx"];
        all.extend(args);
        let run = w.run(&all);
        assert_eq!(run.stdout.matches("[V001]").count(), 5, "{}", run.stdout);
        assert!(!run.stdout.contains("autres V001"));
    }
}

#[test]
fn the_bound_is_per_file() {
    let w = Workdir::new();
    broken(&w, "input/a.xlsx", 3);
    broken(&w, "input/b.xlsx", 1);
    let run = w.run(&[
        "validate",
        "input",
        "--max-anomalies",
        "2",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let lines: Vec<_> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| !d["omitted"].is_null() && d["code"] == "V001")
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["file"], "input/a.xlsx");
    assert_eq!(lines[0]["omitted"], 1);
}

#[test]
fn report_bounds_anomalies_csv_and_the_pdf_and_keeps_its_figures_exact() {
    let w = Workdir::new();
    broken(&w, "input/depot.xlsx", 5);
    let report = |out: &str, bound: &str| {
        w.run(&[
            "report",
            "--input",
            "input",
            "--output",
            out,
            "--year",
            "2019",
            "--max-anomalies",
            bound,
        ])
    };
    let run = report("sortie", "2");
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let all = report("toutes", "0");
    assert_eq!(run.stdout.replace("sortie", "toutes"), all.stdout);
    assert!(run.stdout.contains("bilan : 7 erreurs"), "{}", run.stdout);
    assert!(run.stdout.contains("6 lignes écartées"), "{}", run.stdout);
    let anomalies = read_excel_fr(&w.read("sortie/2019/anomalies.csv"));
    assert!(
        anomalies
            .iter()
            .any(|r| r[2] == "… et 3 autres V001 dans ce fichier")
    );
    let every = read_excel_fr(&w.read("toutes/2019/anomalies.csv"));
    // Data-set-wide warnings of a code are bounded too.
    assert!(anomalies.len() < every.len());
    // The same figures whatever is kept.
    let manifest = |out: &str| -> serde_json::Value {
        serde_json::from_slice(&w.read(&format!("{out}/2019/manifest.json"))).unwrap()
    };
    for key in [
        "erreurs",
        "avertissements",
        "infos",
        "lignes_ecartees",
        "lignes_lues",
    ] {
        assert_eq!(manifest("sortie")[key], manifest("toutes")[key], "{key}");
    }
    assert_eq!(manifest("sortie")["erreurs"], 7);
    for csv in [
        "synthese-objectifs.csv",
        "conventions.csv",
        "synthese-evolution.csv",
    ] {
        assert_eq!(
            w.read(&format!("sortie/2019/{csv}")),
            w.read(&format!("toutes/2019/{csv}")),
            "{csv}"
        );
    }
    if pdf_tools::tool("pdftotext") {
        let text = pdf_tools::pdftotext(&w.join("sortie/2019/rapport-partenariats-2019.pdf"), None);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("… et 3 autres V001 dans ce fichier"),
            "{flat}"
        );
    }
}

#[test]
fn diff_compares_a_truncated_code_by_its_counts() {
    let w = Workdir::new();
    broken(&w, "avant/depot.xlsx", 3);
    broken(&w, "apres/depot.xlsx", 5);
    let args = |bound: &'static str| {
        vec![
            "diff",
            "avant",
            "apres",
            "--year",
            "2019",
            "--format",
            "json",
            "--max-anomalies",
            bound,
        ]
    };
    let run = w.run(&args("2"));
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let appeared = json["anomalies_apparues"].as_array().unwrap();
    assert_eq!(appeared.len(), 1, "{appeared:?}");
    assert_eq!(appeared[0]["code"], "V001");
    assert_eq!(appeared[0]["sujet"], "3 avant, 5 après");
    assert!(json["anomalies_disparues"].as_array().unwrap().is_empty());
    // Unbounded, the two new ones are named one by one.
    let run = w.run(&args("0"));
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let appeared = json["anomalies_apparues"].as_array().unwrap();
    assert_eq!(appeared.len(), 2, "{appeared:?}");
    assert!(appeared.iter().all(|a| a["code"] == "V001"));
}
