//! The one column schema (DESIGN §3): for each column of each sheet, its contract name, the
//! header a person expects, its aliases, whether it is required, what it holds, its help
//! text, and where its value sits in the record. Header matching, typing, the rules that
//! look at every field alike, the template and the test helpers all read it: a column is
//! added here, and in its record struct, and nowhere else.

use std::sync::OnceLock;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::dataset::{RowChunk, SheetKind};
use super::field::{AnyField, Field, Text};
use super::record::{Convention, IndicatorValue, Origin, Partner};
use super::vocab::{Echelle, PartnerType, Statut};

/// What a column holds: how its cells are typed, and how the template formats it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// An identifier or code, always read as text (SIRET, postal code, ids).
    Code,
    /// Free text.
    Text,
    /// Codes separated by `;` or `,` (partner ids, objectives).
    List,
    /// A word of a closed vocabulary (échelle, statut, type).
    Word,
    Date,
    /// Euros.
    Money,
    /// A plain number (an indicator's value).
    Number,
    Year,
}

/// The drop-down list the template offers for a column (values from the referential).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choices {
    Echelle,
    Parc,
    Statut,
    PartnerType,
    Objectifs,
    Thematique,
    Programme,
    Indicateur,
    Annee,
}

/// What a column is, whatever its record.
#[derive(Debug)]
pub struct Spec {
    /// The contract's name (`date_debut`): diagnostics and CSV outputs use it.
    pub name: &'static str,
    /// The header a person expects (« Date de début »).
    pub label: &'static str,
    /// Other names people give the column; matched like the name.
    pub aliases: &'static [&'static str],
    pub required: bool,
    pub kind: ColumnKind,
    pub choices: Option<Choices>,
    /// French help, the note of the template's header.
    pub help: &'static str,
}

