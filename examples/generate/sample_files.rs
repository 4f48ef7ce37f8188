//! The sample's submissions: which file holds which rows, and how each office lays them out.

use std::path::{Path, PathBuf};

use crate::csvout::{self, Dialect, Encoding};
use crate::model::DataSet;
use crate::sample::{Sample, Sub};
use crate::table::{
    CF, DateText, MoneyText, PF, Style, Table, convention_row, header, indicator_row, partner_row,
};
use crate::{ods, xlsx};

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Format {
    Xlsx,
    Ods,
    Csv(Encoding),
}

/// One file of the sample and what it holds.
pub struct FileSpec {
    pub name: &'static str,
    pub sub: Sub,
    pub format: Format,
    pub conventions: bool,
    pub partners: bool,
    pub indicators: bool,
}

pub const FILES: [FileSpec; 8] = [
    FileSpec {
        name: "enrx-siege-2018-2021.xlsx",
        sub: Sub::Siege,
        format: Format::Xlsx,
        conventions: true,
        partners: true,
        indicators: true,
    },
    FileSpec {
        name: "pnr-scarpe-escaut.xlsx",
        sub: Sub::Sce,
        format: Format::Xlsx,
        conventions: true,
        partners: true,
        indicators: false,
    },
    FileSpec {
        name: "pnr-avesnois.xlsx",
        sub: Sub::Ave,
        format: Format::Xlsx,
        conventions: true,
        partners: true,
        indicators: false,
    },
    FileSpec {
        name: "pnr-caps-marais-opale.ods",
        sub: Sub::Cmo,
        format: Format::Ods,
        conventions: true,
        partners: true,
        indicators: false,
    },
    FileSpec {
        name: "pnr-oise-pays-de-france-conventions.csv",
        sub: Sub::Opf,
        format: Format::Csv(Encoding::Windows1252),
        conventions: true,
        partners: false,
        indicators: false,
    },
    FileSpec {
        name: "pnr-oise-pays-de-france-partenaires.csv",
        sub: Sub::Opf,
        format: Format::Csv(Encoding::Windows1252),
        conventions: false,
        partners: true,
        indicators: false,
    },
    FileSpec {
        name: "pnr-baie-de-somme-2021.csv",
        sub: Sub::Bspm,
        format: Format::Csv(Encoding::Utf8Bom),
        conventions: true,
        partners: false,
        indicators: false,
    },
    FileSpec {
        name: "pnr-baie-de-somme-partenaires.csv",
        sub: Sub::Bspm,
        format: Format::Csv(Encoding::Utf8Bom),
        conventions: false,
        partners: true,
        indicators: false,
    },
];

const CANONICAL_CONVENTIONS: [(&str, CF); 16] = [
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

const CANONICAL_PARTNERS: [(&str, PF); 9] = [
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

/// A parc office's own headers: capitals and accents.
const PARC_CONVENTIONS: [(&str, CF); 14] = [
    ("Identifiant", CF::Id),
    ("Intitulé", CF::Intitule),
    ("Échelle", CF::Echelle),
    ("Parc", CF::Parc),
    ("Partenaires", CF::Partenaires),
    ("Objectifs", CF::Objectifs),
    ("Thématique", CF::Thematique),
    ("Date signature", CF::Signature),
    ("Date début", CF::Debut),
    ("Date fin", CF::Fin),
    ("Montant total", CF::Total),
    ("Part Région", CF::Region),
    ("Part autres", CF::Autres),
    ("Statut", CF::Statut),
];

const PARC_PARTNERS: [(&str, PF); 9] = [
    ("Id partenaire", PF::Id),
    ("Raison sociale", PF::Nom),
    ("Type", PF::Type),
    ("SIRET", PF::Siret),
    ("RNA", PF::Rna),
    ("Code postal", PF::CodePostal),
    ("Commune", PF::Commune),
    ("E-mail", PF::Email),
    ("Téléphone", PF::Telephone),
];

/// The Avesnois office uses the short aliases of the contract.
const ALIAS_CONVENTIONS: [(&str, CF); 14] = [
    ("identifiant", CF::Id),
    ("objet", CF::Intitule),
    ("échelle", CF::Echelle),
    ("parc", CF::Parc),
    ("id_partenaires", CF::Partenaires),
    ("objectifs", CF::Objectifs),
    ("thématique", CF::Thematique),
    ("date_signature", CF::Signature),
    ("début", CF::Debut),
    ("fin", CF::Fin),
    ("montant", CF::Total),
    ("part Région", CF::Region),
    ("part_autres", CF::Autres),
    ("statut", CF::Statut),
];

const ALIAS_PARTNERS: [(&str, PF); 9] = [
    ("id_partenaire", PF::Id),
    ("nom", PF::Nom),
    ("type", PF::Type),
    ("siret", PF::Siret),
    ("rna", PF::Rna),
    ("code_postal", PF::CodePostal),
    ("commune", PF::Commune),
    ("email", PF::Email),
    ("telephone", PF::Telephone),
];

/// Conventions columns, partner columns and value style of one office.
type Layout = (
    &'static [(&'static str, CF)],
    &'static [(&'static str, PF)],
    Style,
);

