use rust_decimal::Decimal;

use crate::checks::{Check, Diagnostic, RowContext, Rule, Severity};
use crate::model::schema::convention;
use crate::text::french::format_euros;

pub static RULE: Rule = Rule {
    code: "M001",
    name: "parts_exceed_total",
    severity: Severity::Erreur,
    summary: "les parts dépassent le montant total",
    explanation: "\
## Ce que vérifie la règle
La part Région, la part Europe (FEDER) et la part des autres financeurs, additionnées, ne
peuvent pas dépasser le montant total de la convention.

## Pourquoi c'est important
Des parts supérieures au total signalent une erreur de saisie (un zéro de trop, une part
saisie en euros et l'autre en milliers) qui fausserait la part de la Région dans le rapport.

## Comment corriger
Corrigez la part fautive ou le montant total.",
    check: Check::Row(check),
};

fn check(ctx: &RowContext, out: &mut Vec<Diagnostic>) {
    for c in &ctx.rows.conventions {
        let Some(total) = c.montant_total.value() else {
            continue;
        };
        let parts: Decimal = [&c.part_region, &c.part_europe, &c.part_autres]
            .iter()
            .filter_map(|f| f.value())
            .sum();
        if parts > total {
            ctx.push(out, &RULE, c.origin, || {
                Diagnostic::new(
                    &RULE,
                    format!(
                        "les parts ({}) dépassent le montant total ({})",
                        format_euros(parts),
                        format_euros(total)
                    ),
                )
                .at_cell(
                    &ctx.sheet,
                    c.origin,
                    c.montant_total.col,
                    convention::MONTANT_TOTAL.name(),
                )
                .record(c.origin)
                .value(parts.to_string())
                .expected(format!("au plus {}", format_euros(total)))
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_when_parts_exceed() {
        let mut c = convention("C-1");
        c.part_europe = ok(13, money("5000.01"));
        let d = run_on_convention(&RULE, c);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.contains("10\u{202f}000,01\u{a0}€"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn silent_when_parts_equal_the_total() {
        let mut c = convention("C-1");
        c.part_europe = ok(13, money("5000"));
        assert!(run_on_convention(&RULE, c).is_empty());
    }
}
