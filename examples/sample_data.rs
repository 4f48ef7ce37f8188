//! Writes the fictional sample data set of `input/`: five Parcs, about 140 conventions over
//! 2018–2021 at every scale, 70 partners, declared indicator values, split into the
//! submissions people really send (xlsx, ods, Windows-1252 and UTF-8 CSV).
//!
//! `cargo run --example sample_data -- input`

use std::io::Write;
use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet};

/// splitmix64: deterministic, so the sample is the same on every machine.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

fn luhn_ok(d: &str) -> bool {
    let sum: u32 = d
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let mut x = (b - b'0') as u32;
            if i % 2 == 1 {
                x *= 2;
                if x > 9 {
                    x -= 9;
                }
            }
            x
        })
        .sum();
    sum.is_multiple_of(10)
}

fn with_key(prefix: &str) -> String {
    (0..10)
        .map(|k| format!("{prefix}{k}"))
        .find(|s| luhn_ok(s))
        .expect("one key digit always fits")
}

fn siret(rng: &mut Rng) -> String {
    let siren = with_key(&format!("{}{}", 1 + rng.below(8), rng.digits(7)));
    with_key(&format!("{siren}{}", rng.digits(4)))
}

#[derive(Clone)]
struct Partner {
    id: String,
    nom: String,
    kind: &'static str,
    siret: String,
    rna: String,
    cp: String,
    commune: String,
    email: String,
    tel: String,
}

#[derive(Clone)]
struct Conv {
    id: String,
    intitule: String,
    echelle: &'static str,
    parc: &'static str,
    partenaires: String,
    objectifs: &'static str,
    thematique: &'static str,
    programme: &'static str,
    signature: (i32, u32, u32),
    debut: (i32, u32, u32),
    fin: (i32, u32, u32),
    montant: f64,
    region: f64,
    europe: f64,
    statut: &'static str,
}

const PARCS: [(&str, &str, &str, &str); 5] = [
    (
        "SCE",
        "Parc naturel régional Scarpe-Escaut",
        "59230",
        "Saint-Amand-les-Eaux",
    ),
    (
        "AVE",
        "Parc naturel régional de l'Avesnois",
        "59550",
        "Maroilles",
    ),
    (
        "CMO",
        "Parc naturel régional des Caps et Marais d'Opale",
        "62510",
        "Arques",
    ),
    (
        "OPF",
        "Parc naturel régional Oise – Pays de France",
        "60560",
        "Orry-la-Ville",
    ),
    (
        "BSPM",
        "Parc naturel régional Baie de Somme – Picardie maritime",
        "80100",
        "Abbeville",
    ),
];

const THEMES: [&str; 9] = [
    "ressources génétiques",
    "biodiversité",
    "communication régionale",
    "éducation à l'environnement",
    "assistance juridique",
    "dossiers européens",
    "transition énergétique",
    "trame verte et bleue",
    "urbanisme",
];

