use crate::checks::{Check, Context, Diagnostic, Rule, Severity};
use crate::model::Echelle;
use crate::model::schema::convention;

pub static RULE: Rule = Rule {
    code: "O007",
    name: "no_local_actor",
    severity: Severity::Avertissement,
    summary: "convention locale sans acteur local parmi ses partenaires",
    explanation: "\
## Ce que vérifie la règle
Une convention d'échelle locale associe des acteurs locaux : au moins un de ses partenaires
connus doit être une association, une entreprise, un organisme professionnel, un établissement
d'enseignement ou de recherche, ou une collectivité.

## Pourquoi c'est important
Une convention « locale » passée seulement avec un Parc ou un réseau est sans doute mal classée
(territoriale ? nationale ?) et fausserait la ventilation par échelle.

## Comment corriger
Corrigez l'échelle de la convention, ou le type du partenaire dans la feuille Partenaires.",
    check: Check::Set(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for c in &ctx.ds.conventions {
        let partners = ctx.ds.partners_of(c);
        if c.echelle != Some(Echelle::Locale) || partners.is_empty() {
            continue;
        }
        let local = partners.iter().any(|&p| {
            ctx.ds.partners[p as usize]
                .kind
                .is_some_and(|t| t.is_local_actor())
        });
        if !local {
            out.push(
                Diagnostic::new(&RULE, "convention locale sans acteur local parmi ses partenaires")
                    .at_cell(ctx.ds, c.origin, c.partners_col, convention::PARTENAIRES.name())
                    .record(c.origin)
                    .expected("au moins une association, entreprise, organisme professionnel, établissement d'enseignement ou collectivité"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::PartnerType;

    #[test]
    fn fires_when_only_a_parc_is_partner() {
        let mut p = partner("P-1");
        p.kind = ok(2, PartnerType::Parc);
        assert_eq!(run_on_partner(&RULE, p).len(), 1);
    }

    #[test]
    fn silent_with_an_association() {
        assert!(run_on_convention(&RULE, convention("C-1")).is_empty());
    }
}
