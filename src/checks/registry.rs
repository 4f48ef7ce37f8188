//! The flat table of every check, in code order: easy to grep, one line per rule.

use super::Rule;
use super::{date, file, money, objective, reference, structure, value};

pub static RULES: &[&Rule] = &[
    &file::f001_unreadable::RULE,
    &file::f002_over_limit::RULE,
    &file::f003_no_sheet::RULE,
    &file::f004_windows_1252::RULE,
    &file::f005_link_out::RULE,
    &structure::s001_missing_column::RULE,
    &structure::s002_unknown_column::RULE,
    &structure::s003_duplicate_column::RULE,
    &structure::s004_empty_sheet::RULE,
    &structure::s005_merged_range::RULE,
    &structure::s006_total_row::RULE,
    &structure::s007_total_mismatch::RULE,
    &structure::s008_hidden_rows::RULE,
    &structure::s009_note_under_table::RULE,
    &structure::s010_unread_table::RULE,
    &value::v001_required_empty::RULE,
    &value::v002_wrong_type::RULE,
    &value::v003_vocabulary::RULE,
    &value::v004_negative_amount::RULE,
    &value::v005_siret::RULE,
    &value::v006_rna::RULE,
    &value::v007_postal_code::RULE,
    &value::v008_email_phone::RULE,
    &value::v009_formula_without_value::RULE,
    &reference::r001_duplicate_id::RULE,
    &reference::r002_unknown_partner::RULE,
    &reference::r003_unknown_objective::RULE,
    &reference::r004_unknown_parc::RULE,
    &reference::r005_unused_partner::RULE,
    &reference::r006_shared_siret::RULE,
    &date::d001_end_before_start::RULE,
    &date::d002_outside_period::RULE,
    &date::d003_partly_outside::RULE,
    &date::d004_status_dates::RULE,
    &date::d005_signed_after_start::RULE,
    &money::m001_parts_exceed_total::RULE,
    &money::m002_above_ceiling::RULE,
    &money::m003_unsigned_above_threshold::RULE,
    &objective::o001_objective_without_convention::RULE,
    &objective::o002_indicator_below_target::RULE,
    &objective::o003_unknown_indicator::RULE,
    &objective::o004_missing_programme::RULE,
    &objective::o005_member_parc_without_convention::RULE,
    &objective::o006_too_few_associations::RULE,
    &objective::o007_no_local_actor::RULE,
    &objective::o008_outside_programme_dates::RULE,
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
        // The families in the contract's order (DESIGN §5), then the numbers.
        let key = |code: &str| ("FSVRDMO".find(&code[..1]), code.to_string());
        for pair in RULES.windows(2) {
            assert!(
                key(pair[0].code) < key(pair[1].code),
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
