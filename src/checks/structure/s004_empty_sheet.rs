use crate::checks::{Check, Context, Diagnostic, Rule, Severity};
use crate::text::echo::bound;

pub static RULE: Rule = Rule {
    code: "S004",
    name: "empty_sheet",
    severity: Severity::Avertissement,
    summary: "feuille sans ligne de données",
    explanation: "\
## Ce que vérifie la règle
Une feuille reconnue (Conventions, Partenaires, Indicateurs) doit avoir au moins une ligne de
données sous son en-tête.

## Pourquoi c'est important
Une feuille vide est souvent un oubli : données collées dans une autre feuille, ou fichier
enregistré avant d'être rempli.

## Comment corriger
Remplissez la feuille, ou supprimez-la si elle est inutile.",
    check: Check::Set(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for sheet in &ctx.ds.sheets {
        if sheet.data_rows == 0 && sheet.header_row.is_some() {
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!("feuille {} sans ligne de données", bound(&sheet.name)),
                )
                .in_sheet(ctx.ds, sheet.id),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_on_an_empty_sheet() {
        let ds = dataset(vec![convention("C-1")], vec![partner("P-1")], vec![]);
        let d = run_rule(&RULE, ds, 2019);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].sheet.as_deref(), Some("Indicateurs"));
    }

    #[test]
    fn silent_when_every_sheet_has_rows() {
        let ds = dataset(
            vec![convention("C-1")],
            vec![partner("P-1")],
            vec![indicator("OS1-I2", 2019, "3")],
        );
        assert!(run_rule(&RULE, ds, 2019).is_empty());
    }
}
