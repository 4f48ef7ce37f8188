//! Numbers and dates as French readers expect them: `1 234 567,89 €`, `87,5 %`, `01/02/2019`.
//! Thousands are separated by a narrow no-break space (U+202F), units by a no-break space, and
//! a negative number takes the minus sign (U+2212) of French typography, « −9 (−15,3 %) ». These
//! are for people (the PDF, messages): the CSV files write numbers their own way (`render::csv`),
//! with an ASCII hyphen, or Excel would read them as text.

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

const THIN: char = '\u{202f}';
const NBSP: char = '\u{a0}';
const MINUS: char = '\u{2212}';

/// Rounds half away from zero to `places` decimals (the only rounding money ever gets).
pub fn round(value: Decimal, places: u32) -> Decimal {
    value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(THIN);
        }
        out.push(c);
    }
    out
}

/// `value` with `places` decimals, a decimal comma and grouped thousands.
pub fn format_decimal(value: Decimal, places: u32) -> String {
    let rounded = round(value, places);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let text = format!("{:.*}", places as usize, rounded.abs());
    let (integer, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    if negative {
        out.push(MINUS);
    }
    out.push_str(&group_thousands(integer));
    if !fraction.is_empty() {
        out.push(',');
        out.push_str(fraction);
    }
    out
}

/// `1 234 567,89 €`
pub fn format_euros(value: Decimal) -> String {
    format!("{}{NBSP}€", format_decimal(value, 2))
}

/// `1 234 568 €`, for charts and key figures where cents are noise.
pub fn format_euros_rounded(value: Decimal) -> String {
    format!("{}{NBSP}€", format_decimal(value, 0))
}

pub fn format_integer(value: i64) -> String {
    format_decimal(Decimal::from(value), 0)
}

/// A quantity without trailing zeros: `12`, `12,5`.
pub fn format_quantity(value: Decimal) -> String {
    let rounded = round(value, 2).normalize();
    format_decimal(rounded, rounded.scale())
}

/// `87,5 %` from a ratio in percent.
pub fn format_percent(percent: Decimal) -> String {
    format!("{}{NBSP}%", format_decimal(percent, 1))
}

/// A unit after a quantity, agreed as French agrees it: below 2 (0, 1, 1,5) in the singular.
/// The referential gives units in the plural (`communes`, `journées d'échange`); the first
/// word loses its `s`. Symbols (`€`, `ha`) and words not ending in `s` stay as they are.
pub fn unit_for(quantity: Decimal, unit: &str) -> std::borrow::Cow<'_, str> {
    if quantity.abs() >= Decimal::TWO {
        return unit.into();
    }
    let end = unit.find(' ').unwrap_or(unit.len());
    let word = &unit[..end];
    let plural = word.chars().count() > 2
        && word.ends_with('s')
        && !word.ends_with("ss")
        && word.chars().all(char::is_alphabetic);
    if plural {
        format!("{}{}", &word[..word.len() - 1], &unit[end..]).into()
    } else {
        unit.into()
    }
}

/// `1 234 communes`, `1 commune`, `0 commune`: a quantity and its unit, agreed.
pub fn format_quantity_unit(quantity: Decimal, unit: &str) -> String {
    format!(
        "{} {}",
        format_quantity(quantity),
        unit_for(round(quantity, 2), unit)
    )
}

