//! Every field of a record with its contract column name, for the rules that look at all of
//! them alike (required cells, wrong types).

use crate::ingest::columns::{CONVENTIONS, INDICATEURS, PARTENAIRES};
use crate::model::{Convention, Field, IndicatorValue, Parsed, Partner, Problem};

/// A field seen without its type.
pub trait AnyField {
    fn col(&self) -> Option<u16>;
    fn is_empty(&self) -> bool;
    fn invalid(&self) -> Option<(&str, &Problem)>;
}

impl<T> AnyField for Field<T> {
    fn col(&self) -> Option<u16> {
        self.col
    }
    fn is_empty(&self) -> bool {
        Field::is_empty(self)
    }
    fn invalid(&self) -> Option<(&str, &Problem)> {
        match &self.parsed {
            Parsed::Invalid(inv) => Some((inv.raw.as_str(), &inv.problem)),
            _ => None,
        }
    }
}

/// (column name, required by the contract, field)
pub type FieldEntry<'a> = (&'static str, bool, &'a dyn AnyField);

pub fn convention_fields(c: &Convention) -> [FieldEntry<'_>; 16] {
    let f: [&dyn AnyField; 16] = [
        &c.id,
        &c.intitule,
        &c.echelle,
        &c.parc,
        &c.partenaires,
        &c.objectifs,
        &c.thematique,
        &c.programme,
        &c.date_signature,
        &c.date_debut,
        &c.date_fin,
        &c.montant_total,
        &c.part_region,
        &c.part_europe,
        &c.part_autres,
        &c.statut,
    ];
    std::array::from_fn(|i| (CONVENTIONS[i].name, CONVENTIONS[i].required, f[i]))
}

pub fn partner_fields(p: &Partner) -> [FieldEntry<'_>; 9] {
    let f: [&dyn AnyField; 9] = [
        &p.id,
        &p.nom,
        &p.kind,
        &p.siret,
        &p.rna,
        &p.code_postal,
        &p.commune,
        &p.email,
        &p.telephone,
    ];
    std::array::from_fn(|i| (PARTENAIRES[i].name, PARTENAIRES[i].required, f[i]))
}

pub fn indicator_fields(v: &IndicatorValue) -> [FieldEntry<'_>; 5] {
    let f: [&dyn AnyField; 5] = [&v.indicateur, &v.annee, &v.valeur, &v.parc, &v.commentaire];
    std::array::from_fn(|i| (INDICATEURS[i].name, INDICATEURS[i].required, f[i]))
}
