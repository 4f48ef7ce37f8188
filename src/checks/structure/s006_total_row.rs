use super::at_cell_ref;
use crate::checks::{Check, Context, Diagnostic, Rule, Severity};
use crate::text::echo::bound;

pub static RULE: Rule = Rule {
    code: "S006",
    name: "total_row",
    severity: Severity::Info,
    summary: "ligne de total ou de sous-total : laissée hors des données",
    explanation: "\
## Ce que vérifie la règle
Une ligne dont le seul texte est un libellé qui commence par « Total », « Sous-total » ou
« Total général » (majuscules et accents indifférents, dans n'importe quelle colonne), dont les
autres cellules sont des nombres ou des formules, et qui n'a aucune date, est une ligne de total :
elle n'est pas lue comme une convention (ou un partenaire, un indicateur). Une vraie convention
a toujours des dates : une convention intitulée « Total… » reste une convention.

## Pourquoi c'est important
Lue comme une donnée, une ligne de total donnerait une série d'erreurs (identifiant, dates,
statut vides) et, si elle passait, compterait deux fois les montants. Son montant est vérifié
contre la somme des lignes qu'il totalise (S007).

## Comment corriger
Rien à faire. Pour un fichier de dépôt plus simple, placez les totaux dans une autre feuille.",
    check: Check::Set(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for sheet in &ctx.ds.sheets {
        for total in &sheet.totals {
            let d = Diagnostic::new(
                &RULE,
                format!(
                    "ligne de total « {} » laissée hors des données",
                    bound(&total.label)
                ),
            );
            out.push(
                at_cell_ref(d, ctx.ds, sheet.id, total.row, total.label_col)
                    .value(total.label.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::{TotalLevel, TotalRow};

    #[test]
    fn fires_at_the_label_of_each_total_row() {
        let mut ds = dataset(vec![convention("C-1")], vec![], vec![]);
        ds.sheets[0].totals = vec![TotalRow {
            row: 3,
            label: "Total".into(),
            label_col: 0,
            level: TotalLevel::Total,
            amounts: vec![],
        }];
        let d = run_rule(&RULE, ds, 2019);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].message,
            "ligne de total « Total » laissée hors des données"
        );
        assert_eq!(d[0].cell.as_deref(), Some("A3"));
        assert!(d[0].record.is_none(), "an info excludes nothing");
    }

    #[test]
    fn silent_without_total_rows() {
        let ds = dataset(vec![convention("C-1")], vec![], vec![]);
        assert!(run_rule(&RULE, ds, 2019).is_empty());
    }
}
