//! Synthetic data for benchmarks: valid rows (same rules as the sample) with varied values,
//! streamed to disk so that a million conventions need little memory.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, Days, NaiveDate};
use rust_xlsxwriter::{Workbook, Worksheet};

use crate::csvout;
use crate::ident;
use crate::model::ptype::*;
use crate::model::*;
use crate::names;
use crate::rng::{Rng, mix};
use crate::table::{
    CF, Cell, DateText, INDICATOR_HEADER, MoneyText, PF, Style, cell_text, convention_row,
    indicator_row, partner_row,
};
use crate::xlsx::{self, Formats};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

pub const CONVENTION_COLUMNS: [(&str, CF); 16] = [
    ("id", CF::Id),
    ("intitule", CF::Intitule),
    ("echelle", CF::Echelle),
    ("parc", CF::Parc),
    ("partenaires", CF::Partenaires),
    ("objectifs", CF::Objectifs),
    ("thematique", CF::Thematique),
    ("programme", CF::Programme),
    ("date_signature", CF::Signature),
    ("date_debut", CF::Debut),
    ("date_fin", CF::Fin),
    ("montant_total", CF::Total),
    ("part_region", CF::Region),
    ("part_europe", CF::Europe),
    ("part_autres", CF::Autres),
    ("statut", CF::Statut),
];

pub const PARTNER_COLUMNS: [(&str, PF); 9] = [
    ("id", PF::Id),
    ("nom", PF::Nom),
    ("type", PF::Type),
    ("siret", PF::Siret),
    ("rna", PF::Rna),
    ("code_postal", PF::CodePostal),
    ("commune", PF::Commune),
    ("email", PF::Email),
    ("telephone", PF::Telephone),
];

const THEMES: [&str; 9] = [
    theme::RESSOURCES,
    theme::BIODIVERSITE,
    theme::COMMUNICATION,
    theme::EDUCATION,
    theme::JURIDIQUE,
    theme::EUROPE,
    theme::ENERGIE,
    theme::TVB,
    theme::URBANISME,
];

/// Partner types in a cycle of 20: 60 % associations, then the other local actors.
const TYPE_CYCLE: [&str; 20] = [
    ASSOCIATION,
    ASSOCIATION,
    ASSOCIATION,
    ASSOCIATION,
    ASSOCIATION,
    ASSOCIATION,
    ASSOCIATION,
    ASSOCIATION,
    ASSOCIATION,
    ASSOCIATION,
    ASSOCIATION,
    ASSOCIATION,
    ENTREPRISE,
    ORG_PRO,
    ENSEIGNEMENT,
    COLLECTIVITE,
    COLLECTIVITE,
    ETAT,
    FEDERATION,
    AUTRE,
];

/// A set of synthetic partners: ids, and a global offset that keeps SIRENs unique across sets.
pub struct Pool {
    pub count: usize,
    /// The first `parcs` partners are the five parcs (bench only).
    pub with_parcs: bool,
    pub global_offset: u64,
    pub id_prefix: String,
    pub id_width: usize,
}

impl Pool {
    pub fn id(&self, j: usize) -> String {
        format!("{}{:0w$}", self.id_prefix, j + 1, w = self.id_width)
    }