const ASSOCIATION_NAMES: [&str; 56] = [
    "Conservatoire d'espaces naturels des Hauts-de-France",
    "Groupe ornithologique et naturaliste du Nord",
    "Association Les Blongios",
    "CPIE Flandre maritime",
    "CPIE Val d'Authie",
    "CPIE Villes de l'Artois",
    "CPIE Chaîne des Terrils",
    "Nord Nature Chico Mendès",
    "Picardie Nature",
    "Les Amis de la Scarpe",
    "Association des Croqueurs de pommes de l'Avesnois",
    "Verger conservatoire de Maroilles",
    "Fédération de pêche du Nord",
    "Association Bocage et Haies vives",
    "Les Jardins du Cygne",
    "Maison de la nature de Raismes",
    "Association Terre de liens Hauts-de-France",
    "Les Planteurs volontaires",
    "Association des apiculteurs de la Thiérache",
    "Ligue de protection des oiseaux du Pas-de-Calais",
    "Association Rivage",
    "Eden 62",
    "Association Marais audomarois",
    "Les Anges gardins",
    "Association Opale nature",
    "Club nature des Caps",
    "Association Calais Nature",
    "Association des amis du Wast",
    "Conservatoire botanique de Bailleul – Amis",
    "Association Chlorophylle",
    "Association Mares de l'Oise",
    "Les Amis de la forêt de Chantilly",
    "Association Sylvae Oise",
    "Association Nonette Nature",
    "Association Pays de France Patrimoine",
    "Les Sentiers de l'Oise",
    "Association Baie de Somme Nature",
    "Association Phoques de la Baie",
    "Les Amis du Marquenterre",
    "Association Vallée de la Bresle",
    "Association Bas-Champs Vivants",
    "Association Ponthieu Biodiversité",
    "Association Sentinelles de l'Escaut",
    "Association Mémoire de l'Escaut",
    "Association Éco-Habitat Hainaut",
    "Association Énergies citoyennes du Nord",
    "Association Vélo-Voyage Avesnois",
    "Association Prairies fleuries",
    "Association Chemins de Thiérache",
    "Association Arbres remarquables",
    "Association Chauves-souris du Nord",
    "Association Amphibiens Opale",
    "Association Dunes de Flandre",
    "Association Sauvegarde du Boulonnais",
    "Association Jeunes et Nature",
    "Association Cuisine de saison",
];

