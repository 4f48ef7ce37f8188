use crate::text::echo::bound;
use std::collections::HashMap;

use crate::checks::value::identifiers::siret_digits;
use crate::checks::{Check, Context, Diagnostic, Rule, Severity};
use crate::model::schema::partner;

pub static RULE: Rule = Rule {
    code: "R006",
    name: "shared_siret",
    severity: Severity::Avertissement,
    summary: "un même SIRET sous deux ids de partenaire",
    explanation: "\
## Ce que vérifie la règle
Deux partenaires d'ids différents ne devraient pas avoir le même SIRET.

## Pourquoi c'est important
C'est le même établissement saisi deux fois (souvent par deux Parcs) : il serait compté
deux fois parmi les partenaires distincts du rapport.

## Comment corriger
Gardez un seul id pour ce partenaire et utilisez-le dans toutes les conventions.",
    check: Check::Set(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let mut first: HashMap<String, (u32, &str)> = HashMap::new();
    for (i, p) in ctx.ds.partners.iter().enumerate() {
        let (Some(siret), Some(id)) = (p.siret.as_deref(), p.id()) else {
            continue;
        };
        let Some(siret) = siret_digits(siret).filter(|d| d.len() == 14) else {
            continue;
        };
        match first.get(&siret) {
            Some(&(_, first_id)) if first_id != id => out.push(
                Diagnostic::new(
                    &RULE,
                    format!(
                        "SIRET {siret} déjà utilisé par le partenaire « {} »",
                        bound(first_id)
                    ),
                )
                .at_cell(ctx.ds, p.origin, p.siret_col, partner::SIRET.name())
                .record(p.origin)
                .value(siret)
                .hint(Some(format!(
                    "utilisez l'id « {} » pour ce partenaire",
                    bound(first_id)
                ))),
            ),
            Some(_) => {}
            None => {
                first.insert(siret, (i as u32, id));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_on_a_shared_siret() {
        let mut a = partner("P-1");
        a.siret = text(3, "73282932000074");
        let mut b = partner("P-2");
        b.siret = text(3, "73282932000074.0");
        let d = run_rule(&RULE, dataset(vec![], vec![a, b], vec![]), 2019);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].row, Some(3));
    }

    #[test]
    fn silent_on_distinct_sirets() {
        let mut a = partner("P-1");
        a.siret = text(3, "73282932000074");
        let b = partner("P-2");
        assert!(run_rule(&RULE, dataset(vec![], vec![a, b], vec![]), 2019).is_empty());
    }
}
