//! Day counts and annualised amounts (DESIGN §6): inclusive counts, leap years as they fall.

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Days from `start` to `end`, both included (0 when `end` is before `start`).
pub fn days_inclusive(start: NaiveDate, end: NaiveDate) -> i64 {
    ((end - start).num_days() + 1).max(0)
}

pub fn year_bounds(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((
        NaiveDate::from_ymd_opt(year, 1, 1)?,
        NaiveDate::from_ymd_opt(year, 12, 31)?,
    ))
}

/// Days of [start, end] inside [from, to], both counts inclusive.
pub fn overlap_days(start: NaiveDate, end: NaiveDate, from: NaiveDate, to: NaiveDate) -> i64 {
    days_inclusive(start.max(from), end.min(to))
}

/// Whether [start, end] meets [from, to].
pub fn meets(start: NaiveDate, end: NaiveDate, from: NaiveDate, to: NaiveDate) -> bool {
    start <= to && end >= from && start <= end
}

/// `amount × (days of the period inside the window) / (days of the period)`, kept exact
/// (no rounding here: amounts are rounded to the cent only when written).
pub fn annualise(
    amount: Decimal,
    start: NaiveDate,
    end: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
) -> Decimal {
    let total = days_inclusive(start, end);
    if total == 0 {
        return Decimal::ZERO;
    }
    let inside = overlap_days(start, end, from, to);
    if inside == total {
        return amount;
    }
    amount * Decimal::from(inside) / Decimal::from(total)
}

/// The amount of `year` for a convention over [start, end].
pub fn annualise_year(amount: Decimal, start: NaiveDate, end: NaiveDate, year: i32) -> Decimal {
    match year_bounds(year) {
        Some((from, to)) => annualise(amount, start, end, from, to),
        None => Decimal::ZERO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn inclusive_counts_with_leap_years() {
        assert_eq!(days_inclusive(d("2020-01-01"), d("2020-12-31")), 366);
        assert_eq!(days_inclusive(d("2019-01-01"), d("2019-12-31")), 365);
        assert_eq!(days_inclusive(d("2019-03-01"), d("2019-03-01")), 1);
        assert_eq!(days_inclusive(d("2019-03-02"), d("2019-03-01")), 0);
    }

    #[test]
    fn annualised_across_a_leap_year() {
        // 2019-07-01 .. 2020-06-30: 184 days in 2019, 182 in 2020 (29 February included), 366 in all.
        let (start, end) = (d("2019-07-01"), d("2020-06-30"));
        let amount: Decimal = "36600".parse().unwrap();
        assert_eq!(
            annualise_year(amount, start, end, 2019),
            Decimal::from(18400)
        );
        assert_eq!(
            annualise_year(amount, start, end, 2020),
            Decimal::from(18200)
        );
        assert_eq!(annualise_year(amount, start, end, 2021), Decimal::ZERO);
    }

    #[test]
    fn whole_amount_when_inside() {
        let amount: Decimal = "1000.01".parse().unwrap();
        assert_eq!(
            annualise_year(amount, d("2019-02-01"), d("2019-03-01"), 2019),
            amount
        );
    }
}
