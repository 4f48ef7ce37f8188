use crate::checks::{Check, Context, Diagnostic, Rule, Severity};
use crate::model::record::name_key;
use crate::model::schema::convention;
use crate::model::{DataSet, SheetId, SheetKind};
use crate::text::echo::bound;
use crate::text::nearest_hint;
use rustc_hash::FxHashMap;

pub static RULE: Rule = Rule {
    code: "R002",
    name: "unknown_partner",
    severity: Severity::Erreur,
    summary: "partenaire inconnu",
    explanation: "\
## Ce que vérifie la règle
Chaque id de la colonne partenaires d'une convention (séparés par ; ou ,) doit être l'id d'une
ligne d'une feuille Partenaires, dans ce fichier ou dans un autre fichier déposé avec lui.

## Pourquoi c'est important
Sans fiche partenaire, on ne connaît ni le type ni l'identité du bénéficiaire : la convention
ne peut être ventilée ni comptée parmi les partenariats associatifs.

## Comment corriger
Corrigez l'id (l'aide propose les ids connus les plus proches ; si la cellule porte le nom
d'un partenaire au lieu de son id, elle donne cet id) ou ajoutez le partenaire dans la feuille
Partenaires. Si vos partenaires sont dans une feuille au nom inconnu (« Feuil1 »), renommez-la
« Partenaires » (voir S010).",
    check: Check::Set(check),
};

/// Nearest-id hints compare against every partner: bounded so a huge file stays fast.
const MAX_HINTS: usize = 200;

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let ds = ctx.ds;
    let mut hints_given = 0;
    let mut by_name: Option<FxHashMap<std::num::NonZeroU64, &str>> = None;
    for c in &ds.conventions {
        for id in c.partner_ids() {
            if ds.partner_index.contains_key(id) {
                continue;
            }
            // Officers often write the partner's name: say which id it has.
            let by_name = by_name.get_or_insert_with(|| partners_by_name(ds));
            let hint = match by_name.get(&name_key(id)) {
                Some(known) => Some(format!(
                    "c'est le nom du partenaire {known} : écrivez son identifiant, {known}"
                )),
                None if let Some(list) =
                    super::joined_otherwise(id, |p| ds.partner_index.contains_key(p)) =>
                {
                    Some(format!(
                        "plusieurs partenaires ? séparez-les par des points-virgules : {list}"
                    ))
                }
                None => {
                    let nearest = (hints_given < MAX_HINTS).then(|| {
                        hints_given += 1;
                        nearest_hint(
                            id,
                            ds.partner_index.keys().map(String::as_str),
                            "identifiants proches",
                        )
                    });
                    where_else(ctx, c.origin.sheet, nearest.flatten())
                }
            };
            out.push(
                Diagnostic::new(&RULE, format!("partenaire inconnu « {} »", bound(id)))
                    .at_cell(ds, c.origin, c.partners_col, convention::PARTENAIRES.name())
                    .record(c.origin)
                    .value(id)
                    .expected("l'id d'une ligne d'une feuille Partenaires")
                    .hint(hint),
            );
        }
    }
}

/// The nearest ids, with where else the partner may be: a sheet of the same file left unread
/// (S010), the likeliest; else, for files checked one by one, another depositor's file.
fn where_else(ctx: &Context, sheet: SheetId, nearest: Option<String>) -> Option<String> {
    if let Some(unread) = unread_partners(ctx.ds, sheet) {
        let unread = format!(
            "la feuille « {} » de ce fichier contient un tableau de partenaires mais n'est pas \
             lue : renommez-la « Partenaires »",
            bound(unread)
        );
        return Some(match nearest {
            Some(h) => format!("{unread} ; {h}"),
            None => unread,
        });
    }
    if ctx.whole_data_set {
        return nearest;
    }
    // A partner shared between Parcs is declared once, often in ENRx's own file.
    let elsewhere = "s'il est déclaré dans le fichier d'un autre déposant, vérifiez les \
                     fichiers ensemble (enrx validate fichier1 fichier2) ou le dossier complet";
    Some(match nearest {
        Some(h) => format!("{h} ; {elsewhere}"),
        None => elsewhere.to_string(),
    })
}

/// Each partner's id by its name's key (the first partner of a name).
fn partners_by_name(ds: &DataSet) -> FxHashMap<std::num::NonZeroU64, &str> {
    let mut names = FxHashMap::default();
    for p in &ds.partners {
        if let (Some(key), Some(id)) = (p.name_key, p.id()) {
            names.entry(key).or_insert(id);
        }
    }
    names
}

/// A sheet of the file holding `sheet` that has a whole table of partners but was not read.
fn unread_partners(ds: &DataSet, sheet: SheetId) -> Option<&str> {
    let file = ds.files.get(sheet.file() as usize)?;
    file.unread_tables
        .iter()
        .find(|t| t.kind == SheetKind::Partenaires)
        .map(|t| t.sheet.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_with_nearest_ids() {
        let mut c = convention("C-1");
        c.partenaires = ok(4, vec!["P-0420".into()]);
        let ds = dataset(vec![c], vec![partner("P-0042"), partner("P-0421")], vec![]);
        let d = run_rule(&RULE, ds, 2019);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].message, "partenaire inconnu « P-0420 »");
        assert_eq!(d[0].cell.as_deref(), Some("E2"));
        assert_eq!(
            d[0].hint.as_deref(),
            Some("identifiants proches : P-0421, P-0042")
        );
    }

    #[test]
    fn names_the_partners_sheet_left_unread() {
        let mut c = convention("C-1");
        c.partenaires = ok(4, vec!["P-7".into()]);
        let mut ds = dataset(vec![c], vec![], vec![]);
        ds.files[0].unread_tables.push(crate::model::UnreadTable {
            sheet: "Feuil1".into(),
            kind: crate::model::SheetKind::Partenaires,
            header_row: 1,
        });
        let d = run_rule(&RULE, ds, 2019);
        assert_eq!(
            d[0].hint.as_deref(),
            Some(
                "la feuille « Feuil1 » de ce fichier contient un tableau de partenaires mais \
                 n'est pas lue : renommez-la « Partenaires »"
            )
        );
    }

    #[test]
    fn tells_the_id_of_a_partner_cited_by_name() {
        let mut c = convention("C-1");
        c.partenaires = ok(4, vec!["les blongios".into()]);
        let ds = dataset(vec![c], vec![partner("P-0042")], vec![]);
        let d = run_rule(&RULE, ds, 2019);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].hint.as_deref(),
            Some("c'est le nom du partenaire P-0042 : écrivez son identifiant, P-0042")
        );
    }

    #[test]
    fn tells_partners_joined_otherwise_than_by_semicolons() {
        let mut c = convention("C-1");
        c.partenaires = ok(4, vec!["P-1 / P-2".into()]);
        let ds = dataset(vec![c], vec![partner("P-1"), partner("P-2")], vec![]);
        let d = run_rule(&RULE, ds, 2019);
        assert_eq!(
            d[0].hint.as_deref(),
            Some("plusieurs partenaires ? séparez-les par des points-virgules : P-1;P-2")
        );
    }

    #[test]
    fn silent_when_every_partner_exists() {
        assert!(run_on_convention(&RULE, convention("C-1")).is_empty());
    }
}
