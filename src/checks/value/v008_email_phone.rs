use super::identifiers::{is_email, is_phone};
use crate::checks::{Check, Diagnostic, RowContext, Rule, Severity};
use crate::model::schema::partner;
use crate::text::echo::bound;

pub static RULE: Rule = Rule {
    code: "V008",
    name: "email_phone",
    severity: Severity::Avertissement,
    summary: "courriel ou téléphone invalide",
    explanation: "\
## Ce que vérifie la règle
Un courriel doit avoir la forme nom@domaine.fr ; un téléphone, une fois retirés espaces,
points et tirets, 0 suivi de 9 chiffres, ou +33 / 0033 suivi de 9 chiffres (+32 pour un
partenaire belge).

## Pourquoi c'est important
Ce sont les coordonnées qui servent à joindre le partenaire pour le suivi de la convention.

## Comment corriger
Corrigez la coordonnée, ou laissez la cellule vide si vous ne la connaissez pas.",
    check: Check::Row(check),
};

fn check(ctx: &RowContext, out: &mut Vec<Diagnostic>) {
    for p in &ctx.rows.partners {
        let record = p.origin;
        if let Some(email) = p.email.text()
            && !is_email(email)
        {
            ctx.push(out, &RULE, record, || {
                Diagnostic::new(&RULE, format!("courriel invalide « {} »", bound(email)))
                    .at_cell(&ctx.sheet, p.origin, p.email.col, partner::EMAIL.name())
                    .record(record)
                    .value(email)
                    .expected("une adresse de la forme nom@domaine.fr")
            });
        }
        if let Some(phone) = p.telephone.text()
            && !is_phone(phone)
        {
            ctx.push(out, &RULE, record, || {
                Diagnostic::new(&RULE, format!("téléphone invalide « {} »", bound(phone)))
                    .at_cell(
                        &ctx.sheet,
                        p.origin,
                        p.telephone.col,
                        partner::TELEPHONE.name(),
                    )
                    .record(record)
                    .value(phone)
                    .expected("10 chiffres commençant par 0, ou +33 suivi de 9 chiffres")
                    .hint(lost_zero(phone).map(|p| {
                        format!(
                            "zéro initial perdu ? vouliez-vous dire {p} ? (saisissez-le en texte)"
                        )
                    }))
            });
        }
    }
}

/// 9 digits that make a French number with a `0` in front: a number cell dropped it.
fn lost_zero(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(|c| !c.is_whitespace()).collect();
    let candidate = format!("0{digits}");
    (digits.len() == 9 && digits.bytes().all(|b| b.is_ascii_digit()) && is_phone(&candidate))
        .then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_on_bad_contacts() {
        let mut p = partner("P-1");
        p.email = text(7, "contact.blongios.fr");
        p.telephone = text(8, "03 20 00");
        assert_eq!(run_on_partner(&RULE, p).len(), 2);
    }

    #[test]
    fn tells_a_lost_leading_zero() {
        let mut p = partner("P-1");
        p.telephone = text(8, "322408381");
        let d = run_on_partner(&RULE, p);
        assert_eq!(
            d[0].hint.as_deref(),
            Some("zéro initial perdu ? vouliez-vous dire 0322408381 ? (saisissez-le en texte)")
        );
        let mut p = partner("P-1");
        p.telephone = text(8, "03 20 00");
        assert_eq!(run_on_partner(&RULE, p)[0].hint, None);
    }

    #[test]
    fn silent_on_good_contacts() {
        assert!(run_on_partner(&RULE, partner("P-1")).is_empty());
    }
}
