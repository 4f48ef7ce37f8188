use rayon::prelude::*;

use crate::checks::{Context, Diagnostic, Pass, Rule, Severity};
use crate::model::{ConventionCore, DataSet, Origin, PartnerCore, RecordRef};

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
    pass: Pass::Set,
};

fn where_is(ds: &DataSet, origin: Origin, col: Option<u16>) -> String {
    let d = Diagnostic::new(&RULE, "").at_cell(ds, origin, col, "id");
    d.location().unwrap_or_default()
}

/// What R001 reads of a row.
trait Identified: Sync {
    fn id(&self) -> Option<&str>;
    fn place(&self) -> (Origin, Option<u16>);
}

impl Identified for ConventionCore {
    fn id(&self) -> Option<&str> {
        ConventionCore::id(self)
    }
    fn place(&self) -> (Origin, Option<u16>) {
        (self.origin, self.id_col)
    }
}

impl Identified for PartnerCore {
    fn id(&self) -> Option<&str> {
        PartnerCore::id(self)
    }
    fn place(&self) -> (Origin, Option<u16>) {
        (self.origin, self.id_col)
    }
}

/// Sorting the rows by id (then by position) finds the repeats without a hash table: a
/// million ids cost 4 MB of indices instead of a map of strings.
fn duplicates<T: Identified>(
    ctx: &Context,
    out: &mut Vec<Diagnostic>,
    what: &str,
    rows: &[T],
    record: fn(u32) -> RecordRef,
) {
    let mut order: Vec<u32> = (0..rows.len() as u32)
        .filter(|&i| rows[i as usize].id().is_some())
        .collect();
    order.par_sort_unstable_by_key(|&i| (rows[i as usize].id(), i));
    for group in order.chunk_by(|&a, &b| rows[a as usize].id() == rows[b as usize].id()) {
        let (first_origin, first_col) = rows[group[0] as usize].place();
        for &i in &group[1..] {
            let row = &rows[i as usize];
            let id = row.id().unwrap_or_default();
            let (origin, col) = row.place();
            out.push(
                Diagnostic::new(&RULE, format!("identifiant de {what} « {id} » en double"))
                    .at_cell(ctx.ds, origin, col, "id")
                    .record(record(i))
                    .value(id)
                    .expected("un identifiant unique dans l'ensemble des fichiers")
                    .hint(Some(format!(
                        "première occurrence : {}",
                        where_is(ctx.ds, first_origin, first_col)
                    ))),
            );
        }
    }
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let ds = ctx.ds;
    duplicates(
        ctx,
        out,
        "convention",
        &ds.conventions,
        RecordRef::Convention,
    );
    duplicates(ctx, out, "partenaire", &ds.partners, RecordRef::Partner);
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
