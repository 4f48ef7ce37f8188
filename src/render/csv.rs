//! Every CSV the tool writes goes through here, so a dialect is set once (DESIGN §7):
//! `excel-fr` opens right in French Excel, `rfc4180` suits other programs.

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

fn decimal_text(value: Decimal, places: u32, dialect: Dialect) -> String {
    let text = format!("{:.*}", places as usize, round(value, places));
    let text = if text.starts_with('-') && round(value, places).is_zero() {
        text[1..].to_string()
    } else {
        text
    };
    match dialect {
        Dialect::ExcelFr => text.replace('.', ","),
        Dialect::Rfc4180 => text,
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
        match value {
            Value::Empty => String::new(),
            Value::Text(t) => match self {
                Dialect::ExcelFr => neutralise(t).into_owned(),
                Dialect::Rfc4180 => t.clone(),
            },
            Value::Integer(i) => i.to_string(),
            Value::Money(m) => decimal_text(*m, 2, self),
            Value::Number(n, places) => decimal_text(*n, *places, self),
            Value::Percent(p) => decimal_text(*p, 1, self),
            Value::Quantity(q) => {
                let q = round(*q, 2).normalize();
                decimal_text(q, q.scale(), self)
            }
            Value::Date(d) => match self {
                Dialect::ExcelFr => d.format("%d/%m/%Y").to_string(),
                Dialect::Rfc4180 => d.format("%Y-%m-%d").to_string(),
            },
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
    let mut out = Vec::new();
    if dialect == Dialect::ExcelFr {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut writer = csv::WriterBuilder::new()
        .delimiter(dialect.delimiter())
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(out);
    writer.write_record(headers)?;
    for row in rows {
        writer.write_record(row.iter().map(|v| dialect.render(v)))?;
    }
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
