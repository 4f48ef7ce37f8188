use crate::checks::{Check, Diagnostic, RowContext, Rule, Severity};
use crate::model::schema::convention;
use crate::text::french::format_date;

pub static RULE: Rule = Rule {
    code: "D005",
    name: "signed_after_start",
    severity: Severity::Avertissement,
    summary: "convention signée après son début",
    explanation: "\
## Ce que vérifie la règle
La date de signature d'une convention devrait précéder (ou égaler) sa date de début.

## Pourquoi c'est important
Une convention signée après le début des actions est une régularisation : à signaler à la
Région, car les dépenses engagées avant la signature peuvent ne pas être éligibles.

## Comment corriger
Vérifiez la date de signature. Si la régularisation est réelle, l'avertissement peut rester ;
mentionnez-la dans le compte rendu.",
    check: Check::Row(check),
};

fn check(ctx: &RowContext, out: &mut Vec<Diagnostic>) {
    for c in &ctx.rows.conventions {
        if let (Some(signed), Some(start)) = (c.date_signature.value(), c.date_debut.value())
            && signed > start
        {
            ctx.push(out, &RULE, c.origin, || {
                Diagnostic::new(
                    &RULE,
                    format!(
                        "convention signée le {}, après son début le {}",
                        format_date(signed),
                        format_date(start)
                    ),
                )
                .at_cell(
                    &ctx.sheet,
                    c.origin,
                    c.date_signature.col,
                    convention::DATE_SIGNATURE.name(),
                )
                .record(c.origin)
                .value(format_date(signed))
                .expected(format!("une date au plus tard le {}", format_date(start)))
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_when_signed_late() {
        let mut c = convention("C-1");
        c.date_signature = ok(8, date("2019-03-01"));
        assert_eq!(run_on_convention(&RULE, c).len(), 1);
    }

    #[test]
    fn silent_when_signed_before_or_on_the_day() {
        let mut c = convention("C-1");
        c.date_signature = ok(8, date("2019-02-01"));
        assert!(run_on_convention(&RULE, c).is_empty());
    }
}
