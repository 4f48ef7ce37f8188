//! The PDF report: its text read back with pdftotext (installed by .ci/run), its structure
//! checked by qpdf, its figures the same as the CSV files'.

use std::process::Command;

use crate::common::*;
use crate::pdf_tools::{assert_qpdf_check, pdftotext, tool};

/// Text without spaces, line breaks or hyphens, since pdftotext joins and cuts lines its way.
fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{a0}' | '\u{202f}' | '\u{ad}'))
        .collect()
}

fn pages(path: &std::path::Path) -> usize {
    let out = Command::new("pdfinfo").arg(path).output().expect("pdfinfo");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .expect("page count")
}

/// `967356,52` → `967 356,52 €` squeezed, as the PDF writes amounts.
fn pdf_amount(csv_amount: &str) -> String {
    squeeze(&format!("{csv_amount}€"))
}

#[test]
fn sample_report_pdf_has_the_figures_and_every_page_numbered() {
    let w = Workdir::new();
    w.copy_sample_input();
    assert_eq!(w.run(&["report", "--year", "2020"]).code, 0);
    let pdf = w.join("output/2020/rapport-partenariats-2020.pdf");
    assert!(
        w.read("output/2020/rapport-partenariats-2020.pdf")
            .starts_with(b"%PDF-")
    );
    if tool("qpdf") {
        assert_qpdf_check(&pdf);
    }
    if !tool("pdftotext") {
        return;
    }
    let text = pdftotext(&pdf, None);
    let flat = squeeze(&text);
    assert!(text.contains("2020"));
    for title in [
        "Améliorer la performance collective des Parcs naturels régionaux Hauts-de-France",
        "Contribuer à la territorialisation de politiques régionales",
        "Promouvoir l'intelligence collective et l'innovation des territoires ruraux",
    ] {
        assert!(
            flat.contains(&squeeze(title)),
            "objective title « {title} » with its accents"
        );
    }
    assert!(
        text.contains("é") && text.contains("€"),
        "accents and euro extract right"
    );
    // The figures of synthese-objectifs.csv, as the PDF writes them.
    let objectives = read_excel_fr(&w.read("output/2020/synthese-objectifs.csv"));
    for row in &objectives[1..] {
        assert!(
            flat.contains(&squeeze(&format!("{} —", row[0]))),
            "{}",
            row[0]
        );
        assert!(
            flat.contains(&pdf_amount(&row[3])),
            "amount {} of {}",
            row[3],
            row[0]
        );
        assert!(
            flat.contains(&pdf_amount(&row[4])),
            "Région part {} of {}",
            row[4],
            row[0]
        );
    }
    let n = pages(&pdf);
    assert!(n >= 8, "{n} pages");
    for p in 1..=n {
        let page = pdftotext(&pdf, Some(p));
        assert!(
            page.contains(&format!("Page {p} / {n}")),
            "page {p}: {page}"
        );
    }
}

#[test]
fn long_lists_break_across_pages_with_their_header_and_are_capped() {
    let w = Workdir::new();
    let mut conventions = String::from(
        "id;intitule;echelle;parc;partenaires;objectifs;date_signature;date_debut;date_fin;montant_total;statut\n",
    );
    for i in 0..2100 {
        conventions.push_str(&format!(
            "C-{i:05};Animation nature numéro {i} avec les écoles du territoire;locale;AVE;P-1;OS3;01/01/2020;01/01/2020;31/12/2020;1000;soldée\n"
        ));
    }
    w.write("input/conventions.csv", conventions);
    w.write(
        "input/partenaires.csv",
        "id;nom;type;rna\nP-1;Les Blongios;association;W595012345\n",
    );
    let start = std::time::Instant::now();
    w.run(&["report", "--year", "2020"]);
    eprintln!(
        "2 100 conventions reported in {:?} (debug build)",
        start.elapsed()
    );
    if !tool("pdftotext") {
        return;
    }
    let pdf = w.join("output/2020/rapport-partenariats-2020.pdf");
    let n = pages(&pdf);
    assert!(n > 30, "{n} pages");
    // The list's pages repeat the table header.
    let with_header = (1..=n)
        .filter(|&p| {
            let page = pdftotext(&pdf, Some(p));
            page.contains("C-0") && page.contains("Intitulé") && page.contains("Échelle")
        })
        .count();
    assert!(
        with_header > 20,
        "{with_header} pages of the list with their header"
    );
    let text = pdftotext(&pdf, None);
    assert!(
        squeeze(&text).contains(&squeeze(
            "… et 100 autres conventions, dans le fichier conventions.csv"
        )),
        "cap note"
    );
    assert!(
        !text.contains("C-02099"),
        "rows past the cap are in the CSV only"
    );
    let csv = read_excel_fr(&w.read("output/2020/conventions.csv"));
    assert_eq!(csv.len(), 2101);
}

