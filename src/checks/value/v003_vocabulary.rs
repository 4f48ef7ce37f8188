use crate::checks::{Check, Diagnostic, RowContext, Rule, Severity};
use crate::model::schema::{convention, partner};
use crate::model::{Echelle, Field, Origin, Parsed, PartnerType, Problem, Statut};
use crate::text::echo::bound;
use crate::text::nearest_hint;

pub static RULE: Rule = Rule {
    code: "V003",
    name: "vocabulary",
    severity: Severity::Erreur,
    summary: "valeur hors du vocabulaire (avec le mot connu le plus proche)",
    explanation: "\
## Ce que vérifie la règle
Certaines colonnes n'acceptent que des mots connus : echelle (régionale, territoriale, locale,
nationale, européenne), statut (projet, signée, en cours, soldée, résiliée), type de partenaire,
thematique et programme (listes du référentiel). Majuscules, accents, espaces, tirets et tirets
bas ne comptent pas : « En_Cours » vaut « en cours ».

## Pourquoi c'est important
Les chiffres du rapport sont ventilés selon ces mots : un mot inconnu ferait sortir la
convention de son échelle, de son programme ou de sa thématique.

## Comment corriger
Remplacez la valeur par le mot proposé dans l'aide, ou choisissez-le dans la liste déroulante
du modèle `enrx template`.",
    check: Check::Row(check),
};

fn closed<T>(
    ctx: &RowContext,
    out: &mut Vec<Diagnostic>,
    origin: Origin,
    (field, column): (&Field<T>, &str),
    words: impl Iterator<Item = &'static str> + Clone,
) {
    if let Parsed::Invalid(inv) = &field.parsed
        && inv.problem == Problem::NotInVocabulary
    {
        let raw = &inv.raw;
        let expected = words.clone().collect::<Vec<_>>().join(", ");
        ctx.push(out, &RULE, origin, || {
            Diagnostic::new(
                &RULE,
                format!(
                    "« {} » n'est pas une valeur admise pour {column}",
                    bound(raw)
                ),
            )
            .at_cell(&ctx.sheet, origin, field.col, column)
            .record(origin)
            .value(raw.clone())
            .expected(expected)
            .hint(nearest_hint(raw, words, "valeurs proches"))
        });
    }
}

fn check(ctx: &RowContext, out: &mut Vec<Diagnostic>) {
    let r = ctx.referential;
    for c in &ctx.rows.conventions {
        closed(
            ctx,
            out,
            c.origin,
            (&c.echelle, convention::ECHELLE.name()),
            Echelle::labels(),
        );
        closed(
            ctx,
            out,
            c.origin,
            (&c.statut, convention::STATUT.name()),
            Statut::labels(),
        );
        if let Some(t) = c.thematique.text()
            && r.find_thematique(t).is_none()
        {
            ctx.push(out, &RULE, c.origin, || {
                Diagnostic::new(&RULE, format!("thématique inconnue « {} »", bound(t)))
                    .at_cell(
                        &ctx.sheet,
                        c.origin,
                        c.thematique.col,
                        convention::THEMATIQUE.name(),
                    )
                    .record(c.origin)
                    .value(t)
                    .expected(r.thematiques.join(", "))
                    .hint(nearest_hint(
                        t,
                        r.thematiques.iter().map(String::as_str),
                        "thématiques proches",
                    ))
            });
        }
        if let Some(p) = c.programme.text()
            && c.links.programme().is_none()
        {
            let codes = || r.programmes.iter().map(|p| p.code.as_str());
            ctx.push(out, &RULE, c.origin, || {
                Diagnostic::new(&RULE, format!("programme inconnu « {} »", bound(p)))
                    .at_cell(
                        &ctx.sheet,
                        c.origin,
                        c.programme.col,
                        convention::PROGRAMME.name(),
                    )
                    .record(c.origin)
                    .value(p)
                    .expected(codes().collect::<Vec<_>>().join(", "))
                    .hint(nearest_hint(p, codes(), "programmes proches"))
            });
        }
    }
    for p in &ctx.rows.partners {
        closed(
            ctx,
            out,
            p.origin,
            (&p.kind, partner::TYPE.name()),
            PartnerType::labels(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_with_the_nearest_word() {
        let mut c = convention("C-1");
        c.statut = Field::new(Some(15), Parsed::invalid("signe", Problem::NotInVocabulary));
        c.thematique = text(6, "biodiversite marine");
        c.programme = text(7, "IMPAKT");
        let d = run_on_convention(&RULE, c);
        assert_eq!(d.len(), 3, "{d:#?}");
        assert_eq!(d[0].hint.as_deref(), Some("valeurs proches : signée"));
        assert_eq!(d[1].message, "thématique inconnue « biodiversite marine »");
        assert_eq!(d[2].hint.as_deref(), Some("programmes proches : IMPACT"));
    }

    #[test]
    fn silent_on_known_words_written_loosely() {
        let mut c = convention("C-1");
        c.thematique = text(6, "Education a l'environnement");
        c.programme = text(7, "partons");
        assert!(run_on_convention(&RULE, c).is_empty());
    }
}
