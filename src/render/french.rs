//! French number and date formatting for everything the user reads (PDF report, messages).
//!
//! Conventions (Imprimerie nationale, as Excel and LibreOffice in `fr-FR` show them):
//! - thousands grouped by a narrow no-break space U+202F: `1 234 567`;
//! - decimal comma: `1 234,5`;
//! - a no-break space U+00A0 before the unit: `12,50 €`, `87,5 %`;
//! - dates `dd/mm/yyyy`;
//! - money rounded half away from zero to the cent, only when written (DESIGN §6).
//!
//! The no-break spaces matter: the PDF layout never breaks a line at them, so an amount
//! is never split over two lines.

use chrono::NaiveDate;
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

/// Narrow no-break space, the French thousands separator.
pub const THOUSANDS_SEPARATOR: char = '\u{202F}';
/// No-break space, between a number and its unit (`€`, `%`).
pub const UNIT_SPACE: char = '\u{A0}';
/// Written for a value that cannot be shown (`NaN`, infinite, out of range).
pub const NOT_AVAILABLE: &str = "n.d.";

/// `1234567.891` → `1 234 567,89 €` (U+202F between groups, U+00A0 before `€`).
pub fn format_euros(amount: Decimal) -> String {
    let mut text = format_decimal(amount, 2);
    text.push(UNIT_SPACE);
    text.push('€');
    text
}

/// `-1234567` → `-1 234 567`.
pub fn format_integer(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut text = String::with_capacity(digits.len() + digits.len() / 3 * 3 + 1);
    if value < 0 {
        text.push('-');
    }
    push_grouped(&mut text, &digits);
    text
}

/// `value` rounded half away from zero to `places` decimals, always written with exactly
/// `places` decimals: `format_decimal(1234.5, 2)` → `1 234,50`. Zero after rounding has
/// no sign (`-0.001` → `0,00`).
pub fn format_decimal(value: Decimal, places: u32) -> String {
    // Decimal keeps at most 28 decimals; asking for more only pads with zeros.
    let kept = places.min(28);
    let mut rounded = value.round_dp_with_strategy(kept, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(kept);
    if rounded.is_zero() {
        rounded.set_sign_positive(true);
    }
    // `Decimal`'s Display writes `-1234.50` for a value rescaled to 2: split it there.
    let plain = rounded.to_string();
    let (negative, unsigned) = match plain.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, plain.as_str()),
    };
    let (int_part, frac_part) = unsigned.split_once('.').unwrap_or((unsigned, ""));

    let mut text = String::with_capacity(plain.len() + int_part.len() + places as usize + 2);
    if negative {
        text.push('-');
    }
    push_grouped(&mut text, int_part);
    if places > 0 {
        text.push(',');
        text.push_str(frac_part);
        for _ in frac_part.len()..places as usize {
            text.push('0');
        }
    }
    text
}

/// A value already in percent (not a ratio), one decimal: `87.5` → `87,5 %`,
/// `100` → `100,0 %` (U+00A0 before `%`).
pub fn format_percent(percent: Decimal) -> String {
    let mut text = format_decimal(percent, 1);
    text.push(UNIT_SPACE);
    text.push('%');
    text
}

/// [`format_percent`] for an `f64` percentage; `NaN`, infinities and values beyond the
/// decimal range give `n.d.`.
pub fn format_percent_f64(percent: f64) -> String {
    match Decimal::from_f64(percent) {
        Some(value) if percent.is_finite() => format_percent(value),
        _ => NOT_AVAILABLE.to_string(),
    }
}

