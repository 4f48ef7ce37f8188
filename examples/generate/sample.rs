//! The realistic sample data set of `input/`: five parcs, about 150 conventions over
//! 2018–2021 at every scale, a hundred partners, declared indicator values, split into the
//! submissions the head office and the parcs really send.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{Datelike, Days, NaiveDate};

use crate::ident;
use crate::model::ptype::{self, ASSOCIATION};
use crate::model::theme::*;
use crate::model::*;
use crate::names::{self, Home, Org};
use crate::rng::Rng;

const SEED: u64 = 0x454E_5258_2018_2021; // "ENRX" 2018 2021

/// Who sends a file.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Hash)]
pub enum Sub {
    Siege,
    Sce,
    Ave,
    Cmo,
    Opf,
    Bspm,
}

impl Sub {
    pub fn of_parc(code: &str) -> Sub {
        match code {
            "SCE" => Sub::Sce,
            "AVE" => Sub::Ave,
            "CMO" => Sub::Cmo,
            "OPF" => Sub::Opf,
            _ => Sub::Bspm,
        }
    }
}

/// What the sample contains on purpose and the checks will report.
pub struct Deliberate {
    /// D005: signed after it started.
    pub signed_late: String,
    /// V006: association with neither RNA nor SIRET.
    pub without_identifier: String,
}

pub struct Sample {
    pub ds: DataSet,
    pub conv_sub: Vec<Sub>,
    pub partner_sub: Vec<Sub>,
    pub deliberate: Deliberate,
}

struct Builder {
    rng: Rng,
    ds: DataSet,
    seq: BTreeMap<i32, u32>,
    titles: HashSet<String>,
    sirens: HashSet<String>,
    rnas: HashSet<String>,
}

/// A local convention before its amounts are set (partners may still be added).
struct LocalDraft {
    parc: &'static str,
    partners: Vec<usize>,
    theme: &'static str,
    debut: NaiveDate,
    fin: NaiveDate,
    multi_year: bool,
}

/// A convention written out by hand: `key` is its parc (territoriale) or programme.
struct Planned {
    key: &'static str,
    title: String,
    partners: Vec<usize>,
    objectives: &'static [u8],
    theme: &'static str,
    dates: (NaiveDate, NaiveDate),
    total: i64,
}

fn planned(
    key: &'static str,
    title: impl Into<String>,
    partners: Vec<usize>,
    objectives: &'static [u8],
    theme: &'static str,
    dates: (NaiveDate, NaiveDate),
    total: i64,
) -> Planned {
    Planned {
        key,
        title: title.into(),
        partners,
        objectives,
        theme,
        dates,
        total,
    }
}

const MEMBER_PARCS: [&str; 3] = ["SCE", "AVE", "CMO"];
/// Parcs that regional associations work with in turn (not BSPM, created in 2020).
const ROTATION: [&str; 4] = ["SCE", "AVE", "CMO", "OPF"];

impl Builder {
    fn euros(&mut self, lo: i64, hi: i64, cents_percent: u64) -> i64 {
        let step = *self.rng.pick(&[10, 50, 100, 100, 500]);
        let e = (self.rng.range(lo, hi) / step).max(1) * step;
        let e = e.clamp(lo, hi);
        let cents = if self.rng.chance(cents_percent) {
            *self.rng.pick(&[50, 25, 80, 40, 75, 10])
        } else {
            0
        };
        if e == hi { e * 100 } else { e * 100 + cents }
    }

    fn next_id(&mut self, year: i32) -> String {
        let n = self.seq.entry(year).or_insert(0);
        *n += 1;
        format!("C-{year}-{:03}", n)
    }

    fn unique_title(&mut self, base: String, suffix: &str) -> String {
        let mut t = format!("{base}{suffix}");
        let mut k = 2;
        while !self.titles.insert(t.clone()) {
            t = format!("{base} (volet {k}){suffix}");
            k += 1;
        }
        t
    }

    fn new_siren(&mut self, first_digits: &[u32]) -> String {
        loop {
            let first = *self.rng.pick(first_digits);
            let base = first * 10_000_000 + self.rng.below(10_000_000) as u32;
            let s = ident::siren(base);
            if self.sirens.insert(s.clone()) {
                return s;
            }
        }
    }

