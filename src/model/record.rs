//! The three kinds of rows users submit (DESIGN §3).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::field::Field;
use super::vocab::{Echelle, PartnerType, Statut};

/// Where a record was read: its sheet (index into `DataSet::sheets`) and its Excel row number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    pub sheet: u32,
    pub row: u32,
}

/// A record of the data set, to tie diagnostics to the rows they exclude from the figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordRef {
    Convention(u32),
    Partner(u32),
    Indicator(u32),
}

#[derive(Debug, Clone, Default)]
pub struct Convention {
    pub origin: Origin,
    pub id: Field<String>,
    pub intitule: Field<String>,
    pub echelle: Field<Echelle>,
    pub parc: Field<String>,
    pub partenaires: Field<Vec<String>>,
    pub objectifs: Field<Vec<String>>,
    pub thematique: Field<String>,
    pub programme: Field<String>,
    pub date_signature: Field<NaiveDate>,
    pub date_debut: Field<NaiveDate>,
    pub date_fin: Field<NaiveDate>,
    pub montant_total: Field<Decimal>,
    pub part_region: Field<Decimal>,
    pub part_europe: Field<Decimal>,
    pub part_autres: Field<Decimal>,
    pub statut: Field<Statut>,
    /// References resolved against the referential and the partners (see `DataSet::link`).
    pub links: ConventionLinks,
}

/// A convention's references, resolved once so checks and figures agree on them.
#[derive(Debug, Clone, Default)]
pub struct ConventionLinks {
    /// Index of the parc in the referential.
    pub parc: Option<usize>,
    /// Indices of the objectives in the referential, in the order written, without repeats.
    pub objectifs: Vec<usize>,
    /// Index of the programme in the referential.
    pub programme: Option<usize>,
    /// Indices of the known partners in `DataSet::partners` (first definition of each id).
    pub partners: Vec<u32>,
}

#[derive(Debug, Clone, Default)]
pub struct Partner {
    pub origin: Origin,
    pub id: Field<String>,
    pub nom: Field<String>,
    pub kind: Field<PartnerType>,
    pub siret: Field<String>,
    pub rna: Field<String>,
    pub code_postal: Field<String>,
    pub commune: Field<String>,
    pub email: Field<String>,
    pub telephone: Field<String>,
}

#[derive(Debug, Clone, Default)]
pub struct IndicatorValue {
    pub origin: Origin,
    pub indicateur: Field<String>,
    pub annee: Field<i32>,
    pub valeur: Field<Decimal>,
    pub parc: Field<String>,
    pub commentaire: Field<String>,
}

impl Default for Origin {
    fn default() -> Self {
        Origin { sheet: 0, row: 1 }
    }
}
