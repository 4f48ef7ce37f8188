//! The three kinds of rows users submit (DESIGN §3).

use chrono::NaiveDate;
use compact_str::CompactString;
use rust_decimal::Decimal;

use super::dataset::SheetId;
use super::field::{Field, Text};
use super::referential::Referential;
use super::vocab::{Echelle, PartnerType, Statut};

/// Where a record was read: its sheet and its Excel row number. A sheet holds one kind of
/// record and a row one record, so an origin is also the record's identity: diagnostics name
/// the record they exclude from the figures by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Origin {
    pub sheet: SheetId,
    pub row: u32,
}

#[derive(Debug, Clone, Default)]
pub struct Convention {
    pub origin: Origin,
    pub id: Field<Text>,
    pub intitule: Field<Text>,
    pub echelle: Field<Echelle>,
    pub parc: Field<Text>,
    pub partenaires: Field<Vec<Text>>,
    pub objectifs: Field<Vec<Text>>,
    pub thematique: Field<Text>,
    pub programme: Field<Text>,
    pub date_signature: Field<NaiveDate>,
    pub date_debut: Field<NaiveDate>,
    pub date_fin: Field<NaiveDate>,
    pub montant_total: Field<Decimal>,
    pub part_region: Field<Decimal>,
    pub part_europe: Field<Decimal>,
    pub part_autres: Field<Decimal>,
    pub statut: Field<Statut>,
    /// References resolved against the referential when the row is read.
    pub links: ConventionLinks,
}

/// A convention's references to the referential, resolved once so checks and figures agree.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConventionLinks {
    /// Index of the parc in the referential (16 bits: a million rows keep one each).
    parc: Option<u16>,
    /// The objectives of the referential the row names.
    pub objectifs: ObjectiveSet,
    /// Index of the programme in the referential.
    programme: Option<u16>,
}

impl ConventionLinks {
    pub fn resolve(c: &Convention, referential: &Referential) -> Self {
        let mut objectifs = ObjectiveSet::default();
        for o in c.objectifs.get().into_iter().flatten() {
            if let Some(i) = referential.find_objective(o) {
                objectifs.insert(i);
            }
        }
        let index = |i: usize| u16::try_from(i).ok();
        ConventionLinks {
            parc: c
                .parc
                .text()
                .and_then(|p| referential.find_parc(p))
                .and_then(index),
            objectifs,
            programme: c
                .programme
                .text()
                .and_then(|p| referential.find_programme(p))
                .and_then(index),
        }
    }

    /// Index of the parc in the referential.
    pub fn parc(&self) -> Option<usize> {
        self.parc.map(usize::from)
    }

    /// Index of the programme in the referential.
    pub fn programme(&self) -> Option<usize> {
        self.programme.map(usize::from)
    }
}

/// A set of objectives of the referential, as bits: 8 bytes a row instead of a list (the
/// referential holds at most `ObjectiveSet::CAPACITY` objectives).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ObjectiveSet(u64);

impl ObjectiveSet {
    pub const CAPACITY: usize = 64;

    pub fn insert(&mut self, objective: usize) {
        if objective < Self::CAPACITY {
            self.0 |= 1 << objective;
        }
    }

    pub fn contains(&self, objective: &usize) -> bool {
        *objective < Self::CAPACITY && self.0 & (1 << objective) != 0
    }

    pub fn len(&self) -> usize {
        self.0.count_ones() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// The objectives in the referential's order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        (0..Self::CAPACITY).filter(|o| self.contains(o))
    }
}

/// What the checks across rows and the figures read of a convention. Every row keeps one
/// (a million fit in about 200 MB); the full row is dropped once its own checks have run,
/// unless the report needs it for its lists.
#[derive(Debug, Clone, Default)]
pub struct ConventionCore {
    pub origin: Origin,
    pub id: Option<CompactString>,
    pub id_col: Option<u16>,
    /// The partner ids as written, one per line (ids hold no line break: lists are split on them).
    partner_ids: CompactString,
    pub partners_col: Option<u16>,
    pub echelle: Option<Echelle>,
    pub statut: Option<Statut>,
    pub date_debut: Option<NaiveDate>,
    pub date_fin: Option<NaiveDate>,
    /// Amounts; an empty or unreadable cell counts as zero.
    pub montant_total: Decimal,
    pub part_region: Decimal,
    pub part_europe: Decimal,
    pub part_autres: Decimal,
    pub links: ConventionLinks,
    /// The known partners, resolved by `DataSet::link` once every file is read: read them
    /// with `DataSet::partners_of`.
    pub partners: PartnerLinks,
}

