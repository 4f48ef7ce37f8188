use crate::checks::{Check, Diagnostic, RowContext, Rule, Severity};
use crate::model::schema::convention;
use crate::text::french::format_date;

pub static RULE: Rule = Rule {
    code: "D003",
    name: "partly_outside",
    severity: Severity::Avertissement,
    summary: "convention en partie hors de la période",
    explanation: "\
## Ce que vérifie la règle
Une convention qui commence avant la période de la convention pluriannuelle ou finit après
elle est signalée.

## Pourquoi c'est important
Elle est bien comptée, mais seulement pour ses jours dans la période (montants annualisés) :
le reste relève d'une autre convention pluriannuelle. C'est aussi parfois une date mal saisie.

## Comment corriger
Rien à faire si les dates sont justes ; sinon corrigez-les.",
    check: Check::Row(check),
};

fn check(ctx: &RowContext, out: &mut Vec<Diagnostic>) {
    let r = ctx.referential;
    for c in &ctx.rows.conventions {
        let (Some(start), Some(end)) = (c.date_debut.value(), c.date_fin.value()) else {
            continue;
        };
        let inside = end >= start && end >= r.start && start <= r.end;
        if inside && (start < r.start || end > r.end) {
            let (col, name) = if start < r.start {
                (c.date_debut.col, convention::DATE_DEBUT.name())
            } else {
                (c.date_fin.col, convention::DATE_FIN.name())
            };
            ctx.push(out, &RULE, c.origin, || Diagnostic::new(
                    &RULE,
                    format!(
                        "convention du {} au {}, en partie hors de la période {} – {} : seuls ses jours dans la période sont comptés",
                        format_date(start),
                        format_date(end),
                        format_date(r.start),
                        format_date(r.end)
                    ),
                )
                .at_cell(&ctx.sheet, c.origin, col, name)
                .record(c.origin),);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_when_crossing_the_end() {
        let mut c = convention("C-1");
        c.date_fin = ok(10, date("2022-06-30"));
        let d = run_on_convention(&RULE, c);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].column.as_deref(), Some("date_fin"));
    }

    #[test]
    fn silent_inside_or_entirely_outside() {
        assert!(run_on_convention(&RULE, convention("C-1")).is_empty());
        let mut c = convention("C-1");
        c.date_debut = ok(9, date("2023-01-01"));
        c.date_fin = ok(10, date("2023-06-30"));
        assert!(run_on_convention(&RULE, c).is_empty());
    }
}
