use crate::checks::{Check, Context, Diagnostic, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "F004",
    name: "windows_1252",
    severity: Severity::Info,
    summary: "fichier texte décodé en Windows-1252",
    explanation: "\
## Ce que vérifie la règle
Un CSV qui n'est pas de l'UTF-8 valide (sur tout le fichier, pas seulement le début) est lu
en Windows-1252, l'encodage du « CSV (séparateur : point-virgule) » d'Excel en français.

## Pourquoi c'est important
C'est en général juste, mais un fichier venu d'un autre système (Mac ancien, ISO-8859-15…)
pourrait avoir quelques caractères mal lus : mieux vaut le savoir.

## Comment corriger
Rien à faire si les accents sont bons dans le rapport. Pour lever le doute, enregistrez
depuis Excel au format « CSV UTF-8 (délimité par des virgules) », ou envoyez le classeur .xlsx.",
    check: Check::Set(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for (i, f) in ctx.ds.files.iter().enumerate() {
        if f.decoded_as_windows_1252 {
            out.push(
                Diagnostic::new(&RULE, "fichier lu en Windows-1252 (il n'est pas en UTF-8)")
                    .in_file(ctx.ds, i as u32),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_on_a_windows_1252_file() {
        let mut ds = dataset(vec![], vec![], vec![]);
        ds.files[0].decoded_as_windows_1252 = true;
        assert_eq!(run_rule(&RULE, ds, 2019).len(), 1);
    }

    #[test]
    fn silent_on_utf8() {
        assert!(run_rule(&RULE, dataset(vec![], vec![], vec![]), 2019).is_empty());
    }
}
