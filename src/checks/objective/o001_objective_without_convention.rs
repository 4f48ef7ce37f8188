use crate::checks::{Check, Context, Diagnostic, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "O001",
    name: "objective_without_convention",
    severity: Severity::Avertissement,
    summary: "objectif stratégique sans convention active dans l'année",
    explanation: "\
## Ce que vérifie la règle
Chaque objectif stratégique de la convention pluriannuelle (OS1, OS2, OS3) devrait avoir au
moins une convention active dans l'année du rapport (statut signée, en cours ou soldée, dates
qui rencontrent l'année), sans compter les lignes en erreur.

## Pourquoi c'est important
Un objectif sans convention n'a rien à présenter à la Région cette année-là : soit une
convention manque dans les fichiers, soit sa colonne objectifs est mal remplie.

## Comment corriger
Vérifiez la colonne objectifs des conventions de l'année et corrigez les lignes en erreur, qui
ne sont pas comptées.",
    check: Check::Aggregate(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let actives = ctx.actives();
    for (i, o) in ctx.referential.objectives.iter().enumerate() {
        if !actives
            .iter()
            .any(|a| a.convention.links.objectifs.contains(&i))
        {
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!(
                        "objectif {} sans convention active en {} : « {} »",
                        o.code, ctx.year, o.title
                    ),
                )
                .value(o.code.clone())
                .expected(format!(
                    "au moins une convention active en {} pour {}",
                    ctx.year, o.code
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
    fn fires_for_objectives_without_convention() {
        // The test convention serves OS1 only, in 2019.
        let d = run_on_convention(&RULE, convention("C-1"));
        let codes: Vec<_> = d.iter().filter_map(|d| d.value.clone()).collect();
        assert_eq!(codes, vec!["OS2", "OS3"]);
    }

    #[test]
    fn silent_when_every_objective_has_one() {
        let mut c = convention("C-1");
        c.objectifs = ok(5, vec!["OS1".into(), "OS2".into(), "OS3".into()]);
        assert!(run_on_convention(&RULE, c).is_empty());
    }
}
