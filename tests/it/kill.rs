//! A report killed (SIGKILL) at any point leaves the previous outputs whole, and the next run
//! succeeds.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::*;

/// A larger data set, in CSV: `n` local conventions of one association each.
fn larger_input(w: &Workdir, n: usize, amount: u32) {
    let mut conventions = String::from(
        "id;intitule;echelle;parc;partenaires;objectifs;date_signature;date_debut;date_fin;montant_total;statut\n",
    );
    let mut partners = String::from("id;nom;type;rna\n");
    for i in 0..n {
        conventions.push_str(&format!(
            "C-{i};Action {i};locale;AVE;P-{i};OS{};01/01/2020;01/01/2020;31/12/2020;{amount},50;soldée\n",
            1 + i % 3
        ));
        partners.push_str(&format!("P-{i};Association {i};association;W59{i:07}\n"));
    }
    w.write("input/conventions.csv", conventions);
    w.write("input/partenaires.csv", partners);
}

/// Every output is whole: CSV files parse to the end with a constant field count, the manifest parses.
fn assert_whole(w: &Workdir) {
    let dir = w.join("output/2020");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        if name.ends_with(".csv") {
            assert!(bytes.ends_with(b"\r\n"), "{name} is cut");
            let rows = read_excel_fr(&bytes);
            let width = rows[0].len();
            assert!(
                rows.iter().all(|r| r.len() == width),
                "{name} has a short row"
            );
        } else if name == "manifest.json" {
            serde_json::from_slice::<serde_json::Value>(&bytes)
                .unwrap_or_else(|e| panic!("manifest: {e}"));
        }
    }
}

#[test]
fn killed_runs_leave_previous_outputs_whole() {
    let w = Workdir::new();
    larger_input(&w, 20_000, 1000);
    let start = std::time::Instant::now();
    assert_eq!(w.run(&["report", "--year", "2020", "--force"]).code, 0);
    let full = start.elapsed().as_millis() as u64;
    let before = w.read("output/2020/conventions.csv");
    assert_whole(&w);

    // Kill points spread over a whole run: reading, checking, computing, writing.
    for (attempt, percent) in [2u64, 20, 45, 70, 85, 92, 97].into_iter().enumerate() {
        let delay_ms = full * percent / 100;
        // New amounts, so every run has something to write.
        larger_input(&w, 20_000, 2000 + attempt as u32);
        let mut child = Command::new(env!("CARGO_BIN_EXE_enrx"))
            .args(["report", "--year", "2020", "-q"])
            .current_dir(w.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        assert_whole(&w);
        let now = w.read("output/2020/conventions.csv");
        assert!(
            now == before || now.len() > 1000,
            "conventions.csv is either the old or a new whole file"
        );
    }
    let run = w.run(&["report", "--year", "2020"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_whole(&w);
    let leftovers: Vec<_> = std::fs::read_dir(w.join("output/2020"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary files of killed runs are cleaned up"
    );
    let conventions = read_excel_fr(&w.read("output/2020/conventions.csv"));
    assert_eq!(conventions.len(), 20_001);
    assert_eq!(
        conventions[1][11], "2006,50",
        "the last inputs are reported"
    );
}
