use crate::checks::{Check, Context, Diagnostic, Rule, Severity};
use crate::model::schema::specs;
use crate::text::echo::bound;
use crate::text::nearest_hint;

pub static RULE: Rule = Rule {
    code: "S002",
    name: "unknown_column",
    severity: Severity::Avertissement,
    summary: "colonne inconnue, ignorée",
    explanation: "\
## Ce que vérifie la règle
Chaque en-tête doit nommer une colonne connue de la feuille. Une colonne inconnue est ignorée.

## Pourquoi c'est important
C'est souvent une colonne attendue mal orthographiée (« Montan total ») : ses valeurs
seraient perdues sans que personne ne le sache. Une colonne de remarques ajoutée exprès peut
rester, l'avertissement le confirme simplement.

## Comment corriger
Corrigez l'en-tête (l'aide propose le nom connu le plus proche) ou laissez la colonne si elle
n'est là que pour vous.",
    check: Check::Set(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for sheet in &ctx.ds.sheets {
        let known = || specs(sheet.kind).iter().map(|s| s.name);
        for header in &sheet.unknown_columns {
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!("colonne inconnue « {} », ignorée", bound(&header.name)),
                )
                .at_header(ctx.ds, sheet.id, Some(header.col), &header.name)
                .value(header.name.clone())
                .hint(nearest_hint(
                    &header.name,
                    known(),
                    "colonnes connues proches",
                )),
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
    fn fires_with_the_nearest_name() {
        let mut ds = dataset(vec![], vec![], vec![]);
        ds.sheets[0].unknown_columns = vec![HeaderCell {
            name: "montan_total".into(),
            col: 11,
        }];
        let d = run_rule(&RULE, ds, 2019);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].cell.as_deref(), Some("L1"));
        assert_eq!(
            d[0].hint.as_deref(),
            Some("colonnes connues proches : montant_total")
        );
    }

    #[test]
    fn silent_when_every_column_is_known() {
        assert!(run_rule(&RULE, dataset(vec![], vec![], vec![]), 2019).is_empty());
    }
}
