use crate::text::echo::bound;

use crate::checks::{Check, Context, Diagnostic, Rule, Severity};
use crate::model::schema::partner;

pub static RULE: Rule = Rule {
    code: "R005",
    name: "unused_partner",
    severity: Severity::Avertissement,
    summary: "partenaire cité par aucune convention",
    explanation: "\
## Ce que vérifie la règle
Chaque partenaire de la feuille Partenaires devrait être cité par au moins une convention,
dans l'un des fichiers déposés. La vérification porte sur un dossier complet : sur un fichier
vérifié seul, ses partenaires peuvent être cités par les conventions d'autres fichiers.

## Pourquoi c'est important
Un partenaire orphelin signale souvent une convention oubliée ou un id mal recopié dans la
colonne partenaires d'une convention.

## Comment corriger
Ajoutez la convention manquante ou corrigez l'id dans la convention ; sinon retirez la ligne
du partenaire.",
    // The conventions citing a partner may be in any file of the set.
    check: Check::Aggregate(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    // The links already name, for every id a convention cites, the partner that defines it
    // first: a partner is cited when the first definition of its id is.
    let mut cited = vec![false; ctx.ds.partners.len()];
    for &i in &ctx.ds.partner_links {
        if let Some(c) = cited.get_mut(i as usize) {
            *c = true;
        }
    }
    for p in &ctx.ds.partners {
        let Some(id) = p.id() else { continue };
        let first = ctx.ds.partner_index.get(id).map(|&i| i as usize);
        if first.is_none_or(|i| cited.get(i) != Some(&true)) {
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!("partenaire « {} » cité par aucune convention", bound(id)),
                )
                .at_cell(ctx.ds, p.origin, p.id_col, partner::ID.name())
                .record(p.origin)
                .value(id),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_on_an_orphan_partner() {
        let ds = dataset(
            vec![convention("C-1")],
            vec![partner("P-1"), partner("P-2")],
            vec![],
        );
        let d = run_rule(&RULE, ds, 2019);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].value.as_deref(), Some("P-2"));
    }

    #[test]
    fn silent_when_every_partner_is_cited() {
        assert!(run_on_convention(&RULE, convention("C-1")).is_empty());
    }
}