/// `2024-03-01` → `01/03/2024`.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Appends ASCII `digits` to `out` with a U+202F between groups of three, from the right.
fn push_grouped(out: &mut String, digits: &str) {
    let len = digits.len();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (len - index).is_multiple_of(3) {
            out.push(THOUSANDS_SEPARATOR);
        }
        out.push(digit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).expect("valid decimal literal in test")
    }

    /// Makes the invisible separators visible: U+202F → `_`, U+00A0 → `~`.
    fn shown(text: &str) -> String {
        text.replace('\u{202F}', "_").replace('\u{A0}', "~")
    }

    #[test]
    fn euros_group_thousands_and_round_half_away_from_zero() {
        assert_eq!(shown(&format_euros(dec("1234567.89"))), "1_234_567,89~€");
        assert_eq!(shown(&format_euros(dec("0"))), "0,00~€");
        assert_eq!(shown(&format_euros(dec("12.5"))), "12,50~€");
        assert_eq!(shown(&format_euros(dec("999.995"))), "1_000,00~€");
        assert_eq!(shown(&format_euros(dec("0.005"))), "0,01~€");
        assert_eq!(shown(&format_euros(dec("0.015"))), "0,02~€");
        assert_eq!(shown(&format_euros(dec("2.675"))), "2,68~€");
        assert_eq!(shown(&format_euros(dec("-0.005"))), "-0,01~€");
        assert_eq!(shown(&format_euros(dec("-1234.564"))), "-1_234,56~€");
        assert_eq!(shown(&format_euros(dec("-0.004"))), "0,00~€");
        assert_eq!(shown(&format_euros(dec("100000"))), "100_000,00~€");
    }

    #[test]
    fn euros_at_the_extremes_of_decimal() {
        let text = format_euros(Decimal::MAX);
        assert!(text.starts_with("79\u{202F}228\u{202F}162"), "{text}");
        assert!(text.ends_with(",00\u{A0}€"), "{text}");
        assert!(format_euros(Decimal::MIN).starts_with("-79\u{202F}228"));
    }

    #[test]
    fn integers() {
        assert_eq!(shown(&format_integer(0)), "0");
        assert_eq!(shown(&format_integer(999)), "999");
        assert_eq!(shown(&format_integer(1000)), "1_000");
        assert_eq!(shown(&format_integer(-1234567)), "-1_234_567");
        assert_eq!(
            shown(&format_integer(i64::MIN)),
            "-9_223_372_036_854_775_808"
        );
        assert_eq!(
            shown(&format_integer(i64::MAX)),
            "9_223_372_036_854_775_807"
        );
    }

    #[test]
    fn decimals_have_exactly_the_places_asked() {
        assert_eq!(shown(&format_decimal(dec("1234.5"), 2)), "1_234,50");
        assert_eq!(shown(&format_decimal(dec("1234.5"), 0)), "1_235");
        assert_eq!(shown(&format_decimal(dec("-1234.5"), 0)), "-1_235");
        assert_eq!(shown(&format_decimal(dec("0.125"), 2)), "0,13");
        assert_eq!(shown(&format_decimal(dec("7"), 3)), "7,000");
        assert_eq!(format_decimal(dec("1.5"), 30).len(), "1,".len() + 30);
    }

    #[test]
    fn percents() {
        assert_eq!(shown(&format_percent(dec("87.5"))), "87,5~%");
        assert_eq!(shown(&format_percent(dec("100"))), "100,0~%");
        assert_eq!(shown(&format_percent(dec("1234.56"))), "1_234,6~%");
        assert_eq!(shown(&format_percent(dec("0.05"))), "0,1~%");
        assert_eq!(shown(&format_percent_f64(87.5)), "87,5~%");
        assert_eq!(shown(&format_percent_f64(-12.25)), "-12,3~%");
        assert_eq!(format_percent_f64(f64::NAN), "n.d.");
        assert_eq!(format_percent_f64(f64::INFINITY), "n.d.");
        assert_eq!(format_percent_f64(1e300), "n.d.");
    }

    #[test]
    fn dates() {
        let date = NaiveDate::from_ymd_opt(2024, 3, 1).expect("valid date");
        assert_eq!(format_date(date), "01/03/2024");
        let date = NaiveDate::from_ymd_opt(987, 12, 31).expect("valid date");
        assert_eq!(format_date(date), "31/12/0987");
    }
}
