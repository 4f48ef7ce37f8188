use crate::text::echo::bound;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use crate::checks::{Check, Context, Diagnostic, Rule, Severity};
use crate::model::schema::{convention, partner};
use crate::model::{ConventionCore, DataSet, Origin, PartnerCore};

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
    check: Check::Set(check),
};

fn where_is(ds: &DataSet, origin: Origin, col: Option<u16>, column: &str) -> String {
    let d = Diagnostic::new(&RULE, "").at_cell(ds, origin, col, column);
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

/// 32 bits of a fast fixed-key hash: the same on every run. A crafted collision costs only a
/// longer sort of that run by id, never a wrong answer, so no DoS-resistant hasher is needed.
fn id_hash(id: &str) -> u32 {
    let mut h = rustc_hash::FxHasher::default();
    id.hash(&mut h);
    (h.finish() ^ (h.finish() >> 32)) as u32
}

/// Sorting finds the repeats without a hash table: the rows' ids are hashed to 32 bits and
/// (hash, position) pairs sorted, 8 bytes a row instead of a map of strings; rows of equal
/// hash are then sorted by id, so that a collision never passes for a repeat.
fn duplicates<T: Identified>(
    ctx: &Context,
    out: &mut Vec<Diagnostic>,
    what: &str,
    rows: &[T],
    id_column: &str,
) {
    let mut keys: Vec<(u32, u32)> = rows
        .par_iter()
        .enumerate()
        .filter_map(|(i, r)| Some((id_hash(r.id()?), i as u32)))
        .collect();
    keys.par_sort_unstable();
    for same_hash in keys.chunk_by(|a, b| a.0 == b.0) {
        if same_hash.len() < 2 {
            continue;
        }
        let mut run: Vec<u32> = same_hash.iter().map(|&(_, i)| i).collect();
        run.sort_unstable_by_key(|&i| (rows[i as usize].id(), i));
        for group in run.chunk_by(|&a, &b| rows[a as usize].id() == rows[b as usize].id()) {
            let (first_origin, first_col) = rows[group[0] as usize].place();
            for &i in &group[1..] {
                let row = &rows[i as usize];
                let id = row.id().unwrap_or_default();
                let (origin, col) = row.place();
                out.push(
                    Diagnostic::new(
                        &RULE,
                        format!("identifiant de {what} « {} » en double", bound(id)),
                    )
                    .at_cell(ctx.ds, origin, col, id_column)
                    .record(origin)
                    .value(id)
                    .expected("un identifiant unique dans l'ensemble des fichiers")
                    .hint(Some(format!(
                        "première occurrence : {}",
                        where_is(ctx.ds, first_origin, first_col, id_column)
                    ))),
                );
            }
        }
    }
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let ds = ctx.ds;
    let conventions = convention::ID.name();
    duplicates(ctx, out, "convention", &ds.conventions, conventions);
    duplicates(ctx, out, "partenaire", &ds.partners, partner::ID.name());
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
    fn ids_sharing_a_hash_are_not_repeats() {
        let ids: Vec<String> = (0..300_000).map(|n| format!("C-{n:06}")).collect();
        let hashes: std::collections::HashSet<u32> = ids.iter().map(|i| id_hash(i)).collect();
        assert!(
            hashes.len() < ids.len(),
            "the test needs ids sharing a hash"
        );
        let mut conventions: Vec<_> = ids.iter().map(|i| convention(i)).collect();
        conventions.push(convention("C-000042"));
        let d = run_rule(
            &RULE,
            dataset(conventions, vec![partner("P-1")], vec![]),
            2019,
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].value.as_deref(), Some("C-000042"));
        assert_eq!(d[0].row, Some(300_002));
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
