use crate::checks::{Check, Diagnostic, RowContext, Rule, Severity};
use crate::model::Problem;
use crate::model::schema;

pub static RULE: Rule = Rule {
    code: "V009",
    name: "formula_without_value",
    severity: Severity::Avertissement,
    summary: "formule sans valeur calculée (fichier écrit par un programme) : valeur comptée comme absente",
    explanation: "\
## Ce que vérifie la règle
Une cellule qui contient une formule mais pas sa valeur calculée. Excel et LibreOffice
enregistrent toujours le résultat d'une formule à côté d'elle ; un fichier produit par un
programme (un script Python avec openpyxl, un export d'application) peut n'enregistrer que la
formule, que seul un tableur sait calculer.

## Pourquoi c'est important
Sans valeur calculée, la cellule ne peut pas être lue : elle compte comme vide. Si la colonne
est obligatoire, la ligne est aussi signalée en V001 et écartée des chiffres du rapport.

## Comment corriger
Ouvrez le fichier dans Excel ou LibreOffice et enregistrez-le : les formules sont alors
calculées et leurs valeurs enregistrées. Vous pouvez aussi remplacer la formule par sa valeur
(Copier, puis Collage spécial > Valeurs).",
    check: Check::Row(check),
};

fn check(ctx: &RowContext, out: &mut Vec<Diagnostic>) {
    for (origin, spec, field) in schema::fields(ctx.rows) {
        let Some((formula, Problem::FormulaWithoutValue)) = field.invalid() else {
            continue;
        };
        let name = spec.name;
        ctx.push(out, &RULE, origin, || {
            Diagnostic::new(
                &RULE,
                "formule sans valeur calculée : ouvrez et enregistrez le fichier dans Excel ou \
                 LibreOffice",
            )
            .at_cell(&ctx.sheet, origin, field.col(), name)
            .record(origin)
            .value(crate::text::echo::bound(formula))
            .expected("la valeur calculée de la formule")
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::{Field, Parsed};

    #[test]
    fn fires_on_a_formula_without_value() {
        let mut c = convention("C-1");
        c.part_region = Field::new(
            Some(12),
            Parsed::invalid("=SUM(M3:M4)", Problem::FormulaWithoutValue),
        );
        let d = run_on_convention(&RULE, c);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.starts_with("formule sans valeur calculée"));
        assert_eq!(d[0].cell.as_deref(), Some("M2"));
        assert_eq!(d[0].value.as_deref(), Some("=SUM(M3:M4)"));
    }

    #[test]
    fn silent_on_values_and_formula_errors() {
        let mut c = convention("C-1");
        c.montant_total = Field::new(Some(11), Parsed::invalid("#REF!", Problem::FormulaError));
        assert!(run_on_convention(&RULE, c).is_empty());
    }
}
