use crate::checks::{Check, Context, Diagnostic, Rule, Severity};
use crate::text::echo::bound;

pub static RULE: Rule = Rule {
    code: "S010",
    name: "unread_table",
    severity: Severity::Info,
    summary: "feuille au nom inconnu qui contient un tableau entier : non lue",
    explanation: "\
## Ce que vérifie la règle
Dans un classeur qui a des feuilles nommées Conventions, Partenaires ou Indicateurs, les
autres feuilles ne sont pas lues. Quand l'une d'elles contient pourtant un tableau entier (un
en-tête avec la colonne id, ou indicateur, et au moins deux autres colonnes connues), enrx le
signale : c'est souvent une feuille ajoutée sans être renommée (« Feuil1 »).

## Pourquoi c'est important
Ses lignes ne comptent pas : des partenaires qui y sont déclarés sont « inconnus » (R002) et
des conventions qui y sont listées manquent au rapport. Elle n'est pas lue d'office, car ce
peut aussi être une copie de l'an dernier, que lire compterait deux fois.

## Comment corriger
Si ce sont des données à déposer, renommez la feuille (Conventions, Partenaires ou
Indicateurs, ou un nom qui les contient : « Partenaires 2020 »). Si c'est une copie ou un
brouillon, supprimez-la ou laissez-la : ce n'est qu'une information.",
    check: Check::Set(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for (i, file) in ctx.ds.files.iter().enumerate() {
        for table in &file.unread_tables {
            let kind = table.kind.name();
            let mut d = Diagnostic::new(
                &RULE,
                format!(
                    "feuille {} non lue : elle contient un tableau de {} (en-tête ligne {})",
                    bound(&table.sheet),
                    kind.to_lowercase(),
                    table.header_row
                ),
            )
            .in_file(ctx.ds, i as u32)
            .expected(format!(
                "une feuille nommée « {kind} » pour que ses lignes soient lues"
            ))
            .hint(Some(format!(
                "si ce sont des données à déposer, renommez la feuille « {kind} » ; si c'est \
                 une copie, supprimez-la"
            )));
            d.sheet = Some(bound(&table.sheet).into_owned());
            d.row = Some(table.header_row);
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::{SheetKind, UnreadTable};

    #[test]
    fn fires_on_a_table_in_a_sheet_not_named_like_ours() {
        let mut ds = dataset(vec![convention("C-1")], vec![], vec![]);
        ds.files[0].unread_tables.push(UnreadTable {
            sheet: "Feuil1".into(),
            kind: SheetKind::Partenaires,
            header_row: 3,
        });
        let d = run_rule(&RULE, ds, 2019);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].message,
            "feuille Feuil1 non lue : elle contient un tableau de partenaires (en-tête ligne 3)"
        );
        assert_eq!(d[0].sheet.as_deref(), Some("Feuil1"));
        assert_eq!(d[0].row, Some(3));
    }

    #[test]
    fn silent_when_every_table_is_read() {
        let ds = dataset(vec![convention("C-1")], vec![partner("P-1")], vec![]);
        assert!(run_rule(&RULE, ds, 2019).is_empty());
    }
}
