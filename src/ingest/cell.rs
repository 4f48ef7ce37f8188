//! Cell values as people type them, read into the types the columns need (DESIGN §3).
//!
//! Every function here is total: a value that cannot be read is `Parsed::Invalid` with the
//! raw text, never a panic and never a silent guess.

use std::borrow::Cow;
use std::str::FromStr;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use crate::model::{Parsed, Problem, Text};
use crate::text::trim;

/// One cell as a reader delivers it, before typing.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(Cow<'a, str>),
    Number(f64),
    Bool(bool),
    /// A cell with a date number format: an Excel serial number in its workbook's epoch.
    Date {
        serial: f64,
        is_1904: bool,
    },
    /// A date written as ISO 8601 by the file format itself (ODS).
    DateIso(Cow<'a, str>),
    /// A formula error such as `#REF!`.
    Error(Cow<'a, str>),
    /// A formula whose value was never computed (a file written by a script): the formula,
    /// as shown (`=SUM(L3:L4)`).
    FormulaWithoutValue(Cow<'a, str>),
}

impl Cell<'_> {
    pub fn into_owned(self) -> Cell<'static> {
        match self {
            Cell::Empty => Cell::Empty,
            Cell::Text(t) => Cell::Text(Cow::Owned(t.into_owned())),
            Cell::Number(n) => Cell::Number(n),
            Cell::Bool(b) => Cell::Bool(b),
            Cell::Date { serial, is_1904 } => Cell::Date { serial, is_1904 },
            Cell::DateIso(t) => Cell::DateIso(Cow::Owned(t.into_owned())),
            Cell::Error(t) => Cell::Error(Cow::Owned(t.into_owned())),
            Cell::FormulaWithoutValue(f) => Cell::FormulaWithoutValue(Cow::Owned(f.into_owned())),
        }
    }

    /// Blank, or text made only of spaces.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => trim(t).is_empty(),
            _ => false,
        }
    }

    /// The cell as the user would read it on screen, for messages.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => trim(t).to_string(),
            Cell::Number(n) => number_text(*n),
            Cell::Bool(b) => if *b { "VRAI" } else { "FAUX" }.to_string(),
            Cell::Date { serial, is_1904 } => match serial_to_date(*serial, *is_1904) {
                Some(d) => d.format("%d/%m/%Y").to_string(),
                None => number_text(*serial),
            },
            Cell::DateIso(t) | Cell::Error(t) | Cell::FormulaWithoutValue(t) => t.to_string(),
        }
    }
}

/// Context a cell is read in: the workbook's date system, for bare serial numbers.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadContext {
    pub is_1904: bool,
}

fn invalid<T>(cell: &Cell, expected: &'static str) -> Parsed<T> {
    match cell {
        Cell::Error(e) => Parsed::invalid(e.to_string(), Problem::FormulaError),
        Cell::FormulaWithoutValue(f) => {
            Parsed::invalid(f.to_string(), Problem::FormulaWithoutValue)
        }
        _ => Parsed::invalid(cell.display(), Problem::WrongType { expected }),
    }
}

/// A number written without exponent nor trailing `.0`, as Excel shows an integer.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e17 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Free text (titles, names, comments).
pub fn text(cell: &Cell) -> Parsed<Text> {
    match cell {
        Cell::Empty => Parsed::Empty,
        Cell::Error(_) | Cell::FormulaWithoutValue(_) => invalid(cell, "du texte"),
        // Copied once, from the cell as it was read.
        Cell::Text(t) => match trim(t) {
            "" => Parsed::Empty,
            t => Parsed::Ok(Text::from(t)),
        },
        _ => {
            let s = cell.display();
            if s.is_empty() {
                Parsed::Empty
            } else {
                Parsed::Ok(Text::from(s))
            }
        }
    }
}

/// A code kept as text (ids, SIRET, postal code): a number cell gives its digits, never `1.2E+13`.
pub fn code(cell: &Cell) -> Parsed<Text> {
    text(cell)
}

