use crate::checks::{Check, Context, Diagnostic, Rule, Severity};
use crate::text::echo::bound;

pub static RULE: Rule = Rule {
    code: "S003",
    name: "duplicate_column",
    severity: Severity::Erreur,
    summary: "colonne en double",
    explanation: "\
## Ce que vérifie la règle
Une colonne ne doit apparaître qu'une fois dans l'en-tête, synonymes compris
(« montant » et « montant_total » sont la même colonne).

## Pourquoi c'est important
Avec deux colonnes de même sens, on ne sait pas laquelle fait foi : la feuille est écartée des
chiffres plutôt que de choisir au hasard.

## Comment corriger
Supprimez ou renommez l'une des deux colonnes.",
    check: Check::Set(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for sheet in &ctx.ds.sheets {
        for header in &sheet.duplicate_columns {
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!("colonne « {} » en double", bound(&header.name)),
                )
                .at_header(ctx.ds, sheet.id, Some(header.col), &header.name)
                .value(header.name.clone())
                .expected("une seule colonne de ce nom (ou de ses synonymes)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::dataset::HeaderCell;

    #[test]
    fn fires_on_a_repeated_column() {
        let mut ds = dataset(vec![], vec![], vec![]);
        ds.sheets[0].duplicate_columns = vec![HeaderCell {
            name: "Montant".into(),
            col: 17,
        }];
        let d = run_rule(&RULE, ds, 2019);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].cell.as_deref(), Some("R1"));
    }

    #[test]
    fn silent_without_repeats() {
        assert!(run_rule(&RULE, dataset(vec![], vec![], vec![]), 2019).is_empty());
    }
}