fn layout(sub: Sub) -> Layout {
    match sub {
        Sub::Siege => (
            &CANONICAL_CONVENTIONS,
            &CANONICAL_PARTNERS,
            Style::default(),
        ),
        Sub::Sce => (
            &PARC_CONVENTIONS,
            &PARC_PARTNERS,
            Style {
                capitalised_words: true,
                spaced_siret: true,
                ..Style::default()
            },
        ),
        Sub::Ave => (
            &ALIAS_CONVENTIONS,
            &ALIAS_PARTNERS,
            Style {
                numeric_objectives_every: 4,
                ..Style::default()
            },
        ),
        Sub::Cmo => (
            &PARC_CONVENTIONS,
            &PARC_PARTNERS,
            Style {
                parc_as_name: true,
                ..Style::default()
            },
        ),
        Sub::Opf => (
            &PARC_CONVENTIONS,
            &PARC_PARTNERS,
            Style {
                numeric_objectives_every: 3,
                comma_partner_list: true,
                capitalised_words: true,
                ..Style::default()
            },
        ),
        Sub::Bspm => (
            &CANONICAL_CONVENTIONS[..],
            &CANONICAL_PARTNERS,
            Style::default(),
        ),
    }
}

/// The BSPM file has no European column: drop `programme` and `part_europe`.
fn columns_for(sub: Sub) -> Vec<(&'static str, CF)> {
    let (cols, _, _) = layout(sub);
    cols.iter()
        .copied()
        .filter(|(_, f)| sub == Sub::Siege || !matches!(f, CF::Programme | CF::Europe))
        .collect()
}

pub fn conventions_table(s: &Sample, sub: Sub) -> Table {
    let cols = columns_for(sub);
    let (_, _, style) = layout(sub);
    let ds: &DataSet = &s.ds;
    let id = |i: usize| ds.partners[i].id.clone();
    let rows = ds
        .conventions
        .iter()
        .zip(&s.conv_sub)
        .filter(|(_, cs)| **cs == sub)
        .enumerate()
        .map(|(k, (c, _))| convention_row(c, &cols, &style, k, &id))
        .collect();
    Table {
        sheet: "Conventions",
        title: (sub == Sub::Siege).then(|| "Conventions de partenariat ENRx — 2018-2021".into()),
        header: header(&cols),
        rows,
    }
}

pub fn partners_table(s: &Sample, sub: Sub) -> Table {
    let (_, cols, style) = layout(sub);
    let rows =
        s.ds.partners
            .iter()
            .zip(&s.partner_sub)
            .filter(|(_, ps)| **ps == sub)
            .map(|(p, _)| partner_row(p, cols, &style))
            .collect();
    Table {
        sheet: "Partenaires",
        title: None,
        header: header(cols),
        rows,
    }
}

pub fn indicators_table(s: &Sample) -> Table {
    Table {
        sheet: "Indicateurs",
        title: None,
        header: ["Indicateur", "Année", "Valeur", "Parc", "Commentaire"]
            .iter()
            .map(|h| h.to_string())
            .collect(),
        rows: s.ds.indicators.iter().map(indicator_row).collect(),
    }
}

fn company(sub: Sub) -> &'static str {
    match sub {
        Sub::Siege => "Espaces naturels régionaux (ENRx)",
        Sub::Sce => "Parc naturel régional Scarpe-Escaut",
        Sub::Ave => "Parc naturel régional de l'Avesnois",
        Sub::Cmo => "Parc naturel régional des Caps et Marais d'Opale",
        Sub::Opf => "Parc naturel régional Oise – Pays de France",
        Sub::Bspm => "Parc naturel régional Baie de Somme – Picardie maritime",
    }
}

/// The CSV dialect of each office.
pub fn dialect(sub: Sub) -> Dialect {
    match sub {
        Sub::Opf => Dialect {
            encoding: Encoding::Windows1252,
            dates: DateText::French,
            money: MoneyText::FrenchEuro,
        },
        _ => Dialect {
            encoding: Encoding::Utf8Bom,
            dates: DateText::Iso,
            money: MoneyText::FrenchPlain,
        },
    }
}

/// The tables a file holds.
pub fn tables_of(s: &Sample, f: &FileSpec) -> Vec<Table> {
    let mut t = Vec::new();
    if f.conventions {
        t.push(conventions_table(s, f.sub));
    }
    if f.partners {
        t.push(partners_table(s, f.sub));
    }
    if f.indicators {
        t.push(indicators_table(s));
    }
    t
}

pub fn write_all(dir: &Path, s: &Sample) -> Result<Vec<PathBuf>, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for f in &FILES {
        let path = dir.join(f.name);
        let tables = tables_of(s, f);
        let refs: Vec<&Table> = tables.iter().collect();
        match f.format {
            Format::Xlsx => xlsx::write_workbook(&path, &refs, company(f.sub))?,
            Format::Ods => ods::write_ods(&path, &refs, company(f.sub))?,
            Format::Csv(_) => csvout::write_table(&path, refs[0], dialect(f.sub))?,
        }
        written.push(path);
    }
    Ok(written)
}
