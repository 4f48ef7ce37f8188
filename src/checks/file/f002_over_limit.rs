use crate::checks::{Check, Context, Diagnostic, Rule, Severity};
use crate::model::FileStatus;

pub static RULE: Rule = Rule {
    code: "F002",
    name: "over_limit",
    severity: Severity::Erreur,
    summary: "limite de ressources dépassée (taille, lignes, cellules, taille décompressée, durée, mémoire)",
    explanation: "\
## Ce que vérifie la règle
Avant et pendant la lecture, enrx compare chaque fichier à des limites : taille du fichier,
nombre de lignes et de cellules, taille une fois décompressé (un xlsx ou un ods est une archive
zip) et rapport de compression, longueur d'une cellule, cellules hors de la grille d'Excel,
durée de lecture, mémoire du lecteur de classeurs xls.

## Pourquoi c'est important
Un fichier démesuré, accidentel ou malveillant, pourrait épuiser la mémoire ou bloquer le
traitement de tous les autres fichiers, y compris la nuit sous cron. Il est écarté seul.

## Comment corriger
Vérifiez que le fichier ne contient que les feuilles attendues (pas de colonnes ou de lignes
remplies jusqu'au bout de la feuille par erreur). Si le volume est réel, relevez la limite :
options --max-taille, --max-lignes, --max-cellules, --max-decompresse, --max-expansion,
--max-duree, --max-memoire.",
    check: Check::Set(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for (i, f) in ctx.ds.files.iter().enumerate() {
        if let FileStatus::OverLimit(reason) = &f.status {
            out.push(
                Diagnostic::new(&RULE, format!("fichier écarté, limite dépassée : {reason}"))
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
    fn fires_on_a_file_over_a_limit() {
        let mut ds = dataset(vec![], vec![], vec![]);
        ds.files[0].status = FileStatus::OverLimit("plus de 10 lignes".into());
        let d = run_rule(&RULE, ds, 2019);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("plus de 10 lignes"));
    }

    #[test]
    fn silent_within_limits() {
        assert!(run_rule(&RULE, dataset(vec![], vec![], vec![]), 2019).is_empty());
    }
}