const OTHERS: [(&str, &str); 8] = [
    ("Communauté de communes Cœur de l'Avesnois", "collectivité"),
    ("Commune de Maroilles", "collectivité"),
    ("Université de Lille", "enseignement-recherche"),
    ("Lycée agricole de Radinghem", "enseignement-recherche"),
    (
        "Chambre d'agriculture du Nord-Pas de Calais",
        "organisme professionnel",
    ),
    ("Coopérative Bois Énergie Thiérache", "entreprise"),
    (
        "Office de tourisme de la Baie de Somme",
        "État-établissement public",
    ),
    (
        "Syndicat mixte Baie de Somme Grand Littoral",
        "collectivité",
    ),
];

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "input".into());
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).expect("output folder");
    let mut rng = Rng(2018_2021);

    // --- partners ---
    let mut partners: Vec<Partner> = Vec::new();
    let mut next_id = 1;
    let mut new_id = || {
        let id = format!("P-{next_id:04}");
        next_id += 1;
        id
    };
    for (code, name, cp, commune) in PARCS {
        partners.push(Partner {
            id: new_id(),
            nom: name.into(),
            kind: "parc",
            siret: siret(&mut rng),
            rna: String::new(),
            cp: cp.into(),
            commune: commune.into(),
            email: format!("accueil@pnr-{}.fr", code.to_lowercase()),
            tel: format!(
                "03 2{} {} {} {}",
                rng.below(10),
                rng.digits(2),
                rng.digits(2),
                rng.digits(2)
            ),
        });
    }
    let federation = new_id();
    partners.push(Partner {
        id: federation.clone(),
        nom: "Fédération des Parcs naturels régionaux de France".into(),
        kind: "fédération-réseau",
        siret: siret(&mut rng),
        rna: String::new(),
        cp: "75011".into(),
        commune: "Paris".into(),
        email: "info@parcs-naturels-regionaux.fr".into(),
        tel: "01 44 90 86 20".into(),
    });
    let belgian: Vec<String> = [
        "Provincie West-Vlaanderen",
        "Parc naturel des Plaines de l'Escaut",
    ]
    .iter()
    .map(|name| {
        let id = new_id();
        partners.push(Partner {
            id: id.clone(),
            nom: (*name).into(),
            kind: "autre",
            siret: String::new(),
            rna: String::new(),
            cp: String::new(),
            commune: String::new(),
            email: String::new(),
            tel: format!(
                "+32 50 {} {} {}",
                rng.digits(2),
                rng.digits(2),
                rng.digits(2)
            ),
        });
        id
    })
    .collect();
    let others: Vec<String> = OTHERS
        .iter()
        .map(|(name, kind)| {
            let id = new_id();
            partners.push(Partner {
                id: id.clone(),
                nom: (*name).into(),
                kind,
                siret: siret(&mut rng),
                rna: String::new(),
                cp: format!("59{}", rng.digits(3)),
                commune: "Lille".into(),
                email: format!("contact{}@exemple-partenaire.fr", rng.digits(3)),
                tel: format!(
                    "03 20 {} {} {}",
                    rng.digits(2),
                    rng.digits(2),
                    rng.digits(2)
                ),
            });
            id
        })
        .collect();
    // Associations, each attached to a parc (where its local conventions are).
    let mut associations: Vec<(String, usize)> = Vec::new();
    for (i, name) in ASSOCIATION_NAMES.iter().enumerate() {
        let id = new_id();
        let parc = i % 5;
        let dept = ["59", "59", "62", "60", "80"][parc];
        partners.push(Partner {
            id: id.clone(),
            nom: (*name).into(),
            kind: "association",
            siret: if i % 4 == 0 {
                siret(&mut rng)
            } else {
                String::new()
            },
            rna: format!("W{dept}{}", rng.digits(7)),
            cp: format!("{dept}{}", 100 + rng.below(800)),
            commune: PARCS[parc].3.into(),
            email: format!("contact@asso{:02}.fr", i + 1),
            tel: format!(
                "03 2{} {} {} {}",
                rng.below(10),
                rng.digits(2),
                rng.digits(2),
                rng.digits(2)
            ),
        });
        associations.push((id, parc));
    }

    // --- conventions ---
    let mut convs: Vec<Conv> = Vec::new();
    let cents = |rng: &mut Rng, lo: u64, hi: u64| {
        (lo + rng.below(hi - lo)) as f64 + [0.0, 0.5, 0.25][rng.below(3) as usize]
    };
    convs.push(Conv {
        id: "C-REG-2018".into(),
        intitule: "Convention pluriannuelle d'objectifs et de moyens ENRx – Région 2018/2021"
            .into(),
        echelle: "régionale",
        parc: "",
        partenaires: partners[0..5]
            .iter()
            .map(|p| p.id.clone())
            .collect::<Vec<_>>()
            .join(";"),
        objectifs: "OS1;OS2;OS3",
        thematique: "communication régionale",
        programme: "",
        signature: (2017, 12, 15),
        debut: (2018, 1, 1),
        fin: (2021, 12, 31),
        montant: 3_200_000.0,
        region: 3_200_000.0,
        europe: 0.0,
        statut: "soldée",
    });
    for (pi, (code, ..)) in PARCS.iter().enumerate() {
        let years = if *code == "BSPM" {
            2020..=2021
        } else {
            2018..=2021
        };
        for year in years {
            let montant = cents(&mut rng, 80_000, 350_000);
            convs.push(Conv {
                id: format!("C-TER-{code}-{year}"),
                intitule: format!(
                    "Convention territoriale ENRx / Parc {} – {year}",
                    PARCS[pi].1.trim_start_matches("Parc naturel régional ")
                ),
                echelle: "territoriale",
                parc: code,
                partenaires: partners[pi].id.clone(),
                objectifs: if year % 2 == 0 { "OS1;OS2" } else { "1;2" },
                thematique: THEMES[(year as usize + pi) % THEMES.len()],
                programme: "",
                signature: (year - 1, 12, 10 + pi as u32),
                debut: (year, 1, 1),
                fin: (year, 12, 31),
                montant,
                region: (montant * 0.6).round(),
                europe: 0.0,
                statut: "soldée",
            });
        }
    }
    for (ai, (id, pi)) in associations.iter().enumerate() {
        for (n, (start, end)) in [(2018, 2019), (2020, 2021)].into_iter().enumerate() {
            let extra = if ai % 7 == 0 {
                format!(";{}", others[ai % others.len()])
            } else {
                String::new()
            };
            let month = 1 + (ai % 3) as u32;
            convs.push(Conv {
                id: format!("C-LOC-{:03}-{}", ai + 1, n + 1),
                intitule: format!(
                    "Programme d'actions {}–{} avec {}",
                    start, end, ASSOCIATION_NAMES[ai]
                ),
                echelle: "locale",
                parc: PARCS[*pi].0,
                partenaires: format!("{id}{extra}"),
                objectifs: if ai % 2 == 0 { "OS3" } else { "OS2;OS3" },
                thematique: THEMES[(ai + n) % THEMES.len()],
                programme: "",
                signature: (start, month, 2),
                debut: (start, month, 15),
                fin: (end, 12, 31),
                montant: cents(&mut rng, 2_000, 22_000),
                region: 0.0,
                europe: 0.0,
                statut: "soldée",
            });
        }
    }
    for year in 2018..=2021 {
        convs.push(Conv {
            id: format!("C-NAT-FNPNR-{year}"),
            intitule: format!("Programme national des Parcs – contribution {year}"),
            echelle: "nationale",
            parc: "",
            partenaires: federation.clone(),
            objectifs: "OS3",
            thematique: "dossiers européens",
            programme: "FNPNR",
            signature: (year, 2, 1),
            debut: (year, 3, 1),
            fin: (year, 12, 31),
            montant: cents(&mut rng, 10_000, 40_000),
            region: 0.0,
            europe: 0.0,
            statut: "soldée",
        });
    }
    for (i, year) in [2019, 2021].into_iter().enumerate() {
        convs.push(Conv {
            id: format!("C-NAT-RENOUER-{}", i + 1),
            intitule: "Renouer : réseau des savoir-faire ruraux".into(),
            echelle: "nationale",
            parc: "",
            partenaires: format!("{};{}", federation, partners[1].id),
            objectifs: "OS3",
            thematique: "éducation à l'environnement",
            programme: "RENOUER",
            signature: (year, 4, 1),
            debut: (year, 4, 1),
            fin: (year, 12, 31),
            montant: cents(&mut rng, 15_000, 60_000),
            region: 5_000.0,
            europe: 0.0,
            statut: "soldée",
        });
    }
    for (i, (prog, debut, fin, who)) in [
        (
            "IMPACT",
            (2018, 1, 1),
            (2020, 3, 31),
            format!("{};{};{}", partners[0].id, partners[1].id, partners[2].id),
        ),
        (
            "IMPACT",
            (2019, 1, 1),
            (2019, 12, 31),
            partners[2].id.clone(),
        ),
        (
            "PARTONS",
            (2018, 3, 1),
            (2021, 9, 30),
            format!("{};{}", belgian[0], partners[2].id),
        ),
        (
            "PARTONS",
            (2019, 6, 1),
            (2021, 6, 30),
            format!("{};{}", belgian[1], partners[0].id),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let montant = cents(&mut rng, 60_000, 250_000);
        convs.push(Conv {
            id: format!("C-EUR-{prog}-{}", i + 1),
            intitule: format!("Interreg {prog} – volet ENRx {}", i + 1),
            echelle: "européenne",
            parc: "",
            partenaires: who,
            objectifs: "OS3",
            thematique: "dossiers européens",
            programme: prog,
            signature: (debut.0, debut.1, 1),
            debut,
            fin,
            montant,
            region: 0.0,
            europe: (montant * 0.55 * 100.0).round() / 100.0,
            statut: "soldée",
        });
    }

    // --- who sends what ---
    let by_parc =
        |code: &str| -> Vec<Conv> { convs.iter().filter(|c| c.parc == code).cloned().collect() };
    let siege: Vec<Conv> = convs
        .iter()
        .filter(|c| c.parc.is_empty())
        .cloned()
        .collect();
    let partners_of = |pi: usize| -> Vec<Partner> {
        let ids: Vec<&String> = associations
            .iter()
            .filter(|(_, p)| *p == pi)
            .map(|(id, _)| id)
            .collect();
        partners
            .iter()
            .filter(|p| ids.contains(&&p.id))
            .cloned()
            .collect()
    };
    let siege_partners: Vec<Partner> = partners
        .iter()
        .filter(|p| p.kind != "association")
        .cloned()
        .collect();

    write_xlsx(
        &dir.join("enrx-siege-2018-2021.xlsx"),
        &siege,
        &siege_partners,
        true,
        false,
    );
    write_xlsx(
        &dir.join("pnr-scarpe-escaut.xlsx"),
        &by_parc("SCE"),
        &partners_of(0),
        false,
        true,
    );
    write_xlsx(
        &dir.join("pnr-avesnois.xlsx"),
        &by_parc("AVE"),
        &partners_of(1),
        false,
        true,
    );
    write_ods(
        &dir.join("pnr-caps-marais-opale.ods"),
        &by_parc("CMO"),
        &partners_of(2),
    );
    write_csv(
        &dir.join("pnr-oise-pays-de-france-conventions.csv"),
        &dir.join("pnr-oise-pays-de-france-partenaires.csv"),
        &by_parc("OPF"),
        &partners_of(3),
        true,
    );
    write_csv(
        &dir.join("pnr-baie-de-somme-conventions-2021.csv"),
        &dir.join("pnr-baie-de-somme-partenaires.csv"),
        &by_parc("BSPM"),
        &partners_of(4),
        false,
    );
    println!(
        "{} conventions, {} partenaires",
        convs.len(),
        partners.len()
    );
}

