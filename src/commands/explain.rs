//! `enrx explain CODE`: what a check means, why it matters, how to fix it.

use super::{CommandResult, Failure, Outcome};
use crate::checks::{RULES, find_rule};
use crate::text::nearest_hint;

pub fn run(code: &str) -> CommandResult {
    let Some(rule) = find_rule(code) else {
        let hint = nearest_hint(code, RULES.iter().map(|r| r.code), "codes proches")
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        return Err(Failure::cannot_run(format!(
            "vérification inconnue « {code} »{hint} ; la liste : enrx checks"
        )));
    };
    let text = format!(
        "{} — {} ({})\n\n{}\n",
        rule.code,
        rule.summary,
        rule.severity.label(),
        rule.explanation
    );
    super::common::print(text.as_bytes())?;
    Ok(Outcome::Clean)
}
