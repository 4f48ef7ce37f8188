//! Every CSV the tool writes goes through here, so a dialect is set once (DESIGN §7):
//! `excel-fr` opens right in French Excel, `rfc4180` suits other programs.

use std::fmt::Write as _;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::text::french::round;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
pub enum Dialect {
    /// `;`, UTF-8 avec BOM, virgule décimale, dates jj/mm/aaaa (Excel en français)
    #[value(name = "excel-fr")]
    ExcelFr,
    /// `,`, UTF-8, point décimal, dates ISO (autres logiciels)
    #[value(name = "rfc4180")]
    Rfc4180,
}

/// A typed cell, written by the dialect's rules.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Integer(i64),
    /// Euros, rounded half away from zero to the cent when written.
    Money(Decimal),
    /// A quantity or a rate, rounded to `places` decimals when written.
    Number(Decimal, u32),
    /// A rate in percent (`75,0` for 75 %), one decimal when written; a percentage in a workbook.
    Percent(Decimal),
    /// A count or measure: at most two decimals, no trailing zeros (`10`, `7,5`).
    Quantity(Decimal),
    Date(NaiveDate),
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map(Into::into).unwrap_or(Value::Empty)
    }
}

/// A text cell starting like a formula is prefixed with `'` so Excel shows it as text
/// (CWE-1236); `-12` stays a number because numbers are never Text here.
fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\0') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// Appends `value` rounded to `places` decimals: no minus sign on a zero, the dialect's
/// decimal separator.
fn decimal_into(value: Decimal, places: u32, dialect: Dialect, out: &mut String) {
    let rounded = round(value, places);
    let start = out.len();
    let _ = write!(out, "{:.*}", places as usize, rounded);
    if rounded.is_zero() && out[start..].starts_with('-') {
        out.remove(start);
    }
    if dialect == Dialect::ExcelFr
        && let Some(dot) = out[start..].find('.')
    {
        out.replace_range(start + dot..start + dot + 1, ",");
    }
}

impl Dialect {
    /// The dialect's name as `--csv-dialect` takes it (`excel-fr`, `rfc4180`).
    pub fn name(self) -> &'static str {
        match self {
            Dialect::ExcelFr => "excel-fr",
            Dialect::Rfc4180 => "rfc4180",
        }
    }

    pub fn delimiter(self) -> u8 {
        match self {
            Dialect::ExcelFr => b';',
            Dialect::Rfc4180 => b',',
        }
    }

    pub fn render(self, value: &Value) -> String {
        let mut text = String::new();
        self.render_into(value, &mut text);
        text
    }

    /// Appends the value's text to `out`.
    pub fn render_into(self, value: &Value, out: &mut String) {
        match value {
            Value::Empty => {}
            Value::Text(t) => match self {
                Dialect::ExcelFr => out.push_str(&neutralise(t)),
                Dialect::Rfc4180 => out.push_str(t),
            },
            Value::Integer(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Money(m) => decimal_into(*m, 2, self, out),
            Value::Number(n, places) => decimal_into(*n, *places, self, out),
            Value::Percent(p) => decimal_into(*p, 1, self, out),
            Value::Quantity(q) => {
                let q = round(*q, 2).normalize();
                decimal_into(q, q.scale(), self, out)
            }
            Value::Date(d) => {
                let format = match self {
                    Dialect::ExcelFr => "%d/%m/%Y",
                    Dialect::Rfc4180 => "%Y-%m-%d",
                };
                let _ = write!(out, "{}", d.format(format));
            }
        }
    }
}

/// A CSV table that could not be written.
#[derive(Debug, thiserror::Error)]
#[error("écriture du CSV impossible ({0})")]
pub struct CsvError(#[from] csv::Error);

/// Writes a header row and rows; the bytes are complete or the error is returned.
pub fn write_table(
    dialect: Dialect,
    headers: &[&str],
    rows: &[Vec<Value>],
) -> Result<Vec<u8>, CsvError> {
    write_rows(dialect, headers, |write| {
        rows.iter().try_for_each(|row| write(row))
    })
}

/// Writes a header row, then each row `rows` gives to the writer it is handed, as it comes:
/// the rows need not be kept. The bytes are complete or the error is returned.
pub fn write_rows(
    dialect: Dialect,
    headers: &[&str],
    rows: impl FnOnce(&mut dyn FnMut(&[Value]) -> Result<(), CsvError>) -> Result<(), CsvError>,
) -> Result<Vec<u8>, CsvError> {
    write_rows_to(Vec::new(), dialect, headers, rows)
}

/// [`write_rows`] into `out` (a file, for a long table), given back when written.
pub fn write_rows_to<W: std::io::Write>(
    mut out: W,
    dialect: Dialect,
    headers: &[&str],
    rows: impl FnOnce(&mut dyn FnMut(&[Value]) -> Result<(), CsvError>) -> Result<(), CsvError>,
) -> Result<W, CsvError> {
    if dialect == Dialect::ExcelFr {
        out.write_all("\u{feff}".as_bytes())
            .map_err(|e| CsvError(e.into()))?;
    }
    let mut writer = csv::WriterBuilder::new()
        .delimiter(dialect.delimiter())
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(out);
    writer.write_record(headers)?;
    // One buffer for every cell: a cell is rendered into it, then written.
    let mut cell = String::new();
    rows(&mut |row: &[Value]| {
        for value in row {
            cell.clear();
            dialect.render_into(value, &mut cell);
            writer.write_field(cell.as_bytes())?;
        }
        writer.write_record(None::<&[u8]>)?;
        Ok(())
    })?;
    writer
        .into_inner()
        .map_err(|e| CsvError(e.into_error().into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_fr_dialect() {
        let bytes = write_table(
            Dialect::ExcelFr,
            &["a", "b", "c", "d"],
            &[vec![
                Value::Text("=HYPERLINK(\"x\")".into()),
                Value::Money("1234.565".parse().unwrap()),
                Value::Date(NaiveDate::from_ymd_opt(2019, 2, 1).unwrap()),
                Value::Text("a;b".into()),
            ]],
        )
        .unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "\u{feff}a;b;c;d\r\n\"'=HYPERLINK(\"\"x\"\")\";1234,57;01/02/2019;\"a;b\"\r\n"
        );
    }

    #[test]
    fn names_are_the_command_line_s() {
        use clap::ValueEnum;
        for d in Dialect::value_variants() {
            let value = d.to_possible_value().expect("a value");
            assert_eq!(d.name(), value.get_name());
        }
    }

    #[test]
    fn rfc4180_dialect() {
        let bytes = write_table(
            Dialect::Rfc4180,
            &["a", "b", "c"],
            &[vec![
                Value::Text("-x".into()),
                Value::Money("-0.004".parse().unwrap()),
                Value::Number("87.55".parse().unwrap(), 1),
            ]],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "a,b,c\r\n-x,0.00,87.6\r\n"
        );
    }
}
