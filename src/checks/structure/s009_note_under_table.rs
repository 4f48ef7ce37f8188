use super::at_cell_ref;
use crate::checks::{Check, Context, Diagnostic, Rule, Severity};
use crate::text::echo::bound;

pub static RULE: Rule = Rule {
    code: "S009",
    name: "note_under_table",
    severity: Severity::Info,
    summary: "note sous le tableau : laissée hors des données",
    explanation: "\
## Ce que vérifie la règle
Sous la dernière ligne de données, une ligne qui ne contient qu'un texte (« Données
provisoires au 15/01 », « Source : service financier ») est une note : elle n'est pas lue comme
une donnée, et son texte est rappelé ici. Un texte seul suivi d'autres lignes de données est,
lui, une ligne de données incomplète. Dans la colonne de l'identifiant, un mot seul sans espace
(`C-2020-099`) reste une ligne commencée, signalée comme incomplète.

## Pourquoi c'est important
Lue comme une donnée, une note donnerait une série d'erreurs « cellule obligatoire vide ». Son
texte peut aussi dire quelque chose des données (chiffres provisoires) : le voici dans le
rapport d'anomalies.

## Comment corriger
Rien à faire. Si la note compte pour ENRx, dites-le aussi dans le message qui accompagne
l'envoi.",
    check: Check::Set(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for sheet in &ctx.ds.sheets {
        for note in &sheet.notes {
            let d = Diagnostic::new(
                &RULE,
                format!(
                    "note sous le tableau : « {} », laissée hors des données",
                    bound(&note.text)
                ),
            );
            out.push(at_cell_ref(d, ctx.ds, sheet.id, note.row, note.col).value(note.text.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::NoteRow;

    #[test]
    fn fires_with_the_note_s_text() {
        let mut ds = dataset(vec![convention("C-1")], vec![], vec![]);
        ds.sheets[0].notes = vec![NoteRow {
            row: 5,
            col: 0,
            text: "Données provisoires au 15/01".into(),
        }];
        let d = run_rule(&RULE, ds, 2019);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].message,
            "note sous le tableau : « Données provisoires au 15/01 », laissée hors des données"
        );
        assert_eq!(d[0].cell.as_deref(), Some("A5"));
    }

    #[test]
    fn silent_without_notes() {
        let ds = dataset(vec![convention("C-1")], vec![], vec![]);
        assert!(run_rule(&RULE, ds, 2019).is_empty());
    }
}
