use crate::checks::{Check, Context, Diagnostic, Rule, Severity};
use crate::model::FileStatus;

pub static RULE: Rule = Rule {
    code: "F001",
    name: "unreadable",
    severity: Severity::Erreur,
    summary: "fichier illisible : corrompu, chiffré ou qui n'est pas un tableur",
    explanation: "\
## Ce que vérifie la règle
Chaque fichier déposé doit pouvoir être ouvert comme un tableur (xlsx, xlsm, xls, xlsb, ods)
ou un CSV. Un fichier vide, tronqué, corrompu, protégé par un mot de passe, ou qui n'est pas un
tableur (un PDF renommé en .xlsx, par exemple) est signalé.

## Pourquoi c'est important
Les conventions de ce fichier ne peuvent pas être comptées : le rapport serait incomplet sans
que personne ne le voie. Les autres fichiers sont tout de même vérifiés et comptés.

## Comment corriger
Rouvrez le fichier dans Excel ou LibreOffice et enregistrez-le de nouveau au format .xlsx
(Fichier > Enregistrer sous), sans mot de passe. S'il ne s'ouvre plus, redemandez-le à son auteur.",
    check: Check::Set(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for (i, f) in ctx.ds.files.iter().enumerate() {
        if let FileStatus::Unreadable(reason) = &f.status {
            out.push(
                Diagnostic::new(&RULE, format!("fichier illisible : {reason}"))
                    .in_file(ctx.ds, i as u32)
                    .expected("un classeur xlsx, xls, xlsb, ods ou un fichier CSV lisible"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_on_an_unreadable_file() {
        let mut ds = dataset(vec![], vec![], vec![]);
        ds.files[0].status = FileStatus::Unreadable("fichier vide".into());
        let d = run_rule(&RULE, ds, 2019);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].message, "fichier illisible : fichier vide");
        assert_eq!(d[0].file.as_deref(), Some("test.xlsx"));
    }

    #[test]
    fn silent_on_a_read_file() {
        assert!(run_rule(&RULE, dataset(vec![], vec![], vec![]), 2019).is_empty());
    }
}
