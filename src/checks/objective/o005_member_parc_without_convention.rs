use crate::checks::{Check, Context, Diagnostic, Rule, Severity};
use crate::model::Echelle;

pub static RULE: Rule = Rule {
    code: "O005",
    name: "member_parc_without_convention",
    severity: Severity::Avertissement,
    summary: "parc membre sans convention territoriale active dans l'année",
    explanation: "\
## Ce que vérifie la règle
Chaque Parc membre du syndicat mixte ENRx (Scarpe-Escaut, Avesnois, Caps et Marais d'Opale)
devrait avoir une convention territoriale ENRx/Parc active dans l'année.

## Pourquoi c'est important
La convention territoriale organise l'appui d'ENRx au Parc (l'équipe ad hoc de chaque Maison
de Parc) : son absence dans les fichiers est presque toujours un oubli d'envoi.

## Comment corriger
Ajoutez la convention territoriale de l'année du Parc, ou corrigez sa ligne si elle est en
erreur (elle n'est alors pas comptée).",
    check: Check::Aggregate(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let actives = ctx.actives();
    for (pi, parc) in ctx.referential.parcs.iter().enumerate() {
        let has = actives.iter().any(|a| {
            a.convention.links.parc() == Some(pi)
                && a.convention.echelle == Some(Echelle::Territoriale)
        });
        if parc.member && !has {
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!(
                        "parc membre {} ({}) sans convention territoriale active en {}",
                        parc.name, parc.code, ctx.year
                    ),
                )
                .value(parc.code.clone())
                .expected(format!(
                    "une convention territoriale ENRx/Parc active en {}",
                    ctx.year
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    fn territorial(id: &str, parc: &str) -> crate::model::Convention {
        let mut c = convention(id);
        c.echelle = ok(2, Echelle::Territoriale);
        c.parc = text(3, parc);
        c
    }

    #[test]
    fn fires_for_each_member_parc_missing() {
        let ds = dataset(
            vec![territorial("C-1", "SCE")],
            vec![partner("P-1")],
            vec![],
        );
        let d = run_rule(&RULE, ds, 2019);
        let parcs: Vec<_> = d.iter().filter_map(|d| d.value.clone()).collect();
        assert_eq!(parcs, vec!["AVE", "CMO"]);
    }

    #[test]
    fn silent_when_every_member_has_one() {
        let ds = dataset(
            vec![
                territorial("C-1", "SCE"),
                territorial("C-2", "AVE"),
                territorial("C-3", "CMO"),
            ],
            vec![partner("P-1")],
            vec![],
        );
        assert!(run_rule(&RULE, ds, 2019).is_empty());
    }
}
