use crate::checks::{Check, Diagnostic, RowContext, Rule, Severity};
use crate::model::schema::{self, convention};
use crate::model::{AnyField, Problem};

pub static RULE: Rule = Rule {
    code: "V001",
    name: "required_empty",
    severity: Severity::Erreur,
    summary: "cellule obligatoire vide",
    explanation: "\
## Ce que vérifie la règle
Les cellules obligatoires doivent être remplies : pour une convention id, intitule, echelle,
partenaires, objectifs, date_debut, date_fin, montant_total, statut, et le parc pour les
échelles territoriale et locale ; pour un partenaire id, nom, type ; pour un indicateur
indicateur, annee, valeur.

## Pourquoi c'est important
Une ligne incomplète ne peut pas être comptée : elle est écartée des chiffres du rapport et
listée dans les anomalies.

## Comment corriger
Remplissez la cellule indiquée. Une formule sans valeur calculée (V009) compte comme une
cellule vide : ouvrez et enregistrez le fichier dans Excel ou LibreOffice. Si la ligne n'a pas lieu d'être (ligne de total, brouillon),
supprimez-la.",
    check: Check::Row(check),
};

fn check(ctx: &RowContext, out: &mut Vec<Diagnostic>) {
    for (origin, spec, field) in schema::fields(ctx.rows) {
        // A missing column is reported once for the sheet (S001), not on every row.
        if spec.required && field.col().is_some() && is_missing(field) {
            let column = spec.name;
            ctx.push(out, &RULE, origin, || {
                Diagnostic::new(&RULE, format!("cellule obligatoire « {column} » vide"))
                    .at_cell(&ctx.sheet, origin, field.col(), column)
                    .record(origin)
                    .expected(format!("une valeur dans la colonne « {column} »"))
            });
        }
    }
    for c in &ctx.rows.conventions {
        if c.echelle.value().is_some_and(|e| e.needs_parc()) && is_missing(&c.parc) {
            let echelle = c.echelle.value().map(|e| e.label()).unwrap_or_default();
            ctx.push(out, &RULE, c.origin, || {
                Diagnostic::new(
                    &RULE,
                    format!("parc obligatoire pour une convention {echelle}"),
                )
                .at_cell(&ctx.sheet, c.origin, c.parc.col, convention::PARC.name())
                .record(c.origin)
                .expected("le code du parc (SCE, AVE, CMO, OPF, BSPM) ou son nom")
            });
        }
    }
}

/// Empty, or a formula whose value was never computed (V009): nothing to read either way.
fn is_missing(field: &dyn AnyField) -> bool {
    field.is_empty() || matches!(field.invalid(), Some((_, Problem::FormulaWithoutValue)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::{Field, Parsed};

    #[test]
    fn fires_on_an_empty_required_cell() {
        let mut c = convention("C-1");
        c.montant_total = Field::new(Some(11), Parsed::Empty);
        let d = run_on_convention(&RULE, c);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].message, "cellule obligatoire « montant_total » vide");
        assert_eq!(d[0].cell.as_deref(), Some("L2"));
        assert_eq!(d[0].record.map(|o| o.row), Some(2));
    }

    #[test]
    fn fires_on_a_local_convention_without_parc() {
        let mut c = convention("C-1");
        c.parc = Field::new(Some(3), Parsed::Empty);
        let d = run_on_convention(&RULE, c);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("parc obligatoire"));
    }

    #[test]
    fn fires_on_a_required_formula_without_value() {
        let mut c = convention("C-1");
        c.montant_total = Field::new(
            Some(11),
            Parsed::invalid("=SUM(L3:L4)", Problem::FormulaWithoutValue),
        );
        let d = run_on_convention(&RULE, c);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].message, "cellule obligatoire « montant_total » vide");
    }

    #[test]
    fn silent_when_filled_or_optional() {
        let mut c = convention("C-1");
        c.thematique = Field::new(Some(6), Parsed::Empty);
        assert!(run_on_convention(&RULE, c).is_empty());
    }
}
