//! One typed cell of a record, with where it came from and what went wrong with it.

/// Why a cell could not be read as the type its column needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// Not a date, not a number, … (`expected` is French, e.g. « une date »).
    WrongType { expected: &'static str },
    /// A formula error cell such as `#REF!`.
    FormulaError,
    /// A word outside a closed vocabulary (échelle, statut, type).
    NotInVocabulary,
    /// A formula whose value was never computed: treated as missing (V009, and V001 when the
    /// cell is required).
    FormulaWithoutValue,
}

/// The parsed content of a cell.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Parsed<T> {
    /// The column is absent from the sheet, or the cell is blank.
    #[default]
    Empty,
    Ok(T),
    /// Boxed: bad cells are rare, and a small `Parsed` keeps a million rows in less memory.
    Invalid(Box<Invalid>),
}

/// A cell that could not be read: what was in it and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    pub raw: String,
    pub problem: Problem,
}

impl<T> Parsed<T> {
    pub fn invalid(raw: impl Into<String>, problem: Problem) -> Self {
        Parsed::Invalid(Box::new(Invalid {
            raw: raw.into(),
            problem,
        }))
    }
}

/// A typed cell and its column (0-based), `None` when the sheet has no such column.
#[derive(Debug, Clone, PartialEq)]
pub struct Field<T> {
    pub col: Option<u16>,
    pub parsed: Parsed<T>,
}

impl<T> Default for Field<T> {
    fn default() -> Self {
        Field {
            col: None,
            parsed: Parsed::Empty,
        }
    }
}

impl<T> Field<T> {
    pub fn new(col: Option<u16>, parsed: Parsed<T>) -> Self {
        Field { col, parsed }
    }

    /// The value when it was read correctly.
    pub fn get(&self) -> Option<&T> {
        match &self.parsed {
            Parsed::Ok(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self.parsed, Parsed::Empty)
    }

    /// The column exists in the sheet, so an empty cell is the user's to fill.
    pub fn has_column(&self) -> bool {
        self.col.is_some()
    }
}

impl<T: Copy> Field<T> {
    pub fn value(&self) -> Option<T> {
        self.get().copied()
    }
}

/// A cell's text: up to 24 bytes (a code, an id, a parc, a SIRET) it lives inline, without
/// an allocation — most cells of a row are such.
pub type Text = compact_str::CompactString;

impl Field<Text> {
    pub fn text(&self) -> Option<&str> {
        self.get().map(Text::as_str)
    }
}

/// A field seen without its type, for what looks at every column alike (required cells,
/// wrong types, the schema).
pub trait AnyField {
    fn col(&self) -> Option<u16>;
    fn is_empty(&self) -> bool;
    /// The raw text and the problem of a cell that could not be read.
    fn invalid(&self) -> Option<(&str, &Problem)>;
    /// The value, whatever its type.
    fn value(&self) -> super::value::CellValue;
}

impl<T: super::value::ToCellValue> AnyField for Field<T> {
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
    fn value(&self) -> super::value::CellValue {
        self.cell_value()
    }
}
