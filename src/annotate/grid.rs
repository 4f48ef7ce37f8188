//! A sheet enrx adds to a copy (« Anomalies », « Vos chiffres »), described once, whatever
//! writes it: typed cells with a role that says how they look, column widths, a frozen header
//! and a filter.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::diagnostic::Severity;
use crate::text::french::round;

/// How a cell looks; each role is one cell style of the copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Plain text, wrapped, top-aligned.
    Text,
    /// The sheet's title.
    Title,
    /// A section title.
    Section,
    /// A line of explanation, in grey italics.
    Note,
    /// A table header: bold on grey, bordered below, wrapped.
    Header,
    /// A jump to a cell of the workbook: blue, underlined.
    Link,
    /// Euros with two decimals.
    Money,
    /// A whole number with thousands grouped.
    Count,
    /// A number with up to two decimals.
    Quantity,
    /// A percentage with one decimal (the value is a fraction: 0.5 is 50 %).
    Percent,
    Date,
    /// The severity column: bold on the fill of its severity.
    Severity(Severity),
}

impl Role {
    /// Every role, in the order their styles are added to a workbook.
    pub const ALL: [Role; 14] = [
        Role::Text,
        Role::Title,
        Role::Section,
        Role::Note,
        Role::Header,
        Role::Link,
        Role::Money,
        Role::Count,
        Role::Quantity,
        Role::Percent,
        Role::Date,
        Role::Severity(Severity::Erreur),
        Role::Severity(Severity::Avertissement),
        Role::Severity(Severity::Info),
    ];

    pub fn index(self) -> usize {
        Role::ALL.iter().position(|&r| r == self).unwrap_or(0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    /// Text that jumps to `target`, a reference such as `'Conventions'!E12`.
    Link {
        text: String,
        target: String,
    },
}

impl Value {
    /// An amount rounded half away from zero to the cent, as every output writes money.
    pub fn money(d: Decimal) -> Value {
        Value::Number(round(d, 2).to_f64().unwrap_or(0.0))
    }

    pub fn count(n: usize) -> Value {
        Value::Number(n as f64)
    }

    pub fn decimal(d: Decimal) -> Value {
        Value::Number(round(d, 4).to_f64().unwrap_or(0.0))
    }

    pub fn text(s: impl Into<String>) -> Value {
        Value::Text(s.into())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: Value,
    pub role: Role,
}

/// A sheet: rows from the first, cells from column A.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
    /// Widths of the first columns, in characters.
    pub widths: Vec<f64>,
    /// Rows kept in view when scrolling (the header's row number).
    pub frozen_rows: u32,
    /// A filter on a table: (first row, last row, columns), rows 1-based.
    pub filter: Option<(u32, u32, u16)>,
    /// Cells spanning the first `n` columns of their row: (row 1-based, n).
    pub spans: Vec<(u32, u16)>,
    /// Rows given a height, in points (spanning cells are not fitted by spreadsheets).
    pub heights: Vec<(u32, f64)>,
}

impl Grid {
    pub fn new(name: &str, widths: &[f64]) -> Self {
        Grid {
            name: name.to_string(),
            widths: widths.to_vec(),
            ..Default::default()
        }
    }

    /// Adds a row; returns its 1-based number. A row whose wrapped text needs more than one
    /// line is given its height: spreadsheets do not all fit rows to their text on opening.
    pub fn push(&mut self, cells: Vec<Cell>) -> u32 {
        let lines = cells
            .iter()
            .enumerate()
            .map(|(i, c)| self.lines(c, self.widths.get(i).copied().unwrap_or(8.43)))
            .fold(1.0, f64::max);
        self.rows.push(cells);
        let row = self.rows.len() as u32;
        if lines > 1.0 {
            self.heights.push((row, 15.0 * lines));
        }
        row
    }

    /// Lines a wrapped cell takes in a column `width` characters wide.
    fn lines(&self, c: &Cell, width: f64) -> f64 {
        let factor = match c.role {
            Role::Text | Role::Note => 0.8,
            Role::Header => 0.9,
            _ => return 1.0,
        };
        let Value::Text(t) = &c.value else {
            return 1.0;
        };
        t.split('\n')
            .map(|l| {
                (l.chars().count() as f64 * factor / (width - 1.0).max(1.0))
                    .ceil()
                    .max(1.0)
            })
            .sum()
    }

    /// A row of one cell spanning the whole width (titles and explanations).
    pub fn line(&mut self, text: impl Into<String>, role: Role) -> u32 {
        let text = text.into();
        let (line_height, char_width) = match role {
            Role::Title => (24.0, 1.5),
            Role::Section => (20.0, 1.2),
            _ => (15.0, 1.0),
        };
        let room: f64 = self.widths.iter().sum::<f64>().max(10.0);
        let lines = text
            .split('\n')
            .map(|l| {
                (l.chars().count() as f64 * char_width * 1.05 / room)
                    .ceil()
                    .max(1.0)
            })
            .sum::<f64>();
        self.rows.push(vec![cell(Value::Text(text), role)]);
        let row = self.rows.len() as u32;
        self.spans.push((row, self.widths.len().max(1) as u16));
        self.heights.push((row, line_height * lines));
        row
    }

    pub fn blank(&mut self) {
        self.push(Vec::new());
    }

    /// A header row.
    pub fn header(&mut self, titles: &[&str]) -> u32 {
        self.push(
            titles
                .iter()
                .map(|t| cell(Value::text(*t), Role::Header))
                .collect(),
        )
    }

    pub fn width(&self) -> u16 {
        self.widths.len() as u16
    }
}

pub fn cell(value: Value, role: Role) -> Cell {
    Cell { value, role }
}

pub fn text(s: impl Into<String>) -> Cell {
    cell(Value::Text(s.into()), Role::Text)
}

/// `'Sheet name'!E12`: a reference to a cell of the workbook, the sheet name quoted.
pub fn reference(sheet: &str, cell: &str) -> String {
    format!("'{}'!{cell}", sheet.replace('\'', "''"))
}
