use crate::checks::{Check, Diagnostic, RowContext, Rule, Severity};
use crate::model::schema::{convention, indicator};
use crate::model::{Field, Origin};
use crate::text::echo::bound;
use crate::text::nearest_hint;

pub static RULE: Rule = Rule {
    code: "R004",
    name: "unknown_parc",
    severity: Severity::Erreur,
    summary: "parc inconnu",
    explanation: "\
## Ce que vérifie la règle
La colonne parc doit désigner un Parc naturel régional du référentiel, par son code (SCE, AVE,
CMO, OPF, BSPM) ou par son nom (Avesnois, PNR Scarpe-Escaut…), majuscules et accents
indifférents.

## Pourquoi c'est important
Les conventions et les indicateurs sont ventilés par Parc dans le rapport.

## Comment corriger
Utilisez le code du Parc proposé dans l'aide.",
    check: Check::Row(check),
};

fn report(
    ctx: &RowContext,
    out: &mut Vec<Diagnostic>,
    origin: Origin,
    (parc, column): (&Field<crate::model::Text>, &str),
) {
    let Some(written) = parc.text() else { return };
    let r = ctx.referential;
    if r.find_parc(written).is_some() {
        return;
    }
    let names = r
        .parcs
        .iter()
        .flat_map(|p| [p.code.as_str(), p.name.as_str()]);
    ctx.push(out, &RULE, origin, || {
        Diagnostic::new(&RULE, format!("parc inconnu « {} »", bound(written)))
            .at_cell(&ctx.sheet, origin, parc.col, column)
            .record(origin)
            .value(written)
            .expected(
                r.parcs
                    .iter()
                    .map(|p| p.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
            .hint(nearest_hint(written, names, "parcs proches"))
    });
}

fn check(ctx: &RowContext, out: &mut Vec<Diagnostic>) {
    for c in &ctx.rows.conventions {
        report(ctx, out, c.origin, (&c.parc, convention::PARC.name()));
    }
    for v in &ctx.rows.indicators {
        report(ctx, out, v.origin, (&v.parc, indicator::PARC.name()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_on_an_unknown_parc() {
        let mut c = convention("C-1");
        c.parc = text(3, "Avesnoi");
        let d = run_on_convention(&RULE, c);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].hint.as_deref(), Some("parcs proches : Avesnois"));
    }

    #[test]
    fn silent_on_codes_and_names() {
        for p in [
            "AVE",
            "avesnois",
            "PNR de l'Avesnois",
            "Caps et Marais d'Opale",
        ] {
            let mut c = convention("C-1");
            c.parc = text(3, p);
            assert!(run_on_convention(&RULE, c).is_empty(), "{p}");
        }
    }
}