/// A list of codes separated by `;` or `,` (or line breaks).
pub fn list(cell: &Cell) -> Parsed<Vec<Text>> {
    let text = match cell {
        // Split in place: no copy of the whole cell first.
        Cell::Text(t) => Parsed::Ok(Cow::Borrowed(trim(t))),
        _ => match text(cell) {
            Parsed::Ok(s) => Parsed::Ok(Cow::Owned(s.into_string())),
            Parsed::Empty => Parsed::Empty,
            Parsed::Invalid(inv) => Parsed::Invalid(inv),
        },
    };
    match text {
        Parsed::Ok(s) => {
            let items: Vec<Text> = s
                .split([';', ',', '\n', '\r'])
                .map(trim)
                .filter(|x| !x.is_empty())
                .map(Text::from)
                .collect();
            if items.is_empty() {
                Parsed::Empty
            } else {
                Parsed::Ok(items)
            }
        }
        Parsed::Empty => Parsed::Empty,
        Parsed::Invalid(inv) => Parsed::Invalid(inv),
    }
}

/// A word of a closed vocabulary.
pub fn word<T>(cell: &Cell, parse: impl Fn(&str) -> Option<T>) -> Parsed<T> {
    if let Cell::Text(t) = cell {
        // Read in place: a copy only for a word that is not in the vocabulary.
        let t = trim(t);
        return match parse(t) {
            _ if t.is_empty() => Parsed::Empty,
            Some(v) => Parsed::Ok(v),
            None => Parsed::invalid(t.to_string(), Problem::NotInVocabulary),
        };
    }
    match text(cell) {
        Parsed::Ok(s) => match parse(&s) {
            Some(v) => Parsed::Ok(v),
            None => Parsed::invalid(s, Problem::NotInVocabulary),
        },
        Parsed::Empty => Parsed::Empty,
        Parsed::Invalid(inv) => Parsed::Invalid(inv),
    }
}

const EXPECTED_DATE: &str = "une date (jj/mm/aaaa)";
const EXPECTED_NUMBER: &str = "un nombre (par ex. 1 234,50)";
const EXPECTED_YEAR: &str = "une année (aaaa)";

/// A date: a date cell, an Excel serial number, `dd/mm/yyyy` (day first), or ISO `yyyy-mm-dd`.
pub fn date(cell: &Cell, ctx: ReadContext) -> Parsed<NaiveDate> {
    let parsed = match cell {
        Cell::Empty => return Parsed::Empty,
        Cell::Date { serial, is_1904 } => serial_to_date(*serial, *is_1904),
        // A bare year typed in a date column is not a serial number of 1905.
        Cell::Number(n) if (1900.0..=2100.0).contains(n) && n.fract() == 0.0 => None,
        Cell::Number(n) => serial_to_date(*n, ctx.is_1904),
        Cell::Text(t) | Cell::DateIso(t) => {
            let t = trim(t);
            if t.is_empty() {
                return Parsed::Empty;
            }
            date_text(t, ctx)
        }
        Cell::Bool(_) | Cell::Error(_) | Cell::FormulaWithoutValue(_) => None,
    };
    match parsed {
        Some(d) => Parsed::Ok(d),
        None => invalid(cell, EXPECTED_DATE),
    }
}

/// Converts an Excel serial number (days, with a fraction for the time of day).
/// The 1900 system counts a nonexistent 29/02/1900 (serial 60), which is refused.
pub fn serial_to_date(serial: f64, is_1904: bool) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as u64;
    if is_1904 {
        NaiveDate::from_ymd_opt(1904, 1, 1)?.checked_add_days(Days::new(days))
    } else if days == 60 {
        None
    } else if days < 60 {
        NaiveDate::from_ymd_opt(1899, 12, 31)?.checked_add_days(Days::new(days))
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(days))
    }
}

