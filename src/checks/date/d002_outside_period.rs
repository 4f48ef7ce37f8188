use crate::checks::{Check, Diagnostic, RowContext, Rule, Severity};
use crate::model::schema::convention;
use crate::text::french::format_date;

pub static RULE: Rule = Rule {
    code: "D002",
    name: "outside_period",
    severity: Severity::Erreur,
    summary: "convention entièrement hors de la période du référentiel",
    explanation: "\
## Ce que vérifie la règle
Une convention doit avoir au moins un jour dans la période de la convention pluriannuelle
(2018-01-01 au 2021-12-31 pour la convention 2018/2021).

## Pourquoi c'est important
Une convention entièrement hors période ne relève pas de ce rapport ; c'est souvent une année
mal saisie (2081 pour 2018).

## Comment corriger
Corrigez les dates, ou retirez la convention si elle appartient à une autre période.",
    check: Check::Row(check),
};

fn check(ctx: &RowContext, out: &mut Vec<Diagnostic>) {
    let r = ctx.referential;
    for c in &ctx.rows.conventions {
        let (Some(start), Some(end)) = (c.date_debut.value(), c.date_fin.value()) else {
            continue;
        };
        if end < start {
            continue; // D001's
        }
        if end < r.start || start > r.end {
            let col = if end < r.start {
                c.date_fin.col
            } else {
                c.date_debut.col
            };
            ctx.push(out, &RULE, c.origin, || {
                Diagnostic::new(
                    &RULE,
                    format!(
                        "convention du {} au {}, entièrement hors de la période {} – {}",
                        format_date(start),
                        format_date(end),
                        format_date(r.start),
                        format_date(r.end)
                    ),
                )
                .at_cell(
                    &ctx.sheet,
                    c.origin,
                    col,
                    if end < r.start {
                        convention::DATE_FIN.name()
                    } else {
                        convention::DATE_DEBUT.name()
                    },
                )
                .record(c.origin)
                .expected(format!(
                    "des dates qui rencontrent la période {} – {}",
                    format_date(r.start),
                    format_date(r.end)
                ))
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_outside_the_period() {
        let mut c = convention("C-1");
        c.date_debut = ok(9, date("2022-02-01"));
        c.date_fin = ok(10, date("2022-12-31"));
        assert_eq!(run_on_convention(&RULE, c).len(), 1);
    }

    #[test]
    fn silent_when_partly_inside() {
        let mut c = convention("C-1");
        c.date_debut = ok(9, date("2017-06-01"));
        c.date_fin = ok(10, date("2018-01-01"));
        assert!(run_on_convention(&RULE, c).is_empty());
    }
}
