use std::collections::HashMap;

use crate::checks::{Context, Diagnostic, Rule, Severity};
use crate::model::{DataSet, Field, Origin, RecordRef};

pub static RULE: Rule = Rule {
    code: "R001",
    name: "duplicate_id",
    severity: Severity::Erreur,
    summary: "identifiant en double (dans un fichier ou entre fichiers)",
    explanation: "\
## Ce que vérifie la règle
L'id d'une convention et l'id d'un partenaire doivent être uniques dans tout le jeu de
données : tous les fichiers déposés ensemble, pas seulement le fichier courant.

## Pourquoi c'est important
Deux lignes de même id seraient comptées deux fois, ou l'une masquerait l'autre ; et les
conventions ne sauraient pas quel partenaire elles désignent.

## Comment corriger
Donnez un id distinct à chaque ligne. Si la même convention figure dans deux fichiers (envoyée
par le Parc et par ENRx), gardez-la dans un seul. L'aide indique où est la première occurrence.",
    check,
    aggregate: false,
};

fn where_is(ds: &DataSet, origin: Origin, col: Option<u16>) -> String {
    let d = Diagnostic::new(&RULE, "").at_cell(ds, origin, col, "id");
    d.location().unwrap_or_default()
}

fn duplicates<'a>(
    ctx: &Context,
    out: &mut Vec<Diagnostic>,
    what: &str,
    rows: impl Iterator<Item = (RecordRef, Origin, &'a Field<String>)>,
) {
    let mut first: HashMap<&str, (Origin, Option<u16>)> = HashMap::new();
    for (record, origin, id) in rows {
        let Some(text) = id.text() else { continue };
        match first.get(text) {
            Some(&(first_origin, first_col)) => out.push(
                Diagnostic::new(&RULE, format!("identifiant de {what} « {text} » en double"))
                    .at_cell(ctx.ds, origin, id.col, "id")
                    .record(record)
                    .value(text)
                    .expected("un identifiant unique dans l'ensemble des fichiers")
                    .hint(Some(format!(
                        "première occurrence : {}",
                        where_is(ctx.ds, first_origin, first_col)
                    ))),
            ),
            None => {
                first.insert(text, (origin, id.col));
            }
        }
    }
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let ds = ctx.ds;
    duplicates(
        ctx,
        out,
        "convention",
        ds.conventions
            .iter()
            .enumerate()
            .map(|(i, c)| (RecordRef::Convention(i as u32), c.origin, &c.id)),
    );
    duplicates(
        ctx,
        out,
        "partenaire",
        ds.partners
            .iter()
            .enumerate()
            .map(|(i, p)| (RecordRef::Partner(i as u32), p.origin, &p.id)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_on_the_second_occurrence() {
        let ds = dataset(
            vec![convention("C-1"), convention("C-1")],
            vec![partner("P-1")],
            vec![],
        );
        let d = run_rule(&RULE, ds, 2019);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].row, Some(3));
        assert_eq!(
            d[0].hint.as_deref(),
            Some("première occurrence : test.xlsx, feuille Conventions, cellule A2")
        );
    }

    #[test]
    fn silent_on_distinct_ids() {
        let ds = dataset(
            vec![convention("C-1"), convention("C-2")],
            vec![partner("P-1")],
            vec![],
        );
        assert!(run_rule(&RULE, ds, 2019).is_empty());
    }
}
