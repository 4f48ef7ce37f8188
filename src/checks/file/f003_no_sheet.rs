use crate::checks::{Check, Context, Diagnostic, Rule, Severity};
use crate::model::FileStatus;

pub static RULE: Rule = Rule {
    code: "F003",
    name: "no_sheet",
    severity: Severity::Erreur,
    summary: "aucune feuille reconnue dans le fichier",
    explanation: "\
## Ce que vérifie la règle
Un classeur doit contenir au moins une feuille nommée Conventions, Partenaires ou Indicateurs
(majuscules et accents indifférents) ; à défaut, une feuille dont une des 10 premières lignes
porte au moins deux noms de colonnes connus. Un CSV est reconnu par son nom
(conventions….csv, partenaires….csv, indicateurs….csv) ou par sa ligne d'en-tête.

## Pourquoi c'est important
Un fichier sans feuille reconnue n'apporte aucune donnée : il a sans doute été mal nommé
ou ses en-têtes ont été modifiés.

## Comment corriger
Renommez la feuille (Conventions, Partenaires, Indicateurs) ou partez du modèle
`enrx template`, qui a les bonnes feuilles et les bons en-têtes.",
    check: Check::Set(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for (i, f) in ctx.ds.files.iter().enumerate() {
        if f.status == FileStatus::Read && f.sheets.is_empty() {
            out.push(
                Diagnostic::new(
                    &RULE,
                    "aucune feuille Conventions, Partenaires ou Indicateurs reconnue",
                )
                .in_file(ctx.ds, i as u32)
                .expected("une feuille nommée Conventions, Partenaires ou Indicateurs, avec sa ligne d'en-tête")
                .hint(Some("partez du modèle : enrx template -o modele.xlsx".into())),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_on_a_file_without_known_sheets() {
        let mut ds = dataset(vec![], vec![], vec![]);
        ds.files[0].sheets.clear();
        assert_eq!(run_rule(&RULE, ds, 2019).len(), 1);
    }

    #[test]
    fn silent_when_a_sheet_is_recognised() {
        assert!(run_rule(&RULE, dataset(vec![], vec![], vec![]), 2019).is_empty());
    }
}
