use crate::checks::{Check, Diagnostic, RowContext, Rule, Severity};
use crate::model::Problem;
use crate::model::schema::{self, ColumnKind};
use crate::text::echo::bound;
use crate::text::french::why_not_a_date;

pub static RULE: Rule = Rule {
    code: "V002",
    name: "wrong_type",
    severity: Severity::Erreur,
    summary: "valeur du mauvais type (pas une date, pas un nombre, erreur de formule)",
    explanation: "\
## Ce que vérifie la règle
Les dates doivent être des dates : une cellule date d'Excel, ou un texte jour/mois/année
(`01/02/2019` est le 1er février) ou `2019-02-01`, ou une date en toutes lettres
(`1er février 2019`, `15-mars-20`, `3 sept. 2021` ; un mois seul, `février 2019`, n'est pas
une date : il y manque le jour). Les montants et valeurs doivent être des
nombres : `1234,5`, `1 234,50 €`, `1234.5`. Une cellule qui affiche une erreur de formule
(#REF!, #DIV/0!, #N/A, #VALEUR!…) est aussi signalée.

## Pourquoi c'est important
Une date ou un montant illisible fausserait les calculs : la ligne est écartée des chiffres.

## Comment corriger
Retapez la valeur au bon format. Pour une erreur de formule, corrigez la formule ou
remplacez-la par sa valeur (Copier, puis Collage spécial > Valeurs).",
    check: Check::Row(check),
};

fn check(ctx: &RowContext, out: &mut Vec<Diagnostic>) {
    for (origin, spec, field) in schema::fields(ctx.rows) {
        let Some((raw, problem)) = field.invalid() else {
            continue;
        };
        let name = spec.name;
        let (message, expected) = match problem {
            Problem::WrongType { expected } => (
                format!("« {} » n'est pas {expected} (colonne {name})", bound(raw)),
                expected.to_string(),
            ),
            Problem::FormulaError => (
                format!("erreur de formule {} dans la colonne {name}", bound(raw)),
                "une valeur, pas une erreur de formule".to_string(),
            ),
            // Vocabulary words are V003's, formulas without value V009's.
            Problem::NotInVocabulary | Problem::FormulaWithoutValue => continue,
        };
        let hint = (spec.kind == ColumnKind::Date)
            .then(|| why_not_a_date(raw))
            .flatten();
        ctx.push(out, &RULE, origin, || {
            Diagnostic::new(&RULE, message)
                .at_cell(&ctx.sheet, origin, field.col(), name)
                .record(origin)
                .value(raw)
                .expected(expected)
                .hint(hint)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::{Field, Parsed};

    #[test]
    fn says_why_a_date_does_not_exist() {
        let mut c = convention("C-1");
        c.date_fin = Field::new(
            Some(10),
            Parsed::invalid(
                "31/04/2021",
                Problem::WrongType {
                    expected: "une date (jj/mm/aaaa)",
                },
            ),
        );
        let d = run_on_convention(&RULE, c);
        assert_eq!(
            d[0].hint.as_deref(),
            Some("le 31 avril 2021 n'existe pas : le mois a 30 jours")
        );
    }

    #[test]
    fn fires_on_a_text_date_and_a_formula_error() {
        let mut c = convention("C-1");
        c.date_debut = Field::new(
            Some(9),
            Parsed::invalid(
                "demain",
                Problem::WrongType {
                    expected: "une date (jj/mm/aaaa)",
                },
            ),
        );
        c.montant_total = Field::new(Some(11), Parsed::invalid("#REF!", Problem::FormulaError));
        let d = run_on_convention(&RULE, c);
        assert_eq!(d.len(), 2);
        assert_eq!(
            d[0].message,
            "« demain » n'est pas une date (jj/mm/aaaa) (colonne date_debut)"
        );
        assert_eq!(d[0].cell.as_deref(), Some("J2"));
        assert_eq!(
            d[1].message,
            "erreur de formule #REF! dans la colonne montant_total"
        );
    }

    #[test]
    fn silent_on_valid_values_and_vocabulary_words() {
        let mut c = convention("C-1");
        c.statut = Field::new(Some(15), Parsed::invalid("fini", Problem::NotInVocabulary));
        assert!(run_on_convention(&RULE, c).is_empty());
    }
}