    pub fn ptype(&self, j: usize) -> &'static str {
        if self.with_parcs && j < PARCS.len() {
            PARC
        } else {
            let k = if self.with_parcs { j - PARCS.len() } else { j };
            TYPE_CYCLE[(mix(k as u64 ^ 0x5eed) % 20) as usize]
        }
    }

    /// An association of the pool near `j`.
    pub fn association_near(&self, j: usize) -> usize {
        (j..self.count)
            .chain(0..j)
            .find(|&k| self.ptype(k) == ASSOCIATION)
            .expect("a pool holds associations")
    }

    pub fn partner(&self, j: usize) -> Partner {
        let global = self.global_offset + j as u64;
        let mut rng = Rng::new(mix(global ^ 0x00AB_CDEF_0123));
        let t = self.ptype(j);
        let (commune, cp) = *rng.pick(names::SYNTH_COMMUNES);
        let of = of_commune(commune);
        let nom = if t == PARC {
            names::PARC_ORGS[j].nom.to_string()
        } else {
            match t {
                ASSOCIATION => format!(
                    "{} {} {of}",
                    rng.pick(names::SYNTH_ASSOC_PREFIX),
                    rng.pick(names::SYNTH_TOPICS)
                ),
                ENTREPRISE => format!(
                    "{} {of}{}",
                    rng.pick(names::SYNTH_BUSINESS),
                    rng.pick(&["", "", " SARL", " SAS", " SCOP"])
                ),
                ORG_PRO => format!(
                    "{} {of}",
                    rng.pick(&[
                        "Groupement des producteurs",
                        "Syndicat des apiculteurs",
                        "Groupement de développement agricole",
                        "Union des artisans",
                    ])
                ),
                ENSEIGNEMENT => format!(
                    "{} {of}",
                    rng.pick(&[
                        "Lycée agricole",
                        "Collège",
                        "École élémentaire",
                        "Maison familiale rurale",
                    ])
                ),
                COLLECTIVITE => format!(
                    "{} {of}",
                    rng.pick(&["Commune", "Commune", "Communauté de communes"])
                ),
                ETAT => format!(
                    "{} {of}",
                    rng.pick(&[
                        "Office national des forêts – unité territoriale",
                        "Direction départementale des territoires – antenne",
                    ])
                ),
                FEDERATION => format!(
                    "{} {of}",
                    rng.pick(&[
                        "Fédération de pêche – antenne",
                        "Réseau des jardins partagés",
                        "Fédération des foyers ruraux – antenne",
                    ])
                ),
                _ => format!(
                    "{} {} {of}",
                    rng.pick(&[
                        "Fondation",
                        "Fonds de dotation",
                        "Groupement d'intérêt public"
                    ]),
                    rng.pick(names::SYNTH_TOPICS)
                ),
            }
        };
        let (cp, commune) = if t == PARC {
            (names::PARC_ORGS[j].cp, names::PARC_ORGS[j].commune)
        } else {
            (cp, commune)
        };
        let (has_rna, has_siret) = if t == ASSOCIATION {
            match rng.below(100) {
                0..70 => (true, false),
                70..85 => (true, true),
                _ => (false, true),
            }
        } else {
            (false, t == PARC || rng.chance(92))
        };
        let siret = has_siret.then(|| {
            let siren = ident::unique_siren(global);
            ident::siret(&siren, rng.range(1, 350) as u32)
        });
        let rna = has_rna.then(|| {
            let pref = ident::rna_prefecture(cp, &mut rng);
            // A bijection of the serial keeps RNA numbers apart below a million partners.
            ident::rna(&pref, (global.wrapping_mul(7_777) % 1_000_000) as u32)
        });
        let email = rng.chance(90).then(|| {
            let s = if t == PARC {
                names::PARC_ORGS[j]
                    .domain
                    .trim_end_matches(".fr")
                    .to_string()
            } else {
                ident::domain_words(&nom, 4)
            };
            format!(
                "{}@{s}{}",
                rng.pick(&["contact", "accueil", "secretariat", "info"]),
                rng.pick(&[".fr", ".org", ".asso.fr", ".com"])
            )
        });
        let telephone = rng.chance(85).then(|| ident::phone_fr(&mut rng, cp));
        Partner {
            id: self.id(j),
            nom,
            ptype: t,
            siret,
            rna,
            code_postal: Some(cp.to_string()),
            commune: Some(commune.to_string()),
            email,
            telephone,
        }
    }
}

/// `de Maroilles`, `d'Arques`, `du Quesnoy`.
fn of_commune(c: &str) -> String {
    if let Some(rest) = c.strip_prefix("Le ") {
        format!("du {rest}")
    } else if c.starts_with(['A', 'E', 'I', 'O', 'U', 'É']) {
        format!("d'{c}")
    } else {
        format!("de {c}")
    }
}

/// What kind of conventions a synthetic set holds.
pub struct Mix {
    pub scales: &'static [(Scale, u32)],
    /// All territorial and local conventions belong to this parc (a parc's submission).
    pub parc: Option<&'static str>,
    /// Conventions start on or after this date.
    pub from: NaiveDate,
}

pub const BENCH_MIX: [(Scale, u32); 5] = [
    (Scale::Locale, 780),
    (Scale::Territoriale, 60),
    (Scale::Nationale, 60),
    (Scale::Europeenne, 99),
    (Scale::Regionale, 1),
];

pub const PARC_MIX: [(Scale, u32); 4] = [
    (Scale::Locale, 85),
    (Scale::Territoriale, 10),
    (Scale::Nationale, 2),
    (Scale::Europeenne, 3),
];

