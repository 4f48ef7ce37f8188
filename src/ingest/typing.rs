//! One data row → one typed record. The field order follows the tables of `columns.rs`.

use super::cell::{self, Cell, ReadContext};
use crate::model::{
    Convention, Echelle, Field, IndicatorValue, Origin, Partner, PartnerType, Statut,
};

/// Where each known column sits in the sheet (index = position in the column table).
pub struct RowReader<'a> {
    pub columns: &'a [Option<u16>],
    pub row: &'a [Cell<'a>],
    pub ctx: ReadContext,
}

impl<'a> RowReader<'a> {
    fn cell(&self, i: usize) -> (Option<u16>, &Cell<'a>) {
        let col = self.columns.get(i).copied().flatten();
        let cell = col
            .and_then(|c| self.row.get(c as usize))
            .unwrap_or(&Cell::Empty);
        (col, cell)
    }

    fn field<T>(&self, i: usize, read: impl Fn(&Cell) -> crate::model::Parsed<T>) -> Field<T> {
        let (col, cell) = self.cell(i);
        Field::new(col, read(cell))
    }

    fn date(&self, i: usize) -> Field<chrono::NaiveDate> {
        let ctx = self.ctx;
        self.field(i, |c| cell::date(c, ctx))
    }
}

pub fn convention(r: &RowReader, origin: Origin) -> Convention {
    Convention {
        origin,
        id: r.field(0, cell::code),
        intitule: r.field(1, cell::text),
        echelle: r.field(2, |c| cell::word(c, Echelle::parse)),
        parc: r.field(3, cell::code),
        partenaires: r.field(4, cell::list),
        objectifs: r.field(5, cell::list),
        thematique: r.field(6, cell::text),
        programme: r.field(7, cell::code),
        date_signature: r.date(8),
        date_debut: r.date(9),
        date_fin: r.date(10),
        montant_total: r.field(11, cell::number),
        part_region: r.field(12, cell::number),
        part_europe: r.field(13, cell::number),
        part_autres: r.field(14, cell::number),
        statut: r.field(15, |c| cell::word(c, Statut::parse)),
        links: Default::default(),
    }
}

pub fn partner(r: &RowReader, origin: Origin) -> Partner {
    Partner {
        origin,
        id: r.field(0, cell::code),
        nom: r.field(1, cell::text),
        kind: r.field(2, |c| cell::word(c, PartnerType::parse)),
        siret: r.field(3, cell::code),
        rna: r.field(4, cell::code),
        code_postal: r.field(5, cell::code),
        commune: r.field(6, cell::text),
        email: r.field(7, cell::text),
        telephone: r.field(8, cell::code),
    }
}

pub fn indicator(r: &RowReader, origin: Origin) -> IndicatorValue {
    IndicatorValue {
        origin,
        indicateur: r.field(0, cell::code),
        annee: r.field(1, cell::year),
        valeur: r.field(2, cell::number),
        parc: r.field(3, cell::code),
        commentaire: r.field(4, cell::text),
    }
}
