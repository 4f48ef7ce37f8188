//! One data row → one typed record: each column of the schema reads its cell into its slot.

use super::cell::{self, Cell, ReadContext};
use crate::model::schema::{self, Column, ColumnKind, Slot};
use crate::model::{
    Convention, Echelle, Field, IndicatorValue, Origin, Partner, PartnerType, Statut,
};

/// Where each known column sits in the sheet (index = position in the schema's column list).
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

    /// Types the row's cell of the `i`-th column into the record.
    fn fill<R>(&self, i: usize, column: &Column<R>, record: &mut R) {
        let (col, c) = self.cell(i);
        match (column.slot)(record) {
            Slot::Text(f) if column.spec.kind == ColumnKind::Text => {
                *f = Field::new(col, cell::text(c))
            }
            Slot::Text(f) => *f = Field::new(col, cell::code(c)),
            Slot::List(f) => *f = Field::new(col, cell::list(c)),
            Slot::Date(f) => *f = Field::new(col, cell::date(c, self.ctx)),
            Slot::Decimal(f) => *f = Field::new(col, cell::number(c)),
            Slot::Year(f) => *f = Field::new(col, cell::year(c)),
            Slot::Echelle(f) => *f = Field::new(col, cell::word(c, Echelle::parse)),
            Slot::Statut(f) => *f = Field::new(col, cell::word(c, Statut::parse)),
            Slot::PartnerType(f) => *f = Field::new(col, cell::word(c, PartnerType::parse)),
        }
    }

    fn record<R: Default>(&self, columns: &[&Column<R>]) -> R {
        let mut record = R::default();
        for (i, column) in columns.iter().enumerate() {
            self.fill(i, column, &mut record);
        }
        record
    }
}

pub fn convention(r: &RowReader, origin: Origin) -> Convention {
    Convention {
        origin,
        ..r.record(&schema::convention::ALL)
    }
}

pub fn partner(r: &RowReader, origin: Origin) -> Partner {
    Partner {
        origin,
        ..r.record(&schema::partner::ALL)
    }
}

pub fn indicator(r: &RowReader, origin: Origin) -> IndicatorValue {
    IndicatorValue {
        origin,
        ..r.record(&schema::indicator::ALL)
    }
}