    fn add_partner(&mut self, o: &Org) -> usize {
        let id = format!("P-{:04}", self.ds.partners.len() + 1);
        let mut rng = self.rng.fork(self.ds.partners.len() as u64);
        let french = matches!(o.home, Home::Parc(_) | Home::Region | Home::France);
        let first_digits: &[u32] = match o.ptype {
            ptype::PARC | ptype::COLLECTIVITE | ptype::ETAT => &[2],
            ptype::ORG_PRO | ptype::ENSEIGNEMENT => &[1, 1, 2],
            ptype::ENTREPRISE => &[3, 4, 5, 8],
            _ => &[3, 4, 5, 7, 8],
        };
        let (has_rna, has_siret) = if o.ptype == ASSOCIATION {
            if o.nom == names::ASSOCIATION_WITHOUT_ID {
                (false, false)
            } else {
                match rng.below(100) {
                    0..70 => (true, false),
                    70..85 => (true, true),
                    _ => (false, true),
                }
            }
        } else {
            (false, french && (o.ptype == ptype::PARC || rng.chance(92)))
        };
        let siret = has_siret.then(|| {
            let siren = self.new_siren(first_digits);
            ident::siret(&siren, rng.range(1, 350) as u32)
        });
        let rna = has_rna.then(|| {
            loop {
                let pref = ident::rna_prefecture(o.cp, &mut rng);
                let r = ident::rna(&pref, rng.range(1_000, 999_999) as u32);
                if self.rnas.insert(r.clone()) {
                    break r;
                }
            }
        });
        let domain = if o.domain.is_empty() {
            let tld = *rng.pick(&[".fr", ".org", ".asso.fr", ".fr"]);
            format!("{}{tld}", ident::domain_words(o.nom, 3))
        } else {
            o.domain.to_string()
        };
        let email = rng.chance(92).then(|| {
            let local = *rng.pick(&["contact", "contact", "accueil", "secretariat", "info"]);
            format!("{local}@{domain}")
        });
        let telephone = match o.home {
            Home::Belgium => Some(ident::phone_be(&mut rng)),
            Home::Abroad => None,
            Home::France => Some(format!(
                "01 {:02} {:02} {:02} {:02}",
                rng.range(40, 49),
                rng.below(100),
                rng.below(100),
                rng.below(100)
            )),
            _ => rng.chance(88).then(|| ident::phone_fr(&mut rng, o.cp)),
        };
        self.ds.partners.push(Partner {
            id,
            nom: o.nom.to_string(),
            ptype: o.ptype,
            siret,
            rna,
            code_postal: (!o.cp.is_empty()).then(|| o.cp.to_string()),
            commune: Some(o.commune.to_string()),
            email,
            telephone,
        });
        self.ds.partners.len() - 1
    }

    fn partner_named(&self, nom: &str) -> usize {
        self.ds
            .partners
            .iter()
            .position(|p| p.nom == nom)
            .unwrap_or_else(|| panic!("partner {nom} is in names.rs"))
    }

    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        intitule: String,
        scale: Scale,
        parc: Option<&'static str>,
        partners: Vec<usize>,
        objectives: &[u8],
        thematique: Option<&'static str>,
        programme: Option<&'static str>,
        (debut, fin): (NaiveDate, NaiveDate),
        total: i64,
        (region_pct, europe_pct, autres_pct): (i64, i64, i64),
    ) -> usize {
        let lead = self.rng.range(12, 75) as u64;
        let signature = debut.checked_sub_days(Days::new(lead));
        let europe = (scale == Scale::Europeenne).then(|| share(total, europe_pct));
        let autres = (autres_pct > 0).then(|| share(total, autres_pct));
        let id = self.next_id(debut.year());
        self.titles.insert(intitule.clone());
        self.ds.conventions.push(Convention {
            id,
            intitule,
            scale,
            parc,
            partners,
            objectives: objectives.to_vec(),
            thematique,
            programme,
            signature,
            debut,
            fin,
            total,
            region: share(total, region_pct),
            europe,
            autres,
            status: Status::from_end(fin),
        });
        self.ds.conventions.len() - 1
    }
}