const CONV_HEADERS: [&str; 15] = [
    "id",
    "intitule",
    "echelle",
    "parc",
    "partenaires",
    "objectifs",
    "thematique",
    "programme",
    "date_signature",
    "date_debut",
    "date_fin",
    "montant_total",
    "part_region",
    "part_europe",
    "statut",
];
/// How the Parcs' own workbooks write the same headers.
const CONV_HEADERS_FR: [&str; 15] = [
    "Identifiant",
    "Intitulé",
    "Échelle",
    "Parc",
    "Partenaires",
    "Objectifs",
    "Thématique",
    "Programme",
    "Date de signature",
    "Date début",
    "Date fin",
    "Montant total",
    "Part Région",
    "FEDER",
    "Statut",
];
const PARTNER_HEADERS: [&str; 9] = [
    "id",
    "nom",
    "type",
    "siret",
    "rna",
    "code_postal",
    "commune",
    "email",
    "telephone",
];

fn date((y, m, d): (i32, u32, u32)) -> rust_xlsxwriter::ExcelDateTime {
    rust_xlsxwriter::ExcelDateTime::from_ymd(y as u16, m as u8, d as u8).expect("valid date")
}

fn write_conventions(ws: &mut Worksheet, convs: &[Conv], first_row: u32, french_headers: bool) {
    let bold = Format::new().set_bold();
    let dates = Format::new().set_num_format("dd/mm/yyyy");
    let euros = Format::new().set_num_format("# ##0,00 €");
    let headers = if french_headers {
        CONV_HEADERS_FR
    } else {
        CONV_HEADERS
    };
    for (c, h) in headers.iter().enumerate() {
        ws.write_with_format(first_row, c as u16, *h, &bold)
            .expect("header");
    }
    for (i, cv) in convs.iter().enumerate() {
        let r = first_row + 1 + i as u32;
        let texts = [
            &cv.id,
            &cv.intitule,
            cv.echelle,
            cv.parc,
            &cv.partenaires,
            cv.objectifs,
            cv.thematique,
            cv.programme,
        ];
        for (c, t) in texts.iter().enumerate() {
            if !t.is_empty() {
                ws.write(r, c as u16, *t).expect("cell");
            }
        }
        ws.write_with_format(r, 8, date(cv.signature), &dates)
            .expect("date");
        ws.write_with_format(r, 9, date(cv.debut), &dates)
            .expect("date");
        ws.write_with_format(r, 10, date(cv.fin), &dates)
            .expect("date");
        ws.write_with_format(r, 11, cv.montant, &euros)
            .expect("amount");
        if cv.region > 0.0 {
            ws.write_with_format(r, 12, cv.region, &euros)
                .expect("amount");
        }
        if cv.europe > 0.0 {
            ws.write_with_format(r, 13, cv.europe, &euros)
                .expect("amount");
        }
        ws.write(r, 14, cv.statut).expect("status");
    }
}