fn random_date_between(rng: &mut Rng, a: NaiveDate, b: NaiveDate) -> NaiveDate {
    let span = (b - a).num_days().max(0);
    let d = a + Days::new(rng.range(0, span) as u64);
    if rng.chance(60) {
        // Most conventions start on the 1st of a month.
        NaiveDate::from_ymd_opt(d.year(), d.month(), 1).expect("first of month")
    } else {
        d
    }
}

fn euros(rng: &mut Rng, lo: i64, hi: i64) -> i64 {
    let step = *rng.pick(&[1, 10, 50, 100, 500]);
    let e = ((rng.range(lo, hi) / step) * step).clamp(lo, hi);
    if e < hi && rng.chance(30) {
        e * 100 + rng.range(1, 99)
    } else {
        e * 100
    }
}

/// One synthetic convention; `forced` is a partner it must include (every partner gets used).
pub fn convention(
    rng: &mut Rng,
    id_year_seq: &dyn Fn(i32) -> String,
    pool: &Pool,
    forced: usize,
    mix: &Mix,
) -> Convention {
    let scale = *rng.weighted(mix.scales);
    let (end_all, start_all) = (period_end(), mix.from.max(period_start()));
    let (programme, window) = match scale {
        Scale::Europeenne => {
            let (code, end) = *rng.pick(&[
                ("IMPACT", date(2020, 3, 31)),
                ("PARTONS", date(2021, 9, 30)),
            ]);
            (Some(code), (start_all.min(end - Days::new(200)), end))
        }
        Scale::Nationale => (
            Some(*rng.pick(&["FNPNR", "FNPNR", "RENOUER"])),
            (start_all, end_all),
        ),
        _ => (None, (start_all, end_all)),
    };
    let months = match scale {
        Scale::Regionale => 48,
        Scale::Territoriale => rng.range(12, 36),
        Scale::Locale => rng.range(3, 24),
        _ => rng.range(6, 30),
    };
    let (debut, fin) = if scale == Scale::Regionale {
        (period_start(), period_end())
    } else {
        let len = Days::new((months * 30) as u64);
        let latest_start = (window.1 - len).max(window.0);
        let debut = random_date_between(rng, window.0, latest_start);
        let fin = (debut + len).min(window.1);
        // End at a month's end when the convention runs whole months.
        let fin = if rng.chance(70) {
            last_day_of_month(fin.year(), fin.month()).min(window.1)
        } else {
            fin
        };
        // Some conventions run to the end of the period (still running on 31/12/2021).
        let fin = if debut.year() >= 2020 && rng.chance(25) {
            window.1
        } else {
            fin
        };
        (debut, fin.max(debut))
    };
    let parc = match scale {
        Scale::Territoriale | Scale::Locale => Some(mix.parc.unwrap_or_else(|| {
            let n = if debut.year() >= 2020 { 5 } else { 4 };
            PARCS[rng.below(n) as usize].0
        })),
        _ => None,
    };
    let mut partners = vec![forced];
    let extra = *rng.weighted(&[(0usize, 45), (1, 35), (2, 20)]);
    for _ in 0..extra {
        let j = rng.below(pool.count as u64) as usize;
        if !partners.contains(&j) {
            partners.push(j);
        }
    }
    if scale == Scale::Locale && !partners.iter().any(|&j| is_local_actor(pool.ptype(j))) {
        let a = pool.association_near(rng.below(pool.count as u64) as usize);
        partners.push(a);
    }
    let total = match scale {
        Scale::Regionale => euros(rng, 2_000_000, 4_000_000),
        Scale::Territoriale => euros(rng, 50_000, 400_000),
        Scale::Locale => euros(rng, 2_000, 22_000),
        _ => euros(rng, 10_000, 250_000),
    };
    // Percentages that add up to at most 100, each share rounded down: parts ≤ total.
    let europe_pct = if scale == Scale::Europeenne {
        rng.range(50, 85)
    } else {
        0
    };
    let europe = (scale == Scale::Europeenne).then(|| share(total, europe_pct));
    let region = share(total, rng.range(10, 95 - europe_pct));
    let autres = rng.chance(35).then(|| share(total, rng.range(1, 5)));
    let status = match rng.below(100) {
        0..2 => Status::Projet,
        2..3 => Status::Resiliee,
        // Signed late in 2021, not started in earnest by the end of the period.
        _ if debut >= date(2021, 7, 1) && rng.chance(30) => Status::Signee,
        _ => Status::from_end(fin),
    };
    let signature = (status != Status::Projet)
        .then(|| debut.checked_sub_days(Days::new(rng.range(7, 75) as u64)))
        .flatten();
    let objectives = rng
        .weighted(&[
            (&[1u8][..], 10),
            (&[2][..], 25),
            (&[3][..], 20),
            (&[1, 2][..], 10),
            (&[2, 3][..], 20),
            (&[1, 3][..], 10),
            (&[1, 2, 3][..], 5),
        ])
        .to_vec();
    let thematique = rng.chance(92).then(|| *rng.pick(&THEMES));
    let place_parc = parc.unwrap_or(PARCS[rng.below(5) as usize].0);
    let intitule = match scale {
        Scale::Regionale => format!(
            "Convention d'objectifs ENRx – Région Hauts-de-France, avenant {}",
            rng.range(1, 9)
        ),
        Scale::Territoriale => format!(
            "Convention ENRx / Parc naturel régional {} – {} {}",
            names::parc_in_title(place_parc),
            rng.pick(names::title_starts(
                thematique.unwrap_or(theme::COMMUNICATION)
            ))
            .to_lowercase(),
            rng.pick(names::places(place_parc)),
        ),
        _ => {
            let theme = thematique.unwrap_or(theme::BIODIVERSITE);
            format!(
                "{} {} – {}",
                rng.pick(names::title_starts(theme)),
                rng.pick(names::places(place_parc)),
                debut.year()
            )
        }
    };
    Convention {
        id: id_year_seq(debut.year()),
        intitule,
        scale,
        parc,
        partners,
        objectives,
        thematique,
        programme,
        signature,
        debut,
        fin,
        total,
        region,
        europe,
        autres,
        status,
    }
}