fn date_text(t: &str, ctx: ReadContext) -> Option<NaiveDate> {
    if let Some(date) = plain_date(t.as_bytes()) {
        return date;
    }
    if t.chars().any(char::is_alphabetic)
        && let Some(d) = date_in_words(t)
    {
        return Some(d);
    }
    // Drop a time part: `01/02/2019 00:00`, `2019-02-01T00:00:00`.
    let day_part = t.split(['T', ' ']).next().unwrap_or(t);
    let parts: Vec<&str> = day_part.split(['/', '-', '.']).collect();
    if let [a, b, c] = parts.as_slice() {
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !(all_digits(a) && all_digits(b) && all_digits(c)) {
            return None;
        }
        let (y, m, d) = if a.len() == 4 {
            (a.parse().ok()?, b.parse().ok()?, c.parse().ok()?)
        } else if c.len() == 4 || c.len() == 2 {
            let year: i32 = c.parse().ok()?;
            let year = if c.len() == 2 { 2000 + year } else { year };
            (year, b.parse().ok()?, a.parse().ok()?)
        } else {
            return None;
        };
        return NaiveDate::from_ymd_opt(y, m, d);
    }
    // A serial number exported as text.
    if parts.len() == 1 && day_part.bytes().all(|b| b.is_ascii_digit()) && day_part.len() == 5 {
        return serial_to_date(day_part.parse().ok()?, ctx.is_1904);
    }
    None
}

/// `jj/mm/aaaa` and `aaaa-mm-jj`, as nearly every date cell of a CSV file is typed, read
/// straight from the bytes: `Some(date or None)` for those shapes (an impossible date is
/// `Some(None)`, as the general path reads it), `None` for any other text.
fn plain_date(b: &[u8]) -> Option<Option<NaiveDate>> {
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    if b.len() != 10 {
        return None;
    }
    let (y, m, d) = match (b[2], b[4], b[5], b[7]) {
        (_, sep, _, sep2) if sep == sep2 && matches!(sep, b'-' | b'/' | b'.') => {
            (digits(0..4)?, digits(5..7)?, digits(8..10)?)
        }
        (sep, _, sep2, _) if sep == sep2 && matches!(sep, b'-' | b'/' | b'.') => {
            (digits(6..10)?, digits(3..5)?, digits(0..2)?)
        }
        _ => return None,
    };
    Some(NaiveDate::from_ymd_opt(y as i32, m, d))
}

/// The French months, folded (lower case, no accents), full and as people abbreviate them
/// (Excel's `mmm`: janv., févr., mars, avr., mai, juin, juil., août, sept., oct., nov., déc.).
const MONTHS: [&[&str]; 12] = [
    &["janvier", "janv", "jan"],
    &["fevrier", "fevr", "fev"],
    &["mars"],
    &["avril", "avr"],
    &["mai"],
    &["juin"],
    &["juillet", "juil"],
    &["aout"],
    &["septembre", "sept", "sep"],
    &["octobre", "oct"],
    &["novembre", "nov"],
    &["decembre", "dec"],
];

const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

/// A date written with its month in words: `1er février 2019`, `15 mars 2020`, `15-mars-20`
/// (French Excel's `j-mmm-aa` in a CSV), `3 sept. 2021`, `03-févr.-2021`, a weekday before it
/// allowed (`lundi 15 mars 2020`). A two-digit year is 20xx, as elsewhere. A month without a
/// day (`février 2019`) is not a date.
fn date_in_words(t: &str) -> Option<NaiveDate> {
    let folded = crate::text::fold_words(t);
    let mut words: Vec<&str> = folded
        .split([' ', '-', '/', '.', ','])
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() == 4 && WEEKDAYS.contains(&words[0]) {
        words.remove(0);
    }
    let [day, month, year] = words.as_slice() else {
        return None;
    };
    let day = day.strip_suffix("er").filter(|d| *d == "1").unwrap_or(day);
    let digits =
        |s: &str, lens: &[usize]| lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(day, &[1, 2]) || !digits(year, &[2, 4]) {
        return None;
    }
    let month = MONTHS.iter().position(|names| names.contains(month))? as u32 + 1;
    let mut y: i32 = year.parse().ok()?;
    if year.len() == 2 {
        y += 2000;
    }
    NaiveDate::from_ymd_opt(y, month, day.parse().ok()?)
}

/// A number: a number cell or French text such as `1 234,50 €`, `1234.5`, `12 %`.
pub fn number(cell: &Cell) -> Parsed<Decimal> {
    let parsed = match cell {
        Cell::Empty => return Parsed::Empty,
        Cell::Number(n) => decimal_from_f64(*n),
        Cell::Text(t) => {
            let t = trim(t);
            if t.is_empty() {
                return Parsed::Empty;
            }
            number_text_fr(t)
        }
        _ => None,
    };
    match parsed {
        Some(d) => Parsed::Ok(d),
        None => invalid(cell, EXPECTED_NUMBER),
    }
}

