//! French identifiers and contact details: SIREN/SIRET with their Luhn key, RNA, phones, e-mails.

use crate::rng::Rng;

/// Luhn over all digits (the SIREN and SIRET key).
pub fn luhn_valid(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let d2 = d * 2;
                if d2 > 9 { d2 - 9 } else { d2 }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The digit that makes `prefix` followed by it pass Luhn.
pub fn luhn_key(prefix: &str) -> char {
    (b'0'..=b'9')
        .map(char::from)
        .find(|&k| luhn_valid(&format!("{prefix}{k}")))
        .expect("exactly one key digit passes Luhn")
}

/// A SIREN from 8 digits (the first one not 0) and its key.
pub fn siren(base8: u32) -> String {
    debug_assert!((10_000_000..100_000_000).contains(&base8));
    let prefix = format!("{base8:08}");
    let key = luhn_key(&prefix);
    format!("{prefix}{key}")
}

/// A SIRET: the SIREN, a 4-digit establishment number, and the key over all 14 digits.
pub fn siret(siren: &str, establishment: u32) -> String {
    let prefix = format!("{siren}{:04}", establishment % 10_000);
    let key = luhn_key(&prefix);
    format!("{prefix}{key}")
}

/// `123 456 789 00012`, as people often type it.
pub fn spaced_siret(siret: &str) -> String {
    if siret.len() != 14 {
        return siret.to_string();
    }
    format!(
        "{} {} {} {}",
        &siret[0..3],
        &siret[3..6],
        &siret[6..9],
        &siret[9..14]
    )
}

/// A bijection of `0..90_000_000` onto SIREN bases `10_000_000..100_000_000`, so that
/// synthetic partners never share a SIREN (the multiplier is prime to 90 000 000).
pub fn unique_siren(index: u64) -> String {
    let base = 10_000_000 + (index.wrapping_mul(7_919_993).wrapping_add(12_345_671) % 90_000_000);
    siren(base as u32)
}

/// RNA number: `W`, the 3-character prefecture code (e.g. `595` for Lille) and 6 digits.
pub fn rna(prefecture: &str, serial: u32) -> String {
    format!("W{prefecture}{:06}", serial % 1_000_000)
}

/// The RNA prefecture code of a Hauts-de-France postal code (department then arrondissement).
pub fn rna_prefecture(postal_code: &str, rng: &mut Rng) -> String {
    let dept = postal_code.get(0..2).unwrap_or("59");
    let arrondissement = match dept {
        "59" => *rng.pick(&["1", "2", "3", "5", "6"]),
        "62" => *rng.pick(&["1", "2", "3", "4", "5"]),
        "02" | "60" | "80" => *rng.pick(&["1", "2", "3"]),
        _ => "1",
    };
    let dept = dept.strip_prefix('0').unwrap_or(dept);
    let code = format!("{dept}{arrondissement}");
    format!("{code:0>3}")
}

/// A French landline of Hauts-de-France: `03 21 87 90 90`.
pub fn phone_fr(rng: &mut Rng, postal_code: &str) -> String {
    let area = match postal_code.get(0..2) {
        Some("62") => *rng.pick(&["21", "21", "91"]),
        Some("59") => *rng.pick(&["20", "27", "28"]),
        Some("80") => *rng.pick(&["22"]),
        Some("60") => *rng.pick(&["44"]),
        Some("02") => *rng.pick(&["23"]),
        _ => "20",
    };
    format!(
        "03 {area} {:02} {:02} {:02}",
        rng.below(100),
        rng.below(100),
        rng.below(100)
    )
}

/// A Belgian landline written the French way: `+32 56 23 45 67`.
pub fn phone_be(rng: &mut Rng) -> String {
    let zone = *rng.pick(&["56", "57", "59", "69"]);
    format!(
        "+32 {zone} {:02} {:02} {:02}",
        rng.below(100),
        rng.below(100),
        rng.below(100)
    )
}

/// What DESIGN §3 / DOMAIN accept as a phone: `0` + 9 digits, `+33`/`0033` + 9, `+32` + 8 or 9.
pub fn is_phone(s: &str) -> bool {
    let compact: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}' | '\u{202f}'))
        .collect();
    let digits = |rest: &str, lens: &[usize]| {
        rest.bytes().all(|b| b.is_ascii_digit()) && lens.contains(&rest.len())
    };
    if let Some(rest) = compact
        .strip_prefix("+33")
        .or_else(|| compact.strip_prefix("0033"))
    {
        return digits(rest, &[9]);
    }
    if let Some(rest) = compact
        .strip_prefix("+32")
        .or_else(|| compact.strip_prefix("0032"))
    {
        return digits(rest, &[8, 9]);
    }
    compact.starts_with('0') && digits(&compact[1..], &[9])
}

