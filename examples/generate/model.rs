//! The records the generator writes: partners, conventions, declared indicator values.

use chrono::{Datelike, NaiveDate};

pub const PERIOD_START: (i32, u32, u32) = (2018, 1, 1);
pub const PERIOD_END: (i32, u32, u32) = (2021, 12, 31);
pub const YEARS: [i32; 4] = [2018, 2019, 2020, 2021];

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid calendar date")
}

pub fn period_start() -> NaiveDate {
    date(PERIOD_START.0, PERIOD_START.1, PERIOD_START.2)
}

pub fn period_end() -> NaiveDate {
    date(PERIOD_END.0, PERIOD_END.1, PERIOD_END.2)
}

pub fn last_day_of_month(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    date(ny, nm, 1).pred_opt().expect("not the first day ever")
}

/// Partner types, exactly as the Partenaires `type` column spells them (DESIGN §3).
pub mod ptype {
    pub const ASSOCIATION: &str = "association";
    pub const ENTREPRISE: &str = "entreprise";
    pub const ORG_PRO: &str = "organisme professionnel";
    pub const ENSEIGNEMENT: &str = "enseignement-recherche";
    pub const COLLECTIVITE: &str = "collectivité";
    pub const ETAT: &str = "État-établissement public";
    pub const FEDERATION: &str = "fédération-réseau";
    pub const PARC: &str = "parc";
    pub const AUTRE: &str = "autre";

    /// Types that count as a local actor for a local convention (check O007).
    pub fn is_local_actor(t: &str) -> bool {
        matches!(
            t,
            ASSOCIATION | ENTREPRISE | ORG_PRO | ENSEIGNEMENT | COLLECTIVITE
        )
    }
}

/// Thematiques of the referential.
pub mod theme {
    pub const RESSOURCES: &str = "ressources génétiques";
    pub const BIODIVERSITE: &str = "biodiversité";
    pub const COMMUNICATION: &str = "communication régionale";
    pub const EDUCATION: &str = "éducation à l'environnement";
    pub const JURIDIQUE: &str = "assistance juridique";
    pub const EUROPE: &str = "dossiers européens";
    pub const ENERGIE: &str = "transition énergétique";
    pub const TVB: &str = "trame verte et bleue";
    pub const URBANISME: &str = "urbanisme";
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash, PartialOrd, Ord)]
pub enum Scale {
    Regionale,
    Territoriale,
    Locale,
    Nationale,
    Europeenne,
}

impl Scale {
    pub fn label(self) -> &'static str {
        match self {
            Scale::Regionale => "régionale",
            Scale::Territoriale => "territoriale",
            Scale::Locale => "locale",
            Scale::Nationale => "nationale",
            Scale::Europeenne => "européenne",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Status {
    Projet,
    Signee,
    EnCours,
    Soldee,
    Resiliee,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Projet => "projet",
            Status::Signee => "signée",
            Status::EnCours => "en cours",
            Status::Soldee => "soldée",
            Status::Resiliee => "résiliée",
        }
    }

    /// Counts in the figures (DESIGN §6).
    pub fn is_active(self) -> bool {
        matches!(self, Status::Signee | Status::EnCours | Status::Soldee)
    }

    /// The status a signed convention has on 31/12/2021 given its end date (check D004).
    pub fn from_end(fin: NaiveDate) -> Status {
        if fin < period_end() {
            Status::Soldee
        } else {
            Status::EnCours
        }
    }
}

/// The programmes of the referential: code, scale, dates.
pub struct Programme {
    pub code: &'static str,
    pub scale: Scale,
    pub dates: Option<(NaiveDate, NaiveDate)>,
}

pub fn programmes() -> [Programme; 5] {
    [
        Programme {
            code: "IMPACT",
            scale: Scale::Europeenne,
            dates: Some((date(2016, 4, 1), date(2020, 3, 31))),
        },
        Programme {
            code: "PARTONS",
            scale: Scale::Europeenne,
            dates: Some((date(2016, 10, 1), date(2021, 9, 30))),
        },
        Programme {
            code: "WECAN",
            scale: Scale::Europeenne,
            dates: Some((date(2008, 1, 1), date(2014, 12, 31))),
        },
        Programme {
            code: "FNPNR",
            scale: Scale::Nationale,
            dates: None,
        },
        Programme {
            code: "RENOUER",
            scale: Scale::Nationale,
            dates: None,
        },
    ]
}

pub fn programme(code: &str) -> Option<Programme> {
    programmes().into_iter().find(|p| p.code == code)
}

/// The parcs of the referential: code, name as written in the referential, ENRx member.
pub const PARCS: [(&str, &str, bool); 5] = [
    ("SCE", "Scarpe-Escaut", true),
    ("AVE", "Avesnois", true),
    ("CMO", "Caps et Marais d'Opale", true),
    ("OPF", "Oise – Pays de France", false),
    ("BSPM", "Baie de Somme – Picardie maritime", false),
];

pub fn parc_name(code: &str) -> &'static str {
    PARCS
        .iter()
        .find(|p| p.0 == code)
        .map(|p| p.1)
        .expect("known parc code")
}

#[derive(Clone, Debug)]
pub struct Partner {
    pub id: String,
    pub nom: String,
    pub ptype: &'static str,
    pub siret: Option<String>,
    pub rna: Option<String>,
    pub code_postal: Option<String>,
    pub commune: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Convention {
    pub id: String,
    pub intitule: String,
    pub scale: Scale,
    pub parc: Option<&'static str>,
    /// Indices into the partner list.
    pub partners: Vec<usize>,
    /// 1, 2, 3 for OS1, OS2, OS3.
    pub objectives: Vec<u8>,
    pub thematique: Option<&'static str>,
    pub programme: Option<&'static str>,
    pub signature: Option<NaiveDate>,
    pub debut: NaiveDate,
    pub fin: NaiveDate,
    /// Euro cents.
    pub total: i64,
    pub region: i64,
    pub europe: Option<i64>,
    pub autres: Option<i64>,
    pub status: Status,
}

impl Convention {
    /// Active in year `y` (DESIGN §6).
    pub fn active_in(&self, y: i32) -> bool {
        self.status.is_active() && self.debut.year() <= y && self.fin.year() >= y
    }

    pub fn objectives_text(&self, numeric: bool) -> String {
        self.objectives
            .iter()
            .map(|o| {
                if numeric {
                    o.to_string()
                } else {
                    format!("OS{o}")
                }
            })
            .collect::<Vec<_>>()
            .join(";")
    }
}

#[derive(Clone, Debug)]
pub struct IndicatorValue {
    pub code: &'static str,
    pub annee: i32,
    /// Hundredths, so that `512,5 ha` stays exact.
    pub valeur_centi: i64,
    pub parc: Option<&'static str>,
    pub commentaire: Option<&'static str>,
}

#[derive(Default)]
pub struct DataSet {
    pub partners: Vec<Partner>,
    pub conventions: Vec<Convention>,
    pub indicators: Vec<IndicatorValue>,
}

/// Splits an amount: `percent` of `total`, rounded to the euro.
pub fn share(total: i64, percent: i64) -> i64 {
    (total * percent / 100 / 100) * 100
}