/// Declared indicator values, per year and parc, with plausible magnitudes.
pub fn indicators(rng: &mut Rng) -> Vec<IndicatorValue> {
    let mut v = Vec::new();
    for y in YEARS {
        v.push(IndicatorValue {
            code: "OS1-I2",
            annee: y,
            valeur_centi: rng.range(8, 14) * 100,
            parc: None,
            commentaire: None,
        });
        v.push(IndicatorValue {
            code: "OS3-I4",
            annee: y,
            valeur_centi: rng.range(1_900, 2_200) * 100,
            parc: None,
            commentaire: Some("Centre régional de ressources génétiques"),
        });
        for (code, lo, hi) in [
            ("OS2-I2", 60, 90),
            ("OS2-I3", 500, 900),
            ("OS3-I3", 110, 200),
        ] {
            for (parc, _, _) in PARCS {
                let mut centi = rng.range(lo, hi) * 100;
                if code == "OS2-I3" && rng.chance(40) {
                    centi += 50;
                }
                v.push(IndicatorValue {
                    code,
                    annee: y,
                    valeur_centi: centi,
                    parc: Some(parc),
                    commentaire: None,
                });
            }
        }
    }
    v
}

fn write_row(ws: &mut Worksheet, row: u32, cells: &[Cell], f: &Formats) -> Result<()> {
    for (c, cell) in cells.iter().enumerate() {
        xlsx::write_cell(ws, row, c as u16, cell, f)?;
    }
    Ok(())
}

fn csv_fields(cells: &[Cell]) -> impl Iterator<Item = String> + '_ {
    cells
        .iter()
        .map(|c| cell_text(c, DateText::French, MoneyText::FrenchPlain))
}

fn header_of<T>(cols: &[(&str, T)]) -> Vec<String> {
    cols.iter().map(|(h, _)| h.to_string()).collect()
}

