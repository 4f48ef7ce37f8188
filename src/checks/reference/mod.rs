//! R: references between rows and to the referential.
pub mod r001_duplicate_id;
pub mod r002_unknown_partner;
pub mod r003_unknown_objective;
pub mod r004_unknown_parc;
pub mod r005_unused_partner;
pub mod r006_shared_siret;

/// `P-1 / P-2`, `OS1 et OS3`: several codes joined otherwise than by `;`, each of them known
/// (`known`); written as they should be (`P-1;P-2`).
pub fn joined_otherwise(value: &str, known: impl Fn(&str) -> bool) -> Option<String> {
    let parts: Vec<&str> = value
        .split(|c: char| matches!(c, '/' | '+' | '&' | '|') || c.is_whitespace())
        .filter(|p| !p.is_empty() && !matches!(*p, "et" | "ET" | "Et" | "-" | "–"))
        .collect();
    (parts.len() >= 2 && parts.iter().all(|p| known(p))).then(|| parts.join(";"))
}

#[cfg(test)]
mod tests {
    use super::joined_otherwise;

    #[test]
    fn codes_joined_otherwise_than_by_semicolons() {
        let known = |p: &str| ["P-1", "P-2", "OS1", "OS3"].contains(&p);
        assert_eq!(
            joined_otherwise("P-1 / P-2", known).as_deref(),
            Some("P-1;P-2")
        );
        assert_eq!(
            joined_otherwise("P-1 et P-2", known).as_deref(),
            Some("P-1;P-2")
        );
        assert_eq!(
            joined_otherwise("OS1 - OS3", known).as_deref(),
            Some("OS1;OS3")
        );
        assert_eq!(
            joined_otherwise("OS1+OS3", known).as_deref(),
            Some("OS1;OS3")
        );
        assert_eq!(
            joined_otherwise("OS1 OS3", known).as_deref(),
            Some("OS1;OS3")
        );
        assert_eq!(
            joined_otherwise("P-1 / P-9", known),
            None,
            "each must be known"
        );
        assert_eq!(
            joined_otherwise("P-1", known),
            None,
            "one code is not a list"
        );
    }
}
