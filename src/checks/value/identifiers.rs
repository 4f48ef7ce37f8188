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
    Length(usize),
    Key,
}

/// A SIRET (14 digits) or SIREN (9 digits), spaces allowed.
pub fn check_siret(s: &str) -> Result<String, SiretProblem> {
    let d = digits(s).ok_or(SiretProblem::NotDigits)?;
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
