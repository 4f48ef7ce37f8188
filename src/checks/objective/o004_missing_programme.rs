use crate::checks::{Check, Diagnostic, RowContext, Rule, Severity};
use crate::model::schema::convention;

pub static RULE: Rule = Rule {
    code: "O004",
    name: "missing_programme",
    severity: Severity::Erreur,
    summary: "convention nationale ou européenne sans programme",
    explanation: "\
## Ce que vérifie la règle
Une convention d'échelle nationale ou européenne doit indiquer le programme qu'elle met en
œuvre (IMPACT, PARTONS, WECAN, FNPNR, RENOUER… : codes du référentiel).

## Pourquoi c'est important
Les conventions nationales et européennes sont présentées par programme dans le rapport ; les
fonds européens (FEDER, Interreg) se justifient programme par programme.

## Comment corriger
Renseignez la colonne programme avec le code du programme.",
    check: Check::Row(check),
};

fn check(ctx: &RowContext, out: &mut Vec<Diagnostic>) {
    for c in &ctx.rows.conventions {
        let Some(scale) = c.echelle.value() else {
            continue;
        };
        if scale.needs_programme() && c.programme.is_empty() {
            ctx.push(out, &RULE, c.origin, || {
                Diagnostic::new(
                    &RULE,
                    format!("convention {} sans programme", scale.label()),
                )
                .at_cell(
                    &ctx.sheet,
                    c.origin,
                    c.programme.col,
                    convention::PROGRAMME.name(),
                )
                .record(c.origin)
                .expected(
                    ctx.referential
                        .programmes
                        .iter()
                        .filter(|p| p.scale == scale)
                        .map(|p| p.code.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                )
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::Echelle;

    #[test]
    fn fires_on_a_european_convention_without_programme() {
        let mut c = convention("C-1");
        c.echelle = ok(2, Echelle::Europeenne);
        let d = run_on_convention(&RULE, c);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].cell.as_deref(), Some("H2"));
        assert_eq!(d[0].expected.as_deref(), Some("IMPACT, PARTONS, WECAN"));
    }

    #[test]
    fn silent_with_a_programme_or_at_local_scale() {
        assert!(run_on_convention(&RULE, convention("C-1")).is_empty());
        let mut c = convention("C-1");
        c.echelle = ok(2, Echelle::Nationale);
        c.programme = text(7, "FNPNR");
        assert!(run_on_convention(&RULE, c).is_empty());
    }
}