/// Where a convention's partners sit in `DataSet::partner_links`: one shared list instead of
/// a small vector in each row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PartnerLinks {
    pub start: u32,
    pub len: u32,
}

impl ConventionCore {
    pub fn of(c: &Convention) -> Self {
        let amount = |f: &Field<Decimal>| f.value().unwrap_or_default();
        let mut partner_ids = CompactString::default();
        for id in c.partenaires.get().into_iter().flatten() {
            if !partner_ids.is_empty() {
                partner_ids.push('\n');
            }
            partner_ids.push_str(id);
        }
        ConventionCore {
            origin: c.origin,
            id: c.id.text().map(CompactString::from),
            id_col: c.id.col,
            partner_ids,
            partners_col: c.partenaires.col,
            echelle: c.echelle.value(),
            statut: c.statut.value(),
            date_debut: c.date_debut.value(),
            date_fin: c.date_fin.value(),
            montant_total: amount(&c.montant_total),
            part_region: amount(&c.part_region),
            part_europe: amount(&c.part_europe),
            part_autres: amount(&c.part_autres),
            links: c.links.clone(),
            partners: PartnerLinks::default(),
        }
    }

    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// Takes what `from` read in the column named `column` (the contract's name): a merged
    /// cell is the value of every row it covers, known only once their cores are kept.
    /// Columns no core keeps (intitulé, date de signature…) change nothing.
    pub fn copy_column(&mut self, from: &ConventionCore, column: &str) {
        use super::schema::convention as c;
        if column == c::ID.name() {
            self.id.clone_from(&from.id);
        } else if column == c::ECHELLE.name() {
            self.echelle = from.echelle;
        } else if column == c::PARC.name() {
            self.links.parc = from.links.parc;
        } else if column == c::PARTENAIRES.name() {
            self.partner_ids.clone_from(&from.partner_ids);
        } else if column == c::OBJECTIFS.name() {
            self.links.objectifs = from.links.objectifs;
        } else if column == c::PROGRAMME.name() {
            self.links.programme = from.links.programme;
        } else if column == c::DATE_DEBUT.name() {
            self.date_debut = from.date_debut;
        } else if column == c::DATE_FIN.name() {
            self.date_fin = from.date_fin;
        } else if column == c::MONTANT_TOTAL.name() {
            self.montant_total = from.montant_total;
        } else if column == c::PART_REGION.name() {
            self.part_region = from.part_region;
        } else if column == c::PART_EUROPE.name() {
            self.part_europe = from.part_europe;
        } else if column == c::PART_AUTRES.name() {
            self.part_autres = from.part_autres;
        } else if column == c::STATUT.name() {
            self.statut = from.statut;
        }
    }

    /// The partner ids as written in the row.
    pub fn partner_ids(&self) -> impl Iterator<Item = &str> {
        self.partner_ids.split('\n').filter(|s| !s.is_empty())
    }
}

#[derive(Debug, Clone, Default)]
pub struct Partner {
    pub origin: Origin,
    pub id: Field<Text>,
    pub nom: Field<Text>,
    pub kind: Field<PartnerType>,
    pub siret: Field<Text>,
    pub rna: Field<Text>,
    pub code_postal: Field<Text>,
    pub commune: Field<Text>,
    pub email: Field<Text>,
    pub telephone: Field<Text>,
}

/// The texts of a convention only the report's lists show, kept apart from the core so that
/// `validate` need not hold them.
#[derive(Debug, Clone, Default)]
pub struct ConventionTexts {
    pub intitule: CompactString,
    pub thematique: CompactString,
}

