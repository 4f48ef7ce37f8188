use crate::checks::{Check, Context, Diagnostic, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "S001",
    name: "missing_column",
    severity: Severity::Erreur,
    summary: "colonne obligatoire absente",
    explanation: "\
## Ce que vérifie la règle
La ligne d'en-tête de chaque feuille doit contenir les colonnes obligatoires :
Conventions : id, intitule, echelle, partenaires, objectifs, date_debut, date_fin,
montant_total, statut ; Partenaires : id, nom, type ; Indicateurs : indicateur, annee, valeur.
Les noms sont reconnus sans tenir compte des majuscules, accents, espaces et tirets bas, avec
des synonymes (Intitulé, Objet, Date début, Montant…). L'en-tête est cherché dans les 10
premières lignes non vides, sous d'éventuelles lignes de titre.

## Pourquoi c'est important
Sans la colonne, aucune ligne de la feuille n'est exploitable : toute la feuille est écartée
des chiffres du rapport.

## Comment corriger
Ajoutez la colonne, ou renommez l'en-tête existant avec le nom attendu. Le modèle
`enrx template` donne tous les en-têtes.",
    check: Check::Set(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for sheet in &ctx.ds.sheets {
        for name in &sheet.missing_columns {
            let message = match sheet.header_row {
                Some(_) => format!("colonne obligatoire « {name} » absente"),
                None => format!(
                    "ligne d'en-tête introuvable dans les 10 premières lignes : colonne « {name} » absente"
                ),
            };
            out.push(
                Diagnostic::new(&RULE, message)
                    .in_sheet(ctx.ds, sheet.id)
                    .expected(format!("une colonne « {name} » dans la ligne d'en-tête")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_per_missing_column() {
        let mut ds = dataset(vec![], vec![], vec![]);
        ds.sheets[1].missing_columns = vec!["nom", "type"];
        let d = run_rule(&RULE, ds, 2019);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].message, "colonne obligatoire « nom » absente");
        assert_eq!(d[0].sheet.as_deref(), Some("Partenaires"));
    }

    #[test]
    fn silent_when_complete() {
        assert!(run_rule(&RULE, dataset(vec![], vec![], vec![]), 2019).is_empty());
    }
}