fn partner_row(p: &Partner) -> [&str; 9] {
    [
        &p.id, &p.nom, p.kind, &p.siret, &p.rna, &p.cp, &p.commune, &p.email, &p.tel,
    ]
}

fn write_xlsx(
    path: &Path,
    convs: &[Conv],
    partners: &[Partner],
    with_indicators: bool,
    french_headers: bool,
) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Conventions").expect("sheet");
    let first_row = if with_indicators {
        ws.write(0, 0, "Conventions de partenariat ENRx — 2018-2021")
            .expect("title");
        2
    } else {
        0
    };
    write_conventions(ws, convs, first_row, french_headers);
    let ws = wb.add_worksheet().set_name("Partenaires").expect("sheet");
    let text = Format::new().set_num_format("@");
    for (c, h) in PARTNER_HEADERS.iter().enumerate() {
        ws.write(0, c as u16, *h).expect("header");
    }
    for (i, p) in partners.iter().enumerate() {
        for (c, v) in partner_row(p).iter().enumerate() {
            if !v.is_empty() {
                ws.write_with_format(1 + i as u32, c as u16, *v, &text)
                    .expect("cell");
            }
        }
    }
    if with_indicators {
        let ws = wb.add_worksheet().set_name("Indicateurs").expect("sheet");
        for (c, h) in ["indicateur", "annee", "valeur", "parc", "commentaire"]
            .iter()
            .enumerate()
        {
            ws.write(0, c as u16, *h).expect("header");
        }
        let mut r = 1;
        let values = [
            ("OS1-I2", [9.0, 11.0, 7.0, 13.0]),
            ("OS2-I2", [210.0, 228.0, 236.0, 262.0]),
            ("OS2-I3", [1520.0, 1790.0, 2050.0, 2310.5]),
            ("OS3-I3", [312.0, 335.0, 190.0, 371.0]),
            ("OS3-I4", [1850.0, 1930.0, 2010.0, 2125.0]),
        ];
        for (code, by_year) in values {
            for (yi, v) in by_year.iter().enumerate() {
                ws.write(r, 0, code).expect("cell");
                ws.write(r, 1, 2018 + yi as u32).expect("cell");
                ws.write(r, 2, *v).expect("cell");
                if code == "OS3-I3" && yi == 2 {
                    ws.write(r, 4, "année perturbée par la crise sanitaire")
                        .expect("cell");
                }
                r += 1;
            }
        }
    }
    wb.save(path).expect("save xlsx");
}

