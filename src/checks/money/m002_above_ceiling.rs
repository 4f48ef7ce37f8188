use crate::checks::{Check, Diagnostic, RowContext, Rule, Severity};
use crate::model::schema::convention;
use crate::text::french::format_euros;

pub static RULE: Rule = Rule {
    code: "M002",
    name: "above_ceiling",
    severity: Severity::Avertissement,
    summary: "montant au-dessus du plafond de son échelle",
    explanation: "\
## Ce que vérifie la règle
Le référentiel fixe un plafond de montant par échelle (par exemple 100 000 € pour une
convention locale). Un montant total au-dessus est signalé.

## Pourquoi c'est important
Un montant hors norme est souvent une faute de frappe (un zéro de plus) ; s'il est juste, il
mérite d'être vu avant l'envoi à la Région.

## Comment corriger
Vérifiez le montant et l'échelle. Si les deux sont justes, l'avertissement peut rester.",
    check: Check::Row(check),
};

fn check(ctx: &RowContext, out: &mut Vec<Diagnostic>) {
    for c in &ctx.rows.conventions {
        let (Some(total), Some(scale)) = (c.montant_total.value(), c.echelle.value()) else {
            continue;
        };
        let Some(ceiling) = ctx.referential.ceiling(scale) else {
            continue;
        };
        if total > ceiling {
            ctx.push(out, &RULE, c.origin, || {
                Diagnostic::new(
                    &RULE,
                    format!(
                        "montant de {} au-dessus du plafond {} d'une convention {}",
                        format_euros(total),
                        format_euros(ceiling),
                        scale.label()
                    ),
                )
                .at_cell(
                    &ctx.sheet,
                    c.origin,
                    c.montant_total.col,
                    convention::MONTANT_TOTAL.name(),
                )
                .record(c.origin)
                .value(total.to_string())
                .expected(format!("au plus {}", format_euros(ceiling)))
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_above_the_local_ceiling() {
        let mut c = convention("C-1");
        c.montant_total = ok(11, money("100000.01"));
        assert_eq!(run_on_convention(&RULE, c).len(), 1);
    }

    #[test]
    fn silent_at_the_ceiling() {
        let mut c = convention("C-1");
        c.montant_total = ok(11, money("100000"));
        assert!(run_on_convention(&RULE, c).is_empty());
    }
}
