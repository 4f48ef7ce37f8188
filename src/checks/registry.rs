//! The flat table of every check, in code order: easy to grep, one line per rule.

use super::Rule;
#[allow(unused_imports)]
use super::{date, file, money, objective, reference, structure, value};

pub static RULES: &[&Rule] = &[
    &file::f001_unreadable::RULE,
    &file::f002_over_limit::RULE,
    &file::f003_no_sheet::RULE,
    &file::f004_windows_1252::RULE,
    &structure::s001_missing_column::RULE,
    &structure::s002_unknown_column::RULE,
    &structure::s003_duplicate_column::RULE,
    &structure::s004_empty_sheet::RULE,
];

/// A rule by its code, case-insensitively (`enrx explain r002`).
pub fn find_rule(code: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_documented() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} then {}",
                pair[0].code,
                pair[1].code
            );
        }
        for rule in RULES {
            assert_eq!(rule.code.len(), 4);
            for heading in [
                "## Ce que vérifie la règle",
                "## Pourquoi c'est important",
                "## Comment corriger",
            ] {
                assert!(
                    rule.explanation.contains(heading),
                    "{} lacks {heading}",
                    rule.code
                );
            }
        }
    }
}
