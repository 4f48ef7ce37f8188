use crate::checks::{Check, Context, Diagnostic, Rule, Severity};
use crate::figures::Scope;
use crate::figures::compute::indicators;
use crate::text::french::{format_percent, format_quantity, format_quantity_unit};

pub static RULE: Rule = Rule {
    code: "O002",
    name: "indicator_below_target",
    severity: Severity::Avertissement,
    summary: "indicateur sous sa cible de l'année (avec le % atteint)",
    explanation: "\
## Ce que vérifie la règle
Pour chaque indicateur du référentiel qui a une cible pour l'année, la valeur réalisée est
comparée à la cible : calculée sur les conventions actives (sans les lignes en erreur) ou
déclarée dans les feuilles Indicateurs (somme des valeurs de l'année).

## Pourquoi c'est important
Un indicateur sous sa cible doit être expliqué dans le rapport à la Région ; c'est aussi
parfois le signe de valeurs non déclarées ou de conventions écartées pour erreur.

## Comment corriger
Vérifiez que toutes les valeurs de l'année sont déclarées et que les lignes en erreur sont
corrigées. Si l'écart est réel, préparez son explication pour le rapport.",
    check: Check::Aggregate(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let scope = Scope::Year(ctx.year);
    let actives = ctx.actives();
    for oi in 0..ctx.referential.objectives.len() {
        for ind in indicators(ctx.ds, ctx.referential, ctx.exclusions, actives, scope, oi) {
            let (Some(target), Some(rate)) = (ind.target, ind.rate) else {
                continue;
            };
            if ind.achieved >= target {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!(
                        "indicateur {} sous sa cible en {} : {} pour une cible de {} ({} atteints) — « {} »",
                        ind.code,
                        ctx.year,
                        format_quantity_unit(ind.achieved, &ind.unit),
                        format_quantity_unit(target, &ind.unit),
                        format_percent(rate),
                        ind.title
                    ),
                )
                .value(format_quantity(ind.achieved))
                .expected(format!("au moins {}", format_quantity_unit(target, &ind.unit))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_below_target_with_the_rate() {
        let ds = dataset(
            vec![convention("C-1")],
            vec![partner("P-1")],
            vec![indicator("OS1-I2", 2019, "5")],
        );
        let d = run_rule(&RULE, ds, 2019);
        let journees = d
            .iter()
            .find(|d| d.message.contains("OS1-I2"))
            .expect("OS1-I2 below target");
        assert!(
            journees
                .message
                .contains("5 journées pour une cible de 10 journées (50,0\u{a0}% atteints)"),
            "{}",
            journees.message
        );
    }

    #[test]
    fn zero_and_one_take_the_singular() {
        let ds = dataset(
            vec![convention("C-1")],
            vec![partner("P-1")],
            vec![indicator("OS1-I2", 2019, "1")],
        );
        let d = run_rule(&RULE, ds, 2019);
        let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains(": 1 journée pour une cible de 10 journées")),
            "{messages:?}"
        );
        // OS2-I2 (communes) has no value in 2019: 0.
        assert!(
            messages
                .iter()
                .any(|m| m.contains(": 0 commune pour une cible")),
            "{messages:?}"
        );
        assert!(
            !messages.iter().any(|m| m.contains(" 0 communes")),
            "{messages:?}"
        );
    }

    #[test]
    fn silent_at_or_above_target() {
        let ds = dataset(
            vec![convention("C-1")],
            vec![partner("P-1")],
            vec![indicator("OS1-I2", 2019, "10")],
        );
        let d = run_rule(&RULE, ds, 2019);
        assert!(!d.iter().any(|d| d.message.contains("OS1-I2")));
    }
}