#[test]
fn bilan_pdf_and_template_override() {
    let w = Workdir::new();
    w.copy_sample_input();
    w.write(
        "modeles/rapport.toml",
        String::from_utf8(
            std::fs::read(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/rapport.toml"),
            )
            .unwrap(),
        )
        .unwrap()
        .replace(
            "titre = \"Chiffres clés\"",
            "titre = \"Les chiffres de la période {periode}\"",
        ),
    );
    assert_eq!(
        w.run(&["report", "--bilan", "--templates", "modeles"]).code,
        0
    );
    let pdf = w.join("output/bilan-2018-2021/rapport-partenariats-bilan-2018-2021.pdf");
    assert!(pdf.is_file());
    if tool("pdftotext") {
        let text = pdftotext(&pdf, None);
        assert!(
            squeeze(&text).contains(&squeeze("Les chiffres de la période 2018-2021")),
            "overridden title"
        );
        assert!(text.contains("Bilan de la période 2018–2021"));
    }
    // Fonts in the templates folder replace the built-in ones; a broken one is exit 2.
    let fonts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/fonts");
    for face in ["EnrxSans.ttf", "EnrxSans-Bold.ttf"] {
        w.write(
            &format!("modeles/fonts/{face}"),
            std::fs::read(fonts.join(face)).unwrap(),
        );
    }
    assert_eq!(
        w.run(&["report", "--bilan", "--templates", "modeles", "--force"])
            .code,
        0
    );
    w.write("modeles/fonts/EnrxSans-Bold.ttf", b"not a font");
    let run = w.run(&["report", "--bilan", "--templates", "modeles", "--force"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("police"), "{}", run.stderr);
    // A broken texts file stops the run before anything is written.
    w.write("casse/rapport.toml", "[couverture]\ntitre = 3\n");
    let run = w.run(&["report", "--year", "2020", "--templates", "casse"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("rapport.toml invalide"),
        "{}",
        run.stderr
    );
}

#[test]
fn counts_of_zero_and_one_take_the_singular() {
    // One file, one active convention, no row left out, one association.
    let w = Workdir::new();
    workbook(
        &w.join("input/parc.xlsx"),
        &[
            (
                "Conventions",
                vec![header(&CONVENTION_HEADER), convention_row("C-1", &[])],
            ),
            (
                "Partenaires",
                vec![
                    header(&["id", "nom", "type", "rna"]),
                    text_row(&["P-1", "Les Blongios", "association", "W595012345"]),
                ],
            ),
        ],
    );
    let run = w.run(&["report", "--year", "2019"]);
    assert!(
        run.stdout.contains("\n1 convention active ; "),
        "{}",
        run.stdout
    );
    if !tool("pdftotext") {
        return;
    }
    let raw = pdftotext(&w.join("output/2019/rapport-partenariats-2019.pdf"), None);
    let text = squeeze(&raw);
    for expected in [
        "1 convention de partenariat était active",
        "Elle associe 1 partenaire distinct, dont 1 association.",
        "tirés de 1 fichier déposé ; 0 ligne en erreur en est écartée",
        "1 fichier déposé, 2 lignes lues",
        "0 erreur et",
        // OS2-I2 (communes) declared nowhere: 0 of a target.
        "0 commune",
    ] {
        assert!(
            text.contains(&squeeze(expected)),
            "« {expected} » in {text}"
        );
    }
    // A count on its own (not the end of « 220 communes »).
    let words: Vec<&str> = raw.split_whitespace().collect();
    for wrong in [
        ["0", "lignes"],
        ["0", "communes"],
        ["1", "fichiers"],
        ["0", "erreurs"],
    ] {
        assert!(
            !words.windows(2).any(|w| w == wrong),
            "« {wrong:?} » in {raw}"
        );
    }
}

#[test]
fn a_fall_takes_the_minus_sign_in_the_pdf_only() {
    // The sample data set: 59 active conventions in 2020, 50 in 2021.
    let w = Workdir::new();
    w.copy_sample_input();
    assert_eq!(w.run(&["report", "--year", "2021"]).code, 0);
    if tool("pdftotext") {
        let text = pdftotext(
            &w.join("output/2021/rapport-partenariats-2021.pdf"),
            Some(2),
        )
        .replace('\u{a0}', " ");
        assert!(
            text.contains("\u{2212}9 (\u{2212}15,3 %) par rapport à 2020"),
            "{text}"
        );
        assert!(!text.contains("-9 (-15,3"), "{text}");
    }
    for entry in std::fs::read_dir(w.join("output/2021")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            let text = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
            assert!(!text.contains('\u{2212}'), "{}", path.display());
        }
    }
}
