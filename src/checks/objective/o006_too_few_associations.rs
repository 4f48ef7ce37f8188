use std::collections::HashSet;

use crate::checks::{Check, Context, Diagnostic, Rule, Severity};
use crate::model::{Echelle, PartnerType};

pub static RULE: Rule = Rule {
    code: "O006",
    name: "too_few_associations",
    severity: Severity::Avertissement,
    summary: "moins d'associations partenaires à l'échelle locale que le seuil",
    explanation: "\
## Ce que vérifie la règle
Le nombre d'associations distinctes partenaires des conventions locales actives de l'année
est comparé au seuil du référentiel (50 : ENRx conventionne avec « plus de 50 associations et
groupements »).

## Pourquoi c'est important
C'est un engagement affiché du partenariat avec le monde associatif ; un chiffre sous le
seuil doit être expliqué, ou révèle des conventions ou des partenaires manquants.

## Comment corriger
Vérifiez que toutes les conventions locales de l'année sont dans les fichiers, que leurs
partenaires ont le type « association », et corrigez les lignes en erreur.",
    check: Check::Aggregate(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let actives = ctx.actives();
    let associations: HashSet<u32> = actives
        .iter()
        .filter(|a| a.convention.echelle == Some(Echelle::Locale))
        .flat_map(|a| ctx.ds.partners_of(a.convention).iter().copied())
        .filter(|&p| ctx.ds.partners[p as usize].kind == Some(PartnerType::Association))
        .collect();
    let min = ctx.referential.thresholds.min_local_associations;
    if associations.len() < min {
        out.push(
            Diagnostic::new(
                &RULE,
                format!(
                    "{} de conventions locales actives en {}, moins que le seuil de {min}",
                    // French puts 0 and 1 in the singular.
                    match associations.len() {
                        n @ (0 | 1) => format!("{n} association partenaire"),
                        n => format!("{n} associations partenaires"),
                    },
                    ctx.year
                ),
            )
            .value(associations.len().to_string())
            .expected(format!("au moins {min} associations")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_below_the_threshold() {
        let d = run_on_convention(&RULE, convention("C-1"));
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].message,
            "1 association partenaire de conventions locales actives en 2019, moins que le seuil de 50"
        );
    }

    #[test]
    fn silent_at_the_threshold() {
        let mut conventions = Vec::new();
        let mut partners = Vec::new();
        for i in 0..50 {
            let id = format!("P-{i}");
            let mut c = convention(&format!("C-{i}"));
            c.partenaires = ok(4, vec![id.as_str().into()]);
            conventions.push(c);
            partners.push(partner(&id));
        }
        assert!(run_rule(&RULE, dataset(conventions, partners, vec![]), 2019).is_empty());
    }
}