fn objectives_for(theme: &str, rng: &mut Rng) -> Vec<u8> {
    match theme {
        BIODIVERSITE if rng.chance(35) => vec![2, 3],
        BIODIVERSITE | TVB | URBANISME => vec![2],
        RESSOURCES if rng.chance(75) => vec![2, 3],
        RESSOURCES => vec![3],
        EDUCATION if rng.chance(70) => vec![2, 3],
        EDUCATION => vec![3],
        ENERGIE => vec![2, 3],
        _ => vec![1, 3],
    }
}

pub fn build() -> Sample {
    let mut b = Builder {
        rng: Rng::new(SEED),
        ds: DataSet::default(),
        seq: BTreeMap::new(),
        titles: HashSet::new(),
        sirens: HashSet::new(),
        rnas: HashSet::new(),
    };

    // ----- partners -----
    let parc_partner: Vec<usize> = names::PARC_ORGS.iter().map(|o| b.add_partner(o)).collect();
    let parc_of = |code: &str| -> usize {
        parc_partner[PARCS.iter().position(|p| p.0 == code).expect("known parc")]
    };
    for o in names::INSTITUTIONS {
        b.add_partner(o);
    }
    let actors: Vec<(usize, Home)> = names::LOCAL_ACTORS
        .iter()
        .map(|o| (b.add_partner(o), o.home))
        .collect();
    let associations: Vec<(usize, &Org)> = names::ASSOCIATIONS
        .iter()
        .map(|o| (b.add_partner(o), o))
        .collect();
    let p = |b: &Builder, nom: &str| b.partner_named(nom);

    // ----- régionale: the convention itself -----
    let region = p(&b, "Région Hauts-de-France");
    let c = b.add(
        "Convention pluriannuelle d'objectifs et de moyens ENRx – Région Hauts-de-France 2018/2021"
            .into(),
        Scale::Regionale,
        None,
        vec![region],
        &[1, 2, 3],
        None,
        None,
        (date(2018, 1, 1), date(2021, 12, 31)),
        328_000_000,
        (92, 0, 0),
    );
    b.ds.conventions[c].signature = Some(date(2017, 12, 18));

    // ----- territoriale: ENRx/Parc conventions -----
    for y in YEARS {
        for code in MEMBER_PARCS {
            let total = b.euros(215_000, 365_000, 20);
            let region_pct = b.rng.range(74, 84);
            let autres_pct = b.rng.range(8, 16);
            b.add(
                format!(
                    "Convention annuelle ENRx / Parc naturel régional {} {y} : équipe ad hoc et compétences transversales",
                    names::parc_in_title(code)
                ),
                Scale::Territoriale,
                Some(code),
                vec![parc_of(code)],
                &[1],
                None,
                None,
                (date(y, 1, 1), date(y, 12, 31)),
                total,
                (region_pct, 0, autres_pct),
            );
        }
    }
    let thematic = [
        planned(
            "SCE",
            "Trame verte et bleue de la plaine de la Scarpe et de l'Escaut",
            vec![parc_of("SCE")],
            &[2],
            TVB,
            (date(2018, 3, 1), date(2020, 12, 31)),
            14_500_000,
        ),
        planned(
            "AVE",
            "Plan bocage de l'Avesnois : replantation et gestion durable des haies",
            vec![parc_of("AVE")],
            &[2],
            BIODIVERSITE,
            (date(2019, 1, 1), date(2021, 12, 31)),
            18_650_000,
        ),
        planned(
            "CMO",
            "Transition énergétique des territoires ruraux du Parc des Caps et Marais d'Opale",
            vec![parc_of("CMO")],
            &[3],
            ENERGIE,
            (date(2018, 4, 1), date(2019, 12, 31)),
            9_800_000,
        ),
        planned(
            "CMO",
            "Urbanisme durable et paysage : accompagnement des communes du Parc",
            vec![parc_of("CMO")],
            &[2],
            URBANISME,
            (date(2020, 1, 1), date(2021, 12, 31)),
            12_400_000,
        ),
        planned(
            "OPF",
            "Convention de coopération ENRx / Parc naturel régional Oise – Pays de France 2018-2019",
            vec![parc_of("OPF")],
            &[1, 3],
            COMMUNICATION,
            (date(2018, 1, 1), date(2019, 12, 31)),
            8_200_000,
        ),
        planned(
            "OPF",
            "Convention de coopération ENRx / Parc naturel régional Oise – Pays de France 2020-2021",
            vec![parc_of("OPF")],
            &[1, 3],
            COMMUNICATION,
            (date(2020, 1, 1), date(2021, 12, 31)),
            8_835_050,
        ),
        planned(
            "BSPM",
            "Accompagnement du nouveau Parc naturel régional Baie de Somme – Picardie maritime",
            vec![parc_of("BSPM")],
            &[1, 2],
            JURIDIQUE,
            (date(2020, 9, 1), date(2021, 12, 31)),
            7_600_000,
        ),
    ];
    for pl in thematic {
        let region_pct = b.rng.range(60, 80);
        b.add(
            pl.title,
            Scale::Territoriale,
            Some(pl.key),
            pl.partners,
            pl.objectives,
            Some(pl.theme),
            None,
            pl.dates,
            pl.total,
            (region_pct, 0, 10),
        );
    }
    // A territorial project not signed yet.
    let c = b.add(
        "Observatoire du foncier agricole de la plaine de la Scarpe".into(),
        Scale::Territoriale,
        Some("SCE"),
        vec![parc_of("SCE")],
        &[2],
        Some(URBANISME),
        None,
        (date(2021, 11, 1), date(2021, 12, 31)),
        6_000_000,
        (70, 0, 0),
    );
    b.ds.conventions[c].signature = None;
    b.ds.conventions[c].status = Status::Projet;

    // ----- nationale -----
    let fede = p(&b, "Fédération des Parcs naturels régionaux de France");
    let urcpie = p(&b, "Union régionale des CPIE des Hauts-de-France");
    let ofb = p(
        &b,
        "Office français de la biodiversité – direction régionale Hauts-de-France",
    );
    let aeap = p(&b, "Agence de l'eau Artois-Picardie");
    let onf = p(&b, "Office national des forêts – agence Nord-Pas de Calais");
    let crpf = p(
        &b,
        "Centre régional de la propriété forestière Hauts-de-France",
    );
    let chambre = p(&b, "Chambre d'agriculture du Nord-Pas de Calais");
    let national = [
        planned(
            "FNPNR",
            "Programme national « Parcs et biodiversité » : mutualisation des suivis scientifiques",
            vec![fede, parc_of("SCE"), parc_of("AVE"), parc_of("CMO")],
            &[1],
            BIODIVERSITE,
            (date(2018, 2, 1), date(2019, 12, 31)),
            8_640_000,
        ),
        planned(
            "FNPNR",
            "Réseau national éducation à l'environnement des Parcs",
            vec![fede, urcpie],
            &[3],
            EDUCATION,
            (date(2019, 1, 1), date(2020, 12, 31)),
            4_275_050,
        ),
        planned(
            "FNPNR",
            "Assistance juridique mutualisée du réseau des Parcs",
            vec![fede],
            &[1],
            JURIDIQUE,
            (date(2020, 3, 1), date(2021, 6, 30)),
            2_890_000,
        ),
        planned(
            "FNPNR",
            "Observatoire national de la transition énergétique dans les Parcs",
            vec![fede, parc_of("OPF"), parc_of("BSPM")],
            &[3],
            ENERGIE,
            (date(2021, 1, 1), date(2021, 12, 31)),
            3_500_000,
        ),
        planned(
            "RENOUER",
            "Renouer : reconquête des continuités écologiques des cours d'eau",
            vec![aeap, ofb, parc_of("CMO"), parc_of("SCE")],
            &[2],
            TVB,
            (date(2018, 6, 1), date(2020, 5, 31)),
            12_400_000,
        ),
        planned(
            "RENOUER",
            "Renouer, phase 2 : restauration des zones humides et des forêts alluviales",
            vec![aeap, ofb, onf, crpf, parc_of("AVE")],
            &[2],
            BIODIVERSITE,
            (date(2020, 6, 1), date(2021, 12, 31)),
            9_850_000,
        ),
        planned(
            "FNPNR",
            "Marque Valeurs Parc naturel régional : accompagnement des producteurs",
            vec![fede, chambre],
            &[3],
            COMMUNICATION,
            (date(2018, 9, 1), date(2019, 8, 31)),
            1_860_000,
        ),
        planned(
            "FNPNR",
            "Journées techniques nationales des Parcs en Hauts-de-France",
            vec![fede],
            &[1],
            COMMUNICATION,
            (date(2019, 5, 1), date(2019, 10, 31)),
            1_248_000,
        ),
    ];
    for pl in national {
        let region_pct = b.rng.range(30, 60);
        b.add(
            pl.title,
            Scale::Nationale,
            None,
            pl.partners,
            pl.objectives,
            Some(pl.theme),
            Some(pl.key),
            pl.dates,
            pl.total,
            (region_pct, 0, 25),
        );
    }

    // ----- européenne -----
    let europarc = p(&b, "EUROPARC Federation");
    let andalucia = p(&b, "Consejería de Medio Ambiente de la Junta de Andalucía");
    let west = p(&b, "Provincie West-Vlaanderen");
    let westhoek = p(&b, "Regionaal Landschap Westhoek");
    let escaut_be = p(&b, "Parc naturel des Plaines de l'Escaut");
    let wapi = p(&b, "Intercommunale de développement de Wallonie picarde");
    let european = [
        planned(
            "IMPACT",
            "IMPACT : échanges d'expériences sur les modèles innovants de gestion des aires protégées",
            vec![andalucia, europarc],
            &[1],
            EUROPE,
            (date(2018, 1, 1), date(2019, 6, 30)),
            18_400_000,
        ),
        planned(
            "IMPACT",
            format!(
                "IMPACT : site pilote du Parc naturel régional {}",
                names::parc_in_title("SCE")
            ),
            vec![parc_of("SCE")],
            &[1, 3],
            BIODIVERSITE,
            (date(2018, 3, 1), date(2019, 12, 31)),
            6_480_000,
        ),
        planned(
            "IMPACT",
            format!(
                "IMPACT : site pilote du Parc naturel régional {}",
                names::parc_in_title("AVE")
            ),
            vec![parc_of("AVE")],
            &[1, 3],
            BIODIVERSITE,
            (date(2018, 3, 1), date(2019, 12, 31)),
            5_925_000,
        ),
        planned(
            "IMPACT",
            format!(
                "IMPACT : site pilote du Parc naturel régional {}",
                names::parc_in_title("CMO")
            ),
            vec![parc_of("CMO")],
            &[1, 3],
            BIODIVERSITE,
            (date(2018, 3, 1), date(2019, 12, 31)),
            6_112_550,
        ),
        planned(
            "IMPACT",
            "IMPACT : plan d'action régional et diffusion des résultats",
            vec![europarc, andalucia],
            &[1],
            COMMUNICATION,
            (date(2019, 7, 1), date(2020, 3, 31)),
            4_625_000,
        ),
        planned(
            "PARTONS",
            "Partons 2.0 : services de mobilité aux habitants des zones rurales transfrontalières",
            vec![west, parc_of("CMO"), westhoek],
            &[3],
            ENERGIE,
            (date(2018, 1, 1), date(2019, 12, 31)),
            21_200_000,
        ),
        planned(
            "PARTONS",
            "Partons 2.0 : tourisme de proximité et découverte des paysages frontaliers",
            vec![west, escaut_be, parc_of("SCE")],
            &[3],
            COMMUNICATION,
            (date(2019, 4, 1), date(2021, 9, 30)),
            16_840_000,
        ),
        planned(
            "PARTONS",
            "Partons 2.0 : circuits courts et produits des Parcs",
            vec![west, wapi, parc_of("AVE"), chambre],
            &[2, 3],
            RESSOURCES,
            (date(2020, 1, 1), date(2021, 9, 30)),
            9_630_000,
        ),
        planned(
            "PARTONS",
            "Partons 2.0 : coordination du portefeuille de projets et évaluation",
            vec![west],
            &[1],
            EUROPE,
            (date(2018, 1, 1), date(2021, 9, 30)),
            14_260_000,
        ),
    ];
    for pl in european {
        let (eu, region_pct) = if pl.key == "IMPACT" {
            (85, 10)
        } else {
            (55, b.rng.range(20, 30))
        };
        b.add(
            pl.title,
            Scale::Europeenne,
            None,
            pl.partners,
            pl.objectives,
            Some(pl.theme),
            Some(pl.key),
            pl.dates,
            pl.total,
            (region_pct, eu, 5),
        );
    }

    // ----- locale: every association in a convention active in each year -----
    // An association signs either a yearly convention or one for two years (2018-2019, 2020-2021).
    let mut yearly: Vec<usize> = Vec::new();
    let mut biennial: Vec<usize> = Vec::new();
    for (k, (idx, _)) in associations.iter().enumerate() {
        if b.rng.fork(k as u64).chance(40) {
            biennial.push(*idx);
        } else {
            yearly.push(*idx);
        }
    }
    let home_of = |idx: usize| -> Home {
        associations
            .iter()
            .find(|(i, _)| *i == idx)
            .map(|(_, o)| o.home)
            .expect("an association")
    };
    let theme_of = |idx: usize| -> &'static str {
        associations
            .iter()
            .find(|(i, _)| *i == idx)
            .map(|(_, o)| o.theme)
            .expect("an association")
    };
    let parc_for = |idx: usize, y: i32| -> &'static str {
        match home_of(idx) {
            Home::Parc(p) => p,
            _ => ROTATION[(idx + y as usize) % ROTATION.len()],
        }
    };

    let mut drafts: Vec<LocalDraft> = Vec::new();
    for y in YEARS {
        for (code, _, _) in PARCS {
            if code == "BSPM" && y < 2020 {
                continue; // the parc was created in 2020
            }
            let mut groups: Vec<(Vec<usize>, bool)> = Vec::new();
            for (pool, multi) in [(&yearly, false), (&biennial, true)] {
                if multi && y % 2 == 1 {
                    continue;
                }
                let mut members: Vec<usize> = pool
                    .iter()
                    .copied()
                    .filter(|&a| parc_for(a, y) == code)
                    .collect();
                // Shuffle (Fisher-Yates) so that groups differ from year to year.
                for i in (1..members.len()).rev() {
                    let j = b.rng.below(i as u64 + 1) as usize;
                    members.swap(i, j);
                }
                let mut rest = &members[..];
                while !rest.is_empty() {
                    let size = (*b.rng.weighted(&[(1usize, 20), (2, 45), (3, 35)])).min(rest.len());
                    groups.push((rest[..size].to_vec(), multi));
                    rest = &rest[size..];
                }
            }
            for (members, multi) in groups {
                let debut = if multi {
                    date(y, b.rng.range(1, 3) as u32, 1)
                } else {
                    date(y, b.rng.range(1, 4) as u32, *b.rng.pick(&[1, 1, 15]))
                };
                let fin = if multi {
                    date(y + 1, 12, 31)
                } else if y < 2021 && b.rng.chance(20) {
                    last_day_of_month(y + 1, b.rng.range(3, 6) as u32)
                } else {
                    date(y, 12, 31)
                };
                drafts.push(LocalDraft {
                    parc: code,
                    theme: theme_of(members[0]),
                    partners: members,
                    debut,
                    fin,
                    multi_year: multi,
                });
            }
        }
    }

    // Local actors that are not associations: each joins conventions of its parc; the
    // regional ones join conventions of two different parcs.
    let mut regional_turn = 0usize;
    for (k, (actor, home)) in actors.iter().enumerate() {
        match home {
            Home::Parc(code) => {
                let of_parc: Vec<usize> = (0..drafts.len())
                    .filter(|&i| drafts[i].parc == *code)
                    .collect();
                let times = 1 + (k % 2);
                for t in 0..times {
                    let pick = of_parc[(k * 7 + t * of_parc.len() / 2) % of_parc.len()];
                    if !drafts[pick].partners.contains(actor) {
                        drafts[pick].partners.push(*actor);
                    }
                }
            }
            _ => {
                for t in 0..2 {
                    let code = ROTATION[(regional_turn + t) % ROTATION.len()];
                    let of_parc: Vec<usize> = (0..drafts.len())
                        .filter(|&i| drafts[i].parc == code)
                        .collect();
                    let pick = of_parc[(k * 5 + t * 11) % of_parc.len()];
                    if !drafts[pick].partners.contains(actor) {
                        drafts[pick].partners.push(*actor);
                    }
                }
                regional_turn += 1;
            }
        }
    }

    let signed_late_at = drafts
        .iter()
        .position(|d| d.parc == "AVE" && d.debut.year() == 2019 && !d.multi_year)
        .expect("Avesnois has local conventions in 2019");
    let mut signed_late = String::new();
    for (i, d) in drafts.iter().enumerate() {
        let place = *b.rng.pick(names::places(d.parc));
        let start = *b.rng.pick(names::title_starts(d.theme));
        let suffix = if d.fin.year() > d.debut.year() {
            format!(" – {}-{}", d.debut.year(), d.fin.year())
        } else {
            format!(" – {}", d.debut.year())
        };
        let title = b.unique_title(format!("{start} {place}"), &suffix);
        let n = d.partners.len() as i64;
        let (lo, hi) = if d.multi_year {
            (4_000 + 1_500 * n, (9_000 + 4_000 * n).min(22_000))
        } else {
            (2_000 + 1_000 * n, (6_000 + 3_500 * n).min(22_000))
        };
        let total = b.euros(lo, hi, 30);
        let region_pct = b.rng.range(40, 80);
        let autres_pct = if b.rng.chance(40) {
            b.rng.range(5, 20)
        } else {
            0
        };
        let objectives = objectives_for(d.theme, &mut b.rng);
        let c = b.add(
            title,
            Scale::Locale,
            Some(d.parc),
            d.partners.clone(),
            &objectives,
            Some(d.theme),
            None,
            (d.debut, d.fin),
            total,
            (region_pct, 0, autres_pct),
        );
        if i == signed_late_at {
            b.ds.conventions[c].signature = d.debut.checked_add_days(Days::new(9));
            signed_late = b.ds.conventions[c].id.clone();
        }
    }

    // A few conventions that did not go as planned: cancelled ones, and projects for 2021.
    let extras: [(&str, i32, &str, Status); 5] = [
        ("SCE", 2019, EDUCATION, Status::Resiliee),
        ("AVE", 2020, COMMUNICATION, Status::Resiliee),
        ("SCE", 2021, BIODIVERSITE, Status::Projet),
        ("CMO", 2021, RESSOURCES, Status::Projet),
        ("OPF", 2021, TVB, Status::Projet),
    ];
    for (code, y, theme, status) in extras {
        let assoc = *yearly
            .iter()
            .find(|&&a| home_of(a) == Home::Parc(code))
            .expect("the parc has associations");
        let commune = actors
            .iter()
            .find(|(i, h)| *h == Home::Parc(code) && b.ds.partners[*i].ptype == ptype::COLLECTIVITE)
            .map(|(i, _)| *i)
            .expect("the parc has a commune");
        let (debut, fin, title) = match status {
            Status::Resiliee if theme == COMMUNICATION => (
                date(y, 3, 1),
                date(y, 10, 31),
                format!("Festival nature de la Fagne {y}"),
            ),
            Status::Resiliee => (
                date(y, 4, 1),
                date(y, 12, 31),
                format!(
                    "{} {} – {y}",
                    names::title_starts(theme)[1],
                    names::places(code)[2]
                ),
            ),
            _ => (
                date(y, 10, 1),
                date(y, 12, 31),
                format!(
                    "{} {} – {y}",
                    names::title_starts(theme)[0],
                    names::places(code)[3]
                ),
            ),
        };
        let title = b.unique_title(title, "");
        let total = b.euros(4_000, 15_000, 20);
        let objectives = objectives_for(theme, &mut b.rng);
        let c = b.add(
            title,
            Scale::Locale,
            Some(code),
            vec![assoc, commune],
            &objectives,
            Some(theme),
            None,
            (debut, fin),
            total,
            (60, 0, 0),
        );
        b.ds.conventions[c].status = status;
        if status == Status::Projet {
            b.ds.conventions[c].signature = None;
        }
    }

    b.ds.indicators = indicators();

    // ----- who sends what -----
    let conv_sub: Vec<Sub> =
        b.ds.conventions
            .iter()
            .map(|c| match (c.scale, c.parc) {
                (Scale::Territoriale | Scale::Locale, Some(p)) => Sub::of_parc(p),
                _ => Sub::Siege,
            })
            .collect();
    let mut users: Vec<BTreeSet<Sub>> = vec![BTreeSet::new(); b.ds.partners.len()];
    for (c, s) in b.ds.conventions.iter().zip(&conv_sub) {
        for &p in &c.partners {
            users[p].insert(*s);
        }
    }
    let partner_sub = users
        .iter()
        .map(|u| match (u.len(), u.first()) {
            (1, Some(&s)) => s,
            _ => Sub::Siege,
        })
        .collect();
    let without_identifier = b.ds.partners[b.partner_named(names::ASSOCIATION_WITHOUT_ID)]
        .id
        .clone();
    Sample {
        ds: b.ds,
        conv_sub,
        partner_sub,
        deliberate: Deliberate {
            signed_late,
            without_identifier,
        },
    }
}