/// A year, as a number or text.
pub fn year(cell: &Cell) -> Parsed<i32> {
    let parsed = match number(cell) {
        Parsed::Empty => return Parsed::Empty,
        Parsed::Ok(d) if d.fract().is_zero() => i32::try_from(d.mantissa() / 10i128.pow(d.scale()))
            .ok()
            .filter(|y| (1000..=9999).contains(y)),
        _ => None,
    };
    match parsed {
        Some(y) => Parsed::Ok(y),
        None => invalid(cell, EXPECTED_YEAR),
    }
}

/// The shortest decimal that reads back as the same double (`0.1`, not `0.1000000000000000055`).
pub fn decimal_from_f64(n: f64) -> Option<Decimal> {
    if !n.is_finite() {
        return None;
    }
    // A whole amount (most are) is its integer: `{n}` would print the same digits.
    if n.fract() == 0.0 && n.abs() < 1e15 {
        return Some(Decimal::from(n as i64));
    }
    let s = format!("{n}");
    Decimal::from_str(&s)
        .or_else(|_| Decimal::from_scientific(&s))
        .ok()
}

/// Reads French and plain numbers: spaces (also U+00A0, U+202F) as thousands separators,
/// comma or point as decimal separator, a trailing `€`/`EUR`/`%`, a leading minus.
pub fn number_text_fr(t: &str) -> Option<Decimal> {
    if let Some(d) = plain_decimal(t.as_bytes()) {
        return Some(d);
    }
    let mut s: String = t
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\''))
        .collect();
    for suffix in ["€", "EUR", "eur", "euros", "%"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.to_string();
            break;
        }
    }
    // « €12,000.00 », as English-language software writes an amount.
    if let Some(rest) = s.strip_prefix('€') {
        s = rest.to_string();
    }
    let s = s.replace('\u{2212}', "-");
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.as_str()),
    };
    if body.is_empty()
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
    {
        return body_scientific(body).map(|d| if negative { -d } else { d });
    }
    let commas = body.matches(',').count();
    let points = body.matches('.').count();
    let normalised = match (commas, points) {
        (0, 0) | (0, 1) => body.to_string(),
        (1, 0) => body.replace(',', "."),
        // Both: the last separator is the decimal one.
        (_, _) if commas > 0 && points > 0 => {
            let last_comma = body.rfind(',')?;
            let last_point = body.rfind('.')?;
            let (thousands, decimal) = if last_comma > last_point {
                ('.', ',')
            } else {
                (',', '.')
            };
            if body.matches(decimal).count() != 1 || !thousands_grouped(body, thousands, decimal) {
                return None;
            }
            body.replace(thousands, "").replace(decimal, ".")
        }
        // Only repeated separators: thousands groups (`1.234.567`).
        (c, p) => {
            let sep = if c > 1 { ',' } else { '.' };
            if p > 0 && c > 0 || !thousands_grouped(body, sep, ' ') {
                return None;
            }
            body.replace(sep, "")
        }
    };
    let d = Decimal::from_str(&normalised).ok()?;
    Some(if negative { -d } else { d })
}

/// Most amounts are typed plainly: digits, at most one `,` or `.` between digits, up to 18
/// digits in all. Read at once, to the same value and scale the general path gives
/// (`1234,50` is 1234.50).
fn plain_decimal(bytes: &[u8]) -> Option<Decimal> {
    const MAX_DIGITS: usize = 18;
    let (mut mantissa, mut digits, mut scale) = (0i64, 0usize, None::<u32>);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + i64::from(b - b'0');
                digits += 1;
                if let Some(s) = scale.as_mut() {
                    *s += 1;
                }
            }
            b',' | b'.' if scale.is_none() && i > 0 && i + 1 < bytes.len() => scale = Some(0),
            _ => return None,
        }
        if digits > MAX_DIGITS {
            return None;
        }
    }
    (digits > 0).then(|| Decimal::new(mantissa, scale.unwrap_or(0)))
}

