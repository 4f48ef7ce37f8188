//! A typed cell's value whatever its type: what `diff` compares. Two submissions that typed
//! the same data differently (a date cell or « 01/02/2019 », `12000` or « 12 000,00 € »)
//! give equal values.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::field::{Field, Parsed};
use super::vocab::{Echelle, PartnerType, Statut};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum CellValue {
    Empty,
    /// A cell that could not be read, as it was written.
    Invalid(String),
    Text(String),
    /// Codes of a list, sorted: their order in the cell carries no meaning.
    List(Vec<String>),
    Date(NaiveDate),
    Decimal(Decimal),
    Year(i32),
    /// A vocabulary word, by its label.
    Word(&'static str),
}

/// A value a field may hold.
pub trait ToCellValue {
    fn to_cell_value(&self) -> CellValue;
}

impl ToCellValue for String {
    fn to_cell_value(&self) -> CellValue {
        CellValue::Text(self.clone())
    }
}

impl ToCellValue for super::Text {
    fn to_cell_value(&self) -> CellValue {
        CellValue::Text(self.to_string())
    }
}

impl ToCellValue for Vec<super::Text> {
    fn to_cell_value(&self) -> CellValue {
        let mut codes: Vec<String> = self.iter().map(|c| c.to_string()).collect();
        codes.sort();
        codes.dedup();
        CellValue::List(codes)
    }
}

impl ToCellValue for NaiveDate {
    fn to_cell_value(&self) -> CellValue {
        CellValue::Date(*self)
    }
}

impl ToCellValue for Decimal {
    fn to_cell_value(&self) -> CellValue {
        // 12000 and 12000.00 are one amount.
        CellValue::Decimal(self.normalize())
    }
}

impl ToCellValue for i32 {
    fn to_cell_value(&self) -> CellValue {
        CellValue::Year(*self)
    }
}

impl ToCellValue for Echelle {
    fn to_cell_value(&self) -> CellValue {
        CellValue::Word(self.label())
    }
}

impl ToCellValue for Statut {
    fn to_cell_value(&self) -> CellValue {
        CellValue::Word(self.label())
    }
}

impl ToCellValue for PartnerType {
    fn to_cell_value(&self) -> CellValue {
        CellValue::Word(self.label())
    }
}

impl<T: ToCellValue> Field<T> {
    pub fn cell_value(&self) -> CellValue {
        match &self.parsed {
            Parsed::Empty => CellValue::Empty,
            Parsed::Ok(v) => v.to_cell_value(),
            Parsed::Invalid(inv) => CellValue::Invalid(inv.raw.clone()),
        }
    }
}

/// JSON: null, a string (text, invalid cell, ISO date, word), an array of codes, a number.
impl serde::Serialize for CellValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use rust_decimal::prelude::ToPrimitive;
        match self {
            CellValue::Empty => s.serialize_none(),
            CellValue::Invalid(t) | CellValue::Text(t) => s.serialize_str(t),
            CellValue::List(items) => items.serialize(s),
            CellValue::Date(d) => s.serialize_str(&d.format("%Y-%m-%d").to_string()),
            CellValue::Decimal(v) => s.serialize_f64(v.to_f64().unwrap_or_default()),
            CellValue::Year(y) => s.serialize_i32(*y),
            CellValue::Word(w) => s.serialize_str(w),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_data_typed_otherwise_is_the_same_value() {
        let amount = |s: &str| Field::new(Some(0), Parsed::Ok(s.parse::<Decimal>().unwrap()));
        assert_eq!(
            amount("12000").cell_value(),
            amount("12000.00").cell_value()
        );
        let list = |v: &[&str]| {
            Field::new(
                Some(0),
                Parsed::Ok(
                    v.iter()
                        .map(|&s| super::super::Text::from(s))
                        .collect::<Vec<_>>(),
                ),
            )
        };
        assert_eq!(
            list(&["P-2", "P-1"]).cell_value(),
            list(&["P-1", "P-2"]).cell_value()
        );
        assert_ne!(
            list(&["P-1"]).cell_value(),
            list(&["P-1", "P-2"]).cell_value()
        );
    }
}
