use crate::checks::{Context, Diagnostic, Pass, Rule, Severity};
use crate::model::RecordRef;

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
    check,
    pass: Pass::Row,
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let r = ctx.referential;
    for (i, c) in ctx.ds.convention_rows.iter().enumerate() {
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
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!(
                        "convention du {} au {}, entièrement hors de la période {} – {}",
                        start.format("%d/%m/%Y"),
                        end.format("%d/%m/%Y"),
                        r.start.format("%d/%m/%Y"),
                        r.end.format("%d/%m/%Y")
                    ),
                )
                .at_cell(
                    ctx.ds,
                    c.origin,
                    col,
                    if end < r.start {
                        "date_fin"
                    } else {
                        "date_debut"
                    },
                )
                .record(RecordRef::Convention(i as u32))
                .expected(format!(
                    "des dates qui rencontrent la période {} – {}",
                    r.start.format("%d/%m/%Y"),
                    r.end.format("%d/%m/%Y")
                )),
            );
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