/// A typed place in a record that a cell fills.
pub enum Slot<'r> {
    Text(&'r mut Field<Text>),
    List(&'r mut Field<Vec<Text>>),
    Date(&'r mut Field<NaiveDate>),
    Decimal(&'r mut Field<Decimal>),
    Year(&'r mut Field<i32>),
    Echelle(&'r mut Field<Echelle>),
    Statut(&'r mut Field<Statut>),
    PartnerType(&'r mut Field<PartnerType>),
}

/// A column of the records `R`: its spec and where its value sits.
pub struct Column<R: 'static> {
    pub spec: Spec,
    /// The field, seen without its type.
    pub field: fn(&R) -> &dyn AnyField,
    /// The field, to fill it.
    pub slot: fn(&mut R) -> Slot<'_>,
}

impl<R> Column<R> {
    pub fn name(&self) -> &'static str {
        self.spec.name
    }
}

impl<R> std::fmt::Debug for Column<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.spec.fmt(f)
    }
}

macro_rules! column {
    ($record:ty, $field:ident: $slot:ident, $name:literal, $label:literal, [$($alias:literal),*],
     $required:expr, $kind:ident, $choices:expr, $help:literal) => {
        Column::<$record> {
            spec: Spec {
                name: $name,
                label: $label,
                aliases: &[$($alias),*],
                required: $required,
                kind: ColumnKind::$kind,
                choices: $choices,
                help: $help,
            },
            field: |r| &r.$field,
            slot: |r| Slot::$slot(&mut r.$field),
        }
    };
}

/// The columns of the Conventions sheet, in the template's order.
pub mod convention {
    use super::*;
    type R = Convention;

    pub static ID: Column<R> = column!(R, id: Text, "id", "Identifiant",
        ["identifiant", "id_convention", "n° convention", "numéro de convention", "référence"],
        true, Code, None,
        "Identifiant unique de la convention, par ex. C-2020-001. Unique dans tous les fichiers envoyés.");
    pub static INTITULE: Column<R> = column!(R, intitule: Text, "intitule", "Intitulé",
        ["objet", "libellé", "titre"], true, Text, None, "Objet de la convention, en clair.");
    pub static ECHELLE: Column<R> = column!(R, echelle: Echelle, "echelle", "Échelle", [],
        true, Word, Some(Choices::Echelle), "Échelle du partenariat : choisir dans la liste.");
    pub static PARC: Column<R> = column!(R, parc: Text, "parc", "Parc", ["code parc"],
        false, Code, Some(Choices::Parc),
        "Code du Parc (liste). Obligatoire pour les échelles territoriale et locale.");
    pub static PARTENAIRES: Column<R> = column!(R, partenaires: List, "partenaires", "Partenaires",
        ["id_partenaires", "partenaire", "ids partenaires"], true, List, None,
        "Identifiants des partenaires (colonne Identifiant de la feuille Partenaires), séparés par des points-virgules : P-0001;P-0002.");
    pub static OBJECTIFS: Column<R> = column!(R, objectifs: List, "objectifs", "Objectifs",
        ["objectif", "objectifs stratégiques"], true, List, Some(Choices::Objectifs),
        "Objectifs stratégiques auxquels contribue la convention, séparés par des points-virgules : OS1;OS3.");
    pub static THEMATIQUE: Column<R> = column!(R, thematique: Text, "thematique", "Thématique",
        ["thème"], false, Text, Some(Choices::Thematique), "Thématique (liste), facultative.");
    pub static PROGRAMME: Column<R> = column!(R, programme: Text, "programme", "Programme",
        ["code programme"], false, Code, Some(Choices::Programme),
        "Programme national ou européen (liste). Obligatoire pour les échelles nationale et européenne.");
    pub static DATE_SIGNATURE: Column<R> = column!(R, date_signature: Date, "date_signature",
        "Date de signature", ["signature", "date de signature", "signée le"], false, Date, None,
        "Date de signature (jj/mm/aaaa). Obligatoire au-delà de 23 000 € par an.");
    pub static DATE_DEBUT: Column<R> = column!(R, date_debut: Date, "date_debut", "Date de début",
        ["début", "date de début"], true, Date, None, "Date de début (jj/mm/aaaa).");
    pub static DATE_FIN: Column<R> = column!(R, date_fin: Date, "date_fin", "Date de fin",
        ["fin", "date de fin"], true, Date, None,
        "Date de fin (jj/mm/aaaa), au plus tôt la date de début.");
    pub static MONTANT_TOTAL: Column<R> = column!(R, montant_total: Decimal, "montant_total",
        "Montant total (€)", ["montant", "montant (€)", "montant total (€)"], true, Money, None,
        "Montant total de la convention, en euros.");
    pub static PART_REGION: Column<R> = column!(R, part_region: Decimal, "part_region",
        "Part Région (€)", ["part région (€)", "part_region_hdf"], false, Money, None,
        "Part de la Région, en euros (facultatif).");
    pub static PART_EUROPE: Column<R> = column!(R, part_europe: Decimal, "part_europe",
        "Part Europe (€)", ["FEDER", "part Europe (€)", "part_feder"], false, Money, None,
        "Part européenne (FEDER, Interreg), en euros (facultatif).");
    pub static PART_AUTRES: Column<R> = column!(R, part_autres: Decimal, "part_autres",
        "Part autres (€)", ["part autres (€)", "autres financements"], false, Money, None,
        "Part des autres financeurs, en euros (facultatif). Les trois parts ensemble ne dépassent pas le montant total.");
    pub static STATUT: Column<R> = column!(R, statut: Statut, "statut", "Statut",
        ["état", "statut de la convention"], true, Word, Some(Choices::Statut),
        "Statut de la convention : choisir dans la liste.");

    pub static ALL: [&Column<R>; 16] = [
        &ID,
        &INTITULE,
        &ECHELLE,
        &PARC,
        &PARTENAIRES,
        &OBJECTIFS,
        &THEMATIQUE,
        &PROGRAMME,
        &DATE_SIGNATURE,
        &DATE_DEBUT,
        &DATE_FIN,
        &MONTANT_TOTAL,
        &PART_REGION,
        &PART_EUROPE,
        &PART_AUTRES,
        &STATUT,
    ];
}

/// The columns of the Partenaires sheet.
pub mod partner {
    use super::*;
    type R = Partner;

    pub static ID: Column<R> = column!(R, id: Text, "id", "Identifiant",
        ["id_partenaire", "identifiant", "code partenaire"], true, Code, None,
        "Identifiant unique du partenaire, par ex. P-0001, cité dans la colonne Partenaires des conventions.");
    pub static NOM: Column<R> = column!(R, nom: Text, "nom", "Nom",
        ["raison sociale", "nom du partenaire", "dénomination"], true, Text, None,
        "Nom ou raison sociale.");
    pub static TYPE: Column<R> = column!(R, kind: PartnerType, "type", "Type de partenaire",
        ["type de partenaire", "catégorie"], true, Word, Some(Choices::PartnerType),
        "Type de partenaire : choisir dans la liste.");
    pub static SIRET: Column<R> = column!(R, siret: Text, "siret", "SIRET",
        ["siren", "n° siret", "numéro siret"], false, Code, None,
        "SIRET (14 chiffres) ou SIREN (9 chiffres), espaces admis. Saisi en texte.");
    pub static RNA: Column<R> = column!(R, rna: Text, "rna", "RNA", ["n° rna", "numéro rna"],
        false, Code, None, "Numéro RNA d'une association : W suivi de 9 chiffres.");
    pub static CODE_POSTAL: Column<R> = column!(R, code_postal: Text, "code_postal",
        "Code postal", ["cp"], false, Code, None,
        "Code postal à 5 chiffres, saisi en texte (02100, pas 2100).");
    pub static COMMUNE: Column<R> = column!(R, commune: Text, "commune", "Commune",
        ["ville", "localité"], false, Text, None, "Commune du siège.");
    pub static EMAIL: Column<R> = column!(R, email: Text, "email", "Courriel",
        ["courriel", "mail", "adresse électronique"], false, Text, None, "Courriel de contact.");
    pub static TELEPHONE: Column<R> = column!(R, telephone: Text, "telephone", "Téléphone",
        ["tel"], false, Code, None, "Téléphone : 03 21 00 00 00 ou +33 3 21 00 00 00.");

    pub static ALL: [&Column<R>; 9] = [
        &ID,
        &NOM,
        &TYPE,
        &SIRET,
        &RNA,
        &CODE_POSTAL,
        &COMMUNE,
        &EMAIL,
        &TELEPHONE,
    ];
}

/// The columns of the Indicateurs sheet.
pub mod indicator {
    use super::*;
    type R = IndicatorValue;

    pub static INDICATEUR: Column<R> = column!(R, indicateur: Text, "indicateur", "Indicateur",
        ["code indicateur"], true, Code, Some(Choices::Indicateur),
        "Code de l'indicateur déclaratif (liste).");
    pub static ANNEE: Column<R> = column!(R, annee: Year, "annee", "Année", ["exercice"],
        true, Year, Some(Choices::Annee), "Année de la valeur (liste).");
    pub static VALEUR: Column<R> = column!(R, valeur: Decimal, "valeur", "Valeur",
        ["valeur déclarée", "réalisé"], true, Number, None,
        "Valeur réalisée dans l'année (nombre positif).");
    pub static PARC: Column<R> = column!(R, parc: Text, "parc", "Parc", ["code parc"], false,
        Code, Some(Choices::Parc), "Code du Parc concerné (facultatif).");
    pub static COMMENTAIRE: Column<R> = column!(R, commentaire: Text, "commentaire",
        "Commentaire", ["commentaires", "remarque", "observations"], false, Text, None,
        "Commentaire libre.");

    pub static ALL: [&Column<R>; 5] = [&INDICATEUR, &ANNEE, &VALEUR, &PARC, &COMMENTAIRE];
}

/// The specs of a sheet's columns, in order (the position is the column's index in typing).
pub fn specs(kind: SheetKind) -> &'static [&'static Spec] {
    static SPECS: OnceLock<[Vec<&'static Spec>; 3]> = OnceLock::new();
    let all = SPECS.get_or_init(|| {
        [
            convention::ALL.iter().map(|c| &c.spec).collect(),
            partner::ALL.iter().map(|c| &c.spec).collect(),
            indicator::ALL.iter().map(|c| &c.spec).collect(),
        ]
    });
    &all[kind as usize]
}

/// Every field of every row of a chunk, with the row's origin and the field's column, row
/// after row: for what looks at every column alike (required cells, wrong types).
pub fn fields(rows: &RowChunk) -> impl Iterator<Item = (Origin, &'static Spec, &dyn AnyField)> {
    fn of<'r, R>(
        records: &'r [R],
        columns: &'static [&'static Column<R>],
        origin: fn(&R) -> Origin,
    ) -> impl Iterator<Item = (Origin, &'static Spec, &'r dyn AnyField)> {
        records.iter().flat_map(move |r| {
            columns
                .iter()
                .map(move |column| (origin(r), &column.spec, (column.field)(r)))
        })
    }
    of(&rows.conventions, &convention::ALL, |c| c.origin)
        .chain(of(&rows.partners, &partner::ALL, |p| p.origin))
        .chain(of(&rows.indicators, &indicator::ALL, |v| v.origin))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_slot_fills_the_field_its_column_reads() {
        // A column whose slot and field named different fields would type one cell and
        // check another: fill each slot alone and see that its own field, and no other, moved.
        fn check<R: Default>(columns: &[&Column<R>]) {
            for (i, column) in columns.iter().enumerate() {
                let mut r = R::default();
                match (column.slot)(&mut r) {
                    Slot::Text(f) => f.col = Some(i as u16),
                    Slot::List(f) => f.col = Some(i as u16),
                    Slot::Date(f) => f.col = Some(i as u16),
                    Slot::Decimal(f) => f.col = Some(i as u16),
                    Slot::Year(f) => f.col = Some(i as u16),
                    Slot::Echelle(f) => f.col = Some(i as u16),
                    Slot::Statut(f) => f.col = Some(i as u16),
                    Slot::PartnerType(f) => f.col = Some(i as u16),
                }
                for (j, other) in columns.iter().enumerate() {
                    let expected = (i == j).then_some(i as u16);
                    assert_eq!((other.field)(&r).col(), expected, "{}", other.spec.name);
                }
            }
        }
        check(&convention::ALL);
        check(&partner::ALL);
        check(&indicator::ALL);
    }

    #[test]
    fn names_are_unique_within_a_sheet() {
        for kind in SheetKind::ALL {
            let mut seen = std::collections::HashSet::new();
            for spec in specs(kind) {
                assert!(seen.insert(spec.name), "{kind:?}: {} twice", spec.name);
            }
        }
    }
}