fn amount_fr(v: f64) -> String {
    let cents = (v * 100.0).round() as i64;
    let units = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(ch);
    }
    format!("{grouped},{:02}\u{a0}€", cents % 100)
}

fn dmy((y, m, d): (i32, u32, u32)) -> String {
    format!("{d:02}/{m:02}/{y}")
}

/// French Excel CSV: `;`, CRLF, text dates, amounts with non-breaking spaces; Windows-1252 or UTF-8 with BOM.
fn write_csv(
    conv_path: &Path,
    partner_path: &Path,
    convs: &[Conv],
    partners: &[Partner],
    windows_1252: bool,
) {
    let field = |s: &str| {
        if s.contains([';', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut text = CONV_HEADERS_FR.join(";") + "\r\n";
    for c in convs {
        let cells = [
            c.id.clone(),
            c.intitule.clone(),
            c.echelle.into(),
            c.parc.into(),
            c.partenaires.clone(),
            c.objectifs.into(),
            c.thematique.into(),
            c.programme.into(),
            dmy(c.signature),
            dmy(c.debut),
            dmy(c.fin),
            amount_fr(c.montant),
            if c.region > 0.0 {
                amount_fr(c.region)
            } else {
                String::new()
            },
            if c.europe > 0.0 {
                amount_fr(c.europe)
            } else {
                String::new()
            },
            c.statut.into(),
        ];
        text += &(cells.iter().map(|s| field(s)).collect::<Vec<_>>().join(";") + "\r\n");
    }
    let mut ptext = PARTNER_HEADERS.join(";") + "\r\n";
    for p in partners {
        ptext += &(partner_row(p)
            .iter()
            .map(|s| field(s))
            .collect::<Vec<_>>()
            .join(";")
            + "\r\n");
    }
    for (path, t) in [(conv_path, text), (partner_path, ptext)] {
        let bytes = if windows_1252 {
            let (b, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&t);
            assert!(!unmappable, "all text fits Windows-1252");
            b.into_owned()
        } else {
            let mut b = "\u{feff}".as_bytes().to_vec();
            b.extend_from_slice(t.as_bytes());
            b
        };
        std::fs::write(path, bytes).expect("write csv");
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A minimal OpenDocument spreadsheet, as LibreOffice would save it.
fn write_ods(path: &Path, convs: &[Conv], partners: &[Partner]) {
    let s = |v: &str| {
        format!(
            "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
            xml_escape(v)
        )
    };
    let empty = "<table:table-cell/>".to_string();
    let d = |(y, m, dd): (i32, u32, u32)| {
        format!(
            "<table:table-cell office:value-type=\"date\" office:date-value=\"{y:04}-{m:02}-{dd:02}\"><text:p>{dd:02}/{m:02}/{y}</text:p></table:table-cell>"
        )
    };
    let f = |v: f64| {
        if v > 0.0 {
            format!(
                "<table:table-cell office:value-type=\"float\" office:value=\"{v}\"><text:p>{v}</text:p></table:table-cell>"
            )
        } else {
            "<table:table-cell/>".into()
        }
    };
    let row = |cells: Vec<String>| format!("<table:table-row>{}</table:table-row>", cells.concat());
    let mut conv_rows = vec![row(CONV_HEADERS_FR.iter().map(|h| s(h)).collect())];
    for c in convs {
        let t = |v: &str| if v.is_empty() { empty.clone() } else { s(v) };
        conv_rows.push(row(vec![
            t(&c.id),
            t(&c.intitule),
            t(c.echelle),
            t(c.parc),
            t(&c.partenaires),
            t(c.objectifs),
            t(c.thematique),
            t(c.programme),
            d(c.signature),
            d(c.debut),
            d(c.fin),
            f(c.montant),
            f(c.region),
            f(c.europe),
            t(c.statut),
        ]));
    }
    let mut partner_rows = vec![row(PARTNER_HEADERS.iter().map(|h| s(h)).collect())];
    for p in partners {
        partner_rows.push(row(partner_row(p)
            .iter()
            .map(|v| if v.is_empty() { empty.clone() } else { s(v) })
            .collect()));
    }
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Conventions">{}</table:table><table:table table:name="Partenaires">{}</table:table></office:spreadsheet></office:body></office:document-content>"#,
        conv_rows.concat(),
        partner_rows.concat()
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let file = std::fs::File::create(path).expect("create ods");
    let mut zip = zip::ZipWriter::new(file);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).expect("zip");
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .expect("zip");
    zip.start_file("META-INF/manifest.xml", deflated)
        .expect("zip");
    zip.write_all(manifest.as_bytes()).expect("zip");
    zip.start_file("content.xml", deflated).expect("zip");
    zip.write_all(content.as_bytes()).expect("zip");
    zip.finish().expect("zip");
}