pub fn is_email(s: &str) -> bool {
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
        && s.is_ascii()
}

pub fn is_rna(s: &str) -> bool {
    s.len() == 10 && s.starts_with('W') && s[1..].bytes().all(|b| b.is_ascii_digit())
}

pub fn is_postal_code(s: &str) -> bool {
    s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit())
}

/// A lower-case ASCII slug for e-mail domains: `Les Blongios` → `lesblongios`.
pub fn slug(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            let c = match c {
                'à' | 'â' | 'ä' | 'À' | 'Â' => 'a',
                'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' => 'e',
                'î' | 'ï' | 'Î' => 'i',
                'ô' | 'ö' | 'Ô' => 'o',
                'ù' | 'û' | 'ü' => 'u',
                'ç' | 'Ç' => 'c',
                'œ' | 'Œ' => 'o',
                c => c,
            };
            c.is_ascii_alphanumeric().then(|| c.to_ascii_lowercase())
        })
        .collect()
}

/// An e-mail domain from an organisation name: its first significant words, hyphenated
/// (`Association Baie de Somme Environnement` → `baie-somme-environnement`).
pub fn domain_words(name: &str, max_words: usize) -> String {
    const SKIP: [&str; 14] = [
        "association",
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "l",
        "d",
        "et",
        "en",
        "a",
        "au",
        "aux",
    ];
    name.split(|c: char| c.is_whitespace() || c == '\'' || c == '’' || c == '-')
        .map(slug)
        .filter(|w| !w.is_empty() && !SKIP.contains(&w.as_str()))
        .take(max_words)
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_keys() {
        // Known valid SIREN / SIRET (DOMAIN examples).
        assert!(luhn_valid("732829320"));
        assert!(luhn_valid("73282932000074"));
        assert!(!luhn_valid("73282932000075"));
        assert_eq!(luhn_key("73282932"), '0');
        assert_eq!(luhn_key("7328293200007"), '4');
        let s = siren(59_501_234);
        assert_eq!(s.len(), 9);
        assert!(luhn_valid(&s));
        let t = siret(&s, 12);
        assert_eq!(t.len(), 14);
        assert!(luhn_valid(&t));
        assert!(t.starts_with(&s));
    }

    #[test]
    fn unique_sirens_do_not_collide() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..200_000 {
            let s = unique_siren(i);
            assert!(luhn_valid(&s));
            assert!(seen.insert(s));
        }
    }

    #[test]
    fn contacts() {
        let mut rng = Rng::new(1);
        for _ in 0..100 {
            assert!(is_phone(&phone_fr(&mut rng, "62500")));
            assert!(is_phone(&phone_be(&mut rng)));
            let p = rna_prefecture("02100", &mut rng);
            assert!(p.starts_with("02"), "{p}");
            assert!(is_rna(&rna(&p, 123)));
        }
        assert!(is_phone("03 21 87 90 90"));
        assert!(!is_phone("03 21 87 90"));
        assert!(is_email("contact@lesblongios.fr"));
        assert!(!is_email("contact@parc"));
        assert_eq!(slug("Les Blongios"), "lesblongios");
        assert_eq!(
            domain_words("Association Baie de Somme Environnement", 3),
            "baie-somme-environnement"
        );
        assert_eq!(
            domain_words("Club des arboriculteurs de la Pévèle", 3),
            "club-arboriculteurs-pevele"
        );
        assert_eq!(spaced_siret("73282932000074"), "732 829 320 00074");
    }
}
