use crate::checks::{Check, Context, Diagnostic, Rule, Severity};
use crate::model::{Origin, SheetInfo};
use crate::text::echo::bound;
use crate::text::plural;

pub static RULE: Rule = Rule {
    code: "S008",
    name: "hidden_rows",
    severity: Severity::Info,
    summary: "lignes ou colonnes masquées lues comme des données",
    explanation: "\
## Ce que vérifie la règle
Les lignes et les colonnes masquées d'une feuille (clic droit > Masquer, ou un filtre) sont lues
comme les autres : enrx le dit une fois par feuille, avec le nombre de lignes masquées lues et
les premières d'entre elles, et les colonnes connues masquées.

## Pourquoi c'est important
Masquer une ligne ne la supprime pas : une convention masquée pour « l'enlever » compte
toujours dans les chiffres du rapport, et ses erreurs sont signalées.

## Comment corriger
Affichez les lignes masquées (sélectionnez tout, clic droit > Afficher) et supprimez celles qui
ne doivent pas compter. Une ligne masquée qui doit compter peut rester : l'information le
confirme simplement.",
    check: Check::Set(check),
};

/// `4, 5 et 9`, and how many more.
fn row_list(sheet: &SheetInfo) -> String {
    let named: Vec<String> = sheet
        .hidden_row_numbers
        .iter()
        .map(u32::to_string)
        .collect();
    let more = sheet.hidden_rows.saturating_sub(named.len());
    match (named.as_slice(), more) {
        ([], _) => String::new(),
        ([one], 0) => format!("ligne {one}"),
        ([init @ .., last], 0) => format!("lignes {} et {last}", init.join(", ")),
        (all, more) => format!(
            "lignes {} et {}",
            all.join(", "),
            plural(more, "autre", "autres")
        ),
    }
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for sheet in &ctx.ds.sheets {
        let mut parts = Vec::new();
        if sheet.hidden_rows > 0 {
            parts.push(format!(
                "{} lue{} comme des données ({})",
                plural(sheet.hidden_rows, "ligne masquée", "lignes masquées"),
                if sheet.hidden_rows > 1 { "s" } else { "" },
                row_list(sheet)
            ));
        }
        if !sheet.hidden_columns.is_empty() {
            let names: Vec<String> = sheet
                .hidden_columns
                .iter()
                .map(|h| format!("« {} »", bound(&h.name)))
                .collect();
            parts.push(format!(
                "{} {} lue{} comme les autres",
                if names.len() > 1 {
                    "colonnes masquées"
                } else {
                    "colonne masquée"
                },
                names.join(", "),
                if names.len() > 1 { "s" } else { "" }
            ));
        }
        if parts.is_empty() {
            continue;
        }
        let d = Diagnostic::new(&RULE, parts.join(" ; ")).hint(Some(
            "masquer ne supprime pas : supprimez les lignes qui ne doivent pas compter".into(),
        ));
        out.push(
            match (
                sheet.hidden_row_numbers.first(),
                sheet.hidden_columns.first(),
            ) {
                (Some(&row), _) => d.at_row(
                    ctx.ds,
                    Origin {
                        sheet: sheet.id,
                        row,
                    },
                ),
                (None, Some(h)) => d.at_header(ctx.ds, sheet.id, Some(h.col), &h.name),
                (None, None) => d.in_sheet(ctx.ds, sheet.id),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::HeaderCell;
    use crate::model::schema::convention;

    #[test]
    fn fires_once_per_sheet_with_the_count() {
        let mut ds = dataset(vec![convention("C-1")], vec![partner("P-1")], vec![]);
        ds.sheets[0].hidden_rows = 12;
        ds.sheets[0].hidden_row_numbers = (4..14).collect();
        ds.sheets[0].hidden_columns = vec![HeaderCell {
            name: convention::PART_AUTRES.name().into(),
            col: 14,
        }];
        ds.sheets[1].hidden_rows = 1;
        ds.sheets[1].hidden_row_numbers = vec![2];
        let d = run_rule(&RULE, ds, 2019);
        assert_eq!(d.len(), 2);
        assert_eq!(
            d[0].message,
            "12 lignes masquées lues comme des données (lignes 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 \
             et 2 autres) ; colonne masquée « part_autres » lue comme les autres"
        );
        assert_eq!(d[0].row, Some(4));
        assert_eq!(
            d[1].message,
            "1 ligne masquée lue comme des données (ligne 2)"
        );
    }

    #[test]
    fn silent_when_nothing_is_hidden() {
        let ds = dataset(vec![convention("C-1")], vec![partner("P-1")], vec![]);
        assert!(run_rule(&RULE, ds, 2019).is_empty());
    }
}