fn body_scientific(body: &str) -> Option<Decimal> {
    if body.contains(['e', 'E']) {
        Decimal::from_scientific(&body.replace(',', ".")).ok()
    } else {
        None
    }
}

/// `1.234.567,5`: groups after the first are exactly three digits long.
fn thousands_grouped(body: &str, sep: char, decimal: char) -> bool {
    let integer = body.split(decimal).next().unwrap_or(body);
    let mut groups = integer.split(sep);
    let first_ok = groups.next().is_some_and(|g| (1..=3).contains(&g.len()));
    first_ok && groups.all(|g| g.len() == 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell<'static> {
        Cell::Text(Cow::Owned(s.to_string()))
    }
    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    const CTX: ReadContext = ReadContext { is_1904: false };

    #[test]
    fn plain_numbers_keep_their_value_and_scale() {
        // The value and the scale `Decimal::from_str` gives the same digits with a point.
        for (text, read) in [
            ("0", "0"),
            ("7", "7"),
            ("007", "7"),
            ("15350", "15350"),
            ("1234,50", "1234.50"),
            ("1234.5", "1234.5"),
            ("0,05", "0.05"),
            ("1,234", "1.234"),
            ("999999999999999999", "999999999999999999"),
        ] {
            let fast = plain_decimal(text.as_bytes()).expect(text);
            assert_eq!(fast.to_string(), read, "{text}");
            assert_eq!(fast.scale(), dec(read).scale(), "{text}");
        }
        // Anything else goes the general way.
        for text in [
            "1 234",
            "12,",
            ",5",
            "1,2,3",
            "1.234,5",
            "-5",
            "1234567890123456789",
            "",
        ] {
            assert_eq!(plain_decimal(text.as_bytes()), None, "{text}");
        }
        assert_eq!(
            number(&t("1234567890123456789")),
            Parsed::Ok(dec("1234567890123456789"))
        );
        assert_eq!(number(&t("1.234,5")), Parsed::Ok(dec("1234.5")));
    }

    #[test]
    fn whole_numbers_from_cells_read_as_their_text() {
        for n in [
            0.0,
            -0.0,
            1.0,
            15350.0,
            -42.0,
            999_999_999_999_999.0,
            1e15,
            12.5,
            0.1,
        ] {
            let through_text = Decimal::from_str(&format!("{n}")).unwrap();
            let read = decimal_from_f64(n).unwrap();
            assert_eq!(read, through_text, "{n}");
            assert_eq!(read.to_string(), through_text.to_string(), "{n}");
        }
    }

    #[test]
    fn plain_dates_read_as_the_general_path_reads_them() {
        let ctx = CTX;
        assert_eq!(plain_date(b"01/02/2019"), Some(Some(d(2019, 2, 1))));
        assert_eq!(plain_date(b"2019-02-01"), Some(Some(d(2019, 2, 1))));
        assert_eq!(plain_date(b"01.02.2019"), Some(Some(d(2019, 2, 1))));
        assert_eq!(
            plain_date(b"31/02/2019"),
            Some(None),
            "an impossible date stays one"
        );
        assert_eq!(plain_date(b"29/02/2020"), Some(Some(d(2020, 2, 29))));
        // Other shapes go the general way, which reads them as before.
        for text in [
            "01/02-2019",
            "1/2/2019",
            "01/02/19",
            "15 mars 2020",
            "43500",
            "2019-2-1",
        ] {
            assert_eq!(plain_date(text.as_bytes()), None, "{text}");
        }
        assert_eq!(date_text("01/02-2019", ctx), Some(d(2019, 2, 1)));
        assert_eq!(date_text("1/2/2019", ctx), Some(d(2019, 2, 1)));
        assert_eq!(date_text("ab/cd/efgh", ctx), None);
    }

    #[test]
    fn french_numbers() {
        assert_eq!(number(&t("1 234,50 €")), Parsed::Ok(dec("1234.50")));
        assert_eq!(
            number(&t("1\u{a0}234,50\u{a0}€")),
            Parsed::Ok(dec("1234.50"))
        );
        assert_eq!(
            number(&t("1\u{202f}234\u{202f}567,89")),
            Parsed::Ok(dec("1234567.89"))
        );
        assert_eq!(number(&t("1234.5")), Parsed::Ok(dec("1234.5")));
        assert_eq!(number(&t("12 %")), Parsed::Ok(dec("12")));
        assert_eq!(number(&t("€12,000.50")), Parsed::Ok(dec("12000.50")));
        assert_eq!(number(&t("€ 12 000")), Parsed::Ok(dec("12000")));
        assert!(matches!(number(&t("€€12")), Parsed::Invalid { .. }));
        assert_eq!(number(&t("-250")), Parsed::Ok(dec("-250")));
        assert_eq!(number(&t("1.234.567,5")), Parsed::Ok(dec("1234567.5")));
        assert_eq!(number(&t("1,234,567.5")), Parsed::Ok(dec("1234567.5")));
        assert_eq!(number(&t("2 000 EUR")), Parsed::Ok(dec("2000")));
        assert_eq!(number(&Cell::Number(0.1)), Parsed::Ok(dec("0.1")));
        assert_eq!(number(&Cell::Empty), Parsed::Empty);
        for bad in ["douze", "1,2,3,4", "12,5,3", "1.2,3.4", "€", "--3"] {
            assert!(matches!(number(&t(bad)), Parsed::Invalid(_)), "{bad}");
        }
    }

    #[test]
    fn dates_as_people_type_them() {
        assert_eq!(date(&t("01/02/2019"), CTX), Parsed::Ok(d(2019, 2, 1)));
        assert_eq!(date(&t("1/2/2019"), CTX), Parsed::Ok(d(2019, 2, 1)));
        assert_eq!(date(&t("2019-02-01"), CTX), Parsed::Ok(d(2019, 2, 1)));
        assert_eq!(
            date(&t("2019-02-01T00:00:00"), CTX),
            Parsed::Ok(d(2019, 2, 1))
        );
        assert_eq!(date(&t("01/02/2019 00:00"), CTX), Parsed::Ok(d(2019, 2, 1)));
        assert_eq!(date(&t("01.02.19"), CTX), Parsed::Ok(d(2019, 2, 1)));
        assert!(matches!(date(&t("31/02/2019"), CTX), Parsed::Invalid(_)));
        assert!(matches!(date(&t("demain"), CTX), Parsed::Invalid(_)));
        assert!(matches!(
            date(&Cell::Number(2019.0), CTX),
            Parsed::Invalid(_)
        ));
    }

    #[test]
    fn dates_in_words() {
        for (text, expected) in [
            ("1er février 2019", d(2019, 2, 1)),
            ("1ER FÉVRIER 2019", d(2019, 2, 1)),
            ("1 fevrier 2019", d(2019, 2, 1)),
            ("15 mars 2020", d(2020, 3, 15)),
            ("15-mars-20", d(2020, 3, 15)),
            ("3 sept. 2021", d(2021, 9, 3)),
            ("03-févr.-2021", d(2021, 2, 3)),
            ("3-févr.-21", d(2021, 2, 3)),
            ("12 janv. 2019", d(2019, 1, 12)),
            ("12 janvier 2019", d(2019, 1, 12)),
            ("30 avr. 2020", d(2020, 4, 30)),
            ("8 mai 2020", d(2020, 5, 8)),
            ("30 juin 2020", d(2020, 6, 30)),
            ("14 juil. 2020", d(2020, 7, 14)),
            ("14 juillet 2020", d(2020, 7, 14)),
            ("15 août 2020", d(2020, 8, 15)),
            ("15 AOUT 2020", d(2020, 8, 15)),
            ("1 oct 2020", d(2020, 10, 1)),
            ("11 novembre 2020", d(2020, 11, 11)),
            ("31 déc. 2021", d(2021, 12, 31)),
            ("31 decembre 2021", d(2021, 12, 31)),
            ("31\u{a0}décembre\u{a0}2021", d(2021, 12, 31)),
            ("lundi 15 mars 2021", d(2021, 3, 15)),
        ] {
            assert_eq!(date(&t(text), CTX), Parsed::Ok(expected), "{text}");
        }
        for not_a_day in [
            "février 2019",
            "fevr.-19",
            "31 février 2019",
            "15 mars",
            "2er mars 2020",
            "15 brumaire 2020",
            "15 mars 202",
            "mars 15 2020",
            "le 15 mars 2020 environ",
            "lundi",
        ] {
            assert!(
                matches!(date(&t(not_a_day), CTX), Parsed::Invalid(_)),
                "{not_a_day}"
            );
        }
    }

    #[test]
    fn excel_serials_in_both_date_systems() {
        // 43497 is 01/02/2019 in the 1900 system, 1462 days less in the 1904 one.
        assert_eq!(serial_to_date(43497.0, false), Some(d(2019, 2, 1)));
        assert_eq!(serial_to_date(43497.0 - 1462.0, true), Some(d(2019, 2, 1)));
        assert_eq!(serial_to_date(1.0, false), Some(d(1900, 1, 1)));
        assert_eq!(serial_to_date(59.0, false), Some(d(1900, 2, 28)));
        assert_eq!(
            serial_to_date(60.0, false),
            None,
            "Excel's phantom 29/02/1900"
        );
        assert_eq!(serial_to_date(61.0, false), Some(d(1900, 3, 1)));
        assert_eq!(serial_to_date(f64::NAN, false), None);
        assert_eq!(serial_to_date(-3.0, false), None);
        assert_eq!(
            date(&Cell::Number(43497.25), CTX),
            Parsed::Ok(d(2019, 2, 1))
        );
        let in_1904 = ReadContext { is_1904: true };
        assert_eq!(
            date(&Cell::Number(42035.0), in_1904),
            Parsed::Ok(d(2019, 2, 1))
        );
    }

    #[test]
    fn codes_keep_their_digits() {
        assert_eq!(
            code(&Cell::Number(12345678901234.0)),
            Parsed::Ok("12345678901234".into())
        );
        assert_eq!(code(&Cell::Number(2100.0)), Parsed::Ok("2100".into()));
        assert_eq!(code(&t(" 02100 ")), Parsed::Ok("02100".into()));
    }

    #[test]
    fn formula_errors_are_reported_not_read() {
        let e = Cell::Error(Cow::Borrowed("#REF!"));
        assert_eq!(number(&e), Parsed::invalid("#REF!", Problem::FormulaError));
        assert!(matches!(
            text(&e),
            Parsed::Invalid(i) if i.problem == Problem::FormulaError
        ));
    }

    #[test]
    fn formulas_without_value_are_not_read_as_empty() {
        fn problem<T>(p: Parsed<T>) -> Option<(String, Problem)> {
            match p {
                Parsed::Invalid(i) => Some((i.raw, i.problem)),
                _ => None,
            }
        }
        let f = Cell::FormulaWithoutValue(Cow::Borrowed("=SUM(L3:L4)"));
        assert!(!f.is_blank());
        let expected = Some(("=SUM(L3:L4)".to_string(), Problem::FormulaWithoutValue));
        assert_eq!(problem(number(&f)), expected);
        assert_eq!(problem(text(&f)), expected);
        assert_eq!(problem(date(&f, CTX)), expected);
        assert_eq!(problem(list(&f)), expected);
        assert_eq!(problem(year(&f)), expected);
    }

    #[test]
    fn lists_split_on_semicolons_and_commas() {
        assert_eq!(
            list(&t("P-0001; P-0002,P-0003;")),
            Parsed::Ok(vec!["P-0001".into(), "P-0002".into(), "P-0003".into()])
        );
        assert_eq!(list(&t(" ; ")), Parsed::Empty);
        assert_eq!(list(&Cell::Number(1.0)), Parsed::Ok(vec!["1".into()]));
    }

    #[test]
    fn years() {
        assert_eq!(year(&Cell::Number(2020.0)), Parsed::Ok(2020));
        assert_eq!(year(&t("2020")), Parsed::Ok(2020));
        assert!(matches!(year(&t("2020,5")), Parsed::Invalid(_)));
        assert!(matches!(year(&t("20")), Parsed::Invalid(_)));
    }
}
