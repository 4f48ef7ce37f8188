use crate::checks::{Check, Context, Diagnostic, Rule, Severity};
use crate::diagnostic::column_letters;
use crate::model::Origin;
use crate::text::echo::bound;

pub static RULE: Rule = Rule {
    code: "S005",
    name: "merged_range",
    severity: Severity::Info,
    summary: "cellules fusionnées dans les données : la valeur vaut pour chaque ligne",
    explanation: "\
## Ce que vérifie la règle
Une cellule fusionnée sur plusieurs lignes sous l'en-tête (le même Parc ou le même statut
fusionné sur les lignes qui le partagent) est lue comme le tableur l'affiche : sa valeur vaut
pour chacune des lignes qu'elle couvre. enrx le signale une fois par plage fusionnée, à sa
première cellule. Les fusions au-dessus de l'en-tête (titres) sont ignorées.

## Pourquoi c'est important
Dans le fichier, seule la première cellule d'une plage fusionnée contient la valeur ; les
autres sont vides. Un tri, un filtre, un copier-coller ou un autre logiciel les liront vides :
la valeur ne tient qu'à la mise en forme. Un montant fusionné est compté pour chaque ligne,
ce qui est rarement voulu.

## Comment corriger
Défusionnez la plage (Accueil > Fusionner et centrer, pour l'annuler) puis recopiez la valeur
dans chaque ligne (sélectionnez la plage, Ctrl+D ou poignée de recopie).",
    check: Check::Set(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for sheet in &ctx.ds.sheets {
        for merge in &sheet.merges {
            let r = merge.range;
            let first = format!("{}{}", column_letters(r.first_col), r.first_row);
            let range = format!("{first}:{}{}", column_letters(r.last_col), r.last_row);
            let what = match &merge.value {
                Some(v) => format!("« {} » repris", bound(v)),
                None => format!("la valeur de {first} est reprise"),
            };
            let origin = Origin {
                sheet: sheet.id,
                row: r.first_row,
            };
            let mut d = Diagnostic::new(
                &RULE,
                format!(
                    "cellule fusionnée {range} : {what} sur {} lignes ; mieux vaut défusionner et recopier",
                    merge.rows
                ),
            )
            .at_cell(ctx.ds, origin, Some(r.first_col), merge.column);
            if let Some(v) = &merge.value {
                d = d.value(v.clone());
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::{MergedData, MergedRange};

    fn merge(value: Option<&str>) -> MergedData {
        MergedData {
            range: MergedRange {
                first_row: 4,
                first_col: 3,
                last_row: 8,
                last_col: 3,
            },
            column: crate::model::schema::convention::PARC.name(),
            rows: 5,
            value: value.map(str::to_string),
            filled_after_checks: true,
        }
    }

    #[test]
    fn fires_once_per_merged_range_at_its_first_cell() {
        let mut ds = dataset(vec![convention("C-1")], vec![], vec![]);
        ds.sheets[0].merges = vec![merge(Some("AVE")), merge(None)];
        let d = run_rule(&RULE, ds, 2019);
        assert_eq!(d.len(), 2);
        assert_eq!(
            d[0].message,
            "cellule fusionnée D4:D8 : « AVE » repris sur 5 lignes ; mieux vaut défusionner et recopier"
        );
        assert_eq!(d[0].cell.as_deref(), Some("D4"));
        assert_eq!(d[0].severity, Severity::Info);
        assert!(
            d[1].message
                .contains("la valeur de D4 est reprise sur 5 lignes")
        );
    }

    #[test]
    fn silent_without_merges() {
        let ds = dataset(vec![convention("C-1")], vec![partner("P-1")], vec![]);
        assert!(run_rule(&RULE, ds, 2019).is_empty());
    }
}
