use crate::checks::{Check, Diagnostic, RowContext, Rule, Severity};
use crate::model::schema::convention;
use crate::text::french::format_date;

pub static RULE: Rule = Rule {
    code: "D001",
    name: "end_before_start",
    severity: Severity::Erreur,
    summary: "date_fin avant date_debut",
    explanation: "\
## Ce que vérifie la règle
La date de fin d'une convention doit être le même jour que sa date de début ou après.

## Pourquoi c'est important
Une période à l'envers n'a pas de durée : impossible de répartir le montant sur les années.
C'est souvent une inversion jour/mois (05/03 au lieu de 03/05) ou une année mal tapée.

## Comment corriger
Corrigez l'une des deux dates. Rappel : 01/02/2019 se lit 1er février 2019.",
    check: Check::Row(check),
};

fn check(ctx: &RowContext, out: &mut Vec<Diagnostic>) {
    for c in &ctx.rows.conventions {
        if let (Some(start), Some(end)) = (c.date_debut.value(), c.date_fin.value())
            && end < start
        {
            ctx.push(out, &RULE, c.origin, || {
                Diagnostic::new(
                    &RULE,
                    format!(
                        "date de fin {} antérieure à la date de début {}",
                        format_date(end),
                        format_date(start)
                    ),
                )
                .at_cell(
                    &ctx.sheet,
                    c.origin,
                    c.date_fin.col,
                    convention::DATE_FIN.name(),
                )
                .record(c.origin)
                .value(format_date(end))
                .expected(format!("une date au plus tôt le {}", format_date(start)))
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_when_reversed() {
        let mut c = convention("C-1");
        c.date_fin = ok(10, date("2019-01-15"));
        let d = run_on_convention(&RULE, c);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].cell.as_deref(), Some("K2"));
    }

    #[test]
    fn silent_on_a_one_day_convention() {
        let mut c = convention("C-1");
        c.date_fin = ok(10, date("2019-02-01"));
        assert!(run_on_convention(&RULE, c).is_empty());
    }
}
