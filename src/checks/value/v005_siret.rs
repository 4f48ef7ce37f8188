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
multiple de 5. Un nombre tel qu'un programme l'écrit (`73282932000074.0`) est lu comme ses
chiffres. En notation scientifique (`7,32829E+13`, le CSV qu'Excel écrit d'une cellule
nombre), ses derniers chiffres sont perdus : il est signalé comme tel. Un numéro de 13 chiffres
(ou 8) qui serait juste avec un 0 devant a perdu son zéro initial : enrx propose le numéro.

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
        let (reason, hint) = match check_siret(siret) {
            Ok(_) => continue,
            Err(SiretProblem::NotDigits) => ("il ne contient pas que des chiffres".into(), None),
            Err(SiretProblem::Scientific) => (
                "écrit en notation scientifique : Excel l'a arrondi, ses derniers chiffres sont \
                 perdus"
                    .into(),
                Some(
                    "dans le classeur d'origine, mettez la colonne au format Texte et recopiez \
                     le numéro, puis enregistrez le CSV de nouveau"
                        .into(),
                ),
            ),
            Err(SiretProblem::Length(n)) => (
                format!(
                    "{} au lieu de 14 (SIRET) ou 9 (SIREN)",
                    crate::text::plural(n, "chiffre", "chiffres")
                ),
                None,
            ),
            Err(SiretProblem::LeadingZeroLost(padded)) => (
                "zéro initial perdu ?".into(),
                Some(format!(
                    "vouliez-vous dire {padded} ? (saisissez-le en texte pour garder le zéro)"
                )),
            ),
            Err(SiretProblem::Key) => (
                "clé de contrôle fausse (chiffre mal recopié ?)".into(),
                None,
            ),
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
            .hint(hint)
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
    fn tells_a_number_excel_rounded_and_a_lost_zero() {
        let mut p = partner("P-1");
        p.siret = text(3, "2,28829E+13");
        let d = run_on_partner(&RULE, p);
        assert_eq!(
            d[0].message,
            "SIRET/SIREN invalide « 2,28829E+13 » : écrit en notation scientifique : Excel l'a \
             arrondi, ses derniers chiffres sont perdus"
        );
        assert!(
            d[0].hint
                .as_deref()
                .is_some_and(|h| h.contains("format Texte"))
        );
        let mut p = partner("P-1");
        p.siret = text(3, "5420224000013");
        let d = run_on_partner(&RULE, p);
        assert_eq!(
            d[0].hint.as_deref(),
            Some("vouliez-vous dire 05420224000013 ? (saisissez-le en texte pour garder le zéro)")
        );
    }

    #[test]
    fn silent_on_valid_numbers_and_la_poste() {
        for s in [
            "73282932000074",
            "732829320",
            "356 000 000 00001",
            "73282932000074.0",
        ] {
            let mut p = partner("P-1");
            p.siret = text(3, s);
            assert!(run_on_partner(&RULE, p).is_empty(), "{s}");
        }
    }
}
