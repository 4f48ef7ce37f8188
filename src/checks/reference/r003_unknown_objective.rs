use crate::checks::{Check, Diagnostic, RowContext, Rule, Severity};
use crate::model::schema::convention;
use crate::text::echo::bound;
use crate::text::nearest_hint;

pub static RULE: Rule = Rule {
    code: "R003",
    name: "unknown_objective",
    severity: Severity::Erreur,
    summary: "objectif inconnu",
    explanation: "\
## Ce que vérifie la règle
La colonne objectifs d'une convention liste les objectifs stratégiques de la convention
pluriannuelle auxquels elle contribue, séparés par ; : OS1, OS2, OS3 (ou 1, 2, 3).

## Pourquoi c'est important
Le rapport à la Région présente les conventions et leurs montants par objectif stratégique :
un objectif inconnu ferait disparaître la convention de ce bilan.

## Comment corriger
Utilisez les codes du référentiel : OS1 (performance collective des Parcs), OS2
(territorialisation des politiques régionales), OS3 (intelligence collective et innovation).",
    check: Check::Row(check),
};

fn check(ctx: &RowContext, out: &mut Vec<Diagnostic>) {
    let r = ctx.referential;
    let codes = || r.objectives.iter().map(|o| o.code.as_str());
    for c in &ctx.rows.conventions {
        let Some(objectives) = c.objectifs.get() else {
            continue;
        };
        for o in objectives.iter().filter(|o| r.find_objective(o).is_none()) {
            ctx.push(out, &RULE, c.origin, || {
                Diagnostic::new(&RULE, format!("objectif inconnu « {} »", bound(o)))
                    .at_cell(
                        &ctx.sheet,
                        c.origin,
                        c.objectifs.col,
                        convention::OBJECTIFS.name(),
                    )
                    .record(c.origin)
                    .value(o.clone())
                    .expected(codes().collect::<Vec<_>>().join(", "))
                    .hint(
                        super::joined_otherwise(o, |p| r.find_objective(p).is_some())
                            .map(|list| {
                                format!(
                                    "plusieurs objectifs ? séparez-les par des points-virgules : \
                                     {list}"
                                )
                            })
                            .or_else(|| nearest_hint(o, codes(), "objectifs proches")),
                    )
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_on_an_unknown_objective() {
        let mut c = convention("C-1");
        c.objectifs = ok(5, vec!["OS1".into(), "OS4".into()]);
        let d = run_on_convention(&RULE, c);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].value.as_deref(), Some("OS4"));
    }

    #[test]
    fn tells_objectives_joined_otherwise_than_by_semicolons() {
        let mut c = convention("C-1");
        c.objectifs = ok(5, vec!["OS1 et OS3".into()]);
        let d = run_on_convention(&RULE, c);
        assert_eq!(
            d[0].hint.as_deref(),
            Some("plusieurs objectifs ? séparez-les par des points-virgules : OS1;OS3")
        );
    }

    #[test]
    fn silent_on_codes_and_numbers() {
        let mut c = convention("C-1");
        c.objectifs = ok(5, vec!["1".into(), "os3".into(), "Objectif 2".into()]);
        assert!(run_on_convention(&RULE, c).is_empty());
    }
}