impl ConventionTexts {
    pub fn of(c: &Convention) -> Self {
        let text = |f: &Field<Text>| f.text().map(CompactString::from).unwrap_or_default();
        ConventionTexts {
            intitule: text(&c.intitule),
            thematique: text(&c.thematique),
        }
    }
}

/// What the checks across rows and the figures read of a partner.
#[derive(Debug, Clone, Default)]
pub struct PartnerCore {
    pub origin: Origin,
    pub id: Option<CompactString>,
    pub id_col: Option<u16>,
    pub kind: Option<PartnerType>,
    pub siret: Option<CompactString>,
    pub siret_col: Option<u16>,
    /// Its name, folded and hashed (`name_key`): a convention that cites a partner by name
    /// instead of id is told which id to write (R002), without keeping every name.
    pub name_key: Option<std::num::NonZeroU64>,
}

impl PartnerCore {
    pub fn of(p: &Partner) -> Self {
        PartnerCore {
            origin: p.origin,
            id: p.id.text().map(CompactString::from),
            id_col: p.id.col,
            kind: p.kind.value(),
            siret: p.siret.text().map(CompactString::from),
            siret_col: p.siret.col,
            name_key: p.nom.text().map(name_key),
        }
    }

    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// Takes what `from` read in the column named `column` (see `ConventionCore::copy_column`).
    pub fn copy_column(&mut self, from: &PartnerCore, column: &str) {
        use super::schema::partner as p;
        if column == p::ID.name() {
            self.id.clone_from(&from.id);
        } else if column == p::TYPE.name() {
            self.kind = from.kind;
        } else if column == p::SIRET.name() {
            self.siret.clone_from(&from.siret);
        } else if column == p::NOM.name() {
            self.name_key = from.name_key;
        }
    }
}

/// A partner's name as `PartnerCore::name_key` keeps it: folded (case, accents, spaces), hashed.
pub fn name_key(name: &str) -> std::num::NonZeroU64 {
    use std::hash::BuildHasher;
    let hash = rustc_hash::FxBuildHasher.hash_one(crate::text::fold(name));
    std::num::NonZeroU64::new(hash).unwrap_or(std::num::NonZeroU64::MIN)
}

#[derive(Debug, Clone, Default)]
pub struct IndicatorValue {
    pub origin: Origin,
    pub indicateur: Field<Text>,
    pub annee: Field<i32>,
    pub valeur: Field<Decimal>,
    pub parc: Field<Text>,
    pub commentaire: Field<Text>,
}

impl IndicatorValue {
    /// Takes what `from` read in the column named `column` (see `ConventionCore::copy_column`).
    pub fn copy_column(&mut self, from: &IndicatorValue, column: &str) {
        use super::schema::indicator as i;
        if column == i::INDICATEUR.name() {
            self.indicateur.clone_from(&from.indicateur);
        } else if column == i::ANNEE.name() {
            self.annee.clone_from(&from.annee);
        } else if column == i::VALEUR.name() {
            self.valeur.clone_from(&from.valeur);
        } else if column == i::PARC.name() {
            self.parc.clone_from(&from.parc);
        } else if column == i::COMMENTAIRE.name() {
            self.commentaire.clone_from(&from.commentaire);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objective_sets_count_and_list_in_the_referential_order() {
        let mut set = ObjectiveSet::default();
        assert!(set.is_empty());
        for o in [2, 0, 2, 63] {
            set.insert(o);
        }
        assert_eq!(set.len(), 3);
        assert!(set.contains(&0) && set.contains(&63) && !set.contains(&1));
        assert!(!set.contains(&64) && !set.contains(&usize::MAX));
        assert_eq!(set.iter().collect::<Vec<_>>(), [0, 2, 63]);
    }

    /// A million conventions are kept as cores (issue « Fast at any size »: a million-row CSV
    /// in under 300 MB): every 8 bytes here weigh 8 MB over a million rows.
    #[test]
    fn a_convention_core_stays_small() {
        assert!(std::mem::size_of::<ConventionCore>() <= 168);
        assert!(std::mem::size_of::<PartnerCore>() <= 80);
    }
}
