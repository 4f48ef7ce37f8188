//! French identifiers and contact formats (DOMAIN.md): SIREN/SIRET by Luhn with the La Poste
//! exception, RNA, postal code, e-mail, phone.

/// La Poste's SIREN: its establishments' SIRETs do not follow Luhn (digit sum multiple of 5).
const LA_POSTE_SIREN: &str = "356000000";

/// Digits of an identifier typed with spaces, dots or dashes; `None` if anything else is in it.
pub fn digits(s: &str) -> Option<String> {
    let kept: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '.' | '-'))
        .collect();
    (!kept.is_empty() && kept.bytes().all(|b| b.is_ascii_digit())).then_some(kept)
}

pub fn luhn(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        let mut d = (b - b'0') as u32;
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum.is_multiple_of(10)
}

#[derive(Debug, PartialEq)]
pub enum SiretProblem {
    NotDigits,
    /// « 2,28829E+13 »: a number Excel rounded to 6 digits when it saved the CSV.
    Scientific,
    Length(usize),
    /// Its digits, one short of a SIRET (or SIREN) that is valid with a `0` in front: the
    /// leading zero a number cell drops.
    LeadingZeroLost(String),
    Key,
}

/// A SIRET (14 digits) or SIREN (9 digits), spaces allowed; `22882937002827.0`, as a program
/// writes a number, is read as its digits.
pub fn check_siret(s: &str) -> Result<String, SiretProblem> {
    if is_scientific(s) {
        return Err(SiretProblem::Scientific);
    }
    let d = siret_digits(s).ok_or(SiretProblem::NotDigits)?;
    if matches!(d.len(), 8 | 13) {
        let padded = format!("0{d}");
        if check_siret(&padded).is_ok() {
            return Err(SiretProblem::LeadingZeroLost(padded));
        }
    }
    match d.len() {
        9 if luhn(&d) => Ok(d),
        14 if d.starts_with(LA_POSTE_SIREN) => {
            let sum: u32 = d.bytes().map(|b| (b - b'0') as u32).sum();
            if sum.is_multiple_of(5) {
                Ok(d)
            } else {
                Err(SiretProblem::Key)
            }
        }
        14 if luhn(&d) => Ok(d),
        9 | 14 => Err(SiretProblem::Key),
        n => Err(SiretProblem::Length(n)),
    }
}

/// The digits of a SIRET or SIREN as typed (spaces, dots) or as a program writes a number
/// (`22882937002827.0`).
pub fn siret_digits(s: &str) -> Option<String> {
    digits(without_zero_decimals(s))
}

/// « 2,28829E+13 », « 2.28829e13 »: a number in scientific notation.
fn is_scientific(s: &str) -> bool {
    let s = s.trim();
    let Some((mantissa, exponent)) = s.split_once(['E', 'e']) else {
        return false;
    };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let mantissa_ok = !mantissa.is_empty()
        && mantissa.bytes().any(|b| b.is_ascii_digit())
        && mantissa
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.');
    mantissa_ok && !exponent.is_empty() && exponent.bytes().all(|b| b.is_ascii_digit())
}

/// `22882937002827.0` → `22882937002827`: digits then only zeros after a decimal point.
fn without_zero_decimals(s: &str) -> &str {
    let s = s.trim();
    match s.rsplit_once(['.', ',']) {
        Some((whole, zeros))
            if !zeros.is_empty()
                && zeros.bytes().all(|b| b == b'0')
                && !whole.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit()) =>
        {
            whole
        }
        _ => s,
    }
}

/// RNA number of an association: `W` and 9 digits.
pub fn is_rna(s: &str) -> bool {
    let s = s.trim();
    let mut chars = s.chars();
    matches!(chars.next(), Some('W' | 'w')) && s.len() == 10 && chars.all(|c| c.is_ascii_digit())
}

#[derive(Debug, PartialEq)]
pub enum PostalProblem {
    LeadingZeroLost,
    Invalid,
}

