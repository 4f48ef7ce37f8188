use crate::checks::{Check, Diagnostic, RowContext, Rule, Severity};
use crate::model::referential::IndicatorSource;
use crate::model::schema::indicator;
use crate::text::echo::bound;
use crate::text::nearest_hint;

pub static RULE: Rule = Rule {
    code: "O003",
    name: "unknown_indicator",
    severity: Severity::Erreur,
    summary: "valeur d'un indicateur inconnu, ou année hors de la période",
    explanation: "\
## Ce que vérifie la règle
Chaque ligne d'une feuille Indicateurs doit porter le code d'un indicateur déclaratif du
référentiel (par ex. OS1-I2) et une année de la période de la convention (2018 à 2021).

## Pourquoi c'est important
Une valeur d'indicateur inconnu ou d'une autre année ne peut être rattachée à aucune cible :
elle serait perdue. Les indicateurs calculés (nombre de conventions, montants…) ne se
déclarent pas : enrx les calcule.

## Comment corriger
Utilisez le code proposé dans l'aide (la liste : le référentiel) et une année de la période.",
    check: Check::Row(check),
};

fn check(ctx: &RowContext, out: &mut Vec<Diagnostic>) {
    let r = ctx.referential;
    let declared = || {
        r.indicators()
            .filter(|(_, i)| i.source == IndicatorSource::Declared)
            .map(|(_, i)| i.code.as_str())
    };
    for v in &ctx.rows.indicators {
        let record = v.origin;
        if let Some(code) = v.indicateur.text() {
            let message = match r.find_indicator(code) {
                None => Some(format!("indicateur inconnu « {} »", bound(code))),
                Some((_, ind)) if ind.source != IndicatorSource::Declared => Some(format!(
                    "l'indicateur {} est calculé par enrx : il ne se déclare pas",
                    bound(code)
                )),
                Some(_) => None,
            };
            if let Some(message) = message {
                ctx.push(out, &RULE, record, || {
                    Diagnostic::new(&RULE, message)
                        .at_cell(
                            &ctx.sheet,
                            v.origin,
                            v.indicateur.col,
                            indicator::INDICATEUR.name(),
                        )
                        .record(record)
                        .value(code)
                        .expected(declared().collect::<Vec<_>>().join(", "))
                        .hint(nearest_hint(code, declared(), "indicateurs proches"))
                });
            }
        }
        if let Some(year) = v.annee.value()
            && !r.years().contains(&year)
        {
            ctx.push(out, &RULE, record, || {
                Diagnostic::new(
                    &RULE,
                    format!(
                        "année {year} hors de la période {}–{}",
                        r.years().start(),
                        r.years().end()
                    ),
                )
                .at_cell(&ctx.sheet, v.origin, v.annee.col, indicator::ANNEE.name())
                .record(record)
                .value(year.to_string())
                .expected(format!(
                    "une année de {} à {}",
                    r.years().start(),
                    r.years().end()
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
    fn fires_on_unknown_computed_and_out_of_period() {
        let ds = dataset(
            vec![],
            vec![],
            vec![
                indicator("OS1-I9", 2019, "1"),
                indicator("OS1-I1", 2019, "1"),
                indicator("OS1-I2", 2024, "1"),
            ],
        );
        let d = run_rule(&RULE, ds, 2019);
        assert_eq!(d.len(), 3, "{d:#?}");
        assert_eq!(
            d[0].hint.as_deref(),
            Some("indicateurs proches : OS1-I2, OS2-I2")
        );
        assert!(d[1].message.contains("calculé"));
        assert_eq!(d[2].cell.as_deref(), Some("B4"));
    }

    #[test]
    fn silent_on_a_declared_indicator_of_the_period() {
        let ds = dataset(vec![], vec![], vec![indicator("os1-i2", 2021, "1")]);
        assert!(run_rule(&RULE, ds, 2019).is_empty());
    }
}
