use super::identifiers::{PostalProblem, check_postal_code};
use crate::checks::{Check, Diagnostic, RowContext, Rule, Severity};
use crate::model::schema::partner;
use crate::text::echo::bound;

pub static RULE: Rule = Rule {
    code: "V007",
    name: "postal_code",
    severity: Severity::Avertissement,
    summary: "code postal invalide, ou zéro initial perdu",
    explanation: "\
## Ce que vérifie la règle
Un code postal français a 5 chiffres. Un code de 4 chiffres est presque toujours un code dont
Excel a supprimé le zéro initial (02100 devenu 2100, dans l'Aisne) : il est signalé, jamais
corrigé en silence.

## Pourquoi c'est important
Le code postal sert à situer le partenaire ; 2100 n'existe pas en France.

## Comment corriger
Mettez la colonne au format Texte dans Excel, puis retapez le code avec son zéro (02100). Un
partenaire belge a un code à 4 chiffres : l'avertissement peut alors être ignoré.",
    check: Check::Row(check),
};

fn check(ctx: &RowContext, out: &mut Vec<Diagnostic>) {
    for p in &ctx.rows.partners {
        let Some(code) = p.code_postal.text() else {
            continue;
        };
        let (message, hint) = match check_postal_code(code) {
            Ok(()) => continue,
            Err(PostalProblem::LeadingZeroLost) => (
                format!(
                    "code postal à 4 chiffres « {} » : zéro initial perdu ?",
                    bound(code)
                ),
                Some(format!(
                    "vouliez-vous dire 0{code} ? (ou code postal étranger)"
                )),
            ),
            Err(PostalProblem::Invalid) => {
                (format!("code postal invalide « {} »", bound(code)), None)
            }
        };
        ctx.push(out, &RULE, p.origin, || {
            Diagnostic::new(&RULE, message)
                .at_cell(
                    &ctx.sheet,
                    p.origin,
                    p.code_postal.col,
                    partner::CODE_POSTAL.name(),
                )
                .record(p.origin)
                .value(code)
                .expected("5 chiffres, saisis en texte")
                .hint(hint)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_on_a_lost_leading_zero() {
        let mut p = partner("P-1");
        p.code_postal = text(5, "2100");
        let d = run_on_partner(&RULE, p);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].hint.as_deref(),
            Some("vouliez-vous dire 02100 ? (ou code postal étranger)")
        );
    }

    #[test]
    fn silent_on_five_digits() {
        let mut p = partner("P-1");
        p.code_postal = text(5, "02100");
        assert!(run_on_partner(&RULE, p).is_empty());
    }
}