/// `bench <dir> --rows N`: `<dir>/xlsx/conventions-N.xlsx` and the same rows in
/// `<dir>/csv/{conventions,partenaires,indicateurs}-N.csv` (UTF-8, `;`).
pub fn bench(dir: &Path, rows: usize) -> Result<Vec<PathBuf>> {
    if rows == 0 || rows > 1_048_575 {
        return Err("--rows must be between 1 and 1 048 575 (the rows of one Excel sheet)".into());
    }
    let xdir = dir.join("xlsx");
    let cdir = dir.join("csv");
    std::fs::create_dir_all(&xdir)?;
    std::fs::create_dir_all(&cdir)?;
    let pool = Pool {
        count: (rows / 5).max(10),
        with_parcs: true,
        global_offset: 0,
        id_prefix: "P-".into(),
        id_width: 6,
    };
    let mix = Mix {
        scales: &BENCH_MIX,
        parc: None,
        from: period_start(),
    };
    let xpath = xdir.join(format!("conventions-{rows}.xlsx"));
    let cpaths =
        ["conventions", "partenaires", "indicateurs"].map(|k| cdir.join(format!("{k}-{rows}.csv")));

    let mut wb = Workbook::new();
    wb.set_properties(&xlsx::properties("ENRx – données de test")?);
    wb.use_zip_large_file(rows > 2_000_000);
    let f = Formats::new();
    let style = Style::default();
    let mut rng = Rng::new(0xBE4C_0000 ^ rows as u64);
    let width = rows.to_string().len().max(4);
    let id_of = |j: usize| pool.id(j);

    // Conventions: xlsx and csv written in the same pass, nothing kept in memory.
    {
        let mut out = csvout::writer(BufWriter::with_capacity(1 << 20, File::create(&cpaths[0])?));
        let header = header_of(&CONVENTION_COLUMNS);
        out.write_record(&header)?;
        let ws = wb.add_worksheet_with_constant_memory()?;
        let first = xlsx::start_sheet(ws, "Conventions", None, &header, &f)?;
        for i in 0..rows {
            let row = first + i as u32;
            let seq = |y: i32| format!("C-{y}-{:0width$}", i + 1);
            let c = convention(&mut rng, &seq, &pool, i % pool.count, &mix);
            let cells = convention_row(&c, &CONVENTION_COLUMNS, &style, i, &id_of);
            write_row(ws, row, &cells, &f)?;
            out.write_record(csv_fields(&cells))?;
        }
        out.into_inner().map_err(|e| e.to_string())?.flush()?;
    }
    // Partners.
    {
        let mut out = csvout::writer(BufWriter::with_capacity(1 << 20, File::create(&cpaths[1])?));
        let header = header_of(&PARTNER_COLUMNS);
        out.write_record(&header)?;
        let ws = wb.add_worksheet_with_constant_memory()?;
        let first = xlsx::start_sheet(ws, "Partenaires", None, &header, &f)?;
        for j in 0..pool.count {
            let row = first + j as u32;
            let cells = partner_row(&pool.partner(j), &PARTNER_COLUMNS, &style);
            write_row(ws, row, &cells, &f)?;
            out.write_record(csv_fields(&cells))?;
        }
        out.into_inner().map_err(|e| e.to_string())?.flush()?;
    }
    // Declared indicators.
    {
        let mut out = csvout::writer(BufWriter::new(File::create(&cpaths[2])?));
        let header: Vec<String> = INDICATOR_HEADER.iter().map(|h| h.to_string()).collect();
        out.write_record(&header)?;
        let ws = wb.add_worksheet_with_constant_memory()?;
        let first = xlsx::start_sheet(ws, "Indicateurs", None, &header, &f)?;
        for (k, v) in indicators(&mut rng).into_iter().enumerate() {
            let row = first + k as u32;
            let cells = indicator_row(&v);
            write_row(ws, row, &cells, &f)?;
            out.write_record(csv_fields(&cells))?;
        }
        out.into_inner().map_err(|e| e.to_string())?.flush()?;
    }
    wb.save(&xpath)?;
    let mut written = vec![xpath];
    written.extend(cpaths);
    Ok(written)
}