pub fn check_postal_code(s: &str) -> Result<(), PostalProblem> {
    let s = s.trim();
    let all_digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match (all_digits, s.len()) {
        (true, 5) => Ok(()),
        (true, 4) => Err(PostalProblem::LeadingZeroLost),
        _ => Err(PostalProblem::Invalid),
    }
}

pub fn is_email(s: &str) -> bool {
    let s = s.trim();
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !s.contains(char::is_whitespace)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// French numbers `0X XX XX XX XX`, `+33 …`, `0033 …`; Belgian partners `+32 …`.
pub fn is_phone(s: &str) -> bool {
    let compact: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{a0}' | '\u{202f}'))
        .collect();
    let national = |rest: &str, lens: &[usize]| {
        rest.bytes().all(|b| b.is_ascii_digit()) && lens.contains(&rest.len())
    };
    if let Some(rest) = compact
        .strip_prefix("+33")
        .or_else(|| compact.strip_prefix("0033"))
    {
        return national(rest.strip_prefix('0').unwrap_or(rest), &[9]);
    }
    if let Some(rest) = compact
        .strip_prefix("+32")
        .or_else(|| compact.strip_prefix("0032"))
    {
        return national(rest.strip_prefix('0').unwrap_or(rest), &[8, 9]);
    }
    compact.starts_with('0') && national(&compact[1..], &[9])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siret_and_siren() {
        assert!(check_siret("732 829 320").is_ok()); // a valid SIREN
        assert!(check_siret("732 829 320 00074").is_ok());
        assert_eq!(check_siret("732 829 320 00075"), Err(SiretProblem::Key));
        assert_eq!(check_siret("12345"), Err(SiretProblem::Length(5)));
        assert_eq!(check_siret("73282932A00074"), Err(SiretProblem::NotDigits));
        // La Poste: 35600000000001 fails Luhn but its digit sum (15) is a multiple of 5.
        assert!(!luhn("35600000000001"));
        assert!(check_siret("356 000 000 00001").is_ok());
        assert_eq!(check_siret("35600000000000"), Err(SiretProblem::Key));
    }

    #[test]
    fn siret_as_a_number_cell_or_a_program_writes_it() {
        // Excel's CSV of a number cell in the General format: the digits are gone.
        assert_eq!(check_siret("2,28829E+13"), Err(SiretProblem::Scientific));
        assert_eq!(check_siret("2.28829e13"), Err(SiretProblem::Scientific));
        assert_eq!(check_siret("E+13"), Err(SiretProblem::NotDigits));
        // A float as a program writes it: its digits are the SIRET.
        assert!(check_siret("73282932000074.0").is_ok());
        assert!(check_siret("73282932000074,00").is_ok());
        assert_eq!(
            check_siret("73282932000074.5"),
            Err(SiretProblem::Length(15))
        );
        // 05420224000013 is valid: the number cell dropped its zero.
        assert!(check_siret("05420224000013").is_ok());
        assert_eq!(
            check_siret("5420224000013"),
            Err(SiretProblem::LeadingZeroLost("05420224000013".into()))
        );
        assert_eq!(check_siret("5420224000010"), Err(SiretProblem::Length(13)));
    }

    #[test]
    fn rna_postal_contacts() {
        assert!(is_rna("W595012345"));
        assert!(!is_rna("W59501234"));
        assert!(!is_rna("595012345X"));
        assert_eq!(check_postal_code("02100"), Ok(()));
        assert_eq!(
            check_postal_code("2100"),
            Err(PostalProblem::LeadingZeroLost)
        );
        assert_eq!(check_postal_code("59 000"), Err(PostalProblem::Invalid));
        assert!(is_email("contact@parc-avesnois.fr"));
        assert!(!is_email("contact@parc"));
        assert!(!is_email("contact parc@x.fr"));
        assert!(is_phone("03 27 19 19 70"));
        assert!(is_phone("+33 3 27 19 19 70"));
        assert!(is_phone("+32 50 40 31 11"));
        assert!(!is_phone("03 27 19 19"));
    }
}
