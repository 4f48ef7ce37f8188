//! `enrx checks`: every check, one line each.

use super::{CommandResult, Outcome};
use crate::checks::RULES;

pub fn run() -> CommandResult {
    let width = RULES
        .iter()
        .map(|r| r.severity.label().len())
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for rule in RULES {
        text.push_str(&format!(
            "{}  {:width$}  {}\n",
            rule.code,
            rule.severity.label(),
            rule.summary
        ));
    }
    text.push_str("\nDétail d'une vérification : enrx explain CODE\n");
    super::common::print(text.as_bytes())?;
    Ok(Outcome::Clean)
}