/// `submissions <dir> --count C --rows R`: C parc workbooks of R conventions with their
/// partners; ids and SIRETs unique across the whole set.
pub fn submissions(dir: &Path, count: usize, rows: usize) -> Result<Vec<PathBuf>> {
    if count == 0 || count > 9_999 || rows == 0 || rows > 99_999 {
        return Err("--count must be 1..9 999 and --rows 1..99 999".into());
    }
    std::fs::create_dir_all(dir)?;
    let kw = count.to_string().len().max(2);
    let rw = rows.to_string().len().max(3);
    let partners = (rows / 5).max(10);
    let pw = partners.to_string().len().max(3);
    let style = Style::default();
    let f = Formats::new();
    let mut written = Vec::new();
    for k in 1..=count {
        let (parc, parc_name, _) = PARCS[(k - 1) % PARCS.len()];
        let pool = Pool {
            count: partners,
            with_parcs: false,
            global_offset: 1_000_000 + (k as u64) * partners as u64,
            id_prefix: format!("P-{k:0kw$}"),
            id_width: pw,
        };
        let mix = Mix {
            scales: &PARC_MIX,
            parc: Some(parc),
            from: if parc == "BSPM" {
                date(2020, 1, 1)
            } else {
                period_start()
            },
        };
        let mut rng = Rng::new(mix_seed(k));
        let id_of = |j: usize| pool.id(j);
        let mut wb = Workbook::new();
        wb.set_properties(&xlsx::properties(&format!(
            "Parc naturel régional {parc_name}"
        ))?);
        let header = header_of(&CONVENTION_COLUMNS);
        let ws = wb.add_worksheet();
        let first = xlsx::start_sheet(ws, "Conventions", None, &header, &f)?;
        for i in 0..rows {
            let row = first + i as u32;
            let seq = |y: i32| format!("C-{y}-{k:0kw$}-{:0rw$}", i + 1);
            let c = convention(&mut rng, &seq, &pool, i % pool.count, &mix);
            write_row(
                ws,
                row,
                &convention_row(&c, &CONVENTION_COLUMNS, &style, i, &id_of),
                &f,
            )?;
        }
        let header = header_of(&PARTNER_COLUMNS);
        let ws = wb.add_worksheet();
        let first = xlsx::start_sheet(ws, "Partenaires", None, &header, &f)?;
        for j in 0..pool.count {
            let row = first + j as u32;
            write_row(
                ws,
                row,
                &partner_row(&pool.partner(j), &PARTNER_COLUMNS, &style),
                &f,
            )?;
        }
        let path = dir.join(format!(
            "soumission-{k:0kw$}-pnr-{}.xlsx",
            ident::domain_words(parc_name, 5)
        ));
        wb.save(&path)?;
        written.push(path);
    }
    Ok(written)
}

fn mix_seed(k: usize) -> u64 {
    mix(0x5AB0_0000 + k as u64)
}

/// Reads the bench workbook back with calamine and compares every cell with the CSV files:
/// same sheets, same header, same rows; dates are real date cells, amounts real numbers.
pub fn check_bench(dir: &Path, rows: usize) -> Result<Vec<String>> {
    use calamine::{Data, Reader, open_workbook_auto};
    let mut problems = Vec::new();
    let mut wb = open_workbook_auto(dir.join("xlsx").join(format!("conventions-{rows}.xlsx")))?;
    let sheets = wb.sheet_names();
    if sheets != ["Conventions", "Partenaires", "Indicateurs"] {
        problems.push(format!("sheets {sheets:?}"));
    }
    for (sheet, csv_name) in [
        ("Conventions", "conventions"),
        ("Partenaires", "partenaires"),
        ("Indicateurs", "indicateurs"),
    ] {
        let range = wb.worksheet_range(sheet)?;
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .from_path(dir.join("csv").join(format!("{csv_name}-{rows}.csv")))?;
        let mut n = 0usize;
        let mut dates = 0usize;
        for (r, (xrow, record)) in range.rows().zip(reader.records()).enumerate() {
            let record = record?;
            n += 1;
            for (c, field) in record.iter().enumerate() {
                let cell = xrow.get(c).unwrap_or(&Data::Empty);
                let ok = match cell {
                    Data::Empty => field.is_empty(),
                    Data::String(s) => s == field,
                    Data::DateTime(d) => {
                        dates += 1;
                        d.as_datetime()
                            .is_some_and(|t| t.format("%d/%m/%Y").to_string() == field)
                    }
                    Data::Float(x) => field
                        .replace(',', ".")
                        .parse::<f64>()
                        .is_ok_and(|y| (x - y).abs() < 0.005),
                    Data::Int(i) => field.parse::<i64>() == Ok(*i),
                    _ => false,
                };
                if !ok && problems.len() < 20 {
                    problems.push(format!(
                        "{sheet} row {} col {}: {cell:?} vs {field:?}",
                        r + 1,
                        c + 1
                    ));
                }
            }
        }
        if n != range.height() {
            problems.push(format!(
                "{sheet}: {} xlsx rows, {n} csv records",
                range.height()
            ));
        }
        if sheet == "Conventions" && dates < 2 * (n - 1) {
            problems.push(format!("{sheet}: only {dates} date cells"));
        }
        println!(
            "relu : {sheet} {} lignes, {dates} dates",
            n.saturating_sub(1)
        );
    }
    Ok(problems)
}
