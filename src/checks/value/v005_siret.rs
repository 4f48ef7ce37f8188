use super::identifiers::{SiretProblem, check_siret};
use crate::checks::{Check, Diagnostic, RowContext, Rule, Severity};
use crate::model::schema::partner;
use crate::text::echo::bound;

pub static RULE: Rule = Rule {
    code: "V005",
    name: "siret",
    severity: Severity::Erreur,
    summary: "SIRET ou SIREN invalide",
    explanation: "\
## Ce que vérifie la règle
Un SIRET a 14 chiffres (le SIREN de 9 chiffres puis le NIC de 5), un SIREN 9 ; les espaces
sont admis. Sa clé de contrôle (algorithme de Luhn) doit être juste. Exception : les
établissements de La Poste (SIREN 356 000 000), dont la somme des chiffres doit être un
multiple de 5.

## Pourquoi c'est important
Le SIRET identifie le bénéficiaire de la subvention ; un numéro faux empêche le contrôle et
les rapprochements (données essentielles des subventions, décret 2017-779).

## Comment corriger
Recopiez le numéro depuis l'avis de situation SIRENE ou annuaire-entreprises.data.gouv.fr.
Dans Excel, saisissez-le en texte (format de cellule Texte) pour qu'il ne devienne pas
1,23E+13.",
    check: Check::Row(check),
};

fn check(ctx: &RowContext, out: &mut Vec<Diagnostic>) {
    for p in &ctx.rows.partners {
        let Some(siret) = p.siret.text() else {
            continue;
        };
        let reason = match check_siret(siret) {
            Ok(_) => continue,
            Err(SiretProblem::NotDigits) => "il ne contient pas que des chiffres".to_string(),
            Err(SiretProblem::Length(n)) => {
                format!(
                    "{} au lieu de 14 (SIRET) ou 9 (SIREN)",
                    crate::text::plural(n, "chiffre", "chiffres")
                )
            }
            Err(SiretProblem::Key) => "clé de contrôle fausse (chiffre mal recopié ?)".to_string(),
        };
        ctx.push(out, &RULE, p.origin, || {
            Diagnostic::new(
                &RULE,
                format!("SIRET/SIREN invalide « {} » : {reason}", bound(siret)),
            )
            .at_cell(&ctx.sheet, p.origin, p.siret.col, partner::SIRET.name())
            .record(p.origin)
            .value(siret)
            .expected("14 chiffres (SIRET) ou 9 (SIREN) avec une clé de Luhn juste")
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_on_a_wrong_key() {
        let mut p = partner("P-1");
        p.siret = text(3, "732 829 320 00075");
        let d = run_on_partner(&RULE, p);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("clé de contrôle"));
        assert_eq!(d[0].cell.as_deref(), Some("D2"));
    }

    #[test]
    fn silent_on_valid_numbers_and_la_poste() {
        for s in ["73282932000074", "732829320", "356 000 000 00001"] {
            let mut p = partner("P-1");
            p.siret = text(3, s);
            assert!(run_on_partner(&RULE, p).is_empty(), "{s}");
        }
    }
}