pub fn format_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// Why `jj/mm/aaaa` text is not a date, when it looks like one: a day the month does not have
/// (« le 29 février 2019 n'existe pas ») or the month first, as American software writes it.
pub fn why_not_a_date(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.trim().split(['/', '-', '.']).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    let number = |s: &str| {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|c| c.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (day, month, year) = (number(a)?, number(b)?, number(y)?);
    let year = if y.len() == 2 { 2000 + year } else { year };
    if (1..=12).contains(&month) && (1..=31).contains(&day) {
        let last = (28..=31)
            .rev()
            .find(|&d| NaiveDate::from_ymd_opt(year as i32, month, d).is_some())?;
        if day > last {
            let month_name = MONTHS[month as usize - 1];
            let leap = if month == 2 && day == 29 {
                format!(" ({year} n'est pas bissextile)")
            } else {
                String::new()
            };
            return Some(format!(
                "le {day} {month_name} {year} n'existe pas{leap} : le mois a {last} jours"
            ));
        }
        return None;
    }
    if month > 12 && (1..=12).contains(&day) && month <= 31 {
        let swapped = NaiveDate::from_ymd_opt(year as i32, day, month)?;
        return Some(format!(
            "le mois vient d'abord, comme dans un logiciel en anglais : vouliez-vous dire {} ? \
             (si tout le fichier est écrit ainsi, ses autres dates ont été lues le jour d'abord : \
             vérifiez-les)",
            format_date(swapped)
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_why_a_date_is_not_one() {
        assert_eq!(
            why_not_a_date("31/02/2019").as_deref(),
            Some("le 31 février 2019 n'existe pas : le mois a 28 jours")
        );
        assert_eq!(
            why_not_a_date("29/02/2019").as_deref(),
            Some(
                "le 29 février 2019 n'existe pas (2019 n'est pas bissextile) : le mois a 28 jours"
            )
        );
        assert_eq!(
            why_not_a_date("31/04/21").as_deref(),
            Some("le 31 avril 2021 n'existe pas : le mois a 30 jours")
        );
        assert_eq!(
            why_not_a_date("12/31/2019").as_deref(),
            Some(
                "le mois vient d'abord, comme dans un logiciel en anglais : vouliez-vous dire \
                 31/12/2019 ? (si tout le fichier est écrit ainsi, ses autres dates ont été lues \
                 le jour d'abord : vérifiez-les)"
            )
        );
        assert_eq!(why_not_a_date("29/02/2020"), None, "a date: nothing to say");
        assert_eq!(why_not_a_date("32/13/2020"), None);
        assert_eq!(why_not_a_date("demain"), None);
        assert_eq!(why_not_a_date("1/2"), None);
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn euros() {
        assert_eq!(
            format_euros(dec("1234567.891")),
            "1\u{202f}234\u{202f}567,89\u{a0}€"
        );
        assert_eq!(format_euros(dec("0.005")), "0,01\u{a0}€");
        assert_eq!(format_euros(dec("-0.005")), "\u{2212}0,01\u{a0}€");
        assert_eq!(format_euros(dec("-0.004")), "0,00\u{a0}€");
        assert_eq!(format_euros(dec("999")), "999,00\u{a0}€");
        assert_eq!(format_euros(dec("1000")), "1\u{202f}000,00\u{a0}€");
        assert_eq!(format_euros_rounded(dec("1234.5")), "1\u{202f}235\u{a0}€");
    }

    #[test]
    fn units_agree_with_their_quantity() {
        assert_eq!(format_quantity_unit(dec("0"), "communes"), "0 commune");
        assert_eq!(format_quantity_unit(dec("1"), "actions"), "1 action");
        assert_eq!(format_quantity_unit(dec("1.5"), "journées"), "1,5 journée");
        assert_eq!(format_quantity_unit(dec("2"), "journées"), "2 journées");
        assert_eq!(
            format_quantity_unit(dec("1"), "journées d'échange"),
            "1 journée d'échange"
        );
        assert_eq!(format_quantity_unit(dec("0"), "€"), "0 €");
        assert_eq!(format_quantity_unit(dec("1"), "ha"), "1 ha");
        assert_eq!(format_quantity_unit(dec("1"), "kWh"), "1 kWh");
        assert_eq!(format_quantity_unit(dec("1.999"), "communes"), "2 communes");
    }

    #[test]
    fn negative_numbers_take_the_minus_sign() {
        assert_eq!(format_integer(-9), "\u{2212}9");
        assert_eq!(format_percent(dec("-15.31")), "\u{2212}15,3\u{a0}%");
        assert_eq!(
            format_euros_rounded(dec("-1234.4")),
            "\u{2212}1\u{202f}234\u{a0}€"
        );
        assert_eq!(format_quantity(dec("-0.001")), "0", "no sign for a zero");
    }

    #[test]
    fn other_numbers() {
        assert_eq!(format_integer(1234567), "1\u{202f}234\u{202f}567");
        assert_eq!(format_percent(dec("87.54")), "87,5\u{a0}%");
        assert_eq!(format_quantity(dec("12.50")), "12,5");
        assert_eq!(format_quantity(dec("1500")), "1\u{202f}500");
        assert_eq!(
            format_date(NaiveDate::from_ymd_opt(2019, 2, 1).unwrap()),
            "01/02/2019"
        );
    }
}