/// Declared values of the indicators whose source is `declare` in the referential.
fn indicators() -> Vec<IndicatorValue> {
    let mut v = Vec::new();
    let mut push = |code, annee, valeur_centi, parc, commentaire| {
        v.push(IndicatorValue {
            code,
            annee,
            valeur_centi,
            parc,
            commentaire,
        })
    };
    // OS1-I2: inter-Parc exchange days, one value for ENRx per year.
    for (y, n, comment) in [
        (2018, 9, None),
        (2019, 11, None),
        (
            2020,
            6,
            Some("Crise sanitaire : quatre journées reportées en 2021"),
        ),
        (2021, 13, Some("Dont deux journées reportées de 2020")),
    ] {
        push("OS1-I2", y, n * 100, None, comment);
    }
    // OS2-I2: communes accompanied, per parc.
    let communes: [(i32, [i64; 5]); 4] = [
        (2018, [58, 72, 64, 41, 0]),
        (2019, [61, 78, 69, 44, 0]),
        (2020, [63, 81, 70, 45, 40]),
        (2021, [66, 86, 74, 48, 52]),
    ];
    // OS2-I3: hectares managed for biodiversity, per parc.
    let hectares: [(i32, [i64; 5]); 4] = [
        (2018, [51_250, 64_800, 43_700, 0, 0]),
        (2019, [54_000, 70_200, 46_650, 31_800, 0]),
        (2020, [57_500, 73_100, 49_800, 32_200, 0]),
        (2021, [60_200, 76_850, 52_300, 34_100, 30_500]),
    ];
    // OS3-I3: environmental education actions, per parc.
    let actions: [(i32, [i64; 5]); 4] = [
        (2018, [112, 96, 138, 0, 0]),
        (2019, [118, 104, 142, 84, 0]),
        (2020, [86, 81, 95, 80, 0]),
        (2021, [124, 109, 151, 88, 82]),
    ];
    for (code, table, scale) in [
        ("OS2-I2", communes, 100),
        ("OS2-I3", hectares, 1),
        ("OS3-I3", actions, 100),
    ] {
        for (y, values) in table {
            for (k, value) in values.into_iter().enumerate() {
                if value > 0 {
                    let comment = (code == "OS3-I3" && y == 2020)
                        .then_some("Animations scolaires suspendues au printemps 2020");
                    push(code, y, value * scale, Some(PARCS[k].0), comment);
                }
            }
        }
    }
    // OS3-I4: varieties kept at the Centre régional de ressources génétiques.
    for (y, n) in [(2018, 1852), (2019, 1937), (2020, 2014), (2021, 2126)] {
        push(
            "OS3-I4",
            y,
            n * 100,
            None,
            Some("Centre régional de ressources génétiques, Villeneuve-d'Ascq"),
        );
    }
    v
}
