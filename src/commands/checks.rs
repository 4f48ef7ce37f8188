//! `enrx checks`: every check, one line each.

use super::{CommandResult, Outcome};
use crate::checks::RULES;

pub fn run() -> CommandResult {
    let width = RULES
        .iter()
        .map(|r| r.severity.label().len())
        .max()
        .unwrap_or(0);
    for rule in RULES {
        println!(
            "{}  {:width$}  {}",
            rule.code,
            rule.severity.label(),
            rule.summary
        );
    }
    println!("\nDétail d'une vérification : enrx explain CODE");
    Ok(Outcome::Clean)
}
